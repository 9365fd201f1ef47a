/* SPDX-License-Identifier: MIT */
/*
 * util/addr.h - client addresses and the request fields that name hosts:
 * an address type (IPv4 kept as IPv4-mapped IPv6), CIDR ranges, the Host
 * field's grammar (util/host.c) and the Forwarded / X-Forwarded-For fields
 * (util/forwarded.c). Strict parsers without allocation: the fuzz target
 * fuzz_addr drives every one of them.
 */
#ifndef SRV_ADDR_H
#define SRV_ADDR_H

#include "srv.h"

struct sockaddr;

/* An IP address: 16 bytes, IPv4 as ::ffff:a.b.c.d (RFC 4291 2.5.5.2). */
typedef struct srv_addr {
  uint8_t b[16];
} srv_addr;

/* An address range: `bits` leading bits of `base` (IPv4 ranges count the
 * 96 bits of the mapped prefix). */
typedef struct srv_cidr {
  srv_addr base;
  srv_addr mask;    /* `bits` one bits, then zeros: a match is one AND */
  unsigned bits;
} srv_cidr;

/* The address of an AF_INET or AF_INET6 socket address; false for another
 * family. */
bool srv_addr_from_sockaddr(const struct sockaddr *sa, srv_addr *out);
/* Parses a dotted IPv4 address or an IPv6 address (no brackets, no zone);
 * false when s[0..len) is not exactly one. */
bool srv_addr_parse(const char *s, size_t len, srv_addr *out);
/* True for an IPv4(-mapped) address. */
bool srv_addr_is_v4(const srv_addr *a);
/* The key limits count an address under: itself for IPv4, its /64 for
 * IPv6 (one subscriber usually holds a whole /64). */
srv_addr srv_addr_key(const srv_addr *a);
/* Formats `a` (IPv4 dotted, IPv6 RFC 5952) into out[0..size); returns out. */
char *srv_addr_format(const srv_addr *a, char *out, size_t size);

/* Parses "ADDR" or "ADDR/BITS" (bits at most 32 for IPv4, 128 for IPv6);
 * false on anything else. Bits below the prefix must be zero, so a typo
 * such as 10.0.0.1/8 is refused rather than silently widened. */
bool srv_cidr_parse(const char *s, srv_cidr *out);
bool srv_cidr_contains(const srv_cidr *range, const srv_addr *a);

/* True when `host` is a valid Host field value or :authority: RFC 9110
 * 7.2 / RFC 3986 3.2.2 uri-host [ ":" port ], no userinfo, a port of at
 * most 65535 (it may be empty, as RFC 3986 allows), an IP-literal with
 * its brackets, and a reg-name without "," (a comma is how two Host lines
 * fold into one). The empty value is valid (RFC 9112 3.2). */
bool srv_host_valid(srv_span host);

/* What a Forwarded or X-Forwarded-For value says. */
typedef enum srv_fwd_status {
  SRV_FWD_OK,        /* *count addresses were stored, in field order */
  SRV_FWD_MALFORMED  /* not the field's grammar: 400 */
} srv_fwd_status;

/* The client addresses of a Forwarded value (RFC 7239: its for=
 * parameters, left to right). A for= that is no IP address ("unknown", an
 * obfuscated "_name") is stored as the all-zero address, which
 * srv_addr_known says is none. At most `max` are stored; *count gets how
 * many elements named a for= (possibly more than max). */
srv_fwd_status srv_forwarded_parse(srv_span value, srv_addr *out, size_t max,
                                   size_t *count);
/* The same for X-Forwarded-For: a comma list of bare addresses. */
srv_fwd_status srv_xff_parse(srv_span value, srv_addr *out, size_t max,
                             size_t *count);
/* False for the all-zero address (an unknown hop). */
bool srv_addr_known(const srv_addr *a);

#endif
