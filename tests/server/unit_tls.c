/* SPDX-License-Identifier: MIT */
/*
 * unit_tls.c - cmocka tests of net/tls.c: the server session on one end of
 * a socketpair, an OpenSSL client on the other, both non-blocking and
 * driven in turn by this one thread. Certificates and keys the tests need
 * (a matching pair, an expired one, a stranger's key) are made here.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "net/tls.h"

static const char *const both[] = {"h2", "http/1.1"};
static const char *const http1_only[] = {"http/1.1"};
static char dir[] = "/tmp/unit_tls.XXXXXX";
static char err[SRV_TLS_ERR_SIZE];

/* ------------------------------------------------------------------------ */
/* Files */

static const char *path(const char *name)
{
  static char buf[4][128];
  static unsigned next;
  char *p = buf[next++ % 4];
  snprintf(p, sizeof buf[0], "%s/%s", dir, name);
  return p;
}

static void write_text(const char *name, const char *text)
{
  FILE *fp = fopen(path(name), "w");
  assert_non_null(fp);
  fputs(text, fp);
  fclose(fp);
}

static EVP_PKEY *new_key(void)
{
  EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
  assert_non_null(key);
  return key;
}

/* A minimal self-signed certificate valid from now+from_s to now+to_s. */
static X509 *new_cert(EVP_PKEY *key, long from_s, long to_s)
{
  X509 *x = X509_new();
  assert_non_null(x);
  X509_NAME *name = X509_get_subject_name(x);
  assert_true(X509_set_version(x, X509_VERSION_3));
  assert_true(ASN1_INTEGER_set(X509_get_serialNumber(x), 7));
  assert_non_null(X509_gmtime_adj(X509_getm_notBefore(x), from_s));
  assert_non_null(X509_gmtime_adj(X509_getm_notAfter(x), to_s));
  assert_true(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                         (const unsigned char *)"localhost",
                                         -1, -1, 0));
  assert_true(X509_set_issuer_name(x, name));
  assert_true(X509_set_pubkey(x, key));
  assert_true(X509_sign(x, key, EVP_sha256()) > 0);
  return x;
}

static void write_pair(const char *cert_name, X509 *x, const char *key_name,
                       EVP_PKEY *key)
{
  FILE *fp = fopen(path(cert_name), "w");
  assert_non_null(fp);
  assert_true(PEM_write_X509(fp, x));
  fclose(fp);
  fp = fopen(path(key_name), "w");
  assert_non_null(fp);
  assert_true(PEM_write_PrivateKey(fp, key, NULL, NULL, 0, NULL, NULL));
  fclose(fp);
}

/* NAME.crt and NAME.key: a fresh key and a certificate of it valid from
 * now+from_s to now+to_s. */
static void make_files(const char *name, long from_s, long to_s)
{
  char crt[64], key_name[64];
  EVP_PKEY *key = new_key();
  X509 *x = new_cert(key, from_s, to_s);
  snprintf(crt, sizeof crt, "%s.crt", name);
  snprintf(key_name, sizeof key_name, "%s.key", name);
  write_pair(crt, x, key_name, key);
  X509_free(x);
  EVP_PKEY_free(key);
}

static X509 *read_cert(const char *file)
{
  FILE *fp = fopen(file, "r");
  assert_non_null(fp);
  X509 *x = PEM_read_X509(fp, NULL, NULL, NULL);
  fclose(fp);
  assert_non_null(x);
  return x;
}

/* ------------------------------------------------------------------------ */
/* A server session and an OpenSSL client over a socketpair */

typedef struct pair {
  srv_tls *tls;      /* the server context */
  SSL_CTX *cctx;     /* the client's */
  int fd[2];         /* [0] server, [1] client */
  srv_tls_conn *server;
  SSL *client;
} pair;

static srv_tls *server_with(const char *const *alpn, size_t count)
{
  srv_tls_options o = {.alpn = alpn, .alpn_count = count};
  srv_tls *t = srv_tls_new(&o, err, sizeof err);
  if (t == NULL)
    fail_msg("srv_tls_new: %s", err);
  return t;
}

