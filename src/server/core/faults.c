/* SPDX-License-Identifier: MIT */
/*
 * core/faults.c - the query options beyond options.c's: ?interval= (the
 * interim response repeated while the sleep lasts), ?until=UNIX_MS (the
 * code until that moment, 200 after: it needs no state, so every instance
 * of a fleet agrees), ?seed= (draws that repeat), ?body= and
 * ?contentType= (the content and its type); and the content of /drip
 * (stars) and /delay (the request described, as httpbin does).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/core.h"

#define MAX_BODY_PARAM 4096u   /* ?body=, decoded */
#define MIN_INTERVAL_MS 10u
#define MAX_ECHO_ARGS 100      /* /delay describes this many arguments */

void srv_params_set(srv_params *p, srv_span name, srv_span value)
{
  static const struct {
    const char *name;
    size_t offset;
  } names[] = {
      {"body", offsetof(srv_params, body)},
      {"contentType", offsetof(srv_params, content_type)},
      {"interval", offsetof(srv_params, interval)},
      {"until", offsetof(srv_params, until)},
      {"seed", offsetof(srv_params, seed)},
      {"code", offsetof(srv_params, code)},
      {"failure_rate", offsetof(srv_params, failure_rate)},
      {"duration", offsetof(srv_params, duration)},
      {"numbytes", offsetof(srv_params, numbytes)},
      {"delay", offsetof(srv_params, delay)},
  };
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    if (srv_ieq(name.s, name.len, names[i].name)) {
      *(srv_span *)(void *)((char *)p + names[i].offset) = value;
      return;
    }
  }
}

/* ------------------------------------------------------------------------ */
/* Numbers */

/* Parses digits[.digits] into units of 10^-`scale`, rounding the dropped
 * digits up; at most `max` units. */
static bool parse_decimal(srv_span v, unsigned scale, uint64_t max,
                          uint64_t *out)
{
  uint64_t whole = 0, frac = 0, unit = 1;
  size_t i = 0, digits = 0;
  bool dropped = false;
  for (unsigned k = 0; k < scale; k++)
    unit *= 10;
  for (; i < v.len && v.s[i] >= '0' && v.s[i] <= '9'; i++, digits++)
    if ((whole = whole * 10 + (uint64_t)(v.s[i] - '0')) > max)
      return false;
  if (i < v.len && v.s[i] == '.') {
    uint64_t place = unit;
    for (i++; i < v.len && v.s[i] >= '0' && v.s[i] <= '9'; i++, digits++) {
      if (place > 1)
        frac += (uint64_t)(v.s[i] - '0') * (place /= 10);
      else
        dropped |= v.s[i] != '0';
    }
  }
  if (digits == 0 || i != v.len || whole > max / unit)
    return false;
  *out = whole * unit + frac + (dropped ? 1 : 0);
  return *out <= max;
}

bool srv_parse_fraction(srv_span v, uint32_t *ppm)
{
  uint64_t n;
  if (!parse_decimal(v, 6, 1000000, &n))
    return false;
  *ppm = (uint32_t)n;
  return true;
}

bool srv_parse_duration(srv_span v, uint64_t *ms)
{
  /* Go's time.ParseDuration spellings go-httpbin accepts, the usual two. */
  unsigned scale = 3; /* seconds, kept in milliseconds */
  if (v.len > 2 && srv_ieq(v.s + v.len - 2, 2, "ms"))
    scale = 0, v.len -= 2;
  else if (v.len > 1 && (v.s[v.len - 1] == 's' || v.s[v.len - 1] == 'S'))
    v.len -= 1;
  return parse_decimal(v, scale, UINT64_C(1) << 40, ms);
}

/* ------------------------------------------------------------------------ */
/* Reading the options */

uint64_t *srv_faults_rng(srv_core *core, srv_request *r, uint64_t *seeded)
{
  if (!r->seeded)
    return &core->rng;
  /* splitmix64: neighbouring seeds give unrelated generators. */
  uint64_t z = r->seed + UINT64_C(0x9E3779B97F4A7C15);
  z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
  z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
  *seeded = z ^ (z >> 31);
  return seeded;
}

bool srv_faults_read(srv_core *core, srv_request *r)
{
  const srv_params *p = &r->params;
  uint64_t v;
  if (p->interval.s != NULL) {
    if (!srv_parse_u64(p->interval.s, p->interval.len,
                       core->cfg->max_sleep_ms, &v) ||
        v < MIN_INTERVAL_MS)
      return srv_fail(core, r, HTTPSTATUS_CODE_BAD_REQUEST,
                      "interval=%.*s is not a number of milliseconds from "
                      "%u to --max-sleep (%llu)",
                      srv_quote_len(p->interval.len), p->interval.s,
                      MIN_INTERVAL_MS,
                      (unsigned long long)core->cfg->max_sleep_ms);
    r->interval_ms = v;
  }
  if (p->seed.s != NULL) {
    if (!srv_parse_u64(p->seed.s, p->seed.len, UINT64_MAX, &r->seed))
      return srv_fail(core, r, HTTPSTATUS_CODE_BAD_REQUEST,
                      "seed=%.*s is not a whole number from 0 to 2^64-1",
                      srv_quote_len(p->seed.len), p->seed.s);
    r->seeded = true;
  }
  return true;
}

