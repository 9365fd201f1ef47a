/* SPDX-License-Identifier: MIT */
/*
 * httpstatus.h - the HTTP status code catalog as a C11 library.
 *
 * Every code of the IANA HTTP Status Code Registry with its registered reason
 * phrase and reference, plus the unofficial and vendor codes met in the wild,
 * each with its origin. One code may have several meanings (451: Unavailable
 * For Legal Reasons, and Microsoft's Exchange redirect); the registered one
 * always comes first.
 *
 * All data is immutable and statically allocated: every pointer this library
 * returns stays valid for the life of the program and must not be freed. No
 * function allocates, prints, exits or keeps state, so all of them are safe to
 * call from any number of threads without initialisation.
 */
#ifndef HTTPSTATUS_H
#define HTTPSTATUS_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32) && defined(HTTPSTATUS_SHARED)
#  ifdef HTTPSTATUS_BUILDING
#    define HTTPSTATUS_EXTERN __declspec(dllexport)
#  else
#    define HTTPSTATUS_EXTERN __declspec(dllimport)
#  endif
#elif defined(__GNUC__)
#  define HTTPSTATUS_EXTERN __attribute__((visibility("default")))
#else
#  define HTTPSTATUS_EXTERN
#endif

#define HTTPSTATUS_VERSION_MAJOR 0
#define HTTPSTATUS_VERSION_MINOR 1
#define HTTPSTATUS_VERSION_PATCH 0
#define HTTPSTATUS_VERSION_STRING "0.1.0"

/* Returns the library's version as "MAJOR.MINOR.PATCH". */
HTTPSTATUS_EXTERN const char *httpstatus_version(void);

/* ------------------------------------------------------------------------ */
/* Classes (RFC 9110, Section 15) */

typedef enum httpstatus_class {
  HTTPSTATUS_CLASS_INVALID = 0, /* outside 100-599 */
  HTTPSTATUS_CLASS_INFORMATIONAL = 1,
  HTTPSTATUS_CLASS_SUCCESSFUL = 2,
  HTTPSTATUS_CLASS_REDIRECTION = 3,
  HTTPSTATUS_CLASS_CLIENT_ERROR = 4,
  HTTPSTATUS_CLASS_SERVER_ERROR = 5
} httpstatus_class;

/* Returns the class of any integer: its first digit for 100-599,
 * HTTPSTATUS_CLASS_INVALID for everything else (including 600-999). */
HTTPSTATUS_EXTERN httpstatus_class httpstatus_class_of(int code);

/* Returns the class's name as RFC 9110 titles it ("Informational",
 * "Successful", "Redirection", "Client Error", "Server Error"), or "Invalid"
 * for HTTPSTATUS_CLASS_INVALID and values outside the enum. Never NULL. */
HTTPSTATUS_EXTERN const char *httpstatus_class_name(httpstatus_class cls);

/* Each returns true when the code is in 100-599 and of that class, false
 * otherwise; the spirit of Python's HTTPStatus.is_success and friends. */
HTTPSTATUS_EXTERN bool httpstatus_is_informational(int code);
HTTPSTATUS_EXTERN bool httpstatus_is_success(int code);
HTTPSTATUS_EXTERN bool httpstatus_is_redirection(int code);
HTTPSTATUS_EXTERN bool httpstatus_is_client_error(int code);
HTTPSTATUS_EXTERN bool httpstatus_is_server_error(int code);
/* True for client and server errors (400-599). */
HTTPSTATUS_EXTERN bool httpstatus_is_error(int code);

/* ------------------------------------------------------------------------ */
/* Named codes */

/* One XX(code, ID) per code the catalog knows, in code order; ID names the
 * code's first (registered, or best-known) meaning. catalog.def's rows are
 * checked against this list when the library is built, so the two cannot
 * drift apart. Expand it for tables of your own:
 *   #define XX(code, id) case code: return #id;
 *   HTTPSTATUS_CODE_MAP(XX)
 *   #undef XX */
#define HTTPSTATUS_CODE_MAP(XX) \
  XX(100, CONTINUE) \
  XX(101, SWITCHING_PROTOCOLS) \
  XX(102, PROCESSING) \
  XX(103, EARLY_HINTS) \
  XX(104, UPLOAD_RESUMPTION_SUPPORTED) \
  XX(122, IE_REQUEST_URI_TOO_LONG) \
  XX(200, OK) \
  XX(201, CREATED) \
  XX(202, ACCEPTED) \
  XX(203, NON_AUTHORITATIVE_INFORMATION) \
  XX(204, NO_CONTENT) \
  XX(205, RESET_CONTENT) \
  XX(206, PARTIAL_CONTENT) \
  XX(207, MULTI_STATUS) \
  XX(208, ALREADY_REPORTED) \
  XX(218, THIS_IS_FINE) \
  XX(226, IM_USED) \
  XX(300, MULTIPLE_CHOICES) \
  XX(301, MOVED_PERMANENTLY) \
  XX(302, FOUND) \
  XX(303, SEE_OTHER) \
  XX(304, NOT_MODIFIED) \
  XX(305, USE_PROXY) \
  XX(306, SWITCH_PROXY) \
  XX(307, TEMPORARY_REDIRECT) \
  XX(308, PERMANENT_REDIRECT) \
  XX(400, BAD_REQUEST) \
  XX(401, UNAUTHORIZED) \
  XX(402, PAYMENT_REQUIRED) \
  XX(403, FORBIDDEN) \
  XX(404, NOT_FOUND) \
  XX(405, METHOD_NOT_ALLOWED) \
  XX(406, NOT_ACCEPTABLE) \
  XX(407, PROXY_AUTHENTICATION_REQUIRED) \
  XX(408, REQUEST_TIMEOUT) \
  XX(409, CONFLICT) \
  XX(410, GONE) \
  XX(411, LENGTH_REQUIRED) \
  XX(412, PRECONDITION_FAILED) \
  XX(413, CONTENT_TOO_LARGE) \
  XX(414, URI_TOO_LONG) \
  XX(415, UNSUPPORTED_MEDIA_TYPE) \
  XX(416, RANGE_NOT_SATISFIABLE) \
  XX(417, EXPECTATION_FAILED) \
  XX(418, IM_A_TEAPOT) \
  XX(419, PAGE_EXPIRED) \
  XX(420, ENHANCE_YOUR_CALM) \
  XX(421, MISDIRECTED_REQUEST) \
  XX(422, UNPROCESSABLE_CONTENT) \
  XX(423, LOCKED) \
  XX(424, FAILED_DEPENDENCY) \
  XX(425, TOO_EARLY) \
  XX(426, UPGRADE_REQUIRED) \
  XX(428, PRECONDITION_REQUIRED) \
  XX(429, TOO_MANY_REQUESTS) \
  XX(430, SHOPIFY_REQUEST_HEADER_FIELDS_TOO_LARGE) \
  XX(431, REQUEST_HEADER_FIELDS_TOO_LARGE) \
  XX(440, LOGIN_TIME_OUT) \
  XX(444, NO_RESPONSE) \
  XX(449, RETRY_WITH) \
  XX(450, BLOCKED_BY_WINDOWS_PARENTAL_CONTROLS) \
  XX(451, UNAVAILABLE_FOR_LEGAL_REASONS) \
  XX(460, AWS_CLIENT_CLOSED_CONNECTION) \
  XX(463, AWS_TOO_MANY_FORWARDED_FOR) \
  XX(464, AWS_INCOMPATIBLE_PROTOCOL) \
  XX(494, REQUEST_HEADER_TOO_LARGE) \
  XX(495, SSL_CERTIFICATE_ERROR) \
  XX(496, SSL_CERTIFICATE_REQUIRED) \
  XX(497, HTTP_REQUEST_SENT_TO_HTTPS_PORT) \
  XX(498, INVALID_TOKEN) \
  XX(499, CLIENT_CLOSED_REQUEST) \
  XX(500, INTERNAL_SERVER_ERROR) \
  XX(501, NOT_IMPLEMENTED) \
  XX(502, BAD_GATEWAY) \
  XX(503, SERVICE_UNAVAILABLE) \
  XX(504, GATEWAY_TIMEOUT) \
  XX(505, HTTP_VERSION_NOT_SUPPORTED) \
  XX(506, VARIANT_ALSO_NEGOTIATES) \
  XX(507, INSUFFICIENT_STORAGE) \
  XX(508, LOOP_DETECTED) \
  XX(509, BANDWIDTH_LIMIT_EXCEEDED) \
  XX(510, NOT_EXTENDED) \
  XX(511, NETWORK_AUTHENTICATION_REQUIRED) \
  XX(520, WEB_SERVER_RETURNED_UNKNOWN_ERROR) \
  XX(521, WEB_SERVER_IS_DOWN) \
  XX(522, CONNECTION_TIMED_OUT) \
  XX(523, ORIGIN_IS_UNREACHABLE) \
  XX(524, A_TIMEOUT_OCCURRED) \
  XX(525, SSL_HANDSHAKE_FAILED) \
  XX(526, INVALID_SSL_CERTIFICATE) \
  XX(527, RAILGUN_ERROR) \
  XX(529, SITE_IS_OVERLOADED) \
  XX(530, ORIGIN_UNAVAILABLE) \
  XX(540, TEMPORARILY_DISABLED) \
  XX(561, AWS_UNAUTHORIZED) \
  XX(598, NETWORK_READ_TIMEOUT_ERROR) \
  XX(599, NETWORK_CONNECT_TIMEOUT_ERROR) \
  XX(783, UNEXPECTED_TOKEN) \
  XX(999, REQUEST_DENIED)

