/* SPDX-License-Identifier: MIT */
/*
 * core/core.h - what the files of core/ share among themselves: the
 * request as the router describes it (srv_request) and each file's part in
 * turning an exchange into a plan. Protocol layers include exchange.h only.
 *
 *   route.c     the target -> route and code; the request's facts
 *   options.c   ?query and X-HttpStatus-* options, overrides
 *   negotiate.c Accept -> srv_type
 *   redirect.c  which redirect targets are allowed; the redirect routes
 *   random.c    /random/{spec}
 *   pages.c     the content of every route
 *   handler.c   the routes that read the request's fields, answering in
 *               a srv_reply: conditional.c (validators, Section 13),
 *               range.c (Section 14), auth.c (Basic, Bearer, Digest)
 *   faults.c    ?body=, ?contentType=, ?interval=, ?until=, ?seed=
 *   peers.c     httpbin's, go-httpbin's and httpstat.us's spellings
 *   retry.c     /retry/{n}/{key} (counters shared by workers), /unstable
 *   respond.c   srv_request -> srv_plan (the standard plans at start-up)
 *   staged.c    the plan in time, through srv_plan_ops
 *   log.c       the access log
 *   metrics.c   the counters of /metrics (metrics.h)
 */
#ifndef SRV_CORE_H
#define SRV_CORE_H

#include <stdarg.h>

#include "core/exchange.h"
#include "core/codes.h"

typedef enum srv_route {
  SRV_ROUTE_CODE,       /* /{code}, /random/{spec} once drawn */
  SRV_ROUTE_INDEX,      /* / */
  SRV_ROUTE_HEALTH,     /* /healthz */
  SRV_ROUTE_METRICS,    /* /metrics (core/metrics.c) */
  SRV_ROUTE_API_ALL,    /* /api/codes */
  SRV_ROUTE_API_CODE,   /* /api/codes/{code} */
  SRV_ROUTE_CATALOG,    /* /catalog, /catalog?q= */
  SRV_ROUTE_CATALOG_CODE, /* /catalog/{code} */
  SRV_ROUTE_API_SEARCH, /* /api/search?q= */
  SRV_ROUTE_STATIC,     /* /static/{file} (web/) */
  SRV_ROUTE_PREFLIGHT,  /* CORS preflight */
  SRV_ROUTE_HANDLER,    /* a route of handler.c's table (r->handler) */
  SRV_ROUTE_ERROR       /* the request is wrong: `code` + `error` */
} srv_route;

/* The query options of faults.c, peers.c and retry.c, raw as sent;
 * {NULL, 0} when absent. Each is parsed where it is used. */
typedef struct srv_params {
  srv_span body, content_type, interval, until, seed, code, failure_rate,
      duration, numbytes, delay;
} srv_params;

typedef struct srv_request {
  srv_route route;
  int code;                  /* status to answer with */
  const char *error;         /* SRV_ROUTE_ERROR: the line saying why */
  srv_type type;             /* negotiated from Accept */
  srv_method method;
  srv_span method_name;
  srv_proto proto;
  bool head;                 /* HEAD: fields as GET, no content */
  bool suppress_body;
  bool keep_alive;
  srv_abort abort;
  uint32_t abort_code;       /* HTTP/2 error code of the abort */
  uint64_t sleep_ms;
  uint64_t sleep_after_headers_ms;
  uint64_t dribble_ms;
  srv_span path;             /* route path, percent-encoded as sent */
  srv_span location;         /* decoded ?location=, or {NULL, 0} */
  srv_span upgrade;          /* the Upgrade field offered */
  srv_span acr_method;       /* preflight fields */
  srv_span acr_headers;
  srv_span static_name;      /* SRV_ROUTE_STATIC */
  srv_span host;             /* the Host field, as sent */
  const char *search;        /* the decoded ?q= of /catalog, /api/search;
                                NULL when absent */
  const srv_hfield *overrides;
  size_t override_count;
  /* For the routes that read the request's own fields (handler.c). */
  const srv_exchange *x;     /* valid while its plan is built */
  srv_span query;            /* the target's query, as sent */
  const struct srv_handler *handler; /* SRV_ROUTE_HANDLER */
  srv_span arg;              /* the path after the handler's name and /
                              * ({NULL, 0} without a /) */
  /* faults.c, peers.c, retry.c */
  srv_params params;
  uint64_t interval_ms;      /* repeat the interim response while sleeping */
  uint32_t dribble_pieces;   /* /drip: pieces of the dribble (0: default) */
  uint64_t fill;             /* /drip: the content is this many '*' */
  srv_span body;             /* ?body=, decoded (srv_faults_finish) */
  const char *content_type;  /* ?contentType=, decoded, or NULL */
  bool echo;                 /* /delay: the content describes the request */
  bool retry_after;          /* a /retry/ failure: Retry-After whatever code */
  bool drawn;                /* the code was drawn: a body= it cannot carry
                                is dropped, not refused */
  bool seeded;               /* ?seed= given: draws come from it */
  uint64_t seed;
} srv_request;

