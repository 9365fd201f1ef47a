/* SPDX-License-Identifier: MIT */
/*
 * srv.h - the base of `httpstatus serve`'s internals: limits, the
 * configuration, a byte buffer, the one span type and the one ASCII helper
 * set every layer shares. Every name here is prefixed srv_ / SRV_.
 *
 * Layers, each depending only on those above it in this list:
 *   util/     srv_buf, text helpers, HTTP-dates, base64  (this header)
 *   core/     exchange in, plan out: routes, options, negotiation,
 *             redirects, pages, random, the timeline, the access log,
 *             the routes that read the request (handler.c);
 *             knows no protocol, no libuv, no socket
 *   net/transport.h  how a connection's bytes travel (tcp.c; TLS plugs in)
 *   http1/ and net/  share struct srv_conn (net/net.h): net/ owns it
 *             (worker.c, conn.c: libuv, polling, deadlines, sending); a
 *             protocol layer (http1/: llhttp bytes -> exchanges, plans ->
 *             HTTP/1.1 bytes) reads its input and appends to w->out, and
 *             never calls libuv or the socket
 *
 * Data flow of one request:
 *   net/conn.c (bytes from the transport) -> http1/http1.c (llhttp, limits,
 *   pipelining -> srv_exchange) -> core (srv_plan_build: route, query,
 *   X-HttpStatus-* fields -> srv_plan) -> core/staged.c (the plan in time)
 *   -> http1/write.c (srv_plan_ops: HTTP/1.1 bytes) -> net/conn.c (one write).
 * core/ and http1/ never touch libuv or sockets, so the fuzz target drives
 * them without either.
 */
#ifndef SRV_H
#define SRV_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ------------------------------------------------------------------------ */
/* Limits and defaults (documented in httpstatus-serve(1)) */

#define SRV_MAX_REQUEST_LINE (8u * 1024u)    /* longer target: 414 */
#define SRV_MAX_HEADER_SECTION (16u * 1024u) /* larger: 431 */
#define SRV_MAX_OVERRIDES 16                 /* X-HttpStatus-Response-* */
#define SRV_READ_BUFFER (64u * 1024u)        /* one per worker */
/* When a read's answers pass this many bytes, parsing stops until they are
 * written (a client pipelining requests it never reads cannot make the
 * server buffer without bound). */
#define SRV_OUT_HIGH (256u * 1024u)

/* ------------------------------------------------------------------------ */
/* util/buf.c: a growable byte buffer */

typedef struct srv_buf {
  char *data;
  size_t len;
  size_t cap;
} srv_buf;

/* Makes room for `extra` more bytes; aborts the process when memory is
 * exhausted (a server that cannot allocate a few KiB cannot answer). */
