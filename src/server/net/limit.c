/* SPDX-License-Identifier: MIT */
/*
 * net/limit.c - limits at the connection level: the per-address cap on
 * open connections (counted in core/limits.c's shared table), and each
 * worker's budget for output its clients have not read (--max-unsent).
 *
 * The budget: a read may build answers up to its connection's share (the
 * budget over the worker's connections, at most SRV_OUT_HIGH) before
 * parsing pauses for them to be sent; what the socket does not take waits
 * in c->pending and the connection is not read until it is gone. Once
 * the worker's pending bytes pass the budget every connection builds one
 * answer per turn, so a client that never reads holds at most its share
 * plus one answer, and a new client's first answer is built at once.
 */
#include <sys/socket.h>

#include "core/limits.h"
#include "net/net.h"

#define ACCEPT_BATCH 64

bool srv_conn_admit(srv_conn *c)
{
  srv_limits *l = c->w->core.limits;
  if (l == NULL)
    return true;
  struct sockaddr_storage ss;
  socklen_t len = sizeof ss;
  if (getpeername(c->tr.fd, (struct sockaddr *)&ss, &len) != 0 ||
      !srv_addr_from_sockaddr((struct sockaddr *)&ss, &c->peer))
    return true; /* not an IP socket: nothing to count it under */
  if (!srv_limits_conn_open(l, &c->peer))
    return false;
  /* Asked once here rather than at every request (core/limits.c). */
  c->peer_key = srv_addr_key(&c->peer);
  c->peer_trusted = srv_limits_trusted(c->w->cfg, &c->peer);
  c->addr_counted = c->w->cfg->conns_per_addr != 0 && !c->peer_trusted;
  return true;
}

void srv_conn_unadmit(srv_conn *c)
{
  if (c->addr_counted)
    srv_limits_conn_close(c->w->core.limits, &c->peer);
  c->addr_counted = false;
}

size_t srv_conn_out_limit(const srv_conn *c)
{
  const srv_worker *w = c->w;
  uint64_t budget = w->cfg->max_unsent;
  if (budget == 0)
    return SRV_OUT_HIGH;
  if (w->unsent >= budget)
    return 0;
  uint64_t share = budget / (w->conn_count ? w->conn_count : 1);
  return share < SRV_OUT_HIGH ? (size_t)share : SRV_OUT_HIGH;
}

unsigned srv_worker_accept_batch(const srv_worker *w)
{
  return w->waiting > 0 || w->unsent > 0 ? ACCEPT_BATCH : 1;
}
