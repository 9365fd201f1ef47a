/*
 * srv.h - internals of `httpstatus serve`, shared by the files of
 * src/server/. Every name here is prefixed srv_ / SRV_.
 *
 * Data flow of one request:
 *   conn.c (bytes from the socket) -> proto.c (llhttp, limits, pipelining)
 *   -> request.c (route, query, X-HttpStatus-* fields -> srv_request)
 *   -> respond.c / pages.c (bytes of the answer) -> conn.c (one write).
 * proto.c and everything after it never touch libuv, so the fuzz target
 * drives them without sockets.
 */
#ifndef SRV_H
#define SRV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <llhttp.h>
#include <uv.h>

#include "net/tls.h"

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
/* buf.c: a growable byte buffer and small text helpers */

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
/* Appends `len` bytes with & < > " ' escaped for HTML. */
void srv_buf_html(srv_buf *b, const char *s, size_t len);
/* Appends `len` bytes as a JSON string (httpstatus_json_string). */
void srv_buf_json_string(srv_buf *b, const char *s, size_t len);
void srv_buf_free(srv_buf *b);

/* ASCII case-insensitive equality of s[0..len) and the lower-case `lower`. */
bool srv_ieq(const char *s, size_t len, const char *lower);
/* Same for a prefix: true when s starts with `lower` (case-insensitively). */
bool srv_iprefix(const char *s, size_t len, const char *lower);
/* Parses a non-negative decimal integer filling all of s[0..len) and at
 * most `max`; false when it is empty, not all digits or above max. */
bool srv_parse_u64(const char *s, size_t len, uint64_t max, uint64_t *out);

/* ------------------------------------------------------------------------ */
/* Configuration (serve.c fills it, everything else reads it) */

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
  const char *const *redirect_hosts; /* --allow-redirect-host, may be 0 */
  size_t redirect_host_count;
  bool serve_plain;            /* a plain listener on `port` */
  bool serve_tls;              /* a TLS listener on `tls_port` */
  int tls_port;
  const char *tls_cert, *tls_key, *tls_cert_out; /* may be NULL */
  const char *const *tls_names; /* --tls-name */
  size_t tls_name_count;
  srv_tls *tls;                /* the TLS context, shared by the workers */
} srv_config;

/* ------------------------------------------------------------------------ */
/* date.c: the Date field, formatted once per second per worker */

typedef struct srv_clock {
  int64_t second;       /* the second `date` holds */
  char date[40];        /* "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n" */
  size_t date_len;
  char log_date[32];    /* "06/Nov/1994:08:49:37 +0000" */
} srv_clock;

/* Refreshes the clock when the wall-clock second changed. */
void srv_clock_update(srv_clock *clock);

/* ------------------------------------------------------------------------ */
/* The request, as request.c describes it for respond.c */

typedef enum srv_type { SRV_PLAIN, SRV_JSON, SRV_HTML } srv_type;

typedef enum srv_route {
  SRV_ROUTE_CODE,       /* /{code}, /random/{spec} once drawn */
  SRV_ROUTE_INDEX,      /* / */
  SRV_ROUTE_HEALTH,     /* /healthz */
  SRV_ROUTE_API_ALL,    /* /api/codes */
  SRV_ROUTE_API_CODE,   /* /api/codes/{code} */
  SRV_ROUTE_CATALOG,    /* /catalog */
  SRV_ROUTE_STATIC,     /* /static/{file} (web/) */
  SRV_ROUTE_PREFLIGHT,  /* CORS preflight */
  SRV_ROUTE_ERROR       /* the request is wrong: `code` + `error` */
} srv_route;

typedef enum srv_abort {
  SRV_ABORT_NONE,
  SRV_ABORT_BEFORE_HEADERS,
  SRV_ABORT_AFTER_HEADERS,
  SRV_ABORT_MID_BODY
} srv_abort;

typedef struct srv_span {
  uint32_t off; /* into the connection's scratch buffer */
  uint32_t len;
} srv_span;

