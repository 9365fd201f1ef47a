/* SPDX-License-Identifier: MIT */
/*
 * request.c - from what llhttp gave (the URL and the fields proto.c kept in
 * c->scratch) to a srv_request: the route, the code to answer with, the
 * negotiated type, the fault injection asked for in the query or in
 * X-HttpStatus-* fields. A wrong request becomes SRV_ROUTE_ERROR with the
 * line saying why; nothing here writes a byte of the answer.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "httpstatus.h"
#include "srv.h"

/* Longest piece of the client's input quoted back in an error line. */
#define QUOTE_MAX 64

typedef struct text {
  const char *s;
  size_t len;
} text;

static text field(const srv_conn *c, srv_field f)
{
  text t = {c->scratch.data + c->fields[f].off, c->fields[f].len};
  return t;
}

/* Marks the request wrong; the line goes to w->scratch, which lives until
 * the answer is written. Always returns false, for `return fail(...)`. */
__attribute__((format(printf, 4, 5))) static bool
fail(srv_worker *w, srv_request *r, int code, const char *fmt, ...)
{
  char line[256];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  size_t len = n < 0 ? 0 : (size_t)n < sizeof line ? (size_t)n : sizeof line - 1;
  size_t off = w->scratch.len;
  srv_buf_append(&w->scratch, line, len);
  srv_buf_append(&w->scratch, "", 1);
  r->route = SRV_ROUTE_ERROR;
  r->code = code;
  r->error = w->scratch.data + off;
  /* A refused request is answered at once, as it is. */
  r->sleep_ms = r->sleep_after_headers_ms = r->dribble_ms = 0;
  r->abort = SRV_ABORT_NONE;
  r->suppress_body = false;
  r->location = NULL;
  r->overrides = NULL;
  r->override_count = 0;
  return false;
}

static int quote_len(size_t len)
{
  return (int)(len < QUOTE_MAX ? len : QUOTE_MAX);
}

/* The length of s's longest prefix holding none of `stop`. */
static size_t span_until(const char *s, size_t len, const char *stop)
{
  for (const char *p = stop; *p != '\0'; p++) {
    const char *hit = memchr(s, *p, len);
    if (hit != NULL)
      len = (size_t)(hit - s);
  }
  return len;
}

/* ------------------------------------------------------------------------ */
/* Accept (RFC 9110, Section 12.5.1) */

static const struct {
  const char *type, *subtype;
} media[] = {
    [SRV_PLAIN] = {"text", "plain"},
    [SRV_JSON] = {"application", "json"},
    [SRV_HTML] = {"text", "html"},
};

static bool is_ows(char ch)
{
  return ch == ' ' || ch == '\t';
}

static text trim(const char *s, size_t len)
{
  while (len > 0 && is_ows(s[0]))
    s++, len--;
  while (len > 0 && is_ows(s[len - 1]))
    len--;
  text t = {s, len};
  return t;
}

/* "q=0.5" as thousandths; a malformed weight counts as 1 (be lenient). */
static unsigned qvalue(text params)
{
  for (size_t i = 0; i + 1 < params.len; i++) {
    if ((params.s[i] != 'q' && params.s[i] != 'Q') || params.s[i + 1] != '=')
      continue;
    if (i > 0 && params.s[i - 1] != ';' && !is_ows(params.s[i - 1]))
      continue;
    const char *v = params.s + i + 2;
    size_t n = params.len - i - 2;
    if (n == 0 || (v[0] != '0' && v[0] != '1'))
      return 1000;
    unsigned q = (unsigned)(v[0] - '0') * 1000, scale = 100;
    for (size_t k = 2; k < n && k < 5 && v[k] >= '0' && v[k] <= '9'; k++) {
      q += (unsigned)(v[k] - '0') * scale;
      scale /= 10;
    }
    return q > 1000 ? 1000 : q;
  }
  return 1000;
}

/* How specifically `range` (like text/html) names media type t: 3 exactly, 2 by
 * its type, 1 by wildcard, 0 not at all. */