/* HTTPSTATUS_CODE_NOT_FOUND = 404, HTTPSTATUS_CODE_OK = 200, ...: a name for
 * every code of HTTPSTATUS_CODE_MAP, so no caller writes a bare number. */
typedef enum httpstatus_code {
#define HTTPSTATUS_CODE_ENUM_(code, id) HTTPSTATUS_CODE_##id = (code),
  HTTPSTATUS_CODE_MAP(HTTPSTATUS_CODE_ENUM_)
#undef HTTPSTATUS_CODE_ENUM_
} httpstatus_code;

/* ------------------------------------------------------------------------ */
/* Catalog entries */

/* Where an entry stands. */
typedef enum httpstatus_status {
  HTTPSTATUS_STATUS_STANDARD = 0,   /* registered with IANA */
  HTTPSTATUS_STATUS_TEMPORARY = 1,  /* a temporary IANA registration */
  HTTPSTATUS_STATUS_UNUSED = 2,     /* registry lists it "(Unused)": 306, 418 */
  HTTPSTATUS_STATUS_OBSOLETE = 3,   /* registry lists it "(OBSOLETED)": 510 */
  HTTPSTATUS_STATUS_UNOFFICIAL = 4  /* not registered: a vendor's or a custom */
} httpstatus_status;

/* Returns "standard", "temporary", "unused", "obsolete" or "unofficial";
 * "unknown" for a value outside the enum. Never NULL. */
HTTPSTATUS_EXTERN const char *httpstatus_status_name(httpstatus_status status);

/* Header fields a response with a given code must or should carry
 * (RFC 9110 and the RFC defining the code), as a bit set. */
typedef enum httpstatus_header {
  HTTPSTATUS_HEADER_LOCATION = 1u << 0,           /* 3xx redirects */
  HTTPSTATUS_HEADER_ALLOW = 1u << 1,              /* 405 */
  HTTPSTATUS_HEADER_WWW_AUTHENTICATE = 1u << 2,   /* 401 */
  HTTPSTATUS_HEADER_PROXY_AUTHENTICATE = 1u << 3, /* 407 */
  HTTPSTATUS_HEADER_UPGRADE = 1u << 4,            /* 101, 426 */
  HTTPSTATUS_HEADER_CONTENT_RANGE = 1u << 5,      /* 206, 416 */
  HTTPSTATUS_HEADER_RETRY_AFTER = 1u << 6,        /* 429, 503 */
  HTTPSTATUS_HEADER_LINK = 1u << 7                /* 103 */
} httpstatus_header;

