/* SPDX-License-Identifier: MIT */
/*
 * core/auth.c - credentials (RFC 9110, Section 11): Basic (RFC 7617),
 * Bearer (RFC 6750) and Digest (RFC 7616) routes, each also as a proxy
 * would ask (407, Proxy-Authenticate, Proxy-Authorization).
 *
 * Digest nonces are stateless: the moment they were issued and a MAC of it
 * under a key drawn at start-up, so any worker checks any nonce and a
 * restart invalidates them all. Nothing remembers the nonce-counts seen,
 * so a replayed request is not detected: this is a test server.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "core/core.h"

#define REALM "httpstatus"
#define MAX_CREDENTIALS 512      /* decoded Basic user-pass */
#define NONCE_LIFETIME_S 300u    /* unless the route says otherwise */
#define MAX_LIFETIME_S 86400u

static unsigned char nonce_key[32];

void srv_auth_init(void)
{
  if (RAND_bytes(nonce_key, sizeof nonce_key) != 1) {
    fputs("httpstatus serve: no random bytes for the digest nonce key\n",
          stderr);
    abort();
  }
}

/* Who asks: the origin server (401) or a proxy (407). */
typedef struct asker {
  int refuse;                /* 401 or 407 */
  srv_field credentials;     /* Authorization or Proxy-Authorization */
  const char *challenge;     /* WWW-Authenticate or Proxy-Authenticate */
  const char *info;          /* Authentication-Info or its proxy twin */
} asker;

static const asker origin = {HTTPSTATUS_CODE_UNAUTHORIZED,
                             SRV_F_AUTHORIZATION, "WWW-Authenticate",
                             "Authentication-Info"};
static const asker proxy = {HTTPSTATUS_CODE_PROXY_AUTHENTICATION_REQUIRED,
                            SRV_F_PROXY_AUTHORIZATION, "Proxy-Authenticate",
                            "Proxy-Authentication-Info"};

/* The credentials after "<scheme> ", or {NULL, 0} for another scheme. */
static srv_span credentials(const srv_exchange *x, const asker *a,
                            const char *scheme)
{
  srv_span f = srv_trim(x->fields[a->credentials]);
  size_t n = strlen(scheme);
  if (f.len <= n || !srv_iprefix(f.s, f.len, scheme) || f.s[n] != ' ')
    return (srv_span){NULL, 0};
  return srv_trim((srv_span){f.s + n + 1, f.len - n - 1});
}

/* Splits the route's argument into exactly `n` decoded segments. */
static bool segments(srv_reply *out, srv_span arg, srv_span *seg, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    if (arg.s == NULL)
      return false;
    size_t len = srv_span_until(arg.s, arg.len, "/");
    if (!srv_reply_decode(out, (srv_span){arg.s, len}, &seg[i]))
      return false;
    arg = len < arg.len ? (srv_span){arg.s + len + 1, arg.len - len - 1}
                        : (srv_span){NULL, 0};
  }
  return arg.s == NULL;
}

static bool equal(srv_span a, const char *b, size_t len)
{
  return a.len == len && CRYPTO_memcmp(a.s, b, len) == 0;
}

/* {"authenticated":true,"user":"..."} (or "token") */
static int authenticated(srv_reply *out, const char *key, srv_span value)
{
  srv_buf_printf(out->body, "{\"authenticated\":true,\"%s\":", key);
  srv_buf_json_string(out->body, value.s, value.len);
  srv_buf_puts(out->body, "}\n");
  out->ctype = srv_type_names[SRV_JSON];
  return HTTPSTATUS_CODE_OK;
}

/* A refusal: `code` with its page (the challenge is already a field). */
static int refused(srv_reply *out, int code)
{
  srv_page_code(code, out->r->type, out->body);
  return code;
}

/* ------------------------------------------------------------------------ */
/* Basic */

