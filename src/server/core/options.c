/* SPDX-License-Identifier: MIT */
/*
 * core/options.c - the fault injection and redirect a request asks for:
 * query parameters (?sleep=, ?abort=...) and their X-HttpStatus-* field
 * twins (the query wins), and the X-HttpStatus-Response-* overrides.
 */
#include <string.h>

#include "core/core.h"

typedef struct options {
  srv_span sleep, sleep_after, dribble, abort, suppress, location;
  srv_params *more; /* faults.c's */
} options;

static void set_param(options *o, srv_span name, srv_span value)
{
  static const struct {
    const char *name;
    size_t offset;
  } params[] = {
      {"sleep", offsetof(options, sleep)},
      {"sleepAfterHeaders", offsetof(options, sleep_after)},
      {"dribble", offsetof(options, dribble)},
      {"abort", offsetof(options, abort)},
      {"suppressBody", offsetof(options, suppress)},
      {"location", offsetof(options, location)},
  };
  /* Any case: httpstat.us's clients send ?SuppressBody=true. */
  for (size_t i = 0; i < sizeof params / sizeof params[0]; i++) {
    if (srv_ieq(name.s, name.len, params[i].name)) {
      *(srv_span *)(void *)((char *)o + params[i].offset) = value;
      return;
    }
  }
  /* Other parameters (cache busters...) are the client's business. */
  srv_params_set(o->more, name, value);
}

bool srv_query_next(srv_span query, size_t *pos, srv_span *name,
                    srv_span *value)
{
  const char *q = query.s;
  size_t len = query.len, start = *pos;
  if (start >= len)
    return false;
  const char *amp = memchr(q + start, '&', len - start);
  size_t end = amp ? (size_t)(amp - q) : len;
  const char *eq = memchr(q + start, '=', end - start);
  *name = (srv_span){q + start, eq ? (size_t)(eq - q) - start : end - start};
  *value = (srv_span){eq ? eq + 1 : q + end,
                      eq ? end - (size_t)(eq + 1 - q) : 0};
  *pos = end + 1;
  return true;
}

bool srv_query_param(srv_span query, const char *name, srv_span *value)
{
  srv_span n, v;
  for (size_t pos = 0; srv_query_next(query, &pos, &n, &v);) {
    if (strlen(name) == n.len && memcmp(name, n.s, n.len) == 0) {
      *value = v;
      return true;
    }
  }
  return false;
}

static void read_query(options *o, srv_span query)
{
  srv_span name, value;
  for (size_t pos = 0; srv_query_next(query, &pos, &name, &value);)
    set_param(o, name, value);
}

/* The request field fills what the query did not say. */
static void read_fields(options *o, const srv_exchange *x)
{
  static const struct {
    srv_field f;
    size_t offset;
  } twins[] = {
      {SRV_F_X_SLEEP, offsetof(options, sleep)},
      {SRV_F_X_SLEEP_AFTER_HEADERS, offsetof(options, sleep_after)},
      {SRV_F_X_DRIBBLE, offsetof(options, dribble)},
      {SRV_F_X_ABORT, offsetof(options, abort)},
      {SRV_F_X_SUPPRESS_BODY, offsetof(options, suppress)},
      {SRV_F_X_US_SUPPRESS_BODY, offsetof(options, suppress)},
      {SRV_F_X_US_SLEEP_AFTER_HEADERS, offsetof(options, sleep_after)},
  };
  for (size_t i = 0; i < sizeof twins / sizeof twins[0]; i++) {
    srv_span *t = (srv_span *)(void *)((char *)o + twins[i].offset);
    if (t->s == NULL && x->fields[twins[i].f].len > 0)
      *t = srv_trim(x->fields[twins[i].f]);
  }
}

bool srv_has_options(const srv_exchange *x)
{
  _Static_assert(SRV_F_X_US_ABORT_DURING_BODY - SRV_F_X_SLEEP == 10,
                 "the X-HttpStatus-* option fields are listed together");
  size_t any = 0;
  for (int f = SRV_F_X_SLEEP; f <= SRV_F_X_US_ABORT_DURING_BODY; f++)
    any |= x->fields[f].len;
  return any != 0;
}