static SSL_CTX *client_ctx(int min_version, int max_version)
{
  SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
  assert_non_null(ctx);
  SSL_CTX_set_min_proto_version(ctx, min_version);
  SSL_CTX_set_max_proto_version(ctx, max_version);
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT);
  return ctx;
}

/* Connects a server session of p->tls and a client of p->cctx. */
static void open_pair(pair *p)
{
  assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, p->fd), 0);
  for (int i = 0; i < 2; i++)
    fcntl(p->fd[i], F_SETFL, fcntl(p->fd[i], F_GETFL) | O_NONBLOCK);
  p->server = srv_tls_conn_new(p->tls, p->fd[0]);
  assert_non_null(p->server);
  p->client = SSL_new(p->cctx);
  assert_non_null(p->client);
  SSL_set_fd(p->client, p->fd[1]);
  SSL_set_connect_state(p->client);
}

static void close_pair(pair *p)
{
  SSL_shutdown(p->client); /* or its session is no longer resumable */
  srv_tls_conn_free(p->server);
  SSL_free(p->client);
  close(p->fd[0]);
  close(p->fd[1]);
}

/* Both contexts (the server offering `alpn`, the client speaking versions
 * min..max) and a connected pair of them. */
static void pair_up(pair *p, const char *const *alpn, size_t count,
                    int min_version, int max_version)
{
  p->tls = server_with(alpn, count);
  p->cctx = client_ctx(min_version, max_version);
  open_pair(p);
}

static void pair_down(pair *p)
{
  close_pair(p);
  SSL_CTX_free(p->cctx);
  srv_tls_free(p->tls);
}

static bool retry(srv_tls_status s)
{
  return s == SRV_TLS_WANT_READ || s == SRV_TLS_WANT_WRITE;
}

/* Runs both ends of the handshake in turn; returns the server's last
 * status (DONE when both ends completed). */
static srv_tls_status handshake(pair *p)
{
  srv_tls_status s = SRV_TLS_WANT_READ;
  bool client_done = false;
  for (int round = 0; round < 50; round++) {
    if (s != SRV_TLS_DONE) {
      s = srv_tls_handshake(p->server);
      if (!retry(s) && s != SRV_TLS_DONE)
        return s;
    }
    if (!client_done) {
      ERR_clear_error();
      int rc = SSL_do_handshake(p->client);
      int e = SSL_get_error(p->client, rc);
      client_done = rc == 1;
      if (!client_done && e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE)
        return s == SRV_TLS_DONE ? SRV_TLS_ERROR : s;
    }
    if (s == SRV_TLS_DONE && client_done)
      return s;
  }
  return SRV_TLS_ERROR;
}

/* Reads what the client has, processing tickets on the way. */
static size_t client_read(pair *p, char *buf, size_t cap)
{
  size_t total = 0, n = 0;
  while (total < cap && SSL_read_ex(p->client, buf + total, cap - total, &n) == 1)
    total += n;
  return total;
}

static const char *alpn_after(const char *const *server, size_t count,
                              const char *offer, size_t offer_len)
{
  pair p;
  pair_up(&p, server, count, TLS1_2_VERSION, TLS1_3_VERSION);
  if (offer_len > 0)
    assert_int_equal(SSL_set_alpn_protos(p.client, (const unsigned char *)offer,
                                         (unsigned)offer_len), 0);
  assert_int_equal(handshake(&p), SRV_TLS_DONE);
  const char *chosen = srv_tls_alpn(p.server);
  if (chosen != NULL) {
    const unsigned char *c = NULL;
    unsigned len = 0;
    SSL_get0_alpn_selected(p.client, &c, &len);
    assert_int_equal(len, strlen(chosen));
    assert_memory_equal(c, chosen, len);
  }
  pair_down(&p);
  return chosen;
}

/* ------------------------------------------------------------------------ */
/* Handshake and ALPN */

#define OFFER_BOTH "\x02h2\x08http/1.1"
#define OFFER_HTTP1_FIRST "\x08http/1.1\x02h2"

