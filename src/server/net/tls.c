/* SPDX-License-Identifier: MIT */
/*
 * tls.c - the server's TLS over OpenSSL 3 (see tls.h). One SSL_CTX serves
 * every worker: OpenSSL locks its session cache, and sharing it (and the
 * ticket keys it made) lets a client resume on any worker. A session reads
 * and writes the socket itself through a socket BIO; read-ahead lets one
 * read(2) take several records, and released buffers keep an idle
 * connection small. At the end, the same sessions as a transport
 * (net/transport.h) under a connection.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "net/tls.h"
#include "net/transport.h"

#define TLS_RECORD_HANDSHAKE 0x16 /* content type of a handshake record */
/* TLS 1.2 suites: forward-secret AEAD only, none of those RFC 9113
 * (Appendix A) forbids for HTTP/2. TLS 1.3 keeps OpenSSL's defaults. */
#define TLS12_CIPHERS "ECDHE+AESGCM:ECDHE+CHACHA20"
#define ALPN_WIRE_MAX 255u        /* protocol-name list, length-prefixed */
#define CERT_DAYS 365
#define CERT_BACKDATE_S 3600      /* a client clock a little behind still
                                     accepts a certificate made just now */

struct srv_tls {
  SSL_CTX *ctx;
  const char *const *alpn;
  size_t alpn_count;
  unsigned char alpn_wire[ALPN_WIRE_MAX];
  unsigned alpn_len;
};

/* A srv_tls_conn is OpenSSL's SSL object itself: no second allocation. */
static SSL *ssl_of(const srv_tls_conn *c)
{
  return (SSL *)(uintptr_t)c;
}

/* ------------------------------------------------------------------------ */
/* Errors */

static bool say(char *err, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static bool say(char *err, size_t size, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, size, fmt, ap);
  va_end(ap);
  return false;
}

/* OpenSSL's reason for the last failure ("no start line", ...). */
static const char *ossl_reason(void)
{
  unsigned long e = ERR_peek_last_error();
  const char *r = e != 0 ? ERR_reason_error_string(e) : NULL;
  return r != NULL ? r : "unknown error";
}

/* An encrypted key is refused rather than prompted for: a server started
 * by a script has nobody to type a passphrase. */
static int no_passphrase(char *buf, int size, int rwflag, void *arg)
{
  (void)buf, (void)size, (void)rwflag, (void)arg;
  return 0;
}

/* ------------------------------------------------------------------------ */
/* Certificates */

static bool format_time(const ASN1_TIME *t, char *out, size_t size)
{
  struct tm tm;
  return ASN1_TIME_to_tm(t, &tm) == 1 &&
         strftime(out, size, "%Y-%m-%d %H:%M:%S UTC", &tm) > 0;
}

/* Refuses a certificate outside its validity period: every client would
 * fail the handshake with an error naming neither the server nor the fix. */
static bool check_validity(X509 *leaf, const char *file, char *err, size_t n)
{
  char when[40] = "?";
  const ASN1_TIME *after = X509_get0_notAfter(leaf);
  const ASN1_TIME *before = X509_get0_notBefore(leaf);
  if (X509_cmp_current_time(after) < 0) {
    format_time(after, when, sizeof when);
    return say(err, n, "--tls-cert %s: the certificate expired on %s", file,
               when);
  }
  if (X509_cmp_current_time(before) > 0) {
    format_time(before, when, sizeof when);
    return say(err, n, "--tls-cert %s: the certificate is not valid before %s",
               file, when);
  }
  return true;
}

/* Opens `file` for reading and reads a byte, so that a missing file, a
 * directory or a permission problem is named as such. */
static FILE *open_readable(const char *option, const char *file, char *err,
                           size_t n)
{
  FILE *fp = fopen(file, "r");
  if (fp != NULL && getc(fp) != EOF) {
    rewind(fp);
    return fp;
  }
  if (fp == NULL || ferror(fp))
    say(err, n, "--%s %s: %s", option, file, strerror(errno));
  else
    say(err, n, "--%s %s: the file is empty", option, file);
  if (fp != NULL)
    fclose(fp);
  return NULL;
}

