/* SPDX-License-Identifier: MIT */
/*
 * json.c - entries as JSON objects (RFC 8259), written with snprintf
 * semantics into the caller's buffer: the full length is always counted,
 * the bytes that fit are written, and the output is NUL-terminated.
 */
#include <string.h>

#include "httpstatus.h"
#include "utf8.h"

/* The caller's buffer and how much the output needs so far. */
typedef struct writer {
  char *buf;
  size_t size;
  size_t len;
} writer;

static void put(writer *w, const char *s, size_t n)
{
  if (w->len < w->size) {
    size_t room = w->size - w->len;
    memcpy(w->buf + w->len, s, n < room ? n : room);
  }
  w->len += n;
}

static void put_text(writer *w, const char *s)
{
  put(w, s, strlen(s));
}

/* NUL-terminate: at the end when it fits, else over the last byte. */
static size_t finish(writer *w)
{
  if (w->size)
    w->buf[w->len < w->size ? w->len : w->size - 1] = '\0';
  return w->len;
}

static void put_string(writer *w, const char *text, size_t len)
{
  static const char hex[] = "0123456789abcdef";
  const unsigned char *s = (const unsigned char *)text;
  size_t i = 0, n;
  put(w, "\"", 1);
  while (i < len) {
    unsigned char c = s[i];
    if (c == '"' || c == '\\') {
      char esc[2] = {'\\', (char)c};
      put(w, esc, 2);
      i++;
    } else if (c < 0x20) {
      /* \u00XX for every control byte: one rule, valid everywhere. */
      char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
      put(w, esc, 6);
      i++;
    } else if ((n = utf8_length(s + i, len - i)) != 0) {
      put(w, text + i, n);
      i += n;
    } else {
      put(w, "\xEF\xBF\xBD", 3); /* U+FFFD for one bad byte */
      i++;
    }
  }
  put(w, "\"", 1);
}

static void put_cstring(writer *w, const char *s)
{
  if (s)
    put_string(w, s, strlen(s));
  else
    put_text(w, "null");
}

size_t httpstatus_json_string(const char *text, size_t len, char *buf,
                              size_t size)
{
  writer w = {buf, size, 0};
  put_string(&w, text ? text : "", text ? len : 0);
  return finish(&w);
}

static void put_key(writer *w, const char *key)
{
  if (w->len > 1) /* after the opening brace and the first member */
    put(w, ",", 1);
  put_string(w, key, strlen(key));
  put(w, ":", 1);
}

static void put_bool(writer *w, const char *key, bool value)
{
  put_key(w, key);
  put_text(w, value ? "true" : "false");
}

static void put_int(writer *w, int value)
{
  char digits[12];
  size_t n = sizeof digits;
  unsigned v = value < 0 ? 0u - (unsigned)value : (unsigned)value;
  do
    digits[--n] = (char)('0' + v % 10u);
  while (v /= 10u);
  if (value < 0)
    digits[--n] = '-';
  put(w, digits + n, sizeof digits - n);
}

static void put_list(writer *w, const char *const *list)
{
  put(w, "[", 1);
  for (const char *const *a = list; a && *a; a++) {
    if (a != list)
      put(w, ",", 1);
    put_cstring(w, *a);
  }
  put(w, "]", 1);
}

static void put_fields(writer *w, const httpstatus_entry *e)
{
  put_key(w, "fields");
  put(w, "{", 1);
  bool first = true;
  for (unsigned bit = 1; bit && bit < 1u << HTTPSTATUS_HEADER_COUNT; bit <<= 1) {
    httpstatus_level level = httpstatus_entry_header_level(e, bit);
    if (level == HTTPSTATUS_LEVEL_NONE)
      continue;
    if (!first)
      put(w, ",", 1);
    put_cstring(w, httpstatus_header_name(bit));
    put(w, ":", 1);
    put_cstring(w, httpstatus_level_name(level));
    first = false;
  }
  put(w, "}", 1);
}

/* No phrase here is near this long; a longer name would be cut, so it is
 * left out rather than written wrong. */
