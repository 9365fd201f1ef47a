/* SPDX-License-Identifier: MIT */
/*
 * http1/http1.c - HTTP/1.x on one connection, without I/O: llhttp (strict,
 * no lenient flags) frames the requests; this file enforces the limits,
 * keeps the URL and the few header fields the core acts on, and turns each
 * complete request into a srv_exchange, whose plan runs at once (appended
 * to the worker's output) or as a staged answer that conn.c steps through.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/codes.h"
#include "core/limits.h"
#include "http1/http1.h"
#include "http2/http2.h"
#include "net/net.h"

#define NO_NAME UINT32_MAX /* cur_off when no field name is being read */

static srv_conn *conn_of(llhttp_t *p)
{
  return p->data;
}

static void arm(srv_conn *c, srv_timeout t, uint64_t ms)
{
  c->timeout = t;
  c->deadline = c->w->now + ms;
}

/* Remembers why the request is refused; llhttp then stops with an error. */
static int refuse(srv_conn *c, int code, const char *why)
{
  if (c->h1.error_code == 0) {
    c->h1.error_code = code;
    c->h1.error = why;
  }
  return HPE_USER;
}

static int on_message_begin(llhttp_t *p)
{
  srv_conn *c = conn_of(p);
  srv_http1 *h = &c->h1;
  c->in_request = true;
  h->scratch.len = 0;
  h->url_len = 0;
  h->header_bytes = 0;
  h->cur_field = SRV_F_OTHER;
  h->cur_off = NO_NAME;
  memset(h->field_len, 0, sizeof h->field_len);
  h->override_count = 0;
  h->host_count = 0;
  h->host_len = 0;
  h->body_bytes = 0;
  h->error_code = 0;
  h->error = NULL;
  h->proto = SRV_PROTO_HTTP11;
  if (c->w->cfg->access_log)
    h->started_ns = srv_now_ns();
  arm(c, SRV_T_REQUEST, c->w->cfg->header_timeout_ms);
  return 0;
}

static int on_url(llhttp_t *p, const char *at, size_t len)
{
  srv_conn *c = conn_of(p);
  if (c->h1.scratch.len + len > SRV_MAX_REQUEST_LINE)
    return refuse(c, HTTPSTATUS_CODE_URI_TOO_LONG,
                  SRV_WHY_TARGET);
  srv_buf_append(&c->h1.scratch, at, len);
  return 0;
}

static int on_url_complete(llhttp_t *p)
{
  srv_conn *c = conn_of(p);
  c->h1.url_len = (uint32_t)c->h1.scratch.len;
  return 0;
}

static int count_header_bytes(srv_conn *c, size_t len)
{
  c->h1.header_bytes += (uint32_t)len;
  if (c->h1.header_bytes > SRV_MAX_HEADER_SECTION)
    return refuse(c, HTTPSTATUS_CODE_REQUEST_HEADER_FIELDS_TOO_LARGE,
                  SRV_WHY_HEADERS);
  return 0;
}

static int on_header_field(llhttp_t *p, const char *at, size_t len)
{
  srv_conn *c = conn_of(p);
  if (count_header_bytes(c, len) != 0)
    return HPE_USER;
  if (c->h1.cur_off == NO_NAME)
    c->h1.cur_off = (uint32_t)c->h1.scratch.len;
  srv_buf_append(&c->h1.scratch, at, len);
  return 0;
}

/* Decides what to keep of the field whose name was just read: a field the
 * core acts on keeps its value, an X-HttpStatus-Response-* field its name
 * and value, any other field nothing. */
static int on_header_field_complete(llhttp_t *p)
{
  srv_conn *c = conn_of(p);
  srv_http1 *h = &c->h1;
  if (h->cur_off == NO_NAME)
    h->cur_off = (uint32_t)h->scratch.len;
  size_t len = h->scratch.len - h->cur_off;
  if (len == 0) /* ": x" (llhttp 8.1 lets an empty name through) */
    return refuse(c, HTTPSTATUS_CODE_BAD_REQUEST,
                  "a header field has an empty name");
  const char *name = h->scratch.data + h->cur_off;
  size_t plen = sizeof SRV_X_RESPONSE_PREFIX - 1;
  srv_field f = srv_field_find(name, len);
  h->cur_field = (uint8_t)f;
  if (f == SRV_F_HOST && h->host_count < UINT8_MAX)
    h->host_count++;
  if (f == SRV_F_OVERRIDE) {
    if (h->override_count == SRV_MAX_OVERRIDES)
      return refuse(c, HTTPSTATUS_CODE_BAD_REQUEST,
                    SRV_WHY_OVERRIDES);
    h->override_off[h->override_count][0] = h->cur_off + (uint32_t)plen;
    h->override_len[h->override_count][0] = (uint32_t)(len - plen);
    h->cur_value_off = (uint32_t)h->scratch.len;
    return 0;
  }
  /* Only the value of a kept field is needed: drop its name. */
  h->scratch.len = h->cur_off;
  h->cur_value_off = h->cur_off;
  return 0;
}