static int basic(srv_reply *out, const asker *a, int refuse)
{
  srv_span seg[2];
  if (!segments(out, out->r->arg, seg, 2))
    return srv_reply_error(out, HTTPSTATUS_CODE_NOT_FOUND,
                           "use /%s/{user}/{password}", out->r->handler->name);
  if (refuse != HTTPSTATUS_CODE_NOT_FOUND)
    srv_reply_field(out, a->challenge, "Basic realm=\"" REALM "\"");
  char expected[MAX_CREDENTIALS], given[MAX_CREDENTIALS];
  int n = snprintf(expected, sizeof expected, "%.*s:%.*s", (int)seg[0].len,
                   seg[0].s, (int)seg[1].len, seg[1].s);
  srv_span b64 = credentials(out->r->x, a, "Basic");
  long got = b64.s == NULL ? -1
                           : srv_base64_decode(b64, SRV_BASE64_STD,
                                               (uint8_t *)given, sizeof given);
  if (n < 0 || (size_t)n >= sizeof expected || got < 0 ||
      !equal((srv_span){given, (size_t)got}, expected, (size_t)n))
    return refused(out, refuse);
  out->count = 0; /* no challenge on success */
  return authenticated(out, "user", seg[0]);
}

static int basic_answer(srv_reply *out)
{
  return basic(out, &origin, HTTPSTATUS_CODE_UNAUTHORIZED);
}

static int hidden_basic_answer(srv_reply *out)
{
  return basic(out, &origin, HTTPSTATUS_CODE_NOT_FOUND);
}

static int proxy_basic_answer(srv_reply *out)
{
  return basic(out, &proxy, HTTPSTATUS_CODE_PROXY_AUTHENTICATION_REQUIRED);
}

/* ------------------------------------------------------------------------ */
/* Bearer */

/* b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=" */
static bool b64token(srv_span t)
{
  size_t i = 0;
  for (; i < t.len; i++) {
    char ch = t.s[i];
    if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
          (ch >= '0' && ch <= '9') || strchr("-._~+/", ch) != NULL))
      break;
  }
  if (i == 0)
    return false;
  while (i < t.len && t.s[i] == '=')
    i++;
  return i == t.len;
}

static int bearer_answer(srv_reply *out)
{
  if (out->r->arg.s != NULL)
    return srv_reply_error(out, HTTPSTATUS_CODE_NOT_FOUND, "use /bearer");
  srv_span token = credentials(out->r->x, &origin, "Bearer");
  if (token.s != NULL && b64token(token))
    return authenticated(out, "token", token);
  if (token.s != NULL)
    srv_reply_field(out, origin.challenge,
                    "Bearer realm=\"" REALM "\", error=\"invalid_token\"");
  else
    srv_reply_field(out, origin.challenge, "Bearer realm=\"" REALM "\"");
  return refused(out, HTTPSTATUS_CODE_UNAUTHORIZED);
}

/* ------------------------------------------------------------------------ */
/* Digest */

typedef struct algorithm {
  const char *name;
  const EVP_MD *(*md)(void);
  bool sess;
} algorithm;

static const algorithm algorithms[] = {
    {"MD5", EVP_md5, false},
    {"MD5-sess", EVP_md5, true},
    {"SHA-256", EVP_sha256, false},
    {"SHA-256-sess", EVP_sha256, true},
    {"SHA-512-256", EVP_sha512_256, false},
    {"SHA-512-256-sess", EVP_sha512_256, true},
};

#define HEX_MAX (2 * EVP_MAX_MD_SIZE + 1)

/* H(parts[0] ":" parts[1] ...) in lower-case hex. */
static void hash_hex(const algorithm *alg, const srv_span *parts, size_t n,
                     char out[HEX_MAX])
{
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_MD_CTX *ctx = EVP_MD_CTX_new();
  if (ctx == NULL || EVP_DigestInit_ex(ctx, alg->md(), NULL) != 1)
    abort();
  for (size_t i = 0; i < n; i++) {
    if (i > 0)
      EVP_DigestUpdate(ctx, ":", 1);
    EVP_DigestUpdate(ctx, parts[i].s, parts[i].len);
  }
  EVP_DigestFinal_ex(ctx, md, &len);
  EVP_MD_CTX_free(ctx);
  for (unsigned int i = 0; i < len; i++)
    snprintf(out + 2 * i, 3, "%02x", md[i]);
  out[2 * len] = '\0';
}

