#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""End-to-end tests of `httpstatus serve`'s faults over time and the peers'
spellings (httpbin, go-httpbin, httpstat.us), one behaviour per test.

    faults_test.py --list                 # "GROUP NAME" per test (CMake reads it)
    faults_test.py NAME --bin PATH        # runs one test

CTest runs each test as GROUP_NAME (server_faults2_*, server_peers_*). The
server, curl and raw-socket helpers come from server_test.py; clients are
curl, Python's http.client and Node's http module (node_client.js). Timing
checks are lower bounds only.
"""
import argparse
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse

import server_test as st
from server_test import (Server, check, curl, exchange, expect_400_line,
                         read_responses, read_responses_from, req, wait_closed)

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = {}


def test(group):
    def register(fn):
        TESTS[fn.__name__] = (group, fn)
        return fn
    return register


# --------------------------------------------------------------------------
# Clients

class PyReply:
    def __init__(self, status, reason, fields, body, elapsed):
        self.status, self.reason, self.fields = status, reason, fields
        self.body, self.elapsed = body, elapsed

    def get(self, name):
        for n, v in self.fields:
            if n.lower() == name.lower():
                return v
        return None

    def __repr__(self):
        return f"<python {self.status} {self.fields} {self.body[:120]!r}>"


def python(srv, path, method="GET", headers=None):
    """One request with Python's http.client."""
    c = http.client.HTTPConnection(srv.host, srv.port, timeout=20)
    try:
        t0 = time.monotonic()
        c.request(method, path, headers=headers or {})
        r = c.getresponse()
        body = r.read()
        return PyReply(r.status, r.reason, r.getheaders(), body, time.monotonic() - t0)
    finally:
        c.close()


