/* SPDX-License-Identifier: MIT */
/* explain.c - `httpstatus explain CODE...`: what each code means, when to
 * send it, what clients do, the usual mistakes, related codes and an
 * example exchange, from the library's explanations. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define INDENT "    "
#define WRAP_COLUMNS 80 /* prose is reflowed to this width, indent included */

/* Columns taken by `len` bytes of UTF-8: one per code point. */
static size_t columns(const char *s, size_t len) {
  size_t n = 0;
  for (size_t i = 0; i < len; i++)
    n += ((unsigned char)s[i] & 0xC0) != 0x80;
  return n;
}

/* A word as is; on a terminal, the inside of `code` spans in bold (the
 * backticks stay, so colour only adds SGR sequences). */
static void put_word(cli_out *o, const char *w, size_t len, bool *in_code) {
  for (size_t i = 0; i < len; i++) {
    if (w[i] == '`' && *in_code)
      out_bold(o, false);
    fputc(w[i], o->fp);
    if (w[i] == '`' && !*in_code)
      out_bold(o, true);
    *in_code ^= w[i] == '`';
  }
}

/* One paragraph, filled to WRAP_COLUMNS; a word longer than a line gets a
 * line of its own. */
static void put_paragraph(cli_out *o, const char *s, size_t len) {
  const size_t width = WRAP_COLUMNS - (sizeof INDENT - 1);
  const char *end = s + len;
  size_t used = 0;
  bool in_code = false;
  while (s < end) {
    while (s < end && *s == ' ')
      s++;
    const char *word = s;
    while (s < end && *s != ' ')
      s++;
    size_t w = columns(word, (size_t)(s - word));
    if (w == 0)
      break;
    if (used > 0 && used + 1 + w > width) {
      fputc('\n', o->fp);
      used = 0;
    }
    fputs(used > 0 ? " " : INDENT, o->fp);
    put_word(o, word, (size_t)(s - word), &in_code);
    used += w + (used > 0);
  }
  fputc('\n', o->fp);
}

/* Prose: paragraphs separated by "\n\n", a blank line between them. */
static void put_prose(cli_out *o, const char *title, const char *text) {
  out_heading(o, title);
  for (;;) {
    const char *stop = strstr(text, "\n\n");
    put_paragraph(o, text, stop ? (size_t)(stop - text) : strlen(text));
    if (stop == NULL)
      break;
    fputc('\n', o->fp);
    text = stop + 2;
  }
  fputc('\n', o->fp);
}

static void put_related(cli_out *o, const httpstatus_explanation *x) {
  out_heading(o, "Related");
  for (size_t i = 0; i < x->related_count; i++) {
    fputs(INDENT, o->fp);
    out_code(o, x->related[i], httpstatus_reason(x->related[i]));
    fputc('\n', o->fp);
  }
  fputc('\n', o->fp);
}

/* Verbatim, each line indented. */
static void put_example(cli_out *o, const char *text) {
  out_heading(o, "Example");
  while (*text != '\0') {
    const char *nl = strchr(text, '\n');
    size_t len = nl ? (size_t)(nl - text) : strlen(text);
    if (len > 0)
      fputs(INDENT, o->fp);
    fwrite(text, 1, len, o->fp);
    fputc('\n', o->fp);
    text += len + (nl != NULL);
  }
}

static void put_plain(cli_out *o, const httpstatus_explanation *x) {
  if (o->entries > 0)
    fputc('\n', o->fp);
  size_t n = 0;
  const httpstatus_entry *meanings = httpstatus_meanings(x->code, &n);
  cli_out lines = *o; /* the lookup lines, without the verbose details */
  lines.verbose = false;
  lines.json = false;
  for (size_t i = 0; i < n; i++)
    out_entry(&lines, &meanings[i]);
  fputc('\n', o->fp);
  put_prose(o, "Meaning", x->meaning);
  put_prose(o, "When to send it", x->send);
  put_prose(o, "What clients do", x->clients);
  put_prose(o, "Common mistakes", x->mistakes);
  put_related(o, x);
  put_example(o, x->example);
}

static void put_json(cli_out *o, const httpstatus_explanation *x) {
  size_t len = httpstatus_explanation_json(x, NULL, 0);
  char *buf = malloc(len + 1);
  if (buf == NULL) {
    cli_error("out of memory");
    exit(CLI_NOT_FOUND);
  }
  httpstatus_explanation_json(x, buf, len + 1);
  out_json_object(o, buf, len);
  free(buf);
}

/* Three digits 100-999 (600-999 are codes too: 783 and 999 are in the
 * catalog); false for anything else. */
static bool parse_code(const char *arg, int *code) {
  int err = httpstatus_parse_code(arg, strlen(arg), code);
  return err == HTTPSTATUS_OK || err == HTTPSTATUS_E_RANGE;
}

static bool check_args(const char *const *args, size_t n, const cli_filter *f) {
  int code;
  if (n == 0) {
    cli_error("explain needs status codes, as in: httpstatus explain 404");
    return false;
  }
  if (filter_active(f)) {
    cli_error("explain takes codes only; --standard, --unofficial, --status,"
              " --class and --origin filter lookups and lists");
    return false;
  }
  for (size_t i = 0; i < n; i++) {
    if (!parse_code(args[i], &code)) {
      char q[CLI_QUOTE_SIZE];
      cli_error("'%s' is not a status code (three digits, 100-999): explain"
                " takes codes, as in: httpstatus explain 404",
                cli_quote(args[i], q, sizeof q));
      return false;
    }
  }
  return true;
}

int explain_run(const char *const *args, size_t n, const cli_filter *f,
                cli_out *out) {
  if (!check_args(args, n, f))
    return CLI_USAGE;
  int status = CLI_FOUND, code;
  for (size_t i = 0; i < n && !out_failed(out); i++) {
    parse_code(args[i], &code);
    const httpstatus_explanation *x = httpstatus_explain(code);
    if (x == NULL) {
      if (httpstatus_lookup(code) == NULL)
        cli_error("%d is not in the catalog, so it has no explanation", code);
      else
        cli_error("%d has no explanation yet", code);
      status = CLI_NOT_FOUND;
      continue;
    }
    if (out->json)
      put_json(out, x);
    else
      put_plain(out, x);
    out->entries++;
  }
  return status;
}
