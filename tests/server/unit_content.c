/* SPDX-License-Identifier: MIT */
/*
 * unit_content.c - cmocka tests of the server's protocol-neutral core
 * without sockets: core/route.c, options.c, negotiate.c, redirect.c
 * (routes, options, negotiation, overrides), random.c, and respond.c's
 * plans as http1/write.c writes them (the prebuilt fast path must give the
 * very bytes the general path gives, for every code).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "httpstatus.h"
#include "core/core.h"
#include "net/net.h"

static srv_config cfg;
static srv_worker worker;
static srv_conn conn;    /* what the HTTP/1 writer appends for */
static srv_exchange xch;
static srv_request req;
static char pool[16384]; /* the exchange's bytes */
static size_t pool_len;

static const char *const allowed_hosts[] = {"ok.example"};

static uint64_t clock_now; /* the timeline's clock: no test waits */

static uint64_t fake_clock(void)
{
  return clock_now;
}

/* One step of a timeline; then the time it asks to wait has passed. */
static int64_t step(srv_staged *run)
{
  int64_t delay = srv_staged_step(run);
  if (delay > 0)
    clock_now += (uint64_t)delay * 1000000u;
  return delay;
}

static int setup(void **state)
{
  (void)state;
  memset(&cfg, 0, sizeof cfg);
  cfg.max_sleep_ms = 30000;
  cfg.redirect_hosts = allowed_hosts;
  cfg.redirect_host_count = 1;
  memset(&worker, 0, sizeof worker);
  worker.cfg = &cfg;
  worker.core.cfg = &cfg;
  worker.core.rng = 42;
  worker.core.clock_ns = fake_clock;
  memset(&conn, 0, sizeof conn);
  conn.w = &worker;
  return 0;
}

static int teardown(void **state)
{
  (void)state;
  srv_core_free(&worker.core);
  srv_buf_free(&worker.out);
  return 0;
}

static int init_all(void **state)
{
  (void)state;
  srv_core_init();
  srv_http1_init();
  return 0;
}

static int free_all(void **state)
{
  (void)state;
  srv_http1_shutdown();
  srv_core_shutdown();
  return 0;
}

static srv_span keep(const char *s)
{
  size_t len = strlen(s);
  assert_true(pool_len + len < sizeof pool);
  memcpy(pool + pool_len, s, len);
  srv_span span = {pool + pool_len, len};
  pool_len += len;
  return span;
}

/* Describes `METHOD url HTTP/1.minor` with the fields given as name, value
 * pairs ending with NULL; "x-httpstatus-response-*" names become overrides. */
static const srv_request *describe_v(const char *method, const char *url,
                                     int minor, va_list ap)
{
  pool_len = 0;
  srv_exchange_reset(&xch, minor == 0 ? SRV_PROTO_HTTP10 : SRV_PROTO_HTTP11,
                     false, -1);
  xch.method_name = keep(method);
  xch.method = srv_method_of(method, strlen(method));
  xch.target = keep(url);
  xch.keep_alive = minor == 1;
  const char *name;
  while ((name = va_arg(ap, const char *)) != NULL) {
    const char *value = va_arg(ap, const char *);
    size_t plen = strlen(SRV_X_RESPONSE_PREFIX);
    srv_field f = srv_field_find(name, strlen(name));
    if (f == SRV_F_OVERRIDE) {
      srv_hfield *o = &xch.overrides[xch.override_count++];
      o->name = keep(name + plen);
      o->value = keep(value);
    } else if (f < SRV_F_COUNT) {
      xch.fields[f] = keep(value);
    }
  }
  srv_request_describe(&worker.core, &xch, &req);
  return &req;
}

static const srv_request *describe(const char *method, const char *url, ...)
{
  va_list ap;
  va_start(ap, url);
  const srv_request *r = describe_v(method, url, 1, ap);
  va_end(ap);
  return r;
}

static const srv_request *describe10(const char *method, const char *url,
                                     ...)
{
  va_list ap;
  va_start(ap, url);
  const srv_request *r = describe_v(method, url, 0, ap);
  va_end(ap);
  return r;
}

#define GET(url) describe("GET", url, NULL)

static void assert_error(const srv_request *r, int code, const char *part)
{
  assert_int_equal(r->route, SRV_ROUTE_ERROR);
  assert_int_equal(r->code, code);
  assert_non_null(r->error);
  if (strstr(r->error, part) == NULL)
    fail_msg("error line '%s' does not mention '%s'", r->error, part);
}

/* ------------------------------------------------------------------------ */
/* core/route.c, options.c, negotiate.c, redirect.c, random.c */

static void code_routes_take_three_digits(void **state)
{
  (void)state;
  assert_int_equal(GET("/404")->route, SRV_ROUTE_CODE);
  assert_int_equal(req.code, 404);
  assert_int_equal(GET("/503/any/thing?x=1")->code, 503);
  assert_int_equal(GET("/999")->code, 999);
  assert_int_equal(GET("http://host:8/418")->code, 418);
  assert_error(GET("/abc"), 400, "'abc'");
  assert_error(GET("/1000"), 400, "three digits");
  assert_error(GET("/099"), 400, "100-999");
  assert_error(GET("/40"), 400, "'40'");
}

static void pages_have_routes(void **state)
{
  (void)state;
  assert_int_equal(GET("/")->route, SRV_ROUTE_INDEX);
  assert_int_equal(GET("/healthz")->route, SRV_ROUTE_HEALTH);
  assert_int_equal(GET("/api/codes")->route, SRV_ROUTE_API_ALL);
  assert_int_equal(GET("/api/codes/418")->route, SRV_ROUTE_API_CODE);
  assert_int_equal(req.code, 418);
  assert_int_equal(GET("/catalog?q=teapot")->route, SRV_ROUTE_CATALOG);
  assert_int_equal(GET("/static/catalog.js")->route, SRV_ROUTE_STATIC);
  assert_int_equal(req.static_name.len, strlen("catalog.js"));
  assert_memory_equal(req.static_name.s, "catalog.js", req.static_name.len);
  assert_error(GET("/api/codes/x"), 400, "'x'");
  assert_error(describe("POST", "/healthz", NULL), 405, "POST");
  assert_int_equal(describe("HEAD", "/healthz", NULL)->route,
                   SRV_ROUTE_HEALTH);
  assert_int_equal(describe("OPTIONS", "*", NULL)->code, 204);
  assert_error(GET("*"), 400, "path");
}

