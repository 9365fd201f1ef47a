/* SPDX-License-Identifier: MIT */
/*
 * test_explain.c - the explanations compiled into the library: one for every
 * code of the catalog, each section filled, related codes that exist, an
 * example that is an exchange; and the JSON form. `test_lib_explain NAME`
 * runs only the test NAME (CTest runs each as lib_explain_NAME).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "httpstatus.h"

#define EACH_CODE(e, i)                                       \
  for (size_t i = 0; ((e) = httpstatus_at(i)) != NULL; i++) \
    if (i == 0 || httpstatus_at(i - 1)->code != (e)->code)

static void test_every_code_explained(void **state)
{
  (void)state;
  const httpstatus_entry *e;
  size_t codes = 0, missing = 0;
  EACH_CODE(e, i) {
    codes++;
    const httpstatus_explanation *x = httpstatus_explain(e->code);
    if (x == NULL) {
      print_error("%d has no src/lib/explain/%d.txt\n", e->code, e->code);
      missing++;
    } else {
      assert_int_equal(x->code, e->code);
    }
  }
  assert_true(codes > 90);
  assert_int_equal(missing, 0);
}

static void test_only_catalog_codes(void **state)
{
  (void)state;
  for (int code = -1; code <= 1000; code++) {
    const httpstatus_explanation *x = httpstatus_explain(code);
    if (x != NULL) {
      assert_int_equal(x->code, code);
      assert_non_null(httpstatus_lookup(code));
    }
  }
  assert_null(httpstatus_explain(INT_MIN));
  assert_null(httpstatus_explain(INT_MAX));
  assert_null(httpstatus_explain(0));
  assert_null(httpstatus_explain(601));
}

/* Joined prose: paragraphs of one line, "\n\n" between them, no stray
 * spaces. */
static void check_prose(int code, const char *what, const char *s)
{
  assert_non_null(s);
  if (s[0] == '\0' || s[0] == ' ' || s[0] == '\n' || s[strlen(s) - 1] == ' ' ||
      s[strlen(s) - 1] == '\n')
    fail_msg("%d: %s is empty or has stray space at an end", code, what);
  for (const char *p = s; (p = strchr(p, '\n')) != NULL; p += 2)
    if (p[1] != '\n' || p[2] == '\n' || p[2] == ' ')
      fail_msg("%d: %s: a line break that is not a paragraph break", code, what);
  if (strstr(s, "  ") != NULL)
    fail_msg("%d: %s has two spaces in a row", code, what);
}

static void test_sections_filled(void **state)
{
  (void)state;
  const httpstatus_entry *e;
  EACH_CODE(e, i) {
    const httpstatus_explanation *x = httpstatus_explain(e->code);
    if (x == NULL)
      continue; /* test_every_code_explained reports it */
    check_prose(x->code, "meaning", x->meaning);
    check_prose(x->code, "send", x->send);
    check_prose(x->code, "clients", x->clients);
    check_prose(x->code, "mistakes", x->mistakes);
    assert_true(x->related_count > 0);
    assert_non_null(x->related);
  }
}

static void test_related_exist(void **state)
{
  (void)state;
  const httpstatus_entry *e;
  EACH_CODE(e, i) {
    const httpstatus_explanation *x = httpstatus_explain(e->code);
    for (size_t r = 0; x != NULL && r < x->related_count; r++) {
      if (httpstatus_lookup(x->related[r]) == NULL)
        fail_msg("%d: related %d is not in the catalog", x->code, x->related[r]);
      if (x->related[r] == x->code)
        fail_msg("%d is related to itself", x->code);
      for (size_t q = 0; q < r; q++)
        if (x->related[q] == x->related[r])
          fail_msg("%d: related %d twice", x->code, x->related[r]);
    }
  }
}

static bool is_status_line(const char *line)
{
  int major, minor = 0, code, n = 0;
  return (sscanf(line, "HTTP/%1d.%1d %3d%n", &major, &minor, &code, &n) == 3 ||
          sscanf(line, "HTTP/%1d %3d%n", &major, &code, &n) == 2) &&
         code >= 100 && code <= 999 && n > 0;
}