static bool parse_ms(srv_core *core, srv_request *r, const char *name,
                     srv_span v, uint64_t *out)
{
  uint64_t max = core->cfg->max_sleep_ms;
  if (v.s == NULL)
    return true;
  uint64_t ms;
  if (!srv_parse_u64(v.s, v.len, UINT64_MAX / 4, &ms))
    return srv_fail(core, r, HTTPSTATUS_CODE_BAD_REQUEST,
                    "%s=%.*s is not a number of milliseconds", name,
                    srv_quote_len(v.len), v.s);
  if (ms > max)
    return srv_fail(core, r, HTTPSTATUS_CODE_BAD_REQUEST,
                    "%s=%llu is above the server's --max-sleep of %llu ms",
                    name, (unsigned long long)ms, (unsigned long long)max);
  *out = ms;
  return true;
}

/* The HTTP/2 error code after "abort=KIND:": a name of RFC 9113, Section
 * 7 (any case) or a number. */
static bool parse_h2_error(srv_span v, uint32_t *code)
{
  static const struct {
    const char *name;
    srv_h2_error code;
  } names[] = {
#define SRV_H2_ERROR_NAME(name, value) {#name, SRV_H2E_##name},
      SRV_H2_ERRORS(SRV_H2_ERROR_NAME)
#undef SRV_H2_ERROR_NAME
  };
  uint64_t n;
  if (srv_parse_u64(v.s, v.len, UINT32_MAX, &n)) {
    *code = (uint32_t)n;
    return true;
  }
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    if (srv_ieq(v.s, v.len, names[i].name)) {
      *code = names[i].code;
      return true;
    }
  }
  return false;
}

static bool parse_abort(srv_core *core, srv_request *r, srv_span v)
{
  static const struct {
    const char *name;
    srv_abort abort;
    srv_h2_error code; /* when no :CODE follows */
  } kinds[] = {
      {"before-headers", SRV_ABORT_BEFORE_HEADERS, SRV_H2E_INTERNAL_ERROR},
      {"after-headers", SRV_ABORT_AFTER_HEADERS, SRV_H2E_INTERNAL_ERROR},
      {"mid-body", SRV_ABORT_MID_BODY, SRV_H2E_INTERNAL_ERROR},
      {"reset", SRV_ABORT_RESET, SRV_H2E_INTERNAL_ERROR},
      {"goaway", SRV_ABORT_GOAWAY, SRV_H2E_NO_ERROR},
  };
  if (v.s == NULL)
    return true;
  size_t kind_len = srv_span_until(v.s, v.len, ":");
  srv_span code = {v.s + kind_len + 1, v.len - kind_len - (kind_len < v.len)};
  for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
    if (!srv_ieq(v.s, kind_len, kinds[i].name))
      continue;
    r->abort = kinds[i].abort;
    r->abort_code = kinds[i].code;
    if (kind_len == v.len || parse_h2_error(code, &r->abort_code))
      return true;
    return srv_fail(core, r, HTTPSTATUS_CODE_BAD_REQUEST,
                    "abort=%.*s: %.*s is not an HTTP/2 error code (a name such "
                    "as CANCEL or REFUSED_STREAM, or a number)",
                    srv_quote_len(v.len), v.s, srv_quote_len(code.len), code.s);
  }
  return srv_fail(core, r, HTTPSTATUS_CODE_BAD_REQUEST,
                  "abort=%.*s is not one of before-headers, after-headers, "
                  "mid-body, reset, goaway (each may end with :CODE, an "
                  "HTTP/2 error code)",
                  srv_quote_len(v.len), v.s);
}

static bool parse_bool(srv_core *core, srv_request *r, const char *name,
                       srv_span v, bool *out)
{
  if (v.s == NULL)
    return true;
  if (srv_ieq(v.s, v.len, "true") || v.len == 0) {
    *out = true;
    return true;
  }
  if (srv_ieq(v.s, v.len, "false")) {
    *out = false;
    return true;
  }
  return srv_fail(core, r, HTTPSTATUS_CODE_BAD_REQUEST,
                  "%s=%.*s is neither true nor false", name,
                  srv_quote_len(v.len), v.s);
}

