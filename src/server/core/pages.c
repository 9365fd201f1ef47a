/* SPDX-License-Identifier: MIT */
/*
 * core/pages.c - the content of every answer: the text explaining a code (plain,
 * JSON, HTML) and the routes other than /{code}: /, /healthz, /api/codes,
 * /api/codes/{code}, /api/search, /catalog, /catalog/{code} and /static/
 * (the files of web/). The HTML and JSON come from the renderer the site
 * command shares (src/web); everything said about a code, from the
 * library.
 */
#include <stdio.h>
#include <string.h>

#include "httpstatus.h"
#include "core/core.h"
#include "web.h"

#define TYPE_PLAIN srv_type_names[SRV_PLAIN]
#define TYPE_JSON srv_type_names[SRV_JSON]

static srv_buf api_all; /* the /api/codes document, built once */

/* ------------------------------------------------------------------------ */
/* One code */

/* What the JSON says about a code the catalog does not know (600-999, or
 * an unused number in 100-599): its class's rules, and that nobody defines
 * it (no origin, no reference). */
static httpstatus_entry unknown_entry(int code)
{
  static const char *const no_aliases[] = {NULL};
  httpstatus_entry e;
  memset(&e, 0, sizeof e);
  e.code = code;
  e.phrase = "";
  e.summary = httpstatus_class_of(code) == HTTPSTATUS_CLASS_INVALID
                  ? "nobody defines it: outside 100-599, no valid status "
                    "code (RFC 9110, Section 15)"
                  : "nobody defines it: IANA has not assigned it and no "
                    "known software uses it";
  e.status = HTTPSTATUS_STATUS_UNOFFICIAL; /* replaced: see put_unknown_json */
  e.aliases = no_aliases;
  e.headers = httpstatus_headers(code);
  e.flags = httpstatus_allows_content(code) ? 0 : HTTPSTATUS_FLAG_NO_CONTENT;
  return e;
}

/* A web_out appending to a srv_buf: the renderer (src/web) writes the
 * pages, the server only sends them. */
static void to_buf(void *ctx, const char *data, size_t len)
{
  srv_buf_append(ctx, data, len);
}

static web_out out_of(srv_buf *b)
{
  srv_buf_reserve(b, 1); /* data is never NULL, even for an empty page */
  return (web_out){to_buf, b};
}

static void put_json(srv_buf *b, const httpstatus_entry *e)
{
  web_out o = out_of(b);
  web_json_entry(e, &o);
}

/* The library's statuses all name someone who defines the code (IANA or
 * a vendor), so its JSON of the unknown entry says "unofficial"; the
 * server says "unassigned" (100-599: a number IANA could still assign) or
 * "invalid" (600-999) there instead, with the library's other keys. */
static void put_unknown_json(srv_buf *b, int code)
{
  static const char said[] = "\"status\":\"unofficial\"";
  httpstatus_entry e = unknown_entry(code);
  char json[1024];
  size_t n = httpstatus_json(&e, json, sizeof json);
  size_t at = 0;
  while (at + sizeof said - 1 < n && memcmp(json + at, said, sizeof said - 1))
    at++;
  if (n >= sizeof json || at + sizeof said - 1 >= n) {
    put_json(b, &e); /* never: the entry is ours and short */
    return;
  }
  srv_buf_append(b, json, at);
  srv_buf_puts(b, httpstatus_class_of(code) == HTTPSTATUS_CLASS_INVALID
                      ? "\"status\":\"invalid\""
                      : "\"status\":\"unassigned\"");
  at += sizeof said - 1;
  srv_buf_append(b, json + at, n - at);
}

static void put_code_json(srv_buf *b, int code)
{
  const httpstatus_entry *e = httpstatus_lookup(code);
  if (e != NULL)
    put_json(b, e);
  else
    put_unknown_json(b, code);
  srv_buf_puts(b, "\n");
}

static web_site served(srv_span host)
{
  return (web_site){WEB_SERVED, host.s, host.len};
}

/* "404 Not Found" (the code alone when it has no phrase). */
static void put_status_text(srv_buf *body, int code)
{
  const char *phrase = httpstatus_reason(code);
  srv_buf_putu(body, (uint64_t)code);
  if (phrase != NULL) {
    srv_buf_append(body, " ", 1);
    srv_buf_puts(body, phrase);
  }
}

void srv_page_code(int code, srv_type type, srv_buf *body)
{
  srv_page_code_at(code, type, (srv_span){NULL, 0}, body);
}

void srv_page_code_at(int code, srv_type type, srv_span host, srv_buf *body)
{
  web_site site = served(host);
  web_out o = out_of(body);
  switch (type) {
  case SRV_JSON:
    put_code_json(body, code);
    break;
  case SRV_HTML:
    web_code_page(&site, code, &o);
    break;
  case SRV_PLAIN:
  default:
    put_status_text(body, code);
    srv_buf_puts(body, "\n");
  }
}

