#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""End-to-end tests of `httpstatus serve` over HTTP/2, on loopback.

    h2_test.py GROUP --bin PATH

GROUP names one of the test_<group> functions below; CTest runs each as
server_h2_<group>. The server comes from server_test.py (its Server, curl and
check helpers); the clients are curl (--http2-prior-knowledge, --http2),
nghttp -v (nghttp2-client), Node's http2 module (h2_client.js) and raw
frames written here for floods and malformed input. Per-code expectations
come from the catalog (`httpstatus list --json`). Timing checks are lower
bounds or orderings only.
"""
import json
import os
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import server_test as st  # noqa: E402
from server_test import Server, check, curl  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))

# --------------------------------------------------------------------------
# Frames (RFC 9113, Section 4 and 6)

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
DATA, HEADERS, PRIORITY, RST_STREAM, SETTINGS, PUSH_PROMISE, PING, GOAWAY, \
    WINDOW_UPDATE, CONTINUATION = range(10)
END_STREAM, ACK, END_HEADERS, PADDED = 0x1, 0x1, 0x4, 0x8
NO_ERROR, PROTOCOL_ERROR, INTERNAL_ERROR, FLOW_CONTROL_ERROR = 0, 1, 2, 3
FRAME_SIZE_ERROR, REFUSED_STREAM, COMPRESSION_ERROR, ENHANCE_YOUR_CALM = 6, 7, 9, 11
SETTINGS_INITIAL_WINDOW_SIZE, SETTINGS_MAX_CONCURRENT_STREAMS = 4, 3
SETTINGS_MAX_HEADER_LIST_SIZE = 6


def frame(ftype, flags=0, stream=0, payload=b""):
    return struct.pack(">I", len(payload))[1:] + bytes([ftype, flags]) + \
        struct.pack(">I", stream & 0x7FFFFFFF) + payload


def settings(**values):
    ids = {"initial_window_size": SETTINGS_INITIAL_WINDOW_SIZE}
    return frame(SETTINGS, payload=b"".join(struct.pack(">HI", ids[k], v)
                                            for k, v in values.items()))


def hpack_int(value, prefix_bits, first=0):
    limit = (1 << prefix_bits) - 1
    if value < limit:
        return bytes([first | value])
    out = [first | limit]
    value -= limit
    while value >= 128:
        out.append(value % 128 + 128)
        value //= 128
    out.append(value)
    return bytes(out)


def hpack_literal(name, value):
    """A literal field without indexing, new name, no Huffman (RFC 7541, 6.2.2)."""
    name, value = name.encode(), value.encode()
    return b"\x00" + hpack_int(len(name), 7) + name + hpack_int(len(value), 7) + value


def request_block(path, method="GET", extra=()):
    fields = [(":method", method), (":scheme", "http"), (":path", path),
              (":authority", "test")] + list(extra)
    return b"".join(hpack_literal(n, v) for n, v in fields)


def headers(stream, path, end_stream=True, method="GET", extra=()):
    flags = END_HEADERS | (END_STREAM if end_stream else 0)
    return frame(HEADERS, flags, stream, request_block(path, method, extra))


def rst(stream, code=8):
    return frame(RST_STREAM, 0, stream, struct.pack(">I", code))


class Frame:
    def __init__(self, ftype, flags, stream, payload):
        self.type, self.flags, self.stream, self.payload = ftype, flags, stream, payload

    def error_code(self):
        if self.type == GOAWAY:
            return struct.unpack(">I", self.payload[4:8])[0]
        if self.type == RST_STREAM:
            return struct.unpack(">I", self.payload[:4])[0]
        return None

    def __repr__(self):
        return f"<frame type={self.type} flags={self.flags:#x} stream={self.stream} len={len(self.payload)}>"


class Conn:
    """A raw HTTP/2 connection (prior knowledge) to the server."""

    def __init__(self, srv, preface=True, timeout=5.0):
        self.sock = srv.connect(timeout)
        self.buf = b""
        self.closed = False
        if preface:
            self.sock.sendall(PREFACE + frame(SETTINGS))

    def send(self, data):
        try:
            self.sock.sendall(data)
            return True
        except (BrokenPipeError, ConnectionResetError):
            return False

    def frames(self, until=None, timeout=5.0):
        """Reads frames until `until(frame)` is true, the peer closes or
        `timeout` passes; returns them all."""
        got = []
        deadline = time.monotonic() + timeout
        while True:
            while len(self.buf) >= 9:
                n = int.from_bytes(self.buf[:3], "big")
                if len(self.buf) < 9 + n:
                    break
                f = Frame(self.buf[3], self.buf[4],
                          int.from_bytes(self.buf[5:9], "big") & 0x7FFFFFFF,
                          self.buf[9:9 + n])
                self.buf = self.buf[9 + n:]
                got.append(f)
                if f.type == SETTINGS and not f.flags & ACK:
                    self.send(frame(SETTINGS, ACK))
                if until and until(f):
                    return got
            left = deadline - time.monotonic()
            if self.closed or left <= 0:
                return got
            self.sock.settimeout(left)
            try:
                data = self.sock.recv(65536)
            except socket.timeout:
                return got
            except ConnectionResetError:
                data = b""
            if not data:
                self.closed = True
            self.buf += data

    def goaway(self, timeout=5.0):
        """Reads until GOAWAY (returned) or close (None)."""
        fs = self.frames(lambda f: f.type == GOAWAY, timeout)
        return next((f for f in fs if f.type == GOAWAY), None)

    def wait_closed(self, timeout=5.0):
        self.frames(None, timeout)
        return self.closed

    def close(self):
        self.sock.close()


def still_serves(srv, what):
    r = curl(srv, "/204", "--http2-prior-knowledge")
    check(r.rc == 0 and r.status == 204, f"{what}: a new connection is still served, got {r}")


def expect_goaway(srv, data, codes, what, preface=True):
    c = Conn(srv, preface)
    c.send(data)
    g = c.goaway(10)
    closed = c.wait_closed(5)
    c.close()
    check(g is not None and g.error_code() in codes,
          f"{what}: GOAWAY with {codes}, got {g and g.error_code()}")
    check(closed, f"{what}: the server closes the connection")
    still_serves(srv, what)


# --------------------------------------------------------------------------
# Clients nobody here wrote

def node(srv, requests, *args, timeout=60, url=None):
    fd, path = tempfile.mkstemp(dir=st.TMP, suffix=".json")
    with os.fdopen(fd, "w") as f:
        json.dump(requests, f)
    p = subprocess.run(["node", os.path.join(HERE, "h2_client.js"), url or srv.base(), path]
                       + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=timeout)
    os.unlink(path)
    if p.returncode != 0 or not p.stdout.strip():
        check(False, f"node h2_client ran: rc={p.returncode} {p.stderr[-1500:]!r}")
        return None
    return json.loads(p.stdout)


def nghttp(srv, path, *args, timeout=20):
    p = subprocess.run(["nghttp", "-v", "-n"] + list(args) + [srv.base() + path],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
    return p.returncode, p.stdout.decode("latin-1")


def h2curl(srv, path, *args, **kw):
    return curl(srv, path, "--http2-prior-knowledge", *args, **kw)


# --------------------------------------------------------------------------
# Groups

def test_prior_knowledge():
    with Server() as srv:
        for code in (200, 404, 418, 503):
            r = h2curl(srv, f"/{code}")
            h1 = curl(srv, f"/{code}")
            check(r.rc == 0 and r.status == code, f"h2c /{code}: status {code}, got {r}")
            check(r.body == h1.body, f"h2c /{code}: the same content as HTTP/1.1")
            check(r.get("content-length") == str(len(r.body)), f"h2c /{code}: content-length")
            check(st.IMF_DATE.match(r.get("date") or ""), f"h2c /{code}: a Date field")
            check(r.get("connection") is None, f"h2c /{code}: no Connection field (RFC 9113, 8.2.2)")
        r = h2curl(srv, "/204")
        check(r.status == 204 and r.body == b"" and r.get("content-length") is None,
              f"h2c /204: no content, no content-length: {r}")
        r = h2curl(srv, "/200", head=True)
        check(r.status == 200 and int(r.get("content-length") or 0) > 0,
              f"h2c HEAD /200: the GET length, no content: {r}")
        r = h2curl(srv, "/103")
        check([b[0] for b in r.blocks] == [103, 200], f"h2c /103: 103 then 200, got {r.blocks}")
        check(r.getall("link", block=0), f"h2c /103: the 103 carries Link: {r.blocks[:1]}")
        for code in (600, 799, 999):
            r = h2curl(srv, f"/{code}")
            check(r.rc == 0 and r.status == code, f"h2c /{code}: :status {code}, got {r}")
        r = h2curl(srv, "/200", headers=["X-HttpStatus-Response-X-Test: yes",
                                         "X-HttpStatus-Response-Connection: keep-alive"])
        check(r.get("x-test") == "yes", f"h2c override: the field is sent (lower case): {r}")
        check(r.get("connection") is None, f"h2c override of Connection: dropped: {r}")
        r = h2curl(srv, "/api/codes/404", headers=["Accept: application/json"])
        check(r.status == 200 and json.loads(r.body)[0]["code"] == 404, f"h2c /api/codes/404: {r}")
        for page in ("/", "/api/codes", "/catalog", "/static/catalog.css", "/healthz"):
            r, h1 = h2curl(srv, page), curl(srv, page)
            check(r.status == h1.status and r.body == h1.body and r.body,
                  f"h2c {page}: the same answer as HTTP/1.1 ({len(r.body)} vs {len(h1.body)} bytes)")
    with Server("--access-log") as srv:
        h2curl(srv, "/404")
        time.sleep(0.2)
        log = srv.stdout().decode()
        check('"GET /404 HTTP/2" 404 ' in log, f"--access-log: the h2 request's line says HTTP/2: {log!r}")


def test_upgrade():
    with Server() as srv:
        r = curl(srv, "/404", "--http2")
        codes = [b[0] for b in r.blocks]
        check(codes == [101, 404], f"curl --http2 /404: 101 then 404 over h2, got {r.blocks}")
        check(r.blocks and r.getall("upgrade", block=0) == ["h2c"], f"the 101 names h2c: {r.blocks[:1]}")
        h1 = curl(srv, "/404")
        check(r.body == h1.body, f"curl --http2 /404: the same content: {r.body!r}")
        r = curl(srv, "/200", "--http2", head=True)
        check(r.status == 200 and int(r.get("content-length") or 0) > 0, f"curl --http2 -I: {r}")
        # A request with content is answered over HTTP/1.1 (the upgrade is optional).
        r = curl(srv, "/200", "--http2", data="x=1")
        check([b[0] for b in r.blocks] == [200], f"curl --http2 with content: HTTP/1.1 200, got {r.blocks}")
        # The upgraded connection carries more streams.
        p = subprocess.run(["curl", "-sS", "--http2", "-o", "/dev/null", "-o", "/dev/null",
                            "-w", "%{http_code} %{http_version}\n",
                            srv.base() + "/201", srv.base() + "/202"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=20)
        lines = p.stdout.decode().split()
        check(p.returncode == 0 and lines == ["201", "2", "202", "2"],
              f"curl --http2 twice: both over h2, got {lines} {p.stderr[-300:]!r}")
        # An offer without a valid HTTP2-Settings field is not taken.
        out, rest, closed = st.exchange(srv, st.req("GET", "/200", "Connection: Upgrade, HTTP2-Settings",
                                                    "Upgrade: h2c", "HTTP2-Settings: !!"))
        check(out and out[0].code == 200, f"Upgrade: h2c with a bad HTTP2-Settings: answered over HTTP/1.1, got {out}")


def test_nghttp():
    with Server() as srv:
        rc, out = nghttp(srv, "/404")
        check(rc == 0 and ":status: 404" in out and "recv DATA frame" in out,
              f"nghttp -v /404: HEADERS :status 404 and DATA: {out[-1500:]}")
        check("recv SETTINGS frame" in out and "(niv=2)" in out, f"nghttp: the server's SETTINGS: {out[:1500]}")
        check("[SETTINGS_MAX_CONCURRENT_STREAMS(0x03):100]" in out,
              f"nghttp: MAX_CONCURRENT_STREAMS 100: {out[:1500]}")
        for path in ("/204", "/304"):
            rc, out = nghttp(srv, path)
            check(rc == 0 and "recv DATA frame" not in out and "END_STREAM | END_HEADERS" in out,
                  f"nghttp {path}: END_STREAM on HEADERS, no DATA: {out[-1500:]}")
        rc, out = nghttp(srv, "/200", "-H", ":method: HEAD")
        check("recv DATA frame" not in out and "END_STREAM | END_HEADERS" in out,
              f"nghttp HEAD /200: END_STREAM on HEADERS: {out[-1500:]}")
        rc, out = nghttp(srv, "/103")
        check(out.count("recv HEADERS frame") == 2 and ":status: 103" in out and ":status: 200" in out
              and out.index(":status: 103") < out.index(":status: 200"),
              f"nghttp /103: interim HEADERS 103, then 200: {out[-2000:]}")
        rc, out = nghttp(srv, "/444")
        check("recv RST_STREAM frame" in out and "recv HEADERS frame" not in out,
              f"nghttp /444: RST_STREAM, no HEADERS: {out[-1500:]}")
        rc, out = nghttp(srv, "/200?abort=before-headers")
        check("recv RST_STREAM frame" in out and "recv HEADERS frame" not in out,
              f"abort=before-headers: RST_STREAM only: {out[-1500:]}")
        rc, out = nghttp(srv, "/200?abort=after-headers")
        check("recv HEADERS frame" in out and "recv DATA frame" not in out and "recv RST_STREAM frame" in out,
              f"abort=after-headers: HEADERS then RST_STREAM: {out[-1500:]}")
        rc, out = nghttp(srv, "/200?abort=mid-body")
        check("recv DATA frame" in out and "recv RST_STREAM frame" in out
              and out.index("recv DATA frame") < out.index("recv RST_STREAM frame"),
              f"abort=mid-body: DATA then RST_STREAM: {out[-1500:]}")
        rc, out = nghttp(srv, "/101")
        check(":status: 400" in out and ":status: 101" not in out,
              f"/101 over h2: no 101 (RFC 9113, 8.6), 400: {out[-1500:]}")
        r = h2curl(srv, "/101")
        check(r.status == 400 and b"RFC 9113" in r.body, f"/101 over h2: the 400 says why: {r}")


def expected_final(code):
    """What the catalog says /{code} answers over h2: (interim, final, content)."""
    entry = st.catalog().get(code, [None])[0]
    if code == 444:
        return None
    if code == 101:
        return ([], 400, True)
    if 100 <= code < 200:
        return ([code], 200, True)
    content = entry["content"] if entry else True
    return ([], code, content)


def test_sweep():
    """Every code 100-999 on ONE connection (Node's http2 module)."""
    with Server() as srv:
        reqs = [{"path": f"/{code}"} for code in range(100, 1000)]
        out = node(srv, reqs, "--concurrency", "50", timeout=120)
        if out is None:
            return
        check(out["session_error"] is None, f"sweep: no session error, got {out['session_error']}")
        bad = []
        for code, r in zip(range(100, 1000), out["results"]):
            want = expected_final(code)
            if want is None:
                if r["status"] is not None or r["rst"] is None:
                    bad.append((code, "want RST_STREAM", r))
                continue
            interim, final, content = want
            if r["interim"] != interim or r["status"] != final:
                bad.append((code, f"want {interim} then {final}", r))
            elif content and code not in (204, 304) and r["length"] == 0:
                bad.append((code, "want content", r))
            elif (not content or code in (204, 304)) and r["length"] != 0:
                bad.append((code, "want no DATA", r))
            elif r["headers"] and "content-length" in r["headers"] and \
                    int(r["headers"]["content-length"]) != r["length"]:
                bad.append((code, "content-length matches DATA", r))
        check(not bad, f"sweep 100-999: {len(bad)} wrong, first {bad[:3]}")


def test_concurrent():
    """A sleeping stream does not hold up another on the same connection."""
    with Server() as srv:
        out = node(srv, [{"path": "/200?sleep=2000"}, {"path": "/404", "at": 200}])
        if out is None:
            return
        slow, fast = out["results"]
        check(slow["status"] == 200 and fast["status"] == 404, f"both answered: {out}")
        check(fast["t_end"] < slow["t_end"], f"/404 finished before the sleeping /200: {out}")
        check(slow["t_head"] - slow["t_start"] >= 1900, f"the sleep held its own stream >= 2 s: {slow}")
        # Sleep and dribble over h2: the header section after the sleep, DATA over time.
        out = node(srv, [{"path": "/200?sleepAfterHeaders=400"}, {"path": "/200?dribble=600"}])
        if out:
            a, b = out["results"]
            check(a["t_end"] - a["t_head"] >= 380, f"sleepAfterHeaders: content >= 400 ms after HEADERS: {a}")
            check(b["t_end"] - b["t_start"] >= 400 and b["length"] > 0, f"dribble: spread over ~600 ms: {b}")


def test_expect():
    with Server("--max-body", "100") as srv:
        out = node(srv, [{"path": "/201", "method": "POST", "body": "hello",
                          "headers": {"expect": "100-continue"}}])
        if out:
            r = out["results"][0]
            check(r["continued"] and r["status"] == 201, f"Expect: 100-continue: 100, then the answer: {r}")
        out = node(srv, [{"path": "/200", "method": "POST", "body": "x",
                          "headers": {"expect": "teapot"}}])
        if out:
            check(out["results"][0]["status"] == 417, f"Expect: teapot: 417: {out}")
        out = node(srv, [{"path": "/200", "method": "POST", "body": "x" * 500,
                          "headers": {"content-length": "500"}}])
        if out:
            check(out["results"][0]["status"] == 413, f"content-length above --max-body: 413: {out}")
        r = h2curl(srv, "/200", data="x" * 50)
        check(r.status == 200, f"content within --max-body: 200, got {r}")
        # No content-length: the content passes --max-body while it comes.
        c = Conn(srv)
        c.send(headers(1, "/200", end_stream=False, method="POST") + frame(DATA, 0, 1, b"x" * 200))
        fs = c.frames(lambda f: f.type == RST_STREAM, 5)
        check(fs and fs[-1].type == RST_STREAM and fs[-1].error_code() == NO_ERROR and
              any(f.type == DATA and f.flags & END_STREAM for f in fs),
              f"content past --max-body: the answer (413), then RST_STREAM NO_ERROR: {fs}")
        c.close()


def test_limits():
    with Server() as srv:
        r = h2curl(srv, "/200", headers=["X-Big: " + "a" * 17000])
        check(r.status == 431, f"a header list over 16 KiB: 431, got {r}")
        r = h2curl(srv, "/" + "a" * 9000)
        check(r.status == 414, f"a :path over 8 KiB: 414, got {r}")
        # SETTINGS_MAX_CONCURRENT_STREAMS 100: the 101st open stream is refused.
        c = Conn(srv)
        c.send(b"".join(headers(1 + 2 * i, "/200?sleep=3000") for i in range(101)))
        fs = c.frames(lambda f: f.type == RST_STREAM, 10)
        rs = [f for f in fs if f.type == RST_STREAM]
        check(rs and rs[0].stream == 201 and rs[0].error_code() == REFUSED_STREAM,
              f"stream 101 of 101: RST_STREAM REFUSED_STREAM, got {rs[:3]}")
        c.close()
        still_serves(srv, "after 101 streams")


def test_flow_control():
    """DATA never passes the client's window; WINDOW_UPDATE lets the rest go."""
    with Server() as srv:
        c = Conn(srv, preface=False)
        c.send(PREFACE + settings(initial_window_size=10) + headers(1, "/api/codes"))
        fs = c.frames(lambda f: f.type == DATA, 5)
        fs += c.frames(None, 0.5)
        data = [f for f in fs if f.type == DATA]
        check(sum(len(f.payload) for f in data) == 10 and not any(f.flags & END_STREAM for f in data),
              f"window 10: 10 bytes of DATA, then a wait: {data}")
        c.send(frame(WINDOW_UPDATE, 0, 1, struct.pack(">I", 100000)))
        fs = c.frames(lambda f: f.type == DATA and f.flags & END_STREAM, 5)
        check(any(f.type == DATA and f.flags & END_STREAM for f in fs),
              f"after WINDOW_UPDATE: the rest, END_STREAM: {fs}")
        c.close()


def test_floods():
    with Server() as srv:
        expect_goaway(srv, frame(SETTINGS) * 5000, {ENHANCE_YOUR_CALM}, "SETTINGS flood")
        expect_goaway(srv, frame(PING, 0, 0, b"12345678") * 5000, {ENHANCE_YOUR_CALM}, "PING flood")
        expect_goaway(srv, headers(1, "/200", end_stream=False, method="POST") +
                      frame(DATA, 0, 1) * 5000, {ENHANCE_YOUR_CALM}, "empty DATA flood")
        expect_goaway(srv, frame(PRIORITY, 0, 3, b"\x00\x00\x00\x01\x10") * 5000,
                      {ENHANCE_YOUR_CALM}, "PRIORITY flood")
        block = request_block("/200")
        expect_goaway(srv, frame(HEADERS, END_STREAM, 1, block[:1]) +
                      b"".join(frame(CONTINUATION, 0, 1, b"") for _ in range(100)),
                      {ENHANCE_YOUR_CALM}, "CONTINUATION flood")
        # Rapid reset (CVE-2023-44487): open and cancel streams at once.
        expect_goaway(srv, b"".join(headers(1 + 2 * i, "/200?sleep=1000") + rst(1 + 2 * i)
                                    for i in range(3000)),
                      {INTERNAL_ERROR}, "rapid reset (nghttp2's rate limit)")
        # A slow PING flood the client reads, past the bucket's burst.
        c = Conn(srv)
        seen = []
        for i in range(60):  # 6,000: past the bucket unless this takes 50 s
            if not c.send(frame(PING, 0, 0, b"abcdefgh") * 100):
                break
            seen += c.frames(None, 0.01)
        seen += c.frames(lambda f: f.type == GOAWAY, 5)
        g = next((f for f in seen if f.type == GOAWAY), None)
        check(g is not None and g.error_code() == ENHANCE_YOUR_CALM,
              f"6000 PINGs read as they come: GOAWAY ENHANCE_YOUR_CALM, got {g and g.error_code()}")
        c.close()


def test_malformed():
    with Server() as srv:
        expect_goaway(srv, frame(DATA, 0, 0, b"x"), {PROTOCOL_ERROR}, "DATA on stream 0")
        expect_goaway(srv, frame(SETTINGS, 0, 0, b"\x00\x04\x00"), {FRAME_SIZE_ERROR}, "SETTINGS of 3 bytes")
        expect_goaway(srv, frame(HEADERS, END_HEADERS | END_STREAM, 1, b"\xff\xff\xff\xff"),
                      {COMPRESSION_ERROR}, "HEADERS that do not decode")
        expect_goaway(srv, frame(WINDOW_UPDATE, 0, 0, b"\x00\x00\x00\x00"), {PROTOCOL_ERROR},
                      "WINDOW_UPDATE of 0 on the connection")
        expect_goaway(srv, headers(2, "/200"), {PROTOCOL_ERROR}, "a client stream with an even id")
        expect_goaway(srv, frame(PING, 0, 0, b"1234"), {FRAME_SIZE_ERROR}, "PING of 4 bytes")
        expect_goaway(srv, frame(DATA, 0, 1, b"x" * 20000), {FRAME_SIZE_ERROR, PROTOCOL_ERROR},
                      "a frame over SETTINGS_MAX_FRAME_SIZE")
        # A preface that goes wrong past its first line.
        c = Conn(srv, preface=False)
        c.send(b"PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n")
        closed = c.wait_closed(5)
        c.close()
        check(closed, "a broken preface: the connection closes")
        still_serves(srv, "after a broken preface")
        # A malformed request (uppercase field name) resets its stream only.
        c = Conn(srv)
        c.send(headers(1, "/200", extra=[("X-Upper", "1")]) + headers(3, "/204"))
        fs = c.frames(lambda f: f.stream == 3 and f.flags & END_STREAM, 5)
        r1 = [f for f in fs if f.stream == 1 and f.type == RST_STREAM]
        check(r1 and r1[0].error_code() == PROTOCOL_ERROR, f"an uppercase field name: RST_STREAM PROTOCOL_ERROR: {fs}")
        check(any(f.stream == 3 and f.type == HEADERS for f in fs), f"the next stream is answered: {fs}")
        c.close()


def test_timeouts():
    """--header-timeout per stream; SIGTERM: GOAWAY, streams underway finish."""
    with Server("--header-timeout", "500") as srv:
        c = Conn(srv)
        t0 = time.monotonic()
        c.send(headers(1, "/200", end_stream=False, method="POST") + headers(3, "/200?sleep=800"))
        fs = c.frames(lambda f: f.stream == 1 and f.type == RST_STREAM, 5)
        took = time.monotonic() - t0
        h1 = [f for f in fs if f.stream == 1]
        check(h1 and h1[0].type == HEADERS and took >= 0.45,
              f"a stream whose request never ends: an answer after >= --header-timeout, got {h1} after {took:.2f}s")
        check(h1 and h1[-1].type == RST_STREAM and h1[-1].error_code() == NO_ERROR,
              f"then RST_STREAM NO_ERROR (the rest of the request is not wanted): {h1}")
        fs = c.frames(lambda f: f.stream == 3 and f.flags & END_STREAM, 5)
        check(any(f.stream == 3 and f.type == DATA for f in fs), f"the other stream is answered: {fs}")
        c.close()
    srv = Server()
    with srv:
        c = Conn(srv)
        c.send(headers(1, "/200?sleep=1000"))
        c.frames(None, 0.3)
        srv.proc.send_signal(signal.SIGTERM)
        fs = c.frames(None, 5)
        check(any(f.type == GOAWAY and f.error_code() == NO_ERROR for f in fs),
              f"SIGTERM: GOAWAY NO_ERROR: {fs}")
        check(any(f.stream == 1 and f.type == DATA and f.flags & END_STREAM for f in fs),
              f"SIGTERM: the stream underway is answered: {fs}")
        check(c.closed, "SIGTERM: then the connection closes")
        c.close()
        rc, took = srv.stop()


def test_tls():
    """h2 over TLS by ALPN: curl, nghttp, Node on one connection; HTTP/1.1 still chosen
    when the client asks for it."""
    import tls_test
    out = tls_test.cert_out()
    with tls_test.TlsServer("--tls-cert-out", out, "--access-log") as srv:
        base = srv.https().base()
        p = subprocess.run(["curl", "-sS", "--cacert", out, "-o", "/dev/null", "-w",
                            "%{http_version} %{http_code}\n", base + "/404"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=20)
        check(p.stdout.decode().split() == ["2", "404"], f"curl https://: ALPN h2, 404: {p.stdout!r} {p.stderr!r}")
        p = subprocess.run(["curl", "-sS", "--http1.1", "--cacert", out, "-o", "/dev/null", "-w",
                            "%{http_version} %{http_code}\n", base + "/404"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=20)
        check(p.stdout.decode().split() == ["1.1", "404"], f"curl --http1.1 https://: ALPN http/1.1: {p.stdout!r}")
        r = curl(srv.https(), "/103", "--cacert", out)
        check([b[0] for b in r.blocks] == [103, 200], f"h2 over TLS /103: 103 then 200: {r.blocks}")
        # Requests one after the other on one connection (curl reuses it; curl 7.88
        # cannot reuse a prior-knowledge h2c connection, against nginx and h2o too).
        p = subprocess.run(["curl", "-sS", "--cacert", out, "-o", "/dev/null", "-o",
                            "/dev/null", "-o", "/dev/null", "-w",
                            "%{http_code} %{http_version} %{num_connects}\n",
                            base + "/200", base + "/404", base + "/103"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=20)
        check(p.returncode == 0 and p.stdout.decode().split() == ["200", "2", "1", "404", "2", "0",
                                                                 "200", "2", "0"],
              f"three requests in turn on one h2 connection: {p.stdout!r} {p.stderr[-300:]!r}")
        r = curl(srv.https(), "/302", "--cacert", out, "-L")
        check([b[0] for b in r.blocks] == [302, 200], f"curl -L over h2: 302, then 200 on the same connection: {r.blocks}")
        p = subprocess.run(["nghttp", "-nv", base + "/444"], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=20)
        text = p.stdout.decode("latin-1")
        check("The negotiated protocol: h2" in text and "recv RST_STREAM frame" in text,
              f"nghttp https:// /444: h2, RST_STREAM: {text[-800:]}")
        res = node(srv, [{"path": f"/{c}"} for c in range(100, 1000)] +
                   [{"path": "/200?sleep=1000"}, {"path": "/404", "at": 100}],
                   "--ca", out, url=base)
        if res:
            rs = res["results"]
            finals = [r["status"] for r in rs[:900]]
            want = [None if c == 444 else 400 if c == 101 else 200 if c < 200 else c
                    for c in range(100, 1000)]
            check(finals == want and res["session_error"] is None,
                  f"Node over TLS, one connection: every code's final status: "
                  f"{[(c, f) for c, f, w in zip(range(100, 1000), finals, want) if f != w][:5]}")
            slow, fast = rs[900], rs[901]
            check(fast["t_end"] < slow["t_end"] and slow["status"] == 200,
                  f"over TLS too, a sleeping stream does not hold up another: {slow} {fast}")
        time.sleep(0.3)
        log = srv.stdout().decode()
        check(any('"GET /404 HTTP/2" 404 ' in ln and ln.endswith(" tls") for ln in log.split("\n")),
              f"--access-log: an h2 request over TLS says HTTP/2 and tls: {log[-600:]!r}")


def test_aborts():
    """abort=reset[:CODE] and abort=goaway[:CODE], over HTTP/2 and HTTP/1.1."""
    with Server() as srv:
        c = Conn(srv)
        c.send(headers(1, "/200?abort=reset:cancel") + headers(3, "/200?abort=mid-body:refused_stream")
               + headers(5, "/200", extra=[("x-httpstatus-abort", "after-headers:11")]))
        rs = {}
        fs = c.frames(lambda f: f.type == RST_STREAM and rs.setdefault(f.stream, f.error_code())
                      is not None and len(rs) == 3, 5)
        check(rs == {1: 8, 3: REFUSED_STREAM, 5: ENHANCE_YOUR_CALM},
              f"abort=KIND:CODE: RST_STREAM with that code, got {rs}")
        check(not any(f.stream == 1 and f.type in (HEADERS, DATA) for f in fs),
              f"abort=reset: nothing before the RST_STREAM: {fs}")
        check(any(f.stream == 3 and f.type == DATA for f in fs), f"mid-body:CODE: DATA first: {fs}")
        c.close()
        # GOAWAY: the stream before it is answered, this one refused, then close.
        c = Conn(srv)
        c.send(headers(1, "/200?sleep=300") + headers(3, "/200?abort=goaway:enhance_your_calm"))
        fs = c.frames(None, 5)
        g = [f for f in fs if f.type == GOAWAY]
        check(g and struct.unpack(">I", g[0].payload[:4])[0] == 1 and g[0].error_code() == ENHANCE_YOUR_CALM,
              f"abort=goaway:CODE: GOAWAY last_stream_id 1 with that code, got {g}")
        check(any(f.stream == 1 and f.type == DATA and f.flags & END_STREAM for f in fs),
              f"abort=goaway: the stream before it is answered in full: {fs}")
        check(any(f.stream == 3 and f.type == RST_STREAM and f.error_code() == REFUSED_STREAM for f in fs),
              f"abort=goaway: its own stream is refused (retryable): {fs}")
        check(c.closed, "abort=goaway: the connection then closes")
        c.close()
        rc, out = nghttp(srv, "/200?abort=goaway")
        check("recv GOAWAY frame" in out and "error_code=NO_ERROR" in out,
              f"nghttp abort=goaway: GOAWAY NO_ERROR by default: {out[-800:]}")
        r = h2curl(srv, "/200?abort=reset:sometimes")
        check(r.status == 400 and b"HTTP/2 error code" in r.body, f"abort=reset:sometimes: 400 saying why: {r}")
        # HTTP/1.1: reset is a TCP reset, goaway a close without an answer.
        r = curl(srv, "/200?abort=reset")
        check(r.rc == 56, f"HTTP/1.1 abort=reset: the connection is reset (curl 56), got {r.rc}")
        r = curl(srv, "/200?abort=goaway")
        check(r.rc == 52, f"HTTP/1.1 abort=goaway: closed with no answer (curl 52), got {r.rc}")
        still_serves(srv, "after the aborts")


GROUPS = {name[5:]: fn for name, fn in globals().items() if name.startswith("test_")}


if __name__ == "__main__":
    sys.exit(st.main(GROUPS, "server_h2"))
