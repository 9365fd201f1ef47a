/*
 * conn.c - one TCP connection: a libuv handle, reads fed to proto.c, the
 * answers of one read sent with one write, staged responses run on the
 * connection's timer, deadlines acted on, and a lingering close.
 *
 * Buffers: reads land in the worker's buffer (w->rbuf) and answers are built
 * in the worker's w->out, so an idle connection owns no buffer. c->in holds
 * unparsed input only while parsing waits (staged response, output not yet
 * written); c->pending holds output only while the socket does not take it.
 * Reading stops in both cases, which is the backpressure.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "srv.h"

#define LINGER_MS 2000u   /* discarding input after our last answer */
#define KEEP_PENDING (16u * 1024u) /* larger write buffers are freed */

static void conn_next(srv_conn *c);

static void conn_release(srv_conn *c)
{
  if (--c->open_handles != 0)
    return;
  srv_worker *w = c->w;
  srv_proto_free(c);
  free(c);
  w->conn_count--;
  if (w->stopping && w->conn_count == 0)
    srv_worker_stop(w);
}

static void on_tcp_close(uv_handle_t *h)
{
  conn_release(h->data);
}

static void on_delay_close(uv_handle_t *h)
{
  srv_conn *c = h->data;
  free(h);
  conn_release(c);
}

static void conn_close(srv_conn *c)
{
  if (c->closing)
    return;
  srv_worker *w = c->w;
  if (c->prev)
    c->prev->next = c->next;
  else
    w->conns = c->next;
  if (c->next)
    c->next->prev = c->prev;
  c->prev = c->next = NULL;
  c->closing = true;
  c->timeout = SRV_T_NONE;
  c->open_handles = c->delay ? 2 : 1;
  if (c->delay)
    uv_close((uv_handle_t *)c->delay, on_delay_close);
  uv_close((uv_handle_t *)&c->tcp, on_tcp_close);
}

static void on_alloc(uv_handle_t *h, size_t hint, uv_buf_t *buf)
{
  srv_conn *c = h->data;
  (void)hint;
  *buf = uv_buf_init(c->w->rbuf, SRV_READ_BUFFER);
}

static void on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf);

static void read_start(srv_conn *c)
{
  if (!c->reading && uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read) == 0)
    c->reading = true;
}

static void read_stop(srv_conn *c)
{
  if (c->reading) {
    uv_read_stop((uv_stream_t *)&c->tcp);
    c->reading = false;
  }
}

static void on_write(uv_write_t *req, int status)
{
  srv_conn *c = req->data;
  free(req);
  c->write_req = NULL;
  c->writing = false;
  if (c->closing)
    return;
  if (status < 0) {
    conn_close(c);
    return;
  }
  c->pending.len = 0;
  if (c->pending.cap > KEEP_PENDING)
    srv_buf_free(&c->pending);
  srv_worker *w = c->w;
  w->now = uv_now(&w->loop);
  if (c->action == SRV_ACT_STAGED) {
    c->timeout = SRV_T_NONE; /* the staged response's timer drives it */
  } else {
    c->timeout = c->in_request ? SRV_T_REQUEST : SRV_T_IDLE;
    c->deadline = w->now + (c->in_request ? w->cfg->header_timeout_ms
                                          : w->cfg->idle_timeout_ms);
  }
  conn_next(c);
}

/* Writes what the socket takes now; returns the count (0 when it takes
 * nothing) or -1 when the connection failed. send() rather than libuv's
 * write(): a socket call skips the file layer (about 0.1 us a request). */
static ssize_t try_send(srv_conn *c, const char *data, size_t len)
{
  uv_os_fd_t fd;
  if (uv_fileno((uv_handle_t *)&c->tcp, &fd) != 0)
    return -1;
  for (;;) {
    ssize_t n = send(fd, data, len, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n >= 0)
      return n;
    if (errno == EAGAIN || errno == EWOULDBLOCK)
      return 0;
    if (errno != EINTR)
      return -1;
  }
}

/* Sends w->out: as much as the socket takes now, the rest by uv_write from
 * c->pending. Called only when no write is in flight: reading stops while
 * one is, and staged steps wait for it (step_due), so c->pending is never
 * moved under libuv's feet. Returns false when the connection failed and
 * was closed. */