void srv_buf_reserve(srv_buf *b, size_t extra);
void srv_buf_append(srv_buf *b, const void *data, size_t len);
void srv_buf_puts(srv_buf *b, const char *s);
void srv_buf_putu(srv_buf *b, uint64_t v);
/* Appends printf-formatted text. */
void srv_buf_printf(srv_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void srv_buf_vprintf(srv_buf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
/* Appends `len` bytes with & < > " ' escaped for HTML. */
void srv_buf_html(srv_buf *b, const char *s, size_t len);
/* Appends `len` bytes as a JSON string (httpstatus_json_string). */
void srv_buf_json_string(srv_buf *b, const char *s, size_t len);
void srv_buf_free(srv_buf *b);

/* ------------------------------------------------------------------------ */
/* util/text.c: the one span type and the one ASCII helper set */

/* A piece of text owned by someone else; {NULL, 0} when absent. */
typedef struct srv_span {
  const char *s;
  size_t len;
} srv_span;

/* The span of a NUL-terminated string. */
srv_span srv_span_of(const char *s);
/* ASCII lower case of ch (other bytes unchanged). */
static inline char srv_lower(char ch)
{
  return ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch;
}
/* ASCII case-insensitive equality of s[0..len) and the string `z`. */
bool srv_ieq(const char *s, size_t len, const char *z);
/* True when s[0..len) starts with `z`, case-insensitively. */
bool srv_iprefix(const char *s, size_t len, const char *z);
/* ASCII case-insensitive equality of two spans. */
bool srv_span_ieq(srv_span a, srv_span b);
/* `s` without the spaces and tabs at either end. */
srv_span srv_trim(srv_span s);
/* The length of s's longest prefix holding none of the bytes of `stop`.
 * Inline, a byte loop: the texts are short (a path, a field value) and
 * with `stop` a literal the compiler unrolls the inner loop. */
static inline size_t srv_span_until(const char *s, size_t len,
                                    const char *stop)
{
  for (size_t i = 0; i < len; i++)
    for (const char *p = stop; *p != '\0'; p++)
      if (s[i] == *p)
        return i;
  return len;
}
/* The next element of the comma-separated list `list` (RFC 9110, Section
 * 5.6.1) from *pos, trimmed: empty elements are skipped and a comma inside
 * a quoted-string does not end one. Returns false at the end. */
bool srv_list_next(srv_span list, size_t *pos, srv_span *item);
/* True for a tchar of RFC 9110, Section 5.6.2 (a token's bytes). */
bool srv_is_tchar(char ch);
/* The length of the token (tchar run) that s[0..len) starts with. */
size_t srv_token_len(const char *s, size_t len);
/* The value of a hexadecimal digit (either case), or -1. */
int srv_hex_digit(char ch);
/* Percent-decodes s[0..len) into out (room for len bytes), '+' as a space
 * too when `plus` (form encoding); returns the decoded length, or -1 when
 * an escape is malformed. */
long srv_unescape(const char *s, size_t len, bool plus, char *out);
/* Parses a non-negative decimal integer filling all of s[0..len) and at
 * most `max`; false when it is empty, not all digits or above max. */
bool srv_parse_u64(const char *s, size_t len, uint64_t max, uint64_t *out);

/* ------------------------------------------------------------------------ */
/* util/base64.c */

typedef enum srv_base64 {
  SRV_BASE64_STD, /* A-Z a-z 0-9 + /, padded with = (RFC 4648, Section 4) */
  SRV_BASE64_URL  /* A-Z a-z 0-9 - _, unpadded (Section 5) */
} srv_base64;

/* Decodes `in` into out[0..cap). Returns the number of bytes, or -1 when
 * `in` is not the canonical encoding of some bytes in that alphabet or the
 * result does not fit. */
long srv_base64_decode(srv_span in, srv_base64 alphabet, uint8_t *out,
                       size_t cap);

/* ------------------------------------------------------------------------ */
/* Configuration (serve.c fills it, everything else reads it) */

/* The access log's line format (--log-format). */
#define SRV_LOG_FORMATS(XX) XX(COMMON, "common") XX(COMBINED, "combined") XX(JSON, "json")
typedef enum {
#define SRV_LOG_FORMAT_ENUM(id, name) SRV_LOG_##id,
  SRV_LOG_FORMATS(SRV_LOG_FORMAT_ENUM)
#undef SRV_LOG_FORMAT_ENUM
  SRV_LOG_FORMAT_COUNT
} srv_log_format;

typedef struct srv_config {
  const char *host;
  int port;
  unsigned workers;
  uint64_t max_sleep_ms;
  uint64_t max_body;
  unsigned max_connections;    /* over all workers */
  uint64_t header_timeout_ms;  /* request started, not complete: 408 */
  uint64_t idle_timeout_ms;    /* keep-alive, nothing sent: close */
  uint64_t send_timeout_ms;    /* client reads nothing of our answer */
  uint64_t drain_ms;           /* in-flight bound on SIGINT/SIGTERM */
  bool access_log;
  bool metrics;                /* /metrics is served (--no-metrics: not) */
  srv_log_format log_format;   /* --log-format */
  const char *log_file;        /* --log-file; NULL: standard output */
  int log_fd;                  /* the access log's pipe (net/logwriter.h) */
  const char *const *redirect_hosts; /* --allow-redirect-host, may be 0 */
  size_t redirect_host_count;
  bool serve_plain;            /* a plain listener on `port` */
  bool serve_tls;              /* a TLS listener on `tls_port` */
  int tls_port;
  const char *tls_cert, *tls_key, *tls_cert_out; /* may be NULL */
  const char *const *tls_names; /* --tls-name */
  size_t tls_name_count;
  struct srv_tls *tls;         /* the TLS context, shared by the workers */
  /* Abuse limits (core/limits.c, net/limit.c); 0 = off. */
  uint64_t max_unsent;         /* unsent output per worker, bytes */
  uint64_t rate_per_s, burst;  /* --rate-limit N/s --burst M per address */
  unsigned conns_per_addr;     /* open connections per address */
  unsigned sleeps_per_addr;    /* sleeping requests per address */
  unsigned max_sleeping;       /* sleeping requests, all addresses */
  uint64_t max_sleep_sum_ms;   /* the sum of their sleeps */
  const struct srv_cidr *trust; /* --trust-proxy ranges */
  size_t trust_count;
  bool public_mode;            /* --public */
} srv_config;

/* ------------------------------------------------------------------------ */
/* util/date.c: the Date field, formatted once per second per worker */

typedef struct srv_clock {
  int64_t second;       /* the second `date` holds */
  char date[40];        /* "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n" */
  size_t date_len;
  char log_date[32];    /* "06/Nov/1994:08:49:37 +0000" */
} srv_clock;

/* An IMF-fixdate and its NUL: "Sun, 06 Nov 1994 08:49:37 GMT". */
#define SRV_DATE_SIZE 30

/* Writes the moment `t` (seconds since 1970, UTC) as an IMF-fixdate;
 * returns its length. */
size_t srv_date_format(int64_t t, char out[SRV_DATE_SIZE]);
/* Parses s[0..len) as an HTTP-date in any of its three formats (RFC 9110,
 * Section 5.6.7): IMF-fixdate, RFC 850 (two-digit years read relative to
 * `now`) or asctime. Returns false, *out untouched, unless all of it is
 * one valid date. */
bool srv_date_parse(const char *s, size_t len, int64_t now, int64_t *out);
/* Refreshes the clock when the wall-clock second changed. */
void srv_clock_update(srv_clock *clock);
/* Nanoseconds of a monotonic clock (the access log's time taken). */
uint64_t srv_now_ns(void);

#endif
