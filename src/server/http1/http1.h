/* SPDX-License-Identifier: MIT */
/*
 * http1/http1.h - HTTP/1.0 and 1.1 on one connection, without I/O: llhttp
 * (strict) frames the requests, limits are enforced here, each request
 * becomes a srv_exchange for the core, and the core's plans become HTTP/1.1
 * bytes appended to the worker's output (pipelining, 100-continue,
 * keep-alive, a lingering close after a refusal).
 */
#ifndef SRV_HTTP1_H
#define SRV_HTTP1_H

#include <llhttp.h>

#include "core/exchange.h"
#include "core/limits.h"

typedef struct srv_conn srv_conn;

/* A staged answer: allocated at a connection's first, kept until it closes
 * (its store is freed after each). */
typedef struct srv_http1_staged {
  srv_exchange x;
  srv_plan plan;
  srv_staged run;
  srv_limit_hold hold;       /* its count in the sleep limits (core/limits.h) */
  srv_buf store;             /* the bytes the plan points at (srv_plan_own); the
                              * exchange's stay in srv_http1.scratch, unread
                              * while the answer runs */
} srv_http1_staged;

/* The request being parsed: offsets into `scratch` until it is complete
 * (the buffer may move while it grows), then a srv_exchange. */
typedef struct srv_http1 {
  llhttp_t parser;
  srv_buf scratch;           /* URL and kept field values of one request */
  uint32_t url_len;          /* the URL is scratch[0..url_len) */
  uint32_t header_bytes;
  uint32_t cur_off;          /* where the current field's name starts */
  uint32_t cur_value_off;
  uint8_t cur_field;         /* srv_field of the field being read */
  uint8_t override_count;
  uint8_t host_count;        /* Host fields seen (HTTP/1.1 needs one) */
  uint32_t host_off, host_len; /* the last Host value, checked (util/host.c) */
  uint8_t proto;             /* srv_proto of the request (1.1 until read) */
  uint32_t field_off[SRV_F_COUNT], field_len[SRV_F_COUNT];
  uint32_t override_off[SRV_MAX_OVERRIDES][2], override_len[SRV_MAX_OVERRIDES][2];
  uint64_t body_bytes;
  uint64_t started_ns;       /* for the access log */
  /* llhttp stopped at a method it does not know: the rest of it is read
   * by http1.c's read_unknown_method (method_len bytes so far). */
  bool reading_method;
  uint32_t method_len;
  int error_code;            /* set by a callback that refuses the request */
  const char *error;
  srv_http1_staged *staged;
} srv_http1;

/* Builds the per-code status lines and fixed field blocks from the core's
 * standard plans. Call after srv_core_init, before any worker starts. */
void srv_http1_init(void);
void srv_http1_shutdown(void);

/* The connection's protocol operations (net/net.h) for HTTP/1. */
extern const struct srv_conn_proto srv_http1_proto;
/* The timeline's operations for HTTP/1 (write.c); `stream` is the conn. */
extern const srv_plan_ops srv_http1_ops;
/* Appends the interim response `code` (1xx) to the worker's output; none
 * to an HTTP/1.0 client. Returns the bytes appended. */
size_t srv_http1_interim(srv_conn *c, int code);

#endif
