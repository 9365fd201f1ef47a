/*
 * fuzz_search.c - httpstatus_search on any query: bounded, in catalog
 * order, never more matches than its first word alone finds, and nothing
 * for a query without words.
 */
#include <string.h>

#include "fuzz.h"
#include "httpstatus.h"

#define MAX_OUT 8

static bool is_space(char c)
{
  return c == ' ' || (c >= '\t' && c <= '\r');
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
