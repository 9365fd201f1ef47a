/* SPDX-License-Identifier: MIT */
/*
 * core/exchange.h - the protocol-neutral core of `httpstatus serve`.
 *
 * A protocol layer (http1/, later http2/) turns bytes into an EXCHANGE: the
 * method, the target, the header fields the core acts on, body events, the
 * peer, TLS or not, the protocol. The core turns one exchange into a PLAN:
 * the status, the interim responses, the fields, the content, and the plan
 * in time (sleep before the header section, sleep after it, dribble, abort,
 * close). The timeline runner (staged.c) walks a plan and drives the
 * protocol layer through srv_plan_ops; the protocol layer only translates
 * (HTTP/1.1 bytes, HTTP/2 frames). Nothing in core/ knows HTTP/1 or HTTP/2,
 * libuv or sockets, so the fuzz target and the unit tests drive it bare.
 *
 * Ownership: an exchange's spans point into memory its protocol layer owns
 * and keeps until the exchange's plan is finished. A plan's spans point
 * into the exchange, the core's start-up tables or srv_core's scratch, until
 * srv_plan_own copies them into a buffer of the caller (needed when the plan
 * outlives the call that built it: a staged answer, an HTTP/2 stream).
 */
#ifndef SRV_CORE_EXCHANGE_H
#define SRV_CORE_EXCHANGE_H

#include "srv.h"
#include "core/metrics.h"
#include "util/addr.h"

/* ------------------------------------------------------------------------ */
/* The exchange (what comes in) */

typedef enum srv_proto {
  SRV_PROTO_HTTP10, /* HTTP/1.0 */
  SRV_PROTO_HTTP11, /* HTTP/1.1 */
  SRV_PROTO_HTTP2   /* HTTP/2 (h2 or h2c) */
} srv_proto;

/* The methods the core tells apart; any other is SRV_METHOD_OTHER, and its
 * name is in srv_exchange.method_name. */
typedef enum srv_method {
  SRV_METHOD_GET,
  SRV_METHOD_HEAD,
  SRV_METHOD_OPTIONS,
  SRV_METHOD_CONNECT,
  SRV_METHOD_OTHER
} srv_method;

/* Request header fields the core acts on (names lower case). A protocol
 * layer finds a field with srv_field_find and keeps only these values. */
#define SRV_FIELDS(XX)                                              \
  XX(ACCEPT, "accept")                                              \
  XX(EXPECT, "expect")                                              \
  XX(UPGRADE, "upgrade")                                            \
  XX(HTTP2_SETTINGS, "http2-settings")                              \
  XX(ORIGIN, "origin")                                              \
  XX(REFERER, "referer")                                            \
  XX(USER_AGENT, "user-agent")                                      \
  XX(ACR_METHOD, "access-control-request-method")                   \
  XX(ACR_HEADERS, "access-control-request-headers")                 \
  XX(FORWARDED, "forwarded")             /* core/limits.c */          \
  XX(X_FORWARDED_FOR, "x-forwarded-for")                            \
  XX(X_SLEEP, "x-httpstatus-sleep")                                 \
  XX(X_SLEEP_AFTER_HEADERS, "x-httpstatus-sleep-after-headers")     \
  XX(X_DRIBBLE, "x-httpstatus-dribble")                             \
  XX(X_ABORT, "x-httpstatus-abort")                                 \
  XX(X_SUPPRESS_BODY, "x-httpstatus-suppress-body")                 \
  /* httpstat.us's spellings (core/peers.c) */                      \
  XX(X_US_SUPPRESS_BODY, "x-httpstatus-suppressbody")               \
  XX(X_US_SLEEP_AFTER_HEADERS, "x-httpstatus-sleepafterheaders")    \
  XX(X_US_DRIBBLE_BODY, "x-httpstatus-dribblebody")                 \
  XX(X_US_ABORT_BEFORE_HEADERS, "x-httpstatus-abortbeforeheaders")  \
  XX(X_US_ABORT_AFTER_HEADERS, "x-httpstatus-abortafterheaders")    \
  XX(X_US_ABORT_DURING_BODY, "x-httpstatus-abortduringbody")      \
  XX(HOST, "host") /* HTTP/2: :authority */                         \
  XX(IF_MATCH, "if-match")                                          \
  XX(IF_NONE_MATCH, "if-none-match")                                \
  XX(IF_MODIFIED_SINCE, "if-modified-since")                        \
  XX(IF_UNMODIFIED_SINCE, "if-unmodified-since")                    \
  XX(IF_RANGE, "if-range")                                          \
  XX(RANGE, "range")                                                \
  XX(AUTHORIZATION, "authorization")                                \
  XX(PROXY_AUTHORIZATION, "proxy-authorization")