static bool keeps_value(const srv_http1 *h)
{
  return h->cur_field < SRV_F_COUNT || h->cur_field == SRV_F_OVERRIDE ||
         h->cur_field == SRV_F_HOST;
}

static int on_header_value(llhttp_t *p, const char *at, size_t len)
{
  srv_conn *c = conn_of(p);
  if (count_header_bytes(c, len) != 0)
    return HPE_USER;
  if (keeps_value(&c->h1))
    srv_buf_append(&c->h1.scratch, at, len);
  return 0;
}

static int on_header_value_complete(llhttp_t *p)
{
  srv_http1 *h = &conn_of(p)->h1;
  uint32_t off = h->cur_value_off;
  size_t len = h->scratch.len - off;
  while (len > 0 && (h->scratch.data[off + len - 1] == ' ' ||
                     h->scratch.data[off + len - 1] == '\t'))
    len--;
  h->scratch.len = off + len;
  if (h->cur_field == SRV_F_HOST) { /* checked once the section is read */
    h->host_off = off;
    h->host_len = (uint32_t)len;
  }
  if (h->cur_field < SRV_F_COUNT) {
    h->field_off[h->cur_field] = off;
    h->field_len[h->cur_field] = (uint32_t)len;
  } else if (h->cur_field == SRV_F_OVERRIDE) {
    h->override_off[h->override_count][1] = off;
    h->override_len[h->override_count][1] = (uint32_t)len;
    h->override_count++;
  }
  h->cur_field = SRV_F_OTHER;
  h->cur_off = NO_NAME;
  return 0;
}

static bool has_content(const llhttp_t *p)
{
  return (p->flags & F_CHUNKED) ||
         ((p->flags & F_CONTENT_LENGTH) && p->content_length > 0);
}

/* A kept value; an absent one has length 0. */
static srv_span kept(const srv_http1 *h, uint32_t off, uint32_t len)
{
  srv_span s = {(h->scratch.data ? h->scratch.data : "") + off, len};
  return s;
}

/* llhttp's method names as spans (its own table, so no strlen per
 * request). */
static const srv_span method_names[] = {
#define SRV_METHOD_NAME(num, name, string) [num] = {#string, sizeof #string - 1},
    HTTP_ALL_METHOD_MAP(SRV_METHOD_NAME)
#undef SRV_METHOD_NAME
};
#define METHOD_COUNT (sizeof method_names / sizeof method_names[0])

static srv_method method_of(uint8_t m)
{
  switch (m) {
  case HTTP_GET: return SRV_METHOD_GET;
  case HTTP_HEAD: return SRV_METHOD_HEAD;
  case HTTP_OPTIONS: return SRV_METHOD_OPTIONS;
  case HTTP_CONNECT: return SRV_METHOD_CONNECT;
  default: return SRV_METHOD_OTHER;
  }
}

/* The exchange of the request in h->scratch (complete: it no longer
 * moves). Every member is set (overrides up to their count): no memset of
 * the whole, which would cost more than the rest on the common path. */
