/* SPDX-License-Identifier: MIT */
/*
 * test_json.c - httpstatus_json and httpstatus_json_string: escaping,
 * invalid UTF-8, and snprintf semantics at every buffer size. (That the
 * output parses as JSON is checked by lib_json_python.)
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "httpstatus.h"

static void check_escaped(const char *in, size_t len, const char *want)
{
  char buf[256];
  size_t n = httpstatus_json_string(in, len, buf, sizeof buf);
  assert_int_equal(n, strlen(want));
  assert_string_equal(buf, want);
}

static void test_escapes(void **state)
{
  (void)state;
  check_escaped("", 0, "\"\"");
  check_escaped(NULL, 0, "\"\"");
  check_escaped("Not Found", 9, "\"Not Found\"");
  check_escaped("a\"b\\c", 5, "\"a\\\"b\\\\c\"");
  check_escaped("\n\r\t\b\f", 5, "\"\\u000a\\u000d\\u0009\\u0008\\u000c\"");
  check_escaped("\x01\x1f\x7f", 3, "\"\\u0001\\u001f\x7f\"");
  check_escaped("a\0b", 3, "\"a\\u0000b\"");
  check_escaped("</script>", 9, "\"</script>\"");
}

static void test_utf8(void **state)
{
  (void)state;
  /* Valid sequences pass through. */
  check_escaped("caf\xc3\xa9", 5, "\"caf\xc3\xa9\"");
  check_escaped("\xe2\x82\xac", 3, "\"\xe2\x82\xac\"");
  check_escaped("\xf0\x9f\x98\x80", 4, "\"\xf0\x9f\x98\x80\"");
  check_escaped("\xf4\x8f\xbf\xbf", 4, "\"\xf4\x8f\xbf\xbf\"");
  /* Invalid bytes become U+FFFD, one per byte. */
#define R "\xef\xbf\xbd"
  check_escaped("\xff", 1, "\"" R "\"");
  check_escaped("\x80", 1, "\"" R "\"");
  check_escaped("\xc3", 1, "\"" R "\"");                   /* truncated */
  check_escaped("\xc3x", 2, "\"" R "x\"");
  check_escaped("\xc0\xaf", 2, "\"" R R "\"");             /* overlong */
  check_escaped("\xe0\x80\xaf", 3, "\"" R R R "\"");       /* overlong */
  check_escaped("\xed\xa0\x80", 3, "\"" R R R "\"");       /* surrogate */
  check_escaped("\xf4\x90\x80\x80", 4, "\"" R R R R "\""); /* > U+10FFFF */
  check_escaped("\xf5\x80\x80\x80", 4, "\"" R R R R "\"");
  check_escaped("\xe2\x82", 2, "\"" R R "\"");
#undef R
}

/* snprintf semantics: always the full length, a NUL-terminated prefix. */
static void test_truncation(void **state)
{
  (void)state;
  char full[1024], small[1024];
  const httpstatus_entry *e = httpstatus_lookup(413);
  size_t n = httpstatus_json(e, full, sizeof full);
  assert_true(n < sizeof full);
  assert_int_equal(strlen(full), n);
  assert_int_equal(httpstatus_json(e, NULL, 0), n);
  for (size_t size = 1; size <= n + 1; size++) {
    memset(small, '#', sizeof small);
    assert_int_equal(httpstatus_json(e, small, size), n);
    assert_int_equal(strlen(small), size - 1);
    assert_memory_equal(small, full, size - 1);
    assert_int_equal(small[size], '#'); /* nothing past size */
  }
  size_t m = httpstatus_json_string("abc", 3, NULL, 0);
  assert_int_equal(m, 5);
  assert_int_equal(httpstatus_json_string("abc", 3, small, 3), 5);
  assert_string_equal(small, "\"a");
}

static void test_entry_object(void **state)
{
  (void)state;
  char buf[2048];
  httpstatus_json(httpstatus_lookup(405), buf, sizeof buf);
  assert_string_equal(buf,
    "{\"code\":405,\"description\":\"Method Not Allowed\","
    "\"phrase\":\"Method Not Allowed\","
    "\"summary\":\"request method not supported by that resource\","
    "\"class\":\"4xx\",\"status\":\"standard\",\"origin\":\"RFC 9110\","
    "\"reference\":\"RFC 9110, Section 15.5.6\","
    "\"url\":\"https://www.rfc-editor.org/rfc/rfc9110#section-15.5.6\","
    "\"aliases\":[],\"content\":true,\"cacheable\":true,\"retryable\":false,"
    "\"headers\":[\"Allow\"],\"fields\":{\"Allow\":\"MUST\"},\"retry\":\"no\","
    "\"keywords\":[\"wrong method\"],"
    "\"constants\":[\"HTTPSTATUS_CODE_METHOD_NOT_ALLOWED\",\"METHOD_NOT_ALLOWED\","
    "\"MethodNotAllowed\"]}");
  httpstatus_json(NULL, buf, sizeof buf);
  assert_string_equal(buf, "null");
  /* A caller's own entry: NULL strings, no aliases, odd code. */
  httpstatus_entry odd = {.code = -5, .phrase = "x\"y", .summary = NULL,
                          .status = (httpstatus_status)9, .origin = NULL,
                          .aliases = NULL, .headers = ~0u, .flags = ~0u};
  size_t n = httpstatus_json(&odd, buf, sizeof buf);
  assert_true(n < sizeof buf);
  assert_non_null(strstr(buf, "\"code\":-5,"));
  assert_non_null(strstr(buf, "\"class\":null,"));
  assert_non_null(strstr(buf, "\"status\":\"unknown\""));
  assert_non_null(strstr(buf, "\"summary\":null,"));
  assert_non_null(strstr(buf, "\"content\":false"));
  assert_non_null(strstr(buf, "\"Link\"],"));
  /* Every field the entry names is MAY unless said otherwise. */
  assert_non_null(strstr(buf, "\"fields\":{\"Location\":\"MAY\","));
  assert_non_null(strstr(buf, "\"keywords\":[],\"constants\":[\"X_Y\",\"XY\"]}"));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_escapes),
    cmocka_unit_test(test_utf8),
    cmocka_unit_test(test_truncation),
    cmocka_unit_test(test_entry_object),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
