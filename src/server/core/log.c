/* SPDX-License-Identifier: MIT */
/*
 * core/log.c - the access log: one line per answered request, in one of three
 * formats (--log-format), each followed by the time taken in milliseconds:
 *   common    127.0.0.1 - - [06/Nov/1994:08:49:37 +0000] "GET /404 HTTP/1.1" 404 14 0.052
 *   combined  the same with "Referer" "User-Agent" before the time
 *   json      {"time":"1994-11-06T08:49:37Z","remote":"127.0.0.1","method":"GET",...}
 * and " tls" at the end of a common or combined line when the request came
 * over TLS. A line is one write into the log writer's pipe
 * (net/logwriter.h), which never blocks: a full pipe drops the line.
 * Nothing here runs when the access log is off.
 */
#include <errno.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <httpstatus.h>

#include "core/core.h"
#include "core/limits.h"

/* A line must fit one atomic pipe write (PIPE_BUF): long request texts are
 * cut to these many bytes, and a line still too long loses its end. */
#define TARGET_MAX 1024
#define FIELD_MAX 512

static atomic_uint_least64_t dropped;

uint64_t srv_log_dropped(void)
{
  return atomic_load_explicit(&dropped, memory_order_relaxed);
}

void srv_peer_name(int fd, char *host, size_t size)
{
  struct sockaddr_storage ss;
  socklen_t len = sizeof ss;
  snprintf(host, size, "-");
  if (fd >= 0 && getpeername(fd, (struct sockaddr *)&ss, &len) == 0) {
    if (ss.ss_family == AF_INET6)
      inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)&ss)->sin6_addr, host,
                (socklen_t)size);
    else if (ss.ss_family == AF_INET)
      inet_ntop(AF_INET, &((const struct sockaddr_in *)&ss)->sin_addr, host,
                (socklen_t)size);
  }
}

/* At most `max` bytes of a request's text, with bytes a log reader could
 * mistake for structure (quotes, backslashes, controls) escaped. */
static void put_escaped(srv_buf *line, srv_span s, size_t max)
{
  static const char hex[] = "0123456789abcdef";
  for (size_t i = 0; i < s.len && i < max; i++) {
    unsigned char ch = (unsigned char)s.s[i];
    if (ch < 0x20 || ch >= 0x7f || ch == '"' || ch == '\\') {
      char esc[4] = {'\\', 'x', hex[ch >> 4], hex[ch & 15]};
      srv_buf_append(line, esc, sizeof esc);
    } else {
      srv_buf_append(line, s.s + i, 1);
    }
  }
}

/* A JSON string (RFC 8259, invalid UTF-8 as U+FFFD), the library's way. */
static void put_json(srv_buf *line, srv_span s, size_t max)
{
  char out[TARGET_MAX * 6 + 8]; /* "\u00XX" is the longest escape */
  size_t len = s.len < max ? s.len : max;
  if (len > TARGET_MAX)
    len = TARGET_MAX;
  size_t n = httpstatus_json_string(s.s, len, out, sizeof out);
  srv_buf_append(line, out, n < sizeof out ? n : sizeof out - 1);
}

static const char *const proto_names[] = {
    [SRV_PROTO_HTTP10] = "HTTP/1.0",
    [SRV_PROTO_HTTP11] = "HTTP/1.1",
    [SRV_PROTO_HTTP2] = "HTTP/2",
};

/* What every format says about one exchange. */
typedef struct entry {
  char peer[64];
  const srv_exchange *x; /* NULL: refused before a request line */
  int code;              /* 0: no answer */
  uint64_t bytes, us;
} entry;

static bool has_request(const entry *e)
{
  return e->x != NULL && e->x->target.len > 0;
}

static srv_span field(const entry *e, srv_field f)
{
  return e->x ? e->x->fields[f] : (srv_span){0};
}

static void put_ms(srv_buf *line, uint64_t us)
{
  srv_buf_printf(line, "%llu.%03llu", (unsigned long long)(us / 1000),
                 (unsigned long long)(us % 1000));
}

static void put_quoted_or_dash(srv_buf *line, srv_span s)
{
  srv_buf_puts(line, "\"");
  if (s.len == 0)
    srv_buf_puts(line, "-");
  else
    put_escaped(line, s, FIELD_MAX);
  srv_buf_puts(line, "\"");
}

