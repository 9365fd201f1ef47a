/*
 * conn.c - one TCP connection: a socket read with recv(2) and written with
 * send(2) when a libuv poll handle says it is ready, reads fed to proto.c,
 * the answers of one read sent with one write, staged responses run on the
 * connection's timer, deadlines acted on, and a lingering close. recv/send
 * rather than libuv's streams: a socket call skips the file layer that
 * read(2)/write(2) go through (about 2% of the CPU time of a request).
 *
 * Buffers: reads land in the worker's buffer (w->rbuf) and answers are built
 * in the worker's w->out, so an idle connection owns no buffer. c->in holds
 * unparsed input only while parsing waits (staged response, output not yet
 * written); c->pending holds output only while the socket does not take it.
 * Reading stops in both cases, which is the backpressure.
 *
 * On the TLS port the same happens through a TLS session (net/tls.c): a
 * handshake first, bounded by --header-timeout, then the session's reads
 * and writes in place of recv and send.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include "srv.h"

#define LINGER_MS 2000u   /* discarding input after our last answer */
#define KEEP_PENDING (16u * 1024u) /* larger write buffers are freed */

static void conn_next(srv_conn *c);
static bool read_once(srv_conn *c);

static void conn_release(srv_conn *c)
{
  if (--c->open_handles != 0)
    return;
  srv_worker *w = c->w;
  srv_proto_free(c);
  srv_tls_conn_free(c->tls);
  free(c);
  w->conn_count--;
  if (w->stopping && w->conn_count == 0)
    srv_worker_stop(w);
}

static void on_poll_close(uv_handle_t *h)
{
  srv_conn *c = h->data;
  close(c->fd);
  conn_release(c);
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
  /* close_notify, if the socket takes it: a client that reads to the end
   * can tell our close from a cut connection. */
  if (c->tls != NULL && !c->handshaking)
    srv_tls_shutdown(c->tls);
  c->timeout = SRV_T_NONE;
  /* A connection closed before it ever waited owns no handle but the
   * timer: srv_conn_accept frees it (callers still read c). */
  c->open_handles = (uint8_t)(c->polled + (c->delay != NULL));
  if (c->delay)
    uv_close((uv_handle_t *)c->delay, on_delay_close);
  if (c->polled)
    uv_close((uv_handle_t *)&c->poll, on_poll_close);
  else
    close(c->fd);
}

static void on_poll(uv_poll_t *h, int status, int events);

/* Makes the poll wait for what the connection waits for. Changing the
 * events costs epoll_ctl calls, so it is done only on a change. */
static void update_poll(srv_conn *c)
{
  int events = (c->reading ? UV_READABLE : 0) |
               (c->writing || c->tls_wants_write ? UV_WRITABLE : 0);
  if (c->closing || events == c->events)
    return;
  if (!c->polled) {
    if (uv_poll_init_socket(&c->w->loop, &c->poll, c->fd) != 0) {
      conn_close(c);
      return;
    }
    c->poll.data = c;
    c->polled = true;
  }
  c->events = events;
  if ((events ? uv_poll_start(&c->poll, events, on_poll)
              : uv_poll_stop(&c->poll)) != 0)
    conn_close(c);
}

static void read_start(srv_conn *c)
{
  c->reading = true;
  update_poll(c);
}

static void read_stop(srv_conn *c)
{
  c->reading = false;
  update_poll(c);
}

/* The socket took all of c->pending. */
static void on_sent(srv_conn *c)
{
  c->writing = false;
  c->pending.len = 0;
  c->pending_off = 0;
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
  update_poll(c); /* no longer waiting to write */
}

/* Writes what the socket takes now; returns the count (0 when it takes
 * nothing) or -1 when the connection failed. */