#define CONSTANT_MAX 160

static void put_constants(writer *w, const httpstatus_entry *e)
{
  char name[CONSTANT_MAX];
  size_t n;
  put_key(w, "constants");
  put(w, "[", 1);
  bool first = true;
  for (size_t i = 0; (n = httpstatus_constant(e, i, name, sizeof name)) != 0; i++) {
    if (n >= sizeof name)
      continue;
    if (!first)
      put(w, ",", 1);
    put_string(w, name, n);
    first = false;
  }
  put(w, "]", 1);
}

size_t httpstatus_json(const httpstatus_entry *e, char *buf, size_t size)
{
  writer w = {buf, size, 0};
  if (!e) {
    put_text(&w, "null");
    return finish(&w);
  }
  put(&w, "{", 1);
  put_key(&w, "code");
  put_int(&w, e->code);
  put_key(&w, "description");
  put_cstring(&w, e->phrase);
  put_key(&w, "phrase");
  put_cstring(&w, e->phrase);
  put_key(&w, "summary");
  put_cstring(&w, e->summary);
  put_key(&w, "class");
  httpstatus_class cls = httpstatus_class_of(e->code);
  if (cls == HTTPSTATUS_CLASS_INVALID) {
    put_text(&w, "null");
  } else {
    char name[6] = {'"', (char)('0' + cls), 'x', 'x', '"', '\0'};
    put_text(&w, name);
  }
  put_key(&w, "status");
  put_cstring(&w, httpstatus_status_name(e->status));
  put_key(&w, "origin");
  put_cstring(&w, e->origin);
  put_key(&w, "reference");
  put_cstring(&w, e->reference);
  put_key(&w, "url");
  put_cstring(&w, e->url);
  put_key(&w, "aliases");
  put_list(&w, e->aliases);
  put_bool(&w, "content", !(e->flags & HTTPSTATUS_FLAG_NO_CONTENT));
  put_bool(&w, "cacheable", e->flags & HTTPSTATUS_FLAG_CACHEABLE);
  put_bool(&w, "retryable", e->flags & HTTPSTATUS_FLAG_RETRYABLE);
  put_key(&w, "headers");
  put(&w, "[", 1);
  bool first = true;
  for (unsigned bit = 1; bit && bit < 1u << HTTPSTATUS_HEADER_COUNT; bit <<= 1) {
    if (!(e->headers & bit))
      continue;
    if (!first)
      put(&w, ",", 1);
    put_cstring(&w, httpstatus_header_name(bit));
    first = false;
  }
  put(&w, "]", 1);
  put_fields(&w, e);
  put_key(&w, "retry");
  put_cstring(&w, httpstatus_retry_name(e->retry));
  put_key(&w, "keywords");
  put_list(&w, e->keywords);
  put_constants(&w, e);
  put(&w, "}", 1);
  return finish(&w);
}

size_t httpstatus_explanation_json(const httpstatus_explanation *x, char *buf,
                                   size_t size)
{
  writer w = {buf, size, 0};
  if (!x) {
    put_text(&w, "null");
    return finish(&w);
  }
  put(&w, "{", 1);
  put_key(&w, "code");
  put_int(&w, x->code);
  put_key(&w, "phrase");
  put_cstring(&w, httpstatus_reason(x->code));
  const char *const prose[][2] = {{"meaning", x->meaning}, {"send", x->send},
                                  {"clients", x->clients}, {"mistakes", x->mistakes}};
  for (size_t i = 0; i < sizeof prose / sizeof prose[0]; i++) {
    put_key(&w, prose[i][0]);
    put_cstring(&w, prose[i][1]);
  }
  put_key(&w, "related");
  put(&w, "[", 1);
  for (size_t i = 0; i < x->related_count; i++) {
    if (i)
      put(&w, ",", 1);
    put_int(&w, x->related[i]);
  }
  put(&w, "]", 1);
  put_key(&w, "example");
  put_cstring(&w, x->example);
  put(&w, "}", 1);
  return finish(&w);
}
