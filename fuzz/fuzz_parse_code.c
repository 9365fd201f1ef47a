/* SPDX-License-Identifier: MIT */
/*
 * fuzz_parse_code.c - httpstatus_parse_code on any bytes, and every
 * function taking an int code on the int the first bytes spell: each
 * agrees with the others and with what the header says.
 */
#include <string.h>

#include "fuzz.h"
#include "httpstatus.h"

static bool is_digit(uint8_t c)
{
  return c >= '0' && c <= '9';
}

static void check_parse_code(const uint8_t *data, size_t size)
{
  int code = -7;
  int rc = httpstatus_parse_code((const char *)data, size, &code);
  if (size == 3 && data[0] >= '1' && data[0] <= '9' && is_digit(data[1]) &&
      is_digit(data[2])) {
    int value = (data[0] - '0') * 100 + (data[1] - '0') * 10 + (data[2] - '0');
    FUZZ_CHECK(code == value);
    FUZZ_CHECK(rc == (value <= 599 ? HTTPSTATUS_OK : HTTPSTATUS_E_RANGE));
    FUZZ_CHECK(rc == httpstatus_validate(value));
  } else {
    FUZZ_CHECK(rc == HTTPSTATUS_E_SYNTAX && code == -7);
  }
}

static void check_int_functions(int code)
{
  httpstatus_class cls = httpstatus_class_of(code);
  const httpstatus_entry *first = httpstatus_lookup(code);
  size_t n = 99;
  const httpstatus_entry *all = httpstatus_meanings(code, &n);

  FUZZ_CHECK((cls != HTTPSTATUS_CLASS_INVALID) == (code >= 100 && code <= 599));
  FUZZ_CHECK((httpstatus_validate(code) == HTTPSTATUS_OK) == (cls != HTTPSTATUS_CLASS_INVALID));
  FUZZ_CHECK(httpstatus_class_name(cls) != NULL);
  FUZZ_CHECK(httpstatus_is_informational(code) == (cls == HTTPSTATUS_CLASS_INFORMATIONAL));
  FUZZ_CHECK(httpstatus_is_success(code) == (cls == HTTPSTATUS_CLASS_SUCCESSFUL));
  FUZZ_CHECK(httpstatus_is_redirection(code) == (cls == HTTPSTATUS_CLASS_REDIRECTION));
  FUZZ_CHECK(httpstatus_is_client_error(code) == (cls == HTTPSTATUS_CLASS_CLIENT_ERROR));
  FUZZ_CHECK(httpstatus_is_server_error(code) == (cls == HTTPSTATUS_CLASS_SERVER_ERROR));
  FUZZ_CHECK(httpstatus_is_error(code) ==
             (httpstatus_is_client_error(code) || httpstatus_is_server_error(code)));

  FUZZ_CHECK(httpstatus_reason(code) == (first ? first->phrase : NULL));
  FUZZ_CHECK(all == first && (n > 0) == (first != NULL));
  for (size_t i = 0; i < n; i++) {
    FUZZ_CHECK(all[i].code == code && all[i].phrase && all[i].summary[0]);
    FUZZ_CHECK(all[i].aliases != NULL && all[i].origin != NULL);
  }
  if (!first)
    FUZZ_CHECK(httpstatus_headers(code) == 0 && !httpstatus_is_cacheable(code));
  if (cls == HTTPSTATUS_CLASS_INFORMATIONAL)
    FUZZ_CHECK(!httpstatus_allows_content(code));

  unsigned bits = (unsigned)code;
  bool one_known_bit = bits && !(bits & (bits - 1)) && bits < (1u << HTTPSTATUS_HEADER_COUNT);
  FUZZ_CHECK((httpstatus_header_name(bits) != NULL) == one_known_bit);
  FUZZ_CHECK(httpstatus_status_name((httpstatus_status)code) != NULL);
  FUZZ_CHECK((httpstatus_at(bits) != NULL) == (bits < httpstatus_count()));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  int code;
  check_parse_code(data, size);
  if (size >= sizeof code) {
    memcpy(&code, data, sizeof code);
    check_int_functions(code);
  }
  return 0;
}
