/* SPDX-License-Identifier: MIT */
/*
 * util/host.c - the grammar of a Host field value (RFC 9110 7.2, RFC 3986
 * 3.2.2 and 3.2.3): what a request names as its authority, checked before
 * anything builds a URL from it.
 */
#include <string.h>

#include "util/addr.h"

static bool is_hex(char ch)
{
  return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') ||
         (ch >= 'A' && ch <= 'F');
}

/* unreserved / sub-delims of RFC 3986, without ",": a bitmap of the bytes
 * below 64 and one of those from 64 to 127, built from the characters
 * (this runs for every byte of every Host). */
#define BIT(ch) (UINT64_C(1) << ((ch) & 63))
#define RUN(first, count) (((UINT64_C(1) << (count)) - 1) << ((first) & 63))
static const uint64_t name_low = RUN('0', 10) | BIT('!') | BIT('$') | BIT('&') |
                                 BIT('\'') | BIT('(') | BIT(')') | BIT('*') |
                                 BIT('+') | BIT('-') | BIT('.') | BIT(';') | BIT('=');
static const uint64_t name_high = RUN('A', 26) | RUN('a', 26) | BIT('_') | BIT('~');

static bool is_name_char(char ch)
{
  unsigned char c = (unsigned char)ch;
  return c < 64 ? (name_low >> c) & 1 : c < 128 && ((name_high >> (c - 64)) & 1);
}

/* reg-name (which covers IPv4address): 1*( name char / pct-encoded ). */
static bool reg_name(const char *s, size_t len)
{
  if (len == 0)
    return false;
  for (size_t i = 0; i < len; i++) {
    if (s[i] == '%') {
      if (i + 2 >= len || !is_hex(s[i + 1]) || !is_hex(s[i + 2]))
        return false;
      i += 2;
    } else if (!is_name_char(s[i])) {
      return false;
    }
  }
  return true;
}

/* IPvFuture: "v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" ). */
static bool ipv_future(const char *s, size_t len)
{
  size_t i = 1;
  if (len < 4 || (s[0] != 'v' && s[0] != 'V'))
    return false;
  while (i < len && is_hex(s[i]))
    i++;
  if (i == 1 || i >= len - 1 || s[i] != '.')
    return false;
  for (i++; i < len; i++)
    if (!is_name_char(s[i]) && s[i] != ':' && s[i] != ',')
      return false;
  return true;
}

/* port = *DIGIT, at most 65535. */
static bool port(const char *s, size_t len)
{
  uint64_t v;
  return len == 0 || (len <= 5 && srv_parse_u64(s, len, 65535, &v));
}

bool srv_host_valid(srv_span host)
{
  const char *s = host.s;
  size_t len = host.len;
  if (len == 0)
    return true;
  if (s[0] == '[') {
    const char *end = memchr(s, ']', len);
    if (end == NULL)
      return false;
    size_t in = (size_t)(end - s) - 1, after = len - in - 2;
    srv_addr a;
    /* An IPv6 address (so a colon: [1.2.3.4] is no IP-literal) or IPvFuture. */
    bool v6 = memchr(s + 1, ':', in) != NULL && srv_addr_parse(s + 1, in, &a);
    if (!v6 && !ipv_future(s + 1, in))
      return false;
    return after == 0 || (end[1] == ':' && port(end + 2, after - 1));
  }
  const char *colon = memchr(s, ':', len);
  size_t name = colon ? (size_t)(colon - s) : len;
  return reg_name(s, name) && (colon == NULL || port(colon + 1, len - name - 1));
}
