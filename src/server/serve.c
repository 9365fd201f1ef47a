/* SPDX-License-Identifier: MIT */
/*
 * serve.c - `httpstatus serve`: options, the listening sockets (one per
 * worker, SO_REUSEPORT), the worker threads, and the graceful stop on
 * SIGINT/SIGTERM (the main thread waits for the signal with sigwait; the
 * workers never see it).
 */
#define _DEFAULT_SOURCE /* SO_REUSEPORT is not POSIX */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <httpstatus.h>

#include "core/limits.h"
#include "net/logwriter.h"
#include "net/net.h"
#include "net/tls.h"
#include "serve.h"

#define MAX_WORKERS 256u
#define DAY_MS 86400000u

/* Every option, in the order --help lists them. */
#define OPTIONS(XX)                                                           \
  XX(HOST, "host", "ADDR", 0, 0,                                              \
     "address to listen on (default 127.0.0.1; 0.0.0.0 or :: exposes it)")  \
  XX(PORT, "port", "N", 0, 65535, "port (default 8080; 0 picks a free one)")  \
  XX(TLS_PORT, "tls-port", "N", 0, 65535,                                     \
     "also serve HTTPS on port N (0: a free one); alone: HTTPS only")        \
  XX(TLS_CERT, "tls-cert", "FILE", 0, 0,                                      \
     "certificate, then its chain (PEM) (default: self-signed at start)")   \
  XX(TLS_KEY, "tls-key", "FILE", 0, 0, "private key of --tls-cert (PEM)")     \
  XX(TLS_NAME, "tls-name", "NAME", 0, 0,                                      \
     "a name the self-signed certificate also covers (repeatable)")         \
  XX(TLS_CERT_OUT, "tls-cert-out", "FILE", 0, 0,                              \
     "write the certificate served (PEM) to FILE, for clients to trust")   \
  XX(WORKERS, "workers", "N", 1, MAX_WORKERS,                                 \
     "worker threads, one event loop each (default: one per CPU)")          \
  XX(MAX_SLEEP, "max-sleep", "MS", 0, DAY_MS,                                 \
     "longest sleep or dribble a request may ask for (default 30000)")      \
  XX(MAX_BODY, "max-body", "BYTES", 0, UINT32_MAX,                            \
     "largest request content read and discarded (default 1048576)")        \
  XX(MAX_CONNECTIONS, "max-connections", "N", 1, 1000000,                     \
     "open connections at most; more get 503 (default 16384)")              \
  XX(HEADER_TIMEOUT, "header-timeout", "MS", 1, DAY_MS,                       \
     "408 when a request is not complete in time (default 10000)")          \
  XX(IDLE_TIMEOUT, "idle-timeout", "MS", 1, DAY_MS,                           \
     "close a keep-alive connection idle this long (default 60000)")        \
  XX(SEND_TIMEOUT, "send-timeout", "MS", 1, DAY_MS,                           \
     "close a connection reading none of its answer this long (default 30000)")  \
  XX(DRAIN_TIMEOUT, "drain-timeout", "MS", 0, DAY_MS,                         \
     "on SIGINT/SIGTERM, wait this long for answers underway (default 5000)") \
  XX(ACCESS_LOG, "access-log", NULL, 0, 0,                                    \
     "one line per request on stdout (common log format + ms taken)")   \
  XX(LOG_FORMAT, "log-format", "FORMAT", 0, 0,                                \
     "access log lines as common (default), combined or json; turns it on") \
  XX(LOG_FILE, "log-file", "PATH", 0, 0,                                      \
     "access log into PATH, not stdout (SIGHUP reopens it); turns it on")   \
  XX(NO_METRICS, "no-metrics", NULL, 0, 0,                                    \
     "do not serve /metrics (Prometheus' text format; served by default)")    \
  XX(REDIRECT_HOST, "allow-redirect-host", "HOST", 0, 0,                      \
     "allow ?location= URLs on HOST (repeatable; default: paths only)")      \
  XX(MAX_UNSENT, "max-unsent-per-worker", "BYTES", 65536, UINT64_C(1) << 40,  \
     "answers clients have not read, per worker (default 16777216)")        \
  XX(PUBLIC, "public", NULL, 0, 0,                                            \
     "abuse limits for a public instance (values below)")                   \
  XX(RATE_LIMIT, "rate-limit", "N/s", 0, 0,                                   \
     "requests per second per client address, else 429 (default off)")     \
  XX(BURST, "burst", "N", 1, 1000000,                                         \
     "requests an address may send at once under --rate-limit (default N)") \
  XX(CONNS_PER_ADDR, "max-conns-per-addr", "N", 0, 1000000,                   \
     "open connections per client address; more are closed (0: off)")      \
  XX(SLEEPS_PER_ADDR, "max-sleeps-per-addr", "N", 0, 1000000,                 \
     "sleeping requests per client address; more get 429 (0: off)")        \
  XX(MAX_SLEEPING, "max-sleeping", "N", 0, 10000000,                          \
     "sleeping requests in all; more get 503 (0: off)")                    \
  XX(MAX_SLEEP_SUM, "max-sleep-sum", "MS", 0, UINT64_C(1) << 40,              \
     "sum of the sleeps underway; more get 503 (0: off)")                  \
  XX(TRUST_PROXY, "trust-proxy", "CIDR", 0, 0,                                \
     "read Forwarded/X-Forwarded-For from peers in CIDR (repeatable)")     \
  XX(VERSION, "version", NULL, 0, 0, "print the version and exit")             \
  XX(HELP, "help", NULL, 0, 0, "print this help and exit")