static ssize_t try_send(srv_conn *c, const char *data, size_t len)
{
  if (c->tls != NULL) {
    size_t put = 0;
    /* A write never waits for input: renegotiation is off. */
    srv_tls_status s = srv_tls_write(c->tls, data, len, &put);
    return s == SRV_TLS_DONE || s == SRV_TLS_WANT_WRITE ? (ssize_t)put : -1;
  }
  for (;;) {
    ssize_t n = send(c->fd, data, len, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n >= 0)
      return n;
    if (errno == EAGAIN || errno == EWOULDBLOCK)
      return 0;
    if (errno != EINTR)
      return -1;
  }
}

/* Sends w->out: as much as the socket takes now, the rest from c->pending
 * when the socket is writable again. Called only when nothing is pending:
 * reading stops while something is, and staged steps wait for it
 * (step_due). Returns false when the connection failed and was closed. */
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
    c->writing = true;
    c->reading = false;
    update_poll(c);
    if (c->closing) {
      w->out.len = 0;
      return false;
    }
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
  if (c->timeout == SRV_T_LINGER || c->closing)
    return;
  if (c->delay)
    uv_timer_stop(c->delay);
  if (c->tls != NULL) {
    /* close_notify if the socket takes it; what follows is discarded
     * unread, so the session is done. */
    if (!c->handshaking)
      srv_tls_shutdown(c->tls);
    srv_tls_conn_free(c->tls);
    c->tls = NULL;
  }
  if (shutdown(c->fd, SHUT_WR) != 0) {
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
  int one = 1;
  if (!c->nodelay) {
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
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
      /* Records the session already took wait for no readiness. */
      if (c->tls != NULL && srv_tls_pending(c->tls))
        read_once(c);
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

/* Acts on what one recv() returned: nread bytes at buf, or <= 0 for the
 * end of the input (or an error). */
static void on_read(srv_conn *c, ssize_t nread, const char *buf)
{
  srv_worker *w = c->w;
  if (nread <= 0) {
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
  c->action = srv_proto_feed(c, buf, (size_t)nread, &used);
  keep_input(c, buf + used, (size_t)nread - used);
  if (c->action == SRV_ACT_STAGED)
    c->step_due = true;
  if (!conn_flush(c))
    return;
  conn_next(c);
}

/* Plain HTTP on the TLS port: answered in clear, as nginx does, then
 * closed. */
static void refuse_plain(srv_conn *c)
{
  srv_tls_conn_free(c->tls);
  c->tls = NULL;
  c->handshaking = false;
  srv_respond_error(c->w, &c->w->out, 400, "plain HTTP sent to the HTTPS port");
  c->action = SRV_ACT_CLOSE;
  c->linger = true; /* the request is still unread */
  if (conn_flush(c))
    conn_next(c);
}

/* Runs the handshake as far as the socket allows. Once it is complete the
 * connection waits for a request as any other does, and reads at once:
 * the client's first records may have come with its last handshake
 * message. */
static void tls_handshake(srv_conn *c)
{
  c->w->now = uv_now(&c->w->loop);
  srv_tls_status s = srv_tls_handshake(c->tls);
  c->tls_wants_write = s == SRV_TLS_WANT_WRITE;
  switch (s) {
  case SRV_TLS_DONE:
    c->handshaking = false;
    c->timeout = SRV_T_IDLE;
    c->deadline = c->w->now + c->w->cfg->idle_timeout_ms;
    update_poll(c);
    if (!c->closing)
      read_once(c);
    return;
  case SRV_TLS_WANT_READ:
  case SRV_TLS_WANT_WRITE:
    update_poll(c);
    return;
  case SRV_TLS_NOT_TLS:
    refuse_plain(c);
    return;
  case SRV_TLS_EOF:
  case SRV_TLS_ERROR:
    conn_close(c);
    return;
  }
}

/* Reads once from the TLS session; as read_once. */
static bool tls_read_once(srv_conn *c)
{
  size_t got = 0;
  srv_tls_status s = srv_tls_read(c->tls, c->w->rbuf, SRV_READ_BUFFER, &got);
  c->tls_wants_write = s == SRV_TLS_WANT_WRITE;
  switch (s) {
  case SRV_TLS_DONE:
    on_read(c, (ssize_t)got, c->w->rbuf);
    return true;
  case SRV_TLS_WANT_READ:
    return false;
  case SRV_TLS_WANT_WRITE: /* a post-handshake message to send first */
    update_poll(c);
    return true;
  case SRV_TLS_NOT_TLS:
  case SRV_TLS_EOF:
  case SRV_TLS_ERROR:
    break;
  }
  on_read(c, 0, c->w->rbuf);
  return true;
}

/* Reads once; returns false when the socket had nothing to read. */
static bool read_once(srv_conn *c)
{
  if (c->handshaking) {
    tls_handshake(c);
    return true;
  }
  if (c->tls != NULL)
    return tls_read_once(c);
  ssize_t n;
  do
    n = recv(c->fd, c->w->rbuf, SRV_READ_BUFFER, MSG_DONTWAIT);
  while (n < 0 && errno == EINTR);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
    return false;
  on_read(c, n, c->w->rbuf);
  return true;
}

static void on_poll(uv_poll_t *h, int status, int events)
{
  srv_conn *c = h->data;
  if (status < 0) {
    conn_close(c);
    return;
  }
  if ((events & UV_WRITABLE) && c->tls_wants_write) {
    /* The session's read or handshake waited to write: run it again. */
    c->tls_wants_write = false;
    update_poll(c);
    if (!c->closing)
      read_once(c);
    return;
  }
  if ((events & UV_WRITABLE) && c->writing) {
    size_t left = c->pending.len - c->pending_off;
    ssize_t n = try_send(c, c->pending.data + c->pending_off, left);
    if (n < 0) {
      conn_close(c);
      return;
    }
    c->pending_off += (size_t)n;
    if ((size_t)n == left)
      on_sent(c);
    return;
  }
  if ((events & UV_READABLE) && c->reading)
    read_once(c);
}

/* A client sends its request right after the handshake, so it is often
 * there when the connection is accepted: read it at once, and make the
 * socket wait in epoll only when it has to. A request that asks to close
 * is then answered and closed without any epoll_ctl call. */
void srv_conn_accept(srv_worker *w, int fd, bool tls)
{
  srv_conn *c = calloc(1, sizeof *c);
  if (c == NULL) {
    close(fd);
    return;
  }
  c->fd = fd;
  c->w = w;
  w->conn_count++;
  srv_proto_init(c, w);
  c->next = w->conns;
  if (w->conns)
    w->conns->prev = c;
  w->conns = c;
  w->now = uv_now(&w->loop);
  if (tls && w->conn_count > w->max_conns) {
    conn_close(c); /* a 503 would first cost a handshake */
  } else if (tls && (c->tls = srv_tls_conn_new(w->cfg->tls, fd)) == NULL) {
    conn_close(c);
  } else if (tls) {
    /* The handshake counts against --header-timeout. */
    c->handshaking = true;
    c->timeout = SRV_T_IDLE;
    c->deadline = w->now + w->cfg->header_timeout_ms;
    c->reading = true;
    if (!read_once(c))
      update_poll(c);
  } else if (w->conn_count > w->max_conns) {
    srv_respond_error(w, &w->out, 503, "too many open connections");
    c->action = SRV_ACT_CLOSE;
    c->linger = true;
    if (conn_flush(c))
      conn_next(c);
  } else {
    c->timeout = SRV_T_IDLE;
    c->deadline = w->now + w->cfg->idle_timeout_ms;
    c->reading = true;
    if (!read_once(c))
      update_poll(c);
  }
  if (c->closing && c->open_handles == 0) {
    c->open_handles = 1;
    conn_release(c);
  }
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
    size_t left = c->pending.len - c->pending_off;
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
