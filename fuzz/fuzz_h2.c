/* SPDX-License-Identifier: MIT */
/*
 * fuzz_h2.c - the server's HTTP/2 layer without sockets: the bytes a client
 * could send after the connection preface go through the HTTP/2 session
 * (nghttp2_session_mem_recv into http2/'s callbacks, the core, the
 * timelines), every stream's timers are run to their end by moving the
 * clock forward instead of waiting, and streams left incomplete meet the
 * request deadline.
 *
 * Promises checked besides memory safety: every byte is consumed; the
 * timelines end (a bounded number of steps); what the server writes is a
 * sequence of well-formed frames starting with its SETTINGS, whether the
 * input is read at once or in 7-byte pieces (how TCP splits it).
 *
 * Built as in fuzz/CMakeLists.txt:
 *   /tmp/fuzz/fuzz/fuzz_h2 -max_len=20000 /tmp/new-inputs fuzz/corpus/h2
 */
#include "fuzz_serve.h"

#define FRAME_HEADER 9
/* SETTINGS_MAX_FRAME_SIZE's default: we never raise it. */
#define MAX_FRAME 16384
#define MAX_STEPS 100000

/* Runs what the connection would run on its timers: due stream steps (the
 * clock jumps to them), more output, the request deadline. */
static srv_action run_timers(srv_conn *c, srv_action act, srv_buf *into)
{
  for (int steps = 0; act != SRV_ACT_CLOSE; steps++) {
    FUZZ_CHECK(steps < MAX_STEPS);
    if (c->step_due || c->wake_at != 0) {
      if (c->wake_at > fuzz_worker.now)
        fuzz_worker.now = c->wake_at;
      c->wake_at = 0;
      c->step_due = false;
      c->proto->step(c);
    } else if (c->timeout == SRV_T_REQUEST) {
      if (c->deadline > fuzz_worker.now)
        fuzz_worker.now = c->deadline;
      c->proto->timeout(c);
    } else {
      break;
    }
    act = c->action;
    fuzz_take_output(into);
  }
  return act;
}

/* Feeds data[0..size) in reads of at most `piece` bytes, as conn.c does,
 * and collects every byte the server writes into `into`. */
static void converse(const uint8_t *data, size_t size, size_t piece,
                     srv_buf *into)
{
  srv_conn c;
  fuzz_conn_start(&c);
  srv_http2_start_preface(&c);
  FUZZ_CHECK(c.proto == &srv_http2_proto);
  srv_action act = SRV_ACT_CONTINUE;
  for (size_t pos = 0; pos < size && act != SRV_ACT_CLOSE;) {
    size_t n = size - pos < piece ? size - pos : piece;
    size_t used = 0;
    act = c.proto->feed(&c, (const char *)data + pos, n, &used);
    FUZZ_CHECK(used == n);
    pos += used;
    fuzz_take_output(into);
    act = run_timers(&c, act, into);
  }
  (void)run_timers(&c, act, into);
  c.proto->release(&c, false);
  FUZZ_CHECK(c.h2 == NULL);
}

/* True when b holds whole frames only, the first our SETTINGS. */
static bool well_framed(const srv_buf *b)
{
  size_t pos = 0;
  for (size_t i = 0; pos + FRAME_HEADER <= b->len; i++) {
    const uint8_t *h = (const uint8_t *)b->data + pos;
    size_t len = (size_t)h[0] << 16 | (size_t)h[1] << 8 | h[2];
    if (len > MAX_FRAME || h[3] > 9 || (i == 0 && (h[3] != 4 || h[4] != 0)))
      return false;
    pos += FRAME_HEADER + len;
  }
  return pos == b->len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  srv_buf whole = {0}, pieces = {0};
  fuzz_serve_init();
  converse(data, size, size ? size : 1, &whole);
  converse(data, size, 7, &pieces);
  FUZZ_CHECK(well_framed(&whole));
  FUZZ_CHECK(well_framed(&pieces));
  srv_buf_free(&whole);
  srv_buf_free(&pieces);
  return 0;
}
