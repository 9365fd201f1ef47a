/* SPDX-License-Identifier: MIT */
/*
 * http2/stream.c - one HTTP/2 stream: the request fields nghttp2 decoded
 * become a srv_exchange, the core builds its plan, and the timeline walks
 * the plan through this file's srv_plan_ops: an interim HEADERS per 1xx, the
 * final HEADERS (END_STREAM on it when no content follows), the content as
 * DATA frames nghttp2 pulls when flow control lets it (the DATA source
 * says DEFERRED until a piece is queued), an abort as RST_STREAM once what
 * was queued before it is sent.
 *
 * Memory: the request's bytes are in the stream's `req` buffer and the
 * queued content in `body`; a plan that waits owns its bytes (plan_store).
 * Header blocks are copied by nghttp2 when submitted.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/codes.h"
#include "http2/h2.h"
#include "net/net.h"

/* RFC 9113, Section 6.5.2: each field counts its name, value and 32. */
#define FIELD_OVERHEAD 32u

/* Response fields HTTP/2 forbids (RFC 9113, Section 8.2.2): they are about
 * an HTTP/1 connection, and a client treats a response carrying them as
 * malformed. Overrides naming them are dropped. */
#define CONNECTION_SPECIFIC(XX)                                         \
  XX("connection") XX("keep-alive") XX("proxy-connection")              \
  XX("transfer-encoding") XX("upgrade")

static const char *const connection_specific[] = {
#define CONNECTION_SPECIFIC_NAME(name) name,
    CONNECTION_SPECIFIC(CONNECTION_SPECIFIC_NAME)
#undef CONNECTION_SPECIFIC_NAME
};

/* Bit n set when one of them is n bytes long: most names are let through
 * on their length alone. */
static const uint32_t connection_specific_lengths = 0
#define CONNECTION_SPECIFIC_BIT(name) | (UINT32_C(1) << (sizeof name - 1))
    CONNECTION_SPECIFIC(CONNECTION_SPECIFIC_BIT)
#undef CONNECTION_SPECIFIC_BIT
    ;

static const srv_plan_ops stream_ops;
static size_t op_interim(void *stream, const srv_plan *p, int code);

/* Streams come and go with every request: a session keeps a few that
 * ended, with their buffers, for the next ones. */
#define SPARE_STREAMS 16
#define SPARE_BUFFER (4u * 1024u) /* larger buffers are not kept */

static void keep_buffer(srv_buf *b)
{
  if (b->cap > SPARE_BUFFER)
    srv_buf_free(b);
  b->len = 0;
}

srv_h2_stream *srv_h2_stream_new(srv_http2 *h, int32_t id)
{
  srv_h2_stream *st = h->spare;
  if (st != NULL) {
    srv_buf req = st->req, body = st->body, plan_store = st->plan_store;
    h->spare = st->next;
    h->spare_count--;
    memset(st, 0, sizeof *st);
    st->req = req;
    st->body = body;
    st->plan_store = plan_store;
  } else if ((st = calloc(1, sizeof *st)) == NULL) {
    return NULL;
  }
  st->h2 = h;
  st->id = id;
  st->state = SRV_H2_RECEIVING;
  st->next = h->streams;
  if (h->streams)
    h->streams->prev = st;
  h->streams = st;
  h->stream_count++;
  st->deadline = srv_h2_now(h) + srv_h2_core(h)->cfg->header_timeout_ms;
  if (srv_h2_core(h)->cfg->access_log)
    st->started_ns = srv_now_ns();
  return st;
}

static void refuse(srv_h2_stream *st, int code, const char *why)
{
  if (st->refuse_code == 0) {
    st->refuse_code = code;
    st->refuse_why = why;
  }
}

static srv_h2_piece keep(srv_h2_stream *st, const char *s, size_t len)
{
  srv_h2_piece p = {(uint32_t)st->req.len, (uint32_t)len};
  srv_buf_append(&st->req, s, len);
  return p;
}

static srv_h2_piece keep_span(srv_h2_stream *st, srv_span s)
{
  return keep(st, s.s, s.len);
}

static srv_span span_of(const srv_h2_stream *st, srv_h2_piece p)
{
  srv_span s = {p.len ? st->req.data + p.off : NULL, p.len};
  return s;
}

