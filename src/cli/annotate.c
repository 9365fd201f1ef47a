/* SPDX-License-Identifier: MIT */
/* annotate.c - `httpstatus -`: copy standard input through byte for byte
 * and follow each status line with a line explaining its code.
 *
 * Input is copied as it arrives, whatever the line length; only the first
 * HTTPSTATUS_STATUS_LINE_MAX bytes of each line are kept, which is all a
 * status line may have. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

typedef struct line_state {
  char head[HTTPSTATUS_STATUS_LINE_MAX];
  size_t len; /* length of the current line so far (may exceed the head) */
  size_t found;
} line_state;

static bool alias_matches(const httpstatus_entry *e, const char *phrase,
                          size_t len) {
  for (size_t i = 0; e->aliases[i] != NULL; i++) {
    if (cli_ieq(phrase, len, e->aliases[i]))
      return true;
  }
  return false;
}

/* The meaning whose phrase the server sent (451 "Redirect" is Microsoft's),
 * else the registered one. NULL when the catalog has no entry. */
static const httpstatus_entry *pick_meaning(const httpstatus_status_line *sl) {
  size_t n = 0;
  const httpstatus_entry *run = httpstatus_meanings(sl->code, &n);
  for (size_t i = 0; i < n; i++) {
    if (cli_ieq(sl->phrase, sl->phrase_len, run[i].phrase) ||
        alias_matches(&run[i], sl->phrase, sl->phrase_len))
      return &run[i];
  }
  return run;
}

/* Called at the end of every line; `terminated` is false for a last line
 * without a newline, which gets one before its annotation. */
static void end_line(line_state *st, cli_out *o, bool terminated) {
  httpstatus_status_line sl;
  size_t len = st->len;
  st->len = 0;
  if (len > sizeof st->head ||
      httpstatus_parse_status_line(st->head, len, &sl) != HTTPSTATUS_OK)
    return;
  st->found++;
  const httpstatus_entry *e = pick_meaning(&sl);
  if (o->json) {
    if (e != NULL)
      out_entry(o, e);
    return;
  }
  bool crlf = terminated && len >= 2 && st->head[len - 2] == '\r';
  if (!terminated)
    fputs("\n", o->fp);
  out_annotation(o, sl.code, e, crlf ? "\r\n" : "\n");
}

static void keep(line_state *st, const char *p, size_t n) {
  if (st->len < sizeof st->head) {
    size_t room = sizeof st->head - st->len;
    memcpy(st->head + st->len, p, n < room ? n : room);
  }
  st->len += n;
}

static void take_chunk(line_state *st, cli_out *o, const char *buf, size_t n) {
  while (n > 0) {
    const char *nl = memchr(buf, '\n', n);
    size_t seg = nl != NULL ? (size_t)(nl - buf) + 1 : n;
    if (!o->json && fwrite(buf, 1, seg, o->fp) != seg && out_failed(o))
      return;
    keep(st, buf, seg);
    if (nl != NULL)
      end_line(st, o, true);
    buf += seg;
    n -= seg;
  }
}

static ssize_t read_some(int fd, char *buf, size_t size) {
  ssize_t n;
  do
    n = read(fd, buf, size);
  while (n < 0 && errno == EINTR);
  return n;
}

int annotate_stream(int fd, cli_out *o, size_t *found) {
  static line_state st;
  static char buf[1 << 16];
  ssize_t n;
  st.len = 0;
  st.found = 0;
  /* Flushing after each read keeps a live stream (tail -f) flowing, and
   * lets a closed output stop us instead of reading on. */
  while ((n = read_some(fd, buf, sizeof buf)) > 0) {
    take_chunk(&st, o, buf, (size_t)n);
    /* out_failed must see the errno of a failed flush before anything
     * else can change it: EPIPE is a quiet end, ENOSPC an error. */
    bool flush_failed = fflush(o->fp) != 0;
    if (out_failed(o) || flush_failed)
      break;
  }
  if (n == 0 && st.len > 0)
    end_line(&st, o, false);
  *found = st.found;
  return n < 0 ? -1 : 0;
}