static void random_route_draws_from_the_spec(void **state)
{
  (void)state;
  for (int i = 0; i < 50; i++) {
    GET("/random/200,500-504");
    assert_int_equal(req.route, SRV_ROUTE_CODE);
    assert_true(req.code == 200 || (req.code >= 500 && req.code <= 504));
  }
  assert_int_equal(GET("/random/200%3A0.5,404:0")->code, 200);
  assert_error(GET("/random/"), 400, "empty");
  assert_error(GET("/random/200,"), 400, "item 2 is empty");
  assert_error(GET("/random/5xx"), 400, "'5xx'");
  assert_error(GET("/random/504-500"), 400, "backwards");
  assert_error(GET("/random/200:x"), 400, "weight 'x'");
  assert_error(GET("/random/200:0"), 400, "every weight is zero");
}

static void random_pick_follows_weights(void **state)
{
  (void)state;
  uint64_t rng = 7;
  int code, seen[5] = {0};
  char err[128];
  for (int i = 0; i < 2000; i++) {
    assert_true(srv_random_pick("500-504", 7, &rng, &code, err, sizeof err));
    assert_in_range(code, 500, 504);
    seen[code - 500]++;
  }
  for (int i = 0; i < 5; i++)
    assert_in_range(seen[i], 300, 500); /* uniform: about 400 each */
  int twos = 0;
  for (int i = 0; i < 2000; i++) {
    assert_true(srv_random_pick("200:0.9,503:0.1", 15, &rng, &code, err,
                                sizeof err));
    assert_true(code == 200 || code == 503);
    twos += code == 200;
  }
  assert_in_range(twos, 1700, 1900);
  rng = 0; /* an unseeded generator still draws */
  assert_true(srv_random_pick("100-999", 7, &rng, &code, err, sizeof err));
}

static void sleep_is_bounded_never_capped(void **state)
{
  (void)state;
  assert_int_equal(GET("/200?sleep=1500")->sleep_ms, 1500);
  assert_error(GET("/200?sleep=30001&dribble=5"), 400, "--max-sleep");
  assert_int_equal(req.sleep_ms, 0);
  assert_int_equal(req.dribble_ms, 0);
  assert_error(GET("/200?sleep=abc"), 400, "sleep=abc");
  assert_error(GET("/200?sleep=-1"), 400, "not a number");
  assert_error(GET("/200?sleep=20000&sleepAfterHeaders=20000"), 400,
               "sleep + sleepAfterHeaders + dribble");
  describe("GET", "/200", "x-httpstatus-sleep", "250",
           "x-httpstatus-dribble", "100", NULL);
  assert_int_equal(req.sleep_ms, 250);
  assert_int_equal(req.dribble_ms, 100);
  describe("GET", "/200?sleep=5", "x-httpstatus-sleep", "250", NULL);
  assert_int_equal(req.sleep_ms, 5); /* the query wins */
  assert_error(describe("GET", "/200", "x-httpstatus-sleep", "1e3", NULL),
               400, "1e3");
}

static void faults_and_flags_parse(void **state)
{
  (void)state;
  assert_int_equal(GET("/200?abort=mid-body")->abort, SRV_ABORT_MID_BODY);
  assert_int_equal(GET("/200?abort=before-headers")->abort,
                   SRV_ABORT_BEFORE_HEADERS);
  assert_int_equal(describe("GET", "/200", "x-httpstatus-abort",
                            "after-headers", NULL)->abort,
                   SRV_ABORT_AFTER_HEADERS);
  assert_error(GET("/200?abort=later"), 400, "abort=later");
  assert_true(GET("/200?suppressBody=true")->suppress_body);
  assert_false(GET("/200?suppressBody=false")->suppress_body);
  assert_error(GET("/200?suppressBody=yes"), 400, "suppressBody=yes");
  assert_int_equal(GET("/200?cachebuster=123")->route, SRV_ROUTE_CODE);
}

static void location_stays_on_allowed_hosts(void **state)
{
  (void)state;
  GET("/302?location=/elsewhere%3Fa%3D1");
  assert_int_equal(req.route, SRV_ROUTE_CODE);
  assert_int_equal(req.location.len, strlen("/elsewhere?a=1"));
  assert_memory_equal(req.location.s, "/elsewhere?a=1", req.location.len);
  assert_int_equal(GET("/302?location=https://OK.example:8443/x")->route,
                   SRV_ROUTE_CODE);
  assert_error(GET("/302?location=https://evil.example/"), 400,
               "evil.example");
  assert_error(GET("/302?location=//evil.example"), 400, "evil.example");
  assert_error(GET("/302?location=https://ok.example@evil/"), 400, "@");
  assert_error(GET("/302?location=/a%0d%0aSet-Cookie:x"), 400, "control");
  assert_error(GET("/302?location=/%5Cevil"), 400, "backslash");
  assert_error(GET("/302?location=javascript:alert(1)"), 400, "http(s)");
  assert_error(GET("/302?location=%zz"), 400, "%-escape");
  /* The spec of /random/ is decoded after the location: the location must
   * survive the scratch buffer growing (ASan catches a stale pointer). */
  char url[2048] = "/random/";
  for (int i = 0; i < 120; i++)
    strcat(url, "%33%30%32,");
  strcat(url, "302?location=/after-random");
  worker.core.scratch.len = 0;
  srv_buf_free(&worker.core.scratch);
  GET(url);
  assert_int_equal(req.route, SRV_ROUTE_CODE);
  assert_int_equal(req.code, 302);
  assert_int_equal(req.location.len, strlen("/after-random"));
  assert_memory_equal(req.location.s, "/after-random", req.location.len);
}

static void accept_picks_the_type(void **state)
{
  (void)state;
  static const struct {
    const char *accept;
    srv_type type;
  } cases[] = {
      {"", SRV_PLAIN},
      {"*/*", SRV_PLAIN},
      {"application/json", SRV_JSON},
      {"text/html", SRV_HTML},
      {"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
       SRV_HTML},
      {"text/plain;q=0.5, application/json", SRV_JSON},
      {"application/json;q=0.1, text/*", SRV_PLAIN},
      {"text/*", SRV_PLAIN},
      {"TEXT/HTML", SRV_HTML},
      {"image/png", SRV_PLAIN},
      {"application/json; q=0, */*", SRV_PLAIN},
      {"application/*", SRV_JSON},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    describe("GET", "/404", "accept", cases[i].accept, NULL);
    if (req.type != cases[i].type)
      fail_msg("Accept: %s gave type %d, expected %d", cases[i].accept,
               (int)req.type, (int)cases[i].type);
  }
}