void srv_page_error(int code, const char *why, srv_buf *body)
{
  put_status_text(body, code);
  srv_buf_append(body, ": ", 2);
  srv_buf_puts(body, why);
  srv_buf_append(body, "\n", 1);
}

/* ------------------------------------------------------------------------ */
/* The other routes */

static const struct {
  const char *route, *what;
} routes[] = {
    {"/{code}", "answers with that status code (100-999), any method; "
                "/{code}/anything too"},
    {"/random/{spec}", "answers with a code drawn from a list: "
                       "/random/200,500-504 or /random/200:0.9,503:0.1"},
    {"/status/{codes}", "the same, httpbin's name: /status/418, "
                        "/status/200:0.9,500:0.1"},
    {"/retry/{n}/{key}", "503 (or ?code=) to the first n requests with the "
                         "key, then 200"},
    {"/unstable", "500 or 200, ?failure_rate=0.5 (go-httpbin)"},
    {"/delay/{seconds}", "200 JSON after that long (httpbin)"},
    {"/drip", "?numbytes= bytes over ?duration= after ?delay= (go-httpbin)"},
    {"/etag/{etag}", "ETag \"{etag}\": 304 to a matching If-None-Match, "
                     "412 to a failed If-Match"},
    {"/cache, /cache/{seconds}", "304 to any revalidation; Cache-Control: "
                                 "public, max-age={seconds}"},
    {"/range/{n}", "n bytes (up to 102400) honouring Range and If-Range: "
                   "206, multipart/byteranges, 416"},
    {"/basic-auth/{user}/{password}", "200 with those Basic credentials, "
                                      "else 401 (/hidden-basic-auth/: 404)"},
    {"/bearer", "200 with an Authorization: Bearer token, else 401"},
    {"/digest-auth/{qop}/{user}/{password}[/{algorithm}]",
     "Digest (RFC 7616): auth or auth-int; MD5, SHA-256, SHA-512-256, -sess"},
    {"/proxy-basic-auth/..., /proxy-digest-auth/...",
     "the same as a proxy asks: 407, Proxy-Authorization"},
    {"/redirect/{n}", "n redirects to /200 (?status=307, ?absolute=true; "
                      "/relative-redirect/{n}, /absolute-redirect/{n})"},
    {"/redirect-to?url=URL", "a redirect to URL (&status_code=3xx), under "
                             "the rule of ?location="},
    {"/redirect-loop", "redirects without end, to test a client's limit"},
    {"?sleep=MS", "waits before answering (also X-HttpStatus-Sleep); a 1xx "
                  "goes first, ?interval=MS repeats it"},
    {"?sleepAfterHeaders=MS", "waits between the header section and the "
                              "content (X-HttpStatus-Sleep-After-Headers)"},
    {"?dribble=MS", "sends the content slowly, over MS milliseconds "
                    "(X-HttpStatus-Dribble)"},
    {"?abort=WHEN", "closes the connection before-headers, after-headers or "
                    "mid-body, or resets it: reset (X-HttpStatus-Abort)"},
    {"?body=TEXT", "the content, with ?contentType=TYPE"},
    {"?until=UNIX_MS", "the code until then, 200 after"},
    {"?seed=N", "draws that repeat (/random/, /status/, /unstable)"},
    {"?suppressBody=true", "sends no content (X-HttpStatus-Suppress-Body)"},
    {"?location=URL", "the Location of a redirect: a path here, or a host "
                      "allowed with --allow-redirect-host"},
    {"X-HttpStatus-Response-Name: value",
     "the answer carries Name: value, replacing a built-in field"},
    {"Accept", "text/plain (default), application/json or text/html"},
    {"/api/codes", "the whole catalog as JSON"},
    {"/api/codes/{code}", "every meaning of one code as JSON"},
    {"/api/search?q=WORDS", "the catalog's ranked search as JSON, as "
                            "httpstatus --json search WORDS prints it"},
    {"/catalog", "the catalog as a searchable page (?q=WORDS)"},
    {"/catalog/{code}", "a code explained: meanings, rules, an example"},
    {"/healthz", "answers 200 while the server runs"},
    {"/metrics", "counters in Prometheus' text format (off with --no-metrics)"},
};

#define ROUTE_COUNT (sizeof routes / sizeof routes[0])

static void index_plain(srv_buf *b)
{
  srv_buf_puts(b, "httpstatus serve " HTTPSTATUS_VERSION_STRING
                  ": answers with any HTTP status code, as RFC 9110 asks.\n\n");
  for (size_t i = 0; i < ROUTE_COUNT; i++)
    srv_buf_printf(b, "%-36s %s\n", routes[i].route, routes[i].what);
  srv_buf_puts(b, "\nExample: curl -i http://HOST/503?sleep=1000\n");
}