static void handshake_completes_on_tls13(void **state)
{
  (void)state;
  pair p;
  pair_up(&p, both, 2, TLS1_2_VERSION, TLS1_3_VERSION);
  assert_int_equal(handshake(&p), SRV_TLS_DONE);
  assert_string_equal(srv_tls_version(p.server), "TLSv1.3");
  assert_false(srv_tls_resumed(p.server));
  pair_down(&p);
}

static void handshake_completes_on_tls12(void **state)
{
  (void)state;
  pair p;
  pair_up(&p, both, 2, TLS1_2_VERSION, TLS1_2_VERSION);
  assert_int_equal(handshake(&p), SRV_TLS_DONE);
  assert_string_equal(srv_tls_version(p.server), "TLSv1.2");
  pair_down(&p);
}

static void tls11_is_refused(void **state)
{
  (void)state;
  pair p = {.tls = server_with(both, 2),
            .cctx = client_ctx(TLS1_1_VERSION, TLS1_1_VERSION)};
  /* Security level 0, or this client would not offer TLS 1.1 at all. */
  SSL_CTX_set_security_level(p.cctx, 0);
  assert_int_equal(SSL_CTX_set_cipher_list(p.cctx, "DEFAULT:@SECLEVEL=0"), 1);
  open_pair(&p);
  assert_int_equal(handshake(&p), SRV_TLS_ERROR);
  pair_down(&p);
}

/* A TLS 1.2 client offering only suites without forward secrecy or AEAD
 * (RFC 9113 forbids them for HTTP/2) finds none in common. */
static void tls12_cbc_only_is_refused(void **state)
{
  (void)state;
  pair p = {.tls = server_with(both, 2),
            .cctx = client_ctx(TLS1_2_VERSION, TLS1_2_VERSION)};
  assert_int_equal(
      SSL_CTX_set_cipher_list(p.cctx, "ECDHE-ECDSA-AES128-SHA:AES128-GCM-SHA256"), 1);
  open_pair(&p);
  assert_int_equal(handshake(&p), SRV_TLS_ERROR);
  pair_down(&p);
}

static void alpn_prefers_h2(void **state)
{
  (void)state;
  const char *chosen = alpn_after(both, 2, OFFER_HTTP1_FIRST,
                                  sizeof OFFER_HTTP1_FIRST - 1);
  assert_ptr_equal(chosen, both[0]); /* the server's order wins */
}

static void alpn_http1_when_h2_is_off(void **state)
{
  (void)state;
  const char *chosen = alpn_after(http1_only, 1, OFFER_BOTH, sizeof OFFER_BOTH - 1);
  assert_ptr_equal(chosen, http1_only[0]);
}

static void alpn_none_without_offer(void **state)
{
  (void)state;
  assert_null(alpn_after(both, 2, NULL, 0));
}

static void alpn_none_without_overlap(void **state)
{
  (void)state;
  assert_null(alpn_after(http1_only, 1, "\x02h2", 3));
}

/* ------------------------------------------------------------------------ */
/* Before the handshake: plain HTTP, silence, end of input */

static void plain_http_is_not_tls(void **state)
{
  (void)state;
  pair p;
  pair_up(&p, both, 2, TLS1_2_VERSION, TLS1_3_VERSION);
  assert_int_equal(srv_tls_handshake(p.server), SRV_TLS_WANT_READ);
  const char req[] = "GET /404 HTTP/1.1\r\nHost: x\r\n\r\n";
  assert_int_equal(write(p.fd[1], req, sizeof req - 1), (ssize_t)(sizeof req - 1));
  assert_int_equal(srv_tls_handshake(p.server), SRV_TLS_NOT_TLS);
  /* Nothing was taken: the caller reads the request as it is. */
  char buf[64];
  assert_int_equal(recv(p.fd[0], buf, sizeof buf, 0), (ssize_t)(sizeof req - 1));
  assert_memory_equal(buf, req, sizeof req - 1);
  pair_down(&p);
}

