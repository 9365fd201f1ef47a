/* SPDX-License-Identifier: MIT */
/*
 * core/metrics.c - the /metrics page: the counters of every worker summed
 * into Prometheus' text exposition format (version 0.0.4), and the labels
 * the counting points use (routes, refusal reasons). Why the counters need
 * no lock is explained in metrics.h.
 */
#include <time.h>

#include <httpstatus.h>

#include "core/exchange.h"

static const char *const route_labels[SRV_MR_COUNT] = {
#define SRV_METRIC_ROUTE_LABEL(id, label) label,
    SRV_METRIC_ROUTES(SRV_METRIC_ROUTE_LABEL)
#undef SRV_METRIC_ROUTE_LABEL
};

/* A path's first segment -> its label; digits are CODE, nothing is INDEX,
 * anything not listed OTHER. */
static const struct {
  const char *segment;
  srv_metric_route route;
} segments[] = {
    {"random", SRV_MR_RANDOM},
    {"api", SRV_MR_API},
    {"catalog", SRV_MR_CATALOG},
    {"static", SRV_MR_STATIC},
    {"healthz", SRV_MR_HEALTH},
    {"metrics", SRV_MR_METRICS},
    /* The handlers (core/handler.c), by family. */
    {"etag", SRV_MR_CACHE},
    {"cache", SRV_MR_CACHE},
    {"range", SRV_MR_RANGE},
    {"basic-auth", SRV_MR_AUTH},
    {"hidden-basic-auth", SRV_MR_AUTH},
    {"proxy-basic-auth", SRV_MR_AUTH},
    {"bearer", SRV_MR_AUTH},
    {"digest-auth", SRV_MR_AUTH},
    {"proxy-digest-auth", SRV_MR_AUTH},
    {"redirect", SRV_MR_REDIRECT},
    {"relative-redirect", SRV_MR_REDIRECT},
    {"absolute-redirect", SRV_MR_REDIRECT},
    {"redirect-to", SRV_MR_REDIRECT},
    {"redirect-loop", SRV_MR_REDIRECT},
};

static const struct {
  int code;
  const char *label;
} refusals[SRV_REFUSAL_COUNT] = {
#define SRV_REFUSAL_ROW(id, code, label) {code, label},
    SRV_REFUSALS(SRV_REFUSAL_ROW)
#undef SRV_REFUSAL_ROW
    {0, "other"},
};

/* Every worker's counters: a list the starting thread pushes onto (release)
 * and the page walks (acquire); a pushed entry never changes again. */
static _Atomic(srv_metrics *) registry;
static double start_time;

srv_metric_route srv_metrics_route_named(srv_span path)
{
  if (path.len < 1 || path.s[0] != '/')
    return SRV_MR_OTHER;
  const char *seg = path.s + 1;
  size_t len = srv_span_until(seg, path.len - 1, "/");
  if (len > 0 && seg[0] >= '0' && seg[0] <= '9')
    return SRV_MR_CODE;
  if (len == 0)
    return path.len == 1 ? SRV_MR_INDEX : SRV_MR_OTHER;
  for (size_t i = 0; i < sizeof segments / sizeof segments[0]; i++)
    if (srv_ieq(seg, len, segments[i].segment))
      return segments[i].route;
  return SRV_MR_OTHER;
}

void srv_metrics_refused(srv_metrics *m, int code)
{
  int i = 0;
  while (i < SRV_REFUSAL_OTHER && refusals[i].code != code)
    i++;
  srv_count(&m->refusals[i], 1);
}

void srv_metrics_init(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  start_time = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
  atomic_store_explicit(&registry, NULL, memory_order_relaxed);
}

void srv_metrics_register(srv_metrics *m)
{
  m->next = atomic_load_explicit(&registry, memory_order_relaxed);
  atomic_store_explicit(&registry, m, memory_order_release);
}

/* ------------------------------------------------------------------------ */
/* The page */

typedef uint64_t (*reading)(const srv_metrics *m, size_t i);

static uint64_t load(const srv_counter *c)
{
  return atomic_load_explicit(c, memory_order_relaxed);
}

/* The sum over all workers of what `read` says of each. */
static uint64_t sum(reading read, size_t i)
{
  uint64_t total = 0;
  for (const srv_metrics *m = atomic_load_explicit(&registry, memory_order_acquire);
       m != NULL; m = m->next)
    total += read(m, i);
  return total;
}