void srv_h2_stream_field(srv_h2_stream *st, const char *name, size_t nlen,
                         const char *value, size_t vlen)
{
  if (st->state != SRV_H2_RECEIVING || st->refuse_code != 0)
    return;
  st->header_bytes += (uint32_t)(nlen + vlen + FIELD_OVERHEAD);
  if (st->header_bytes > SRV_MAX_HEADER_SECTION) {
    refuse(st, HTTPSTATUS_CODE_REQUEST_HEADER_FIELDS_TOO_LARGE,
           SRV_WHY_HEADERS);
    return;
  }
  if (nlen > 0 && name[0] == ':') {
    /* nghttp2 checked the pseudo-fields (RFC 9113, Section 8.3.1). */
    if (srv_ieq(name, nlen, ":method")) {
      st->method = keep(st, value, vlen);
    } else if (srv_ieq(name, nlen, ":path")) {
      if (vlen > SRV_MAX_REQUEST_LINE)
        refuse(st, HTTPSTATUS_CODE_URI_TOO_LONG, SRV_WHY_TARGET);
      else
        st->target = keep(st, value, vlen);
    } else if (srv_ieq(name, nlen, ":authority")) {
      /* HTTP/2's Host (RFC 9113, Section 8.3.1), kept when the core keeps
       * Host; checked as HTTP/1's Host is (util/host.c). */
      srv_span authority = {value, vlen};
      if (!srv_host_valid(authority)) {
        refuse(st, HTTPSTATUS_CODE_BAD_REQUEST,
               "the :authority is not a host and optional port (RFC 3986)");
        return;
      }
      srv_field f = srv_field_find("host", 4);
      if (f < SRV_F_COUNT)
        st->fields[f] = keep(st, value, vlen);
    }
    return;
  }
  if (srv_ieq(name, nlen, "content-length")) {
    /* nghttp2 checked it is a number and will check the content matches. */
    st->has_length =
        srv_parse_u64(value, vlen, UINT64_MAX, &st->content_length);
    return;
  }
  srv_field f = srv_field_find(name, nlen);
  if (f < SRV_F_COUNT) {
    st->fields[f] = keep(st, value, vlen);
  } else if (f == SRV_F_OVERRIDE) {
    size_t plen = sizeof SRV_X_RESPONSE_PREFIX - 1;
    if (st->override_count == SRV_MAX_OVERRIDES) {
      refuse(st, HTTPSTATUS_CODE_BAD_REQUEST, SRV_WHY_OVERRIDES);
      return;
    }
    st->override_name[st->override_count] = keep(st, name + plen, nlen - plen);
    st->override_value[st->override_count] = keep(st, value, vlen);
    st->override_count++;
  }
}

/* Points the exchange at the request's bytes (complete: `req` no longer
 * moves). */
static void describe(srv_h2_stream *st)
{
  srv_exchange *x = &st->x;
  st->described = true;
  srv_exchange_reset(x, SRV_PROTO_HTTP2, srv_h2_tls(st->h2), srv_h2_fd(st->h2));
  x->keep_alive = true;
  x->method_name = span_of(st, st->method);
  x->method = srv_method_of(x->method_name.s, x->method_name.len);
  x->target = span_of(st, st->target);
  if (x->target.s == NULL)
    x->target.s = ""; /* CONNECT has no :path */
  for (int f = 0; f < SRV_F_COUNT; f++)
    x->fields[f] = span_of(st, st->fields[f]);
  for (uint8_t i = 0; i < st->override_count; i++) {
    x->overrides[i].name = span_of(st, st->override_name[i]);
    x->overrides[i].value = span_of(st, st->override_value[i]);
    if (x->overrides[i].value.s == NULL)
      x->overrides[i].value.s = ""; /* an empty value is still a field */
  }
  x->override_count = st->override_count;
  x->started_ns = st->started_ns;
  x->peer = st->h2->c->peer;
  x->peer_key = st->h2->c->peer_key;
  x->peer_trusted = st->h2->c->peer_trusted;
}

static void step(srv_h2_stream *st)
{
  int64_t delay;
  while ((delay = srv_staged_step(&st->run)) == 0)
    ;
  if (delay > 0) {
    st->waiting = true;
    st->due = srv_h2_now(st->h2) + (uint64_t)delay;
  } else {
    st->waiting = false;
    srv_limit_release(srv_h2_core(st->h2), &st->hold);
  }
}

/* Builds the stream's plan (or its refusal) and runs what is due of it. */
static void answer(srv_h2_stream *st)
{
  srv_core *core = srv_h2_core(st->h2);
  if (st->refuse_code != 0)
    srv_plan_error(core, &st->x, &st->plan, st->refuse_code, st->refuse_why);
  else
    srv_limit_plan(core, &st->x, &st->plan, &st->hold);
  /* A plan that waits outlives the core's buffers it points into; one that
   * does not is sent at once (nghttp2 copies the fields, `body` the
   * content). */
  if (srv_plan_timed(&st->plan))
    srv_plan_own(&st->plan, &st->plan_store);
  st->state = SRV_H2_RUNNING;
  srv_staged_start(&st->run, core, &st->x, &st->plan, &stream_ops, st);
  step(st);
}