static void eof_before_hello(void **state)
{
  (void)state;
  pair p;
  pair_up(&p, both, 2, TLS1_2_VERSION, TLS1_3_VERSION);
  shutdown(p.fd[1], SHUT_WR);
  assert_int_equal(srv_tls_handshake(p.server), SRV_TLS_EOF);
  pair_down(&p);
}

/* A ClientHello arriving a few bytes at a time is not taken for plain
 * HTTP once its first byte is read. */
static void hello_in_pieces(void **state)
{
  (void)state;
  int relay[2];
  pair p;
  pair_up(&p, both, 2, TLS1_2_VERSION, TLS1_3_VERSION);
  /* The client writes into a second pair; this test forwards 3 bytes at a
   * time to the server's socket. */
  assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, relay), 0);
  fcntl(relay[0], F_SETFL, fcntl(relay[0], F_GETFL) | O_NONBLOCK);
  fcntl(relay[1], F_SETFL, fcntl(relay[1], F_GETFL) | O_NONBLOCK);
  SSL_set_fd(p.client, relay[1]);
  ERR_clear_error();
  assert_int_equal(SSL_do_handshake(p.client), -1); /* hello written */
  char hello[2048];
  ssize_t len = read(relay[0], hello, sizeof hello);
  assert_true(len > 10);
  for (ssize_t off = 0; off < len; off += 3) {
    size_t n = (size_t)(len - off < 3 ? len - off : 3);
    assert_int_equal(write(p.fd[1], hello + off, n), (ssize_t)n);
    srv_tls_status s = srv_tls_handshake(p.server);
    if (off + 3 < len)
      assert_int_equal(s, SRV_TLS_WANT_READ);
  }
  /* The server answered: its hello is on the client's socket. */
  char reply[1];
  assert_int_equal(recv(p.fd[1], reply, 1, MSG_PEEK), 1);
  assert_int_equal((unsigned char)reply[0], 0x16);
  close(relay[0]);
  close(relay[1]);
  pair_down(&p);
}

/* ------------------------------------------------------------------------ */
/* Data */

static void read_takes_several_records(void **state)
{
  (void)state;
  pair p;
  pair_up(&p, both, 2, TLS1_2_VERSION, TLS1_3_VERSION);
  assert_int_equal(handshake(&p), SRV_TLS_DONE);
  size_t got = 0;
  char buf[4096];
  assert_int_equal(srv_tls_read(p.server, buf, sizeof buf, &got), SRV_TLS_WANT_READ);
  assert_int_equal(got, 0);
  for (int i = 0; i < 3; i++) {
    size_t n = 0;
    assert_int_equal(SSL_write_ex(p.client, "GET / HTTP/1.1\r\n\r\n", 18, &n), 1);
  }
  assert_int_equal(srv_tls_read(p.server, buf, sizeof buf, &got), SRV_TLS_DONE);
  assert_int_equal(got, 54);
  assert_memory_equal(buf + 36, "GET / HTTP/1.1\r\n\r\n", 18);
  assert_false(srv_tls_pending(p.server));
  /* A small buffer leaves the rest inside the session. */
  size_t n = 0;
  assert_int_equal(SSL_write_ex(p.client, "0123456789", 10, &n), 1);
  assert_int_equal(srv_tls_read(p.server, buf, 4, &got), SRV_TLS_DONE);
  assert_int_equal(got, 4);
  assert_true(srv_tls_pending(p.server));
  assert_int_equal(srv_tls_read(p.server, buf, sizeof buf, &got), SRV_TLS_DONE);
  assert_int_equal(got, 6);
  assert_memory_equal(buf, "456789", 6);
  pair_down(&p);
}

/* A write larger than the socket takes: WANT_WRITE with a count, then the
 * rest from another buffer holding the same bytes. */
