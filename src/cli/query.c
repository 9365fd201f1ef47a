/* SPDX-License-Identifier: MIT */
/* query.c - what an argument asks for, and the entries that answer it. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

bool filter_active(const cli_filter *f) {
  return f->statuses != 0 || f->classes != 0 || f->origin != NULL;
}

bool filter_accepts(const cli_filter *f, const httpstatus_entry *e) {
  if (f->statuses != 0 && (f->statuses & (1u << e->status)) == 0)
    return false;
  if (f->classes != 0 && (f->classes & (1u << httpstatus_class_of(e->code))) == 0)
    return false;
  return f->origin == NULL || cli_icontains(e->origin, f->origin);
}

static bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

static bool is_x(char c) {
  return c == 'x' || c == 'X';
}

/* A pattern is one digit ("4": the class) or digits padded to three places
 * with x ("4xx", "41x"). */
static bool parse_pattern(const char *arg, size_t digits, size_t len,
                          query *q) {
  if (arg[0] == '0' || !(len == 3 || (len == 1 && digits == 1)))
    return false;
  q->kind = QUERY_PATTERN;
  q->prefix = 0;
  q->scale = 1;
  for (size_t i = 0; i < digits; i++)
    q->prefix = q->prefix * 10 + (arg[i] - '0');
  for (size_t i = digits; i < 3; i++)
    q->scale *= 10;
  return true;
}

bool query_parse_number(const char *arg, query *q, bool *bad) {
  size_t len = strlen(arg), digits = 0, xs = 0;
  *bad = false;
  if (arg[0] == '-' && is_digit(arg[1])) {
    *bad = true; /* a negative number, not an option nor words */
    return false;
  }
  while (is_digit(arg[digits]))
    digits++;
  while (is_x(arg[digits + xs]))
    xs++;
  if (digits == 0 || digits + xs != len) {
    /* Only digits and x in another order (4x4) is a malformed pattern;
     * anything else is words. */
    *bad = digits > 0 && strspn(arg, "0123456789xX") == len;
    return false;
  }
  q->text = arg;
  if (xs == 0 && len == 3) {
    q->kind = QUERY_CODE;
    int rc = httpstatus_parse_code(arg, len, &q->code);
    *bad = rc != HTTPSTATUS_OK && rc != HTTPSTATUS_E_RANGE;
    return !*bad;
  }
  *bad = !parse_pattern(arg, digits, len, q);
  return !*bad;
}

static size_t print_accepted(const httpstatus_entry *e, const cli_filter *f,
                             cli_out *out) {
  if (!filter_accepts(f, e))
    return 0;
  out_entry(out, e);
  return 1;
}

static size_t run_code(const query *q, const cli_filter *f, cli_out *out) {
  size_t n = 0, printed = 0;
  const httpstatus_entry *run = httpstatus_meanings(q->code, &n);
  for (size_t i = 0; i < n; i++)
    printed += print_accepted(&run[i], f, out);
  return printed;
}

/* The catalog is in code order, so a pattern's entries come out sorted. */
static size_t run_catalog(const query *q, const cli_filter *f, cli_out *out) {
  size_t printed = 0;
  const httpstatus_entry *e;
  for (size_t i = 0; (e = httpstatus_at(i)) != NULL; i++) {
    if (q->kind == QUERY_ALL || e->code / q->scale == q->prefix)
      printed += print_accepted(e, f, out);
  }
  return printed;
}

static size_t run_search(const query *q, const cli_filter *f, cli_out *out) {
  size_t max = httpstatus_count(), printed = 0;
  const httpstatus_entry **hits = malloc((max ? max : 1) * sizeof *hits);
  if (hits == NULL) {
    cli_error("out of memory");
    return 0;
  }
  size_t n = httpstatus_search(q->text, hits, max);
  for (size_t i = 0; i < n && i < max; i++)
    printed += print_accepted(hits[i], f, out);
  free(hits);
  return printed;
}

size_t query_run(const query *q, const cli_filter *f, cli_out *out) {
  switch (q->kind) {
  case QUERY_CODE:
    return run_code(q, f, out);
  case QUERY_WORDS:
    return run_search(q, f, out);
  case QUERY_ALL:
  case QUERY_PATTERN:
    break;
  }
  return run_catalog(q, f, out);
}