static void describe(srv_conn *c, srv_exchange *x)
{
  srv_http1 *h = &c->h1;
  const llhttp_t *p = &h->parser;
  x->proto = (srv_proto)h->proto;
  x->tls = c->tr.ops != NULL && c->tr.ops->tls;
  x->peer_fd = c->tr.fd;
  x->peer = c->peer;
  x->peer_key = c->peer_key;
  x->peer_trusted = c->peer_trusted;
  x->method = method_of(p->method);
  x->method_name = p->method < METHOD_COUNT && method_names[p->method].s
                       ? method_names[p->method]
                       : srv_span_of("-");
  x->target = kept(h, 0, h->url_len);
  for (int f = 0; f < SRV_F_COUNT; f++)
    x->fields[f] = kept(h, h->field_off[f], h->field_len[f]);
  for (int i = 0; i < h->override_count; i++) {
    x->overrides[i].name = kept(h, h->override_off[i][0], h->override_len[i][0]);
    x->overrides[i].value = kept(h, h->override_off[i][1], h->override_len[i][1]);
  }
  x->override_count = h->override_count;
  x->body_bytes = h->body_bytes;
  x->started_ns = h->started_ns;
  x->keep_alive = llhttp_should_keep_alive(p) != 0 && !c->w->stopping;
  /* After an Upgrade offer or a CONNECT the bytes that follow are not
   * HTTP: answer, then close. */
  x->last = p->upgrade != 0;
}

static int on_headers_complete(llhttp_t *p)
{
  srv_conn *c = conn_of(p);
  srv_http1 *h = &c->h1;
  /* RFC 9110, Section 2.5: a later minor version of HTTP/1 is answered
   * as the highest this server speaks, 1.1; another major version, 505. */
  if (p->http_major != 1) {
    refuse(c, HTTPSTATUS_CODE_HTTP_VERSION_NOT_SUPPORTED,
           "this server speaks HTTP/1.0 and HTTP/1.1");
    return -1;
  }
  h->proto = p->http_minor == 0 ? SRV_PROTO_HTTP10 : SRV_PROTO_HTTP11;
  /* RFC 9112, Section 6.1: Transfer-Encoding in HTTP/1.0 is faulty
   * framing (a 1.0 recipient may not know chunked): refuse and close. */
  if (p->http_minor == 0 && (p->flags & F_TRANSFER_ENCODING)) {
    refuse(c, HTTPSTATUS_CODE_BAD_REQUEST,
           "an HTTP/1.0 request cannot carry Transfer-Encoding");
    return -1;
  }
  /* RFC 9112, Section 3.2: none or several Host fields is a 400. Two Host
   * lines are how a request means one thing to a proxy, another to us. */
  if (p->http_minor >= 1 && h->host_count != 1) {
    refuse(c, HTTPSTATUS_CODE_BAD_REQUEST,
           h->host_count == 0 ? "an HTTP/1.1 request must carry a Host field"
                              : "the request carries more than one Host field");
    return -1;
  }
  if (h->host_count > 0 &&
      !srv_host_valid(kept(h, h->host_off, h->host_len))) {
    refuse(c, HTTPSTATUS_CODE_BAD_REQUEST,
           "the Host field is not a host and optional port (RFC 3986)");
    return -1;
  }
  if ((p->flags & F_CONTENT_LENGTH) && p->content_length > c->w->cfg->max_body) {
    refuse(c, HTTPSTATUS_CODE_CONTENT_TOO_LARGE,
           SRV_WHY_BODY);
    return -1;
  }
  srv_exchange x;
  x.fields[SRV_F_EXPECT] = kept(h, h->field_off[SRV_F_EXPECT],
                                h->field_len[SRV_F_EXPECT]);
  switch (h->field_len[SRV_F_EXPECT] ? srv_exchange_expect(&x)
                                     : SRV_EXPECT_NONE) {
  case SRV_EXPECT_FAIL:
    refuse(c, HTTPSTATUS_CODE_EXPECTATION_FAILED,
           SRV_WHY_EXPECT);
    return -1;
  case SRV_EXPECT_CONTINUE:
    /* The client waits for this before it sends the content. */
    if (has_content(p))
      srv_http1_interim(c, HTTPSTATUS_CODE_CONTINUE);
    break;
  case SRV_EXPECT_NONE:
    break;
  }
  return 0;
}

static int on_body(llhttp_t *p, const char *at, size_t len)
{
  srv_conn *c = conn_of(p);
  srv_http1 *h = &c->h1;
  (void)at;
  h->body_bytes += len;
  if (h->body_bytes > c->w->cfg->max_body)
    return refuse(c, HTTPSTATUS_CODE_CONTENT_TOO_LARGE,
                  SRV_WHY_BODY);
  /* A client sending content slowly but steadily is not timed out. */
  arm(c, SRV_T_REQUEST, c->w->cfg->header_timeout_ms);
  return 0;
}

