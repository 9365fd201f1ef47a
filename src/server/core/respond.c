/* SPDX-License-Identifier: MIT */
/*
 * core/respond.c - the plan of an answer: its status, interim response,
 * fields, content and timing, for any protocol.
 *
 * What is written for a code comes from the library: its phrase, the
 * fields it requires (httpstatus_headers), whether it has content
 * (httpstatus_allows_content), how it is framed (httpstatus_framing_of),
 * whether it answers at all or switches protocols. At start-up the
 * standard plan of every code 100-999 (a GET with no option, text/plain or
 * JSON) is built once: its fields and its content. The common answer is
 * then that plan as it is (protocol layers keep their own prebuilt form of
 * it); anything the request changes (an override, ?location=, HTML, a page)
 * builds the fields and content per request, with the same functions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

#define CODE_COUNT (SRV_LAST_CODE - SRV_FIRST_CODE + 1)

/* The code a 1xx is followed by once its interim response is sent. */
#define FINAL_AFTER_INTERIM HTTPSTATUS_CODE_OK

#define SERVER "httpstatus/" HTTPSTATUS_VERSION_STRING

/* The values this server gives the fields a code requires. */
#define DEFAULT_LOCATION "/200"
#define ALLOW "GET, HEAD, OPTIONS"
/* What a status route answers (OPTIONS says so in Allow). */
#define ALLOW_ANY "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"
#define CHALLENGE "Basic realm=\"httpstatus\""
#define UPGRADE_REQUIRED "HTTP/2"
#define RETRY_AFTER "1"
#define EARLY_HINT "</static/catalog.css>; rel=preload; as=style"
/* RFC 7725, Section 4: who blocks the resource (451): this server. */
#define BLOCKED_BY "</>; rel=\"blocked-by\""
#define PREFLIGHT_MAX_AGE "86400"

/* The standard plan of one code in one type, built at start-up. */
typedef struct standard {
  srv_hfield *fields;   /* malloc'd, or shared with an equal array */
  uint8_t field_count;
  bool owns_fields;
  bool built;
  char *content;        /* malloc'd: the body's bytes */
  bool length_field;
  srv_span body;
  uint64_t content_length;
} standard;

static standard table[CODE_COUNT][2];
/* What the catalog says of each code, asked once at start-up so that the
 * common answer asks the library nothing. */
static uint8_t facts[CODE_COUNT];
static char expose[256];  /* Access-Control-Expose-Headers value */
static char ranges[CODE_COUNT][2][48]; /* Content-Range values */

/* ------------------------------------------------------------------------ */
/* Fields */

/* Where the fields of a plan being built go, and the request when it may
 * override them (NULL while building the standard plans). */
typedef struct ctx {
  srv_hfield *fields;
  size_t count;
  const srv_request *r;
  const srv_reply *reply;    /* a handler's answer (handler.c), or NULL */
} ctx;

static bool overridden(const ctx *x, const char *name)
{
  for (size_t i = 0; x->r != NULL && i < x->r->override_count; i++) {
    srv_span o = x->r->overrides[i].name;
    if (srv_ieq(o.s, o.len, name))
      return true;
  }
  return false;
}

static void put_field(ctx *x, const char *name, const char *value, size_t len)
{
  if (overridden(x, name) || x->count == SRV_PLAN_MAX_FIELDS)
    return;
  x->fields[x->count].name = srv_span_of(name);
  x->fields[x->count].value = (srv_span){value, len};
  x->count++;
}

static void put_fieldz(ctx *x, const char *name, const char *value)
{
  put_field(x, name, value, strlen(value));
}

/* 101 names the protocol the client offered (its first). */
static srv_span first_offer(srv_span upgrade)
{
  size_t len = srv_span_until(upgrade.s, upgrade.len, ",");
  return srv_trim((srv_span){upgrade.s, len});
}

/* A successful OPTIONS says which methods the target answers (RFC 9110,
 * Section 9.3.7). */
static bool answers_options(const srv_request *r, int code)
{
  return r != NULL && r->method == SRV_METHOD_OPTIONS &&
         httpstatus_is_success(code);
}

/* The value this server gives a field the code requires; Content-Range
 * depends on the content and is written with it. */