static EVP_PKEY *read_key(const char *file, char *err, size_t n)
{
  FILE *fp = open_readable("tls-key", file, err, n);
  if (fp == NULL)
    return NULL;
  EVP_PKEY *key = PEM_read_PrivateKey(fp, NULL, no_passphrase, NULL);
  fclose(fp);
  if (key == NULL)
    say(err, n, "--tls-key %s: no unencrypted PEM private key in it (%s)",
        file, ossl_reason());
  return key;
}

/* Loads --tls-cert (leaf then chain) and --tls-key into the context. */
static bool load_pair(SSL_CTX *ctx, const char *cert_file,
                      const char *key_file, char *err, size_t n)
{
  FILE *fp = open_readable("tls-cert", cert_file, err, n);
  if (fp == NULL)
    return false;
  fclose(fp);
  if (SSL_CTX_use_certificate_chain_file(ctx, cert_file) != 1)
    return say(err, n, "--tls-cert %s: no usable PEM certificate in it (%s)",
               cert_file, ossl_reason());
  X509 *leaf = SSL_CTX_get0_certificate(ctx);
  if (!check_validity(leaf, cert_file, err, n))
    return false;
  EVP_PKEY *key = read_key(key_file, err, n);
  if (key == NULL)
    return false;
  bool ok = X509_check_private_key(leaf, key) == 1;
  if (!ok)
    say(err, n, "--tls-key %s does not match the certificate in --tls-cert %s",
        key_file, cert_file);
  else if (SSL_CTX_use_PrivateKey(ctx, key) != 1 ||
           SSL_CTX_check_private_key(ctx) != 1)
    ok = say(err, n, "--tls-key %s: cannot use the key (%s)", key_file,
             ossl_reason());
  EVP_PKEY_free(key);
  return ok;
}

/* A DNS name as a certificate may hold it: dot-separated labels of
 * letters, digits and inner hyphens, optionally behind a "*." wildcard. */
static bool dns_name_ok(const char *s)
{
  size_t len = strlen(s);
  if (len > 2 && s[0] == '*' && s[1] == '.')
    s += 2, len -= 2;
  if (len == 0 || len > 253)
    return false;
  size_t label = 0;
  for (size_t i = 0; i <= len; i++) {
    char ch = s[i];
    if (ch == '.' || ch == '\0') {
      if (label == 0 || label > 63 || s[i - 1] == '-')
        return false;
      label = 0;
    } else if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
               (ch >= '0' && ch <= '9') || (ch == '-' && label > 0)) {
      label++;
    } else {
      return false;
    }
  }
  return true;
}

bool srv_tls_name_ok(const char *name)
{
  ASN1_OCTET_STRING *ip = a2i_IPADDRESS(name);
  ASN1_OCTET_STRING_free(ip);
  return ip != NULL || dns_name_ok(name);
}

/* True for 0.0.0.0 and ::, which no client connects to by name. */
static bool unspecified(const ASN1_OCTET_STRING *ip)
{
  const unsigned char *p = ASN1_STRING_get0_data(ip);
  for (int i = 0; i < ASN1_STRING_length(ip); i++)
    if (p[i] != 0)
      return false;
  return true;
}

/* Adds `name` to the subjectAltName list as an IP address or a DNS name,
 * once. */
static bool add_name(GENERAL_NAMES *names, const char *name)
{
  GENERAL_NAME *g = GENERAL_NAME_new();
  ASN1_OCTET_STRING *ip = a2i_IPADDRESS(name);
  if (g == NULL)
    return false;
  if (ip != NULL && unspecified(ip)) {
    ASN1_OCTET_STRING_free(ip);
    GENERAL_NAME_free(g);
    return true;
  }
  if (ip != NULL) {
    GENERAL_NAME_set0_value(g, GEN_IPADD, ip);
  } else {
    ASN1_IA5STRING *dns = ASN1_IA5STRING_new();
    if (dns == NULL || ASN1_STRING_set(dns, name, -1) != 1) {
      ASN1_IA5STRING_free(dns);
      GENERAL_NAME_free(g);
      return false;
    }
    GENERAL_NAME_set0_value(g, GEN_DNS, dns);
  }
  for (int i = 0; i < sk_GENERAL_NAME_num(names); i++)
    if (GENERAL_NAME_cmp(sk_GENERAL_NAME_value(names, i), g) == 0) {
      GENERAL_NAME_free(g);
      return true;
    }
  if (sk_GENERAL_NAME_push(names, g) == 0) {
    GENERAL_NAME_free(g);
    return false;
  }
  return true;
}

