/* SPDX-License-Identifier: MIT */
/*
 * core/redirect.c - the redirect policy: where ?location= and an overriding
 * Location, Content-Location or Refresh field may send a client. A path on
 * this server always; an absolute http(s) URL only to a host named with
 * --allow-redirect-host (an open redirect would let anyone borrow this
 * server's name for phishing). And the redirect routes: chains of n hops,
 * relative or absolute (to the request's own origin only), an endless
 * chain, and /redirect-to under the same policy.
 */
#include <stdio.h>
#include <string.h>

#include "core/core.h"

static bool host_allowed(const srv_config *cfg, srv_span host)
{
  for (size_t i = 0; i < cfg->redirect_host_count; i++)
    if (srv_ieq(host.s, host.len, cfg->redirect_hosts[i]))
      return true;
  return false;
}

/* Anything a browser could read as another host ("//evil", "/\\evil",
 * "https://ok@evil", "javascript:") counts as absolute. */
bool srv_redirect_check(srv_core *core, srv_request *r, const char *what,
                        srv_span target)
{
  const char *s = target.s;
  size_t len = target.len;
  for (size_t i = 0; i < len; i++) {
    unsigned char ch = (unsigned char)s[i];
    if (ch < 0x20 || ch == 0x7f || ch == '\\' || ch == ' ')
      return srv_fail(core, r, HTTPSTATUS_CODE_BAD_REQUEST,
                      "%s holds a space, backslash or control character",
                      what);
  }
  if (len == 0)
    return srv_fail(core, r, HTTPSTATUS_CODE_BAD_REQUEST, "%s is empty", what);
  size_t first = srv_span_until(s, len, "/?#");
  bool scheme = first > 0 && memchr(s, ':', first) != NULL;
  if (!scheme && !srv_iprefix(s, len, "//"))
    return true; /* a path, absolute or relative, on this server */
  size_t rest = srv_iprefix(s, len, "http://")    ? 7
                : srv_iprefix(s, len, "https://") ? 8
                : srv_iprefix(s, len, "//")       ? 2
                                                  : 0;
  if (rest == 0)
    return srv_fail(core, r, HTTPSTATUS_CODE_BAD_REQUEST,
                    "%s must be a path or an http(s) URL", what);
  const char *host = s + rest;
  size_t auth = srv_span_until(host, len - rest, "/?#");
  if (auth > 0 && memchr(host, '@', auth) != NULL)
    return srv_fail(core, r, HTTPSTATUS_CODE_BAD_REQUEST,
                    "%s must not carry user information (@)", what);
  size_t host_len = auth;
  if (auth > 0 && host[0] == '[') {
    const char *close = memchr(host, ']', auth);
    host_len = close ? (size_t)(close - host) + 1 : auth;
  } else if (auth > 0) {
    const char *colon = memchr(host, ':', auth);
    host_len = colon ? (size_t)(colon - host) : auth;
  }
  if (host_len == 0)
    return srv_fail(core, r, HTTPSTATUS_CODE_BAD_REQUEST, "%s has no host",
                    what);
  if (!host_allowed(core->cfg, (srv_span){host, host_len}))
    return srv_fail(core, r, HTTPSTATUS_CODE_BAD_REQUEST,
                    "redirects to %.*s are not allowed (the server allows "
                    "hosts named with --allow-redirect-host)",
                    srv_quote_len(host_len), host);
  return true;
}

bool srv_redirect_decode(srv_core *core, srv_request *r, const char *what,
                         srv_span raw, srv_span *target, size_t *off)
{
  size_t len;
  long at = srv_decode(core, raw.s, raw.len, &len);
  if (at < 0)
    return srv_fail(core, r, HTTPSTATUS_CODE_BAD_REQUEST,
                    "%s=%.*s has a malformed %%-escape", what,
                    srv_quote_len(raw.len), raw.s);
  srv_span decoded = {core->scratch.data + at, len};
  if (!srv_redirect_check(core, r, what, decoded))
    return false;
  *target = decoded;
  *off = (size_t)at;
  return true;
}

/* Refresh ("5; url=/x") carries its target after "url=". */
bool srv_redirect_value(srv_span name, srv_span value, srv_span *target)
{
  if (srv_ieq(name.s, name.len, "location") ||
      srv_ieq(name.s, name.len, "content-location")) {
    *target = value;
    return true;
  }
  if (!srv_ieq(name.s, name.len, "refresh"))
    return false;
  *target = (srv_span){value.s + value.len, 0};
  for (size_t i = 0; i + 4 <= value.len; i++) {
    if (srv_iprefix(value.s + i, value.len - i, "url=")) {
      *target = srv_trim((srv_span){value.s + i + 4, value.len - i - 4});
      break;
    }
  }
  if (target->len >= 2 && (target->s[0] == '\'' || target->s[0] == '"'))
    *target = (srv_span){target->s + 1, target->len - 2};
  return target->len > 0;
}

