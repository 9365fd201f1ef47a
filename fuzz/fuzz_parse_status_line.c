/* SPDX-License-Identifier: MIT */
/*
 * fuzz_parse_status_line.c - httpstatus_parse_status_line on any bytes:
 * never reads outside them, and what it accepts is what it documents.
 */
#include <string.h>

#include "fuzz.h"
#include "httpstatus.h"

static void check_accepted(const char *text, size_t size,
                           const httpstatus_status_line *line)
{
  FUZZ_CHECK(memcmp(text, "HTTP/", 5) == 0);
  FUZZ_CHECK(line->major >= 0 && line->major <= 9);
  FUZZ_CHECK(line->minor >= 0 && line->minor <= 9);
  FUZZ_CHECK(line->code >= 100 && line->code <= 999);
  FUZZ_CHECK(line->phrase >= text && line->phrase_len <= size &&
             (size_t)(line->phrase - text) <= size - line->phrase_len);
  for (size_t i = 0; i < line->phrase_len; i++) {
    unsigned char c = (unsigned char)line->phrase[i];
    FUZZ_CHECK(c == '\t' || (c >= ' ' && c != 0x7f));
  }
  /* The code is the three digits after "HTTP/d " or "HTTP/d.d ". */
  size_t at = text[6] == '.' ? 9 : 7;
  int code = 0;
  FUZZ_CHECK(text[at - 1] == ' ');
  FUZZ_CHECK(httpstatus_parse_code(text + at, 3, &code) <= HTTPSTATUS_OK);
  FUZZ_CHECK(code == line->code);
}

/* An unterminated line that parses parses the same with CRLF or LF. */
static void check_terminators(const char *text, size_t size,
                              const httpstatus_status_line *line)
{
  static const char *const ends[] = {"\r\n", "\n"};
  if (size && text[size - 1] == '\n')
    return;
  for (size_t i = 0; i < 2; i++) {
    size_t n = size + strlen(ends[i]);
    char *copy = malloc(n);
    httpstatus_status_line again;
    FUZZ_CHECK(copy != NULL);
    memcpy(copy, text, size);
    memcpy(copy + size, ends[i], n - size);
    int rc = httpstatus_parse_status_line(copy, n, &again);
    if (n > HTTPSTATUS_STATUS_LINE_MAX) {
      FUZZ_CHECK(rc == HTTPSTATUS_E_TOO_LONG);
    } else {
      FUZZ_CHECK(rc == HTTPSTATUS_OK);
      FUZZ_CHECK(again.code == line->code && again.phrase_len == line->phrase_len);
      FUZZ_CHECK(again.major == line->major && again.minor == line->minor);
    }
    free(copy);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  const char *text = (const char *)data;
  httpstatus_status_line line;
  int rc = httpstatus_parse_status_line(text, size, &line);
  FUZZ_CHECK(rc <= HTTPSTATUS_OK && rc >= HTTPSTATUS_E_TOO_LONG);
  FUZZ_CHECK(strcmp(httpstatus_strerror(rc), "unknown error") != 0);
  if (size > HTTPSTATUS_STATUS_LINE_MAX)
    FUZZ_CHECK(rc == HTTPSTATUS_E_TOO_LONG);
  FUZZ_CHECK(httpstatus_parse_status_line(text, size, NULL) == rc);
  if (rc == HTTPSTATUS_OK) {
    check_accepted(text, size, &line);
    check_terminators(text, size, &line);
  }
  return 0;
}
