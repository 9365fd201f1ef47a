/* SPDX-License-Identifier: MIT */
/*
 * util/date.c - the Date field (RFC 9110, Section 6.6.1, IMF-fixdate) and the
 * access log's date, formatted at most once per second per worker.
 */
#include <stdio.h>
#include <time.h>

#include "srv.h"

static const char days[7][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

void srv_clock_update(srv_clock *clock)
{
  time_t now = time(NULL);
  if ((int64_t)now == clock->second && clock->date_len != 0)
    return;
  struct tm tm;
  gmtime_r(&now, &tm);
  /* The ranges are the calendar's; saying so lets the compiler see that
   * the text fits. */
  unsigned day = (unsigned)tm.tm_mday % 32u, hour = (unsigned)tm.tm_hour % 24u,
           min = (unsigned)tm.tm_min % 60u, sec = (unsigned)tm.tm_sec % 61u,
           year = (unsigned)(tm.tm_year + 1900) % 10000u;
  const char *wday = days[(unsigned)tm.tm_wday % 7u];
  const char *mon = months[(unsigned)tm.tm_mon % 12u];
  int n = snprintf(clock->date, sizeof clock->date,
                   "Date: %s, %02u %s %04u %02u:%02u:%02u GMT\r\n", wday, day,
                   mon, year, hour, min, sec);
  clock->date_len = n > 0 ? (size_t)n : 0;
  snprintf(clock->log_date, sizeof clock->log_date,
           "%02u/%s/%04u:%02u:%02u:%02u +0000", day, mon, year, hour, min, sec);
  clock->second = (int64_t)now;
}

uint64_t srv_now_ns(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}
