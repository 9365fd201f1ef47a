/* SPDX-License-Identifier: MIT */
/*
 * explain_gen.c - build tool, run on the build machine: checks the
 * explanation texts (src/lib/explain/<code>.txt) strictly and turns them into
 * explain.inc (one X-macro row per code, compiled into libhttpstatus by
 * explain.c) and the man page httpstatus-codes(7). libc only.
 *
 *   explain_gen TABLE_OUT MAN_OUT VERSION FILE...
 *
 * Any fault in a text is one line on standard error, "file:line: what is
 * wrong", and exit status 1 (nothing is written then).
 *
 * The text format, one file per code:
 *   # comment lines (the first one is the SPDX line), then the sections
 *   == meaning / == send / == clients / == mistakes   prose: paragraphs of
 *       lines wrapped at 100 columns, separated by blank lines
 *   == related   codes of the catalog, separated by spaces
 *   == example   verbatim: a request, a blank line, the response head
 * each exactly once, in this order.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

/* Every code and meaning of the catalog, straight from its table. */
static const struct meaning {
  int code;
  const char *phrase;
  const char *origin;
} catalog[] = {
#define HTTPSTATUS_ENTRY(code, id, phrase, status, origin, ...) {code, phrase, origin},
#define HTTPSTATUS_ALSO HTTPSTATUS_ENTRY
#include "catalog.def"
#undef HTTPSTATUS_ALSO
#undef HTTPSTATUS_ENTRY
};
#define CATALOG_ROWS (sizeof catalog / sizeof catalog[0])

#define LINE_COLUMNS 100 /* longest line, in code points */
#define SECTION_BYTES 4095 /* longest C string literal C11 promises */
#define RELATED_MAX 16
#define SPDX_LINE "# SPDX-License-Identifier: MIT"

typedef enum section {
  SEC_MEANING, SEC_SEND, SEC_CLIENTS, SEC_MISTAKES, SEC_RELATED, SEC_EXAMPLE,
  SEC_COUNT
} section;

static const char *const section_names[SEC_COUNT] = {
  "meaning", "send", "clients", "mistakes", "related", "example"};

/* man page titles of the sections */
static const char *const section_titles[SEC_COUNT] = {
  "Meaning", "When to send it", "What clients do", "Common mistakes",
  "Related", "Example"};

typedef struct line {
  const char *text; /* inside the file's buffer, not NUL-terminated */
  size_t len;
  int number;
} line;

typedef struct explanation {
  int code;
  const char *path;
  char *text[SEC_COUNT]; /* prose joined; example verbatim; related unused */
  int related[RELATED_MAX];
  size_t related_count;
} explanation;

static const char *current_path;

static void fail(int lineno, const char *fmt, ...)
    __attribute__((format(printf, 2, 3), noreturn));

static void fail(int lineno, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  if (lineno > 0)
    fprintf(stderr, "%s:%d: ", current_path, lineno);
  else
    fprintf(stderr, "%s: ", current_path);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  exit(1);
}

static void *xmalloc(size_t n)
{
  void *p = malloc(n ? n : 1);
  if (p == NULL) {
    fprintf(stderr, "explain_gen: out of memory\n");
    exit(1);
  }
  return p;
}

static bool in_catalog(int code)
{
  for (size_t i = 0; i < CATALOG_ROWS; i++)
    if (catalog[i].code == code)
      return true;
  return false;
}

/* Three ASCII digits 100-999; -1 otherwise. */
static int parse_code(const char *s, size_t len)
{
  if (len != 3 || s[0] < '1' || s[0] > '9' || s[1] < '0' || s[1] > '9' ||
      s[2] < '0' || s[2] > '9')
    return -1;
  return (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
}

/* ------------------------------------------------------------------------ */
/* Reading and line checks */

static char *read_file(const char *path, size_t *len)
{
  FILE *f = fopen(path, "rb");
  if (f == NULL)
    fail(0, "cannot open");
  size_t cap = 8192, n = 0, got;
  char *buf = xmalloc(cap);
  while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
    n += got;
    if (n == cap) {
      char *bigger = realloc(buf, cap *= 2);
      if (bigger == NULL)
        fail(0, "out of memory");
      buf = bigger;
    }
  }
  if (ferror(f))
    fail(0, "cannot read");
  fclose(f);
  *len = n;
  return buf;
}

