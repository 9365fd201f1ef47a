/* SPDX-License-Identifier: MIT */
/*
 * core/range.c - range requests (RFC 9110, Section 14): the Range field's
 * parser, single and multipart/byteranges partial content, 416, and the
 * routes /range/{n} (n bytes of "abcdefghijklmnopqrstuvwxyz" repeated,
 * with validators) and /206 asked for a Range (the part of its page).
 */
#include <stdio.h>
#include <string.h>

#include "core/core.h"

#define MAX_RANGE_BYTES (100u * 1024u) /* /range/{n}: 1 <= n <= this */
#define OCTETS "application/octet-stream"
/* Never in the content: letters only, or a page of the catalog. */
#define BOUNDARY "3d6b6a41-httpstatus-byteranges"

/* ------------------------------------------------------------------------ */
/* The Range field (Section 14.1.1) */

/* 1*DIGIT, saturating (a position past any size is simply past it). */
static bool position(srv_span s, size_t *i, uint64_t *out)
{
  size_t start = *i;
  uint64_t v = 0;
  for (; *i < s.len && s.s[*i] >= '0' && s.s[*i] <= '9'; (*i)++) {
    unsigned d = (unsigned)(s.s[*i] - '0');
    v = v > (UINT64_MAX - d) / 10 ? UINT64_MAX : v * 10 + d;
  }
  *out = v;
  return *i > start;
}

typedef enum spec_kind { SPEC_INVALID, SPEC_UNSATISFIABLE, SPEC_OK } spec_kind;

/* int-range = first-pos "-" [ last-pos ];  suffix-range = "-" suffix-length */
static spec_kind range_spec(srv_span s, uint64_t size, srv_byte_range *out)
{
  size_t i = 0;
  uint64_t first, last = UINT64_MAX;
  if (s.len > 0 && s.s[0] == '-') {
    i = 1;
    if (!position(s, &i, &last) || i != s.len)
      return SPEC_INVALID;
    if (last == 0)
      return SPEC_UNSATISFIABLE;
    out->first = last >= size ? 0 : size - last;
    out->last = size - 1;
    return SPEC_OK;
  }
  if (!position(s, &i, &first) || i >= s.len || s.s[i++] != '-')
    return SPEC_INVALID;
  if (i < s.len && (!position(s, &i, &last) || last < first))
    return SPEC_INVALID;
  if (i != s.len)
    return SPEC_INVALID;
  if (first >= size)
    return SPEC_UNSATISFIABLE;
  out->first = first;
  out->last = last < size - 1 ? last : size - 1;
  return SPEC_OK;
}

/* Sorts by first position and merges ranges that overlap or touch
 * (Section 14.6 allows it whatever order they came in). */
static size_t coalesce(srv_byte_range *r, size_t n)
{
  for (size_t i = 1; i < n; i++) {
    srv_byte_range key = r[i];
    size_t j = i;
    for (; j > 0 && r[j - 1].first > key.first; j--)
      r[j] = r[j - 1];
    r[j] = key;
  }
  size_t out = 0;
  for (size_t i = 0; i < n; i++) {
    if (out > 0 && r[i].first <= r[out - 1].last + 1) {
      if (r[i].last > r[out - 1].last)
        r[out - 1].last = r[i].last;
    } else {
      r[out++] = r[i];
    }
  }
  return out;
}

srv_range_result srv_range_parse(srv_span field, uint64_t size,
                                 srv_byte_range ranges[SRV_RANGE_MAX_SPECS],
                                 size_t *count)
{
  *count = 0;
  size_t eq = srv_span_until(field.s, field.len, "=");
  if (field.s == NULL || size == 0 || eq == field.len ||
      !srv_ieq(field.s, eq, "bytes"))
    return SRV_RANGE_NONE; /* another unit, or no representation to cut */
  srv_span set = {field.s + eq + 1, field.len - eq - 1};
  srv_span spec;
  size_t specs = 0, n = 0;
  for (size_t pos = 0; srv_list_next(set, &pos, &spec);) {
    if (++specs > SRV_RANGE_MAX_SPECS)
      return SRV_RANGE_NONE;
    switch (range_spec(spec, size, &ranges[n])) {
    case SPEC_INVALID: return SRV_RANGE_NONE;
    case SPEC_OK: n++; break;
    case SPEC_UNSATISFIABLE: break;
    }
  }
  if (specs == 0)
    return SRV_RANGE_NONE; /* range-set = 1#range-spec */
  if (n == 0)
    return SRV_RANGE_UNSATISFIABLE;
  *count = coalesce(ranges, n);
  return SRV_RANGE_OK;
}

/* ------------------------------------------------------------------------ */
/* Partial content */

/* Replaces the whole representation in out->body (of type ctype) with the
 * ranges the request asks for, or with a 416's content. Returns the code:
 * 206, 416 or `whole` when the Range field is ignored. */