typedef enum {
#define OPT_ENUM(id, name, arg, min, max, help) OPT_##id,
  OPTIONS(OPT_ENUM)
#undef OPT_ENUM
  OPT_COUNT
} opt_id;

static const struct {
  const char *name;
  const char *arg; /* NULL: the option takes no value */
  uint64_t min, max;
  const char *help;
} opts[OPT_COUNT] = {
#define OPT_ROW(id, name, arg, min, max, help) {name, arg, min, max, help},
    OPTIONS(OPT_ROW)
#undef OPT_ROW
};

/* What --public sets, unless the option itself is given. */
static const struct {
  opt_id id;
  const char *value;
} public_values[] = {
    {OPT_RATE_LIMIT, "20/s"},       {OPT_BURST, "100"},
    {OPT_CONNS_PER_ADDR, "64"},     {OPT_SLEEPS_PER_ADDR, "16"},
    {OPT_MAX_SLEEPING, "4096"},     {OPT_MAX_SLEEP_SUM, "3600000"},
};
#define PUBLIC_COUNT (sizeof public_values / sizeof public_values[0])

#define HELP_WIDTH 79 /* --help fits an 80-column terminal */

/* Prints `text` from column `indent`, wrapped at spaces within HELP_WIDTH. */
static void wrap(FILE *fp, const char *text, int indent)
{
  int col = indent;
  while (*text != '\0') {
    int word = (int)strcspn(text, " ");
    if (col > indent && col + 1 + word > HELP_WIDTH)
      col = fprintf(fp, "\n%*s", indent, "") - 1;
    else if (col > indent)
      col += fprintf(fp, " ");
    col += fprintf(fp, "%.*s", word, text);
    text += word + strspn(text + word, " ");
  }
  fputc('\n', fp);
}

static void usage(FILE *fp)
{
  /* The command's --help style: Usage, what it does, Options, Exit status. */
  fputs("Usage: httpstatus serve [options]\n"
        "\n"
        "Answers any HTTP status code as RFC 9110 asks: /404, /503?sleep=2000,\n"
        "/random/200,500-504, /api/codes, /catalog. See httpstatus-serve(1).\n"
        "\nOptions:\n",
        fp);
  char left[OPT_COUNT][48];
  int width = 0;
  for (int i = 0; i < OPT_COUNT; i++) {
    int n = snprintf(left[i], sizeof left[i], "%s--%s%s%s",
                     i == OPT_HELP ? "-h, " : i == OPT_VERSION ? "-V, " : "    ",
                     opts[i].name, opts[i].arg ? " " : "", opts[i].arg ? opts[i].arg : "");
    width = n > width ? n : width;
  }
  for (int i = 0; i < OPT_COUNT; i++) {
    fprintf(fp, "  %-*s  ", width, left[i]);
    wrap(fp, opts[i].help, width + 4);
  }
  fputs("\n--public sets", fp);
  for (size_t i = 0; i < PUBLIC_COUNT; i++)
    fprintf(fp, "%s --%s %s", i && i % 3 == 0 ? "\n " : "",
            opts[public_values[i].id].name, public_values[i].value);
  fputs("\n(an option given explicitly wins; off-host redirects stay refused)\n",
        fp);
  fputs("\nAn option not given comes from the environment when set there, as\n"
        "HTTPSTATUS_<OPTION>: HTTPSTATUS_MAX_SLEEP=60000, HTTPSTATUS_ACCESS_LOG=1,\n"
        "HTTPSTATUS_ALLOW_REDIRECT_HOST=a.example,b.example. PORT is the port when\n"
        "neither --port nor HTTPSTATUS_PORT is given (as platforms set it).\n"
        "\nExit status: 0 after SIGINT or SIGTERM, 1 when it cannot start, 2 usage error.\n",
        fp);
}

