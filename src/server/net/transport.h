/* SPDX-License-Identifier: MIT */
/*
 * net/transport.h - the seam under a connection: how its bytes travel.
 * tcp.c is plain TCP (recv(2)/send(2) on the non-blocking socket); a TLS
 * transport (net/tls.c, OpenSSL) has SSL_read/SSL_write semantics: a recv
 * may need the socket writable (a handshake or renegotiation message to
 * send) and a send may need it readable, so every call answers what it
 * waits for and conn.c polls for exactly that.
 */
#ifndef SRV_NET_TRANSPORT_H
#define SRV_NET_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>

/* The outcome of one transport call. */
typedef enum srv_io {
  SRV_IO_OK,         /* *n bytes moved (recv: n > 0; send: n > 0) */
  SRV_IO_WANT_READ,  /* nothing moved: call again once readable */
  SRV_IO_WANT_WRITE, /* nothing moved: call again once writable */
  SRV_IO_EOF,        /* recv: the peer ended its side (FIN, close_notify) */
  SRV_IO_NOT_TLS,    /* handshake: the first byte opens no TLS record (plain
                        HTTP on the TLS port); nothing was read */
  SRV_IO_ERROR       /* the connection failed: close it */
} srv_io;

typedef struct srv_transport srv_transport;

typedef struct srv_transport_ops {
  const char *name;  /* "tcp", "tls" */
  bool tls;
  /* Runs the transport's own handshake as far as the socket allows:
   * SRV_IO_OK once complete, WANT_*, NOT_TLS, EOF or ERROR. NULL: none. */
  srv_io (*handshake)(srv_transport *t);
  /* Reads up to `len` bytes into buf; *n gets the count on SRV_IO_OK. */
  srv_io (*recv)(srv_transport *t, char *buf, size_t len, size_t *n);
  /* Writes up to `len` bytes of buf; *n gets the count on SRV_IO_OK (may be
   * less than len: call again with the rest once it wants). */
  srv_io (*send)(srv_transport *t, const char *buf, size_t len, size_t *n);
  /* Bytes already received and decrypted that recv returns without the
   * socket becoming readable again (TLS records); NULL means none ever. */
  size_t (*pending)(srv_transport *t);
  /* Ends our sending side after the last answer (TCP: shutdown(SHUT_WR);
   * TLS: close_notify, then SHUT_WR). SRV_IO_OK or SRV_IO_ERROR. */
  srv_io (*shutdown)(srv_transport *t);
  /* Frees the transport's state and closes the socket. */
  void (*close)(srv_transport *t);
  /* The protocol the peer chose (TLS ALPN: "h2", "http/1.1"), or NULL. */
  const char *(*alpn)(srv_transport *t);
} srv_transport_ops;

struct srv_transport {
  const srv_transport_ops *ops;
  int fd;            /* the non-blocking socket */
  void *state;       /* the transport's own (SSL *), NULL for TCP */
};

/* tcp.c: plain TCP on `fd`. */
extern const srv_transport_ops srv_tcp_ops;
void srv_tcp_open(srv_transport *t, int fd);

#endif
