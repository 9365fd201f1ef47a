/* SPDX-License-Identifier: MIT */
/*
 * test_catalog.c - the catalog table checked against the facts in tests/data
 * (the IANA registry, the unofficial codes) and the user's seed list; and
 * the table's own rules (order, runs of meanings, references, properties).
 * `test_lib_catalog seeds` runs the seed list check alone (lib_catalog_seeds):
 * it exits 77, which CTest shows as skipped, when the list is not there.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "httpstatus.h"
#include "reference.h"

#define EACH_ENTRY(e, i) \
  for (size_t i = 0; ((e) = httpstatus_at(i)) != NULL; i++)

static bool starts_with(const char *s, const char *prefix)
{
  return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* "[RFC9110, Section 15.5.5]" -> "RFC 9110, Section 15.5.5";
 * "[draft-x]" -> "draft-x"; only the first bracket of several. */
static void registry_reference(const char *csv, char *out, size_t size)
{
  const char *p = csv + (csv[0] == '[');
  size_t n = 0;
  if (starts_with(p, "RFC")) {
    n = (size_t)snprintf(out, size, "RFC ");
    p += 3;
  }
  while (*p && *p != ']' && n + 1 < size)
    out[n++] = *p++;
  out[n] = '\0';
}

static void test_sorted_and_runs(void **state)
{
  (void)state;
  const httpstatus_entry *e, *prev = NULL;
  assert_true(httpstatus_count() > 0);
  EACH_ENTRY(e, i) {
    if (prev)
      assert_true(prev->code <= e->code);
    /* The first row of each code is what lookup finds; the others follow
     * it as one run. */
    size_t n;
    const httpstatus_entry *run = httpstatus_meanings(e->code, &n);
    assert_non_null(run);
    assert_ptr_equal(run, httpstatus_lookup(e->code));
    assert_true(e >= run && e < run + n);
    if (!prev || prev->code != e->code)
      assert_ptr_equal(e, run);
    prev = e;
  }
  assert_null(httpstatus_at(httpstatus_count()));
}

static void test_no_duplicate_code_and_origin(void **state)
{
  (void)state;
  const httpstatus_entry *a, *b;
  EACH_ENTRY(a, i) {
    EACH_ENTRY(b, j) {
      if (j <= i)
        continue;
      if (a->code == b->code && strcmp(a->origin, b->origin) == 0)
        fail_msg("%d has two entries from %s", a->code, a->origin);
    }
  }
}

static void assert_plain_text(const char *s, int code)
{
  assert_non_null(s);
  if (s[0] == '\0')
    fail_msg("%d: empty string", code);
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    if (*p < 0x20 || *p > 0x7e)
      fail_msg("%d: byte 0x%02x in \"%s\"", code, *p, s);
}

static void test_strings_present_and_ascii(void **state)
{
  (void)state;
  const httpstatus_entry *e;
  EACH_ENTRY(e, i) {
    assert_plain_text(e->phrase, e->code);
    assert_plain_text(e->summary, e->code);
    assert_plain_text(e->origin, e->code);
    assert_non_null(e->aliases);
    for (const char *const *a = e->aliases; *a; a++)
      assert_plain_text(*a, e->code);
    if (e->reference)
      assert_plain_text(e->reference, e->code);
    if (e->url)
      assert_plain_text(e->url, e->code);
  }
}

/* Registered entries cite where they are defined, and the URL is that
 * section's. */
static void test_references(void **state)
{
  (void)state;
  const httpstatus_entry *e;
  EACH_ENTRY(e, i) {
    if (e->status == HTTPSTATUS_STATUS_UNOFFICIAL)
      continue;
    assert_non_null(e->reference);
    assert_non_null(e->url);
    assert_true(starts_with(e->url, "https://"));
    unsigned rfc;
    char section[32], expect[128];
    if (sscanf(e->reference, "RFC %u, Section %31[0-9.]", &rfc, section) == 2)
      snprintf(expect, sizeof expect,
               "https://www.rfc-editor.org/rfc/rfc%u#section-%s", rfc, section);
    else if (sscanf(e->reference, "RFC %u", &rfc) == 1)
      snprintf(expect, sizeof expect, "https://www.rfc-editor.org/rfc/rfc%u", rfc);
    else
      continue; /* a draft: checked against the registry below */
    assert_string_equal(e->url, expect);
  }
}

