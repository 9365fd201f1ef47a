/* SPDX-License-Identifier: MIT */
/*
 * net/net.h - workers (one thread, one loop, one listening socket) and
 * connections (a transport under a protocol layer). A connection reads
 * into the worker's buffer, hands the bytes to its protocol (struct
 * srv_conn_proto: HTTP/1 today, HTTP/2 next), and sends what the protocol
 * appended to the worker's output in one write.
 */
#ifndef SRV_NET_H
#define SRV_NET_H

#include <uv.h>

#include "core/exchange.h"
#include "http1/http1.h"
#include "http2/http2.h"
#include "net/transport.h"

typedef struct srv_worker {
  uv_loop_t loop;
  uv_poll_t listener;       /* on listen_fd; one accept4 per readiness */
  uv_async_t stop_async;
  uv_timer_t tick;
  uv_thread_t thread;
  int listen_fd;            /* -1 without a plain listener */
  uv_poll_t tls_listener;   /* on tls_listen_fd, the same way */
  int tls_listen_fd;        /* -1 without a TLS listener (--tls-port) */
  unsigned index;
  const srv_config *cfg;
  srv_core core;            /* the protocol-neutral part's state */
  srv_conn *conns;          /* every open connection, a doubly linked list */
  unsigned conn_count;
  unsigned max_conns;
  bool stopping;
  uint64_t drain_deadline;
  srv_buf out;              /* answers being built; empty between callbacks */
  char *rbuf;               /* every read of this worker lands here */
  uint64_t now;             /* loop time in ms, set before a protocol runs */
  bool on_caller;           /* no thread: the caller of start runs the loop */
  bool accept_paused;       /* out of descriptors: the tick resumes accepting */
  size_t unsent;            /* bytes in its connections' `pending` (net/limit.c) */
  unsigned waiting;         /* connections in the turn queue (net/turn.c) */
  srv_conn *queue_head, *queue_tail;
  uv_idle_t turn;           /* runs the queue, active while it is not empty */
  uint64_t built;           /* bytes of answers built, ever (TURN_OUT) */
} srv_worker;

/* Why a connection's deadline is armed (the worker's tick checks it). */
typedef enum srv_timeout {
  SRV_T_NONE,
  SRV_T_IDLE,     /* waiting for a request: close quietly */
  SRV_T_REQUEST,  /* request started, not complete: 408 and close */
  SRV_T_SEND,     /* our answer is not being read: close */
  SRV_T_LINGER    /* closing, discarding what the client still sends */
} srv_timeout;

/* What a protocol asks the connection to do once the output is flushed. */
typedef enum srv_action {
  SRV_ACT_CONTINUE, /* keep reading */
  SRV_ACT_STAGED,   /* a staged answer runs: call proto->step */
  SRV_ACT_CLOSE     /* close after the output is sent */
} srv_action;

/* A protocol layer as the connection sees it. Each appends its output to
 * c->w->out; the connection sends it. */
typedef struct srv_conn_proto {
  const char *name;
  /* Prepares the protocol state of a new connection. */
  void (*start)(srv_conn *c);
  /* Parses `len` bytes; *used gets how many were consumed (fewer when it
   * returns STAGED or CLOSE, or when w->out passed SRV_OUT_HIGH: flush,
   * then feed the rest). */
  srv_action (*feed)(srv_conn *c, const char *data, size_t len,
                     size_t *used);
  /* Runs the due steps of a staged answer. Returns the delay in ms before
   * the next call, or -1 when it is over (c->action says what next). */
  int64_t (*step)(srv_conn *c);
  /* The request deadline passed: answer 408 (then close). */
  void (*timeout)(srv_conn *c);
  /* Answers `code` with the line `why` before reading anything, then
   * closes (503 when the worker has too many connections). */
  void (*refuse)(srv_conn *c, int code, const char *why);
  /* Frees the protocol's buffers; `idle_only` frees only what an idle
   * keep-alive connection does not need. */
  void (*release)(srv_conn *c, bool idle_only);
} srv_conn_proto;