static int bad(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int bad(const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  fputs("httpstatus serve: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputs(" (try 'httpstatus serve --help')\n", stderr);
  va_end(ap);
  return 2;
}

typedef struct options {
  srv_config cfg;
  const char **hosts;
  const char **tls_names;  /* --tls-name */
  char *env_hosts;          /* HTTPSTATUS_ALLOW_REDIRECT_HOST, cut in place */
  bool given[OPT_COUNT];    /* on the command line: the environment's is ignored */
  srv_cidr *trust;          /* --trust-proxy ranges */
  char host[64];            /* --host [ADDR] without its brackets */
  bool help, version;
} options;

/* --rate-limit N/s (or N): N requests per second, 1 to 1000000. */
static int set_rate(srv_config *c, const char *value, const char *from)
{
  size_t len = strlen(value);
  if (len > 2 && strcmp(value + len - 2, "/s") == 0)
    len -= 2;
  if (!srv_parse_u64(value, len, 1000000, &c->rate_per_s) || c->rate_per_s == 0)
    return bad("%s: '%.40s' is not N/s with N from 1 to 1000000", from, value);
  return 0;
}

static int find_option(const char *name, size_t len)
{
  for (int i = 0; i < OPT_COUNT; i++)
    if (strlen(opts[i].name) == len && memcmp(opts[i].name, name, len) == 0)
      return i;
  return -1;
}

/* Sets option `id` to `value`, which came from `from` (the flag or the
 * variable, named in the error). Returns 0, or 2 after saying what was wrong. */
static int set_option(options *o, int id, const char *value, const char *from)
{
  uint64_t v = 0;
  if (opts[id].max != 0 &&
      !srv_parse_u64(value, strlen(value), opts[id].max, &v))
    return bad("%s: '%.40s' is not a whole number from %llu to %llu", from,
               value, (unsigned long long)opts[id].min,
               (unsigned long long)opts[id].max);
  if (opts[id].max != 0 && v < opts[id].min)
    return bad("%s: %llu is below the least allowed, %llu", from,
               (unsigned long long)v, (unsigned long long)opts[id].min);
  srv_config *c = &o->cfg;
  switch ((opt_id)id) {
  case OPT_HOST:
    if (value[0] == '\0')
      return bad("%s needs an address, such as 127.0.0.1 or ::", from);
    c->host = value;
    if (value[0] == '[') { /* [::1], as a URL writes it */
      size_t len = strlen(value);
      if (len < 3 || len - 2 >= sizeof o->host || value[len - 1] != ']')
        return bad("%s: '%.60s' is not an address in brackets", from, value);
      memcpy(o->host, value + 1, len - 2);
      o->host[len - 2] = '\0';
      c->host = o->host;
    }
    break;
  case OPT_PORT: c->port = (int)v; break;
  case OPT_TLS_PORT: c->tls_port = (int)v; c->serve_tls = true; break;
  case OPT_TLS_CERT: c->tls_cert = value; break;
  case OPT_TLS_KEY: c->tls_key = value; break;
  case OPT_TLS_NAME:
    if (!srv_tls_name_ok(value))
      return bad("%s: '%.40s' is neither a DNS name nor an IP address", from, value);
    o->tls_names[c->tls_name_count++] = value;
    break;
  case OPT_TLS_CERT_OUT: c->tls_cert_out = value; break;
  case OPT_WORKERS: c->workers = (unsigned)v; break;
  case OPT_MAX_SLEEP: c->max_sleep_ms = v; break;
  case OPT_MAX_BODY: c->max_body = v; break;
  case OPT_MAX_CONNECTIONS: c->max_connections = (unsigned)v; break;
  case OPT_HEADER_TIMEOUT: c->header_timeout_ms = v; break;
  case OPT_IDLE_TIMEOUT: c->idle_timeout_ms = v; break;
  case OPT_SEND_TIMEOUT: c->send_timeout_ms = v; break;
  case OPT_DRAIN_TIMEOUT: c->drain_ms = v; break;
  case OPT_ACCESS_LOG: c->access_log = true; break;
  case OPT_LOG_FORMAT: {
    static const char *const names[] = {
#define SRV_LOG_FORMAT_NAME(id, name) name,
        SRV_LOG_FORMATS(SRV_LOG_FORMAT_NAME)
#undef SRV_LOG_FORMAT_NAME
    };
    int f = 0;
    while (f < SRV_LOG_FORMAT_COUNT && strcmp(value, names[f]) != 0)
      f++;
    if (f == SRV_LOG_FORMAT_COUNT)
      return bad("%s: '%.40s' is no log format: common, combined or json", from, value);
    c->log_format = (srv_log_format)f;
    c->access_log = true;
    break;
  }
  case OPT_LOG_FILE:
    if (value[0] == '\0')
      return bad("%s needs a file name", from);
    c->log_file = value;
    c->access_log = true;
    break;
  case OPT_NO_METRICS: c->metrics = false; break;
  case OPT_REDIRECT_HOST:
    if (value[0] == '\0' || strpbrk(value, "/?#@ \t\r\n") != NULL)
      return bad("%s: '%.40s' is not a host name", from, value);
    o->hosts[c->redirect_host_count++] = value;
    break;
  case OPT_MAX_UNSENT: c->max_unsent = v; break;
  case OPT_PUBLIC: c->public_mode = true; break;
  case OPT_RATE_LIMIT: return set_rate(c, value, from);
  case OPT_BURST: c->burst = v; break;
  case OPT_CONNS_PER_ADDR: c->conns_per_addr = (unsigned)v; break;
  case OPT_SLEEPS_PER_ADDR: c->sleeps_per_addr = (unsigned)v; break;
  case OPT_MAX_SLEEPING: c->max_sleeping = (unsigned)v; break;
  case OPT_MAX_SLEEP_SUM: c->max_sleep_sum_ms = v; break;
  case OPT_TRUST_PROXY:
    if (!srv_cidr_parse(value, &o->trust[c->trust_count]))
      return bad("%s: '%.60s' is not an address or CIDR range (such as "
                 "10.0.0.0/8 or fd00::/8; host bits zero)", from, value);
    c->trust_count++;
    break;
  case OPT_VERSION: o->version = true; break;
  case OPT_HELP: o->help = true; break;
  case OPT_COUNT: break;
  }
  return 0;
}

/* Parses argv[1..]: `--name value` or `--name=value`. */
static int parse_options(int argc, char **argv, options *o)
{
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "-h") == 0)
      a = "--help";
    else if (strcmp(a, "-V") == 0)
      a = "--version";
    if (strncmp(a, "--", 2) != 0)
      return bad("unexpected argument '%.40s'", a);
    const char *eq = strchr(a + 2, '=');
    size_t len = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
    int id = find_option(a + 2, len);
    if (id < 0)
      return bad("unknown option '%.*s'", (int)(len + 2 > 42 ? 42 : len + 2), a);
    const char *value = NULL;
    if (opts[id].arg == NULL) {
      if (eq)
        return bad("--%s takes no value", opts[id].name);
    } else if (eq) {
      value = eq + 1;
    } else if (i + 1 < argc) {
      value = argv[++i];
    } else {
      return bad("--%s needs a value (%s)", opts[id].name, opts[id].arg);
    }
    char flag[48];
    snprintf(flag, sizeof flag, "--%s", opts[id].name);
    int rc = set_option(o, id, value, flag);
    if (rc != 0)
      return rc;
    o->given[id] = true;
  }
  return 0;
}