static void put_common(srv_core *core, srv_buf *line, const entry *e, bool combined)
{
  srv_buf_puts(line, e->peer);
  srv_buf_puts(line, " - - [");
  srv_buf_puts(line, core->clock.log_date);
  srv_buf_puts(line, "] \"");
  if (!has_request(e)) {
    srv_buf_puts(line, "-\" ");
  } else {
    srv_buf_append(line, e->x->method_name.s, e->x->method_name.len);
    srv_buf_puts(line, " ");
    put_escaped(line, e->x->target, TARGET_MAX);
    srv_buf_puts(line, " ");
    srv_buf_puts(line, proto_names[e->x->proto]);
    srv_buf_puts(line, "\" ");
  }
  if (e->code > 0)
    srv_buf_putu(line, (uint64_t)e->code);
  else
    srv_buf_puts(line, "-");
  srv_buf_puts(line, " ");
  srv_buf_putu(line, e->bytes);
  if (combined) {
    srv_buf_puts(line, " ");
    put_quoted_or_dash(line, field(e, SRV_F_REFERER));
    srv_buf_puts(line, " ");
    put_quoted_or_dash(line, field(e, SRV_F_USER_AGENT));
  }
  srv_buf_puts(line, " ");
  put_ms(line, e->us);
  srv_buf_puts(line, e->x && e->x->tls ? " tls\n" : "\n");
}

static void put_json_field(srv_buf *line, const char *key, srv_span value)
{
  srv_buf_printf(line, ",\"%s\":", key);
  if (value.len == 0)
    srv_buf_puts(line, "null");
  else
    put_json(line, value, FIELD_MAX);
}

static void put_json_line(srv_core *core, srv_buf *line, const entry *e)
{
  struct tm tm;
  char when[32];
  time_t t = (time_t)core->clock.second;
  gmtime_r(&t, &tm);
  strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
  srv_buf_printf(line, "{\"time\":\"%s\",\"remote\":\"%s\"", when, e->peer);
  bool req = has_request(e);
  put_json_field(line, "method", req ? e->x->method_name : (srv_span){0});
  if (req) {
    srv_buf_puts(line, ",\"target\":");
    put_json(line, e->x->target, TARGET_MAX);
  } else {
    srv_buf_puts(line, ",\"target\":null");
  }
  srv_buf_printf(line, ",\"protocol\":%s%s%s", req ? "\"" : "",
                 req ? proto_names[e->x->proto] : "null", req ? "\"" : "");
  if (e->code > 0)
    srv_buf_printf(line, ",\"status\":%d", e->code);
  else
    srv_buf_puts(line, ",\"status\":null");
  srv_buf_printf(line, ",\"bytes\":%llu,\"ms\":", (unsigned long long)e->bytes);
  put_ms(line, e->us);
  srv_buf_printf(line, ",\"tls\":%s", e->x && e->x->tls ? "true" : "false");
  put_json_field(line, "referer", field(e, SRV_F_REFERER));
  put_json_field(line, "user_agent", field(e, SRV_F_USER_AGENT));
  srv_buf_puts(line, "}\n");
}

void srv_log_exchange(srv_core *core, const srv_exchange *x, int code,
                      uint64_t bytes)
{
  if (!core->cfg->access_log)
    return;
  entry e = {.x = x, .code = code, .bytes = bytes};
  /* Behind a trusted proxy the client is the one Forwarded names, as
   * nginx's realip module logs it. */
  srv_addr client;
  if (x != NULL && x->peer_trusted && srv_limits_client(core->cfg, x, &client))
    srv_addr_format(&client, e.peer, sizeof e.peer);
  else
    srv_peer_name(x ? x->peer_fd : -1, e.peer, sizeof e.peer);
  uint64_t started = x ? x->started_ns : srv_now_ns();
  e.us = (srv_now_ns() - started) / 1000;
  srv_buf *line = &core->log_line; /* reused: no allocation per line */
  line->len = 0;
  srv_clock_update(&core->clock);
  if (core->cfg->log_format == SRV_LOG_JSON)
    put_json_line(core, line, &e);
  else
    put_common(core, line, &e, core->cfg->log_format == SRV_LOG_COMBINED);
  /* One write per line, whole or not at all: lines never interleave, and
   * a full pipe costs the line, never the worker's time. */
  if (line->len > PIPE_BUF) {
    line->len = PIPE_BUF;
    line->data[PIPE_BUF - 1] = '\n';
  }
  ssize_t n = write(core->cfg->log_fd, line->data, line->len);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
    atomic_fetch_add_explicit(&dropped, 1, memory_order_relaxed);
}
