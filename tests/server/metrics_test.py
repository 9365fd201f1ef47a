#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""/metrics of `httpstatus serve`, end to end.

    metrics_test.py GROUP --bin PATH

Groups: format (the page parses strictly as Prometheus' text format 0.0.4),
counts (counters grow by exactly the requests made), connections (the open
connections and sleeping gauges), workers (with --workers 2 any scrape sums
every worker), off (--no-metrics).
"""
import os
import re
import socket
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import config_test  # noqa: E402  (its Server, check and environment)
from config_test import Server, check, environment  # noqa: E402

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
NAME = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
LABEL = r'[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*"'
SAMPLE = re.compile(rf"^({NAME})(\{{(?:{LABEL})(?:,{LABEL})*\}})? (\S+)$")
TYPES = {"counter", "gauge", "untyped", "summary", "histogram"}


def parse(text):
    """{(name, labels): value} of an exposition, or raises ValueError saying what is wrong.
    Strict: every line is a HELP, a TYPE or a sample; HELP and TYPE come once per family,
    before its samples; a family's samples are together; no series twice; counters end in
    _total; every value is a number."""
    if not text.endswith("\n"):
        raise ValueError("the page does not end with a newline")
    series, families, typed, done = {}, {}, {}, set()
    current = None
    for n, line in enumerate(text[:-1].split("\n"), 1):
        m = re.match(rf"^# (HELP|TYPE) ({NAME}) (.+)$", line)
        if m:
            kind, name, rest = m.groups()
            if name in done or (kind, name) in families:
                raise ValueError(f"line {n}: {kind} of {name} after its samples or twice")
            families[(kind, name)] = rest
            if kind == "TYPE":
                if rest not in TYPES:
                    raise ValueError(f"line {n}: unknown type {rest}")
                typed[name] = rest
            if current is not None and current != name:
                done.add(current)
            current = name
            continue
        m = SAMPLE.match(line)
        if not m:
            raise ValueError(f"line {n} is neither a comment nor a sample: {line!r}")
        name, labels, value = m.group(1), m.group(2) or "", m.group(3)
        if name not in typed or ("HELP", name) not in families:
            raise ValueError(f"line {n}: sample of {name} before its HELP and TYPE")
        if name in done or current != name:
            raise ValueError(f"line {n}: {name}'s samples are not together")
        if typed[name] == "counter" and not name.endswith("_total"):
            raise ValueError(f"line {n}: counter {name} does not end in _total")
        key = (name, tuple(sorted(re.findall(r'([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"', labels))))
        if key in series:
            raise ValueError(f"line {n}: series {name}{labels} twice")
        series[key] = float(value)
    return series


def scrape(port):
    """(status, Content-Type, series) of GET /metrics on a connection of its own."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        raw = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            raw += chunk
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    fields = {k.lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines[1:])}
    return int(lines[0].split()[1]), fields.get("content-type"), body.decode()


def series_of(port):
    status, ctype, body = scrape(port)
    check(status == 200, f"/metrics answers 200: {status}")
    try:
        return parse(body)
    except ValueError as e:
        check(False, f"/metrics parses: {e}")
        return {}


def value(series, name, **labels):
    return series.get((name, tuple(sorted(labels.items()))), 0.0)


def get(port, path, keep=None):
    """Sends GET path and reads the whole answer (on `keep`, a socket left open)."""
    s = keep or socket.create_connection(("127.0.0.1", port), timeout=10)
    s.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\n{'' if keep else 'Connection: close'}\r\n\r\n"
              .encode())
    raw = b""
    while b"\r\n\r\n" not in raw:
        raw += s.recv(65536)
    m = re.search(rb"(?i)content-length: *(\d+)", raw)
    length = int(m.group(1)) if m else 0  # 204 has none
    while len(raw.partition(b"\r\n\r\n")[2]) < length:
        raw += s.recv(65536)
    if keep is None:
        s.close()
    return int(raw.split()[1])


def test_format():
    with Server(["--port", "0"], environment()) as s:
        get(s.port, "/404")
        status, ctype, body = scrape(s.port)
        check(status == 200 and ctype == CONTENT_TYPE,
              f"/metrics: 200 with Content-Type {CONTENT_TYPE}: {status} {ctype}")
        try:
            series = parse(body)
        except ValueError as e:
            check(False, f"the page parses strictly: {e}\n{body}")
            return
        for name in ("httpstatus_requests_total", "httpstatus_refusals_total",
                     "httpstatus_connections_total", "httpstatus_open_connections",
                     "httpstatus_sleeping_requests", "httpstatus_sent_bytes_total",
                     "httpstatus_received_bytes_total", "httpstatus_build_info",
                     "process_start_time_seconds"):
            check(any(k[0] == name for k in series), f"the page has {name}")
        version = subprocess.run([config_test.ARGS.bin, "--version"], capture_output=True,
                                 text=True).stdout.split()[1]
        check(value(series, "httpstatus_build_info", version=version) == 1,
              f"build_info names version {version}")
        start = value(series, "process_start_time_seconds")
        check(time.time() - 60 < start <= time.time(), f"the start time is now: {start}")
        for bad in ("x 1", "# TYPE a counter\nb 1", "# HELP a_total h\n# TYPE a_total counter\n"
                    "a_total 1\na_total 2"):
            try:
                parse(bad + "\n")
                check(False, f"the test's parser refuses {bad!r}")
            except ValueError:
                pass