static bool add_ext(X509 *x, int nid, const char *value)
{
  X509V3_CTX v3;
  X509V3_set_ctx(&v3, x, x, NULL, NULL, 0);
  X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &v3, nid, value);
  bool ok = ext != NULL && X509_add_ext(x, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  return ok;
}

/* The served names: localhost and the loopback addresses, then o->names. */
static bool add_alt_names(X509 *x, const srv_tls_options *o)
{
  static const char *const always[] = {"localhost", "127.0.0.1", "::1"};
  GENERAL_NAMES *names = sk_GENERAL_NAME_new_null();
  bool ok = names != NULL;
  for (size_t i = 0; ok && i < sizeof always / sizeof always[0]; i++)
    ok = add_name(names, always[i]);
  for (size_t i = 0; ok && i < o->name_count; i++)
    ok = add_name(names, o->names[i]);
  ok = ok && X509_add1_ext_i2d(x, NID_subject_alt_name, names, 0, 0) == 1;
  GENERAL_NAMES_free(names);
  return ok;
}

/* A random positive 127-bit serial, as RFC 5280 (Section 4.1.2.2) allows. */
static bool set_serial(X509 *x)
{
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1)
    return false;
  bytes[0] = (unsigned char)((bytes[0] & 0x7f) | 0x40);
  BIGNUM *bn = BN_bin2bn(bytes, sizeof bytes, NULL);
  bool ok = bn != NULL && BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)) != NULL;
  BN_free(bn);
  return ok;
}

/* A self-signed leaf, not a CA (basicConstraints CA:FALSE): OpenSSL, and so
 * curl --cacert, trusts it as its own anchor, and it cannot sign others. */
static bool make_self_signed(SSL_CTX *ctx, const srv_tls_options *o,
                             char *err, size_t n)
{
  EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
  X509 *x = X509_new();
  X509_NAME *subject = X509_get_subject_name(x);
  bool ok = key != NULL && x != NULL && X509_set_version(x, X509_VERSION_3) &&
            set_serial(x) &&
            X509_gmtime_adj(X509_getm_notBefore(x), -CERT_BACKDATE_S) &&
            X509_time_adj_ex(X509_getm_notAfter(x), CERT_DAYS, 0, NULL) &&
            X509_NAME_add_entry_by_txt(subject, "O", MBSTRING_ASC,
                                       (const unsigned char *)"httpstatus serve",
                                       -1, -1, 0) &&
            X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC,
                                       (const unsigned char *)"localhost", -1,
                                       -1, 0) &&
            X509_set_issuer_name(x, subject) && X509_set_pubkey(x, key) &&
            add_ext(x, NID_basic_constraints, "critical,CA:FALSE") &&
            add_ext(x, NID_key_usage, "critical,digitalSignature") &&
            add_ext(x, NID_ext_key_usage, "serverAuth") &&
            add_ext(x, NID_subject_key_identifier, "hash") &&
            add_alt_names(x, o) && X509_sign(x, key, EVP_sha256()) > 0 &&
            SSL_CTX_use_certificate(ctx, x) == 1 &&
            SSL_CTX_use_PrivateKey(ctx, key) == 1;
  if (!ok)
    say(err, n, "cannot make a self-signed certificate (%s)", ossl_reason());
  X509_free(x);
  EVP_PKEY_free(key);
  return ok;
}

static bool write_cert(SSL_CTX *ctx, const char *file, char *err, size_t n)
{
  FILE *fp = fopen(file, "w");
  if (fp == NULL)
    return say(err, n, "--tls-cert-out %s: %s", file, strerror(errno));
  bool ok = PEM_write_X509(fp, SSL_CTX_get0_certificate(ctx)) == 1;
  ok = (fclose(fp) == 0) && ok;
  if (!ok)
    say(err, n, "--tls-cert-out %s: cannot write the certificate (%s)", file,
        strerror(errno));
  return ok;
}

/* ------------------------------------------------------------------------ */
/* The context */

/* Chooses the first protocol of the server's list the client offers; a
 * client offering none of them goes on without ALPN (HTTP/1.1). */
