/* SPDX-License-Identifier: MIT */
/*
 * net/turn.c - the worker's queue of connections whose kept input waits
 * for a turn. A connection that built its batch of answers (its share of
 * --max-unsent, net/limit.c) and still holds requests goes to the back of
 * the queue; each turn of the loop runs the queue from the front until
 * TURN_OUT bytes of answers are built, then polls. So a turn stays short
 * however many clients pipeline what they do not read, they take turns in
 * order, and a new client, read as soon as it is accepted, waits at most
 * one short turn.
 */
#include "net/net.h"

#define TURN_OUT (256u * 1024u) /* about 0.2 ms of answers on one core */

static void on_turn(uv_idle_t *h)
{
  srv_worker *w = h->data;
  uint64_t start = w->built;
  /* Those queued again in this turn wait for the next one. */
  unsigned n = w->waiting;
  w->now = uv_now(&w->loop);
  while (n-- > 0 && w->queue_head != NULL && w->built - start < TURN_OUT) {
    srv_conn *c = w->queue_head;
    srv_conn_unqueue(c);
    srv_conn_resume(c);
  }
  if (w->queue_head == NULL)
    uv_idle_stop(h);
}

void srv_conn_enqueue(srv_conn *c)
{
  srv_worker *w = c->w;
  if (c->queued)
    return;
  c->queued = true;
  c->queue_prev = w->queue_tail;
  c->queue_next = NULL;
  if (w->queue_tail != NULL)
    w->queue_tail->queue_next = c;
  else
    w->queue_head = c;
  w->queue_tail = c;
  if (w->waiting++ == 0)
    uv_idle_start(&w->turn, on_turn);
}

void srv_conn_unqueue(srv_conn *c)
{
  srv_worker *w = c->w;
  if (!c->queued)
    return;
  c->queued = false;
  if (c->queue_prev != NULL)
    c->queue_prev->queue_next = c->queue_next;
  else
    w->queue_head = c->queue_next;
  if (c->queue_next != NULL)
    c->queue_next->queue_prev = c->queue_prev;
  else
    w->queue_tail = c->queue_prev;
  c->queue_prev = c->queue_next = NULL;
  w->waiting--;
}

int srv_worker_turn_init(srv_worker *w)
{
  w->turn.data = w;
  return uv_idle_init(&w->loop, &w->turn);
}
