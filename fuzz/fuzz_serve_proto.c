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
#include <string.h>

#include "fuzz.h"
#include "net/net.h"

#define DATE_PREFIX "\r\nDate: "
#define DATE_VALUE_LEN 29 /* "Sun, 06 Nov 1994 08:49:37 GMT" */

static srv_config cfg = {
    .host = "127.0.0.1",
    .workers = 1,
    .max_sleep_ms = 30000,
    .max_body = 4096, /* small, so that inputs reach 413 */
    .max_connections = 1,
    .header_timeout_ms = 10000,
    .idle_timeout_ms = 60000,
    .send_timeout_ms = 30000,
    .drain_ms = 5000,
};
static srv_worker worker;

static void init_once(void)
{
  static bool done;
  if (done)
    return;
  done = true;
  srv_core_init();
  srv_http1_init();
  worker.cfg = &cfg;
  worker.core.cfg = &cfg;
}

/* Moves what the server wrote into `into`. */
static void take_output(srv_buf *into)
{
  srv_buf_append(into, worker.out.data, worker.out.len);
  worker.out.len = 0;
}

/* Runs a staged response to its end, ignoring the delays it asks for. */
static srv_action run_staged(srv_conn *c, srv_buf *into)
{
  for (int steps = 0; c->proto->step(c) >= 0; steps++) {
    FUZZ_CHECK(steps < 64); /* sleep, head, after head, 16 pieces... */
    take_output(into);
  }
  take_output(into);
  return c->action;
}

/* Feeds data[0..size) in reads of at most `piece` bytes, as conn.c does,
 * and collects every byte the server answers into `into`. */
static void converse(const uint8_t *data, size_t size, size_t piece,
                     srv_buf *into)
{
  srv_conn c;
  memset(&c, 0, sizeof c);
  worker.core.rng = 0x9E3779B97F4A7C15ULL; /* the same /random/ draws each run */
  worker.out.len = 0;
  worker.core.scratch.len = 0;
  c.w = &worker;
  c.tr.fd = -1;
  c.proto = &srv_http1_proto;
  c.proto->start(&c);
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
    take_output(into);
    if (act == SRV_ACT_STAGED)
      act = run_staged(&c, into);
  }
  if (act != SRV_ACT_CLOSE && c.in_request) {
    c.proto->timeout(&c);
    take_output(into);
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
  init_once();
  converse(data, size, size ? size : 1, &whole);
  converse(data, size, 1, &bytewise);
  FUZZ_CHECK(whole.len == 0 || (whole.len >= 12 &&
                                memcmp(whole.data, "HTTP/1.", 7) == 0));
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
