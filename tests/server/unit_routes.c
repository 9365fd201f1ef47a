/* SPDX-License-Identifier: MIT */
/*
 * unit_routes.c - cmocka tests of what the request-dependent routes are
 * made of: HTTP-dates in their three formats (util/date.c), entity-tag
 * comparison and the order of RFC 9110's preconditions
 * (core/conditional.c), the Range parser (core/range.c), strict base64
 * (util/base64.c), lists and percent-decoding (util/text.c), and the plans
 * of a few routes built from exchanges in memory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/core.h"

/* 2026-12-02 12:00:00 UTC: "now" for two-digit years. */
#define NOW INT64_C(1796212800)
#define SUN_06_NOV_1994 INT64_C(784111777) /* 08:49:37 UTC, RFC 9110's */

static bool parse(const char *s, int64_t *out)
{
  return srv_date_parse(s, strlen(s), NOW, out);
}

static void dates_parse_in_all_three_formats(void **state)
{
  (void)state;
  int64_t t = 0;
  assert_true(parse("Sun, 06 Nov 1994 08:49:37 GMT", &t));
  assert_int_equal(t, SUN_06_NOV_1994);
  t = 0;
  assert_true(parse("Sunday, 06-Nov-94 08:49:37 GMT", &t));
  assert_int_equal(t, SUN_06_NOV_1994);
  t = 0;
  assert_true(parse("Sun Nov  6 08:49:37 1994", &t));
  assert_int_equal(t, SUN_06_NOV_1994);
  assert_true(parse("Thu, 01 Jan 1970 00:00:00 GMT", &t));
  assert_int_equal(t, 0);
  assert_true(parse("Tue, 29 Feb 2028 23:59:60 GMT", &t)); /* leap day, second */
  assert_int_equal(t, INT64_C(1835481600));
}

static void rfc850_years_are_the_latest_past_century(void **state)
{
  (void)state;
  int64_t t = 0;
  /* "76" read in December 2026: 2076-01-01 is less than 50 years ahead. */
  assert_true(parse("Sunday, 01-Jan-76 00:00:00 GMT", &t));
  assert_int_equal(t, INT64_C(3345062400));
  /* "77": 2077-01-01 is more than 50 years ahead, so 1977. */
  assert_true(parse("Saturday, 01-Jan-77 00:00:00 GMT", &t));
  assert_int_equal(t, INT64_C(220924800));
}

static void bad_dates_are_refused(void **state)
{
  (void)state;
  static const char *const bad[] = {
      "",
      "Sun, 06 Nov 1994 08:49:37 UTC",   /* only GMT */
      "sun, 06 Nov 1994 08:49:37 GMT",   /* case-sensitive */
      "Sun, 06 nov 1994 08:49:37 GMT",
      "Sun, 6 Nov 1994 08:49:37 GMT",    /* 2DIGIT day */
      "Sun,  06 Nov 1994 08:49:37 GMT",  /* no extra space */
      "Sun, 06 Nov 1994 08:49:37 GMT ",  /* nothing after it */
      "Sun, 31 Nov 1994 08:49:37 GMT",   /* 30 days hath November */
      "Sun, 29 Feb 1900 08:49:37 GMT",   /* 1900 is no leap year */
      "Sun, 06 Nov 1994 24:00:00 GMT",
      "Sun, 06 Nov 1994 08:60:00 GMT",
      "Sun, 06 Nov 1994 08:49:61 GMT",
      "Sun, 06 Nov 94 08:49:37 GMT",
      "Sun, 06-Nov-94 08:49:37 GMT",     /* RFC 850 wants the long day */
      "Sunday, 06-Nov-1994 08:49:37 GMT",
      "Sun Nov 6 08:49:37 1994",         /* asctime pads the day */
      "Sun Nov 06 08:49:37 1994 GMT",
      "Sun, 06 Nov 1994 08:49:37 GMT, Mon, 07 Nov 1994 08:49:37 GMT",
      "1994-11-06T08:49:37Z",
      "784111777",
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    int64_t t = 42;
    if (parse(bad[i], &t))
      fail_msg("'%s' parsed", bad[i]);
    assert_int_equal(t, 42);
  }
}