#define HTTPSTATUS_HEADER_COUNT 8

/* Returns the field name of one HTTPSTATUS_HEADER_* bit ("Location",
 * "WWW-Authenticate", ...), or NULL when `header` is not exactly one
 * known bit. */
HTTPSTATUS_EXTERN const char *httpstatus_header_name(unsigned header);

/* Protocol properties of an entry, as a bit set. */
typedef enum httpstatus_flag {
  /* A response with this code never has content (1xx, 204, 205, 304). */
  HTTPSTATUS_FLAG_NO_CONTENT = 1u << 0,
  /* Heuristically cacheable by default (RFC 9110, Section 15.1). */
  HTTPSTATUS_FLAG_CACHEABLE = 1u << 1,
  /* The same request, unchanged, may succeed if sent again: later (408,
   * 429, 503, ...) or on another connection (421). Derived from the
   * entry's `retry`. */
  HTTPSTATUS_FLAG_RETRYABLE = 1u << 2,
  /* The response ends with its header section, whatever its fields say
   * (RFC 9112, Section 6.3, rule 1): 1xx, 204, 304. */
  HTTPSTATUS_FLAG_NO_FRAMING = 1u << 3,
  /* Content-Length and Transfer-Encoding, if sent, describe the 200 that
   * an unconditional GET would have got, as for HEAD (RFC 9110, Section
   * 8.6; RFC 9112, Section 6.1): 304. */
  HTTPSTATUS_FLAG_FRAMING_OF_200 = 1u << 4,
  /* Not a response at all: the server closes the connection without
   * sending anything (nginx's 444). */
  HTTPSTATUS_FLAG_CLOSE_WITHOUT_RESPONSE = 1u << 5,
  /* Sending it switches the connection to the protocol named in its
   * Upgrade field, one the request's Upgrade offered (RFC 9110, Sections
   * 7.8 and 15.2.2): 101. */
  HTTPSTATUS_FLAG_SWITCHES_PROTOCOL = 1u << 6
} httpstatus_flag;

/* Whether resending a request can succeed, and how (the defining section's
 * advice, or the vendor's). */
typedef enum httpstatus_retry {
  HTTPSTATUS_RETRY_NO = 0,               /* not without changing something */
  HTTPSTATUS_RETRY_LATER = 1,            /* the same request, later (408,
                                            429, 503: Retry-After says when) */
  HTTPSTATUS_RETRY_OTHER_CONNECTION = 2, /* the same request on another
                                            connection (421) */
  HTTPSTATUS_RETRY_WITH_CREDENTIALS = 3, /* after (re)authenticating: 401,
                                            407, 511 */
  HTTPSTATUS_RETRY_CHANGED = 4           /* after changing the request as the
                                            response says: 411, 413, 414,
                                            417, 428, 431 */
} httpstatus_retry;

/* Returns "no", "later", "another-connection", "with-credentials" or
 * "after-change" (the JSON "retry" values); "unknown" for a value outside
 * the enum. Never NULL. */
HTTPSTATUS_EXTERN const char *httpstatus_retry_name(httpstatus_retry retry);

/* How strongly the defining section asks for a header field (RFC 2119). */
typedef enum httpstatus_level {
  HTTPSTATUS_LEVEL_NONE = 0, /* the catalog names no such field */
  HTTPSTATUS_LEVEL_MAY = 1,
  HTTPSTATUS_LEVEL_SHOULD = 2,
  HTTPSTATUS_LEVEL_MUST = 3
} httpstatus_level;

/* Returns "MUST", "SHOULD", "MAY", or "none" for HTTPSTATUS_LEVEL_NONE and
 * values outside the enum. Never NULL. */