static void put_required(ctx *x, unsigned bit, int code)
{
  const char *name = httpstatus_header_name(bit);
  const srv_request *r = x->r;
  if (x->reply != NULL && srv_reply_has(x->reply, name))
    return; /* a handler's own challenge, Location, Content-Range */
  switch (bit) {
  case HTTPSTATUS_HEADER_LOCATION:
    if (r != NULL && r->location.s != NULL)
      put_field(x, name, r->location.s, r->location.len);
    else
      put_fieldz(x, name, DEFAULT_LOCATION);
    break;
  case HTTPSTATUS_HEADER_ALLOW:
    put_fieldz(x, name,
               answers_options(r, code) && r->route == SRV_ROUTE_CODE
                   ? ALLOW_ANY
                   : ALLOW);
    break;
  case HTTPSTATUS_HEADER_WWW_AUTHENTICATE:
  case HTTPSTATUS_HEADER_PROXY_AUTHENTICATE:
    put_fieldz(x, name, CHALLENGE);
    break;
  case HTTPSTATUS_HEADER_UPGRADE:
    if (httpstatus_switches_protocol(code) && r != NULL &&
        r->upgrade.s != NULL) {
      srv_span offer = first_offer(r->upgrade);
      put_field(x, name, offer.s, offer.len);
    } else {
      put_fieldz(x, name, UPGRADE_REQUIRED);
    }
    break;
  case HTTPSTATUS_HEADER_RETRY_AFTER: put_fieldz(x, name, RETRY_AFTER); break;
  case HTTPSTATUS_HEADER_LINK:
    put_fieldz(x, name,
               httpstatus_is_informational(code) ? EARLY_HINT : BLOCKED_BY);
    break;
  default: break; /* Content-Range: see put_content */
  }
}

/* The fields every answer of `code` carries: Server, CORS, Vary, the ones
 * the code requires, and Location wherever ?location= asks. */
static void put_fixed(ctx *x, int code)
{
  put_fieldz(x, "Server", SERVER);
  put_fieldz(x, "Access-Control-Allow-Origin", "*");
  put_fieldz(x, "Access-Control-Expose-Headers", expose);
  put_fieldz(x, "Vary", "Accept"); /* the content is negotiated */
  unsigned bits = httpstatus_headers(code);
  if (x->r != NULL && x->r->location.s != NULL)
    bits |= HTTPSTATUS_HEADER_LOCATION;
  if (answers_options(x->r, code))
    bits |= HTTPSTATUS_HEADER_ALLOW;
  if (x->r != NULL && x->r->retry_after)
    bits |= HTTPSTATUS_HEADER_RETRY_AFTER;
  for (unsigned bit = 1; bit != 0 && bit <= bits; bit <<= 1)
    if (bits & bit)
      put_required(x, bit, code);
  for (size_t i = 0; x->reply != NULL && i < x->reply->count; i++) {
    const srv_hfield *f = &x->reply->fields[i];
    put_field(x, f->name.s, f->value.s, f->value.len);
  }
}

static void put_overrides(ctx *x)
{
  const srv_request *r = x->r;
  for (size_t i = 0; r != NULL && i < r->override_count; i++) {
    if (x->count == SRV_PLAN_MAX_FIELDS)
      return;
    x->fields[x->count++] = r->overrides[i];
  }
}

typedef enum body_mode { BODY_FULL, BODY_HEAD, BODY_NONE } body_mode;

/* The content fields and the framing of a content of `len` bytes at
 * `body`: a 2xx requiring Content-Range (206) sends the first half as a
 * partial response. `range` holds the Content-Range value. */
static void put_content(ctx *x, srv_plan *p, const char *ctype,
                        const char *body, size_t len, body_mode mode,
                        char *range, size_t range_size)
{
  int code = p->code;
  p->body = (srv_span){body, 0};
  p->content_length = 0;
  /* RFC 9112, Section 6.3: 1xx, 204 and 304 answers end with their header
   * section; every other answer without content needs a Content-Length of
   * 0 (205) to be framed on a kept connection. */
  p->length_field = httpstatus_framing_of(code) == HTTPSTATUS_FRAMING_CONTENT;
  if (!httpstatus_allows_content(code))
    return;
  if (mode != BODY_NONE)
    put_fieldz(x, "Content-Type", ctype);
  size_t send = len;
  /* Even without content, RFC 9110 requires Content-Range of a 206
   * (Section 15.3.7) and has a 416 send it (Section 15.5.17). A handler's
   * content is already the part it sends (range.c). */
  if ((httpstatus_headers(code) & HTTPSTATUS_HEADER_CONTENT_RANGE) &&
      x->reply == NULL) {
    int n;
    if (httpstatus_is_success(code) && len > 1) {
      send = len / 2;
      n = snprintf(range, range_size, "bytes 0-%zu/%zu", send - 1, len);
    } else {
      n = snprintf(range, range_size, "bytes */%zu", len);
    }
    put_field(x, "Content-Range", range, n > 0 ? (size_t)n : 0);
  }
  if (mode == BODY_NONE) {
    p->length_field = true; /* Content-Length: 0 frames it */
    return;
  }
  p->content_length = send;
  p->body.len = mode == BODY_FULL ? send : 0;
}