/* ------------------------------------------------------------------------ */
/* Redirect chains: /redirect/{n}, /relative-redirect/{n},
 * /absolute-redirect/{n}, /redirect-loop, /redirect-to?url= */

#define MAX_HOPS 100
#define MAX_LOOP 1000000000u /* /redirect-loop/{k} points at itself here */
#define MAX_AUTHORITY 262    /* a 255-byte host name and :65535 */

/* ?status= of a chain into *code: the redirects that say where, not what
 * (RFC 9110, Section 15.4; 300 and 305 are no redirect a client follows).
 * False when it is another. */
static bool chain_status(srv_span query, int *code)
{
  static const int allowed[] = {301, 302, 303, 307, 308};
  srv_span v;
  uint64_t n = 0;
  *code = HTTPSTATUS_CODE_FOUND;
  if (!srv_query_param(query, "status", &v))
    return true;
  srv_parse_u64(v.s, v.len, 999, &n);
  for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++)
    if (n == (uint64_t)allowed[i]) {
      *code = allowed[i];
      return true;
    }
  return false;
}

static int bad_status(srv_reply *out)
{
  return srv_reply_error(out, HTTPSTATUS_CODE_BAD_REQUEST,
                         "status= is not one of 301, 302, 303, 307, 308");
}

/* host = IP-literal / IPv4address / reg-name (RFC 3986, Section 3.2.2),
 * then [ ":" port ]: nothing that could name another host or end the
 * URL's authority. */
static bool authority_valid(srv_span a)
{
  size_t i = 0;
  if (a.len == 0 || a.len > MAX_AUTHORITY)
    return false;
  if (a.s[0] == '[') {
    for (i = 1; i < a.len && a.s[i] != ']'; i++)
      if (srv_hex_digit(a.s[i]) < 0 && a.s[i] != ':' && a.s[i] != '.')
        return false;
    if (i == a.len || i == 1)
      return false;
    i++;
  } else {
    for (; i < a.len && a.s[i] != ':'; i++) {
      unsigned char ch = (unsigned char)a.s[i];
      bool unreserved = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                        (ch >= '0' && ch <= '9') || strchr("-._~", ch);
      if (ch == '\0' || !(unreserved || strchr("!$&'()*+,;=%", ch)))
        return false;
    }
    if (i == 0)
      return false;
  }
  if (i == a.len)
    return true;
  if (a.s[i] != ':' || a.len - i > 6)
    return false;
  for (i++; i < a.len; i++)
    if (a.s[i] < '0' || a.s[i] > '9')
      return false;
  return true;
}

/* The scheme and authority the request was sent to: an absolute-form
 * target's own, else the Host field (HTTP/2: :authority) and whether the
 * connection is TLS. */
static bool origin_of(const srv_exchange *x, const char **scheme,
                      srv_span *authority)
{
  srv_span t = x->target;
  size_t skip = srv_iprefix(t.s, t.len, "http://")    ? 7
                : srv_iprefix(t.s, t.len, "https://") ? 8
                                                      : 0;
  if (skip > 0) {
    *scheme = skip == 8 ? "https" : "http";
    *authority = (srv_span){t.s + skip,
                            srv_span_until(t.s + skip, t.len - skip, "/?#")};
  } else {
    *scheme = x->tls ? "https" : "http";
    *authority = srv_trim(x->fields[SRV_F_HOST]);
  }
  return authority_valid(*authority);
}

/* One hop: a redirect with `code` to /{name}/{next} (or /200 when next is
 * 0), relative or absolute, keeping the query (?status=, the faults). */
static int hop(srv_reply *out, int code, bool absolute, const char *name,
               uint64_t next)
{
  const srv_request *r = out->r;
  const char *scheme = "";
  srv_span authority = {"", 0};
  if (absolute && !origin_of(r->x, &scheme, &authority))
    return srv_reply_error(out, HTTPSTATUS_CODE_BAD_REQUEST,
                           "an absolute redirect needs the request's Host "
                           "field: a valid host[:port]");
  char path[64];
  if (next == 0)
    snprintf(path, sizeof path, "/%d", HTTPSTATUS_CODE_OK);
  else
    snprintf(path, sizeof path, "/%s/%llu", name, (unsigned long long)next);
  srv_reply_field(out, "Location", "%s%s%.*s%s%s%.*s", scheme,
                  absolute ? "://" : "", (int)authority.len, authority.s,
                  path, r->query.len > 0 ? "?" : "", (int)r->query.len,
                  r->query.s);
  srv_page_code(code, r->type, out->body);
  return code;
}