void srv_h2_stream_headers_done(srv_h2_stream *st, bool end_stream)
{
  if (st->state != SRV_H2_RECEIVING)
    return;
  describe(st);
  const srv_config *cfg = srv_h2_core(st->h2)->cfg;
  if (st->refuse_code == 0) {
    srv_expect e = srv_exchange_expect(&st->x);
    if (e == SRV_EXPECT_FAIL)
      refuse(st, HTTPSTATUS_CODE_EXPECTATION_FAILED, SRV_WHY_EXPECT);
    else if (st->has_length && st->content_length > cfg->max_body)
      refuse(st, HTTPSTATUS_CODE_CONTENT_TOO_LARGE, SRV_WHY_BODY);
    else if (e == SRV_EXPECT_CONTINUE && !end_stream)
      /* The client waits for this before it sends its content. */
      op_interim(st, NULL, HTTPSTATUS_CODE_CONTINUE);
  }
  if (st->refuse_code != 0)
    answer(st);
}

/* Asks the client to stop sending the request, without error (RFC 9113,
 * Section 8.1): we answered it already. */
static void stop_request(srv_h2_stream *st)
{
  if (!st->stop_sent)
    nghttp2_submit_rst_stream(st->h2->session, NGHTTP2_FLAG_NONE, st->id,
                              NGHTTP2_NO_ERROR);
  st->stop_sent = true;
}

void srv_h2_stream_content(srv_h2_stream *st, size_t len)
{
  if (st->state != SRV_H2_RECEIVING)
    return; /* answered early (a refusal): the rest is discarded */
  const srv_config *cfg = srv_h2_core(st->h2)->cfg;
  /* A client sending content slowly but steadily is not timed out. */
  st->deadline = srv_h2_now(st->h2) + cfg->header_timeout_ms;
  if (!srv_exchange_body(&st->x, cfg, len)) {
    refuse(st, HTTPSTATUS_CODE_CONTENT_TOO_LARGE, SRV_WHY_BODY);
    answer(st);
  }
}

void srv_h2_stream_request_done(srv_h2_stream *st)
{
  st->remote_done = true;
  if (st->state == SRV_H2_RECEIVING)
    answer(st);
}

void srv_h2_stream_adopt(srv_h2_stream *st, const srv_exchange *x)
{
  st->method = keep_span(st, x->method_name);
  st->target = keep_span(st, x->target);
  /* The offer itself is HTTP/1's business: over HTTP/2 nothing upgrades. */
  for (int f = 0; f < SRV_F_COUNT; f++)
    if (x->fields[f].s != NULL && f != SRV_F_UPGRADE &&
        f != SRV_F_HTTP2_SETTINGS)
      st->fields[f] = keep_span(st, x->fields[f]);
  for (uint8_t i = 0; i < x->override_count; i++) {
    st->override_name[i] = keep_span(st, x->overrides[i].name);
    st->override_value[i] = keep_span(st, x->overrides[i].value);
  }
  st->override_count = x->override_count;
  st->started_ns = x->started_ns;
  describe(st);
  srv_h2_stream_request_done(st);
}

void srv_h2_stream_expire(srv_h2_stream *st)
{
  if (st->state != SRV_H2_RECEIVING) {
    stop_request(st); /* answered; its content stopped coming */
    return;
  }
  refuse(st, HTTPSTATUS_CODE_REQUEST_TIMEOUT, SRV_WHY_TIMEOUT);
  if (!st->described) /* the header block never ended */
    describe(st);
  answer(st);
}

void srv_h2_stream_step(srv_h2_stream *st)
{
  if (st->state == SRV_H2_RUNNING && st->waiting &&
      st->due <= srv_h2_now(st->h2))
    step(st);
}

void srv_h2_stream_sent_end(srv_h2_stream *st)
{
  /* Answered before the request ended (a refusal): the rest is not wanted.
   * (curl 7.88 may report its upload cut short as an error 92, as it does
   * against nginx.) */
  if (!st->remote_done)
    stop_request(st);
}

