/* SPDX-License-Identifier: MIT */
/*
 * util/buf.c - srv_buf, a growable byte buffer owned by whoever embeds it,
 * with HTML and JSON escaping.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "httpstatus.h"
#include "srv.h"

void srv_buf_reserve(srv_buf *b, size_t extra)
{
  if (b->cap - b->len >= extra)
    return;
  size_t cap = b->cap ? b->cap : 256;
  while (cap - b->len < extra)
    cap *= 2;
  char *data = realloc(b->data, cap);
  if (data == NULL) {
    fputs("httpstatus serve: out of memory\n", stderr);
    abort();
  }
  b->data = data;
  b->cap = cap;
}

void srv_buf_append(srv_buf *b, const void *data, size_t len)
{
  if (len == 0)
    return;
  if (b->cap - b->len < len)
    srv_buf_reserve(b, len);
  memcpy(b->data + b->len, data, len);
  b->len += len;
}

void srv_buf_puts(srv_buf *b, const char *s)
{
  srv_buf_append(b, s, strlen(s));
}

void srv_buf_putu(srv_buf *b, uint64_t v)
{
  char tmp[20];
  size_t n = 0;
  do {
    tmp[sizeof tmp - ++n] = (char)('0' + v % 10);
    v /= 10;
  } while (v != 0);
  srv_buf_append(b, tmp + sizeof tmp - n, n);
}

void srv_buf_vprintf(srv_buf *b, const char *fmt, va_list ap)
{
  va_list again;
  va_copy(again, ap);
  int n = vsnprintf(NULL, 0, fmt, ap);
  if (n > 0) {
    srv_buf_reserve(b, (size_t)n + 1);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, again);
    b->len += (size_t)n;
  }
  va_end(again);
}

void srv_buf_printf(srv_buf *b, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  srv_buf_vprintf(b, fmt, ap);
  va_end(ap);
}

void srv_buf_html(srv_buf *b, const char *s, size_t len)
{
  for (size_t i = 0; i < len; i++) {
    switch (s[i]) {
    case '&': srv_buf_puts(b, "&amp;"); break;
    case '<': srv_buf_puts(b, "&lt;"); break;
    case '>': srv_buf_puts(b, "&gt;"); break;
    case '"': srv_buf_puts(b, "&quot;"); break;
    case '\'': srv_buf_puts(b, "&#39;"); break;
    default: srv_buf_append(b, s + i, 1);
    }
  }
}

void srv_buf_json_string(srv_buf *b, const char *s, size_t len)
{
  /* Room for the common case (nothing escaped) up front; it also makes
   * b->data non-null before the pointer arithmetic below. */
  srv_buf_reserve(b, len + 3);
  size_t room = b->cap - b->len;
  size_t n = httpstatus_json_string(s, len, b->data + b->len, room);
  if (n >= room) {
    srv_buf_reserve(b, n + 1);
    httpstatus_json_string(s, len, b->data + b->len, n + 1);
  }
  b->len += n;
}

void srv_buf_free(srv_buf *b)
{
  free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
}