/* /redirect/{n}, /relative-redirect/{n}, /absolute-redirect/{n}: n
 * redirects (1-100) through the same route, the last to /200. */
static int chain(srv_reply *out, bool absolute)
{
  const srv_request *r = out->r;
  uint64_t n;
  if (r->arg.s == NULL || !srv_parse_u64(r->arg.s, r->arg.len, MAX_HOPS, &n) ||
      n == 0)
    return srv_reply_error(out, HTTPSTATUS_CODE_BAD_REQUEST,
                           "/%s/{n}: n is a number of redirects, 1-%d",
                           r->handler->name, MAX_HOPS);
  int code;
  if (!chain_status(r->query, &code))
    return bad_status(out);
  return hop(out, code, absolute, r->handler->name, n - 1);
}

/* ?absolute=true makes /redirect/{n} absolute, as httpbin's. */
static int redirect_answer(srv_reply *out)
{
  srv_span v;
  bool absolute = srv_query_param(out->r->query, "absolute", &v) &&
                  srv_ieq(v.s, v.len, "true");
  return chain(out, absolute);
}

static int relative_answer(srv_reply *out)
{
  return chain(out, false);
}

static int absolute_answer(srv_reply *out)
{
  return chain(out, true);
}

/* /redirect-loop -> /redirect-loop/1 -> /redirect-loop/2 ...: never the
 * same URL twice, so it tests a client's redirect limit, not its loop
 * detection. */
static int loop_answer(srv_reply *out)
{
  const srv_request *r = out->r;
  uint64_t k = 0;
  if (r->arg.s != NULL && !srv_parse_u64(r->arg.s, r->arg.len, MAX_LOOP, &k))
    return srv_reply_error(out, HTTPSTATUS_CODE_BAD_REQUEST,
                           "/redirect-loop/{k}: k is a number, 0-%u",
                           MAX_LOOP);
  int code;
  if (!chain_status(r->query, &code))
    return bad_status(out);
  return hop(out, code, false, r->handler->name, k < MAX_LOOP ? k + 1 : k);
}

/* /redirect-to?url=URL&status_code=3xx: the target passes the rule of
 * ?location= (a path here, another host only with --allow-redirect-host);
 * decoded while the request is described, kept in r->arg. */
static bool redirect_to_check(srv_core *core, srv_request *r)
{
  srv_span url;
  size_t off;
  if (r->arg.s != NULL)
    return srv_fail(core, r, HTTPSTATUS_CODE_NOT_FOUND,
                    "use /redirect-to?url=URL[&status_code=3xx]");
  if (!srv_query_param(r->query, "url", &url))
    return srv_fail(core, r, HTTPSTATUS_CODE_BAD_REQUEST,
                    "/redirect-to needs ?url=");
  /* Nothing is added to the scratch after the route: r->arg stays. */
  return srv_redirect_decode(core, r, "url", url, &r->arg, &off);
}

static int redirect_to_answer(srv_reply *out)
{
  const srv_request *r = out->r;
  srv_span v;
  uint64_t code = HTTPSTATUS_CODE_FOUND;
  if (srv_query_param(r->query, "status_code", &v) &&
      (!srv_parse_u64(v.s, v.len, 399, &code) || code < 300))
    return srv_reply_error(out, HTTPSTATUS_CODE_BAD_REQUEST,
                           "status_code=%.*s is not a 3xx code",
                           srv_quote_len(v.len), v.s);
  srv_reply_span(out, "Location", r->arg);
  srv_page_code((int)code, r->type, out->body);
  return (int)code;
}

const srv_handler srv_handler_redirect = {"redirect", NULL, redirect_answer};
const srv_handler srv_handler_relative_redirect = {"relative-redirect", NULL,
                                                   relative_answer};
const srv_handler srv_handler_absolute_redirect = {"absolute-redirect", NULL,
                                                   absolute_answer};
const srv_handler srv_handler_redirect_to = {"redirect-to", redirect_to_check,
                                             redirect_to_answer};
const srv_handler srv_handler_redirect_loop = {"redirect-loop", NULL,
                                               loop_answer};