static void write_resumes_from_moved_buffer(void **state)
{
  (void)state;
  pair p;
  pair_up(&p, both, 2, TLS1_2_VERSION, TLS1_3_VERSION);
  assert_int_equal(handshake(&p), SRV_TLS_DONE);
  size_t len = 4u << 20;
  char *data = malloc(len), *copy = malloc(len), *seen = malloc(len);
  assert_non_null(data);
  assert_non_null(copy);
  assert_non_null(seen);
  for (size_t i = 0; i < len; i++)
    data[i] = (char)(i * 7 + i / 4099);
  size_t off = 0, seen_len = 0, put = 0;
  srv_tls_status s = srv_tls_write(p.server, data, len, &put);
  assert_int_equal(s, SRV_TLS_WANT_WRITE);
  assert_true(put < len);
  int rounds = 0;
  while (s != SRV_TLS_DONE) {
    off += put;
    seen_len += client_read(&p, seen + seen_len, len - seen_len);
    memcpy(copy, data + off, len - off); /* moved, as conn.c keeps it */
    s = srv_tls_write(p.server, copy, len - off, &put);
    assert_true(s == SRV_TLS_DONE || s == SRV_TLS_WANT_WRITE);
    assert_true(++rounds < 100000);
  }
  while (seen_len < len)
    seen_len += client_read(&p, seen + seen_len, len - seen_len);
  assert_memory_equal(seen, data, len);
  free(data);
  free(copy);
  free(seen);
  pair_down(&p);
}

static void close_notify_is_eof(void **state)
{
  (void)state;
  pair p;
  pair_up(&p, both, 2, TLS1_2_VERSION, TLS1_3_VERSION);
  assert_int_equal(handshake(&p), SRV_TLS_DONE);
  assert_int_equal(srv_tls_shutdown(p.server), SRV_TLS_DONE);
  char buf[16];
  size_t got = 0;
  assert_int_equal(SSL_read_ex(p.client, buf, sizeof buf, &got), 0);
  assert_int_equal(SSL_get_error(p.client, 0), SSL_ERROR_ZERO_RETURN);
  SSL_shutdown(p.client);
  assert_int_equal(srv_tls_read(p.server, buf, sizeof buf, &got), SRV_TLS_EOF);
  pair_down(&p);
}

static void bare_fin_is_eof(void **state)
{
  (void)state;
  pair p;
  pair_up(&p, both, 2, TLS1_2_VERSION, TLS1_3_VERSION);
  assert_int_equal(handshake(&p), SRV_TLS_DONE);
  shutdown(p.fd[1], SHUT_WR);
  char buf[16];
  size_t got = 0;
  assert_int_equal(srv_tls_read(p.server, buf, sizeof buf, &got), SRV_TLS_EOF);
  pair_down(&p);
}

/* ------------------------------------------------------------------------ */
/* Resumption */

static void resumes(int version)
{
  pair p;
  pair_up(&p, both, 2, version, version);
  assert_int_equal(handshake(&p), SRV_TLS_DONE);
  size_t put = 0;
  char buf[16];
  assert_int_equal(srv_tls_write(p.server, "ok", 2, &put), SRV_TLS_DONE);
  assert_int_equal(client_read(&p, buf, sizeof buf), 2); /* and the tickets */
  SSL_SESSION *session = SSL_get1_session(p.client);
  assert_non_null(session);
  assert_true(SSL_SESSION_is_resumable(session));
  close_pair(&p);

  open_pair(&p);
  assert_int_equal(SSL_set_session(p.client, session), 1);
  assert_int_equal(handshake(&p), SRV_TLS_DONE);
  assert_true(srv_tls_resumed(p.server));
  assert_int_equal(SSL_session_reused(p.client), 1);
  SSL_SESSION_free(session);
  pair_down(&p);
}

static void resumes_tls13(void **state)
{
  (void)state;
  resumes(TLS1_3_VERSION);
}

static void resumes_tls12(void **state)
{
  (void)state;
  resumes(TLS1_2_VERSION);
}

/* ------------------------------------------------------------------------ */
/* The self-signed certificate */

