/* SPDX-License-Identifier: MIT */
/*
 * respond.c - the bytes of an answer.
 *
 * Every header section is written by the same few functions (put_status,
 * put_fixed, put_connection, put_content); what they write for a code comes
 * from the library: its phrase, the fields it requires
 * (httpstatus_headers), whether it has content (httpstatus_allows_content).
 * At start-up srv_respond_init runs them once per code, 100-999, into one
 * arena: the status line, the fields that follow the Date (an interim 1xx
 * response is those two and a blank line), and for text/plain and JSON the
 * content fields and content. The common answer is then a handful of memcpy calls; anything
 * the request changes (an override, ?location=, HTML, a page) takes the
 * slow path through the same functions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "httpstatus.h"
#include "srv.h"

#define FIRST_CODE 100
#define LAST_CODE 999
#define CODE_COUNT (LAST_CODE - FIRST_CODE + 1)

/* nginx's 444: close the connection without answering. */
#define NO_RESPONSE 444

/* The code a 1xx is followed by once its interim response is sent. */
#define FINAL_AFTER_INTERIM 200

#define SERVER "httpstatus/" HTTPSTATUS_VERSION_STRING
#define TYPE_PLAIN srv_type_names[SRV_PLAIN]

/* The values this server gives the fields a code requires. */
#define DEFAULT_LOCATION "/200"
#define ALLOW "GET, HEAD, OPTIONS"
#define CHALLENGE "Basic realm=\"httpstatus\""
#define UPGRADE_REQUIRED "HTTP/2"
#define RETRY_AFTER "1"
#define EARLY_HINT "</static/catalog.css>; rel=preload; as=style"
#define PREFLIGHT_MAX_AGE "86400"

typedef struct span32 {
  uint32_t off, len;
} span32;

/* Where one code's pieces lie in the arena. */
typedef struct prebuilt {
  span32 status;  /* "HTTP/1.1 404 Not Found\r\n" */
  span32 fixed;   /* the fields after Date: Server, CORS, the code's own */
  span32 tail[2]; /* SRV_PLAIN, SRV_JSON: content fields, CRLF, content */
  uint32_t body_len[2];
  uint8_t kind;   /* KIND_* bits, so the hot path asks the library nothing */
} prebuilt;

#define KIND_INTERIM 1u /* a 1xx sent before a final answer */
#define KIND_SWITCH 2u  /* a 1xx switching protocols (101) */
#define KIND_UPGRADE 4u /* names an Upgrade: Connection carries "upgrade" */

static srv_buf arena;
static prebuilt table[CODE_COUNT];
static char expose[256]; /* Access-Control-Expose-Headers value */

/* ------------------------------------------------------------------------ */
/* Writing fields */

/* Where the fields go, and the request when it may override them (NULL
 * while prebuilding). */
typedef struct ctx {
  srv_buf *out;
  const srv_request *r;
} ctx;

static char lower(char ch)
{
  return ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch;
}

static bool name_eq(const char *a, size_t len, const char *b)
{
  size_t i = 0;
  for (; i < len && b[i] != '\0'; i++)
    if (lower(a[i]) != lower(b[i]))
      return false;
  return i == len && b[i] == '\0';
}

static bool overridden(const ctx *x, const char *name)
{
  if (x->r == NULL)
    return false;
  for (size_t i = 0; i < x->r->override_count; i++) {
    const srv_override *o = &x->r->overrides[i];
    if (name_eq(x->r->scratch + o->name.off, o->name.len, name))
      return true;
  }
  return false;
}

static void put_field(ctx *x, const char *name, const char *value,
                      size_t len)
{
  if (overridden(x, name))
    return;
  srv_buf_puts(x->out, name);
  srv_buf_append(x->out, ": ", 2);
  srv_buf_append(x->out, value, len);
  srv_buf_append(x->out, "\r\n", 2);
}

static void put_fieldz(ctx *x, const char *name, const char *value)
{
  put_field(x, name, value, strlen(value));
}

static void put_field_u(ctx *x, const char *name, uint64_t v)
{
  if (overridden(x, name))
    return;
  srv_buf_puts(x->out, name);
  srv_buf_append(x->out, ": ", 2);
  srv_buf_putu(x->out, v);
  srv_buf_append(x->out, "\r\n", 2);
}

