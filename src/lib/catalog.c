/* SPDX-License-Identifier: MIT */
/*
 * catalog.c - the catalog table (expanded from catalog.def), the O(1) code
 * index over it, and the per-code lookups, classes and properties.
 */
#include "httpstatus.h"

#define H_NONE 0u
#define H_LOCATION HTTPSTATUS_HEADER_LOCATION
#define H_ALLOW HTTPSTATUS_HEADER_ALLOW
#define H_WWW_AUTHENTICATE HTTPSTATUS_HEADER_WWW_AUTHENTICATE
#define H_PROXY_AUTHENTICATE HTTPSTATUS_HEADER_PROXY_AUTHENTICATE
#define H_UPGRADE HTTPSTATUS_HEADER_UPGRADE
#define H_CONTENT_RANGE HTTPSTATUS_HEADER_CONTENT_RANGE
#define H_RETRY_AFTER HTTPSTATUS_HEADER_RETRY_AFTER
#define H_LINK HTTPSTATUS_HEADER_LINK

#define F_NONE 0u
#define F_NO_CONTENT HTTPSTATUS_FLAG_NO_CONTENT
#define F_CACHEABLE HTTPSTATUS_FLAG_CACHEABLE
#define F_RETRYABLE HTTPSTATUS_FLAG_RETRYABLE
#define F_NO_FRAMING HTTPSTATUS_FLAG_NO_FRAMING
#define F_FRAMING_OF_200 HTTPSTATUS_FLAG_FRAMING_OF_200
#define F_CLOSE_WITHOUT_RESPONSE HTTPSTATUS_FLAG_CLOSE_WITHOUT_RESPONSE
#define F_SWITCHES_PROTOCOL HTTPSTATUS_FLAG_SWITCHES_PROTOCOL

#define ALIASES(...) ((const char *const[]){__VA_ARGS__, NULL})
#define NO_ALIASES ((const char *const[]){NULL})
#define KEYWORDS ALIASES
#define NO_KEYWORDS NO_ALIASES

#define FIELDS(must, should, may)                                    \
  .headers = (must) | (should) | (may), .must_headers = (must),      \
  .should_headers = (should)
#define NO_FIELDS FIELDS(H_NONE, H_NONE, H_NONE)

#define RETRY_NO HTTPSTATUS_RETRY_NO
#define RETRY_LATER HTTPSTATUS_RETRY_LATER
#define RETRY_OTHER_CONNECTION HTTPSTATUS_RETRY_OTHER_CONNECTION
#define RETRY_WITH_CREDENTIALS HTTPSTATUS_RETRY_WITH_CREDENTIALS
#define RETRY_CHANGED HTTPSTATUS_RETRY_CHANGED

/* The same request, unchanged, may succeed when sent again. */
#define SAME_REQUEST_RETRY(retry)                                    \
  ((retry) == RETRY_LATER || (retry) == RETRY_OTHER_CONNECTION       \
       ? F_RETRYABLE                                                 \
       : F_NONE)

/* Row positions, one per row of catalog.def. */
enum {
#define HTTPSTATUS_ENTRY(code, id, ...) ROW_##id,
#define HTTPSTATUS_ALSO HTTPSTATUS_ENTRY
#include "catalog.def"
#undef HTTPSTATUS_ALSO
#undef HTTPSTATUS_ENTRY
  ROW_COUNT
};

/* rows[0] is an all-NULL sentinel so that the index below can map "no such
 * code" to a row too and lookups need no branch; catalog row r is
 * rows[r + 1]. */
static const httpstatus_entry rows[ROW_COUNT + 1] = {
  {.status = HTTPSTATUS_STATUS_STANDARD},
#define HTTPSTATUS_ENTRY(code_, id, phrase_, status_, origin_, ref, url_, \
                         aliases_, fields_, flags_, retry_, keywords_,    \
                         summary_)                                         \
  {.code = (code_), .phrase = (phrase_), .summary = (summary_),           \
   .status = HTTPSTATUS_STATUS_##status_, .origin = (origin_),            \
   .reference = (ref), .url = (url_), .aliases = aliases_, fields_,       \
   .flags = (flags_) | SAME_REQUEST_RETRY(retry_), .retry = (retry_),     \
   .keywords = keywords_, .name = #id},
#define HTTPSTATUS_ALSO HTTPSTATUS_ENTRY
#include "catalog.def"
#undef HTTPSTATUS_ALSO
#undef HTTPSTATUS_ENTRY
};

/* The header's HTTPSTATUS_CODE_MAP is this table's ENTRY rows: each row's
 * code is its constant's (a missing constant does not compile), and the two
 * lists are equally long, so neither has a code the other lacks. */
