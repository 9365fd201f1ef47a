/* SPDX-License-Identifier: MIT */
/*
 * test_facts.c - the facts issue 10 fixed, one test each: 451's caching and
 * Link, how a retry can succeed, 306's origin, the MUST/SHOULD/MAY header
 * model, the reviewed summaries, the historical meanings and the constant
 * names.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "httpstatus.h"
#include "reference.h"

#define H_LOCATION HTTPSTATUS_HEADER_LOCATION
#define H_RETRY_AFTER HTTPSTATUS_HEADER_RETRY_AFTER

static const httpstatus_entry *meaning(int code, const char *phrase)
{
  size_t n;
  const httpstatus_entry *m = httpstatus_meanings(code, &n);
  for (size_t i = 0; i < n; i++)
    if (strcmp(m[i].phrase, phrase) == 0)
      return &m[i];
  fail_msg("%d %s missing", code, phrase);
  return NULL;
}

/* RFC 7725, Section 3: cacheable by default; Section 4: SHOULD carry Link
 * with rel="blocked-by". */
static void test_451_cacheable_with_link(void **state)
{
  (void)state;
  assert_true(httpstatus_is_cacheable(451));
  assert_int_equal(httpstatus_header_level(451, HTTPSTATUS_HEADER_LINK),
                   HTTPSTATUS_LEVEL_SHOULD);
  assert_true(httpstatus_headers(451) & HTTPSTATUS_HEADER_LINK);
}

/* RFC 9110, Section 15.5.20: 421 may be retried on another connection. */
static void test_421_retry_on_another_connection(void **state)
{
  (void)state;
  assert_int_equal(httpstatus_retry_of(421), HTTPSTATUS_RETRY_OTHER_CONNECTION);
  assert_true(httpstatus_is_retryable(421));
  assert_string_equal(httpstatus_retry_name(httpstatus_retry_of(421)),
                      "another-connection");
}

static void test_retry_how(void **state)
{
  (void)state;
  static const struct {
    int code;
    httpstatus_retry how;
  } table[] = {
    {200, HTTPSTATUS_RETRY_NO},
    {404, HTTPSTATUS_RETRY_NO},
    {408, HTTPSTATUS_RETRY_LATER},
    {425, HTTPSTATUS_RETRY_LATER},
    {429, HTTPSTATUS_RETRY_LATER},
    {503, HTTPSTATUS_RETRY_LATER},
    {401, HTTPSTATUS_RETRY_WITH_CREDENTIALS},
    {407, HTTPSTATUS_RETRY_WITH_CREDENTIALS},
    {511, HTTPSTATUS_RETRY_WITH_CREDENTIALS},
    {411, HTTPSTATUS_RETRY_CHANGED},
    {413, HTTPSTATUS_RETRY_CHANGED},
    {414, HTTPSTATUS_RETRY_CHANGED},
    {417, HTTPSTATUS_RETRY_CHANGED},
    {428, HTTPSTATUS_RETRY_CHANGED},
    {431, HTTPSTATUS_RETRY_CHANGED},
  };
  for (size_t i = 0; i < sizeof table / sizeof *table; i++) {
    if (httpstatus_retry_of(table[i].code) != table[i].how)
      fail_msg("%d: retry %s", table[i].code,
               httpstatus_retry_name(httpstatus_retry_of(table[i].code)));
    /* "retryable" means the same request, unchanged. */
    assert_int_equal(httpstatus_is_retryable(table[i].code),
                     table[i].how == HTTPSTATUS_RETRY_LATER ||
                         table[i].how == HTTPSTATUS_RETRY_OTHER_CONNECTION);
  }
  assert_int_equal(httpstatus_retry_of(600), HTTPSTATUS_RETRY_NO);
  assert_string_equal(httpstatus_retry_name((httpstatus_retry)99), "unknown");
}

/* RFC 2616 only reserved 306; its meaning is the Cohen draft's. */
static void test_306_origin(void **state)
{
  (void)state;
  const httpstatus_entry *e = httpstatus_lookup(306);
  assert_string_equal(e->phrase, "Switch Proxy");
  assert_string_equal(e->origin, "draft-cohen-http-305-306-responses");
  assert_int_equal(e->status, HTTPSTATUS_STATUS_UNUSED);
  assert_string_equal(e->reference, "RFC 9110, Section 15.4.7");
}

/* Each field at the strength its defining section words it. */
static void test_header_levels(void **state)
{
  (void)state;
  static const struct {
    int code;
    unsigned header;
    httpstatus_level level;
  } table[] = {
    {101, HTTPSTATUS_HEADER_UPGRADE, HTTPSTATUS_LEVEL_MUST},             /* 15.2.2 */
    {103, HTTPSTATUS_HEADER_LINK, HTTPSTATUS_LEVEL_MAY},                 /* RFC 8297 */
    {206, HTTPSTATUS_HEADER_CONTENT_RANGE, HTTPSTATUS_LEVEL_MUST},       /* 15.3.7.1 */
    {300, H_LOCATION, HTTPSTATUS_LEVEL_SHOULD},                          /* 15.4.1 */
    {301, H_LOCATION, HTTPSTATUS_LEVEL_SHOULD},                          /* 15.4.2 */
    {302, H_LOCATION, HTTPSTATUS_LEVEL_SHOULD},                          /* 15.4.3 */
    {303, H_LOCATION, HTTPSTATUS_LEVEL_SHOULD},                          /* 15.4.4 */
    {307, H_LOCATION, HTTPSTATUS_LEVEL_SHOULD},                          /* 15.4.8 */
    {308, H_LOCATION, HTTPSTATUS_LEVEL_SHOULD},                          /* 15.4.9 */
    {401, HTTPSTATUS_HEADER_WWW_AUTHENTICATE, HTTPSTATUS_LEVEL_MUST},    /* 15.5.2 */
    {405, HTTPSTATUS_HEADER_ALLOW, HTTPSTATUS_LEVEL_MUST},               /* 15.5.6 */
    {407, HTTPSTATUS_HEADER_PROXY_AUTHENTICATE, HTTPSTATUS_LEVEL_MUST},  /* 15.5.8 */
    {416, HTTPSTATUS_HEADER_CONTENT_RANGE, HTTPSTATUS_LEVEL_SHOULD},     /* 15.5.17 */
    {426, HTTPSTATUS_HEADER_UPGRADE, HTTPSTATUS_LEVEL_MUST},             /* 15.5.22 */
    {429, H_RETRY_AFTER, HTTPSTATUS_LEVEL_MAY},                          /* RFC 6585 4 */
    {451, HTTPSTATUS_HEADER_LINK, HTTPSTATUS_LEVEL_SHOULD},              /* RFC 7725 4 */
    {503, H_RETRY_AFTER, HTTPSTATUS_LEVEL_MAY},                          /* 15.6.4 */
  };
  for (size_t i = 0; i < sizeof table / sizeof *table; i++) {
    httpstatus_level got = httpstatus_header_level(table[i].code, table[i].header);
    if (got != table[i].level)
      fail_msg("%d %s: %s", table[i].code, httpstatus_header_name(table[i].header),
               httpstatus_level_name(got));
  }
  /* Levels only for fields the entry names, one bit at a time. */
  assert_int_equal(httpstatus_header_level(404, H_LOCATION), HTTPSTATUS_LEVEL_NONE);
  assert_int_equal(httpstatus_header_level(301, H_LOCATION | H_RETRY_AFTER),
                   HTTPSTATUS_LEVEL_NONE);
  assert_int_equal(httpstatus_entry_header_level(NULL, H_LOCATION),
                   HTTPSTATUS_LEVEL_NONE);
  assert_string_equal(httpstatus_level_name(HTTPSTATUS_LEVEL_MUST), "MUST");
  assert_string_equal(httpstatus_level_name((httpstatus_level)9), "none");
  /* The levels partition the field set. */
  for (size_t i = 0; i < httpstatus_count(); i++) {
    const httpstatus_entry *e = httpstatus_at(i);
    assert_int_equal(e->must_headers & ~e->headers, 0);
    assert_int_equal(e->should_headers & ~e->headers, 0);
    assert_int_equal(e->must_headers & e->should_headers, 0);
  }
}