/* "HTTPSTATUS_MAX_SLEEP" for --max-sleep. */
static void env_name(int id, char *out, size_t size)
{
  size_t n = (size_t)snprintf(out, size, "HTTPSTATUS_");
  for (const char *p = opts[id].name; *p && n + 1 < size; p++) {
    char ch = *p == '-' ? '_' : *p;
    out[n++] = ch >= 'a' && ch <= 'z' ? (char)(ch - 'a' + 'A') : ch;
  }
  out[n] = '\0';
}

static bool env_option(int id)
{
  return id != OPT_HELP && id != OPT_VERSION;
}

/* A switch's value: 1, true, yes, on / 0, false, no, off (any case). */
static int env_switch(const char *value, const char *name, bool *on)
{
  static const char *const words[2][4] = {{"0", "false", "no", "off"},
                                          {"1", "true", "yes", "on"}};
  for (int b = 0; b < 2; b++)
    for (int i = 0; i < 4; i++)
      if (srv_ieq(value, strlen(value), words[b][i])) {
        *on = b;
        return 0;
      }
  return bad("%s: '%.40s' is neither 1, true, yes, on nor 0, false, no, off", name, value);
}

/* HTTPSTATUS_ALLOW_REDIRECT_HOST: host names separated by commas or spaces. */
static int env_hosts(options *o, const char *value, const char *name)
{
  size_t most = 1;
  for (const char *p = value; *p; p++)
    most += *p == ',' || *p == ' ';
  const char **hosts = realloc(o->hosts, (most + 1) * sizeof *hosts);
  if (hosts == NULL || (o->env_hosts = strdup(value)) == NULL) {
    o->hosts = hosts ? hosts : o->hosts;
    return bad("%s: out of memory", name);
  }
  o->hosts = hosts;
  o->cfg.redirect_hosts = hosts;
  for (char *save = NULL, *h = strtok_r(o->env_hosts, ", ", &save); h;
       h = strtok_r(NULL, ", ", &save)) {
    int rc = set_option(o, OPT_REDIRECT_HOST, h, name);
    if (rc != 0)
      return rc;
  }
  return 0;
}

