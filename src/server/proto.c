/* SPDX-License-Identifier: MIT */
/*
 * proto.c - HTTP/1.x on one connection, without I/O: llhttp (strict, no
 * lenient flags) frames the requests, this file enforces the limits, keeps
 * the URL and the few header fields the server acts on, and turns each
 * complete request into its answer (appended to the worker's output) or
 * into a staged response that conn.c runs step by step.
 */
#include <stdio.h>
#include <string.h>

#include "srv.h"

#define NO_NAME UINT32_MAX /* cur_off when no field name is being read */

enum { FIELD_NONE = -1, FIELD_OVERRIDE = -2, FIELD_SKIP = -3 };

static const struct {
  const char *name;
  size_t len;
} kept[SRV_F_COUNT] = {
#define SRV_FIELD_NAME(id, name) {name, sizeof name - 1},
    SRV_FIELDS(SRV_FIELD_NAME)
#undef SRV_FIELD_NAME
};

/* Bit n set when a kept field's name is n bytes long: most fields a client
 * sends are skipped on their length alone. */
static const uint64_t kept_lengths = 0
#define SRV_FIELD_LEN_BIT(id, name) | (UINT64_C(1) << (sizeof name - 1))
    SRV_FIELDS(SRV_FIELD_LEN_BIT)
#undef SRV_FIELD_LEN_BIT
    ;

static srv_conn *conn_of(llhttp_t *p)
{
  return p->data;
}

/* Remembers why the request is refused; llhttp then stops with an error. */
static int refuse(srv_conn *c, int code, const char *why)
{
  if (c->error_code == 0) {
    c->error_code = code;
    c->error = why;
  }
  return HPE_USER;
}

static void arm(srv_conn *c, srv_timeout t, uint64_t ms)
{
  c->timeout = t;
  c->deadline = c->w->now + ms;
}

static int on_message_begin(llhttp_t *p)
{
  srv_conn *c = conn_of(p);
  c->in_request = true;
  c->scratch.len = 0;
  c->url_len = 0;
  c->header_bytes = 0;
  c->cur_field = FIELD_NONE;
  c->cur_off = NO_NAME;
  memset(c->fields, 0, sizeof c->fields);
  c->override_count = 0;
  c->host_count = 0;
  c->body_bytes = 0;
  c->error_code = 0;
  c->error = NULL;
  if (c->w->cfg->access_log)
    c->started_ns = uv_hrtime();
  arm(c, SRV_T_REQUEST, c->w->cfg->header_timeout_ms);
  return 0;
}

static int on_url(llhttp_t *p, const char *at, size_t len)
{
  srv_conn *c = conn_of(p);
  if (c->scratch.len + len > SRV_MAX_REQUEST_LINE)
    return refuse(c, 414, "the request target is longer than 8 KiB");
  srv_buf_append(&c->scratch, at, len);
  return 0;
}

static int on_url_complete(llhttp_t *p)
{
  srv_conn *c = conn_of(p);
  c->url_len = (uint32_t)c->scratch.len;
  return 0;
}

static int count_header_bytes(srv_conn *c, size_t len)
{
  c->header_bytes += (uint32_t)len;
  if (c->header_bytes > SRV_MAX_HEADER_SECTION)
    return refuse(c, 431, "the header section is larger than 16 KiB");
  return 0;
}

static int on_header_field(llhttp_t *p, const char *at, size_t len)
{
  srv_conn *c = conn_of(p);
  if (count_header_bytes(c, len) != 0)
    return HPE_USER;
  if (c->cur_off == NO_NAME)
    c->cur_off = (uint32_t)c->scratch.len;
  srv_buf_append(&c->scratch, at, len);
  return 0;
}

/* Decides what to keep of the field whose name was just read: a field the
 * server acts on keeps its value, an X-HttpStatus-Response-* field its name
 * and value, any other field nothing. */
