/* SPDX-License-Identifier: MIT */
/*
 * core/route.c - from an exchange to a srv_request: the route and the code
 * the target names, the facts of the request the answer depends on, and
 * the options (options.c). A wrong request becomes SRV_ROUTE_ERROR with the
 * line saying why; nothing here writes a byte of the answer.
 */
#include <stdio.h>
#include <string.h>

#include "core/core.h"

bool srv_fail(srv_core *core, srv_request *r, int code, const char *fmt, ...)
{
  char line[256];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  size_t len = n < 0 ? 0 : (size_t)n < sizeof line ? (size_t)n : sizeof line - 1;
  size_t off = core->scratch.len;
  srv_buf_append(&core->scratch, line, len);
  srv_buf_append(&core->scratch, "", 1);
  r->route = SRV_ROUTE_ERROR;
  r->code = code;
  r->error = core->scratch.data + off;
  /* A refused request is answered at once, as it is. */
  r->sleep_ms = r->sleep_after_headers_ms = r->dribble_ms = 0;
  r->abort = SRV_ABORT_NONE;
  r->suppress_body = false;
  r->location = (srv_span){NULL, 0};
  r->overrides = NULL;
  r->override_count = 0;
  r->interval_ms = 0;
  r->retry_after = false;
  return false;
}

int srv_quote_len(size_t len)
{
  return (int)(len < SRV_QUOTE_MAX ? len : SRV_QUOTE_MAX);
}

static long decode(srv_core *core, const char *s, size_t len, bool plus,
                   size_t *out_len)
{
  size_t off = core->scratch.len;
  srv_buf_reserve(&core->scratch, len + 1);
  char *d = core->scratch.data + off;
  long n = srv_unescape(s, len, plus, d);
  if (n < 0)
    return -1;
  d[n] = '\0';
  core->scratch.len += (size_t)n + 1;
  *out_len = (size_t)n;
  return (long)off;
}

long srv_decode(srv_core *core, const char *s, size_t len, size_t *out_len)
{
  return decode(core, s, len, false, out_len);
}

long srv_decode_form(srv_core *core, const char *s, size_t len,
                     size_t *out_len)
{
  return decode(core, s, len, true, out_len);
}

static bool parse_code(srv_core *core, srv_request *r, const char *s,
                       size_t len)
{
  int code = 0;
  int rc = httpstatus_parse_code(s, len, &code);
  if (rc == HTTPSTATUS_OK || rc == HTTPSTATUS_E_RANGE) {
    r->code = code;
    return true;
  }
  return srv_fail(core, r, HTTPSTATUS_CODE_BAD_REQUEST,
                  "'%.*s' is not a status code: three digits, 100-999",
                  srv_quote_len(len), s);
}

/* The pages answer GET and HEAD (and OPTIONS, the same way). */
static void page(srv_core *core, srv_request *r, srv_route route)
{
  if (r->method != SRV_METHOD_GET && r->method != SRV_METHOD_HEAD &&
      r->method != SRV_METHOD_OPTIONS) {
    srv_fail(core, r, HTTPSTATUS_CODE_METHOD_NOT_ALLOWED,
             "%.*s is not allowed on this page: use GET or HEAD",
             srv_quote_len(r->method_name.len), r->method_name.s);
    return;
  }
  r->route = route;
  r->code = HTTPSTATUS_CODE_OK;
}

void srv_route_random(srv_core *core, srv_request *r, const char *route,
                      const char *spec, size_t len)
{
  len = srv_span_until(spec, len, "/"); /* /random/{spec}/anything */
  size_t dlen;
  long off = srv_decode(core, spec, len, &dlen);
  if (off < 0) {
    srv_fail(core, r, HTTPSTATUS_CODE_BAD_REQUEST,
             "the random spec has a malformed %%-escape");
    return;
  }
  char err[160];
  int code;
  uint64_t seeded;
  if (!srv_random_pick(core->scratch.data + off, dlen,
                       srv_faults_rng(core, r, &seeded), &code, err,
                       sizeof err)) {
    srv_fail(core, r, HTTPSTATUS_CODE_BAD_REQUEST, "%s: %s", route, err);
    return;
  }
  r->route = SRV_ROUTE_CODE;
  r->code = code;
  r->drawn = true;
}

