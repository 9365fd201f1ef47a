/* SPDX-License-Identifier: MIT */
/*
 * core/limits.c - the abuse limits (core/limits.h): one table of client
 * addresses shared by the workers, in sets that each have a spin flag,
 * and two global atomic counters for the sleeping requests.
 */
#define _DEFAULT_SOURCE /* CLOCK_MONOTONIC_COARSE */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/codes.h"
#include "core/core.h"
#include "core/limits.h"

#define SRV_LIMIT_WAYS 4
#define SETS 4096u       /* 16384 addresses, 48 bytes each: 768 KiB */
#define MAX_HOPS 16      /* Forwarded / X-Forwarded-For addresses read */
#define MILLI 1000u      /* tokens are counted in thousandths */

typedef struct entry {
  srv_addr key;
  uint64_t seen_ms;          /* 0: the slot is free */
  uint64_t tokens;           /* thousandths of a request */
  uint32_t conns;            /* open connections (peer address) */
  uint32_t sleepers;         /* sleeping requests (client address) */
} entry;

typedef struct set {
  atomic_flag busy;
  entry e[SRV_LIMIT_WAYS];
} set;

struct srv_limits {
  const srv_config *cfg;
  uint64_t full;                   /* a full bucket: --burst, in thousandths */
  atomic_uint_fast64_t sleeping;   /* sleeping requests, all workers */
  atomic_uint_fast64_t sleep_sum;  /* the sum of their sleeps, ms */
  set sets[SETS];
};

srv_limits *srv_limits_new(const srv_config *cfg)
{
  if (cfg->rate_per_s == 0 && cfg->conns_per_addr == 0 &&
      cfg->sleeps_per_addr == 0 && cfg->max_sleeping == 0 &&
      cfg->max_sleep_sum_ms == 0 && cfg->trust_count == 0)
    return NULL;
  srv_limits *l = calloc(1, sizeof *l);
  if (l == NULL) {
    fputs("httpstatus serve: out of memory\n", stderr);
    abort();
  }
  l->cfg = cfg;
  l->full = (cfg->burst ? cfg->burst : 1) * MILLI;
  for (size_t i = 0; i < SETS; i++)
    atomic_flag_clear(&l->sets[i].busy);
  return l;
}

void srv_limits_free(srv_limits *l)
{
  free(l);
}

/* The coarse monotonic clock (a few ms of resolution, no TSC read), for
 * what has no worker's loop time at hand (core->now_ms, the same clock
 * read once per turn): a token bucket refilling per ms needs no better. */
static uint64_t now_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
  return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static bool same(const srv_addr *a, const srv_addr *b)
{
  uint64_t x[2], y[2];
  memcpy(x, a->b, 16);
  memcpy(y, b->b, 16);
  return ((x[0] ^ y[0]) | (x[1] ^ y[1])) == 0;
}

/* A multiplicative hash of the key's two halves (the high bits of the
 * product pick the set): cheap, and an attacker choosing addresses only
 * evicts its own entries. */
static set *set_of(srv_limits *l, const srv_addr *key)
{
  uint64_t h[2];
  memcpy(h, key->b, 16);
  uint64_t mix = (h[0] ^ (h[1] * 0x9E3779B97F4A7C15ull)) * 0xC2B2AE3D27D4EB4Full;
  return &l->sets[(mix >> 52) % SETS];
}

static void lock(set *s)
{
  while (atomic_flag_test_and_set_explicit(&s->busy, memory_order_acquire))
    ;
}

static void unlock(set *s)
{
  atomic_flag_clear_explicit(&s->busy, memory_order_release);
}

/* Which slot a new key takes first: a free one, then an idle one (no
 * connection, no sleeper), then any; the least recently seen among equals. */
static int rank(const entry *e)
{
  return e->seen_ms == 0 ? 0 : e->conns || e->sleepers ? 2 : 1;
}

/* A slot for a key the (locked) set does not hold: the best by rank(). */
static entry *evict(set *s)
{
  entry *victim = &s->e[0];
  for (int i = 1; i < SRV_LIMIT_WAYS; i++) {
    entry *e = &s->e[i];
    if (rank(e) < rank(victim) ||
        (rank(e) == rank(victim) && e->seen_ms < victim->seen_ms))
      victim = e;
  }
  return victim;
}

/* The entry of `key` in its (locked) set, refilled to `now`; a new one,
 * with a full bucket, when the set does not hold it. The hit is inlined:
 * every request that passes the limits takes it. */
static entry *insert(srv_limits *l, set *s, const srv_addr *key, uint64_t now)
{
  entry *e = evict(s);
  memset(e, 0, sizeof *e);
  e->key = *key;
  e->tokens = l->full;
  e->seen_ms = now;
  return e;
}

