/* SPDX-License-Identifier: MIT */
/*
 * net/conn.c - one connection: a transport (net/transport.h: TCP, TLS) read
 * and written when a libuv poll handle says the socket is ready for what
 * the transport waits for, reads fed to the connection's protocol layer
 * (srv_conn_proto: HTTP/1), the answers of one read sent with one write,
 * staged answers run on the connection's timer, deadlines acted on, and a
 * lingering close.
 *
 * Buffers: reads land in the worker's buffer (w->rbuf) and answers are built
 * in the worker's w->out, so an idle connection owns no buffer. c->in holds
 * unparsed input only while parsing waits (staged response, output not yet
 * written); c->pending holds output only while the socket does not take it.
 * Reading stops in both cases, which is the backpressure.
 *
 * A transport with a handshake (TLS) runs it first, bounded by
 * --header-timeout; the protocol is then the one ALPN chose.
 */
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/codes.h"
#include "net/net.h"
#include "net/tls.h"

#define LINGER_MS 2000u   /* discarding input after our last answer */
#define KEEP_PENDING (16u * 1024u) /* larger write buffers are freed */

static void conn_next(srv_conn *c);

static void conn_release(srv_conn *c)
{
  if (--c->open_handles != 0)
    return;
  srv_worker *w = c->w;
  c->proto->release(c, false);
  srv_conn_unadmit(c);
  w->unsent -= c->pending.len;
  srv_buf_free(&c->in);
  srv_buf_free(&c->pending);
  free(c);
  w->conn_count--;
  SRV_COUNT(&w->core.metrics, conns_closed);
  if (w->stopping && w->conn_count == 0)
    srv_worker_stop(w);
}

static void on_poll_close(uv_handle_t *h)
{
  srv_conn *c = h->data;
  c->tr.ops->close(&c->tr);
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
  srv_conn_unqueue(c);
  c->closing = true;
  c->timeout = SRV_T_NONE;
  /* A connection closed before it ever waited owns no handle but the
   * timer: srv_conn_accept frees it (callers still read c). */
  c->open_handles = (uint8_t)(c->polled + (c->delay != NULL));
  if (c->delay)
    uv_close((uv_handle_t *)c->delay, on_delay_close);
  if (c->polled)
    uv_close((uv_handle_t *)&c->poll, on_poll_close);
  else
    c->tr.ops->close(&c->tr);
}

static void on_poll(uv_poll_t *h, int status, int events);

/* Makes the poll wait for what the connection waits for: reading waits for
 * a readable socket and writing for a writable one, unless the transport
 * said otherwise (TLS). Changing the events costs epoll_ctl calls, so it
 * is done only on a change. */
