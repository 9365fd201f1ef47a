/* SPDX-License-Identifier: MIT */
/*
 * core/redirect.c - the redirect policy: where ?location= and an overriding
 * Location, Content-Location or Refresh field may send a client. A path on
 * this server always; an absolute http(s) URL only to a host named with
 * --allow-redirect-host (an open redirect would let anyone borrow this
 * server's name for phishing).
 */
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
