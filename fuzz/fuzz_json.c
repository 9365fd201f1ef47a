/* SPDX-License-Identifier: MIT */
/*
 * fuzz_json.c - httpstatus_json_string on any bytes and httpstatus_json on
 * any entry, into buffers of any size: snprintf semantics (same length
 * whatever the size, a NUL-terminated prefix, nothing written past `size`)
 * and output that is a valid JSON string: quoted, escaped, UTF-8.
 *
 * Input: byte 0 picks the entry, byte 1 the small buffer's size, the rest
 * is the string.
 */
#include <string.h>

#include "fuzz.h"
#include "httpstatus.h"

static bool is_hex(unsigned char c)
{
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Length of the valid UTF-8 sequence at s (RFC 3629: no overlongs, no
 * surrogates, nothing above U+10FFFF), 0 if there is none. */
static size_t utf8_length(const unsigned char *s, size_t left)
{
  size_t n = s[0] < 0x80 ? 1 : s[0] >= 0xc2 && s[0] <= 0xdf ? 2
           : s[0] >= 0xe0 && s[0] <= 0xef ? 3 : s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : 0;
  if (n == 0 || n > left)
    return 0;
  for (size_t i = 1; i < n; i++)
    if ((s[i] & 0xc0) != 0x80)
      return 0;
  if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] > 0x9f) ||
      (s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] > 0x8f))
    return 0;
  return n;
}

/* Checks that s[0..len) is one JSON string (RFC 8259, Section 7) in UTF-8. */
static void check_json_string(const char *str, size_t len)
{
  const unsigned char *s = (const unsigned char *)str;
  FUZZ_CHECK(len >= 2 && s[0] == '"' && s[len - 1] == '"');
  for (size_t i = 1; i < len - 1;) {
    if (s[i] == '\\') {
      FUZZ_CHECK(i + 1 < len - 1 && strchr("\"\\/bfnrtu", s[i + 1]) && s[i + 1]);
      if (s[i + 1] == 'u') {
        FUZZ_CHECK(i + 5 < len - 1);
        for (size_t k = 2; k < 6; k++)
          FUZZ_CHECK(is_hex(s[i + k]));
        i += 6;
      } else {
        i += 2;
      }
      continue;
    }
    FUZZ_CHECK(s[i] >= 0x20 && s[i] != '"');
    size_t n = utf8_length(s + i, len - 1 - i);
    FUZZ_CHECK(n > 0);
    i += n;
  }
}

/* `write` as called with a buffer of every size up to `small`: the same
 * full length, the full output's prefix, not a byte written past size. */
typedef size_t (*writer)(const void *what, size_t len, char *buf, size_t size);

static size_t write_string(const void *what, size_t len, char *buf, size_t size)
{
  return httpstatus_json_string(what, len, buf, size);
}

static size_t write_entry(const void *what, size_t len, char *buf, size_t size)
{
  (void)len;
  return httpstatus_json(what, buf, size);
}

static char *check_writer(writer write, const void *what, size_t len, size_t small)
{
  size_t full = write(what, len, NULL, 0);
  char *buf = malloc(full + 1);
  char tiny[256 + 1];
  FUZZ_CHECK(buf != NULL);
  FUZZ_CHECK(write(what, len, buf, full + 1) == full);
  FUZZ_CHECK(buf[full] == '\0' && strlen(buf) == full);

  memset(tiny, 0x5a, sizeof tiny);
  FUZZ_CHECK(write(what, len, tiny, small) == full);
  if (small > 0) {
    size_t kept = full < small - 1 ? full : small - 1;
    FUZZ_CHECK(tiny[kept] == '\0' && memcmp(tiny, buf, kept) == 0);
  }
  for (size_t i = small; i < sizeof tiny; i++)
    FUZZ_CHECK(tiny[i] == 0x5a);
  return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (size < 2)
    return 0;
  const httpstatus_entry *e = httpstatus_at(data[0] % httpstatus_count());
  size_t small = data[1];
  const char *text = (const char *)data + 2;
  size_t len = size - 2;

  char *out = check_writer(write_string, text, len, small);
  check_json_string(out, strlen(out));
  free(out);

  char code[16];
  out = check_writer(write_entry, e, 0, small);
  snprintf(code, sizeof code, "{\"code\":%d,", e->code);
  FUZZ_CHECK(strncmp(out, code, strlen(code)) == 0 && out[strlen(out) - 1] == '}');
  free(out);
  return 0;
}