#define NONCE_LEN 48 /* 16 hex digits of time, 32 of MAC */

static void mac_hex(const char *data, size_t len, char out[33])
{
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  HMAC(EVP_sha256(), nonce_key, sizeof nonce_key, (const unsigned char *)data,
       len, mac, &mac_len);
  for (unsigned int i = 0; i < 16; i++)
    snprintf(out + 2 * i, 3, "%02x", mac[i]);
}

static void make_nonce(int64_t issued, char out[NONCE_LEN + 1])
{
  snprintf(out, NONCE_LEN + 1, "%016llx", (unsigned long long)issued);
  mac_hex(out, 16, out + 16);
}

static void make_opaque(char out[33])
{
  mac_hex("opaque", 6, out);
}

/* True when the nonce is one this process issued; *issued gets when. */
static bool nonce_valid(srv_span nonce, int64_t *issued)
{
  char want[NONCE_LEN + 1];
  uint64_t t = 0;
  if (nonce.len != NONCE_LEN)
    return false;
  for (size_t i = 0; i < 16; i++) {
    int v = srv_hex_digit(nonce.s[i]);
    if (v < 0)
      return false;
    t = t << 4 | (uint64_t)v;
  }
  make_nonce((int64_t)t, want);
  *issued = (int64_t)t;
  return CRYPTO_memcmp(want, nonce.s, NONCE_LEN) == 0;
}

/* What the route asks for: /digest-auth/{qop}/{user}/{password}
 * [/{algorithm}[/{nonce lifetime in seconds}]]. */
typedef struct digest_route {
  srv_span qop, user, password;
  bool auth_int;
  const algorithm *alg;
  uint64_t lifetime;
} digest_route;

static bool digest_route_of(srv_reply *out, digest_route *d)
{
  srv_span seg[5] = {{NULL, 0}};
  srv_span arg = out->r->arg;
  size_t n = arg.s != NULL;
  for (size_t i = 0; arg.s != NULL && i < arg.len; i++)
    n += arg.s[i] == '/';
  if (n < 3 || n > 5 || !segments(out, arg, seg, n))
    return false;
  d->qop = seg[0];
  d->user = seg[1];
  d->password = seg[2];
  d->alg = &algorithms[0];
  d->lifetime = NONCE_LIFETIME_S;
  if (!srv_ieq(d->qop.s, d->qop.len, "auth") &&
      !srv_ieq(d->qop.s, d->qop.len, "auth-int"))
    return false;
  d->auth_int = d->qop.len == 8;
  if (n >= 4) {
    d->alg = NULL;
    for (size_t i = 0; i < sizeof algorithms / sizeof algorithms[0]; i++)
      if (srv_ieq(seg[3].s, seg[3].len, algorithms[i].name))
        d->alg = &algorithms[i];
    if (d->alg == NULL)
      return false;
  }
  return n < 5 ||
         srv_parse_u64(seg[4].s, seg[4].len, MAX_LIFETIME_S, &d->lifetime);
}

/* The parameters of a Digest Authorization field (RFC 7616, Section 3.4). */
typedef struct digest_params {
  srv_span username, realm, nonce, uri, response, algorithm, cnonce, opaque,
      qop, nc, userhash;
} digest_params;

/* Reads `name=value` pairs; a quoted-string value is unescaped into out's
 * text. False when the field is not a list of such pairs. */
