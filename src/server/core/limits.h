/* SPDX-License-Identifier: MIT */
/*
 * core/limits.h - abuse limits for a public instance: per client address
 * (IPv6 by /64) a token-bucket request rate, open connections and
 * sleeping requests; over all workers the sleeping requests and the sum
 * of their sleeps; the client address a trusted proxy names (Forwarded,
 * X-Forwarded-For). Off (srv_limits_new returns NULL) unless an option or
 * --public turns one on.
 *
 * One table serves every worker: SO_REUSEPORT spreads one address's
 * connections over all of them, so per-worker tables would each see a
 * part. It is fixed in size (sets of SRV_LIMIT_WAYS entries; a full set
 * evicts its least recently seen idle entry), and each set has its own
 * spin flag held for a few dozen instructions: no global lock on the
 * request path, and two workers wait for each other only on one set.
 */
#ifndef SRV_CORE_LIMITS_H
#define SRV_CORE_LIMITS_H

#include "core/exchange.h"
#include "util/addr.h"

typedef struct srv_limits srv_limits;

/* A sleeping request counted against the limits until it ends. */
typedef struct srv_limit_hold {
  srv_addr key;              /* the client's key (srv_addr_key) */
  uint64_t sleep_ms;         /* its sleeps, counted in the global sum */
  bool held;
} srv_limit_hold;

/* The shared table for cfg's limits, or NULL when every limit is off.
 * Aborts when memory is exhausted. */
srv_limits *srv_limits_new(const srv_config *cfg);
void srv_limits_free(srv_limits *l);

/* True when the peer is in one of --trust-proxy's ranges. */
bool srv_limits_trusted(const srv_config *cfg, const srv_addr *peer);
/* The client of exchange `x`: its peer, or for a peer in --trust-proxy's
 * ranges (x->peer_trusted) the rightmost hop of Forwarded (else
 * X-Forwarded-For) that is not itself a trusted proxy; hops left of it
 * could be forged by that client, and an unknown or obfuscated hop counts
 * as the proxy itself. False for a malformed field. */
bool srv_limits_client(const srv_config *cfg, const srv_exchange *x,
                       srv_addr *client);
/* Counts a new connection from `peer`; false when its address is over
 * --max-conns-per-addr (the caller closes it unanswered, uncounted). */
bool srv_limits_conn_open(srv_limits *l, const srv_addr *peer);
void srv_limits_conn_close(srv_limits *l, const srv_addr *peer);

/* srv_plan_build under the limits: a 429 (Retry-After, RateLimit,
 * RateLimit-Policy) when the client is over its rate or its sleeping
 * requests, a 503 when the server's sleeping requests are, a 400 for a
 * malformed Forwarded / X-Forwarded-For from a trusted proxy. A plan that
 * sleeps is counted in *hold until srv_limit_release. */
void srv_limit_plan(srv_core *core, const srv_exchange *x, srv_plan *p,
                    srv_limit_hold *hold);
/* Ends a sleeping request's count (nothing when it holds none). */
void srv_limit_release(srv_core *core, srv_limit_hold *hold);

#endif