static int specificity(text range, srv_type t)
{
  const char *slash = memchr(range.s, '/', range.len);
  if (slash == NULL)
    return 0;
  size_t tlen = (size_t)(slash - range.s);
  text sub = {slash + 1, range.len - tlen - 1};
  if (srv_ieq(range.s, tlen, "*") && srv_ieq(sub.s, sub.len, "*"))
    return 1;
  if (!srv_ieq(range.s, tlen, media[t].type))
    return 0;
  if (srv_ieq(sub.s, sub.len, "*"))
    return 2;
  return srv_ieq(sub.s, sub.len, media[t].subtype) ? 3 : 0;
}

/* Picks the type the client weighs highest; on a tie the one it named more
 * specifically, then the one it named first, then plain before json before
 * html. No Accept, or nothing acceptable: text/plain. */
static srv_type negotiate(text accept)
{
  unsigned q[3] = {0, 0, 0};
  int spec[3] = {0, 0, 0};
  size_t pos[3] = {0, 0, 0};
  if (accept.len == 0 || (accept.len == 3 && memcmp(accept.s, "*/*", 3) == 0))
    return SRV_PLAIN; /* what curl and most libraries send */
  size_t index = 0;
  for (size_t start = 0; start < accept.len; index++) {
    const char *comma = memchr(accept.s + start, ',', accept.len - start);
    size_t end = comma ? (size_t)(comma - accept.s) : accept.len;
    text item = trim(accept.s + start, end - start);
    const char *semi = memchr(item.s, ';', item.len);
    text range = trim(item.s, semi ? (size_t)(semi - item.s) : item.len);
    text params = {semi ? semi + 1 : item.s + item.len,
                   semi ? item.len - (size_t)(semi + 1 - item.s) : 0};
    for (int t = SRV_PLAIN; t <= SRV_HTML; t++) {
      int s = specificity(range, (srv_type)t);
      if (s > spec[t]) {
        spec[t] = s;
        q[t] = qvalue(params);
        pos[t] = index;
      }
    }
    start = end + 1;
  }
  int best = SRV_PLAIN;
  for (int t = SRV_JSON; t <= SRV_HTML; t++) {
    bool better = q[t] > q[best] ||
                  (q[t] == q[best] &&
                   (spec[t] > spec[best] ||
                    (spec[t] == spec[best] && pos[t] < pos[best])));
    if (spec[t] > 0 && better)
      best = t;
  }
  return q[best] > 0 ? (srv_type)best : SRV_PLAIN;
}

/* ------------------------------------------------------------------------ */
/* Query parameters and their X-HttpStatus-* twins */

static int hexval(char ch)
{
  if (ch >= '0' && ch <= '9')
    return ch - '0';
  if (ch >= 'a' && ch <= 'f')
    return ch - 'a' + 10;
  if (ch >= 'A' && ch <= 'F')
    return ch - 'A' + 10;
  return -1;
}

/* Percent-decodes s into w->scratch (NUL-terminated) and returns the offset
 * of the result, or -1 when an escape is malformed. */
static long decode(srv_worker *w, const char *s, size_t len, size_t *out_len)
{
  size_t off = w->scratch.len;
  srv_buf_reserve(&w->scratch, len + 1);
  char *d = w->scratch.data + off;
  size_t n = 0;
  for (size_t i = 0; i < len; i++) {
    if (s[i] != '%') {
      d[n++] = s[i];
      continue;
    }
    int hi = i + 2 < len ? hexval(s[i + 1]) : -1;
    int lo = i + 2 < len ? hexval(s[i + 2]) : -1;
    if (hi < 0 || lo < 0)
      return -1;
    d[n++] = (char)(hi * 16 + lo);
    i += 2;
  }
  d[n] = '\0';
  w->scratch.len += n + 1;
  *out_len = n;
  return (long)off;
}

typedef struct options {
  text sleep, sleep_after, dribble, abort, suppress, location;
} options;

static void set_param(options *o, text name, text value)
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
  for (size_t i = 0; i < sizeof params / sizeof params[0]; i++) {
    if (strlen(params[i].name) == name.len &&
        memcmp(params[i].name, name.s, name.len) == 0) {
      *(text *)(void *)((char *)o + params[i].offset) = value;
      return;
    }
  }
  /* Other parameters (cache busters...) are the client's business. */
}