void srv_route_code(srv_core *core, srv_request *r, const char *path,
                    size_t len)
{
  const char *slash = memchr(path, '/', len);
  size_t seg = slash ? (size_t)(slash - path) : len;
  if (!parse_code(core, r, path, seg))
    return;
  r->route = SRV_ROUTE_CODE;
  if (r->code == HTTPSTATUS_CODE_PARTIAL_CONTENT &&
      r->x->fields[SRV_F_RANGE].len > 0) {
    r->route = SRV_ROUTE_HANDLER; /* the Range field picks the part */
    r->handler = &srv_handler_range_code;
  }
  if (!(srv_code_facts(r->code) & SRV_CODE_SWITCH) || r->upgrade.s != NULL)
    return;
  if (r->proto == SRV_PROTO_HTTP2)
    srv_fail(core, r, HTTPSTATUS_CODE_BAD_REQUEST,
             "%d does not exist in HTTP/2, which cannot switch protocols "
             "(RFC 9113, Section 8.6): ask over HTTP/1.1 with an Upgrade field",
             r->code);
  else
    srv_fail(core, r, HTTPSTATUS_CODE_BAD_REQUEST,
             "%d switches protocols only when the request offers one in an "
             "Upgrade field (HTTP/1.1)",
             r->code);
}

/* /catalog/{code}: the page of any code 100-999 (srv_page picks 200 or,
 * for a code the catalog does not know, 404). */
static void route_catalog_code(srv_core *core, srv_request *r,
                               const char *path, size_t len)
{
  if (len > 0 && path[len - 1] == '/')
    len--;
  if (!parse_code(core, r, path, len))
    return;
  int code = r->code;
  page(core, r, SRV_ROUTE_CATALOG_CODE);
  if (r->route == SRV_ROUTE_CATALOG_CODE)
    r->code = code;
}

/* Decodes the ?q= of a search ('+' is a space, as forms send it) into
 * core->scratch; returns its offset there, or -1 when there is none or it
 * is malformed (r is then an error). */
static long search_words(srv_core *core, srv_request *r, srv_span query)
{
  srv_span v;
  if (!srv_query_param(query, "q", &v))
    return -1;
  size_t off = core->scratch.len;
  srv_buf_reserve(&core->scratch, v.len + 1);
  char *d = core->scratch.data + off;
  long len = srv_unescape(v.s, v.len, true, d);
  if (len < 0) {
    srv_fail(core, r, HTTPSTATUS_CODE_BAD_REQUEST,
             "?q= has a malformed %%-escape");
    return -1;
  }
  d[len] = '\0';
  core->scratch.len += (size_t)len + 1;
  return (long)off;
}

static void route(srv_core *core, srv_request *r, const char *path,
                  size_t len)
{
  if (len == 1 && path[0] == '*' && r->method == SRV_METHOD_OPTIONS) {
    r->route = SRV_ROUTE_CODE; /* OPTIONS * asks about the server itself */
    r->code = HTTPSTATUS_CODE_NO_CONTENT;
    return;
  }
  if (len == 0 || path[0] != '/') {
    srv_fail(core, r, HTTPSTATUS_CODE_BAD_REQUEST,
             "the request target must be a path starting with /");
    return;
  }
  path++, len--;
  if (len > 0 && path[0] >= '0' && path[0] <= '9')
    srv_route_code(core, r, path, len); /* the common case, first */
  else if (len == 0)
    page(core, r, SRV_ROUTE_INDEX);
  else if (srv_ieq(path, len, "healthz"))
    page(core, r, SRV_ROUTE_HEALTH);
  else if (srv_ieq(path, len, "metrics") && core->cfg->metrics)
    page(core, r, SRV_ROUTE_METRICS);
  else if (srv_ieq(path, len, "api/codes") || srv_ieq(path, len, "api/codes/"))
    page(core, r, SRV_ROUTE_API_ALL);
  else if (srv_iprefix(path, len, "api/codes/")) {
    if (parse_code(core, r, path + 10, len - 10)) {
      int code = r->code;
      page(core, r, SRV_ROUTE_API_CODE);
      if (r->route == SRV_ROUTE_API_CODE)
        r->code = code; /* the code asked about; srv_page picks the status */
    }
  } else if (srv_ieq(path, len, "catalog") || srv_ieq(path, len, "catalog/"))
    page(core, r, SRV_ROUTE_CATALOG);
  else if (srv_iprefix(path, len, "catalog/"))
    route_catalog_code(core, r, path + 8, len - 8);
  else if (srv_ieq(path, len, "api/search"))
    page(core, r, SRV_ROUTE_API_SEARCH);
  else if (srv_iprefix(path, len, "static/")) {
    page(core, r, SRV_ROUTE_STATIC);
    r->static_name = (srv_span){path + 7, len - 7};
  } else if (srv_iprefix(path, len, "random/"))
    srv_route_random(core, r, "/random/", path + 7, len - 7);
  else if (!srv_handler_route(core, r, path, len) &&
           !srv_peers_route(core, r, path, len))
    srv_route_code(core, r, path, len);
}