/* Every registered code of the registry, with its phrase exactly and its
 * annotation as the status; unassigned codes have no registered entry. */
static void test_iana_registry(void **state)
{
  (void)state;
  ref_table t;
  size_t registered = 0;
  if (ref_csv_load(&t, "iana-http-status-codes.csv") != 0)
    fail_msg("%s", ref_error());
  assert_true(t.rows > 50);
  for (size_t r = 0; r < t.rows; r++) {
    ref_row *row = &t.row[r];
    if (row->fields != 3)
      fail_msg("registry row %zu (%s): %zu fields, expected 3", r + 2,
               row->field[0], row->fields);
    int lo, hi;
    char dash;
    if (sscanf(row->field[0], "%d%c%d", &lo, &dash, &hi) == 3) {
      assert_string_equal(row->field[1], "Unassigned");
      for (int c = lo; c <= hi; c++) {
        size_t n;
        const httpstatus_entry *m = httpstatus_meanings(c, &n);
        for (size_t k = 0; k < n; k++)
          if (m[k].status != HTTPSTATUS_STATUS_UNOFFICIAL)
            fail_msg("unassigned %d listed as %s", c,
                     httpstatus_status_name(m[k].status));
      }
      continue;
    }
    int code = atoi(row->field[0]);
    const char *phrase = row->field[1];
    const httpstatus_entry *e = httpstatus_lookup(code);
    if (strcmp(phrase, "Unassigned") == 0) {
      if (e && e->status != HTTPSTATUS_STATUS_UNOFFICIAL)
        fail_msg("unassigned %d listed as %s", code, httpstatus_status_name(e->status));
      continue;
    }
    registered++;
    if (!e)
      fail_msg("registered code %d missing", code);
    char expect_phrase[256];
    httpstatus_status expect_status = HTTPSTATUS_STATUS_STANDARD;
    snprintf(expect_phrase, sizeof expect_phrase, "%s", phrase);
    char *note = strstr(expect_phrase, " (");
    if (strcmp(phrase, "(Unused)") == 0) {
      expect_status = HTTPSTATUS_STATUS_UNUSED;
      expect_phrase[0] = '\0'; /* the historic phrase is checked elsewhere */
    } else if (note && strcmp(note, " (OBSOLETED)") == 0) {
      expect_status = HTTPSTATUS_STATUS_OBSOLETE;
      *note = '\0';
    } else if (note && starts_with(note, " (TEMPORARY")) {
      expect_status = HTTPSTATUS_STATUS_TEMPORARY;
      *note = '\0';
    }
    if (expect_phrase[0])
      assert_string_equal(e->phrase, expect_phrase);
    if (e->status != expect_status)
      fail_msg("%d: status %s, registry says %s", code,
               httpstatus_status_name(e->status),
               httpstatus_status_name(expect_status));

    char ref[256];
    registry_reference(row->field[2], ref, sizeof ref);
    assert_non_null(e->reference);
    if (strchr(ref, ','))
      assert_string_equal(e->reference, ref); /* the registry names a section */
    else if (!starts_with(e->reference, ref) ||
             (e->reference[strlen(ref)] && e->reference[strlen(ref)] != ','))
      fail_msg("%d: reference \"%s\" is not in %s", code, e->reference, ref);
  }
  /* And nothing registered beyond the registry. */
  size_t ours = 0;
  const httpstatus_entry *e;
  EACH_ENTRY(e, i) ours += e->status != HTTPSTATUS_STATUS_UNOFFICIAL;
  if (ours != registered)
    fail_msg("%zu entries are not unofficial, the registry registers %zu codes",
             ours, registered);
  ref_free(t.text);
}

/* Strips a trailing " (...)" annotation in place. */
static void strip_annotation(char *s)
{
  size_t n = strlen(s);
  char *open = strrchr(s, '(');
  if (n && s[n - 1] == ')' && open && open > s && open[-1] == ' ')
    open[-1] = '\0';
}

static bool names(const httpstatus_entry *e, const char *name)
{
  if (strcasecmp(e->phrase, name) == 0)
    return true;
  for (const char *const *a = e->aliases; *a; a++)
    if (strcasecmp(*a, name) == 0)
      return true;
  return false;
}

/* The entry among code's meanings called `name` (one of "A / B") whose
 * origin's first word (letters, digits, '-') occurs in the CSV's origin
 * column. */
