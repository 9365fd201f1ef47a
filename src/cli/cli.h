/* SPDX-License-Identifier: MIT */
/*
 * cli.h - the pieces of the httpstatus command, shared between its files.
 *
 *   main.c      options, dispatch, exit status
 *   query.c     what an argument asks for (code, pattern, words) and the
 *               entries that answer it
 *   output.c    plain, coloured, verbose and JSON rendering
 *   annotate.c  `httpstatus -`: copy standard input, annotate status lines
 *   explain.c   `httpstatus explain CODE...`: the explanation of each code
 *   site.c      `httpstatus site DIR`: the reference as static files
 *
 * Everything about status codes comes from libhttpstatus; this layer only
 * decides what to ask it and how to print the answer.
 */
#ifndef HTTPSTATUS_CLI_H
#define HTTPSTATUS_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "httpstatus.h"

enum cli_exit { CLI_FOUND = 0, CLI_NOT_FOUND = 1, CLI_USAGE = 2 };

/* The longest argument we look at; longer ones are refused before any
 * search (no entry has a field anywhere near this long). */
#define CLI_ARG_MAX 256

/* Prints "httpstatus: <message>\n" on standard error. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Writes `s` into `buf` for quoting in a message: printable ASCII as is,
 * other bytes as \xNN, cut with "..." when long. Returns `buf`. */
const char *cli_quote(const char *s, char *buf, size_t size);
#define CLI_QUOTE_SIZE 64

/* ASCII case-insensitive comparisons (the catalog is ASCII). */
bool cli_ieq(const char *a, size_t alen, const char *b);
bool cli_icontains(const char *haystack, const char *needle);

/* ------------------------------------------------------------------------ */
/* Filters: --standard, --unofficial, --status, --class, --origin. They apply
 * to every query, not only to `list`. */

typedef struct cli_filter {
  unsigned statuses;  /* bit (1u << status) per accepted status; 0: any */
  unsigned classes;   /* bit (1u << class) per accepted class; 0: any */
  const char *origin; /* case-insensitive substring of the origin; NULL: any */
} cli_filter;

bool filter_active(const cli_filter *f);
bool filter_accepts(const cli_filter *f, const httpstatus_entry *e);

/* ------------------------------------------------------------------------ */
/* Queries */

typedef enum query_kind {
  QUERY_ALL,     /* list */
  QUERY_CODE,    /* 404 */
  QUERY_PATTERN, /* 4, 4xx, 41x, 40, 4x4 */
  QUERY_WORDS    /* teapot, "payload too large", "client error" */
} query_kind;

typedef struct query {
  query_kind kind;
  const char *text; /* what the user typed (words: joined by spaces) */
  int code;         /* QUERY_CODE */
  char pattern[4];  /* QUERY_PATTERN: a digit or 'x' per place, "4x4" */
  char *owned; /* QUERY_WORDS: the joined text, freed by its owner */
} query;

/* Classifies one argument as a code or a pattern (returns true and fills
 * `*q`), or returns false when it is to be searched as words. Sets `*bad`
 * when the argument looks like a number but is neither (0, 0xx, -1, 1000). */
bool query_parse_number(const char *arg, query *q, bool *bad);

/* Whether `code` fits a QUERY_PATTERN query. */
bool query_pattern_matches(const query *q, int code);

typedef struct cli_out cli_out;

/* Prints every entry answering `q` that the filter accepts; returns their
 * number. */
size_t query_run(const query *q, const cli_filter *f, cli_out *out);

/* ------------------------------------------------------------------------ */
/* Output */

struct cli_out {
  FILE *fp;
  bool color;
  bool verbose;
  bool json;
  size_t entries; /* entries written so far */
  int write_errno; /* errno of the first failed write; 0 while none */
};

/* Returns true once writing to o->fp has failed, recording errno the first
 * time (later calls may clobber it). */
bool out_failed(cli_out *o);

/* Writes one entry: a line (plus details when verbose), or a JSON object. */
void out_entry(cli_out *o, const httpstatus_entry *e);

/* Writes the one-line annotation of a status line with `code`, ended by
 * `eol`; `e` is the meaning to show, NULL when the catalog has none. */
void out_annotation(cli_out *o, int code, const httpstatus_entry *e,
                    const char *eol);

/* Ends the output: closes the JSON array ("[]" when empty). */
void out_finish(cli_out *o);

/* Writes "404 Not Found" in the colour of the code's class. */
void out_code(cli_out *o, int code, const char *phrase);

/* Writes a title line, bold on a terminal. */
void out_heading(cli_out *o, const char *title);

/* Starts (on) or ends bold text when colouring; nothing otherwise. */
void out_bold(cli_out *o, bool on);

/* Writes one JSON object of `len` bytes as the next element of the array
 * (the caller counts it in o->entries). */
void out_json_object(cli_out *o, const char *json, size_t len);

/* ------------------------------------------------------------------------ */
/* httpstatus explain CODE... (explain.c) */

/* Prints the explanation of each code in `args` (plain, coloured or JSON).
 * Returns CLI_FOUND, CLI_NOT_FOUND when some code has none (one error line
 * each), or CLI_USAGE, printing nothing, when an argument is not a code. */
int explain_run(const char *const *args, size_t n, const cli_filter *f,
                cli_out *out);

/* ------------------------------------------------------------------------ */
/* httpstatus site DIR (site.c) */

/* Writes the reference into the folder args[0] (created when missing).
 * Returns CLI_FOUND, CLI_NOT_FOUND after a write error (one line said
 * which file and why), or CLI_USAGE when not given exactly one folder. */
int site_run(const char *const *args, size_t n);

/* ------------------------------------------------------------------------ */
/* Standard input annotation */

/* Copies `fd` to o->fp byte for byte, annotating each status line (in JSON
 * mode, writes the entries of the status lines instead). Stores the number
 * of status lines met in `*found`. Returns 0, or -1 when reading failed
 * (errno set). Stops early when writing fails. */
int annotate_stream(int fd, cli_out *o, size_t *found);

#endif /* HTTPSTATUS_CLI_H */