static bool digest_params_of(srv_reply *out, srv_span creds, digest_params *p)
{
  static const struct {
    const char *name;
    size_t offset;
  } known[] = {
      {"username", offsetof(digest_params, username)},
      {"realm", offsetof(digest_params, realm)},
      {"nonce", offsetof(digest_params, nonce)},
      {"uri", offsetof(digest_params, uri)},
      {"response", offsetof(digest_params, response)},
      {"algorithm", offsetof(digest_params, algorithm)},
      {"cnonce", offsetof(digest_params, cnonce)},
      {"opaque", offsetof(digest_params, opaque)},
      {"qop", offsetof(digest_params, qop)},
      {"nc", offsetof(digest_params, nc)},
      {"userhash", offsetof(digest_params, userhash)},
  };
  memset(p, 0, sizeof *p);
  srv_span item;
  for (size_t pos = 0; srv_list_next(creds, &pos, &item);) {
    size_t eq = srv_span_until(item.s, item.len, "=");
    if (eq == item.len)
      return false;
    srv_span name = srv_trim((srv_span){item.s, eq});
    srv_span value = srv_trim((srv_span){item.s + eq + 1, item.len - eq - 1});
    if (value.len >= 2 && value.s[0] == '"' && value.s[value.len - 1] == '"') {
      char *at = out->text + out->text_len;
      size_t n = 0;
      for (size_t i = 1; i + 1 < value.len; i++) {
        if (value.s[i] == '\\' && i + 2 < value.len)
          i++;
        if (out->text_len + n == sizeof out->text)
          return false;
        at[n++] = value.s[i];
      }
      out->text_len += n;
      value = (srv_span){at, n};
    }
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
      if (srv_ieq(name.s, name.len, known[i].name))
        *(srv_span *)(void *)((char *)p + known[i].offset) = value;
  }
  return true;
}

static void challenge(srv_reply *out, const asker *a, const digest_route *d,
                      bool stale)
{
  char nonce[NONCE_LEN + 1], opaque[33];
  make_nonce(srv_core_now(out->core), nonce);
  make_opaque(opaque);
  srv_reply_field(out, a->challenge,
                  "Digest realm=\"" REALM "\", qop=\"%s\", algorithm=%s, "
                  "nonce=\"%s\", opaque=\"%s\"%s",
                  d->auth_int ? "auth-int" : "auth", d->alg->name, nonce,
                  opaque, stale ? ", stale=true" : "");
}

static bool hex(srv_span s, size_t len)
{
  if (s.len != len)
    return false;
  for (size_t i = 0; i < len; i++)
    if (srv_hex_digit(s.s[i]) < 0)
      return false;
  return true;
}

/* The response a client knowing the password sends, and the rspauth of
 * Authentication-Info (Section 3.5: A2 without the method). */
static void expected(const digest_route *d, const digest_params *p,
                     srv_span method, bool auth_int, char response[HEX_MAX],
                     char rspauth[HEX_MAX])
{
  static const srv_span realm = {REALM, sizeof REALM - 1};
  char ha1[HEX_MAX], ha2[HEX_MAX], body[HEX_MAX];
  srv_span a1[] = {d->user, realm, d->password};
  hash_hex(d->alg, a1, 3, ha1);
  if (d->alg->sess) {
    srv_span sess[] = {srv_span_of(ha1), p->nonce, p->cnonce};
    hash_hex(d->alg, sess, 3, ha1);
  }
  srv_span empty = {"", 0};
  hash_hex(d->alg, &empty, 1, body); /* auth-int: content is refused */
  for (int pass = 0; pass < 2; pass++) {
    srv_span a2[] = {pass == 0 ? method : empty, p->uri, srv_span_of(body)};
    hash_hex(d->alg, a2, auth_int ? 3 : 2, ha2);
    srv_span kd[] = {srv_span_of(ha1), p->nonce, p->nc, p->cnonce, p->qop,
                     srv_span_of(ha2)};
    hash_hex(d->alg, kd, 6, pass == 0 ? response : rspauth);
  }
}

/* The uri parameter names the request-target: as sent, or (clients of a
 * proxy differ) the origin-form of an absolute-form target. */
static bool uri_matches(srv_span uri, srv_span target)
{
  if (equal(uri, target.s, target.len))
    return true;
  size_t skip = srv_iprefix(target.s, target.len, "http://")    ? 7
                : srv_iprefix(target.s, target.len, "https://") ? 8
                                                                : 0;
  if (skip == 0)
    return false;
  size_t auth = srv_span_until(target.s + skip, target.len - skip, "/?");
  srv_span rest = {target.s + skip + auth, target.len - skip - auth};
  return equal(uri, rest.s, rest.len);
}

