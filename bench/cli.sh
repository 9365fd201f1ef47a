#!/bin/sh
# SPDX-License-Identifier: MIT
# Start-to-answer time of `httpstatus 404` next to the same lookup in python3
# and node, in one hyperfine run; prints the medians and the ratios.
#   make release BUILD=/tmp/build-cli-rel && sh bench/cli.sh /tmp/build-cli-rel/release/src/cli/httpstatus
# Several builds side by side, each named: sh bench/cli.sh static=BIN1 dynamic=BIN2
# Run by hand (a timing is a measurement, not a test).
set -eu

[ $# -gt 0 ] || set -- build/release/src/cli/httpstatus
runs=${RUNS:-300}
# The system interpreter, not a version manager's shim (which adds its own start-up).
python=/usr/bin/python3
[ -x "$python" ] || python=$(command -v python3)
node=$(command -v node || command -v nodejs)

command -v hyperfine >/dev/null || { echo "bench/cli.sh: needs hyperfine (scripts/deps.sh bench)" >&2; exit 2; }

json=$(mktemp)
trap 'rm -f "$json"' EXIT
# Each argument NAME=BINARY or BINARY becomes "-n NAME 'BINARY 404'".
ours=""
for arg; do
    case $arg in
        *=*) name=${arg%%=*} bin=${arg#*=} ;;
        *) name=httpstatus bin=$arg ;;
    esac
    [ -x "$bin" ] || { echo "bench/cli.sh: no binary at $bin (make release first)" >&2; exit 2; }
    set -- "$@" -n "$name" "$bin 404"
    ours="$ours $name"
    shift
done

# -N: no intermediate shell, so only the program's own start-up is timed.
hyperfine -N --style none --warmup 20 --runs "$runs" --export-json "$json" \
    "$@" \
    -n python3 "$python -c 'import http; print(http.HTTPStatus(404).phrase)'" \
    -n node "$node -e 'console.log(require(\"http\").STATUS_CODES[404])'" >/dev/null

"$python" - "$json" $ours <<'PY'
import json, os, platform, sys, datetime
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
ours = sys.argv[2:]
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo")
            if l.startswith("model name")), platform.processor())
print(f"{datetime.date.today()}  {os.cpu_count()} CPUs, {cpu}, "
      f"{platform.system()} {platform.release()}, {len(results[ours[0]]['times'])} runs each")
width = {o: max(14, len(o) + 4) for o in ours}
name_width = max(12, *(len(n) + 2 for n in results))
print(f"{'command':<{name_width}}{'median':>12}" + "".join(f"{'/ ' + o:>{width[o]}}" for o in ours))
for name, r in results.items():
    ratios = "".join(f"{r['median'] / results[o]['median']:>{width[o] - 1}.1f}x" for o in ours)
    print(f"{name:<{name_width}}{r['median'] * 1e3:>9.3f} ms{ratios}")
PY
