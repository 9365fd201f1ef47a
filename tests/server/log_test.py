#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The access log of `httpstatus serve`, end to end.

    log_test.py GROUP --bin PATH

Groups: formats (common, combined, json), forwarded (the client a trusted proxy
names), file (--log-file, SIGHUP reopens
it), hangup (SIGHUP never stops the server), stalled (a reader of the log
that stops reading holds no request back).
"""
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import config_test  # noqa: E402  (its Server, check and environment)
from config_test import Server, check, environment  # noqa: E402

COMMON = re.compile(r'^127\.0\.0\.1 - - \[\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d \+0000\] '
                    r'"GET /404 HTTP/1\.1" 404 \d+ \d+\.\d{3}$')


def request(server, path, headers=None):
    req = urllib.request.Request(server.url.rstrip("/") + path, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


def log_lines(out):
    """The lines after the URL line, as text."""
    return out.decode(errors="replace").splitlines()


def test_formats():
    with Server(["--port", "0", "--access-log"], environment()) as s:
        request(s, "/404")
    lines = log_lines(s.out)
    check(len(lines) == 1 and COMMON.match(lines[0]), f"--access-log: one common line: {lines}")

    ua, ref = 'probe "1"', "http://app.example/page"
    with Server(["--port", "0", "--log-format", "combined"], environment()) as s:
        request(s, "/404", {"User-Agent": ua, "Referer": ref})
        request(s, "/200", {"User-Agent": ""})
    lines = log_lines(s.out)
    check(len(lines) == 2, f"--log-format combined turns the log on: {lines}")
    if len(lines) == 2:
        quoted = re.escape(f'"{ref}" "probe \\x221\\x22" ')
        check(re.search(r" 404 \d+ " + quoted + r"\d+\.\d{3}$", lines[0]) is not None,
              f"combined: Referer and User-Agent quoted, quotes escaped, then the ms: {lines[0]}")
        check(' "-" ' in lines[1], f"combined: a missing field is \"-\": {lines[1]}")

    with Server(["--port", "0"], environment(HTTPSTATUS_LOG_FORMAT="json")) as s:
        request(s, "/418?x=%22", {"User-Agent": ua})
        # A request refused before its request line: only what is known.
        with socket.create_connection(("127.0.0.1", s.port)) as raw:
            raw.sendall(b"\x00\x01garbage\r\n\r\n")
            raw.recv(4096)
    lines = log_lines(s.out)
    try:
        entries = [json.loads(line) for line in lines]
    except ValueError as e:
        entries = []
        check(False, f"json: every line parses: {e}: {lines}")
    if entries:
        e = entries[0]
        want = {"time", "remote", "method", "target", "protocol", "status", "bytes", "ms", "tls",
                "referer", "user_agent"}
        check(set(e) == want, f"json: the keys {sorted(want)}: {sorted(e)}")
        check(e.get("status") == 418 and e.get("target") == "/418?x=%22" and e.get("method") == "GET"
              and e.get("user_agent") == ua and e.get("referer") is None and e.get("tls") is False,
              f"json: the request's values: {e}")
        check(re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", e.get("time", "")) is not None,
              f"json: the time in RFC 3339: {e.get('time')}")
        check(isinstance(e.get("ms"), float) and isinstance(e.get("bytes"), int),
              f"json: ms and bytes are numbers: {e}")
    check(len(entries) == 2 and entries[1]["status"] == 400,
          f"json: the refused request is a line too: {entries[1:]}")
    p = subprocess.run([config_test.ARGS.bin, "serve", "--log-format", "xml"], capture_output=True,
                       env=environment(), timeout=10)
    check(p.returncode == 2 and b"common, combined or json" in p.stderr,
          f"--log-format xml: exit 2 naming the formats: {p.returncode} {p.stderr!r}")


def test_forwarded():
    # Behind a trusted proxy the log names the client Forwarded names; from
    # anyone else the field is the client's word only and the peer is logged.
    with Server(["--port", "0", "--access-log", "--trust-proxy", "127.0.0.1"],
                environment()) as s:
        request(s, "/404", {"Forwarded": 'for=198.51.100.7;proto=https'})
        request(s, "/404", {"X-Forwarded-For": "203.0.113.1, 2001:db8::5"})
        request(s, "/404", {"Forwarded": 'for="[2001:db8::1]:4711", for=127.0.0.1'})
        request(s, "/404", {"Forwarded": "for=unknown"})
    lines = log_lines(s.out)
    remotes = [line.split(" ", 1)[0] for line in lines]
    check(remotes == ["198.51.100.7", "2001:db8::5", "2001:db8::1", "127.0.0.1"],
          f"--trust-proxy: the client Forwarded or X-Forwarded-For names, the rightmost "
          f"untrusted hop, the proxy for an unknown one: {remotes}")
    with Server(["--port", "0", "--access-log", "--trust-proxy", "10.0.0.0/8"],
                environment()) as s:
        request(s, "/404", {"Forwarded": "for=198.51.100.7"})
    lines = log_lines(s.out)
    check([line.split(" ", 1)[0] for line in lines] == ["127.0.0.1"],
          f"an untrusted peer's Forwarded is not believed: {lines}")


def test_file():
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "access.log")
        with Server(["--port", "0", "--log-file", path], environment()) as s:
            request(s, "/404")
            wait_for(lambda: os.path.exists(path) and os.path.getsize(path) > 0)
            os.rename(path, path + ".1")  # what logrotate does
            s.p.send_signal(signal.SIGHUP)
            wait_for(lambda: os.path.exists(path))
            check(os.path.exists(path), "SIGHUP creates the log file anew")
            check(request(s, "/404") == 404, "the server answers after SIGHUP")
        with open(path + ".1") as f:
            old = f.read().splitlines()
        with open(path) as f:
            new = f.read().splitlines()
        check(len(old) == 1 and COMMON.match(old[0]), f"the rotated file holds the first line: {old}")
        check(len(new) == 1 and COMMON.match(new[0]), f"the new file holds the line after: {new}")
        check(log_lines(s.out) == [], f"nothing but the URL on stdout: {s.out!r}")
        p = subprocess.run([config_test.ARGS.bin, "serve", "--port", "0", "--log-file",
                            os.path.join(d, "no", "such", "dir.log")],
                           capture_output=True, env=environment(), timeout=10)
        check(p.returncode == 1 and p.stderr.count(b"\n") == 1 and b"dir.log" in p.stderr,
              f"a log file that cannot be opened: exit 1, one line naming it: {p.returncode} {p.stderr!r}")


def wait_for(cond, seconds=5.0):
    end = time.monotonic() + seconds
    while not cond() and time.monotonic() < end:
        time.sleep(0.02)


def test_hangup():
    for workers in ("1", "2"):
        with Server(["--port", "0", "--workers", workers, "--access-log"], environment()) as s:
            s.p.send_signal(signal.SIGHUP)
            time.sleep(0.2)
            check(s.p.poll() is None, f"--workers {workers}: SIGHUP does not stop the server")
            check(request(s, "/404") == 404, f"--workers {workers}: it answers after SIGHUP")
        check(s.p.returncode == 0, f"--workers {workers}: SIGTERM still stops it with 0: {s.p.returncode}")


def test_stalled():
    # Nobody reads standard output after the URL line: once the pipes fill,
    # lines are dropped, and every request is still answered.
    total, batch = 20000, 100
    with Server(["--port", "0", "--access-log"], environment()) as s:
        answered, tail = 0, b""
        marker = b"HTTP/1.1 204"
        with socket.create_connection(("127.0.0.1", s.port), timeout=30) as raw:
            req = b"GET /204 HTTP/1.1\r\nHost: x\r\n\r\n" * batch
            for i in range(total // batch):
                raw.sendall(req)
                while answered < (i + 1) * batch:
                    chunk = raw.recv(1 << 16)
                    if not chunk:
                        break
                    buf = tail + chunk
                    answered += buf.count(marker)
                    tail = buf[-(len(marker) - 1):]  # a marker cut in two counts once
        check(answered == total, f"every request is answered with the log's reader stalled: {answered}")
    # Stopping the server reads its output: the log's thread writes again and
    # says what it dropped.
    err = s.err.decode()
    check(re.search(r"\d+ access log lines dropped", err) is not None,
          f"the dropped lines are counted on stderr: {err[:300]!r}")
    check(s.p.returncode == 0, f"the server stops with 0: {s.p.returncode}")


def main():
    import argparse
    ap = argparse.ArgumentParser()
    ap.add_argument("group", choices=["formats", "forwarded", "file", "hangup", "stalled"])
    ap.add_argument("--bin", required=True)
    config_test.ARGS = ap.parse_args()
    globals()[f"test_{config_test.ARGS.group}"]()
    checks, failures = config_test.CHECKS[0], len(config_test.FAILURES)
    print(f"{config_test.ARGS.group}: {checks - failures}/{checks} checks passed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
