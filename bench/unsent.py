#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Clients that never read (issue 12): N sockets each send K `GET /api/codes`
and read nothing, while a prober opens a connection for `GET /200` every 5 ms.
Prints the server's RSS growth and the prober's latency, during the flood
(while the answers are being written) and once the clients are stuck.

    httpstatus-serve --port 0 &        # then, with its port and PID:
    bench/unsent.py PORT 1000 16 PID   # needs `ulimit -n` above N
"""
import socket
import sys
import threading
import time


def main():
    port, n, k, pid = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]

    def rss():
        return int(open(f"/proc/{pid}/status").read().split("VmRSS:")[1].split()[0])

    request = b"GET /api/codes HTTP/1.1\r\nHost: t\r\n\r\n"
    before = rss()
    latencies = []
    done = threading.Event()

    def probe():
        while not done.is_set():
            t0 = time.monotonic()
            c = socket.create_connection(("127.0.0.1", port))
            c.settimeout(10)
            c.sendall(b"GET /200 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
            data = b""
            while True:
                piece = c.recv(65536)
                if not piece:
                    break
                data += piece
            latencies.append(time.monotonic() - t0)
            c.close()
            assert data.startswith(b"HTTP/1.1 200"), data[:40]
            time.sleep(0.005)

    prober = threading.Thread(target=probe)
    prober.start()
    socks = []
    for _ in range(n):
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.connect(("127.0.0.1", port))
        s.setblocking(False)
        try:
            s.send(request * k)
        except OSError:
            pass
        socks.append(s)
    time.sleep(3)
    flood = sorted(latencies)
    latencies.clear()
    peak = rss()
    time.sleep(3)
    done.set()
    prober.join()
    stuck = sorted(latencies)

    def q(values, at):
        return values[min(len(values) - 1, int(len(values) * at))] * 1000

    print(f"RSS {before} -> {peak} KiB (+{(peak - before) / 1024:.1f} MiB)")
    for name, values in (("during the flood", flood), ("clients stuck", stuck)):
        print(f"{name}: n={len(values)} p50 {q(values, .5):.2f} ms p99 {q(values, .99):.2f} ms "
              f"max {values[-1] * 1000:.2f} ms")
    for s in socks:
        s.close()


if __name__ == "__main__":
    main()
