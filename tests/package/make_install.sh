#!/bin/sh
# SPDX-License-Identifier: MIT
# make install and make uninstall, into a DESTDIR (package_make_install).
#   make_install.sh SOURCE WORK
set -eu

source=$1 work=$2
fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok - $*"; }
rm -rf "$work"
dest=$work/dest
mk() { env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make -C "$source" --no-print-directory BUILD="$work/build" JOBS=2 PREFIX=/usr DESTDIR="$dest" "$@"; }

mk install >"$work.log" 2>&1 || { tail -30 "$work.log" >&2; fail "make install (log: $work.log)"; }
for f in usr/bin/httpstatus usr/libexec/httpstatus/httpstatus-serve usr/include/httpstatus.h usr/share/man/man1/httpstatus-serve.1 \
         usr/share/bash-completion/completions/httpstatus lib/systemd/system/httpstatus.service; do
  [ -f "$dest/$f" ] || fail "make install PREFIX=/usr DESTDIR=... installs /$f"
done
ok "make install PREFIX=/usr DESTDIR=... installs the command, library, man pages, completions, unit"
grep -qx 'ExecStart=/usr/bin/httpstatus serve' \
  "$dest/lib/systemd/system/httpstatus.service" || fail "the unit runs PREFIX/bin/httpstatus"
ok "the installed unit runs /usr/bin/httpstatus"
"$dest/usr/bin/httpstatus" 404 | grep -q '^404 Not Found' || fail "the installed command answers"
ok "the installed command answers 404"
"$dest/usr/bin/httpstatus" serve --version | grep -q '^httpstatus serve ' ||
  fail "the installed httpstatus serve runs PREFIX/libexec/httpstatus/httpstatus-serve"
ok "the installed httpstatus serve runs the installed server"

mk uninstall >>"$work.log" 2>&1 || { tail -30 "$work.log" >&2; fail "make uninstall (log: $work.log)"; }
left=$(find "$dest" ! -type d)
[ -z "$left" ] || fail "make uninstall leaves: $left"
ok "make uninstall removes every file it installed"
if mk uninstall >/dev/null 2>&1; then
  fail "a second make uninstall succeeds with nothing installed"
fi
ok "make uninstall with nothing installed says so and fails"
rm -rf "$work" "$work.log"
