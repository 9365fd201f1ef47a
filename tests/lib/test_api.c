/* SPDX-License-Identifier: MIT */
/*
 * test_api.c - every lookup, class and property function at the edges of
 * its domain, and the search.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <string.h>

#include "httpstatus.h"

/* Codes nobody uses, from the edges of int to the edges of 100-999. */
static const int unused_codes[] = {INT_MIN, INT_MIN + 1, -100, -1, 0, 1, 99,
                                   600, 1000, 1099, INT_MAX - 1, INT_MAX,
                                   105, 199, 209, 300 + 9, 419 + 13, 512, 998};

static void test_unknown_codes_have_nothing(void **state)
{
  (void)state;
  for (size_t i = 0; i < sizeof unused_codes / sizeof *unused_codes; i++) {
    int c = unused_codes[i];
    size_t n = 42;
    assert_null(httpstatus_reason(c));
    assert_null(httpstatus_lookup(c));
    assert_null(httpstatus_meanings(c, &n));
    assert_int_equal(n, 0);
    assert_null(httpstatus_meanings(c, NULL));
    assert_int_equal(httpstatus_headers(c), 0);
    assert_false(httpstatus_is_cacheable(c));
    assert_false(httpstatus_is_retryable(c));
  }
}

static void test_reason_edges(void **state)
{
  (void)state;
  assert_string_equal(httpstatus_reason(100), "Continue");
  assert_string_equal(httpstatus_reason(599), "Network Connect Timeout Error");
  assert_string_equal(httpstatus_reason(999), "Request denied");
  assert_string_equal(httpstatus_reason(404), "Not Found");
  assert_string_equal(httpstatus_reason(413), "Content Too Large");
  assert_string_equal(httpstatus_reason(422), "Unprocessable Content");
  assert_string_equal(httpstatus_reason(104), "Upload Resumption Supported");
  assert_string_equal(httpstatus_reason(510), "Not Extended");
  assert_ptr_equal(httpstatus_reason(451), httpstatus_lookup(451)->phrase);
}

static void test_meanings_count_optional(void **state)
{
  (void)state;
  size_t n = 0;
  const httpstatus_entry *m = httpstatus_meanings(404, &n);
  assert_int_equal(n, 1);
  assert_int_equal(m->code, 404);
  assert_ptr_equal(httpstatus_meanings(404, NULL), m);
  m = httpstatus_meanings(999, &n);
  assert_int_equal(n, 1);
  assert_int_equal(m->code, 999);
}

static void test_at_bounds(void **state)
{
  (void)state;
  size_t n = httpstatus_count();
  assert_non_null(httpstatus_at(0));
  assert_int_equal(httpstatus_at(0)->code, 100);
  assert_non_null(httpstatus_at(n - 1));
  assert_int_equal(httpstatus_at(n - 1)->code, 999);
  assert_null(httpstatus_at(n));
  assert_null(httpstatus_at(SIZE_MAX));
}

static void test_classes(void **state)
{
  (void)state;
  static const struct {
    int code;
    httpstatus_class cls;
  } cases[] = {
    {INT_MIN, HTTPSTATUS_CLASS_INVALID}, {-1, HTTPSTATUS_CLASS_INVALID},
    {0, HTTPSTATUS_CLASS_INVALID}, {99, HTTPSTATUS_CLASS_INVALID},
    {100, HTTPSTATUS_CLASS_INFORMATIONAL}, {199, HTTPSTATUS_CLASS_INFORMATIONAL},
    {200, HTTPSTATUS_CLASS_SUCCESSFUL}, {299, HTTPSTATUS_CLASS_SUCCESSFUL},
    {300, HTTPSTATUS_CLASS_REDIRECTION}, {399, HTTPSTATUS_CLASS_REDIRECTION},
    {400, HTTPSTATUS_CLASS_CLIENT_ERROR}, {499, HTTPSTATUS_CLASS_CLIENT_ERROR},
    {500, HTTPSTATUS_CLASS_SERVER_ERROR}, {599, HTTPSTATUS_CLASS_SERVER_ERROR},
    {600, HTTPSTATUS_CLASS_INVALID}, {783, HTTPSTATUS_CLASS_INVALID},
    {999, HTTPSTATUS_CLASS_INVALID}, {1000, HTTPSTATUS_CLASS_INVALID},
    {INT_MAX, HTTPSTATUS_CLASS_INVALID},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    int c = cases[i].code;
    httpstatus_class k = cases[i].cls;
    assert_int_equal(httpstatus_class_of(c), k);
    assert_int_equal(httpstatus_is_informational(c), k == HTTPSTATUS_CLASS_INFORMATIONAL);
    assert_int_equal(httpstatus_is_success(c), k == HTTPSTATUS_CLASS_SUCCESSFUL);
    assert_int_equal(httpstatus_is_redirection(c), k == HTTPSTATUS_CLASS_REDIRECTION);
    assert_int_equal(httpstatus_is_client_error(c), k == HTTPSTATUS_CLASS_CLIENT_ERROR);
    assert_int_equal(httpstatus_is_server_error(c), k == HTTPSTATUS_CLASS_SERVER_ERROR);
    assert_int_equal(httpstatus_is_error(c), k == HTTPSTATUS_CLASS_CLIENT_ERROR ||
                                                 k == HTTPSTATUS_CLASS_SERVER_ERROR);
  }
}

