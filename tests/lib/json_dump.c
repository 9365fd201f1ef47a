/* SPDX-License-Identifier: MIT */
/*
 * json_dump.c - prints, for check_json.py, a JSON object holding every
 * catalog entry as httpstatus_json writes it ("entries") and hostile byte
 * strings as httpstatus_json_string writes them ("strings").
 */
#include <stdio.h>
#include <stdlib.h>

#include "httpstatus.h"

static void print_string(const char *s, size_t len)
{
  size_t n = httpstatus_json_string(s, len, NULL, 0);
  char *buf = malloc(n + 1);
  if (!buf)
    exit(1);
  httpstatus_json_string(s, len, buf, n + 1);
  fputs(buf, stdout);
  free(buf);
}

int main(void)
{
  const httpstatus_entry *e;
  char all_bytes[256];
  for (int i = 0; i < 256; i++)
    all_bytes[i] = (char)i;
  fputs("{\"entries\":[", stdout);
  for (size_t i = 0; (e = httpstatus_at(i)) != NULL; i++) {
    char buf[4096];
    size_t n = httpstatus_json(e, buf, sizeof buf);
    if (n >= sizeof buf)
      return 1;
    printf("%s%s", i ? "," : "", buf);
  }
  fputs("],\"strings\":[", stdout);
  print_string(all_bytes, sizeof all_bytes);
  putchar(',');
  print_string("\xed\xa0\x80\xc0\xaf\xf4\x90\x80\x80 \xf0\x9f\x98\x80", 14);
  puts("]}");
  return 0;
}