static void put_status(srv_buf *out, int code)
{
  const char *phrase = httpstatus_reason(code);
  srv_buf_puts(out, "HTTP/1.1 ");
  srv_buf_putu(out, (uint64_t)code);
  srv_buf_append(out, " ", 1);
  if (phrase != NULL) /* the phrase is optional (RFC 9112, Section 4) */
    srv_buf_puts(out, phrase);
  srv_buf_append(out, "\r\n", 2);
}

bool srv_switches_protocol(int code)
{
  return httpstatus_is_informational(code) &&
         (httpstatus_headers(code) & HTTPSTATUS_HEADER_UPGRADE);
}

/* The value this server gives a field the code requires; Content-Range
 * depends on the content and is written with it. */
static void put_required(ctx *x, unsigned bit, int code)
{
  const char *name = httpstatus_header_name(bit);
  const srv_request *r = x->r;
  switch (bit) {
  case HTTPSTATUS_HEADER_LOCATION:
    if (r != NULL && r->location != NULL)
      put_field(x, name, r->location, r->location_len);
    else
      put_fieldz(x, name, DEFAULT_LOCATION);
    break;
  case HTTPSTATUS_HEADER_ALLOW: put_fieldz(x, name, ALLOW); break;
  case HTTPSTATUS_HEADER_WWW_AUTHENTICATE:
  case HTTPSTATUS_HEADER_PROXY_AUTHENTICATE:
    put_fieldz(x, name, CHALLENGE);
    break;
  case HTTPSTATUS_HEADER_UPGRADE:
    /* 101 names the protocol the client offered (its first); 426 asks. */
    if (srv_switches_protocol(code) && r != NULL && r->upgrade != NULL) {
      size_t len = 0;
      while (len < r->upgrade_len && r->upgrade[len] != ',')
        len++;
      while (len > 0 && r->upgrade[len - 1] == ' ')
        len--;
      put_field(x, name, r->upgrade, len);
    } else {
      put_fieldz(x, name, UPGRADE_REQUIRED);
    }
    break;
  case HTTPSTATUS_HEADER_RETRY_AFTER: put_fieldz(x, name, RETRY_AFTER); break;
  case HTTPSTATUS_HEADER_LINK: put_fieldz(x, name, EARLY_HINT); break;
  default: break; /* Content-Range: see put_content */
  }
}

/* The fields `code` requires, and Location wherever ?location= asks. */
static void put_code_fields(ctx *x, int code)
{
  unsigned bits = httpstatus_headers(code);
  if (x->r != NULL && x->r->location != NULL)
    bits |= HTTPSTATUS_HEADER_LOCATION;
  for (unsigned bit = 1; bit != 0 && bit <= bits; bit <<= 1)
    if (bits & bit)
      put_required(x, bit, code);
}

/* Everything after Date that does not depend on the connection or content. */
static void put_fixed(ctx *x, int code)
{
  put_fieldz(x, "Server", SERVER);
  put_fieldz(x, "Access-Control-Allow-Origin", "*");
  put_fieldz(x, "Access-Control-Expose-Headers", expose);
  put_fieldz(x, "Vary", "Accept"); /* the content is negotiated */
  put_code_fields(x, code);
}

/* The worker's tick refreshes the clock (every 250 ms, as nginx caches its
 * time per loop turn): an answer reads it, and only formats it when no
 * tick ran yet (a worker just started, a test). */
static const srv_clock *clock_of(srv_worker *w)
{
  if (w->clock.date_len == 0)
    srv_clock_update(&w->clock);
  return &w->clock;
}

static void put_date(ctx *x, srv_worker *w)
{
  if (overridden(x, "Date"))
    return;
  const srv_clock *clock = clock_of(w);
  srv_buf_append(x->out, clock->date, clock->date_len);
}

static void put_overrides(ctx *x)
{
  const srv_request *r = x->r;
  for (size_t i = 0; r != NULL && i < r->override_count; i++) {
    const srv_override *o = &r->overrides[i];
    srv_buf_append(x->out, r->scratch + o->name.off, o->name.len);
    srv_buf_append(x->out, ": ", 2);
    srv_buf_append(x->out, r->scratch + o->value.off, o->value.len);
    srv_buf_append(x->out, "\r\n", 2);
  }
}