/* ?until=UNIX_MS: the routed code until then, 200 from then on. */
static bool apply_until(srv_core *core, srv_request *r)
{
  srv_span u = r->params.until;
  uint64_t until;
  if (!srv_parse_u64(u.s, u.len, UINT64_MAX, &until))
    return srv_fail(core, r, HTTPSTATUS_CODE_BAD_REQUEST,
                    "until=%.*s is not a moment in milliseconds since 1970 "
                    "(UNIX_MS, as 1767225600000)",
                    srv_quote_len(u.len), u.s);
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  uint64_t now_ms = (uint64_t)now.tv_sec * 1000u +
                    (uint64_t)now.tv_nsec / 1000000u;
  if (r->route == SRV_ROUTE_CODE && now_ms >= until)
    r->code = HTTPSTATUS_CODE_OK;
  return true;
}

static size_t skip_ows(const char *s, size_t len, size_t i)
{
  while (i < len && (s[i] == ' ' || s[i] == '\t'))
    i++;
  return i;
}

/* The end of a quoted-string starting at s[i] == '"', or 0 when it is not
 * one (RFC 9110, Section 5.6.4). */
static size_t quoted_end(const char *s, size_t len, size_t i)
{
  for (i++; i < len; i++) {
    unsigned char ch = (unsigned char)s[i];
    if (ch == '"')
      return i + 1;
    if (ch == '\\' && ++i >= len)
      return 0;
    ch = (unsigned char)s[i];
    if ((ch < 0x20 && ch != '\t') || ch == 0x7f)
      return 0;
  }
  return 0;
}

/* media-type = type "/" subtype *( OWS ";" OWS [ token "=" ( token /
 * quoted-string ) ] ) (RFC 9110, Sections 8.3.1 and 5.6.6). */
static bool is_media_type(const char *s, size_t len)
{
  size_t i = srv_token_len(s, len);
  if (i == 0 || i == len || s[i] != '/')
    return false;
  size_t sub = srv_token_len(s + i + 1, len - i - 1);
  if (sub == 0)
    return false;
  for (i += 1 + sub; i < len;) {
    i = skip_ows(s, len, i);
    if (i == len || s[i] != ';')
      return false;
    i = skip_ows(s, len, i + 1);
    if (i == len || s[i] == ';')
      continue;
    size_t name = srv_token_len(s + i, len - i);
    if (name == 0 || i + name == len || s[i + name] != '=')
      return false;
    i += name + 1;
    size_t end = i < len && s[i] == '"' ? quoted_end(s, len, i)
                                        : i + srv_token_len(s + i, len - i);
    if (end <= i)
      return false;
    i = end;
  }
  return true;
}

/* The code whose content ?body= replaces: a 1xx's is the 200 after it. */
static int content_code(const srv_request *r)
{
  return httpstatus_is_informational(r->code) &&
                 !httpstatus_switches_protocol(r->code)
             ? HTTPSTATUS_CODE_OK
             : r->code;
}

static long decode_param(srv_core *core, srv_request *r, const char *name,
                         srv_span v, size_t *len)
{
  long off = srv_decode_form(core, v.s, v.len, len);
  if (off < 0)
    srv_fail(core, r, HTTPSTATUS_CODE_BAD_REQUEST,
             "%s=%.*s has a malformed %%-escape", name, srv_quote_len(v.len),
             v.s);
  return off;
}

void srv_faults_finish(srv_core *core, srv_request *r)
{
  const srv_params *p = &r->params;
  if (r->route == SRV_ROUTE_ERROR)
    return;
  if (p->until.s != NULL && !apply_until(core, r))
    return;
  if (r->interval_ms != 0 &&
      (r->route != SRV_ROUTE_CODE || content_code(r) == r->code)) {
    srv_fail(core, r, HTTPSTATUS_CODE_BAD_REQUEST,
             "interval= repeats an interim response while the sleep lasts: "
             "use it on a 1xx, as /102?sleep=5000&interval=1000");
    return;
  }
  long body = -1, type = -1;
  size_t body_len = 0, type_len = 0;
  if (p->body.s != NULL &&
      (body = decode_param(core, r, "body", p->body, &body_len)) < 0)
    return;
  if (p->content_type.s != NULL &&
      (type = decode_param(core, r, "contentType", p->content_type,
                           &type_len)) < 0)
    return;
  if (body >= 0 && body_len > MAX_BODY_PARAM) {
    srv_fail(core, r, HTTPSTATUS_CODE_BAD_REQUEST,
             "body= is %zu bytes decoded, more than the %u allowed", body_len,
             MAX_BODY_PARAM);
    return;
  }
  bool fits = httpstatus_allows_content(content_code(r));
  if (body >= 0 && !fits && !r->drawn) {
    srv_fail(core, r, HTTPSTATUS_CODE_BAD_REQUEST,
             "%d has no content: body= cannot be sent with it", r->code);
    return;
  }
  if (type >= 0 && !is_media_type(core->scratch.data + type, type_len)) {
    srv_fail(core, r, HTTPSTATUS_CODE_BAD_REQUEST,
             "contentType=%.*s is not a media type (type/subtype, as "
             "application/json; charset=utf-8)",
             srv_quote_len(p->content_type.len), p->content_type.s);
    return;
  }
  /* Nothing writes core->scratch after this: the pointers stay valid. */
  if (body >= 0 && fits && r->route == SRV_ROUTE_CODE)
    r->body = (srv_span){core->scratch.data + body, body_len};
  if (type >= 0)
    r->content_type = core->scratch.data + type;
}

