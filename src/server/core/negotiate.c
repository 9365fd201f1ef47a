/* SPDX-License-Identifier: MIT */
/*
 * core/negotiate.c - proactive negotiation of the content type from the
 * Accept field (RFC 9110, Section 12.5.1): text/plain, JSON or HTML.
 */
#include <string.h>

#include "core/core.h"

const char *const srv_type_names[3] = {
    [SRV_PLAIN] = "text/plain; charset=utf-8",
    [SRV_JSON] = "application/json; charset=utf-8",
    [SRV_HTML] = "text/html; charset=utf-8",
};

static const struct {
  const char *type, *subtype;
} media[] = {
    [SRV_PLAIN] = {"text", "plain"},
    [SRV_JSON] = {"application", "json"},
    [SRV_HTML] = {"text", "html"},
};

/* "q=0.5" as thousandths; a malformed weight counts as 1 (be lenient). */
static unsigned qvalue(srv_span params)
{
  for (size_t i = 0; i + 1 < params.len; i++) {
    if (srv_lower(params.s[i]) != 'q' || params.s[i + 1] != '=')
      continue;
    if (i > 0 && params.s[i - 1] != ';' && params.s[i - 1] != ' ' &&
        params.s[i - 1] != '\t')
      continue;
    const char *v = params.s + i + 2;
    size_t n = params.len - i - 2;
    if (n == 0 || (v[0] != '0' && v[0] != '1'))
      return 1000;
    unsigned q = (unsigned)(v[0] - '0') * 1000, scale = 100;
    for (size_t k = 2; k < n && k < 5 && v[k] >= '0' && v[k] <= '9'; k++) {
      q += (unsigned)(v[k] - '0') * scale;
      scale /= 10;
    }
    return q > 1000 ? 1000 : q;
  }
  return 1000;
}

/* How specifically `range` (like text/html) names media type t: 3 exactly,
 * 2 by its type, 1 by wildcard, 0 not at all. */
static int specificity(srv_span range, srv_type t)
{
  const char *slash = range.len ? memchr(range.s, '/', range.len) : NULL;
  if (slash == NULL)
    return 0;
  size_t tlen = (size_t)(slash - range.s);
  srv_span sub = {slash + 1, range.len - tlen - 1};
  if (srv_ieq(range.s, tlen, "*") && srv_ieq(sub.s, sub.len, "*"))
    return 1;
  if (!srv_ieq(range.s, tlen, media[t].type))
    return 0;
  if (srv_ieq(sub.s, sub.len, "*"))
    return 2;
  return srv_ieq(sub.s, sub.len, media[t].subtype) ? 3 : 0;
}

/* Picks the type the client weighs highest; on a tie the one it named more
 * specifically, then the one it named first, then plain before json before
 * html. No Accept, or nothing acceptable: text/plain. */
srv_type srv_negotiate(srv_span accept)
{
  unsigned q[3] = {0, 0, 0};
  int spec[3] = {0, 0, 0};
  size_t pos[3] = {0, 0, 0};
  if (accept.len == 0 || (accept.len == 3 && memcmp(accept.s, "*/*", 3) == 0))
    return SRV_PLAIN; /* what curl and most libraries send */
  size_t index = 0;
  for (size_t start = 0; start < accept.len; index++) {
    const char *comma = memchr(accept.s + start, ',', accept.len - start);
    size_t end = comma ? (size_t)(comma - accept.s) : accept.len;
    srv_span item = srv_trim((srv_span){accept.s + start, end - start});
    const char *semi = item.len ? memchr(item.s, ';', item.len) : NULL;
    srv_span range =
        srv_trim((srv_span){item.s, semi ? (size_t)(semi - item.s) : item.len});
    srv_span params = {semi ? semi + 1 : item.s + item.len,
                       semi ? item.len - (size_t)(semi + 1 - item.s) : 0};
    for (int t = SRV_PLAIN; t <= SRV_HTML; t++) {
      int s = specificity(range, (srv_type)t);
      if (s > spec[t]) {
        spec[t] = s;
        q[t] = qvalue(params);
        pos[t] = index;
      }
    }
    start = end + 1;
  }
  int best = SRV_PLAIN;
  for (int t = SRV_JSON; t <= SRV_HTML; t++) {
    bool better = q[t] > q[best] ||
                  (q[t] == q[best] &&
                   (spec[t] > spec[best] ||
                    (spec[t] == spec[best] && pos[t] < pos[best])));
    if (spec[t] > 0 && better)
      best = t;
  }
  return q[best] > 0 ? (srv_type)best : SRV_PLAIN;
}