static void dates_format_as_imf_fixdate(void **state)
{
  (void)state;
  char out[SRV_DATE_SIZE];
  size_t n = srv_date_format(SUN_06_NOV_1994, out);
  assert_int_equal(n, 29);
  assert_string_equal(out, "Sun, 06 Nov 1994 08:49:37 GMT");
  int64_t back = 0;
  assert_true(srv_date_parse(out, n, NOW, &back));
  assert_int_equal(back, SUN_06_NOV_1994);
}

static bool match(const char *list, const char *etag, bool strong)
{
  return srv_etag_match(srv_span_of(list), srv_span_of(etag), strong);
}

static void etags_compare_weakly_and_strongly(void **state)
{
  (void)state;
  /* RFC 9110, Section 8.8.3.2's table. */
  assert_false(match("W/\"1\"", "W/\"1\"", true));
  assert_true(match("W/\"1\"", "W/\"1\"", false));
  assert_false(match("W/\"1\"", "W/\"2\"", false));
  assert_false(match("W/\"1\"", "\"1\"", true));
  assert_true(match("W/\"1\"", "\"1\"", false));
  assert_true(match("\"1\"", "\"1\"", true));
  assert_true(match("\"1\"", "\"1\"", false));
  /* Lists, empty members, commas inside a tag, `*`. */
  assert_true(match("\"a\", \"b\" ,\"c\"", "\"c\"", true));
  assert_true(match(" , \"x\",,", "\"x\"", true));
  assert_true(match("\"a,b\"", "\"a,b\"", true));
  assert_false(match("\"a\"", "\"a,b\"", true));
  assert_true(match("*", "\"anything\"", true));
  assert_true(match(" * ", "\"anything\"", false));
  assert_true(match("\"\"", "\"\"", true));
}

static void malformed_etag_lists_match_nothing(void **state)
{
  (void)state;
  assert_false(match("a", "\"a\"", false));        /* unquoted */
  assert_false(match("\"a", "\"a\"", false));      /* unterminated */
  assert_false(match("w/\"a\"", "\"a\"", false));  /* W/ is case-sensitive */
  assert_false(match("\"a b\"", "\"a b\"", false)); /* no space in a tag */
  assert_false(match("junk, \"a\"", "\"a\"", false));
  assert_false(match("*, \"a\"", "\"a\"", false));
  assert_false(match("", "\"a\"", false));
}

/* ------------------------------------------------------------------------ */
/* Preconditions, on exchanges in memory */

static srv_core core;
static srv_exchange xch;

static void exchange(const char *method)
{
  srv_exchange_reset(&xch, SRV_PROTO_HTTP11, false, -1);
  xch.method_name = srv_span_of(method);
  xch.method = srv_method_of(method, strlen(method));
  xch.target = srv_span_of("/x");
}

static void field(srv_field f, const char *value)
{
  xch.fields[f] = srv_span_of(value);
}

static const srv_validators validators = {{"\"v1\"", 4}, true,
                                          SUN_06_NOV_1994};

static srv_precondition eval(void)
{
  core.clock.second = NOW;
  return srv_conditional_eval(&core, &xch, &validators);
}

static void if_match_comes_first_and_is_strong(void **state)
{
  (void)state;
  exchange("PUT");
  field(SRV_F_IF_MATCH, "\"v0\", \"v1\"");
  assert_int_equal(eval(), SRV_COND_PROCEED);
  field(SRV_F_IF_MATCH, "W/\"v1\"");
  assert_int_equal(eval(), SRV_COND_FAILED);
  /* If-Match wins over an If-Unmodified-Since that would fail... */
  field(SRV_F_IF_MATCH, "*");
  field(SRV_F_IF_UNMODIFIED_SINCE, "Sat, 05 Nov 1994 00:00:00 GMT");
  assert_int_equal(eval(), SRV_COND_PROCEED);
  /* ...which without it fails. */
  xch.fields[SRV_F_IF_MATCH] = (srv_span){"", 0};
  assert_int_equal(eval(), SRV_COND_FAILED);
  field(SRV_F_IF_UNMODIFIED_SINCE, "Sun, 06 Nov 1994 08:49:37 GMT");
  assert_int_equal(eval(), SRV_COND_PROCEED);
  field(SRV_F_IF_UNMODIFIED_SINCE, "yesterday"); /* invalid: ignored */
  assert_int_equal(eval(), SRV_COND_PROCEED);
}