extern char **environ;

/* Options not given as flags, from HTTPSTATUS_<OPTION> (an empty variable
 * is unset), then the port from PORT. A variable that names no option is
 * a warning: it is most likely misspelt. */
static int apply_environment(options *o)
{
  for (int id = 0; id < OPT_COUNT; id++) {
    char name[48];
    env_name(id, name, sizeof name);
    const char *value = getenv(name);
    if (!env_option(id) || o->given[id] || value == NULL || value[0] == '\0')
      continue;
    int rc = 0;
    bool on = false;
    if (id == OPT_REDIRECT_HOST)
      rc = env_hosts(o, value, name);
    else if (opts[id].arg == NULL && (rc = env_switch(value, name, &on)) == 0 && on)
      rc = set_option(o, id, NULL, name);
    else if (opts[id].arg != NULL)
      rc = set_option(o, id, value, name);
    if (rc != 0)
      return rc;
    o->given[id] = true;
  }
  const char *port = getenv("PORT");
  if (!o->given[OPT_PORT] && port != NULL && port[0] != '\0') {
    int rc = set_option(o, OPT_PORT, port, "PORT");
    if (rc != 0)
      return rc;
    o->given[OPT_PORT] = true;
  }
  for (char **e = environ; *e; e++) {
    if (strncmp(*e, "HTTPSTATUS_", 11) != 0)
      continue;
    size_t len = strcspn(*e, "=");
    bool known = false;
    for (int id = 0; id < OPT_COUNT && !known; id++) {
      char name[48];
      env_name(id, name, sizeof name);
      known = env_option(id) && strlen(name) == len && memcmp(name, *e, len) == 0;
    }
    if (!known)
      fprintf(stderr, "httpstatus serve: warning: %.*s names no option (ignored; "
              "see httpstatus serve --help)\n", (int)(len > 60 ? 60 : len), *e);
  }
  return 0;
}

/* --public's values for the options neither flags nor the environment
 * gave; --burst defaults to one second of --rate-limit. */
static void apply_public(options *o)
{
  for (size_t i = 0; o->cfg.public_mode && i < PUBLIC_COUNT; i++)
    if (!o->given[public_values[i].id])
      set_option(o, public_values[i].id, public_values[i].value, "--public");
  if (o->cfg.rate_per_s && o->cfg.burst == 0)
    o->cfg.burst = o->cfg.rate_per_s;
}

/* Which listeners, once flags and environment are in: --tls-port alone
 * serves HTTPS only; with a port given, both. */
static int check_listeners(options *o)
{
  srv_config *c = &o->cfg;
  c->serve_plain = o->given[OPT_PORT] || !c->serve_tls;
  /* SO_REUSEPORT would let both bind it, and the kernel would hand plain
   * connections to the TLS listener at random. */
  if (c->serve_plain && c->serve_tls && c->port == c->tls_port && c->port != 0)
    return bad("--port and --tls-port are both %d: give them different ports", c->port);
  if (!c->serve_tls && (c->tls_cert || c->tls_key || c->tls_cert_out ||
                        c->tls_name_count > 0))
    return bad("the --tls-* options need --tls-port");
  if ((c->tls_cert == NULL) != (c->tls_key == NULL))
    return bad("--tls-cert and --tls-key go together");
  return 0;
}