/* Stores the decoded target's offset in core->scratch: later decoding may
 * move the buffer, so srv_request_describe sets r->location last. */
static bool parse_location(srv_core *core, srv_request *r, srv_span v,
                           size_t *location_off)
{
  if (v.s == NULL)
    return true;
  return srv_redirect_decode(core, r, "location", v, &r->location,
                             location_off);
}

bool srv_options_read(srv_core *core, const srv_exchange *x, srv_request *r,
                      srv_span query, size_t *location_off)
{
  options o;
  memset(&o, 0, sizeof o);
  o.more = &r->params;
  read_query(&o, query);
  read_fields(&o, x);
  if (!srv_peers_fields(core, x, r, &o.dribble, &o.abort) ||
      !srv_faults_read(core, r) ||
      !parse_ms(core, r, "sleep", o.sleep, &r->sleep_ms) ||
      !parse_ms(core, r, "sleepAfterHeaders", o.sleep_after,
                &r->sleep_after_headers_ms) ||
      !parse_ms(core, r, "dribble", o.dribble, &r->dribble_ms) ||
      !parse_abort(core, r, o.abort) ||
      !parse_bool(core, r, "suppressBody", o.suppress, &r->suppress_body) ||
      !parse_location(core, r, o.location, location_off))
    return false;
  uint64_t total = r->sleep_ms + r->sleep_after_headers_ms + r->dribble_ms;
  if (total > core->cfg->max_sleep_ms)
    return srv_fail(core, r, HTTPSTATUS_CODE_BAD_REQUEST,
                    "sleep + sleepAfterHeaders + dribble = %llu ms is above "
                    "the server's --max-sleep of %llu ms",
                    (unsigned long long)total,
                    (unsigned long long)core->cfg->max_sleep_ms);
  return true;
}

static bool has_byte(srv_span s, const char *bytes, size_t n)
{
  for (size_t k = 0; k < s.len; k++)
    if (memchr(bytes, s.s[k], n) != NULL)
      return true;
  return false;
}

/* X-HttpStatus-Response-<Name>: the protocol layer (llhttp strict,
 * nghttp2) already refuses CR and LF in values and anything but a token in
 * names; they are checked here too so that nothing depends on that.
 * Framing fields cannot be replaced: a wrong Content-Length would
 * desynchronise the connection. */
bool srv_overrides_check(srv_core *core, const srv_exchange *x,
                         srv_request *r)
{
  for (size_t i = 0; i < x->override_count; i++) {
    const srv_hfield *o = &x->overrides[i];
    if (o->name.len == 0)
      return srv_fail(core, r, HTTPSTATUS_CODE_BAD_REQUEST,
                      "X-HttpStatus-Response- names no field");
    if (has_byte(o->name, "\r\n\0: ", 5))
      return srv_fail(core, r, HTTPSTATUS_CODE_BAD_REQUEST,
                      "X-HttpStatus-Response-* field name holds CR, LF, NUL, "
                      "space or colon");
    if (has_byte(o->value, "\r\n\0", 3))
      return srv_fail(core, r, HTTPSTATUS_CODE_BAD_REQUEST,
                      "X-HttpStatus-Response-%.*s value holds CR, LF or NUL",
                      srv_quote_len(o->name.len), o->name.s);
    srv_span target;
    if (srv_redirect_value(o->name, o->value, &target) &&
        !srv_redirect_check(core, r, "the overriding redirect", target))
      return false;
    if (srv_ieq(o->name.s, o->name.len, "content-length") ||
        srv_ieq(o->name.s, o->name.len, "transfer-encoding"))
      return srv_fail(core, r, HTTPSTATUS_CODE_BAD_REQUEST,
                      "%.*s cannot be overridden: it frames the response",
                      srv_quote_len(o->name.len), o->name.s);
  }
  r->overrides = x->overrides;
  r->override_count = x->override_count;
  return true;
}
