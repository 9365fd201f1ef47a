/* SPDX-License-Identifier: MIT */
/*
 * test_search.c - httpstatus_search: the ranking table (query -> the codes
 * that must come first, in order, and codes that must not match), word
 * boundaries, stems, keywords, constant names and the limits.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "httpstatus.h"

#define MAX_HITS 256
#define LIST_MAX 8

typedef struct row {
  const char *query;
  int first[LIST_MAX]; /* the first results, in order; 0 ends */
  int absent[LIST_MAX]; /* codes that must not match at all; 0 ends */
} row;

static const row table[] = {
  {"rate limit", {429, 420}, {0}},
  {"redirect", {301, 302, 303, 307, 308}, {300}},
  {"Not Found", {404}, {303}},
  {"no content", {204}, {406, 411}},
  {"timeouts", {408, 504}, {0}},
  {"throttling", {429}, {0}},
  {"payload too large", {413}, {0}},
  {"body too big", {413}, {0}},
  {"teapot", {418}, {0}},
  {"TOO_MANY_REQUESTS", {429}, {0}},
  {"HTTP_STATUS_NOT_FOUND", {404}, {303}},
  {"StatusNotFound", {404}, {0}},
  {"NotFound", {404}, {0}},
  {"HTTPStatus.NOT_FOUND", {404}, {0}},
  {"HttpStatusCode.NotFound", {404}, {0}},
  {"SC_NOT_FOUND", {404}, {0}},
  {"HTTPSTATUS_CODE_NOT_FOUND", {404}, {0}},
  {"IM_A_TEAPOT", {418}, {0}},
  {"StatusTeapot", {418}, {0}},
  {"http.StatusOK", {200}, {0}},
  {"webdav", {102, 207, 208, 422, 423, 424, 507, 508}, {0}},
  {"moved temporarily", {302}, {0}},
  {"Gateway Timeout", {504}, {0}},
  {"internal server error", {500}, {0}},
  {"enhance your calm", {420}, {0}},
  {"cloudflare timeout", {522, 524}, {0}},
  {"captive portal", {511}, {0}},
  {"404", {404}, {0}},
  {"I'm a teapot", {418}, {0}},
  /* CamelCase that is a word as typed, not code. */
  {"WebDAV", {102, 207, 208}, {0}},
  {"CloudFlare timed out", {522}, {0}},
};

static bool listed(const httpstatus_entry **hits, size_t n, int code)
{
  for (size_t i = 0; i < n && i < MAX_HITS; i++)
    if (hits[i]->code == code)
      return true;
  return false;
}

static void test_ranking_table(void **state)
{
  (void)state;
  const httpstatus_entry *hits[MAX_HITS];
  for (size_t r = 0; r < sizeof table / sizeof *table; r++) {
    const row *t = &table[r];
    size_t n = httpstatus_search(t->query, hits, MAX_HITS);
    for (size_t i = 0; i < LIST_MAX && t->first[i]; i++) {
      if (i >= n || hits[i]->code != t->first[i])
        fail_msg("'%s': result %zu is %d, want %d", t->query, i + 1,
                 i < n ? hits[i]->code : 0, t->first[i]);
    }
    for (size_t i = 0; i < LIST_MAX && t->absent[i]; i++)
      if (listed(hits, n, t->absent[i]))
        fail_msg("'%s' finds %d", t->query, t->absent[i]);
  }
}

/* Words match whole words or their start, never the inside of a word. */
static void test_word_boundaries(void **state)
{
  (void)state;
  const httpstatus_entry *hits[MAX_HITS];
  size_t n = httpstatus_search("other", hits, MAX_HITS);
  assert_true(listed(hits, n, 303)); /* "See Other" */
  n = httpstatus_search("nother", hits, MAX_HITS);
  assert_int_equal(n, 0);
  n = httpstatus_search("tea", hits, MAX_HITS); /* a word's start */
  assert_true(listed(hits, n, 418));
  n = httpstatus_search("eapot", hits, MAX_HITS);
  assert_int_equal(n, 0);
  /* Two letters match whole words only: "no" is not "not". */
  n = httpstatus_search("no", hits, MAX_HITS);
  assert_false(listed(hits, n, 406));
}

/* Registered meanings come before unofficial ones of the same rank. */
static void test_registered_first(void **state)
{
  (void)state;
  const httpstatus_entry *hits[MAX_HITS];
  size_t n = httpstatus_search("unauthorized", hits, MAX_HITS);
  assert_true(n >= 2);
  assert_int_equal(hits[0]->code, 401);
  assert_int_equal(hits[1]->code, 561);
  /* Within a rank, code order: Spring Framework is only ever an origin. */
  n = httpstatus_search("spring framework", hits, MAX_HITS);
  assert_int_equal(n, 3);
  for (size_t i = 1; i < n; i++)
    assert_true(hits[i - 1]->code <= hits[i]->code);
}

static void test_limits(void **state)
{
  (void)state;
  const httpstatus_entry *hits[2] = {NULL, NULL};
  size_t all = httpstatus_search("redirect", NULL, 0);
  assert_true(all >= 5);
  assert_int_equal(httpstatus_search("redirect", hits, 1), all);
  assert_int_equal(hits[0]->code, 301);
  assert_null(hits[1]);
  assert_int_equal(httpstatus_search("", hits, 2), 0);
  assert_int_equal(httpstatus_search(" \t\n", hits, 2), 0);
  assert_int_equal(httpstatus_search("...", hits, 2), 0);
  assert_int_equal(httpstatus_search(NULL, hits, 2), 0);
  char many[33 * 3 + 1] = "";
  for (int i = 0; i < 33; i++)
    strcat(many, "ok ");
  assert_int_equal(httpstatus_search(many, hits, 2), 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_ranking_table),
    cmocka_unit_test(test_word_boundaries),
    cmocka_unit_test(test_registered_first),
    cmocka_unit_test(test_limits),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
