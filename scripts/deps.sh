#!/bin/sh
# SPDX-License-Identifier: MIT
# Installs the Debian packages a make target needs, and only those.
#   scripts/deps.sh [TARGET...]    TARGET: run (the default), test, bench, fuzz, image, package
#   run      build and run: compiler, cmake, pkg-config, libuv, llhttp, OpenSSL, nghttp2
#   test     run's, and cmocka, clang, curl, python3 (with yaml), groff, openssl, chromium,
#            nghttp, node
#   bench    run's, and wrk, nginx, h2load, h2o, hyperfine, valgrind, python3, node
#   fuzz     run's, and clang with its libFuzzer runtime
#   image    run's, and podman with runc, file (make image)
#   package  run's, and the tools of `make test-package`: dpkg-dev, lintian, python3 (with yaml),
#            podman with runc, systemd-analyze, file, curl
# Silent when everything is there. Otherwise runs apt-get (as root, or through
# sudo) with its progress shown; with neither, prints one line naming the
# packages to install and exits 1.
set -eu

run="build-essential cmake pkg-config libuv1-dev node-llhttp libssl-dev libnghttp2-dev"
pkgs=$run
for target in "${@:-run}"; do
    case $target in
        run) ;;
        test) pkgs="$pkgs libcmocka-dev clang curl python3 python3-yaml groff-base openssl
                    chromium nghttp2-client" ;;
        bench) pkgs="$pkgs wrk nginx-light nghttp2-client hyperfine valgrind python3 h2o" ;;
        fuzz) pkgs="$pkgs clang libclang-rt-14-dev" ;;
        image) pkgs="$pkgs podman runc file" ;;
        package) pkgs="$pkgs dpkg-dev lintian podman runc systemd file curl python3 python3-yaml" ;;
        *) echo "deps: unknown target '$target' (run, test, bench, fuzz, image or package)" >&2; exit 2 ;;
    esac
    # node from any source will do (a nodesource build is a `nodejs` package
    # too, and Debian's npm conflicts with it: npm is never asked for here).
    case $target in
        test | bench) command -v node >/dev/null 2>&1 || pkgs="$pkgs nodejs" ;;
    esac
done

missing=""
for p in $pkgs; do
    case " $missing " in *" $p "*) continue ;; esac
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
        missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
    as_root=""
elif command -v sudo >/dev/null 2>&1; then
    as_root="sudo"
else
    echo "deps: missing Debian packages; as root run: apt-get install$missing" >&2
    exit 1
fi
echo "deps: installing$missing" >&2
$as_root env DEBIAN_FRONTEND=noninteractive apt-get update
# shellcheck disable=SC2086
$as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing
