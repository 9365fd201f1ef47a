/* SPDX-License-Identifier: MIT */
/*
 * util/date.c - HTTP-dates (RFC 9110, Section 5.6.7): the Date field and the
 * access log's date, formatted at most once per second per worker; any
 * moment as an IMF-fixdate (Last-Modified); and the parser of the three
 * formats a recipient accepts (If-Modified-Since and its kin).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "srv.h"

static const char *const days[7] = {"Sun", "Mon", "Tue", "Wed",
                                    "Thu", "Fri", "Sat"};
static const char *const long_days[7] = {"Sunday",   "Monday", "Tuesday",
                                         "Wednesday", "Thursday", "Friday",
                                         "Saturday"};
static const char *const months[12] = {"Jan", "Feb", "Mar", "Apr",
                                       "May", "Jun", "Jul", "Aug",
                                       "Sep", "Oct", "Nov", "Dec"};

/* A moment broken down, each part in its calendar's range (saying so lets
 * the compiler see that the text fits). */
typedef struct civil {
  unsigned day, hour, min, sec, year;
  const char *wday, *mon;
} civil;

static civil civil_of(int64_t t)
{
  time_t when = (time_t)t;
  struct tm tm;
  memset(&tm, 0, sizeof tm);
  gmtime_r(&when, &tm);
  civil c = {(unsigned)tm.tm_mday % 32u, (unsigned)tm.tm_hour % 24u,
             (unsigned)tm.tm_min % 60u, (unsigned)tm.tm_sec % 61u,
             (unsigned)(tm.tm_year + 1900) % 10000u,
             days[(unsigned)tm.tm_wday % 7u], months[(unsigned)tm.tm_mon % 12u]};
  return c;
}

size_t srv_date_format(int64_t t, char out[SRV_DATE_SIZE])
{
  civil c = civil_of(t);
  int n = snprintf(out, SRV_DATE_SIZE, "%s, %02u %s %04u %02u:%02u:%02u GMT",
                   c.wday, c.day, c.mon, c.year, c.hour, c.min, c.sec);
  return n > 0 ? (size_t)n : 0;
}

void srv_clock_update(srv_clock *clock)
{
  time_t now = time(NULL);
  if ((int64_t)now == clock->second && clock->date_len != 0)
    return;
  char date[SRV_DATE_SIZE];
  srv_date_format((int64_t)now, date);
  int n = snprintf(clock->date, sizeof clock->date, "Date: %s\r\n", date);
  clock->date_len = n > 0 ? (size_t)n : 0;
  civil c = civil_of((int64_t)now);
  snprintf(clock->log_date, sizeof clock->log_date,
           "%02u/%s/%04u:%02u:%02u:%02u +0000", c.day, c.mon, c.year, c.hour,
           c.min, c.sec);
  clock->second = (int64_t)now;
}

/* ------------------------------------------------------------------------ */
/* Parsing: IMF-fixdate, the obsolete RFC 850 form and asctime's, exactly
 * (an HTTP-date is case-sensitive and has no optional spaces). */

/* A cursor over the text being parsed. */
typedef struct scan {
  const char *s;
  size_t len, pos;
} scan;

static bool lit(scan *c, const char *z)
{
  size_t n = strlen(z);
  if (c->len - c->pos < n || memcmp(c->s + c->pos, z, n) != 0)
    return false;
  c->pos += n;
  return true;
}

/* Exactly `n` digits. */
static bool digits(scan *c, size_t n, unsigned *out)
{
  unsigned v = 0;
  if (c->len - c->pos < n)
    return false;
  for (size_t i = 0; i < n; i++) {
    char ch = c->s[c->pos + i];
    if (ch < '0' || ch > '9')
      return false;
    v = v * 10u + (unsigned)(ch - '0');
  }
  c->pos += n;
  *out = v;
  return true;
}

/* One of `count` names; its index in *out. */
static bool name_of(scan *c, const char *const *names, size_t count,
                    unsigned *out)
{
  for (size_t i = 0; i < count; i++) {
    if (lit(c, names[i])) {
      *out = (unsigned)i;
      return true;
    }
  }
  return false;
}

static bool month(scan *c, unsigned *out)
{
  return name_of(c, months, 12, out);
}

/* The day of the week is read, not checked against the date (RFC 9110
 * asks recipients for no such check). */
