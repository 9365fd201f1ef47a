/* SPDX-License-Identifier: MIT */
/*
 * explain.c - the explanation of each code, compiled in: explain.inc is
 * generated at build time from src/lib/explain/NNN.txt by explain_gen.
 */
#include "httpstatus.h"

#define RELATED(...) ((const int[]){__VA_ARGS__}), \
  (sizeof((const int[]){__VA_ARGS__}) / sizeof(int))

/* Row positions, one per explained code. */
enum {
#define HTTPSTATUS_EXPLANATION(code, ...) ROW_##code,
#include "explain.inc"
#undef HTTPSTATUS_EXPLANATION
  ROW_COUNT
};

static const httpstatus_explanation rows[ROW_COUNT] = {
#define HTTPSTATUS_EXPLANATION(code_, meaning_, send_, clients_, mistakes_, \
                               related_, example_)                          \
  {(code_), (meaning_), (send_), (clients_), (mistakes_), related_, (example_)},
#include "explain.inc"
#undef HTTPSTATUS_EXPLANATION
};

#define CODE_MIN 100
#define CODE_SPAN 900 /* codes 100-999 */

_Static_assert(ROW_COUNT <= CODE_SPAN, "at most one explanation per code");

/* 1 + the row of each explained code, 0 when none. */
static const unsigned short row_of[CODE_SPAN] = {
#define HTTPSTATUS_EXPLANATION(code, ...) [(code) - CODE_MIN] = ROW_##code + 1,
#include "explain.inc"
#undef HTTPSTATUS_EXPLANATION
};

const httpstatus_explanation *httpstatus_explain(int code)
{
  unsigned i = (unsigned)code - CODE_MIN;
  return i < CODE_SPAN && row_of[i] ? &rows[row_of[i] - 1] : NULL;
}
