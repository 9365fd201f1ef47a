/* SPDX-License-Identifier: MIT */
/*
 * fuzz_search.c - httpstatus_search on any query: bounded, in catalog
 * order, nothing for a query without words, and for short queries exactly
 * the entries a plain second implementation of the header's rule finds
 * (every word occurs, ASCII case ignored, in the code, phrase, aliases,
 * summary or origin).
 */
#include <string.h>

#include "fuzz.h"
#include "httpstatus.h"

#define MAX_OUT 8
/* Queries up to this long are checked against the plain implementation. */
#define ORACLE_MAX 256

static bool is_space(char c)
{
  return c == ' ' || (c >= '\t' && c <= '\r');
}

/* A copy of s[0..len) (all of s when len is SIZE_MAX) with ASCII letters
 * in lower case: the oracle folds and then uses strstr, a different route
 * from the library's byte-by-byte folding comparison. */
static char *folded(const char *s, size_t len)
{
  size_t n = len == SIZE_MAX ? strlen(s) : len;
  char *copy = malloc(n + 1);
  FUZZ_CHECK(copy != NULL);
  for (size_t i = 0; i < n; i++)
    copy[i] = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] - 'A' + 'a') : s[i];
  copy[n] = '\0';
  return copy;
}

static bool occurs(const char *s, const char *word, size_t len)
{
  char *hay = folded(s, SIZE_MAX), *needle = folded(word, len);
  bool found = strstr(hay, needle) != NULL;
  free(hay);
  free(needle);
  return found;
}

static bool entry_has(const httpstatus_entry *e, const char *word, size_t len)
{
  char code[16];
  snprintf(code, sizeof code, "%d", e->code);
  if (occurs(code, word, len) || occurs(e->phrase, word, len) ||
      occurs(e->summary, word, len) || occurs(e->origin, word, len))
    return true;
  for (const char *const *a = e->aliases; *a; a++)
    if (occurs(*a, word, len))
      return true;
  return false;
}

static bool oracle_matches(const httpstatus_entry *e, const char *query)
{
  bool any = false;
  for (const char *q = query; *q;) {
    while (*q && is_space(*q))
      q++;
    size_t len = 0;
    while (q[len] && !is_space(q[len]))
      len++;
    if (len == 0)
      break;
    if (!entry_has(e, q, len))
      return false;
    any = true;
    q += len;
  }
  return any;
}

static void check_against_oracle(const char *query)
{
  size_t count = httpstatus_count(), n, j = 0;
  const httpstatus_entry **all = malloc(count * sizeof *all);
  FUZZ_CHECK(all != NULL);
  n = httpstatus_search(query, all, count);
  FUZZ_CHECK(n <= count);
  for (size_t i = 0; i < count; i++) {
    const httpstatus_entry *e = httpstatus_at(i);
    bool found = j < n && all[j] == e;
    FUZZ_CHECK(found == oracle_matches(e, query));
    j += found;
  }
  FUZZ_CHECK(j == n);
  free(all);
}

/* Index of `e` in the catalog; aborts when it is not an entry of it. */
static size_t index_of(const httpstatus_entry *e)
{
  const httpstatus_entry *base = httpstatus_at(0);
  FUZZ_CHECK(e != NULL && e >= base);
  size_t i = (size_t)(e - base);
  FUZZ_CHECK(i < httpstatus_count() && httpstatus_at(i) == e);
  return i;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  const httpstatus_entry *out[MAX_OUT];
  char *query = malloc(size + 1);
  FUZZ_CHECK(query != NULL);
  memcpy(query, data, size);
  query[size] = '\0';

  size_t n = httpstatus_search(query, out, MAX_OUT);
  FUZZ_CHECK(n <= httpstatus_count());
  FUZZ_CHECK(httpstatus_search(query, NULL, 0) == n);
  for (size_t i = 0, last = 0; i < n && i < MAX_OUT; i++) {
    size_t at = index_of(out[i]);
    FUZZ_CHECK(i == 0 || at > last);
    last = at;
  }

  if (size <= ORACLE_MAX)
    check_against_oracle(query);

  char *word = query;
  while (*word && is_space(*word))
    word++;
  size_t len = 0;
  while (word[len] && !is_space(word[len]))
    len++;
  if (len == 0) {
    FUZZ_CHECK(n == 0);
  } else {
    word[len] = '\0';
    FUZZ_CHECK(httpstatus_search(word, NULL, 0) >= n);
  }
  free(query);
  return 0;
}
