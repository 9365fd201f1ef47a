#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes the seed corpus of fuzz_h2 (fuzz/corpus/h2/): client frames as
they follow the connection preface, built with the frame helpers of
tests/server/h2_test.py.

    python3 fuzz/h2_seeds.py fuzz/corpus/h2
"""
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "server"))
from h2_test import (CONTINUATION, DATA, END_HEADERS, END_STREAM, GOAWAY, HEADERS,  # noqa: E402
                     PING, PRIORITY, SETTINGS, WINDOW_UPDATE, frame, headers, request_block,
                     rst, settings)

START = frame(SETTINGS)


def get(stream, path, **kw):
    return headers(stream, path, **kw)


SEEDS = {
    "get_404": START + get(1, "/404"),
    "many_codes": START + b"".join(get(1 + 2 * i, f"/{c}") for i, c in
                                   enumerate((100, 103, 101, 204, 304, 444, 600, 999))),
    "head": START + get(1, "/200", method="HEAD"),
    "pages": START + b"".join(get(1 + 2 * i, p) for i, p in
                              enumerate(("/", "/healthz", "/api/codes/404", "/random/5xx",
                                         "/static/app.js", "/catalog"))),
    "aborts": START + b"".join(get(1 + 2 * i, "/200?abort=" + a) for i, a in
                               enumerate(("before-headers", "after-headers", "mid-body"))),
    "timed": START + get(1, "/200?sleep=20&sleepAfterHeaders=10&dribble=20") +
    get(3, "/404", extra=[("x-httpstatus-dribble", "30")]),
    "post_expect": START + get(1, "/201", end_stream=False, method="POST",
                               extra=[("expect", "100-continue"), ("content-length", "5")]) +
    frame(DATA, END_STREAM, 1, b"hello"),
    "post_too_big": START + get(1, "/200", end_stream=False, method="POST") +
    frame(DATA, 0, 1, b"x" * 4000) + frame(DATA, END_STREAM, 1, b"x" * 200),
    "expect_fail": START + get(1, "/200", extra=[("expect", "tea")]),
    "big_header": START + frame(HEADERS, END_STREAM, 1,
                                request_block("/200", extra=[("x-big", "a" * 15000)])) +
    frame(CONTINUATION, END_HEADERS, 1, request_block("/200", extra=[("x-big", "b" * 3000)])[-3010:]),
    "overrides": START + get(1, "/302", extra=[("x-httpstatus-response-location", "/x"),
                                               ("x-httpstatus-response-connection", "close"),
                                               ("accept", "text/html")]),
    "control": START + frame(PING, 0, 0, b"12345678") + settings(initial_window_size=5) +
    get(1, "/200") + frame(WINDOW_UPDATE, 0, 1, struct.pack(">I", 1000)) +
    frame(PRIORITY, 0, 3, b"\x00\x00\x00\x01\x10") + rst(1) + frame(GOAWAY, 0, 0, b"\x00" * 8),
    "continuation": START + frame(HEADERS, END_STREAM, 1, request_block("/200")[:5]) +
    frame(CONTINUATION, END_HEADERS, 1, request_block("/200")[5:]),
    "incomplete": START + get(1, "/200", end_stream=False, method="POST"),
    "reset_burst": START + b"".join(get(1 + 2 * i, "/200") + rst(1 + 2 * i) for i in range(50)),
}

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
for name, data in SEEDS.items():
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)
print(f"{len(SEEDS)} seeds in {out}")