HTTPSTATUS_EXTERN const char *httpstatus_level_name(httpstatus_level level);

/* One meaning of one code. Strings are NUL-terminated UTF-8 (in practice
 * ASCII). */
typedef struct httpstatus_entry {
  int code;                   /* 100-599; 783 and 999 are seen in the wild */
  const char *phrase;         /* reason phrase: the registered one, exactly,
                                 for registered codes */
  const char *summary;        /* one line in plain words, never empty */
  httpstatus_status status;
  const char *origin;         /* who defined or uses it: "RFC 9110", "nginx",
                                 "Cloudflare", "Microsoft IIS", ... */
  const char *reference;      /* "RFC 9110, Section 15.5.5"; NULL if none */
  const char *url;            /* URL of that reference; NULL if none */
  const char *const *aliases; /* former or other phrases, NULL-terminated;
                                 never NULL itself (may be empty) */
  unsigned headers;           /* HTTPSTATUS_HEADER_* bits: every field the
                                 defining section names (MUST, SHOULD or
                                 MAY) */
  unsigned flags;             /* HTTPSTATUS_FLAG_* bits */
  /* Read these through the functions below where one exists. */
  unsigned must_headers;      /* the part of `headers` that MUST be sent */
  unsigned should_headers;    /* the part that SHOULD be sent; the rest of
                                 `headers` MAY be */
  httpstatus_retry retry;     /* how a retry can succeed */
  const char *const *keywords; /* words people search this meaning by
                                 ("rate limit"), NULL-terminated; never
                                 NULL itself (may be empty) */
  const char *name;           /* the meaning's identifier: "NOT_FOUND";
                                 HTTPSTATUS_CODE_<name> for a code's first
                                 meaning */
} httpstatus_entry;

/* Returns the reason phrase of `code`: the registered phrase for a
 * registered code, otherwise the best-known phrase of an unofficial code
 * (599: "Network Connect Timeout Error"). Returns NULL for a code nobody
 * uses (0, 99, 600, 1000, negative). O(1). */
HTTPSTATUS_EXTERN const char *httpstatus_reason(int code);

/* Returns the first (registered, or best-known) entry for `code`, or NULL
 * when the catalog has none. O(1). */
HTTPSTATUS_EXTERN const httpstatus_entry *httpstatus_lookup(int code);

/* Returns every meaning of `code` as a contiguous run of entries, the
 * registered one first, and stores their number in `*count` (when `count`
 * is not NULL). Returns NULL and stores 0 when the catalog has none.
 * O(1) to find the run. */
HTTPSTATUS_EXTERN const httpstatus_entry *httpstatus_meanings(int code,
                                                              size_t *count);

/* Returns the number of entries in the catalog. */
HTTPSTATUS_EXTERN size_t httpstatus_count(void);

/* Returns entry `index` of the catalog, in code order (meanings of one code
 * in the order of httpstatus_meanings), or NULL when index >= count.
 *   for (size_t i = 0; (e = httpstatus_at(i)) != NULL; i++) ... */
HTTPSTATUS_EXTERN const httpstatus_entry *httpstatus_at(size_t index);

/* ------------------------------------------------------------------------ */
/* Protocol properties of a code. Codes the catalog does not know get the
 * rules of their class (any 1xx has no content) and nothing else. */

/* Returns false when a response with `code` must not have content (1xx, 204,
 * 205, 304), true otherwise. A response to HEAD never has content either;
 * that is the caller's concern. */
HTTPSTATUS_EXTERN bool httpstatus_allows_content(int code);

/* Returns true when a response with `code` is heuristically cacheable by
 * default (RFC 9110, Section 15.1: 200 203 204 206 300 301 308 404 405 410
 * 414 501). */
HTTPSTATUS_EXTERN bool httpstatus_is_cacheable(int code);

/* Returns true when sending the same request again, unchanged, can succeed:
 * later (HTTPSTATUS_RETRY_LATER) or on another connection
 * (HTTPSTATUS_RETRY_OTHER_CONNECTION). The "retryable" of the JSON. */
