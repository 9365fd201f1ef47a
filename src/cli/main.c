/* SPDX-License-Identifier: MIT */
/* main.c - the httpstatus command: options, dispatch, exit status.
 *
 * Exit status: 0 every query found something, 1 some query found nothing
 * (or writing the output failed), 2 usage error. Errors are one line on
 * standard error. A closed standard output (EPIPE) ends the command quietly
 * with status 1; any other write error is reported in one line. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#ifdef HTTPSTATUS_HAVE_SERVE
#include "serve.h"
#endif

#define TRY_HELP " (try 'httpstatus --help')"

typedef enum color_mode { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER } color_mode;

typedef struct options {
  cli_filter filter;
  color_mode color;
  bool verbose;
  bool json;
  bool done; /* --help or --version answered */
  const char **args;
  size_t nargs;
} options;

typedef enum opt_id {
  OPT_VERBOSE, OPT_JSON, OPT_COLOR, OPT_STANDARD, OPT_UNOFFICIAL,
  OPT_STATUS, OPT_CLASS, OPT_ORIGIN, OPT_HELP, OPT_VERSION
} opt_id;

typedef enum opt_arg { ARG_NONE, ARG_REQUIRED, ARG_OPTIONAL } opt_arg;

/* The options, and the source of their --help lines. man/httpstatus.1 is
 * kept in step by tests/cli (every option in one appears in the other).
 * --help's layout is serve's (src/server/serve.c): Usage, what it does,
 * Options ("-x, --name VALUE", help last), Exit status; within 79 columns. */
static const struct option_spec {
  opt_id id;
  char letter;
  const char *name;
  opt_arg arg;
  const char *metavar;
  const char *help;
} specs[] = {
    {OPT_VERBOSE, 'v', "verbose", ARG_NONE, NULL,
     "also print reference and URL, status, class, header\n"
     "fields to send, content, caching, retrying, aliases"},
    {OPT_JSON, 'j', "json", ARG_NONE, NULL,
     "print one JSON array of entries ([] when none)"},
    {OPT_COLOR, 0, "color", ARG_OPTIONAL, "WHEN",
     "colour by class: auto (default: on a terminal, unless\n"
     "NO_COLOR is set), always (the default WHEN), never"},
    {OPT_STANDARD, 0, "standard", ARG_NONE, NULL,
     "only entries whose status is standard"},
    {OPT_UNOFFICIAL, 0, "unofficial", ARG_NONE, NULL,
     "only unofficial entries (vendors' and custom codes)"},
    {OPT_STATUS, 0, "status", ARG_REQUIRED, "NAME",
     "only entries with this status (repeatable):\n%s"},
    {OPT_CLASS, 0, "class", ARG_REQUIRED, "N",
     "only codes of class N: 4 or 4xx (repeatable)"},
    {OPT_ORIGIN, 0, "origin", ARG_REQUIRED, "NAME",
     "only entries whose origin contains NAME: nginx"},
    {OPT_VERSION, 'V', "version", ARG_NONE, NULL,
     "print the version and exit"},
    {OPT_HELP, 'h', "help", ARG_NONE, NULL, "print this help and exit"},
};
#define SPEC_COUNT (sizeof specs / sizeof specs[0])

static const char usage_text[] =
    "Usage: httpstatus [options] CODE|PATTERN|WORDS...\n"
    "       httpstatus [options] search WORDS...\n"
    "       httpstatus [options] list\n"
    "       httpstatus [options] explain CODE...\n"
    "       httpstatus site DIR\n"
    "       httpstatus [options] -\n"
    "       httpstatus serve [options]\n"
    "\n"
    "Every meaning of an HTTP status code, with its origin.\n"
    "\n"
    "  CODE             a status code: 404 (several: 200 404 503)\n"
    "  PATTERN          a class or a range, in code order: 4, 4xx, 40, 41x;\n"
    "                   x is any digit: 4x4; a class by name: client error\n"
    "  WORDS            words that are not a code or a pattern are searched\n"
    "  search WORDS     search phrases, former phrases, keywords, summaries and\n"
    "                   origins, best match first; every word must match:\n"
    "                   payload too large, rate limit, TOO_MANY_REQUESTS\n"
    "  list             the whole catalog; the filters below apply to any query\n"
    "  explain CODE...  what a code means, when to send it, what clients do,\n"
    "                   common mistakes, related codes, an example exchange;\n"
    "                   all of them: man 7 httpstatus-codes\n"
    "  site DIR         write the reference as static files into DIR (a page\n"
    "                   per code, the catalog with its search, api/codes.json)\n"
    "  -                copy standard input through and annotate every status\n"
    "                   line: curl -sIL https://example.com | httpstatus -\n"
    "  serve [options]  run the status-code test server;\n"
    "                   see httpstatus-serve(1) / httpstatus serve --help\n"
    "\n"
    "Options:\n";