static const httpstatus_entry *find_unofficial(int code, char *name,
                                               const char *origin)
{
  size_t n;
  const httpstatus_entry *m = httpstatus_meanings(code, &n);
  strip_annotation(name);
  for (size_t k = 0; k < n; k++) {
    char word[64];
    if (sscanf(m[k].origin, "%63[A-Za-z0-9-]", word) != 1 || !strcasestr(origin, word))
      continue;
    for (char *part = name, *next; part; part = next) {
      char buf[256];
      next = strstr(part, " / ");
      snprintf(buf, sizeof buf, "%.*s",
               (int)(next ? (size_t)(next - part) : strlen(part)), part);
      if (next)
        next += 3;
      if (names(&m[k], buf))
        return &m[k];
    }
  }
  return NULL;
}

static const httpstatus_entry *historical_entry(const httpstatus_entry *e)
{
  for (size_t i = 0; i < ref_historical_count; i++) {
    const ref_historical *h = &ref_historical_meanings[i];
    if (h->code == e->code && strcmp(h->phrase, e->phrase) == 0 &&
        strcmp(h->origin, e->origin) == 0)
      return e;
  }
  return NULL;
}

/* Rows of the list whose origin the catalog corrects, and why. */
static const struct {
  int code;
  const char *origin, *why;
} origin_fixes[] = {
  {306, "draft-cohen-http-305-306-responses",
   "RFC 2616 only reserved 306; the Switch Proxy meaning is the Cohen draft's"},
};

static const httpstatus_entry *corrected_origin(int code, const char *name)
{
  for (size_t i = 0; i < sizeof origin_fixes / sizeof *origin_fixes; i++) {
    const httpstatus_entry *e = httpstatus_lookup(code);
    if (origin_fixes[i].code == code && e && strcmp(e->phrase, name) == 0 &&
        strcmp(e->origin, origin_fixes[i].origin) == 0)
      return e;
  }
  return NULL;
}

/* Every status-code row of the unofficial list is in; the Warning-header
 * rows (110-299) are not, and each unofficial entry comes from the list. */
static void test_unofficial_codes(void **state)
{
  (void)state;
  static const int warning_codes[] = {110, 111, 112, 113, 199, 214, 299};
  ref_table t;
  size_t warnings = 0;
  const httpstatus_entry *matched[REF_MAX_ROWS];
  size_t nmatched = 0;
  if (ref_csv_load(&t, "unofficial-http-status-codes.csv") != 0)
    fail_msg("%s", ref_error());
  assert_true(t.rows > 40);
  for (size_t r = 0; r < t.rows; r++) {
    ref_row *row = &t.row[r];
    if (row->fields < 3)
      fail_msg("unofficial row %zu (%s): %zu fields, expected 3 or more", r + 2,
               row->field[0], row->fields);
    int code = atoi(row->field[0]);
    if (starts_with(row->field[2], "Warning-header")) {
      bool listed = false;
      for (size_t w = 0; w < sizeof warning_codes / sizeof *warning_codes; w++)
        listed |= warning_codes[w] == code;
      if (!listed)
        fail_msg("%d is a Warning-header row but not in warning_codes", code);
      warnings++;
      continue;
    }
    const httpstatus_entry *e = find_unofficial(code, row->field[1], row->field[2]);
    if (!e)
      e = corrected_origin(code, row->field[1]);
    if (!e)
      fail_msg("%d \"%s\" (%s) missing", code, row->field[1], row->field[2]);
    matched[nmatched++] = e;
  }
  assert_int_equal(warnings, sizeof warning_codes / sizeof *warning_codes);
  for (size_t w = 0; w < sizeof warning_codes / sizeof *warning_codes; w++) {
    assert_null(httpstatus_lookup(warning_codes[w]));
    assert_null(httpstatus_reason(warning_codes[w]));
  }
  const httpstatus_entry *e;
  EACH_ENTRY(e, i) {
    if (e->status != HTTPSTATUS_STATUS_UNOFFICIAL)
      continue;
    bool found = historical_entry(e) != NULL;
    for (size_t k = 0; k < nmatched; k++)
      found |= matched[k] == e;
    if (!found)
      fail_msg("unofficial %d %s is in no row of the list", e->code, e->phrase);
  }
  ref_free(t.text);
}

/* Seed lines the catalog corrects rather than keeps, and why. Each must
 * really differ from every summary of its code. */
