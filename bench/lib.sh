#!/bin/sh
# SPDX-License-Identifier: MIT
# ns per call of libhttpstatus's lookups, parsers and search, statically
# and dynamically linked. Configures and builds a Release tree (default
# build/bench-lib, or $1), then runs both benchmarks. Run by hand.
#   sh bench/lib.sh [BUILD_DIR]
set -eu

here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build/bench-lib}

cmake -S "$here/.." -B "$build" -DCMAKE_BUILD_TYPE=Release \
  -DHTTPSTATUS_BUILD_TESTS=OFF -DHTTPSTATUS_SANITIZE=OFF -DHTTPSTATUS_BUILD_SERVER=OFF >/dev/null
cmake --build "$build" --target bench_lib bench_lib_shared -j 2 >/dev/null

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
compiler=$(sed -n 's/^CMAKE_C_COMPILER:[^=]*=//p' "$build/CMakeCache.txt")
echo "$(date -u +%Y-%m-%d), $(nproc) CPUs, ${cpu:-unknown CPU}, $(uname -sr), $("$compiler" --version | head -1)"
echo "--- static (libhttpstatus.a)"
"$build/bench/lib/bench_lib"
echo "--- shared (libhttpstatus.so, calls through the PLT)"
"$build/bench/lib/bench_lib_shared"
