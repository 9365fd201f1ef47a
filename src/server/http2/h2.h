/* SPDX-License-Identifier: MIT */
/*
 * http2/h2.h - what the two files of http2/ share: session.c (the
 * connection: nghttp2's session, its callbacks, the limits, the connection
 * operations) and stream.c (one stream: its request fields become an
 * exchange, its plan becomes frames through srv_plan_ops).
 */
#ifndef SRV_H2_H
#define SRV_H2_H

#include <nghttp2/nghttp2.h>

#include "core/limits.h"
#include "http2/http2.h"

/* Where a stream is in its life. */
typedef enum srv_h2_state {
  SRV_H2_RECEIVING, /* the request is being read */
  SRV_H2_RUNNING,   /* its plan's timeline runs */
  SRV_H2_ANSWERED   /* the timeline ended; nghttp2 may still be sending */
} srv_h2_state;

/* Where a piece of the request lies in the stream's `req` buffer (which
 * may move while it grows; the exchange's spans are set once it is read). */
typedef struct srv_h2_piece {
  uint32_t off, len;
} srv_h2_piece;

typedef struct srv_h2_stream srv_h2_stream;
struct srv_h2_stream {
  srv_h2_stream *prev, *next;  /* the session's streams */
  srv_http2 *h2;
  int32_t id;
  srv_h2_state state;
  bool remote_done;            /* END_STREAM received: the request is whole */
  bool has_length;             /* content-length came */
  bool deferred;               /* the DATA source said DEFERRED */
  bool body_last;              /* the last piece of content is queued */
  bool streaming;              /* the response has a DATA source */
  bool reset_due;              /* RST_STREAM once the queued bytes are sent */
  bool head_sent;              /* the final HEADERS is submitted */
  bool waiting;                /* the timeline waits until `due` */
  bool described;              /* `x` points at the request */
  bool stop_sent;              /* RST_STREAM NO_ERROR: the rest is unwanted */
  uint32_t reset_code;
  uint64_t deadline;           /* loop ms by which the request must be read */
  uint64_t started_ns;         /* for the access log */
  /* The request. */
  srv_buf req;
  srv_h2_piece method, target;
  srv_h2_piece fields[SRV_F_COUNT];
  srv_h2_piece override_name[SRV_MAX_OVERRIDES];
  srv_h2_piece override_value[SRV_MAX_OVERRIDES];
  uint8_t override_count;
  uint32_t header_bytes;       /* RFC 9113, Section 6.5.2: name + value + 32 */
  uint64_t content_length;
  int refuse_code;             /* set while reading: answer this (4xx) */
  const char *refuse_why;
  srv_exchange x;
  /* The answer. */
  srv_plan plan;
  srv_buf plan_store;          /* the plan's bytes when it waits */
  srv_limit_hold hold;         /* its count in the sleep limits (core/limits.h) */
  srv_staged run;
  uint64_t due;                /* loop ms of its next timeline step */
  srv_buf body;                /* content queued for DATA frames */
  size_t body_off;             /* bytes of `body` already framed */
};

struct srv_http2 {
  nghttp2_session *session;
  srv_conn *c;
  srv_h2_stream *streams;
  srv_h2_stream *receiving;    /* whose header block is being read (one at a
                                  time: RFC 9113, Section 6.10) */
  unsigned stream_count;
  srv_h2_stream *spare;        /* ended streams kept for reuse (`next`) */
  unsigned spare_count;
  /* Frames that carry no request (PING, SETTINGS, PRIORITY, empty DATA):
   * a token bucket; a client that empties it is flooding. */
  uint32_t tokens;
  uint64_t refilled_ms;
  bool goaway;                 /* a GOAWAY is queued: no new streams */
  srv_buf nv;                  /* lower-cased field names of one header block */
};

/* The loop time in ms the session runs at (w->now). */
uint64_t srv_h2_now(const srv_http2 *h);
/* The worker's core. */
srv_core *srv_h2_core(const srv_http2 *h);
/* Queues GOAWAY (once) with `last_stream_id` and `code`: no new streams;
 * the connection ends when those before it are done. */
void srv_h2_goaway(srv_http2 *h, int32_t last_stream_id, uint32_t code);
/* Whether the connection is TLS, and its socket (for the exchange). */
bool srv_h2_tls(const srv_http2 *h);
int srv_h2_fd(const srv_http2 *h);

/* stream.c */

/* A new stream (HEADERS opening it); NULL when memory is out. */
srv_h2_stream *srv_h2_stream_new(srv_http2 *h, int32_t id);
/* One request field (pseudo-fields included), as nghttp2 decoded it. */
void srv_h2_stream_field(srv_h2_stream *st, const char *name, size_t nlen,
                         const char *value, size_t vlen);
/* The request's header section is complete: checks what can be checked
 * before its content (Expect, content-length, the limits). */
void srv_h2_stream_headers_done(srv_h2_stream *st, bool end_stream);
/* `len` bytes of request content arrived. */
void srv_h2_stream_content(srv_h2_stream *st, size_t len);
/* Makes stream 1 of an upgraded connection the HTTP/1.1 request `x`
 * (copied) and answers it. */
void srv_h2_stream_adopt(srv_h2_stream *st, const srv_exchange *x);
/* END_STREAM arrived: the request is whole. */
void srv_h2_stream_request_done(srv_h2_stream *st);
/* Runs the timeline steps that are due. */
void srv_h2_stream_step(srv_h2_stream *st);
/* The DATA source of a response (nghttp2_data_source_read_callback). */
ssize_t srv_h2_stream_read(nghttp2_session *session, int32_t id,
                           uint8_t *buf, size_t length, uint32_t *flags,
                           nghttp2_data_source *source, void *user_data);
/* A frame of this stream ended our side of it (END_STREAM sent). */
void srv_h2_stream_sent_end(srv_h2_stream *st);
/* The request deadline passed with the request incomplete: 408, or, when
 * it was answered already, RST_STREAM NO_ERROR. */
void srv_h2_stream_expire(srv_h2_stream *st);
/* nghttp2 closed the stream: its timeline stops, and it goes to the
 * session's spares (or is dropped). */
void srv_h2_stream_free(srv_h2_stream *st);
/* Frees a stream that left the session (a spare). */
void srv_h2_stream_drop(srv_h2_stream *st);

#endif