static bool short_day(scan *c)
{
  unsigned d;
  return name_of(c, days, 7, &d);
}

/* time-of-day = hour ":" minute ":" second (60: a leap second) */
static bool time_of_day(scan *c, unsigned hms[3])
{
  return digits(c, 2, &hms[0]) && lit(c, ":") && digits(c, 2, &hms[1]) &&
         lit(c, ":") && digits(c, 2, &hms[2]) && hms[0] < 24 && hms[1] < 60 &&
         hms[2] <= 60;
}

static bool leap(unsigned y)
{
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Days from 1970-01-01 to the first of `mon` (0-11) in `year`. */
static int64_t days_before(unsigned year, unsigned mon)
{
  static const unsigned cumulative[12] = {0,   31,  59,  90,  120, 151,
                                          181, 212, 243, 273, 304, 334};
  int64_t y = (int64_t)year - 1;
  int64_t count = 365 * (y - 1969) + (y / 4 - 492) - (y / 100 - 19) +
                 (y / 400 - 4);
  return count + cumulative[mon] + (mon > 1 && leap(year) ? 1 : 0);
}

static bool to_seconds(unsigned year, unsigned mon, unsigned day,
                       const unsigned hms[3], int64_t *out)
{
  static const unsigned lengths[12] = {31, 28, 31, 30, 31, 30,
                                       31, 31, 30, 31, 30, 31};
  unsigned last = lengths[mon] + (mon == 1 && leap(year) ? 1u : 0u);
  if (day < 1 || day > last || year < 1)
    return false;
  *out = (days_before(year, mon) + (int64_t)day - 1) * 86400 +
         (int64_t)hms[0] * 3600 + (int64_t)hms[1] * 60 + (int64_t)hms[2];
  return true;
}

/* Sun, 06 Nov 1994 08:49:37 GMT */
static bool imf_fixdate(scan *c, int64_t *out)
{
  unsigned day, mon, year, hms[3];
  return short_day(c) && lit(c, ", ") && digits(c, 2, &day) && lit(c, " ") &&
         month(c, &mon) && lit(c, " ") && digits(c, 4, &year) &&
         lit(c, " ") && time_of_day(c, hms) && lit(c, " GMT") &&
         c->pos == c->len && to_seconds(year, mon, day, hms, out);
}

#define FIFTY_YEARS_S (INT64_C(50) * 31556952) /* of 365.2425 days */

/* Sunday, 06-Nov-94 08:49:37 GMT: a year that seems more than 50 years
 * ahead of `now` is the latest past one with those two digits. */
static bool rfc850_date(scan *c, int64_t now, int64_t *out)
{
  unsigned wday, day, mon, yy, hms[3];
  if (!(name_of(c, long_days, 7, &wday) &&
        lit(c, ", ") && digits(c, 2, &day) && lit(c, "-") && month(c, &mon) &&
        lit(c, "-") && digits(c, 2, &yy) && lit(c, " ") &&
        time_of_day(c, hms) && lit(c, " GMT") && c->pos == c->len))
    return false;
  unsigned this_year = civil_of(now).year;
  unsigned year = this_year - this_year % 100u + yy;
  int64_t t;
  if (!to_seconds(year, mon, day, hms, &t))
    return false;
  if (t - now > FIFTY_YEARS_S && !to_seconds(year - 100, mon, day, hms, &t))
    return false;
  *out = t;
  return true;
}

/* Sun Nov  6 08:49:37 1994 */
static bool asctime_date(scan *c, int64_t *out)
{
  unsigned mon, day, year, hms[3];
  if (!(short_day(c) && lit(c, " ") && month(c, &mon) && lit(c, " ")))
    return false;
  if (!(lit(c, " ") ? digits(c, 1, &day) : digits(c, 2, &day)))
    return false;
  return lit(c, " ") && time_of_day(c, hms) && lit(c, " ") &&
         digits(c, 4, &year) && c->pos == c->len &&
         to_seconds(year, mon, day, hms, out);
}

bool srv_date_parse(const char *s, size_t len, int64_t now, int64_t *out)
{
  scan c = {s, len, 0};
  if (imf_fixdate(&c, out))
    return true;
  c.pos = 0;
  if (rfc850_date(&c, now, out))
    return true;
  c.pos = 0;
  return asctime_date(&c, out);
}

uint64_t srv_now_ns(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}
