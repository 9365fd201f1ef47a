/* SPDX-License-Identifier: MIT */
/*
 * search.c - the case-insensitive word search over the catalog. Linear in
 * the catalog, no allocation, no state.
 */
#include <string.h>

#include "httpstatus.h"

static unsigned char fold(unsigned char c)
{
  return (unsigned)(c - 'A') < 26u ? (unsigned char)(c + ('a' - 'A')) : c;
}

static bool is_space(unsigned char c)
{
  return c == ' ' || (unsigned)(c - '\t') < 5u; /* \t \n \v \f \r */
}

/* Whether word[0..len) occurs in the NUL-terminated hay, ignoring ASCII
 * case. Stops at hay's end, so a word longer than hay costs little. */
static bool contains(const char *hay, const unsigned char *word, size_t len)
{
  if (!hay)
    return false;
  for (const unsigned char *h = (const unsigned char *)hay; *h; h++) {
    size_t k = 0;
    while (k < len && h[k] && fold(h[k]) == fold(word[k]))
      k++;
    if (k == len)
      return true;
  }
  return false;
}

static bool entry_has(const httpstatus_entry *e, const unsigned char *word,
                      size_t len)
{
  char code[4] = {0};
  if (e->code >= 100 && e->code <= 999) {
    code[0] = (char)('0' + e->code / 100);
    code[1] = (char)('0' + e->code / 10 % 10);
    code[2] = (char)('0' + e->code % 10);
  }
  if (contains(code, word, len) || contains(e->phrase, word, len) ||
      contains(e->summary, word, len) || contains(e->origin, word, len))
    return true;
  for (const char *const *a = e->aliases; a && *a; a++)
    if (contains(*a, word, len))
      return true;
  return false;
}

/* The catalog has fewer than 256 rows (checked where it is defined). */
#define MAX_ROWS 256

/* Words are the outer loop so that a word nothing contains ends the search
 * at once, whatever follows it: a long query costs little unless most of
 * its words match. */
size_t httpstatus_search(const char *query, const httpstatus_entry **out,
                         size_t max)
{
  bool alive[MAX_ROWS];
  size_t rows = httpstatus_count(), left = rows, words = 0, found = 0;
  const unsigned char *q = (const unsigned char *)query;
  if (!q || rows > MAX_ROWS)
    return 0;
  memset(alive, 1, sizeof alive);
  while (left) {
    while (*q && is_space(*q))
      q++;
    if (!*q)
      break;
    const unsigned char *word = q;
    while (*q && !is_space(*q))
      q++;
    words++;
    for (size_t i = 0; i < rows; i++)
      if (alive[i] && !entry_has(httpstatus_at(i), word, (size_t)(q - word))) {
        alive[i] = false;
        left--;
      }
  }
  if (!words)
    return 0;
  for (size_t i = 0; i < rows; i++) {
    if (!alive[i])
      continue;
    if (found < max && out)
      out[found] = httpstatus_at(i);
    found++;
  }
  return found;
}
