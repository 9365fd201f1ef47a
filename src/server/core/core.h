/* SPDX-License-Identifier: MIT */
/*
 * core/core.h - what the files of core/ share among themselves: the
 * request as the router describes it (srv_request) and each file's part in
 * turning an exchange into a plan. Protocol layers include exchange.h only.
 *
 *   route.c     the target -> route and code; the request's facts
 *   options.c   ?query and X-HttpStatus-* options, overrides
 *   negotiate.c Accept -> srv_type
 *   redirect.c  which redirect targets are allowed
 *   random.c    /random/{spec}
 *   pages.c     the content of every route
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
  SRV_ROUTE_CATALOG,    /* /catalog */
  SRV_ROUTE_STATIC,     /* /static/{file} (web/) */
  SRV_ROUTE_PREFLIGHT,  /* CORS preflight */
  SRV_ROUTE_ERROR       /* the request is wrong: `code` + `error` */
} srv_route;

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
  uint64_t sleep_ms;
  uint64_t sleep_after_headers_ms;
  uint64_t dribble_ms;
  srv_span path;             /* route path, percent-encoded as sent */
  srv_span location;         /* decoded ?location=, or {NULL, 0} */
  srv_span upgrade;          /* the Upgrade field offered */
  srv_span acr_method;       /* preflight fields */
  srv_span acr_headers;
  srv_span static_name;      /* SRV_ROUTE_STATIC */
  const srv_hfield *overrides;
  size_t override_count;
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
/* Reads the query and X-HttpStatus-* options into r; false
 * (r an error) when one is wrong. *location_off gets where the decoded
 * location lies in core->scratch (it may move later). */
bool srv_options_read(srv_core *core, const srv_exchange *x, srv_request *r,
                      srv_span query, size_t *location_off);
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
/* The target of an overriding field that redirects (Location,
 * Content-Location, Refresh's url=), or false. */
bool srv_redirect_value(srv_span name, srv_span value, srv_span *target);

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