/* route.c: describes the exchange; never fails (a wrong request becomes
 * SRV_ROUTE_ERROR with a code and a line saying why). Decoded values go to
 * core->scratch. */
void srv_request_describe(srv_core *core, const srv_exchange *x,
                          srv_request *r);
/* Marks the request wrong with `code` and a formatted line (kept in
 * core->scratch). Always returns false, for `return srv_fail(...)`. */
bool srv_fail(srv_core *core, srv_request *r, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Longest piece of the client's input quoted back in an error line. */
#define SRV_QUOTE_MAX 64
int srv_quote_len(size_t len);
/* Percent-decodes s into core->scratch (NUL-terminated); returns the offset
 * of the result, or -1 when an escape is malformed. */
long srv_decode(srv_core *core, const char *s, size_t len, size_t *out_len);

/* options.c: whether any X-HttpStatus-* option field came (most requests
 * have none and no query, and skip reading options altogether). */
bool srv_has_options(const srv_exchange *x);
/* The value of the query parameter `name` (the first; as sent,
 * not decoded); false when the query has none. */
bool srv_query_param(srv_span query, const char *name, srv_span *value);
/* Reads the query and X-HttpStatus-* options into r; false
 * (r an error) when one is wrong. *location_off gets where the decoded
 * location lies in core->scratch (it may move later). */
bool srv_options_read(srv_core *core, const srv_exchange *x, srv_request *r,
                      srv_span query, size_t *location_off);
/* The next name=value pair of a query from *pos (either may be empty; as
 * sent, not decoded); false at the end. */
bool srv_query_next(srv_span query, size_t *pos, srv_span *name,
                    srv_span *value);
/* Checks the X-HttpStatus-Response-* fields; false (r an error) if wrong. */
bool srv_overrides_check(srv_core *core, const srv_exchange *x,
                         srv_request *r);

/* negotiate.c: the type the Accept field weighs highest (RFC 9110, Section
 * 12.5.1); text/plain without one. */
srv_type srv_negotiate(srv_span accept);
/* The Content-Type (with charset) of each srv_type. */
extern const char *const srv_type_names[3];

/* redirect.c: checks a redirect target (a path here, or an http(s) URL to a
 * host --allow-redirect-host allowed); false (r an error) otherwise. */
bool srv_redirect_check(srv_core *core, srv_request *r, const char *what,
                        srv_span target);
/* Percent-decodes `raw`, the value of ?what=, into core->scratch and
 * checks it as srv_redirect_check does; false (r an error) otherwise.
 * *target is the decoded text, *off where it lies in the scratch (which
 * later decoding may move). */
bool srv_redirect_decode(srv_core *core, srv_request *r, const char *what,
                         srv_span raw, srv_span *target, size_t *off);
/* The target of an overriding field that redirects (Location,
 * Content-Location, Refresh's url=), or false. */
bool srv_redirect_value(srv_span name, srv_span value, srv_span *target);

/* faults.c */
/* Keeps `value` when `name` (any case) is one of srv_params'. */
void srv_params_set(srv_params *p, srv_span name, srv_span value);
/* Parses ?interval=, ?until= and ?seed=; false (r an error) when wrong. */
bool srv_faults_read(srv_core *core, srv_request *r);
/* Once routed: applies ?until=, decodes ?body= and ?contentType= and
 * checks them against the code (r an error when wrong). */
void srv_faults_finish(srv_core *core, srv_request *r);
/* Appends the content the request asks for instead of the code's (/drip,
 * /delay, ?body=) and returns true, or returns false. *ctype becomes the
 * Content-Type (?contentType= also changes it when it returns false). */
bool srv_faults_content(const srv_request *r, srv_buf *body,
                        const char **ctype);
/* Where a draw takes its numbers: a generator seeded from ?seed= (each
 * request starts it anew: the same seed draws the same), or the worker's. */
uint64_t *srv_faults_rng(srv_core *core, srv_request *r, uint64_t *seeded);
/* Parses a duration: seconds ("2", "1.5") or with a unit ("500ms",
 * "1.5s"); rounded up to whole milliseconds. False when it is not one. */
bool srv_parse_duration(srv_span v, uint64_t *ms);
/* Parses a decimal in [0, 1] ("0.25", "1", ".5") into millionths. */
bool srv_parse_fraction(srv_span v, uint32_t *ppm);

/* peers.c */
/* httpstat.us's X-HttpStatus-DribbleBody and -Abort* fields (true/false)
 * as our dribble and abort spellings, where the request gave none. */
bool srv_peers_fields(srv_core *core, const srv_exchange *x, srv_request *r,
                      srv_span *dribble, srv_span *abort);
/* Routes /status/, /delay/, /drip, /unstable, /retry/ (path without its
 * leading /); false when the path is none of them. */
bool srv_peers_route(srv_core *core, srv_request *r, const char *path,
                     size_t len);

/* retry.c */
/* /retry/{n}/{key} (`path` after "retry/") and /unstable. */
void srv_retry_route(srv_core *core, srv_request *r, const char *path,
                     size_t len);
void srv_unstable_route(srv_core *core, srv_request *r);
/* Frees the shared counters (at shutdown, once no worker runs). */
void srv_retry_free(void);

/* route.c: the two routes others reuse */
/* /{code}[/anything]: the code of the first segment. */
void srv_route_code(srv_core *core, srv_request *r, const char *path,
                    size_t len);
/* /random/{spec}[/anything]: a code drawn from the spec; `route` names
 * the route the spec came in ("/random/", "/status/") in an error. */
void srv_route_random(srv_core *core, srv_request *r, const char *route,
                      const char *spec, size_t len);
/* srv_decode for values of a form-encoded query: '+' is a space. */
long srv_decode_form(srv_core *core, const char *s, size_t len,
                     size_t *out_len);

/* random.c */
/* Draws a code from a /random/ spec into *code and returns true, or
 * writes the line saying what is wrong with the spec into err and returns
 * false. */
bool srv_random_pick(const char *spec, size_t len, uint64_t *rng, int *code,
                     char *err, size_t err_size);
/* Returns the next number of a worker's xorshift generator. */
uint64_t srv_random_next(uint64_t *state);

/* pages.c */
/* Appends the content of `r`'s route for `type`; sets *ctype to its
 * Content-Type (with charset) and returns the status (200, 404...). */
int srv_page(const srv_request *r, srv_buf *body, const char **ctype);
/* Appends the content explaining `code` in `type`. */
void srv_page_code(int code, srv_type type, srv_buf *body);
/* The same, an HTML page's curl line naming `host` (the request's Host;
 * length 0: localhost). */
void srv_page_code_at(int code, srv_type type, srv_span host, srv_buf *body);
/* Appends the plain content of an error: "404 Not Found: why\n". */
void srv_page_error(int code, const char *why, srv_buf *body);
/* Builds the /api/codes document once; call before workers start. */
void srv_pages_init(void);
void srv_pages_free(void);

/* respond.c */
/* What the catalog says of a code, as bits (a code outside 100-999 is
 * SRV_CODE_SILENT: nothing can answer it). */
#define SRV_CODE_SILENT 1u        /* closes without a response (444) */
#define SRV_CODE_SWITCH 2u        /* switches protocols (101) */
#define SRV_CODE_INFORMATIONAL 4u /* 1xx */
unsigned srv_code_facts(int code);
void srv_respond_init(void);
void srv_respond_free(void);
/* Builds the plan of a described request. */
void srv_respond(srv_core *core, const srv_request *r, srv_plan *p);

/* ------------------------------------------------------------------------ */
/* handler.c: routes whose answer depends on the request's own fields
 * (conditional.c, range.c, auth.c, redirect.c). A handler builds its
 * status, content and fields into a srv_reply; respond.c adds the fixed
 * fields (leaving out any required field the reply already has), the
 * overrides and the framing. */

#define SRV_REPLY_MAX_FIELDS 8
#define SRV_REPLY_TEXT 1024  /* decoded path segments of one reply */

typedef struct srv_reply {
  srv_core *core;
  const srv_request *r;
  srv_buf *body;             /* the content (core->body) */
  const char *ctype;         /* its Content-Type (the negotiated one) */
  /* Field values are kept in core->values as offsets until the reply is
   * done (the buffer may move while it grows). */
  const char *names[SRV_REPLY_MAX_FIELDS];
  size_t offsets[SRV_REPLY_MAX_FIELDS];
  size_t lengths[SRV_REPLY_MAX_FIELDS];
  size_t count;
  srv_hfield fields[SRV_REPLY_MAX_FIELDS]; /* filled by srv_handler_answer */
  char text[SRV_REPLY_TEXT]; /* srv_reply_decode's results */
  size_t text_len;
} srv_reply;

typedef struct srv_handler {
  const char *name;          /* the first path segment: "etag", "range" */
  /* Optional, while the request is described: may refuse it (srv_fail)
   * or keep decoded values in r->arg (core->scratch). */
  bool (*check)(srv_core *core, srv_request *r);
  /* Answers: returns the status; fills out->body and out's fields. */
  int (*answer)(srv_reply *out);
} srv_handler;

/* Finds the handler of `path` (without its leading /): its name alone or
 * followed by "/" and an argument. Sets r's route, handler and arg and
 * returns true (r may then be an error its check found); false when no
 * handler has that name. */
bool srv_handler_route(srv_core *core, srv_request *r, const char *path,
                       size_t len);
/* Percent-decodes `in` into out->text; false when an escape is malformed
 * or the text does not fit. */
bool srv_reply_decode(srv_reply *out, srv_span in, srv_span *decoded);
/* The wall-clock second: the worker's clock, or time() before its first
 * tick. */
int64_t srv_core_now(const srv_core *core);
/* Sets the handlers' start-up state (srv_core_init). */
void srv_handlers_init(void);
/* Runs r's handler: the content goes to `body`, the fields to out. */
int srv_handler_answer(srv_core *core, const srv_request *r, srv_buf *body,
                       srv_reply *out);
/* True when the reply has a field `name` (any case). */
bool srv_reply_has(const srv_reply *out, const char *name);
/* Adds the field `name` (a string that lives forever) with a formatted
 * value. */
void srv_reply_field(srv_reply *out, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Adds the field `name` with the value v[0..len). */
void srv_reply_span(srv_reply *out, const char *name, srv_span v);
/* Replaces the reply with a plain refusal: "400 Bad Request: why".
 * Returns `code`. */
int srv_reply_error(srv_reply *out, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The handlers, one per file's route. */
extern const srv_handler srv_handler_etag, srv_handler_cache;
extern const srv_handler srv_handler_range, srv_handler_range_code;
extern const srv_handler srv_handler_basic_auth, srv_handler_hidden_basic_auth,
    srv_handler_proxy_basic_auth, srv_handler_bearer, srv_handler_digest_auth,
    srv_handler_proxy_digest_auth;
extern const srv_handler srv_handler_redirect, srv_handler_relative_redirect,
    srv_handler_absolute_redirect, srv_handler_redirect_to,
    srv_handler_redirect_loop;

/* conditional.c: RFC 9110, Section 13 */

/* What a representation offers to be compared with. */
typedef struct srv_validators {
  srv_span etag;             /* with its quotes, W/ when weak; may be empty */
  bool has_date;
  int64_t last_modified;     /* seconds since 1970 (when has_date) */
} srv_validators;

typedef enum srv_precondition {
  SRV_COND_PROCEED,          /* answer as usual (ranges allowed) */
  SRV_COND_IGNORE_RANGE,     /* If-Range did not match: the whole of it */
  SRV_COND_NOT_MODIFIED,     /* 304 */
  SRV_COND_FAILED            /* 412 */
} srv_precondition;

/* Evaluates the request's preconditions against `v` in the order of RFC
 * 9110, Section 13.2.2. */
srv_precondition srv_conditional_eval(const srv_core *core,
                                      const srv_exchange *x,
                                      const srv_validators *v);
/* True when the entity-tag lists in `list` ("*" or 1#entity-tag) holds
 * one matching `etag` (weak or strong comparison, Section 8.8.3.2). */
bool srv_etag_match(srv_span list, srv_span etag, bool strong);
/* True when the request's If-Range field matches `v` (Section 13.1.5);
 * false without one. */
bool srv_if_range_matches(const srv_core *core, const srv_exchange *x,
                          const srv_validators *v);
/* The moment the conditional routes' representations were last modified:
 * when the process started (srv_handlers_init). */
int64_t srv_conditional_epoch(void);
void srv_conditional_init(void);
/* auth.c: the digest nonces' key, drawn at start-up. */
void srv_auth_init(void);

/* range.c: RFC 9110, Section 14 */

#define SRV_RANGE_MAX_SPECS 32     /* more range-specs: the field is ignored */

typedef struct srv_byte_range {
  uint64_t first, last;      /* inclusive */
} srv_byte_range;

typedef enum srv_range_result {
  SRV_RANGE_NONE,            /* no field, or ignored: the whole (200) */
  SRV_RANGE_OK,              /* ranges[0..count): sorted, merged */
  SRV_RANGE_UNSATISFIABLE    /* 416 */
} srv_range_result;

/* Parses a Range field against a representation of `size` bytes: a bad
 * field, another unit or too many range-specs is NONE (RFC 9110, Section
 * 14.2: ignored); the satisfiable ranges are sorted and those that overlap
 * or touch merged. */
srv_range_result srv_range_parse(srv_span field, uint64_t size,
                                 srv_byte_range ranges[SRV_RANGE_MAX_SPECS],
                                 size_t *count);

/* web_assets.c (generated from web/ at build time) */
typedef struct srv_asset {
  const char *name;
  const char *type;
  const unsigned char *data;
  size_t len;
} srv_asset;
extern const srv_asset srv_assets[];
extern const size_t srv_asset_count;

#endif