typedef enum srv_field {
#define SRV_FIELD_ENUM(id, name) SRV_F_##id,
  SRV_FIELDS(SRV_FIELD_ENUM)
#undef SRV_FIELD_ENUM
  SRV_F_COUNT,
  SRV_F_OVERRIDE, /* X-HttpStatus-Response-<name>: keep name and value */
  SRV_F_OTHER     /* not kept */
} srv_field;

#define SRV_X_RESPONSE_PREFIX "x-httpstatus-response-"

/* Classifies a field name (any case): a kept field, an override, Host or
 * another. Fast for the common miss (its length alone decides). */
srv_field srv_field_find(const char *name, size_t len);

/* One header field: a name and a value. */
typedef struct srv_hfield {
  srv_span name;
  srv_span value;
} srv_hfield;

typedef struct srv_exchange {
  srv_proto proto;
  bool tls;
  /* The protocol layer's framing says the connection may carry another
   * request after this one (HTTP/1 keep-alive; always true for HTTP/2). */
  bool keep_alive;
  /* The request ends the connection's protocol after its answer (HTTP/1
   * Upgrade offer or CONNECT): answer, then close. */
  bool last;
  srv_method method;
  srv_span method_name;      /* as sent: "GET", "PURGE" */
  srv_span target;           /* request-target as sent (HTTP/2: :path) */
  srv_span fields[SRV_F_COUNT]; /* length 0 when absent */
  srv_hfield overrides[SRV_MAX_OVERRIDES]; /* name without the prefix */
  uint8_t override_count;
  uint64_t body_bytes;       /* content received so far (srv_exchange_body) */
  int peer_fd;               /* the connection's socket: peer address (log) */
  srv_addr peer;             /* its peer address, when limits are on */
  srv_addr peer_key;         /* srv_addr_key(peer), found once per connection */
  bool peer_trusted;         /* peer is a --trust-proxy: Forwarded names the client */
  uint64_t started_ns;       /* uv_hrtime-style clock at the first byte */
} srv_exchange;

/* Resets `x` for a new request on the same connection. */
void srv_exchange_reset(srv_exchange *x, srv_proto proto, bool tls, int fd);
/* Maps a method name to srv_method (case-sensitive, as RFC 9110 says). */
srv_method srv_method_of(const char *name, size_t len);

/* The lines refusing a request that passes a limit: the same over HTTP/1
 * and HTTP/2. */
#define SRV_WHY_TARGET "the request target is longer than 8 KiB"
#define SRV_WHY_HEADERS "the header section is larger than 16 KiB"
#define SRV_WHY_OVERRIDES "more than 16 X-HttpStatus-Response-* fields"
#define SRV_WHY_EXPECT "the only expectation this server meets is 100-continue"
#define SRV_WHY_BODY "the request content is larger than --max-body allows"
#define SRV_WHY_TIMEOUT "the request was not complete within --header-timeout"

/* What the core says about a request's Expect field. */
typedef enum srv_expect {
  SRV_EXPECT_NONE,     /* no Expect field */
  SRV_EXPECT_CONTINUE, /* 100-continue: send 100 when content follows */
  SRV_EXPECT_FAIL      /* any other expectation: 417 */
} srv_expect;
srv_expect srv_exchange_expect(const srv_exchange *x);

/* Counts `len` bytes of received content. Returns false when the content
 * passed --max-body: the protocol layer refuses with 413. */
bool srv_exchange_body(srv_exchange *x, const srv_config *cfg, size_t len);

#define SRV_PLAN_MAX_FIELDS 48

/* ------------------------------------------------------------------------ */
/* The core's state, one per worker (no libuv in it) */

typedef struct srv_core {
  const srv_config *cfg;
  struct srv_limits *limits; /* shared by the workers; NULL: limits off */
  srv_clock clock;           /* the tick refreshes it */
  uint64_t rng;              /* /random/ draws */
  /* The monotonic clock the timeline reads (srv_now_ns when NULL; the fuzz
   * target steps a clock of its own instead of waiting). */
  uint64_t (*clock_ns)(void);
  /* The worker's loop time in ms, which the limits' buckets read (NULL:
   * they read the coarse clock). */
  const uint64_t *now_ms;
  srv_buf scratch;           /* decoded query values of the current request */
  srv_buf body;              /* the content of a plan being built */
  srv_buf log_line;          /* the access log line being built */
  srv_buf values;            /* values of fields a route built for it */
  srv_hfield fields[SRV_PLAN_MAX_FIELDS]; /* the fields of that plan */
  char range[64];            /* its Content-Range value */
  srv_metrics metrics;       /* this worker's counters (/metrics) */
} srv_core;

/* Frees the core's buffers. */
void srv_core_free(srv_core *core);

/* ------------------------------------------------------------------------ */
/* The plan (what goes out) */

typedef enum srv_type { SRV_PLAIN, SRV_JSON, SRV_HTML } srv_type;