static bool has_name(X509 *x, int type, const char *text)
{
  GENERAL_NAMES *names = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
  bool found = false;
  for (int i = 0; !found && i < sk_GENERAL_NAME_num(names); i++) {
    GENERAL_NAME *g = sk_GENERAL_NAME_value(names, i);
    int gtype;
    ASN1_STRING *value = GENERAL_NAME_get0_value(g, &gtype);
    if (gtype != type)
      continue;
    if (type == GEN_DNS) {
      found = (size_t)ASN1_STRING_length(value) == strlen(text) &&
              memcmp(ASN1_STRING_get0_data(value), text, strlen(text)) == 0;
    } else {
      ASN1_OCTET_STRING *ip = a2i_IPADDRESS(text);
      found = ASN1_STRING_cmp(ip, value) == 0;
      ASN1_OCTET_STRING_free(ip);
    }
  }
  GENERAL_NAMES_free(names);
  return found;
}

static int alt_name_count(X509 *x)
{
  GENERAL_NAMES *names = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
  int n = sk_GENERAL_NAME_num(names);
  GENERAL_NAMES_free(names);
  return n;
}

/* Verifies x against itself as the only trust anchor, for `host` (a name,
 * or an address when ip is true), the way curl --cacert does. */
static int verify_for(X509 *x, const char *host, bool ip)
{
  X509_STORE *store = X509_STORE_new();
  X509_STORE_CTX *ctx = X509_STORE_CTX_new();
  assert_true(X509_STORE_add_cert(store, x));
  assert_true(X509_STORE_CTX_init(ctx, store, x, NULL));
  X509_VERIFY_PARAM *param = X509_STORE_CTX_get0_param(ctx);
  X509_VERIFY_PARAM_set_purpose(param, X509_PURPOSE_SSL_SERVER);
  if (ip)
    X509_VERIFY_PARAM_set1_ip_asc(param, host);
  else
    X509_VERIFY_PARAM_set1_host(param, host, 0);
  int rc = X509_verify_cert(ctx);
  int e = X509_STORE_CTX_get_error(ctx);
  X509_STORE_CTX_free(ctx);
  X509_STORE_free(store);
  return rc == 1 ? X509_V_OK : e;
}

static void self_signed_covers_served_names(void **state)
{
  (void)state;
  static const char *const names[] = {"0.0.0.0", "example.test", "192.0.2.7",
                                      "*.wild.test", "localhost", "2001:db8::5"};
  srv_tls_options o = {.names = names, .name_count = 6,
                       .cert_out = path("served.pem")};
  srv_tls *t = srv_tls_new(&o, err, sizeof err);
  assert_non_null(t);
  X509 *x = read_cert(path("served.pem"));
  assert_true(has_name(x, GEN_DNS, "localhost"));
  assert_true(has_name(x, GEN_IPADD, "127.0.0.1"));
  assert_true(has_name(x, GEN_IPADD, "::1"));
  assert_true(has_name(x, GEN_DNS, "example.test"));
  assert_true(has_name(x, GEN_IPADD, "192.0.2.7"));
  assert_true(has_name(x, GEN_DNS, "*.wild.test"));
  assert_true(has_name(x, GEN_IPADD, "2001:db8::5"));
  assert_false(has_name(x, GEN_IPADD, "0.0.0.0")); /* nobody connects to it */
  assert_int_equal(alt_name_count(x), 7);          /* localhost once */
  assert_int_equal(X509_check_ca(x), 0);
  EVP_PKEY *key = X509_get0_pubkey(x);
  char group[32];
  assert_true(EVP_PKEY_is_a(key, "EC"));
  assert_true(EVP_PKEY_get_group_name(key, group, sizeof group, NULL));
  assert_string_equal(group, "prime256v1");
  /* Valid now, and for most of a year. */
  assert_true(X509_cmp_current_time(X509_get0_notBefore(x)) < 0);
  time_t later = time(NULL) + 300L * 86400;
  assert_true(X509_cmp_time(X509_get0_notAfter(x), &later) > 0);
  assert_int_equal(verify_for(x, "localhost", false), X509_V_OK);
  assert_int_equal(verify_for(x, "example.test", false), X509_V_OK);
  assert_int_equal(verify_for(x, "a.wild.test", false), X509_V_OK);
  assert_int_equal(verify_for(x, "::1", true), X509_V_OK);
  assert_int_equal(verify_for(x, "127.0.0.1", true), X509_V_OK);
  assert_int_equal(verify_for(x, "other.test", false),
                   X509_V_ERR_HOSTNAME_MISMATCH);
  X509_free(x);
  srv_tls_free(t);
}

