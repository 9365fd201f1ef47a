/* SPDX-License-Identifier: MIT */
/*
 * core/retry.c - failures that end: /retry/{n}/{key} answers its failure
 * code to the first n requests carrying the key, then 200; /unstable
 * (go-httpbin's) answers 500 with a probability, 200 otherwise.
 *
 * The counters are one table of the process, shared by all its workers:
 * 2^18 slots of 16 bytes (4 MiB, allocated on the first /retry/ request;
 * the kernel maps its pages as keys touch them), in sets of 16, a key's
 * hash choosing its set. A key lives 10 minutes from its first request,
 * then counts from zero again. When a key's set is full, the key of the
 * set seen first is forgotten: 100,000 live keys fill a set in 16,384 only
 * rarely. Each of 64 locks guards every 64th set, so workers seldom wait
 * for each other. The table is per process: instances behind one balancer
 * count apart (?until=, faults.c, needs no state).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/core.h"

#define SETS 16384u              /* a power of two */
#define WAYS 16u
#define LOCKS 64u
#define LIFETIME_S 600u          /* a key lives 10 minutes */
#define MAX_FAILURES 1000000u    /* n of /retry/{n}/ */
#define MAX_KEY 256u
#define UNSTABLE_RATE_PPM 500000u /* go-httpbin's default failure_rate, 0.5 */
#define PPM 1000000u

typedef struct slot {
  uint64_t hash;   /* the key (64 bits of a keyed hash) */
  uint32_t born;   /* seconds after `epoch_ns` + 1, when first seen; 0: free */
  uint32_t count;  /* requests seen */
} slot;

#define LOCK PTHREAD_MUTEX_INITIALIZER
#define LOCK4 LOCK, LOCK, LOCK, LOCK
#define LOCK16 LOCK4, LOCK4, LOCK4, LOCK4
static pthread_mutex_t locks[LOCKS] = {LOCK16, LOCK16, LOCK16, LOCK16};
static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
static _Atomic(slot *) table;
static uint64_t secret, epoch_ns; /* written before `table` is published */

/* The table, allocated by the first request that needs it; NULL when the
 * memory is not there. */
static slot *get_table(void)
{
  slot *t = atomic_load_explicit(&table, memory_order_acquire);
  if (t != NULL)
    return t;
  pthread_mutex_lock(&table_lock);
  t = atomic_load_explicit(&table, memory_order_relaxed);
  if (t == NULL && (t = calloc((size_t)SETS * WAYS, sizeof *t)) != NULL) {
    epoch_ns = srv_now_ns();
    secret = epoch_ns ^ (uint64_t)(uintptr_t)t;
    atomic_store_explicit(&table, t, memory_order_release);
  }
  pthread_mutex_unlock(&table_lock);
  return t;
}

void srv_retry_free(void)
{
  free(atomic_exchange(&table, NULL));
}

/* FNV-1a from a per-process secret, then a finalizer mixing every bit:
 * outsiders cannot aim their keys at one set. */
static uint64_t hash_key(const char *s, size_t len)
{
  uint64_t h = secret ^ UINT64_C(0xcbf29ce484222325);
  for (size_t i = 0; i < len; i++)
    h = (h ^ (unsigned char)s[i]) * UINT64_C(0x100000001b3);
  h = (h ^ (h >> 33)) * UINT64_C(0xff51afd7ed558ccd);
  return h ^ (h >> 33);
}

/* Counts one request with the key; returns how many there were so far
 * (this one included) in the key's lifetime. */
static uint32_t count_request(slot *t, uint64_t hash)
{
  uint32_t now = (uint32_t)((srv_now_ns() - epoch_ns) / 1000000000u) + 1;
  size_t set = (size_t)(hash & (SETS - 1));
  slot *s = t + set * WAYS, *free_slot = NULL, *oldest = s;
  uint32_t count = 1;
  pthread_mutex_lock(&locks[set % LOCKS]);
  for (unsigned i = 0; i < WAYS; i++) {
    bool live = s[i].born != 0 && now - s[i].born < LIFETIME_S;
    if (live && s[i].hash == hash) {
      count = s[i].count += s[i].count < UINT32_MAX;
      goto done;
    }
    if (!live && free_slot == NULL)
      free_slot = &s[i];
    if (s[i].born < oldest->born)
      oldest = &s[i];
  }
  slot *v = free_slot != NULL ? free_slot : oldest;
  *v = (slot){hash, now, 1};
done:
  pthread_mutex_unlock(&locks[set % LOCKS]);
  return count;
}

/* The failure code of ?code= (503 without it): 4xx or 5xx. */
static bool failure_code(srv_core *core, srv_request *r, int *code)
{
  srv_span v = r->params.code;
  *code = HTTPSTATUS_CODE_SERVICE_UNAVAILABLE;
  if (v.s == NULL)
    return true;
  if (httpstatus_parse_code(v.s, v.len, code) == HTTPSTATUS_OK &&
      (httpstatus_is_client_error(*code) || httpstatus_is_server_error(*code)))
    return true;
  return srv_fail(core, r, HTTPSTATUS_CODE_BAD_REQUEST,
                  "code=%.*s is not a failure code: 400-599",
                  srv_quote_len(v.len), v.s);
}

void srv_retry_route(srv_core *core, srv_request *r, const char *path,
                     size_t len)
{
  size_t seg = srv_span_until(path, len, "/");
  uint64_t n;
  int code;
  if (!srv_parse_u64(path, seg, MAX_FAILURES, &n)) {
    srv_fail(core, r, HTTPSTATUS_CODE_BAD_REQUEST,
             "/retry/{n}/{key}: '%.*s' is not a number of failures from 0 "
             "to %u",
             srv_quote_len(seg), path, MAX_FAILURES);
    return;
  }
  const char *key = path + seg + 1;
  size_t key_len = seg < len ? len - seg - 1 : 0;
  if (key_len == 0 || key_len > MAX_KEY) {
    srv_fail(core, r, HTTPSTATUS_CODE_BAD_REQUEST,
             "/retry/%llu/{key}: the key must be 1 to %u bytes, as "
             "/retry/3/my-test",
             (unsigned long long)n, MAX_KEY);
    return;
  }
  if (!failure_code(core, r, &code))
    return;
  slot *t = n > 0 ? get_table() : NULL;
  if (n > 0 && t == NULL) {
    srv_fail(core, r, HTTPSTATUS_CODE_INTERNAL_SERVER_ERROR,
             "no memory for the /retry/ counters");
    return;
  }
  r->route = SRV_ROUTE_CODE;
  r->drawn = true;
  r->code = HTTPSTATUS_CODE_OK;
  if (n > 0 && count_request(t, hash_key(key, key_len)) <= n) {
    r->code = code;
    r->retry_after = true;
  }
}

void srv_unstable_route(srv_core *core, srv_request *r)
{
  srv_span v = r->params.failure_rate;
  uint32_t rate = UNSTABLE_RATE_PPM;
  if (v.s != NULL && !srv_parse_fraction(v, &rate)) {
    srv_fail(core, r, HTTPSTATUS_CODE_BAD_REQUEST,
             "failure_rate=%.*s is not a number from 0 to 1",
             srv_quote_len(v.len), v.s);
    return;
  }
  uint64_t seeded;
  uint64_t draw = srv_random_next(srv_faults_rng(core, r, &seeded)) % PPM;
  r->route = SRV_ROUTE_CODE;
  r->drawn = true;
  r->code = draw < rate ? HTTPSTATUS_CODE_INTERNAL_SERVER_ERROR
                        : HTTPSTATUS_CODE_OK;
}