static void if_none_match_is_weak_and_method_dependent(void **state)
{
  (void)state;
  exchange("GET");
  field(SRV_F_IF_NONE_MATCH, "W/\"v1\"");
  assert_int_equal(eval(), SRV_COND_NOT_MODIFIED);
  exchange("HEAD");
  field(SRV_F_IF_NONE_MATCH, "*");
  assert_int_equal(eval(), SRV_COND_NOT_MODIFIED);
  exchange("POST");
  field(SRV_F_IF_NONE_MATCH, "\"v1\"");
  assert_int_equal(eval(), SRV_COND_FAILED);
  exchange("GET");
  field(SRV_F_IF_NONE_MATCH, "\"v2\"");
  assert_int_equal(eval(), SRV_COND_PROCEED);
  /* A failed If-Match is decided before If-None-Match is looked at. */
  field(SRV_F_IF_MATCH, "\"v2\"");
  field(SRV_F_IF_NONE_MATCH, "\"v1\"");
  assert_int_equal(eval(), SRV_COND_FAILED);
}

static void if_modified_since_only_without_if_none_match(void **state)
{
  (void)state;
  exchange("GET");
  field(SRV_F_IF_MODIFIED_SINCE, "Sun, 06 Nov 1994 08:49:37 GMT");
  assert_int_equal(eval(), SRV_COND_NOT_MODIFIED);
  field(SRV_F_IF_MODIFIED_SINCE, "Sun Nov  6 08:49:36 1994"); /* a second early */
  assert_int_equal(eval(), SRV_COND_PROCEED);
  field(SRV_F_IF_MODIFIED_SINCE, "Sunday, 06-Nov-94 09:00:00 GMT");
  assert_int_equal(eval(), SRV_COND_NOT_MODIFIED);
  /* An If-None-Match that does not match: the date is not consulted. */
  field(SRV_F_IF_NONE_MATCH, "\"v0\"");
  assert_int_equal(eval(), SRV_COND_PROCEED);
  /* Neither for another method... */
  exchange("POST");
  field(SRV_F_IF_MODIFIED_SINCE, "Sun, 06 Nov 1994 08:49:37 GMT");
  assert_int_equal(eval(), SRV_COND_PROCEED);
  /* ...nor when the date is not one. */
  exchange("GET");
  field(SRV_F_IF_MODIFIED_SINCE, "Sun, 06 Nov 1994 08:49:37 +0000");
  assert_int_equal(eval(), SRV_COND_PROCEED);
}

static void if_range_needs_a_strong_match(void **state)
{
  (void)state;
  exchange("GET");
  field(SRV_F_RANGE, "bytes=0-1");
  field(SRV_F_IF_RANGE, "\"v1\"");
  assert_int_equal(eval(), SRV_COND_PROCEED);
  field(SRV_F_IF_RANGE, "W/\"v1\"");
  assert_int_equal(eval(), SRV_COND_IGNORE_RANGE);
  field(SRV_F_IF_RANGE, "\"v2\"");
  assert_int_equal(eval(), SRV_COND_IGNORE_RANGE);
  field(SRV_F_IF_RANGE, "Sun, 06 Nov 1994 08:49:37 GMT"); /* exactly */
  assert_int_equal(eval(), SRV_COND_PROCEED);
  field(SRV_F_IF_RANGE, "Sun, 06 Nov 1994 08:49:38 GMT");
  assert_int_equal(eval(), SRV_COND_IGNORE_RANGE);
  field(SRV_F_IF_RANGE, "soon");
  assert_int_equal(eval(), SRV_COND_IGNORE_RANGE);
  /* Without a Range field there is nothing to ignore. */
  xch.fields[SRV_F_RANGE] = (srv_span){"", 0};
  assert_int_equal(eval(), SRV_COND_PROCEED);
}

/* ------------------------------------------------------------------------ */
/* Range */

static srv_byte_range got[SRV_RANGE_MAX_SPECS];
static size_t count;

static srv_range_result ranges(const char *field, uint64_t size)
{
  return srv_range_parse(srv_span_of(field), size, got, &count);
}

