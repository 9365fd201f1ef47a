/* SPDX-License-Identifier: MIT */
/*
 * http1/write.c - plans as HTTP/1.1 bytes, appended to the worker's output:
 * the srv_plan_ops of HTTP/1 (interim response, header section, content,
 * abort, finish).
 *
 * At start-up srv_http1_init writes, for every code 100-999, the status
 * line, and for each standard plan (core/respond.c) its fields and its
 * tail (Content-Length, the blank line, the content), into one arena. The
 * common answer is then a handful of memcpy calls; any other plan is
 * written field by field by the same few functions.
 */
#include <string.h>

#include "core/codes.h"
#include "http1/http1.h"
#include "net/net.h"

#define CODE_COUNT (SRV_LAST_CODE - SRV_FIRST_CODE + 1)

/* Where one code's pieces lie in the arena. */
typedef struct prebuilt {
  srv_span status;    /* "HTTP/1.1 404 Not Found\r\n" */
  srv_span fields[2]; /* SRV_PLAIN, SRV_JSON: the standard plan's fields */
  srv_span tail[2];   /* Content-Length, CRLF, content */
  bool upgrade;       /* names an Upgrade: Connection carries "upgrade" */
} prebuilt;

static srv_buf arena;
static prebuilt table[CODE_COUNT];

static const prebuilt *entry(int code)
{
  return &table[code - SRV_FIRST_CODE];
}

/* ------------------------------------------------------------------------ */
/* Writing */

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

static void put_fields(srv_buf *out, const srv_hfield *f, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    srv_buf_append(out, f[i].name.s, f[i].name.len);
    srv_buf_append(out, ": ", 2);
    srv_buf_append(out, f[i].value.s, f[i].value.len);
    srv_buf_append(out, "\r\n", 2);
  }
}

/* The framing field and the blank line. */
static void put_length(srv_buf *out, const srv_plan *p)
{
  if (p->length_field) {
    srv_buf_puts(out, "Content-Length: ");
    srv_buf_putu(out, p->content_length);
    srv_buf_append(out, "\r\n", 2);
  }
  srv_buf_append(out, "\r\n", 2);
}

static void put_span(srv_buf *out, srv_span s)
{
  srv_buf_append(out, s.s, s.len);
}

/* The worker's tick refreshes the clock (every 250 ms, as nginx caches its
 * time per loop turn): an answer reads it, and only formats it when no
 * tick ran yet (a worker just started, a test). */
static void put_date(srv_conn *c)
{
  srv_clock *clock = &c->w->core.clock;
  if (clock->date_len == 0)
    srv_clock_update(clock);
  srv_buf_append(&c->w->out, clock->date, clock->date_len);
}

/* Connection options: close when the connection ends after this answer,
 * keep-alive for an HTTP/1.0 client that asked to keep it, upgrade beside
 * an Upgrade field (RFC 9110, Section 7.8). */
static void put_connection(srv_conn *c, const srv_plan *p)
{
  bool upgrade = entry(p->code)->upgrade;
  /* A switch hands the connection over, then closes it. */
  bool keep_alive = !p->close || p->kind == SRV_PLAN_SWITCH;
  bool http10 = c->h1.proto == SRV_PROTO_HTTP10;
  const char *v = !keep_alive ? (upgrade ? "close, upgrade" : "close")
                  : http10    ? (upgrade ? "keep-alive, upgrade" : "keep-alive")
                  : upgrade   ? "upgrade"
                              : NULL;
  if (v != NULL && p->connection) {
    srv_buf_puts(&c->w->out, "Connection: ");
    srv_buf_puts(&c->w->out, v);
    srv_buf_append(&c->w->out, "\r\n", 2);
  }
}

/* A 1xx: its status line, Date, its fields, the blank line. None goes to
 * an HTTP/1.0 client (RFC 9110, Section 15.2). */
size_t srv_http1_interim(srv_conn *c, int code)
{
  if (c->h1.proto == SRV_PROTO_HTTP10)
    return 0;
  srv_buf *out = &c->w->out;
  size_t before = out->len;
  const prebuilt *e = entry(code);
  put_span(out, e->status);
  put_date(c);
  put_span(out, e->fields[SRV_PLAIN]);
  srv_buf_append(out, "\r\n", 2);
  return out->len - before;
}

static size_t op_interim(void *stream, const srv_plan *p, int code)
{
  (void)p;
  return srv_http1_interim(stream, code);
}

static void copy(srv_buf *out, const char *s, size_t len)
{
  memcpy(out->data + out->len, s, len);
  out->len += len;
}

/* The common header section: its prebuilt pieces and the Date, one
 * reservation. */