struct srv_conn {
  srv_transport tr;
  uv_poll_t poll;           /* on tr.fd, once the connection waits for it */
  int events;               /* UV_READABLE | UV_WRITABLE the poll waits for */
  uv_timer_t *delay;        /* staged answers' timer, allocated when needed */
  const srv_conn_proto *proto;
  srv_http1 h1;             /* the HTTP/1 state (proto == &srv_http1_proto) */
  struct srv_http2 *h2;     /* the HTTP/2 state (proto == &srv_http2_proto) */
  /* Loop ms at which a protocol that runs timers while it reads (HTTP/2
   * streams) wants proto->step called, or 0. */
  uint64_t wake_at;
  srv_worker *w;
  srv_conn *prev, *next;
  srv_buf in;               /* input kept while parsing is paused */
  srv_buf pending;          /* output the socket did not take at once */
  uint64_t deadline;        /* loop time in ms; see `timeout` */
  srv_timeout timeout;
  srv_action action;
  bool writing;             /* `pending` waits for the socket to take it */
  bool step_due;            /* a staged step is due (run once not writing) */
  bool closing;             /* uv_close called */
  bool reading;
  bool in_request;          /* a request has begun and is not complete */
  bool peer_eof;            /* the client sent FIN: answer, then close */
  bool linger;              /* the client may still be sending: close slowly */
  bool reset;               /* close with a TCP reset (abort=reset) */
  bool nodelay;             /* TCP_NODELAY is set */
  bool polled;              /* `poll` is initialized */
  bool send_wants_read;     /* the transport's send waits for readability */
  bool recv_wants_write;    /* the transport's recv waits for writability */
  bool handshaking;         /* the transport's handshake is not complete */
  uint8_t open_handles;     /* handles not yet closed; freed at 0 */
  size_t pending_off;       /* bytes of `pending` already sent */
  size_t send_left;         /* bytes of `pending` unsent at the last check */
  srv_addr peer;            /* the peer's address, read when limits are on */
  srv_addr peer_key;        /* srv_addr_key(peer) */
  bool peer_trusted;        /* peer is in a --trust-proxy range */
  bool addr_counted;        /* counted in the per-address connection cap */
  bool queued;              /* kept input waits in the turn queue */
  bool has_turn;            /* the queue runs it: feed what is kept */
  srv_conn *queue_prev, *queue_next;
};

/* Arms the connection's deadline `ms` from now for reason `t`. */
void srv_conn_arm(srv_conn *c, srv_timeout t, uint64_t ms);

int srv_worker_start(srv_worker *w);
void srv_worker_stop(srv_worker *w);
/* Takes the accepted, non-blocking socket fd (closes it on failure); with
 * `tls`, the connection starts with a TLS handshake (cfg->tls). */
void srv_conn_accept(srv_worker *w, int fd, bool tls);
/* Goes on with a connection the turn queue let run: feeds its kept input,
 * and queues it again when input is still left after that batch. */
void srv_conn_resume(srv_conn *c);
/* Acts on an expired deadline (the worker's tick calls it). */
void srv_conn_expire(srv_conn *c);
/* Closes the connection now, or once its in-flight answer is sent. */
void srv_conn_drain(srv_conn *c);

/* net/limit.c */
/* Reads the peer address and counts the connection under the per-address
 * cap (when limits are on); false when it is over: close it unanswered. */
bool srv_conn_admit(srv_conn *c);
/* Ends what srv_conn_admit counted. */
void srv_conn_unadmit(srv_conn *c);
/* How many bytes of answers one read of `c` may build before parsing
 * pauses until they are sent: the connection's share of --max-unsent,
 * 0 (one answer at a time) once the worker's unsent output is over it. */
size_t srv_conn_out_limit(const srv_conn *c);
/* How many connections one readiness of the listener accepts: 1, or a
 * batch while connections wait their turn. */
unsigned srv_worker_accept_batch(const srv_worker *w);

/* net/turn.c */
/* Puts `c` at the back of the turn queue (once: queued, it stays put). */
void srv_conn_enqueue(srv_conn *c);
/* Takes `c` out of the turn queue, if it is in it. */
void srv_conn_unqueue(srv_conn *c);
/* Prepares the worker's queue handle (closed by srv_worker_stop). */
int srv_worker_turn_init(srv_worker *w);

#endif
