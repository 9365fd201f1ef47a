#!/bin/sh
# SPDX-License-Identifier: MIT
# Installs playwright-core (the page tests drive Debian's chromium with it)
# into the build tree, once: a later run finds it there and downloads
# nothing. npm's own cache (~/.npm) serves a fresh build tree offline.
#   npm_setup.sh BUILD/node
set -eu
dir=$1
[ -f "$dir/node_modules/playwright-core/package.json" ] && exit 0
if ! command -v npm >/dev/null 2>&1; then
    echo "web tests: FAIL: npm is not installed; the page tests need it to install playwright-core" >&2
    exit 1
fi
mkdir -p "$dir"
if ! npm install --prefix "$dir" --prefer-offline --no-audit --no-fund \
        --loglevel=error playwright-core@1; then
    echo "web tests: FAIL: could not install playwright-core from the npm registry" \
         "(npm install --prefix $dir playwright-core@1); the page tests cannot run" >&2
    exit 1
fi
