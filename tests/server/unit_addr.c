/* SPDX-License-Identifier: MIT */
/*
 * unit_addr.c - cmocka tests of util/addr.c: addresses, the keys the
 * limits count under, and --trust-proxy's ranges.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "util/addr.h"

static srv_addr addr(const char *s)
{
  srv_addr a;
  assert_true(srv_addr_parse(s, strlen(s), &a));
  return a;
}

static bool in(const char *range, const char *a)
{
  srv_cidr r;
  assert_true(srv_cidr_parse(range, &r));
  srv_addr x = addr(a);
  return srv_cidr_contains(&r, &x);
}

static void ranges_match_on_their_leading_bits(void **state)
{
  (void)state;
  assert_true(in("10.0.0.0/8", "10.255.1.2"));
  assert_false(in("10.0.0.0/8", "11.0.0.0"));
  assert_true(in("192.168.0.0/23", "192.168.1.255"));
  assert_false(in("192.168.0.0/23", "192.168.2.0"));
  assert_true(in("172.16.0.0/12", "172.31.255.255"));
  assert_false(in("172.16.0.0/12", "172.32.0.0"));
  assert_true(in("2001:db8::/32", "2001:db8:ffff::1"));
  assert_false(in("2001:db8::/32", "2001:db9::"));
  assert_true(in("2001:db8::/63", "2001:db8:0:1::5"));
  assert_false(in("2001:db8::/63", "2001:db8:0:2::"));
  assert_true(in("2001:db8::/65", "2001:db8::7fff:0:0:1"));
  assert_false(in("2001:db8::/65", "2001:db8::8000:0:0:0"));
}

static void a_range_without_bits_is_one_address(void **state)
{
  (void)state;
  assert_true(in("127.0.0.1", "127.0.0.1"));
  assert_false(in("127.0.0.1", "127.0.0.2"));
  assert_true(in("::1", "::1"));
  assert_false(in("::1", "::2"));
}

static void ipv4_ranges_hold_only_ipv4(void **state)
{
  (void)state;
  assert_true(in("0.0.0.0/0", "203.0.113.9"));
  assert_false(in("0.0.0.0/0", "2001:db8::1"));
  assert_true(in("::/0", "2001:db8::1"));
  assert_true(in("::/0", "203.0.113.9")); /* every address, mapped IPv4 too */
}

static void ranges_with_host_bits_or_too_many_bits_are_refused(void **state)
{
  (void)state;
  srv_cidr r;
  assert_false(srv_cidr_parse("10.0.0.1/8", &r));
  assert_false(srv_cidr_parse("10.0.0.0/33", &r));
  assert_false(srv_cidr_parse("2001:db8::1/64", &r));
  assert_false(srv_cidr_parse("::/129", &r));
  assert_false(srv_cidr_parse("10.0.0.0/", &r));
  assert_false(srv_cidr_parse("example.com/8", &r));
}

static void ipv6_keys_are_their_slash_64(void **state)
{
  (void)state;
  srv_addr a = addr("2001:db8:1:2:aaaa::1"), b = addr("2001:db8:1:2:bbbb::2");
  srv_addr c = addr("2001:db8:1:3::1");
  srv_addr ka = srv_addr_key(&a), kb = srv_addr_key(&b), kc = srv_addr_key(&c);
  assert_memory_equal(&ka, &kb, sizeof ka);
  assert_memory_not_equal(&ka, &kc, sizeof ka);
  srv_addr v4 = addr("198.51.100.7"), k4 = srv_addr_key(&v4);
  assert_memory_equal(&v4, &k4, sizeof v4);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(ranges_match_on_their_leading_bits),
      cmocka_unit_test(a_range_without_bits_is_one_address),
      cmocka_unit_test(ipv4_ranges_hold_only_ipv4),
      cmocka_unit_test(ranges_with_host_bits_or_too_many_bits_are_refused),
      cmocka_unit_test(ipv6_keys_are_their_slash_64),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
