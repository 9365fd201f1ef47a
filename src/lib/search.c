/* SPDX-License-Identifier: MIT */
/*
 * search.c - the ranked word search over the catalog. A query is cut into
 * words; an entry matches when its phrase, former phrases, keywords or code
 * equal the whole query, or when every word starts a word of the entry (a
 * plural or -ed/-ing form counts as its stem). Matches come best first. No
 * allocation, no state.
 */
#include <string.h>

#include "httpstatus.h"

/* Where a word was found, best first; an entry ranks by its worst word. */
typedef enum tier {
  TIER_EXACT,   /* the whole query is the phrase, a former one, a keyword */
  TIER_PHRASE,  /* phrase, former phrases, code */
  TIER_KEYWORD,
  TIER_SUMMARY,
  TIER_ORIGIN,
  TIER_NONE
} tier;

#define TIERS TIER_NONE

/* A word of the query: bytes of the query, apostrophes inside it skipped
 * when compared ("I'm" is "im", as in IM_A_TEAPOT). */
typedef struct word {
  const unsigned char *s;
  size_t len;
} word;

/* The catalog has fewer than 256 rows (checked where it is defined). */
#define MAX_ROWS 256
/* More words than this match nothing: no entry has that many. */
#define MAX_WORDS 32
/* Shortest word, or stem, that matches the start of a longer word. */
#define MIN_PREFIX 3

static unsigned char fold(unsigned char c)
{
  return (unsigned)(c - 'A') < 26u ? (unsigned char)(c + ('a' - 'A')) : c;
}

static bool is_upper(unsigned char c)
{
  return (unsigned)(c - 'A') < 26u;
}

static bool is_lower(unsigned char c)
{
  return (unsigned)(c - 'a') < 26u;
}

static bool is_digit(unsigned char c)
{
  return (unsigned)(c - '0') < 10u;
}

/* Letters, digits and every non-ASCII byte (UTF-8 compared exactly). */
static bool is_word(unsigned char c)
{
  return is_upper(c) || is_lower(c) || is_digit(c) || c >= 0x80;
}

static bool is_space(unsigned char c)
{
  return c == ' ' || (unsigned)(c - '\t') < 5u; /* \t \n \v \f \r */
}

/* ------------------------------------------------------------------------ */
/* Comparing words */

/* Copies up to `max` folded bytes of a word, apostrophes skipped; returns
 * the folded length. */
static size_t folded(const unsigned char *s, size_t len, unsigned char *out,
                     size_t max)
{
  size_t n = 0;
  for (size_t i = 0; i < len; i++)
    if (s[i] != '\'' && n < max)
      out[n++] = fold(s[i]);
  return n;
}

/* The word's length without a plural or verb ending (timeouts, throttled,
 * throttling, proxies), or its whole length when it has none. */
static size_t stem_len(const unsigned char *w, size_t n)
{
  static const char *const endings[] = {"ies", "ing", "es", "ed", "s"};
  for (size_t i = 0; i < sizeof endings / sizeof *endings; i++) {
    size_t k = strlen(endings[i]);
    if (n >= k + MIN_PREFIX && memcmp(w + n - k, endings[i], k) == 0 &&
        !(k == 1 && w[n - 2] == 's')) /* "class", "access" are no plurals */
      return n - k;
  }
  return n;
}

#define WORD_MAX 64

/* Whether query word q (already folded, length qn, stem qs) matches the
 * text word t: equal, or q or its stem starts t. Compares in place, folding
 * and skipping apostrophes as it goes. */
static bool word_matches(const unsigned char *q, size_t qn, size_t qs,
                         const unsigned char *t, size_t tn)
{
  size_t same = 0, i = 0; /* letters of q matched; bytes of t read */
  for (; i < tn && same < qn; i++) {
    if (t[i] == '\'')
      continue;
    if (fold(t[i]) != q[same])
      break;
    same++;
  }
  if (same == qn) {
    bool longer = false; /* t has letters beyond q's */
    for (; i < tn && !longer; i++)
      longer = t[i] != '\'';
    return !longer || qn >= MIN_PREFIX;
  }
  return qs >= MIN_PREFIX && same >= qs;
}

/* Cuts the next word off *text: a run of letters, digits and non-ASCII
 * bytes, with apostrophes inside it ("I'm"). Returns false at the end. */
static bool next_word(const unsigned char **text, word *w)
{
  const unsigned char *p = *text;
  while (*p && !is_word(*p))
    p++;
  const unsigned char *start = p;
  while (*p && (is_word(*p) || (*p == '\'' && p > start && is_word(p[1]))))
    p++;
  *text = p;
  w->s = start;
  w->len = (size_t)(p - start);
  return w->len > 0;
}

/* Whether the query word occurs as (the start of) a word of text. */
static bool text_has(const char *text, const unsigned char *q, size_t qn,
                     size_t qs)
{
  const unsigned char *p = (const unsigned char *)text;
  word w;
  while (p && next_word(&p, &w))
    if (word_matches(q, qn, qs, w.s, w.len))
      return true;
  return false;
}