static const struct {
  int code;
  const char *why;
} corrected[] = {
  {206, "the range comes from the Range header; 'return' for 'returned'"},
  {226, "typo 'reponse'; the response is the result of instance-manipulations"},
  {303, "303 is not permanent: it points to another resource, fetched with GET"},
  {305, "305 names a proxy to go through (and is deprecated), not another location"},
  {401, "401 also covers requests that sent no credentials at all"},
  {418, "the line was only the phrase, not a summary"},
  {431, "431 is about the header fields being too large"},
  {122, "122 is a browser's own limit; no server sends it"},
  {208, "208 is about members already listed in the same 207 response"},
  {306, "306 comes from draft-cohen-http-305-306-responses, reserved since"},
  {307, "307's whole point is keeping the method and content"},
  {400, "400 is any client error the server sees, not only syntax"},
  {412, "412 is the server finding a condition of the request false"},
  {424, "424 is another action of the same request failing"},
  {451, "Exchange's 451 also means that a better server exists"},
};

static const char *correction(int code)
{
  for (size_t i = 0; i < sizeof corrected / sizeof *corrected; i++)
    if (corrected[i].code == code)
      return corrected[i].why;
  return NULL;
}

static void test_seed_list(void **state)
{
  (void)state;
  ref_seed seeds[128];
  char *storage = NULL;
  int n = ref_seed_load(seeds, 128, &storage, REF_SEED_LIST);
  if (n < 0)
    fail_msg("%s", ref_error());
  if (n <= 60)
    fail_msg("%s: %d seeds read, expected more than 60", ref_seed_path(REF_SEED_LIST), n);
  for (int s = 0; s < n; s++) {
    size_t count;
    const httpstatus_entry *m = httpstatus_meanings(seeds[s].code, &count);
    if (!m)
      fail_msg("seed code %d missing", seeds[s].code);
    const httpstatus_entry *hit = NULL;
    for (size_t k = 0; k < count; k++)
      if (strcmp(m[k].summary, seeds[s].text) == 0)
        hit = &m[k];
    if (correction(seeds[s].code))
      assert_null(hit);
    else if (!hit)
      fail_msg("seed %d \"%s\" is no summary of its code", seeds[s].code,
               seeds[s].text);
  }
  /* Where the seed describes another meaning than the registered one, that
   * meaning is an entry of its own after the registered one. */
  size_t count;
  const httpstatus_entry *m = httpstatus_meanings(103, &count);
  assert_int_equal(count, 2);
  assert_string_equal(m[0].phrase, "Early Hints");
  assert_string_equal(m[1].phrase, "Checkpoint");
  assert_string_equal(m[1].summary, "resume aborted PUT or POST requests");
  m = httpstatus_meanings(451, &count);
  assert_int_equal(count, 2);
  assert_string_equal(m[0].phrase, "Unavailable For Legal Reasons");
  assert_int_equal(m[1].status, HTTPSTATUS_STATUS_UNOFFICIAL);
  assert_non_null(strstr(m[1].summary, "mailbox cannot be reached"));
  assert_non_null(strstr(m[1].summary, "better server exists"));
  ref_free(storage);
}

/* Orders the lead decided for codes with several unofficial meanings. */
static void test_meaning_order(void **state)
{
  (void)state;
  static const struct {
    int code;
    const char *first, *second;
  } order[] = {
    {419, "Page Expired", "Authentication Timeout"},
    {420, "Enhance Your Calm", "Method Failure"},
    {430, "Request Header Fields Too Large", "Shopify Security Rejection"},
    {499, "Client Closed Request", "Token Required"},
    {508, "Loop Detected", "Resource Limit Is Reached"},
    {530, "Origin Unavailable", "Site is frozen"},
  };
  for (size_t i = 0; i < sizeof order / sizeof *order; i++) {
    size_t n;
    const httpstatus_entry *m = httpstatus_meanings(order[i].code, &n);
    assert_true(n >= 2);
    assert_string_equal(m[0].phrase, order[i].first);
    assert_string_equal(m[1].phrase, order[i].second);
    assert_string_equal(httpstatus_reason(order[i].code), order[i].first);
  }
  assert_string_equal(httpstatus_reason(306), "Switch Proxy");
  assert_string_equal(httpstatus_reason(418), "I'm a teapot");
  assert_string_equal(httpstatus_reason(122), "Request-URI Too Long");
  assert_string_equal(httpstatus_reason(783), "Unexpected Token");
  assert_string_equal(httpstatus_reason(999), "Request denied");
}

