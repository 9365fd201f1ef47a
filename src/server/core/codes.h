/* SPDX-License-Identifier: MIT */
/*
 * core/codes.h - the status codes the server names itself come from the
 * library (HTTPSTATUS_CODE_* and the catalog's rules). Until the library
 * exports them, the few used here are spelled out below; this block goes
 * away when it does.
 */
#ifndef SRV_CORE_CODES_H
#define SRV_CORE_CODES_H

#include "httpstatus.h"

#ifndef HTTPSTATUS_CODE_MAP
enum {
  HTTPSTATUS_CODE_CONTINUE = 100,
  HTTPSTATUS_CODE_SWITCHING_PROTOCOLS = 101,
  HTTPSTATUS_CODE_OK = 200,
  HTTPSTATUS_CODE_NO_CONTENT = 204,
  HTTPSTATUS_CODE_NOT_MODIFIED = 304,
  HTTPSTATUS_CODE_BAD_REQUEST = 400,
  HTTPSTATUS_CODE_NOT_FOUND = 404,
  HTTPSTATUS_CODE_METHOD_NOT_ALLOWED = 405,
  HTTPSTATUS_CODE_REQUEST_TIMEOUT = 408,
  HTTPSTATUS_CODE_CONTENT_TOO_LARGE = 413,
  HTTPSTATUS_CODE_URI_TOO_LONG = 414,
  HTTPSTATUS_CODE_EXPECTATION_FAILED = 417,
  HTTPSTATUS_CODE_REQUEST_HEADER_FIELDS_TOO_LARGE = 431,
  HTTPSTATUS_CODE_NO_RESPONSE = 444,
  HTTPSTATUS_CODE_INTERNAL_SERVER_ERROR = 500,
  HTTPSTATUS_CODE_SERVICE_UNAVAILABLE = 503,
  HTTPSTATUS_CODE_HTTP_VERSION_NOT_SUPPORTED = 505
};
typedef enum httpstatus_framing {
  HTTPSTATUS_FRAMING_CONTENT = 0,
  HTTPSTATUS_FRAMING_NONE = 1,
  HTTPSTATUS_FRAMING_NONE_AS_200 = 2
} httpstatus_framing;
static inline httpstatus_framing httpstatus_framing_of(int code)
{
  return httpstatus_is_informational(code) || code == 204 ? HTTPSTATUS_FRAMING_NONE
         : code == 304                                   ? HTTPSTATUS_FRAMING_NONE_AS_200
                                                         : HTTPSTATUS_FRAMING_CONTENT;
}
static inline bool httpstatus_closes_without_response(int code)
{
  return code == 444;
}
static inline bool httpstatus_switches_protocol(int code)
{
  return httpstatus_is_informational(code) &&
         (httpstatus_headers(code) & HTTPSTATUS_HEADER_UPGRADE);
}
#endif

/* The first and last code the server answers with. */
#define SRV_FIRST_CODE 100
#define SRV_LAST_CODE 999

#endif