/* The file --tls-cert-out wrote is the certificate the server presents. */
static void cert_out_is_the_served_certificate(void **state)
{
  (void)state;
  srv_tls_options o = {.cert_out = path("out.pem")};
  pair p = {.tls = srv_tls_new(&o, err, sizeof err),
            .cctx = client_ctx(TLS1_2_VERSION, TLS1_3_VERSION)};
  assert_non_null(p.tls);
  X509 *written = read_cert(path("out.pem"));
  X509_STORE_add_cert(SSL_CTX_get_cert_store(p.cctx), written);
  SSL_CTX_set_verify(p.cctx, SSL_VERIFY_PEER, NULL);
  open_pair(&p);
  SSL_set1_host(p.client, "localhost");
  assert_int_equal(handshake(&p), SRV_TLS_DONE);
  assert_int_equal(SSL_get_verify_result(p.client), X509_V_OK);
  assert_int_equal(X509_cmp(SSL_get0_peer_certificate(p.client), written), 0);
  pair_down(&p);
  X509_free(written);
}

static void bad_names_are_refused(void **state)
{
  (void)state;
  static const char *const names[] = {"a,DNS:evil.test"};
  srv_tls_options o = {.names = names, .name_count = 1};
  assert_null(srv_tls_new(&o, err, sizeof err));
  assert_non_null(strstr(err, "neither a DNS name nor an IP address"));
  assert_true(srv_tls_name_ok("example.test"));
  assert_true(srv_tls_name_ok("::1"));
  assert_true(srv_tls_name_ok("*.x.test"));
  assert_false(srv_tls_name_ok("-x.test"));
  assert_false(srv_tls_name_ok("x..test"));
  assert_false(srv_tls_name_ok(""));
  assert_false(srv_tls_name_ok("fe80::1%eth0"));
}

/* ------------------------------------------------------------------------ */
/* --tls-cert and --tls-key */

static srv_tls *with_files(const char *cert, const char *key)
{
  srv_tls_options o = {.cert_file = cert, .key_file = key};
  err[0] = '\0';
  return srv_tls_new(&o, err, sizeof err);
}

static void given_pair_is_served(void **state)
{
  (void)state;
  make_files("good", -60, 86400);
  X509 *x = read_cert(path("good.crt"));
  pair p = {.tls = with_files(path("good.crt"), path("good.key")),
            .cctx = client_ctx(TLS1_2_VERSION, TLS1_3_VERSION)};
  if (p.tls == NULL)
    fail_msg("%s", err);
  open_pair(&p);
  assert_int_equal(handshake(&p), SRV_TLS_DONE);
  assert_int_equal(X509_cmp(SSL_get0_peer_certificate(p.client), x), 0);
  pair_down(&p);
  X509_free(x);
}

static void missing_cert_file(void **state)
{
  (void)state;
  assert_null(with_files(path("nowhere.crt"), path("nowhere.key")));
  assert_non_null(strstr(err, "--tls-cert "));
  assert_non_null(strstr(err, "nowhere.crt: No such file or directory"));
}

static void cert_without_key(void **state)
{
  (void)state;
  assert_null(with_files(path("nowhere.crt"), NULL));
  assert_string_equal(err, "--tls-cert and --tls-key go together");
}

static void garbage_cert(void **state)
{
  (void)state;
  write_text("garbage.crt", "this is not a certificate\n");
  assert_null(with_files(path("garbage.crt"), path("nowhere.key")));
  assert_non_null(strstr(err, "garbage.crt: no usable PEM certificate in it"));
}

static void empty_cert(void **state)
{
  (void)state;
  write_text("empty.crt", "");
  assert_null(with_files(path("empty.crt"), path("nowhere.key")));
  assert_non_null(strstr(err, "empty.crt: the file is empty"));
}

static void mismatched_key(void **state)
{
  (void)state;
  make_files("mine", -60, 86400);
  make_files("theirs", -60, 86400);
  assert_null(with_files(path("mine.crt"), path("theirs.key")));
  assert_non_null(strstr(err, "theirs.key does not match the certificate in --tls-cert"));
}

