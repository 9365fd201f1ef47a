/* SPDX-License-Identifier: MIT */
/*
 * util/text.c - the one ASCII helper set of the server: spans, case-folded
 * comparison (HTTP field names, methods' options, hosts are ASCII and
 * case-insensitive), trimming, decimal numbers.
 */
#include <string.h>

#include "srv.h"

srv_span srv_span_of(const char *s)
{
  srv_span span = {s, s ? strlen(s) : 0};
  return span;
}

bool srv_iprefix(const char *s, size_t len, const char *z)
{
  size_t i = 0;
  for (; z[i] != '\0'; i++)
    if (i >= len || srv_lower(s[i]) != srv_lower(z[i]))
      return false;
  return true;
}

bool srv_ieq(const char *s, size_t len, const char *z)
{
  for (size_t i = 0; i < len; i++)
    if (z[i] == '\0' ||
        (s[i] != z[i] && srv_lower(s[i]) != srv_lower(z[i])))
      return false;
  return z[len] == '\0';
}

bool srv_span_ieq(srv_span a, srv_span b)
{
  if (a.len != b.len)
    return false;
  for (size_t i = 0; i < a.len; i++)
    if (srv_lower(a.s[i]) != srv_lower(b.s[i]))
      return false;
  return true;
}

static bool is_ows(char ch)
{
  return ch == ' ' || ch == '\t';
}

srv_span srv_trim(srv_span t)
{
  while (t.len > 0 && is_ows(t.s[0]))
    t.s++, t.len--;
  while (t.len > 0 && is_ows(t.s[t.len - 1]))
    t.len--;
  return t;
}


bool srv_parse_u64(const char *s, size_t len, uint64_t max, uint64_t *out)
{
  if (len == 0 || len > 19)
    return false;
  uint64_t v = 0;
  for (size_t i = 0; i < len; i++) {
    if (s[i] < '0' || s[i] > '9')
      return false;
    v = v * 10 + (uint64_t)(s[i] - '0');
  }
  if (v > max)
    return false;
  *out = v;
  return true;
}

bool srv_list_next(srv_span list, size_t *pos, srv_span *item)
{
  size_t i = *pos;
  while (i < list.len && (list.s[i] == ',' || is_ows(list.s[i])))
    i++; /* RFC 9110, Section 5.6.1: empty elements are no elements */
  if (i >= list.len) {
    *pos = list.len;
    return false;
  }
  size_t start = i;
  bool quoted = false;
  for (; i < list.len && (quoted || list.s[i] != ','); i++) {
    if (list.s[i] == '"')
      quoted = !quoted;
    else if (quoted && list.s[i] == '\\' && i + 1 < list.len)
      i++;
  }
  *item = srv_trim((srv_span){list.s + start, i - start});
  *pos = i;
  return true;
}

int srv_hex_digit(char ch)
{
  if (ch >= '0' && ch <= '9')
    return ch - '0';
  ch = srv_lower(ch);
  if (ch >= 'a' && ch <= 'f')
    return ch - 'a' + 10;
  return -1;
}

long srv_unescape(const char *s, size_t len, bool plus, char *out)
{
  size_t n = 0;
  for (size_t i = 0; i < len; i++) {
    if (s[i] != '%') {
      out[n++] = plus && s[i] == '+' ? ' ' : s[i];
      continue;
    }
    int hi = i + 2 < len ? srv_hex_digit(s[i + 1]) : -1;
    int lo = i + 2 < len ? srv_hex_digit(s[i + 2]) : -1;
    if (hi < 0 || lo < 0)
      return -1;
    out[n++] = (char)(hi * 16 + lo);
    i += 2;
  }
  return (long)n;
}

bool srv_is_tchar(char ch)
{
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
         (ch >= '0' && ch <= '9') ||
         (ch != '\0' && strchr("!#$%&'*+-.^_`|~", ch) != NULL);
}

size_t srv_token_len(const char *s, size_t len)
{
  size_t n = 0;
  while (n < len && srv_is_tchar(s[n]))
    n++;
  return n;
}
