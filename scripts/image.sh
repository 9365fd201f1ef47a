#!/bin/sh
# SPDX-License-Identifier: MIT
# Builds the container image (Containerfile) around a static httpstatus-serve.
#   scripts/image.sh BINARY TAG [IIDFILE]   (BINARY: the build's httpstatus-serve)
# PODMAN is the command to build with (default: podman; docker works too).
# On machines where podman needs them, add the runtime options:
#   PODMAN="podman --runtime runc --cgroup-manager cgroupfs"
set -eu

[ $# -ge 2 ] || { echo "usage: scripts/image.sh BINARY TAG [IIDFILE]" >&2; exit 2; }
binary=$1 tag=$2 iidfile=${3:-}
root=$(cd "$(dirname "$0")/.." && pwd)
file -L "$binary" | grep -q 'static-pie linked\|statically linked' || {
    echo "image: $binary is not statically linked (build it with make release)" >&2
    exit 1
}
# The build context is a folder holding the stripped binary and nothing else.
context=$(mktemp -d "${TMPDIR:-/tmp}/httpstatus-image.XXXXXX")
trap 'rm -rf "$context"' EXIT
strip -o "$context/httpstatus-serve" "$binary"
# shellcheck disable=SC2086 # PODMAN is a command with its options
${PODMAN:-podman} build --quiet --layers=false -t "$tag" ${iidfile:+--iidfile "$iidfile"} \
    -f "$root/Containerfile" "$context"