static void print_version(void)
{
  printf("httpstatus serve %s (libuv %s, llhttp %d.%d.%d)\n", httpstatus_version(),
         uv_version_string(), LLHTTP_VERSION_MAJOR, LLHTTP_VERSION_MINOR,
         LLHTTP_VERSION_PATCH);
}

/* Opens a socket bound to host:port; with `shared`, SO_REUSEPORT lets each
 * worker own one on the same port, and `listen` starts accepting. */
static int open_socket(const char *host, int port, bool shared, int *fd_out,
                       char *err, size_t err_size)
{
  struct addrinfo hints = {0}, *res = NULL;
  char service[8];
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  snprintf(service, sizeof service, "%d", port);
  int rc = getaddrinfo(host, service, &hints, &res);
  if (rc != 0) {
    snprintf(err, err_size, "cannot use host '%.60s': %s", host, gai_strerror(rc));
    return -1;
  }
  int fd = socket(res->ai_family, SOCK_STREAM, 0);
  int one = 1;
  if (fd < 0 ||
      setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
      (shared && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) != 0) ||
      bind(fd, res->ai_addr, res->ai_addrlen) != 0 ||
      (shared && listen(fd, 4096) != 0)) {
    snprintf(err, err_size, "cannot listen on %.60s port %d: %s", host, port,
             strerror(errno));
    if (fd >= 0)
      close(fd);
    freeaddrinfo(res);
    return -1;
  }
  freeaddrinfo(res);
  *fd_out = fd;
  return 0;
}

/* The URL clients use: the bound address and port. */
static void print_url(const char *scheme, int fd)
{
  struct sockaddr_storage ss;
  socklen_t len = sizeof ss;
  char name[64] = "?";
  int port = 0;
  getsockname(fd, (struct sockaddr *)&ss, &len);
  if (ss.ss_family == AF_INET6) {
    const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)&ss;
    uv_ip6_name(a, name, sizeof name);
    port = ntohs(a->sin6_port);
    printf("%s://[%s]:%d/\n", scheme, name, port);
  } else {
    const struct sockaddr_in *a = (const struct sockaddr_in *)&ss;
    uv_ip4_name(a, name, sizeof name);
    port = ntohs(a->sin_port);
    printf("%s://%s:%d/\n", scheme, name, port);
  }
}

/* The URL of each listener, plain first (the first line stays the plain
 * URL whenever there is one), printed once the server accepts. */
static void print_urls(const srv_worker *w)
{
  if (w->listen_fd >= 0)
    print_url("http", w->listen_fd);
  if (w->tls_listen_fd >= 0)
    print_url("https", w->tls_listen_fd);
  fflush(stdout);
}

static int bound_port(int fd)
{
  struct sockaddr_storage ss;
  socklen_t len = sizeof ss;
  getsockname(fd, (struct sockaddr *)&ss, &len);
  if (ss.ss_family == AF_INET6)
    return ntohs(((const struct sockaddr_in6 *)&ss)->sin6_port);
  return ntohs(((const struct sockaddr_in *)&ss)->sin_port);
}

/* Each connection is a descriptor: raise the soft limit to fit the bound. */
static void raise_fd_limit(srv_config *cfg)
{
  struct rlimit rl;
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
    return;
  rlim_t want = (rlim_t)cfg->max_connections + 64u;
  if (rl.rlim_cur < want) {
    rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > want ? want
                                                                     : rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
  }
  if (rl.rlim_cur < want) {
    fprintf(stderr,
            "httpstatus serve: warning: only %llu open files allowed; "
            "--max-connections lowered to %llu\n",
            (unsigned long long)rl.rlim_cur,
            (unsigned long long)(rl.rlim_cur > 128 ? rl.rlim_cur - 64 : 64));
    cfg->max_connections = (unsigned)(rl.rlim_cur > 128 ? rl.rlim_cur - 64 : 64);
  }
}

/* SIGHUP reopens the log file (after a rotation); it never stops the server. */
static void reopen_log(srv_logwriter *log)
{
  char err[300];
  if (log != NULL && srv_logwriter_reopen(log, err, sizeof err) != 0)
    fprintf(stderr, "httpstatus serve: warning: %s (the log stays where it was)\n", err);
}

/* SIGINT, SIGTERM and SIGHUP for a worker that runs on the main thread. */
typedef struct signals {
  uv_signal_t sig[3];
  srv_worker *w;
  srv_logwriter *log;
} signals;

static void on_signal(uv_signal_t *h, int signum)
{
  signals *s = h->data;
  if (signum == SIGHUP) {
    reopen_log(s->log);
    return;
  }
  /* A repeated signal changes nothing: the drain is already bounded. */
  if (!uv_is_closing((uv_handle_t *)&s->w->stop_async))
    uv_async_send(&s->w->stop_async);
}

