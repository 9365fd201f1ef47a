/* SPDX-License-Identifier: MIT */
/*
 * core/handler.c - the table of routes whose answer depends on the
 * request's own fields (validators, ranges, credentials, redirect chains),
 * and the srv_reply a handler builds its answer in.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/core.h"

/* The first path segment names the handler (any case, as the other
 * routes). */
static const srv_handler *const handlers[] = {
    &srv_handler_etag,
    &srv_handler_cache,
    &srv_handler_range,
    &srv_handler_basic_auth,
    &srv_handler_hidden_basic_auth,
    &srv_handler_proxy_basic_auth,
    &srv_handler_bearer,
    &srv_handler_digest_auth,
    &srv_handler_proxy_digest_auth,
    &srv_handler_redirect,
    &srv_handler_relative_redirect,
    &srv_handler_absolute_redirect,
    &srv_handler_redirect_to,
    &srv_handler_redirect_loop,
};

bool srv_handler_route(srv_core *core, srv_request *r, const char *path,
                       size_t len)
{
  size_t seg = srv_span_until(path, len, "/");
  for (size_t i = 0; i < sizeof handlers / sizeof handlers[0]; i++) {
    if (!srv_ieq(path, seg, handlers[i]->name))
      continue;
    r->route = SRV_ROUTE_HANDLER;
    r->handler = handlers[i];
    r->code = HTTPSTATUS_CODE_OK;
    r->arg = seg < len ? (srv_span){path + seg + 1, len - seg - 1}
                       : (srv_span){NULL, 0};
    if (handlers[i]->check != NULL)
      handlers[i]->check(core, r);
    return true;
  }
  return false;
}

int64_t srv_core_now(const srv_core *core)
{
  return core->clock.second != 0 ? core->clock.second : (int64_t)time(NULL);
}

void srv_handlers_init(void)
{
  srv_conditional_init();
  srv_auth_init();
}

bool srv_reply_decode(srv_reply *out, srv_span in, srv_span *decoded)
{
  if (in.len > sizeof out->text - out->text_len)
    return false;
  char *at = out->text + out->text_len;
  long n = srv_unescape(in.s, in.len, false, at);
  if (n < 0)
    return false;
  out->text_len += (size_t)n;
  *decoded = (srv_span){at, (size_t)n};
  return true;
}

int srv_handler_answer(srv_core *core, const srv_request *r, srv_buf *body,
                       srv_reply *out)
{
  out->count = out->text_len = 0;
  out->core = core;
  out->r = r;
  out->body = body;
  out->ctype = srv_type_names[r->type];
  core->values.len = 0;
  int code = r->handler->answer(out);
  for (size_t i = 0; i < out->count; i++) {
    out->fields[i].name = srv_span_of(out->names[i]);
    out->fields[i].value =
        (srv_span){core->values.data + out->offsets[i], out->lengths[i]};
  }
  return code;
}

bool srv_reply_has(const srv_reply *out, const char *name)
{
  for (size_t i = 0; i < out->count; i++)
    if (srv_ieq(out->names[i], strlen(out->names[i]), name))
      return true;
  return false;
}

static void add(srv_reply *out, const char *name, size_t off)
{
  if (out->count == SRV_REPLY_MAX_FIELDS)
    return; /* the handlers add fewer; a bug, not an input, gets here */
  out->names[out->count] = name;
  out->offsets[out->count] = off;
  out->lengths[out->count] = out->core->values.len - off;
  out->count++;
}

void srv_reply_span(srv_reply *out, const char *name, srv_span v)
{
  srv_buf *values = &out->core->values;
  size_t off = values->len;
  srv_buf_append(values, v.s, v.len);
  add(out, name, off);
}

void srv_reply_field(srv_reply *out, const char *name, const char *fmt, ...)
{
  size_t off = out->core->values.len;
  va_list ap;
  va_start(ap, fmt);
  srv_buf_vprintf(&out->core->values, fmt, ap);
  va_end(ap);
  add(out, name, off);
}

int srv_reply_error(srv_reply *out, int code, const char *fmt, ...)
{
  char why[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(why, sizeof why, fmt, ap);
  va_end(ap);
  out->count = 0;
  out->body->len = 0;
  out->ctype = srv_type_names[SRV_PLAIN];
  srv_page_error(code, why, out->body);
  return code;
}
