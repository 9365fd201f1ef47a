/* SPDX-License-Identifier: MIT */
/*
 * core/conditional.c - conditional requests (RFC 9110, Section 13): the
 * entity-tag comparisons, the evaluation of If-Match, If-Unmodified-Since,
 * If-None-Match, If-Modified-Since and If-Range in the order of Section
 * 13.2.2, and the routes that exist to exercise them: /etag/{etag},
 * /cache and /cache/{seconds}.
 */
#include <string.h>
#include <time.h>

#include "core/core.h"

#define MAX_ETAG 256           /* /etag/{etag}: longer is refused */
#define MAX_AGE 2147483647u    /* RFC 9111, Section 1.2.2: delta-seconds cap */

static int64_t epoch;

void srv_conditional_init(void)
{
  epoch = (int64_t)time(NULL);
}

int64_t srv_conditional_epoch(void)
{
  return epoch;
}

/* ------------------------------------------------------------------------ */
/* Entity-tags (Section 8.8.3) */

static bool etagc(unsigned char ch)
{
  return ch == 0x21 || (ch >= 0x23 && ch <= 0x7e) || ch >= 0x80;
}

/* entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE, from s[*pos]. */
static bool next_etag(srv_span s, size_t *pos, srv_span *opaque, bool *weak)
{
  size_t i = *pos;
  *weak = i + 2 <= s.len && s.s[i] == 'W' && s.s[i + 1] == '/';
  if (*weak)
    i += 2;
  if (i >= s.len || s.s[i] != '"')
    return false;
  size_t start = ++i;
  while (i < s.len && etagc((unsigned char)s.s[i]))
    i++;
  if (i >= s.len || s.s[i] != '"')
    return false;
  *opaque = (srv_span){s.s + start, i - start};
  *pos = i + 1;
  return true;
}

static bool same(srv_span a, srv_span b)
{
  return a.len == b.len && (a.len == 0 || memcmp(a.s, b.s, a.len) == 0);
}

/* A list that is not `*` nor 1#entity-tag matches nothing: what follows
 * the first malformed member is not trusted. */
bool srv_etag_match(srv_span list, srv_span etag, bool strong)
{
  srv_span mine;
  bool mine_weak;
  size_t at = 0;
  srv_span field = srv_trim(list);
  if (field.len == 1 && field.s[0] == '*')
    return true; /* the representation exists */
  if (!next_etag(etag, &at, &mine, &mine_weak) || (strong && mine_weak))
    return false;
  size_t i = 0;
  for (;;) {
    while (i < field.len && (field.s[i] == ',' || field.s[i] == ' ' ||
                             field.s[i] == '\t'))
      i++; /* empty members and OWS */
    if (i >= field.len)
      return false;
    srv_span theirs;
    bool weak;
    if (!next_etag(field, &i, &theirs, &weak))
      return false;
    if (same(theirs, mine) && !(strong && weak))
      return true;
  }
}

/* ------------------------------------------------------------------------ */
/* Evaluation (Section 13.2.2) */

/* A field holding one valid HTTP-date; anything else is ignored. */
static bool date_field(const srv_core *core, srv_span f, int64_t *out)
{
  return f.len > 0 && srv_date_parse(f.s, f.len, srv_core_now(core), out);
}

bool srv_if_range_matches(const srv_core *core, const srv_exchange *x,
                          const srv_validators *v)
{
  srv_span f = srv_trim(x->fields[SRV_F_IF_RANGE]);
  int64_t date;
  if (f.len == 0)
    return false;
  /* Section 13.1.5: an entity-tag starts with DQUOTE or W/, a date never;
   * a weak tag never matches here (strong comparison). */
  if (f.s[0] == '"' || (f.len > 1 && f.s[0] == 'W' && f.s[1] == '/')) {
    size_t at = 0;
    srv_span tag;
    bool weak;
    return next_etag(f, &at, &tag, &weak) && at == f.len && !weak &&
           v->etag.len > 0 && srv_etag_match(f, v->etag, true);
  }
  return v->has_date && date_field(core, f, &date) &&
         date == v->last_modified;
}

