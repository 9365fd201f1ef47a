/* SPDX-License-Identifier: MIT */
/*
 * util/base64.c - a strict base64 decoder (RFC 4648): the standard alphabet
 * with its padding (Basic credentials, RFC 7617) or the URL-safe one
 * without (HTTP2-Settings). Anything but the one canonical encoding of
 * some bytes is refused, so two spellings never name the same credentials.
 */
#include "srv.h"

static int value_of(char ch, srv_base64 alphabet)
{
  if (ch >= 'A' && ch <= 'Z')
    return ch - 'A';
  if (ch >= 'a' && ch <= 'z')
    return ch - 'a' + 26;
  if (ch >= '0' && ch <= '9')
    return ch - '0' + 52;
  if (ch == (alphabet == SRV_BASE64_URL ? '-' : '+'))
    return 62;
  if (ch == (alphabet == SRV_BASE64_URL ? '_' : '/'))
    return 63;
  return -1;
}

long srv_base64_decode(srv_span in, srv_base64 alphabet, uint8_t *out,
                       size_t cap)
{
  size_t len = in.len;
  if (alphabet == SRV_BASE64_STD) {
    if (len % 4 != 0)
      return -1;
    for (int pad = 0; pad < 2 && len > 0 && in.s[len - 1] == '='; pad++)
      len--;
  }
  if (len % 4 == 1)
    return -1; /* six bits cannot end a byte */
  uint32_t acc = 0;
  unsigned bits = 0;
  size_t n = 0;
  for (size_t i = 0; i < len; i++) {
    int v = value_of(in.s[i], alphabet);
    if (v < 0)
      return -1;
    acc = (acc << 6 | (uint32_t)v) & 0xffffu;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      if (n == cap)
        return -1;
      out[n++] = (uint8_t)(acc >> bits);
    }
  }
  if ((acc & ((1u << bits) - 1u)) != 0)
    return -1; /* the unused low bits of the last symbol must be zero */
  return (long)n;
}
