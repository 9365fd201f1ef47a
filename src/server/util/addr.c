/* SPDX-License-Identifier: MIT */
/*
 * util/addr.c - IP addresses as 16 bytes, and CIDR ranges over them.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "util/addr.h"

static const uint8_t v4_prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

bool srv_addr_is_v4(const srv_addr *a)
{
  return memcmp(a->b, v4_prefix, sizeof v4_prefix) == 0;
}

bool srv_addr_from_sockaddr(const struct sockaddr *sa, srv_addr *out)
{
  memset(out, 0, sizeof *out);
  if (sa->sa_family == AF_INET) {
    const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;
    memcpy(out->b, v4_prefix, sizeof v4_prefix);
    memcpy(out->b + 12, &in->sin_addr, 4);
    return true;
  }
  if (sa->sa_family == AF_INET6) {
    const struct sockaddr_in6 *in6 =
        (const struct sockaddr_in6 *)(const void *)sa;
    memcpy(out->b, &in6->sin6_addr, 16);
    return true;
  }
  return false;
}

bool srv_addr_parse(const char *s, size_t len, srv_addr *out)
{
  char text[INET6_ADDRSTRLEN];
  if (len == 0 || len >= sizeof text || memchr(s, '\0', len) != NULL)
    return false;
  memcpy(text, s, len);
  text[len] = '\0';
  memset(out, 0, sizeof *out);
  if (memchr(s, ':', len) == NULL) {
    memcpy(out->b, v4_prefix, sizeof v4_prefix);
    return inet_pton(AF_INET, text, out->b + 12) == 1;
  }
  return inet_pton(AF_INET6, text, out->b) == 1;
}

srv_addr srv_addr_key(const srv_addr *a)
{
  srv_addr k = *a;
  if (!srv_addr_is_v4(a))
    memset(k.b + 8, 0, 8);
  return k;
}

char *srv_addr_format(const srv_addr *a, char *out, size_t size)
{
  if (srv_addr_is_v4(a)) {
    if (inet_ntop(AF_INET, a->b + 12, out, (socklen_t)size) == NULL)
      snprintf(out, size, "?");
  } else if (inet_ntop(AF_INET6, a->b, out, (socklen_t)size) == NULL) {
    snprintf(out, size, "?");
  }
  return out;
}

bool srv_addr_known(const srv_addr *a)
{
  static const srv_addr zero;
  return memcmp(a, &zero, sizeof zero) != 0;
}

static bool bit_set(const srv_addr *a, unsigned i)
{
  return (a->b[i / 8] >> (7 - i % 8)) & 1;
}

bool srv_cidr_parse(const char *s, srv_cidr *out)
{
  const char *slash = strchr(s, '/');
  size_t len = slash ? (size_t)(slash - s) : strlen(s);
  if (!srv_addr_parse(s, len, &out->base))
    return false;
  bool v4 = srv_addr_is_v4(&out->base);
  uint64_t bits = v4 ? 32 : 128;
  if (slash && !srv_parse_u64(slash + 1, strlen(slash + 1), bits, &bits))
    return false;
  out->bits = (unsigned)bits + (v4 ? 96u : 0u);
  memset(&out->mask, 0, sizeof out->mask);
  for (unsigned i = 0; i < 128; i++) {
    if (i < out->bits)
      out->mask.b[i / 8] |= (uint8_t)(0x80u >> (i % 8));
    else if (bit_set(&out->base, i))
      return false;
  }
  return true;
}

/* Asked of every request when --trust-proxy is on: two words, no loop. */
bool srv_cidr_contains(const srv_cidr *range, const srv_addr *a)
{
  uint64_t base[2], mask[2], x[2];
  memcpy(base, range->base.b, 16);
  memcpy(mask, range->mask.b, 16);
  memcpy(x, a->b, 16);
  return (((base[0] ^ x[0]) & mask[0]) | ((base[1] ^ x[1]) & mask[1])) == 0;
}
