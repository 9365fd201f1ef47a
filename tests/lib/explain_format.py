#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The build-time check of the explanation texts, and the man page made from them.

    explain_format.py GENERATOR TEXT_DIR       malformed texts fail as file:line
    explain_format.py --man MAN_PAGE TEXT_DIR  httpstatus-codes(7) is sound

The malformed texts are variants of a real one (200.txt); each must make the
generator exit 1 with one line on stderr naming the file, the line and the
fault, and write nothing.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

FAILURES = []
CHECKS = 0


def check(cond, what):
    global CHECKS
    CHECKS += 1
    if not cond:
        FAILURES.append(what)
        print("FAIL:", what)


def section_line(lines, name):
    """1-based number of the heading line of section `name`."""
    return lines.index("== " + name) + 1


def variants(base):
    """(name, file name, bytes, expected line or None, expected text)."""
    lines = base.decode().split("\n")[:-1]
    n = {s: section_line(lines, s) for s in
         ("meaning", "send", "clients", "mistakes", "related", "example")}

    def text(ls, end="\n"):
        return ("\n".join(ls) + end).encode()

    def replace(i, new):  # i is 1-based; new is a list of lines
        return lines[:i - 1] + new + lines[i:]

    def body(name):  # 1-based numbers of the section's first and last line
        order = list(n)
        k = order.index(name)
        last = n[order[k + 1]] - 1 if k + 1 < len(order) else len(lines)
        return n[name] + 1, last

    m1, m2 = body("meaning")
    e1, e2 = body("example")
    r1, _ = body("related")
    yield ("no SPDX line", "200.txt", text(lines[1:]), 1, "the first line is")
    yield ("a section missing from the order", "200.txt",
           text(lines[:n["send"] - 1] + lines[n["send"]:]), n["clients"] - 1,
           "'== clients' where '== send' belongs")
    yield ("unknown heading", "200.txt", text(replace(n["meaning"], ["== Meaning"])),
           n["meaning"], "unknown heading '== Meaning'")
    yield ("empty section", "200.txt", text(lines[:m1 - 1] + lines[m2:]), n["meaning"],
           "section '== meaning' is empty")
    yield ("related code not in the catalog", "200.txt", text(replace(r1, ["201 601"])),
           r1, "related code 601 is not in the catalog")
    yield ("related to itself", "200.txt", text(replace(r1, ["201 200"])), r1,
           "200 is related to itself")
    yield ("related twice", "200.txt", text(replace(r1, ["201 204 201"])), r1,
           "related code 201 is listed twice")
    yield ("related not a code", "200.txt", text(replace(r1, ["201 20x"])), r1,
           "'20x' in '== related' is not a status code")
    yield ("line too long", "200.txt", text(replace(m1, ["word " * 20 + "x" * 2])), m1,
           "columns long: wrap it at 100")
    yield ("trailing space", "200.txt", text(replace(m1, [lines[m1 - 1] + " "])), m1,
           "trailing space")
    yield ("tab", "200.txt", text(replace(m1, ["a\tb"])), m1, "tab character")
    yield ("CRLF", "200.txt", text(replace(m1, [lines[m1 - 1] + "\r"])), m1,
           "carriage return")
    bad_utf8 = text(lines[:m1 - 1]) + b"caf\xc3\x28\n" + text(lines[m1:])
    yield ("invalid UTF-8", "200.txt", bad_utf8, m1, "not valid UTF-8")
    yield ("no final newline", "200.txt", text(lines, end=""), len(lines),
           "no newline at the end of the file")
    yield ("text before the first section", "200.txt",
           text(lines[:1] + ["hello"] + lines[1:]), 2, "text before '== meaning'")
    yield ("prose line starting with a space", "200.txt",
           text(replace(m1, ["  indented"])), m1, "starts with a space")
    yield ("unclosed code span", "200.txt", text(replace(m1, ["a `code span"])), m1,
           "is not closed")
    yield ("example without a response", "200.txt",
           text(lines[:e1 - 1] + ["GET / HTTP/1.1", "Host: example.com"]), n["example"],
           "the example has no response")
    yield ("example without a request line", "200.txt",
           text(lines[:e1 - 1] + ["HTTP/1.1 200 OK"]), e1, "starts with a request line")
    yield ("a section after the example", "200.txt", text(lines + ["== meaning", "x"]),
           len(lines) + 1, "after '== example', the last section")
    yield ("the last section missing", "200.txt", text(lines[:n["example"] - 1]),
           n["example"] - 1, "section '== example' is missing")
    yield ("file name not a code", "ok.txt", base, None, "the file name is the code")
    yield ("code not in the catalog", "601.txt", base, None, "601 is not in the catalog")


