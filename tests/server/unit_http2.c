/* SPDX-License-Identifier: MIT */
/*
 * unit_http2.c - cmocka tests of the HTTP/2 layer (http2/) without sockets:
 * an nghttp2 client session talks to a connection that starts as a plain
 * one does (HTTP/1 until the preface), the bytes carried by hand both ways,
 * the clock moved by hand to the streams' due times. What the client saw
 * is recorded per stream: the statuses of its HEADERS, the DATA bytes, the
 * RST_STREAM code, when it closed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <nghttp2/nghttp2.h>

#include "http2/http2.h"
#include "net/net.h"

#define MAX_SEEN 8

typedef struct seen {
  int statuses[MAX_SEEN]; /* of each HEADERS, interim first */
  int status_count;
  size_t data;            /* DATA bytes */
  int data_frames;
  bool end_on_headers;    /* END_STREAM on the final HEADERS */
  int rst;                /* RST_STREAM code, -1 none */
  bool closed;
  uint64_t closed_at;     /* worker time when it closed */
} seen;

static srv_config cfg;
static srv_worker worker;
static srv_conn conn;
static nghttp2_session *client;
static seen streams[16];   /* by (stream id - 1) / 2 */

static seen *seen_of(int32_t id)
{
  assert_true(id > 0 && id % 2 == 1 && (id - 1) / 2 < 16);
  return &streams[(id - 1) / 2];
}

static int on_header(nghttp2_session *s, const nghttp2_frame *f,
                     const uint8_t *name, size_t namelen, const uint8_t *value,
                     size_t valuelen, uint8_t flags, void *user)
{
  (void)s, (void)flags, (void)user;
  seen *z = seen_of(f->hd.stream_id);
  if (namelen == 7 && memcmp(name, ":status", 7) == 0 && valuelen == 3 &&
      z->status_count < MAX_SEEN)
    z->statuses[z->status_count++] =
        (value[0] - '0') * 100 + (value[1] - '0') * 10 + (value[2] - '0');
  return 0;
}

static int on_frame(nghttp2_session *s, const nghttp2_frame *f, void *user)
{
  (void)s, (void)user;
  if (f->hd.stream_id == 0)
    return 0;
  seen *z = seen_of(f->hd.stream_id);
  if (f->hd.type == NGHTTP2_HEADERS && (f->hd.flags & NGHTTP2_FLAG_END_STREAM))
    z->end_on_headers = true;
  else if (f->hd.type == NGHTTP2_DATA)
    z->data_frames++;
  else if (f->hd.type == NGHTTP2_RST_STREAM)
    z->rst = (int)f->rst_stream.error_code;
  return 0;
}

static int on_data(nghttp2_session *s, uint8_t flags, int32_t id,
                   const uint8_t *data, size_t len, void *user)
{
  (void)s, (void)flags, (void)data, (void)user;
  seen_of(id)->data += len;
  return 0;
}

static int on_close(nghttp2_session *s, int32_t id, uint32_t code, void *user)
{
  (void)s, (void)code, (void)user;
  seen_of(id)->closed = true;
  seen_of(id)->closed_at = worker.now;
  return 0;
}

static int init_all(void **state)
{
  (void)state;
  srv_core_init();
  srv_http1_init();
  srv_http2_init();
  return 0;
}

static int free_all(void **state)
{
  (void)state;
  srv_http2_shutdown();
  srv_http1_shutdown();
  srv_core_shutdown();
  return 0;
}

/* The timelines read the loop time the tests move to the streams' due
 * times (no test waits). */
static uint64_t loop_clock(void)
{
  return worker.now * 1000000u;
}

