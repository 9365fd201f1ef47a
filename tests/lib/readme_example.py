#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Compiles the C program in README.md's library section against the build's
libhttpstatus with the project's warnings as errors, runs it, and compares
what it prints with the text block that follows it in the README.

usage: readme_example.py README CC INCLUDE_DIR LIBRARY [FLAG...]
"""
import os
import re
import subprocess
import sys
import tempfile

SECTION = "## The library"


def blocks(section, lang):
    return re.findall(r"^```" + lang + r"\n(.*?)^```$", section, re.S | re.M)


def main():
    readme, cc, include, library, *flags = sys.argv[1:]
    text = open(readme, encoding="utf-8").read()
    start = text.find("\n" + SECTION + "\n")
    if start < 0:
        print(f"README has no '{SECTION}' section")
        return 1
    end = text.find("\n## ", start + 1)
    section = text[start:end if end > 0 else len(text)]
    programs = blocks(section, "c")
    if not programs:
        print(f"no ```c block in '{SECTION}'")
        return 1
    after = section[section.index(programs[0]) + len(programs[0]):]
    outputs = blocks(after, "text")
    if not outputs:
        print("no ```text block (the program's output) after the C block")
        return 1

    with tempfile.TemporaryDirectory() as tmp:
        source = os.path.join(tmp, "example.c")
        binary = os.path.join(tmp, "example")
        with open(source, "w", encoding="utf-8") as f:
            f.write(programs[0])
        cmd = [cc, "-std=c11", "-Werror", *flags, "-I", include, source,
               library, "-o", binary]
        p = subprocess.run(cmd, capture_output=True, text=True)
        if p.returncode != 0:
            print("the README's example does not compile:\n" + " ".join(cmd) + "\n" + p.stderr)
            return 1
        run = subprocess.run([binary], capture_output=True, text=True, timeout=20)
    if run.returncode != 0 or run.stdout != outputs[0]:
        print(f"the README's example exits {run.returncode} and prints:\n{run.stdout}"
              f"{run.stderr}\nthe README says:\n{outputs[0]}")
        return 1
    print(f"README example: compiles cleanly, prints the {len(outputs[0].splitlines())} "
          "lines the README shows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