static void test_example_is_exchange(void **state)
{
  (void)state;
  const httpstatus_entry *e;
  EACH_CODE(e, i) {
    const httpstatus_explanation *x = httpstatus_explain(e->code);
    if (x == NULL)
      continue;
    const char *s = x->example;
    size_t len = strlen(s);
    assert_true(len > 0 && s[len - 1] == '\n');
    const char *sp = strchr(s, ' '), *nl = strchr(s, '\n');
    if (!(sp != NULL && sp < nl && strstr(s, " HTTP/") < nl))
      fail_msg("%d: the example does not start with a request line", x->code);
    /* A blank line, then (after any request content) a status line. */
    const char *blank = strstr(s, "\n\n"), *p;
    bool found = false;
    for (p = blank; p != NULL && !found; p = strchr(p + 1, '\n'))
      found = is_status_line(p + 1);
    if (blank == NULL || !found)
      fail_msg("%d: the example has no response after a blank line", x->code);
  }
}

/* "cover every meaning the catalog has": each further meaning's phrase, or
 * its origin, is named in the meaning section. */
static bool mentions(const char *text, const char *phrase)
{
  size_t n = strlen(phrase);
  for (const char *p = text; *p != '\0'; p++) {
    size_t i = 0;
    while (i < n && p[i] != '\0' &&
           (p[i] | 0x20) == (phrase[i] | 0x20))
      i++;
    if (i == n)
      return true;
  }
  return false;
}

static void test_meaning_covers_every_meaning(void **state)
{
  (void)state;
  const httpstatus_entry *e;
  EACH_CODE(e, i) {
    const httpstatus_explanation *x = httpstatus_explain(e->code);
    size_t n;
    const httpstatus_entry *m = httpstatus_meanings(e->code, &n);
    for (size_t k = 1; x != NULL && k < n; k++)
      if (!mentions(x->meaning, m[k].phrase))
        fail_msg("%d: '== meaning' does not name the meaning \"%s\" (%s)", x->code,
                 m[k].phrase, m[k].origin);
  }
}

static void test_json(void **state)
{
  (void)state;
  const httpstatus_explanation *x = httpstatus_explain(200);
  assert_non_null(x);
  static char buf[32768]; /* static: a failed assertion leaks nothing */
  size_t len = httpstatus_explanation_json(x, NULL, 0);
  assert_true(len > 0 && len < sizeof buf);
  assert_int_equal(httpstatus_explanation_json(x, buf, sizeof buf), len);
  assert_int_equal(strlen(buf), len);
  assert_true(strncmp(buf, "{\"code\":200,\"phrase\":\"OK\",\"meaning\":\"", 37) == 0);
  const char *keys[] = {"\"meaning\":", "\"send\":", "\"clients\":", "\"mistakes\":",
                        "\"related\":[", "\"example\":\""};
  const char *at = buf;
  for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
    const char *next = strstr(at, keys[k]);
    if (next == NULL)
      fail_msg("key %s missing or out of order in %s", keys[k], buf);
    at = next;
  }
  assert_non_null(strstr(buf, "\\u000a")); /* the example's lines, escaped */
  assert_string_equal(buf + len - 2, "\"}");

  /* snprintf semantics: cut short, still NUL-terminated, same length. */
  char small[16];
  assert_int_equal(httpstatus_explanation_json(x, small, sizeof small), len);
  assert_int_equal(strlen(small), sizeof small - 1);
  assert_memory_equal(small, buf, sizeof small - 1);

  char null_buf[8];
  assert_int_equal(httpstatus_explanation_json(NULL, null_buf, sizeof null_buf), 4);
  assert_string_equal(null_buf, "null");
}

#define TEST(name) cmocka_unit_test(name)

int main(int argc, char **argv)
{
  const struct CMUnitTest tests[] = {
    TEST(test_every_code_explained),
    TEST(test_only_catalog_codes),
    TEST(test_sections_filled),
    TEST(test_related_exist),
    TEST(test_example_is_exchange),
    TEST(test_meaning_covers_every_meaning),
    TEST(test_json),
  };
  if (argc > 1) {
    /* An exact name only, so that a typo cannot run nothing and pass. */
    size_t i = 0;
    while (i < sizeof tests / sizeof tests[0] && strcmp(tests[i].name, argv[1]) != 0)
      i++;
    if (i == sizeof tests / sizeof tests[0]) {
      fprintf(stderr, "no test named %s\n", argv[1]);
      return 2;
    }
    return _cmocka_run_group_tests("explain", &tests[i], 1, NULL, NULL);
  }
  return cmocka_run_group_tests(tests, NULL, NULL);
}
