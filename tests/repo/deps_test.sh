#!/bin/sh
# SPDX-License-Identifier: MIT
# repo_deps: what scripts/deps.sh does when packages are missing, with fake
# dpkg-query, id, sudo and apt-get on PATH (nothing is installed).
#   deps_test.sh SOURCE
set -eu

deps=$1/scripts/deps.sh
sh=$(command -v sh)
fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok - $*"; }
work=$(mktemp -d "${TMPDIR:-/tmp}/httpstatus-deps.XXXXXX")
trap 'rm -rf "$work"' EXIT
fake=$work/bin
mkdir "$fake"
# Every package is missing; the user is not root.
printf '#!/bin/sh\nexit 1\n' >"$fake/dpkg-query"
printf '#!/bin/sh\necho 1000\n' >"$fake/id"
for tool in grep env; do ln -s "$(command -v $tool)" "$fake/$tool"; done
chmod +x "$fake"/*

# No root, no sudo: one line naming the packages, exit status 1.
status=0
PATH=$fake "$sh" "$deps" run >"$work/out" 2>"$work/err" || status=$?
[ "$status" -eq 1 ] || fail "without root or sudo: exit 1, not $status"
[ ! -s "$work/out" ] || fail "without root or sudo: nothing on stdout: $(cat "$work/out")"
[ "$(wc -l <"$work/err")" -eq 1 ] || fail "without root or sudo: one line, not: $(cat "$work/err")"
grep -q "apt-get install build-essential cmake pkg-config libuv1-dev node-llhttp libssl-dev libnghttp2-dev$" \
  "$work/err" || fail "the line names run's packages: $(cat "$work/err")"
ok "without root or sudo: $(cat "$work/err")"

# With sudo: apt-get through it, its progress not hidden, only what the target needs.
printf '#!/bin/sh\necho "sudo $*" >>"%s/calls"\n' "$work" >"$fake/sudo"
chmod +x "$fake/sudo"
PATH=$fake "$sh" "$deps" fuzz >"$work/out" 2>"$work/err" || fail "with sudo: exit 0: $(cat "$work/err")"
[ "$(sed -n 1p "$work/calls")" = "sudo env DEBIAN_FRONTEND=noninteractive apt-get update" ] ||
  fail "with sudo: apt-get update first: $(cat "$work/calls")"
install=$(sed -n 2p "$work/calls")
case $install in
  *" -q"* | *">"*) fail "apt-get's progress is shown: $install" ;;
  "sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "*) ;;
  *) fail "with sudo: apt-get install: $install" ;;
esac
for p in clang libclang-rt-14-dev; do
  echo "$install" | grep -qw -- "$p" || fail "fuzz installs $p: $install"
done
for p in chromium libcmocka-dev lintian; do
  if echo "$install" | grep -qw -- "$p"; then fail "fuzz does not install $p: $install"; fi
done
ok "with sudo: $install"

# A node already there is kept (a nodesource build); Debian's npm is never asked for.
rm -f "$work/calls"
printf '#!/bin/sh\n' >"$fake/node"
chmod +x "$fake/node"
PATH=$fake "$sh" "$deps" test >/dev/null 2>&1 || fail "test with sudo: exit 0"
if grep -qw 'nodejs\|npm' "$work/calls"; then fail "with node on PATH, nodejs and npm are left alone: $(cat "$work/calls")"; fi
rm -f "$fake/node" "$work/calls"
PATH=$fake "$sh" "$deps" test >/dev/null 2>&1 || fail "test with sudo: exit 0"
grep -qw nodejs "$work/calls" || fail "without node, test installs nodejs: $(cat "$work/calls")"
if grep -qw npm "$work/calls"; then fail "npm is never installed: $(cat "$work/calls")"; fi
ok "nodejs only when no node is there, npm never"

status=0
PATH=$fake "$sh" "$deps" nonsense 2>"$work/err" || status=$?
[ "$status" -eq 2 ] && [ "$(wc -l <"$work/err")" -eq 1 ] || fail "an unknown target: exit 2, one line"
ok "an unknown target: $(cat "$work/err")"
