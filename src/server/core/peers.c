/* SPDX-License-Identifier: MIT */
/*
 * core/peers.c - the spellings of the tools teams move from, so that a
 * test suite moved over keeps its faults:
 *   httpstat.us   X-HttpStatus-DribbleBody, -AbortBeforeHeaders,
 *                 -AbortAfterHeaders, -AbortDuringBody (true or false; its
 *                 -SuppressBody and -SleepAfterHeaders are options.c's
 *                 twins), query names in any case (options.c)
 *   httpbin, go-httpbin   /status/{codes} (one code, or a weighted choice
 *                 200:0.9,500:0.1), /delay/{seconds}, /drip, /unstable and
 *                 /retry/ (retry.c)
 */
#include <string.h>

#include "core/core.h"

/* X-HttpStatus-DribbleBody: true, as a dribble: httpstat.us pauses 10 ms
 * after each of the first 20 bytes. */
#define DRIBBLE_BODY_MS "200"
/* /drip's defaults are go-httpbin's. */
#define DRIP_DURATION_MS 2000u
#define DRIP_DELAY_MS 2000u
#define DRIP_NUMBYTES 10u
#define DRIP_MIN_PAUSE_MS 10u  /* pieces no closer than this */

/* A true/false field of httpstat.us; *on false when absent. */
static bool bool_field(srv_core *core, const srv_exchange *x, srv_request *r,
                       srv_field f, const char *name, bool *on)
{
  srv_span v = srv_trim(x->fields[f]);
  *on = srv_ieq(v.s, v.len, "true");
  if (v.len == 0 || *on || srv_ieq(v.s, v.len, "false"))
    return true;
  return srv_fail(core, r, HTTPSTATUS_CODE_BAD_REQUEST,
                  "%s: %.*s is neither true nor false", name,
                  srv_quote_len(v.len), v.s);
}

bool srv_peers_fields(srv_core *core, const srv_exchange *x, srv_request *r,
                      srv_span *dribble, srv_span *abort)
{
  /* In httpstat.us's order of precedence. */
  static const struct {
    srv_field f;
    const char *name, *abort;
  } aborts[] = {
      {SRV_F_X_US_ABORT_BEFORE_HEADERS, "X-HttpStatus-AbortBeforeHeaders",
       "before-headers"},
      {SRV_F_X_US_ABORT_AFTER_HEADERS, "X-HttpStatus-AbortAfterHeaders",
       "after-headers"},
      {SRV_F_X_US_ABORT_DURING_BODY, "X-HttpStatus-AbortDuringBody",
       "mid-body"},
  };
  bool on;
  if (!bool_field(core, x, r, SRV_F_X_US_DRIBBLE_BODY,
                  "X-HttpStatus-DribbleBody", &on))
    return false;
  if (on && dribble->s == NULL)
    *dribble = srv_span_of(DRIBBLE_BODY_MS);
  for (size_t i = 0; i < sizeof aborts / sizeof aborts[0]; i++) {
    if (!bool_field(core, x, r, aborts[i].f, aborts[i].name, &on))
      return false;
    if (on && abort->s == NULL)
      *abort = srv_span_of(aborts[i].abort);
  }
  return true;
}

/* ------------------------------------------------------------------------ */
/* Routes */

/* The time a route adds to what the options asked, within --max-sleep. */
static bool fits(srv_core *core, srv_request *r, const char *what)
{
  uint64_t total = r->sleep_ms + r->sleep_after_headers_ms + r->dribble_ms;
  if (total <= core->cfg->max_sleep_ms)
    return true;
  return srv_fail(core, r, HTTPSTATUS_CODE_BAD_REQUEST,
                  "%s takes %llu ms, more than the server's --max-sleep of "
                  "%llu ms",
                  what, (unsigned long long)total,
                  (unsigned long long)core->cfg->max_sleep_ms);
}

/* /status/{code} or /status/{weighted choice}. */
static void route_status(srv_core *core, srv_request *r, const char *spec,
                         size_t len)
{
  size_t seg = srv_span_until(spec, len, "/");
  if (seg == 0)
    srv_fail(core, r, HTTPSTATUS_CODE_BAD_REQUEST,
             "/status/ names no code: /status/418 or /status/200:0.9,500:0.1");
  else if (srv_span_until(spec, seg, ",:") < seg)
    srv_route_random(core, r, "/status/", spec, len);
  else
    srv_route_code(core, r, spec, len);
}

