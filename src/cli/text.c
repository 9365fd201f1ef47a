/* SPDX-License-Identifier: MIT */
/* text.c - small string helpers: error lines, safe quoting, ASCII case. */
#include <stdarg.h>
#include <string.h>

#include "cli.h"

void cli_error(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("httpstatus: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
}

/* Quoted text must never flood the terminal nor carry control bytes into
 * it: a 1 MB argument shows as its first few dozen bytes. */
const char *cli_quote(const char *s, char *buf, size_t size) {
  static const char hex[] = "0123456789abcdef";
  const size_t room = size - sizeof "...";
  size_t n = 0;
  for (; *s != '\0'; s++) {
    unsigned char c = (unsigned char)*s;
    size_t need = (c >= 0x20 && c < 0x7f) ? 1 : 4;
    if (n + need > room) {
      memcpy(buf + n, "...", sizeof "...");
      return buf;
    }
    if (need == 1) {
      buf[n++] = (char)c;
    } else {
      buf[n++] = '\\';
      buf[n++] = 'x';
      buf[n++] = hex[c >> 4];
      buf[n++] = hex[c & 15];
    }
  }
  buf[n] = '\0';
  return buf;
}

static int lower(int c) {
  return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

bool cli_ieq(const char *a, size_t alen, const char *b) {
  size_t i = 0;
  for (; i < alen; i++) {
    if (b[i] == '\0' || lower((unsigned char)a[i]) != lower((unsigned char)b[i]))
      return false;
  }
  return b[i] == '\0';
}

bool cli_icontains(const char *haystack, const char *needle) {
  size_t n = strlen(needle);
  for (; *haystack != '\0'; haystack++) {
    size_t i = 0;
    while (i < n && haystack[i] != '\0' &&
           lower((unsigned char)haystack[i]) == lower((unsigned char)needle[i]))
      i++;
    if (i == n)
      return true;
  }
  return n == 0;
}