#define HTTPSTATUS_ENTRY(code, id, ...)                 \
  _Static_assert((code) == HTTPSTATUS_CODE_##id,        \
                 #id " differs from HTTPSTATUS_CODE_MAP");
#define HTTPSTATUS_ALSO(...)
#include "catalog.def"
#undef HTTPSTATUS_ALSO
#undef HTTPSTATUS_ENTRY

enum {
#define HTTPSTATUS_ENTRY(code, id, ...) ENTRY_ROW_##id,
#define HTTPSTATUS_ALSO(...)
#include "catalog.def"
#undef HTTPSTATUS_ALSO
#undef HTTPSTATUS_ENTRY
  ENTRY_ROWS
};
enum {
#define XX(code, id) MAPPED_##id,
  HTTPSTATUS_CODE_MAP(XX)
#undef XX
  MAPPED_CODES
};
_Static_assert((int)ENTRY_ROWS == (int)MAPPED_CODES,
               "HTTPSTATUS_CODE_MAP and catalog.def's ENTRY rows differ");

#define CODE_MIN 100
#define CODE_SPAN 900 /* codes 100-999 */

_Static_assert(ROW_COUNT < 256, "first_row holds row numbers in a byte");

/* first_row[code - 100] is 1 + the row of code's first meaning, 0 when the
 * catalog has no such code. Only ENTRY rows go in; ALSO rows follow them. */
static const unsigned char first_row[CODE_SPAN] = {
#define HTTPSTATUS_ENTRY(code, id, ...) [(code) - CODE_MIN] = ROW_##id + 1,
#define HTTPSTATUS_ALSO(...)
#include "catalog.def"
#undef HTTPSTATUS_ALSO
#undef HTTPSTATUS_ENTRY
};

/* Index into rows[] of code's first meaning; 0 (the sentinel) when none.
 * The unsigned subtraction folds "below 100" into "above 999". */
static inline unsigned row_of(int code)
{
  unsigned i = (unsigned)code - CODE_MIN;
  return i < CODE_SPAN ? first_row[i] : 0u;
}

const char *httpstatus_version(void)
{
  return HTTPSTATUS_VERSION_STRING;
}

const char *httpstatus_reason(int code)
{
  return rows[row_of(code)].phrase;
}

const httpstatus_entry *httpstatus_lookup(int code)
{
  unsigned r = row_of(code);
  return r ? &rows[r] : NULL;
}

const httpstatus_entry *httpstatus_meanings(int code, size_t *count)
{
  unsigned r = row_of(code), end = r;
  if (r)
    while (end <= ROW_COUNT && rows[end].code == code)
      end++;
  if (count)
    *count = end - r;
  return r ? &rows[r] : NULL;
}

size_t httpstatus_count(void)
{
  return ROW_COUNT;
}

const httpstatus_entry *httpstatus_at(size_t index)
{
  return index < ROW_COUNT ? &rows[index + 1] : NULL;
}

/* ------------------------------------------------------------------------ */

httpstatus_class httpstatus_class_of(int code)
{
  unsigned i = (unsigned)code - CODE_MIN;
  return i < 500u ? (httpstatus_class)(i / 100u + 1u) : HTTPSTATUS_CLASS_INVALID;
}

const char *httpstatus_class_name(httpstatus_class cls)
{
  static const char *const names[] = {
    [HTTPSTATUS_CLASS_INVALID] = "Invalid",
    [HTTPSTATUS_CLASS_INFORMATIONAL] = "Informational",
    [HTTPSTATUS_CLASS_SUCCESSFUL] = "Successful",
    [HTTPSTATUS_CLASS_REDIRECTION] = "Redirection",
    [HTTPSTATUS_CLASS_CLIENT_ERROR] = "Client Error",
    [HTTPSTATUS_CLASS_SERVER_ERROR] = "Server Error",
  };
  return (unsigned)cls < sizeof names / sizeof names[0] ? names[cls] : names[0];
}

bool httpstatus_is_informational(int code)
{
  return httpstatus_class_of(code) == HTTPSTATUS_CLASS_INFORMATIONAL;
}

bool httpstatus_is_success(int code)
{
  return httpstatus_class_of(code) == HTTPSTATUS_CLASS_SUCCESSFUL;
}

bool httpstatus_is_redirection(int code)
{
  return httpstatus_class_of(code) == HTTPSTATUS_CLASS_REDIRECTION;
}

bool httpstatus_is_client_error(int code)
{
  return httpstatus_class_of(code) == HTTPSTATUS_CLASS_CLIENT_ERROR;
}

bool httpstatus_is_server_error(int code)
{
  return httpstatus_class_of(code) == HTTPSTATUS_CLASS_SERVER_ERROR;
}

bool httpstatus_is_error(int code)
{
  return (unsigned)code - 400u < 200u;
}

const char *httpstatus_status_name(httpstatus_status status)
{
  static const char *const names[] = {
    [HTTPSTATUS_STATUS_STANDARD] = "standard",
    [HTTPSTATUS_STATUS_TEMPORARY] = "temporary",
    [HTTPSTATUS_STATUS_UNUSED] = "unused",
    [HTTPSTATUS_STATUS_OBSOLETE] = "obsolete",
    [HTTPSTATUS_STATUS_UNOFFICIAL] = "unofficial",
  };
  return (unsigned)status < sizeof names / sizeof names[0] ? names[status]
                                                           : "unknown";
}

/* ------------------------------------------------------------------------ */

const char *httpstatus_header_name(unsigned header)
{
  static const struct {
    unsigned bit;
    const char *name;
  } names[] = {
    {HTTPSTATUS_HEADER_LOCATION, "Location"},
    {HTTPSTATUS_HEADER_ALLOW, "Allow"},
    {HTTPSTATUS_HEADER_WWW_AUTHENTICATE, "WWW-Authenticate"},
    {HTTPSTATUS_HEADER_PROXY_AUTHENTICATE, "Proxy-Authenticate"},
    {HTTPSTATUS_HEADER_UPGRADE, "Upgrade"},
    {HTTPSTATUS_HEADER_CONTENT_RANGE, "Content-Range"},
    {HTTPSTATUS_HEADER_RETRY_AFTER, "Retry-After"},
    {HTTPSTATUS_HEADER_LINK, "Link"},
  };
  _Static_assert(sizeof names / sizeof names[0] == HTTPSTATUS_HEADER_COUNT,
                 "one name per header bit");
  for (size_t i = 0; i < HTTPSTATUS_HEADER_COUNT; i++)
    if (names[i].bit == header)
      return names[i].name;
  return NULL;
}

/* A code the catalog does not know has no flags beyond its class's: the
 * sentinel row has none, so only the 1xx rule needs adding. */
static unsigned flags_of(int code)
{
  unsigned class_flags = httpstatus_is_informational(code)
                             ? HTTPSTATUS_FLAG_NO_CONTENT | HTTPSTATUS_FLAG_NO_FRAMING
                             : 0u;
  return rows[row_of(code)].flags | class_flags;
}

bool httpstatus_allows_content(int code)
{
  return !(flags_of(code) & HTTPSTATUS_FLAG_NO_CONTENT);
}

bool httpstatus_is_cacheable(int code)
{
  return flags_of(code) & HTTPSTATUS_FLAG_CACHEABLE;
}

bool httpstatus_is_retryable(int code)
{
  return flags_of(code) & HTTPSTATUS_FLAG_RETRYABLE;
}

httpstatus_retry httpstatus_retry_of(int code)
{
  return rows[row_of(code)].retry;
}

const char *httpstatus_retry_name(httpstatus_retry retry)
{
  static const char *const names[] = {
    [HTTPSTATUS_RETRY_NO] = "no",
    [HTTPSTATUS_RETRY_LATER] = "later",
    [HTTPSTATUS_RETRY_OTHER_CONNECTION] = "another-connection",
    [HTTPSTATUS_RETRY_WITH_CREDENTIALS] = "with-credentials",
    [HTTPSTATUS_RETRY_CHANGED] = "after-change",
  };
  return (unsigned)retry < sizeof names / sizeof names[0] ? names[retry]
                                                         : "unknown";
}

const char *httpstatus_level_name(httpstatus_level level)
{
  static const char *const names[] = {
    [HTTPSTATUS_LEVEL_NONE] = "none",
    [HTTPSTATUS_LEVEL_MAY] = "MAY",
    [HTTPSTATUS_LEVEL_SHOULD] = "SHOULD",
    [HTTPSTATUS_LEVEL_MUST] = "MUST",
  };
  return (unsigned)level < sizeof names / sizeof names[0] ? names[level]
                                                         : names[0];
}

httpstatus_level httpstatus_entry_header_level(const httpstatus_entry *entry,
                                               unsigned header)
{
  bool one_bit = header != 0 && (header & (header - 1)) == 0;
  if (entry == NULL || !one_bit || !(entry->headers & header))
    return HTTPSTATUS_LEVEL_NONE;
  if (entry->must_headers & header)
    return HTTPSTATUS_LEVEL_MUST;
  return entry->should_headers & header ? HTTPSTATUS_LEVEL_SHOULD
                                        : HTTPSTATUS_LEVEL_MAY;
}

httpstatus_level httpstatus_header_level(int code, unsigned header)
{
  return httpstatus_entry_header_level(httpstatus_lookup(code), header);
}

httpstatus_framing httpstatus_framing_of(int code)
{
  unsigned f = flags_of(code);
  if (!(f & HTTPSTATUS_FLAG_NO_FRAMING))
    return HTTPSTATUS_FRAMING_CONTENT;
  return f & HTTPSTATUS_FLAG_FRAMING_OF_200 ? HTTPSTATUS_FRAMING_NONE_AS_200
                                            : HTTPSTATUS_FRAMING_NONE;
}

bool httpstatus_closes_without_response(int code)
{
  return flags_of(code) & HTTPSTATUS_FLAG_CLOSE_WITHOUT_RESPONSE;
}

bool httpstatus_switches_protocol(int code)
{
  return flags_of(code) & HTTPSTATUS_FLAG_SWITCHES_PROTOCOL;
}

unsigned httpstatus_headers(int code)
{
  return rows[row_of(code)].headers;
}