/* Connection options: close when the connection ends after this answer,
 * keep-alive for an HTTP/1.0 client that asked to keep it, upgrade beside
 * an Upgrade field (RFC 9110, Section 7.8). */
static void put_connection(ctx *x, int code, bool keep_alive, int minor)
{
  bool upgrade = (httpstatus_headers(code) & HTTPSTATUS_HEADER_UPGRADE) != 0;
  if (srv_switches_protocol(code))
    keep_alive = true; /* the connection is handed over, then closed */
  const char *v = !keep_alive  ? (upgrade ? "close, upgrade" : "close")
                  : minor == 0 ? (upgrade ? "keep-alive, upgrade" : "keep-alive")
                  : upgrade    ? "upgrade"
                               : NULL;
  if (v != NULL)
    put_fieldz(x, "Connection", v);
}

/* RFC 9112, Section 6.3: 1xx, 204 and 304 answers end with their header
 * section whatever they carry; every other answer without content needs a
 * Content-Length of 0 (205) to be framed on a kept connection. */
static bool framed_by_status(int code)
{
  return httpstatus_is_informational(code) || code == 204 || code == 304;
}

typedef enum body_mode { BODY_FULL, BODY_HEAD, BODY_NONE } body_mode;

/* The content fields and the blank line, for a body of `len` bytes. Returns
 * how many bytes of that body to send: a 2xx requiring Content-Range (206)
 * sends the first half as a partial response. */
static size_t put_content(ctx *x, int code, const char *ctype, size_t len,
                          body_mode mode)
{
  if (!httpstatus_allows_content(code)) {
    if (!framed_by_status(code))
      put_fieldz(x, "Content-Length", "0");
    srv_buf_append(x->out, "\r\n", 2);
    return 0;
  }
  if (mode == BODY_NONE) {
    put_fieldz(x, "Content-Length", "0");
    srv_buf_append(x->out, "\r\n", 2);
    return 0;
  }
  put_fieldz(x, "Content-Type", ctype);
  size_t send = len;
  if (httpstatus_headers(code) & HTTPSTATUS_HEADER_CONTENT_RANGE) {
    char range[64];
    int n;
    if (httpstatus_is_success(code) && len > 1) {
      send = len / 2;
      n = snprintf(range, sizeof range, "bytes 0-%zu/%zu", send - 1, len);
    } else {
      n = snprintf(range, sizeof range, "bytes */%zu", len);
    }
    put_field(x, "Content-Range", range, (size_t)n);
  }
  put_field_u(x, "Content-Length", send);
  srv_buf_append(x->out, "\r\n", 2);
  return mode == BODY_FULL ? send : 0;
}

/* ------------------------------------------------------------------------ */
/* Start-up */

static span32 since(size_t off)
{
  span32 s = {(uint32_t)off, (uint32_t)(arena.len - off)};
  return s;
}

/* Most codes require no field, so most fixed blocks are alike: each
 * distinct block is kept once. */
#define MAX_DISTINCT 64
static span32 distinct[MAX_DISTINCT];
static size_t distinct_count;

static span32 intern(size_t off)
{
  span32 s = since(off);
  for (size_t i = 0; i < distinct_count; i++) {
    if (distinct[i].len == s.len &&
        memcmp(arena.data + distinct[i].off, arena.data + off, s.len) == 0) {
      arena.len = off;
      return distinct[i];
    }
  }
  if (distinct_count < MAX_DISTINCT)
    distinct[distinct_count++] = s;
  return s;
}