typedef enum srv_abort {
  SRV_ABORT_NONE,
  SRV_ABORT_BEFORE_HEADERS,
  SRV_ABORT_AFTER_HEADERS,
  SRV_ABORT_MID_BODY,
  /* Before the header section too: HTTP/2 RST_STREAM, HTTP/1 a TCP reset. */
  SRV_ABORT_RESET,
  /* Before the header section too: HTTP/2 GOAWAY leaving this stream
   * unprocessed (the connection ends once the streams before it are
   * answered), HTTP/1 a close. */
  SRV_ABORT_GOAWAY
} srv_abort;

/* HTTP/2 error codes (RFC 9113, Section 7), as ?abort=KIND:CODE names them:
 * the code of the RST_STREAM or GOAWAY an abort sends over HTTP/2. */
#define SRV_H2_ERRORS(XX)                                                  \
  XX(NO_ERROR, 0x0)                                                        \
  XX(PROTOCOL_ERROR, 0x1)                                                  \
  XX(INTERNAL_ERROR, 0x2)                                                  \
  XX(FLOW_CONTROL_ERROR, 0x3)                                              \
  XX(SETTINGS_TIMEOUT, 0x4)                                                \
  XX(STREAM_CLOSED, 0x5)                                                   \
  XX(FRAME_SIZE_ERROR, 0x6)                                                \
  XX(REFUSED_STREAM, 0x7)                                                  \
  XX(CANCEL, 0x8)                                                          \
  XX(COMPRESSION_ERROR, 0x9)                                               \
  XX(CONNECT_ERROR, 0xa)                                                   \
  XX(ENHANCE_YOUR_CALM, 0xb)                                               \
  XX(INADEQUATE_SECURITY, 0xc)                                             \
  XX(HTTP_1_1_REQUIRED, 0xd)

typedef enum srv_h2_error {
#define SRV_H2_ERROR_ENUM(name, value) SRV_H2E_##name = value,
  SRV_H2_ERRORS(SRV_H2_ERROR_ENUM)
#undef SRV_H2_ERROR_ENUM
} srv_h2_error;

/* What kind of answer a plan is. */
typedef enum srv_plan_kind {
  SRV_PLAN_ANSWER, /* interim responses (maybe), a final one */
  SRV_PLAN_SILENT, /* no answer at all (444): the protocol aborts */
  SRV_PLAN_SWITCH  /* 101: the final answer switches protocols, then close */
} srv_plan_kind;

typedef struct srv_plan {
  srv_plan_kind kind;
  int code;                  /* final status, 100-999 */
  int interim;               /* a 1xx sent before the final answer, or 0 */
  srv_type type;             /* negotiated content type */
  /* `fields` are exactly the start-up fields of (code, type) and `body` its
   * start-up content: a protocol layer may use what it built for them at
   * start-up (srv_plan_standard) instead of reading the fields. */
  bool standard;
  bool head;                 /* HEAD: content length of GET, no content */
  /* The protocol layer adds its own Date / Connection field unless the
   * request overrode it (X-HttpStatus-Response-Date...). */
  bool date;
  bool connection;
  /* Content-Length is sent (false for 1xx, 204, 304: framed by status). */
  bool length_field;
  uint64_t content_length;   /* its value (the GET content for HEAD) */
  const srv_hfield *fields;  /* in order; Content-Type among them */
  size_t field_count;
  srv_span body;             /* the bytes of content to send */
  /* The plan in time. */
  uint64_t sleep_ms;         /* before the header section */
  uint64_t sleep_after_headers_ms;
  uint64_t dribble_ms;       /* the content in pieces over this */
  uint32_t dribble_pieces;   /* how many (0: up to 16, one per byte at most) */
  /* The interim response is sent before the sleep, and again every
   * interval_ms while it lasts (0: once). */
  uint64_t interval_ms;
  srv_abort abort;
  uint32_t abort_code;       /* its HTTP/2 error code (srv_h2_error or any) */
  bool close;                /* the connection ends after this answer */
  srv_metric_route route;    /* the request's label in /metrics */
} srv_plan;

/* Builds the plan answering `x` (route, query and X-HttpStatus-* options,
 * negotiation, redirect policy, pages, random). Never fails: a wrong
 * request becomes a 4xx plan saying why. Its spans stay valid until the
 * next srv_plan_build on `core` (or srv_plan_own). */
void srv_plan_build(srv_core *core, const srv_exchange *x, srv_plan *p);
/* Builds a refusal: `code` (4xx/5xx) with `why` as its content, and close.
 * `x` may be NULL (the request could not be read). */
void srv_plan_error(srv_core *core, const srv_exchange *x, srv_plan *p,
                    int code, const char *why);
