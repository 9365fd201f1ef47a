/* SPDX-License-Identifier: MIT */
/*
 * core/staged.c - a plan in time: the interim response at once (repeated
 * every interval_ms while the sleep lasts), the sleep before the header
 * section, the header section, the sleep after it, the content at once or
 * dribbled in pieces, an abort at the point asked for. The protocol layer
 * does the sending (srv_plan_ops) and owns the timer; this file only
 * decides what is due and when the next step is.
 *
 * Every wait ends at a moment read from the monotonic clock when it began,
 * and a step that comes early (a millisecond timer rounds down) waits for
 * the rest: no answer ever leaves before the time asked.
 */
#include "core/core.h"

#define DRIBBLE_PIECES 16
#define NS_PER_MS UINT64_C(1000000)

void srv_staged_start(srv_staged *s, srv_core *core, const srv_exchange *x,
                      const srv_plan *p, const srv_plan_ops *ops,
                      void *stream)
{
  s->plan = p;
  s->x = x;
  s->core = core;
  s->ops = ops;
  s->stream = stream;
  s->phase = SRV_PHASE_START;
  s->due_ns = s->interim_ns = s->body_ns = 0;
  s->piece = 0;
  s->interim_sent = false;
  s->sent = 0;
  s->bytes = 0;
  s->quiet = false;
  s->waiting = false;
}

void srv_staged_drop(srv_staged *s)
{
  if (s->waiting) {
    s->waiting = false;
    SRV_COUNT(&s->core->metrics, sleeps_ended);
  }
}

/* The clock of the timeline (read only by plans that wait or fault: the
 * others run at once). */
static uint64_t now_of(const srv_staged *s)
{
  return s->core->clock_ns != NULL ? s->core->clock_ns() : srv_now_ns();
}

/* The delay before `due` in whole milliseconds, rounded up (`now` < `due`). */
static int64_t wait_until(uint64_t now, uint64_t due)
{
  return (int64_t)((due - now + NS_PER_MS - 1) / NS_PER_MS);
}

/* Ends the timeline: counts and logs the exchange, then hands it back.
 * Inline: most answers end here, from run_at_once. */
static inline int64_t finish(srv_staged *s, bool close)
{
  const srv_plan *p = s->plan;
  int code = p->kind == SRV_PLAN_SILENT ? 0 : p->code;
  s->phase = SRV_PHASE_DONE;
  srv_staged_drop(s);
  if (!s->quiet)
    srv_metrics_request(&s->core->metrics, p->route, code);
  if (!s->quiet && s->core->cfg->access_log)
    srv_log_exchange(s->core, s->x, code, s->bytes);
  s->ops->finish(s->stream, p, close || p->close);
  return -1;
}

/* The aborts that happen where the header section would go. */
static bool aborts_before_headers(const srv_plan *p)
{
  return p->kind == SRV_PLAN_SILENT || p->abort == SRV_ABORT_BEFORE_HEADERS ||
         p->abort == SRV_ABORT_RESET || p->abort == SRV_ABORT_GOAWAY;
}

static int64_t abort_at(srv_staged *s, srv_abort when)
{
  s->ops->abort(s->stream, s->plan, when);
  return finish(s, true);
}

static void send_interim(srv_staged *s)
{
  s->bytes += s->ops->interim(s->stream, s->plan, s->plan->interim);
  s->interim_sent = true;
}

/* Sends the content up to `end`; `last` when that ends it (then even an
 * empty piece goes out: HTTP/2 ends the stream with it). */
static void send_upto(srv_staged *s, size_t end, bool last)
{
  const srv_plan *p = s->plan;
  if (end > s->sent || last)
    s->bytes += s->ops->body(s->stream, p, p->body.s + s->sent, end - s->sent,
                             last);
  s->sent = end;
}

static uint32_t pieces_of(const srv_plan *p)
{
  uint64_t n = p->dribble_pieces ? p->dribble_pieces : DRIBBLE_PIECES;
  return (uint32_t)(p->body.len < n ? p->body.len : n);
}

/* When piece k of n is due: the first as the content starts, the last
 * dribble_ms later (a single piece waits the whole time). */
static uint64_t piece_due(const srv_staged *s, uint32_t k, uint32_t n)
{
  uint64_t span = s->plan->dribble_ms * NS_PER_MS;
  if (n < 2)
    return s->body_ns + span;
  uint64_t gaps = n - 1;
  return s->body_ns + span / gaps * k + span % gaps * k / gaps;
}

/* The content: at once, or in pieces spread over dribble_ms; an abort
 * mid-body stops at half of it. */