static int on_header_field_complete(llhttp_t *p)
{
  srv_conn *c = conn_of(p);
  if (c->cur_off == NO_NAME)
    c->cur_off = (uint32_t)c->scratch.len;
  size_t len = c->scratch.len - c->cur_off;
  const char *name = len ? c->scratch.data + c->cur_off : "";
  size_t plen = sizeof SRV_X_RESPONSE_PREFIX - 1;
  c->cur_field = FIELD_SKIP;
  if (len == 4 && srv_ieq(name, len, "host") && c->host_count < UINT8_MAX)
    c->host_count++;
  bool maybe_kept = len < 64 && (kept_lengths >> len & 1);
  for (int i = 0; maybe_kept && i < SRV_F_COUNT; i++) {
    if (kept[i].len == len && srv_ieq(name, len, kept[i].name)) {
      c->cur_field = (int8_t)i;
      break;
    }
  }
  if (c->cur_field == FIELD_SKIP && len > plen &&
      srv_iprefix(name, len, SRV_X_RESPONSE_PREFIX)) {
    if (c->override_count == SRV_MAX_OVERRIDES)
      return refuse(c, 400, "more than 16 X-HttpStatus-Response-* fields");
    srv_override *o = &c->overrides[c->override_count];
    o->name.off = c->cur_off + (uint32_t)plen;
    o->name.len = (uint32_t)(len - plen);
    c->cur_field = FIELD_OVERRIDE;
    c->cur_value_off = (uint32_t)c->scratch.len;
    return 0;
  }
  /* Only the value of a kept field is needed: drop its name. */
  c->scratch.len = c->cur_off;
  c->cur_value_off = c->cur_off;
  return 0;
}

static int on_header_value(llhttp_t *p, const char *at, size_t len)
{
  srv_conn *c = conn_of(p);
  if (count_header_bytes(c, len) != 0)
    return HPE_USER;
  if (c->cur_field != FIELD_SKIP)
    srv_buf_append(&c->scratch, at, len);
  return 0;
}

static int on_header_value_complete(llhttp_t *p)
{
  srv_conn *c = conn_of(p);
  uint32_t off = c->cur_value_off;
  size_t len = c->scratch.len - off;
  while (len > 0 && (c->scratch.data[off + len - 1] == ' ' ||
                     c->scratch.data[off + len - 1] == '\t'))
    len--;
  c->scratch.len = off + len;
  srv_span value = {off, (uint32_t)len};
  if (c->cur_field >= 0)
    c->fields[c->cur_field] = value;
  else if (c->cur_field == FIELD_OVERRIDE)
    c->overrides[c->override_count++].value = value;
  c->cur_field = FIELD_NONE;
  c->cur_off = NO_NAME;
  return 0;
}

static bool has_content(const llhttp_t *p)
{
  return (p->flags & F_CHUNKED) ||
         ((p->flags & F_CONTENT_LENGTH) && p->content_length > 0);
}

static int on_headers_complete(llhttp_t *p)
{
  srv_conn *c = conn_of(p);
  srv_worker *w = c->w;
  if (p->http_major != 1 || p->http_minor > 1) {
    refuse(c, 505, "this server speaks HTTP/1.0 and HTTP/1.1");
    return -1;
  }
  /* RFC 9112, Section 3.2: none or several Host fields is a 400. Two Host
   * lines are how a request means one thing to a proxy, another to us. */
  if (p->http_minor == 1 && c->host_count != 1) {
    refuse(c, 400, c->host_count == 0
                       ? "an HTTP/1.1 request must carry a Host field"
                       : "the request carries more than one Host field");
    return -1;
  }
  if ((p->flags & F_CONTENT_LENGTH) && p->content_length > w->cfg->max_body) {
    refuse(c, 413, "the request content is larger than --max-body allows");
    return -1;
  }
  srv_span expect = c->fields[SRV_F_EXPECT];
  if (expect.len != 0) {
    if (!srv_ieq(c->scratch.data + expect.off, expect.len, "100-continue")) {
      refuse(c, 417, "the only expectation this server meets is 100-continue");
      return -1;
    }
    /* The client waits for this before it sends the content; an HTTP/1.0
     * client gets no interim response (RFC 9110, Section 15.2). */
    if (p->http_minor >= 1 && has_content(p)) {
      srv_respond_status_line(&w->out, 100);
      srv_buf_append(&w->out, "\r\n", 2);
    }
  }
  return 0;
}

