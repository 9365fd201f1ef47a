#!/bin/sh
# SPDX-License-Identifier: MIT
# Puts `SPDX-License-Identifier: MIT` on the first line of every source file
# of the repository (after a shebang, zsh's #compdef or a doctype), in the
# file's own comment syntax. Data (test goldens, fuzz corpora, CSV files)
# and prose are left alone.
#   scripts/spdx.sh           add the line where it is missing
#   scripts/spdx.sh --check   list the files without it; exit 1 if there are any
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
check=false
case ${1:-} in
    --check) check=true ;;
    '') ;;
    *) echo "usage: scripts/spdx.sh [--check]" >&2; exit 2 ;;
esac

tag='SPDX-License-Identifier: MIT'

# The repository's files: git's list (tracked and new, ignoring what
# .gitignore ignores), or every file outside build trees without git.
files() {
    if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        git ls-files --cached --others --exclude-standard
    else
        find . -type f ! -path './.git/*' ! -path './build/*' ! -path './obj-*' | sed 's|^\./||'
    fi
}

# The comment line for FILE, or nothing when the file is not source.
comment_for() {
    case $1 in
        tests/cli/golden/* | fuzz/corpus/* | tests/data/* | LICENSE | *.md | *.csv) return ;;
        debian/changelog | debian/copyright | debian/source/* | debian/*.symbols) return ;; # no comments allowed
        */CMakeLists.txt | CMakeLists.txt) echo "# $tag"; return ;;
        *.c | *.h | *.def | *.css | *.js) echo "/* $tag */"; return ;;
        *.html) echo "<!-- $tag -->"; return ;;
        *.[1-8]) echo ".\\\" $tag"; return ;;
        *.sh | *.py | *.bash | *.fish | *.cmake | *.cmake.in | *.pc.in | *.conf.in | *.service | \
        *.service.in | *.yml | *.yaml | *.dict | */_httpstatus | Makefile | Containerfile | \
        .gitignore | .ci/run | debian/rules | debian/control | debian/*.lintian-overrides)
            echo "# $tag"; return ;;
    esac
    # Any other file starting with a shebang is a script.
    head -c 2 "$1" 2>/dev/null | grep -q '^#!' && echo "# $tag"
    return 0
}

# The number of lines of FILE that must stay first: 1 for a shebang, zsh's
# #compdef or an HTML doctype, else 0.
lead_lines() {
    case $(sed -n 1p "$1") in
        '#!'* | '#compdef'* | '<!doctype'* | '<!DOCTYPE'*) echo 1 ;;
        *) echo 0 ;;
    esac
}

# True when FILE carries the tag on the line after its lead lines.
has_tag() {
    sed -n "$(($(lead_lines "$1") + 1))p" "$1" | grep -qF "$tag"
}

# Inserts LINE into FILE after its lead lines (rewriting the file in place
# keeps its mode).
insert() {
    file=$1 line=$2
    tmp=$file.spdx.$$
    lead=$(lead_lines "$file")
    { head -n "$lead" "$file"; printf '%s\n' "$line"; tail -n "+$((lead + 1))" "$file"; } >"$tmp"
    cat "$tmp" >"$file"
    rm -f "$tmp"
}

missing=0
for f in $(files); do
    [ -f "$f" ] || continue
    line=$(comment_for "$f")
    [ -n "$line" ] || continue
    has_tag "$f" && continue
    if $check; then
        echo "spdx: $f: no '$tag' on its first line" >&2
        missing=$((missing + 1))
    else
        insert "$f" "$line"
        echo "spdx: added to $f"
    fi
done
if $check && [ "$missing" -gt 0 ]; then
    echo "spdx: $missing files without the SPDX line; run scripts/spdx.sh to add it" >&2
    exit 1
fi
$check && echo "spdx: every source file has '$tag'"
exit 0
