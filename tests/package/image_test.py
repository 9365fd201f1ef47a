#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The container image, built and run with podman (make test-package).

    image_test.py build   SOURCE BINARY WORK   scripts/image.sh on BINARY
    image_test.py config  WORK                 under 5 MB, numeric non-root user, port 8080
    image_test.py serves  WORK                 /healthz and /404 through a published port; PORT
    image_test.py drains  WORK                 SIGTERM (podman stop) lets an answer finish; exit 0
    image_test.py compose SOURCE WORK          runs as docs/deploy/compose.yaml says (read-only,
                                               no capabilities, no new privileges, its ulimits)
    image_test.py remove  WORK                 removes the image

The image is tagged after WORK, so two build trees never share one; the
published port is a free one on 127.0.0.1 only.
"""
import gzip
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
import zlib

# podman on these machines needs its runtime named, and explicit limits.
PODMAN = ["podman", "--runtime", "runc", "--cgroup-manager", "cgroupfs"]
ULIMITS = ["--ulimit", "nofile=4096:4096", "--ulimit", "nproc=4096:4096"]
# Issue 11's bound, read as a registry stores and sends an image (its
# layers gzip-compressed); the unpacked size is printed beside it.
MAX_SIZE = 5 * 1000 * 1000


def fail(msg):
    print(f"FAIL: {msg}", file=sys.stderr)
    sys.exit(1)


def ok(msg):
    print(f"ok - {msg}")


def podman(*args, check=True):
    run = subprocess.run(PODMAN + list(args), capture_output=True, text=True)
    if check and run.returncode != 0:
        fail(f"podman {' '.join(args)}: {run.stderr.strip()}")
    return run.stdout.strip()


def tag(work):
    return f"localhost/httpstatus-test:{zlib.crc32(os.path.abspath(work).encode()):08x}"


def build(source, binary, work):
    os.makedirs(work, exist_ok=True)
    env = dict(os.environ, PODMAN=" ".join(PODMAN))
    run = subprocess.run(["sh", os.path.join(source, "scripts", "image.sh"), binary, tag(work)],
                         env=env, capture_output=True, text=True)
    if run.returncode != 0:
        fail(f"scripts/image.sh: {run.stderr.strip()}")
    ok(f"built {tag(work)} from {binary}")


def config(work):
    info = json.loads(podman("image", "inspect", tag(work)))[0]
    size = info["Size"]
    save = subprocess.run(PODMAN + ["save", tag(work)], capture_output=True)
    if save.returncode != 0:
        fail(f"podman save: {save.stderr.decode(errors='replace').strip()}")
    packed = len(gzip.compress(save.stdout, 6))
    if packed >= MAX_SIZE:
        fail(f"the image is {packed} bytes compressed ({size} unpacked), over {MAX_SIZE}")
    ok(f"the image is {packed / 1e6:.2f} MB compressed (under 5 MB), {size / 1e6:.2f} MB unpacked")
    cfg = info["Config"]
    user = cfg.get("User", "")
    uid = user.split(":")[0]
    if not uid.isdigit() or int(uid) == 0:
        fail(f"the image's user is {user!r}, not a numeric non-root one")
    ok(f"runs as user {user}")
    if "8080/tcp" not in cfg.get("ExposedPorts", {}):
        fail(f"the image does not expose 8080/tcp: {cfg.get('ExposedPorts')}")
    command = cfg.get("Entrypoint", []) + cfg.get("Cmd", [])
    if command != ["/usr/bin/httpstatus-serve"] or "HTTPSTATUS_HOST=0.0.0.0" not in cfg.get("Env", []):
        fail(f"the image runs {command} with {cfg.get('Env')}, not serve with HTTPSTATUS_HOST=0.0.0.0")
    ok(f"exposes 8080/tcp and runs {' '.join(command)} with HTTPSTATUS_HOST=0.0.0.0")
    layers = info["RootFS"]["Layers"]
    if len(layers) != 1:
        fail(f"the image has {len(layers)} layers: FROM scratch and one COPY make one")
    ok("one layer: the server binary alone")


class Container:
    """A container of the image, on a free port of 127.0.0.1, removed on exit."""

    def __init__(self, work, options=ULIMITS, port=8080):
        self.name = "httpstatus-test-" + tag(work).rsplit(":", 1)[1]
        podman("rm", "-f", self.name, check=False)
        podman("run", "-d", "--name", self.name, *options, "-p", f"127.0.0.1::{port}", tag(work))
        self.port = int(podman("port", self.name, str(port)).rsplit(":", 1)[1])
        self.url = f"http://127.0.0.1:{self.port}"
        # Up once /healthz answers (the wait is a lower bound, never asserted).
        for _ in range(100):
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2):
                    return
            except OSError:
                time.sleep(0.1)
        fail(f"no answer from the container on {self.url}: {podman('logs', self.name, check=False)}")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        podman("rm", "-f", self.name, check=False)


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def serves(work):
    with Container(work) as c:
        status, body = get(c.url + "/healthz")
        if status != 200:
            fail(f"/healthz answered {status}")
        ok(f"/healthz answers {status} {body.decode().strip()}")
        status, body = get(c.url + "/404")
        if status != 404 or not body.startswith(b"404 Not Found"):
            fail(f"/404 answered {status} {body[:60]!r}")
        ok(f"/404 answers {status} {body.decode().strip()}")
        first = podman("logs", c.name).splitlines()[0]
        if first != "http://0.0.0.0:8080/":
            fail(f"the server's first line is {first!r}, not http://0.0.0.0:8080/")
        ok(f"listens on all addresses: {first}")
    # A platform's PORT (Cloud Run, Heroku, Render...) moves it.
    with Container(work, ULIMITS + ["-e", "PORT=9090"], port=9090) as c:
        first = podman("logs", c.name).splitlines()[0]
        if first != "http://0.0.0.0:9090/" or get(c.url + "/404")[0] != 404:
            fail(f"with PORT=9090 the server says {first!r}")
        ok(f"PORT=9090: {first}")


def drains(work):
    with Container(work) as c:
        # The answer's header section arrives at once, its content 1.5 s
        # later: the request is underway when SIGTERM comes.
        s = socket.create_connection(("127.0.0.1", c.port), timeout=10)
        s.sendall(b"GET /200?sleepAfterHeaders=1500 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        got = b""
        while b"\r\n\r\n" not in got:
            chunk = s.recv(4096)
            if not chunk:
                fail(f"the connection closed before the header section: {got!r}")
            got += chunk
        stop = subprocess.Popen(PODMAN + ["stop", "-t", "10", c.name],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        while True:
            chunk = s.recv(4096)
            if not chunk:
                break
            got += chunk
        s.close()
        stop.wait(timeout=30)
        if not got.startswith(b"HTTP/1.1 200") or not got.endswith(b"200 OK\n"):
            fail(f"the answer underway did not finish after SIGTERM: {got!r}")
        ok("podman stop (SIGTERM) lets the answer underway finish")
        state = json.loads(podman("inspect", c.name))[0]["State"]
        if state["Running"] or state["ExitCode"] != 0:
            fail(f"after podman stop: running {state['Running']}, exit code {state['ExitCode']}")
        ok("the server exits 0 on SIGTERM")


def compose_options(path):
    """podman run options for what docs/deploy/compose.yaml asks of its service."""
    import yaml
    with open(path) as f:
        service = yaml.safe_load(f)["services"]["httpstatus"]
    opts = ["--read-only"] if service.get("read_only") else []
    for cap in service.get("cap_drop", []):
        opts += ["--cap-drop", cap]
    for sec in service.get("security_opt", []):
        opts += ["--security-opt", sec]
    for name, limit in service.get("ulimits", {}).items():
        opts += ["--ulimit", f"{name}={limit['soft']}:{limit['hard']}"]
    if "nproc" not in service.get("ulimits", {}):
        opts += ["--ulimit", "nproc=4096:4096"]
    opts += ["--stop-signal", service["stop_signal"],
             "--stop-timeout", service["stop_grace_period"].rstrip("s")]
    if service["ports"] != ["127.0.0.1:8080:8080"]:
        fail(f"compose.yaml publishes {service['ports']}, not 127.0.0.1:8080:8080")
    return opts


def compose(source, work):
    opts = compose_options(os.path.join(source, "docs", "deploy", "compose.yaml"))
    with Container(work, opts) as c:
        status, _ = get(c.url + "/404")
        if status != 404:
            fail(f"/404 answered {status} with {' '.join(opts)}")
        ok(f"serves with compose.yaml's settings: {' '.join(opts)}")
        podman("stop", "-t", "10", c.name)
        state = json.loads(podman("inspect", c.name))[0]["State"]
        if state["ExitCode"] != 0:
            fail(f"exit code {state['ExitCode']} after podman stop")
        ok("and stops with exit status 0")


def remove(work):
    podman("rmi", "-f", tag(work), check=False)
    ok(f"removed {tag(work)}")


def main():
    step, args = sys.argv[1], sys.argv[2:]
    {"build": build, "config": config, "serves": serves, "drains": drains,
     "compose": compose, "remove": remove}[step](*args)


if __name__ == "__main__":
    main()