/* Request header fields the server acts on (llhttp handles framing). */
#define SRV_FIELDS(XX)                                              \
  XX(ACCEPT, "accept")                                              \
  XX(EXPECT, "expect")                                              \
  XX(UPGRADE, "upgrade")                                            \
  XX(ORIGIN, "origin")                                              \
  XX(ACR_METHOD, "access-control-request-method")                   \
  XX(ACR_HEADERS, "access-control-request-headers")                 \
  XX(X_SLEEP, "x-httpstatus-sleep")                                 \
  XX(X_SLEEP_AFTER_HEADERS, "x-httpstatus-sleep-after-headers")     \
  XX(X_DRIBBLE, "x-httpstatus-dribble")                             \
  XX(X_ABORT, "x-httpstatus-abort")                                 \
  XX(X_SUPPRESS_BODY, "x-httpstatus-suppress-body")

typedef enum srv_field {
#define SRV_FIELD_ENUM(id, name) SRV_F_##id,
  SRV_FIELDS(SRV_FIELD_ENUM)
#undef SRV_FIELD_ENUM
  SRV_F_COUNT
} srv_field;

#define SRV_X_PREFIX "x-httpstatus-"
#define SRV_X_RESPONSE_PREFIX "x-httpstatus-response-"

typedef struct srv_override {
  srv_span name; /* without the X-HttpStatus-Response- prefix */
  srv_span value;
} srv_override;

typedef struct srv_request {
  srv_route route;
  int code;                  /* status to answer with */
  const char *error;         /* SRV_ROUTE_ERROR: the line saying why */
  srv_type type;             /* negotiated from Accept */
  uint8_t method;            /* llhttp_method_t */
  uint8_t http_minor;        /* HTTP/1.x */
  bool head;                 /* HEAD: fields as GET, no content */
  bool suppress_body;
  bool keep_alive;
  srv_abort abort;
  uint64_t sleep_ms;
  uint64_t sleep_after_headers_ms;
  uint64_t dribble_ms;
  const char *path;          /* route path, percent-encoded as sent */
  size_t path_len;
  const char *location;      /* decoded ?location=, or NULL */
  size_t location_len;
  const char *upgrade;       /* the Upgrade field offered, or NULL */
  size_t upgrade_len;
  const char *acr_method;    /* preflight fields, or NULL */
  size_t acr_method_len;
  const char *acr_headers;
  size_t acr_headers_len;
  const char *static_name;   /* SRV_ROUTE_STATIC */
  size_t static_len;
  const char *scratch;       /* base of the spans below */
  const srv_override *overrides;
  size_t override_count;
} srv_request;

/* ------------------------------------------------------------------------ */
/* Worker and connection */

typedef struct srv_conn srv_conn;

typedef struct srv_worker {
  uv_loop_t loop;
  uv_poll_t listener;       /* on listen_fd; one accept4 per readiness */
  uv_poll_t tls_listener;   /* on tls_listen_fd, the same way */
  uv_async_t stop_async;
  uv_timer_t tick;
  uv_thread_t thread;
  int listen_fd;            /* -1 without a plain listener */
  int tls_listen_fd;        /* -1 without a TLS listener */
  unsigned index;
  const srv_config *cfg;
  srv_clock clock;
  uint64_t rng;
  srv_conn *conns;          /* every open connection, a doubly linked list */
  unsigned conn_count;
  unsigned max_conns;
  bool stopping;
  uint64_t drain_deadline;
  srv_buf out;              /* answers being built; empty between callbacks */
  srv_buf scratch;          /* decoded query values of the current request */
  char *rbuf;               /* every read of this worker lands here */
  srv_buf log_line;         /* the access log line being built */
  uint64_t now;             /* loop time in ms, set before proto.c runs */
  bool on_caller;           /* no thread: the caller of start runs the loop */
  bool accept_paused;       /* out of descriptors: the tick resumes accepting */
} srv_worker;

/* Why a connection's deadline is armed (the worker's tick checks it). */
typedef enum srv_timeout {
  SRV_T_NONE,
  SRV_T_IDLE,     /* waiting for a request: close quietly */
  SRV_T_REQUEST,  /* request started, not complete: 408 and close */
  SRV_T_SEND,     /* our answer is not being read: close */
  SRV_T_LINGER    /* closing, discarding what the client still sends */
} srv_timeout;

