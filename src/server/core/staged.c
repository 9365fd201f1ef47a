/* SPDX-License-Identifier: MIT */
/*
 * core/staged.c - a plan in time: the sleep before the header section, the
 * interim response and the header section, the sleep after it, the content
 * at once or dribbled in up to 16 pieces, an abort at the point asked for.
 * The protocol layer does the sending (srv_plan_ops) and owns the timer;
 * this file only decides what is due and when the next step is.
 */
#include "core/core.h"

#define DRIBBLE_PIECES 16

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
  s->sent = 0;
  s->bytes = 0;
  s->quiet = false;
  s->waiting = false;
}

/* The sleeping gauge of /metrics: a timeline counts from its first wait
 * to its end (or until its owner drops it). */
static int64_t wait_for(srv_staged *s, uint64_t ms)
{
  if (!s->waiting) {
    s->waiting = true;
    SRV_COUNT(&s->core->metrics, sleeps_started);
  }
  return (int64_t)ms;
}

void srv_staged_drop(srv_staged *s)
{
  if (s->waiting) {
    s->waiting = false;
    SRV_COUNT(&s->core->metrics, sleeps_ended);
  }
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

static int64_t abort_at(srv_staged *s, srv_abort when)
{
  s->ops->abort(s->stream, s->plan, when);
  return finish(s, true);
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

/* The content: at once, or in up to 16 pieces spread over dribble_ms. */
static int64_t step_body(srv_staged *s)
{
  const srv_plan *p = s->plan;
  size_t body = p->body.len;
  bool mid = p->abort == SRV_ABORT_MID_BODY;
  size_t end = mid ? body / 2 : body;
  if (p->dribble_ms == 0 || s->sent >= end) {
    send_upto(s, end, !mid);
    return mid ? abort_at(s, SRV_ABORT_MID_BODY) : finish(s, false);
  }
  size_t pieces = body < DRIBBLE_PIECES ? body : DRIBBLE_PIECES;
  size_t piece = (body + pieces - 1) / pieces;
  size_t next = end - s->sent > piece ? s->sent + piece : end;
  send_upto(s, next, next == end && !mid);
  if (s->sent >= end)
    return mid ? abort_at(s, SRV_ABORT_MID_BODY) : finish(s, false);
  return wait_for(s, p->dribble_ms / pieces);
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

int64_t srv_staged_step(srv_staged *s)
{
  const srv_plan *p = s->plan;
  if (s->phase == SRV_PHASE_START && p->kind != SRV_PLAN_SILENT &&
      !srv_plan_timed(p))
    return run_at_once(s);
  switch (s->phase) {
  case SRV_PHASE_START:
    s->phase = SRV_PHASE_HEAD;
    if (p->sleep_ms)
      return wait_for(s, p->sleep_ms);
    /* fall through */
  case SRV_PHASE_HEAD: {
    if (p->abort == SRV_ABORT_BEFORE_HEADERS || p->kind == SRV_PLAN_SILENT)
      return abort_at(s, SRV_ABORT_BEFORE_HEADERS);
    if (p->interim != 0)
      s->bytes += s->ops->interim(s->stream, p, p->interim);
    bool last = p->body.len == 0 && p->abort == SRV_ABORT_NONE &&
                p->sleep_after_headers_ms == 0;
    s->bytes += s->ops->head(s->stream, p, last);
    if (p->abort == SRV_ABORT_AFTER_HEADERS)
      return abort_at(s, SRV_ABORT_AFTER_HEADERS);
    if (last)
      return finish(s, false);
    s->phase = SRV_PHASE_AFTER_HEAD;
    if (p->sleep_after_headers_ms)
      return wait_for(s, p->sleep_after_headers_ms);
  }
    /* fall through */
  case SRV_PHASE_AFTER_HEAD:
    s->phase = SRV_PHASE_BODY;
    /* fall through */
  case SRV_PHASE_BODY:
    return step_body(s);
  case SRV_PHASE_DONE:
    break;
  }
  return -1;
}