/* Runs a timed plan later: the plan and exchange move to an allocation of
 * their own (the worker's buffers serve other connections meanwhile). */
static void stage(srv_conn *c, const srv_exchange *x, const srv_plan *p,
                  const srv_limit_hold *hold)
{
  srv_http1_staged *s = c->h1.staged;
  if (s == NULL) {
    s = c->h1.staged = calloc(1, sizeof *s);
    if (s == NULL) {
      fputs("httpstatus serve: out of memory\n", stderr);
      abort();
    }
  }
  s->x = *x;
  s->plan = *p;
  s->hold = *hold;
  srv_plan_own(&s->plan, &s->store);
  srv_staged_start(&s->run, &c->w->core, &s->x, &s->plan, &srv_http1_ops, c);
  arm(c, SRV_T_NONE, 0);
  c->action = SRV_ACT_STAGED;
}

static int on_message_complete(llhttp_t *p)
{
  srv_conn *c = conn_of(p);
  srv_worker *w = c->w;
  srv_exchange x;
  srv_plan plan;
  srv_limit_hold hold;
  c->in_request = false;
  describe(c, &x);
  /* Upgrade: h2c: 101, then this request is answered as stream 1. */
  if (srv_http2_upgrade_offered(&x) && srv_http2_upgrade(c, &x))
    return HPE_PAUSED;
  if (x.last || w->stopping)
    c->linger = true; /* the client may have sent more: close slowly */
  srv_limit_plan(&w->core, &x, &plan, &hold);
  if (srv_plan_timed(&plan)) {
    stage(c, &x, &plan, &hold);
    return HPE_PAUSED;
  }
  srv_limit_release(&w->core, &hold);
  srv_staged run;
  srv_staged_start(&run, &w->core, &x, &plan, &srv_http1_ops, c);
  srv_staged_step(&run); /* nothing waits: the plan runs to its end */
  if (c->action == SRV_ACT_CLOSE)
    return HPE_PAUSED;
  return w->out.len > srv_conn_out_limit(c) ? HPE_PAUSED : 0;
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

static void start(srv_conn *c)
{
  srv_http1 *h = &c->h1;
  llhttp_init(&h->parser, HTTP_REQUEST, &settings);
  h->parser.data = c;
  /* Versions are checked in on_headers_complete (1.2..1.9 are 1.1). */
  h->parser.lenient_flags |= LENIENT_VERSION;
  h->cur_off = NO_NAME;
  h->cur_field = SRV_F_OTHER;
  h->proto = SRV_PROTO_HTTP11;
  c->action = SRV_ACT_CONTINUE;
}

/* Answers with an error plan now: `code` and the line saying why, then the
 * connection closes (lingering: the client may still be sending). */
static void refuse_now(srv_conn *c, int code, const char *why, bool logged)
{
  srv_exchange x;
  srv_plan plan;
  if (c->in_request)
    describe(c, &x);
  srv_plan_error(&c->w->core, c->in_request ? &x : NULL, &plan, code, why);
  srv_staged run;
  srv_staged_start(&run, &c->w->core, c->in_request ? &x : NULL, &plan,
                   &srv_http1_ops, c);
  run.quiet = !logged;
  srv_staged_step(&run);
  c->in_request = false;
  c->linger = true;
  c->action = SRV_ACT_CLOSE;
}

/* The answer to bytes llhttp cannot frame: 400 with llhttp's reason, or
 * what a callback refused, then the connection closes (no smuggling). */
static void refuse_framing(srv_conn *c, llhttp_errno_t err)
{
  if (c->h1.error_code != 0) {
    refuse_now(c, c->h1.error_code, c->h1.error, c->in_request);
    return;
  }
  char why[160];
  const char *reason = llhttp_get_error_reason(&c->h1.parser);
  bool framing = err == HPE_UNEXPECTED_CONTENT_LENGTH ||
                 err == HPE_INVALID_TRANSFER_ENCODING;
  snprintf(why, sizeof why, "the request cannot be %s: %s",
           framing ? "framed" : "parsed",
           reason ? reason : llhttp_errno_name(err));
  refuse_now(c, HTTPSTATUS_CODE_BAD_REQUEST, why, c->in_request);
}

#define METHOD_MAX 64u /* longest unknown method told apart from garbage */

/* llhttp knows a fixed set of methods and stops at the first byte that
 * matches none; what it matched so far was a known method's prefix, so
 * letters. When the bytes from there on are a token and then a space, the
 * method is merely unknown here, which RFC 9110, Section 9.1 answers with
 * 501 rather than 400. That space may come in a later read: until it, or
 * a byte that ends the token, the input is read here, so the answer does
 * not depend on how the request was split. (Where llhttp stopped is all
 * that is known of it, so a prefix of a known method followed by a space,
 * "PU /", stays a 400, as a request line starting with a space is.) */
static srv_action read_unknown_method(srv_conn *c, const char *data,
                                      size_t len)
{
  srv_http1 *h = &c->h1;
  size_t n = srv_token_len(data, len);
  h->reading_method = true;
  h->method_len += (uint32_t)(n < METHOD_MAX ? n : METHOD_MAX);
  if (n == len && h->method_len < METHOD_MAX)
    return SRV_ACT_CONTINUE;
  bool token = n < len && data[n] == ' ' && h->method_len > 0 &&
               h->method_len < METHOD_MAX;
  h->reading_method = false;
  h->method_len = 0;
  if (token)
    refuse_now(c, HTTPSTATUS_CODE_NOT_IMPLEMENTED,
               "the method is not one this server knows over HTTP/1.1 "
               "(llhttp's set; over HTTP/2 any method is answered)",
               c->in_request);
  else
    refuse_framing(c, HPE_INVALID_METHOD);
  return SRV_ACT_CLOSE;
}

static srv_action feed(srv_conn *c, const char *data, size_t len,
                       size_t *used)
{
  c->action = SRV_ACT_CONTINUE;
  if (c->h1.reading_method) {
    *used = len;
    return read_unknown_method(c, data, len);
  }
  llhttp_errno_t err = llhttp_execute(&c->h1.parser, data, len);
  switch (err) {
  case HPE_OK:
    *used = len;
    return SRV_ACT_CONTINUE;
  case HPE_PAUSED_H2_UPGRADE:
    /* The HTTP/2 client preface (prior knowledge): llhttp read it all. */
    *used = (size_t)(llhttp_get_error_pos(&c->h1.parser) - data);
    srv_http2_start_preface(c);
    return c->action;
  case HPE_PAUSED:
  case HPE_PAUSED_UPGRADE:
    *used = (size_t)(llhttp_get_error_pos(&c->h1.parser) - data);
    if (err == HPE_PAUSED)
      llhttp_resume(&c->h1.parser);
    else
      c->action = SRV_ACT_CLOSE;
    return c->action;
  case HPE_INVALID_METHOD: {
    const char *at = llhttp_get_error_pos(&c->h1.parser);
    if (c->h1.error_code == 0 && at >= data && at <= data + len) {
      *used = len;
      return read_unknown_method(c, at, (size_t)(data + len - at));
    }
  } /* fall through */
  default:
    *used = len;
    refuse_framing(c, err);
    return SRV_ACT_CLOSE;
  }
}

static int64_t step(srv_conn *c)
{
  srv_http1_staged *s = c->h1.staged;
  if (s == NULL)
    return -1;
  int64_t delay = srv_staged_step(&s->run);
  if (delay < 0) {
    srv_buf_free(&s->store);
    srv_limit_release(&c->w->core, &s->hold);
  }
  return delay;
}

static void timeout(srv_conn *c)
{
  refuse_now(c, HTTPSTATUS_CODE_REQUEST_TIMEOUT,
             SRV_WHY_TIMEOUT, true);
}

static void release(srv_conn *c, bool idle_only)
{
  srv_http1 *h = &c->h1;
  srv_buf_free(&h->scratch);
  if (idle_only)
    return;
  if (h->staged != NULL) {
    srv_limit_release(&c->w->core, &h->staged->hold);
    srv_staged_drop(&h->staged->run);
    srv_buf_free(&h->staged->store);
    free(h->staged);
    h->staged = NULL;
  }
}

/* Refuses the connection before reading it (503 at accept). */
static void refuse_conn(srv_conn *c, int code, const char *why)
{
  refuse_now(c, code, why, false);
}

const srv_conn_proto srv_http1_proto = {
    .name = "http/1.1",
    .start = start,
    .feed = feed,
    .step = step,
    .timeout = timeout,
    .refuse = refuse_conn,
    .release = release,
};