static int cut(srv_reply *out, srv_span field, const char *ctype, int whole,
               const srv_byte_range *fallback)
{
  srv_byte_range ranges[SRV_RANGE_MAX_SPECS];
  size_t n = 0;
  srv_buf *body = out->body;
  uint64_t size = body->len;
  srv_range_result res = srv_range_parse(field, size, ranges, &n);
  if (res == SRV_RANGE_UNSATISFIABLE) {
    srv_reply_field(out, "Content-Range", "bytes */%llu",
                    (unsigned long long)size);
    body->len = 0;
    out->ctype = srv_type_names[out->r->type];
    srv_page_code(HTTPSTATUS_CODE_RANGE_NOT_SATISFIABLE, out->r->type, body);
    return HTTPSTATUS_CODE_RANGE_NOT_SATISFIABLE;
  }
  if (res == SRV_RANGE_NONE) {
    if (fallback == NULL)
      return whole;
    ranges[0] = *fallback;
    n = 1;
  }
  if (n == 1) {
    srv_reply_field(out, "Content-Range", "bytes %llu-%llu/%llu",
                    (unsigned long long)ranges[0].first,
                    (unsigned long long)ranges[0].last,
                    (unsigned long long)size);
    memmove(body->data, body->data + ranges[0].first,
            ranges[0].last - ranges[0].first + 1);
    body->len = ranges[0].last - ranges[0].first + 1;
    return HTTPSTATUS_CODE_PARTIAL_CONTENT;
  }
  /* Several: the parts follow the whole, which then moves down. Room for
   * all of it first: the parts are copied from the buffer itself. */
  srv_buf_reserve(body, size + (n + 1) * (sizeof BOUNDARY + strlen(ctype) +
                                          3 * 20 + 64));
  for (size_t i = 0; i < n; i++) {
    srv_buf_printf(body,
                   "%s--" BOUNDARY "\r\nContent-Type: %s\r\n"
                   "Content-Range: bytes %llu-%llu/%llu\r\n\r\n",
                   i == 0 ? "" : "\r\n", ctype,
                   (unsigned long long)ranges[i].first,
                   (unsigned long long)ranges[i].last,
                   (unsigned long long)size);
    srv_buf_append(body, body->data + ranges[i].first,
                   ranges[i].last - ranges[i].first + 1);
  }
  srv_buf_puts(body, "\r\n--" BOUNDARY "--\r\n");
  memmove(body->data, body->data + size, body->len - size);
  body->len -= size;
  out->ctype = "multipart/byteranges; boundary=" BOUNDARY;
  return HTTPSTATUS_CODE_PARTIAL_CONTENT;
}

/* /range/{n}: GET and HEAD (a Range field only counts on a GET, Section
 * 14.2), conditional on its validators. */
static int range_answer(srv_reply *out)
{
  const srv_request *r = out->r;
  uint64_t n;
  if (r->method != SRV_METHOD_GET && r->method != SRV_METHOD_HEAD &&
      r->method != SRV_METHOD_OPTIONS)
    return srv_reply_error(out, HTTPSTATUS_CODE_METHOD_NOT_ALLOWED,
                           "/range/{n} answers GET and HEAD");
  if (r->arg.s == NULL ||
      !srv_parse_u64(r->arg.s, r->arg.len, MAX_RANGE_BYTES, &n) || n == 0)
    return srv_reply_error(out, HTTPSTATUS_CODE_BAD_REQUEST,
                           "/range/{n}: n is a number of bytes, 1-%u",
                           MAX_RANGE_BYTES);
  char tag[32], date[SRV_DATE_SIZE];
  int tag_len = snprintf(tag, sizeof tag, "\"range-%llu\"",
                         (unsigned long long)n);
  srv_validators v = {{tag, tag_len > 0 ? (size_t)tag_len : 0}, true,
                      srv_conditional_epoch()};
  srv_reply_span(out, "ETag", v.etag);
  srv_precondition c = srv_conditional_eval(out->core, r->x, &v);
  if (c == SRV_COND_NOT_MODIFIED)
    return HTTPSTATUS_CODE_NOT_MODIFIED;
  if (c == SRV_COND_FAILED) {
    srv_page_code(HTTPSTATUS_CODE_PRECONDITION_FAILED, r->type, out->body);
    return HTTPSTATUS_CODE_PRECONDITION_FAILED;
  }
  srv_reply_span(out, "Last-Modified",
                 (srv_span){date, srv_date_format(v.last_modified, date)});
  srv_reply_field(out, "Accept-Ranges", "bytes");
  srv_buf *body = out->body;
  srv_buf_reserve(body, n);
  for (uint64_t i = 0; i < n; i++)
    body->data[i] = (char)('a' + i % 26);
  body->len = n;
  out->ctype = OCTETS;
  if (r->method != SRV_METHOD_GET || c == SRV_COND_IGNORE_RANGE)
    return HTTPSTATUS_CODE_OK;
  return cut(out, r->x->fields[SRV_F_RANGE], OCTETS, HTTPSTATUS_CODE_OK,
             NULL);
}

/* /206 with a Range field: the part of its page asked for; a Range it
 * ignores (bad, another unit, an If-Range: /206 has no validator) leaves
 * the first half, as without one. */
static int range_code_answer(srv_reply *out)
{
  const srv_request *r = out->r;
  srv_page_code(HTTPSTATUS_CODE_PARTIAL_CONTENT, r->type, out->body);
  size_t len = out->body->len;
  srv_byte_range half = {0, len > 1 ? len / 2 - 1 : 0};
  srv_reply_field(out, "Accept-Ranges", "bytes");
  srv_span field = r->x->fields[SRV_F_RANGE];
  if (r->method != SRV_METHOD_GET || r->x->fields[SRV_F_IF_RANGE].len > 0)
    field = (srv_span){NULL, 0};
  return cut(out, field, out->ctype, HTTPSTATUS_CODE_PARTIAL_CONTENT, &half);
}

const srv_handler srv_handler_range = {"range", NULL, range_answer};
const srv_handler srv_handler_range_code = {"206", NULL, range_code_answer};
