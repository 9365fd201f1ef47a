/* SPDX-License-Identifier: MIT */
/*
 * net/worker.c - one thread, one libuv loop, one listening socket per port
 * (plain, TLS). Every worker binds the same addresses with SO_REUSEPORT
 * (serve.c opens the sockets), so the kernel spreads new connections over
 * the workers and no connection ever moves between threads. A tick refreshes the Date field and acts on
 * the connections' deadlines.
 */
#define _GNU_SOURCE /* accept4 */
#include <errno.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/net.h"

#define TICK_MS 250u
/* One accept per readiness, like nginx without multi_accept: a second
 * accept4 would mostly return EAGAIN. Out of descriptors, accepting pauses
 * until the next tick rather than spinning on a listener that stays
 * readable. */
static void on_listener(uv_poll_t *h, int status, int events)
{
  srv_worker *w = h->data;
  bool tls = h == &w->tls_listener;
  (void)events;
  if (status < 0 || w->stopping)
    return;
  /* While connections wait their turn (net/limit.c), a turn of the loop
   * is long: take a batch, so new clients do not queue behind them. */
  unsigned batch = srv_worker_accept_batch(w);
  for (unsigned i = 0; i < batch && !w->stopping; i++) {
    int fd = accept4(tls ? w->tls_listen_fd : w->listen_fd, NULL, NULL,
                     SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd >= 0) {
      srv_conn_accept(w, fd, tls);
      continue;
    }
    if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS ||
        errno == ENOMEM) {
      uv_poll_stop(h);
      w->accept_paused = true;
    }
    break;
  }
}

static void on_listener_close(uv_handle_t *h)
{
  srv_worker *w = h->data;
  close(h == (uv_handle_t *)&w->tls_listener ? w->tls_listen_fd : w->listen_fd);
}

/* The worker's listeners: the plain one, the TLS one, either may be off. */
static uv_poll_t *listener(srv_worker *w, bool tls)
{
  if (tls)
    return w->tls_listen_fd >= 0 ? &w->tls_listener : NULL;
  return w->listen_fd >= 0 ? &w->listener : NULL;
}

static void close_listeners(srv_worker *w)
{
  for (int tls = 0; tls < 2; tls++) {
    uv_poll_t *l = listener(w, tls);
    if (l != NULL && !uv_is_closing((uv_handle_t *)l))
      uv_close((uv_handle_t *)l, on_listener_close);
  }
}

static void on_tick(uv_timer_t *t)
{
  srv_worker *w = t->data;
  uint64_t now = w->now = uv_now(&w->loop);
  uint64_t idle = w->cfg->idle_timeout_ms;
  srv_clock_update(&w->core.clock);
  if (w->accept_paused && !w->stopping) {
    w->accept_paused = false;
    for (int tls = 0; tls < 2; tls++) {
      uv_poll_t *l = listener(w, tls);
      if (l != NULL && uv_poll_start(l, UV_READABLE, on_listener) != 0)
        w->accept_paused = true;
    }
  }
  srv_conn *next;
  for (srv_conn *c = w->conns; c != NULL; c = next) {
    next = c->next;
    if (w->stopping) {
      srv_conn_drain(c);
      if (c->closing)
        continue;
    }
    if (c->timeout != SRV_T_NONE && now >= c->deadline) {
      srv_conn_expire(c);
    } else if (c->timeout == SRV_T_IDLE &&
               c->deadline - idle + TICK_MS <= now) {
      /* Idle for a tick: keep-alive connections hold no buffer. */
      c->proto->release(c, true);
    }
  }
}

static void on_stop(uv_async_t *a)
{
  srv_worker *w = a->data;
  w->stopping = true;
  w->now = uv_now(&w->loop);
  w->drain_deadline = w->now + w->cfg->drain_ms;
  close_listeners(w);
  srv_conn *next;
  for (srv_conn *c = w->conns; c != NULL; c = next) {
    next = c->next;
    srv_conn_drain(c);
  }
  if (w->conn_count == 0)
    srv_worker_stop(w);
}

static void worker_run(void *arg)
{
  srv_worker *w = arg;
  uv_run(&w->loop, UV_RUN_DEFAULT);
}

int srv_worker_start(srv_worker *w)
{
  int rc = uv_loop_init(&w->loop);
  if (rc != 0)
    return rc;
  w->loop.data = w;
  w->rbuf = malloc(SRV_READ_BUFFER);
  if (w->rbuf == NULL)
    return UV_ENOMEM;
  w->core.cfg = w->cfg;
  w->core.now_ms = &w->now;
  srv_metrics_register(&w->core.metrics);
  w->core.rng =
      (uv_hrtime() ^ ((uint64_t)w->index + 1) * 0x9E3779B97F4A7C15ULL) | 1;
  srv_clock_update(&w->core.clock);
  w->now = uv_now(&w->loop);
  for (int tls = 0; tls < 2; tls++) {
    uv_poll_t *l = listener(w, tls);
    if (l == NULL)
      continue;
    if ((rc = uv_poll_init_socket(&w->loop, l, tls ? w->tls_listen_fd
                                                   : w->listen_fd)) != 0)
      return rc;
    l->data = w;
    if ((rc = uv_poll_start(l, UV_READABLE, on_listener)) != 0)
      return rc;
  }
  if ((rc = srv_worker_turn_init(w)) != 0)
    return rc;
  uv_async_init(&w->loop, &w->stop_async, on_stop);
  w->stop_async.data = w;
  uv_timer_init(&w->loop, &w->tick);
  w->tick.data = w;
  uv_timer_start(&w->tick, on_tick, TICK_MS, TICK_MS);
  return w->on_caller ? 0 : uv_thread_create(&w->thread, worker_run, w);
}

/* Closes the worker's own handles once its last connection is gone; the
 * loop then ends and the thread returns. */
void srv_worker_stop(srv_worker *w)
{
  uv_handle_t *handles[] = {(uv_handle_t *)&w->tick,
                            (uv_handle_t *)&w->stop_async,
                            (uv_handle_t *)&w->turn};
  close_listeners(w);
  for (size_t i = 0; i < sizeof handles / sizeof handles[0]; i++)
    if (!uv_is_closing(handles[i]))
      uv_close(handles[i], NULL);
}
