/* SPDX-License-Identifier: MIT */
/*
 * util/forwarded.c - the client addresses a proxy names in Forwarded (RFC
 * 7239) or X-Forwarded-For. Strict: anything off the grammar is refused
 * whole, since a lenient reading is how one hop's value is made to mean
 * another's.
 */
#include <string.h>

#include "util/addr.h"

#define NODE_MAX 64 /* longest for= value: "[v6]:port" or an obfuscated name */

static bool is_obf(char ch)
{
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
         (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' || ch == '-';
}

static size_t skip_ows(const char *s, size_t len, size_t i)
{
  while (i < len && (s[i] == ' ' || s[i] == '\t'))
    i++;
  return i;
}

/* obfnode / obfport: "_" 1*( ALPHA / DIGIT / "." / "_" / "-" ). */
static bool obfuscated(const char *s, size_t len)
{
  if (len < 2 || s[0] != '_')
    return false;
  for (size_t i = 1; i < len; i++)
    if (!is_obf(s[i]))
      return false;
  return true;
}

/* node = nodename [ ":" node-port ] (RFC 7239 6); *a gets the address,
 * all zero for "unknown" or an obfuscated name. */
static bool node(const char *s, size_t len, srv_addr *a)
{
  memset(a, 0, sizeof *a);
  size_t name = len;
  const char *port = NULL;
  if (len > 0 && s[0] == '[') {
    const char *end = memchr(s, ']', len);
    if (end == NULL || memchr(s + 1, ':', (size_t)(end - s - 1)) == NULL ||
        !srv_addr_parse(s + 1, (size_t)(end - s) - 1, a))
      return false;
    name = (size_t)(end - s) + 1;
  } else {
    const char *colon = memchr(s, ':', len);
    name = colon ? (size_t)(colon - s) : len;
    if (srv_ieq(s, name, "unknown") || obfuscated(s, name)) {
      memset(a, 0, sizeof *a);
    } else if (memchr(s, ':', name) != NULL || !srv_addr_parse(s, name, a)) {
      return false;
    }
  }
  if (name == len)
    return true;
  if (s[name] != ':')
    return false;
  port = s + name + 1;
  size_t plen = len - name - 1;
  uint64_t v;
  return obfuscated(port, plen) ||
         (plen >= 1 && plen <= 5 && srv_parse_u64(port, plen, 65535, &v));
}

/* A value at s[*i]: token or quoted-string. The for= value is copied,
 * unescaped, into out (false when it does not fit: no node is that long). */
static bool value(const char *s, size_t len, size_t *i, char *out,
                  size_t *olen)
{
  size_t n = 0, j = *i;
  bool keep = out != NULL;
  if (j < len && s[j] == '"') {
    for (j++;; j++) {
      if (j >= len)
        return false;
      char ch = s[j];
      if (ch == '"')
        break;
      if (ch == '\\') {
        if (++j >= len)
          return false;
        ch = s[j];
      }
      if ((unsigned char)ch < 0x20 && ch != '\t')
        return false;
      if (ch == 0x7f)
        return false;
      if (keep && n == NODE_MAX)
        return false;
      if (keep)
        out[n] = ch;
      n++;
    }
    j++;
  } else {
    for (; j < len && srv_is_tchar(s[j]); j++) {
      if (keep && n == NODE_MAX)
        return false;
      if (keep)
        out[n] = s[j];
      n++;
    }
    if (n == 0)
      return false;
  }
  *i = j;
  if (olen)
    *olen = n;
  return true;
}

srv_fwd_status srv_forwarded_parse(srv_span v, srv_addr *out, size_t max,
                                   size_t *count)
{
  const char *s = v.s;
  size_t len = v.len, i = 0;
  *count = 0;
  bool element_has_for = false, empty = true;
  i = skip_ows(s, len, i);
  while (i < len) {
    if (s[i] == ',') {
      element_has_for = false;
      i = skip_ows(s, len, i + 1);
      continue;
    }
    if (s[i] == ';') {
      i++;
      continue;
    }
    size_t name = i;
    while (i < len && srv_is_tchar(s[i]))
      i++;
    if (i == name || i >= len || s[i] != '=')
      return SRV_FWD_MALFORMED;
    bool is_for = srv_ieq(s + name, i - name, "for");
    char node_text[NODE_MAX];
    size_t nlen = 0;
    i++;
    if (!value(s, len, &i, is_for ? node_text : NULL, &nlen))
      return SRV_FWD_MALFORMED;
    if (is_for) {
      srv_addr a;
      if (element_has_for || !node(node_text, nlen, &a))
        return SRV_FWD_MALFORMED;
      element_has_for = true;
      if (*count < max)
        out[*count] = a;
      (*count)++;
    }
    empty = false;
    if (i < len && s[i] != ';' && s[i] != ',') {
      i = skip_ows(s, len, i);
      if (i < len && s[i] != ',')
        return SRV_FWD_MALFORMED;
    }
  }
  return empty ? SRV_FWD_MALFORMED : SRV_FWD_OK;
}

srv_fwd_status srv_xff_parse(srv_span v, srv_addr *out, size_t max,
                             size_t *count)
{
  const char *s = v.s;
  size_t len = v.len, i = 0;
  *count = 0;
  while (i < len) {
    i = skip_ows(s, len, i);
    size_t start = i;
    while (i < len && s[i] != ',' && s[i] != ' ' && s[i] != '\t')
      i++;
    srv_addr a;
    if (!srv_addr_parse(s + start, i - start, &a))
      return SRV_FWD_MALFORMED;
    if (*count < max)
      out[*count] = a;
    (*count)++;
    i = skip_ows(s, len, i);
    if (i < len && s[i++] != ',')
      return SRV_FWD_MALFORMED;
    if (i == len && s[len - 1] == ',')
      return SRV_FWD_MALFORMED;
  }
  return *count > 0 ? SRV_FWD_OK : SRV_FWD_MALFORMED;
}
