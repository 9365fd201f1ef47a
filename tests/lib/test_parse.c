/* SPDX-License-Identifier: MIT */
/*
 * test_parse.c - httpstatus_parse_code and httpstatus_parse_status_line on
 * valid, malformed, truncated and oversized input.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "httpstatus.h"

static void test_parse_code(void **state)
{
  (void)state;
  static const struct {
    const char *text;
    size_t len;
    int rc, code;
  } cases[] = {
    {"404", 3, HTTPSTATUS_OK, 404},
    {"100", 3, HTTPSTATUS_OK, 100},
    {"599", 3, HTTPSTATUS_OK, 599},
    {"600", 3, HTTPSTATUS_E_RANGE, 600},
    {"999", 3, HTTPSTATUS_E_RANGE, 999},
    {"099", 3, HTTPSTATUS_E_SYNTAX, -7},
    {"000", 3, HTTPSTATUS_E_SYNTAX, -7},
    {"1000", 4, HTTPSTATUS_E_SYNTAX, -7},
    {"40", 2, HTTPSTATUS_E_SYNTAX, -7},
    {"", 0, HTTPSTATUS_E_SYNTAX, -7},
    {"+40", 3, HTTPSTATUS_E_SYNTAX, -7},
    {"-40", 3, HTTPSTATUS_E_SYNTAX, -7},
    {" 40", 3, HTTPSTATUS_E_SYNTAX, -7},
    {"404 ", 4, HTTPSTATUS_E_SYNTAX, -7},
    {"4a4", 3, HTTPSTATUS_E_SYNTAX, -7},
    {"4\0" "4", 3, HTTPSTATUS_E_SYNTAX, -7},
    {"\xd9\xa4\xd9", 3, HTTPSTATUS_E_SYNTAX, -7}, /* not ASCII digits */
    {"40404", 3, HTTPSTATUS_OK, 404},              /* len is what counts */
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    int code = -7;
    assert_int_equal(httpstatus_parse_code(cases[i].text, cases[i].len, &code),
                     cases[i].rc);
    assert_int_equal(code, cases[i].code);
  }
  assert_int_equal(httpstatus_parse_code(NULL, 0, NULL), HTTPSTATUS_E_SYNTAX);
  assert_int_equal(httpstatus_parse_code("200", 3, NULL), HTTPSTATUS_OK);
}

typedef struct line_case {
  const char *text;
  size_t len; /* 0: strlen */
  int rc;
  int major, minor, code;
  const char *phrase;
} line_case;

static void check_line(const line_case *c)
{
  httpstatus_status_line sl;
  size_t len = c->len ? c->len : strlen(c->text);
  int rc = httpstatus_parse_status_line(c->text, len, &sl);
  if (rc != c->rc)
    fail_msg("\"%s\": %d (%s), expected %d", c->text, rc,
             httpstatus_strerror(rc), c->rc);
  if (rc != HTTPSTATUS_OK)
    return;
  assert_int_equal(sl.major, c->major);
  assert_int_equal(sl.minor, c->minor);
  assert_int_equal(sl.code, c->code);
  assert_int_equal(sl.phrase_len, strlen(c->phrase));
  assert_memory_equal(sl.phrase, c->phrase, sl.phrase_len);
  /* The phrase points into the caller's text. */
  assert_true(sl.phrase >= c->text && sl.phrase + sl.phrase_len <= c->text + len);
}