static void check_line(const line *l)
{
  const unsigned char *s = (const unsigned char *)l->text;
  size_t columns = 0;
  for (size_t i = 0; i < l->len; columns++) {
    if (s[i] == '\t')
      fail(l->number, "tab character: use spaces");
    if (s[i] == '\r')
      fail(l->number, "carriage return: lines end in LF only");
    if (s[i] < 0x20 || s[i] == 0x7f)
      fail(l->number, "control character 0x%02x", s[i]);
    size_t n = utf8_length(s + i, l->len - i);
    if (n == 0)
      fail(l->number, "not valid UTF-8 (byte 0x%02x at column %zu)", s[i], columns + 1);
    i += n;
  }
  if (columns > LINE_COLUMNS)
    fail(l->number, "line is %zu columns long: wrap it at %d", columns, LINE_COLUMNS);
  if (l->len > 0 && l->text[l->len - 1] == ' ')
    fail(l->number, "trailing space");
}

/* Splits the buffer into lines; the file must end in a newline. */
static line *split_lines(const char *buf, size_t len, size_t *count)
{
  size_t n = 0;
  for (size_t i = 0; i < len; i++)
    n += buf[i] == '\n';
  if (len == 0)
    fail(0, "empty file");
  if (buf[len - 1] != '\n')
    fail((int)n + 1, "no newline at the end of the file");
  line *lines = xmalloc(n * sizeof *lines);
  const char *p = buf;
  for (size_t i = 0; i < n; i++) {
    const char *nl = memchr(p, '\n', (size_t)(buf + len - p));
    lines[i] = (line){p, (size_t)(nl - p), (int)i + 1};
    if (memchr(p, '\0', lines[i].len))
      fail(lines[i].number, "NUL byte");
    check_line(&lines[i]);
    p = nl + 1;
  }
  *count = n;
  return lines;
}

/* ------------------------------------------------------------------------ */
/* Sections */

static bool is_heading(const line *l)
{
  return l->len >= 3 && memcmp(l->text, "==", 2) == 0;
}

static section heading_section(const line *l, section expected)
{
  for (int s = 0; s < SEC_COUNT; s++) {
    size_t n = strlen(section_names[s]);
    if (l->len == 3 + n && memcmp(l->text, "== ", 3) == 0 &&
        memcmp(l->text + 3, section_names[s], n) == 0) {
      if (s == (int)expected)
        return (section)s;
      fail(l->number, "'== %s' where '== %s' belongs (sections come once each, in the"
           " order meaning send clients mistakes related example)",
           section_names[s], section_names[expected]);
    }
  }
  fail(l->number, "unknown heading '%.*s': the sections are '== meaning', '== send',"
       " '== clients', '== mistakes', '== related', '== example'", (int)l->len, l->text);
}

/* Drops blank lines at both ends of a section's lines. */
static void trim(const line **first, const line **end)
{
  while (*first < *end && (*first)->len == 0)
    (*first)++;
  while (*end > *first && (*end)[-1].len == 0)
    (*end)--;
}

static size_t count_byte(const char *s, size_t len, char c)
{
  size_t n = 0;
  for (size_t i = 0; i < len; i++)
    n += s[i] == c;
  return n;
}

/* `code` spans (bold in the man page) must close in their paragraph. */
static void check_spans(const line *para, size_t backticks)
{
  if (backticks % 2)
    fail(para->number, "a ` in this paragraph is not closed (`code` spans come in pairs)");
}

static char *join_prose(const line *first, const line *end)
{
  size_t cap = 1;
  for (const line *l = first; l < end; l++)
    cap += l->len + 2;
  char *out = xmalloc(cap), *p = out;
  bool blank = false;
  const line *para = first;
  size_t backticks = 0;
  for (const line *l = first; l < end; l++) {
    if (l->len == 0) {
      blank = true;
      continue;
    }
    if (blank) {
      check_spans(para, backticks);
      para = l;
      backticks = 0;
    }
    backticks += count_byte(l->text, l->len, '`');
    if (l->text[0] == ' ')
      fail(l->number, "prose line starts with a space: its lines are joined into"
           " paragraphs (verbatim text belongs in '== example')");
    if (p > out) {
      memcpy(p, blank ? "\n\n" : " ", blank ? 2 : 1);
      p += blank ? 2 : 1;
    }
    blank = false;
    memcpy(p, l->text, l->len);
    p += l->len;
  }
  check_spans(para, backticks);
  *p = '\0';
  return out;
}

static char *join_verbatim(const line *first, const line *end)
{
  size_t cap = 1;
  for (const line *l = first; l < end; l++)
    cap += l->len + 1;
  char *out = xmalloc(cap), *p = out;
  for (const line *l = first; l < end; l++) {
    memcpy(p, l->text, l->len);
    p += l->len;
    *p++ = '\n';
  }
  *p = '\0';
  return out;
}

static void parse_related(explanation *x, const line *first, const line *end)
{
  for (const line *l = first; l < end; l++) {
    const char *p = l->text, *stop = l->text + l->len;
    while (p < stop) {
      if (*p == ' ') {
        p++;
        continue;
      }
      const char *word = p;
      while (p < stop && *p != ' ')
        p++;
      int code = parse_code(word, (size_t)(p - word));
      if (code < 0)
        fail(l->number, "'%.*s' in '== related' is not a status code (three digits)",
             (int)(p - word), word);
      if (code == x->code)
        fail(l->number, "%d is related to itself", code);
      if (!in_catalog(code))
        fail(l->number, "related code %d is not in the catalog (src/lib/catalog.def)", code);
      for (size_t i = 0; i < x->related_count; i++)
        if (x->related[i] == code)
          fail(l->number, "related code %d is listed twice", code);
      if (x->related_count == RELATED_MAX)
        fail(l->number, "more than %d related codes", RELATED_MAX);
      x->related[x->related_count++] = code;
    }
  }
}

static bool starts_status_line(const line *l)
{
  /* HTTP/1.1 404 ..., HTTP/2 404 */
  const char *s = l->text;
  size_t n = l->len, v = 5;
  if (n < 10 || memcmp(s, "HTTP/", 5) != 0 || s[5] < '0' || s[5] > '9')
    return false;
  v = 6;
  if (s[v] == '.' && v + 1 < n && s[v + 1] >= '0' && s[v + 1] <= '9')
    v += 2;
  return v + 4 <= n && s[v] == ' ' && parse_code(s + v + 1, 3) >= 0 &&
         (v + 4 == n || s[v + 4] == ' ');
}

static bool is_request_line(const line *l)
{
  /* METHOD SP target SP HTTP/x */
  size_t i = 0;
  while (i < l->len && l->text[i] >= 'A' && l->text[i] <= 'Z')
    i++;
  if (i == 0 || i >= l->len || l->text[i] != ' ')
    return false;
  const char *last = NULL;
  for (size_t j = i + 1; j < l->len; j++)
    if (l->text[j] == ' ')
      last = l->text + j;
  return last != NULL && last > l->text + i + 1 &&
         (size_t)(l->text + l->len - last) > 6 && memcmp(last + 1, "HTTP/", 5) == 0;
}

static void check_example(const line *first, const line *end, int heading)
{
  if (!is_request_line(first))
    fail(first->number, "the example starts with a request line: 'GET /path HTTP/1.1'");
  bool blank = false;
  for (const line *l = first; l < end; l++) {
    if (l->len == 0)
      blank = true;
    else if (blank && starts_status_line(l))
      return;
  }
  fail(heading, "the example has no response: after the request, a blank line, then"
       " a status line 'HTTP/1.1 404 Not Found'");
}

static void finish_section(explanation *x, section s, const line *heading,
                           const line *first, const line *end)
{
  trim(&first, &end);
  if (first == end)
    fail(heading->number, "section '== %s' is empty", section_names[s]);
  if (s == SEC_RELATED) {
    parse_related(x, first, end);
    return;
  }
  if (s == SEC_EXAMPLE) {
    check_example(first, end, heading->number);
    x->text[s] = join_verbatim(first, end);
  } else {
    x->text[s] = join_prose(first, end);
  }
  if (strlen(x->text[s]) > SECTION_BYTES)
    fail(heading->number, "section '== %s' is %zu bytes: keep it under %d", section_names[s],
         strlen(x->text[s]), SECTION_BYTES + 1);
}

static int code_of_path(const char *path)
{
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  size_t len = strlen(base);
  int code = len == 7 && strcmp(base + 3, ".txt") == 0 ? parse_code(base, 3) : -1;
  if (code < 0)
    fail(0, "the file name is the code: NNN.txt, as in 404.txt");
  if (!in_catalog(code))
    fail(0, "%d is not in the catalog (src/lib/catalog.def)", code);
  return code;
}

static void parse_file(explanation *x)
{
  size_t len, count;
  char *buf = read_file(x->path, &len);
  line *lines = split_lines(buf, len, &count);
  if (count == 0 || lines[0].len != strlen(SPDX_LINE) ||
      memcmp(lines[0].text, SPDX_LINE, lines[0].len) != 0)
    fail(1, "the first line is '" SPDX_LINE "'");
  int next = 0; /* the section expected next */
  const line *heading = NULL, *body = NULL, *end = lines + count;
  for (const line *l = lines; l < end; l++) {
    if (is_heading(l)) {
      if (next == SEC_COUNT)
        fail(l->number, "'%.*s' after '== example', the last section", (int)l->len, l->text);
      section s = heading_section(l, (section)next);
      if (heading != NULL)
        finish_section(x, (section)(s - 1), heading, body, l);
      heading = l;
      body = l + 1;
      next++;
    } else if (heading == NULL && l->len > 0 && l->text[0] != '#') {
      fail(l->number, "text before '== meaning' (comment lines start with '#')");
    }
  }
  if (next < SEC_COUNT)
    fail(lines[count - 1].number, "section '== %s' is missing", section_names[next]);
  finish_section(x, SEC_EXAMPLE, heading, body, end);
  free(lines);
  free(buf);
}

/* ------------------------------------------------------------------------ */
/* Output: the C table */

static void put_c_string(FILE *f, const char *s)
{
  fputs("    \"", f);
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == '"' || *p == '\\' || *p == '?') /* '?': no trigraphs */
      fprintf(f, "\\%c", *p);
    else if (*p == '\n')
      fputs(p[1] ? "\\n\"\n    \"" : "\\n", f);
    else if (*p >= 0x80)
      fprintf(f, "\\%03o", *p);
    else
      fputc(*p, f);
  }
  fputc('"', f);
}

static void write_table(FILE *f, const explanation *xs, size_t n)
{
  fputs("/* Generated by explain_gen from src/lib/explain/NNN.txt: edit those. */\n", f);
  for (size_t i = 0; i < n; i++) {
    fprintf(f, "HTTPSTATUS_EXPLANATION(%d,\n", xs[i].code);
    for (int s = SEC_MEANING; s <= SEC_MISTAKES; s++) {
      put_c_string(f, xs[i].text[s]);
      fputs(",\n", f);
    }
    fputs("    RELATED(", f);
    for (size_t r = 0; r < xs[i].related_count; r++)
      fprintf(f, "%s%d", r ? ", " : "", xs[i].related[r]);
    fputs("),\n", f);
    put_c_string(f, xs[i].text[SEC_EXAMPLE]);
    fputs(")\n", f);
  }
}