static void prebuild(int code)
{
  prebuilt *p = &table[code - FIRST_CODE];
  ctx x = {&arena, NULL};
  size_t off = arena.len;
  put_status(&arena, code);
  p->status = since(off);
  off = arena.len;
  put_fixed(&x, code);
  p->fixed = intern(off);
  if (httpstatus_headers(code) & HTTPSTATUS_HEADER_UPGRADE)
    p->kind |= KIND_UPGRADE;
  if (httpstatus_is_informational(code))
    p->kind |= srv_switches_protocol(code) ? KIND_SWITCH : KIND_INTERIM;
  for (int t = SRV_PLAIN; t <= SRV_JSON; t++) {
    /* JSON about a code the catalog does not know is rare: built on
     * demand, it costs no memory. */
    if (t == SRV_JSON && httpstatus_lookup(code) == NULL)
      continue;
    srv_buf body = {0};
    srv_page_code(code, (srv_type)t, &body);
    off = arena.len;
    size_t send =
        put_content(&x, code, srv_type_names[t], body.len, BODY_FULL);
    srv_buf_append(&arena, body.data, send);
    p->tail[t] = since(off);
    p->body_len[t] = (uint32_t)send;
    srv_buf_free(&body);
  }
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
  arena.len = 0;
  distinct_count = 0;
  memset(table, 0, sizeof table);
  for (int code = FIRST_CODE; code <= LAST_CODE; code++)
    prebuild(code);
  char *fit = realloc(arena.data, arena.len); /* no slack kept resident */
  if (fit != NULL) {
    arena.data = fit;
    arena.cap = arena.len;
  }
}

void srv_respond_free(void)
{
  srv_buf_free(&arena);
}

/* ------------------------------------------------------------------------ */
/* Answering */

/* The body was written at out[start..); writes the header section after it,
 * then moves the header section in front of the part of the body to send.
 * Building the body first tells its length without building it twice. */
static void finish(srv_worker *w, ctx *x, size_t start, int code,
                   const char *ctype, bool keep_alive, int minor,
                   body_mode mode, size_t *head_start, size_t *head_len)
{
  srv_buf *out = x->out;
  size_t body_len = out->len - start;
  size_t head = out->len;
  put_status(out, code);
  put_date(x, w);
  put_fixed(x, code);
  put_overrides(x);
  put_connection(x, code, keep_alive, minor);
  size_t send = put_content(x, code, ctype, body_len, mode);
  size_t hlen = out->len - head;
  srv_buf_reserve(out, send);
  char *d = out->data;
  memcpy(d + head + hlen, d + start, send);
  memmove(d + start, d + head, hlen + send);
  out->len = start + hlen + send;
  if (head_start != NULL) {
    *head_start = start;
    *head_len = hlen;
  }
}

static void error_body(srv_buf *out, int code, const char *why)
{
  const char *phrase = httpstatus_reason(code);
  srv_buf_putu(out, (uint64_t)code);
  if (phrase != NULL) {
    srv_buf_append(out, " ", 1);
    srv_buf_puts(out, phrase);
  }
  srv_buf_append(out, ": ", 2);
  srv_buf_puts(out, why);
  srv_buf_append(out, "\n", 1);
}

static void preflight(srv_worker *w, const srv_request *r, srv_buf *out,
                      size_t *head_start, size_t *head_len)
{
  ctx x = {out, NULL};
  size_t start = out->len;
  put_status(out, r->code);
  put_date(&x, w);
  put_fieldz(&x, "Server", SERVER);
  put_fieldz(&x, "Access-Control-Allow-Origin", "*");
  put_field(&x, "Access-Control-Allow-Methods", r->acr_method,
            r->acr_method_len);
  if (r->acr_headers != NULL)
    put_field(&x, "Access-Control-Allow-Headers", r->acr_headers,
              r->acr_headers_len);
  put_fieldz(&x, "Access-Control-Max-Age", PREFLIGHT_MAX_AGE);
  put_connection(&x, r->code, r->keep_alive, r->http_minor);
  put_content(&x, r->code, NULL, 0, BODY_NONE);
  *head_start = start;
  *head_len = out->len - start;
}

/* The prebuilt status line and fixed fields of `code`, the Date between. */
static void put_prebuilt_head(srv_worker *w, srv_buf *out, int code)
{
  const prebuilt *p = &table[code - FIRST_CODE];
  const char *a = arena.data;
  const srv_clock *clock = clock_of(w);
  srv_buf_reserve(out, p->status.len + clock->date_len + p->fixed.len);
  char *d = out->data + out->len;
  memcpy(d, a + p->status.off, p->status.len);
  d += p->status.len;
  memcpy(d, clock->date, clock->date_len);
  d += clock->date_len;
  memcpy(d, a + p->fixed.off, p->fixed.len);
  out->len += p->status.len + clock->date_len + p->fixed.len;
}

