/* SPDX-License-Identifier: MIT */
/*
 * fuzz_serve.h - the worker the server's fuzz targets run connections on:
 * no loop, no socket, a configuration small enough that inputs reach the
 * limits, the clock moved by hand. Each target is its own program, so the
 * definitions below are static.
 */
#ifndef HTTPSTATUS_FUZZ_SERVE_H
#define HTTPSTATUS_FUZZ_SERVE_H

#include <string.h>

#include "fuzz.h"
#include "core/core.h"
#include "net/net.h"

static srv_config fuzz_cfg = {
    .host = "127.0.0.1",
    .workers = 1,
    .max_sleep_ms = 30000,
    .max_body = 4096, /* small, so that inputs reach 413 */
    .max_connections = 1,
    .header_timeout_ms = 10000,
    .idle_timeout_ms = 60000,
    .send_timeout_ms = 30000,
    .drain_ms = 5000,
};
static srv_worker fuzz_worker;

/* The timelines' clock is the worker's loop time, which the targets move
 * by hand (to a stream's wake_at, by a staged answer's delay). */
static uint64_t fuzz_clock(void)
{
  return fuzz_worker.now * 1000000u;
}

/* Builds the server's start-up tables, once. */
static void fuzz_serve_init(void)
{
  static bool done;
  if (done)
    return;
  done = true;
  srv_core_init();
  srv_http1_init();
  srv_http2_init();
  fuzz_worker.cfg = &fuzz_cfg;
  fuzz_worker.core.cfg = &fuzz_cfg;
  fuzz_worker.core.clock_ns = fuzz_clock;
}

/* Starts `c` as conn.c starts a plain connection (HTTP/1 until its first
 * bytes say otherwise), with the same /random/ draws and /retry/ counters every run. */
static void fuzz_conn_start(srv_conn *c)
{
  memset(c, 0, sizeof *c);
  fuzz_worker.core.rng = 0x9E3779B97F4A7C15ULL;
  srv_retry_free(); /* the /retry/ counters start from nothing */
  fuzz_worker.out.len = 0;
  fuzz_worker.core.scratch.len = 0;
  fuzz_worker.now = 1;
  c->w = &fuzz_worker;
  c->tr.fd = -1;
  c->proto = &srv_http1_proto;
  c->proto->start(c);
}

/* Moves what the server wrote into `into`. */
static void fuzz_take_output(srv_buf *into)
{
  srv_buf_append(into, fuzz_worker.out.data, fuzz_worker.out.len);
  fuzz_worker.out.len = 0;
}

#endif /* HTTPSTATUS_FUZZ_SERVE_H */