static inline entry *find(srv_limits *l, set *s, const srv_addr *key,
                          uint64_t now)
{
  if (now == 0)
    now = 1;
  for (int i = 0; i < SRV_LIMIT_WAYS; i++) {
    entry *e = &s->e[i];
    if (e->seen_ms != 0 && same(&e->key, key)) {
      /* Workers' loop times differ by up to a turn: time never runs back. */
      if (now > e->seen_ms) {
        uint64_t tokens = e->tokens + (now - e->seen_ms) * l->cfg->rate_per_s;
        e->tokens = tokens > l->full ? l->full : tokens;
        e->seen_ms = now;
      }
      return e;
    }
  }
  return insert(l, s, key, now);
}

bool srv_limits_trusted(const srv_config *cfg, const srv_addr *peer)
{
  for (size_t i = 0; i < cfg->trust_count; i++)
    if (srv_cidr_contains(&cfg->trust[i], peer))
      return true;
  return false;
}

bool srv_limits_conn_open(srv_limits *l, const srv_addr *peer)
{
  if (l->cfg->conns_per_addr == 0 || srv_limits_trusted(l->cfg, peer))
    return true;
  srv_addr key = srv_addr_key(peer);
  set *s = set_of(l, &key);
  lock(s);
  entry *e = find(l, s, &key, now_ms());
  bool ok = e->conns < l->cfg->conns_per_addr;
  if (ok)
    e->conns++;
  unlock(s);
  return ok;
}

void srv_limits_conn_close(srv_limits *l, const srv_addr *peer)
{
  srv_addr key = srv_addr_key(peer);
  set *s = set_of(l, &key);
  lock(s);
  for (int i = 0; i < SRV_LIMIT_WAYS; i++)
    if (s->e[i].seen_ms && same(&s->e[i].key, &key) &&
        s->e[i].conns > 0)
      s->e[i].conns--;
  unlock(s);
}

bool srv_limits_client(const srv_config *cfg, const srv_exchange *x,
                       srv_addr *client)
{
  *client = x->peer;
  if (!x->peer_trusted)
    return true;
  srv_addr hops[MAX_HOPS];
  size_t n = 0;
  srv_span fwd = x->fields[SRV_F_FORWARDED];
  srv_span xff = x->fields[SRV_F_X_FORWARDED_FOR];
  if (fwd.len > 0) {
    if (srv_forwarded_parse(fwd, hops, MAX_HOPS, &n) != SRV_FWD_OK)
      return false;
  } else if (xff.len > 0) {
    if (srv_xff_parse(xff, hops, MAX_HOPS, &n) != SRV_FWD_OK)
      return false;
  }
  if (n > MAX_HOPS)
    return false;
  for (size_t i = n; i-- > 0;) {
    if (!srv_addr_known(&hops[i]))
      return true;
    *client = hops[i];
    if (!srv_limits_trusted(cfg, &hops[i]))
      return true;
  }
  return true;
}

/* Sets a field of an error plan built in core->fields: a field the code
 * already carries (the catalog gives 429 and 503 a Retry-After) gets the
 * value, another is added. The value must outlive the plan (the
 * thread-local texts below: one plan per worker at a time). */
static void add_field(srv_core *core, srv_plan *p, const char *name,
                      const char *value)
{
  if (p->fields != core->fields)
    return;
  srv_span n = srv_span_of(name);
  for (size_t i = 0; i < p->field_count; i++) {
    if (srv_span_ieq(core->fields[i].name, n)) {
      core->fields[i].value = srv_span_of(value);
      return;
    }
  }
  if (p->field_count >= SRV_PLAN_MAX_FIELDS)
    return;
  core->fields[p->field_count].name = n;
  core->fields[p->field_count].value = srv_span_of(value);
  p->field_count++;
}

static _Thread_local char retry_text[24], rate_text[64], policy_text[64];

/* 429 (or 503 for the whole server) with Retry-After, and for the rate
 * the RateLimit fields of draft-ietf-httpapi-ratelimit-headers-10. */
static void refuse(srv_core *core, const srv_exchange *x, srv_plan *p,
                   int code, const char *why, uint64_t retry_s, bool rate)
{
  const srv_config *cfg = core->cfg;
  srv_plan_error(core, x, p, code, why);
  p->close = !x->keep_alive;
  snprintf(retry_text, sizeof retry_text, "%llu", (unsigned long long)retry_s);
  add_field(core, p, "Retry-After", retry_text);
  if (rate) {
    uint64_t window = (cfg->burst + cfg->rate_per_s - 1) / cfg->rate_per_s;
    snprintf(policy_text, sizeof policy_text, "\"peraddr\";q=%llu;w=%llu",
             (unsigned long long)cfg->burst, (unsigned long long)window);
    snprintf(rate_text, sizeof rate_text, "\"peraddr\";r=0;t=%llu",
             (unsigned long long)retry_s);
    add_field(core, p, "RateLimit-Policy", policy_text);
    add_field(core, p, "RateLimit", rate_text);
  }
}