def run_generator(gen, paths, out_dir):
    env = dict(os.environ, ASAN_OPTIONS="detect_leaks=0")
    table, man = os.path.join(out_dir, "t.inc"), os.path.join(out_dir, "t.7")
    p = subprocess.run([gen, table, man, "0.0.0"] + paths, capture_output=True, env=env)
    return p, table, man


def test_format(gen, text_dir):
    real = sorted(os.path.join(text_dir, f) for f in os.listdir(text_dir) if f.endswith(".txt"))
    with tempfile.TemporaryDirectory() as tmp:
        p, table, man = run_generator(gen, real, tmp)
        check(p.returncode == 0 and p.stderr == b"", f"the real texts pass: {p.stderr[:300]!r}")
        check(os.path.getsize(table) > 0 and os.path.getsize(man) > 0, "both outputs written")
        with open(os.path.join(text_dir, "200.txt"), "rb") as f:
            base = f.read()
        for name, fname, data, line, want in variants(base):
            d = tempfile.mkdtemp(dir=tmp)
            path = os.path.join(d, fname)
            with open(path, "wb") as f:
                f.write(data)
            p, table, man = run_generator(gen, [path], d)
            err = p.stderr.decode(errors="replace")
            prefix = f"{path}:{line}: " if line else f"{path}: "
            check(p.returncode == 1, f"{name}: exit 1, got {p.returncode}")
            check(err.count("\n") == 1 and err.startswith(prefix) and want in err,
                  f"{name}: want one line '{prefix}...{want}...', got {err!r}")
            check(not os.path.exists(table) and not os.path.exists(man),
                  f"{name}: nothing written")
        # Two files for one code.
        d1, d2 = tempfile.mkdtemp(dir=tmp), tempfile.mkdtemp(dir=tmp)
        for d in (d1, d2):
            shutil.copy(os.path.join(text_dir, "200.txt"), d)
        p, _, _ = run_generator(gen, [os.path.join(d1, "200.txt"), os.path.join(d2, "200.txt")], tmp)
        check(p.returncode == 1 and b"a second file for 200" in p.stderr,
              f"two files for one code are refused: {p.stderr!r}")


def test_man(man, text_dir):
    with open(man) as f:
        page = f.read()
    codes = sorted(f[:3] for f in os.listdir(text_dir) if re.fullmatch(r"\d{3}\.txt", f))
    titles = re.findall(r'^\.SS "(\d{3}) ', page, re.M)
    check(titles == codes, f"one .SS per text, in code order: {len(titles)} of {len(codes)}")
    check(page.startswith(".\\\"") and "\n.TH HTTPSTATUS\\-CODES 7 " in page, "a section 7 page")
    for heading in ("Meaning", "When to send it", "What clients do", "Common mistakes",
                    "Related", "Example"):
        check(page.count(f".B {heading}\n") == len(codes), f"every entry has '{heading}'")
    p = subprocess.run(["groff", "-man", "-ww", "-z", man], capture_output=True)
    check(p.returncode == 0 and p.stderr == b"", f"groff finds no problem: {p.stderr[:500]!r}")
    p = subprocess.run(["groff", "-man", "-Tutf8", man], capture_output=True)
    check(b"404 Not Found" in p.stdout or "404" not in codes, "the page renders")


def main():
    if sys.argv[1] == "--man":
        test_man(sys.argv[2], sys.argv[3])
    else:
        test_format(sys.argv[1], sys.argv[2])
    print(f"{CHECKS - len(FAILURES)}/{CHECKS} checks passed")
    return 1 if FAILURES or CHECKS == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