srv_precondition srv_conditional_eval(const srv_core *core,
                                      const srv_exchange *x,
                                      const srv_validators *v)
{
  bool get_or_head =
      x->method == SRV_METHOD_GET || x->method == SRV_METHOD_HEAD;
  const srv_span *f = x->fields;
  int64_t date;
  /* 1 and 2: the client's idea of the current state must hold. */
  if (f[SRV_F_IF_MATCH].len > 0) {
    if (!srv_etag_match(f[SRV_F_IF_MATCH], v->etag, true))
      return SRV_COND_FAILED;
  } else if (v->has_date &&
             date_field(core, f[SRV_F_IF_UNMODIFIED_SINCE], &date) &&
             v->last_modified > date) {
    return SRV_COND_FAILED;
  }
  /* 3 and 4: the client already has the current state. */
  if (f[SRV_F_IF_NONE_MATCH].len > 0) {
    if (srv_etag_match(f[SRV_F_IF_NONE_MATCH], v->etag, false))
      return get_or_head ? SRV_COND_NOT_MODIFIED : SRV_COND_FAILED;
  } else if (get_or_head && v->has_date &&
             date_field(core, f[SRV_F_IF_MODIFIED_SINCE], &date) &&
             v->last_modified <= date) {
    return SRV_COND_NOT_MODIFIED;
  }
  /* 5: If-Range only qualifies a Range field of a GET. */
  if (x->method == SRV_METHOD_GET && f[SRV_F_RANGE].len > 0 &&
      f[SRV_F_IF_RANGE].len > 0 && !srv_if_range_matches(core, x, v))
    return SRV_COND_IGNORE_RANGE;
  return SRV_COND_PROCEED;
}

/* ------------------------------------------------------------------------ */
/* The routes */

/* The code a precondition asks for instead of `code`. */
static int precondition_code(srv_precondition c, int code)
{
  switch (c) {
  case SRV_COND_NOT_MODIFIED: return HTTPSTATUS_CODE_NOT_MODIFIED;
  case SRV_COND_FAILED: return HTTPSTATUS_CODE_PRECONDITION_FAILED;
  default: return code;
  }
}

/* /etag/{etag}: any method, the strong entity-tag "{etag}". */
static int etag_answer(srv_reply *out)
{
  const srv_request *r = out->r;
  srv_span value;
  if (r->arg.s == NULL)
    return srv_reply_error(out, HTTPSTATUS_CODE_NOT_FOUND,
                           "use /etag/{etag}");
  if (!srv_reply_decode(out, r->arg, &value) || value.len > MAX_ETAG)
    return srv_reply_error(out, HTTPSTATUS_CODE_BAD_REQUEST,
                           "/etag/{etag}: the entity-tag has a malformed "
                           "%%-escape or is longer than %d bytes",
                           MAX_ETAG);
  for (size_t i = 0; i < value.len; i++)
    if (!etagc((unsigned char)value.s[i]))
      return srv_reply_error(out, HTTPSTATUS_CODE_BAD_REQUEST,
                             "/etag/{etag}: an entity-tag holds no quote, "
                             "space or control character");
  char tag[MAX_ETAG + 2];
  tag[0] = '"';
  memcpy(tag + 1, value.s, value.len);
  tag[value.len + 1] = '"';
  srv_validators v = {{tag, value.len + 2}, false, 0};
  srv_reply_span(out, "ETag", v.etag);
  int code = precondition_code(srv_conditional_eval(out->core, r->x, &v),
                               HTTPSTATUS_CODE_OK);
  srv_page_code(code, r->type, out->body);
  return code;
}

/* /cache and /cache/{seconds}: a 304 to any request that revalidates (as
 * httpbin's), else 200 with validators to revalidate with. */
static int cache_answer(srv_reply *out)
{
  const srv_request *r = out->r;
  const srv_exchange *x = r->x;
  uint64_t max_age = 0;
  bool cache_control = r->arg.s != NULL;
  if (r->method != SRV_METHOD_GET && r->method != SRV_METHOD_HEAD &&
      r->method != SRV_METHOD_OPTIONS)
    return srv_reply_error(out, HTTPSTATUS_CODE_METHOD_NOT_ALLOWED,
                           "/cache answers GET and HEAD");
  if (cache_control &&
      !srv_parse_u64(r->arg.s, r->arg.len, MAX_AGE, &max_age))
    return srv_reply_error(out, HTTPSTATUS_CODE_BAD_REQUEST,
                           "/cache/{seconds}: '%.*s' is not a number of "
                           "seconds (0-%u)",
                           srv_quote_len(r->arg.len), r->arg.s, MAX_AGE);
  bool revalidates = x->fields[SRV_F_IF_NONE_MATCH].len > 0 ||
                     x->fields[SRV_F_IF_MODIFIED_SINCE].len > 0;
  srv_reply_field(out, "ETag", "\"%llx\"", (unsigned long long)epoch);
  if (cache_control)
    srv_reply_field(out, "Cache-Control", "public, max-age=%llu",
                    (unsigned long long)max_age);
  if (revalidates)
    return HTTPSTATUS_CODE_NOT_MODIFIED; /* no Last-Modified beside ETag */
  char date[SRV_DATE_SIZE];
  size_t len = srv_date_format(epoch, date);
  srv_reply_span(out, "Last-Modified", (srv_span){date, len});
  srv_page_code(HTTPSTATUS_CODE_OK, r->type, out->body);
  return HTTPSTATUS_CODE_OK;
}

const srv_handler srv_handler_etag = {"etag", NULL, etag_answer};
const srv_handler srv_handler_cache = {"cache", NULL, cache_answer};