static int on_body(llhttp_t *p, const char *at, size_t len)
{
  srv_conn *c = conn_of(p);
  (void)at;
  c->body_bytes += len;
  if (c->body_bytes > c->w->cfg->max_body)
    return refuse(c, 413, "the request content is larger than --max-body allows");
  /* A client sending content slowly but steadily is not timed out. */
  arm(c, SRV_T_REQUEST, c->w->cfg->header_timeout_ms);
  return 0;
}

static bool is_staged(const srv_request *r)
{
  return r->route != SRV_ROUTE_ERROR &&
         (r->sleep_ms || r->sleep_after_headers_ms || r->dribble_ms ||
         r->abort != SRV_ABORT_NONE);
}

static int on_message_complete(llhttp_t *p)
{
  srv_conn *c = conn_of(p);
  srv_worker *w = c->w;
  srv_request r;
  size_t head_start = 0, head_len = 0;
  memset(&r, 0, sizeof r);
  c->in_request = false;
  srv_request_describe(c, &r);
  /* After an Upgrade offer or a CONNECT the bytes that follow are not HTTP:
   * answer, then close. */
  if (w->stopping || p->upgrade) {
    r.keep_alive = false;
    c->linger = true;
  }
  arm(c, SRV_T_IDLE, w->cfg->idle_timeout_ms);
  if (is_staged(&r)) {
    srv_staged *s = &c->staged;
    s->data.len = 0;
    c->log_code = srv_respond(w, &r, &s->data, &head_start, &head_len);
    s->head_len = head_start + head_len;
    s->sent = 0;
    s->sleep_ms = r.sleep_ms;
    s->sleep_after_headers_ms = r.sleep_after_headers_ms;
    s->dribble_ms = r.dribble_ms;
    s->abort = r.abort;
    s->phase = SRV_PHASE_NONE;
    s->close = !r.keep_alive || c->log_code == 0 || c->log_code == 101;
    c->linger |= r.abort != SRV_ABORT_NONE || c->log_code == 101;
    arm(c, SRV_T_NONE, 0);
    c->action = SRV_ACT_STAGED;
    return HPE_PAUSED;
  }
  size_t before = w->out.len;
  int code = srv_respond(w, &r, &w->out, &head_start, &head_len);
  srv_log_request(c, code, w->out.len - before);
  if (code == 0 || code == 101 || !r.keep_alive) {
    c->linger |= code == 101;
    c->action = SRV_ACT_CLOSE;
    return HPE_PAUSED;
  }
  return w->out.len > SRV_OUT_HIGH ? HPE_PAUSED : 0;
}

static const llhttp_settings_t settings = {
    .on_message_begin = on_message_begin,
    .on_url = on_url,
    .on_url_complete = on_url_complete,
    .on_header_field = on_header_field,
    .on_header_field_complete = on_header_field_complete,
    .on_header_value = on_header_value,
    .on_header_value_complete = on_header_value_complete,
    .on_headers_complete = on_headers_complete,
    .on_body = on_body,
    .on_message_complete = on_message_complete,
};

void srv_proto_init(srv_conn *c, srv_worker *w)
{
  c->w = w;
  llhttp_init(&c->parser, HTTP_REQUEST, &settings);
  c->parser.data = c;
  c->cur_off = NO_NAME;
  c->cur_field = FIELD_NONE;
  c->action = SRV_ACT_CONTINUE;
}

/* The answer to bytes llhttp cannot frame: 400 with llhttp's reason, or
 * what a callback refused, then the connection closes (no smuggling). */
static void refuse_framing(srv_conn *c, llhttp_errno_t err)
{
  srv_worker *w = c->w;
  size_t before = w->out.len;
  int code = c->error_code;
  if (code != 0) {
    srv_respond_error(w, &w->out, code, c->error);
  } else {
    char why[160];
    const char *reason = llhttp_get_error_reason(&c->parser);
    bool framing = err == HPE_UNEXPECTED_CONTENT_LENGTH ||
                   err == HPE_INVALID_TRANSFER_ENCODING;
    snprintf(why, sizeof why, "the request cannot be %s: %s",
             framing ? "framed" : "parsed",
             reason ? reason : llhttp_errno_name(err));
    code = 400;
    srv_respond_error(w, &w->out, code, why);
  }
  if (c->in_request)
    srv_log_request(c, code, w->out.len - before);
  c->in_request = false;
  c->linger = true;
}