static void overrides_are_checked(void **state)
{
  (void)state;
  describe("GET", "/503", "x-httpstatus-response-retry-after", "120", NULL);
  assert_int_equal(req.route, SRV_ROUTE_CODE);
  assert_int_equal(req.override_count, 1);
  assert_error(describe("GET", "/200", "x-httpstatus-response-x-a", "1\r\nB: 2",
                        NULL),
               400, "CR, LF or NUL");
  assert_error(describe("GET", "/200", "x-httpstatus-response-content-length",
                        "5", NULL),
               400, "frames");
  assert_error(describe("GET", "/302", "x-httpstatus-response-location",
                        "https://evil.example/", NULL),
               400, "evil.example");
  assert_error(describe("GET", "/200", "x-httpstatus-response-refresh",
                        "0; url=//evil.example/", NULL),
               400, "evil.example");
  assert_int_equal(describe("GET", "/302", "x-httpstatus-response-location",
                            "relative/path", NULL)->route,
                   SRV_ROUTE_CODE);
}

static void preflight_needs_origin_and_method(void **state)
{
  (void)state;
  describe("OPTIONS", "/404", "origin", "http://a", "access-control-request-method",
           "PUT", NULL);
  assert_int_equal(req.route, SRV_ROUTE_PREFLIGHT);
  assert_int_equal(req.code, 204);
  describe("OPTIONS", "/404", "origin", "http://a", NULL);
  assert_int_equal(req.route, SRV_ROUTE_CODE);
  assert_int_equal(req.code, 404);
}

static void switching_needs_an_upgrade_offer(void **state)
{
  (void)state;
  assert_error(GET("/101"), 400, "Upgrade");
  describe("GET", "/101", "upgrade", "websocket", NULL);
  assert_int_equal(req.route, SRV_ROUTE_CODE);
  assert_error(describe10("GET", "/101", "upgrade", "websocket", NULL), 400,
               "Upgrade");
}

/* ------------------------------------------------------------------------ */
/* core/faults.c, peers.c, retry.c */

static void durations_and_fractions_parse(void **state)
{
  (void)state;
  static const struct {
    const char *text;
    uint64_t ms;
  } good[] = {{"2", 2000}, {"1.5", 1500}, {"500ms", 500}, {"1.5s", 1500},
              {"0.0005", 1}, {"1.5ms", 2}, {"0", 0}, {"1.", 1000}};
  static const char *const bad[] = {"", "1h", "-1", ".", "s", "ms", "1e3",
                                    "1.5.5", "99999999999999999999"};
  uint64_t ms;
  for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
    assert_true(srv_parse_duration(srv_span_of(good[i].text), &ms));
    assert_int_equal(ms, good[i].ms);
  }
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    if (srv_parse_duration(srv_span_of(bad[i]), &ms))
      fail_msg("'%s' parsed as a duration", bad[i]);
  uint32_t ppm;
  assert_true(srv_parse_fraction(srv_span_of("0.25"), &ppm));
  assert_int_equal(ppm, 250000);
  assert_true(srv_parse_fraction(srv_span_of(".5"), &ppm));
  assert_int_equal(ppm, 500000);
  assert_true(srv_parse_fraction(srv_span_of("1"), &ppm));
  assert_int_equal(ppm, 1000000);
  assert_false(srv_parse_fraction(srv_span_of("1.0000001"), &ppm));
  assert_false(srv_parse_fraction(srv_span_of("2"), &ppm));
}

static void bodies_and_types_are_checked(void **state)
{
  (void)state;
  GET("/200?body=a+b%21&contentType=text/x;%20q=%22a%20b%22");
  assert_int_equal(req.route, SRV_ROUTE_CODE);
  assert_int_equal(req.body.len, 4);
  assert_memory_equal(req.body.s, "a b!", 4);
  assert_string_equal(req.content_type, "text/x; q=\"a b\"");
  assert_error(GET("/204?body=x"), 400, "no content");
  assert_error(GET("/200?contentType=text/x;%20q=%22open"), 400, "media type");
  assert_error(GET("/200?contentType=text/x%0d%0aX:1"), 400, "media type");
  GET("/random/204?body=x"); /* drawn: the body is dropped, not refused */
  assert_int_equal(req.route, SRV_ROUTE_CODE);
  assert_null(req.body.s);
}

static void peers_spellings_route(void **state)
{
  (void)state;
  cfg.max_body = 4096; /* /drip's numbytes at most */
  describe("GET", "/200", "x-httpstatus-abortafterheaders", "True",
           "x-httpstatus-dribblebody", "true", NULL);
  assert_int_equal(req.abort, SRV_ABORT_AFTER_HEADERS);
  assert_int_equal(req.dribble_ms, 200);
  assert_error(describe("GET", "/200", "x-httpstatus-abortduringbody", "yes",
                        NULL),
               400, "neither true nor false");
  GET("/200?SuppressBody=TRUE&SLEEP=5&Abort=reset");
  assert_true(req.suppress_body);
  assert_int_equal(req.sleep_ms, 5);
  assert_int_equal(req.abort, SRV_ABORT_RESET);
  GET("/status/418/x");
  assert_int_equal(req.code, 418);
  GET("/delay/1.25");
  assert_int_equal(req.sleep_ms, 1250);
  assert_true(req.echo);
  GET("/drip?numbytes=5&duration=30ms&delay=0&code=206");
  assert_int_equal(req.code, 206);
  assert_int_equal(req.fill, 5);
  assert_int_equal(req.dribble_ms, 30);
  assert_int_equal(req.dribble_pieces, 4); /* no closer than 10 ms */
  assert_error(GET("/delay/31"), 400, "--max-sleep");
}