/* The common answer: prebuilt pieces only. */
static void fast(srv_worker *w, const srv_request *r, srv_buf *out, int code,
                 size_t *head_start, size_t *head_len)
{
  const prebuilt *p = &table[code - FIRST_CODE];
  const span32 *tail = &p->tail[r->type];
  size_t tail_len = tail->len - (r->head ? p->body_len[r->type] : 0);
  size_t body_len = r->head ? 0 : p->body_len[r->type];
  size_t start = out->len;
  put_prebuilt_head(w, out, code);
  if (!r->keep_alive || r->http_minor == 0 || (p->kind & KIND_UPGRADE)) {
    ctx x = {out, NULL};
    put_connection(&x, code, r->keep_alive, r->http_minor);
  }
  srv_buf_append(out, arena.data + tail->off, tail_len);
  *head_start = start;
  *head_len = out->len - start - body_len;
}

static bool is_fast(const srv_request *r, int code)
{
  const prebuilt *p = &table[code - FIRST_CODE];
  return r->type != SRV_HTML && r->override_count == 0 &&
         r->location == NULL && !r->suppress_body &&
         !(p->kind & KIND_SWITCH) && p->tail[r->type].len > 0;
}

int srv_respond(srv_worker *w, const srv_request *r, srv_buf *out,
                size_t *head_start, size_t *head_len)
{
  size_t hs, hl;
  if (head_start == NULL || head_len == NULL)
    head_start = &hs, head_len = &hl;
  int code = r->code;
  if (r->route == SRV_ROUTE_PREFLIGHT) {
    preflight(w, r, out, head_start, head_len);
    return r->code;
  }
  if (r->route == SRV_ROUTE_ERROR) {
    ctx x = {out, NULL};
    size_t start = out->len;
    error_body(out, code, r->error ? r->error : "the request is wrong");
    finish(w, &x, start, code, TYPE_PLAIN, r->keep_alive, r->http_minor,
           r->head ? BODY_HEAD : BODY_FULL, head_start, head_len);
    return code;
  }
  if (r->route == SRV_ROUTE_CODE) {
    if (code < FIRST_CODE || code > LAST_CODE || code == NO_RESPONSE)
      return 0;
    /* An interim response first (none to HTTP/1.0), then the final one. */
    if (table[code - FIRST_CODE].kind & KIND_INTERIM) {
      if (r->http_minor >= 1) {
        put_prebuilt_head(w, out, code);
        srv_buf_append(out, "\r\n", 2);
      }
      code = FINAL_AFTER_INTERIM;
    }
    if (is_fast(r, code)) {
      fast(w, r, out, code, head_start, head_len);
      return code;
    }
  }
  ctx x = {out, r};
  size_t start = out->len;
  const char *ctype = srv_type_names[r->type];
  body_mode mode = r->head ? BODY_HEAD : BODY_FULL;
  if (r->suppress_body)
    mode = BODY_NONE;
  if (r->route == SRV_ROUTE_CODE) {
    if (httpstatus_allows_content(code) && mode != BODY_NONE)
      srv_page_code(code, r->type, out);
  } else {
    code = srv_page(r, out, &ctype);
  }
  finish(w, &x, start, code, ctype, r->keep_alive, r->http_minor, mode,
         head_start, head_len);
  return code;
}

void srv_respond_error(srv_worker *w, srv_buf *out, int code, const char *why)
{
  ctx x = {out, NULL};
  size_t start = out->len;
  if (code < FIRST_CODE || code > LAST_CODE)
    code = 500;
  error_body(out, code, why);
  finish(w, &x, start, code, TYPE_PLAIN, false, 1, BODY_FULL, NULL, NULL);
}

void srv_respond_status_line(srv_buf *out, int code)
{
  if (code < FIRST_CODE || code > LAST_CODE)
    code = 500;
  const prebuilt *p = &table[code - FIRST_CODE];
  srv_buf_append(out, arena.data + p->status.off, p->status.len);
  srv_buf_append(out, arena.data + p->fixed.off, p->fixed.len);
}