static void put_standard(srv_conn *c, const prebuilt *e, const srv_plan *p)
{
  srv_buf *out = &c->w->out;
  srv_clock *clock = &c->w->core.clock;
  if (clock->date_len == 0)
    srv_clock_update(clock);
  srv_span fields = e->fields[p->type];
  /* The tail ends with the content; op_body sends that. */
  srv_span tail = {e->tail[p->type].s,
                   e->tail[p->type].len - (size_t)p->content_length};
  srv_buf_reserve(out, e->status.len + clock->date_len + fields.len +
                           tail.len + 64);
  copy(out, e->status.s, e->status.len);
  copy(out, clock->date, clock->date_len);
  copy(out, fields.s, fields.len);
  if (c->h1.proto == SRV_PROTO_HTTP10 || p->close || e->upgrade)
    put_connection(c, p);
  copy(out, tail.s, tail.len);
}

static size_t op_head(void *stream, const srv_plan *p, bool last)
{
  srv_conn *c = stream;
  srv_buf *out = &c->w->out;
  size_t before = out->len;
  const prebuilt *e = entry(p->code);
  (void)last; /* HTTP/1.1 frames by Content-Length, not by a flag */
  if (p->standard) {
    put_standard(c, e, p);
  } else {
    put_span(out, e->status);
    if (p->date)
      put_date(c);
    put_fields(out, p->fields, p->field_count);
    put_connection(c, p);
    put_length(out, p);
  }
  return out->len - before;
}

static size_t op_body(void *stream, const srv_plan *p, const char *data,
                      size_t len, bool last)
{
  srv_conn *c = stream;
  (void)p, (void)last;
  srv_buf_append(&c->w->out, data, len);
  return len;
}

static void op_abort(void *stream, const srv_plan *p, srv_abort when)
{
  srv_conn *c = stream;
  /* The client may still be sending: close slowly (a 444 with nothing
   * else asked closes at once, as nginx does). abort=reset: at once, with
   * a TCP reset. */
  c->linger |= p->abort != SRV_ABORT_NONE;
  c->reset = when == SRV_ABORT_RESET;
}

static void op_finish(void *stream, const srv_plan *p, bool close)
{
  srv_conn *c = stream;
  c->linger |= p->kind == SRV_PLAN_SWITCH;
  c->action = close ? SRV_ACT_CLOSE : SRV_ACT_CONTINUE;
  c->timeout = SRV_T_IDLE;
  c->deadline = c->w->now + c->w->cfg->idle_timeout_ms;
}

const srv_plan_ops srv_http1_ops = {
    .interim = op_interim,
    .head = op_head,
    .body = op_body,
    .abort = op_abort,
    .finish = op_finish,
};

/* ------------------------------------------------------------------------ */
/* Start-up */

static srv_span since(size_t off)
{
  srv_span s = {arena.data + off, arena.len - off};
  return s;
}

/* Most codes require no field, so most field blocks are alike: each
 * distinct block is kept once. Offsets, as the arena may still move while
 * its size is being learnt. */
#define MAX_DISTINCT 64
static size_t distinct_off[MAX_DISTINCT], distinct_len[MAX_DISTINCT];
static size_t distinct_count;

static srv_span intern(size_t off)
{
  size_t len = arena.len - off;
  for (size_t i = 0; i < distinct_count; i++) {
    if (distinct_len[i] == len &&
        memcmp(arena.data + distinct_off[i], arena.data + off, len) == 0) {
      arena.len = off;
      return (srv_span){arena.data + distinct_off[i], len};
    }
  }
  if (distinct_count < MAX_DISTINCT) {
    distinct_off[distinct_count] = off;
    distinct_len[distinct_count++] = len;
  }
  return since(off);
}

static void prebuild(int code)
{
  prebuilt *e = &table[code - SRV_FIRST_CODE];
  size_t off = arena.len;
  put_status(&arena, code);
  e->status = since(off);
  e->upgrade = (httpstatus_headers(code) & HTTPSTATUS_HEADER_UPGRADE) != 0;
  for (int t = SRV_PLAIN; t <= SRV_JSON; t++) {
    srv_plan p;
    if (!srv_plan_standard(code, (srv_type)t, &p))
      continue;
    off = arena.len;
    put_fields(&arena, p.fields, p.field_count);
    e->fields[t] = intern(off);
    off = arena.len;
    put_length(&arena, &p);
    put_span(&arena, p.body);
    e->tail[t] = since(off);
  }
}

/* Writes every piece; run twice, the first time to learn the size, so
 * that the arena never moves once pointed into. */
static void prebuild_all(void)
{
  arena.len = 0;
  distinct_count = 0;
  memset(table, 0, sizeof table);
  for (int code = SRV_FIRST_CODE; code <= SRV_LAST_CODE; code++)
    prebuild(code);
}

void srv_http1_init(void)
{
  prebuild_all();
  size_t size = arena.len;
  srv_buf_free(&arena);
  srv_buf_reserve(&arena, size);
  prebuild_all();
}

void srv_http1_shutdown(void)
{
  srv_buf_free(&arena);
  memset(table, 0, sizeof table);
}
