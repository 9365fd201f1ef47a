#!/bin/sh
# Install the Debian packages the build, the tests or the benchmarks need.
# Idempotent and quiet when everything is already there.
#   scripts/deps.sh            build + test dependencies
#   scripts/deps.sh bench      also the benchmark peers (wrk, nginx, h2load)
#   scripts/deps.sh fuzz       also clang's libFuzzer runtime (fuzz/)
set -eu

pkgs="build-essential cmake pkg-config clang libuv1-dev node-llhttp libcmocka-dev curl python3 chromium nodejs"
[ "${1:-}" = bench ] && pkgs="$pkgs wrk nginx-light nghttp2-client hyperfine valgrind nodejs"
[ "${1:-}" = fuzz ] && pkgs="$pkgs libclang-rt-14-dev"

missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
        missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "deps: installing$missing" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