void srv_h2_stream_free(srv_h2_stream *st)
{
  srv_http2 *h = st->h2;
  /* Freed while its timeline runs: the client reset it, or the session
   * ended. */
  if (st->state == SRV_H2_RUNNING) {
    srv_log_exchange(srv_h2_core(h), &st->x, 0, st->run.bytes);
    srv_metrics_request(&srv_h2_core(h)->metrics, st->plan.route, 0);
    srv_staged_drop(&st->run);
  }
  srv_limit_release(srv_h2_core(h), &st->hold);
  if (h->receiving == st)
    h->receiving = NULL;
  if (st->prev)
    st->prev->next = st->next;
  else
    h->streams = st->next;
  if (st->next)
    st->next->prev = st->prev;
  h->stream_count--;
  if (h->spare_count == SPARE_STREAMS) {
    srv_h2_stream_drop(st);
    return;
  }
  keep_buffer(&st->req);
  keep_buffer(&st->plan_store);
  keep_buffer(&st->body);
  st->next = h->spare;
  h->spare = st;
  h->spare_count++;
}

void srv_h2_stream_drop(srv_h2_stream *st)
{
  srv_buf_free(&st->req);
  srv_buf_free(&st->plan_store);
  srv_buf_free(&st->body);
  free(st);
}

/* ------------------------------------------------------------------------ */
/* Header blocks */

#define BLOCK_MAX (SRV_PLAN_MAX_FIELDS + 4) /* :status, date, content-length */

/* A header block being built: the names lower-cased into h->nv, which may
 * move while it grows, so they are offsets until finish_block. */
typedef struct block {
  srv_http2 *h;
  nghttp2_nv nv[BLOCK_MAX];
  size_t name_off[BLOCK_MAX];
  size_t count;
  size_t bytes;
} block;

static bool is_connection_specific(srv_span name)
{
  size_t n = sizeof connection_specific / sizeof *connection_specific;
  if (name.len >= 32 || !(connection_specific_lengths >> name.len & 1))
    return false;
  for (size_t i = 0; i < n; i++)
    if (srv_ieq(name.s, name.len, connection_specific[i]))
      return true;
  return false;
}

/* Adds a field, its name lower-cased (HTTP/2 field names are lower case:
 * RFC 9113, Section 8.2.1). */
static void add(block *b, srv_span name, srv_span value)
{
  if (b->count == BLOCK_MAX || is_connection_specific(name))
    return;
  srv_buf *nv = &b->h->nv;
  size_t off = nv->len;
  srv_buf_reserve(nv, name.len);
  for (size_t i = 0; i < name.len; i++)
    nv->data[off + i] = srv_lower(name.s[i]);
  nv->len += name.len;
  b->name_off[b->count] = off;
  nghttp2_nv *f = &b->nv[b->count++];
  f->namelen = name.len;
  f->value = (uint8_t *)(uintptr_t)value.s;
  f->valuelen = value.len;
  f->flags = NGHTTP2_NV_FLAG_NONE;
  b->bytes += name.len + value.len;
}

static void add_z(block *b, const char *name, const char *value, size_t len)
{
  srv_span n = srv_span_of(name), v = {value, len};
  add(b, n, v);
}

static void start_block(block *b, srv_http2 *h, int code, char status[4])
{
  b->h = h;
  b->count = 0;
  b->bytes = 0;
  h->nv.len = 0;
  status[0] = (char)('0' + code / 100 % 10);
  status[1] = (char)('0' + code / 10 % 10);
  status[2] = (char)('0' + code % 10);
  status[3] = '\0';
  add_z(b, ":status", status, 3);
}

static void finish_block(block *b)
{
  for (size_t i = 0; i < b->count; i++)
    b->nv[i].name = (uint8_t *)b->h->nv.data + b->name_off[i];
}

static void add_fields(block *b, const srv_hfield *fields, size_t count,
                       bool content)
{
  for (size_t i = 0; i < count; i++) {
    srv_span name = fields[i].name;
    if (!content && srv_iprefix(name.s, name.len, "content-"))
      continue;
    add(b, fields[i].name, fields[i].value);
  }
}

/* ------------------------------------------------------------------------ */
/* The plan's operations */

static size_t op_interim(void *stream, const srv_plan *p, int code)
{
  srv_h2_stream *st = stream;
  block b;
  char status[4];
  srv_plan fixed;
  (void)p;
  start_block(&b, st->h2, code, status);
  /* The code's own fields (103: Link), as its HTTP/1 interim carries. */
  if (srv_plan_standard(code, SRV_PLAIN, &fixed))
    add_fields(&b, fixed.fields, fixed.field_count, false);
  finish_block(&b);
  nghttp2_submit_headers(st->h2->session, NGHTTP2_FLAG_NONE, st->id, NULL,
                         b.nv, b.count, NULL);
  return b.bytes;
}