HTTPSTATUS_EXTERN bool httpstatus_is_retryable(int code);

/* Returns how a retry after `code` can succeed (the code's first meaning);
 * HTTPSTATUS_RETRY_NO for a code the catalog does not know. */
HTTPSTATUS_EXTERN httpstatus_retry httpstatus_retry_of(int code);

/* Returns how strongly a response with the code of `entry` is asked to carry
 * `header` (one HTTPSTATUS_HEADER_* bit): 401 WWW-Authenticate is MUST,
 * 301 Location SHOULD, 429 Retry-After MAY. HTTPSTATUS_LEVEL_NONE when the
 * entry names no such field, `header` is not one bit, or entry is NULL. */
HTTPSTATUS_EXTERN httpstatus_level
httpstatus_entry_header_level(const httpstatus_entry *entry, unsigned header);

/* httpstatus_entry_header_level for the first meaning of `code`. */
HTTPSTATUS_EXTERN httpstatus_level httpstatus_header_level(int code,
                                                           unsigned header);

/* How a response with a code is framed on an HTTP/1.1 connection
 * (RFC 9112, Section 6.3; RFC 9110, Section 8.6). */
typedef enum httpstatus_framing {
  /* Framed as usual: Content-Length, chunked, or the connection's close;
   * content may still be empty (205 sends Content-Length: 0). */
  HTTPSTATUS_FRAMING_CONTENT = 0,
  /* 1xx and 204: ends with its header section; the server MUST NOT send
   * Content-Length or Transfer-Encoding. */
  HTTPSTATUS_FRAMING_NONE = 1,
  /* 304: ends with its header section; Content-Length or Transfer-Encoding
   * may be sent only as they would be for a 200 to the same request. */
  HTTPSTATUS_FRAMING_NONE_AS_200 = 2
} httpstatus_framing;

/* Returns how a response with `code` is framed. Codes the catalog does not
 * know are framed by their class: 1xx HTTPSTATUS_FRAMING_NONE, anything
 * else HTTPSTATUS_FRAMING_CONTENT. A response to HEAD is never framed by
 * its content either; that is the caller's concern. */
HTTPSTATUS_EXTERN httpstatus_framing httpstatus_framing_of(int code);

/* Returns true when "answering" `code` means closing the connection without
 * sending any response (nginx's 444), false for every other code. */
HTTPSTATUS_EXTERN bool httpstatus_closes_without_response(int code);

/* Returns true when a response with `code` switches the connection to
 * another protocol (101): it may only be sent to a request whose Upgrade
 * field offered that protocol, and it carries an Upgrade field naming it.
 * False for every other code (426 asks for an upgrade, it does not switch). */
HTTPSTATUS_EXTERN bool httpstatus_switches_protocol(int code);

/* Returns the HTTPSTATUS_HEADER_* bits of every field a response with `code`
 * must, should or may carry (httpstatus_header_level says which); 0 when
 * none (or the code is unknown). */
HTTPSTATUS_EXTERN unsigned httpstatus_headers(int code);

/* ------------------------------------------------------------------------ */
/* Parsing and validation */

/* Error codes. Every failing function below returns one of these (< 0). */
typedef enum httpstatus_error {
  HTTPSTATUS_OK = 0,
  HTTPSTATUS_E_SYNTAX = -1,    /* not three ASCII digits, or malformed line */
  HTTPSTATUS_E_RANGE = -2,     /* three digits but outside 100-599 */
  HTTPSTATUS_E_VERSION = -3,   /* status line: bad or missing HTTP-version */
  HTTPSTATUS_E_PHRASE = -4,    /* status line: control character in phrase */
  HTTPSTATUS_E_TOO_LONG = -5   /* status line: longer than the limit */
} httpstatus_error;

/* Returns a short English description of an httpstatus_error value;
 * "unknown error" for any other value. Never NULL. */
HTTPSTATUS_EXTERN const char *httpstatus_strerror(int error);