static uint64_t read_request(const srv_metrics *m, size_t i)
{
  return load(&m->requests[i / SRV_METRIC_CLASSES][i % SRV_METRIC_CLASSES]);
}
static uint64_t read_refusal(const srv_metrics *m, size_t i)
{
  return load(&m->refusals[i]);
}
static uint64_t read_opened(const srv_metrics *m, size_t i)
{
  (void)i;
  return load(&m->conns_opened);
}
/* A gauge: `ended` is read before `started` (metrics.h). */
static uint64_t read_open(const srv_metrics *m, size_t i)
{
  (void)i;
  uint64_t ended = load(&m->conns_closed);
  return load(&m->conns_opened) - ended;
}
static uint64_t read_sleeping(const srv_metrics *m, size_t i)
{
  (void)i;
  uint64_t ended = load(&m->sleeps_ended);
  return load(&m->sleeps_started) - ended;
}
static uint64_t read_sent(const srv_metrics *m, size_t i)
{
  (void)i;
  return load(&m->bytes_sent);
}
static uint64_t read_received(const srv_metrics *m, size_t i)
{
  (void)i;
  return load(&m->bytes_received);
}

static void family(srv_buf *b, const char *name, const char *type,
                   const char *help)
{
  srv_buf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* A metric without labels: its HELP, TYPE and one sample. */
static void single(srv_buf *b, const char *name, const char *type,
                   const char *help, uint64_t value)
{
  family(b, name, type, help);
  srv_buf_printf(b, "%s %llu\n", name, (unsigned long long)value);
}

static void requests(srv_buf *b)
{
  family(b, "httpstatus_requests_total", "counter",
         "Requests answered (one access log line each), by route and status "
         "class; a series appears once it is not 0.");
  for (size_t i = 0; i < SRV_MR_COUNT * SRV_METRIC_CLASSES; i++) {
    uint64_t n = sum(read_request, i);
    size_t route = i / SRV_METRIC_CLASSES, cls = i % SRV_METRIC_CLASSES;
    if (n == 0)
      continue;
    srv_buf_printf(b, "httpstatus_requests_total{route=\"%s\",class=\"", route_labels[route]);
    if (cls == 0)
      srv_buf_puts(b, "none");
    else
      srv_buf_printf(b, "%zuxx", cls);
    srv_buf_printf(b, "\"} %llu\n", (unsigned long long)n);
  }
}

static void refused(srv_buf *b)
{
  family(b, "httpstatus_refusals_total", "counter",
         "Requests refused by a limit or because they could not be parsed, "
         "by reason.");
  for (size_t i = 0; i < SRV_REFUSAL_COUNT; i++)
    srv_buf_printf(b, "httpstatus_refusals_total{reason=\"%s\"} %llu\n",
                   refusals[i].label, (unsigned long long)sum(read_refusal, i));
}

void srv_metrics_page(srv_buf *b)
{
  requests(b);
  refused(b);
  single(b, "httpstatus_connections_total", "counter", "Connections accepted.",
         sum(read_opened, 0));
  single(b, "httpstatus_open_connections", "gauge", "Connections open now.",
         sum(read_open, 0));
  single(b, "httpstatus_sleeping_requests", "gauge",
         "Answers waiting on a timer now (sleep, sleepAfterHeaders, dribble).",
         sum(read_sleeping, 0));
  single(b, "httpstatus_sent_bytes_total", "counter",
         "Bytes written to connections (before TLS).", sum(read_sent, 0));
  single(b, "httpstatus_received_bytes_total", "counter",
         "Bytes read from connections (after TLS).", sum(read_received, 0));
  single(b, "httpstatus_log_lines_dropped_total", "counter",
         "Access log lines dropped because the log's reader fell behind.",
         srv_log_dropped());
  family(b, "httpstatus_build_info", "gauge", "The version of httpstatus; always 1.");
  srv_buf_puts(b, "httpstatus_build_info{version=\"" HTTPSTATUS_VERSION_STRING "\"} 1\n");
  family(b, "process_start_time_seconds", "gauge",
         "When the server started, in seconds since the Unix epoch.");
  srv_buf_printf(b, "process_start_time_seconds %.3f\n", start_time);
}
