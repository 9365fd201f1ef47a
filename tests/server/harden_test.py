#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""End-to-end tests of `httpstatus serve`'s hardening (issue 12): framing
holes, Host validation, versions, the unsent-output budget, the abuse limits
and --trust-proxy. Raw sockets and curl, on loopback; client addresses other
than 127.0.0.1 come from binding the client socket inside 127.0.0.0/8.

    harden_test.py GROUP --bin PATH

Reuses server_test.py's Server, curl and raw-socket helpers. Timings are
never asserted (the unsent budget is checked on RSS, from /proc)."""
import argparse
import os
import re
import shutil
import socket
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import server_test as st  # noqa: E402
from server_test import (Server, check, curl, exchange, expect_refused,  # noqa: E402
                         read_responses, req, wait_closed)


def connect_from(srv, source, timeout=5.0):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.bind((source, 0))
    s.connect((srv.host, srv.port))
    return s


def ask(srv, data, count=1, source="127.0.0.1", timeout=5.0):
    s = connect_from(srv, source, timeout)
    try:
        s.sendall(data)
        out, _, closed = read_responses(s, count, timeout=timeout)
        return out, closed
    finally:
        s.close()


def codes(out):
    return [r.code for r in out]


def test_harden_framing():
    with Server("--workers", "1") as srv:
        smuggled = req("GET", "/418")
        # RFC 9112 6.1: Transfer-Encoding in HTTP/1.0 is faulty framing.
        expect_refused(srv, req("POST", "/404", "Transfer-Encoding: chunked",
                                "Connection: keep-alive", version="HTTP/1.0",
                                host=False, body=b"0\r\n\r\n") + smuggled,
                       {400}, "HTTP/1.0 with Transfer-Encoding: chunked", smuggled_code=418)
        expect_refused(srv, req("POST", "/404", "Transfer-Encoding: chunked", "Content-Length: 0",
                                version="HTTP/1.0", body=b"0\r\n\r\n") + smuggled,
                       {400}, "HTTP/1.0 with Transfer-Encoding and Content-Length", smuggled_code=418)
        # A method llhttp does not know, still a token: 501 (RFC 9110 9.1), then
        # close, since llhttp can frame nothing after it; not a token: 400.
        for method in (b"get", b"BREW", b"QUERY"):
            expect_refused(srv, method + b" /200 HTTP/1.1\r\nHost: t\r\n\r\n" + smuggled,
                           {501}, f"the unknown method {method.decode()}", smuggled_code=418)
        expect_refused(srv, b"G@T /200 HTTP/1.1\r\nHost: t\r\n\r\n" + smuggled, {400},
                       "a method that is no token", smuggled_code=418)
        out, _ = ask(srv, req("GET", "/204") + b"FOO /200 HTTP/1.1\r\nHost: t\r\n\r\n", count=2)
        check(codes(out) == [204, 501], f"pipelined behind a known method, FOO is 501: {codes(out)}")
        # Empty field names (llhttp 8.1 accepts them).
        for line in (": x", ":", ":x"):
            expect_refused(srv, req("GET", "/200", line) + smuggled, {400},
                           f"field line {line!r}", smuggled_code=418)
        # RFC 9110 2.5: HTTP/1.2 .. 1.9 are answered as 1.1.
        for minor in range(2, 10):
            out, closed = ask(srv, req("GET", "/201", version=f"HTTP/1.{minor}") +
                              req("GET", "/202", "Connection: close"), count=2)
            check(codes(out) == [201, 202] and out[0].version == "HTTP/1.1",
                  f"HTTP/1.{minor}: answered as HTTP/1.1 and kept alive, got {out}")
        expect_refused(srv, req("GET", "/200", version="HTTP/1.5", host=False), {400},
                       "HTTP/1.5 without Host: 400 as for 1.1")
        # Any other major version: 505, the same for every one.
        for v in ("HTTP/0.9", "HTTP/2.0", "HTTP/3.0", "HTTP/4.1", "HTTP/9.9"):
            out = expect_refused(srv, req("GET", "/200", version=v) + smuggled, {505},
                                 f"{v}: 505", smuggled_code=418)
        # Not the version grammar at all stays a 400.
        expect_refused(srv, req("GET", "/200", version="HTTP/1.10"), {400}, "HTTP/1.10: 400")
        check(curl(srv, "/200").status == 200, "after the framing cases: /200 answered")


BAD_HOSTS = ["a b", "a/b", "u@t", "t:99999", "t:abc", "[::1", "t,u", "[::1]x", "[1.2.3.4]",
             ":80", "t:80:80", "t%zz", "t\\u", "[::1]:65536", "t:123456", "a?b", "a#b"]
GOOD_HOSTS = ["example.com", "example.com:8080", "[::1]:80", "[::1]", "127.0.0.1",
              "127.0.0.1:8080", "host:", "xn--bcher-kva.example", "a_b.c~d", "t%41",
              "[v1.fe]:1", "[2001:db8::1]:65535"]


def test_harden_host():
    with Server("--workers", "1") as srv:
        for h in BAD_HOSTS:
            data = f"GET /200 HTTP/1.1\r\nHost: {h}\r\n\r\n".encode() + req("GET", "/418")
            expect_refused(srv, data, {400}, f"Host: {h!r}", smuggled_code=418)
        for h in GOOD_HOSTS:
            out, _ = ask(srv, f"GET /200 HTTP/1.1\r\nHost: {h}\r\nConnection: close\r\n\r\n".encode())
            check(codes(out) == [200], f"Host: {h!r} is valid: 200, got {out}")
        out, _ = ask(srv, b"GET /200 HTTP/1.0\r\nHost: a b\r\n\r\n")
        check(codes(out) == [400], f"an invalid Host in HTTP/1.0 is a 400 too, got {out}")
        check(curl(srv, "/200").status == 200, "curl's Host: 200")


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def test_harden_unsent():
    # ASan's quarantine keeps freed memory resident: measure our buffers only.
    os.environ["ASAN_OPTIONS"] = (os.environ.get("ASAN_OPTIONS", "") +
                                  ":quarantine_size_mb=0:thread_local_quarantine_size_kb=0")
    # Each client asks for more than the kernel buffers of one connection
    # hold (tcp_wmem's 4 MiB): the rest is ours to keep, or not to build.
    budget = 1024 * 1024
    with Server("--workers", "1", "--max-unsent-per-worker", budget,
                "--max-connections", "2000") as srv:
        check(curl(srv, "/api/codes").status == 200, "/api/codes answered first")
        time.sleep(0.3)
        before = rss_kib(srv.proc.pid)
        socks = []
        n = 60
        for i in range(n):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            s.settimeout(5)
            s.connect((srv.host, srv.port))
            s.setblocking(False)
            try:
                s.send(req("GET", "/api/codes") * 160)
            except OSError:
                pass
            socks.append(s)
        time.sleep(1.5)
        after = rss_kib(srv.proc.pid)
        grown = (after - before) * 1024
        print(f"unsent: {n} non-reading clients: RSS {before} -> {after} KiB "
              f"(+{grown / 1048576:.1f} MiB, budget {budget / 1048576:.0f} MiB)")
        # The budget, one answer (/api/codes, ~40 KiB) per client beyond it,
        # and allocator slack; without the budget each holds ~290 KiB.
        check(grown < budget + n * 64 * 1024 + 3 * 1024 * 1024,
              f"{n} clients that never read: RSS grows by at most the budget and "
              f"slack, grew {grown / 1048576:.1f} MiB")
        out, _ = ask(srv, req("GET", "/200", "Connection: close"))
        check(codes(out) == [200], f"a new client is answered while they hang on: {out}")
        r = curl(srv, "/api/codes")
        check(r.status == 200 and len(r.body) > 1000,
              f"a new client gets a large answer in full: {r.status} {len(r.body)}")
        for s in socks:
            s.close()


def test_harden_turns():
    # Pipelining clients take turns (net/turn.c): with a small budget every
    # batch is one answer, and each client still gets all of its answers,
    # in order, while a client that reads nothing and one that hangs up
    # with its requests queued hold nobody up.
    with Server("--workers", "1", "--max-unsent-per-worker", 65536) as srv:
        stuck = srv.connect()
        stuck.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        stuck.sendall(req("GET", "/api/codes") * 100)
        gone = srv.connect()
        gone.sendall(req("GET", "/api/codes") * 100)
        gone.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\0\0\0\0\0\0\0")
        gone.close()  # a reset, while its requests wait in the queue
        readers = [srv.connect() for _ in range(3)]
        for i, s in enumerate(readers):
            s.sendall(b"".join(req("GET", f"/{200 + n % 8}") for n in range(40)) +
                      req("GET", "/api/codes") * 20 + req("GET", f"/{404 + i}"))
        for i, s in enumerate(readers):
            out, _, closed = read_responses(s, 61, timeout=20)
            want = [200 + n % 8 for n in range(40)] + [200] * 20 + [404 + i]
            check(codes(out) == want and not closed,
                  f"pipelining client {i}: its 61 answers in order, got {len(out)}: "
                  f"{codes(out)[:5]}...{codes(out)[-3:]}")
            s.close()
        out, _ = ask(srv, req("GET", "/200", "Connection: close"))
        check(codes(out) == [200], f"a new client is answered meanwhile: {codes(out)}")
        stuck.close()


def test_harden_rate():
    with Server("--workers", "2", "--rate-limit", "2/s", "--burst", "4") as srv:
        out, _ = ask(srv, req("GET", "/200") * 6, count=6, source="127.0.0.2")
        check(codes(out) == [200] * 4 + [429] * 2,
              f"--rate-limit 2/s --burst 4: 4 answered, then 429: {codes(out)}")
        if len(out) == 6:
            r = out[4]
            retry = r.getall("retry-after")
            check(len(retry) == 1 and retry[0].isdigit() and int(retry[0]) >= 1,
                  f"429 carries one Retry-After, in seconds: {retry!r}")
            check(r.get("ratelimit-policy") == '"peraddr";q=4;w=2',
                  f"RateLimit-Policy (draft-ietf-httpapi-ratelimit-headers-10): {r.get('ratelimit-policy')!r}")
            check((r.get("ratelimit") or "").startswith('"peraddr";r=0;t='),
                  f"RateLimit names the policy, r=0 and t: {r.get('ratelimit')!r}")
            check(b"--rate-limit" in r.body, f"the 429 says why: {r.body!r}")
        out, _ = ask(srv, req("GET", "/200", "Connection: close"), source="127.0.0.3")
        check(codes(out) == [200], f"another address has its own bucket: {codes(out)}")
        # One address over several connections (spread over both workers).
        got = []
        for _ in range(4):
            o, _ = ask(srv, req("GET", "/200", "Connection: close"), source="127.0.0.4")
            got += codes(o)
        o, _ = ask(srv, req("GET", "/200", "Connection: close"), source="127.0.0.4")
        got += codes(o)
        check(got.count(200) <= 4 + 2 and 429 in got,
              f"one address over 5 connections shares one bucket: {got}")
        time.sleep(1.1)
        out, _ = ask(srv, req("GET", "/200", "Connection: close"), source="127.0.0.2")
        check(codes(out) == [200], f"tokens come back over time: {codes(out)}")
        # Many addresses, each its own bucket (the table holds them all).
        bad = 0
        for i in range(1, 201):
            o, _ = ask(srv, req("GET", "/200") * 5, count=5, source=f"127.0.1.{i}" if i < 255 else "127.0.2.1")
            if codes(o) != [200, 200, 200, 200, 429]:
                bad += 1
        check(bad == 0, f"200 addresses: each 4 answered then 429, {bad} differ")
        check(curl(srv, "/200").status == 200, "127.0.0.1 still answered")


def test_harden_conns():
    with Server("--workers", "2", "--max-conns-per-addr", "3") as srv:
        socks = [connect_from(srv, "127.0.0.5") for _ in range(5)]
        served = refused = 0
        for s in socks:
            try:
                s.sendall(req("GET", "/200"))
            except OSError:
                pass
        for s in socks:
            out, _, closed = read_responses(s, 1, timeout=2)
            if codes(out) == [200]:
                served += 1
            elif not out and closed:
                refused += 1
        check(served == 3 and refused == 2,
              f"--max-conns-per-addr 3: 3 of 5 served, 2 closed unanswered; got {served}, {refused}")
        out, _ = ask(srv, req("GET", "/200", "Connection: close"), source="127.0.0.6")
        check(codes(out) == [200], f"another address connects: {codes(out)}")
        for s in socks:
            s.close()
        time.sleep(0.3)
        out, _ = ask(srv, req("GET", "/200", "Connection: close"), source="127.0.0.5")
        check(codes(out) == [200], f"once they closed the address connects again: {codes(out)}")


def test_harden_sleeps():
    with Server("--workers", "2", "--max-sleeps-per-addr", "2", "--max-sleeping", "4",
                "--max-sleep-sum", "20000") as srv:
        sleepers = [connect_from(srv, "127.0.0.7") for _ in range(2)]
        for s in sleepers:
            s.sendall(req("GET", "/200?sleep=2000"))
        time.sleep(0.2)
        out, _ = ask(srv, req("GET", "/200?sleep=2000"), source="127.0.0.7")
        check(codes(out) == [429] and len(out[0].getall("retry-after")) == 1,
              f"a third sleep from one address: 429 with one Retry-After, got {out}")
        out, _ = ask(srv, req("GET", "/200", "Connection: close"), source="127.0.0.7")
        check(codes(out) == [200], f"the same address without sleep: 200, got {codes(out)}")
        others = [connect_from(srv, f"127.0.0.{8 + i}") for i in range(2)]
        for s in others:
            s.sendall(req("GET", "/200?sleep=2000"))
        time.sleep(0.2)
        out, _ = ask(srv, req("GET", "/200?sleep=500"), source="127.0.0.20")
        check(codes(out) == [503] and len(out[0].getall("retry-after")) == 1,
              f"--max-sleeping 4: a fifth sleeper gets 503 with one Retry-After, got {out}")
        for s in sleepers + others:
            o, _, _ = read_responses(s, 1, timeout=5)
            check(codes(o) == [200], f"the sleepers within the limits are answered: {codes(o)}")
            s.close()
        out, _ = ask(srv, req("GET", "/200?sleep=100"), source="127.0.0.7")
        check(codes(out) == [200], f"once they ended, sleeping is allowed again: {codes(out)}")
    with Server("--workers", "1", "--max-sleep-sum", "3000") as srv:
        s = srv.connect()
        s.sendall(req("GET", "/200?sleep=2000"))
        time.sleep(0.2)
        out, _ = ask(srv, req("GET", "/200?sleep=1500"))
        check(codes(out) == [503], f"--max-sleep-sum 3000: 2000 + 1500 ms: 503, got {codes(out)}")
        out, _ = ask(srv, req("GET", "/200?sleep=900"))
        check(codes(out) == [200], f"--max-sleep-sum 3000: 2000 + 900 ms: 200, got {codes(out)}")
        o, _, _ = read_responses(s, 1, timeout=5)
        check(codes(o) == [200], f"the first sleeper answered: {codes(o)}")
        s.close()


def test_harden_proxy():
    with Server("--workers", "1", "--trust-proxy", "127.0.0.1/32", "--rate-limit", "1/s",
                "--burst", "2") as srv:
        def via(fwd, name="Forwarded", source="127.0.0.1"):
            out, _ = ask(srv, req("GET", "/200", f"{name}: {fwd}", "Connection: close"), source=source)
            return codes(out)
        # One IPv6 /64 is one client.
        got = [via('for="[2001:db8::1]"'), via('for="[2001:db8::2]:8080"'),
               via('for="[2001:db8::ffff]"')]
        check(got == [[200], [200], [429]], f"three addresses of one /64 share a bucket: {got}")
        check(via('for="[2001:db8:0:1::1]"') == [200], "another /64 is another client")
        # The rightmost hop that is not a trusted proxy is the client.
        check(via('for=192.0.2.1, for=192.0.2.2') == [200], "Forwarded chain: the last hop")
        check(via('for=192.0.2.9, for=192.0.2.2') == [200], "the last hop counted, not the first")
        check(via('for=192.0.2.7;proto=http, for=127.0.0.1') == [200],
              "a trusted proxy in the chain is skipped")
        check(via('for=192.0.2.7') == [200] and via('for=192.0.2.7') == [429],
              "skipping the trusted hop counted 192.0.2.7")
        check(via("198.51.100.1, 198.51.100.2", "X-Forwarded-For") == [200], "X-Forwarded-For")
        check(via("198.51.100.2", "X-Forwarded-For") == [200] and
              via("198.51.100.2", "X-Forwarded-For") == [429],
              "X-Forwarded-For: the rightmost address is the client")
        for bad in ('for=', 'for="[2001:db8::1"', 'for=2001:db8::1', 'for=1.2.3.4;for=1.2.3.5',
                    'for="1.2.3.4', 'by', 'for=1.2.3.4 ; proto=http', 'for=999.1.1.1'):
            check(via(bad) == [400], f"Forwarded: {bad!r} from a trusted proxy: 400, got {via(bad)}")
        check(via("1.2.3.4,,", "X-Forwarded-For") == [400], "X-Forwarded-For with an empty element: 400")
        # Never from an untrusted peer: its own address counts, whatever it says.
        got = [via(f'for=203.0.113.{i}', source="127.0.0.30") for i in range(3)]
        check(got == [[200], [200], [429]],
              f"Forwarded from an untrusted peer is ignored (one bucket): {got}")
        check(via("garbage((", source="127.0.0.31") == [200],
              "a malformed Forwarded from an untrusted peer is not even read")
    # --public turns the limits on.
    with Server("--workers", "1", "--public", "--burst", "3") as srv:
        out, _ = ask(srv, req("GET", "/200") * 5, count=5, source="127.0.0.40")
        check(codes(out) == [200, 200, 200, 429, 429],
              f"--public --burst 3: the rate limit is on, --burst given wins: {codes(out)}")
        r = subprocess_help()
        check("--public sets --rate-limit 20/s" in r, f"serve --help prints what --public sets: {r[-300:]!r}")


def nghttp_statuses(srv, path, *args):
    import subprocess
    out = subprocess.run(["nghttp", "-v", *args, f"http://127.0.0.1:{srv.port}{path}"],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                         timeout=20).stdout
    return sorted(int(m) for m in re.findall(r"recv \(stream_id=\d+\) :status: (\d+)", out))


def test_harden_h2():
    """HTTP/2 (h2c by prior knowledge, nghttp): :authority checked as Host is, and
    sleeping streams counted under the same limits."""
    with Server("--workers", "1", "--max-sleeps-per-addr", "2") as srv:
        # (nghttp itself refuses to send most bad authorities; these it sends.)
        for bad in ("u@t", "[1.2.3.4]"):
            got = nghttp_statuses(srv, "/200", "-H", f":authority: {bad}")
            check(got == [400], f"HTTP/2 :authority {bad!r}: 400, got {got}")
        got = nghttp_statuses(srv, "/200", "-H", ":authority: example.com:8080")
        check(got == [200], f"HTTP/2 :authority example.com:8080: 200, got {got}")
        got = nghttp_statuses(srv, "/200?sleep=800", "-m", "3")
        check(got == [200, 200, 429],
              f"three sleeping streams, --max-sleeps-per-addr 2: two answered, one 429: {got}")
        got = nghttp_statuses(srv, "/200?sleep=100", "-m", "2")
        check(got == [200, 200], f"once they ended, two sleep again: {got}")
    with Server("--workers", "1", "--rate-limit", "1/s", "--burst", "1") as srv:
        import subprocess
        out = subprocess.run(["nghttp", "-v", "-m", "2", f"http://127.0.0.1:{srv.port}/200"],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                             timeout=20).stdout
        statuses = sorted(re.findall(r":status: (\d+)", out))
        retry = re.findall(r"recv \(stream_id=\d+\) retry-after: (\S+)", out)
        check(statuses == ["200", "429"] and len(retry) == 1,
              f"HTTP/2 over --rate-limit: 200 then 429 with one retry-after: {statuses} {retry}")


def subprocess_help():
    import subprocess
    return subprocess.run([st.ARGS.bin, "serve", "--help"], stdout=subprocess.PIPE,
                          text=True).stdout


GROUPS = {name[5:]: fn for name, fn in globals().items() if name.startswith("test_harden")}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("group", choices=sorted(GROUPS))
    ap.add_argument("--bin", required=True)
    ap.add_argument("--chromium")
    st.ARGS = ap.parse_args()
    st.TMP = tempfile.mkdtemp(prefix="httpstatus-harden-test-")
    t0 = time.monotonic()
    try:
        GROUPS[st.ARGS.group]()
    except Exception as e:
        import traceback
        traceback.print_exc()
        st.FAILURES.append(f"{type(e).__name__}: {e}")
    finally:
        shutil.rmtree(st.TMP, ignore_errors=True)
    print(f"server_{st.ARGS.group}: {st.CHECKS} checks, {len(st.FAILURES)} failed, "
          f"{time.monotonic() - t0:.1f}s")
    return 1 if st.FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