static bool list_has(const char *const *list, const unsigned char *q,
                     size_t qn, size_t qs)
{
  for (const char *const *a = list; a && *a; a++)
    if (text_has(*a, q, qn, qs))
      return true;
  return false;
}

static bool same_word(const word *a, const word *b)
{
  unsigned char fa[WORD_MAX], fb[WORD_MAX];
  if (a->len > WORD_MAX || b->len > WORD_MAX)
    return false;
  size_t na = folded(a->s, a->len, fa, sizeof fa);
  size_t nb = folded(b->s, b->len, fb, sizeof fb);
  return na == nb && memcmp(fa, fb, na) == 0;
}

/* Whether the query's words are text's words, case and punctuation aside:
 * "no content" is "No Content", TOO_MANY_REQUESTS is "Too Many Requests". */
static bool words_equal(const word *words, size_t count, const char *text)
{
  const unsigned char *t = (const unsigned char *)text;
  word w;
  if (!t)
    return false;
  for (size_t i = 0; i < count; i++)
    if (!next_word(&t, &w) || !same_word(&words[i], &w))
      return false;
  return !next_word(&t, &w);
}

static bool list_equal(const word *words, size_t count,
                       const char *const *list)
{
  for (const char *const *a = list; a && *a; a++)
    if (words_equal(words, count, *a))
      return true;
  return false;
}

/* ------------------------------------------------------------------------ */
/* Cutting the query into words */

typedef struct words {
  word w[MAX_WORDS];
  size_t count;
  bool overflow;
} words;

static void add(words *ws, const unsigned char *s, size_t len)
{
  if (len == 0)
    return;
  if (ws->count == MAX_WORDS) {
    ws->overflow = true;
    return;
  }
  ws->w[ws->count].s = s;
  ws->w[ws->count].len = len;
  ws->count++;
}

/* A token written as code: NOT_FOUND, HTTPStatus.NOT_FOUND, or CamelCase
 * (StatusNotFound, StatusOK). Odd capitals ("NoT", "FoUnD": a capital alone
 * at the end) are a word typed carelessly, not CamelCase. */
static bool is_identifier(const unsigned char *s, size_t len)
{
  bool camel = false;
  for (size_t i = 0; i < len; i++) {
    if (s[i] == '_' || (s[i] == '.' && i + 1 < len))
      return true;
    camel |= i > 0 && is_lower(s[i - 1]) && is_upper(s[i]);
  }
  return camel && len >= 2 && is_upper(s[0]) &&
         !(is_upper(s[len - 1]) && is_lower(s[len - 2]));
}

/* Whether a word of an identifier is only the namespace around the name:
 * HTTP_STATUS_, HttpStatusCode., SC_ (Java servlets), HTTPSTATUS_CODE_. */
static bool is_namespace(const word *w)
{
  static const char *const names[] = {"http", "status", "httpstatus", "code",
                                      "sc", "statuscode", "httpstatuscode"};
  unsigned char f[WORD_MAX];
  size_t n = folded(w->s, w->len, f, sizeof f);
  for (size_t i = 0; i < sizeof names / sizeof *names; i++)
    if (n == strlen(names[i]) && memcmp(f, names[i], n) == 0)
      return true;
  return false;
}

/* Splits an identifier after its last '.' at '_' and at case changes
 * ("HTTPStatus" is HTTP + Status, "StatusOK" Status + OK), then drops the
 * namespace words in front, keeping at least one word. */
static void add_identifier(words *ws, const unsigned char *s, size_t len)
{
  for (size_t i = len; i > 0; i--)
    if (s[i - 1] == '.' && i < len) {
      len -= i;
      s += i;
      break;
    }
  size_t first = ws->count, start = 0;
  for (size_t i = 0; i <= len; i++) {
    bool end = i == len || !is_word(s[i]);
    bool camel = !end && i > start &&
                 ((is_lower(s[i - 1]) && is_upper(s[i])) ||
                  (i + 1 < len && is_upper(s[i - 1]) && is_upper(s[i]) &&
                   is_lower(s[i + 1])));
    if (end || camel) {
      add(ws, s + start, i - start);
      start = end ? i + 1 : i;
    }
  }
  size_t drop = 0;
  while (first + drop + 1 < ws->count && is_namespace(&ws->w[first + drop]))
    drop++;
  memmove(&ws->w[first], &ws->w[first + drop],
          (ws->count - first - drop) * sizeof ws->w[0]);
  ws->count -= drop;
}

/* A query is read twice when a token looks like code: CloudFlare and WebDAV
 * are words as typed, StatusNotFound is code; an entry ranks by the better
 * reading. */
typedef enum reading { READ_AS_CODE, READ_AS_TYPED } reading;

