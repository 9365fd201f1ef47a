#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""End-to-end tests of `httpstatus serve`, driving the real binary on loopback.

    server_test.py GROUP --bin PATH [--source DIR] [--chromium PATH]

(The pages in Chromium: tests/web/pages_test.js, server_page_*.)

GROUP names one of the test_<group> functions below; CTest runs each as
server_<group>. Every group starts its own server(s) with `--port 0` and stops
them at the end, even when a check fails; a server that does not exit 0 on
SIGTERM, or that printed a sanitizer report, fails the group.

Per-code expectations (phrase, header fields, content or none) come from the
catalog itself through `httpstatus --json` / `httpstatus list --json`: the
tests never keep a second list of codes. Routes and rules are checked with
real curl; framing, smuggling, limits and slow clients with raw sockets.
Timing checks are lower bounds only.
"""
import argparse
import html
import json
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

ARGS = None
FAILURES = []
CHECKS = 0
TMP = None

IMF_DATE = re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} "
                      r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
                      r"\d{4} \d{2}:\d{2}:\d{2} GMT$")
SANITIZER_MARKS = (b"AddressSanitizer", b"LeakSanitizer", b"runtime error:",
                   b"UndefinedBehaviorSanitizer")


def check(cond, what):
    global CHECKS
    CHECKS += 1
    if not cond:
        FAILURES.append(what)
        print("FAIL:", what, flush=True)
    return bool(cond)


# --------------------------------------------------------------------------
# The catalog, as the command prints it

_CATALOG = None


def catalog():
    """code -> list of entries (registered meaning first), from the command."""
    global _CATALOG
    if _CATALOG is None:
        out = subprocess.run([ARGS.bin, "list", "--json"], check=True,
                             stdout=subprocess.PIPE).stdout
        _CATALOG = {}
        for e in json.loads(out):
            _CATALOG.setdefault(e["code"], []).append(e)
    return _CATALOG


def cli_json(code):
    out = subprocess.run([ARGS.bin, "--json", str(code)], check=True,
                         stdout=subprocess.PIPE).stdout
    return json.loads(out)


def entry(code):
    return catalog()[code][0]


# --------------------------------------------------------------------------
# The server under test

class Server:
    """`httpstatus serve --port 0 OPTIONS...`; use as a context manager."""

    def __init__(self, *options):
        self.options = [str(o) for o in options]
        self.proc = None
        self.stopped = False

    def __enter__(self):
        fd, self.out_path = tempfile.mkstemp(dir=TMP, suffix=".out")
        os.close(fd)
        fd, self.err_path = tempfile.mkstemp(dir=TMP, suffix=".err")
        os.close(fd)
        with open(self.out_path, "wb") as out, open(self.err_path, "wb") as err:
            self.proc = subprocess.Popen(
                [ARGS.bin, "serve", "--port", "0"] + self.options,
                stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        deadline = time.monotonic() + 20
        line = b""
        while time.monotonic() < deadline:
            with open(self.out_path, "rb") as f:
                data = f.read()
            if b"\n" in data:
                line = data.split(b"\n", 1)[0]
                break
            if self.proc.poll() is not None:
                break
            time.sleep(0.02)
        m = re.match(rb"^http://(\[[0-9a-fA-F:.]+\]|[0-9.]+):(\d+)/$", line)
        if not m:
            self.kill()
            raise RuntimeError(f"server {self.options} printed no URL line: "
                               f"{line!r}; stderr: {self.stderr()[-2000:]!r}")
        host = m.group(1).decode()
        self.host = host.strip("[]")
        self.port = int(m.group(2))
        self.url = line.decode()
        self.family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        return self

    def __exit__(self, *exc):
        if not self.stopped:
            self.stop()
        return False

    def stdout(self):
        with open(self.out_path, "rb") as f:
            return f.read()

    def stderr(self):
        with open(self.err_path, "rb") as f:
            return f.read()

    def kill(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def stop(self, sig=signal.SIGTERM, timeout=20):
        """Stops the server with `sig`; checks it exits 0 without a sanitizer
        report. Returns the exit status and the seconds it took."""
        self.stopped = True
        t0 = time.monotonic()
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            rc = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            rc = None
        took = time.monotonic() - t0
        check(rc == 0, f"server {self.options} exits 0 on {sig.name}, got {rc} "
                       f"(stderr: {self.stderr()[-1500:]!r})")
        err = self.stderr()
        check(not any(m in err for m in SANITIZER_MARKS),
              f"server {self.options}: no sanitizer report, got {err[-3000:]!r}")
        return rc, took

    def connect(self, timeout=5.0):
        s = socket.socket(self.family, socket.SOCK_STREAM)
        s.settimeout(timeout)
        s.connect((self.host, self.port))
        return s

    def base(self):
        return self.url.rstrip("/")


# --------------------------------------------------------------------------
# curl

class Reply:
    def __init__(self, rc, blocks, body, elapsed, err):
        self.rc = rc              # curl's exit status
        self.blocks = blocks      # [(code, reason, [(name, value)])], interim first
        self.body = body
        self.elapsed = elapsed
        self.err = err
        last = blocks[-1] if blocks else (0, "", [])
        self.status, self.reason, self.fields = last

    def get(self, name):
        vals = self.getall(name)
        return vals[0] if vals else None

    def getall(self, name, block=-1):
        fields = self.blocks[block][2] if self.blocks else []
        return [v for n, v in fields if n.lower() == name.lower()]

    def names(self):
        return {n.lower() for n, _ in self.fields}

    def __repr__(self):
        return (f"<curl rc={self.rc} status={self.status} fields={self.fields} "
                f"body={self.body[:200]!r}>")


def parse_header_dump(data):
    blocks = []
    for chunk in data.split(b"\r\n\r\n"):
        lines = chunk.decode("latin-1").split("\r\n")
        if not lines or not lines[0].startswith("HTTP/"):
            continue
        m = re.match(r"^HTTP/\S+ (\d{3})(?: (.*))?$", lines[0])
        code = int(m.group(1)) if m else -1
        fields = []
        for ln in lines[1:]:
            if ":" in ln:
                n, v = ln.split(":", 1)
                fields.append((n, v.strip(" \t")))
        blocks.append((code, (m.group(2) or "") if m else lines[0], fields))
    return blocks


def curl(srv, path, *args, headers=(), method=None, data=None, http10=False,
         head=False, timeout=10):
    """Runs curl on srv's `path`; returns a Reply with every header block
    (interim responses included) and the final body."""
    fd, hdr = tempfile.mkstemp(dir=TMP)
    os.close(fd)
    fd, body = tempfile.mkstemp(dir=TMP)
    os.close(fd)
    argv = ["curl", "-sS", "-g", "--max-time", str(timeout), "-D", hdr,
            "-o", "/dev/null" if head else body, "--path-as-is"]
    if head:
        argv.append("-I")  # curl reads no content after HEAD; see test_protocol
    if method:
        argv += ["-X", method]
    if http10:
        argv.append("-0")
    for h in headers:
        argv += ["-H", h]
    if data is not None:
        argv += ["--data-binary", data]
    argv += list(args)
    argv.append(srv.base() + path)
    t0 = time.monotonic()
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=timeout + 10)
    elapsed = time.monotonic() - t0
    with open(hdr, "rb") as f:
        blocks = parse_header_dump(f.read())
    with open(body, "rb") as f:
        content = f.read()
    os.unlink(hdr)
    os.unlink(body)
    return Reply(p.returncode, blocks, content, elapsed, p.stderr)


# --------------------------------------------------------------------------
# Raw sockets

class Resp:
    def __init__(self, version, code, reason, fields, body, head_bytes):
        self.version, self.code, self.reason = version, code, reason
        self.fields, self.body, self.head_bytes = fields, body, head_bytes

    def get(self, name):
        for n, v in self.fields:
            if n.lower() == name.lower():
                return v
        return None

    def getall(self, name):
        return [v for n, v in self.fields if n.lower() == name.lower()]

    def __repr__(self):
        return f"<{self.version} {self.code} {self.fields} {self.body[:120]!r}>"


def final(code):
    return code >= 200 or code == 101


def parse_one(buf, head, closed):
    """Parses one response at the start of buf. Returns (Resp, rest), None
    when more bytes are needed, or raises ValueError on bytes that are not a
    response."""
    i = buf.find(b"\r\n\r\n")
    if i < 0:
        if closed and buf:
            raise ValueError(f"truncated header section {buf[:200]!r}")
        if len(buf) >= 5 and not buf.startswith(b"HTTP/"):
            raise ValueError(f"not a response: {buf[:200]!r}")
        return None
    lines = buf[:i].decode("latin-1").split("\r\n")
    m = re.match(r"^(HTTP/\d\.\d) (\d{3}) ?(.*)$", lines[0])
    if not m:
        raise ValueError(f"bad status line {lines[0]!r}")
    fields = []
    for ln in lines[1:]:
        n, sep, v = ln.partition(":")
        if not sep or n != n.strip() or not n:
            raise ValueError(f"bad field line {ln!r}")
        fields.append((n, v.strip(" \t")))
    r = Resp(m.group(1), int(m.group(2)), m.group(3), fields, b"", buf[:i + 4])
    rest = buf[i + 4:]
    if r.code < 200 or r.code in (204, 304) or head:
        return r, rest
    te = r.get("Transfer-Encoding")
    cl = r.get("Content-Length")
    if te and "chunked" in te.lower():
        body = b""
        pos = 0
        while True:
            j = rest.find(b"\r\n", pos)
            if j < 0:
                return None
            size = int(rest[pos:j].split(b";")[0], 16)
            if size == 0:
                k = rest.find(b"\r\n\r\n", j)
                if k < 0:
                    return None
                r.body = body
                return r, rest[k + 4:]
            if len(rest) < j + 2 + size + 2:
                return None
            body += rest[j + 2:j + 2 + size]
            pos = j + 2 + size + 2
    if cl is not None:
        n = int(cl)
        if len(rest) < n:
            if closed:
                r.body = rest
                r.truncated = True
                return r, b""
            return None
        r.body = rest[:n]
        return r, rest[n:]
    if not closed:
        return None
    r.body = rest
    return r, b""


def read_responses(sock, count, heads=(), timeout=5.0):
    """Reads until `count` final responses are parsed, the peer closes or
    `timeout` passes. Returns (responses incl. interim, leftover, closed)."""
    buf, out, closed = b"", [], False
    deadline = time.monotonic() + timeout
    nfinal = 0
    while True:
        while buf or closed:
            head = heads[nfinal] if nfinal < len(heads) else False
            try:
                got = parse_one(buf, head, closed)
            except ValueError as e:
                check(False, f"response parse: {e}")
                return out, buf, closed
            if not got:
                break
            out.append(got[0])
            buf = got[1]
            if final(got[0].code):
                nfinal += 1
            if not buf and closed:
                break
        if nfinal >= count or closed:
            return out, buf, closed
        left = deadline - time.monotonic()
        if left <= 0:
            return out, buf, closed
        sock.settimeout(left)
        try:
            data = sock.recv(65536)
        except socket.timeout:
            return out, buf, closed
        except ConnectionResetError:
            data = b""
        if not data:
            closed = True
        buf += data


def wait_closed(sock, timeout=3.0):
    """True when the peer closes (EOF or reset) within timeout with nothing
    more sent; returns (closed, extra bytes)."""
    extra = b""
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return False, extra
        sock.settimeout(left)
        try:
            data = sock.recv(65536)
        except socket.timeout:
            return False, extra
        except ConnectionResetError:
            return True, extra
        if not data:
            return True, extra
        extra += data


def exchange(srv, data, count=1, heads=(), timeout=5.0):
    """One connection: sends data, reads `count` final responses."""
    s = srv.connect()
    try:
        s.sendall(data)
        return read_responses(s, count, heads, timeout)
    finally:
        s.close()


def req(method, target, *fields, body=b"", version="HTTP/1.1", host=True):
    lines = [f"{method} {target} {version}"]
    if host:
        lines.append("Host: test")
    lines += list(fields)
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def expect_refused(srv, data, want, what, smuggled_code=None):
    """Sends `data` on a fresh connection; checks exactly one answer with a
    status in `want` follows, then the connection closes, and that nothing
    smuggled after it was answered."""
    s = srv.connect()
    try:
        try:
            s.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass
        out, rest, closed = read_responses(s, 2, timeout=5)
        if not closed:
            closed, extra = wait_closed(s, 3)
            rest += extra
    finally:
        s.close()
    codes = [r.code for r in out]
    check(len(out) >= 1 and out[0].code in want,
          f"{what}: answered {sorted(want)}, got {codes} {out[:1]}")
    check(len(out) <= 1 and not rest,
          f"{what}: one answer only (nothing smuggled through), got {codes} + {rest[:100]!r}")
    check(closed, f"{what}: connection closed after the refusal")
    if out and out[0].code in want:
        check(len(out[0].body.strip()) > 0, f"{what}: the answer says why: {out[0]}")
    if smuggled_code:
        check(smuggled_code not in codes, f"{what}: smuggled request not answered: {codes}")
    return out


# --------------------------------------------------------------------------
# Shared checks

def common_fields(r, what):
    date = r.get("Date")
    check(date is not None and IMF_DATE.match(date), f"{what}: Date is an IMF-fixdate: {date!r}")
    check(r.get("Server"), f"{what}: Server field present: {r.fields}")
    check(r.get("Access-Control-Allow-Origin") == "*",
          f"{what}: Access-Control-Allow-Origin: *: {r.get('Access-Control-Allow-Origin')!r}")


def content_type_ok(r, what, want_prefix=None):
    ct = r.get("Content-Type") or ""
    check("charset=" in ct.lower(), f"{what}: Content-Type with charset: {ct!r}")
    if want_prefix:
        check(ct.lower().startswith(want_prefix), f"{what}: Content-Type {want_prefix}: {ct!r}")


def location_is_local(loc, srv):
    if loc is None:
        return False
    if loc.startswith("/") and not loc.startswith("//") and "\\" not in loc:
        return True
    u = urllib.parse.urlsplit(loc)
    return u.scheme in ("http", "https") and u.hostname == srv.host and u.port == srv.port


def expose_has(r, field):
    expose = r.get("Access-Control-Expose-Headers") or ""
    names = {x.strip().lower() for x in expose.split(",")}
    return "*" in names or field.lower() in names


def check_rule_fields(srv, r, code, fields, what):
    """The header fields RFC 9110 asks of `code` (per the catalog)."""
    for name in fields:
        v = r.get(name)
        if not check(v, f"{what}: carries {name} (catalog says so): {r.fields}"):
            continue
        check(expose_has(r, name), f"{what}: Access-Control-Expose-Headers names {name}: "
                                   f"{r.get('Access-Control-Expose-Headers')!r}")
        low = name.lower()
        if low == "location":
            check(location_is_local(v, srv), f"{what}: Location on this server: {v!r}")
        elif low == "retry-after":
            check(re.match(r"^\d+$", v) or IMF_DATE.match(v), f"{what}: Retry-After: {v!r}")
        elif low == "allow":
            check(re.match(r"^[A-Z]+(\s*,\s*[A-Z]+)*$", v), f"{what}: Allow is a method list: {v!r}")
        elif low == "content-range" and code == 416:
            check(re.match(r"^bytes \*/\d+$", v), f"{what}: Content-Range bytes */N: {v!r}")
        elif low == "content-range" and code == 206:
            m = re.match(r"^bytes (\d+)-(\d+)/(\d+|\*)$", v)
            if check(m, f"{what}: Content-Range bytes a-b/N: {v!r}"):
                a, b = int(m.group(1)), int(m.group(2))
                check(b >= a and len(r.body) == b - a + 1,
                      f"{what}: partial body of {b - a + 1} bytes, got {len(r.body)}")
                if m.group(3) != "*":
                    check(b < int(m.group(3)), f"{what}: range inside the length: {v!r}")
        elif low in ("www-authenticate", "proxy-authenticate"):
            check(re.match(r"^[A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*( |$)", v),
                  f"{what}: {name} starts with an auth scheme: {v!r}")


def expect_400_line(r, what, code=400):
    check(r.status == code, f"{what}: status {code}, got {r}")
    text = r.body.decode("utf-8", "replace").strip()
    check(len(text) > len(str(code)) + 4 and "\n" not in text,
          f"{what}: one line saying why, got {r.body[:300]!r}")


# --------------------------------------------------------------------------
# Groups

def test_routes():
    with Server() as srv:
        r = curl(srv, "/404")
        check(r.status == 404 and r.reason == entry(404)["phrase"], f"/404: status line, got {r}")
        check(r.body.decode().startswith("404 " + entry(404)["phrase"]),
              f"/404: plain text '404 Not Found', got {r.body!r}")
        content_type_ok(r, "/404", "text/plain")
        check(r.get("Content-Length") == str(len(r.body)), f"/404: Content-Length matches: {r}")
        common_fields(r, "/404")

        r = curl(srv, "/418/any/thing/else?x=1")
        check(r.status == 418, f"/418/any/thing/else: 418, got {r}")
        for method in ("POST", "PUT", "DELETE", "PATCH", "OPTIONS", "BREW"):
            r = curl(srv, "/202", method=method)
            if method == "BREW":
                check(r.status == 501 and b"method" in r.body,
                      f"{method} /202: a method llhttp does not know is 501 (RFC 9110 9.1), "
                      f"saying so, got {r}")
            else:
                check(r.status == 202, f"{method} /202: 202, got {r}")
        r = curl(srv, "/201", data="some content")
        check(r.status == 201, f"POST /201 with content: 201, got {r}")

        for code in (600, 799, 999, 299):
            r = curl(srv, f"/{code}")
            check(r.status == code, f"/{code}: answered as is, got {r}")
            if code in catalog():
                check(r.reason == entry(code)["phrase"], f"/{code}: catalog phrase, got {r.reason!r}")
        for bad in ("/99", "/1000", "/abc", "/0200", "/20", "/2000", "/-200", "/20x", "/%32%30%30x"):
            expect_400_line(curl(srv, bad), f"GET {bad}")

        r = curl(srv, "/healthz")
        check(r.status == 200, f"/healthz: 200, got {r}")
        r = curl(srv, "/")
        check(r.status == 200 and b"/random/" in r.body and b"/api/codes" in r.body,
              f"/: plain text explaining the routes, got {r}")
        content_type_ok(r, "/", "text/plain")
        r = curl(srv, "/", headers=["Accept: text/html"])
        check(r.status == 200 and b"<html" in r.body.lower(), f"/ as HTML: got {r}")
        content_type_ok(r, "/ Accept: text/html", "text/html")
        r = curl(srv, "/no-such-page")
        check(400 <= r.status < 500, f"/no-such-page: a 4xx, got {r}")

        # /random: every draw inside the spec.
        for spec, allowed in (("200,500-504", {200, 500, 501, 502, 503, 504}),
                              ("200:0.9,503:0.1", {200, 503}),
                              ("418", {418}),
                              ("201-203,599,600-601", {201, 202, 203, 599, 600, 601})):
            seen = set()
            for _ in range(25):
                r = curl(srv, f"/random/{spec}")
                seen.add(r.status)
            check(seen <= allowed, f"/random/{spec}: codes {sorted(seen)} within {sorted(allowed)}")
            if len(allowed) > 1 and ":" not in spec:
                check(len(seen) > 1, f"/random/{spec}: 25 draws are not all the same: {seen}")
        draws = [curl(srv, "/random/200:0.9,503:0.1").status for _ in range(40)]
        check(draws.count(200) > draws.count(503) and set(draws) <= {200, 503},
              f"/random/200:0.9,503:0.1: 200 drawn more often than 503 in 40 draws: {draws}")
        r = curl(srv, "/random/200:0,404:1")
        seen = {curl(srv, "/random/200:0,404:1").status for _ in range(10)} | {r.status}
        check(seen == {404}, f"/random/200:0,404:1: a zero weight is never drawn: {seen}")
        for bad in ("", "abc", "200,", ",200", "200-", "504-500", "200:x", "200:", "99",
                    "1000", "200:-1", "200,,300", "0-999", "200:0", "200;300"):
            expect_400_line(curl(srv, f"/random/{bad}"), f"/random/{bad}")

        # The sleep of a request: lower bounds only.
        r = curl(srv, "/200?sleep=300")
        check(r.status == 200 and r.elapsed >= 0.28, f"?sleep=300: 200 after >= 300 ms, got {r} in {r.elapsed:.3f}s")
        r = curl(srv, "/204", headers=["X-HttpStatus-Sleep: 300"])
        check(r.status == 204 and r.elapsed >= 0.28,
              f"X-HttpStatus-Sleep: 300: 204 after >= 300 ms, got {r} in {r.elapsed:.3f}s")
        for bad in ("abc", "-1", "1.5", "", "30001", "99999999999999999999999"):
            expect_400_line(curl(srv, f"/200?sleep={bad}"), f"?sleep={bad}")
        expect_400_line(curl(srv, "/200", headers=["X-HttpStatus-Sleep: soon"]),
                        "X-HttpStatus-Sleep: soon")

    with Server("--max-sleep", "400") as srv:
        expect_400_line(curl(srv, "/200?sleep=401"), "--max-sleep 400, ?sleep=401")
        r = curl(srv, "/200?sleep=400")
        check(r.status == 200 and r.elapsed >= 0.38, f"--max-sleep 400, ?sleep=400: 200, got {r}")
        expect_400_line(curl(srv, "/200?sleep=300&dribble=200"),
                        "--max-sleep 400, sleep 300 + dribble 200")


def check_code_reply(srv, code, r, what):
    e = entry(code)
    check(r.status == code, f"{what}: status {code}, got {r}")
    check(r.reason == e["phrase"], f"{what}: phrase {e['phrase']!r}, got {r.reason!r}")
    common_fields(r, what)
    check_rule_fields(srv, r, code, e["headers"], what)
    if e["content"]:
        check(len(r.body) > 0, f"{what}: has content: {r}")
        content_type_ok(r, what)
        check(r.get("Content-Length") == str(len(r.body)) or r.get("Transfer-Encoding"),
              f"{what}: Content-Length matches the content: {r}")
    else:
        check(r.body == b"", f"{what}: no content, got {r.body[:100]!r}")
    if code == 204:
        check(r.get("Content-Length") is None, f"{what}: no Content-Length on 204: {r.fields}")


def test_rules():
    """Every catalog code answers with the fields the catalog says it needs."""
    with Server() as srv:
        for code in sorted(catalog()):
            if code < 200 or code == 444:
                continue
            r = curl(srv, f"/{code}")
            check_code_reply(srv, code, r, f"GET /{code}")
            h = curl(srv, f"/{code}", head=True)
            check(h.status == code, f"HEAD /{code}: status {code}, got {h}")
            check(h.names() - {"date"} == r.names() - {"date"},
                  f"HEAD /{code}: same fields as GET: {sorted(h.names() ^ r.names())}")
            if r.get("Content-Length") and h.get("Content-Length"):
                check(h.get("Content-Length") == r.get("Content-Length"),
                      f"HEAD /{code}: Content-Length as GET")

        # HEAD of every code, pipelined on one connection: had any answer
        # carried content, the answers after it would not parse in order.
        codes = [c for c in sorted(catalog()) if c >= 200 and c != 444]
        out, rest, closed = exchange(srv, b"".join(req("HEAD", f"/{c}") for c in codes),
                                     count=len(codes), heads=[True] * len(codes), timeout=10)
        check([r.code for r in out] == codes and not rest,
              f"HEAD of every code, pipelined: answers in order without content, got "
              f"{[r.code for r in out][:20]}... rest {rest[:100]!r}")

        # 1xx: interim response, then a final 200.
        for code in sorted(c for c in catalog() if c < 200 and c != 101):
            e = entry(code)
            r = curl(srv, f"/{code}")
            interim = [b for b in r.blocks if b[0] == code]
            check(len(interim) == 1 and r.status == 200 and r.blocks[-1][0] == 200,
                  f"/{code}: interim {code} then a final 200, got {[b[0] for b in r.blocks]}")
            if interim:
                names = {n.lower() for n, _ in interim[0][2]}
                for field in e["headers"]:
                    check(field.lower() in names, f"/{code}: interim carries {field}: {interim[0]}")
                check("content-length" not in names and "transfer-encoding" not in names,
                      f"/{code}: no Content-Length on the interim response: {interim[0]}")
            r = curl(srv, f"/{code}", http10=True)
            check([b[0] for b in r.blocks] == [200],
                  f"/{code} over HTTP/1.0: no interim response, a final 200: {[b[0] for b in r.blocks]}")
        r = curl(srv, "/103")
        link = r.getall("Link", block=0)
        check(link and re.match(r"^<[^>]+>;", link[0]), f"/103: Link <...>; on the interim: {link}")

        # 101 without an Upgrade offer.
        r = curl(srv, "/101")
        expect_400_line(r, "/101 without Upgrade")
        check(b"upgrade" in r.body.lower(), f"/101 without Upgrade: says why: {r.body!r}")

        # 444: the connection closes, nothing is sent.
        r = curl(srv, "/444")
        check(r.rc == 52 and not r.blocks, f"/444: curl sees an empty reply (exit 52), got {r.rc} {r}")

        # Locations stay on this server.
        for code in (300, 301, 302, 303, 307, 308):
            r = curl(srv, f"/{code}?location=/teapot")
            check(r.status == code and r.get("Location") in ("/teapot", srv.base() + "/teapot"),
                  f"/{code}?location=/teapot: Location /teapot, got {r}")
        for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example/x",
                       "http://127.0.0.1.evil.example/", "https://example.com@evil.example/",
                       "javascript:alert(1)"):
            q = urllib.parse.quote(target, safe="")
            r = curl(srv, f"/302?location={q}")
            loc = r.get("Location")
            check(r.status == 400 or location_is_local(loc, srv),
                  f"/302?location={target}: refused or local, got {r}")
            check(loc is None or "evil" not in loc, f"/302?location={target}: no Location elsewhere: {loc!r}")
        r = curl(srv, "/302", headers=["X-HttpStatus-Response-Location: https://evil.example/"])
        loc = r.get("Location")
        check(loc is None or "evil" not in loc,
              f"X-HttpStatus-Response-Location to another host without --allow-redirect-host: "
              f"refused, got {r.status} Location {loc!r}")
        r = curl(srv, "/302?location=/a%0d%0aSet-Cookie:%20evil=1")
        check(r.get("Set-Cookie") is None and r.status == 400,
              f"?location with CRLF: 400 and no injected field, got {r}")

        # Response field overrides replace the built-in field.
        r = curl(srv, "/503", headers=["X-HttpStatus-Response-Retry-After: 7",
                                       "X-HttpStatus-Response-X-Custom: hello there"])
        check(r.status == 503 and r.getall("Retry-After") == ["7"],
              f"override Retry-After: exactly one Retry-After: 7, got {r.getall('Retry-After')}")
        check(r.get("X-Custom") == "hello there", f"override X-Custom: {r.fields}")
        r = curl(srv, "/405", headers=["X-HttpStatus-Response-Allow: GET"])
        check(r.getall("Allow") == ["GET"], f"override Allow: {r.getall('Allow')}")
        many = [f"X-HttpStatus-Response-X-F{i}: v" for i in range(17)]
        expect_400_line(curl(srv, "/200", headers=many), "17 X-HttpStatus-Response-* fields (over 16)")
        r = curl(srv, "/200", headers=many[:16])
        check(r.status == 200 and r.get("X-F15") == "v", f"16 X-HttpStatus-Response-* fields: all sent, got {r}")
        for name in ("Content-Length", "Transfer-Encoding"):
            r = curl(srv, "/200", headers=[f"X-HttpStatus-Response-{name}: 5"])
            expect_400_line(r, f"override {name}")

        # suppressBody.
        for q in ("suppressBody=true", "suppressBody"):
            r = curl(srv, f"/404?{q}")
            check(r.status == 404 and r.body == b"", f"/404?{q}: no content, got {r}")
        r = curl(srv, "/404", headers=["X-HttpStatus-Suppress-Body: true"])
        check(r.status == 404 and r.body == b"", f"X-HttpStatus-Suppress-Body: no content, got {r}")
        r = curl(srv, "/404?suppressBody=false")
        check(r.status == 404 and r.body, f"?suppressBody=false: content, got {r}")
        expect_400_line(curl(srv, "/404?suppressBody=maybe"), "?suppressBody=maybe")

        # CORS preflight and plain OPTIONS.
        r = curl(srv, "/200", method="OPTIONS",
                 headers=["Origin: https://app.example", "Access-Control-Request-Method: PUT",
                          "Access-Control-Request-Headers: X-HttpStatus-Sleep, Content-Type"])
        check(r.status == 204, f"preflight: 204, got {r}")
        methods = (r.get("Access-Control-Allow-Methods") or "").upper()
        check("PUT" in methods or "*" in methods, f"preflight: Allow-Methods has PUT: {methods!r}")
        allowed = (r.get("Access-Control-Allow-Headers") or "").lower()
        check(("x-httpstatus-sleep" in allowed and "content-type" in allowed) or allowed == "*",
              f"preflight: Allow-Headers has the requested fields: {allowed!r}")
        check(r.get("Access-Control-Allow-Origin"), f"preflight: Allow-Origin: {r.fields}")
        r = curl(srv, "/418", method="OPTIONS")
        check(r.status == 418, f"plain OPTIONS /418: 418, got {r}")
        r = curl(srv, "/418", method="OPTIONS", headers=["Origin: https://app.example"])
        check(r.status == 418, f"OPTIONS with Origin but no request method: 418, got {r}")

    with Server("--allow-redirect-host", "example.com") as srv:
        r = curl(srv, "/301?location=" + urllib.parse.quote("https://example.com/next", safe=""))
        check(r.status == 301 and r.get("Location") == "https://example.com/next",
              f"--allow-redirect-host example.com: Location honoured, got {r}")
        r = curl(srv, "/301?location=" + urllib.parse.quote("https://evil.example/", safe=""))
        check(r.status == 400 and r.get("Location") is None,
              f"--allow-redirect-host example.com: evil.example still refused, got {r}")


def test_negotiation():
    with Server() as srv:
        want = cli_json(404)[0]
        for accept in ("application/json", "application/json, text/plain;q=0.5",
                       "text/plain;q=0.1, application/json"):
            r = curl(srv, "/404", headers=[f"Accept: {accept}"])
            content_type_ok(r, f"/404 Accept: {accept}", "application/json")
            try:
                got = json.loads(r.body)
            except ValueError:
                got = None
            check(got == want, f"/404 Accept: {accept}: the object of httpstatus --json 404, got {r.body[:300]!r}")
        vary = (r.get("Vary") or "").lower()
        check("accept" in [v.strip() for v in vary.split(",")],
              f"a negotiated answer says Vary: Accept (caches must not mix types): {r.get('Vary')!r}")
        r = curl(srv, "/499", headers=["Accept: application/json"])
        try:
            got = json.loads(r.body)
        except ValueError:
            got = None
        check(r.status == 499 and got == cli_json(499)[0], f"/499 as JSON: registered meaning first: {r.body[:200]!r}")

        browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
        for accept in ("text/html", browser):
            r = curl(srv, "/418", headers=[f"Accept: {accept}"])
            content_type_ok(r, f"/418 Accept: {accept}", "text/html")
            text = html.unescape(r.body.decode("utf-8", "replace"))
            check(r.status == 418 and "418" in text and entry(418)["phrase"] in text and "<html" in text.lower(),
                  f"/418 as HTML: a page about the code, got {r.body[:300]!r}")
        for accept in ("*/*", "text/plain", "image/png", "text/*", ""):
            r = curl(srv, "/404", headers=[f"Accept: {accept}"] if accept else ["Accept:"])
            ct = r.get("Content-Type") or ""
            check(r.status == 404 and ct.startswith("text/plain") and r.body.startswith(b"404 Not Found"),
                  f"/404 Accept: {accept!r}: plain text, got {ct!r} {r.body[:80]!r}")

        # /api/codes is the command's catalog, field for field.
        r = curl(srv, "/api/codes")
        content_type_ok(r, "/api/codes", "application/json")
        try:
            got = json.loads(r.body)
        except ValueError:
            got = None
        want_all = [e for code in sorted(catalog()) for e in catalog()[code]]
        check(got == want_all, f"/api/codes equals `httpstatus list --json` ({len(want_all)} entries), "
                               f"got {type(got).__name__} of {len(got) if got else 0}")
        for code in (103, 404, 418, 451, 599, 999):
            r = curl(srv, f"/api/codes/{code}")
            try:
                got = json.loads(r.body)
            except ValueError:
                got = None
            check(r.status == 200 and got == cli_json(code),
                  f"/api/codes/{code} equals `httpstatus --json {code}`, got {r.status} {r.body[:200]!r}")
        for bad in ("abc", "1000", "20"):
            r = curl(srv, f"/api/codes/{bad}")
            check(r.status in (400, 404), f"/api/codes/{bad}: 400 or 404, got {r}")
        r = curl(srv, "/api/codes/700")
        check(r.status == 404 or (r.status == 200 and r.body.strip() == b"[]"),
              f"/api/codes/700 (no entry): 404 or [], got {r}")

        # Error answers are negotiated too, or at least stay one clear line.
        r = curl(srv, "/abc", headers=["Accept: application/json"])
        check(r.status == 400, f"/abc as JSON: 400, got {r}")


def test_faults():
    with Server() as srv:
        # sleepAfterHeaders: the header section first, the content later.
        for how in ("?sleepAfterHeaders=400", "", ):
            s = srv.connect()
            fields = [] if how else ["X-HttpStatus-Sleep-After-Headers: 400"]
            s.sendall(req("GET", "/200" + how, *fields))
            t0 = time.monotonic()
            buf = b""
            t_head = None
            while b"\r\n\r\n" not in buf:
                data = s.recv(65536)
                if not data:
                    break
                buf += data
            t_head = time.monotonic()
            head_fast = b"\r\n\r\n" in buf and buf.endswith(b"\r\n\r\n")
            out, rest, closed = read_responses_from(s, buf, timeout=5)
            t_body = time.monotonic()
            s.close()
            what = f"sleep after headers ({how or 'header'})"
            check(head_fast, f"{what}: the header section arrives alone first: {buf[:200]!r}")
            check(out and out[0].code == 200 and out[0].body, f"{what}: then the content: {out}")
            check(t_body - t_head >= 0.38, f"{what}: content >= 400 ms after the header section, "
                                          f"got {t_body - t_head:.3f}s (head after {t_head - t0:.3f}s)")

        # dribble: the content in several pieces over about the time asked.
        for how, fields in (("/200?dribble=600", []), ("/200", ["X-HttpStatus-Dribble: 600"])):
            s = srv.connect()
            s.sendall(req("GET", how, *fields))
            t0 = time.monotonic()
            buf, stamps = b"", []
            head_end = None
            while True:
                try:
                    data = s.recv(65536)
                except socket.timeout:
                    break
                if not data:
                    break
                buf += data
                stamps.append((time.monotonic(), len(buf)))
                if head_end is None and b"\r\n\r\n" in buf:
                    head_end = buf.index(b"\r\n\r\n") + 4
                if head_end is not None:
                    m = re.search(rb"(?i)\r\ncontent-length: *(\d+)", buf[:head_end])
                    if m and len(buf) - head_end >= int(m.group(1)):
                        break
            s.close()
            body_stamps = [t for t, n in stamps if head_end is not None and n > head_end]
            what = f"dribble 600 ms ({how} {fields})"
            check(len(body_stamps) >= 2, f"{what}: content in several reads, got {len(body_stamps)}")
            check(body_stamps and body_stamps[-1] - t0 >= 0.4,
                  f"{what}: spread over ~600 ms, got {(body_stamps[-1] - t0) if body_stamps else None}")

        # abort: before the header section, after it, in the middle of the content.
        s = srv.connect()
        s.sendall(req("GET", "/200?abort=before-headers"))
        closed, extra = wait_closed(s, 5)
        s.close()
        check(closed and extra == b"", f"abort=before-headers: closed with nothing sent, got {extra[:100]!r}")
        r = curl(srv, "/200", headers=["X-HttpStatus-Abort: before-headers"])
        check(r.rc == 52, f"X-HttpStatus-Abort: before-headers: curl sees an empty reply, got {r.rc}")
        for how in ("/200?abort=after-headers", "/200?abort=mid-body"):
            s = srv.connect()
            s.sendall(req("GET", how))
            out, rest, closed = read_responses(s, 1, timeout=5)
            s.close()
            r = out[0] if out else None
            check(closed and r and r.code == 200, f"{how}: header section then closed, got {out} {rest!r}")
            if r:
                n = int(r.get("Content-Length") or 0)
                check(n > 0, f"{how}: the header section announces content: {r}")
                if how.endswith("after-headers"):
                    check(r.body == b"", f"{how}: none of the content sent, got {r.body!r}")
                else:
                    check(0 < len(r.body) < n, f"{how}: part of the content sent, got {len(r.body)} of {n}")
        r = curl(srv, "/200?abort=mid-body")
        check(r.rc == 18, f"?abort=mid-body: curl reports a partial transfer (18), got {r.rc}")
        expect_400_line(curl(srv, "/200?abort=sometimes"), "?abort=sometimes")
        expect_400_line(curl(srv, "/200?dribble=fast"), "?dribble=fast")
        expect_400_line(curl(srv, "/200?sleepAfterHeaders=-5"), "?sleepAfterHeaders=-5")

        # Faults on answers without content: nothing to dribble, no hang.
        for method, target in (("HEAD", "/200?dribble=300"), ("GET", "/204?dribble=300&abort=mid-body"),
                               ("GET", "/304?sleepAfterHeaders=200"), ("GET", "/200?suppressBody&dribble=300"),
                               ("GET", "/103?sleep=200&dribble=200")):
            s = srv.connect()
            s.sendall(req(method, target))
            out, rest, closed = read_responses(s, 1, heads=(method == "HEAD",), timeout=5)
            s.close()
            interim = target.startswith("/103")  # 103, then a final 200 with content
            want = 200 if interim else int(target[1:4])
            check(out and out[-1].code == want and (interim or out[-1].body == b"") and not rest,
                  f"{method} {target}: {want} answered in full, got {out} {rest[:80]!r}")

        # A sleep before an abort still waits.
        r = curl(srv, "/200?sleep=300&abort=before-headers")
        check(r.rc == 52 and r.elapsed >= 0.28, f"sleep then abort: empty reply after >= 300 ms, got {r.rc} {r.elapsed:.3f}")
        # The server keeps serving after all that.
        check(curl(srv, "/200").status == 200, "after the faults: /200 still answered")


def read_responses_from(sock, buf, count=1, timeout=5.0):
    """read_responses, starting with bytes already read."""
    class Prefixed:
        def __init__(self, s, first):
            self.s, self.first = s, first

        def recv(self, n):
            if self.first:
                d, self.first = self.first, b""
                return d
            return self.s.recv(n)

        def settimeout(self, t):
            self.s.settimeout(t)
    return read_responses(Prefixed(sock, buf), count, timeout=timeout)


def test_protocol():
    with Server("--workers", "2") as srv:
        # Pipelining: several requests in one send, answered in order.
        data = (req("GET", "/201") + req("HEAD", "/200") +
                req("POST", "/202", "Content-Length: 4", body=b"abcd") +
                req("GET", "/204") + req("GET", "/304") + req("GET", "/418?sleep=100") +
                req("GET", "/103") + req("GET", "/205") + req("GET", "/200"))
        out, rest, closed = exchange(srv, data, count=9, heads=(False, True))
        codes = [r.code for r in out]
        check(codes == [201, 200, 202, 204, 304, 418, 103, 200, 205, 200],
              f"pipelined: answers in order (HEAD, 204, 304, 205 without content), got {codes}")
        check(not rest and not closed, f"pipelined: nothing extra, still open: {rest[:100]!r} closed={closed}")
        if len(out) == 10:
            check(out[1].body == b"" and out[1].get("Content-Length"), f"pipelined HEAD: fields, no content: {out[1]}")
            check(out[3].get("Content-Length") is None, f"pipelined 204: no Content-Length: {out[3]}")
            check(out[6].get("Content-Length") is None and out[6].get("Link"),
                  f"pipelined 103: Link, no Content-Length: {out[6]}")

        # A long pipeline whose answers (several MiB) outgrow every buffer:
        # the server must pause reading, flush and resume, in order.
        targets = [("/api/codes" if i % 3 == 0 else f"/{200 + i % 7}") for i in range(300)]
        s = srv.connect()
        data = b"".join(req("GET", t) for t in targets)
        sender = threading.Thread(target=lambda: s.sendall(data), daemon=True)
        sender.start()
        out, rest, closed = read_responses(s, len(targets), timeout=30)
        sender.join(5)
        s.close()
        want = [200 if t == "/api/codes" else int(t[1:]) for t in targets]
        check([r.code for r in out] == want and not rest,
              f"300 pipelined requests (~4 MiB of answers): all answered in order, got {len(out)}")
        check(all(len(r.body) > 30000 for r, t in zip(out, targets) if t == "/api/codes"),
              "300 pipelined requests: every /api/codes answer complete")

        # A request trickled in one byte per segment is the same request.
        s = srv.connect()
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for b in req("POST", "/418?x=%41", "X-HttpStatus-Response-X-Trickle: yes",
                     "Transfer-Encoding: chunked", body=b"3\r\nabc\r\n0\r\n\r\n"):
            s.sendall(bytes([b]))
            time.sleep(0.001)
        out, rest, closed = read_responses(s, 1)
        s.close()
        check(out and out[0].code == 418 and out[0].get("X-Trickle") == "yes",
              f"a request sent one byte per segment: answered as a whole one, got {out}")

        # Keep-alive: requests one after the other on one connection.
        s = srv.connect()
        for code in (200, 404, 500):
            s.sendall(req("GET", f"/{code}"))
            out, rest, closed = read_responses(s, 1)
            check([r.code for r in out] == [code] and not closed, f"keep-alive /{code}: got {out} closed={closed}")
        s.sendall(req("GET", "/200", "Connection: close"))
        out, rest, closed = read_responses(s, 1)
        if not closed:
            closed, _ = wait_closed(s)
        s.close()
        check(out and out[0].code == 200 and (out[0].get("Connection") or "").lower() == "close",
              f"Connection: close: answered with Connection: close, got {out}")
        check(closed, "Connection: close: the server closes")

        # Requests pipelined after a Connection: close one are not answered.
        out, rest, closed = exchange(srv, req("GET", "/201", "Connection: close") + req("GET", "/418"), count=2)
        check([r.code for r in out] == [201] and closed and not rest,
              f"pipelined after Connection: close: only the first answered, then closed: {out} {rest[:80]!r}")
        # The absolute form of the target (what proxies send).
        out, rest, closed = exchange(srv, b"GET http://test/404/x?y=1 HTTP/1.1\r\nHost: test\r\n\r\n")
        check([r.code for r in out] == [404], f"absolute-form target http://test/404/x: 404, got {out}")

        # OPTIONS * asks about the server itself (RFC 9110, 9.3.7).
        out, rest, closed = exchange(srv, req("OPTIONS", "*"))
        check(out and 200 <= out[0].code < 300, f"OPTIONS *: a 2xx, got {out}")

        # HTTP/1.0: answered, closed; no 1xx.
        for target in ("/200", "/100", "/103"):
            s = srv.connect()
            s.sendall(req("GET", target, version="HTTP/1.0", host=False))
            out, rest, closed = read_responses(s, 1)
            if not closed:
                closed, _ = wait_closed(s)
            s.close()
            check([r.code for r in out] == [200] and closed,
                  f"HTTP/1.0 GET {target}: one final 200 (no 1xx), then closed: {out} closed={closed}")
        s = srv.connect()
        s.sendall(req("GET", "/200", "Connection: keep-alive", version="HTTP/1.0") +
                  req("GET", "/201", "Connection: keep-alive", version="HTTP/1.0"))
        out, rest, closed = read_responses(s, 2)
        s.close()
        check([r.code for r in out] == [200, 201] and not closed,
              f"HTTP/1.0 keep-alive: both answered, kept open: {out} closed={closed}")
        if out:
            check((out[0].get("Connection") or "").lower() == "keep-alive",
                  f"HTTP/1.0 keep-alive: Connection: keep-alive: {out[0]}")

        # Expect: 100-continue: 100 before the content is sent.
        for target in ("/200", "/404", "/api/codes/404"):
            s = srv.connect()
            s.sendall(req("POST", target, "Content-Length: 5", "Expect: 100-continue"))
            got = b""
            s.settimeout(3)
            try:
                got = s.recv(65536)
            except socket.timeout:
                pass
            check(got.startswith(b"HTTP/1.1 100 Continue\r\n") and got.endswith(b"\r\n\r\n"),
                  f"Expect: 100-continue on {target}: 100 Continue first, got {got[:200]!r}")
            s.sendall(b"hello")
            out, rest, closed = read_responses(s, 1)
            s.close()
            want = 405 if target.startswith("/api") else int(target[1:])
            check([r.code for r in out] == [want], f"Expect on {target}: then the final answer, got {out}")
        s = srv.connect()
        s.sendall(req("POST", "/200", "Content-Length: 5", "Expect: 100-continue", version="HTTP/1.0"))
        s.settimeout(0.5)
        early = b""
        try:
            early = s.recv(65536)
        except socket.timeout:
            pass
        s.sendall(b"hello")
        out, rest, closed = read_responses(s, 1)
        s.close()
        check(b"100 Continue" not in early and [r.code for r in out] == [200],
              f"HTTP/1.0 Expect: no 100, then 200: {early[:100]!r} {out}")

        # HEAD sends no content, even with Connection: close.
        s = srv.connect()
        s.sendall(req("HEAD", "/404", "Connection: close"))
        closed, data = wait_closed(s)
        s.close()
        check(closed and data.endswith(b"\r\n\r\n") and data.count(b"\r\n\r\n") == 1
              and b"content-length:" in data.lower(),
              f"HEAD /404: fields (Content-Length) and no content: {data[-120:]!r}")

        # 101 with an Upgrade offer: switches, then closes.
        s = srv.connect()
        s.sendall(req("GET", "/101", "Connection: Upgrade", "Upgrade: websocket"))
        out, rest, closed = read_responses(s, 1)
        if not closed:
            closed, rest2 = wait_closed(s)
            rest += rest2
        s.close()
        check(out and out[0].code == 101 and (out[0].get("Upgrade") or "").lower() == "websocket",
              f"/101 with Upgrade: websocket: 101 with Upgrade: websocket, got {out}")
        check(closed and not rest, f"/101: connection closed after the switch, extra {rest[:80]!r}")
        s = srv.connect()
        s.sendall(req("GET", "/101", "Connection: Upgrade", "Upgrade: websocket", version="HTTP/1.0"))
        out, rest, closed = read_responses(s, 1)
        s.close()
        check(out and out[0].code == 400, f"/101 over HTTP/1.0: no switch (400), got {out}")

        # 444 over a raw socket: closed with nothing sent.
        s = srv.connect()
        s.sendall(req("GET", "/444") + req("GET", "/200"))
        closed, data = wait_closed(s)
        s.close()
        check(closed and data == b"", f"/444: closed, nothing sent (not even for the next request): {data[:100]!r}")

        # Malformed requests: 400 and closed.
        for bad in (b"GARBAGE\r\n\r\n", b"GET /200 HTTP/1.1 x\r\nHost: t\r\n\r\n",
                    b"GET\r\n\r\n", b" GET /200 HTTP/1.1\r\nHost: t\r\n\r\n",
                    b"GET /200 HTTP/1.1\r\nHost t\r\n\r\n", b"GET /200 HTTP/1.1\r\nBad Name: x\r\n\r\n",
                    b"GET /2\x0000 HTTP/1.1\r\nHost: t\r\n\r\n", b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",
                    b"GET /200 HTTP/1.1\r\nX: a\x00b\r\n\r\n", b"GET /200 HTTP/1.1\r\nX: a\rb\r\n\r\n",
                    b"GET /200 HTTP/1.1\r\nX-HttpStatus-Response-X: a\rSet-Cookie: b\r\n\r\n",
                    b"GET /20 0 HTTP/1.1\r\n\r\n"):
            expect_refused(srv, bad + req("GET", "/418"), {400}, f"malformed {bad[:40]!r}", smuggled_code=418)
        expect_refused(srv, b"GET /200 HTTP/2.0\r\nHost: t\r\n\r\n", {400, 505}, "HTTP/2.0 request line")

        # The server answers everyone else all along.
        check(curl(srv, "/200").status == 200, "after malformed requests: /200 still answered")


def test_smuggling():
    with Server() as srv:
        smuggled = req("GET", "/418")
        cases = {
            "CL + TE": req("POST", "/200", "Content-Length: 5", "Transfer-Encoding: chunked",
                           body=b"0\r\n\r\n"),
            "TE + CL": req("POST", "/200", "Transfer-Encoding: chunked", "Content-Length: 5",
                           body=b"0\r\n\r\n"),
            "two Content-Lengths": req("POST", "/200", "Content-Length: 5", "Content-Length: 30",
                                       body=b"hello"),
            "Content-Length list": req("POST", "/200", "Content-Length: 5, 30", body=b"hello"),
            "Content-Length +5": req("POST", "/200", "Content-Length: +5", body=b"hello"),
            "Content-Length -1": req("POST", "/200", "Content-Length: -1"),
            "Content-Length 0x5": req("POST", "/200", "Content-Length: 0x5", body=b"hello"),
            "Content-Length overflow": req("POST", "/200", "Content-Length: 99999999999999999999999"),
            "TE gzip (chunked not last)": req("POST", "/200", "Transfer-Encoding: gzip", body=b"hello"),
            "TE chunked, gzip": req("POST", "/200", "Transfer-Encoding: chunked, gzip", body=b"0\r\n\r\n"),
            "TE xchunked": req("POST", "/200", "Transfer-Encoding: xchunked", body=b"0\r\n\r\n"),
            "space before colon": req("POST", "/200", "Transfer-Encoding : chunked", body=b"0\r\n\r\n"),
            "bad chunk size": req("POST", "/200", "Transfer-Encoding: chunked", body=b"zz\r\nhello\r\n0\r\n\r\n"),
            "chunk size overflow": req("POST", "/200", "Transfer-Encoding: chunked",
                                       body=b"fffffffffffffffffff\r\nhello\r\n0\r\n\r\n"),
            "chunk without CRLF": req("POST", "/200", "Transfer-Encoding: chunked",
                                      body=b"5\r\nhelloXX0\r\n\r\n"),
            "two Content-Lengths on GET": req("GET", "/200", "Content-Length: 1", "Content-Length: 2", body=b"xx"),
            # RFC 9112, Section 3.2: an HTTP/1.1 request has exactly one Host.
            "HTTP/1.1 without Host": req("GET", "/200", host=False),
            "two Host fields": req("GET", "/200", "Host: other"),
            "two Host fields, one empty": req("GET", "/200", "host:"),
        }
        for what, data in cases.items():
            expect_refused(srv, data + smuggled, {400}, what, smuggled_code=418)
        # The framing that IS valid: a chunked body then a pipelined request.
        out, rest, closed = exchange(srv, req("POST", "/201", "Transfer-Encoding: chunked",
                                              body=b"5\r\nhello\r\n3;ext=1\r\nabc\r\n0\r\nTrailer: x\r\n\r\n") +
                                     req("GET", "/202"), count=2)
        check([r.code for r in out] == [201, 202], f"valid chunked body then a request: {out}")
        out, _, _ = exchange(srv, req("GET", "/203", version="HTTP/1.0", host=False))
        check([r.code for r in out] == [203], f"HTTP/1.0 without Host is answered: {out}")
        check(curl(srv, "/200").status == 200, "after smuggling attempts: /200 still answered")


def test_limits():
    with Server("--max-body", "1000", "--workers", "1") as srv:
        # Request line: just under 8 KiB is fine; over it is 414.
        ok_target = "/200/" + "a" * 7900
        out, _, _ = exchange(srv, req("GET", ok_target))
        check([r.code for r in out] == [200], f"a 7.9 KiB request target: 200, got {[r.code for r in out]}")
        long_target = "/200/" + "a" * 9000
        expect_refused(srv, req("GET", long_target), {414}, "a 9 KiB request target")
        # Header section: 10 KiB fine, over 16 KiB 431.
        fields = [f"X-Filler-{i}: " + "b" * 1000 for i in range(10)]
        out, _, _ = exchange(srv, req("GET", "/200", *fields))
        check([r.code for r in out] == [200], f"a 10 KiB header section: 200, got {[r.code for r in out]}")
        fields = [f"X-Filler-{i}: " + "b" * 1000 for i in range(20)]
        expect_refused(srv, req("GET", "/200", *fields), {431}, "a 20 KiB header section")
        fields = [f"X-F{i}: b" for i in range(3000)]
        expect_refused(srv, req("GET", "/200", *fields), {431}, "3000 small header fields")
        # Content: read and discarded up to --max-body, then 413.
        out, rest, closed = exchange(srv, req("POST", "/201", "Content-Length: 1000", body=b"x" * 1000) +
                                     req("GET", "/202"), count=2)
        check([r.code for r in out] == [201, 202], f"1000 bytes of content (the limit) then a request: {out}")
        s = srv.connect()
        s.sendall(req("POST", "/201", "Content-Length: 1001"))
        out, rest, closed = read_responses(s, 1)
        if not closed:
            closed, _ = wait_closed(s)
        s.close()
        check(out and out[0].code == 413 and closed, f"Content-Length: 1001 over --max-body 1000: 413 and close, got {out}")
        chunked = b"".join(b"%x\r\n%s\r\n" % (300, b"c" * 300) for _ in range(3)) + b"0\r\n\r\n"
        out, rest, closed = exchange(srv, req("POST", "/201", "Transfer-Encoding: chunked", body=chunked) +
                                     req("GET", "/202"), count=2)
        check([r.code for r in out] == [201, 202], f"chunked 900 bytes then a request: {out}")
        chunked = b"".join(b"%x\r\n%s\r\n" % (300, b"c" * 300) for _ in range(4)) + b"0\r\n\r\n"
        out = expect_refused(srv, req("POST", "/201", "Transfer-Encoding: chunked", body=chunked) + req("GET", "/202"),
                             {413}, "chunked 1200 bytes over --max-body 1000")
        # Expect: 100-continue with too much content: the 413 comes without it.
        s = srv.connect()
        s.sendall(req("POST", "/200", "Content-Length: 5000", "Expect: 100-continue"))
        out, rest, closed = read_responses(s, 1, timeout=3)
        s.close()
        codes = [r.code for r in out]
        check(codes in ([413], [100, 413]),
              f"Expect: 100-continue with 5000 bytes over --max-body 1000: 413 before any content, got {codes}")
        check(curl(srv, "/201", data="y" * 999).status == 201, "curl POST of 999 bytes: 201")
        check(curl(srv, "/201", data="y" * 5000).status == 413, "curl POST of 5000 bytes: 413")

    with Server("--max-connections", "4", "--workers", "1") as srv:
        socks = [srv.connect() for _ in range(10)]
        try:
            for s in socks:
                s.sendall(req("GET", "/200"))
            answered = refused = 0
            for s in socks:
                out, rest, closed = read_responses(s, 1, timeout=2)
                if out and out[0].code == 200:
                    answered += 1
                elif (out and out[0].code == 503) or closed:
                    refused += 1
            check(1 <= answered <= 4, f"--max-connections 4: at most 4 of 10 open connections served, got {answered}")
            check(refused >= 6, f"--max-connections 4: the others refused (503 or closed), got {refused}")
        finally:
            for s in socks:
                s.close()
        time.sleep(0.3)
        check(curl(srv, "/200").status == 200, "--max-connections 4: served again once they closed")


def test_slow_clients():
    with Server("--header-timeout", "600", "--idle-timeout", "800", "--workers", "1") as srv:
        # A header section that never completes: 408 and close after the timeout.
        s = srv.connect()
        t0 = time.monotonic()
        s.sendall(b"GET /200 HTTP/1.1\r\nHost: t\r\n")
        out, rest, closed = read_responses(s, 1, timeout=6)
        if not closed:
            closed, _ = wait_closed(s, 3)
        took = time.monotonic() - t0
        s.close()
        check(out and out[0].code == 408 and closed, f"slow header section: 408 and close, got {out} closed={closed}")
        check(took >= 0.58, f"slow header section: not before the 600 ms timeout, took {took:.3f}s")
        # Dripping bytes does not reset the header timeout.
        s = srv.connect()
        t0 = time.monotonic()
        head = b"GET /200 HTTP/1.1\r\nHost: t\r\nX-Slow: " + b"z" * 200
        try:
            for b in head:
                s.sendall(bytes([b]))
                if select.select([s], [], [], 0.05)[0]:
                    break  # the answer came: stop sending
        except (BrokenPipeError, ConnectionResetError):
            pass
        out, rest, closed = read_responses(s, 1, timeout=3)
        took = time.monotonic() - t0
        s.close()
        # 200 bytes take 10 s to drip: a timer reset by each byte never fires.
        check(out and out[0].code == 408 and took < 5,
              f"slowloris (a byte every 50 ms): 408 once 600 ms passed since the first byte, got {out} after {took:.2f}s")
        # A slow body also times out.
        s = srv.connect()
        s.sendall(req("POST", "/200", "Content-Length: 100", body=b"x" * 10))
        out, rest, closed = read_responses(s, 1, timeout=6)
        s.close()
        check(out and out[0].code == 408, f"content stalled: 408, got {out}")

        # Idle keep-alive connections are closed quietly.
        s = srv.connect()
        s.sendall(req("GET", "/200"))
        out, rest, closed = read_responses(s, 1)
        t0 = time.monotonic()
        closed, extra = wait_closed(s, 6)
        took = time.monotonic() - t0
        s.close()
        check(out and out[0].code == 200 and closed and extra == b"",
              f"idle keep-alive: closed with nothing sent, got {out} closed={closed} {extra[:80]!r}")
        check(took >= 0.75, f"idle keep-alive: not before the 800 ms timeout, took {took:.3f}s")
        s = srv.connect()
        t0 = time.monotonic()
        closed, extra = wait_closed(s, 6)
        s.close()
        check(closed and extra == b"" and time.monotonic() - t0 >= 0.75,
              f"a connection that never sends: closed quietly after the idle timeout: {closed} {extra[:80]!r}")

        # A slow client does not delay the others (one worker: one loop).
        slow = srv.connect()
        slow.sendall(b"GET /200 HTTP/1.1\r\nHo")
        sleeper = srv.connect()
        sleeper.sendall(req("GET", "/200?sleep=1500"))
        reader = srv.connect()  # asks a lot and reads nothing
        reader.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        try:
            reader.sendall(req("GET", "/api/codes") * 50)
        except OSError:
            pass
        t0 = time.monotonic()
        r = curl(srv, "/200")
        fast = time.monotonic() - t0
        out, rest, closed = read_responses(sleeper, 1, timeout=5)
        slept = time.monotonic() - t0
        check(r.status == 200, f"while a slow client, a sleeper and a non-reader hang on: /200 answered, got {r}")
        check(fast < slept and out and out[0].code == 200,
              f"the other client is answered before the 1.5 s sleeper: {fast:.3f}s vs {slept:.3f}s")
        for s in (slow, sleeper, reader):
            s.close()
        # Many sleeping requests at once cost timers, not threads: all answered.
        socks = [srv.connect() for _ in range(40)]
        for s in socks:
            s.sendall(req("GET", "/200?sleep=400"))
        t0 = time.monotonic()
        done = 0
        for s in socks:
            out, _, _ = read_responses(s, 1, timeout=10)
            done += bool(out and out[0].code == 200)
            s.close()
        check(done == 40, f"40 concurrent sleeps on one worker: all answered, got {done}")


def test_send_timeout():
    """A client that reads nothing of its answers is closed (--send-timeout)."""
    with Server("--send-timeout", "500", "--workers", "1") as srv:
        s = socket.socket(srv.family, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # before connect: a small window
        s.settimeout(5)
        s.connect((srv.host, srv.port))
        asked = 400  # far more than the socket buffers hold
        try:
            s.sendall(req("GET", "/api/codes") * asked)
        except OSError:
            pass
        time.sleep(2.0)  # read nothing, well past the 500 ms
        check(curl(srv, "/200").status == 200, "--send-timeout: others are served meanwhile")
        out, rest, closed = read_responses(s, asked, timeout=10)
        s.close()
        check(closed and len([r for r in out if r.code == 200]) < asked,
              f"--send-timeout 500: a client reading nothing is closed before all {asked} answers, "
              f"got {len(out)} answers, closed={closed}")
    with Server("--send-timeout", "500", "--workers", "1") as srv:
        # Slow but steady reading is progress: everything arrives. About
        # 115 KiB at 4 KiB per 100 ms takes ~3 s, six times the timeout.
        s = socket.socket(srv.family, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.settimeout(5)
        s.connect((srv.host, srv.port))
        s.sendall(req("GET", "/api/codes") * 3)
        buf, t0 = b"", time.monotonic()
        while time.monotonic() - t0 < 20:
            try:
                data = s.recv(4096)
            except OSError:
                break
            if not data:
                break
            buf += data
            if buf.count(b"HTTP/1.1 200 OK") == 3 and buf.rstrip().endswith(b"]"):
                break
            time.sleep(0.1)
        took = time.monotonic() - t0
        out, rest, closed = read_responses_from(s, buf, count=3, timeout=5)
        s.close()
        check([r.code for r in out] == [200, 200, 200],
              f"--send-timeout 500: a client reading slowly but steadily gets all 3 answers "
              f"(over {took:.1f}s), got {[r.code for r in out]}")


def test_signals():
    with Server() as srv:
        check(curl(srv, "/200").status == 200, "SIGTERM: server answers first")
        rc, took = srv.stop(signal.SIGTERM)
    with Server() as srv:
        rc, took = srv.stop(signal.SIGINT)
    # In-flight responses finish; no new connection is accepted.
    with Server("--workers", "2") as srv:
        s = srv.connect()
        s.sendall(req("GET", "/200?sleep=1200"))
        half = srv.connect()  # a request half received when the signal comes
        half.sendall(b"GET /201 HTTP/1.1\r\nHost: t\r\n")
        time.sleep(0.3)
        srv.proc.send_signal(signal.SIGTERM)
        refused = False
        t_sig = time.monotonic()
        while not refused and time.monotonic() - t_sig < 0.8:  # the sleeper runs till ~1.2 s
            time.sleep(0.1)
            try:
                n = srv.connect(timeout=1)
                n.sendall(req("GET", "/200"))
                out, _, closed = read_responses(n, 1, timeout=1)
                refused = not out or out[0].code != 200
                n.close()
            except OSError:
                refused = True
        check(refused, "after SIGTERM: new connections are not served (while a response is in flight)")
        out, rest, closed = read_responses(s, 1, timeout=5)
        s.close()
        check(out and out[0].code == 200 and out[0].body,
              f"after SIGTERM: the in-flight (sleeping) response completes, got {out}")
        half.sendall(b"\r\n")
        out, rest, closed = read_responses(half, 1, timeout=5)
        if not closed:
            closed, _ = wait_closed(half, 3)
        half.close()
        check(out and out[0].code == 201 and (out[0].get("Connection") or "").lower() == "close" and closed,
              f"after SIGTERM: a request half received is answered with Connection: close, then closed; "
              f"got {out} closed={closed}")
        rc, took = srv.stop(signal.SIGTERM)
    # Idle keep-alive connections are not in flight: they do not hold the exit.
    with Server("--drain-timeout", "20000", "--idle-timeout", "60000") as srv:
        idle = [srv.connect() for _ in range(3)]
        for s in idle:
            s.sendall(req("GET", "/204"))
            read_responses(s, 1)
        rc, took = srv.stop(signal.SIGTERM)
        for s in idle:
            s.close()
        check(took < 5, f"SIGTERM with 3 idle keep-alive connections and --drain-timeout 20000: "
                        f"exits without waiting for them, took {took:.2f}s")
    # An in-flight response longer than the drain bound does not hold the exit.
    with Server("--drain-timeout", "500") as srv:
        s = srv.connect()
        s.sendall(req("GET", "/200?sleep=20000"))
        time.sleep(0.2)
        rc, took = srv.stop(signal.SIGTERM)
        s.close()
        check(took < 10, f"--drain-timeout 500 with a 20 s sleep in flight: exits within the bound, took {took:.2f}s")


def test_cli():
    """Options, --access-log and the errors of a bad command line."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C"}
    for argv in (["--port", "abc"], ["--port", "65536"], ["--port", "-1"], ["--port"],
                 ["--workers", "0"], ["--workers", "x"], ["--max-sleep", "soon"],
                 ["--max-body", "-3"], ["--bogus"], ["extra"], ["--header-timeout", "x"],
                 ["--access-log=yes"], ["--max-connections", "0"]):
        p = subprocess.run([ARGS.bin, "serve"] + argv, stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, timeout=10)
        check(p.returncode == 2, f"serve {argv}: exit 2, got {p.returncode}")
        check(p.stderr.endswith(b"\n") and p.stderr.count(b"\n") == 1 and p.stdout == b"",
              f"serve {argv}: one line on stderr, nothing on stdout: {p.stderr[:300]!r} {p.stdout[:100]!r}")
    p = subprocess.run([ARGS.bin, "serve", "--help"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       env=env, timeout=10)
    check(p.returncode == 0 and b"--port" in p.stdout and b"--max-sleep" in p.stdout,
          f"serve --help: exit 0, lists the options: {p.returncode} {p.stdout[:200]!r}")

    with Server() as first:
        p = subprocess.Popen([ARGS.bin, "serve", "--port", str(first.port)], stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        try:
            out, err = p.communicate(timeout=5)
        except subprocess.TimeoutExpired:
            p.kill()
            out, err = p.communicate()
        check(p.returncode == 1 and err.count(b"\n") == 1,
              f"serve on a port in use: exit 1 with one line, got {p.returncode} {err[:200]!r} "
              f"(stdout {out[:100]!r}: still running after 5 s means it shares the port)")
        check(curl(first, "/200").status == 200, "the first server still answers")
        quiet = first.stdout()
        check(quiet.count(b"\n") == 1, f"without --access-log: only the URL line on stdout: {quiet[:300]!r}")

    # IPv6 loopback, when this machine has one: the URL uses the [::1] form.
    probe = socket.socket(socket.AF_INET6) if socket.has_ipv6 else None
    try:
        if probe:
            probe.bind(("::1", 0))
    except OSError:
        probe.close()
        probe = None
    if probe:
        probe.close()
        with Server("--host", "::1") as srv:
            check(srv.url.startswith("http://[::1]:"), f"--host ::1: URL in the [::1] form: {srv.url}")
            check(curl(srv, "/418").status == 418, "--host ::1: answers over IPv6")
        with Server("--host", "[::1]") as srv:
            check(srv.url.startswith("http://[::1]:") and curl(srv, "/418").status == 418,
                  f"--host [::1], as a URL writes it, is ::1: {srv.url}")
    else:
        print("note: no IPv6 loopback here; --host ::1 not exercised")

    with Server("--access-log", "--workers", "2") as srv:
        curl(srv, "/418")
        curl(srv, "/200", head=True)
        curl(srv, "/201?a=%22b%22", data="hello")
        curl(srv, "/404/x", http10=True)
        exchange(srv, b"GET /2\"00 HTTP/1.1\r\nHost: t\r\n\r\n")
        time.sleep(0.2)
        body_418 = curl(srv, "/418").body
        time.sleep(0.2)
        lines = srv.stdout().decode("utf-8", "replace").split("\n")[1:]
        lines = [ln for ln in lines if ln]
        rx = re.compile(r'^(\S+) - - \[(\d{2})/([A-Z][a-z]{2})/(\d{4}):(\d{2}):(\d{2}):(\d{2}) [+-]\d{4}\] '
                        r'"(\S+) (\S+) (HTTP/1\.[01])" (\d{3}|-) (\d+|-) (\d+\.\d{3})$')
        parsed = [rx.match(ln) for ln in lines]
        check(len(lines) >= 5 and all(parsed), f"--access-log: one common-log-format line per request: {lines}")
        want = [("GET", "/418", "HTTP/1.1", "418"), ("HEAD", "/200", "HTTP/1.1", "200"),
                ("POST", "/201?a=%22b%22", "HTTP/1.1", "201"), ("GET", "/404/x", "HTTP/1.0", "404"),
                ("GET", "/418", "HTTP/1.1", "418")]
        got = [(m.group(8), m.group(9), m.group(10), m.group(11)) for m in parsed if m]
        for w in want:
            check(w in got, f"--access-log: a line for {w}: {got}")
        check(all(m.group(1) == srv.host for m in parsed if m), f"--access-log: the peer address: {lines}")
        m418 = [m for m in parsed if m and m.group(9) == "/418"]
        check(m418 and m418[-1].group(12).isdigit() and int(m418[-1].group(12)) >= len(body_418) > 0,
              f"--access-log: bytes sent for /418 (at least its {len(body_418)} of content): {lines}")
        check(not any('"' in (m.group(9) or "") for m in parsed if m),
              f"--access-log: a quote in the target is escaped: {lines}")


GROUPS = {name[5:]: fn for name, fn in globals().items() if name.startswith("test_")}


def main(groups=None, name="server"):
    """Runs the group named on the command line, out of `groups` (this file's
    own by default; h2_test.py and tls_test.py pass theirs and their test
    names' prefix)."""
    global ARGS, TMP
    groups = groups or GROUPS
    ap = argparse.ArgumentParser()
    ap.add_argument("group", choices=sorted(groups))
    ap.add_argument("--bin", required=True)
    ap.add_argument("--chromium")
    ARGS = ap.parse_args()
    TMP = tempfile.mkdtemp(prefix=f"httpstatus-{name}-test-")
    t0 = time.monotonic()
    try:
        groups[ARGS.group]()
    except Exception as e:  # a crash of the test itself is a failure too
        import traceback
        traceback.print_exc()
        FAILURES.append(f"{type(e).__name__}: {e}")
    finally:
        shutil.rmtree(TMP, ignore_errors=True)
    print(f"{name}_{ARGS.group}: {CHECKS} checks, {len(FAILURES)} failed, "
          f"{time.monotonic() - t0:.1f}s")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