static int digest(srv_reply *out, const asker *a)
{
  const srv_request *r = out->r;
  const srv_exchange *x = r->x;
  digest_route d;
  if (!digest_route_of(out, &d))
    return srv_reply_error(
        out, HTTPSTATUS_CODE_NOT_FOUND,
        "use /%s/{auth|auth-int}/{user}/{password}[/{algorithm}[/{seconds}]]"
        " (MD5, SHA-256, SHA-512-256, each also -sess; a nonce lives 0-%u s)",
        r->handler->name, MAX_LIFETIME_S);
  bool auth_int = d.auth_int;
  srv_span creds = credentials(x, a, "Digest");
  digest_params p;
  if (creds.s == NULL) {
    challenge(out, a, &d, false);
    return refused(out, a->refuse);
  }
  if (!digest_params_of(out, creds, &p) || p.username.s == NULL ||
      p.nonce.s == NULL || p.uri.s == NULL || p.response.s == NULL ||
      p.cnonce.s == NULL || p.qop.s == NULL || !hex(p.nc, 8) ||
      srv_span_until(p.cnonce.s, p.cnonce.len, "\"\\") != p.cnonce.len)
    return srv_reply_error(out, HTTPSTATUS_CODE_BAD_REQUEST,
                           "the Digest credentials lack username, nonce, uri, "
                           "response, cnonce (without quote or backslash), "
                           "qop or an 8-digit nc");
  if (!uri_matches(p.uri, x->target))
    return srv_reply_error(out, HTTPSTATUS_CODE_BAD_REQUEST,
                           "the Digest uri is not this request's target "
                           "(RFC 7616, Section 3.4.6)");
  if (auth_int && x->body_bytes > 0)
    return srv_reply_error(out, HTTPSTATUS_CODE_BAD_REQUEST,
                           "qop=auth-int is checked on requests without "
                           "content only: the server keeps no content");
  char opaque[33], want[HEX_MAX], rspauth[HEX_MAX];
  make_opaque(opaque);
  int64_t issued;
  srv_span alg = p.algorithm.s != NULL ? p.algorithm : srv_span_of("MD5");
  bool ok = equal(p.username, d.user.s, d.user.len) &&
            (p.userhash.s == NULL || srv_ieq(p.userhash.s, p.userhash.len,
                                             "false")) &&
            srv_ieq(p.realm.s, p.realm.len, REALM) &&
            srv_ieq(alg.s, alg.len, d.alg->name) &&
            srv_span_ieq(p.qop, d.qop) && equal(p.opaque, opaque, 32) &&
            nonce_valid(p.nonce, &issued);
  if (ok) {
    expected(&d, &p, r->method_name, auth_int, want, rspauth);
    ok = equal(p.response, want, strlen(want));
  }
  if (!ok) {
    challenge(out, a, &d, false);
    return refused(out, a->refuse);
  }
  /* The right answer to a nonce past its lifetime: stale=true lets the
   * client retry with a new nonce without asking for the password. */
  if (srv_core_now(out->core) - issued >= (int64_t)d.lifetime) {
    challenge(out, a, &d, true);
    return refused(out, a->refuse);
  }
  srv_reply_field(out, a->info,
                  "rspauth=\"%s\", qop=%s, nc=%.*s, cnonce=\"%.*s\"",
                  rspauth, auth_int ? "auth-int" : "auth", (int)p.nc.len, p.nc.s,
                  (int)p.cnonce.len, p.cnonce.s);
  return authenticated(out, "user", d.user);
}

static int digest_answer(srv_reply *out)
{
  return digest(out, &origin);
}

static int proxy_digest_answer(srv_reply *out)
{
  return digest(out, &proxy);
}

const srv_handler srv_handler_basic_auth = {"basic-auth", NULL, basic_answer};
const srv_handler srv_handler_hidden_basic_auth = {"hidden-basic-auth", NULL,
                                                   hidden_basic_answer};
const srv_handler srv_handler_proxy_basic_auth = {"proxy-basic-auth", NULL,
                                                  proxy_basic_answer};
const srv_handler srv_handler_bearer = {"bearer", NULL, bearer_answer};
const srv_handler srv_handler_digest_auth = {"digest-auth", NULL,
                                             digest_answer};
const srv_handler srv_handler_proxy_digest_auth = {"proxy-digest-auth", NULL,
                                                   proxy_digest_answer};