/* ------------------------------------------------------------------------ */
/* Start-up: the standard plans */

static bool same_fields(const srv_hfield *a, size_t n, const standard *s)
{
  if (s->field_count != n)
    return false;
  for (size_t i = 0; i < n; i++)
    if (!srv_span_ieq(a[i].name, s->fields[i].name) ||
        a[i].value.len != s->fields[i].value.len ||
        memcmp(a[i].value.s, s->fields[i].value.s, a[i].value.len) != 0)
      return false;
  return true;
}

/* Most codes require no field, so most field arrays are alike: each
 * distinct array is kept once. */
static void keep_fields(standard *s, const srv_hfield *fields, size_t n)
{
  for (standard *o = &table[0][0]; o < s; o++) {
    if (o->built && o->owns_fields && same_fields(fields, n, o)) {
      s->fields = o->fields;
      s->field_count = o->field_count;
      return;
    }
  }
  s->fields = malloc(n * sizeof *fields + 1);
  if (s->fields == NULL)
    abort();
  memcpy(s->fields, fields, n * sizeof *fields);
  s->field_count = (uint8_t)n;
  s->owns_fields = true;
}

static void build_standard(int code, srv_type type)
{
  standard *s = &table[code - SRV_FIRST_CODE][type];
  srv_hfield fields[SRV_PLAN_MAX_FIELDS];
  ctx x = {fields, 0, NULL, NULL};
  srv_plan p;
  memset(&p, 0, sizeof p);
  p.code = code;
  srv_buf body = {0};
  srv_page_code(code, type, &body);
  put_fixed(&x, code);
  put_content(&x, &p, srv_type_names[type], body.data, body.len, BODY_FULL,
              ranges[code - SRV_FIRST_CODE][type],
              sizeof ranges[0][0]);
  keep_fields(s, fields, x.count);
  char *kept = malloc(p.body.len + 1);
  if (kept == NULL)
    abort();
  if (p.body.len > 0)
    memcpy(kept, body.data, p.body.len);
  s->content = kept;
  s->body = (srv_span){kept, p.body.len};
  s->content_length = p.content_length;
  s->length_field = p.length_field;
  s->built = true;
  srv_buf_free(&body);
}

void srv_respond_init(void)
{
  size_t len = 0;
  for (unsigned bit = 1; httpstatus_header_name(bit) != NULL; bit <<= 1) {
    int n = snprintf(expose + len, sizeof expose - len, "%s%s",
                     len > 0 ? ", " : "", httpstatus_header_name(bit));
    if (n > 0 && (size_t)n < sizeof expose - len)
      len += (size_t)n;
  }
  memset(table, 0, sizeof table);
  for (int code = SRV_FIRST_CODE; code <= SRV_LAST_CODE; code++) {
    facts[code - SRV_FIRST_CODE] =
        (uint8_t)((httpstatus_closes_without_response(code) ? SRV_CODE_SILENT : 0) |
                  (httpstatus_switches_protocol(code) ? SRV_CODE_SWITCH : 0) |
                  (httpstatus_is_informational(code) ? SRV_CODE_INFORMATIONAL : 0));
    build_standard(code, SRV_PLAIN);
    /* JSON about a code the catalog does not know is rare: built on
     * demand, it costs no memory. */
    if (httpstatus_lookup(code) != NULL)
      build_standard(code, SRV_JSON);
  }
}

void srv_respond_free(void)
{
  for (int i = 0; i < CODE_COUNT; i++) {
    for (int t = 0; t < 2; t++) {
      standard *s = &table[i][t];
      if (s->owns_fields)
        free(s->fields);
      free(s->content);
    }
  }
  memset(table, 0, sizeof table);
}

