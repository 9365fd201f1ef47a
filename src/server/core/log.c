/* SPDX-License-Identifier: MIT */
/*
 * core/log.c - the access log: one line per answered request on stdout, in the
 * common log format followed by the time taken in milliseconds:
 *   127.0.0.1 - - [06/Nov/1994:08:49:37 +0000] "GET /404 HTTP/1.1" 404 14 0.052
 * and " tls" at its end when the request came over TLS.
 * Nothing here runs when --access-log is off.
 */
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/core.h"

void srv_peer_name(int fd, char *host, size_t size)
{
  struct sockaddr_storage ss;
  socklen_t len = sizeof ss;
  snprintf(host, size, "-");
  if (fd >= 0 && getpeername(fd, (struct sockaddr *)&ss, &len) == 0) {
    if (ss.ss_family == AF_INET6)
      inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)&ss)->sin6_addr,
                host, (socklen_t)size);
    else if (ss.ss_family == AF_INET)
      inet_ntop(AF_INET, &((const struct sockaddr_in *)&ss)->sin_addr, host,
                (socklen_t)size);
  }
}

static void put_peer(int fd, srv_buf *line)
{
  char host[64];
  srv_peer_name(fd, host, sizeof host);
  srv_buf_puts(line, host);
}

/* The request target as sent, with bytes a log reader could mistake for
 * structure (quotes, backslashes, controls) escaped. */
static void put_target(srv_buf *line, const char *s, size_t len)
{
  static const char hex[] = "0123456789abcdef";
  for (size_t i = 0; i < len; i++) {
    unsigned char ch = (unsigned char)s[i];
    if (ch < 0x20 || ch >= 0x7f || ch == '"' || ch == '\\') {
      char esc[4] = {'\\', 'x', hex[ch >> 4], hex[ch & 15]};
      srv_buf_append(line, esc, sizeof esc);
    } else {
      srv_buf_append(line, s + i, 1);
    }
  }
}

static const char *const proto_names[] = {
    [SRV_PROTO_HTTP10] = "HTTP/1.0",
    [SRV_PROTO_HTTP11] = "HTTP/1.1",
    [SRV_PROTO_HTTP2] = "HTTP/2",
};

void srv_log_exchange(srv_core *core, const srv_exchange *x, int code,
                      uint64_t bytes)
{
  if (!core->cfg->access_log)
    return;
  srv_buf *line = &core->log_line; /* reused: no allocation per line */
  line->len = 0;
  srv_clock_update(&core->clock);
  put_peer(x ? x->peer_fd : -1, line);
  srv_buf_puts(line, " - - [");
  srv_buf_puts(line, core->clock.log_date);
  srv_buf_puts(line, "] \"");
  if (x == NULL || x->target.len == 0) {
    /* Refused before its request line was read: nothing known to show. */
    srv_buf_puts(line, "-\" ");
  } else {
    srv_buf_append(line, x->method_name.s, x->method_name.len);
    srv_buf_puts(line, " ");
    put_target(line, x->target.s, x->target.len);
    srv_buf_puts(line, " ");
    srv_buf_puts(line, proto_names[x->proto]);
    srv_buf_puts(line, "\" ");
  }
  if (code > 0)
    srv_buf_putu(line, (uint64_t)code);
  else
    srv_buf_puts(line, "-");
  srv_buf_puts(line, " ");
  srv_buf_putu(line, bytes);
  uint64_t started = x ? x->started_ns : srv_now_ns();
  uint64_t us = (srv_now_ns() - started) / 1000;
  srv_buf_printf(line, " %llu.%03llu%s\n", (unsigned long long)(us / 1000),
                 (unsigned long long)(us % 1000), x && x->tls ? " tls" : "");
  /* One write per line: lines of different workers never interleave. */
  ssize_t n = write(STDOUT_FILENO, line->data, line->len);
  (void)n;
}