/* A response sent in steps: after a sleep, with a fault, dribbled. */
typedef enum srv_phase {
  SRV_PHASE_NONE,
  SRV_PHASE_SLEEP,       /* waiting before the header section */
  SRV_PHASE_HEAD,        /* send the header section (and content) */
  SRV_PHASE_AFTER_HEAD,  /* waiting between header section and content */
  SRV_PHASE_BODY,        /* send the content, dribbled or at once */
  SRV_PHASE_DONE
} srv_phase;

typedef struct srv_staged {
  srv_buf data;          /* header section followed by content */
  size_t head_len;
  size_t sent;           /* bytes of data already handed to the writer */
  uint64_t sleep_ms;
  uint64_t sleep_after_headers_ms;
  uint64_t dribble_ms;
  srv_abort abort;
  srv_phase phase;
  bool close;
} srv_staged;

/* What proto.c asks conn.c to do once the output is flushed. */
typedef enum srv_action {
  SRV_ACT_CONTINUE, /* keep reading */
  SRV_ACT_STAGED,   /* a staged response runs; call srv_proto_step */
  SRV_ACT_CLOSE     /* close after the output is sent */
} srv_action;

struct srv_conn {
  uv_poll_t poll;           /* on fd, once the connection waits for it */
  int fd;
  srv_tls_conn *tls;        /* the TLS session, NULL on the plain port */
  bool handshaking;         /* the TLS handshake is not complete */
  bool tls_wants_write;     /* the session's read waits for writability */
  int events;               /* UV_READABLE | UV_WRITABLE the poll waits for */
  /* Allocated when first needed, so that an idle connection is small:
   * the timer of staged responses (kept until close). */
  uv_timer_t *delay;
  llhttp_t parser;
  srv_worker *w;
  srv_conn *prev, *next;
  srv_buf in;               /* input kept while parsing is paused */
  srv_buf scratch;          /* URL and kept header fields of one request */
  srv_buf pending;          /* output the socket did not take at once */
  srv_staged staged;
  uint64_t deadline;        /* loop time in ms; see `timeout` */
  srv_timeout timeout;
  srv_action action;
  bool writing;             /* `pending` waits for the socket to take it */
  bool step_due;            /* a staged step is due (run once not writing) */
  bool closing;             /* uv_close called */
  bool reading;
  bool in_request;          /* a request has begun and is not complete */
  bool peer_eof;            /* the client sent FIN: answer, then close */
  bool linger;              /* the client may still be sending: close slowly */
  bool nodelay;             /* TCP_NODELAY is set */
  bool polled;              /* `poll` is initialized */
  uint8_t open_handles;     /* handles not yet closed; freed at 0 */
  size_t pending_off;       /* bytes of `pending` already sent */
  size_t send_left;         /* bytes of `pending` unsent at the last check */
  /* The request being parsed. */
  uint32_t url_len;         /* the URL is scratch[0..url_len) */
  uint32_t header_bytes;
  int8_t cur_field;         /* srv_field, -1 none, -2 override, -3 skip */
  uint32_t cur_off;         /* where the current field's name starts */
  uint32_t cur_value_off;
  srv_span fields[SRV_F_COUNT];
  srv_override overrides[SRV_MAX_OVERRIDES];
  uint8_t override_count;
  uint8_t host_count;       /* Host fields seen (HTTP/1.1 needs one) */
  uint64_t body_bytes;
  int error_code;           /* set by a callback that refuses the request */
  const char *error;
  uint64_t started_ns;      /* for the access log */
  int log_code;             /* status of the staged response, for the log */
};

/* ------------------------------------------------------------------------ */
/* proto.c: HTTP/1.x over one connection, without I/O */

/* Prepares the parser and per-request state of a new connection. */
void srv_proto_init(srv_conn *c, srv_worker *w);
/* Parses `len` bytes, appending the answers to w->out. Stores in *used how
 * many bytes were consumed (less than len when it returns SRV_ACT_STAGED or
 * SRV_ACT_CLOSE, or when w->out passed SRV_OUT_HIGH: flush, then feed the
 * rest). */