static void read_query(options *o, const char *q, size_t len)
{
  for (size_t start = 0; start < len;) {
    const char *amp = memchr(q + start, '&', len - start);
    size_t end = amp ? (size_t)(amp - q) : len;
    const char *eq = memchr(q + start, '=', end - start);
    text name = {q + start, eq ? (size_t)(eq - q) - start : end - start};
    text value = {eq ? eq + 1 : q + end, eq ? end - (size_t)(eq + 1 - q) : 0};
    set_param(o, name, value);
    start = end + 1;
  }
}

/* The request field fills what the query did not say. */
static void read_fields(options *o, const srv_conn *c)
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
  };
  for (size_t i = 0; i < sizeof twins / sizeof twins[0]; i++) {
    text *t = (text *)(void *)((char *)o + twins[i].offset);
    if (t->s == NULL && c->fields[twins[i].f].len > 0)
      *t = trim(field(c, twins[i].f).s, field(c, twins[i].f).len);
  }
}

static bool parse_ms(srv_worker *w, srv_request *r, const char *name,
                     text v, uint64_t *out)
{
  uint64_t max = w->cfg->max_sleep_ms;
  if (v.s == NULL)
    return true;
  uint64_t ms;
  if (!srv_parse_u64(v.s, v.len, UINT64_MAX / 4, &ms))
    return fail(w, r, 400, "%s=%.*s is not a number of milliseconds", name,
                quote_len(v.len), v.s);
  if (ms > max)
    return fail(w, r, 400, "%s=%llu is above the server's --max-sleep of %llu ms",
                name, (unsigned long long)ms, (unsigned long long)max);
  *out = ms;
  return true;
}

static bool parse_abort(srv_worker *w, srv_request *r, text v)
{
  static const struct {
    const char *name;
    srv_abort abort;
  } kinds[] = {
      {"before-headers", SRV_ABORT_BEFORE_HEADERS},
      {"after-headers", SRV_ABORT_AFTER_HEADERS},
      {"mid-body", SRV_ABORT_MID_BODY},
  };
  if (v.s == NULL)
    return true;
  for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
    if (srv_ieq(v.s, v.len, kinds[i].name)) {
      r->abort = kinds[i].abort;
      return true;
    }
  }
  return fail(w, r, 400,
              "abort=%.*s is not one of before-headers, after-headers, mid-body",
              quote_len(v.len), v.s);
}

static bool parse_bool(srv_worker *w, srv_request *r, const char *name, text v,
                       bool *out)
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
  return fail(w, r, 400, "%s=%.*s is neither true nor false", name,
              quote_len(v.len), v.s);
}

static char lower(char ch)
{
  return ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch;
}

static bool host_allowed(const srv_config *cfg, const char *host, size_t len)
{
  for (size_t i = 0; i < cfg->redirect_host_count; i++) {
    const char *allowed = cfg->redirect_hosts[i];
    size_t k = 0;
    while (k < len && allowed[k] != '\0' && lower(allowed[k]) == lower(host[k]))
      k++;
    if (k == len && allowed[k] == '\0')
      return true;
  }
  return false;
}

/* Checks a redirect target (?location=, or an overriding Location,
 * Content-Location or Refresh field): a reference on this server, or an
 * absolute http(s) URL whose host --allow-redirect-host allowed. Anything a
 * browser could read as another host ("//evil", "/\\evil",
 * "https://ok@evil", "javascript:") counts as absolute. */
static bool check_target(srv_worker *w, srv_request *r, const char *what,
                         const char *s, size_t len)
{
  for (size_t i = 0; i < len; i++) {
    unsigned char ch = (unsigned char)s[i];
    if (ch < 0x20 || ch == 0x7f || ch == '\\' || ch == ' ')
      return fail(w, r, 400,
                  "%s holds a space, backslash or control character", what);
  }
  if (len == 0)
    return fail(w, r, 400, "%s is empty", what);
  size_t first = span_until(s, len, "/?#");
  bool scheme = memchr(s, ':', first) != NULL;
  if (!scheme && !srv_iprefix(s, len, "//"))
    return true; /* a path, absolute or relative, on this server */
  size_t rest = srv_iprefix(s, len, "http://")    ? 7
                : srv_iprefix(s, len, "https://") ? 8
                : srv_iprefix(s, len, "//")       ? 2
                                                  : 0;
  if (rest == 0)
    return fail(w, r, 400, "%s must be a path or an http(s) URL", what);
  const char *host = s + rest;
  size_t auth = span_until(host, len - rest, "/?#");
  if (memchr(host, '@', auth) != NULL)
    return fail(w, r, 400, "%s must not carry user information (@)", what);
  size_t host_len = auth;
  if (auth > 0 && host[0] == '[') {
    const char *close = memchr(host, ']', auth);
    host_len = close ? (size_t)(close - host) + 1 : auth;
  } else {
    const char *colon = memchr(host, ':', auth);
    host_len = colon ? (size_t)(colon - host) : auth;
  }
  if (host_len == 0)
    return fail(w, r, 400, "%s has no host", what);
  if (!host_allowed(w->cfg, host, host_len))
    return fail(w, r, 400,
                "redirects to %.*s are not allowed (the server allows hosts "
                "named with --allow-redirect-host)",
                quote_len(host_len), host);
  return true;
}

/* Stores the decoded target's offset in w->scratch: later decoding may
 * move the buffer, so srv_request_describe sets r->location last. */
static bool parse_location(srv_worker *w, srv_request *r, text v,
                           size_t *location_off)
{
  if (v.s == NULL)
    return true;
  size_t len;
  long off = decode(w, v.s, v.len, &len);
  if (off < 0)
    return fail(w, r, 400, "location=%.*s has a malformed %%-escape",
                quote_len(v.len), v.s);
  const char *s = w->scratch.data + off;
  if (!check_target(w, r, "location", s, len))
    return false;
  r->location = s;
  r->location_len = len;
  *location_off = (size_t)off;
  return true;
}

/* The target of an overriding field that redirects, or false. Refresh
 * ("5; url=/x") carries it after "url=". */
static bool redirect_value(const char *name, size_t name_len, text value,
                           text *target)
{
  if (srv_ieq(name, name_len, "location") ||
      srv_ieq(name, name_len, "content-location")) {
    *target = value;
    return true;
  }
  if (!srv_ieq(name, name_len, "refresh"))
    return false;
  *target = (text){value.s + value.len, 0};
  for (size_t i = 0; i + 4 <= value.len; i++) {
    if (srv_iprefix(value.s + i, value.len - i, "url=")) {
      *target = trim(value.s + i + 4, value.len - i - 4);
      break;
    }
  }
  if (target->len >= 2 && (target->s[0] == '\'' || target->s[0] == '"'))
    *target = (text){target->s + 1, target->len - 2};
  return target->len > 0;
}

/* Whether any X-HttpStatus-* option field came; most requests have none
 * and no query, and skip reading options altogether. */
static bool has_option_fields(const srv_conn *c)
{
  _Static_assert(SRV_F_X_SUPPRESS_BODY - SRV_F_X_SLEEP == 4,
                 "the X-HttpStatus-* option fields are listed together");
  uint32_t any = 0;
  for (int f = SRV_F_X_SLEEP; f <= SRV_F_X_SUPPRESS_BODY; f++)
    any |= c->fields[f].len;
  return any != 0;
}

static bool read_options(srv_conn *c, srv_request *r, const char *query,
                         size_t len, size_t *location_off)
{
  srv_worker *w = c->w;
  options o;
  memset(&o, 0, sizeof o);
  read_query(&o, query, len);
  read_fields(&o, c);
  if (!parse_ms(w, r, "sleep", o.sleep, &r->sleep_ms) ||
      !parse_ms(w, r, "sleepAfterHeaders", o.sleep_after,
                &r->sleep_after_headers_ms) ||
      !parse_ms(w, r, "dribble", o.dribble, &r->dribble_ms) ||
      !parse_abort(w, r, o.abort) ||
      !parse_bool(w, r, "suppressBody", o.suppress, &r->suppress_body) ||
      !parse_location(w, r, o.location, location_off))
    return false;
  uint64_t total = r->sleep_ms + r->sleep_after_headers_ms + r->dribble_ms;
  if (total > w->cfg->max_sleep_ms)
    return fail(w, r, 400,
                "sleep + sleepAfterHeaders + dribble = %llu ms is above the "
                "server's --max-sleep of %llu ms",
                (unsigned long long)total,
                (unsigned long long)w->cfg->max_sleep_ms);
  return true;
}

/* X-HttpStatus-Response-<Name>: llhttp (strict) already refuses CR and LF
 * in values and anything but a token in names; NUL is checked here too so
 * that nothing depends on that. Framing fields cannot be replaced: a wrong
 * Content-Length would desynchronise the connection. */
