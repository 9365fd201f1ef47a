/* SPDX-License-Identifier: MIT */
/* query.c - what an argument asks for, and the entries that answer it. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

bool filter_active(const cli_filter *f) {
  return f->statuses != 0 || f->classes != 0 || f->origin != NULL;
}

bool filter_accepts(const cli_filter *f, const httpstatus_entry *e) {
  if (f->statuses != 0 && (f->statuses & (1u << e->status)) == 0)
    return false;
  if (f->classes != 0 && (f->classes & (1u << httpstatus_class_of(e->code))) == 0)
    return false;
  return f->origin == NULL || cli_icontains(e->origin, f->origin);
}

static bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

/* A pattern is one to three places, each a digit or x (any digit), the
 * first digit not 0: "4" or "4xx" (the class), "40" or "40x" (400-409),
 * "41x", "4x4" (404, 414, ...), "xx4". Fewer than three places is a prefix.
 * At least one place is a digit; all three digits is a code. */
static bool parse_pattern(const char *arg, size_t len, query *q) {
  if (len == 0 || len > 3 || arg[0] == '0')
    return false;
  q->kind = QUERY_PATTERN;
  for (size_t i = 0; i < 3; i++)
    q->pattern[i] = i < len && is_digit(arg[i]) ? arg[i] : 'x';
  q->pattern[3] = '\0';
  return true;
}

bool query_parse_number(const char *arg, query *q, bool *bad) {
  size_t len = strlen(arg), digits = strspn(arg, "0123456789");
  size_t places = strspn(arg, "0123456789xX");
  *bad = false;
  if (arg[0] == '-' && is_digit(arg[1])) {
    *bad = true; /* a negative number, not an option nor words */
    return false;
  }
  if (places != len || strcspn(arg, "0123456789") == len)
    return false; /* words: no digit, or something besides digits and x */
  q->text = arg;
  if (digits == len && len == 3) {
    q->kind = QUERY_CODE;
    int rc = httpstatus_parse_code(arg, len, &q->code);
    *bad = rc != HTTPSTATUS_OK && rc != HTTPSTATUS_E_RANGE;
    return !*bad;
  }
  *bad = !parse_pattern(arg, len, q);
  return !*bad;
}

bool query_pattern_matches(const query *q, int code) {
  if (code < 100 || code > 999)
    return false;
  char digits[3] = {(char)('0' + code / 100), (char)('0' + code / 10 % 10),
                    (char)('0' + code % 10)};
  for (size_t i = 0; i < 3; i++)
    if (q->pattern[i] != 'x' && q->pattern[i] != digits[i])
      return false;
  return true;
}

/* The classes by the names people call them ("client error", "success"),
 * as a query of words; HTTPSTATUS_CLASS_INVALID when the words are none. */
static httpstatus_class class_named(const char *text) {
  static const struct {
    const char *name;
    httpstatus_class cls;
  } names[] = {
      {"informational", HTTPSTATUS_CLASS_INFORMATIONAL},
      {"success", HTTPSTATUS_CLASS_SUCCESSFUL},
      {"successful", HTTPSTATUS_CLASS_SUCCESSFUL},
      {"redirection", HTTPSTATUS_CLASS_REDIRECTION},
      {"client error", HTTPSTATUS_CLASS_CLIENT_ERROR},
      {"client errors", HTTPSTATUS_CLASS_CLIENT_ERROR},
      {"server error", HTTPSTATUS_CLASS_SERVER_ERROR},
      {"server errors", HTTPSTATUS_CLASS_SERVER_ERROR},
  };
  for (size_t i = 0; i < sizeof names / sizeof *names; i++)
    if (cli_ieq(text, strlen(text), names[i].name))
      return names[i].cls;
  return HTTPSTATUS_CLASS_INVALID;
}

static size_t print_accepted(const httpstatus_entry *e, const cli_filter *f,
                             cli_out *out) {
  if (!filter_accepts(f, e))
    return 0;
  out_entry(out, e);
  return 1;
}

static size_t run_code(const query *q, const cli_filter *f, cli_out *out) {
  size_t n = 0, printed = 0;
  const httpstatus_entry *run = httpstatus_meanings(q->code, &n);
  for (size_t i = 0; i < n; i++)
    printed += print_accepted(&run[i], f, out);
  return printed;
}

/* The catalog is in code order, so a pattern's entries come out sorted. */
static size_t run_catalog(const query *q, const cli_filter *f, cli_out *out) {
  size_t printed = 0;
  const httpstatus_entry *e;
  for (size_t i = 0; (e = httpstatus_at(i)) != NULL; i++) {
    if (q->kind == QUERY_ALL || query_pattern_matches(q, e->code))
      printed += print_accepted(e, f, out);
  }
  return printed;
}

static size_t run_class(httpstatus_class cls, const cli_filter *f,
                        cli_out *out) {
  size_t printed = 0;
  const httpstatus_entry *e;
  for (size_t i = 0; (e = httpstatus_at(i)) != NULL; i++)
    if (httpstatus_class_of(e->code) == cls)
      printed += print_accepted(e, f, out);
  return printed;
}

static size_t run_search(const query *q, const cli_filter *f, cli_out *out) {
  size_t max = httpstatus_count(), printed = 0;
  const httpstatus_entry **hits = malloc((max ? max : 1) * sizeof *hits);
  if (hits == NULL) {
    cli_error("out of memory");
    return 0;
  }
  size_t n = httpstatus_search(q->text, hits, max);
  for (size_t i = 0; i < n && i < max; i++)
    printed += print_accepted(hits[i], f, out);
  free(hits);
  return printed;
}

size_t query_run(const query *q, const cli_filter *f, cli_out *out) {
  switch (q->kind) {
  case QUERY_CODE:
    return run_code(q, f, out);
  case QUERY_WORDS:
    if (class_named(q->text) != HTTPSTATUS_CLASS_INVALID)
      return run_class(class_named(q->text), f, out);
    return run_search(q, f, out);
  case QUERY_ALL:
  case QUERY_PATTERN:
    break;
  }
  return run_catalog(q, f, out);
}