static const char exit_text[] =
    "\n"
    "Exit status: 0 found, 1 nothing found (or output failed), 2 usage error.\n";

/* "standard, temporary, ..." from the library, for --help and errors. */
static const char *status_names(void) {
  static char names[256];
  size_t n = 0;
  for (unsigned s = 0; s < 32; s++) {
    const char *name = httpstatus_status_name((httpstatus_status)s);
    if (strcmp(name, "unknown") != 0)
      n += (size_t)snprintf(names + n, sizeof names - n, "%s%s",
                            n ? ", " : "", name);
  }
  return names;
}

static void print_spec(const struct option_spec *s) {
  char left[40];
  snprintf(left, sizeof left, "%s%c%s--%s%s%s%s", s->letter ? "-" : " ",
           s->letter ? s->letter : ' ', s->letter ? ", " : "  ", s->name,
           s->arg == ARG_OPTIONAL ? "[=" : s->arg == ARG_REQUIRED ? " " : "",
           s->metavar ? s->metavar : "", s->arg == ARG_OPTIONAL ? "]" : "");
  printf("  %-21s", left);
  for (const char *p = s->help; *p != '\0'; p++) {
    if (*p == '\n')
      printf("\n  %-21s", "");
    else if (p[0] == '%' && p[1] == 's')
      fputs(status_names(), stdout), p++;
    else
      putchar(*p);
  }
  putchar('\n');
}

static void print_help(void) {
  fputs(usage_text, stdout);
  for (size_t i = 0; i < SPEC_COUNT; i++)
    print_spec(&specs[i]);
  fputs(exit_text, stdout);
}

/* ------------------------------------------------------------------------ */
/* Option values */

static bool set_status(cli_filter *f, const char *value) {
  for (unsigned s = 0; s < 32; s++) {
    const char *name = httpstatus_status_name((httpstatus_status)s);
    if (strcmp(name, "unknown") != 0 && cli_ieq(value, strlen(value), name)) {
      f->statuses |= 1u << s;
      return true;
    }
  }
  char q[CLI_QUOTE_SIZE];
  cli_error("'%s' is not a status for --status: use one of %s",
            cli_quote(value, q, sizeof q), status_names());
  return false;
}

static bool set_class(cli_filter *f, const char *value) {
  size_t len = strlen(value);
  bool shape = (len == 1 || (len == 3 && strspn(value + 1, "xX") == 2)) &&
               value[0] >= '0' && value[0] <= '9';
  httpstatus_class cls =
      shape ? httpstatus_class_of((value[0] - '0') * 100) : HTTPSTATUS_CLASS_INVALID;
  if (cls == HTTPSTATUS_CLASS_INVALID) {
    char q[CLI_QUOTE_SIZE];
    cli_error("'%s' is not a class for --class: give its first digit, as in"
              " --class 4 or --class 4xx", cli_quote(value, q, sizeof q));
    return false;
  }
  f->classes |= 1u << cls;
  return true;
}

static bool set_color(options *opt, const char *value) {
  static const char *const names[] = {"auto", "always", "never"};
  if (value == NULL) {
    opt->color = COLOR_ALWAYS;
    return true;
  }
  for (int i = 0; i < 3; i++) {
    if (strcmp(value, names[i]) == 0) {
      opt->color = (color_mode)i;
      return true;
    }
  }
  char q[CLI_QUOTE_SIZE];
  cli_error("'%s' is not a choice for --color: use auto, always or never",
            cli_quote(value, q, sizeof q));
  return false;
}

static bool set_origin(cli_filter *f, const char *value) {
  if (value[0] == '\0') {
    cli_error("--origin needs a name, as in --origin nginx");
    return false;
  }
  f->origin = value;
  return true;
}

static const httpstatus_status STANDARD = HTTPSTATUS_STATUS_STANDARD;
static const httpstatus_status UNOFFICIAL = HTTPSTATUS_STATUS_UNOFFICIAL;