/* ------------------------------------------------------------------------ */
/* Contents */

static void put_json_span(srv_buf *b, const char *s, size_t len)
{
  srv_buf_json_string(b, s, len);
}

/* One name or value of the query, decoded into tmp; false when malformed. */
static bool arg_text(srv_span raw, char *tmp, size_t size, srv_span *out)
{
  long n = raw.len > size ? -1 : srv_unescape(raw.s, raw.len, true, tmp);
  if (n < 0)
    return false;
  *out = (srv_span){tmp, (size_t)n};
  return true;
}

/* The query's pairs, at most MAX_ECHO_ARGS. */
static size_t split_query(srv_span q, srv_span names[], srv_span values[])
{
  size_t n = 0;
  for (size_t start = 0; start < q.len && n < MAX_ECHO_ARGS;) {
    size_t end = start + srv_span_until(q.s + start, q.len - start, "&");
    size_t eq = start + srv_span_until(q.s + start, end - start, "=");
    if (end > start) {
      names[n] = (srv_span){q.s + start, eq - start};
      values[n] = eq < end ? (srv_span){q.s + eq + 1, end - eq - 1}
                           : (srv_span){q.s + end, 0};
      n++;
    }
    start = end + 1;
  }
  return n;
}

/* httpbin's "args": a name once, its value a string, or a list of them
 * when the name repeats. */
static void put_args(srv_buf *b, srv_span query)
{
  char tmp[2][SRV_MAX_REQUEST_LINE]; /* a target is never longer */
  srv_span names[MAX_ECHO_ARGS], values[MAX_ECHO_ARGS];
  size_t n = split_query(query, names, values), shown = 0;
  srv_buf_puts(b, "{");
  for (size_t i = 0; i < n; i++) {
    srv_span name, other, value;
    if (!arg_text(names[i], tmp[0], sizeof tmp[0], &name))
      continue;
    size_t count = 0, seen_before = 0;
    for (size_t k = 0; k < n; k++)
      if (arg_text(names[k], tmp[1], sizeof tmp[1], &other) &&
          other.len == name.len && memcmp(other.s, name.s, name.len) == 0)
        count++, seen_before += k < i;
    if (seen_before > 0)
      continue;
    srv_buf_puts(b, shown++ ? "," : "");
    put_json_span(b, name.s, name.len);
    srv_buf_puts(b, count > 1 ? ":[" : ":");
    for (size_t k = i, m = 0; k < n; k++) {
      if (!arg_text(names[k], tmp[1], sizeof tmp[1], &other) ||
          other.len != name.len || memcmp(other.s, name.s, name.len) != 0)
        continue;
      if (!arg_text(values[k], tmp[1], sizeof tmp[1], &value))
        value = values[k];
      srv_buf_puts(b, m++ ? "," : "");
      put_json_span(b, value.s, value.len);
    }
    srv_buf_puts(b, count > 1 ? "]" : "");
  }
  srv_buf_puts(b, "}");
}

/* /delay's content: {"args":{...},"method":"...","origin":"...",
 * "url":"..."} (httpbin's keys; the request's header fields are not kept,
 * so there is no "headers"). */
static void put_echo(const srv_request *r, srv_buf *b)
{
  srv_span target = r->x->target;
  char origin[64];
  srv_peer_name(r->x->peer_fd, origin, sizeof origin);
  srv_buf_puts(b, "{\"args\":");
  put_args(b, r->query);
  srv_buf_puts(b, ",\"method\":");
  put_json_span(b, r->x->method_name.s, r->x->method_name.len);
  srv_buf_puts(b, ",\"origin\":");
  put_json_span(b, origin, strlen(origin));
  srv_buf_puts(b, ",\"url\":");
  put_json_span(b, target.s, target.len);
  srv_buf_puts(b, "}\n");
}

bool srv_faults_content(const srv_request *r, srv_buf *body,
                        const char **ctype)
{
  const char *type = srv_type_names[SRV_PLAIN];
  if (r->body.s != NULL) {
    srv_buf_append(body, r->body.s, r->body.len);
  } else if (r->fill > 0) {
    srv_buf_reserve(body, r->fill);
    memset(body->data + body->len, '*', r->fill);
    body->len += r->fill;
  } else if (r->echo) {
    put_echo(r, body);
    type = srv_type_names[SRV_JSON];
  } else {
    if (r->content_type != NULL)
      *ctype = r->content_type;
    return false;
  }
  *ctype = r->content_type != NULL ? r->content_type : type;
  return true;
}