/* Checks an integer the way Rust's StatusCode::from_u16 does. Returns
 * HTTPSTATUS_OK for 100-599, HTTPSTATUS_E_RANGE for 600-999 (three digits,
 * outside the valid range, yet seen in the wild), HTTPSTATUS_E_SYNTAX for
 * anything else. */
HTTPSTATUS_EXTERN int httpstatus_validate(int code);

/* Parses `len` bytes at `text` as a status code: exactly three ASCII digits,
 * the first 1-9, nothing else (no sign, no space). On success stores the code
 * in `*code` and returns HTTPSTATUS_OK. Returns HTTPSTATUS_E_RANGE, with
 * `*code` stored, for 600-999, and HTTPSTATUS_E_SYNTAX otherwise (`*code`
 * untouched). `text` may be NULL when len is 0. */
HTTPSTATUS_EXTERN int httpstatus_parse_code(const char *text, size_t len,
                                            int *code);

/* Longest status line httpstatus_parse_status_line accepts, in bytes,
 * line terminator included. */
#define HTTPSTATUS_STATUS_LINE_MAX 8192

/* A parsed status line. `phrase` points into the parsed text (valid while
 * the caller's buffer is) and is not NUL-terminated. */
typedef struct httpstatus_status_line {
  int major;          /* HTTP-version major digit */
  int minor;          /* minor digit; 0 when the line had none ("HTTP/2") */
  int code;           /* 100-999 */
  const char *phrase; /* reason phrase as sent, possibly empty */
  size_t phrase_len;
} httpstatus_status_line;

/* Parses one status line: "HTTP/1.1 404 Not Found", "HTTP/1.0 200",
 * "HTTP/2 404", "HTTP/2.0 200 OK", with or without a final CRLF or LF.
 * The version is "HTTP/" DIGIT ["." DIGIT]; the code three digits 100-999;
 * the phrase any printable characters, spaces and tabs (obs-text allowed).
 * Returns HTTPSTATUS_OK and fills `*out`, or an error (`*out` unspecified):
 * HTTPSTATUS_E_VERSION, HTTPSTATUS_E_SYNTAX (missing space, bad code, bytes
 * after the terminator), HTTPSTATUS_E_PHRASE, HTTPSTATUS_E_TOO_LONG. */
HTTPSTATUS_EXTERN int httpstatus_parse_status_line(const char *text,
                                                   size_t len,
                                                   httpstatus_status_line *out);

/* ------------------------------------------------------------------------ */
/* Search */

/* Finds the entries matching `query`, best first. The query is cut into
 * words at white space and punctuation; a word written as code is cut at
 * '_', '.' and case changes, and its namespace dropped (TOO_MANY_REQUESTS,
 * HTTPStatus.NOT_FOUND, StatusNotFound, HTTP_STATUS_NOT_FOUND; a CamelCase
 * word is also read as typed, so WebDAV still finds webdav). An entry
 * matches when the whole query equals its phrase, a former phrase or a
 * keyword (case and punctuation aside), or when every word is a word of its
 * code, phrase, former phrases, keywords, summary or origin: equal, or the
 * start of it (words of 3 letters or more), or so once a plural or -ed,
 * -ing ending is cut ("timeouts" finds Timeout). Words never match inside
 * a word: "not" does not match "another". Matches are ranked: whole query
 * equal, then every word in the phrase, then in the keywords, the summary,
 * the origin (an entry ranks by its least good word); registered before
 * unofficial within a rank; catalog (code) order last. Stores up to `max`
 * matches in `out` in that order and returns the total number of matches
 * (which may exceed `max`; `out` may be NULL when max is 0). A query without
 * words, or with more than 32, matches nothing. ASCII case is ignored,
 * other bytes compared exactly. No allocation; time is linear in the
 * catalog size times the query length. */
HTTPSTATUS_EXTERN size_t httpstatus_search(const char *query,
                                           const httpstatus_entry **out,
                                           size_t max);

/* ------------------------------------------------------------------------ */
/* Constant names */