/* Former phrases find their code. */
static void test_aliases(void **state)
{
  (void)state;
  static const struct {
    int code;
    const char *alias;
  } former[] = {
    {302, "Moved Temporarily"}, {408, "Request Time-out"},
    {413, "Payload Too Large"}, {413, "Request Entity Too Large"},
    {414, "Request-URI Too Long"}, {416, "Requested Range Not Satisfiable"},
    {422, "Unprocessable Entity"}, {504, "Gateway Time-out"},
    {530, "Origin DNS Error"},
  };
  for (size_t i = 0; i < sizeof former / sizeof *former; i++) {
    const httpstatus_entry *e = httpstatus_lookup(former[i].code);
    assert_non_null(e);
    assert_true(names(e, former[i].alias));
    const httpstatus_entry *hits[16];
    size_t n = httpstatus_search(former[i].alias, hits, 16);
    bool found = false;
    for (size_t k = 0; k < n && k < 16; k++)
      found |= hits[k] == e;
    assert_true(found);
  }
}

static bool in(int code, const int *list, size_t n)
{
  for (size_t i = 0; i < n; i++)
    if (list[i] == code)
      return true;
  return false;
}

#define IN(code, ...) \
  in(code, (const int[]){__VA_ARGS__}, sizeof((const int[]){__VA_ARGS__}) / sizeof(int))

/* The protocol properties, as RFC 9110 and the defining RFCs state them. */
static void test_flags_and_headers(void **state)
{
  (void)state;
  const httpstatus_entry *e;
  EACH_ENTRY(e, i) {
    int c = e->code;
    bool no_content = (c >= 100 && c < 200) || IN(c, 204, 205, 304);
    bool cacheable = IN(c, 200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 451, 501) &&
                     e->status != HTTPSTATUS_STATUS_UNOFFICIAL;
    if (!!(e->flags & HTTPSTATUS_FLAG_NO_CONTENT) != no_content)
      fail_msg("%d %s: no-content flag wrong", c, e->phrase);
    if (!!(e->flags & HTTPSTATUS_FLAG_CACHEABLE) != cacheable)
      fail_msg("%d %s: cacheable flag wrong", c, e->phrase);
    if (e->status != HTTPSTATUS_STATUS_UNOFFICIAL &&
        !!(e->flags & HTTPSTATUS_FLAG_RETRYABLE) != IN(c, 408, 421, 425, 429, 502, 503, 504, 507))
      fail_msg("%d %s: retryable flag wrong", c, e->phrase);
  }
  static const struct {
    int code;
    unsigned headers;
  } must[] = {
    {101, HTTPSTATUS_HEADER_UPGRADE}, {103, HTTPSTATUS_HEADER_LINK},
    {206, HTTPSTATUS_HEADER_CONTENT_RANGE}, {300, HTTPSTATUS_HEADER_LOCATION},
    {301, HTTPSTATUS_HEADER_LOCATION}, {302, HTTPSTATUS_HEADER_LOCATION},
    {303, HTTPSTATUS_HEADER_LOCATION}, {307, HTTPSTATUS_HEADER_LOCATION},
    {308, HTTPSTATUS_HEADER_LOCATION}, {401, HTTPSTATUS_HEADER_WWW_AUTHENTICATE},
    {405, HTTPSTATUS_HEADER_ALLOW}, {407, HTTPSTATUS_HEADER_PROXY_AUTHENTICATE},
    {416, HTTPSTATUS_HEADER_CONTENT_RANGE}, {426, HTTPSTATUS_HEADER_UPGRADE},
    {429, HTTPSTATUS_HEADER_RETRY_AFTER}, {503, HTTPSTATUS_HEADER_RETRY_AFTER},
    {451, HTTPSTATUS_HEADER_LINK},
  };
  unsigned listed = 0;
  for (size_t i = 0; i < sizeof must / sizeof *must; i++) {
    assert_int_equal(httpstatus_headers(must[i].code), must[i].headers);
    listed++;
  }
  /* No other entry claims a header. */
  size_t with_headers = 0;
  EACH_ENTRY(e, i) with_headers += e->headers != 0;
  assert_int_equal(with_headers, listed);
  /* Link belongs to Early Hints and the registered 451, not to the other
   * meanings of 103 and 451. */
  assert_int_equal(httpstatus_meanings(103, NULL)[1].headers, 0);
  assert_int_equal(httpstatus_meanings(451, NULL)[1].headers, 0);
}