def node(srv, path, method="GET", headers=None):
    """One request with Node's http module: a dict (see node_client.js)."""
    opts = json.dumps({"method": method, "headers": headers or {}})
    p = subprocess.run(["node", os.path.join(HERE, "node_client.js"), srv.base() + path, opts],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    try:
        out = json.loads(p.stdout.decode().strip().splitlines()[-1])
    except (ValueError, IndexError):
        out = {"error": f"node printed {p.stdout[-300:]!r} {p.stderr[-300:]!r}"}
    out.setdefault("status", None)
    return out


def node_get(reply, name):
    for n, v in reply.get("headers", []):
        if n.lower() == name.lower():
            return v
    return None


def timed_raw(srv, data, count=1, timeout=20):
    """Sends data on a fresh connection; returns (responses, seconds from the
    send to the last byte of the last response)."""
    s = srv.connect(timeout)
    try:
        t0 = time.monotonic()
        s.sendall(data)
        out, rest, closed = read_responses(s, count, timeout=timeout)
        return out, time.monotonic() - t0
    finally:
        s.close()


def head_section(sock, timeout=10):
    """Reads until the first blank line; returns everything read so far."""
    sock.settimeout(timeout)
    buf = b""
    while b"\r\n\r\n" not in buf:
        data = sock.recv(65536)
        if not data:
            break
        buf += data
    return buf


# --------------------------------------------------------------------------
# Fixes found by real clients (each failed before its fix)

@test("server_faults2")
def dribble_ends_after_the_time_asked():
    """?dribble=MS: the last byte leaves no sooner than MS after the request
    (it used to end one piece early: the first left with the header section)."""
    with Server() as srv:
        for target, fields in (("/200?dribble=800", ()), ("/200", ("X-HttpStatus-Dribble: 800",))):
            out, took = timed_raw(srv, req("GET", target, *fields))
            check(out and out[-1].code == 200 and out[-1].body == b"200 OK\n",
                  f"{target} {fields}: the whole content, got {out}")
            check(took >= 0.8, f"{target} {fields}: the last byte >= 800 ms after the request, "
                               f"got {took:.3f}s")


@test("server_faults2")
def sleep_is_never_short():
    """?sleep=MS: every answer comes no sooner than MS after the request was
    sent, measured by the client (the timer used to start from the loop's
    cached time and could fire a fraction of a millisecond early)."""
    with Server() as srv:
        s = srv.connect(10)
        short = []
        try:
            for i in range(60):
                t0 = time.perf_counter_ns()
                s.sendall(req("GET", f"/204?sleep=7&i={i}"))
                out, rest, closed = read_responses(s, 1, timeout=10)
                took = (time.perf_counter_ns() - t0) / 1e6
                if not out or out[-1].code != 204:
                    check(False, f"/204?sleep=7 #{i}: answered, got {out}")
                    break
                if took < 7.0:
                    short.append(round(took, 3))
        finally:
            s.close()
        check(not short, f"?sleep=7: never answered before 7 ms, early answers (ms): {short}")


@test("server_faults2")
def suppress_body_keeps_content_range():
    """suppressBody on 206 and 416 keeps Content-Range (RFC 9110, Sections
    15.3.7 and 15.5.17)."""
    with Server() as srv:
        for code, shape in ((206, r"^bytes \d+-\d+/\d+$"), (416, r"^bytes \*/\d+$")):
            for how, fields in (("?suppressBody=true", ()), ("", ("X-HttpStatus-Suppress-Body: true",))):
                r = curl(srv, f"/{code}{how}", headers=fields)
                v = r.get("Content-Range")
                check(r.status == code and v and re.match(shape, v) and r.body == b"",
                      f"/{code}{how} {fields}: no content, Content-Range kept, got {r}")


@test("server_faults2")
def successful_options_carries_allow():
    """A successful OPTIONS names the methods in Allow (RFC 9110, Section 9.3.7)."""
    with Server() as srv:
        r = curl(srv, "/200", method="OPTIONS")
        allow = {m.strip() for m in (r.get("Allow") or "").split(",")}
        check(r.status == 200 and {"GET", "HEAD", "OPTIONS", "POST"} <= allow,
              f"OPTIONS /200: 200 with Allow naming GET, HEAD, OPTIONS, POST, got {r}")
        r = curl(srv, "/healthz", method="OPTIONS")
        check(r.status == 200 and r.get("Allow") == "GET, HEAD, OPTIONS",
              f"OPTIONS /healthz: Allow: GET, HEAD, OPTIONS, got {r}")
        s = exchange(srv, req("OPTIONS", "*"))[0]
        check(s and s[0].code == 204 and s[0].get("Allow"), f"OPTIONS *: 204 with Allow, got {s}")
        r = curl(srv, "/404", method="OPTIONS")
        check(r.status == 404 and r.get("Allow") is None, f"OPTIONS /404: no Allow on a 404, got {r}")
        r = python(srv, "/204", method="OPTIONS")
        check(r.status == 204 and r.get("Allow"), f"python OPTIONS /204: Allow, got {r}")


@test("server_faults2")
def unknown_code_json_says_nobody_defines_it():
    """The JSON of a code the catalog does not know says nobody defines it,
    not that it is an unofficial code of origin "none"."""
    with Server() as srv:
        for code, status in ((299, "unassigned"), (799, "invalid")):
            r = curl(srv, f"/{code}", headers=["Accept: application/json"])
            try:
                j = json.loads(r.body)
            except ValueError:
                j = {}
            check(r.status == code and j.get("code") == code and j.get("status") == status and
                  j.get("origin") is None and j.get("reference") is None,
                  f"/{code} JSON: status {status!r}, origin null, got {r.body[:300]!r}")
            check("nobody" in j.get("summary", ""),
                  f"/{code} JSON: the summary says nobody defines it: {j.get('summary')!r}")
        j = json.loads(curl(srv, "/404", headers=["Accept: application/json"]).body)
        check(j["status"] == "standard" and j["origin"] == "RFC 9110", f"/404 JSON unchanged: {j}")


# --------------------------------------------------------------------------
# Interim responses on a timeline

def interim_then_final(srv, target, code, wait_s, fields=()):
    """Reads target's answer from a raw socket: the 1xx arrives alone (before
    the final status line), the final one no sooner than wait_s later."""
    s = srv.connect(20)
    try:
        t0 = time.monotonic()
        s.sendall(req("GET", target, *fields))
        first = head_section(s)
        alone = first.startswith(f"HTTP/1.1 {code} ".encode()) and b"HTTP/1.1 200" not in first
        out, rest, closed = read_responses_from(s, first, timeout=20)
        took = time.monotonic() - t0
    finally:
        s.close()
    codes = [r.code for r in out]
    check(alone, f"{target}: {code} arrives before the final status, alone, got {first[:300]!r}")
    check(codes and codes[0] == code and codes[-1] == 200,
          f"{target}: {code} then 200, got {codes}")
    check(took >= wait_s, f"{target}: the final answer >= {wait_s}s after the request, got {took:.3f}s")
    return out


@test("server_faults2")
def processing_before_the_sleep():
    """/102?sleep=1500: 102 Processing at once, the final answer after the sleep."""
    with Server() as srv:
        interim_then_final(srv, "/102?sleep=1500", 102, 1.5)
        interim_then_final(srv, "/102", 102, 1.0, fields=("X-HttpStatus-Sleep: 1000",))
        r = curl(srv, "/102?sleep=500")
        check([b[0] for b in r.blocks] == [102, 200] and r.elapsed >= 0.5,
              f"curl: 102 then 200 after >= 500 ms, got {r.blocks} in {r.elapsed:.3f}s")
        r = node(srv, "/102?sleep=800")
        check([i["status"] for i in r.get("interim", [])] == [102] and r["status"] == 200,
              f"node: 'information' 102, then 200, got {r}")
        if r.get("interim"):
            check(r["ms"] - r["interim"][0]["ms"] >= 700,
                  f"node: the 102 came >= 800 ms before the end: {r['interim']} end {r['ms']}")


@test("server_faults2")
def processing_repeated_with_interval():
    """/102?sleep=1000&interval=250: a 102 every 250 ms while waiting."""
    with Server() as srv:
        out = interim_then_final(srv, "/102?sleep=1000&interval=250", 102, 1.0)
        # 102s at 0, 250, 500 and 750 ms; a timer that fires late (a busy
        # machine) skips a repeat, never the first nor the final answer.
        n = sum(1 for r in out if r.code == 102)
        check(n >= 2, f"interval=250 over 1000 ms: the 102 repeated, got {n}")
        r = node(srv, "/102?sleep=600&interval=200")
        check(len(r.get("interim", [])) >= 2 and r["status"] == 200,
              f"node: several 'information' events then 200, got {r}")
        for bad in ("0", "abc", "9", "-1"):
            expect_400_line(curl(srv, f"/102?sleep=100&interval={bad}"), f"interval={bad}")
        expect_400_line(curl(srv, "/200?sleep=100&interval=50"),
                        "interval= on a code that is no interim response")


@test("server_faults2")
def early_hints_before_the_sleep():
    """/103?sleep=1000: 103 Early Hints (with Link) first, then the answer."""
    with Server() as srv:
        out = interim_then_final(srv, "/103?sleep=1000", 103, 1.0)
        check(out and out[0].get("Link"), f"/103?sleep: the 103 carries Link, got {out[:1]}")
        r = node(srv, "/103?sleep=500")
        hints = r.get("interim", [])
        check(len(hints) == 1 and hints[0]["status"] == 103 and
              any(n.lower() == "link" for n, _ in hints[0]["headers"]) and r["status"] == 200,
              f"node: 'information' 103 with Link, then 200, got {r}")
        r = curl(srv, "/103?sleep=300")
        check([b[0] for b in r.blocks] == [103, 200] and r.elapsed >= 0.3,
              f"curl: 103 then 200 after >= 300 ms, got {r.blocks} in {r.elapsed:.3f}s")


# --------------------------------------------------------------------------
# Bodies and faults

@test("server_faults2")
def abort_reset_sends_rst():
    """abort=reset ends the connection with a TCP RST (SO_LINGER 0)."""
    with Server() as srv:
        for target, fields in (("/200?abort=reset", ()), ("/200", ("X-HttpStatus-Abort: reset",)),
                               ("/200?sleep=200&abort=reset", ())):
            s = srv.connect(10)
            reset, data = False, b""
            try:
                s.sendall(req("GET", target, *fields))
                while True:
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    data += chunk
            except ConnectionResetError:
                reset = True
            finally:
                s.close()
            check(reset and data == b"", f"{target} {fields}: reset with nothing sent, "
                                        f"got reset={reset} {data[:100]!r}")
        r = curl(srv, "/200?abort=reset")
        check(r.rc == 56 and b"reset" in r.err.lower(), f"curl: 'Connection reset by peer' (56), got {r.rc} {r.err!r}")
        r = node(srv, "/200?abort=reset")
        check(r.get("error") == "ECONNRESET", f"node: ECONNRESET, got {r}")
        try:
            python(srv, "/200?abort=reset")
            err = None
        except (ConnectionResetError, http.client.RemoteDisconnected) as e:
            err = e
        check(isinstance(err, ConnectionResetError), f"python: ConnectionResetError, got {err!r}")
        check(curl(srv, "/200").status == 200, "after resets: /200 still answered")


@test("server_faults2")
def abort_goaway_closes_cleanly():
    """abort=goaway over HTTP/1 closes cleanly before the header section (FIN,
    no RST: HTTP/1 has no GOAWAY; HTTP/2 sends one)."""
    with Server() as srv:
        s = srv.connect(10)
        s.sendall(req("GET", "/200?abort=goaway"))
        closed, extra = wait_closed(s, 5)
        s.close()
        check(closed and extra == b"", f"abort=goaway: closed with nothing sent, got {extra[:100]!r}")
        expect_400_line(curl(srv, "/200?abort=now"), "abort=now")


@test("server_faults2")
def body_replaces_the_content():
    """?body=TEXT (percent-decoded, + as a space) is the content; contentType
    its Content-Type."""
    with Server() as srv:
        r = curl(srv, "/200?body=hello%20world")
        check(r.status == 200 and r.body == b"hello world" and r.get("Content-Length") == "11" and
              r.get("Content-Type") == "text/plain; charset=utf-8",
              f"curl ?body=hello%20world: that content as text/plain, got {r}")
        r = curl(srv, "/418?body=%7B%22ok%22%3Atrue%7D&contentType=application/json")
        check(r.status == 418 and r.body == b'{"ok":true}' and r.get("Content-Type") == "application/json",
              f"curl ?body=JSON&contentType=application/json, got {r}")
        p = python(srv, "/503?" + "body=try+again+later&contentType=text%2Fplain%3B+charset%3Dutf-8")
        check(p.status == 503 and p.body == b"try again later" and
              p.get("Content-Type") == "text/plain; charset=utf-8" and p.get("Retry-After"),
              f"python ?body= (+ as space) on 503, Retry-After kept, got {p}")
        n = node(srv, "/201?body=created&contentType=text/html")
        check(n["status"] == 201 and n.get("body") == "created" and node_get(n, "content-type") == "text/html",
              f"node ?body=created&contentType=text/html, got {n}")
        r = curl(srv, "/200?body=abc", head=True)
        check(r.status == 200 and r.get("Content-Length") == "3", f"HEAD ?body=abc: Content-Length 3, got {r}")
        r = curl(srv, "/206?body=0123456789")
        check(r.status == 206 and r.body == b"01234" and r.get("Content-Range") == "bytes 0-4/10",
              f"/206?body=0123456789: the first half as a range of it, got {r}")
        r = curl(srv, "/200?contentType=application/xml")
        check(r.status == 200 and r.get("Content-Type") == "application/xml" and r.body,
              f"?contentType alone: the usual content under that type, got {r}")


@test("server_faults2")
def body_refused_when_wrong():
    """A body too long, on a code without content, or a contentType that is
    not a media type: 400 with the line saying why."""
    with Server() as srv:
        expect_400_line(curl(srv, "/200?body=" + "x" * 4097), "body of 4097 bytes")
        check(curl(srv, "/200?body=" + "x" * 4096).body == b"x" * 4096, "body of 4096 bytes is served")
        expect_400_line(curl(srv, "/204?body=x"), "body on 204")
        expect_400_line(curl(srv, "/304?body=x"), "body on 304")
        expect_400_line(curl(srv, "/200?body=%zz"), "body with a bad escape")
        for bad in ("text", "text/", "/plain", "text/plain;%20charset", "a%20b/c", "text/plain%20",
                    "text/plain%0d%0aX-Evil:%201", "text/pl@in"):
            expect_400_line(curl(srv, f"/200?body=x&contentType={bad}"), f"contentType={bad}")
        for good in ('text/plain;%20charset="utf-8"', "text/plain;", "a/b;x=1;;y=2"):
            r = curl(srv, f"/200?body=x&contentType={good}")
            check(r.status == 200 and r.get("Content-Type") == urllib.parse.unquote(good),
                  f"contentType={good} is a media type (RFC 9110, Sections 8.3.1, 5.6.6), got {r}")


@test("server_faults2")
def drip_sends_numbytes_over_duration():
    """/drip?duration=&numbytes=&code=&delay= as go-httpbin: the code after
    the delay, then numbytes '*' spread over the duration."""
    with Server() as srv:
        s = srv.connect(20)
        try:
            t0 = time.monotonic()
            s.sendall(req("GET", "/drip?duration=1&numbytes=5&code=201&delay=0.5"))
            first = head_section(s)
            t_head = time.monotonic()
            out, rest, closed = read_responses_from(s, first, timeout=20)
            t_end = time.monotonic()
        finally:
            s.close()
        r = out[-1] if out else None
        check(r and r.code == 201 and r.body == b"*****" and r.get("Content-Length") == "5",
              f"/drip: 201 with 5 '*', got {out}")
        check(r and (r.get("Content-Type") or "").startswith("text/plain"), f"/drip: text/plain, got {r}")
        check(t_head - t0 >= 0.5, f"/drip: the header section after the 0.5 s delay, got {t_head - t0:.3f}")
        check(t_end - t0 >= 1.5, f"/drip: the last byte after delay + duration (1.5 s), got {t_end - t0:.3f}")
        p = python(srv, "/drip?duration=0.3&numbytes=3&delay=0")
        check(p.status == 200 and p.body == b"***" and p.elapsed >= 0.3, f"python /drip: 200 '***' >= 0.3 s, got {p} {p.elapsed:.3f}")
        n = node(srv, "/drip?duration=200ms&numbytes=4&delay=100ms&code=503")
        check(n["status"] == 503 and n.get("body") == "****" and n.get("ms", 0) >= 300,
              f"node /drip with Go durations: 503 '****' >= 300 ms, got {n}")
        r = curl(srv, "/drip?delay=0&duration=0")
        check(r.status == 200 and r.body == b"*" * 10, f"/drip defaults: 10 bytes, got {r}")


@test("server_faults2")
def drip_refused_when_wrong():
    with Server("--max-sleep", "3000") as srv:
        expect_400_line(curl(srv, "/drip?duration=4"), "/drip duration above --max-sleep")
        expect_400_line(curl(srv, "/drip?duration=2&delay=1.5"), "/drip duration + delay above --max-sleep")
    with Server() as srv:
        for bad in ("numbytes=0", "numbytes=x", "numbytes=99999999", "code=99", "duration=-1",
                    "delay=soon", "duration=1h"):
            expect_400_line(curl(srv, f"/drip?{bad}"), f"/drip?{bad}")


# --------------------------------------------------------------------------
# Retries over time

@test("server_faults2")
def retry_fails_n_times_then_succeeds():
    """/retry/{n}/{key}: the first n requests with the key get the failure
    code (503 by default, with Retry-After), later ones 200."""
    with Server() as srv:
        codes = [curl(srv, "/retry/2/alpha") for _ in range(4)]
        check([r.status for r in codes] == [503, 503, 200, 200],
              f"/retry/2/alpha: 503, 503, 200, 200, got {[r.status for r in codes]}")
        check(all(r.get("Retry-After") for r in codes[:2]), f"/retry: Retry-After on the failures: {codes[:2]}")
        codes = [python(srv, "/retry/1/beta?code=500").status for _ in range(3)]
        check(codes == [500, 200, 200], f"python /retry/1/beta?code=500: 500, 200, 200, got {codes}")
        r = curl(srv, "/retry/1/gamma?code=429")
        check(r.status == 429 and r.get("Retry-After"), f"?code=429 with Retry-After, got {r}")
        r = curl(srv, "/retry/1/delta?code=500")
        check(r.status == 500 and r.get("Retry-After") == "1", f"?code=500 gets a Retry-After too, got {r}")
        check(curl(srv, "/retry/0/epsilon").status == 200, "/retry/0/...: 200 at once")
        codes = [node(srv, "/retry/1/zeta")["status"] for _ in range(2)]
        check(codes == [503, 200], f"node /retry/1/zeta: 503 then 200, got {codes}")


@test("server_faults2")
def retry_counted_across_workers():
    """The counters are shared by all workers of the process."""
    with Server("--workers", "2") as srv:
        codes = []
        for _ in range(16):  # a new connection each: the kernel spreads them
            out, _ = timed_raw(srv, req("GET", "/retry/6/shared", "Connection: close"))
            codes.append(out[-1].code if out else None)
        check(codes == [503] * 6 + [200] * 10, f"/retry/6/shared over 2 workers: 6 x 503 then 200, got {codes}")


@test("server_faults2")
def retry_with_curl_retry():
    """curl --retry follows the failures' Retry-After and ends with 200."""
    with Server() as srv:
        r = curl(srv, "/retry/2/curl", "--retry", "3", timeout=20)
        check(r.rc == 0 and r.status == 200 and r.elapsed >= 2.0,
              f"curl --retry 3 on /retry/2/curl: 200 after two 1 s waits, got {r} {r.elapsed:.3f}s")
        r = curl(srv, "/retry/1/fast", "--retry", "2",
                 headers=["X-HttpStatus-Response-Retry-After: 0"], timeout=20)
        check(r.rc == 0 and r.status == 200, f"Retry-After overridden to 0: curl --retry ends with 200, got {r}")


@test("server_faults2")
def retry_refused_when_wrong():
    with Server() as srv:
        for bad in ("/retry", "/retry/", "/retry/3", "/retry/3/", "/retry/x/key", "/retry/-1/key",
                    "/retry/1000001/key", "/retry/2/key?code=200", "/retry/2/key?code=abc",
                    "/retry/2/" + "k" * 257):
            expect_400_line(curl(srv, bad), bad)


@test("server_faults2")
def until_fails_until_the_moment():
    """?until=UNIX_MS answers the code until then, 200 after."""
    with Server() as srv:
        now = int(time.time() * 1000)
        r = curl(srv, f"/503?until={now + 60000}")
        check(r.status == 503, f"/503?until=in a minute: 503, got {r}")
        r = curl(srv, f"/503?until={now - 1}")
        check(r.status == 200, f"/503?until=just passed: 200, got {r}")
        n = node(srv, f"/429?until={now + 60000}")
        check(n["status"] == 429 and node_get(n, "retry-after"), f"node /429?until=: 429, got {n}")
        r = python(srv, f"/500?until={int(time.time() * 1000) + 1200}")
        check(r.status == 500, f"python /500?until=+1.2 s: 500, got {r}")
        time.sleep(1.3)
        r = python(srv, f"/500?until={now + 1200}")
        check(r.status == 200, f"python /500?until= once passed: 200, got {r}")
        for bad in ("soon", "-5", "1.5", ""):
            expect_400_line(curl(srv, f"/503?until={bad}"), f"until={bad}")


@test("server_faults2")
def unstable_reproducible_with_seed():
    """/unstable (go-httpbin): 200 or 500; the same seed gives the same
    answer on any connection and worker; failure_rate weighs it."""
    with Server("--workers", "2") as srv:
        for seed in (1, 2, 3, 42):
            seen = {curl(srv, f"/unstable?seed={seed}").status for _ in range(6)}
            check(len(seen) == 1 and seen <= {200, 500}, f"/unstable?seed={seed}: one answer, got {seen}")
        draws = [curl(srv, f"/unstable?seed={s}").status for s in range(40)]
        check(set(draws) == {200, 500}, f"/unstable over 40 seeds: both 200 and 500, got {draws}")
        check({curl(srv, f"/unstable?failure_rate=0&seed={s}").status for s in range(10)} == {200},
              "failure_rate=0: always 200")
        check({python(srv, f"/unstable?failure_rate=1&seed={s}").status for s in range(10)} == {500},
              "failure_rate=1: always 500")
        n = [node(srv, "/unstable?seed=42")["status"] for _ in range(2)]
        check(n[0] == n[1] == curl(srv, "/unstable?seed=42").status,
              f"node /unstable?seed=42: the same answer as curl's, got {n}")
        draws = [curl(srv, "/unstable").status for _ in range(30)]
        check(set(draws) == {200, 500}, f"/unstable without seed: both answers in 30, got {draws}")
        for bad in ("failure_rate=2", "failure_rate=-0.1", "failure_rate=x", "seed=abc", "seed=-1"):
            expect_400_line(curl(srv, f"/unstable?{bad}"), f"/unstable?{bad}")


@test("server_faults2")
def random_reproducible_with_seed():
    """/random/{spec}?seed=N always draws the same code for the same N."""
    with Server("--workers", "2") as srv:
        for seed in (0, 7, 123456789):
            seen = {curl(srv, f"/random/200-299?seed={seed}").status for _ in range(6)}
            check(len(seen) == 1, f"/random/200-299?seed={seed}: one code, got {seen}")
        draws = {curl(srv, f"/random/200-299?seed={s}").status for s in range(20)}
        check(len(draws) > 5, f"/random/200-299 over 20 seeds: several codes, got {draws}")
        a = curl(srv, "/random/200,500?seed=9").status
        b = curl(srv, "/status/200,500?seed=9").status
        check(a == b, f"/random/ and /status/ draw the same for one seed: {a} {b}")
        c = python(srv, "/random/200-299?seed=7").status
        d = node(srv, "/random/200-299?seed=7")["status"]
        check(c == d == curl(srv, "/random/200-299?seed=7").status,
              f"python, node and curl draw the same code for seed 7: {c} {d}")


@test("server_faults2")
def faults_over_http2():
    """The same timeline over HTTP/2 (curl, prior knowledge): interim HEADERS
    before the sleep and repeated, a reset stream, retries, drip, bodies."""
    h2 = "--http2-prior-knowledge"
    with Server() as srv:
        r = curl(srv, "/102?sleep=600&interval=200", h2)
        codes = [b[0] for b in r.blocks]
        check(codes[:1] == [102] and codes[-1] == 200 and codes.count(102) >= 2 and r.elapsed >= 0.6,
              f"h2 /102?sleep=600&interval=200: 102s then 200 after >= 600 ms, got {codes} {r.elapsed:.3f}s")
        r = curl(srv, "/103?sleep=300", h2)
        check([b[0] for b in r.blocks] == [103, 200] and r.getall("Link", block=0),
              f"h2 /103?sleep=300: 103 with Link, then 200, got {r.blocks}")
        r = curl(srv, "/200?abort=reset", h2)
        check(r.rc == 92, f"h2 abort=reset: the stream is reset (curl 92), got {r.rc} {r.err!r}")
        codes = [curl(srv, "/retry/1/over-h2", h2).status for _ in range(2)]
        check(codes == [503, 200], f"h2 /retry/1/over-h2: 503 then 200, got {codes}")
        r = curl(srv, "/drip?numbytes=3&duration=0.3&delay=0&code=201", h2)
        check(r.status == 201 and r.body == b"***" and r.elapsed >= 0.3,
              f"h2 /drip: 201 '***' >= 300 ms, got {r} {r.elapsed:.3f}s")
        r = curl(srv, "/418?body=short+and+stout&contentType=text/plain", h2)
        check(r.status == 418 and r.body == b"short and stout" and r.get("content-type") == "text/plain",
              f"h2 ?body=&contentType=: that content, got {r}")
        r = curl(srv, "/delay/0.2", h2)
        check(r.status == 200 and json.loads(r.body or b"{}").get("url") == "/delay/0.2" and r.elapsed >= 0.2,
              f"h2 /delay/0.2: 200 JSON after >= 200 ms, got {r}")


# --------------------------------------------------------------------------
# The peers' spellings

def httpstatus_us_header(srv, field, value):
    return curl(srv, "/200", headers=[f"{field}: {value}"])


@test("server_peers")
def httpstatus_us_suppress_body():
    with Server() as srv:
        r = httpstatus_us_header(srv, "X-HttpStatus-SuppressBody", "true")
        check(r.status == 200 and r.body == b"" and r.get("Content-Length") == "0",
              f"X-HttpStatus-SuppressBody: true: no content, got {r}")
        r = httpstatus_us_header(srv, "X-HttpStatus-SuppressBody", "False")
        check(r.status == 200 and r.body == b"200 OK\n", f"X-HttpStatus-SuppressBody: False: content, got {r}")
        expect_400_line(httpstatus_us_header(srv, "X-HttpStatus-SuppressBody", "maybe"),
                        "X-HttpStatus-SuppressBody: maybe")


@test("server_peers")
def httpstatus_us_sleep_after_headers():
    with Server() as srv:
        s = srv.connect(10)
        try:
            t0 = time.monotonic()
            s.sendall(req("GET", "/200", "X-HttpStatus-SleepAfterHeaders: 600"))
            first = head_section(s)
            out, rest, closed = read_responses_from(s, first, timeout=10)
            took = time.monotonic() - t0
        finally:
            s.close()
        check(first.endswith(b"\r\n\r\n") and b"200 OK\n" not in first,
              f"X-HttpStatus-SleepAfterHeaders: the header section alone first, got {first[-80:]!r}")
        check(out and out[-1].body == b"200 OK\n" and took >= 0.6,
              f"X-HttpStatus-SleepAfterHeaders: 600: content >= 600 ms later, got {out} {took:.3f}s")


@test("server_peers")
def httpstatus_us_dribble_body():
    """X-HttpStatus-DribbleBody: true dribbles the content (a few hundred ms)."""
    with Server() as srv:
        out, took = timed_raw(srv, req("GET", "/200", "X-HttpStatus-DribbleBody: true"))
        check(out and out[-1].body == b"200 OK\n" and took >= 0.2,
              f"DribbleBody: true: the content over >= 200 ms, got {out} in {took:.3f}s")
        r = httpstatus_us_header(srv, "X-HttpStatus-DribbleBody", "false")
        check(r.status == 200 and r.body == b"200 OK\n", f"DribbleBody: false: plain answer, got {r}")


@test("server_peers")
def httpstatus_us_abort_before_headers():
    with Server() as srv:
        r = httpstatus_us_header(srv, "X-HttpStatus-AbortBeforeHeaders", "true")
        check(r.rc == 52, f"X-HttpStatus-AbortBeforeHeaders: true: curl sees an empty reply (52), got {r.rc}")
        r = httpstatus_us_header(srv, "X-HttpStatus-AbortBeforeHeaders", "false")
        check(r.status == 200, f"AbortBeforeHeaders: false: answered, got {r}")
        expect_400_line(httpstatus_us_header(srv, "X-HttpStatus-AbortBeforeHeaders", "1"),
                        "AbortBeforeHeaders: 1 (neither true nor false)")


@test("server_peers")
def httpstatus_us_abort_after_headers():
    with Server() as srv:
        out, rest, closed = exchange(srv, req("GET", "/200", "X-HttpStatus-AbortAfterHeaders: true"))
        check(closed and out and out[0].code == 200 and out[0].body == b"" and
              int(out[0].get("Content-Length") or 0) > 0,
              f"X-HttpStatus-AbortAfterHeaders: true: header section, then closed, got {out}")


@test("server_peers")
def httpstatus_us_abort_during_body():
    with Server() as srv:
        r = httpstatus_us_header(srv, "X-HttpStatus-AbortDuringBody", "True")
        check(r.rc == 18, f"X-HttpStatus-AbortDuringBody: True: curl reports a partial transfer (18), got {r.rc}")


@test("server_peers")
def httpstatus_us_query_names_any_case():
    """httpstat.us's query names, in any case: ?SuppressBody=true, ?Sleep=."""
    with Server() as srv:
        r = curl(srv, "/200?SuppressBody=true")
        check(r.status == 200 and r.body == b"", f"?SuppressBody=true: no content, got {r}")
        r = curl(srv, "/200?SLEEP=300")
        check(r.status == 200 and r.elapsed >= 0.3, f"?SLEEP=300: >= 300 ms, got {r} {r.elapsed:.3f}")
        r = curl(srv, "/200?sleepafterheaders=200&ABORT=mid-body")
        check(r.rc == 18 and r.elapsed >= 0.2, f"?sleepafterheaders&ABORT=mid-body: partial, got {r.rc}")
        r = python(srv, "/418?suppressbody=TRUE")
        check(r.status == 418 and r.body == b"", f"python ?suppressbody=TRUE: no content, got {r}")


@test("server_peers")
def random_spec_then_anything():
    """/random/{spec}/anything (httpstat.us): the path after the spec is ignored."""
    with Server() as srv:
        seen = {curl(srv, "/random/201,202/any/thing?x=1").status for _ in range(10)}
        check(seen and seen <= {201, 202}, f"/random/201,202/any/thing: 201 or 202, got {seen}")
        check(python(srv, "/random/418/x").status == 418, "python /random/418/x: 418")


@test("server_peers")
def httpbin_status_codes():
    """/status/{codes} (httpbin, go-httpbin): one code, or a weighted choice
    200:0.9,500:0.1 (an item without a weight weighs 1)."""
    with Server() as srv:
        r = curl(srv, "/status/418")
        check(r.status == 418, f"/status/418: 418, got {r}")
        check(python(srv, "/status/204").status == 204, "python /status/204")
        check(node(srv, "/status/201")["status"] == 201, "node /status/201")
        seen = {curl(srv, "/status/200:0,503:1").status for _ in range(8)}
        check(seen == {503}, f"/status/200:0,503:1: always 503, got {seen}")
        seen = {curl(srv, "/status/200,201").status for _ in range(20)}
        check(seen == {200, 201}, f"/status/200,201: both drawn in 20, got {seen}")
        seen = {curl(srv, "/status/200:0.9,500:0.1").status for _ in range(10)}
        check(seen <= {200, 500}, f"/status/200:0.9,500:0.1: 200 or 500, got {seen}")
        for bad in ("/status/", "/status/abc", "/status/200:x", "/status/42"):
            expect_400_line(curl(srv, bad), bad)
        r = curl(srv, "/status/200,999999")
        check(r.status == 400 and r.body.startswith(b"400 Bad Request: /status/:"),
              f"/status/200,999999: the 400 names /status/, not /random/: {r.body!r}")


@test("server_peers")
def httpbin_delay_seconds():
    """/delay/{seconds} (fractional allowed, Go durations too): 200 JSON
    after the delay; above --max-sleep is 400, never shortened."""
    with Server("--max-sleep", "5000") as srv:
        r = curl(srv, "/delay/0.5?a=1")
        try:
            j = json.loads(r.body)
        except ValueError:
            j = None
        check(r.status == 200 and r.elapsed >= 0.5 and isinstance(j, dict) and
              (r.get("Content-Type") or "").startswith("application/json"),
              f"/delay/0.5: 200 JSON after >= 0.5 s, got {r} {r.elapsed:.3f}s")
        if isinstance(j, dict):
            check(j.get("args") == {"a": "1"} and j.get("url", "").endswith("/delay/0.5?a=1") and
                  j.get("origin") == "127.0.0.1" and j.get("method") == "GET",
                  f"/delay JSON: args, origin, url like httpbin's, got {j}")
        p = python(srv, "/delay/1")
        check(p.status == 200 and p.elapsed >= 1.0 and json.loads(p.body).get("args") == {},
              f"python /delay/1: 200 JSON >= 1 s, got {p} {p.elapsed:.3f}s")
        n = node(srv, "/delay/300ms")
        check(n["status"] == 200 and n.get("ms", 0) >= 300, f"node /delay/300ms: >= 300 ms, got {n}")
        for bad in ("/delay/6", "/delay/abc", "/delay/-1", "/delay/", "/delay/1h"):
            expect_400_line(curl(srv, bad), bad)


# --------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("name", nargs="?")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--bin")
    ap.add_argument("--chromium")
    args = ap.parse_args()
    if args.list:
        for name, (group, _) in TESTS.items():
            print(group, name)
        return 0
    if args.name not in TESTS or not args.bin:
        ap.error(f"give a test name ({', '.join(TESTS)}) and --bin")
    st.ARGS = args
    st.TMP = tempfile.mkdtemp(prefix="httpstatus-faults-test-")
    t0 = time.monotonic()
    try:
        TESTS[args.name][1]()
    except Exception as e:  # a crash of the test itself is a failure too
        import traceback
        traceback.print_exc()
        st.FAILURES.append(f"{type(e).__name__}: {e}")
    finally:
        shutil.rmtree(st.TMP, ignore_errors=True)
    print(f"{TESTS[args.name][0]}_{args.name}: {st.CHECKS} checks, {len(st.FAILURES)} failed, "
          f"{time.monotonic() - t0:.1f}s")
    return 1 if st.FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