/* Returns false after printing an error. */
static bool apply(options *opt, opt_id id, const char *value) {
  switch (id) {
  case OPT_VERBOSE: opt->verbose = true; return true;
  case OPT_JSON: opt->json = true; return true;
  case OPT_COLOR: return set_color(opt, value);
  case OPT_STANDARD: opt->filter.statuses |= 1u << STANDARD; return true;
  case OPT_UNOFFICIAL: opt->filter.statuses |= 1u << UNOFFICIAL; return true;
  case OPT_STATUS: return set_status(&opt->filter, value);
  case OPT_CLASS: return set_class(&opt->filter, value);
  case OPT_ORIGIN: return set_origin(&opt->filter, value);
  case OPT_HELP: print_help(); break;
  case OPT_VERSION: printf("httpstatus %s\n", httpstatus_version()); break;
  }
  opt->done = true;
  return true;
}

/* ------------------------------------------------------------------------ */
/* Command line */

static bool unknown_option(const char *arg) {
  char q[CLI_QUOTE_SIZE];
  cli_error("unknown option '%s'" TRY_HELP, cli_quote(arg, q, sizeof q));
  return false;
}

static bool unknown_letter(char letter) {
  const char arg[] = {'-', letter, '\0'};
  return unknown_option(arg);
}

static const struct option_spec *find_long(const char *name, size_t len) {
  for (size_t i = 0; i < SPEC_COUNT; i++) {
    if (strncmp(specs[i].name, name, len) == 0 && specs[i].name[len] == '\0')
      return &specs[i];
  }
  return NULL;
}

/* "--name", "--name=value" or "--name value"; advances *i past a value. */
static bool parse_long(options *opt, int argc, char **argv, int *i) {
  const char *arg = argv[*i] + 2, *eq = strchr(arg, '=');
  const struct option_spec *s = find_long(arg, eq ? (size_t)(eq - arg) : strlen(arg));
  if (s == NULL)
    return unknown_option(argv[*i]);
  const char *value = eq ? eq + 1 : NULL;
  if (s->arg == ARG_NONE && value != NULL) {
    cli_error("--%s takes no value" TRY_HELP, s->name);
    return false;
  }
  if (s->arg == ARG_REQUIRED && value == NULL) {
    if (*i + 1 >= argc) {
      cli_error("--%s needs a value: --%s=%s" TRY_HELP, s->name, s->name, s->metavar);
      return false;
    }
    value = argv[++*i];
  }
  return apply(opt, s->id, value);
}

/* "-v", or several flags at once: "-vj". */
static bool parse_short(options *opt, const char *arg) {
  for (const char *p = arg + 1; *p != '\0'; p++) {
    size_t i = 0;
    while (i < SPEC_COUNT && specs[i].letter != *p)
      i++;
    if (i == SPEC_COUNT)
      return unknown_letter(*p);
    if (!apply(opt, specs[i].id, NULL))
      return false;
  }
  return true;
}

/* "-" is standard input and "-1" a (bad) number: both are arguments. */
static bool is_option(const char *arg) {
  return arg[0] == '-' && arg[1] != '\0' && !(arg[1] >= '0' && arg[1] <= '9');
}

static bool parse_command_line(int argc, char **argv, options *opt) {
  bool options_end = false;
  for (int i = 1; i < argc && !opt->done; i++) {
    const char *arg = argv[i];
    bool ok = true;
    if (options_end || !is_option(arg))
      opt->args[opt->nargs++] = arg;
    else if (strcmp(arg, "--") == 0)
      options_end = true;
    else if (arg[1] == '-')
      ok = parse_long(opt, argc, argv, &i);
    else
      ok = parse_short(opt, arg);
    if (!ok)
      return false;
  }
  return true;
}

/* ------------------------------------------------------------------------ */
/* Queries */

static bool blank(const char *s) {
  return s[strspn(s, " \t\n\v\f\r")] == '\0';
}

static bool check_length(size_t len) {
  if (len <= CLI_ARG_MAX)
    return true;
  cli_error("argument of %zu bytes is too long: a query has at most %d",
            len, CLI_ARG_MAX);
  return false;
}

/* Appends `word` to the words query `q`, or starts one. */
static bool add_word(query *q, const char *word) {
  size_t old = q->text ? strlen(q->text) : 0, len = strlen(word);
  if (!check_length(old + len + (old > 0)))
    return false;
  char *text = realloc(q->owned, old + len + 2);
  if (text == NULL) {
    cli_error("out of memory");
    return false;
  }
  if (old > 0)
    text[old++] = ' ';
  memcpy(text + old, word, len + 1);
  q->owned = text;
  q->text = text;
  return true;
}

/* A number, possibly negative: "0", "-1", "1000", "41". */
static bool is_number(const char *s) {
  s += *s == '-';
  return *s != '\0' && s[strspn(s, "0123456789")] == '\0';
}