static void assert_says(int code, const char *phrase, const char *words)
{
  const httpstatus_entry *e = meaning(code, phrase);
  if (strstr(e->summary, words) == NULL)
    fail_msg("%d %s: \"%s\" does not say \"%s\"", code, phrase, e->summary, words);
}

static void test_reviewed_summaries(void **state)
{
  (void)state;
  assert_says(307, "Temporary Redirect", "same method");
  assert_says(412, "Precondition Failed", "found it false");
  assert_says(424, "Failed Dependency", "another action in the same request");
  assert_says(208, "Already Reported", "same 207");
  assert_says(400, "Bad Request", "client error");
  assert_says(451, "Redirect", "better server exists");
  assert_says(122, "Request-URI Too Long", "no server sends");
}

/* Each historical meaning is in, with its origin, after the code's first
 * meaning; Spring's 420 Method Failure was in already. */
static void test_historical_meanings(void **state)
{
  (void)state;
  assert_string_equal(meaning(420, "Method Failure")->origin, "Spring Framework");
  for (size_t i = 0; i < ref_historical_count; i++) {
    const ref_historical *h = &ref_historical_meanings[i];
    const httpstatus_entry *e = meaning(h->code, h->phrase);
    assert_string_equal(e->origin, h->origin);
    assert_int_equal(e->status, HTTPSTATUS_STATUS_UNOFFICIAL);
    assert_ptr_not_equal(e, httpstatus_lookup(h->code));
  }
  assert_int_equal(ref_historical_count, 6);
}

static void assert_constants(int code, const char *const *want)
{
  char buf[128];
  const httpstatus_entry *e = httpstatus_lookup(code);
  size_t i = 0;
  for (; want[i]; i++) {
    assert_true(httpstatus_constant(e, i, buf, sizeof buf) > 0);
    assert_string_equal(buf, want[i]);
  }
  assert_int_equal(httpstatus_constant(e, i, buf, sizeof buf), 0);
}

static void test_constant_names(void **state)
{
  (void)state;
  assert_constants(404, (const char *const[]){"HTTPSTATUS_CODE_NOT_FOUND",
                                               "NOT_FOUND", "NotFound", NULL});
  assert_constants(418, (const char *const[]){"HTTPSTATUS_CODE_IM_A_TEAPOT",
                                               "IM_A_TEAPOT", "ImATeapot", NULL});
  assert_constants(413, (const char *const[]){
      "HTTPSTATUS_CODE_CONTENT_TOO_LARGE", "CONTENT_TOO_LARGE", "ContentTooLarge",
      "PAYLOAD_TOO_LARGE", "PayloadTooLarge", "REQUEST_ENTITY_TOO_LARGE",
      "RequestEntityTooLarge", NULL});
  /* A later meaning has no constant of this library. */
  const httpstatus_entry *e = meaning(420, "Method Failure");
  char buf[64];
  httpstatus_constant(e, 0, buf, sizeof buf);
  assert_string_equal(buf, "METHOD_FAILURE");
  /* snprintf semantics. */
  assert_int_equal(httpstatus_constant(httpstatus_lookup(404), 1, buf, 4), 9);
  assert_string_equal(buf, "NOT");
  assert_int_equal(httpstatus_constant(NULL, 0, buf, sizeof buf), 0);
  /* Every code's first constant is its HTTPSTATUS_CODE_ name. */
#define XX(code, id)                                                   \
  httpstatus_constant(httpstatus_lookup(code), 0, buf, sizeof buf);    \
  assert_string_equal(buf, "HTTPSTATUS_CODE_" #id);
  HTTPSTATUS_CODE_MAP(XX)
#undef XX
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_451_cacheable_with_link),
    cmocka_unit_test(test_421_retry_on_another_connection),
    cmocka_unit_test(test_retry_how),
    cmocka_unit_test(test_306_origin),
    cmocka_unit_test(test_header_levels),
    cmocka_unit_test(test_reviewed_summaries),
    cmocka_unit_test(test_historical_meanings),
    cmocka_unit_test(test_constant_names),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