/* Cuts the query into words; returns whether a token was read as code. */
static bool split_query(words *ws, const unsigned char *q, reading how)
{
  bool as_code = false;
  while (*q) {
    while (*q && is_space(*q))
      q++;
    const unsigned char *token = q;
    while (*q && !is_space(*q))
      q++;
    size_t len = (size_t)(q - token);
    if (how == READ_AS_CODE && is_identifier(token, len)) {
      add_identifier(ws, token, len);
      as_code = true;
      continue;
    }
    for (size_t i = 0; i < len;) {
      while (i < len && !is_word(token[i]))
        i++;
      size_t start = i;
      while (i < len && (is_word(token[i]) ||
                         (token[i] == '\'' && i > start && i + 1 < len &&
                          is_word(token[i + 1]))))
        i++;
      add(ws, token + start, i - start);
    }
  }
  return as_code;
}

/* ------------------------------------------------------------------------ */
/* Ranking */

static bool code_is(const httpstatus_entry *e, const unsigned char *q,
                    size_t qn)
{
  return qn == 3 && e->code >= 100 && e->code <= 999 &&
         q[0] == '0' + e->code / 100 && q[1] == '0' + e->code / 10 % 10 &&
         q[2] == '0' + e->code % 10;
}

/* The best place one word occurs in the entry. */
/* A query word folded once for all entries: its bytes, length and stem. */
typedef struct needle {
  unsigned char q[WORD_MAX];
  size_t n, stem;
} needle;

static void make_needle(const word *w, needle *nd)
{
  nd->n = w->len > WORD_MAX ? 0 : folded(w->s, w->len, nd->q, sizeof nd->q);
  nd->stem = stem_len(nd->q, nd->n);
}

static tier word_tier(const httpstatus_entry *e, const needle *nd)
{
  const unsigned char *q = nd->q;
  size_t qn = nd->n, qs = nd->stem;
  if (qn == 0)
    return TIER_NONE;
  if (code_is(e, q, qn) || text_has(e->phrase, q, qn, qs) ||
      list_has(e->aliases, q, qn, qs))
    return TIER_PHRASE;
  if (list_has(e->keywords, q, qn, qs))
    return TIER_KEYWORD;
  if (text_has(e->summary, q, qn, qs))
    return TIER_SUMMARY;
  return text_has(e->origin, q, qn, qs) ? TIER_ORIGIN : TIER_NONE;
}

static tier entry_tier(const httpstatus_entry *e, const words *ws,
                       const needle *needles)
{
  if (words_equal(ws->w, ws->count, e->phrase) ||
      list_equal(ws->w, ws->count, e->aliases) ||
      list_equal(ws->w, ws->count, e->keywords))
    return TIER_EXACT;
  tier worst = TIER_EXACT;
  for (size_t i = 0; i < ws->count && worst != TIER_NONE; i++) {
    tier t = word_tier(e, &needles[i]);
    if (t > worst)
      worst = t;
  }
  return worst == TIER_EXACT ? TIER_PHRASE : worst;
}

/* Rank: the tier, registered before unofficial within it; catalog (code)
 * order breaks ties. */
#define RANKS (2 * TIERS)

/* Ranks every row for one reading of the query, keeping the better of
 * this rank and the one already in rank[]. Returns false when the reading
 * has no words or too many. */
static bool rank_rows(const char *query, reading how, unsigned char *rank,
                      size_t rows, bool *as_code)
{
  words ws = {.count = 0};
  *as_code = split_query(&ws, (const unsigned char *)query, how);
  if (ws.count == 0 || ws.overflow)
    return false;
  needle needles[MAX_WORDS];
  for (size_t i = 0; i < ws.count; i++)
    make_needle(&ws.w[i], &needles[i]);
  for (size_t i = 0; i < rows; i++) {
    const httpstatus_entry *e = httpstatus_at(i);
    tier t = entry_tier(e, &ws, needles);
    unsigned r = t == TIER_NONE
                     ? RANKS
                     : 2u * t + (e->status == HTTPSTATUS_STATUS_UNOFFICIAL);
    if (r < rank[i])
      rank[i] = (unsigned char)r;
  }
  return true;
}

size_t httpstatus_search(const char *query, const httpstatus_entry **out,
                         size_t max)
{
  unsigned char rank[MAX_ROWS];
  size_t rows = httpstatus_count(), found = 0;
  bool as_code = false, ignored;
  if (!query || rows > MAX_ROWS)
    return 0;
  memset(rank, RANKS, sizeof rank);
  if (!rank_rows(query, READ_AS_CODE, rank, rows, &as_code))
    return 0;
  if (as_code)
    rank_rows(query, READ_AS_TYPED, rank, rows, &ignored);
  size_t stored = 0;
  for (unsigned r = 0; r < RANKS; r++)
    for (size_t i = 0; i < rows; i++)
      if (rank[i] == r) {
        found++;
        if (out && stored < max)
          out[stored++] = httpstatus_at(i);
      }
  return found;
}
