/* SPDX-License-Identifier: MIT */
/*
 * constant.c - the identifiers code uses for a meaning: this library's
 * HTTPSTATUS_CODE_* constant, and the SCREAMING_SNAKE and CamelCase
 * spellings of its phrase and former phrases that other libraries build
 * their names from (Python's HTTPStatus.NOT_FOUND, Go's StatusNotFound,
 * .NET's HttpStatusCode.NotFound).
 */
#include <string.h>

#include "httpstatus.h"

typedef struct out {
  char *buf;
  size_t size, len;
} out;

static void put_char(out *o, char c)
{
  if (o->len + 1 < o->size)
    o->buf[o->len] = c;
  o->len++;
}

static void put_str(out *o, const char *s)
{
  while (*s)
    put_char(o, *s++);
}

static bool is_alnum(char c)
{
  return (unsigned)(c - '0') < 10u || (unsigned)((c | 0x20) - 'a') < 26u;
}

static char upper(char c)
{
  return (unsigned)(c - 'a') < 26u ? (char)(c - 'a' + 'A') : c;
}

static char lower(char c)
{
  return (unsigned)(c - 'A') < 26u ? (char)(c - 'A' + 'a') : c;
}

/* "I'm a teapot" -> IM_A_TEAPOT or ImATeapot: words are runs of letters and
 * digits; an apostrophe joins ("I'm" is one word), anything else splits. */
static void put_words(out *o, const char *phrase, bool camel)
{
  bool in_word = false, first_word = true;
  for (const char *p = phrase; *p; p++) {
    if (*p == '\'' && in_word)
      continue;
    if (!is_alnum(*p)) {
      in_word = false;
      continue;
    }
    if (!in_word && !first_word && !camel)
      put_char(o, '_');
    put_char(o, camel ? (in_word ? lower(*p) : upper(*p)) : upper(*p));
    in_word = true;
    first_word = false;
  }
}

static size_t finish(out *o)
{
  if (o->size > 0)
    o->buf[o->len < o->size ? o->len : o->size - 1] = '\0';
  return o->len;
}

size_t httpstatus_constant(const httpstatus_entry *e, size_t index, char *buf,
                           size_t size)
{
  out o = {buf, size, 0};
  if (e == NULL || e->phrase == NULL)
    return finish(&o);
  bool first = e->name != NULL && httpstatus_lookup(e->code) == e;
  if (first && index-- == 0) {
    put_str(&o, "HTTPSTATUS_CODE_");
    put_str(&o, e->name);
    return finish(&o);
  }
  /* Two spellings per phrase: the phrase, then each former phrase. */
  size_t phrase = index / 2;
  const char *text = e->phrase;
  for (size_t i = 0; i < phrase && text != NULL; i++)
    text = e->aliases != NULL ? e->aliases[i] : NULL;
  if (text != NULL && *text)
    put_words(&o, text, index % 2 == 1);
  return finish(&o);
}