static int select_alpn(SSL *ssl, const unsigned char **out,
                       unsigned char *out_len, const unsigned char *in,
                       unsigned int in_len, void *arg)
{
  srv_tls *t = arg;
  unsigned char *chosen = NULL;
  (void)ssl;
  if (SSL_select_next_proto(&chosen, out_len, t->alpn_wire, t->alpn_len, in,
                            in_len) != OPENSSL_NPN_NEGOTIATED)
    return SSL_TLSEXT_ERR_NOACK;
  *out = chosen;
  return SSL_TLSEXT_ERR_OK;
}

static bool set_alpn(srv_tls *t, const srv_tls_options *o, char *err,
                     size_t n)
{
  t->alpn = o->alpn;
  t->alpn_count = o->alpn_count;
  for (size_t i = 0; i < o->alpn_count; i++) {
    size_t len = strlen(o->alpn[i]);
    if (len == 0 || len > 255 || t->alpn_len + 1 + len > sizeof t->alpn_wire)
      return say(err, n, "ALPN: protocol names of 1 to 255 bytes, 255 in all");
    t->alpn_wire[t->alpn_len++] = (unsigned char)len;
    memcpy(t->alpn_wire + t->alpn_len, o->alpn[i], len);
    t->alpn_len += (unsigned)len;
  }
  if (t->alpn_len > 0)
    SSL_CTX_set_alpn_select_cb(t->ctx, select_alpn, t);
  return true;
}

static bool configure(SSL_CTX *ctx)
{
  static const unsigned char sid_ctx[] = "httpstatus serve";
  SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION |
                               SSL_OP_CIPHER_SERVER_PREFERENCE |
                               SSL_OP_IGNORE_UNEXPECTED_EOF |
                               SSL_OP_NO_COMPRESSION);
  /* NO_AUTO_CHAIN: the chain sent is the one the certificate file holds;
   * otherwise OpenSSL would build (and verify) one at every handshake. */
  SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS |
                            SSL_MODE_ENABLE_PARTIAL_WRITE |
                            SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER |
                            SSL_MODE_NO_AUTO_CHAIN);
  SSL_CTX_set_read_ahead(ctx, 1);
  SSL_CTX_set_security_level(ctx, 2);
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_SERVER);
  SSL_CTX_set_default_passwd_cb(ctx, no_passphrase);
  return SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) == 1 &&
         SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION) == 1 &&
         SSL_CTX_set_cipher_list(ctx, TLS12_CIPHERS) == 1 &&
         SSL_CTX_set_session_id_context(ctx, sid_ctx, sizeof sid_ctx - 1) == 1;
}

srv_tls *srv_tls_new(const srv_tls_options *o, char *err, size_t err_size)
{
  srv_tls *t = calloc(1, sizeof *t);
  if (t == NULL) {
    say(err, err_size, "out of memory");
    return NULL;
  }
  ERR_clear_error();
  t->ctx = SSL_CTX_new(TLS_server_method());
  bool ok = t->ctx != NULL && configure(t->ctx);
  if (!ok)
    say(err, err_size, "cannot set up TLS (%s)", ossl_reason());
  for (size_t i = 0; ok && i < o->name_count; i++)
    if (!srv_tls_name_ok(o->names[i]))
      ok = say(err, err_size, "'%.80s' is neither a DNS name nor an IP address",
               o->names[i]);
  if (ok)
    SSL_CTX_set_app_data(t->ctx, t);
  ok = ok && set_alpn(t, o, err, err_size);
  if (ok && (o->cert_file != NULL) != (o->key_file != NULL))
    ok = say(err, err_size, "--tls-cert and --tls-key go together");
  if (ok)
    ok = o->cert_file != NULL
             ? load_pair(t->ctx, o->cert_file, o->key_file, err, err_size)
             : make_self_signed(t->ctx, o, err, err_size);
  if (ok && o->cert_out != NULL)
    ok = write_cert(t->ctx, o->cert_out, err, err_size);
  ERR_clear_error();
  if (!ok) {
    srv_tls_free(t);
    return NULL;
  }
  return t;
}

void srv_tls_free(srv_tls *t)
{
  if (t == NULL)
    return;
  SSL_CTX_free(t->ctx);
  free(t);
}

/* ------------------------------------------------------------------------ */
/* Sessions */

srv_tls_conn *srv_tls_conn_new(srv_tls *t, int fd)
{
  SSL *ssl = SSL_new(t->ctx);
  if (ssl == NULL)
    return NULL;
  if (SSL_set_fd(ssl, fd) != 1) {
    SSL_free(ssl);
    return NULL;
  }
  SSL_set_accept_state(ssl);
  return (srv_tls_conn *)(void *)ssl;
}