static int setup(void **state)
{
  (void)state;
  memset(&cfg, 0, sizeof cfg);
  cfg.max_sleep_ms = 30000;
  cfg.max_body = 1024;
  cfg.header_timeout_ms = 10000;
  cfg.idle_timeout_ms = 60000;
  memset(&worker, 0, sizeof worker);
  worker.cfg = &cfg;
  worker.core.cfg = &cfg;
  worker.core.clock_ns = loop_clock;
  worker.now = 1000;
  memset(&conn, 0, sizeof conn);
  conn.w = &worker;
  conn.tr.fd = -1;
  conn.proto = &srv_http1_proto; /* as a plain connection starts */
  conn.proto->start(&conn);
  memset(streams, 0, sizeof streams);
  for (size_t i = 0; i < 16; i++)
    streams[i].rst = -1;
  nghttp2_session_callbacks *cb;
  assert_int_equal(nghttp2_session_callbacks_new(&cb), 0);
  nghttp2_session_callbacks_set_on_header_callback(cb, on_header);
  nghttp2_session_callbacks_set_on_frame_recv_callback(cb, on_frame);
  nghttp2_session_callbacks_set_on_data_chunk_recv_callback(cb, on_data);
  nghttp2_session_callbacks_set_on_stream_close_callback(cb, on_close);
  assert_int_equal(nghttp2_session_client_new(&client, cb, NULL), 0);
  nghttp2_session_callbacks_del(cb);
  assert_int_equal(nghttp2_submit_settings(client, NGHTTP2_FLAG_NONE, NULL, 0), 0);
  return 0;
}

static int teardown(void **state)
{
  (void)state;
  nghttp2_session_del(client);
  conn.proto->release(&conn, false);
  srv_core_free(&worker.core);
  srv_buf_free(&worker.out);
  return 0;
}

/* nghttp2 copies the fields it is given (NGHTTP2_NV_FLAG_NONE). */
static nghttp2_nv field(const char *name, const char *value)
{
  nghttp2_nv nv = {(uint8_t *)(uintptr_t)name, (uint8_t *)(uintptr_t)value,
                   strlen(name), strlen(value), NGHTTP2_NV_FLAG_NONE};
  return nv;
}

static int32_t request(const char *method, const char *path)
{
  nghttp2_nv nv[] = {
      field(":method", method),
      field(":scheme", "http"),
      field(":path", path),
      field(":authority", "test"),
  };
  int32_t id = nghttp2_submit_request(client, NULL, nv, 4, NULL, NULL);
  assert_true(id > 0);
  return id;
}

/* Carries bytes both ways, running the server's timers (its clock jumps
 * to them), until nothing moves. */
static void pump(void)
{
  for (int rounds = 0; rounds < 10000; rounds++) {
    bool moved = false;
    const uint8_t *data;
    ssize_t n;
    while ((n = nghttp2_session_mem_send(client, &data)) > 0) {
      for (size_t off = 0; off < (size_t)n;) {
        size_t used = 0;
        conn.action = conn.proto->feed(&conn, (const char *)data + off,
                                       (size_t)n - off, &used);
        assert_int_not_equal(conn.action, SRV_ACT_CLOSE);
        off += used;
      }
      moved = true;
    }
    if (worker.out.len > 0) {
      assert_int_equal(nghttp2_session_mem_recv(client,
                                                (const uint8_t *)worker.out.data,
                                                worker.out.len),
                       (ssize_t)worker.out.len);
      worker.out.len = 0;
      moved = true;
    }
    if (!moved && (conn.step_due || conn.wake_at != 0)) {
      if (conn.wake_at > worker.now)
        worker.now = conn.wake_at;
      conn.wake_at = 0;
      conn.step_due = false;
      conn.proto->step(&conn);
      moved = true;
    }
    if (!moved)
      return;
  }
  fail_msg("the conversation never settles");
}

static seen *get(const char *path)
{
  int32_t id = request("GET", path);
  pump();
  seen *z = seen_of(id);
  assert_true(z->closed);
  return z;
}

static void test_prior_knowledge_switches(void **state)
{
  (void)state;
  request("GET", "/404");
  pump();
  assert_ptr_equal(conn.proto, &srv_http2_proto);
  assert_non_null(conn.h2);
}

