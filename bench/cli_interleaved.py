#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Start-to-answer of `BINARY 404` for several builds, run interleaved.

    python3 bench/cli_interleaved.py [ROUNDS] NAME=BINARY...

Each round runs every build once, in a shuffled order, so that a shared
machine's changing load falls on all of them alike (bench/cli.sh runs one
build after the other). Prints each median and its ratio to the first build.
Run by hand (a timing is a measurement, not a test).
"""
import os
import random
import statistics
import sys
import time


def main(argv):
    rounds = int(argv.pop(0)) if argv and argv[0].isdigit() else 2000
    builds = dict(arg.split("=", 1) for arg in argv)
    if not builds:
        sys.exit(__doc__.strip())
    times = {name: [] for name in builds}
    devnull = os.open(os.devnull, os.O_WRONLY)
    for _ in range(rounds):
        order = list(builds)
        random.shuffle(order)
        for name in order:
            start = time.perf_counter_ns()
            pid = os.posix_spawn(builds[name], [builds[name], "404"], {},
                                 file_actions=[(os.POSIX_SPAWN_DUP2, devnull, 1)])
            os.waitpid(pid, 0)
            times[name].append((time.perf_counter_ns() - start) / 1e6)
    first = statistics.median(times[next(iter(builds))])
    print(f"{rounds} rounds, load average {os.getloadavg()[0]:.1f}")
    for name in builds:
        median = statistics.median(times[name])
        print(f"{name:<16}{median:8.3f} ms {median / first:6.2f}x")


if __name__ == "__main__":
    main(sys.argv[1:])
