/* SPDX-License-Identifier: MIT */
/*
 * bench_lib.c - nanoseconds per call of the library's lookups, parsers and
 * search. Run by hand on a Release build (bench/lib.sh); a timing is a
 * measurement, never a test.
 *
 * Each case runs a batch of calls many times; the figure is the median over
 * ROUNDS rounds of (round time / calls), which shrugs off the odd round
 * another process on a shared machine steals.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "httpstatus.h"

#define ROUNDS 15
#define CODE_END 1000 /* every code 0..999: known, unknown, out of range */

/* Results go here so the compiler cannot drop the calls. */
static volatile size_t sink;

static double now_ns(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int compare_doubles(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* A case: `run` makes `calls` calls per invocation and returns something
 * derived from every answer. */
typedef struct bench_case {
  const char *name;
  size_t (*run)(const void *arg);
  const void *arg;
  size_t calls;
} bench_case;

/* "000".."999", written once so that only the parsing is timed. */
static char code_texts[CODE_END][4];

static size_t meanings_of(int code)
{
  size_t n;
  return (size_t)httpstatus_meanings(code, &n) + n;
}

static size_t parse_code_of(int code)
{
  int parsed = 0;
  return (size_t)httpstatus_parse_code(code_texts[code], 3, &parsed) + (size_t)parsed;
}

/* A case calling `expr` for every code 0..999. */
#define OVER_ALL_CODES(name, expr)                                           \
  static size_t name(const void *arg)                                        \
  {                                                                          \
    size_t acc = 0;                                                          \
    (void)arg;                                                               \
    for (int code = 0; code < CODE_END; code++)                              \
      acc += (size_t)(expr);                                                 \
    return acc;                                                              \
  }

OVER_ALL_CODES(run_reason, httpstatus_reason(code))
OVER_ALL_CODES(run_lookup, httpstatus_lookup(code))
OVER_ALL_CODES(run_meanings, meanings_of(code))
OVER_ALL_CODES(run_parse_code, parse_code_of(code))

static size_t run_status_line(const void *arg)
{
  const char *line = arg;
  httpstatus_status_line out;
  return (size_t)httpstatus_parse_status_line(line, strlen(line), &out) +
         out.phrase_len;
}

static size_t run_search(const void *arg)
{
  const httpstatus_entry *found[8];
  return httpstatus_search(arg, found, 8);
}

static size_t run_json(const void *arg)
{
  char buf[1024];
  (void)arg;
  return httpstatus_json(httpstatus_lookup(404), buf, sizeof buf);
}

/* Median ns per call of one case. */
static double measure(const bench_case *c)
{
  double per_call[ROUNDS];
  /* About 10 ms per round whatever the case costs: calibrate first. */
  double t0 = now_ns();
  sink += c->run(c->arg);
  double once = now_ns() - t0;
  size_t reps = once > 0 ? (size_t)(1e7 / once) + 1 : 1000;
  for (int r = 0; r < ROUNDS; r++) {
    t0 = now_ns();
    for (size_t i = 0; i < reps; i++)
      sink += c->run(c->arg);
    per_call[r] = (now_ns() - t0) / ((double)reps * (double)c->calls);
  }
  qsort(per_call, ROUNDS, sizeof *per_call, compare_doubles);
  return per_call[ROUNDS / 2];
}

int main(void)
{
  static const bench_case cases[] = {
    {"httpstatus_reason, codes 0..999", run_reason, NULL, CODE_END},
    {"httpstatus_lookup, codes 0..999", run_lookup, NULL, CODE_END},
    {"httpstatus_meanings, codes 0..999", run_meanings, NULL, CODE_END},
    {"httpstatus_parse_code, \"000\"..\"999\"", run_parse_code, NULL, CODE_END},
    {"httpstatus_parse_status_line \"HTTP/1.1 404 Not Found\\r\\n\"", run_status_line,
     "HTTP/1.1 404 Not Found\r\n", 1},
    {"httpstatus_json, 404", run_json, NULL, 1},
    {"httpstatus_search \"teapot\"", run_search, "teapot", 1},
    {"httpstatus_search \"too many requests\"", run_search, "too many requests", 1},
    {"httpstatus_search \"payload too large\"", run_search, "payload too large", 1},
    {"httpstatus_search \"zzz\" (no match)", run_search, "zzz", 1},
  };
  for (int i = 0; i < CODE_END; i++)
    snprintf(code_texts[i], sizeof code_texts[i], "%03d", i);
  printf("libhttpstatus %s, %zu catalog entries, median of %d rounds\n",
         httpstatus_version(), httpstatus_count(), ROUNDS);
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    double ns = measure(&cases[i]);
    printf("%10.1f ns/call  %s\n", ns, cases[i].name);
    fflush(stdout);
  }
  return 0;
}
