/* SPDX-License-Identifier: MIT */
/*
 * core/random.c - /random/{spec}: a comma list of items, each a code (404), a
 * range (500-504) or either with a weight (200:0.9). An item without a
 * weight weighs as many codes as it holds, so an unweighted spec is uniform
 * over all its codes. The spec is read twice (sum, then pick): nothing is
 * stored and nothing allocated.
 */
#include <stdio.h>
#include <string.h>

#include "httpstatus.h"
#include "core/core.h"

#define MAX_ITEMS 256
#define WEIGHT_SCALE 1000u        /* weights are kept in thousandths */
#define MAX_WEIGHT 1000000u

typedef struct item {
  int lo, hi;
  uint64_t weight;
} item;

uint64_t srv_random_next(uint64_t *state)
{
  uint64_t x = *state;
  if (x == 0) /* xorshift never leaves 0: seed an unseeded generator */
    x = 0x9E3779B97F4A7C15ULL;
  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  *state = x;
  return x * 0x2545F4914F6CDD1DULL;
}

static bool parse_code(const char *s, size_t len, int *code)
{
  int rc = httpstatus_parse_code(s, len, code);
  return rc == HTTPSTATUS_OK || rc == HTTPSTATUS_E_RANGE;
}

/* "0.9", "1", "25.5": a non-negative decimal, in thousandths. */
static bool parse_weight(const char *s, size_t len, uint64_t *out)
{
  uint64_t whole = 0, frac = 0, scale = WEIGHT_SCALE;
  size_t i = 0;
  for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
    whole = whole * 10 + (uint64_t)(s[i] - '0');
    if (whole > MAX_WEIGHT)
      return false;
  }
  if (i == 0)
    return false;
  if (i < len && s[i] == '.') {
    size_t digits = 0;
    for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++, digits++) {
      if (scale > 1) {
        scale /= 10;
        frac += (uint64_t)(s[i] - '0') * scale;
      }
    }
    if (digits == 0)
      return false;
  }
  if (i != len)
    return false;
  *out = whole * WEIGHT_SCALE + frac;
  return true;
}

/* Parses one item; writes what is wrong into err. */
static bool parse_item(const char *s, size_t len, size_t index, item *it,
                       char *err, size_t err_size)
{
  const char *colon = memchr(s, ':', len);
  size_t codes_len = colon ? (size_t)(colon - s) : len;
  const char *dash = memchr(s, '-', codes_len);
  size_t lo_len = dash ? (size_t)(dash - s) : codes_len;
  if (len == 0) {
    snprintf(err, err_size, "item %zu is empty", index);
    return false;
  }
  if (!parse_code(s, lo_len, &it->lo) ||
      (dash && !parse_code(dash + 1, codes_len - lo_len - 1, &it->hi))) {
    snprintf(err, err_size,
             "item %zu '%.*s' is not a code or a range of codes "
             "(three digits, 100-999)",
             index, (int)codes_len, s);
    return false;
  }
  if (!dash)
    it->hi = it->lo;
  if (it->hi < it->lo) {
    snprintf(err, err_size, "item %zu: range %d-%d runs backwards", index,
             it->lo, it->hi);
    return false;
  }
  it->weight = (uint64_t)(it->hi - it->lo + 1) * WEIGHT_SCALE;
  if (colon && !parse_weight(colon + 1, len - codes_len - 1, &it->weight)) {
    snprintf(err, err_size,
             "item %zu: weight '%.*s' is not a number from 0 to %u", index,
             (int)(len - codes_len - 1), colon + 1, MAX_WEIGHT);
    return false;
  }
  return true;
}

/* Calls parse_item on each item; stops at `target` (a point in the summed
 * weights) when it is below the total, storing that item. Returns false
 * on a malformed spec; stores the sum of weights. */
static bool walk(const char *spec, size_t len, uint64_t target, item *found,
                 uint64_t *total, char *err, size_t err_size)
{
  size_t index = 1;
  uint64_t sum = 0;
  for (size_t pos = 0;; index++) {
    const char *comma = memchr(spec + pos, ',', len - pos);
    size_t end = comma ? (size_t)(comma - spec) : len;
    item it;
    if (index > MAX_ITEMS) {
      snprintf(err, err_size, "more than %d items", MAX_ITEMS);
      return false;
    }
    if (!parse_item(spec + pos, end - pos, index, &it, err, err_size))
      return false;
    if (target >= sum && target - sum < it.weight) {
      *found = it;
      return true;
    }
    sum += it.weight;
    if (!comma)
      break;
    pos = end + 1;
  }
  *total = sum;
  return true;
}

bool srv_random_pick(const char *spec, size_t len, uint64_t *rng, int *code,
                     char *err, size_t err_size)
{
  uint64_t total = 0;
  item it;
  if (len == 0) {
    snprintf(err, err_size, "the spec is empty: try /random/200,500-504");
    return false;
  }
  if (!walk(spec, len, UINT64_MAX, &it, &total, err, err_size))
    return false;
  if (total == 0) {
    snprintf(err, err_size, "every weight is zero");
    return false;
  }
  uint64_t target = srv_random_next(rng) % total;
  walk(spec, len, target, &it, &total, err, err_size);
  *code = it.lo + (int)(srv_random_next(rng) % (uint64_t)(it.hi - it.lo + 1));
  return true;
}