static void ranges_parse_every_form(void **state)
{
  (void)state;
  assert_int_equal(ranges("bytes=0-499", 10000), SRV_RANGE_OK);
  assert_int_equal(count, 1);
  assert_int_equal(got[0].first, 0);
  assert_int_equal(got[0].last, 499);
  assert_int_equal(ranges("bytes=9500-", 10000), SRV_RANGE_OK);
  assert_int_equal(got[0].first, 9500);
  assert_int_equal(got[0].last, 9999);
  assert_int_equal(ranges("bytes=-500", 10000), SRV_RANGE_OK);
  assert_int_equal(got[0].first, 9500);
  assert_int_equal(ranges("bytes=-20000", 10000), SRV_RANGE_OK);
  assert_int_equal(got[0].first, 0); /* the whole, when shorter */
  assert_int_equal(ranges("bytes=5-99999999999999999999999", 10), SRV_RANGE_OK);
  assert_int_equal(got[0].last, 9); /* last-pos clamped */
  assert_int_equal(ranges("BYTES=0-0", 10), SRV_RANGE_OK); /* unit: any case */
  assert_int_equal(ranges("bytes=0-0, -1", 10000), SRV_RANGE_OK);
  assert_int_equal(count, 2);
  assert_int_equal(got[1].first, 9999);
}

static void ranges_merge_when_they_overlap_or_touch(void **state)
{
  (void)state;
  assert_int_equal(ranges("bytes=500-600,601-999", 10000), SRV_RANGE_OK);
  assert_int_equal(count, 1);
  assert_int_equal(got[0].first, 500);
  assert_int_equal(got[0].last, 999);
  assert_int_equal(ranges("bytes=500-700,601-999", 10000), SRV_RANGE_OK);
  assert_int_equal(count, 1);
  assert_int_equal(ranges("bytes=20-29,0-9,5-14", 100), SRV_RANGE_OK);
  assert_int_equal(count, 2); /* sorted: 0-14, 20-29 */
  assert_int_equal(got[0].first, 0);
  assert_int_equal(got[0].last, 14);
  assert_int_equal(got[1].first, 20);
  /* The same range many times is one part. */
  assert_int_equal(
      ranges("bytes=0-1,0-1,0-1,0-1,0-1,0-1,0-1,0-1,0-1,0-1,0-1,0-1", 5),
      SRV_RANGE_OK);
  assert_int_equal(count, 1);
}

static void unsatisfiable_ranges_are_416(void **state)
{
  (void)state;
  assert_int_equal(ranges("bytes=10-", 10), SRV_RANGE_UNSATISFIABLE);
  assert_int_equal(ranges("bytes=-0", 10), SRV_RANGE_UNSATISFIABLE);
  assert_int_equal(ranges("bytes=10-20, 30-", 10), SRV_RANGE_UNSATISFIABLE);
  /* One satisfiable range is enough. */
  assert_int_equal(ranges("bytes=10-20, 3-4", 10), SRV_RANGE_OK);
  assert_int_equal(count, 1);
  assert_int_equal(got[0].first, 3);
}