/* Fills *p with the plan of a /{code} GET answered in `type` (SRV_PLAIN
 * or SRV_JSON) without any option: what a protocol layer prebuilds from at
 * start-up (its fields also serve a 1xx sent as an interim response).
 * Returns false when there is none (JSON of a code the catalog does not
 * know is built per request). Its spans live until srv_core_shutdown. */
bool srv_plan_standard(int code, srv_type type, srv_plan *p);
/* Copies every byte the plan points at into `store` (cleared first) and
 * points the plan there: it then lives as long as `store`. */
void srv_plan_own(srv_plan *p, srv_buf *store);
/* True when the plan waits or faults (a timeline with more than one step). */
static inline bool srv_plan_timed(const srv_plan *p)
{
  return p->sleep_ms || p->sleep_after_headers_ms || p->dribble_ms ||
         p->abort != SRV_ABORT_NONE;
}

/* Builds the start-up tables (standard plans, pages). Call once before
 * any worker starts; srv_core_shutdown frees them. */
void srv_core_init(void);
void srv_core_shutdown(void);

/* ------------------------------------------------------------------------ */
/* The timeline (staged.c) and the protocol layer under it */

/* What a protocol layer does for the timeline. `stream` is the protocol's
 * own handle for the exchange (an HTTP/1 connection, an HTTP/2 stream).
 * The send functions queue output and return the bytes they queued (for
 * the access log); none of them blocks or waits. */
typedef struct srv_plan_ops {
  /* A 1xx interim response (plan->interim). */
  size_t (*interim)(void *stream, const srv_plan *p, int code);
  /* The final header section; `last` when no content follows (HTTP/2:
   * END_STREAM on HEADERS). */
  size_t (*head)(void *stream, const srv_plan *p, bool last);
  /* A piece of the content; `last` on the final piece. */
  size_t (*body)(void *stream, const srv_plan *p, const char *data,
                 size_t len, bool last);
  /* Ends the exchange abruptly at `when` (HTTP/1: close the connection;
   * HTTP/2: RST_STREAM). SRV_PLAN_SILENT comes here as BEFORE_HEADERS. */
  void (*abort)(void *stream, const srv_plan *p, srv_abort when);
  /* The exchange is over (after the last piece or the abort). */
  void (*finish)(void *stream, const srv_plan *p, bool close);
} srv_plan_ops;

typedef enum srv_phase {
  SRV_PHASE_START,       /* nothing sent */
  SRV_PHASE_SLEEP,       /* the interim response sent, the sleep running */
  SRV_PHASE_HEAD,        /* the sleep is over: the header section */
  SRV_PHASE_AFTER_HEAD,  /* waiting between header section and content */
  SRV_PHASE_BODY,        /* the content, dribbled or at once */
  SRV_PHASE_DONE
} srv_phase;

/* One exchange's timeline. The owner keeps it (and the plan) until done
 * and owns the timer: srv_staged_step says how long to wait. */
typedef struct srv_staged {
  const srv_plan *plan;
  const srv_exchange *x;     /* for the access log at the end */
  srv_core *core;
  const srv_plan_ops *ops;
  void *stream;
  srv_phase phase;
  uint64_t due_ns;           /* srv_now_ns() when the current wait ends */
  uint64_t interim_ns;       /* when the next repeated interim is due */
  uint64_t body_ns;          /* when the content started (dribble) */
  uint32_t piece;            /* pieces of content sent */
  bool interim_sent;
  size_t sent;               /* bytes of content handed to ops->body */
  uint64_t bytes;            /* bytes queued in all (the log's size) */
  bool quiet;                /* no access log line (set after start) */
  bool waiting;              /* counted as sleeping in /metrics */
} srv_staged;

/* Starts the timeline of `p` (not run yet: call srv_staged_step). */
void srv_staged_start(srv_staged *s, srv_core *core, const srv_exchange *x,
                      const srv_plan *p, const srv_plan_ops *ops,
                      void *stream);
/* Runs every step that is due now. Returns the delay in ms before the next
 * call, or -1 when the timeline ended (ops->finish was called). */
int64_t srv_staged_step(srv_staged *s);
/* The owner discards a timeline before its end (its connection or stream
 * closed): it no longer counts as sleeping. */
void srv_staged_drop(srv_staged *s);

/* ------------------------------------------------------------------------ */
/* log.c: the access log (a no-op unless --access-log) */

/* One line for the exchange just answered with `code` (0: no answer),
 * `bytes` queued. `x` may be NULL (refused before a request line). */
void srv_log_exchange(srv_core *core, const srv_exchange *x, int code,
                      uint64_t bytes);
/* The peer address of socket fd ("127.0.0.1", "::1"), or "-". */
void srv_peer_name(int fd, char *host, size_t size);

/* Lines dropped because the access log's pipe was full (its reader is
 * slower than the requests), since start-up; any thread may ask. */
uint64_t srv_log_dropped(void);

#endif
