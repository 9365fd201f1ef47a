/* SPDX-License-Identifier: MIT */
/*
 * http2/session.c - an HTTP/2 connection: one nghttp2 server session fed
 * the bytes the connection read (nghttp2_session_mem_recv) and drained
 * into the worker's output (nghttp2_session_mem_send), its callbacks
 * routed to the stream they concern (stream.c), the limits and flood
 * defences, and the connection operations net/ calls.
 *
 * Time: each stream's timeline waits on its own due time; after every
 * feed and step the session tells the connection when the earliest one
 * falls (c->wake_at), and the connection calls step then, reading all the
 * while: a sleeping stream never holds up another.
 *
 * Defences (each ends only the offending connection, with GOAWAY):
 *   rapid reset (CVE-2023-44487): nghttp2's RST_STREAM rate limit;
 *   CONTINUATION floods (CVE-2024-28182 in nghttp2, the family of
 *     CVE-2024-27316): nghttp2's cap on CONTINUATION frames per block;
 *   SETTINGS and PING floods a client does not read: nghttp2's cap on
 *     queued ACKs (NGHTTP2_ERR_FLOODED);
 *   SETTINGS, PING, PRIORITY and empty DATA frames a client sends faster
 *     than it could need them: a token bucket of our own (flood_charge).
 */
#include <stdlib.h>
#include <string.h>

#include "core/codes.h"
#include "http2/h2.h"
#include "net/net.h"

/* The SETTINGS we send (documented in httpstatus-serve(1)). */
#define MAX_CONCURRENT_STREAMS 100u
/* Streams reset by the client: a bucket of this many, refilled per second
 * (nghttp2's own defaults, named here because the man page states them). */
#define RESET_BURST 1000u
#define RESET_RATE 33u
/* CONTINUATION frames after one HEADERS (nghttp2's default). */
#define MAX_CONTINUATIONS 8u
/* Frames that carry no request: a bucket of this many, refilled per second. */
#define FLOOD_BURST 1000u
#define FLOOD_RATE 100u

static nghttp2_session_callbacks *callbacks;
static nghttp2_option *options;

uint64_t srv_h2_now(const srv_http2 *h)
{
  return h->c->w->now;
}

srv_core *srv_h2_core(const srv_http2 *h)
{
  return &h->c->w->core;
}

bool srv_h2_tls(const srv_http2 *h)
{
  return h->c->tr.ops != NULL && h->c->tr.ops->tls;
}

int srv_h2_fd(const srv_http2 *h)
{
  return h->c->tr.fd;
}

void srv_h2_goaway(srv_http2 *h, int32_t last_stream_id, uint32_t code)
{
  if (h->goaway)
    return;
  h->goaway = true;
  nghttp2_submit_goaway(h->session, NGHTTP2_FLAG_NONE, last_stream_id, code,
                        NULL, 0);
}

static srv_h2_stream *stream_of(nghttp2_session *session, int32_t id)
{
  return id > 0 ? nghttp2_session_get_stream_user_data(session, id) : NULL;
}

/* ------------------------------------------------------------------------ */
/* Floods */

/* Takes a token for a frame that carries no request; an empty bucket ends
 * the connection with GOAWAY (ENHANCE_YOUR_CALM). */
static void flood_charge(srv_http2 *h)
{
  uint64_t now = srv_h2_now(h);
  if (now > h->refilled_ms) {
    uint64_t add = (now - h->refilled_ms) * FLOOD_RATE / 1000;
    if (add > 0) {
      h->tokens = add >= FLOOD_BURST - h->tokens ? FLOOD_BURST
                                                 : h->tokens + (uint32_t)add;
      h->refilled_ms = now;
    }
  }
  if (h->tokens > 0) {
    h->tokens--;
    return;
  }
  if (!h->goaway) {
    h->goaway = true;
    nghttp2_session_terminate_session(h->session, NGHTTP2_ENHANCE_YOUR_CALM);
  }
}

/* ------------------------------------------------------------------------ */
/* nghttp2's callbacks (user_data is the srv_http2) */

static int on_begin_headers(nghttp2_session *session,
                            const nghttp2_frame *frame, void *user_data)
{
  srv_http2 *h = user_data;
  if (frame->hd.type != NGHTTP2_HEADERS ||
      frame->headers.cat != NGHTTP2_HCAT_REQUEST)
    return 0;
  srv_h2_stream *st = srv_h2_stream_new(h, frame->hd.stream_id);
  if (st == NULL)
    return NGHTTP2_ERR_CALLBACK_FAILURE;
  nghttp2_session_set_stream_user_data(session, frame->hd.stream_id, st);
  h->receiving = st;
  return 0;
}

static int on_header(nghttp2_session *session, const nghttp2_frame *frame,
                     const uint8_t *name, size_t namelen, const uint8_t *value,
                     size_t valuelen, uint8_t flags, void *user_data)
{
  srv_http2 *h = user_data;
  (void)flags;
  (void)session;
  /* Trailer fields are read and dropped: nothing acts on them. */
  if (frame->hd.type != NGHTTP2_HEADERS ||
      frame->headers.cat != NGHTTP2_HCAT_REQUEST)
    return 0;
  srv_h2_stream *st = h->receiving;
  if (st != NULL && st->id == frame->hd.stream_id)
    srv_h2_stream_field(st, (const char *)name, namelen, (const char *)value,
                        valuelen);
  return 0;
}

/* Every frame nghttp2 knows, as its header arrives (PRIORITY too, which
 * it then ignores: RFC 7540 priorities are off). Extension frames are
 * skipped unread, costing no more than the bytes they take. */
static int on_begin_frame(nghttp2_session *session, const nghttp2_frame_hd *hd,
                          void *user_data)
{
  (void)session;
  switch (hd->type) {
  case NGHTTP2_PING:
  case NGHTTP2_SETTINGS:
    if (!(hd->flags & NGHTTP2_FLAG_ACK))
      flood_charge(user_data);
    break;
  case NGHTTP2_DATA:          /* empty ones: on_frame_recv (padding) */
  case NGHTTP2_HEADERS:       /* the stream limits bound these */
  case NGHTTP2_CONTINUATION:
  case NGHTTP2_RST_STREAM:    /* nghttp2's reset rate limit */
  case NGHTTP2_WINDOW_UPDATE: /* as many as our DATA needs */
  case NGHTTP2_GOAWAY:
  case NGHTTP2_PUSH_PROMISE:  /* a protocol error from a client */
    break;
  default:                    /* PRIORITY: no use here */
    flood_charge(user_data);
    break;
  }
  return 0;
}

static int on_frame_recv(nghttp2_session *session, const nghttp2_frame *frame,
                         void *user_data)
{
  srv_http2 *h = user_data;
  srv_h2_stream *st = stream_of(session, frame->hd.stream_id);
  bool end = (frame->hd.flags & NGHTTP2_FLAG_END_STREAM) != 0;
  switch (frame->hd.type) {
  case NGHTTP2_HEADERS:
    h->receiving = NULL;
    if (st != NULL && frame->headers.cat == NGHTTP2_HCAT_REQUEST)
      srv_h2_stream_headers_done(st, end);
    break;
  case NGHTTP2_DATA:
    /* Padding alone is empty too. */
    if (!end && frame->hd.length <= frame->data.padlen)
      flood_charge(h);
    break;
  default:
    break;
  }
  if (end && st != NULL &&
      (frame->hd.type == NGHTTP2_HEADERS || frame->hd.type == NGHTTP2_DATA))
    srv_h2_stream_request_done(st);
  return 0;
}

static int on_data_chunk(nghttp2_session *session, uint8_t flags,
                         int32_t stream_id, const uint8_t *data, size_t len,
                         void *user_data)
{
  (void)flags;
  (void)data;
  (void)user_data;
  srv_h2_stream *st = stream_of(session, stream_id);
  if (st != NULL)
    srv_h2_stream_content(st, len);
  return 0;
}

static int on_frame_send(nghttp2_session *session, const nghttp2_frame *frame,
                         void *user_data)
{
  (void)user_data;
  if ((frame->hd.type == NGHTTP2_HEADERS || frame->hd.type == NGHTTP2_DATA) &&
      (frame->hd.flags & NGHTTP2_FLAG_END_STREAM)) {
    srv_h2_stream *st = stream_of(session, frame->hd.stream_id);
    if (st != NULL)
      srv_h2_stream_sent_end(st);
  }
  return 0;
}

static int on_stream_close(nghttp2_session *session, int32_t stream_id,
                           uint32_t error_code, void *user_data)
{
  (void)error_code;
  (void)user_data;
  srv_h2_stream *st = stream_of(session, stream_id);
  if (st != NULL) {
    nghttp2_session_set_stream_user_data(session, stream_id, NULL);
    srv_h2_stream_free(st);
  }
  return 0;
}

void srv_http2_init(void)
{
  if (callbacks != NULL)
    return;
  if (nghttp2_session_callbacks_new(&callbacks) != 0 ||
      nghttp2_option_new(&options) != 0)
    abort(); /* out of memory at start-up */
  nghttp2_session_callbacks_set_on_begin_headers_callback(callbacks,
                                                          on_begin_headers);
  nghttp2_session_callbacks_set_on_header_callback(callbacks, on_header);
  nghttp2_session_callbacks_set_on_begin_frame_callback(callbacks,
                                                        on_begin_frame);
  nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks,
                                                       on_frame_recv);
  nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks,
                                                            on_data_chunk);
  nghttp2_session_callbacks_set_on_frame_send_callback(callbacks,
                                                       on_frame_send);
  nghttp2_session_callbacks_set_on_stream_close_callback(callbacks,
                                                         on_stream_close);
  nghttp2_option_set_stream_reset_rate_limit(options, RESET_BURST, RESET_RATE);
  nghttp2_option_set_max_continuations(options, MAX_CONTINUATIONS);
  /* Closed streams are not kept for the RFC 7540 priority tree. */
  nghttp2_option_set_no_closed_streams(options, 1);
}

void srv_http2_shutdown(void)
{
  nghttp2_session_callbacks_del(callbacks);
  nghttp2_option_del(options);
  callbacks = NULL;
  options = NULL;
}

/* ------------------------------------------------------------------------ */
/* The session and the connection */

static srv_http2 *session_new(srv_conn *c)
{
  srv_http2 *h = calloc(1, sizeof *h);
  if (h == NULL)
    return NULL;
  h->c = c;
  h->tokens = FLOOD_BURST;
  h->refilled_ms = c->w->now;
  if (nghttp2_session_server_new2(&h->session, callbacks, h, options) != 0) {
    free(h);
    return NULL;
  }
  static const nghttp2_settings_entry settings[] = {
      {NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, MAX_CONCURRENT_STREAMS},
      {NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE, SRV_MAX_HEADER_SECTION},
      /* RFC 9218: no RFC 7540 priority tree to keep (the streams of a test
       * server need no scheduling beyond flow control). */
      {NGHTTP2_SETTINGS_NO_RFC7540_PRIORITIES, 1},
  };
  nghttp2_submit_settings(h->session, NGHTTP2_FLAG_NONE, settings,
                          sizeof settings / sizeof *settings);
  return h;
}

static void session_free(srv_http2 *h)
{
  /* nghttp2_session_del calls no callback: the streams left go here. */
  nghttp2_session_del(h->session);
  while (h->streams != NULL)
    srv_h2_stream_free(h->streams);
  while (h->spare != NULL) {
    srv_h2_stream *st = h->spare;
    h->spare = st->next;
    srv_h2_stream_drop(st);
  }
  srv_buf_free(&h->nv);
  free(h);
}

/* A fatal error of nghttp2_session_mem_recv: GOAWAY saying why, then the
 * connection ends once it is sent. */
