#!/bin/sh
# SPDX-License-Identifier: MIT
# repo_unit_dir: the systemd unit follows the install prefix of the latest
# configure, as `make run` then `make install PREFIX=...` does it: configure
# a tree for /usr/local, reconfigure it for another prefix, and install the
# unit alone (dist/'s install script) into a DESTDIR.
#   unit_dir_test.sh SOURCE
set -eu

source=$1
fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok - $*"; }
work=$(mktemp -d "${TMPDIR:-/tmp}/httpstatus-unit.XXXXXX")
trap 'rm -rf "$work"' EXIT
conf() { # PREFIX
  cmake -S "$source" -B "$work/build" -DHTTPSTATUS_BUILD_TESTS=OFF \
    -DCMAKE_INSTALL_PREFIX="$1" >"$work/conf.log" 2>&1 || { cat "$work/conf.log" >&2; fail "configure for $1"; }
}
install_unit() { # DESTDIR
  DESTDIR=$1 cmake -P "$work/build/dist/cmake_install.cmake" >/dev/null || fail "installing the unit"
}

conf /usr/local
conf "$work/home/.local"
install_unit "$work/d1"
unit=$work/d1$work/home/.local/lib/systemd/system/httpstatus.service
[ -f "$unit" ] || fail "after reconfiguring for another prefix the unit goes to: $(cd "$work/d1" && find . -type f)"
grep -qx "ExecStart=$work/home/.local/bin/httpstatus serve" "$unit" || fail "the unit runs PREFIX/bin/httpstatus"
ok "reconfigured for PREFIX, the unit is PREFIX/lib/systemd/system/httpstatus.service"

conf /usr
install_unit "$work/d2"
[ -f "$work/d2/lib/systemd/system/httpstatus.service" ] || fail "for /usr the unit goes to /lib/systemd/system"
ok "for the prefix /usr, the unit is /lib/systemd/system/httpstatus.service"