static bool is_code(int code)
{
  return code >= SRV_FIRST_CODE && code <= SRV_LAST_CODE;
}

unsigned srv_code_facts(int code)
{
  return is_code(code) ? facts[code - SRV_FIRST_CODE] : SRV_CODE_SILENT;
}

/* Every member is set: this runs for most requests, a memset would cost
 * as much as the rest. */
bool srv_plan_standard(int code, srv_type type, srv_plan *p)
{
  if (!is_code(code) || type > SRV_JSON)
    return false;
  const standard *s = &table[code - SRV_FIRST_CODE][type];
  if (!s->built)
    return false;
  p->kind = SRV_PLAN_ANSWER;
  p->code = code;
  p->interim = 0;
  p->type = type;
  p->standard = true;
  p->head = false;
  p->date = p->connection = true;
  p->length_field = s->length_field;
  p->content_length = s->content_length;
  p->fields = s->fields;
  p->field_count = s->field_count;
  p->body = s->body;
  p->sleep_ms = p->sleep_after_headers_ms = p->dribble_ms = 0;
  p->abort = SRV_ABORT_NONE;
  p->close = false;
  p->route = SRV_MR_NONE;
  return true;
}

/* ------------------------------------------------------------------------ */
/* Per request */

static void plan_start(srv_plan *p, const srv_request *r, int code)
{
  memset(p, 0, sizeof *p);
  p->kind = SRV_PLAN_ANSWER;
  p->code = code;
  p->type = r->type;
  p->head = r->head;
  p->date = p->connection = true;
}

static void plan_time(srv_plan *p, const srv_request *r)
{
  p->interval_ms = r->interval_ms;
  p->dribble_pieces = r->dribble_pieces;
  p->sleep_ms = r->sleep_ms;
  p->sleep_after_headers_ms = r->sleep_after_headers_ms;
  p->dribble_ms = r->dribble_ms;
  p->abort = r->abort;
  p->abort_code = r->abort_code;
  p->close = !r->keep_alive || p->kind != SRV_PLAN_ANSWER;
}

static void preflight(srv_core *core, const srv_request *r, srv_plan *p)
{
  ctx x = {core->fields, 0, NULL, NULL};
  plan_start(p, r, r->code);
  put_fieldz(&x, "Server", SERVER);
  put_fieldz(&x, "Access-Control-Allow-Origin", "*");
  put_field(&x, "Access-Control-Allow-Methods", r->acr_method.s,
            r->acr_method.len);
  if (r->acr_headers.s != NULL)
    put_field(&x, "Access-Control-Allow-Headers", r->acr_headers.s,
              r->acr_headers.len);
  put_fieldz(&x, "Access-Control-Max-Age", PREFLIGHT_MAX_AGE);
  put_content(&x, p, NULL, NULL, 0, BODY_NONE, core->range,
              sizeof core->range);
  p->fields = x.fields;
  p->field_count = x.count;
}

/* The answer needs nothing but its standard plan. */
static bool is_standard(const srv_request *r, int code, unsigned facts_of_code)
{
  return r->type != SRV_HTML && r->override_count == 0 &&
         r->location.s == NULL && !r->suppress_body &&
         !(facts_of_code & SRV_CODE_SWITCH) && !answers_options(r, code) &&
         !r->retry_after && r->content_type == NULL && r->body.s == NULL &&
         r->fill == 0 && !r->echo;
}

/* Content-Range describes a content: built even when none is sent. */
static bool needs_content(int code, body_mode mode)
{
  return httpstatus_allows_content(code) &&
         (mode != BODY_NONE ||
          (httpstatus_headers(code) & HTTPSTATUS_HEADER_CONTENT_RANGE));
}

/* Builds fields and content of `code` with the request's changes; the
 * content is built first (into core->body) so its length is known. */
static void general(srv_core *core, const srv_request *r, srv_plan *p,
                    int code)
{
  srv_buf *body = &core->body;
  srv_reply reply;
  ctx x = {core->fields, 0, r, NULL};
  const char *ctype = srv_type_names[r->type];
  body_mode mode = r->head ? BODY_HEAD : BODY_FULL;
  if (r->suppress_body)
    mode = BODY_NONE;
  body->len = 0;
  if (r->route == SRV_ROUTE_ERROR) {
    ctype = srv_type_names[SRV_PLAIN];
    srv_page_error(code, r->error ? r->error : "the request is wrong", body);
  } else if (r->route == SRV_ROUTE_CODE) {
    if (needs_content(code, mode) && !srv_faults_content(r, body, &ctype))
      srv_page_code_at(code, r->type, r->host, body);
  } else if (r->route == SRV_ROUTE_HANDLER) {
    code = srv_handler_answer(core, r, body, &reply);
    ctype = reply.ctype;
    x.reply = &reply;
  } else {
    code = srv_page(r, body, &ctype);
  }
  p->code = code;
  put_fixed(&x, code);
  put_overrides(&x);
  put_content(&x, p, ctype, body->data, body->len, mode, core->range,
              sizeof core->range);
  p->fields = x.fields;
  p->field_count = x.count;
  p->date = !overridden(&x, "Date");
  p->connection = !overridden(&x, "Connection");
}

void srv_respond(srv_core *core, const srv_request *r, srv_plan *p)
{
  int code = r->code;
  if (r->route == SRV_ROUTE_PREFLIGHT) {
    preflight(core, r, p);
    plan_time(p, r);
    return;
  }
  if (r->route == SRV_ROUTE_CODE) {
    unsigned f = srv_code_facts(code);
    int interim = 0;
    if ((f & SRV_CODE_INFORMATIONAL) && !(f & SRV_CODE_SWITCH)) {
      /* An interim response first, then the final one. */
      interim = code;
      code = FINAL_AFTER_INTERIM;
      f = srv_code_facts(code);
    }
    if (!(f & SRV_CODE_SILENT) && is_standard(r, code, f) &&
        srv_plan_standard(code, r->type, p)) {
      p->interim = interim;
      p->head = r->head;
      if (r->head)
        p->body.len = 0;
      plan_time(p, r);
      return;
    }
    plan_start(p, r, code);
    p->interim = interim;
    if (f & (SRV_CODE_SILENT | SRV_CODE_SWITCH)) {
      p->kind = f & SRV_CODE_SILENT ? SRV_PLAN_SILENT : SRV_PLAN_SWITCH;
      if (p->kind == SRV_PLAN_SILENT) {
        plan_time(p, r);
        return;
      }
    }
  } else {
    plan_start(p, r, code);
  }
  general(core, r, p, code);
  plan_time(p, r);
}

void srv_plan_build(srv_core *core, const srv_exchange *x, srv_plan *p)
{
  srv_request r;
  srv_request_describe(core, x, &r);
  srv_respond(core, &r, p);
  p->route = srv_metrics_route(r.path);
}

void srv_plan_error(srv_core *core, const srv_exchange *x, srv_plan *p,
                    int code, const char *why)
{
  srv_request r;
  memset(&r, 0, sizeof r);
  if (!is_code(code))
    code = HTTPSTATUS_CODE_INTERNAL_SERVER_ERROR;
  r.route = SRV_ROUTE_ERROR;
  r.code = code;
  r.error = why;
  r.type = SRV_PLAIN;
  r.proto = x ? x->proto : SRV_PROTO_HTTP11;
  srv_respond(core, &r, p);
  p->close = true;
  srv_metrics_refused(&core->metrics, code);
}

/* ------------------------------------------------------------------------ */
/* A plan of its own */

static srv_span copy_span(srv_buf *store, srv_span s)
{
  srv_span out = {store->data + store->len, s.len};
  if (s.len > 0)
    memcpy(store->data + store->len, s.s, s.len);
  store->len += s.len;
  return out;
}

void srv_plan_own(srv_plan *p, srv_buf *store)
{
  size_t need = p->field_count * sizeof(srv_hfield) + p->body.len;
  for (size_t i = 0; i < p->field_count; i++)
    need += p->fields[i].name.len + p->fields[i].value.len;
  store->len = 0;
  srv_buf_reserve(store, need + 1); /* no move from here on */
  srv_hfield *fields = (srv_hfield *)(void *)store->data;
  store->len = p->field_count * sizeof(srv_hfield);
  for (size_t i = 0; i < p->field_count; i++) {
    fields[i].name = copy_span(store, p->fields[i].name);
    fields[i].value = copy_span(store, p->fields[i].value);
  }
  p->fields = fields;
  p->body = copy_span(store, p->body);
}