srv_action srv_proto_feed(srv_conn *c, const char *data, size_t len,
                          size_t *used)
{
  c->action = SRV_ACT_CONTINUE;
  llhttp_errno_t err = llhttp_execute(&c->parser, data, len);
  switch (err) {
  case HPE_OK:
    *used = len;
    return SRV_ACT_CONTINUE;
  case HPE_PAUSED:
  case HPE_PAUSED_UPGRADE:
    *used = (size_t)(llhttp_get_error_pos(&c->parser) - data);
    if (err == HPE_PAUSED)
      llhttp_resume(&c->parser);
    else
      c->action = SRV_ACT_CLOSE;
    return c->action;
  default:
    *used = len;
    refuse_framing(c, err);
    c->action = SRV_ACT_CLOSE;
    return SRV_ACT_CLOSE;
  }
}

void srv_proto_timeout(srv_conn *c)
{
  size_t before = c->w->out.len;
  srv_respond_error(c->w, &c->w->out, 408,
                    "the request was not complete within --header-timeout");
  srv_log_request(c, 408, c->w->out.len - before);
  c->in_request = false;
  c->linger = true;
  c->action = SRV_ACT_CLOSE;
}

/* Ends a staged response: logs it and frees its bytes. */
static int64_t finish(srv_conn *c, bool close)
{
  srv_staged *s = &c->staged;
  srv_log_request(c, c->log_code, s->sent);
  s->phase = SRV_PHASE_DONE;
  srv_buf_free(&s->data);
  c->action = close ? SRV_ACT_CLOSE : SRV_ACT_CONTINUE;
  arm(c, SRV_T_IDLE, c->w->cfg->idle_timeout_ms);
  return -1;
}

static void send_upto(srv_conn *c, size_t end)
{
  srv_staged *s = &c->staged;
  if (end > s->sent)
    srv_buf_append(&c->w->out, s->data.data + s->sent, end - s->sent);
  s->sent = end;
}

/* The content: at once, or in up to 16 pieces spread over dribble_ms. */
static int64_t step_body(srv_conn *c)
{
  srv_staged *s = &c->staged;
  size_t body = s->data.len - s->head_len;
  size_t end = s->abort == SRV_ABORT_MID_BODY ? s->head_len + body / 2
                                              : s->data.len;
  bool close = s->close || s->abort == SRV_ABORT_MID_BODY;
  if (s->dribble_ms == 0 || s->sent >= end) {
    send_upto(c, end);
    return finish(c, close);
  }
  size_t pieces = body < 16 ? body : 16;
  size_t piece = (body + pieces - 1) / pieces;
  send_upto(c, end - s->sent > piece ? s->sent + piece : end);
  if (s->sent >= end)
    return finish(c, close);
  return (int64_t)(s->dribble_ms / pieces);
}

int64_t srv_proto_step(srv_conn *c)
{
  srv_staged *s = &c->staged;
  switch (s->phase) {
  case SRV_PHASE_NONE:
    s->phase = SRV_PHASE_SLEEP;
    if (s->sleep_ms)
      return (int64_t)s->sleep_ms;
    /* fall through */
  case SRV_PHASE_SLEEP:
    s->phase = SRV_PHASE_HEAD;
    /* fall through */
  case SRV_PHASE_HEAD:
    if (s->abort == SRV_ABORT_BEFORE_HEADERS || c->log_code == 0)
      return finish(c, true);
    send_upto(c, s->head_len);
    if (s->abort == SRV_ABORT_AFTER_HEADERS)
      return finish(c, true);
    s->phase = SRV_PHASE_AFTER_HEAD;
    if (s->sleep_after_headers_ms)
      return (int64_t)s->sleep_after_headers_ms;
    /* fall through */
  case SRV_PHASE_AFTER_HEAD:
    s->phase = SRV_PHASE_BODY;
    /* fall through */
  case SRV_PHASE_BODY:
    return step_body(c);
  case SRV_PHASE_DONE:
    break;
  }
  return -1;
}

void srv_proto_free(srv_conn *c)
{
  srv_buf_free(&c->in);
  srv_buf_free(&c->scratch);
  srv_buf_free(&c->pending);
  srv_buf_free(&c->staged.data);
}
