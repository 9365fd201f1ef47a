/* SPDX-License-Identifier: MIT */
/*
 * fuzz_addr.c - the server's parsers of names and addresses a client or a
 * proxy sends (util/addr.h): the Host field, Forwarded, X-Forwarded-For,
 * and the address and CIDR texts of --trust-proxy.
 *
 * Promises checked besides memory safety: a Host found valid holds no
 * byte a URL could be cut at (space, control, "/", "?", "#", "@", or a
 * "," outside brackets); an X-Forwarded-For found valid names at least
 * one address and holds no quote; an address that
 * parses formats back to text that parses to the same address; a range
 * contains its own base.
 */
#include <string.h>

#include "fuzz.h"
#include "util/addr.h"

static void check_host(const char *s, size_t len)
{
  srv_span h = {s, len};
  if (!srv_host_valid(h))
    return;
  bool bracket = false;
  for (size_t i = 0; i < len; i++) {
    unsigned char ch = (unsigned char)s[i];
    FUZZ_CHECK(ch > 0x20 && ch < 0x7f);
    FUZZ_CHECK(strchr("/?#@\\\"<>", ch) == NULL);
    if (ch == '[')
      bracket = true;
    if (ch == ']')
      bracket = false;
    FUZZ_CHECK(ch != ',' || bracket);
  }
}

static void check_lists(const char *s, size_t len)
{
  srv_addr out[4];
  size_t count = 0;
  srv_span v = {s, len};
  if (srv_forwarded_parse(v, out, 4, &count) == SRV_FWD_OK)
    FUZZ_CHECK(len > 0);
  if (srv_xff_parse(v, out, 4, &count) == SRV_FWD_OK)
    FUZZ_CHECK(count >= 1 && memchr(s, '"', len) == NULL);
}

static void check_addr(const char *s, size_t len)
{
  srv_addr a, b;
  char text[64];
  if (srv_addr_parse(s, len, &a)) {
    srv_addr_format(&a, text, sizeof text);
    FUZZ_CHECK(srv_addr_parse(text, strlen(text), &b));
    FUZZ_CHECK(memcmp(&a, &b, sizeof a) == 0);
  }
  char cidr_text[80];
  if (len < sizeof cidr_text && memchr(s, '\0', len) == NULL) {
    memcpy(cidr_text, s, len);
    cidr_text[len] = '\0';
    srv_cidr r;
    if (srv_cidr_parse(cidr_text, &r)) {
      FUZZ_CHECK(r.bits <= 128);
      FUZZ_CHECK(srv_cidr_contains(&r, &r.base));
    }
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  /* A copy of exactly the input's size: a read past it is an ASan error. */
  char *s = malloc(size ? size : 1);
  if (s == NULL)
    return 0;
  memcpy(s, data, size);
  check_host(s, size);
  check_lists(s, size);
  check_addr(s, size);
  free(s);
  return 0;
}
