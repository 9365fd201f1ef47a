#!/bin/sh
# SPDX-License-Identifier: MIT
# test_install.sh - installs the build's libhttpstatus into a temporary
# prefix, moves the prefix elsewhere (the pkg-config file and the CMake
# package are relocatable), and builds and runs consumer.c against it three
# ways: pkg-config with the shared library, pkg-config with the static one,
# and find_package(httpstatus) from a separate CMake project.
#
# usage: test_install.sh BUILD_DIR|--prefix=DIR LIBDIR VERSION CC [FLAGS]
#   --prefix=DIR  check a prefix installed already (tests/package: the
#                 unpacked Debian packages) instead of installing BUILD_DIR
#   LIBDIR  CMAKE_INSTALL_LIBDIR ("lib", "lib/x86_64-linux-gnu", ...)
#   FLAGS   compile and link flags the library was built with that a
#           consumer needs too (the sanitizers), space-separated
set -eu

build=$1 libdir=$2 version=$3 cc=$4 flags=${5:-}
here=$(cd "$(dirname "$0")" && pwd)
major=${version%%.*}
work=$(mktemp -d "${TMPDIR:-/tmp}/httpstatus-install.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 1' INT TERM

checks=0
ok() { checks=$((checks + 1)); echo "ok $checks - $*"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
# Runs a command quietly; on failure shows its output and stops.
quiet() {
  "$@" >"$work/out.log" 2>&1 || { cat "$work/out.log" >&2; fail "$*"; }
}
needed() { readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'; }
# Where the dynamic loader finds libhttpstatus for PROGRAM, resolved.
loaded_from() { # PROGRAM [env assignments...]
  prog=$1
  shift
  path=$(env "$@" ldd "$prog" | sed -n 's/^[[:space:]]*libhttpstatus\.so[^ ]* => \([^ ]*\) .*/\1/p')
  [ -n "$path" ] && readlink -f "$path"
}
runs_ok() { # PROGRAM WHAT [env assignments...]
  prog=$1 what=$2
  shift 2
  out=$(env "$@" "$prog") || fail "$what: $prog exits non-zero"
  [ "$out" = "consumer ok $version" ] || fail "$what: printed '$out'"
  ok "$what runs and answers correctly"
}

# --- install -----------------------------------------------------------------
case $build in
  --prefix=*)
    prefix=${build#--prefix=}
    [ -d "$prefix" ] || fail "no prefix at $prefix" ;;
  *)
    quiet cmake --install "$build" --prefix "$work/staged" --component lib
    mv "$work/staged" "$work/prefix"
    prefix=$work/prefix
    ok "cmake --install --component lib into a temporary prefix" ;;
esac
lib=$prefix/$libdir

cmp -s "$here/../../../include/httpstatus.h" "$prefix/include/httpstatus.h" ||
  fail "installs include/httpstatus.h unchanged"
ok "installs the header"

[ -f "$lib/libhttpstatus.so.$version" ] && [ ! -L "$lib/libhttpstatus.so.$version" ] ||
  fail "installs $libdir/libhttpstatus.so.$version"
[ "$(readlink "$lib/libhttpstatus.so.$major")" = "libhttpstatus.so.$version" ] ||
  fail "libhttpstatus.so.$major is a symlink to libhttpstatus.so.$version"
[ "$(readlink "$lib/libhttpstatus.so")" = "libhttpstatus.so.$major" ] ||
  fail "libhttpstatus.so is a symlink to libhttpstatus.so.$major"
ok "soname symlinks: libhttpstatus.so -> .so.$major -> .so.$version"

soname=$(readelf -d "$lib/libhttpstatus.so.$version" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
[ "$soname" = "libhttpstatus.so.$major" ] || fail "SONAME is libhttpstatus.so.$major, not '$soname'"
ok "SONAME libhttpstatus.so.$major"

stray=$(nm -D --defined-only "$lib/libhttpstatus.so.$version" |
        awk '$2 ~ /^[TDRB]$/ && $3 !~ /^httpstatus_/ { print $3 }')
[ -z "$stray" ] || fail "exports only httpstatus_* names, also: $stray"
nm -D --defined-only "$lib/libhttpstatus.so.$version" | grep -q ' T httpstatus_reason$' ||
  fail "exports httpstatus_reason"
ok "the shared library exports httpstatus_* names only"

[ -f "$lib/libhttpstatus.a" ] || fail "installs $libdir/libhttpstatus.a"
nm "$lib/libhttpstatus.a" | grep -q ' T httpstatus_lookup$' || fail "libhttpstatus.a defines httpstatus_lookup"
ok "installs the static library"

for f in httpstatusConfig.cmake httpstatusConfigVersion.cmake httpstatusTargets.cmake; do
  [ -f "$lib/cmake/httpstatus/$f" ] || fail "installs $libdir/cmake/httpstatus/$f"
done
ok "installs the CMake package"

# --- pkg-config ----------------------------------------------------------------
PKG_CONFIG_PATH=$lib/pkgconfig
export PKG_CONFIG_PATH
[ "$(pkg-config --modversion httpstatus)" = "$version" ] || fail "pkg-config --modversion is $version"
quiet pkg-config --validate httpstatus
case $(pkg-config --cflags httpstatus) in
  *"$prefix"*) ;;
  *) fail "pkg-config --cflags points into the moved prefix: $(pkg-config --cflags httpstatus)" ;;
esac
ok "pkg-config finds httpstatus $version in the moved prefix"

# shellcheck disable=SC2046,SC2086 # word splitting of flags is intended
quiet "$cc" $flags $(pkg-config --cflags httpstatus) "$here/consumer.c" \
  -o "$work/pc_shared" $(pkg-config --libs httpstatus)
needed "$work/pc_shared" | grep -qx "libhttpstatus.so.$major" ||
  fail "the shared consumer needs libhttpstatus.so.$major (the soname): $(needed "$work/pc_shared")"
ok "pkg-config shared consumer links against the soname"
[ "$(loaded_from "$work/pc_shared" "LD_LIBRARY_PATH=$lib")" = "$(readlink -f "$lib/libhttpstatus.so.$version")" ] ||
  fail "the shared consumer loads the installed library"
ok "the shared consumer loads $libdir/libhttpstatus.so.$version from the prefix"
runs_ok "$work/pc_shared" "pkg-config shared consumer" "LD_LIBRARY_PATH=$lib"

# Both libraries sit in one folder, so the linker is told to take the
# archive for the libraries pkg-config names (and only for those).
# shellcheck disable=SC2046,SC2086
quiet "$cc" $flags $(pkg-config --static --cflags httpstatus) "$here/consumer.c" \
  -o "$work/pc_static" $(pkg-config --static --libs-only-L httpstatus) \
  -Wl,-Bstatic $(pkg-config --static --libs-only-l httpstatus) -Wl,-Bdynamic \
  $(pkg-config --static --libs-only-other httpstatus)
if needed "$work/pc_static" | grep -q libhttpstatus; then
  fail "the static consumer does not need libhttpstatus.so"
fi
ok "pkg-config --static consumer carries the library inside"
runs_ok "$work/pc_static" "pkg-config static consumer"

# --- find_package ------------------------------------------------------------
quiet cmake -S "$here/cmake_consumer" -B "$work/cmake" \
  -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_C_COMPILER="$cc" \
  -DCMAKE_C_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="$flags" \
  -DHTTPSTATUS_EXPECTED_VERSION="$version"
grep -q "^httpstatus_DIR:PATH=$lib/cmake/httpstatus$" "$work/cmake/CMakeCache.txt" ||
  fail "find_package(httpstatus) finds the moved prefix's package"
ok "find_package(httpstatus $version EXACT) finds the package"
quiet cmake --build "$work/cmake"
[ "$(loaded_from "$work/cmake/consumer_shared")" = "$(readlink -f "$lib/libhttpstatus.so.$version")" ] ||
  fail "the CMake consumer loads the installed library"
ok "httpstatus::httpstatus links the installed shared library"
runs_ok "$work/cmake/consumer_shared" "CMake shared consumer"
if needed "$work/cmake/consumer_static" | grep -q libhttpstatus; then
  fail "httpstatus::httpstatus_static links statically"
fi
runs_ok "$work/cmake/consumer_static" "CMake static consumer"

echo "install: $checks checks passed"