static void test_valid_lines(void **state)
{
  (void)state;
  static const line_case cases[] = {
    {"HTTP/1.1 404 Not Found", 0, HTTPSTATUS_OK, 1, 1, 404, "Not Found"},
    {"HTTP/1.1 404 Not Found\r\n", 0, HTTPSTATUS_OK, 1, 1, 404, "Not Found"},
    {"HTTP/1.1 404 Not Found\n", 0, HTTPSTATUS_OK, 1, 1, 404, "Not Found"},
    {"HTTP/1.0 200", 0, HTTPSTATUS_OK, 1, 0, 200, ""},
    {"HTTP/1.1 404", 0, HTTPSTATUS_OK, 1, 1, 404, ""},
    {"HTTP/1.1 404\r\n", 0, HTTPSTATUS_OK, 1, 1, 404, ""},
    {"HTTP/1.1 204 ", 0, HTTPSTATUS_OK, 1, 1, 204, ""},
    {"HTTP/2 404", 0, HTTPSTATUS_OK, 2, 0, 404, ""},
    {"HTTP/2.0 200 OK", 0, HTTPSTATUS_OK, 2, 0, 200, "OK"},
    {"HTTP/3 103 Early Hints\r\n", 0, HTTPSTATUS_OK, 3, 0, 103, "Early Hints"},
    {"HTTP/1.1 999 Request denied", 0, HTTPSTATUS_OK, 1, 1, 999, "Request denied"},
    {"HTTP/1.1 200 Tabs\tand  spaces ", 0, HTTPSTATUS_OK, 1, 1, 200, "Tabs\tand  spaces "},
    {"HTTP/1.1 200 caf\xc3\xa9 \xff", 0, HTTPSTATUS_OK, 1, 1, 200, "caf\xc3\xa9 \xff"},
    {"HTTP/1.1 404 Not Found", 16, HTTPSTATUS_OK, 1, 1, 404, "Not"}, /* len counts */
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
    check_line(&cases[i]);
}

static void test_malformed_lines(void **state)
{
  (void)state;
  static const line_case cases[] = {
    {"", 0, HTTPSTATUS_E_VERSION, 0, 0, 0, NULL},
    {"HTTP", 0, HTTPSTATUS_E_VERSION, 0, 0, 0, NULL},
    {"HTTP/", 0, HTTPSTATUS_E_VERSION, 0, 0, 0, NULL},
    {"HTTP/1.", 0, HTTPSTATUS_E_VERSION, 0, 0, 0, NULL},
    {"HTTP/x.1 200 OK", 0, HTTPSTATUS_E_VERSION, 0, 0, 0, NULL},
    {"HTTP/1.x 200 OK", 0, HTTPSTATUS_E_VERSION, 0, 0, 0, NULL},
    {"HTTP/1.10 200 OK", 0, HTTPSTATUS_E_VERSION, 0, 0, 0, NULL},
    {"HTTP/11 200 OK", 0, HTTPSTATUS_E_VERSION, 0, 0, 0, NULL},
    {"http/1.1 200 OK", 0, HTTPSTATUS_E_VERSION, 0, 0, 0, NULL},
    {"HTTPS/1.1 200 OK", 0, HTTPSTATUS_E_VERSION, 0, 0, 0, NULL},
    {" HTTP/1.1 200 OK", 0, HTTPSTATUS_E_VERSION, 0, 0, 0, NULL},
    {"ICY 200 OK", 0, HTTPSTATUS_E_VERSION, 0, 0, 0, NULL},
    {"HTTP/1.1\t200 OK", 0, HTTPSTATUS_E_VERSION, 0, 0, 0, NULL},
    {"HTTP/1.1", 0, HTTPSTATUS_E_SYNTAX, 0, 0, 0, NULL},
    {"HTTP/1.1\r\n", 0, HTTPSTATUS_E_SYNTAX, 0, 0, 0, NULL},
    {"HTTP/1.1 ", 0, HTTPSTATUS_E_SYNTAX, 0, 0, 0, NULL},
    {"HTTP/1.1 40", 0, HTTPSTATUS_E_SYNTAX, 0, 0, 0, NULL},
    {"HTTP/1.1 4040", 0, HTTPSTATUS_E_SYNTAX, 0, 0, 0, NULL},
    {"HTTP/1.1  404", 0, HTTPSTATUS_E_SYNTAX, 0, 0, 0, NULL},
    {"HTTP/1.1 099 Low", 0, HTTPSTATUS_E_SYNTAX, 0, 0, 0, NULL},
    {"HTTP/1.1 000", 0, HTTPSTATUS_E_SYNTAX, 0, 0, 0, NULL},
    {"HTTP/1.1 -40 Neg", 0, HTTPSTATUS_E_SYNTAX, 0, 0, 0, NULL},
    {"HTTP/1.1 4x4 Odd", 0, HTTPSTATUS_E_SYNTAX, 0, 0, 0, NULL},
    {"HTTP/1.1 404\tNot Found", 0, HTTPSTATUS_E_SYNTAX, 0, 0, 0, NULL},
    {"HTTP/1.1 404\r", 0, HTTPSTATUS_E_SYNTAX, 0, 0, 0, NULL},
    {"HTTP/1.1 404 Not Found\r", 0, HTTPSTATUS_E_PHRASE, 0, 0, 0, NULL},
    {"HTTP/1.1 404 Not\rFound", 0, HTTPSTATUS_E_PHRASE, 0, 0, 0, NULL},
    {"HTTP/1.1 404 Not\x7f" "Found", 0, HTTPSTATUS_E_PHRASE, 0, 0, 0, NULL},
    {"HTTP/1.1 404 Not\x01" "Found", 0, HTTPSTATUS_E_PHRASE, 0, 0, 0, NULL},
    {"HTTP/1.1 404 Not\0Found", 22, HTTPSTATUS_E_PHRASE, 0, 0, 0, NULL},
    {"HTTP/1.1\0" "404 Not Found", 22, HTTPSTATUS_E_VERSION, 0, 0, 0, NULL},
    {"HTTP/1.1 404 Not Found\r\n\r\n", 0, HTTPSTATUS_E_SYNTAX, 0, 0, 0, NULL},
    {"HTTP/1.1 404 Not Found\nX: y", 0, HTTPSTATUS_E_SYNTAX, 0, 0, 0, NULL},
    {"HTTP/1.1 404 Not Found\n\n", 0, HTTPSTATUS_E_SYNTAX, 0, 0, 0, NULL},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
    check_line(&cases[i]);
}

/* Every proper prefix of a good line either parses as a shorter line or
 * fails cleanly; none reads past its length (ASan watches). */
static void test_truncated_lines(void **state)
{
  (void)state;
  static const char line[] = "HTTP/1.1 404 Not Found\r\n";
  for (size_t len = 0; len < sizeof line - 1; len++) {
    char *copy = test_malloc(len ? len : 1);
    memcpy(copy, line, len);
    httpstatus_status_line sl;
    int rc = httpstatus_parse_status_line(copy, len, &sl);
    if (len < 12)
      assert_true(rc < 0);
    else
      assert_true(rc == HTTPSTATUS_OK || rc == HTTPSTATUS_E_PHRASE ||
                  rc == HTTPSTATUS_E_SYNTAX);
    if (rc == HTTPSTATUS_OK)
      assert_int_equal(sl.code, 404);
    test_free(copy);
  }
}

static void test_oversized_lines(void **state)
{
  (void)state;
  static char line[HTTPSTATUS_STATUS_LINE_MAX + 2];
  memset(line, 'x', sizeof line);
  memcpy(line, "HTTP/1.1 200 ", 13);
  /* Exactly the limit, terminator included: accepted. */
  memcpy(line + HTTPSTATUS_STATUS_LINE_MAX - 2, "\r\n", 2);
  httpstatus_status_line sl;
  assert_int_equal(httpstatus_parse_status_line(line, HTTPSTATUS_STATUS_LINE_MAX, &sl),
                   HTTPSTATUS_OK);
  assert_int_equal(sl.phrase_len, HTTPSTATUS_STATUS_LINE_MAX - 15);
  /* One byte more: refused before anything else is looked at. */
  memset(line + HTTPSTATUS_STATUS_LINE_MAX - 2, 'x', 2);
  memcpy(line + HTTPSTATUS_STATUS_LINE_MAX - 1, "\r\n", 2);
  assert_int_equal(httpstatus_parse_status_line(line, HTTPSTATUS_STATUS_LINE_MAX + 1, &sl),
                   HTTPSTATUS_E_TOO_LONG);
  assert_int_equal(httpstatus_parse_status_line("garbage", SIZE_MAX, &sl),
                   HTTPSTATUS_E_TOO_LONG);
}

static void test_null_arguments(void **state)
{
  (void)state;
  httpstatus_status_line sl;
  assert_int_equal(httpstatus_parse_status_line(NULL, 0, &sl), HTTPSTATUS_E_VERSION);
  assert_int_equal(httpstatus_parse_status_line(NULL, 5, &sl), HTTPSTATUS_E_SYNTAX);
  assert_int_equal(httpstatus_parse_status_line("HTTP/1.1 200 OK", 15, NULL),
                   HTTPSTATUS_OK);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_parse_code),
    cmocka_unit_test(test_valid_lines),
    cmocka_unit_test(test_malformed_lines),
    cmocka_unit_test(test_truncated_lines),
    cmocka_unit_test(test_oversized_lines),
    cmocka_unit_test(test_null_arguments),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