/* Runs the only worker's loop on this thread until a signal stopped it. */
static int run_here(srv_worker *w, srv_logwriter *log)
{
  static const int which[3] = {SIGINT, SIGTERM, SIGHUP};
  signals s = {.w = w, .log = log};
  for (int i = 0; i < 3; i++) {
    uv_signal_init(&w->loop, &s.sig[i]);
    s.sig[i].data = &s;
    if (uv_signal_start(&s.sig[i], on_signal, which[i]) != 0) {
      fprintf(stderr, "httpstatus serve: cannot handle signal %d\n", which[i]);
      return 1;
    }
    /* The loop ends when the worker stops, whatever these still wait for. */
    uv_unref((uv_handle_t *)&s.sig[i]);
  }
  print_urls(w);
  uv_run(&w->loop, UV_RUN_DEFAULT);
  for (int i = 0; i < 3; i++)
    uv_close((uv_handle_t *)&s.sig[i], NULL);
  uv_run(&w->loop, UV_RUN_DEFAULT);
  return 0;
}

/* The TLS context of --tls-port, or NULL when the certificate, the key or
 * --tls-cert-out is wrong (said on stderr in one line). */
static srv_tls *start_tls(srv_config *cfg)
{
  /* Offered by ALPN, preferred first. */
  /* The server's preference: h2 when the client offers both. */
  static const char *const alpn[] = {"h2", "http/1.1"};
  char err[SRV_TLS_ERR_SIZE];
  const char **names = calloc(cfg->tls_name_count + 1, sizeof *names);
  if (names == NULL)
    return NULL;
  size_t n = 0;
  if (srv_tls_name_ok(cfg->host))
    names[n++] = cfg->host;
  for (size_t i = 0; i < cfg->tls_name_count; i++)
    names[n++] = cfg->tls_names[i];
  srv_tls_options o = {.cert_file = cfg->tls_cert, .key_file = cfg->tls_key,
                       .names = names, .name_count = n,
                       .cert_out = cfg->tls_cert_out,
                       .alpn = alpn, .alpn_count = sizeof alpn / sizeof alpn[0]};
  srv_tls *tls = srv_tls_new(&o, err, sizeof err);
  free(names);
  if (tls == NULL)
    fprintf(stderr, "httpstatus serve: %s\n", err);
  return tls;
}

/* Says why the server could not start, and undoes what run() did. */
static int not_started(srv_config *cfg, srv_worker *workers, const char *why)
{
  fprintf(stderr, "httpstatus serve: %s\n", why);
  for (unsigned i = 0; i < cfg->workers; i++) {
    if (workers[i].listen_fd >= 0)
      close(workers[i].listen_fd);
    if (workers[i].tls_listen_fd >= 0)
      close(workers[i].tls_listen_fd);
  }
  srv_tls_free(cfg->tls);
  free(workers);
  return 1;
}