static void index_html(srv_buf *b)
{
  web_site site = served((srv_span){NULL, 0});
  web_out o = out_of(b);
  web_page_start(&site, 0, "httpstatus serve", &o);
  web_puts(&o, "<h1>httpstatus serve</h1>\n<p>Answers with any HTTP "
               "status code, as RFC 9110 asks. Browse the "
               "<a href=\"/catalog\">catalog</a>.</p>\n<dl>\n");
  for (size_t i = 0; i < ROUTE_COUNT; i++) {
    web_puts(&o, "<dt><code>");
    web_html(&o, routes[i].route, strlen(routes[i].route));
    web_puts(&o, "</code></dt><dd>");
    web_html(&o, routes[i].what, strlen(routes[i].what));
    web_puts(&o, "</dd>\n");
  }
  web_puts(&o, "</dl>\n");
  web_page_end(&o);
}

static int api_code(int code, srv_buf *b)
{
  size_t count = 0;
  const httpstatus_entry *e = httpstatus_meanings(code, &count);
  if (count == 0) {
    srv_buf_printf(b, "{\"code\":%d,\"error\":\"%d is not in the catalog\"}\n",
                   code, code);
    return HTTPSTATUS_CODE_NOT_FOUND;
  }
  web_out o = out_of(b);
  web_json_run(e, count, &o);
  return HTTPSTATUS_CODE_OK;
}

static int asset(const char *name, size_t len, srv_buf *b, const char **ctype)
{
  const web_asset *a = web_asset_find(name, len);
  if (a == NULL) {
    *ctype = TYPE_PLAIN;
    srv_page_error(HTTPSTATUS_CODE_NOT_FOUND, "no such file in /static/", b);
    return HTTPSTATUS_CODE_NOT_FOUND;
  }
  *ctype = a->type;
  srv_buf_append(b, a->data, a->len);
  return HTTPSTATUS_CODE_OK;
}

static int api_search(const srv_request *r, srv_buf *b)
{
  if (r->search == NULL) {
    srv_buf_puts(b, "{\"error\":\"/api/search needs the words to search "
                    "for in ?q=, as in /api/search?q=rate+limit\"}\n");
    return HTTPSTATUS_CODE_BAD_REQUEST;
  }
  web_out o = out_of(b);
  web_json_search(r->search, &o);
  return HTTPSTATUS_CODE_OK;
}

int srv_page(const srv_request *r, srv_buf *body, const char **ctype)
{
  *ctype = srv_type_names[r->type];
  switch (r->route) {
  case SRV_ROUTE_INDEX:
    if (r->type == SRV_HTML) {
      index_html(body);
    } else {
      *ctype = TYPE_PLAIN;
      index_plain(body);
    }
    return HTTPSTATUS_CODE_OK;
  case SRV_ROUTE_HEALTH:
    if (r->type == SRV_JSON) {
      srv_buf_puts(body, "{\"status\":\"ok\"}\n");
    } else {
      *ctype = TYPE_PLAIN;
      srv_buf_puts(body, "ok\n");
    }
    return HTTPSTATUS_CODE_OK;
  case SRV_ROUTE_METRICS:
    *ctype = SRV_METRICS_TYPE;
    srv_metrics_page(body);
    return HTTPSTATUS_CODE_OK;
  case SRV_ROUTE_API_ALL:
    *ctype = TYPE_JSON;
    srv_buf_append(body, api_all.data, api_all.len);
    return HTTPSTATUS_CODE_OK;
  case SRV_ROUTE_API_CODE:
    *ctype = TYPE_JSON;
    return api_code(r->code, body);
  case SRV_ROUTE_API_SEARCH:
    *ctype = TYPE_JSON;
    return api_search(r, body);
  case SRV_ROUTE_CATALOG: {
    web_site site = served(r->host);
    web_out o = out_of(body);
    *ctype = srv_type_names[SRV_HTML];
    web_catalog_page(&site, r->search, &o);
    return HTTPSTATUS_CODE_OK;
  }
  case SRV_ROUTE_CATALOG_CODE: {
    web_site site = served(r->host);
    web_out o = out_of(body);
    *ctype = srv_type_names[SRV_HTML];
    return web_code_page(&site, r->code, &o) ? HTTPSTATUS_CODE_OK
                                              : HTTPSTATUS_CODE_NOT_FOUND;
  }
  case SRV_ROUTE_STATIC:
    return asset(r->static_name.s, r->static_name.len, body, ctype);
  default:
    srv_page_code_at(r->code, r->type, r->host, body);
    return r->code;
  }
}

void srv_pages_init(void)
{
  api_all.len = 0;
  web_out o = out_of(&api_all);
  web_json_catalog(&o);
}

void srv_pages_free(void)
{
  srv_buf_free(&api_all);
}
