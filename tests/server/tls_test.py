#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""End-to-end tests of `httpstatus serve --tls-port`, with real clients:
curl --cacert, openssl s_client and python's ssl module.

    tls_test.py GROUP --bin PATH

GROUP names one of the test_<group> functions below; CTest runs each as
server_tls_<group>. The helpers (checks, curl, raw responses) are those of
server_test.py. Certificates other than the server's own self-signed one are
made here with openssl(1): a pair of our own, a key that belongs to another
certificate, an expired certificate (openssl ca with explicit dates, as
openssl 3.0's req and x509 cannot set a past end date).
"""
import os
import re
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import warnings

import server_test as st
from server_test import check, curl, req, read_responses, wait_closed

ENV = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C"}


class TlsServer(st.Server):
    """`httpstatus serve [--port 0] --tls-port 0 OPTIONS...`, printing an
    http:// and/or an https:// URL line; use as a context manager. Output,
    kill and stop (exit 0, no sanitizer report) are server_test.Server's."""

    def __init__(self, *options, plain=True):
        super().__init__(*options)
        self.plain = plain

    def __enter__(self):
        self.out_path = os.path.join(st.TMP, f"tls-{time.monotonic_ns()}.out")
        self.err_path = self.out_path[:-4] + ".err"
        ports = (["--port", "0"] if self.plain else []) + ["--tls-port", "0"]
        with open(self.out_path, "wb") as out, open(self.err_path, "wb") as err:
            self.proc = subprocess.Popen([st.ARGS.bin, "serve"] + ports + self.options,
                                         stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        want = 2 if self.plain else 1
        lines = []
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and self.proc.poll() is None:
            lines = self.stdout().decode().split("\n")[:-1]
            if len(lines) >= want:
                break
            time.sleep(0.02)
        self.lines = lines[:want]
        urls = [re.match(r"^(https?)://([0-9.]+|\[[0-9a-fA-F:]+\]):(\d+)/$", ln)
                for ln in self.lines]
        schemes = [u.group(1) for u in urls if u]
        if schemes != (["http", "https"] if self.plain else ["https"]):
            self.kill()
            raise RuntimeError(f"server {self.options} printed {lines!r}; stderr "
                               f"{self.stderr()[-2000:]!r}")
        self.host = urls[-1].group(2).strip("[]")
        self.tls_port = int(urls[-1].group(3))
        self.port = int(urls[0].group(3)) if self.plain else None
        self.family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        return self

    def connect(self, timeout=5.0):
        s = socket.socket(self.family, socket.SOCK_STREAM)
        s.settimeout(timeout)
        s.connect((self.host, self.tls_port))
        return s

    def https(self, name="localhost"):
        """What curl() takes for this server's https URL by `name`."""
        return Url("https", name, self.tls_port)

    def http(self, port=None):
        """The same for the plain port (or another port, in clear)."""
        return Url("http", "127.0.0.1", port or self.port)


class Url:
    def __init__(self, scheme, host, port):
        self.scheme, self.host, self.port = scheme, host, port

    def base(self):
        return f"{self.scheme}://{self.host}:{self.port}"


def cert_out():
    return os.path.join(st.TMP, f"served-{time.monotonic_ns()}.pem")


def client_context(cafile, **kw):
    ctx = ssl.create_default_context(cafile=cafile)
    for k, v in kw.items():
        setattr(ctx, k, v)
    return ctx


def tls_connect(srv, ctx, name="localhost", timeout=5.0):
    return ctx.wrap_socket(srv.connect(timeout), server_hostname=name)


def get(sock, path):
    """GET path on an open connection; the final answer's status, or None."""
    sock.sendall(req("GET", path))
    got, _, _ = read_responses(sock, 1)
    return got[-1].code if got else None


def openssl(*args, stdin=b""):
    return subprocess.run(["openssl"] + list(args), input=stdin, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, env=ENV, timeout=30)


def make_pair(name, days=30):
    """A self-signed P-256 certificate for localhost and its key (PEM files)."""
    crt = os.path.join(st.TMP, name + ".crt")
    key = os.path.join(st.TMP, name + ".key")
    p = openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-nodes", "-keyout", key, "-out", crt, "-days", str(days),
                "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1")
    if p.returncode != 0:
        raise RuntimeError(f"openssl req: {p.stderr[-500:]!r}")
    return crt, key


def make_chain():
    """root -> intermediate -> leaf for localhost: (root, leaf + intermediate,
    leaf alone, leaf key)."""
    d = tempfile.mkdtemp(dir=st.TMP)
    f = {n: os.path.join(d, n) for n in ("root.crt", "root.key", "int.crt", "int.key",
                                         "int.csr", "leaf.crt", "leaf.key", "leaf.csr",
                                         "ca.ext", "leaf.ext", "chain.crt")}
    with open(f["ca.ext"], "w") as out:
        out.write("basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign\n")
    with open(f["leaf.ext"], "w") as out:
        out.write("subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n")
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
    steps = [["req", "-x509"] + ec + ["-keyout", f["root.key"], "-out", f["root.crt"],
              "-days", "2", "-subj", "/CN=test root", "-addext",
              "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign"]]
    for name, issuer, cn, ext in (("int", "root", "test intermediate", "ca.ext"),
                                  ("leaf", "int", "localhost", "leaf.ext")):
        steps += [["req", "-new"] + ec + ["-keyout", f[name + ".key"], "-out", f[name + ".csr"],
                   "-subj", "/CN=" + cn],
                  ["x509", "-req", "-in", f[name + ".csr"], "-CA", f[issuer + ".crt"],
                   "-CAkey", f[issuer + ".key"], "-CAcreateserial", "-days", "2",
                   "-extfile", f[ext], "-out", f[name + ".crt"]]]
    for argv in steps:
        p = openssl(*argv)
        if p.returncode != 0:
            raise RuntimeError(f"openssl {argv[0]}: {p.stderr[-500:]!r}")
    with open(f["chain.crt"], "wb") as out:
        for n in ("leaf.crt", "int.crt"):
            with open(f[n], "rb") as part:
                out.write(part.read())
    return f["root.crt"], f["chain.crt"], f["leaf.crt"], f["leaf.key"]


def make_expired():
    """A certificate valid on 1-2 January 2020 only, and its key."""
    d = tempfile.mkdtemp(dir=st.TMP)
    with open(os.path.join(d, "ca.cnf"), "w") as f:
        f.write("[ca]\ndefault_ca=d\n[d]\ndatabase=index.txt\nnew_certs_dir=.\n"
                "serial=serial\ndefault_md=sha256\npolicy=p\nunique_subject=no\n"
                "[p]\ncommonName=supplied\n")
    open(os.path.join(d, "index.txt"), "w").close()
    with open(os.path.join(d, "serial"), "w") as f:
        f.write("01\n")
    key, csr, crt = (os.path.join(d, n) for n in ("old.key", "old.csr", "old.crt"))
    steps = [["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
              "-nodes", "-keyout", key, "-out", csr, "-subj", "/CN=localhost"],
             ["ca", "-batch", "-config", "ca.cnf", "-selfsign", "-keyfile", key,
              "-in", csr, "-out", crt, "-notext",
              "-startdate", "20200101000000Z", "-enddate", "20200102000000Z"]]
    for argv in steps:
        p = subprocess.run(["openssl"] + argv, cwd=d, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, env=ENV, timeout=30)
        if p.returncode != 0:
            raise RuntimeError(f"openssl {argv[0]}: {p.stderr[-500:]!r}")
    return crt, key


def refused(argv, want, what):
    """serve ARGV exits 2 with one line on stderr that contains `want`."""
    p = subprocess.run([st.ARGS.bin, "serve"] + argv, stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV, timeout=20)
    check(p.returncode == 2, f"{what}: exit 2, got {p.returncode} ({p.stderr[:300]!r})")
    check(p.stderr.count(b"\n") == 1 and p.stderr.endswith(b"\n") and p.stdout == b"",
          f"{what}: one line on stderr, nothing on stdout: {p.stderr[:300]!r} {p.stdout[:100]!r}")
    check(want.encode() in p.stderr, f"{what}: the line says {want!r}: {p.stderr[:300]!r}")


# --------------------------------------------------------------------------

def test_curl():
    """curl --cacert on the https URL; both URL lines; HTTPS only."""
    out = cert_out()
    with TlsServer("--tls-cert-out", out) as srv:
        check(srv.lines[0].startswith("http://") and srv.lines[1].startswith("https://"),
              f"plain URL first, https URL on the next line: {srv.lines}")
        check(srv.port != srv.tls_port, f"--port 0 and --tls-port 0: two ports, got {srv.lines}")
        r = curl(srv.https(), "/404", "--cacert", out, "--http1.1")
        check(r.rc == 0 and r.status == 404 and r.body == b"404 Not Found\n",
              f"curl --cacert https://localhost/404: 404 and its body, got {r} {r.err[-300:]!r}")
        # HTTP/1.1 (ALPN would pick h2, which carries no phrase).
        r = curl(srv.https("127.0.0.1"), "/418", "--cacert", out, "--http1.1")
        check(r.rc == 0 and r.status == 418 and r.reason == "I'm a teapot",
              f"curl --cacert https://127.0.0.1/418: verified by its IP address, got {r}")
        r = curl(srv.https(), "/404")
        check(r.rc == 60, f"curl without --cacert: the self-signed certificate is not trusted "
                          f"(exit 60), got {r.rc} {r.err[-200:]!r}")
        plain = curl(srv.http(), "/404")
        check(plain.status == 404, f"the plain port still answers: {plain}")
        with open(out, "rb") as f:
            pem = f.read()
        check(pem.startswith(b"-----BEGIN CERTIFICATE-----") and b"PRIVATE" not in pem,
              f"--tls-cert-out: the certificate alone, in PEM: {pem[:80]!r}")
    with TlsServer("--tls-cert-out", out, plain=False) as srv:
        check(len(srv.stdout().split(b"\n")[0]) and srv.lines[0].startswith("https://"),
              f"--tls-port alone: HTTPS only, its URL first: {srv.lines}")
        r = curl(srv.https(), "/200", "--cacert", out)
        check(r.status == 200, f"--tls-port alone: answers over TLS: {r}")
    with TlsServer("--tls-cert-out", out, "--tls-name", "status.test",
                   "--tls-name", "10.9.8.7") as srv:
        r = curl(srv.https("status.test"), "/204", "--cacert", out, "--resolve",
                 f"status.test:{srv.tls_port}:127.0.0.1")
        check(r.rc == 0 and r.status == 204, f"--tls-name status.test: the certificate covers it: {r}")
        text = openssl("x509", "-in", out, "-noout", "-ext", "subjectAltName").stdout.decode()
        for name in ("DNS:localhost", "IP Address:127.0.0.1", "IP Address:0:0:0:0:0:0:0:1",
                     "DNS:status.test", "IP Address:10.9.8.7"):
            check(name in text, f"self-signed subjectAltName has {name}: {text!r}")


    # IPv6 loopback, when this machine has one: the certificate covers ::1.
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError:
        print("note: no IPv6 loopback here; https://[::1] not exercised")
        return
    with TlsServer("--host", "::1", "--tls-cert-out", out) as srv:
        check(srv.lines[1].startswith("https://[::1]:"), f"--host ::1: the [::1] form: {srv.lines}")
        r = curl(srv.https("[::1]"), "/418", "--cacert", out)
        check(r.rc == 0 and r.status == 418, f"curl --cacert https://[::1]/418: verified, got {r}")


def test_codes():
    """Every code of every class over TLS, on one keep-alive connection."""
    out = cert_out()
    with TlsServer("--tls-cert-out", out) as srv:
        codes = [c for c in sorted(st.catalog()) if c not in (101, 444)]
        codes += [600, 799, 999]
        base = srv.https().base()
        p = subprocess.run(["curl", "-sS", "--cacert", out, "--http1.1", "-w",
                            "%{http_code} %{num_connects}\\n"]
                           + sum((["-o", "/dev/null", f"{base}/{c}"] for c in codes), []),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
        got = [ln.split() for ln in p.stdout.decode().splitlines()]
        want = [str(c) if c >= 200 else "200" for c in codes]
        check(p.returncode == 0 and [g[0] for g in got] == want,
              f"every code over TLS: the final status of each, got {got[:10]}... "
              f"{p.stderr[-300:]!r}")
        check(sum(int(g[1]) for g in got if len(g) > 1) == 1,
              f"every code over TLS: one connection for all {len(codes)} requests")
        for code in (204, 301, 304, 405, 418, 503):
            r = curl(srv.https(), f"/{code}", "--cacert", out, "--http1.1")
            st.check_code_reply(srv.https(), code, r, f"GET /{code} over TLS")
        r = curl(srv.https(), "/103", "--cacert", out)
        check([b[0] for b in r.blocks] == [103, 200],
              f"/103 over TLS: interim 103 then 200: {r.blocks}")
        h = curl(srv.https(), "/404", "--cacert", out, head=True)
        check(h.status == 404 and h.body == b"", f"HEAD /404 over TLS: no content: {h}")
        r = curl(srv.https(), "/200?sleep=300&dribble=200", "--cacert", out)
        check(r.status == 200 and r.elapsed >= 0.3, f"sleep and dribble over TLS: {r} in {r.elapsed:.2f}s")
        big = os.path.join(st.TMP, "big")
        with open(big, "wb") as f:
            f.write(b"x" * 300000)
        r = curl(srv.https(), "/201", "--cacert", out, data="@" + big)
        check(r.status == 201, f"300 KB of content over TLS read and discarded: {r}")


def test_certs():
    """--tls-cert/--tls-key: a good pair is served; wrong ones exit 2."""
    crt, key = make_pair("good")
    _, other_key = make_pair("other")
    with TlsServer("--tls-cert", crt, "--tls-key", key) as srv:
        r = curl(srv.https(), "/404", "--cacert", crt)
        check(r.rc == 0 and r.status == 404, f"--tls-cert/--tls-key: the pair is served: {r}")
    # The chain in the certificate file is what the server sends: a client
    # that trusts only the root needs the intermediate from it.
    root, chain, leaf, leaf_key = make_chain()
    for cert, want, what in ((chain, 0, "leaf then intermediate"), (leaf, 60, "the leaf alone")):
        with TlsServer("--tls-cert", cert, "--tls-key", leaf_key) as srv:
            r = curl(srv.https(), "/404", "--cacert", root)
            check(r.rc == want, f"--tls-cert with {what}, client trusting the root: curl exit "
                                f"{want}, got {r.rc} {r.err[-200:]!r}")
    missing = os.path.join(st.TMP, "no-such.crt")
    refused(["--tls-port", "0", "--tls-cert", missing, "--tls-key", key],
            f"--tls-cert {missing}: No such file or directory", "a wrong --tls-cert path")
    refused(["--tls-port", "0", "--tls-cert", crt, "--tls-key", missing],
            f"--tls-key {missing}: No such file or directory", "a wrong --tls-key path")
    refused(["--tls-port", "0", "--tls-cert", crt, "--tls-key", other_key],
            f"--tls-key {other_key} does not match the certificate in --tls-cert {crt}",
            "a key of another certificate")
    refused(["--tls-port", "0", "--tls-cert", key, "--tls-key", key],
            "no usable PEM certificate", "a key where the certificate should be")
    old_crt, old_key = make_expired()
    refused(["--tls-port", "0", "--tls-cert", old_crt, "--tls-key", old_key],
            "the certificate expired on 2020-01-02 00:00:00 UTC", "an expired certificate")
    refused(["--tls-port", "0", "--tls-cert", crt], "--tls-cert and --tls-key go together",
            "--tls-cert without --tls-key")
    refused(["--tls-cert", crt, "--tls-key", key], "need --tls-port", "--tls-cert without --tls-port")
    refused(["--tls-port", "0", "--tls-name", "bad,name"], "neither a DNS name nor an IP address",
            "a --tls-name that is no name")
    refused(["--tls-port", "0", "--tls-cert-out", os.path.join(st.TMP, "no", "dir.pem")],
            "No such file or directory", "an unwritable --tls-cert-out")
    refused(["--tls-port", "70000"], "--tls-port", "--tls-port out of range")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = str(s.getsockname()[1])
    refused(["--port", port, "--tls-port", port], "--port and --tls-port are both",
            "the same port for HTTP and HTTPS")


def test_plain():
    """Plain HTTP on the TLS port: a 400 in clear text, then the close."""
    with TlsServer() as srv:
        s = srv.connect()
        s.sendall(req("GET", "/404"))
        out, rest, closed = read_responses(s, 1)
        r = out[0] if out else None
        check(r is not None and r.code == 400 and r.version == "HTTP/1.1",
              f"plain HTTP to the TLS port: HTTP/1.1 400 in clear, got {out} {rest[:100]!r}")
        if r:
            check(r.body == b"400 Bad Request: plain HTTP sent to the HTTPS port\n",
                  f"plain HTTP to the TLS port: the body says why: {r.body!r}")
            check((r.get("Connection") or "").lower() == "close",
                  f"plain HTTP to the TLS port: Connection: close: {r.fields}")
        check(closed or wait_closed(s)[0], "plain HTTP to the TLS port: the connection closes")
        s.close()
        r = curl(srv.http(srv.tls_port), "/200")
        check(r.status == 400, f"curl http:// on the TLS port: 400, got {r}")
        # Everyone else is still served, in TLS and in clear.
        ctx = client_context(None)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        t = tls_connect(srv, ctx)
        check(get(t, "/200") == 200, "after plain HTTP on the TLS port, TLS still served")
        t.close()


def test_resume():
    """Session resumption, as openssl s_client reports it."""
    out = cert_out()
    with TlsServer("--tls-cert-out", out, "--workers", "2") as srv:
        for version in ("-tls1_3", "-tls1_2"):
            sess = os.path.join(st.TMP, f"sess{version}")
            request = (f"GET /200 HTTP/1.1\r\nHost: localhost\r\n"
                       f"Connection: close\r\n\r\n").encode()
            base = ["s_client", "-connect", f"127.0.0.1:{srv.tls_port}", "-CAfile", out,
                    "-servername", "localhost", version, "-ign_eof"]
            first = openssl(*base, "-sess_out", sess, stdin=request)
            text = first.stdout.decode("latin-1")
            check(first.returncode == 0 and "HTTP/1.1 200 OK" in text and "New, TLS" in text,
                  f"s_client {version}: a new session and the answer: rc {first.returncode} "
                  f"{text[-400:]!r}")
            for i in range(3):  # with two workers: whichever one accepts
                again = openssl(*base, "-sess_in", sess, stdin=request)
                text = again.stdout.decode("latin-1")
                check(again.returncode == 0 and "Reused, TLS" in text and "HTTP/1.1 200 OK" in text,
                      f"s_client {version} -sess_in, try {i + 1}: Reused, and the answer: "
                      f"{text[-400:]!r}")


def test_versions():
    """TLS 1.2 and 1.3 served, TLS 1.1 refused by the server; ALPN."""
    out = cert_out()
    with TlsServer("--tls-cert-out", out) as srv:
        for v in (ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_3):
            t = tls_connect(srv, client_context(out, minimum_version=v, maximum_version=v))
            check(t.version() == v.name.replace("_", "."), f"{v.name}: agreed, got {t.version()}")
            check(get(t, "/404") == 404, f"{v.name}: answers")
            t.close()
        # A client offering TLS 1.1 only (security level 0, or it would not
        # offer it): the server's protocol_version alert ends it.
        old = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        old.check_hostname = False
        old.verify_mode = ssl.CERT_NONE
        old.set_ciphers("DEFAULT:@SECLEVEL=0")
        with warnings.catch_warnings():  # deprecated: the point of the test
            warnings.simplefilter("ignore", DeprecationWarning)
            old.minimum_version = old.maximum_version = ssl.TLSVersion.TLSv1_1
        try:
            t = tls_connect(srv, old)
            check(False, f"TLS 1.1: refused, but {t.version()} was agreed")
            t.close()
        except ssl.SSLError as e:
            check("PROTOCOL_VERSION" in str(e).upper(),
                  f"TLS 1.1: refused by the server's protocol_version alert, got {e}")
        p = subprocess.run(["curl", "-sS", "--cacert", out, "--tlsv1.2", "--tls-max", "1.2",
                            "-o", "/dev/null", "-w", "%{http_code}",
                            f"https://localhost:{srv.tls_port}/418"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)
        check(p.stdout == b"418", f"curl --tls-max 1.2: answered, got {p.stdout!r} {p.stderr!r}")
        ctx = client_context(out)
        ctx.set_alpn_protocols(["http/1.1"])
        t = tls_connect(srv, ctx)
        check(t.selected_alpn_protocol() == "http/1.1",
              f"ALPN http/1.1 offered: chosen, got {t.selected_alpn_protocol()!r}")
        t.close()
        t = tls_connect(srv, client_context(out))
        check(t.selected_alpn_protocol() is None, "no ALPN offered: none chosen (HTTP/1.1)")
        check(get(t, "/200") == 200, "without ALPN: HTTP/1.1 answers")
        t.close()


def test_timeout():
    """The handshake counts against --header-timeout."""
    out = cert_out()
    with TlsServer("--tls-cert-out", out, "--header-timeout", "600",
                   "--idle-timeout", "60000") as srv:
        silent = srv.connect(timeout=10)
        partial = srv.connect(timeout=10)
        partial.sendall(b"\x16\x03\x01\x00\xc8\x01")  # a ClientHello cut short
        t0 = time.monotonic()
        for s, what in ((silent, "a client that sends nothing"),
                        (partial, "a client that stops inside its hello")):
            closed, extra = wait_closed(s, timeout=10)
            took = time.monotonic() - t0
            check(closed and extra == b"", f"{what}: closed without an answer, got {closed} {extra[:50]!r}")
            check(took >= 0.6, f"{what}: not before --header-timeout 600 ms, took {took:.2f}s")
            s.close()
        # Once the handshake is done, the idle timeout applies.
        t = tls_connect(srv, client_context(out))
        t.settimeout(1.5)
        try:
            data = t.recv(1)
            check(False, f"after the handshake: kept past --header-timeout, got {data!r}")
        except socket.timeout:
            check(True, "after the handshake: kept past --header-timeout")
        t.settimeout(5)
        check(get(t, "/200") == 200, "after waiting past --header-timeout: answered")
        t.close()


def test_robust():
    """Pipelining, a slow reader, resets and a drain, over TLS."""
    out = cert_out()
    with TlsServer("--tls-cert-out", out, "--workers", "1") as srv:
        ctx = client_context(out)
        t = tls_connect(srv, ctx)
        codes = [200 + i % 300 for i in range(50)]
        t.sendall(b"".join(req("GET", f"/{c}") for c in codes))
        got, rest, _ = read_responses(t, len(codes), timeout=20)
        check([r.code for r in got] == codes and not rest,
              f"50 requests pipelined in one TLS write: 50 answers in order, got "
              f"{[r.code for r in got][:12]}... rest {rest[:80]!r}")
        t.close()
        # 100 answers of 38 KB asked at once, read slowly through a small
        # receive window: the server's writes wait for the socket, resume
        # with the same bytes, and all arrive.
        raw = socket.socket(srv.family, socket.SOCK_STREAM)
        raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8192)
        raw.settimeout(30)
        raw.connect((srv.host, srv.tls_port))
        t = ctx.wrap_socket(raw, server_hostname="localhost")
        t.sendall(req("GET", "/api/codes") * 100)
        time.sleep(1.0)
        buf = b""
        while buf.count(b"HTTP/1.1 200 OK") < 100 or not buf.endswith(b"]\n"):
            try:
                data = t.recv(7000)
            except socket.timeout:
                break
            if not data:
                break
            buf += data
            time.sleep(0.0005)
        bodies = [part.split(b"\r\n\r\n", 1)[-1] for part in buf.split(b"HTTP/1.1 200 OK")[1:]]
        check(len(bodies) == 100 and len(set(bodies)) == 1 and bodies[0].startswith(b"[\n  {\"code\":100"),
              f"100 pipelined /api/codes read slowly over TLS: 100 identical answers, got "
              f"{len(bodies)} ({len(set(bodies))} distinct)")
        t.close()
        # A client that resets inside its handshake, and one that resets
        # after a request: everyone else is served.
        for data in (b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", None):
            s = srv.connect()
            if data is None:
                s = ctx.wrap_socket(s, server_hostname="localhost")
                s.sendall(req("GET", "/200?sleep=300"))
            else:
                s.sendall(data)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            s.close()
        time.sleep(0.5)
        t = tls_connect(srv, ctx)
        check(get(t, "/204") == 204, "after clients reset mid-handshake and mid-answer: served")
        # SIGTERM with an answer underway over TLS: it is sent, then the exit.
        t.sendall(req("GET", "/200?sleep=800"))
        time.sleep(0.2)
        srv.proc.send_signal(signal.SIGTERM)
        got, _, _ = read_responses(t, 1, timeout=10)
        check(got and got[-1].code == 200, f"SIGTERM during a sleep over TLS: the answer arrives: {got}")
        t.close()
        srv.stopped = True  # a second signal would end the drain: wait instead
        try:
            rc = srv.proc.wait(20)
        except subprocess.TimeoutExpired:
            srv.kill()
            rc = None
        check(rc == 0, f"SIGTERM during a sleep over TLS: exit 0 after the answer, got {rc}")


def test_env():
    """--tls-* from the environment (HTTPSTATUS_TLS_PORT...); PORT counts as a port given."""
    for env, want in (({"HTTPSTATUS_TLS_PORT": "0"}, ["https"]),
                      ({"HTTPSTATUS_TLS_PORT": "0", "PORT": "0"}, ["http", "https"]),
                      ({"HTTPSTATUS_TLS_PORT": "0", "HTTPSTATUS_PORT": "0"}, ["http", "https"])):
        out_path = os.path.join(st.TMP, f"env-{time.monotonic_ns()}.out")
        with open(out_path, "wb") as out:
            p = subprocess.Popen([st.ARGS.bin, "serve"], stdin=subprocess.DEVNULL, stdout=out,
                                 stderr=subprocess.DEVNULL, env=dict(ENV, **env))
        lines = []
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and len(lines) < len(want) and p.poll() is None:
            time.sleep(0.05)
            with open(out_path, "rb") as f:
                lines = f.read().decode().split("\n")[:-1]
        time.sleep(0.3)
        with open(out_path, "rb") as f:
            lines = f.read().decode().split("\n")[:-1]
        p.send_signal(signal.SIGTERM)
        rc = p.wait(20)
        check([ln.split(":")[0] for ln in lines] == want and rc == 0,
              f"serve with {env}: URL lines {want}, exit 0; got {lines} rc {rc}")
    p = subprocess.run([st.ARGS.bin, "serve", "--tls-port", "0"], stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=20,
                       env=dict(ENV, HTTPSTATUS_TLS_NAME="bad,name"))
    check(p.returncode == 2 and b"HTTPSTATUS_TLS_NAME: 'bad,name' is neither" in p.stderr,
          f"HTTPSTATUS_TLS_NAME=bad,name: exit 2 naming the variable, got {p.returncode} {p.stderr!r}")


def test_log():
    """The access log says which requests came over TLS, and the protocol."""
    out = cert_out()
    with TlsServer("--tls-cert-out", out, "--access-log") as srv:
        curl(srv.https(), "/418", "--cacert", out, "--http1.1")
        curl(srv.http(), "/404")
        time.sleep(0.3)
        lines = [ln for ln in srv.stdout().decode().split("\n")[2:] if ln]
        tls = [ln for ln in lines if '"GET /418 HTTP/1.1" 418 ' in ln]
        plain = [ln for ln in lines if '"GET /404 HTTP/1.1" 404 ' in ln]
        check(len(tls) == 1 and tls[0].endswith(" tls"),
              f"--access-log: the TLS request's line ends with ' tls': {lines}")
        check(len(plain) == 1 and not plain[0].endswith(" tls"),
              f"--access-log: the plain request's line does not: {lines}")


def test_docs():
    """serve --help and the man page name every TLS option."""
    p = subprocess.run([st.ARGS.bin, "serve", "--help"], stdout=subprocess.PIPE, env=ENV, timeout=10)
    man = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "man",
                       "httpstatus-serve.1")
    with open(man, encoding="utf-8") as f:
        page = f.read().replace("\\-", "-")
    for opt in ("--tls-port", "--tls-cert", "--tls-key", "--tls-name", "--tls-cert-out"):
        check(opt.encode() in p.stdout, f"serve --help lists {opt}")
        check(opt in page, f"httpstatus-serve(1) documents {opt}")


GROUPS = {name[5:]: fn for name, fn in globals().items() if name.startswith("test_")}


if __name__ == "__main__":
    sys.exit(st.main(GROUPS, "server_tls"))