/* ------------------------------------------------------------------------ */
/* Output: the man page */

/* Roff-safe text: backslash as \e, '-' as \- (so that copied commands and
 * fields keep an ASCII hyphen), a leading '.' or '\'' guarded, code points
 * above ASCII as \[uXXXX]; with `spans`, `code` in bold. */
static void put_roff_text(FILE *f, const char *s, size_t len, bool line_start,
                          bool spans)
{
  const unsigned char *p = (const unsigned char *)s, *end = p + len;
  bool bold = false;
  while (p < end) {
    if (line_start && (*p == '.' || *p == '\''))
      fputs("\\&", f);
    line_start = false;
    if (spans && *p == '`') {
      fputs(bold ? "\\fR" : "\\fB", f);
      bold = !bold;
      p++;
    } else if (*p == '\\') {
      fputs("\\e", f);
      p++;
    } else if (*p == '-') {
      fputs("\\-", f);
      p++;
    } else if (*p < 0x80) {
      fputc(*p++, f);
    } else {
      size_t n = utf8_length(p, (size_t)(end - p));
      unsigned long cp = *p & (0x7Fu >> n);
      for (size_t i = 1; i < n; i++)
        cp = (cp << 6) | (p[i] & 0x3Fu);
      fprintf(f, "\\[u%04lX]", cp);
      p += n;
    }
  }
}

static void put_roff(FILE *f, const char *s, size_t len, bool line_start)
{
  put_roff_text(f, s, len, line_start, false);
}

/* A prose paragraph: `code` spans in bold. */
static void put_roff_para(FILE *f, const char *s, size_t len)
{
  put_roff_text(f, s, len, true, true);
}

static const char *phrase_of(int code)
{
  for (size_t i = 0; i < CATALOG_ROWS; i++)
    if (catalog[i].code == code)
      return catalog[i].phrase;
  return "";
}

static void put_code_title(FILE *f, int code)
{
  char title[256];
  snprintf(title, sizeof title, "%d %s", code, phrase_of(code));
  put_roff(f, title, strlen(title), true);
}

static void write_man_entry(FILE *f, const explanation *x)
{
  fputs(".SS \"", f);
  put_code_title(f, x->code);
  fputs("\"\n", f);
  for (size_t i = 0; i < CATALOG_ROWS; i++) {
    if (catalog[i].code != x->code)
      continue;
    fputs(".br\n\\fI", f);
    put_roff(f, catalog[i].phrase, strlen(catalog[i].phrase), false);
    fputs("\\fR (", f);
    put_roff(f, catalog[i].origin, strlen(catalog[i].origin), false);
    fputs(")\n", f);
  }
  for (int s = SEC_MEANING; s < SEC_COUNT; s++) {
    fprintf(f, ".TP\n.B %s\n", section_titles[s]);
    if (s == SEC_RELATED) {
      for (size_t r = 0; r < x->related_count; r++) {
        fputs(r ? ",\n" : "", f);
        put_code_title(f, x->related[r]);
      }
      fputc('\n', f);
    } else if (s == SEC_EXAMPLE) {
      fputs(".nf\n", f);
      for (const char *p = x->text[s]; *p;) {
        const char *nl = strchr(p, '\n');
        put_roff(f, p, (size_t)(nl - p), true);
        fputc('\n', f);
        p = nl + 1;
      }
      fputs(".fi\n", f);
    } else {
      const char *text = x->text[s], *stop = strstr(text, "\n\n");
      /* The first paragraph follows the tag; the others are indented like it. */
      put_roff_para(f, text, stop ? (size_t)(stop - text) : strlen(text));
      fputc('\n', f);
      for (; stop; stop = strstr(text, "\n\n")) {
        text = stop + 2;
        fputs(".IP\n", f);
        const char *next = strstr(text, "\n\n");
        put_roff_para(f, text, next ? (size_t)(next - text) : strlen(text));
        fputc('\n', f);
      }
    }
  }
}