static bool bad_argument(const char *arg) {
  char q[CLI_QUOTE_SIZE];
  if (blank(arg))
    cli_error("empty argument: give a status code, a pattern like 4xx, or"
              " search words" TRY_HELP);
  else if (is_number(arg))
    cli_error("'%s' is not a status code (three digits, 100-999) nor a"
              " pattern (4, 4xx, 40, 4x4)" TRY_HELP, cli_quote(arg, q, sizeof q));
  else
    cli_error("'%s' is neither a status code, a pattern like 4xx, nor a"
              " search word" TRY_HELP, cli_quote(arg, q, sizeof q));
  return false;
}

/* Turns arguments into queries; consecutive words make one search
 * ("httpstatus too many requests"). Returns the number of queries, or
 * -1 after an error. */
static int build_queries(const char **args, size_t n, query *qs) {
  int count = 0;
  for (size_t i = 0; i < n; i++) {
    bool bad = false;
    if (!check_length(strlen(args[i])))
      return -1;
    if (query_parse_number(args[i], &qs[count], &bad)) {
      count++;
    } else if (bad || blank(args[i])) {
      bad_argument(args[i]);
      return -1;
    } else {
      if (count == 0 || qs[count - 1].kind != QUERY_WORDS)
        qs[count++] = (query){.kind = QUERY_WORDS};
      if (!add_word(&qs[count - 1], args[i]))
        return -1;
    }
  }
  return count;
}

static void free_queries(query *qs, size_t n) {
  for (size_t i = 0; i < n; i++)
    free(qs[i].owned);
}

static void report_nothing(const query *q, const cli_filter *f) {
  char quoted[CLI_QUOTE_SIZE];
  const char *text = q->kind == QUERY_ALL ? "" : cli_quote(q->text, quoted, sizeof quoted);
  if (filter_active(f) && q->kind == QUERY_ALL)
    cli_error("no entry matches the filters");
  else if (filter_active(f))
    cli_error("no entry for '%s' matches the filters", text);
  else if (q->kind == QUERY_CODE && httpstatus_validate(q->code) != HTTPSTATUS_OK)
    cli_error("%d is not in the catalog (%s)", q->code,
              httpstatus_strerror(httpstatus_validate(q->code)));
  else if (q->kind == QUERY_CODE)
    cli_error("%d is not in the catalog: no registry entry or known use", q->code);
  else if (q->kind == QUERY_PATTERN)
    cli_error("no status code matches %s", text);
  else
    cli_error("nothing matches '%s' (search looks in phrases, former phrases, keywords,"
              " summaries and origins)", text);
}

static int run_queries(const query *qs, int n, const options *opt, cli_out *out) {
  int status = CLI_FOUND;
  for (int i = 0; i < n; i++) {
    if (query_run(&qs[i], &opt->filter, out) == 0) {
      report_nothing(&qs[i], &opt->filter);
      status = CLI_NOT_FOUND;
    }
  }
  return status;
}

static int run_lookups(const char **args, size_t n, const options *opt, cli_out *out) {
  query *qs = calloc(n, sizeof *qs);
  if (qs == NULL) {
    cli_error("out of memory");
    return CLI_USAGE;
  }
  int count = build_queries(args, n, qs);
  int status = count < 0 ? CLI_USAGE : run_queries(qs, count, opt, out);
  free_queries(qs, n);
  free(qs);
  return status;
}

/* ------------------------------------------------------------------------ */
/* Commands */

static int run_list(const options *opt, cli_out *out) {
  if (opt->nargs > 1) {
    cli_error("list takes no arguments; filter it with --class, --origin,"
              " --standard, --unofficial or --status" TRY_HELP);
    return CLI_USAGE;
  }
  query all = {.kind = QUERY_ALL};
  return run_queries(&all, 1, opt, out);
}

/* Joins the words after "search" into one query; false after an error. */
static bool search_words(const options *opt, query *q) {
  for (size_t i = 1; i < opt->nargs; i++) {
    if (blank(opt->args[i]))
      return bad_argument(opt->args[i]);
    if (!add_word(q, opt->args[i]))
      return false;
  }
  if (q->text != NULL)
    return true;
  cli_error("search needs words, as in: httpstatus search too many requests");
  return false;
}

static int run_search(const options *opt, cli_out *out) {
  query q = {.kind = QUERY_WORDS};
  int status = search_words(opt, &q) ? run_queries(&q, 1, opt, out) : CLI_USAGE;
  free_queries(&q, 1);
  return status;
}

