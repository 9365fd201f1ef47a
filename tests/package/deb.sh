#!/bin/sh
# SPDX-License-Identifier: MIT
# The Debian packages, built and tried for real (make test-package).
#   deb.sh build WORK SOURCE VERSION   dpkg-buildpackage -b on a copy of SOURCE;
#                                      the .debs land in WORK, unpacked in WORK/root
#   deb.sh contents WORK               each package holds its files, and the command runs
#   deb.sh consumer WORK VERSION CC    a program built against libhttpstatus-dev
#   deb.sh lintian WORK                lintian's findings (kept in WORK/lintian.txt);
#                                      fails on an error
#   deb.sh systemd WORK                systemd-analyze verify on the packaged unit
set -eu

fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok - $*"; }
here=$(cd "$(dirname "$0")" && pwd)
step=$1 work=$2
shift 2

build() { # SOURCE VERSION
  source=$1 version=$2
  rm -rf "$work"
  mkdir -p "$work/src/httpstatus-$version"
  tree=$work/src/httpstatus-$version
  # The repository's files, as a fresh clone has them.
  if git -C "$source" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    (cd "$source" && git ls-files -co --exclude-standard -z | xargs -0 tar -cf - --no-recursion) |
      tar -C "$tree" -xf -
  else
    (cd "$source" && tar -cf - --exclude=./build --exclude=./.git .) | tar -C "$tree" -xf -
  fi
  changelog=$(cd "$tree" && dpkg-parsechangelog -S Version)
  [ "$changelog" = "$version" ] ||
    fail "debian/changelog is at $changelog, CMakeLists.txt at $version: add a changelog entry"
  jobs=$(nproc 2>/dev/null || echo 2)
  [ "$jobs" -le 2 ] || jobs=2
  (cd "$tree" && DEB_BUILD_OPTIONS="parallel=$jobs" dpkg-buildpackage -b -uc -us) \
    >"$work/build.log" 2>&1 || { tail -40 "$work/build.log" >&2; fail "dpkg-buildpackage -b (log: $work/build.log)"; }
  mv "$work"/src/*.deb "$work"/src/*.changes "$work"/src/*.buildinfo "$work"/
  rm -rf "$work/src"
  for deb in "$work"/*.deb; do
    dpkg-deb -x "$deb" "$work/root"
  done
  ok "dpkg-buildpackage built $(cd "$work" && echo *.deb)"
}

# Fails unless package $1's file list has every path given after it.
holds() {
  pkg=$1
  shift
  list=$(dpkg-deb -c "$work/${pkg}_"*.deb | awk '{ print $6 }' | sed 's|^\./|/|')
  for path in "$@"; do
    echo "$list" | grep -qx "$path" || fail "$pkg does not hold $path"
  done
  ok "$pkg holds $*"
}

contents() {
  multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
  lib=/usr/lib/$multiarch
  holds httpstatus /usr/bin/httpstatus /usr/libexec/httpstatus/httpstatus-serve \
    /usr/share/man/man1/httpstatus.1.gz \
    /usr/share/man/man1/httpstatus-serve.1.gz /usr/share/bash-completion/completions/httpstatus \
    /usr/share/zsh/site-functions/_httpstatus /usr/share/fish/vendor_completions.d/httpstatus.fish \
    /lib/systemd/system/httpstatus.service /usr/share/doc/httpstatus/copyright
  holds libhttpstatus0 "$lib/libhttpstatus.so.0" /usr/share/doc/libhttpstatus0/copyright
  holds libhttpstatus-dev /usr/include/httpstatus.h "$lib/libhttpstatus.so" "$lib/libhttpstatus.a" \
    "$lib/pkgconfig/httpstatus.pc" "$lib/cmake/httpstatus/httpstatusConfig.cmake"
  if dpkg-deb -c "$work"/libhttpstatus0_*.deb | grep -q 'include/\|\.a$\|libhttpstatus\.so$'; then
    fail "libhttpstatus0 holds development files"
  fi
  ok "libhttpstatus0 holds no development files"
  dpkg-deb -f "$work"/libhttpstatus-dev_*.deb Depends | grep -q 'libhttpstatus0 (= ' ||
    fail "libhttpstatus-dev depends on the same libhttpstatus0"
  ok "libhttpstatus-dev depends on libhttpstatus0 of its version"

  bin=$work/root/usr/bin/httpstatus
  out=$("$bin" 404) || fail "the packaged httpstatus 404 exits non-zero"
  case $out in "404 Not Found - "*) ;; *) fail "the packaged httpstatus 404 printed: $out" ;; esac
  ok "the packaged command answers: $out"
  "$bin" serve --help | grep -q -- '--port' || fail "the packaged httpstatus serve --help names --port"
  ok "the packaged command has serve (it runs the packaged httpstatus-serve)"
  for b in "$bin" "$work/root/usr/libexec/httpstatus/httpstatus-serve"; do
    file -L "$b" | grep -q 'static-pie linked' || fail "$b is a static PIE: $(file -L "$b")"
  done
  ok "the packaged command and server are static PIEs"
  zcat "$work/root/usr/share/man/man1/httpstatus-serve.1.gz" | grep -q '^\.TH' ||
    fail "httpstatus-serve.1.gz is a man page"
  ok "the man pages are there, compressed"
}

consumer() { # VERSION CC
  multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
  # The unpacked /usr is an installed prefix that moved: the same checks as
  # lib_install's, on the files of libhttpstatus0 and libhttpstatus-dev.
  sh "$here/../lib/install/test_install.sh" "--prefix=$work/root/usr" "lib/$multiarch" "$1" "$2"
}

lintian_check() {
  # Findings are shown whatever they are; an error fails the test.
  out=$(cd "$work" && lintian --display-info --pedantic --show-overrides --tag-display-limit 0 ./*.changes 2>&1 |
         grep -v 'running with root privileges') || true
  # make test-package prints this file after the tests.
  echo "${out:-lintian: nothing to report}" | tee "$work/lintian.txt"
  if echo "$out" | grep -q '^E: '; then
    fail "lintian reports errors (above)"
  fi
  ok "lintian: no errors; $(echo "$out" | grep -c '^[WIP]: ' || true) warnings, notes and pedantic findings (above)"
}

systemd_check() {
  root=$work/root
  unit=$root/lib/systemd/system/httpstatus.service
  # Verified where the package would put it: ExecStart is checked against the
  # packaged binary, Documentation= against the packaged man page.
  sed "s|/usr/bin/httpstatus|$root/usr/bin/httpstatus|g" "$unit" >"$work/httpstatus.service"
  out=$(MANPATH="$root/usr/share/man" systemd-analyze verify "$work/httpstatus.service" 2>&1) ||
    fail "systemd-analyze verify: $out"
  [ -z "$out" ] || fail "systemd-analyze verify says: $out"
  ok "systemd-analyze verify: the unit is clean"
  for want in DynamicUser=yes ProtectSystem=strict NoNewPrivileges=yes PrivateTmp=yes \
              'CapabilityBoundingSet=' 'RestrictAddressFamilies=AF_INET AF_INET6'; do
    grep -qx "$want" "$unit" || fail "the unit sets $want"
  done
  ok "the unit is hardened (DynamicUser, ProtectSystem=strict, no capabilities...)"
  exposure=$(systemd-analyze security --offline=true "$work/httpstatus.service" 2>&1 | tail -1)
  echo "systemd-analyze security: $exposure"
}

case $step in
  build) build "$@" ;;
  contents) contents ;;
  consumer) consumer "$@" ;;
  lintian) lintian_check ;;
  systemd) systemd_check ;;
  *) fail "unknown step $step" ;;
esac