static void write_man(FILE *f, const explanation *xs, size_t n, const char *version)
{
  static const char *const class_titles[] = {
    NULL, "1xx INFORMATIONAL", "2xx SUCCESSFUL", "3xx REDIRECTION", "4xx CLIENT ERROR",
    "5xx SERVER ERROR", "6xx\\-9xx OUTSIDE THE RANGE"};
  fprintf(f, ".\\\" Generated by explain_gen from src/lib/explain/NNN.txt: edit those.\n"
          ".TH HTTPSTATUS\\-CODES 7 \"\" \"httpstatus %s\" \"httpstatus\"\n"
          ".nh\n.ad l\n"
          ".SH NAME\n"
          "httpstatus\\-codes \\- what each HTTP status code means, when to send it,"
          " and what clients do with it\n"
          ".SH DESCRIPTION\n"
          "One entry per status code of the catalog of\n.BR httpstatus (1):\n"
          "its meanings with their origin, when a server should send it, what browsers"
          " and common clients (curl, fetch, Python requests, Go net/http, caches) do"
          " with it, the usual mistakes, related codes and one example exchange."
          " The same text is printed by\n.B httpstatus explain\n.I CODE\n"
          "and returned by\n.BR httpstatus_explain ().\n"
          "Section numbers refer to RFC 9110 unless another RFC is named.\n",
          version);
  int shown = 0;
  for (size_t i = 0; i < n; i++) {
    int cls = xs[i].code / 100;
    cls = cls > 5 ? 6 : cls;
    if (cls != shown)
      fprintf(f, ".SH \"%s\"\n", class_titles[cls]);
    shown = cls;
    write_man_entry(f, &xs[i]);
  }
  fputs(".SH SEE ALSO\n.BR httpstatus (1),\n.BR httpstatus\\-serve (1),\n"
        ".UR https://www.rfc-editor.org/rfc/rfc9110\nRFC 9110, HTTP Semantics\n.UE\n", f);
}

/* ------------------------------------------------------------------------ */

static int by_code(const void *a, const void *b)
{
  return ((const explanation *)a)->code - ((const explanation *)b)->code;
}

static void write_out(const char *path, const explanation *xs, size_t n,
                      const char *version, bool man)
{
  /* Written under another name and renamed: a failed run leaves no half file. */
  char tmp[4096];
  snprintf(tmp, sizeof tmp, "%s.tmp", path);
  FILE *f = fopen(tmp, "w");
  if (f == NULL) {
    fprintf(stderr, "explain_gen: cannot write %s\n", tmp);
    exit(1);
  }
  if (man)
    write_man(f, xs, n, version);
  else
    write_table(f, xs, n);
  if (fclose(f) != 0 || rename(tmp, path) != 0) {
    fprintf(stderr, "explain_gen: cannot write %s\n", path);
    exit(1);
  }
}

int main(int argc, char **argv)
{
  if (argc < 4) {
    fprintf(stderr, "usage: explain_gen TABLE_OUT MAN_OUT VERSION FILE...\n");
    return 2;
  }
  size_t n = (size_t)argc - 4;
  explanation *xs = xmalloc(n * sizeof *xs);
  for (size_t i = 0; i < n; i++) {
    current_path = argv[4 + i];
    xs[i] = (explanation){.path = current_path, .code = code_of_path(current_path)};
    for (size_t j = 0; j < i; j++)
      if (xs[j].code == xs[i].code)
        fail(0, "a second file for %d (the first: %s)", xs[i].code, xs[j].path);
    parse_file(&xs[i]);
  }
  qsort(xs, n, sizeof *xs, by_code);
  write_out(argv[1], xs, n, argv[3], false);
  write_out(argv[2], xs, n, argv[3], true);
  for (size_t i = 0; i < n; i++)
    for (int s = 0; s < SEC_COUNT; s++)
      free(xs[i].text[s]);
  free(xs);
  return 0;
}