/* The named constants are the catalog's codes, one per code, and name its
 * first meaning. */
static void test_named_codes(void **state)
{
  (void)state;
  assert_int_equal(HTTPSTATUS_CODE_OK, 200);
  assert_int_equal(HTTPSTATUS_CODE_NOT_FOUND, 404);
  assert_int_equal(HTTPSTATUS_CODE_SWITCHING_PROTOCOLS, 101);
  assert_int_equal(HTTPSTATUS_CODE_NO_RESPONSE, 444);
  assert_int_equal(HTTPSTATUS_CODE_TOO_MANY_REQUESTS, 429);
  static const int mapped[] = {
#define XX(code, id) HTTPSTATUS_CODE_##id,
    HTTPSTATUS_CODE_MAP(XX)
#undef XX
  };
  size_t n = sizeof mapped / sizeof *mapped, codes = 0;
  const httpstatus_entry *e;
  EACH_ENTRY(e, i) codes += httpstatus_lookup(e->code) == e;
  assert_int_equal(n, codes);
  for (size_t i = 0; i < n; i++) {
    assert_non_null(httpstatus_lookup(mapped[i]));
    if (i > 0)
      assert_true(mapped[i - 1] < mapped[i]);
  }
}

/* RFC 9112, Section 6.3 rule 1 and RFC 9110, Section 8.6: which responses
 * end with their header section, and what their framing fields may say. */
static void test_framing(void **state)
{
  (void)state;
  for (int c = 100; c <= 999; c++) {
    httpstatus_framing want = HTTPSTATUS_FRAMING_CONTENT;
    if ((c >= 100 && c < 200) || c == 204)
      want = HTTPSTATUS_FRAMING_NONE;
    else if (c == 304)
      want = HTTPSTATUS_FRAMING_NONE_AS_200;
    if (httpstatus_framing_of(c) != want)
      fail_msg("%d: framing %d, want %d", c, httpstatus_framing_of(c), want);
  }
  /* 205 has no content but is framed (Content-Length: 0). */
  assert_false(httpstatus_allows_content(205));
  assert_int_equal(httpstatus_framing_of(205), HTTPSTATUS_FRAMING_CONTENT);
  assert_int_equal(httpstatus_framing_of(199), HTTPSTATUS_FRAMING_NONE);
  assert_int_equal(httpstatus_framing_of(0), HTTPSTATUS_FRAMING_CONTENT);
  assert_int_equal(httpstatus_framing_of(-1), HTTPSTATUS_FRAMING_CONTENT);
}

static void test_connection_rules(void **state)
{
  (void)state;
  for (int c = -1; c <= 1000; c++) {
    assert_int_equal(httpstatus_closes_without_response(c), c == 444);
    assert_int_equal(httpstatus_switches_protocol(c), c == 101);
  }
  /* 426 asks for an upgrade without switching. */
  assert_true(httpstatus_headers(426) & HTTPSTATUS_HEADER_UPGRADE);
}

int main(int argc, char **argv)
{
  bool seeds_only = argc > 1 && strcmp(argv[1], "seeds") == 0;
  FILE *list = fopen(ref_seed_path(REF_SEED_LIST), "r");
  if (seeds_only && !list) {
    printf("SKIPPED: no seed list at %s (the user's original list, kept beside "
           "the checkout; set HTTPSTATUS_SEEDS_DIR to check against it)\n",
           ref_seed_path(REF_SEED_LIST));
    return 77;
  }
  if (list)
    fclose(list);
  if (seeds_only)
    cmocka_set_test_filter("test_seed_list");
  else
    cmocka_set_skip_filter("test_seed_list");
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_sorted_and_runs),
    cmocka_unit_test(test_no_duplicate_code_and_origin),
    cmocka_unit_test(test_strings_present_and_ascii),
    cmocka_unit_test(test_references),
    cmocka_unit_test(test_iana_registry),
    cmocka_unit_test(test_unofficial_codes),
    cmocka_unit_test(test_seed_list),
    cmocka_unit_test(test_meaning_order),
    cmocka_unit_test(test_aliases),
    cmocka_unit_test(test_flags_and_headers),
    cmocka_unit_test(test_named_codes),
    cmocka_unit_test(test_framing),
    cmocka_unit_test(test_connection_rules),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