/* Writes the `index`-th identifier code uses for `entry` into `buf` (at most
 * `size` bytes, NUL-terminated when size > 0) and returns its full length
 * like snprintf; returns 0 when there is no such index. Index 0 is this
 * library's constant (HTTPSTATUS_CODE_NOT_FOUND) when `entry` is its code's
 * first meaning; then come the SCREAMING_SNAKE and CamelCase spellings of
 * the phrase (NOT_FOUND, NotFound) and of each former phrase, as Python's
 * HTTPStatus, Spring's HttpStatus, Go's net/http (Status + CamelCase) and
 * .NET's HttpStatusCode build their names:
 *   for (size_t i = 0; httpstatus_constant(e, i, buf, sizeof buf); i++) */
HTTPSTATUS_EXTERN size_t httpstatus_constant(const httpstatus_entry *entry,
                                             size_t index, char *buf,
                                             size_t size);

/* ------------------------------------------------------------------------ */
/* JSON */

/* Writes `entry` as one JSON object into `buf` (at most `size` bytes,
 * NUL-terminated when size > 0) and returns the length the full object has,
 * excluding the NUL, like snprintf: the output is complete only when the
 * return value is < size. Keys, in this order, are stable:
 *   code (number), description (the phrase, as httpstat.us names it),
 *   phrase, summary, class ("4xx"; null outside 100-599), status, origin,
 *   reference (null if none), url (null if none), aliases (array of
 *   strings), content (bool: content allowed), cacheable (bool),
 *   retryable (bool), headers (array of field names), then, added later:
 *   fields (object: field name -> "MUST", "SHOULD" or "MAY"), retry
 *   ("no", "later", "another-connection", "with-credentials",
 *   "after-change"), keywords (array of strings), constants (array of
 *   strings, as httpstatus_constant lists them).
 * Strings are escaped per RFC 8259; bytes that are not valid UTF-8 become
 * U+FFFD. */
HTTPSTATUS_EXTERN size_t httpstatus_json(const httpstatus_entry *entry,
                                         char *buf, size_t size);

/* Writes `len` bytes at `text` as a quoted JSON string into `buf` with
 * snprintf semantics, as httpstatus_json does for its strings; returns the
 * full length. Lets callers emit JSON consistent with the catalog's. */
HTTPSTATUS_EXTERN size_t httpstatus_json_string(const char *text, size_t len,
                                                char *buf, size_t size);

/* ------------------------------------------------------------------------ */
/* Explanations */

/* A code explained in plain English, for people: every meaning the catalog
 * has for it, when to send it, what clients do, the usual mistakes. Prose
 * fields are UTF-8 paragraphs of one line each, separated by "\n\n", with no
 * final newline; reflow them to any width. */
typedef struct httpstatus_explanation {
  int code;
  const char *meaning;  /* what the code means: registered meaning first */
  const char *send;     /* when a server should send it, and when not */
  const char *clients;  /* what browsers, curl, fetch, caches... do with it */
  const char *mistakes; /* the usual confusions, naming the other codes */
  const int *related;   /* related codes, each in the catalog, not `code` */
  size_t related_count;
  const char *example;  /* one exchange, verbatim: request, blank line,
                           response head; lines end in "\n" (not CRLF) */
} httpstatus_explanation;

/* Returns the explanation of `code`, or NULL when there is none (a code
 * outside the catalog, or one not yet explained). O(1). */
HTTPSTATUS_EXTERN const httpstatus_explanation *httpstatus_explain(int code);

/* Writes `x` as one JSON object into `buf` with the snprintf semantics of
 * httpstatus_json and returns the full length. Keys, in this order, are
 * stable: code (number), phrase (the catalog's first phrase), meaning, send,
 * clients, mistakes (strings), related (array of numbers), example
 * (string). NULL `x` writes null. */
HTTPSTATUS_EXTERN size_t httpstatus_explanation_json(
    const httpstatus_explanation *x, char *buf, size_t size);

#ifdef __cplusplus
}
#endif

#endif /* HTTPSTATUS_H */
