/* SPDX-License-Identifier: MIT */
/* output.c - how entries look: one line each, details when verbose, colour
 * by class on a terminal, or the library's JSON objects in one array. */
#include <errno.h>
#include <stdlib.h>

#include "cli.h"

/* SGR sequences, indexed by httpstatus_class (0: outside 100-599). */
static const char *const class_color[] = {
    "\033[1m",    /* invalid: bold only */
    "\033[1;36m", /* 1xx cyan */
    "\033[1;32m", /* 2xx green */
    "\033[1;33m", /* 3xx yellow */
    "\033[1;31m", /* 4xx red */
    "\033[1;35m", /* 5xx magenta */
};
#define DIM "\033[2m"
#define RESET "\033[0m"

static void put(cli_out *o, const char *s) {
  fputs(s, o->fp);
}

static void paint(cli_out *o, const char *sgr) {
  if (o->color)
    put(o, sgr);
}

void out_code(cli_out *o, int code, const char *phrase) {
  paint(o, class_color[httpstatus_class_of(code)]);
  fprintf(o->fp, "%d %s", code, phrase);
  paint(o, RESET);
}

void out_bold(cli_out *o, bool on) {
  paint(o, on ? class_color[HTTPSTATUS_CLASS_INVALID] : RESET);
}

void out_heading(cli_out *o, const char *title) {
  out_bold(o, true);
  put(o, title);
  out_bold(o, false);
  put(o, "\n");
}

/* "404 Not Found - <summary> (RFC 9110)": code first, so that grep and cut
 * work on the output. */
static void put_line(cli_out *o, const httpstatus_entry *e, const char *eol) {
  out_code(o, e->code, e->phrase);
  fprintf(o->fp, " - %s ", e->summary);
  paint(o, DIM);
  fprintf(o->fp, "(%s)", e->origin);
  paint(o, RESET);
  put(o, eol);
}

static void put_field(cli_out *o, const char *label, const char *value) {
  paint(o, DIM);
  fprintf(o->fp, "    %-11s", label);
  paint(o, RESET);
  put(o, value);
  put(o, "\n");
}

static void put_reference(cli_out *o, const httpstatus_entry *e) {
  put_field(o, "reference", e->reference != NULL ? e->reference : "none");
  if (e->url != NULL)
    put_field(o, "url", e->url);
}

static void put_class(cli_out *o, int code) {
  httpstatus_class cls = httpstatus_class_of(code);
  char text[64];
  if (cls == HTTPSTATUS_CLASS_INVALID)
    snprintf(text, sizeof text, "%s", httpstatus_class_name(cls));
  else
    snprintf(text, sizeof text, "%dxx %s", (int)cls, httpstatus_class_name(cls));
  put_field(o, "class", text);
}

/* "WWW-Authenticate (MUST)": each field at the strength its RFC asks. */
static void put_headers(cli_out *o, const httpstatus_entry *e) {
  paint(o, DIM);
  fprintf(o->fp, "    %-11s", "headers");
  paint(o, RESET);
  const char *sep = "";
  for (unsigned bit = 0; bit < HTTPSTATUS_HEADER_COUNT; bit++) {
    httpstatus_level level = httpstatus_entry_header_level(e, 1u << bit);
    if (level != HTTPSTATUS_LEVEL_NONE) {
      fprintf(o->fp, "%s%s (%s)", sep, httpstatus_header_name(1u << bit),
              httpstatus_level_name(level));
      sep = ", ";
    }
  }
  put(o, *sep ? "\n" : "none\n");
}

/* How retrying can help, in words. */
static const char *retry_text(httpstatus_retry retry) {
  static const char *const text[] = {
      [HTTPSTATUS_RETRY_NO] = "no",
      [HTTPSTATUS_RETRY_LATER] = "yes, the same request later",
      [HTTPSTATUS_RETRY_OTHER_CONNECTION] = "yes, the same request on another connection",
      [HTTPSTATUS_RETRY_WITH_CREDENTIALS] = "with new credentials",
      [HTTPSTATUS_RETRY_CHANGED] = "after changing the request",
  };
  return (unsigned)retry < sizeof text / sizeof *text ? text[retry] : "no";
}

static void put_constants(cli_out *o, const httpstatus_entry *e) {
  char name[160];
  paint(o, DIM);
  fprintf(o->fp, "    %-11s", "constants");
  paint(o, RESET);
  for (size_t i = 0; httpstatus_constant(e, i, name, sizeof name) > 0; i++)
    fprintf(o->fp, "%s%s", i ? ", " : "", name);
  put(o, "\n");
}

static void put_aliases(cli_out *o, const char *const *aliases) {
  paint(o, DIM);
  fprintf(o->fp, "    %-11s", "aliases");
  paint(o, RESET);
  if (aliases[0] == NULL)
    put(o, "none");
  for (size_t i = 0; aliases[i] != NULL; i++)
    fprintf(o->fp, "%s%s", i ? ", " : "", aliases[i]);
  put(o, "\n");
}

static const char *yes_no(unsigned flags, unsigned flag) {
  return (flags & flag) ? "yes" : "no";
}

static void put_details(cli_out *o, const httpstatus_entry *e) {
  put_reference(o, e);
  put_field(o, "status", httpstatus_status_name(e->status));
  put_class(o, e->code);
  put_headers(o, e);
  put_field(o, "content",
            (e->flags & HTTPSTATUS_FLAG_NO_CONTENT) ? "never" : "allowed");
  put_field(o, "cacheable", yes_no(e->flags, HTTPSTATUS_FLAG_CACHEABLE));
  put_field(o, "retryable", retry_text(e->retry));
  put_aliases(o, e->aliases);
  put_constants(o, e);
}

static void put_json(cli_out *o, const httpstatus_entry *e) {
  char small[2048];
  size_t len = httpstatus_json(e, small, sizeof small);
  char *buf = small;
  if (len >= sizeof small) {
    buf = malloc(len + 1);
    if (buf == NULL) {
      cli_error("out of memory");
      exit(CLI_NOT_FOUND);
    }
    httpstatus_json(e, buf, len + 1);
  }
  out_json_object(o, buf, len);
  if (buf != small)
    free(buf);
}

void out_json_object(cli_out *o, const char *json, size_t len) {
  put(o, o->entries == 0 ? "[\n  " : ",\n  ");
  fwrite(json, 1, len, o->fp);
}

bool out_failed(cli_out *o) {
  if (!ferror(o->fp))
    return false;
  if (o->write_errno == 0)
    o->write_errno = errno ? errno : EIO;
  return true;
}

void out_entry(cli_out *o, const httpstatus_entry *e) {
  if (o->json) {
    put_json(o, e);
  } else {
    if (o->verbose && o->entries > 0)
      put(o, "\n");
    put_line(o, e, "\n");
    if (o->verbose)
      put_details(o, e);
  }
  o->entries++;
  out_failed(o);
}

void out_annotation(cli_out *o, int code, const httpstatus_entry *e,
                    const char *eol) {
  put(o, "# ");
  if (e != NULL)
    put_line(o, e, eol);
  else
    fprintf(o->fp, "%d is not in the catalog%s", code, eol);
  out_failed(o);
}

void out_finish(cli_out *o) {
  if (o->json)
    put(o, o->entries == 0 ? "[]\n" : "\n]\n");
}