static void test_names(void **state)
{
  (void)state;
  assert_string_equal(httpstatus_class_name(HTTPSTATUS_CLASS_INFORMATIONAL), "Informational");
  assert_string_equal(httpstatus_class_name(HTTPSTATUS_CLASS_SERVER_ERROR), "Server Error");
  assert_string_equal(httpstatus_class_name(HTTPSTATUS_CLASS_INVALID), "Invalid");
  assert_string_equal(httpstatus_class_name((httpstatus_class)6), "Invalid");
  assert_string_equal(httpstatus_class_name((httpstatus_class)-1), "Invalid");
  assert_string_equal(httpstatus_status_name(HTTPSTATUS_STATUS_STANDARD), "standard");
  assert_string_equal(httpstatus_status_name(HTTPSTATUS_STATUS_UNOFFICIAL), "unofficial");
  assert_string_equal(httpstatus_status_name((httpstatus_status)5), "unknown");
  assert_string_equal(httpstatus_status_name((httpstatus_status)-1), "unknown");

  unsigned seen = 0;
  for (unsigned bit = 1; bit; bit <<= 1) {
    const char *name = httpstatus_header_name(bit);
    if (bit < 1u << HTTPSTATUS_HEADER_COUNT) {
      assert_non_null(name);
      seen++;
    } else {
      assert_null(name);
    }
  }
  assert_int_equal(seen, HTTPSTATUS_HEADER_COUNT);
  assert_string_equal(httpstatus_header_name(HTTPSTATUS_HEADER_WWW_AUTHENTICATE),
                      "WWW-Authenticate");
  assert_null(httpstatus_header_name(0));
  assert_null(httpstatus_header_name(HTTPSTATUS_HEADER_LOCATION | HTTPSTATUS_HEADER_ALLOW));
  assert_null(httpstatus_header_name(UINT_MAX));
  assert_string_equal(httpstatus_version(), HTTPSTATUS_VERSION_STRING);
}

static void test_properties(void **state)
{
  (void)state;
  /* Catalogued codes. */
  assert_false(httpstatus_allows_content(100));
  assert_false(httpstatus_allows_content(204));
  assert_false(httpstatus_allows_content(205));
  assert_false(httpstatus_allows_content(304));
  assert_true(httpstatus_allows_content(200));
  assert_true(httpstatus_allows_content(404));
  assert_true(httpstatus_is_cacheable(404));
  assert_false(httpstatus_is_cacheable(302));
  assert_true(httpstatus_is_retryable(503));
  assert_false(httpstatus_is_retryable(500));
  assert_int_equal(httpstatus_headers(405), HTTPSTATUS_HEADER_ALLOW);
  /* Unknown codes: their class's rule and nothing else. */
  assert_false(httpstatus_allows_content(150));
  assert_false(httpstatus_allows_content(199));
  assert_true(httpstatus_allows_content(299));
  assert_true(httpstatus_allows_content(0));
  assert_true(httpstatus_allows_content(-1));
  assert_true(httpstatus_allows_content(INT_MIN));
  assert_true(httpstatus_allows_content(INT_MAX));
  assert_true(httpstatus_allows_content(600));
  assert_false(httpstatus_is_cacheable(299));
}

static void test_validate(void **state)
{
  (void)state;
  assert_int_equal(httpstatus_validate(100), HTTPSTATUS_OK);
  assert_int_equal(httpstatus_validate(599), HTTPSTATUS_OK);
  assert_int_equal(httpstatus_validate(600), HTTPSTATUS_E_RANGE);
  assert_int_equal(httpstatus_validate(999), HTTPSTATUS_E_RANGE);
  assert_int_equal(httpstatus_validate(99), HTTPSTATUS_E_SYNTAX);
  assert_int_equal(httpstatus_validate(1000), HTTPSTATUS_E_SYNTAX);
  assert_int_equal(httpstatus_validate(0), HTTPSTATUS_E_SYNTAX);
  assert_int_equal(httpstatus_validate(-1), HTTPSTATUS_E_SYNTAX);
  assert_int_equal(httpstatus_validate(INT_MIN), HTTPSTATUS_E_SYNTAX);
  assert_int_equal(httpstatus_validate(INT_MAX), HTTPSTATUS_E_SYNTAX);
}

