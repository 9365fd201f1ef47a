/* SPDX-License-Identifier: MIT */
/*
 * consumer.c - a program outside the project using the installed
 * libhttpstatus the way a user would: through <httpstatus.h> only. Exits 0
 * and prints the library's version when every answer is right.
 */
#include <stdio.h>
#include <string.h>

#include <httpstatus.h>

static int failures;

static void expect(int ok, const char *what)
{
  if (!ok) {
    fprintf(stderr, "consumer: wrong answer: %s\n", what);
    failures++;
  }
}

int main(void)
{
  const httpstatus_entry *found[4];
  httpstatus_status_line line;
  size_t n = 0;

  /* The header the consumer was compiled with and the library it runs
   * with must be the same release. */
  expect(strcmp(httpstatus_version(), HTTPSTATUS_VERSION_STRING) == 0,
         "httpstatus_version() matches the installed header");
  expect(httpstatus_reason(404) != NULL &&
             strcmp(httpstatus_reason(404), "Not Found") == 0,
         "reason(404) is Not Found");
  expect(httpstatus_reason(1000) == NULL, "reason(1000) is NULL");
  expect(httpstatus_meanings(451, &n) != NULL && n >= 2, "451 has two meanings");
  expect(httpstatus_search("payload too large", found, 4) >= 1 &&
             found[0]->code == 413,
         "search finds 413 by its former phrase");
  expect(httpstatus_parse_status_line("HTTP/2 503\r\n", 12, &line) == HTTPSTATUS_OK &&
             line.code == 503,
         "parses an HTTP/2 status line");
  expect(!httpstatus_allows_content(204), "204 has no content");
  if (failures)
    return 1;
  printf("consumer ok %s\n", httpstatus_version());
  return 0;
}
