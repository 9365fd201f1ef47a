/* SPDX-License-Identifier: MIT */
/*
 * http2/http2.h - HTTP/2 on one connection, without I/O: nghttp2 (Debian
 * libnghttp2-dev) frames the streams, each stream's request becomes a
 * srv_exchange for the core, and the core's plan, walked by the timeline,
 * becomes HEADERS, DATA and RST_STREAM frames appended to the worker's
 * output. Streams run independently: each has its own timeline and its own
 * due time, and the connection keeps reading while any of them waits.
 *
 * A connection becomes HTTP/2 three ways: TLS ALPN "h2" (start from the
 * first byte), the client preface on a plain connection (prior knowledge:
 * http1 sees it first), or an HTTP/1.1 request offering Upgrade: h2c.
 */
#ifndef SRV_HTTP2_H
#define SRV_HTTP2_H

#include "core/exchange.h"

typedef struct srv_conn srv_conn;
typedef struct srv_http2 srv_http2;

/* The connection's protocol operations (net/net.h) for HTTP/2. start()
 * expects the client preface first (TLS with ALPN h2). */
extern const struct srv_conn_proto srv_http2_proto;

/* Builds nghttp2's callbacks and options once. Call before any worker
 * starts; srv_http2_shutdown frees them. */
void srv_http2_init(void);
void srv_http2_shutdown(void);

/* Switches `c` to HTTP/2 after the HTTP/1 layer read the client preface
 * (prior knowledge on a plain connection). */
void srv_http2_start_preface(srv_conn *c);

/* True when `x` (an HTTP/1.1 request without content) offers Upgrade: h2c
 * with one valid HTTP2-Settings field (RFC 7540, Section 3.2). */
bool srv_http2_upgrade_offered(const srv_exchange *x);
/* Answers the offer with 101 and switches `c` to HTTP/2; `x` becomes stream
 * 1 (copied: its spans may go once this returns). Returns false, changing
 * nothing, when the HTTP2-Settings field does not decode. */
bool srv_http2_upgrade(srv_conn *c, const srv_exchange *x);

#endif