static bool check_overrides(srv_conn *c, srv_request *r)
{
  for (size_t i = 0; i < c->override_count; i++) {
    const srv_override *o = &c->overrides[i];
    const char *name = c->scratch.data + o->name.off;
    const char *value = c->scratch.data + o->value.off;
    if (o->name.len == 0)
      return fail(c->w, r, 400, "X-HttpStatus-Response- names no field");
    for (size_t k = 0; k < o->name.len; k++)
      if (name[k] == '\r' || name[k] == '\n' || name[k] == '\0' ||
          name[k] == ':' || name[k] == ' ')
        return fail(c->w, r, 400,
                    "X-HttpStatus-Response-* field name holds CR, LF, NUL, "
                    "space or colon");
    for (size_t k = 0; k < o->value.len; k++)
      if (value[k] == '\r' || value[k] == '\n' || value[k] == '\0')
        return fail(c->w, r, 400,
                    "X-HttpStatus-Response-%.*s value holds CR, LF or NUL",
                    quote_len(o->name.len), name);
    text value_text = {value, o->value.len}, target;
    if (redirect_value(name, o->name.len, value_text, &target) &&
        !check_target(c->w, r, "the overriding redirect", target.s,
                      target.len))
      return false;
    if (srv_ieq(name, o->name.len, "content-length") ||
        srv_ieq(name, o->name.len, "transfer-encoding"))
      return fail(c->w, r, 400,
                  "%.*s cannot be overridden: it frames the response",
                  quote_len(o->name.len), name);
  }
  r->overrides = c->overrides;
  r->override_count = c->override_count;
  return true;
}

/* ------------------------------------------------------------------------ */
/* Routes */

static bool parse_code(srv_worker *w, srv_request *r, const char *s,
                       size_t len)
{
  int code = 0;
  int rc = httpstatus_parse_code(s, len, &code);
  if (rc == HTTPSTATUS_OK || rc == HTTPSTATUS_E_RANGE) {
    r->code = code;
    return true;
  }
  return fail(w, r, 400, "'%.*s' is not a status code: three digits, 100-999",
              quote_len(len), s);
}

static bool is_page_method(const srv_request *r)
{
  return r->method == HTTP_GET || r->method == HTTP_HEAD ||
         r->method == HTTP_OPTIONS;
}

/* The pages answer GET and HEAD (and OPTIONS, the same way). */
static void page(srv_worker *w, srv_request *r, srv_route route)
{
  if (!is_page_method(r)) {
    fail(w, r, 405, "%s is not allowed on this page: use GET or HEAD",
         llhttp_method_name((llhttp_method_t)r->method));
    return;
  }
  r->route = route;
  r->code = 200;
}

static void route_random(srv_conn *c, srv_request *r, const char *spec,
                         size_t len)
{
  srv_worker *w = c->w;
  size_t dlen;
  long off = decode(w, spec, len, &dlen);
  if (off < 0) {
    fail(w, r, 400, "the random spec has a malformed %%-escape");
    return;
  }
  char err[160];
  int code;
  if (!srv_random_pick(w->scratch.data + off, dlen, &w->rng, &code, err,
                       sizeof err)) {
    fail(w, r, 400, "/random/: %s", err);
    return;
  }
  r->route = SRV_ROUTE_CODE;
  r->code = code;
}

static void route_code(srv_conn *c, srv_request *r, const char *path,
                       size_t len)
{
  const char *slash = memchr(path, '/', len);
  size_t seg = slash ? (size_t)(slash - path) : len;
  if (!parse_code(c->w, r, path, seg))
    return;
  r->route = SRV_ROUTE_CODE;
  if (srv_switches_protocol(r->code) && r->upgrade == NULL)
    fail(c->w, r, 400,
         "%d switches protocols only when the request offers one in an "
         "Upgrade field (HTTP/1.1)",
         r->code);
}