void srv_tls_conn_free(srv_tls_conn *c)
{
  if (c == NULL)
    return;
  SSL *ssl = ssl_of(c);
  /* OpenSSL forgets the session of a connection freed without
   * close_notify; a client closing without one, or an idle timeout, must
   * not cost the next connection its resumption (a fatal alert already
   * removed the session of a failed one). */
  if (SSL_is_init_finished(ssl))
    SSL_set_shutdown(ssl, SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
  SSL_free(ssl);
}

/* What a failed call (rc <= 0) asks for. The error queue is per thread and
 * cleared before each call, so SSL_get_error sees only this call's. */
static srv_tls_status status_of(SSL *ssl, int rc)
{
  switch (SSL_get_error(ssl, rc)) {
  case SSL_ERROR_WANT_READ:
    return SRV_TLS_WANT_READ;
  case SSL_ERROR_WANT_WRITE:
    return SRV_TLS_WANT_WRITE;
  case SSL_ERROR_ZERO_RETURN: /* also a bare FIN: SSL_OP_IGNORE_UNEXPECTED_EOF */
    return SRV_TLS_EOF;
  default:
    /* After a fatal error SSL_shutdown must send nothing. */
    SSL_set_quiet_shutdown(ssl, 1);
    return SRV_TLS_ERROR;
  }
}

/* Looks at the first byte without taking it (nothing is read before). */
static srv_tls_status peek_first(SSL *ssl)
{
  unsigned char first;
  ssize_t n;
  do
    n = recv(SSL_get_fd(ssl), &first, 1, MSG_PEEK | MSG_DONTWAIT);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    return errno == EAGAIN || errno == EWOULDBLOCK ? SRV_TLS_WANT_READ
                                                   : SRV_TLS_ERROR;
  if (n == 0)
    return SRV_TLS_EOF;
  return first == TLS_RECORD_HANDSHAKE ? SRV_TLS_DONE : SRV_TLS_NOT_TLS;
}

srv_tls_status srv_tls_handshake(srv_tls_conn *c)
{
  SSL *ssl = ssl_of(c);
  if (BIO_number_read(SSL_get_rbio(ssl)) == 0) {
    srv_tls_status first = peek_first(ssl);
    if (first != SRV_TLS_DONE)
      return first;
  }
  ERR_clear_error();
  int rc = SSL_do_handshake(ssl);
  return rc == 1 ? SRV_TLS_DONE : status_of(ssl, rc);
}

srv_tls_status srv_tls_read(srv_tls_conn *c, char *buf, size_t cap,
                            size_t *got)
{
  SSL *ssl = ssl_of(c);
  size_t total = 0;
  srv_tls_status status = SRV_TLS_DONE;
  /* One record per SSL_read: go on while read-ahead kept more. */
  while (total < cap) {
    size_t n = 0;
    ERR_clear_error();
    int rc = SSL_read_ex(ssl, buf + total, cap - total, &n);
    if (rc != 1) {
      status = status_of(ssl, rc);
      break;
    }
    total += n;
    if (!SSL_has_pending(ssl))
      break;
  }
  *got = total;
  /* Bytes read come first; what stopped the reading shows again next call. */
  return total > 0 ? SRV_TLS_DONE : status;
}

bool srv_tls_pending(const srv_tls_conn *c)
{
  return SSL_has_pending(ssl_of(c)) == 1;
}

srv_tls_status srv_tls_write(srv_tls_conn *c, const char *data, size_t len,
                             size_t *put)
{
  SSL *ssl = ssl_of(c);
  size_t total = 0;
  /* With partial writes on, each call sends one record. */
  while (total < len) {
    size_t n = 0;
    ERR_clear_error();
    int rc = SSL_write_ex(ssl, data + total, len - total, &n);
    if (rc != 1) {
      srv_tls_status status = status_of(ssl, rc);
      *put = total;
      return status == SRV_TLS_EOF ? SRV_TLS_ERROR : status;
    }
    total += n;
  }
  *put = total;
  return SRV_TLS_DONE;
}

srv_tls_status srv_tls_shutdown(srv_tls_conn *c)
{
  SSL *ssl = ssl_of(c);
  ERR_clear_error();
  int rc = SSL_shutdown(ssl);
  if (rc >= 0)
    return SRV_TLS_DONE;
  srv_tls_status status = status_of(ssl, rc);
  return status == SRV_TLS_WANT_WRITE ? status : SRV_TLS_ERROR;
}

const char *srv_tls_alpn(const srv_tls_conn *c)
{
  SSL *ssl = ssl_of(c);
  const srv_tls *t = SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl));
  const unsigned char *p = NULL;
  unsigned len = 0;
  SSL_get0_alpn_selected(ssl, &p, &len);
  for (size_t i = 0; t != NULL && len > 0 && i < t->alpn_count; i++)
    if (strlen(t->alpn[i]) == len && memcmp(t->alpn[i], p, len) == 0)
      return t->alpn[i];
  return NULL;
}