static uint64_t plan_sleep(const srv_plan *p)
{
  return p->sleep_ms + p->sleep_after_headers_ms + p->dribble_ms;
}

/* Takes one token; false (and the seconds until one is back) when none. */
static bool take_token(srv_limits *l, const srv_addr *key, uint64_t now,
                       uint64_t *retry_s)
{
  set *s = set_of(l, key);
  lock(s);
  entry *e = find(l, s, key, now);
  bool ok = e->tokens >= MILLI;
  if (ok)
    e->tokens -= MILLI;
  else
    *retry_s = ((MILLI - e->tokens) / l->cfg->rate_per_s + 999) / 1000;
  unlock(s);
  if (*retry_s == 0)
    *retry_s = 1;
  return ok;
}

/* Counts a sleeping request; false when its address is at its cap. */
static bool add_sleeper(srv_limits *l, const srv_addr *key, uint64_t now)
{
  if (l->cfg->sleeps_per_addr == 0)
    return true;
  set *s = set_of(l, key);
  lock(s);
  entry *e = find(l, s, key, now);
  bool ok = e->sleepers < l->cfg->sleeps_per_addr;
  if (ok)
    e->sleepers++;
  unlock(s);
  return ok;
}

static void drop_sleeper(srv_limits *l, const srv_addr *key)
{
  set *s = set_of(l, key);
  lock(s);
  for (int i = 0; i < SRV_LIMIT_WAYS; i++)
    if (s->e[i].seen_ms && same(&s->e[i].key, key) &&
        s->e[i].sleepers > 0)
      s->e[i].sleepers--;
  unlock(s);
}

/* Counts the sleep in the global caps; false when it passes one. */
static bool add_global(srv_limits *l, uint64_t ms)
{
  const srv_config *cfg = l->cfg;
  uint64_t n = atomic_fetch_add(&l->sleeping, 1) + 1;
  uint64_t sum = atomic_fetch_add(&l->sleep_sum, ms) + ms;
  if ((cfg->max_sleeping && n > cfg->max_sleeping) ||
      (cfg->max_sleep_sum_ms && sum > cfg->max_sleep_sum_ms)) {
    atomic_fetch_sub(&l->sleeping, 1);
    atomic_fetch_sub(&l->sleep_sum, ms);
    return false;
  }
  return true;
}

void srv_limit_plan(srv_core *core, const srv_exchange *x, srv_plan *p,
                    srv_limit_hold *hold)
{
  srv_limits *l = core->limits;
  hold->held = false;
  if (l == NULL) {
    srv_plan_build(core, x, p);
    return;
  }
  srv_addr key = x->peer_key;
  if (x->peer_trusted) {
    srv_addr client;
    if (!srv_limits_client(core->cfg, x, &client)) {
      srv_plan_error(core, x, p, HTTPSTATUS_CODE_BAD_REQUEST,
                     "the Forwarded or X-Forwarded-For field is malformed");
      return;
    }
    key = srv_addr_key(&client);
  }
  uint64_t retry = 0, now = core->now_ms ? *core->now_ms : now_ms();
  if (core->cfg->rate_per_s && !take_token(l, &key, now, &retry)) {
    refuse(core, x, p, HTTPSTATUS_CODE_TOO_MANY_REQUESTS,
           "this address is over --rate-limit", retry, true);
    return;
  }
  srv_plan_build(core, x, p);
  uint64_t ms = plan_sleep(p);
  if (ms == 0)
    return;
  if (!add_sleeper(l, &key, now)) {
    refuse(core, x, p, HTTPSTATUS_CODE_TOO_MANY_REQUESTS,
           "this address has --max-sleeps-per-addr requests sleeping", 1,
           false);
    return;
  }
  if (!add_global(l, ms)) {
    if (core->cfg->sleeps_per_addr)
      drop_sleeper(l, &key);
    refuse(core, x, p, HTTPSTATUS_CODE_SERVICE_UNAVAILABLE,
           "the server has too many sleeping requests", 1, false);
    return;
  }
  hold->key = key;
  hold->sleep_ms = ms;
  hold->held = true;
}

void srv_limit_release(srv_core *core, srv_limit_hold *hold)
{
  srv_limits *l = core->limits;
  if (!hold->held || l == NULL)
    return;
  hold->held = false;
  atomic_fetch_sub(&l->sleeping, 1);
  atomic_fetch_sub(&l->sleep_sum, hold->sleep_ms);
  if (core->cfg->sleeps_per_addr)
    drop_sleeper(l, &hold->key);
}