static void update_poll(srv_conn *c)
{
  int events = (c->reading ? c->recv_wants_write ? UV_WRITABLE : UV_READABLE
                           : 0) |
               (c->writing ? c->send_wants_read ? UV_READABLE : UV_WRITABLE
                           : 0);
  if (c->closing || events == c->events)
    return;
  if (!c->polled) {
    if (uv_poll_init_socket(&c->w->loop, &c->poll, c->tr.fd) != 0) {
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
  c->w->unsent -= c->pending.len;
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

/* Writes what the transport takes now; returns the count (0 when it takes
 * nothing, and then what it waits for is noted) or -1 when the connection
 * failed. */
static ssize_t try_send(srv_conn *c, const char *data, size_t len)
{
  size_t n = 0;
  switch (c->tr.ops->send(&c->tr, data, len, &n)) {
  case SRV_IO_OK:
    c->send_wants_read = false;
    SRV_COUNT_ADD(&c->w->core.metrics, bytes_sent, n);
    return (ssize_t)n;
  case SRV_IO_WANT_READ:
    c->send_wants_read = true;
    return 0;
  case SRV_IO_WANT_WRITE:
    c->send_wants_read = false;
    return 0;
  case SRV_IO_EOF:
  case SRV_IO_NOT_TLS:
  case SRV_IO_ERROR:
    break;
  }
  return -1;
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
  w->built += w->out.len;
  ssize_t n = c->writing ? -1 : try_send(c, w->out.data, w->out.len);
  if (n < 0) {
    w->out.len = 0;
    conn_close(c);
    return false;
  }
  size_t off = (size_t)n;
  if (off < w->out.len) {
    srv_buf_append(&c->pending, w->out.data + off, w->out.len - off);
    w->unsent += w->out.len - off;
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
  if (c->tr.ops->shutdown(&c->tr) != SRV_IO_OK) {
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
  /* From now, not from the loop's cached time (core/staged.c also waits
   * out what a millisecond timer cuts short). */
  uv_update_time(&c->w->loop);
  return uv_timer_start(c->delay, on_delay, ms, 0) == 0;
}

/* Feeds the input kept in c->in until it is used up or parsing waits. */
static void feed_kept(srv_conn *c)
{
  size_t used = 0;
  c->action = c->proto->feed(c, c->in.data, c->in.len, &used);
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
    setsockopt(c->tr.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    c->nodelay = true;
  }
}

/* A protocol that runs timers while it reads (HTTP/2) asked for a step at
 * c->wake_at: the connection's timer calls it then (on_delay). */
static void arm_wake(srv_conn *c)
{
  uint64_t now = c->w->now;
  if (c->closing || c->wake_at == 0 || c->action != SRV_ACT_CONTINUE)
    return;
  if (!start_delay(c, c->wake_at > now ? c->wake_at - now : 0))
    conn_close(c);
}

/* Decides what the connection does next once nothing is being written:
 * run a staged step, close, parse kept input, or read. */
static void conn_next_now(srv_conn *c)
{
  while (!c->closing && !c->writing) {
    switch (c->action) {
    case SRV_ACT_CLOSE:
      /* A client that asked to close sends nothing more (RFC 9112, Section
       * 9.6): with its input all read, close() sends a FIN at once. When
       * the server ends the connection, or input is left, linger. */
      if (c->reset) {
        struct linger now = {1, 0}; /* close() then sends RST */
        setsockopt(c->tr.fd, SOL_SOCKET, SO_LINGER, &now, sizeof now);
        conn_close(c);
      } else if (c->peer_eof || (!c->linger && c->in.len == 0))
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
      int64_t delay = c->proto->step(c);
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
      if (c->step_due) { /* a timer or more output, while reading goes on */
        c->step_due = false;
        c->proto->step(c);
        if (!conn_flush(c))
          return;
        break;
      }
      if (c->in.len > 0 && !c->has_turn) {
        /* One batch of answers per turn: the next waits in the worker's
         * queue (net/turn.c), so a client pipelining what it never reads
         * cannot hold the loop. The queue, not a deadline, ends the wait. */
        read_stop(c);
        c->timeout = SRV_T_NONE;
        srv_conn_enqueue(c);
        return;
      }
      if (c->in.len > 0) {
        c->has_turn = false;
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

static void conn_next(srv_conn *c)
{
  conn_next_now(c);
  arm_wake(c);
}

/* Closed with no handle yet (never waited in epoll), a connection is freed
 * here, as srv_conn_accept does. */
void srv_conn_resume(srv_conn *c)
{
  c->has_turn = true;
  conn_next(c);
  c->has_turn = false;
  if (c->closing && c->open_handles == 0) {
    c->open_handles = 1;
    conn_release(c);
  }
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
  SRV_COUNT_ADD(&w->core.metrics, bytes_received, nread);
  if (c->timeout == SRV_T_LINGER)
    return;
  w->now = uv_now(&w->loop);
  if ((size_t)nread == SRV_READ_BUFFER)
    c->linger = true; /* more may be queued behind what was read */
  size_t used = 0;
  c->action = c->proto->feed(c, buf, (size_t)nread, &used);
  keep_input(c, buf + used, (size_t)nread - used);
  if (c->action == SRV_ACT_STAGED)
    c->step_due = true;
  if (!conn_flush(c))
    return;
  conn_next(c);
}

/* Notes what the transport's recv or handshake waits for. */
static void recv_waits(srv_conn *c, srv_io io)
{
  bool want_write = io == SRV_IO_WANT_WRITE;
  if (want_write != c->recv_wants_write) {
    c->recv_wants_write = want_write;
    update_poll(c);
  }
}

/* The protocol ALPN chose for a TLS connection; HTTP/1.1 when it chose
 * none. */
static const srv_conn_proto *proto_for_alpn(const char *alpn)
{
  if (alpn != NULL && strcmp(alpn, "h2") == 0)
    return &srv_http2_proto;
  return &srv_http1_proto;
}

/* The handshake is complete: the connection waits for a request as a
 * plain one does, in the protocol ALPN chose. */
static void handshake_done(srv_conn *c)
{
  const srv_conn_proto *p = proto_for_alpn(c->tr.ops->alpn(&c->tr));
  c->handshaking = false;
  /* The session tickets just written are unacknowledged: without this,
   * Nagle would hold the first answer until the client's delayed ACK. */
  set_nodelay(c);
  if (p != c->proto) {
    c->proto->release(c, false);
    c->proto = p;
    c->proto->start(c);
  }
  c->timeout = SRV_T_IDLE;
  c->deadline = c->w->now + c->w->cfg->idle_timeout_ms;
}

/* Plain HTTP on the TLS port: answered in clear text, as nginx does, then
 * closed. */
static void refuse_plain(srv_conn *c)
{
  srv_tls_to_tcp(&c->tr);
  c->handshaking = false;
  c->proto->refuse(c, HTTPSTATUS_CODE_BAD_REQUEST,
                   "plain HTTP sent to the HTTPS port");
  if (conn_flush(c))
    conn_next(c);
}

/* Runs the transport's handshake as far as the socket allows; SRV_IO_OK
 * once it is complete (then read at once: the client's first records may
 * have come with its last handshake message). */
static srv_io handshake(srv_conn *c)
{
  c->w->now = uv_now(&c->w->loop);
  srv_io io = c->tr.ops->handshake(&c->tr);
  switch (io) {
  case SRV_IO_OK:
    recv_waits(c, io);
    handshake_done(c);
    break;
  case SRV_IO_WANT_READ:
  case SRV_IO_WANT_WRITE:
    recv_waits(c, io);
    break;
  case SRV_IO_NOT_TLS:
    refuse_plain(c);
    break;
  case SRV_IO_EOF:
  case SRV_IO_ERROR:
    conn_close(c);
    break;
  }
  return io;
}

/* Reads once (again while the transport holds received bytes the socket
 * will not signal: TLS records); returns false when there was nothing to
 * read, the transport then waiting for what it said. */
static bool read_once(srv_conn *c)
{
  bool any = false;
  if (c->handshaking) {
    srv_io io = handshake(c);
    if (io != SRV_IO_OK)
      return io != SRV_IO_WANT_READ && io != SRV_IO_WANT_WRITE;
  }
  do {
    size_t n = 0;
    srv_io io = c->tr.ops->recv(&c->tr, c->w->rbuf, SRV_READ_BUFFER, &n);
    if (io == SRV_IO_WANT_READ || io == SRV_IO_WANT_WRITE) {
      recv_waits(c, io);
      return any;
    }
    c->recv_wants_write = false;
    any = true;
    on_read(c, io == SRV_IO_OK ? (ssize_t)n : io == SRV_IO_EOF ? 0 : -1,
            c->w->rbuf);
  } while (c->tr.ops->pending != NULL && !c->closing && c->reading &&
           c->tr.ops->pending(&c->tr) > 0);
  return any;
}

static void on_poll(uv_poll_t *h, int status, int events)
{
  srv_conn *c = h->data;
  if (status < 0) {
    conn_close(c);
    return;
  }
  if (c->writing &&
      (events & (c->send_wants_read ? UV_READABLE : UV_WRITABLE))) {
    size_t left = c->pending.len - c->pending_off;
    ssize_t n = left ? try_send(c, c->pending.data + c->pending_off, left) : 0;
    if (n < 0) {
      conn_close(c);
      return;
    }
    c->pending_off += (size_t)n;
    if ((size_t)n == left)
      on_sent(c);
    return;
  }
  if (c->reading &&
      (events & (c->recv_wants_write ? UV_WRITABLE : UV_READABLE)))
    read_once(c);
}

/* A client sends its request right after the handshake, so it is often
 * there when the connection is accepted: read it at once, and make the
 * socket wait in epoll only when it has to. A request that asks to close
 * is then answered and closed without any epoll_ctl call. */
void srv_conn_accept(srv_worker *w, int fd, bool tls)
{
  srv_conn *c = calloc(1, sizeof *c);
  if (c == NULL || (tls && !srv_tls_open(&c->tr, fd, w->cfg->tls))) {
    free(c);
    close(fd);
    return;
  }
  if (!tls)
    srv_tcp_open(&c->tr, fd);
  c->handshaking = c->tr.ops->handshake != NULL;
  c->w = w;
  c->proto = &srv_http1_proto;
  w->conn_count++;
  SRV_COUNT(&w->core.metrics, conns_opened);
  c->proto->start(c);
  c->next = w->conns;
  if (w->conns)
    w->conns->prev = c;
  w->conns = c;
  w->now = uv_now(&w->loop);
  if (!srv_conn_admit(c)) {
    conn_close(c); /* over --max-conns-per-addr: closed unanswered */
  } else if (c->handshaking && w->conn_count > w->max_conns) {
    conn_close(c); /* a 503 would first cost a handshake */
  } else if (c->handshaking) {
    c->timeout = SRV_T_IDLE; /* closed quietly: no answer can be read */
    c->deadline = w->now + w->cfg->header_timeout_ms;
    c->reading = true;
    if (!read_once(c))
      update_poll(c);
  } else if (w->conn_count > w->max_conns) {
    c->proto->refuse(c, HTTPSTATUS_CODE_SERVICE_UNAVAILABLE,
                     "too many open connections");
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

void srv_conn_arm(srv_conn *c, srv_timeout t, uint64_t ms)
{
  c->timeout = t;
  c->deadline = c->w->now + ms;
}

void srv_conn_expire(srv_conn *c)
{
  switch (c->timeout) {
  case SRV_T_REQUEST:
    if (!c->writing && c->action == SRV_ACT_CONTINUE) {
      read_stop(c);
      c->proto->timeout(c);
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