static bool conn_flush(srv_conn *c)
{
  srv_worker *w = c->w;
  if (w->out.len == 0)
    return true;
  ssize_t n = c->writing ? -1 : try_send(c, w->out.data, w->out.len);
  if (n < 0) {
    w->out.len = 0;
    conn_close(c);
    return false;
  }
  size_t off = (size_t)n;
  if (off < w->out.len) {
    srv_buf_append(&c->pending, w->out.data + off, w->out.len - off);
    uv_buf_t b = uv_buf_init(c->pending.data, (unsigned)c->pending.len);
    c->write_req = malloc(sizeof *c->write_req);
    if (c->write_req != NULL)
      c->write_req->data = c;
    if (c->write_req == NULL ||
        uv_write(c->write_req, (uv_stream_t *)&c->tcp, &b, 1, on_write) != 0) {
      free(c->write_req);
      c->write_req = NULL;
      w->out.len = 0;
      conn_close(c);
      return false;
    }
    c->writing = true;
    c->send_left = c->pending.len;
    c->timeout = SRV_T_SEND;
    c->deadline = w->now + w->cfg->send_timeout_ms;
  }
  w->out.len = 0;
  if (w->out.cap > 4 * SRV_OUT_HIGH)
    srv_buf_free(&w->out);
  return true;
}

/* Our last answer is in the kernel (nothing is being written): send FIN,
 * then read and discard what the client still sends until it closes or
 * LINGER_MS pass, so that unread input does not make the kernel reset the
 * connection before the client read the answer. */
static void conn_linger(srv_conn *c)
{
  uv_os_fd_t fd;
  if (c->timeout == SRV_T_LINGER || c->closing)
    return;
  if (c->delay)
    uv_timer_stop(c->delay);
  if (uv_fileno((uv_handle_t *)&c->tcp, &fd) != 0 || shutdown(fd, SHUT_WR) != 0) {
    conn_close(c);
    return;
  }
  c->timeout = SRV_T_LINGER;
  c->deadline = c->w->now + LINGER_MS;
  srv_buf_free(&c->in);
  read_start(c);
}

static void on_delay(uv_timer_t *t)
{
  srv_conn *c = t->data;
  c->w->now = uv_now(&c->w->loop);
  c->step_due = true;
  if (!c->writing)
    conn_next(c);
}

static bool start_delay(srv_conn *c, uint64_t ms)
{
  if (c->delay == NULL) {
    c->delay = malloc(sizeof *c->delay);
    if (c->delay == NULL)
      return false;
    uv_timer_init(&c->w->loop, c->delay);
    c->delay->data = c;
  }
  return uv_timer_start(c->delay, on_delay, ms, 0) == 0;
}

/* Feeds the input kept in c->in until it is used up or parsing waits. */
static void feed_kept(srv_conn *c)
{
  size_t used = 0;
  c->action = srv_proto_feed(c, c->in.data, c->in.len, &used);
  memmove(c->in.data, c->in.data + used, c->in.len - used);
  c->in.len -= used;
  if (c->in.len == 0)
    srv_buf_free(&c->in);
}

/* A connection that writes again after its first answer (keep-alive,
 * staged steps, 100 Continue) must not wait for the client's delayed ACK
 * (Nagle); one that closes after its first answer never needs the call. */
static void set_nodelay(srv_conn *c)
{
  if (!c->nodelay) {
    uv_tcp_nodelay(&c->tcp, 1);
    c->nodelay = true;
  }
}

/* Decides what the connection does next once nothing is being written:
 * run a staged step, close, parse kept input, or read. */
