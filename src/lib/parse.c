/* SPDX-License-Identifier: MIT */
/*
 * parse.c - checking codes and parsing status lines. In place, no
 * allocation; every byte of the input is looked at once at most.
 */
#include "httpstatus.h"

static bool is_digit(unsigned char c)
{
  return (unsigned)(c - '0') < 10u;
}

const char *httpstatus_strerror(int error)
{
  static const char *const messages[] = {
    [-HTTPSTATUS_OK] = "success",
    [-HTTPSTATUS_E_SYNTAX] = "syntax error",
    [-HTTPSTATUS_E_RANGE] = "status code outside 100-599",
    [-HTTPSTATUS_E_VERSION] = "bad or missing HTTP version",
    [-HTTPSTATUS_E_PHRASE] = "control character in reason phrase",
    [-HTTPSTATUS_E_TOO_LONG] = "status line too long",
  };
  unsigned i = 0u - (unsigned)error; /* errors are <= 0 */
  return i < sizeof messages / sizeof messages[0] ? messages[i]
                                                  : "unknown error";
}

int httpstatus_validate(int code)
{
  if (code >= 100 && code <= 599)
    return HTTPSTATUS_OK;
  return code >= 600 && code <= 999 ? HTTPSTATUS_E_RANGE : HTTPSTATUS_E_SYNTAX;
}

/* Three digits, the first 1-9, at p (which has at least 3 bytes); -1 if not. */
static int three_digits(const unsigned char *p)
{
  if (p[0] == '0' || !is_digit(p[0]) || !is_digit(p[1]) || !is_digit(p[2]))
    return -1;
  return (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
}

int httpstatus_parse_code(const char *text, size_t len, int *code)
{
  int value = len == 3 ? three_digits((const unsigned char *)text) : -1;
  if (value < 0)
    return HTTPSTATUS_E_SYNTAX;
  if (code)
    *code = value;
  return httpstatus_validate(value);
}

/* Reason phrase bytes: HTAB, SP, VCHAR, obs-text (RFC 9112, Section 4). */
static bool is_phrase_byte(unsigned char c)
{
  return c == '\t' || (c >= ' ' && c != 0x7f);
}

/* The version "HTTP/" DIGIT ["." DIGIT] at the start of p[0..len); returns
 * its length, or 0 when there is none. */
static size_t parse_version(const unsigned char *p, size_t len,
                            httpstatus_status_line *out)
{
  static const char name[] = "HTTP/";
  size_t n = sizeof name - 1;
  for (size_t i = 0; i < n; i++)
    if (i >= len || p[i] != (unsigned char)name[i])
      return 0;
  if (n >= len || !is_digit(p[n]))
    return 0;
  out->major = p[n++] - '0';
  out->minor = 0;
  if (n < len && p[n] == '.') {
    if (n + 1 >= len || !is_digit(p[n + 1]))
      return 0;
    out->minor = p[n + 1] - '0';
    n += 2;
  }
  return n;
}

int httpstatus_parse_status_line(const char *text, size_t len,
                                 httpstatus_status_line *out)
{
  httpstatus_status_line scratch;
  const unsigned char *p = (const unsigned char *)text;
  if (!out)
    out = &scratch;
  if (len > HTTPSTATUS_STATUS_LINE_MAX)
    return HTTPSTATUS_E_TOO_LONG;
  if (len && !text)
    return HTTPSTATUS_E_SYNTAX;

  /* Drop the terminator; any CR or LF left is an error below. */
  if (len && p[len - 1] == '\n')
    len -= len >= 2 && p[len - 2] == '\r' ? 2 : 1;

  size_t n = parse_version(p, len, out);
  if (n == 0)
    return HTTPSTATUS_E_VERSION;
  if (n == len)
    return HTTPSTATUS_E_SYNTAX; /* no status code */
  if (p[n] != ' ')
    return HTTPSTATUS_E_VERSION; /* "HTTP/1.10", "HTTP/1.1x" */
  n++;
  if (len - n < 3 || (out->code = three_digits(p + n)) < 0)
    return HTTPSTATUS_E_SYNTAX;
  n += 3;
  if (n < len && p[n++] != ' ')
    return HTTPSTATUS_E_SYNTAX; /* "HTTP/1.1 4040" */

  out->phrase = text + n;
  out->phrase_len = len - n;
  for (; n < len; n++) {
    if (p[n] == '\n' || (p[n] == '\r' && n + 1 < len && p[n + 1] == '\n'))
      return HTTPSTATUS_E_SYNTAX; /* bytes after a terminator */
    if (!is_phrase_byte(p[n]))
      return HTTPSTATUS_E_PHRASE;
  }
  return HTTPSTATUS_OK;
}