srv_action srv_proto_feed(srv_conn *c, const char *data, size_t len,
                          size_t *used);
/* Runs the next step of a staged response, appending to w->out. Returns
 * the delay in ms before the next call, or -1 when the response is complete
 * (c->action then says whether to continue or close). */
int64_t srv_proto_step(srv_conn *c);
/* Called by the worker's tick when a request timed out: appends 408. */
void srv_proto_timeout(srv_conn *c);
/* Frees per-connection buffers (not the handles). */
void srv_proto_free(srv_conn *c);

/* ------------------------------------------------------------------------ */
/* request.c: from what llhttp gave to a srv_request */

/* Describes the request whose URL and fields are in c->scratch. Decoded
 * values go to w->scratch. Never fails: a wrong request becomes
 * SRV_ROUTE_ERROR with a code and a line saying why. */
void srv_request_describe(srv_conn *c, srv_request *r);
/* Draws a code from a /random/ spec into *code and returns true, or
 * writes the line saying what is wrong with the spec into err and returns
 * false. */
bool srv_random_pick(const char *spec, size_t len, uint64_t *rng, int *code,
                     char *err, size_t err_size);
/* Returns the next number of a worker's xorshift generator. */
uint64_t srv_random_next(uint64_t *state);

/* ------------------------------------------------------------------------ */
/* respond.c: the bytes of an answer */

/* Builds, once, the per-code status lines, fixed header blocks and plain
 * bodies from the catalog. Call before any worker starts. */
void srv_respond_init(void);
void srv_respond_free(void);
/* Appends the complete answer to `r` to `out`: interim responses first
 * (1xx), then the final header section and content. Stores where the final
 * header section starts and its length, so a staged response can split it.
 * Returns the status code of the final answer (0 when none: 444). */
int srv_respond(srv_worker *w, const srv_request *r, srv_buf *out,
                size_t *head_start, size_t *head_len);
/* Appends an error answer: status, the line saying why, Connection: close. */
void srv_respond_error(srv_worker *w, srv_buf *out, int code,
                       const char *why);
/* The fields every answer carries after its status line (Server, CORS),
 * and the status line of `code`, as built at start-up. */
void srv_respond_status_line(srv_buf *out, int code);
/* True for a 1xx whose catalog entry requires Upgrade (101): answering it
 * switches protocols, so it needs a request that offered one. */
bool srv_switches_protocol(int code);

/* ------------------------------------------------------------------------ */
/* pages.c: the routes other than /{code} */

/* The Content-Type (with charset) of each srv_type. */
extern const char *const srv_type_names[3];
/* Appends the content of `r`'s route for `type`; sets *ctype to its
 * Content-Type (with charset) and returns the status (200, 404...). */
int srv_page(const srv_request *r, srv_buf *body, const char **ctype);
/* Appends the content explaining `code` in `type`. */
void srv_page_code(int code, srv_type type, srv_buf *body);
/* Builds the /api/codes document once; call before workers start. */
void srv_pages_init(void);
void srv_pages_free(void);

/* web_assets.c (generated from web/ at build time) */
typedef struct srv_asset {
  const char *name;
  const char *type;
  const unsigned char *data;
  size_t len;
} srv_asset;
extern const srv_asset srv_assets[];
extern const size_t srv_asset_count;

/* ------------------------------------------------------------------------ */
/* log.c: the access log */

/* Writes one line (common log format + time taken) for the request just
 * answered; a no-op unless --access-log. */
void srv_log_request(srv_conn *c, int code, uint64_t bytes);

/* ------------------------------------------------------------------------ */
/* worker.c / conn.c */

int srv_worker_start(srv_worker *w);
void srv_worker_stop(srv_worker *w);
/* Takes the accepted, non-blocking socket fd (closes it on failure); with
 * `tls`, the connection starts with a TLS handshake. */
void srv_conn_accept(srv_worker *w, int fd, bool tls);
/* Acts on an expired deadline (the worker's tick calls it). */
void srv_conn_expire(srv_conn *c);
/* Closes the connection now, or once its in-flight answer is sent. */
void srv_conn_drain(srv_conn *c);

#endif