static int run_stdin(const options *opt, cli_out *out) {
  size_t found = 0;
  if (opt->nargs > 1) {
    cli_error("'-' reads standard input and takes no other arguments" TRY_HELP);
    return CLI_USAGE;
  }
  if (annotate_stream(STDIN_FILENO, out, &found) != 0) {
    cli_error("cannot read standard input: %s", strerror(errno));
    return CLI_NOT_FOUND;
  }
  return found > 0 ? CLI_FOUND : CLI_NOT_FOUND;
}

static bool has_dash(const options *opt) {
  for (size_t i = 0; i < opt->nargs; i++) {
    if (strcmp(opt->args[i], "-") == 0)
      return true;
  }
  return false;
}

static const char *const commands[] = {"list", "search", "explain", "site",
                                       "serve"};

/* "httpstatus 404 list" is a mistake, not a search for "list" (which
 * "httpstatus search list" does). */
static bool misplaced_command(const options *opt) {
  for (size_t i = 0; i < opt->nargs; i++) {
    for (size_t c = 0; c < sizeof commands / sizeof commands[0]; c++) {
      if (strcmp(opt->args[i], commands[c]) == 0) {
        cli_error("'%s' is a command and comes first: httpstatus %s ..." TRY_HELP,
                  commands[c], commands[c]);
        return true;
      }
    }
  }
  return false;
}

static int run(const options *opt, cli_out *out) {
  const char *first = opt->nargs > 0 ? opt->args[0] : NULL;
  if (first == NULL) {
    cli_error("nothing to look up: give a status code, a pattern like 4xx,"
              " or search words" TRY_HELP);
    return CLI_USAGE;
  }
  if (strcmp(first, "list") == 0)
    return run_list(opt, out);
  if (strcmp(first, "search") == 0)
    return run_search(opt, out);
  if (strcmp(first, "explain") == 0)
    return explain_run(opt->args + 1, opt->nargs - 1, &opt->filter, out);
  if (strcmp(first, "site") == 0)
    return site_run(opt->args + 1, opt->nargs - 1);
  if (misplaced_command(opt))
    return CLI_USAGE;
  if (has_dash(opt)) {
    if (strcmp(first, "-") == 0)
      return run_stdin(opt, out);
    cli_error("'-' reads standard input and takes no other arguments" TRY_HELP);
    return CLI_USAGE;
  }
  return run_lookups(opt->args, opt->nargs, opt, out);
}

/* ------------------------------------------------------------------------ */

static int run_serve(int argc, char **argv) {
#ifdef HTTPSTATUS_HAVE_SERVE
  return serve_main(argc, argv);
#else
  (void)argc;
  (void)argv;
  cli_error("this httpstatus was built without 'serve' (it needs libuv and"
            " llhttp; configure with -DHTTPSTATUS_BUILD_SERVER=ON)");
  return CLI_USAGE;
#endif
}

static bool want_color(color_mode mode) {
  const char *no_color = getenv("NO_COLOR"), *term = getenv("TERM");
  if (mode != COLOR_AUTO)
    return mode == COLOR_ALWAYS;
  if ((no_color != NULL && no_color[0] != '\0') ||
      (term != NULL && strcmp(term, "dumb") == 0))
    return false;
  return isatty(STDOUT_FILENO);
}

/* Output errors surface here at the latest. EPIPE: the reader went away,
 * which is its right; say nothing. */
static int finish(int status, cli_out *out) {
  errno = 0;
  if (fflush(out->fp) == 0 && !out_failed(out))
    return status;
  out_failed(out);
  if (out->write_errno != EPIPE)
    cli_error("cannot write output: %s", strerror(out->write_errno));
  return CLI_NOT_FOUND;
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "serve") == 0)
    return run_serve(argc - 1, argv + 1);
  signal(SIGPIPE, SIG_IGN);

  options opt = {.color = COLOR_AUTO, .args = calloc((size_t)argc, sizeof(char *))};
  if (opt.args == NULL) {
    cli_error("out of memory");
    return CLI_USAGE;
  }
  int status = CLI_USAGE;
  cli_out out = {.fp = stdout};
  if (parse_command_line(argc, argv, &opt)) {
    out.json = opt.json;
    out.verbose = opt.verbose;
    out.color = !opt.json && want_color(opt.color);
    status = opt.done ? CLI_FOUND : run(&opt, &out);
    if (!opt.done && status != CLI_USAGE)
      out_finish(&out);
  }
  free(opt.args);
  return finish(status, &out);
}
