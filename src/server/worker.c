/*
 * worker.c - one thread, one libuv loop, one listening socket. Every worker
 * binds the same address with SO_REUSEPORT (serve.c opens the sockets), so
 * the kernel spreads new connections over the workers and no connection
 * ever moves between threads. A tick refreshes the Date field and acts on
 * the connections' deadlines.
 */
#include <stdlib.h>

#include "srv.h"

#define TICK_MS 250u
#define BACKLOG 4096

static void on_connection(uv_stream_t *server, int status)
{
  srv_worker *w = server->data;
  if (status == 0 && !w->stopping)
    srv_conn_accept(w);
}

static void on_tick(uv_timer_t *t)
{
  srv_worker *w = t->data;
  uint64_t now = w->now = uv_now(&w->loop);
  uint64_t idle = w->cfg->idle_timeout_ms;
  srv_clock_update(&w->clock);
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
    } else if (c->timeout == SRV_T_IDLE && c->scratch.cap != 0 &&
               c->deadline - idle + TICK_MS <= now) {
      /* Idle for a tick: keep-alive connections hold no buffer. */
      srv_buf_free(&c->scratch);
    }
  }
}

static void on_stop(uv_async_t *a)
{
  srv_worker *w = a->data;
  w->stopping = true;
  w->now = uv_now(&w->loop);
  w->drain_deadline = w->now + w->cfg->drain_ms;
  if (!uv_is_closing((uv_handle_t *)&w->listener))
    uv_close((uv_handle_t *)&w->listener, NULL);
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
  w->rng = (uv_hrtime() ^ ((uint64_t)w->index + 1) * 0x9E3779B97F4A7C15ULL) | 1;
  srv_clock_update(&w->clock);
  w->now = uv_now(&w->loop);
  uv_tcp_init(&w->loop, &w->listener);
  w->listener.data = w;
  if ((rc = uv_tcp_open(&w->listener, w->listen_fd)) != 0 ||
      (rc = uv_listen((uv_stream_t *)&w->listener, BACKLOG, on_connection)) != 0)
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
  uv_handle_t *handles[] = {(uv_handle_t *)&w->listener,
                            (uv_handle_t *)&w->tick,
                            (uv_handle_t *)&w->stop_async};
  for (size_t i = 0; i < sizeof handles / sizeof handles[0]; i++)
    if (!uv_is_closing(handles[i]))
      uv_close(handles[i], NULL);
}
