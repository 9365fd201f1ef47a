/* SPDX-License-Identifier: MIT */
/*
 * tls.h - TLS for `httpstatus serve` (OpenSSL 3): one server context shared
 * by every worker (certificate, ALPN list, session cache and ticket keys),
 * and a non-blocking session per accepted socket. Nothing here knows HTTP
 * or libuv: a call either does its work or says what the socket must become
 * (readable, writable) before the same call is made again.
 */
#ifndef SRV_TLS_H
#define SRV_TLS_H

#include <stdbool.h>
#include <stddef.h>

/* What the server context is made from. */
typedef struct srv_tls_options {
  const char *cert_file;       /* PEM, leaf first then its chain; NULL: a
                                  self-signed certificate is generated */
  const char *key_file;        /* PEM private key of cert_file */
  const char *const *names;    /* names and addresses the generated
                                  certificate covers besides localhost,
                                  127.0.0.1 and ::1 (--host, --tls-name) */
  size_t name_count;
  const char *cert_out;        /* write the certificate (PEM) here, or NULL */
  const char *const *alpn;     /* protocols offered by ALPN, preferred first */
  size_t alpn_count;
} srv_tls_options;

/* The outcome of a call on a session. */
typedef enum srv_tls_status {
  SRV_TLS_DONE,       /* the call did its work */
  SRV_TLS_WANT_READ,  /* call again once the socket is readable */
  SRV_TLS_WANT_WRITE, /* call again once the socket is writable */
  SRV_TLS_EOF,        /* the peer closed (close_notify or a bare FIN) */
  SRV_TLS_NOT_TLS,    /* handshake: the first byte opens no TLS handshake
                         record (plain HTTP on the TLS port, say) */
  SRV_TLS_ERROR       /* a protocol or socket error: close the connection */
} srv_tls_status;

typedef struct srv_tls srv_tls;           /* the server context */
typedef struct srv_tls_conn srv_tls_conn; /* one connection's session */

/* Longest line srv_tls_new writes into err. */
#define SRV_TLS_ERR_SIZE 512u

/* Builds the server context: TLS 1.2 (ECDHE with AES-GCM or ChaCha20 only)
 * and 1.3 (OpenSSL's default suites), default groups, security level 2,
 * ALPN chosen in o->alpn's order,
 * resumption by session cache and tickets. Loads o->cert_file and
 * o->key_file, or generates a self-signed ECDSA P-256 certificate, and
 * writes it to o->cert_out when asked. Returns NULL, with one line saying
 * what is wrong in err (no newline), when a file is missing or unreadable,
 * holds no certificate or key, the key does not match, the certificate has
 * expired or is not valid yet, or cert_out cannot be written. Thread-safe
 * to use from every worker once built. */
srv_tls *srv_tls_new(const srv_tls_options *o, char *err, size_t err_size);
void srv_tls_free(srv_tls *t);
/* True when `name` can go in a certificate's subjectAltName: an IPv4 or
 * IPv6 address, or a DNS name (optionally "*." and a name). */
bool srv_tls_name_ok(const char *name);

/* Starts a server session on the accepted, non-blocking socket fd (which
 * the caller keeps owning and closes after srv_tls_conn_free). Returns NULL
 * when out of memory. */
srv_tls_conn *srv_tls_conn_new(srv_tls *t, int fd);
/* Frees the session (not the socket). */
void srv_tls_conn_free(srv_tls_conn *c);

/* Runs the handshake as far as the socket allows. Before anything is read
 * it peeks at the first byte: SRV_TLS_NOT_TLS when it opens no TLS
 * handshake record, the byte left unread. DONE once the handshake is
 * complete (srv_tls_alpn then answers). */
srv_tls_status srv_tls_handshake(srv_tls_conn *c);
/* Reads decrypted bytes into buf[0..cap), as many as are there without
 * waiting (several records while they fit); *got is their count. DONE when
 * *got > 0; otherwise WANT_READ / WANT_WRITE, EOF or ERROR. */
srv_tls_status srv_tls_read(srv_tls_conn *c, char *buf, size_t cap,
                            size_t *got);
/* True when bytes already taken from the socket wait inside the session:
 * read them before waiting for the socket to become readable. */
bool srv_tls_pending(const srv_tls_conn *c);
/* Encrypts and sends as much of data[0..len) as the socket takes now; *put
 * is the count taken. DONE when all was taken, WANT_WRITE when the rest must
 * wait (call again with the rest, from the same or a moved buffer holding
 * the same bytes), ERROR when the connection failed. */
srv_tls_status srv_tls_write(srv_tls_conn *c, const char *data, size_t len,
                             size_t *put);
/* Sends close_notify (once; the peer's is not awaited). DONE when sent,
 * WANT_WRITE when the socket is full, ERROR when it failed. */
srv_tls_status srv_tls_shutdown(srv_tls_conn *c);

/* The protocol ALPN chose: one of the strings of srv_tls_options.alpn (the
 * same pointer), or NULL when the client offered none (HTTP/1.1 then). */
const char *srv_tls_alpn(const srv_tls_conn *c);
/* True when the handshake resumed an earlier session. */
bool srv_tls_resumed(const srv_tls_conn *c);
/* "TLSv1.3", "TLSv1.2": the version the handshake agreed. */
const char *srv_tls_version(const srv_tls_conn *c);

/* ------------------------------------------------------------------------ */
/* The TLS transport (net/transport.h) over these sessions */

struct srv_transport;
/* Makes `t` the TLS transport of the accepted socket fd: handshake first,
 * then the session's reads and writes. Returns false when out of memory
 * (fd is then the caller's to close). */
bool srv_tls_open(struct srv_transport *t, int fd, srv_tls *ctx);
/* Drops the session of a connection whose handshake said SRV_IO_NOT_TLS and
 * makes `t` plain TCP on the same socket, the unread bytes still there. */
void srv_tls_to_tcp(struct srv_transport *t);

#endif