static void test_strerror(void **state)
{
  (void)state;
  const int errors[] = {HTTPSTATUS_OK, HTTPSTATUS_E_SYNTAX, HTTPSTATUS_E_RANGE,
                        HTTPSTATUS_E_VERSION, HTTPSTATUS_E_PHRASE,
                        HTTPSTATUS_E_TOO_LONG};
  for (size_t i = 0; i < sizeof errors / sizeof *errors; i++) {
    const char *s = httpstatus_strerror(errors[i]);
    assert_non_null(s);
    assert_string_not_equal(s, "unknown error");
    for (size_t j = 0; j < i; j++)
      assert_string_not_equal(s, httpstatus_strerror(errors[j]));
  }
  assert_string_equal(httpstatus_strerror(1), "unknown error");
  assert_string_equal(httpstatus_strerror(-6), "unknown error");
  assert_string_equal(httpstatus_strerror(INT_MIN), "unknown error");
  assert_string_equal(httpstatus_strerror(INT_MAX), "unknown error");
}

/* ------------------------------------------------------------------------ */

static bool found_code(const httpstatus_entry **hits, size_t n, int code)
{
  for (size_t i = 0; i < n; i++)
    if (hits[i]->code == code)
      return true;
  return false;
}

static void test_search_words(void **state)
{
  (void)state;
  const httpstatus_entry *hits[256];
  size_t n = httpstatus_search("not found", hits, 256);
  assert_true(n >= 1);
  assert_true(found_code(hits, n, 404));
  n = httpstatus_search("  NoT\tFoUnD\n", hits, 256);
  assert_true(found_code(hits, n, 404));
  assert_int_equal(httpstatus_search("teapot", hits, 256), 1);
  assert_int_equal(hits[0]->code, 418);
  /* Former phrases, origins, summaries and codes. */
  n = httpstatus_search("payload too large", hits, 256);
  assert_int_equal(n, 1);
  assert_int_equal(hits[0]->code, 413);
  n = httpstatus_search("cloudflare", hits, 256);
  assert_true(n >= 8);
  for (size_t i = 0; i < n; i++)
    assert_string_equal(hits[i]->origin, "Cloudflare");
  n = httpstatus_search("mailbox", hits, 256);
  assert_int_equal(n, 1);
  assert_string_equal(hits[0]->phrase, "Redirect");
  n = httpstatus_search("404", hits, 256);
  assert_true(found_code(hits, n, 404));
  /* Every word must match: "teapot" and "nginx" never meet. */
  assert_int_equal(httpstatus_search("teapot nginx", hits, 256), 0);
  /* Ranked: the phrases first (408, 504, ...), then the summaries. */
  n = httpstatus_search("timeout", hits, 256);
  assert_true(n >= 3);
  assert_int_equal(hits[0]->code, 408);
  assert_int_equal(hits[1]->code, 504);
}

static void test_search_limits(void **state)
{
  (void)state;
  const httpstatus_entry *hits[4] = {NULL};
  size_t all = httpstatus_search("error", NULL, 0);
  assert_true(all > 4);
  assert_int_equal(httpstatus_search("error", hits, 2), all);
  assert_non_null(hits[0]);
  assert_non_null(hits[1]);
  assert_null(hits[2]); /* nothing written past max */
  assert_int_equal(httpstatus_search("error", NULL, 3), all);
}

static void test_search_empty_and_odd(void **state)
{
  (void)state;
  const httpstatus_entry *hits[4];
  assert_int_equal(httpstatus_search("", hits, 4), 0);
  assert_int_equal(httpstatus_search(" \t\r\n", hits, 4), 0);
  assert_int_equal(httpstatus_search(NULL, hits, 4), 0);
  /* Non-ASCII: compared exactly, and the catalog is ASCII. */
  assert_int_equal(httpstatus_search("Caf\xc3\xa9", hits, 4), 0);
  assert_int_equal(httpstatus_search("\xff\xfe", hits, 4), 0);
  assert_int_equal(httpstatus_search("NOT\xc3\x80 found", hits, 4), 0);
}

static void test_search_one_megabyte(void **state)
{
  (void)state;
  static char q[(1u << 20) + 1];
  size_t size = sizeof q - 1;
  /* One huge word. */
  memset(q, 'a', size);
  q[size] = '\0';
  assert_int_equal(httpstatus_search(q, NULL, 0), 0);
  /* Half a million one-letter words: the same as the word once. */
  for (size_t i = 0; i < size; i += 2) {
    q[i] = 'e';
    q[i + 1] = ' ';
  }
  assert_int_equal(httpstatus_search(q, NULL, 0), httpstatus_search("e", NULL, 0));
  /* Half a million words nothing contains. */
  for (size_t i = 0; i < size; i += 2)
    q[i] = '#';
  assert_int_equal(httpstatus_search(q, NULL, 0), 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_unknown_codes_have_nothing),
    cmocka_unit_test(test_reason_edges),
    cmocka_unit_test(test_meanings_count_optional),
    cmocka_unit_test(test_at_bounds),
    cmocka_unit_test(test_classes),
    cmocka_unit_test(test_names),
    cmocka_unit_test(test_properties),
    cmocka_unit_test(test_validate),
    cmocka_unit_test(test_strerror),
    cmocka_unit_test(test_search_words),
    cmocka_unit_test(test_search_limits),
    cmocka_unit_test(test_search_empty_and_odd),
    cmocka_unit_test(test_search_one_megabyte),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
