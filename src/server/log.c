/*
 * log.c - the access log: one line per answered request on stdout, in the
 * common log format followed by the time taken in milliseconds:
 *   127.0.0.1 - - [06/Nov/1994:08:49:37 +0000] "GET /404 HTTP/1.1" 404 14 0.052
 * and " tls" at its end when the request came over TLS.
 * Nothing here runs when --access-log is off.
 */
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "srv.h"

static void put_peer(srv_conn *c, srv_buf *line)
{
  struct sockaddr_storage ss;
  socklen_t len = sizeof ss;
  char host[64] = "-";
  if (getpeername(c->fd, (struct sockaddr *)&ss, &len) == 0) {
    if (ss.ss_family == AF_INET6)
      uv_ip6_name((const struct sockaddr_in6 *)&ss, host, sizeof host);
    else
      uv_ip4_name((const struct sockaddr_in *)&ss, host, sizeof host);
  }
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

void srv_log_request(srv_conn *c, int code, uint64_t bytes)
{
  srv_worker *w = c->w;
  if (!w->cfg->access_log)
    return;
  srv_buf *line = &w->log_line; /* reused: no allocation per line */
  line->len = 0;
  srv_clock_update(&w->clock);
  put_peer(c, line);
  srv_buf_puts(line, " - - [");
  srv_buf_puts(line, w->clock.log_date);
  srv_buf_puts(line, "] \"");
  if (c->url_len == 0) {
    /* Refused before its request line was read: nothing known to show. */
    srv_buf_puts(line, "-\" ");
  } else {
    srv_buf_puts(line, llhttp_method_name((llhttp_method_t)c->parser.method));
    srv_buf_puts(line, " ");
    put_target(line, c->scratch.data, c->url_len);
    srv_buf_printf(line, " HTTP/%u.%u\" ", c->parser.http_major,
                   c->parser.http_minor);
  }
  if (code > 0)
    srv_buf_putu(line, (uint64_t)code);
  else
    srv_buf_puts(line, "-");
  srv_buf_puts(line, " ");
  srv_buf_putu(line, bytes);
  uint64_t us = (uv_hrtime() - c->started_ns) / 1000;
  srv_buf_printf(line, " %llu.%03llu%s\n", (unsigned long long)(us / 1000),
                 (unsigned long long)(us % 1000), c->tls != NULL ? " tls" : "");
  /* One write per line: lines of different workers never interleave. */
  ssize_t n = write(STDOUT_FILENO, line->data, line->len);
  (void)n;
}