static void route(srv_conn *c, srv_request *r, const char *path, size_t len)
{
  srv_worker *w = c->w;
  if (len == 1 && path[0] == '*' && r->method == HTTP_OPTIONS) {
    r->route = SRV_ROUTE_CODE; /* OPTIONS * asks about the server itself */
    r->code = 204;
    return;
  }
  if (len == 0 || path[0] != '/') {
    fail(w, r, 400, "the request target must be a path starting with /");
    return;
  }
  path++, len--;
  if (len > 0 && path[0] >= '0' && path[0] <= '9')
    route_code(c, r, path, len); /* the common case, first */
  else if (len == 0)
    page(w, r, SRV_ROUTE_INDEX);
  else if (srv_ieq(path, len, "healthz"))
    page(w, r, SRV_ROUTE_HEALTH);
  else if (srv_ieq(path, len, "api/codes") || srv_ieq(path, len, "api/codes/"))
    page(w, r, SRV_ROUTE_API_ALL);
  else if (srv_iprefix(path, len, "api/codes/")) {
    if (parse_code(w, r, path + 10, len - 10)) {
      int code = r->code;
      page(w, r, SRV_ROUTE_API_CODE);
      if (r->route == SRV_ROUTE_API_CODE)
        r->code = code; /* the code asked about; srv_page picks the status */
    }
  } else if (srv_ieq(path, len, "catalog") || srv_ieq(path, len, "catalog/"))
    page(w, r, SRV_ROUTE_CATALOG);
  else if (srv_iprefix(path, len, "static/")) {
    page(w, r, SRV_ROUTE_STATIC);
    r->static_name = path + 7;
    r->static_len = len - 7;
  } else if (srv_iprefix(path, len, "random/"))
    route_random(c, r, path + 7, len - 7);
  else
    route_code(c, r, path, len);
}

void srv_request_describe(srv_conn *c, srv_request *r)
{
  srv_worker *w = c->w;
  memset(r, 0, sizeof *r);
  w->scratch.len = 0;
  r->scratch = c->scratch.data;
  r->method = (uint8_t)c->parser.method;
  r->http_minor = (uint8_t)c->parser.http_minor;
  r->head = c->parser.method == HTTP_HEAD;
  r->keep_alive = llhttp_should_keep_alive(&c->parser) != 0;
  r->type = negotiate(field(c, SRV_F_ACCEPT));
  if (c->fields[SRV_F_UPGRADE].len > 0 && r->http_minor >= 1) {
    r->upgrade = field(c, SRV_F_UPGRADE).s;
    r->upgrade_len = c->fields[SRV_F_UPGRADE].len;
  }

  const char *url = c->scratch.data;
  size_t url_len = c->url_len;
  size_t path_len = span_until(url, url_len, "?#");
  const char *path = url;
  /* An absolute-form target ("http://host/404", as proxies send it): route
   * its path. */
  size_t scheme = url_len == 0 || url[0] == '/'            ? 0
                  : srv_iprefix(url, path_len, "http://")  ? 7
                  : srv_iprefix(url, path_len, "https://") ? 8
                                                           : 0;
  if (scheme > 0) {
    size_t auth = span_until(url + scheme, path_len - scheme, "/");
    path = url + scheme + auth;
    path_len -= scheme + auth;
    if (path_len == 0)
      path = "/", path_len = 1;
  }
  r->path = path;
  r->path_len = path_len;

  if (c->parser.method == HTTP_OPTIONS && c->fields[SRV_F_ORIGIN].len > 0 &&
      c->fields[SRV_F_ACR_METHOD].len > 0) {
    r->route = SRV_ROUTE_PREFLIGHT;
    r->code = 204;
    r->acr_method = field(c, SRV_F_ACR_METHOD).s;
    r->acr_method_len = c->fields[SRV_F_ACR_METHOD].len;
    if (c->fields[SRV_F_ACR_HEADERS].len > 0) {
      r->acr_headers = field(c, SRV_F_ACR_HEADERS).s;
      r->acr_headers_len = c->fields[SRV_F_ACR_HEADERS].len;
    }
    return;
  }
  const char *end = path + path_len;
  size_t left = url_len - (size_t)(end - url);
  text query = {end, 0};
  if (left > 0 && end[0] == '?') {
    query.s = end + 1;
    query.len = span_until(query.s, left - 1, "#");
  }
  size_t location_off = 0;
  if (!check_overrides(c, r))
    return;
  if ((query.len > 0 || has_option_fields(c)) &&
      !read_options(c, r, query.s, query.len, &location_off))
    return;
  route(c, r, path, path_len);
  if (r->location != NULL)
    r->location = w->scratch.data + location_off;
}
