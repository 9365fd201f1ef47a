/* SPDX-License-Identifier: MIT */
/*
 * fuzz_serve_proto.c - the server's request path without sockets: the
 * bytes a client could send go through the HTTP/1 layer's feed (llhttp,
 * limits, then the core: routing, options, the plan, written back as
 * HTTP/1.1), staged answers are run to their end without waiting, and a
 * request left incomplete gets its 408.
 *
 * Promises checked besides memory safety: the input is fed twice, at once
 * and one byte per read, and both give the same answers (how TCP splits a
 * request must not change it; only the Date fields may differ, and which
 * 4xx refuses a request that breaks two rules at once); parsing
 * always makes progress; whatever the server writes starts with a status
 * line.
 *
 * Built as in fuzz/CMakeLists.txt; requests run past 16 KiB, and
 * serve_proto.dict holds the tokens that reach the routes quickly:
 *   /tmp/fuzz/fuzz/fuzz_serve_proto -dict=fuzz/serve_proto.dict \
 *       -max_len=20000 /tmp/new-inputs fuzz/corpus/serve_proto
 */
#include "fuzz_serve.h"

#define DATE_PREFIX "\r\nDate: "
#define DATE_VALUE_LEN 29 /* "Sun, 06 Nov 1994 08:49:37 GMT" */

/* Runs a staged response to its end, moving the clock by the delays it
 * asks for instead of waiting. */
static srv_action run_staged(srv_conn *c, srv_buf *into)
{
  int64_t delay;
  for (int steps = 0; (delay = c->proto->step(c)) >= 0; steps++) {
    /* sleep, head, after head, pieces (/drip: one per 10 ms), interim
     * responses (one per 10 ms at most): --max-sleep bounds them. */
    FUZZ_CHECK(delay > 0 && steps < 2 * 30000 / 10 + 64);
    fuzz_worker.now += (uint64_t)delay;
    fuzz_take_output(into);
  }
  fuzz_take_output(into);
  return c->action;
}

/* Feeds data[0..size) in reads of at most `piece` bytes, as conn.c does,
 * and collects every byte the server answers into `into`. */
static void converse(const uint8_t *data, size_t size, size_t piece,
                     srv_buf *into)
{
  srv_conn c;
  fuzz_conn_start(&c);
  size_t pos = 0;
  srv_action act = SRV_ACT_CONTINUE;
  while (pos < size && act != SRV_ACT_CLOSE) {
    size_t n = size - pos < piece ? size - pos : piece;
    size_t used = 0;
    act = c.proto->feed(&c, (const char *)data + pos, n, &used);
    FUZZ_CHECK(used <= n);
    /* Nothing consumed and nothing to wait for would spin forever. */
    FUZZ_CHECK(used > 0 || act != SRV_ACT_CONTINUE);
    pos += used;
    fuzz_take_output(into);
    if (c.proto != &srv_http1_proto)
      break; /* HTTP/2 from here on (preface, h2c): fuzz_h2 goes on */
    if (act == SRV_ACT_STAGED)
      act = run_staged(&c, into);
  }
  if (act != SRV_ACT_CLOSE && c.in_request && c.proto == &srv_http1_proto) {
    c.proto->timeout(&c);
    fuzz_take_output(into);
  }
  c.proto->release(&c, false);
}

/* Where the last answer (its status line) starts in b, or 0. */
static size_t last_answer(const srv_buf *b)
{
  static const char line[] = "HTTP/1.1 ";
  size_t n = sizeof line - 1;
  for (size_t i = b->len >= n ? b->len - n + 1 : 0; i-- > 0;)
    if (memcmp(b->data + i, line, n) == 0)
      return i;
  return 0;
}

/* True when b[from..) is one refusal: a 4xx with Connection: close. */
static bool is_refusal(const srv_buf *b, size_t from)
{
  static const char closing[] = "\r\nConnection: close\r\n";
  const char *s = b->data + from;
  size_t len = b->len - from;
  if (len < 13 || memcmp(s, "HTTP/1.1 4", 10) != 0)
    return false;
  for (size_t i = 0; i + sizeof closing - 1 <= len; i++) {
    if (memcmp(s + i, "\r\n\r\n", 4) == 0)
      return false;
    if (memcmp(s + i, closing, sizeof closing - 1) == 0)
      return true;
  }
  return false;
}

/* The same answers, but for the refusal that ends both: where a limit is
 * checked on what llhttp has handed over so far, a too-long target with a
 * bad byte past 8 KiB is 414 read bytewise and 400 read at once. Either
 * refusal closes the connection, so what the client sees is the same. */
static bool same_answers(const srv_buf *a, const srv_buf *b)
{
  if (a->len == b->len && (a->len == 0 || memcmp(a->data, b->data, a->len) == 0))
    return true;
  size_t la = last_answer(a), lb = last_answer(b);
  return la == lb && (la == 0 || memcmp(a->data, b->data, la) == 0) &&
         is_refusal(a, la) && is_refusal(b, lb);
}

/* Blanks the value of every Date field, the one part of an answer that
 * may differ between two runs (a second may pass in between). */
static void blank_dates(srv_buf *b)
{
  size_t plen = sizeof DATE_PREFIX - 1;
  for (size_t i = 0; i + plen + DATE_VALUE_LEN <= b->len; i++) {
    if (memcmp(b->data + i, DATE_PREFIX, plen) == 0)
      memset(b->data + i + plen, '#', DATE_VALUE_LEN);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  srv_buf whole = {0}, bytewise = {0};
  fuzz_serve_init();
  converse(data, size, size ? size : 1, &whole);
  converse(data, size, 1, &bytewise);
  /* An answer, or the SETTINGS frame of a connection that began with the
   * HTTP/2 preface. */
  FUZZ_CHECK(whole.len == 0 || (whole.len >= 12 &&
                                memcmp(whole.data, "HTTP/1.", 7) == 0) ||
             (whole.len >= 9 && whole.data[3] == 4 && whole.data[4] == 0));
  blank_dates(&whole);
  blank_dates(&bytewise);
  if (!same_answers(&whole, &bytewise)) {
    fprintf(stderr, "at once:\n%.*s\n--- one byte per read:\n%.*s\n",
            (int)(whole.len < 4000 ? whole.len : 4000),
            whole.data ? whole.data : "",
            (int)(bytewise.len < 4000 ? bytewise.len : 4000),
            bytewise.data ? bytewise.data : "");
    FUZZ_CHECK(!"the answers depend on how the request was split");
  }
  srv_buf_free(&whole);
  srv_buf_free(&bytewise);
  return 0;
}
