#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Where `httpstatus serve` takes its configuration from, end to end.

    config_test.py GROUP --bin PATH

Groups: env (HTTPSTATUS_<OPTION>, flags win), port (PORT as platforms set
it), version (serve --version). Each starts the real binary on 127.0.0.1.
"""
import argparse
import os
import socket
import subprocess
import sys
import urllib.error
import urllib.request

ARGS = None
FAILURES = []
CHECKS = [0]


def check(cond, what):
    CHECKS[0] += 1
    if not cond:
        FAILURES.append(what)
        print(f"FAIL: {what}", file=sys.stderr)


def environment(**extra):
    """This process's environment without any HTTPSTATUS_* or PORT, plus extra."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("HTTPSTATUS_") and k != "PORT"}
    env.update(extra)
    return env


class Server:
    """`httpstatus serve ARGS` with ENV, on 127.0.0.1; stopped on exit."""

    def __init__(self, args, env):
        argv = [ARGS.bin, "serve", "--host", "127.0.0.1", "--workers", "1", *args]
        self.p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        self.url = self.p.stdout.readline().decode().strip()
        if not self.url.startswith("http://"):
            err = self.p.stderr.read().decode()
            self.p.kill()
            raise RuntimeError(f"serve {args} did not start: {err.strip()}")
        self.port = int(self.url.rsplit(":", 1)[1].rstrip("/"))

    def get(self, path):
        req = urllib.request.Request(self.url.rstrip("/") + path)
        opener = urllib.request.build_opener(NoRedirect)
        try:
            with opener.open(req, timeout=10) as r:
                return r.status, dict(r.headers), r.read()
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.p.terminate()
        self.out, self.err = self.p.communicate(timeout=20)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def refused(args, env, name):
    """serve ARGS exits 2 with one line on stderr naming NAME (a server that
    starts instead is stopped after 5 s)."""
    try:
        p = subprocess.run([ARGS.bin, "serve", "--host", "127.0.0.1", *args], env=env,
                           capture_output=True, timeout=5)
    except subprocess.TimeoutExpired:
        check(False, f"{env_of(env)} {' '.join(args)}: refused, not served")
        return
    lines = p.stderr.decode().splitlines()
    check(p.returncode == 2 and len(lines) == 1 and name in lines[0],
          f"{env_of(env)} {' '.join(args)}: exit 2 with one line naming {name} "
          f"(got {p.returncode}, {lines})")


def env_of(env):
    return " ".join(f"{k}={v}" for k, v in env.items() if k.startswith("HTTPSTATUS_") or k == "PORT")