static void seeds_repeat_and_retries_count(void **state)
{
  (void)state;
  int first = GET("/random/100-999?seed=77")->code;
  for (int i = 0; i < 5; i++) {
    worker.core.rng = (uint64_t)i + 1; /* the worker's draws do not matter */
    assert_int_equal(GET("/random/100-999?seed=77")->code, first);
  }
  int unstable = GET("/unstable?seed=5")->code;
  assert_int_equal(GET("/unstable?seed=5")->code, unstable);
  assert_int_equal(GET("/retry/2/unit-key?code=502")->code, 502);
  assert_true(req.retry_after);
  assert_int_equal(GET("/retry/2/unit-key")->code, 503);
  assert_int_equal(GET("/retry/2/unit-key")->code, 200);
  assert_false(req.retry_after);
  assert_int_equal(GET("/retry/1/other-key")->code, 503);
  assert_int_equal(GET("/200?until=1")->code, 200);
  assert_int_equal(GET("/503?until=99999999999999")->code, 503);
  assert_error(GET("/200?sleep=10&interval=10"), 400, "interim");
}

/* ------------------------------------------------------------------------ */
/* core/respond.c, as http1/write.c writes it */

/* Runs a plan to its end through the HTTP/1 writer (no waiting); its
 * bytes go to `out`, with the Date lines cut out (the clock may tick). */
static void emit(const srv_plan *p, srv_proto proto, srv_buf *out)
{
  srv_staged run;
  conn.h1.proto = (uint8_t)proto;
  worker.out.len = 0;
  srv_staged_start(&run, &worker.core, NULL, p, &srv_http1_ops, &conn);
  for (int steps = 0; step(&run) >= 0; steps++)
    assert_true(steps < 64);
  out->len = 0;
  srv_buf_append(out, worker.out.data, worker.out.len);
  srv_buf_append(out, "", 1);
  char *date = strstr(out->data, "\r\nDate: ");
  while (date != NULL) {
    char *end = strstr(date + 2, "\r\n");
    memmove(date, end, strlen(end) + 1);
    date = strstr(date + 2, "\r\nDate: ");
  }
  out->len = strlen(out->data);
}

/* The answer to `r` as text; *code gets its final status (0: none). */
static void answer(const srv_request *r, srv_buf *out, int *code)
{
  srv_plan p;
  srv_respond(&worker.core, r, &p);
  emit(&p, r->proto, out);
  *code = p.kind == SRV_PLAN_SILENT ? 0 : p.code;
}

/* Cuts the "x-unit: 1\r\n" line the slow path was forced with. */
static void cut_line(srv_buf *b, const char *line)
{
  char *at = strstr(b->data, line);
  assert_non_null(at);
  memmove(at, at + strlen(line), strlen(at + strlen(line)) + 1);
  b->len = strlen(b->data);
}

static const char *final_head(const char *text)
{
  /* After a 1xx interim response, the final one starts at its own
   * status line. */
  const char *last = text, *at = text;
  while ((at = strstr(at, "HTTP/1.1 ")) != NULL)
    last = at++;
  return last;
}

static bool has_field(const char *head, size_t len, const char *name)
{
  char needle[64];
  snprintf(needle, sizeof needle, "\r\n%s: ", name);
  size_t n = strlen(needle);
  for (size_t i = 0; i + n <= len; i++)
    if (memcmp(head + i, needle, n) == 0)
      return true;
  return false;
}

/* The rules of RFC 9110/9112 the answer to /code must follow. */
static void check_rules(int code, int got, const char *text, bool head)
{
  bool interim = httpstatus_is_informational(code);
  char status[16];
  snprintf(status, sizeof status, "HTTP/1.1 %d ", code);
  assert_memory_equal(text, status, strlen(status));
  if (interim)
    assert_int_equal(got, 200);
  else
    assert_int_equal(got, code);
  const char *fin = final_head(text);
  const char *end = strstr(fin, "\r\n\r\n");
  assert_non_null(end);
  size_t hlen = (size_t)(end + 4 - fin);
  bool framed = httpstatus_is_informational(got) || got == 204 || got == 304;
  assert_int_equal(has_field(fin, hlen, "Content-Length"), !framed);
  assert_true(has_field(fin, hlen, "Server"));
  assert_true(has_field(fin, hlen, "Access-Control-Allow-Origin"));
  for (unsigned bit = 1; httpstatus_header_name(bit) != NULL; bit <<= 1)
    if (httpstatus_headers(got) & bit)
      assert_true(has_field(fin, hlen, httpstatus_header_name(bit)));
  bool content = httpstatus_allows_content(got) && !head;
  if (!content)
    assert_int_equal(strlen(end + 4), 0);
  else
    assert_true(strlen(end + 4) > 0);
}

static void fast_path_matches_general_path(void **state)
{
  (void)state;
  srv_buf fast = {0}, slow = {0}, head = {0};
  int fast_code, slow_code, head_code;
  for (int code = 100; code <= 999; code++) {
    char url[16];
    snprintf(url, sizeof url, "/%d", code);
    static const char *const accepts[] = {"text/plain", "application/json"};
    for (int t = 0; t < 2; t++) {
      describe("GET", url, "accept", accepts[t], NULL);
      if (req.route != SRV_ROUTE_CODE)
        continue; /* 101 without an offer */
      answer(&req, &fast, &fast_code);
      describe("GET", url, "accept", accepts[t],
               "x-httpstatus-response-x-unit", "1", NULL);
      answer(&req, &slow, &slow_code);
      assert_int_equal(fast_code, slow_code);
      if (fast_code == 0) {
        assert_int_equal(code, 444);
        assert_int_equal(fast.len, 0);
        assert_int_equal(slow.len, 0);
        continue;
      }
      cut_line(&slow, "x-unit: 1\r\n");
      if (strcmp(fast.data, slow.data) != 0)
        fail_msg("/%d: fast path\n%s\ngeneral path\n%s", code, fast.data,
                 slow.data);
      check_rules(code, fast_code, fast.data, false);
      describe("HEAD", url, "accept", accepts[t], NULL);
      answer(&req, &head, &head_code);
      check_rules(code, head_code, head.data, true);
      /* HEAD: the same header section as GET, no content. */
      assert_true(head.len <= fast.len);
      assert_memory_equal(head.data, fast.data, head.len);
    }
  }
  srv_buf_free(&fast);
  srv_buf_free(&slow);
  srv_buf_free(&head);
}