static int run(srv_config *cfg)
{
  srv_worker *workers = calloc(cfg->workers, sizeof *workers);
  char err[200];
  int status = 1;
  if (workers == NULL)
    return 1;
  if (cfg->serve_tls && (cfg->tls = start_tls(cfg)) == NULL) {
    free(workers);
    return 2;
  }
  for (unsigned i = 0; i < cfg->workers; i++)
    workers[i].listen_fd = workers[i].tls_listen_fd = -1;
  /* SO_REUSEPORT would let this server share a port another one (of the
   * same user) listens on: a first bind without it says whether the port
   * is free, and picks one for port 0. Both probes are bound before either
   * closes, so that two free ports are two different ports. */
  int probe[2] = {-1, -1};
  const struct { bool on; int port; } kinds[2] = {
      {cfg->serve_plain, cfg->port}, {cfg->serve_tls, cfg->tls_port}};
  bool listening = true;
  for (int k = 0; k < 2 && listening; k++)
    if (kinds[k].on &&
        open_socket(cfg->host, kinds[k].port, false, &probe[k], err, sizeof err) != 0)
      listening = false;
  for (int k = 0; k < 2 && listening; k++) {
    if (!kinds[k].on)
      continue;
    int port = bound_port(probe[k]);
    close(probe[k]);
    probe[k] = -1;
    for (unsigned i = 0; i < cfg->workers && listening; i++) {
      int *fd = k == 0 ? &workers[i].listen_fd : &workers[i].tls_listen_fd;
      listening = open_socket(cfg->host, port, true, fd, err, sizeof err) == 0;
    }
  }
  for (int k = 0; k < 2; k++)
    if (probe[k] >= 0)
      close(probe[k]);
  if (!listening)
    return not_started(cfg, workers, err);
  srv_logwriter *log = NULL;
  if (cfg->access_log && (log = srv_logwriter_start(cfg->log_file, err, sizeof err)) == NULL)
    return not_started(cfg, workers, err);
  if (log != NULL)
    cfg->log_fd = srv_logwriter_fd(log);
  /* With several workers, signals go to this thread only, through sigwait.
   * One worker runs on this thread: a single-threaded process takes the
   * kernel's faster path for every socket call (its file table is not
   * shared), and the signals come through the worker's own loop. Writes to
   * a closed connection return EPIPE instead of killing the process. */
  bool single = cfg->workers == 1;
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  if (!single)
    pthread_sigmask(SIG_BLOCK, &set, NULL);
  signal(SIGPIPE, SIG_IGN);

  srv_core_init();
  srv_http1_init();
  srv_http2_init();
  srv_limits *limits = srv_limits_new(cfg);
  unsigned started = 0;
  for (; started < cfg->workers; started++) {
    srv_worker *w = &workers[started];
    w->index = started;
    w->cfg = cfg;
    w->core.limits = limits;
    w->max_conns = (cfg->max_connections + cfg->workers - 1) / cfg->workers;
    w->on_caller = single;
    int rc = srv_worker_start(w);
    if (rc != 0) {
      fprintf(stderr, "httpstatus serve: cannot start worker %u: %s\n",
              started, uv_strerror(rc));
      break;
    }
  }
  if (started == cfg->workers && single) {
    status = run_here(&workers[0], log);
  } else if (started == cfg->workers) {
    print_urls(&workers[0]);
    int sig = 0;
    while (sigwait(&set, &sig) == 0 && sig == SIGHUP)
      reopen_log(log);
    status = 0;
  }
  for (unsigned i = 0; i < started && !single; i++)
    uv_async_send(&workers[i].stop_async);
  for (unsigned i = 0; i < started; i++) {
    srv_worker *w = &workers[i];
    if (!single)
      uv_thread_join(&w->thread);
    uv_loop_close(&w->loop);
    free(w->rbuf);
    srv_buf_free(&w->out);
    srv_core_free(&w->core);
  }
  srv_logwriter_stop(log); /* after the workers: the drain's lines are written */
  srv_http2_shutdown();
  srv_http1_shutdown();
  srv_core_shutdown();
  srv_tls_free(cfg->tls);
  srv_limits_free(limits);
  free(workers);
  return status;
}

int serve_main(int argc, char **argv)
{
  unsigned cpus = uv_available_parallelism();
  options o = {
      .cfg = {.host = "127.0.0.1",
              .port = 8080,
              .workers = cpus < 1 ? 1 : cpus > MAX_WORKERS ? MAX_WORKERS : cpus,
              .max_sleep_ms = 30000,
              .max_body = 1024 * 1024,
              .max_connections = 16384,
              .header_timeout_ms = 10000,
              .idle_timeout_ms = 60000,
              .send_timeout_ms = 30000,
              .drain_ms = 5000,
              .max_unsent = 16u * 1024 * 1024,
              .metrics = true},
      .hosts = calloc((size_t)argc + 1, sizeof(char *)),
  };
  o.tls_names = calloc((size_t)argc + 1, sizeof(char *));
  o.trust = calloc((size_t)argc + 2, sizeof *o.trust); /* +1: the environment's */
  if (o.hosts == NULL || o.tls_names == NULL || o.trust == NULL) {
    free(o.hosts);
    free(o.tls_names);
    free(o.trust);
    return 1;
  }
  o.cfg.trust = o.trust;
  o.cfg.redirect_hosts = o.hosts;
  o.cfg.tls_names = o.tls_names;
  int status = parse_options(argc, argv, &o);
  if (status == 0 && o.help) {
    usage(stdout);
  } else if (status == 0 && o.version) {
    print_version();
  } else if (status == 0 && (status = apply_environment(&o)) == 0 &&
             (status = check_listeners(&o)) == 0) {
    apply_public(&o);
    raise_fd_limit(&o.cfg);
    status = run(&o.cfg);
  }
  free(o.hosts);
  free(o.tls_names);
  free(o.env_hosts);
  free(o.trust);
  return status;
}