static size_t op_head(void *stream, const srv_plan *p, bool last)
{
  srv_h2_stream *st = stream;
  srv_core *core = srv_h2_core(st->h2);
  block b;
  char status[4], length[24];
  start_block(&b, st->h2, p->code, status);
  if (p->date) {
    /* The worker's clock holds the HTTP/1 line "Date: <value>\r\n". */
    size_t skip = sizeof "Date: " - 1, crlf = 2;
    if (core->clock.date_len == 0)
      srv_clock_update(&core->clock);
    add_z(&b, "date", core->clock.date + skip,
          core->clock.date_len - skip - crlf);
  }
  add_fields(&b, p->fields, p->field_count, true);
  if (p->length_field) {
    int n = snprintf(length, sizeof length, "%" PRIu64, p->content_length);
    add_z(&b, "content-length", length, (size_t)n);
  }
  finish_block(&b);
  nghttp2_data_provider source = {.source.ptr = st,
                                  .read_callback = srv_h2_stream_read};
  st->head_sent = true;
  st->streaming = !last;
  nghttp2_submit_response(st->h2->session, st->id, b.nv, b.count,
                          last ? NULL : &source);
  return b.bytes;
}

static void resume(srv_h2_stream *st)
{
  if (st->deferred) {
    st->deferred = false;
    nghttp2_session_resume_data(st->h2->session, st->id);
  }
}

static size_t op_body(void *stream, const srv_plan *p, const char *data,
                      size_t len, bool last)
{
  srv_h2_stream *st = stream;
  (void)p;
  srv_buf_append(&st->body, data, len);
  st->body_last = last;
  resume(st);
  return len;
}

/* Over HTTP/2 every abort is a frame: RST_STREAM (after what was queued
 * before it), or GOAWAY for abort=goaway. */
static void op_abort(void *stream, const srv_plan *p, srv_abort when)
{
  srv_h2_stream *st = stream;
  nghttp2_session *session = st->h2->session;
  /* 444 asks for no answer, not for a fault: INTERNAL_ERROR as nginx. */
  uint32_t code = p->abort == SRV_ABORT_NONE ? NGHTTP2_INTERNAL_ERROR
                                             : p->abort_code;
  if (when == SRV_ABORT_GOAWAY) {
    /* The streams before this one are answered; this one and any later
     * were not processed (RFC 9113, Section 6.8): a client may retry. */
    srv_h2_goaway(st->h2, st->id - 2 > 0 ? st->id - 2 : 0, code);
    nghttp2_submit_rst_stream(session, NGHTTP2_FLAG_NONE, st->id,
                              NGHTTP2_REFUSED_STREAM);
    return;
  }
  if (when == SRV_ABORT_MID_BODY && p->body.len == 0) {
    /* No content to cut in half: the answer ends as it would. */
    st->body_last = true;
    resume(st);
    return;
  }
  if (!st->head_sent) {
    nghttp2_submit_rst_stream(session, NGHTTP2_FLAG_NONE, st->id, code);
  } else if (st->streaming) {
    /* After what is queued: the DATA source sends the reset. */
    st->reset_due = true;
    st->reset_code = code;
    resume(st);
  }
  /* A response that already ended (no content) has nothing to abort. */
}

static void op_finish(void *stream, const srv_plan *p, bool close)
{
  srv_h2_stream *st = stream;
  (void)p;
  (void)close; /* a refusal ends its stream, not the connection */
  st->state = SRV_H2_ANSWERED;
  st->waiting = false;
}

static const srv_plan_ops stream_ops = {
    .interim = op_interim,
    .head = op_head,
    .body = op_body,
    .abort = op_abort,
    .finish = op_finish,
};

ssize_t srv_h2_stream_read(nghttp2_session *session, int32_t id,
                           uint8_t *buf, size_t length, uint32_t *flags,
                           nghttp2_data_source *source, void *user_data)
{
  srv_h2_stream *st = source->ptr;
  size_t left = st->body.len - st->body_off;
  (void)user_data;
  if (left == 0) {
    if (st->reset_due) {
      nghttp2_submit_rst_stream(session, NGHTTP2_FLAG_NONE, id, st->reset_code);
      return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
    }
    if (!st->body_last) {
      st->deferred = true;
      return NGHTTP2_ERR_DEFERRED;
    }
    *flags |= NGHTTP2_DATA_FLAG_EOF;
    return 0;
  }
  size_t n = left < length ? left : length;
  memcpy(buf, st->body.data + st->body_off, n);
  st->body_off += n;
  if (st->body_off == st->body.len) {
    st->body.len = st->body_off = 0;
    if (st->body_last && !st->reset_due)
      *flags |= NGHTTP2_DATA_FLAG_EOF;
  }
  return (ssize_t)n;
}