/* /delay/{seconds}: 200 after that long, describing the request. */
static void route_delay(srv_core *core, srv_request *r, const char *s,
                        size_t len)
{
  srv_span v = {s, srv_span_until(s, len, "/")};
  uint64_t ms;
  if (!srv_parse_duration(v, &ms)) {
    srv_fail(core, r, HTTPSTATUS_CODE_BAD_REQUEST,
             "/delay/%.*s: not a number of seconds (2, 1.5) or a duration "
             "(500ms, 1.5s)",
             srv_quote_len(v.len), v.s);
    return;
  }
  r->sleep_ms += ms;
  if (!fits(core, r, "/delay/"))
    return;
  r->route = SRV_ROUTE_CODE;
  r->code = HTTPSTATUS_CODE_OK;
  r->echo = true;
}

static bool drip_time(srv_core *core, srv_request *r, const char *name,
                      srv_span v, uint64_t *ms)
{
  if (v.s == NULL || srv_parse_duration(v, ms))
    return true;
  return srv_fail(core, r, HTTPSTATUS_CODE_BAD_REQUEST,
                  "%s=%.*s is not a number of seconds (2, 1.5) or a duration "
                  "(500ms, 1.5s)",
                  name, srv_quote_len(v.len), v.s);
}

/* /drip?duration=&numbytes=&code=&delay=: after `delay`, the code with
 * numbytes '*' spread over `duration` (go-httpbin's defaults). */
static void route_drip(srv_core *core, srv_request *r)
{
  const srv_params *p = &r->params;
  uint64_t duration = DRIP_DURATION_MS, delay = DRIP_DELAY_MS;
  uint64_t numbytes = DRIP_NUMBYTES;
  int code = HTTPSTATUS_CODE_OK;
  if (!drip_time(core, r, "duration", p->duration, &duration) ||
      !drip_time(core, r, "delay", p->delay, &delay))
    return;
  if (p->numbytes.s != NULL &&
      (!srv_parse_u64(p->numbytes.s, p->numbytes.len, core->cfg->max_body,
                      &numbytes) ||
       numbytes == 0)) {
    srv_fail(core, r, HTTPSTATUS_CODE_BAD_REQUEST,
             "numbytes=%.*s is not a count of bytes from 1 to --max-body "
             "(%llu)",
             srv_quote_len(p->numbytes.len), p->numbytes.s,
             (unsigned long long)core->cfg->max_body);
    return;
  }
  if (p->code.s != NULL) {
    int rc = httpstatus_parse_code(p->code.s, p->code.len, &code);
    if (rc != HTTPSTATUS_OK && rc != HTTPSTATUS_E_RANGE) {
      srv_fail(core, r, HTTPSTATUS_CODE_BAD_REQUEST,
               "code=%.*s is not a status code: three digits, 100-999",
               srv_quote_len(p->code.len), p->code.s);
      return;
    }
  }
  r->sleep_ms = delay;
  r->dribble_ms = duration;
  if (!fits(core, r, "/drip's delay + duration"))
    return;
  uint64_t pieces = duration / DRIP_MIN_PAUSE_MS + 1;
  r->dribble_pieces = (uint32_t)(numbytes < pieces ? numbytes : pieces);
  r->fill = numbytes;
  r->route = SRV_ROUTE_CODE;
  r->code = code;
}

bool srv_peers_route(srv_core *core, srv_request *r, const char *path,
                     size_t len)
{
  if (srv_iprefix(path, len, "status/"))
    route_status(core, r, path + 7, len - 7);
  else if (srv_iprefix(path, len, "delay/"))
    route_delay(core, r, path + 6, len - 6);
  else if (srv_ieq(path, len, "drip"))
    route_drip(core, r);
  else if (srv_ieq(path, len, "unstable"))
    srv_unstable_route(core, r);
  else if (srv_iprefix(path, len, "retry/"))
    srv_retry_route(core, r, path + 6, len - 6);
  else if (srv_ieq(path, len, "retry"))
    srv_retry_route(core, r, path + 5, 0);
  else
    return false;
  return true;
}