static void interim_responses_skip_http10(void **state)
{
  (void)state;
  srv_buf out = {0};
  int code;
  describe10("GET", "/103", NULL);
  answer(&req, &out, &code);
  assert_int_equal(code, 200);
  assert_memory_equal(out.data, "HTTP/1.1 200 OK\r\n", 17);
  assert_null(strstr(out.data, "103"));
  describe("GET", "/103", NULL);
  answer(&req, &out, &code);
  assert_memory_equal(out.data, "HTTP/1.1 103 Early Hints\r\n", 26);
  const char *fin = strstr(out.data, "\r\n\r\nHTTP/1.1 200 OK\r\n");
  assert_non_null(fin);
  const char *link = strstr(out.data, "\r\nLink: <");
  assert_true(link != NULL && link < fin);
  assert_int_equal(code, 200);
  srv_buf_free(&out);
}

static void switching_answers_the_offer(void **state)
{
  (void)state;
  srv_buf out = {0};
  int code;
  describe("GET", "/101", "upgrade", "websocket, h2c", NULL);
  answer(&req, &out, &code);
  assert_int_equal(code, 101);
  assert_non_null(strstr(out.data, "\r\nUpgrade: websocket\r\n"));
  assert_non_null(strstr(out.data, "\r\nConnection: upgrade\r\n"));
  assert_null(strstr(out.data, "Content-Length"));
  srv_buf_free(&out);
}

static void requests_change_fields(void **state)
{
  (void)state;
  srv_buf out = {0};
  int code;
  describe("GET", "/503", "x-httpstatus-response-retry-after", "120", NULL);
  answer(&req, &out, &code);
  assert_non_null(strstr(out.data, "\r\nretry-after: 120\r\n"));
  assert_null(strstr(out.data, "Retry-After: 1\r\n"));
  GET("/307?location=/there");
  answer(&req, &out, &code);
  assert_non_null(strstr(out.data, "\r\nLocation: /there\r\n"));
  GET("/404?suppressBody=true");
  answer(&req, &out, &code);
  assert_non_null(strstr(out.data, "\r\nContent-Length: 0\r\n\r\n"));
  assert_int_equal(strlen(strstr(out.data, "\r\n\r\n")), 4);
  describe10("GET", "/404", NULL);
  answer(&req, &out, &code);
  assert_non_null(strstr(out.data, "\r\nConnection: close\r\n"));
  describe("GET", "/404", "accept", "text/html", NULL);
  answer(&req, &out, &code);
  assert_non_null(strstr(out.data, "text/html; charset=utf-8"));
  assert_non_null(strstr(out.data, "<span class=\"num c4\">404</span> Not Found</h1>"));
  srv_buf_free(&out);
}

static void json_is_the_library_object(void **state)
{
  (void)state;
  srv_buf out = {0};
  char want[2048];
  int code;
  describe("GET", "/418", "accept", "application/json", NULL);
  answer(&req, &out, &code);
  size_t n = httpstatus_json(httpstatus_lookup(418), want, sizeof want);
  assert_true(n < sizeof want);
  const char *body = strstr(out.data, "\r\n\r\n") + 4;
  assert_int_equal(strlen(body), n + 1);
  assert_memory_equal(body, want, n);
  srv_buf_free(&out);
}

static void errors_close_and_say_why(void **state)
{
  (void)state;
  srv_buf out = {0};
  srv_plan p;
  srv_plan_error(&worker.core, NULL, &p, 431, "the header section is too large");
  emit(&p, SRV_PROTO_HTTP11, &out);
  srv_buf_append(&worker.out, "", 1);
  assert_non_null(strstr(worker.out.data, "\r\nDate: "));
  assert_memory_equal(out.data, "HTTP/1.1 431 ", 13);
  assert_non_null(strstr(out.data, "\r\nConnection: close\r\n"));
  assert_non_null(strstr(out.data,
                         "\r\n\r\n431 Request Header Fields Too Large: the "
                         "header section is too large\n"));
  srv_buf_free(&out);
}

static void preflight_allows_what_was_asked(void **state)
{
  (void)state;
  srv_buf out = {0};
  int code;
  describe("OPTIONS", "/404", "origin", "http://a",
           "access-control-request-method", "PUT",
           "access-control-request-headers", "x-a, x-b", NULL);
  answer(&req, &out, &code);
  assert_int_equal(code, 204);
  assert_non_null(strstr(out.data, "\r\nAccess-Control-Allow-Methods: PUT\r\n"));
  assert_non_null(
      strstr(out.data, "\r\nAccess-Control-Allow-Headers: x-a, x-b\r\n"));
  assert_null(strstr(out.data, "Content-Length"));
  srv_buf_free(&out);
}

/* ------------------------------------------------------------------------ */
/* staged.c: the timeline, through ops that record what they were asked */

typedef struct recorder {
  char log[512];   /* one letter per call: i h b a f, H/B when last */
  size_t body;     /* content bytes handed over */
  bool closed;
} recorder;

static void note(recorder *rec, char what)
{
  size_t n = strlen(rec->log);
  if (n + 1 < sizeof rec->log)
    rec->log[n] = what, rec->log[n + 1] = '\0';
}

static size_t rec_interim(void *stream, const srv_plan *p, int code)
{
  (void)p, (void)code;
  note(stream, 'i');
  return 1;
}

static size_t rec_head(void *stream, const srv_plan *p, bool last)
{
  (void)p;
  note(stream, last ? 'H' : 'h');
  return 1;
}

static size_t rec_body(void *stream, const srv_plan *p, const char *data,
                       size_t len, bool last)
{
  (void)p, (void)data;
  ((recorder *)stream)->body += len;
  note(stream, last ? 'B' : 'b');
  return len;
}

static void rec_abort(void *stream, const srv_plan *p, srv_abort when)
{
  (void)p;
  note(stream, when == SRV_ABORT_RESET ? 'r' : 'a');
}

static void rec_finish(void *stream, const srv_plan *p, bool close)
{
  (void)p;
  ((recorder *)stream)->closed = close;
  note(stream, 'f');
}

static const srv_plan_ops recording = {rec_interim, rec_head, rec_body,
                                       rec_abort, rec_finish};

/* Builds the plan of GET url and starts its timeline on `rec`. */
static void plan_of(const char *url, srv_plan *p, srv_buf *store,
                    srv_staged *run, recorder *rec)
{
  memset(rec, 0, sizeof *rec);
  GET(url);
  srv_respond(&worker.core, &req, p);
  srv_plan_own(p, store); /* it outlives the next request's plan */
  srv_staged_start(run, &worker.core, NULL, p, &recording, rec);
}