static void session_fail(srv_http2 *h, int err)
{
  uint32_t code = NGHTTP2_PROTOCOL_ERROR;
  if (err == NGHTTP2_ERR_FLOODED || err == NGHTTP2_ERR_TOO_MANY_CONTINUATIONS)
    code = NGHTTP2_ENHANCE_YOUR_CALM;
  else if (err == NGHTTP2_ERR_NOMEM || err == NGHTTP2_ERR_CALLBACK_FAILURE)
    code = NGHTTP2_INTERNAL_ERROR;
  h->goaway = true;
  nghttp2_session_terminate_session(h->session, code);
}

/* Runs the stream steps that are due. A step never frees a stream (only
 * nghttp2 closing one does, while it sends), so the list holds still. */
static void run_due(srv_http2 *h)
{
  for (srv_h2_stream *st = h->streams; st != NULL; st = st->next)
    srv_h2_stream_step(st);
}

/* Frames to the worker's output, up to SRV_OUT_HIGH at a time (then
 * c->step_due asks for the rest once it is sent). Returns false when the
 * session failed. */
static bool produce(srv_http2 *h)
{
  srv_buf *out = &h->c->w->out;
  h->c->step_due = false;
  for (;;) {
    if (out->len >= SRV_OUT_HIGH) {
      h->c->step_due = true;
      return true;
    }
    const uint8_t *data;
    ssize_t n = nghttp2_session_mem_send(h->session, &data);
    if (n < 0)
      return false;
    if (n == 0)
      return true;
    srv_buf_append(out, data, (size_t)n);
  }
}

/* After a feed or a step: what the connection does next, when it must call
 * step again, and which deadline it keeps. */
static srv_action settle(srv_http2 *h)
{
  srv_conn *c = h->c;
  srv_worker *w = c->w;
  /* Draining: no new streams; those in flight finish (RFC 9113, 6.8). */
  if (w->stopping)
    srv_h2_goaway(h, nghttp2_session_get_last_proc_stream_id(h->session),
                  NGHTTP2_NO_ERROR);
  /* The session is over (GOAWAY sent, or it failed): close slowly, so that
   * what the client still sends does not reset the connection before it
   * read our last frames. */
  if (!produce(h) ||
      (!c->step_due && nghttp2_session_want_write(h->session) == 0 &&
       nghttp2_session_want_read(h->session) == 0)) {
    c->linger = true;
    return SRV_ACT_CLOSE;
  }
  uint64_t wake = 0, deadline = 0;
  for (srv_h2_stream *st = h->streams; st != NULL; st = st->next) {
    if (st->waiting && (wake == 0 || st->due < wake))
      wake = st->due; /* loop time: never 0 */
    bool reading = !st->remote_done && !st->stop_sent;
    if (reading && (deadline == 0 || st->deadline < deadline))
      deadline = st->deadline;
  }
  c->wake_at = wake;
  c->in_request = h->stream_count > 0;
  if (h->stream_count == 0)
    srv_conn_arm(c, SRV_T_IDLE, w->cfg->idle_timeout_ms);
  else if (deadline != 0)
    srv_conn_arm(c, SRV_T_REQUEST, deadline > w->now ? deadline - w->now : 0);
  else
    srv_conn_arm(c, SRV_T_NONE, 0);
  return SRV_ACT_CONTINUE;
}

static void h2_start(srv_conn *c)
{
  c->h2 = session_new(c);
}

static srv_action h2_feed(srv_conn *c, const char *data, size_t len,
                          size_t *used)
{
  srv_http2 *h = c->h2;
  *used = len;
  if (h == NULL)
    return SRV_ACT_CLOSE;
  /* A session that ended reads nothing more. */
  if (!h->goaway || nghttp2_session_want_read(h->session) != 0) {
    const uint8_t *in = (const uint8_t *)data;
    ssize_t n = nghttp2_session_mem_recv(h->session, in, len);
    if (n < 0)
      session_fail(h, (int)n);
  }
  return c->action = settle(h);
}

static int64_t h2_step(srv_conn *c)
{
  srv_http2 *h = c->h2;
  if (h == NULL) {
    c->action = SRV_ACT_CLOSE;
    return -1;
  }
  run_due(h);
  c->action = settle(h);
  return -1;
}

