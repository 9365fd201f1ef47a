/* SPDX-License-Identifier: MIT */
/*
 * fuzz_search.c - httpstatus_search on any query: bounded, each entry once,
 * nothing for a query without words, a first word finding at least what
 * the whole query finds, and for short plain queries exactly the entries a
 * second implementation of the header's rule finds.
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

static bool is_alnum(char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || (unsigned char)c >= 0x80;
}

static char lower(char c)
{
  return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* The words of s, folded, apostrophes dropped, each followed by a space:
 * "I'm a teapot" -> "im a teapot ". A different route from the library's
 * word-by-word scanning. */
static char *word_list(const char *s)
{
  size_t n = s ? strlen(s) : 0, k = 0;
  char *out = malloc(2 * n + 2);
  FUZZ_CHECK(out != NULL);
  bool in = false;
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '\'' && in && i + 1 < n && is_alnum(s[i + 1]))
      continue;
    if (is_alnum(s[i])) {
      out[k++] = lower(s[i]);
      in = true;
    } else if (in) {
      out[k++] = ' ';
      in = false;
    }
  }
  if (in)
    out[k++] = ' ';
  out[k] = '\0';
  return out;
}

/* Whether `w` (a folded word) equals or starts a word of the list, the way
 * the header promises: a word of 3 or more, or its stem of 3 or more once a
 * plural or -ed/-ing ending is cut, may be a word's start. */
static bool list_has(const char *list, const char *w)
{
  static const char *const endings[] = {"ies", "ing", "es", "ed", "s"};
  size_t n = strlen(w), stem = n;
  for (size_t i = 0; i < 5 && stem == n; i++) {
    size_t k = strlen(endings[i]);
    if (n >= k + 3 && strcmp(w + n - k, endings[i]) == 0 &&
        !(k == 1 && w[n - 2] == 's'))
      stem = n - k;
  }
  for (const char *t = list; *t;) {
    const char *end = strchr(t, ' ');
    size_t tn = (size_t)(end - t);
    if ((tn == n && memcmp(t, w, n) == 0) ||
        (n >= 3 && tn > n && memcmp(t, w, n) == 0) ||
        (stem >= 3 && tn >= stem && memcmp(t, w, stem) == 0))
      return true;
    t = end + 1;
  }
  return false;
}

static bool any_has(const char *const *texts, const char *w)
{
  for (; texts && *texts; texts++) {
    char *l = word_list(*texts);
    bool hit = list_has(l, w);
    free(l);
    if (hit)
      return true;
  }
  return false;
}

static bool any_equals(const char *const *texts, const char *words)
{
  for (; texts && *texts; texts++) {
    char *l = word_list(*texts);
    bool same = strcmp(l, words) == 0;
    free(l);
    if (same)
      return true;
  }
  return false;
}

/* The header's rule for a query of lower-case words only (no code
 * identifiers): the whole query is the phrase, a former phrase or a keyword,
 * or every word is in one of the entry's texts. */
static bool oracle_matches(const httpstatus_entry *e, const char *query)
{
  char code[16];
  snprintf(code, sizeof code, "%d", e->code);
  const char *phrase[] = {e->phrase, NULL};
  const char *others[] = {code, e->summary, e->origin, NULL};
  char *words = word_list(query);
  bool match = *words != '\0';
  if (match && (any_equals(phrase, words) || any_equals(e->aliases, words) ||
                any_equals(e->keywords, words))) {
    free(words);
    return true;
  }
  for (char *w = words; match && *w;) {
    char *end = strchr(w, ' ');
    *end = '\0';
    match = (strlen(w) == 3 && strcmp(w, code) == 0) || any_has(phrase, w) ||
            any_has(e->aliases, w) || any_has(e->keywords, w) ||
            any_has(others + 1, w);
    w = end + 1;
  }
  free(words);
  return match;
}

/* Only lower-case letters, digits, spaces and punctuation other than '_'
 * and '.': no word of the query is read as a code identifier. */
static bool plain_query(const char *q)
{
  for (; *q; q++)
    if ((*q >= 'A' && *q <= 'Z') || *q == '_' || *q == '.')
      return false;
  return true;
}

static void check_against_oracle(const char *query)
{
  size_t count = httpstatus_count(), n, words = 0;
  const httpstatus_entry **all = malloc(count * sizeof *all);
  FUZZ_CHECK(all != NULL);
  n = httpstatus_search(query, all, count);
  FUZZ_CHECK(n <= count);
  char *l = word_list(query);
  for (char *p = l; *p; p++)
    words += *p == ' ';
  free(l);
  size_t expect = 0;
  for (size_t i = 0; i < count && words <= 32; i++) {
    const httpstatus_entry *e = httpstatus_at(i);
    bool found = false;
    for (size_t k = 0; k < n; k++)
      found |= all[k] == e;
    FUZZ_CHECK(found == oracle_matches(e, query));
    expect += found;
  }
  FUZZ_CHECK(words > 32 ? n == 0 : expect == n);
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
  /* Ranked, so in no particular catalog order, but each entry once. */
  for (size_t i = 0; i < n && i < MAX_OUT; i++) {
    index_of(out[i]);
    for (size_t k = 0; k < i; k++)
      FUZZ_CHECK(out[k] != out[i]);
  }

  if (size <= ORACLE_MAX && strlen(query) == size && plain_query(query))
    check_against_oracle(query);

  char *word = query;
  while (*word && is_space(*word))
    word++;
  size_t len = 0;
  while (word[len] && !is_space(word[len]))
    len++;
  /* The first token narrows nothing when it holds no word (")" alone is an
   * empty query, and the whole query's other words still match). */
  bool has_word = false;
  for (size_t i = 0; i < len; i++)
    has_word = has_word || is_alnum(word[i]);
  if (len == 0) {
    FUZZ_CHECK(n == 0);
  } else if (has_word) {
    word[len] = '\0';
    FUZZ_CHECK(httpstatus_search(word, NULL, 0) >= n);
  }
  free(query);
  return 0;
}