static void bad_range_fields_are_ignored(void **state)
{
  (void)state;
  static const char *const bad[] = {
      "bytes=",        "bytes=,",       "bytes=5",      "bytes=5-4",
      "bytes=a-b",     "bytes=--5",     "bytes=0-1-",   "bytes= 0-1x",
      "bytes 0-1",     "items=0-1",     "=0-1",         "bytes=0-1,x",
      "bytes=-",       "bytes=1 -2",    "bytes=0x1-2",  "",
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    if (ranges(bad[i], 100) != SRV_RANGE_NONE)
      fail_msg("'%s' was not ignored", bad[i]);
  /* Nothing to cut from an empty representation. */
  assert_int_equal(ranges("bytes=0-1", 0), SRV_RANGE_NONE);
  assert_int_equal(srv_range_parse((srv_span){NULL, 0}, 10, got, &count),
                   SRV_RANGE_NONE);
}

static void too_many_ranges_are_ignored(void **state)
{
  (void)state;
  char field[512] = "bytes=";
  for (int i = 0; i < SRV_RANGE_MAX_SPECS; i++)
    snprintf(field + strlen(field), sizeof field - strlen(field), "%s%d-%d",
             i ? "," : "", 2 * i, 2 * i);
  assert_int_equal(ranges(field, 1000), SRV_RANGE_OK);
  assert_int_equal(count, SRV_RANGE_MAX_SPECS);
  strcat(field, ",900-901");
  assert_int_equal(ranges(field, 1000), SRV_RANGE_NONE);
}

/* ------------------------------------------------------------------------ */
/* Plans of the routes */

static srv_config cfg = {.max_sleep_ms = 30000};

static srv_span field_of(const srv_plan *p, const char *name)
{
  for (size_t i = 0; i < p->field_count; i++)
    if (srv_ieq(p->fields[i].name.s, p->fields[i].name.len, name))
      return p->fields[i].value;
  return (srv_span){NULL, 0};
}

static bool field_is(const srv_plan *p, const char *name, const char *value)
{
  srv_span v = field_of(p, name);
  return v.s != NULL && v.len == strlen(value) &&
         memcmp(v.s, value, v.len) == 0;
}

static bool contains(srv_span s, const char *z)
{
  size_t n = strlen(z);
  for (size_t i = 0; i + n <= s.len; i++)
    if (memcmp(s.s + i, z, n) == 0)
      return true;
  return false;
}

static void plan(const char *method, const char *target, srv_plan *p)
{
  exchange(method);
  xch.target = srv_span_of(target);
  xch.keep_alive = true;
  core.cfg = &cfg;
  srv_plan_build(&core, &xch, p);
}

static void a_304_keeps_the_validators_and_has_no_content(void **state)
{
  (void)state;
  srv_plan p;
  exchange("GET");
  field(SRV_F_IF_NONE_MATCH, "\"a\"");
  xch.target = srv_span_of("/etag/a");
  core.cfg = &cfg;
  srv_plan_build(&core, &xch, &p);
  assert_int_equal(p.code, 304);
  assert_false(p.length_field);
  assert_int_equal(p.body.len, 0);
  assert_true(field_is(&p, "ETag", "\"a\""));
  assert_true(field_is(&p, "Vary", "Accept"));
  assert_null(field_of(&p, "Content-Type").s);
}

static void head_of_a_range_is_framed_as_its_get(void **state)
{
  (void)state;
  srv_plan p;
  plan("HEAD", "/range/10", &p);
  assert_int_equal(p.code, 200);
  assert_true(p.head);
  assert_int_equal(p.content_length, 10);
  assert_int_equal(p.body.len, 0);
  assert_true(field_is(&p, "Accept-Ranges", "bytes"));
  assert_true(field_is(&p, "Content-Type", "application/octet-stream"));
}

static void an_owned_plan_outlives_the_next_build(void **state)
{
  (void)state;
  srv_plan p, q;
  srv_buf store = {0};
  exchange("GET");
  field(SRV_F_RANGE, "bytes=0-1,4-5");
  xch.target = srv_span_of("/range/26");
  core.cfg = &cfg;
  srv_plan_build(&core, &xch, &p);
  srv_plan_own(&p, &store);
  plan("GET", "/redirect/3?status=307", &q); /* reuses the core's buffers */
  assert_int_equal(q.code, 307);
  assert_true(field_is(&q, "Location", "/redirect/2?status=307"));
  assert_int_equal(p.code, 206);
  assert_null(field_of(&p, "Location").s);
  assert_true(field_is(&p, "ETag", "\"range-26\""));
  assert_true(contains(p.body, "Content-Range: bytes 4-5/26\r\n\r\nef"));
  srv_buf_free(&store);
}

static int init_core(void **state)
{
  (void)state;
  srv_core_init();
  return 0;
}

static int free_core(void **state)
{
  (void)state;
  srv_core_free(&core);
  srv_core_shutdown();
  return 0;
}

/* ------------------------------------------------------------------------ */
/* Text helpers */

static long b64(const char *in, srv_base64 alphabet, char *out)
{
  return srv_base64_decode(srv_span_of(in), alphabet, (uint8_t *)out, 64);
}

static void base64_decodes_only_canonical_text(void **state)
{
  (void)state;
  char out[64];
  assert_int_equal(b64("dTpw", SRV_BASE64_STD, out), 3);
  assert_memory_equal(out, "u:p", 3);
  assert_int_equal(b64("QWxhZGRpbjpvcGVuIHNlc2FtZQ==", SRV_BASE64_STD, out), 19);
  assert_memory_equal(out, "Aladdin:open sesame", 19);
  assert_int_equal(b64("YQ==", SRV_BASE64_STD, out), 1);
  assert_int_equal(b64("YWI=", SRV_BASE64_STD, out), 2);
  assert_int_equal(b64("", SRV_BASE64_STD, out), 0);
  assert_int_equal(b64("-_8", SRV_BASE64_URL, out), 2);
  assert_int_equal((unsigned char)out[0], 0xfb);
  assert_int_equal((unsigned char)out[1], 0xff);
  static const char *const bad[] = {"YQ", "YQ=", "YQ===", "Y===", "YR==",
                                    "Y Q==", "YQ==YQ==", "dTpw\n", "-_8="};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    if (b64(bad[i], SRV_BASE64_STD, out) != -1)
      fail_msg("'%s' decoded", bad[i]);
  assert_int_equal(b64("-_8=", SRV_BASE64_URL, out), -1);
  assert_int_equal(b64("+/8", SRV_BASE64_URL, out), -1);
  assert_int_equal(srv_base64_decode(srv_span_of("dTpw"), SRV_BASE64_STD,
                                     (uint8_t *)out, 2),
                   -1); /* does not fit */
}

static void lists_skip_empty_members_and_keep_quotes(void **state)
{
  (void)state;
  srv_span list = srv_span_of(" a, ,b=\"x, y\" ,, c\t");
  srv_span item;
  size_t pos = 0;
  assert_true(srv_list_next(list, &pos, &item));
  assert_int_equal(item.len, 1);
  assert_memory_equal(item.s, "a", 1);
  assert_true(srv_list_next(list, &pos, &item));
  assert_int_equal(item.len, 8);
  assert_memory_equal(item.s, "b=\"x, y\"", 8);
  assert_true(srv_list_next(list, &pos, &item));
  assert_memory_equal(item.s, "c", 1);
  assert_int_equal(item.len, 1);
  assert_false(srv_list_next(list, &pos, &item));
  pos = 0;
  assert_false(srv_list_next(srv_span_of(" , ,"), &pos, &item));
}

static void percent_decoding_refuses_bad_escapes(void **state)
{
  (void)state;
  char out[16];
  assert_int_equal(srv_unescape("a%20b%2F", 8, false, out), 4);
  assert_memory_equal(out, "a b/", 4);
  assert_int_equal(srv_unescape("a+b%2B", 6, false, out), 4);
  assert_memory_equal(out, "a+b+", 4);
  assert_int_equal(srv_unescape("a+b%2B", 6, true, out), 4); /* a form */
  assert_memory_equal(out, "a b+", 4);
  assert_int_equal(srv_unescape("%4", 2, false, out), -1);
  assert_int_equal(srv_unescape("%zz", 3, false, out), -1);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(dates_parse_in_all_three_formats),
      cmocka_unit_test(rfc850_years_are_the_latest_past_century),
      cmocka_unit_test(bad_dates_are_refused),
      cmocka_unit_test(dates_format_as_imf_fixdate),
      cmocka_unit_test(etags_compare_weakly_and_strongly),
      cmocka_unit_test(malformed_etag_lists_match_nothing),
      cmocka_unit_test(if_match_comes_first_and_is_strong),
      cmocka_unit_test(if_none_match_is_weak_and_method_dependent),
      cmocka_unit_test(if_modified_since_only_without_if_none_match),
      cmocka_unit_test(if_range_needs_a_strong_match),
      cmocka_unit_test(ranges_parse_every_form),
      cmocka_unit_test(ranges_merge_when_they_overlap_or_touch),
      cmocka_unit_test(unsatisfiable_ranges_are_416),
      cmocka_unit_test(bad_range_fields_are_ignored),
      cmocka_unit_test(too_many_ranges_are_ignored),
      cmocka_unit_test(base64_decodes_only_canonical_text),
      cmocka_unit_test(lists_skip_empty_members_and_keep_quotes),
      cmocka_unit_test(percent_decoding_refuses_bad_escapes),
      cmocka_unit_test(a_304_keeps_the_validators_and_has_no_content),
      cmocka_unit_test(head_of_a_range_is_framed_as_its_get),
      cmocka_unit_test(an_owned_plan_outlives_the_next_build),
  };
  return cmocka_run_group_tests(tests, init_core, free_core);
}