static void timelines_run_independently(void **state)
{
  (void)state;
  srv_plan slow_plan, fast_plan;
  srv_buf slow_store = {0}, fast_store = {0};
  srv_staged slow, fast;
  recorder slow_rec, fast_rec;
  plan_of("/200?sleep=2000", &slow_plan, &slow_store, &slow, &slow_rec);
  plan_of("/404", &fast_plan, &fast_store, &fast, &fast_rec);
  /* Two exchanges of one connection (HTTP/2 streams): the sleeping one
   * does not hold back the other. */
  assert_int_equal(step(&slow), 2000);
  assert_string_equal(slow_rec.log, "");
  assert_int_equal(step(&fast), -1);
  assert_string_equal(fast_rec.log, "hBf");
  assert_int_equal(fast_rec.body, fast_plan.body.len);
  assert_false(fast_rec.closed);
  assert_int_equal(step(&slow), -1);
  assert_string_equal(slow_rec.log, "hBf");
  srv_buf_free(&slow_store);
  srv_buf_free(&fast_store);
}

static uint64_t counter(const srv_counter *c)
{
  return atomic_load_explicit(c, memory_order_relaxed);
}

static void metrics_label_routes(void **state)
{
  (void)state;
  static const struct {
    const char *path;
    srv_metric_route route;
  } cases[] = {
      {"/404", SRV_MR_CODE},          {"/200/x", SRV_MR_CODE},
      {"/random/200,503", SRV_MR_RANDOM}, {"/", SRV_MR_INDEX},
      {"/api/codes/404", SRV_MR_API}, {"/catalog", SRV_MR_CATALOG},
      {"/static/a.css", SRV_MR_STATIC}, {"/HEALTHZ", SRV_MR_HEALTH},
      {"/metrics", SRV_MR_METRICS},   {"/apix", SRV_MR_OTHER},
      {"//404", SRV_MR_OTHER},        {"*", SRV_MR_OTHER},
      {"x1", SRV_MR_OTHER},           {"", SRV_MR_OTHER},
      {"/etag/x", SRV_MR_CACHE},      {"/range/10", SRV_MR_RANGE},
      {"/Basic-Auth/u/p", SRV_MR_AUTH}, {"/redirect-to", SRV_MR_REDIRECT},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    assert_int_equal(srv_metrics_route(srv_span_of(cases[i].path)), cases[i].route);
}

static void metrics_count_sleeping_answers(void **state)
{
  (void)state;
  srv_plan p;
  srv_buf store = {0};
  srv_staged run;
  recorder rec;
  srv_metrics *m = &worker.core.metrics;
  plan_of("/200?sleep=2000", &p, &store, &run, &rec);
  assert_int_equal(srv_staged_step(&run), 2000);
  assert_int_equal(counter(&m->sleeps_started) - counter(&m->sleeps_ended), 1);
  srv_staged_drop(&run); /* its connection closed while it slept */
  srv_staged_drop(&run);
  assert_int_equal(counter(&m->sleeps_ended), 1);
  plan_of("/200?dribble=100", &p, &store, &run, &rec);
  int64_t delay;
  while ((delay = srv_staged_step(&run)) >= 0) {
    assert_int_equal(counter(&m->sleeps_started) - counter(&m->sleeps_ended), 1);
    clock_now += (uint64_t)delay * 1000000u; /* the wait is over */
  }
  assert_int_equal(counter(&m->sleeps_started), 2);
  assert_int_equal(counter(&m->sleeps_ended), 2);
  plan_of("/404", &p, &store, &run, &rec);
  assert_int_equal(srv_staged_step(&run), -1);
  assert_int_equal(counter(&m->sleeps_started), 2); /* no wait, no count */
  assert_int_equal(counter(&m->requests[p.route][4]), 1);
  assert_int_equal(counter(&m->requests[p.route][2]), 1); /* one was dropped */
  srv_buf_free(&store);
}

static void metrics_page_sums_workers(void **state)
{
  (void)state;
  static srv_metrics a, b;
  srv_buf page = {0};
  memset(&a, 0, sizeof a);
  memset(&b, 0, sizeof b);
  srv_metrics_init();
  srv_metrics_register(&a);
  srv_metrics_register(&b);
  srv_metrics_request(&a, SRV_MR_CODE, 404);
  srv_metrics_request(&b, SRV_MR_CODE, 418);
  srv_metrics_request(&b, SRV_MR_CODE, 0);
  srv_metrics_refused(&a, 431);
  srv_metrics_refused(&b, 299);
  SRV_COUNT(&a, conns_opened);
  SRV_COUNT(&b, conns_opened);
  SRV_COUNT(&b, conns_closed);
  srv_metrics_page(&page);
  srv_buf_append(&page, "", 1);
  assert_non_null(strstr(page.data, "\nhttpstatus_requests_total{route=\"code\",class=\"4xx\"} 2\n"));
  assert_non_null(strstr(page.data, "{route=\"code\",class=\"none\"} 1\n"));
  assert_null(strstr(page.data, "class=\"2xx\""));
  assert_non_null(strstr(page.data, "{reason=\"headers_too_large\"} 1\n"));
  assert_non_null(strstr(page.data, "{reason=\"other\"} 1\n"));
  assert_non_null(strstr(page.data, "\nhttpstatus_connections_total 2\n"));
  assert_non_null(strstr(page.data, "\nhttpstatus_open_connections 1\n"));
  srv_metrics_init(); /* a and b are no longer summed */
  srv_buf_free(&page);
}

static void timelines_dribble_and_abort(void **state)
{
  (void)state;
  srv_plan p;
  srv_buf store = {0};
  srv_staged run;
  recorder rec;
  plan_of("/200?dribble=1600&sleepAfterHeaders=10", &p, &store, &run, &rec);
  assert_int_equal(step(&run), 10);
  assert_string_equal(rec.log, "h");
  int64_t delay;
  int pieces = 0;
  while ((delay = step(&run)) >= 0) {
    assert_true(delay > 0);
    pieces++;
  }
  assert_int_equal(rec.body, p.body.len);
  assert_true(pieces >= 1 && pieces < 16);
  assert_int_equal(rec.log[strlen(rec.log) - 2], 'B');
  plan_of("/200?abort=mid-body", &p, &store, &run, &rec);
  assert_int_equal(step(&run), -1);
  assert_string_equal(rec.log, "hbaf");
  assert_int_equal(rec.body, p.body.len / 2);
  assert_true(rec.closed);
  plan_of("/444", &p, &store, &run, &rec);
  assert_int_equal(step(&run), -1);
  assert_string_equal(rec.log, "af");
  assert_true(rec.closed);
  plan_of("/103?abort=after-headers", &p, &store, &run, &rec);
  assert_int_equal(step(&run), -1);
  assert_string_equal(rec.log, "ihaf");
  srv_buf_free(&store);
}

/* The delays a timeline asks for until it ends, summed. */
static uint64_t run_to_end(srv_staged *run)
{
  uint64_t total = 0;
  for (int64_t delay; (delay = step(run)) >= 0;) {
    assert_true(delay > 0);
    total += (uint64_t)delay;
  }
  return total;
}

static void timelines_interim_before_the_sleep(void **state)
{
  (void)state;
  srv_plan p;
  srv_buf store = {0};
  srv_staged run;
  recorder rec;
  plan_of("/102?sleep=1000", &p, &store, &run, &rec);
  assert_int_equal(step(&run), 1000);
  assert_string_equal(rec.log, "i"); /* at once, before the wait */
  assert_int_equal(run_to_end(&run), 0);
  assert_string_equal(rec.log, "ihBf");
  plan_of("/102?sleep=1000&interval=300", &p, &store, &run, &rec);
  assert_int_equal(step(&run), 300);
  assert_int_equal(run_to_end(&run), 700);
  assert_string_equal(rec.log, "iiiihBf"); /* at 0, 300, 600, 900 */
  srv_buf_free(&store);
}

static void timelines_never_end_early(void **state)
{
  (void)state;
  srv_plan p;
  srv_buf store = {0};
  srv_staged run;
  recorder rec;
  /* A millisecond timer may fire up to 1 ms early: the rest is waited. */
  plan_of("/200?sleep=100", &p, &store, &run, &rec);
  assert_int_equal(srv_staged_step(&run), 100);
  clock_now += 99500000u;
  assert_int_equal(srv_staged_step(&run), 1);
  assert_string_equal(rec.log, "");
  clock_now += 500000u;
  assert_int_equal(srv_staged_step(&run), -1);
  assert_string_equal(rec.log, "hBf");
  /* A dribble ends when asked: the first piece with the content's start,
   * the last one dribble_ms later. */
  plan_of("/200?dribble=1600", &p, &store, &run, &rec);
  assert_int_equal(run_to_end(&run), 1600);
  assert_int_equal(rec.body, p.body.len);
  assert_int_equal(rec.log[0], 'h');
  assert_int_equal(rec.log[1], 'b');
  srv_buf_free(&store);
}

static void timelines_reset_instead_of_the_head(void **state)
{
  (void)state;
  srv_plan p;
  srv_buf store = {0};
  srv_staged run;
  recorder rec;
  plan_of("/200?abort=reset", &p, &store, &run, &rec);
  assert_int_equal(step(&run), -1);
  assert_string_equal(rec.log, "rf");
  assert_true(rec.closed);
  plan_of("/103?sleep=50&abort=reset", &p, &store, &run, &rec);
  assert_int_equal(run_to_end(&run), 50);
  assert_string_equal(rec.log, "irf"); /* the 1xx left before the sleep */
  plan_of("/444?abort=reset", &p, &store, &run, &rec);
  assert_int_equal(step(&run), -1);
  assert_string_equal(rec.log, "rf");
  srv_buf_free(&store);
}

/* ------------------------------------------------------------------------ */
/* pages.c */

static int page_of(const char *url, const char *accept, srv_buf *body,
                   const char **ctype)
{
  describe("GET", url, "accept", accept, NULL);
  body->len = 0;
  int status = srv_page(&req, body, ctype);
  srv_buf_append(body, "", 1);
  return status;
}

static void pages_answer_by_type(void **state)
{
  (void)state;
  srv_buf body = {0};
  const char *ctype;
  assert_int_equal(page_of("/", "*/*", &body, &ctype), 200);
  assert_string_equal(ctype, "text/plain; charset=utf-8");
  assert_non_null(strstr(body.data, "/random/{spec}"));
  assert_int_equal(page_of("/", "text/html", &body, &ctype), 200);
  assert_string_equal(ctype, "text/html; charset=utf-8");
  assert_non_null(strstr(body.data, "<a href=\"/catalog\">"));
  assert_int_equal(page_of("/healthz", "application/json", &body, &ctype),
                   200);
  assert_string_equal(body.data, "{\"status\":\"ok\"}\n");
  assert_int_equal(page_of("/api/codes/600", "", &body, &ctype), 404);
  assert_string_equal(ctype, "application/json; charset=utf-8");
  assert_non_null(strstr(body.data, "\"code\":600"));
  assert_int_equal(page_of("/api/codes/451", "", &body, &ctype), 200);
  assert_memory_equal(body.data, "[\n  {\"code\":451,", 15);
  assert_non_null(strstr(body.data, "},\n  {\"code\":451,"));
  assert_int_equal(page_of("/catalog", "", &body, &ctype), 200);
  assert_string_equal(ctype, "text/html; charset=utf-8");
  /* Server-rendered: every entry is there without a script. */
  assert_non_null(strstr(body.data, "<a href=\"/catalog/418\">"));
  assert_non_null(strstr(body.data, "<form class=\"search\""));
  assert_null(strstr(body.data, "id=\"results\""));
  assert_int_equal(page_of("/catalog?q=rate+limit", "", &body, &ctype), 200);
  const char *results = strstr(body.data, "id=\"results\"");
  assert_non_null(results);
  assert_non_null(strstr(body.data, "value=\"rate limit\""));
  /* Ranked as the library ranks: 429 is the best match. */
  const char *first = strstr(results, "<a href=\"/catalog/");
  assert_non_null(first);
  assert_memory_equal(first, "<a href=\"/catalog/429\">", 23);
  assert_int_equal(page_of("/catalog?q=%3Cb%3E", "", &body, &ctype), 200);
  assert_null(strstr(body.data, "<b>")); /* the query is escaped */
  assert_int_equal(page_of("/catalog?q=%zz", "", &body, &ctype), 400);
  assert_int_equal(page_of("/catalog/404", "", &body, &ctype), 200);
  assert_non_null(strstr(body.data, "<h2 id=\"example\">Example</h2>"));
  assert_int_equal(page_of("/catalog/427", "", &body, &ctype), 404);
  assert_string_equal(ctype, "text/html; charset=utf-8");
  assert_int_equal(page_of("/catalog/abc", "", &body, &ctype), 400);
  assert_int_equal(page_of("/api/search?q=teapot", "", &body, &ctype), 200);
  assert_string_equal(ctype, "application/json; charset=utf-8");
  assert_memory_equal(body.data, "[\n  {\"code\":418,", 15);
  assert_int_equal(page_of("/api/search?q=zzzzqqq", "", &body, &ctype), 200);
  assert_string_equal(body.data, "[]\n");
  assert_int_equal(page_of("/api/search", "", &body, &ctype), 400);
  assert_int_equal(page_of("/static/catalog.js", "", &body, &ctype), 200);
  assert_string_equal(ctype, "text/javascript; charset=utf-8");
  assert_int_equal(page_of("/static/../catalog.js", "", &body, &ctype), 404);
  assert_int_equal(page_of("/static/nope.css", "", &body, &ctype), 404);
  srv_buf_free(&body);
}

static void api_codes_lists_every_entry(void **state)
{
  (void)state;
  srv_buf body = {0};
  const char *ctype;
  assert_int_equal(page_of("/api/codes", "", &body, &ctype), 200);
  size_t objects = 0;
  for (const char *p = body.data; (p = strstr(p, "{\"code\":")) != NULL; p++)
    objects++;
  assert_int_equal(objects, httpstatus_count());
  srv_buf_free(&body);
}

static void code_pages_explain(void **state)
{
  (void)state;
  srv_buf body = {0};
  srv_page_code(404, SRV_PLAIN, &body);
  srv_buf_append(&body, "", 1);
  assert_string_equal(body.data, "404 Not Found\n");
  body.len = 0;
  srv_page_code(600, SRV_PLAIN, &body);
  srv_buf_append(&body, "", 1);
  assert_string_equal(body.data, "600\n");
  body.len = 0;
  srv_page_code(600, SRV_JSON, &body);
  srv_buf_append(&body, "", 1);
  assert_memory_equal(body.data, "{\"code\":600,", 12);
  assert_non_null(strstr(body.data, "\"class\":null"));
  body.len = 0;
  srv_page_code_at(451, SRV_HTML, srv_span_of("example.test:81"), &body);
  srv_buf_append(&body, "", 1);
  assert_non_null(strstr(body.data, "<h2 id=\"meanings\">Meanings</h2>"));
  assert_non_null(strstr(body.data, "curl -i http://example.test:81/451"));
  assert_non_null(strstr(body.data, "href=\"https://www.rfc-editor.org/"));
  assert_non_null(strstr(body.data, "client&#39;s")); /* escaped */
  body.len = 0;
  /* A Host that is not host[:port] is never echoed into the page. */
  srv_page_code_at(404, SRV_HTML, srv_span_of("<script>x"), &body);
  srv_buf_append(&body, "", 1);
  assert_null(strstr(body.data, "<script>x"));
  assert_non_null(strstr(body.data, "curl -i http://localhost:8080/404"));
  srv_buf_free(&body);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(code_routes_take_three_digits, setup, teardown),
      cmocka_unit_test_setup_teardown(pages_have_routes, setup, teardown),
      cmocka_unit_test_setup_teardown(random_route_draws_from_the_spec, setup, teardown),
      cmocka_unit_test_setup_teardown(random_pick_follows_weights, setup, teardown),
      cmocka_unit_test_setup_teardown(sleep_is_bounded_never_capped, setup, teardown),
      cmocka_unit_test_setup_teardown(faults_and_flags_parse, setup, teardown),
      cmocka_unit_test_setup_teardown(location_stays_on_allowed_hosts, setup, teardown),
      cmocka_unit_test_setup_teardown(accept_picks_the_type, setup, teardown),
      cmocka_unit_test_setup_teardown(overrides_are_checked, setup, teardown),
      cmocka_unit_test_setup_teardown(preflight_needs_origin_and_method, setup, teardown),
      cmocka_unit_test_setup_teardown(switching_needs_an_upgrade_offer, setup, teardown),
      cmocka_unit_test_setup_teardown(fast_path_matches_general_path, setup, teardown),
      cmocka_unit_test_setup_teardown(interim_responses_skip_http10, setup, teardown),
      cmocka_unit_test_setup_teardown(switching_answers_the_offer, setup, teardown),
      cmocka_unit_test_setup_teardown(requests_change_fields, setup, teardown),
      cmocka_unit_test_setup_teardown(json_is_the_library_object, setup, teardown),
      cmocka_unit_test_setup_teardown(errors_close_and_say_why, setup, teardown),
      cmocka_unit_test_setup_teardown(timelines_run_independently, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(timelines_dribble_and_abort, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(durations_and_fractions_parse, setup, teardown),
      cmocka_unit_test_setup_teardown(bodies_and_types_are_checked, setup, teardown),
      cmocka_unit_test_setup_teardown(peers_spellings_route, setup, teardown),
      cmocka_unit_test_setup_teardown(seeds_repeat_and_retries_count, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(timelines_interim_before_the_sleep, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(timelines_never_end_early, setup, teardown),
      cmocka_unit_test_setup_teardown(timelines_reset_instead_of_the_head, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(preflight_allows_what_was_asked, setup, teardown),
      cmocka_unit_test_setup_teardown(pages_answer_by_type, setup, teardown),
      cmocka_unit_test_setup_teardown(metrics_label_routes, setup, teardown),
      cmocka_unit_test_setup_teardown(metrics_count_sleeping_answers, setup, teardown),
      cmocka_unit_test_setup_teardown(metrics_page_sums_workers, setup, teardown),
      cmocka_unit_test_setup_teardown(api_codes_lists_every_entry, setup, teardown),
      cmocka_unit_test_setup_teardown(code_pages_explain, setup, teardown),
  };
  return cmocka_run_group_tests(tests, init_all, free_all);
}