static void key_file_without_key(void **state)
{
  (void)state;
  make_files("k", -60, 86400);
  /* The certificate where the key should be. */
  assert_null(with_files(path("k.crt"), path("k.crt")));
  assert_non_null(strstr(err, "--tls-key "));
  assert_non_null(strstr(err, "k.crt: no unencrypted PEM private key in it"));
}

static void encrypted_key_is_refused(void **state)
{
  (void)state;
  EVP_PKEY *key = new_key();
  X509 *x = new_cert(key, -60, 86400);
  write_pair("enc.crt", x, "plain.key", key);
  FILE *fp = fopen(path("enc.key"), "w");
  assert_non_null(fp);
  assert_true(PEM_write_PrivateKey(fp, key, EVP_aes_128_cbc(), NULL, 0, NULL,
                                   (void *)"secret"));
  fclose(fp);
  assert_null(with_files(path("enc.crt"), path("enc.key")));
  assert_non_null(strstr(err, "no unencrypted PEM private key"));
  X509_free(x);
  EVP_PKEY_free(key);
}

static void expired_cert(void **state)
{
  (void)state;
  make_files("old", -3 * 86400, -86400);
  assert_null(with_files(path("old.crt"), path("old.key")));
  assert_non_null(strstr(err, "old.crt: the certificate expired on "));
  assert_non_null(strstr(err, " UTC"));
}

static void not_yet_valid_cert(void **state)
{
  (void)state;
  make_files("future", 86400, 2 * 86400);
  assert_null(with_files(path("future.crt"), path("future.key")));
  assert_non_null(strstr(err, "future.crt: the certificate is not valid before "));
}

static void cert_out_unwritable(void **state)
{
  (void)state;
  srv_tls_options o = {.cert_out = path("no/such/dir.pem")};
  assert_null(srv_tls_new(&o, err, sizeof err));
  assert_non_null(strstr(err, "--tls-cert-out "));
  assert_non_null(strstr(err, "dir.pem: No such file or directory"));
}

static int make_dir(void **state)
{
  (void)state;
  return mkdtemp(dir) == NULL ? -1 : 0;
}

static int remove_dir(void **state)
{
  (void)state;
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
  signal(SIGPIPE, SIG_IGN); /* as the server does */
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(handshake_completes_on_tls13),
      cmocka_unit_test(handshake_completes_on_tls12),
      cmocka_unit_test(tls11_is_refused),
      cmocka_unit_test(tls12_cbc_only_is_refused),
      cmocka_unit_test(alpn_prefers_h2),
      cmocka_unit_test(alpn_http1_when_h2_is_off),
      cmocka_unit_test(alpn_none_without_offer),
      cmocka_unit_test(alpn_none_without_overlap),
      cmocka_unit_test(plain_http_is_not_tls),
      cmocka_unit_test(eof_before_hello),
      cmocka_unit_test(hello_in_pieces),
      cmocka_unit_test(read_takes_several_records),
      cmocka_unit_test(write_resumes_from_moved_buffer),
      cmocka_unit_test(close_notify_is_eof),
      cmocka_unit_test(bare_fin_is_eof),
      cmocka_unit_test(resumes_tls13),
      cmocka_unit_test(resumes_tls12),
      cmocka_unit_test(self_signed_covers_served_names),
      cmocka_unit_test(cert_out_is_the_served_certificate),
      cmocka_unit_test(bad_names_are_refused),
      cmocka_unit_test(given_pair_is_served),
      cmocka_unit_test(missing_cert_file),
      cmocka_unit_test(cert_without_key),
      cmocka_unit_test(garbage_cert),
      cmocka_unit_test(empty_cert),
      cmocka_unit_test(mismatched_key),
      cmocka_unit_test(key_file_without_key),
      cmocka_unit_test(encrypted_key_is_refused),
      cmocka_unit_test(expired_cert),
      cmocka_unit_test(not_yet_valid_cert),
      cmocka_unit_test(cert_out_unwritable),
  };
  return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