def test_counts():
    with Server(["--port", "0"], environment()) as s:
        before = series_of(s.port)
        for path in ("/404", "/404", "/404", "/200", "/200"):
            get(s.port, path)
        after = series_of(s.port)
        for cls, made in (("4xx", 3), ("2xx", 2)):
            grew = (value(after, "httpstatus_requests_total", route="code", **{"class": cls}) -
                    value(before, "httpstatus_requests_total", route="code", **{"class": cls}))
            check(grew == made, f"route code, class {cls}: +{made} (got +{grew})")
        grew = (value(after, "httpstatus_requests_total", route="metrics", **{"class": "2xx"}) -
                value(before, "httpstatus_requests_total", route="metrics", **{"class": "2xx"}))
        check(grew == 1, f"the first scrape counts once it is answered: +{grew}")
        check(value(after, "httpstatus_sent_bytes_total") > value(before, "httpstatus_sent_bytes_total")
              and value(after, "httpstatus_received_bytes_total") >=
              value(before, "httpstatus_received_bytes_total") + 5 * len("GET /404 HTTP/1.1\r\n"),
              "bytes sent and received grow")
        # A refusal by a limit: 414, counted by reason and as a request.
        with socket.create_connection(("127.0.0.1", s.port), timeout=10) as raw:
            raw.sendall(b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
            got = raw.recv(4096)
        check(got.startswith(b"HTTP/1.1 414"), f"a long target is refused 414: {got[:40]!r}")
        last = series_of(s.port)
        check(value(last, "httpstatus_refusals_total", reason="target_too_long") == 1,
              "the refusal is counted: reason target_too_long 1")
        check(value(last, "httpstatus_requests_total", route="none", **{"class": "4xx"}) == 1,
              "a request refused before routing has route none")


def test_connections():
    with Server(["--port", "0"], environment()) as s:
        alone = series_of(s.port)
        check(value(alone, "httpstatus_open_connections") == 1,
              f"only the scrape's connection is open: {value(alone, 'httpstatus_open_connections')}")
        with socket.create_connection(("127.0.0.1", s.port), timeout=10) as kept:
            check(get(s.port, "/204", keep=kept) == 204, "a keep-alive connection is answered")
            open_now = value(series_of(s.port), "httpstatus_open_connections")
            check(open_now == 2, f"the kept connection counts as open: {open_now}")
            # A sleeping answer on the kept connection.
            kept.sendall(b"GET /200?sleep=1000 HTTP/1.1\r\nHost: x\r\n\r\n")
            sleeping = 0
            for _ in range(100):
                sleeping = value(series_of(s.port), "httpstatus_sleeping_requests")
                if sleeping:
                    break
                time.sleep(0.02)
            check(sleeping == 1, f"the sleeping answer is counted: {sleeping}")
        # The client closed while its answer slept: once the answer is due (the server
        # reads nothing while an answer waits), neither counts any more.
        gone = {}
        for _ in range(300):
            gone = series_of(s.port)
            if value(gone, "httpstatus_open_connections") == 1:
                break
            time.sleep(0.02)
        check(value(gone, "httpstatus_open_connections") == 1 and
              value(gone, "httpstatus_sleeping_requests") == 0,
              f"closed: 1 open connection, 0 sleeping: {value(gone, 'httpstatus_open_connections')} "
              f"{value(gone, 'httpstatus_sleeping_requests')}")
        check(value(gone, "httpstatus_connections_total") >= 4, "connections are counted")


def test_workers():
    with Server(["--port", "0", "--workers", "2"], environment()) as s:
        n = 40
        threads = [threading.Thread(target=get, args=(s.port, "/503")) for _ in range(n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        # Each scrape lands on either worker; every one sums both.
        for i in range(6):
            got = value(series_of(s.port), "httpstatus_requests_total", route="code",
                        **{"class": "5xx"})
            check(got == n, f"--workers 2, scrape {i + 1}: 5xx of route code is {n}: {got}")


def test_off():
    with Server(["--port", "0", "--no-metrics"], environment()) as s:
        status, _, body = scrape(s.port)
        check(status == 400 and "metrics" in body,
              f"--no-metrics: /metrics is an unknown path (400): {status} {body!r}")
    with Server(["--port", "0"], environment(HTTPSTATUS_NO_METRICS="1")) as s:
        check(scrape(s.port)[0] == 400, "HTTPSTATUS_NO_METRICS=1 turns it off too")
    with Server(["--port", "0"], environment()) as s:
        status, _, body = s.get("/")
        check(b"/metrics" in body, "the index page lists /metrics")


def main():
    import argparse
    ap = argparse.ArgumentParser()
    ap.add_argument("group", choices=["format", "counts", "connections", "workers", "off"])
    ap.add_argument("--bin", required=True)
    config_test.ARGS = ap.parse_args()
    globals()[f"test_{config_test.ARGS.group}"]()
    checks, failures = config_test.CHECKS[0], len(config_test.FAILURES)
    print(f"{config_test.ARGS.group}: {checks - failures}/{checks} checks passed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
