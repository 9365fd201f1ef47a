/* SPDX-License-Identifier: MIT */
/*
 * core/metrics.h - the counters behind /metrics (Prometheus' text format).
 *
 * Each worker owns one srv_metrics (in its srv_core) and is the only thread
 * that ever writes it; the /metrics page, on whichever worker the scrape
 * lands, sums every worker's counters. So the request path takes no lock
 * and does no atomic read-modify-write: an increment is a relaxed load and
 * a relaxed store of the owner's own counter (srv_count), which compile to
 * a plain load, add and store on x86-64 and arm64 (a relaxed fetch_add
 * would be a locked instruction). It is safe because
 *   - there is one writer per counter, so no increment is ever lost;
 *   - the counters are _Atomic, so a reader on another thread never sees a
 *     torn value and the program has no data race (C11 5.1.2.4);
 *   - each counter only grows, and coherence keeps a reader from seeing it
 *     go back, so a scrape sees every counter at some recent value.
 * A gauge (open connections, sleeping answers) is the difference of two
 * such counters, started minus ended; the page reads `ended` first, so the
 * difference it prints is never negative.
 */
#ifndef SRV_CORE_METRICS_H
#define SRV_CORE_METRICS_H

#include <stdatomic.h>

#include "srv.h"

/* The route label of a request: its path's first segment (data table in
 * metrics.c). NONE is a request refused before it was routed (a limit, a
 * request that cannot be parsed). */
#define SRV_METRIC_ROUTES(XX)                                              \
  XX(NONE, "none") XX(CODE, "code") XX(RANDOM, "random")                   \
  XX(INDEX, "index") XX(API, "api") XX(CATALOG, "catalog")                 \
  XX(STATIC, "static") XX(HEALTH, "health") XX(METRICS, "metrics")         \
  XX(CACHE, "cache") XX(RANGE, "range") XX(AUTH, "auth")                   \
  XX(REDIRECT, "redirect") XX(OTHER, "other")

typedef enum srv_metric_route {
#define SRV_METRIC_ROUTE_ENUM(id, label) SRV_MR_##id,
  SRV_METRIC_ROUTES(SRV_METRIC_ROUTE_ENUM)
#undef SRV_METRIC_ROUTE_ENUM
  SRV_MR_COUNT
} srv_metric_route;

/* Status classes: 0 is "none" (nothing was answered: /444, an abort before
 * the header section), 1-9 are 1xx-9xx (the server answers 100-999). */
#define SRV_METRIC_CLASSES 10

/* Why a request was refused, from the status of the refusal (srv_plan_error
 * is only called to refuse): each limit answers with its own code. */
#define SRV_REFUSALS(XX)                                                   \
  XX(MALFORMED, 400, "malformed")                                          \
  XX(HEADER_TIMEOUT, 408, "header_timeout")                                \
  XX(MAX_BODY, 413, "max_body")                                            \
  XX(TARGET_TOO_LONG, 414, "target_too_long")                              \
  XX(EXPECTATION, 417, "expectation")                                      \
  XX(RATE_LIMIT, 429, "rate_limit")                                        \
  XX(HEADERS_TOO_LARGE, 431, "headers_too_large")                          \
  XX(MAX_CONNECTIONS, 503, "max_connections")                              \
  XX(HTTP_VERSION, 505, "http_version")

typedef enum srv_refusal {
#define SRV_REFUSAL_ENUM(id, code, label) SRV_REFUSAL_##id,
  SRV_REFUSALS(SRV_REFUSAL_ENUM)
#undef SRV_REFUSAL_ENUM
  SRV_REFUSAL_OTHER,
  SRV_REFUSAL_COUNT
} srv_refusal;

typedef _Atomic uint64_t srv_counter;

typedef struct srv_metrics {
  srv_counter requests[SRV_MR_COUNT][SRV_METRIC_CLASSES];
  srv_counter refusals[SRV_REFUSAL_COUNT];
  srv_counter conns_opened, conns_closed;   /* net/conn.c */
  srv_counter sleeps_started, sleeps_ended; /* core/staged.c */
  srv_counter bytes_sent, bytes_received;   /* net/conn.c, before TLS */
  struct srv_metrics *next;                 /* the registry (metrics.c) */
} srv_metrics;

/* Adds n to a counter of the calling worker's own srv_metrics (only its
 * owner may call this: see the top of this file). */
static inline void srv_count(srv_counter *c, uint64_t n)
{
  atomic_store_explicit(c, atomic_load_explicit(c, memory_order_relaxed) + n,
                        memory_order_relaxed);
}
#define SRV_COUNT(m, counter) srv_count(&(m)->counter, 1)
#define SRV_COUNT_ADD(m, counter, n) srv_count(&(m)->counter, (uint64_t)(n))

/* Counts one request answered with `code` (0: nothing was answered). */
static inline void srv_metrics_request(srv_metrics *m, srv_metric_route route,
                                       int code)
{
  unsigned cls = code >= 100 && code <= 999 ? (unsigned)code / 100u : 0;
  srv_count(&m->requests[route][cls], 1);
}

/* The route label of a path that is not /{code}... (metrics.c). */
srv_metric_route srv_metrics_route_named(srv_span path);
/* The route label of a request path ("/404", "/api/codes"...); /{code},
 * the common case, is told apart here. */
static inline srv_metric_route srv_metrics_route(srv_span path)
{
  if (path.len > 1 && path.s[0] == '/' && path.s[1] >= '0' && path.s[1] <= '9')
    return SRV_MR_CODE;
  return srv_metrics_route_named(path);
}
/* Counts a refusal answered with `code` (its reason follows from it). */
void srv_metrics_refused(srv_metrics *m, int code);

/* Forgets every registered worker and notes the start time (start-up,
 * before any worker starts: srv_core_init). */
void srv_metrics_init(void);
/* Adds a worker's counters to what /metrics sums. Called by the thread that
 * starts the workers, before the worker's own thread runs. */
void srv_metrics_register(srv_metrics *m);

#define SRV_METRICS_TYPE "text/plain; version=0.0.4; charset=utf-8"
/* Appends the /metrics page: every registered worker's counters summed. */
void srv_metrics_page(srv_buf *body);

#endif