static int64_t step_body(srv_staged *s, uint64_t now)
{
  const srv_plan *p = s->plan;
  size_t body = p->body.len;
  bool mid = p->abort == SRV_ABORT_MID_BODY;
  size_t end = mid ? body / 2 : body;
  if (p->dribble_ms == 0 || body == 0) {
    send_upto(s, end, !mid);
    return mid ? abort_at(s, SRV_ABORT_MID_BODY) : finish(s, false);
  }
  uint32_t n = pieces_of(p);
  while (s->piece < n) {
    uint64_t due = piece_due(s, s->piece, n);
    if (now < due)
      return wait_until(now, due);
    s->piece++;
    size_t upto = body * s->piece / n;
    send_upto(s, upto < end ? upto : end, upto >= body && !mid);
    if (s->sent >= end)
      break;
  }
  return mid ? abort_at(s, SRV_ABORT_MID_BODY) : finish(s, false);
}

/* The sleep before the header section, the interim response repeated
 * every interval_ms meanwhile. Returns the delay, or 0 once it is over. */
static int64_t step_sleep(srv_staged *s, uint64_t now)
{
  const srv_plan *p = s->plan;
  if (now >= s->due_ns)
    return 0;
  if (p->interval_ms == 0 || !s->interim_sent)
    return wait_until(now, s->due_ns);
  if (now >= s->interim_ns) {
    send_interim(s);
    while (s->interim_ns <= now)
      s->interim_ns += p->interval_ms * NS_PER_MS;
  }
  return wait_until(now, s->interim_ns < s->due_ns ? s->interim_ns : s->due_ns);
}


/* The timeline of a plan that neither waits nor faults, in one go (most
 * answers): the same sends as the phases below, without their checks. */
static int64_t run_at_once(srv_staged *s)
{
  const srv_plan *p = s->plan;
  if (p->interim != 0)
    s->bytes += s->ops->interim(s->stream, p, p->interim);
  bool empty = p->body.len == 0;
  s->bytes += s->ops->head(s->stream, p, empty);
  if (!empty)
    s->bytes += s->ops->body(s->stream, p, p->body.s, p->body.len, true);
  s->sent = p->body.len;
  return finish(s, false);
}

static int64_t step(srv_staged *s)
{
  const srv_plan *p = s->plan;
  if (s->phase == SRV_PHASE_START && p->kind != SRV_PLAN_SILENT &&
      !srv_plan_timed(p))
    return run_at_once(s);
  uint64_t now = now_of(s);
  int64_t delay;
  switch (s->phase) {
  case SRV_PHASE_START:
    /* A 1xx says the request is being worked on: it goes before any wait. */
    if (p->interim != 0)
      send_interim(s);
    s->phase = SRV_PHASE_SLEEP;
    s->due_ns = now + p->sleep_ms * NS_PER_MS;
    s->interim_ns = now + p->interval_ms * NS_PER_MS;
    /* fall through */
  case SRV_PHASE_SLEEP:
    if ((delay = step_sleep(s, now)) > 0)
      return delay;
    s->phase = SRV_PHASE_HEAD;
    /* fall through */
  case SRV_PHASE_HEAD: {
    if (aborts_before_headers(p))
      return abort_at(s, p->abort == SRV_ABORT_NONE ? SRV_ABORT_BEFORE_HEADERS
                                                    : p->abort);
    bool last = p->body.len == 0 && p->abort == SRV_ABORT_NONE &&
                p->sleep_after_headers_ms == 0;
    s->bytes += s->ops->head(s->stream, p, last);
    if (p->abort == SRV_ABORT_AFTER_HEADERS)
      return abort_at(s, SRV_ABORT_AFTER_HEADERS);
    if (last)
      return finish(s, false);
    s->phase = SRV_PHASE_AFTER_HEAD;
    now = now_of(s); /* the wait starts once the header section is out */
    s->due_ns = now + p->sleep_after_headers_ms * NS_PER_MS;
  }
    /* fall through */
  case SRV_PHASE_AFTER_HEAD:
    if (now < s->due_ns)
      return wait_until(now, s->due_ns);
    s->phase = SRV_PHASE_BODY;
    s->body_ns = now;
    /* fall through */
  case SRV_PHASE_BODY:
    return step_body(s, now);
  case SRV_PHASE_DONE:
    break;
  }
  return -1;
}

/* The sleeping gauge of /metrics counts a timeline from its first wait to
 * its end (or until its owner drops it). */
int64_t srv_staged_step(srv_staged *s)
{
  int64_t delay = step(s);
  if (delay >= 0 && !s->waiting) {
    s->waiting = true;
    SRV_COUNT(&s->core->metrics, sleeps_started);
  }
  return delay;
}