static void conn_next(srv_conn *c)
{
  while (!c->closing && !c->writing) {
    switch (c->action) {
    case SRV_ACT_CLOSE:
      /* A client that asked to close sends nothing more (RFC 9112, Section
       * 9.6): with its input all read, close() sends a FIN at once. When
       * the server ends the connection, or input is left, linger. */
      if (c->peer_eof || (!c->linger && c->in.len == 0))
        conn_close(c);
      else
        conn_linger(c);
      return;
    case SRV_ACT_STAGED: {
      set_nodelay(c);
      read_stop(c);
      if (!c->step_due)
        return;
      c->step_due = false;
      int64_t delay = srv_proto_step(c);
      if (!conn_flush(c))
        return;
      if (delay >= 0) {
        if (!start_delay(c, (uint64_t)delay))
          conn_close(c);
        return;
      }
      break;
    }
    case SRV_ACT_CONTINUE:
      if (c->in.len > 0) {
        feed_kept(c);
        if (c->action == SRV_ACT_STAGED)
          c->step_due = true;
        if (!conn_flush(c))
          return;
        break;
      }
      if (c->peer_eof || (c->w->stopping && !c->in_request)) {
        conn_close(c);
        return;
      }
      set_nodelay(c);
      read_start(c);
      return;
    }
  }
  if (c->writing)
    read_stop(c);
}

static void keep_input(srv_conn *c, const char *data, size_t len)
{
  if (len > 0)
    srv_buf_append(&c->in, data, len);
}

static void on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
  srv_conn *c = s->data;
  srv_worker *w = c->w;
  if (nread == 0)
    return;
  if (nread < 0) {
    /* EOF or error: no more requests come, but those already read are
     * still answered. */
    read_stop(c);
    c->peer_eof = true;
    if (c->timeout == SRV_T_LINGER ||
        (!c->writing && c->action == SRV_ACT_CONTINUE && c->in.len == 0))
      conn_close(c);
    return;
  }
  if (c->timeout == SRV_T_LINGER)
    return;
  w->now = uv_now(&w->loop);
  if ((size_t)nread == SRV_READ_BUFFER)
    c->linger = true; /* more may be queued behind what was read */
  size_t used = 0;
  c->action = srv_proto_feed(c, buf->base, (size_t)nread, &used);
  keep_input(c, buf->base + used, (size_t)nread - used);
  if (c->action == SRV_ACT_STAGED)
    c->step_due = true;
  if (!conn_flush(c))
    return;
  conn_next(c);
}

void srv_conn_accept(srv_worker *w)
{
  srv_conn *c = calloc(1, sizeof *c);
  if (c == NULL)
    return;
  uv_tcp_init(&w->loop, &c->tcp);
  c->tcp.data = c;
  c->w = w;
  w->conn_count++;
  if (uv_accept((uv_stream_t *)&w->listener, (uv_stream_t *)&c->tcp) != 0) {
    c->open_handles = 1;
    c->closing = true;
    uv_close((uv_handle_t *)&c->tcp, on_tcp_close);
    return;
  }
  srv_proto_init(c, w);
  c->next = w->conns;
  if (w->conns)
    w->conns->prev = c;
  w->conns = c;
  w->now = uv_now(&w->loop);
  if (w->conn_count > w->max_conns) {
    srv_respond_error(w, &w->out, 503, "too many open connections");
    c->action = SRV_ACT_CLOSE;
    c->linger = true;
    if (conn_flush(c))
      conn_next(c);
    return;
  }
  c->timeout = SRV_T_IDLE;
  c->deadline = w->now + w->cfg->idle_timeout_ms;
  read_start(c);
}

void srv_conn_expire(srv_conn *c)
{
  switch (c->timeout) {
  case SRV_T_REQUEST:
    if (!c->writing && c->action == SRV_ACT_CONTINUE) {
      read_stop(c);
      srv_proto_timeout(c);
      if (conn_flush(c))
        conn_next(c);
      return;
    }
    conn_close(c);
    return;
  case SRV_T_SEND: {
    /* A client that reads slowly is not one that reads nothing. */
    size_t left = uv_stream_get_write_queue_size((uv_stream_t *)&c->tcp);
    if (left < c->send_left) {
      c->send_left = left;
      c->deadline = c->w->now + c->w->cfg->send_timeout_ms;
      return;
    }
    conn_close(c);
    return;
  }
  case SRV_T_IDLE:
  case SRV_T_LINGER:
    conn_close(c);
    return;
  case SRV_T_NONE:
    return;
  }
}

void srv_conn_drain(srv_conn *c)
{
  srv_worker *w = c->w;
  bool idle = !c->in_request && !c->writing &&
              c->action == SRV_ACT_CONTINUE && c->in.len == 0;
  if (idle || w->now >= w->drain_deadline)
    conn_close(c);
}
