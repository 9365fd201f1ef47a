/* SPDX-License-Identifier: MIT */
/*
 * test_threads.c - lookups, search, parsing and JSON from several threads
 * at once give the answers they give alone (no hidden state; under
 * ThreadSanitizer or ASan this also catches shared writes).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <string.h>

#include "httpstatus.h"

#define THREADS 6
#define ROUNDS 200

typedef struct expected {
  const char *reason[1002]; /* codes -1..1000 */
  size_t timeout_hits;
  const httpstatus_entry *first_timeout;
  char json_404[1024];
} expected;

static expected want;

static void compute(expected *x)
{
  for (int c = -1; c <= 1000; c++)
    x->reason[c + 1] = httpstatus_reason(c);
  const httpstatus_entry *hits[1];
  x->timeout_hits = httpstatus_search("timeout", hits, 1);
  x->first_timeout = hits[0];
  httpstatus_json(httpstatus_lookup(404), x->json_404, sizeof x->json_404);
}

static void *worker(void *arg)
{
  size_t *mismatches = arg;
  for (int r = 0; r < ROUNDS; r++) {
    for (int c = -1; c <= 1000; c++)
      *mismatches += httpstatus_reason(c) != want.reason[c + 1];
    const httpstatus_entry *hits[1];
    *mismatches += httpstatus_search("timeout", hits, 1) != want.timeout_hits;
    *mismatches += hits[0] != want.first_timeout;
    char json[1024];
    httpstatus_json(httpstatus_lookup(404), json, sizeof json);
    *mismatches += strcmp(json, want.json_404) != 0;
    httpstatus_status_line sl;
    *mismatches += httpstatus_parse_status_line("HTTP/1.1 503 Busy\r\n", 19, &sl) != 0;
    *mismatches += sl.code != 503;
  }
  return NULL;
}

static void test_concurrent_calls(void **state)
{
  (void)state;
  pthread_t threads[THREADS];
  size_t mismatches[THREADS] = {0};
  compute(&want);
  assert_true(want.timeout_hits > 0);
  for (int t = 0; t < THREADS; t++)
    assert_int_equal(pthread_create(&threads[t], NULL, worker, &mismatches[t]), 0);
  for (int t = 0; t < THREADS; t++) {
    assert_int_equal(pthread_join(threads[t], NULL), 0);
    assert_int_equal(mismatches[t], 0);
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_concurrent_calls),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