bool srv_tls_resumed(const srv_tls_conn *c)
{
  return SSL_session_reused(ssl_of(c)) == 1;
}

const char *srv_tls_version(const srv_tls_conn *c)
{
  return SSL_get_version(ssl_of(c));
}

/* ------------------------------------------------------------------------ */
/* The transport */

static srv_tls_conn *session_of(const srv_transport *t)
{
  return t->state;
}

/* srv_tls_status to srv_io: the transport's callers know nothing else. */
static srv_io io_of(srv_tls_status s)
{
  switch (s) {
  case SRV_TLS_DONE:
    return SRV_IO_OK;
  case SRV_TLS_WANT_READ:
    return SRV_IO_WANT_READ;
  case SRV_TLS_WANT_WRITE:
    return SRV_IO_WANT_WRITE;
  case SRV_TLS_EOF:
    return SRV_IO_EOF;
  case SRV_TLS_NOT_TLS:
    return SRV_IO_NOT_TLS;
  case SRV_TLS_ERROR:
    break;
  }
  return SRV_IO_ERROR;
}

static srv_io tls_handshake_op(srv_transport *t)
{
  return io_of(srv_tls_handshake(session_of(t)));
}

static srv_io tls_recv(srv_transport *t, char *buf, size_t len, size_t *n)
{
  return io_of(srv_tls_read(session_of(t), buf, len, n));
}

/* What was taken counts as progress even when the rest must wait. */
static srv_io tls_send(srv_transport *t, const char *buf, size_t len,
                       size_t *n)
{
  srv_tls_status s = srv_tls_write(session_of(t), buf, len, n);
  return *n > 0 || s == SRV_TLS_DONE ? SRV_IO_OK : io_of(s);
}

static size_t tls_pending(srv_transport *t)
{
  return srv_tls_pending(session_of(t)) ? 1 : 0;
}

/* close_notify when the socket takes it, then FIN. */
static srv_io tls_shutdown_op(srv_transport *t)
{
  if (SSL_is_init_finished(ssl_of(session_of(t))))
    srv_tls_shutdown(session_of(t));
  return shutdown(t->fd, SHUT_WR) == 0 ? SRV_IO_OK : SRV_IO_ERROR;
}

static void tls_close(srv_transport *t)
{
  srv_tls_conn *c = session_of(t);
  /* close_notify, so that a client reading to the end can tell our close
   * from a cut connection (sent once: SSL_shutdown repeats nothing). */
  if (c != NULL && SSL_is_init_finished(ssl_of(c)))
    srv_tls_shutdown(c);
  srv_tls_conn_free(c);
  t->state = NULL;
  if (t->fd >= 0)
    close(t->fd);
  t->fd = -1;
}

static const char *tls_alpn(srv_transport *t)
{
  return srv_tls_alpn(session_of(t));
}

static const srv_transport_ops tls_ops = {
    .name = "tls",
    .tls = true,
    .handshake = tls_handshake_op,
    .recv = tls_recv,
    .send = tls_send,
    .pending = tls_pending,
    .shutdown = tls_shutdown_op,
    .close = tls_close,
    .alpn = tls_alpn,
};

bool srv_tls_open(srv_transport *t, int fd, srv_tls *ctx)
{
  srv_tls_conn *c = srv_tls_conn_new(ctx, fd);
  if (c == NULL)
    return false;
  t->ops = &tls_ops;
  t->fd = fd;
  t->state = c;
  return true;
}

void srv_tls_to_tcp(srv_transport *t)
{
  int fd = t->fd;
  srv_tls_conn_free(session_of(t));
  srv_tcp_open(t, fd);
}