/* The request deadline passed: the streams still being read get 408. */
static void h2_timeout(srv_conn *c)
{
  srv_http2 *h = c->h2;
  if (h == NULL)
    return;
  for (srv_h2_stream *st = h->streams; st != NULL; st = st->next)
    if (!st->remote_done && st->deadline <= c->w->now)
      srv_h2_stream_expire(st);
  c->action = settle(h);
}

/* Refuses the connection before any request: GOAWAY saying why. */
static void h2_refuse(srv_conn *c, int code, const char *why)
{
  (void)code;
  srv_http2 *h = c->h2;
  if (h == NULL)
    return;
  if (!h->goaway)
    nghttp2_submit_goaway(h->session, NGHTTP2_FLAG_NONE, 0, NGHTTP2_NO_ERROR,
                          (const uint8_t *)why, strlen(why));
  h->goaway = true;
  c->action = settle(h);
}

static void h2_release(srv_conn *c, bool idle_only)
{
  if (idle_only || c->h2 == NULL)
    return;
  session_free(c->h2);
  c->h2 = NULL;
}

const srv_conn_proto srv_http2_proto = {
    .name = "h2",
    .start = h2_start,
    .feed = h2_feed,
    .step = h2_step,
    .timeout = h2_timeout,
    .refuse = h2_refuse,
    .release = h2_release,
};

/* ------------------------------------------------------------------------ */
/* Becoming HTTP/2 on a plain connection */

/* The connection leaves its HTTP/1 state for `h`. */
static void take_over(srv_conn *c, srv_http2 *h)
{
  c->proto->release(c, false);
  c->proto = &srv_http2_proto;
  c->h2 = h;
}

void srv_http2_start_preface(srv_conn *c)
{
  take_over(c, session_new(c));
  if (c->h2 == NULL) {
    c->action = SRV_ACT_CLOSE;
    return;
  }
  nghttp2_session_mem_recv(c->h2->session,
                           (const uint8_t *)NGHTTP2_CLIENT_MAGIC,
                           NGHTTP2_CLIENT_MAGIC_LEN);
  c->action = settle(c->h2);
}

/* True when the comma-separated list `v` holds `token` (any case). */
static bool has_token(srv_span v, const char *token)
{
  srv_span item;
  for (size_t pos = 0; srv_list_next(v, &pos, &item);)
    if (srv_ieq(item.s, item.len, token))
      return true;
  return false;
}

bool srv_http2_upgrade_offered(const srv_exchange *x)
{
  return x->proto == SRV_PROTO_HTTP11 && !x->tls && x->body_bytes == 0 &&
         x->fields[SRV_F_HTTP2_SETTINGS].s != NULL &&
         has_token(x->fields[SRV_F_UPGRADE], "h2c");
}

bool srv_http2_upgrade(srv_conn *c, const srv_exchange *x)
{
  /* SETTINGS holds 6 bytes per setting; more than a few dozen is abuse. */
  uint8_t settings[256];
  /* HTTP2-Settings is base64url without padding (RFC 7540, Section 3.2.1). */
  long n = srv_base64_decode(x->fields[SRV_F_HTTP2_SETTINGS], SRV_BASE64_URL,
                             settings, sizeof settings);
  if (n < 0 || n % 6 != 0)
    return false;
  srv_http2 *h = session_new(c);
  if (h == NULL)
    return false;
  srv_h2_stream *st = srv_h2_stream_new(h, 1);
  if (st == NULL ||
      nghttp2_session_upgrade2(h->session, settings, (size_t)n,
                               x->method == SRV_METHOD_HEAD, st) != 0) {
    session_free(h);
    return false;
  }
  /* RFC 7540, Section 3.2: 101 naming h2c, then HTTP/2 from its end on. */
  srv_buf *out = &c->w->out;
  int code = HTTPSTATUS_CODE_SWITCHING_PROTOCOLS;
  srv_buf_printf(out, "HTTP/1.1 %d %s\r\n", code, httpstatus_reason(code));
  srv_buf_puts(out, "Connection: Upgrade\r\nUpgrade: h2c\r\n\r\n");
  srv_h2_stream_adopt(st, x);
  take_over(c, h);
  c->action = settle(h);
  return true;
}