def test_env():
    # A value from the environment applies: a sleep above HTTPSTATUS_MAX_SLEEP is refused.
    with Server(["--port", "0"], environment(HTTPSTATUS_MAX_SLEEP="100")) as s:
        check(s.get("/200?sleep=500")[0] == 400, "HTTPSTATUS_MAX_SLEEP=100 refuses sleep=500")
        check(s.get("/200?sleep=50")[0] == 200, "HTTPSTATUS_MAX_SLEEP=100 allows sleep=50")
    # A flag wins over the environment.
    with Server(["--port", "0", "--max-sleep", "1000"], environment(HTTPSTATUS_MAX_SLEEP="100")) as s:
        check(s.get("/200?sleep=500")[0] == 200, "--max-sleep 1000 wins over HTTPSTATUS_MAX_SLEEP=100")
    # A switch: HTTPSTATUS_ACCESS_LOG=1 logs, =0 does not.
    for value, logs in (("1", True), ("true", True), ("yes", True), ("0", False), ("no", False)):
        with Server(["--port", "0"], environment(HTTPSTATUS_ACCESS_LOG=value)) as s:
            s.get("/204")
        logged = b'"GET /204 HTTP/1.1" 204' in s.out
        check(logged == logs, f"HTTPSTATUS_ACCESS_LOG={value} {'logs' if logs else 'logs nothing'}: {s.out!r}")
    # A list: hosts separated by commas; flags replace the environment's list.
    env = environment(HTTPSTATUS_ALLOW_REDIRECT_HOST="example.com, example.org")
    with Server(["--port", "0"], env) as s:
        for host in ("example.com", "example.org"):
            code, headers, _ = s.get(f"/302?location=http://{host}/x")
            check(code == 302 and headers.get("Location") == f"http://{host}/x",
                  f"HTTPSTATUS_ALLOW_REDIRECT_HOST allows {host}: {code} {headers.get('Location')}")
        check(s.get("/302?location=http://example.net/x")[0] == 400,
              "HTTPSTATUS_ALLOW_REDIRECT_HOST allows no other host")
    with Server(["--port", "0", "--allow-redirect-host", "example.net"], env) as s:
        check(s.get("/302?location=http://example.net/x")[0] == 302,
              "--allow-redirect-host example.net applies with the environment's list set")
        check(s.get("/302?location=http://example.org/x")[0] == 400,
              "--allow-redirect-host replaces HTTPSTATUS_ALLOW_REDIRECT_HOST")
    # Bad values are one line naming the variable; an empty one is unset.
    refused(["--port", "0"], environment(HTTPSTATUS_MAX_SLEEP="soon"), "HTTPSTATUS_MAX_SLEEP")
    refused(["--port", "0"], environment(HTTPSTATUS_ACCESS_LOG="maybe"), "HTTPSTATUS_ACCESS_LOG")
    refused(["--port", "0"], environment(HTTPSTATUS_WORKERS="0"), "HTTPSTATUS_WORKERS")
    refused(["--port", "0"], environment(HTTPSTATUS_ALLOW_REDIRECT_HOST="a/b"), "HTTPSTATUS_ALLOW_REDIRECT_HOST")
    with Server(["--port", "0"], environment(HTTPSTATUS_MAX_SLEEP="")) as s:
        check(s.get("/200?sleep=500")[0] == 200, "an empty HTTPSTATUS_MAX_SLEEP leaves the default")
    # A misspelt variable is named in a warning, and changes nothing.
    with Server(["--port", "0"], environment(HTTPSTATUS_MAX_SLEPP="100")) as s:
        check(s.get("/200?sleep=500")[0] == 200, "HTTPSTATUS_MAX_SLEPP is no option")
    check(b"HTTPSTATUS_MAX_SLEPP" in s.err, f"a warning names HTTPSTATUS_MAX_SLEPP: {s.err!r}")
    # Nothing reads the environment for --help.
    p = subprocess.run([ARGS.bin, "serve", "--help"], capture_output=True,
                       env=environment(HTTPSTATUS_MAX_SLEEP="soon"), timeout=10)
    check(p.returncode == 0 and b"HTTPSTATUS_" in p.stdout,
          f"serve --help works whatever the environment, and names HTTPSTATUS_*: {p.returncode}")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_port():
    port = free_port()
    with Server([], environment(PORT=str(port))) as s:
        check(s.port == port, f"PORT={port} is the port: {s.url}")
    other = free_port()
    with Server([], environment(PORT=str(port), HTTPSTATUS_PORT=str(other))) as s:
        check(s.port == other, f"HTTPSTATUS_PORT wins over PORT: {s.url}")
    with Server(["--port", "0"], environment(PORT=str(port), HTTPSTATUS_PORT=str(other))) as s:
        check(s.port not in (port, other), f"--port wins over both: {s.url}")
    for bad in ("[::1", "[]", "[" + "1" * 70 + "]"):
        refused(["--host", bad], environment(), "--host")
    refused([], environment(PORT="http"), "PORT")
    refused([], environment(PORT="70000"), "PORT")


def test_version():
    p = subprocess.run([ARGS.bin, "serve", "--version"], capture_output=True, timeout=10)
    cli = subprocess.run([ARGS.bin, "--version"], capture_output=True, timeout=10)
    version = cli.stdout.decode().split()[1]
    lines = p.stdout.decode().splitlines()
    check(p.returncode == 0 and p.stderr == b"", f"serve --version exits 0 quietly: {p.returncode} {p.stderr!r}")
    check(len(lines) == 1 and lines[0].startswith(f"httpstatus serve {version} "),
          f"serve --version is one line naming httpstatus serve {version}: {lines}")
    for lib in ("libuv ", "llhttp "):
        check(lib in p.stdout.decode(), f"serve --version names {lib.strip()}'s version: {lines}")
    p = subprocess.run([ARGS.bin, "serve", "--version=1"], capture_output=True, timeout=10)
    check(p.returncode == 2, f"serve --version=1 is a usage error: {p.returncode}")


def main():
    global ARGS
    ap = argparse.ArgumentParser()
    ap.add_argument("group", choices=["env", "port", "version"])
    ap.add_argument("--bin", required=True)
    ARGS = ap.parse_args()
    globals()[f"test_{ARGS.group}"]()
    print(f"{ARGS.group}: {CHECKS[0] - len(FAILURES)}/{CHECKS[0]} checks passed")
    sys.exit(1 if FAILURES else 0)


if __name__ == "__main__":
    main()