static void test_status_and_content(void **state)
{
  (void)state;
  seen *z = get("/404");
  assert_int_equal(z->status_count, 1);
  assert_int_equal(z->statuses[0], 404);
  assert_int_equal(z->data, strlen("404 Not Found\n"));
  assert_int_equal(z->rst, -1);
  z = get("/999");
  assert_int_equal(z->statuses[0], 999);
}

static void test_interim_then_final(void **state)
{
  (void)state;
  seen *z = get("/103");
  assert_int_equal(z->status_count, 2);
  assert_int_equal(z->statuses[0], 103);
  assert_int_equal(z->statuses[1], 200);
}

static void test_no_content_ends_on_headers(void **state)
{
  (void)state;
  seen *z = get("/204");
  assert_true(z->end_on_headers);
  assert_int_equal(z->data_frames, 0);
  int32_t id = request("HEAD", "/200");
  pump();
  assert_true(seen_of(id)->end_on_headers);
  assert_int_equal(seen_of(id)->data_frames, 0);
}

static void test_444_resets_the_stream(void **state)
{
  (void)state;
  seen *z = get("/444");
  assert_int_equal(z->status_count, 0);
  assert_int_equal(z->rst, NGHTTP2_INTERNAL_ERROR);
}

static void test_abort_code(void **state)
{
  (void)state;
  seen *z = get("/200?abort=reset:cancel");
  assert_int_equal(z->status_count, 0);
  assert_int_equal(z->rst, NGHTTP2_CANCEL);
  z = get("/200?abort=mid-body:refused_stream");
  assert_int_equal(z->statuses[0], 200);
  assert_true(z->data > 0);
  assert_int_equal(z->rst, NGHTTP2_REFUSED_STREAM);
}

static void test_101_is_refused(void **state)
{
  (void)state;
  seen *z = get("/101");
  assert_int_equal(z->statuses[0], 400);
}

static void test_a_sleep_holds_its_own_stream_only(void **state)
{
  (void)state;
  uint64_t start = worker.now;
  int32_t slow = request("GET", "/200?sleep=2000");
  int32_t fast = request("GET", "/404");
  pump();
  assert_true(seen_of(slow)->closed && seen_of(fast)->closed);
  assert_true(seen_of(fast)->closed_at < seen_of(slow)->closed_at);
  assert_true(seen_of(fast)->closed_at == start);
  assert_true(seen_of(slow)->closed_at >= start + 2000);
}

static void test_upgrade_offer(void **state)
{
  (void)state;
  srv_exchange x;
  srv_exchange_reset(&x, SRV_PROTO_HTTP11, false, -1);
  x.fields[SRV_F_UPGRADE] = srv_span_of("websocket, h2c");
  assert_false(srv_http2_upgrade_offered(&x)); /* no HTTP2-Settings */
  x.fields[SRV_F_HTTP2_SETTINGS] = srv_span_of("AAMAAABkAAQAAP__");
  assert_true(srv_http2_upgrade_offered(&x));
  x.tls = true; /* over TLS, ALPN decides (RFC 9113, Section 3.2) */
  assert_false(srv_http2_upgrade_offered(&x));
  x.tls = false;
  x.body_bytes = 1;
  assert_false(srv_http2_upgrade_offered(&x));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_prior_knowledge_switches, setup, teardown),
      cmocka_unit_test_setup_teardown(test_status_and_content, setup, teardown),
      cmocka_unit_test_setup_teardown(test_interim_then_final, setup, teardown),
      cmocka_unit_test_setup_teardown(test_no_content_ends_on_headers, setup, teardown),
      cmocka_unit_test_setup_teardown(test_444_resets_the_stream, setup, teardown),
      cmocka_unit_test_setup_teardown(test_abort_code, setup, teardown),
      cmocka_unit_test_setup_teardown(test_101_is_refused, setup, teardown),
      cmocka_unit_test_setup_teardown(test_a_sleep_holds_its_own_stream_only, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_upgrade_offer, setup, teardown),
  };
  return cmocka_run_group_tests(tests, init_all, free_all);
}