/* The path of the target, whose first `path_len` bytes come before any ?
 * or #; an absolute-form target ("http://host/404", as proxies send it)
 * routes its path. */
static srv_span target_path(srv_span url, size_t path_len)
{
  size_t scheme = url.len == 0 || url.s[0] == '/'             ? 0
                  : srv_iprefix(url.s, path_len, "http://")  ? 7
                  : srv_iprefix(url.s, path_len, "https://") ? 8
                                                             : 0;
  srv_span path = {url.s, path_len};
  if (scheme > 0) {
    size_t auth = srv_span_until(url.s + scheme, path_len - scheme, "/");
    path.s = url.s + scheme + auth;
    path.len = path_len - scheme - auth;
  }
  return path;
}

void srv_request_describe(srv_core *core, const srv_exchange *x,
                          srv_request *r)
{
  memset(r, 0, sizeof *r);
  core->scratch.len = 0;
  r->x = x;
  r->method = x->method;
  r->method_name = x->method_name;
  r->proto = x->proto;
  r->head = x->method == SRV_METHOD_HEAD;
  r->keep_alive = x->keep_alive && !x->last;
  /* Most requests carry no Accept, no override, no option: each is
   * looked at only when it is there. */
  if (x->fields[SRV_F_ACCEPT].len > 0)
    r->type = srv_negotiate(x->fields[SRV_F_ACCEPT]);
  /* Only HTTP/1.1 can switch protocols (RFC 9113, Section 8.6: not h2). */
  if (x->fields[SRV_F_UPGRADE].len > 0 && x->proto == SRV_PROTO_HTTP11)
    r->upgrade = x->fields[SRV_F_UPGRADE];

  srv_span url = x->target;
  size_t qpos = srv_span_until(url.s, url.len, "?#");
  srv_span path = target_path(url, qpos);
  bool absolute = path.s != url.s;
  if (absolute && path.len == 0)
    path = (srv_span){"/", 1};
  r->path = path;

  if (x->method == SRV_METHOD_OPTIONS && x->fields[SRV_F_ORIGIN].len > 0 &&
      x->fields[SRV_F_ACR_METHOD].len > 0) {
    r->route = SRV_ROUTE_PREFLIGHT;
    r->code = HTTPSTATUS_CODE_NO_CONTENT;
    r->acr_method = x->fields[SRV_F_ACR_METHOD];
    if (x->fields[SRV_F_ACR_HEADERS].len > 0)
      r->acr_headers = x->fields[SRV_F_ACR_HEADERS];
    return;
  }
  srv_span query = {NULL, 0};
  if (qpos < url.len && url.s[qpos] == '?') {
    query.s = url.s + qpos + 1;
    query.len = srv_span_until(query.s, url.len - qpos - 1, "#");
  }
  r->query = query;
  size_t location_off = 0;
  if (x->override_count > 0 && !srv_overrides_check(core, x, r))
    return;
  if ((query.len > 0 || srv_has_options(x)) &&
      !srv_options_read(core, x, r, query, &location_off))
    return;
  r->host = x->fields[SRV_F_HOST];
  route(core, r, path.s, path.len);
  long search = -1;
  if (r->route == SRV_ROUTE_CATALOG || r->route == SRV_ROUTE_API_SEARCH)
    search = search_words(core, r, query);
  srv_faults_finish(core, r); /* the last to write core->scratch */
  if (search >= 0 && r->route != SRV_ROUTE_ERROR)
    r->search = core->scratch.data + search;
  if (r->location.s != NULL)
    r->location.s = core->scratch.data + location_off;
}
