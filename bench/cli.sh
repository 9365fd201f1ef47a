#!/bin/sh
# Start-to-answer time of `httpstatus 404` next to the same lookup in python3
# and node, in one hyperfine run; prints the medians and the ratios.
#   make release BUILD=/tmp/build-cli-rel && sh bench/cli.sh /tmp/build-cli-rel/release/src/cli/httpstatus
# Run by hand (a timing is a measurement, not a test).
set -eu

bin=${1:-build/release/src/cli/httpstatus}
runs=${RUNS:-300}
# The system interpreter, not a version manager's shim (which adds its own start-up).
python=/usr/bin/python3
[ -x "$python" ] || python=$(command -v python3)
node=$(command -v node || command -v nodejs)

[ -x "$bin" ] || { echo "bench/cli.sh: no binary at $bin (make release first)" >&2; exit 2; }
command -v hyperfine >/dev/null || { echo "bench/cli.sh: needs hyperfine (scripts/deps.sh bench)" >&2; exit 2; }

json=$(mktemp)
trap 'rm -f "$json"' EXIT
# -N: no intermediate shell, so only the program's own start-up is timed.
hyperfine -N --style none --warmup 20 --runs "$runs" --export-json "$json" \
    -n httpstatus "$bin 404" \
    -n python3 "$python -c 'import http; print(http.HTTPStatus(404).phrase)'" \
    -n node "$node -e 'console.log(require(\"http\").STATUS_CODES[404])'" >/dev/null

"$python" - "$json" <<'PY'
import json, platform, sys, datetime
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
ours = results["httpstatus"]["median"]
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo")
            if l.startswith("model name")), platform.processor())
print(f"{datetime.date.today()}  {cpu}, {platform.system()} {platform.release()}, "
      f"{len(results['httpstatus']['times'])} runs each")
print(f"{'command':<12}{'median':>12}{'ratio':>10}")
for name, r in results.items():
    ratio = r["median"] / ours
    print(f"{name:<12}{r['median'] * 1e3:>9.3f} ms{ratio:>9.1f}x")
PY
