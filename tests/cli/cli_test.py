#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""End-to-end tests of the httpstatus command, driving the real binary.

    cli_test.py GROUP --bin PATH --source DIR [--build DIR] [--update]

GROUP is one of the functions named test_<group> below; CTest runs each as
cli_<group>. Golden outputs live in tests/cli/golden/<case>.txt: stdout, then
stderr and the exit status. `--update` rewrites them (done once, then read by
eye); without it any difference fails.
"""
import argparse
import json
import os
import pty
import re
import select
import shlex
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.join(HERE, "golden")
ARGS = None
FAILURES = []
CHECKS = 0

# Keys the issue promises at least; the library documents the full list.
JSON_KEYS = {"code", "phrase", "summary", "class", "status", "origin",
             "reference", "url", "aliases"}


def check(cond, what):
    global CHECKS
    CHECKS += 1
    if not cond:
        FAILURES.append(what)
        print("FAIL:", what)


def run(argv, stdin=b"", env=None, stdout=subprocess.PIPE, timeout=20):
    """Runs httpstatus with `argv` (str or bytes items) in a clean env."""
    full_env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C"}
    full_env.update(env or {})
    p = subprocess.run([ARGS.bin] + list(argv), input=stdin, stdout=stdout,
                       stderr=subprocess.PIPE, env=full_env, timeout=timeout)
    return p.returncode, p.stdout or b"", p.stderr


def one_error_line(err, what):
    check(err.endswith(b"\n") and err.count(b"\n") == 1,
          f"{what}: one line on stderr, got {err[:300]!r}")
    check(err.startswith(b"httpstatus: "), f"{what}: stderr names the command: {err[:100]!r}")


# --------------------------------------------------------------------------
# Golden outputs

def case(name, *argv, env=None, stdin=None):
    return (name, list(argv), env or {}, stdin)


GOLDEN_CASES = [
    case("code_404", "404"),
    case("code_451", "451"),
    case("code_499", "499"),
    case("code_103", "103"),
    case("code_599", "599"),
    case("several", "200", "404", "503"),
    case("pattern_4xx", "4xx"),
    case("pattern_41x", "41x"),
    case("pattern_4", "4"),
    case("pattern_1XX", "1XX"),
    case("search_too_many_requests", "search", "too", "many", "requests"),
    case("search_payload_too_large", "search", "payload", "too", "large"),
    case("search_quoted", "search", "PAYLOAD TOO LARGE"),
    case("search_nginx", "search", "nginx"),
    case("word_teapot", "teapot"),
    case("words_joined", "too", "many", "requests"),
    case("code_and_word", "404", "teapot"),
    case("list", "list"),
    case("list_standard", "list", "--standard"),
    case("list_unofficial", "list", "--unofficial"),
    case("list_class_4", "list", "--class", "4"),
    case("list_class_5xx", "list", "--class=5xx"),
    case("list_origin_nginx", "list", "--origin", "nginx"),
    case("list_status_unused", "list", "--status=unused"),
    case("list_two_classes", "list", "--class", "1", "--class", "2"),
    case("list_no_match", "list", "--class", "1", "--origin", "nginx"),
    case("filter_on_pattern", "5xx", "--unofficial"),
    case("verbose_404", "-v", "404"),
    case("verbose_451", "--verbose", "451"),
    case("verbose_headers", "-v", "101", "206", "301", "401", "405", "407", "503"),
    case("verbose_no_content", "-v", "204", "304"),
    case("verbose_aliases", "-v", "413", "422"),
    case("json_404", "--json", "404"),
    case("json_several", "-j", "200", "451"),
    case("json_none", "--json", "601"),
    case("json_search", "--json", "search", "payload", "too", "large"),
    case("json_verbose", "-vj", "418"),
    case("not_found_601", "601"),
    case("not_found_999_class", "9xx", "--standard"),
    case("not_found_words", "search", "zzzz", "unknownword"),
    case("not_found_partial", "404", "601"),
    case("not_found_filter", "404", "--unofficial"),
    case("color_always", "--color=always", "100", "200", "301", "404", "500"),
    case("color_bare", "--color", "404"),
    case("color_always_beats_no_color", "--color=always", "404", env={"NO_COLOR": "1"}),
    case("color_never", "--color=never", "404"),
    case("color_verbose", "--color=always", "-v", "429"),
    case("version", "--version"),
    case("version_short", "-V"),
    case("help", "--help"),
    case("help_short", "-h"),
    case("options_after", "404", "-v", "--json"),
    case("double_dash", "--", "404"),
    case("bad_empty", ""),
    case("bad_blank", "   "),
    case("bad_zero", "0"),
    case("bad_minus_one", "-1"),
    case("bad_1000", "1000"),
    case("bad_4x4x", "4x4x"),
    case("pattern_4x4", "4x4"),
    case("pattern_40", "40"),
    case("pattern_xx9", "xx9"),
    case("class_client_error", "client", "error"),
    case("class_informational", "informational"),
    case("search_rate_limit", "search", "rate", "limit"),
    case("search_redirect", "redirect"),
    case("search_not_found", "Not", "Found"),
    case("search_no_content", "no", "content"),
    case("search_constant", "TOO_MANY_REQUESTS"),
    case("search_constant_dotted", "search", "HTTPStatus.NOT_FOUND"),
    case("verbose_levels", "-v", "416", "421", "451"),
    case("bad_099", "099"),
    case("bad_0xx", "0xx"),
    case("bad_non_utf8", b"\xff\xfe\xc3"),
    case("bad_unknown_long", "--frobnicate"),
    case("bad_unknown_short", "-z"),
    case("bad_unknown_in_cluster", "-vq", "404"),
    case("bad_value_on_flag", "--verbose=yes", "404"),
    case("bad_missing_value", "list", "--class"),
    case("bad_class", "list", "--class", "9"),
    case("bad_class_word", "list", "--class=four"),
    case("bad_status", "list", "--status", "famous"),
    case("bad_color", "--color=sometimes", "404"),
    case("bad_origin_empty", "list", "--origin="),
    case("bad_nothing", ),
    case("bad_list_args", "list", "404"),
    case("bad_search_no_words", "search"),
    case("bad_dash_with_args", "-", "404"),
    case("bad_args_with_dash", "404", "-"),
    case("bad_serve_later", "404", "serve"),
    case("explain_404", "explain", "404"),
    case("explain_json_307", "--json", "explain", "307"),
    case("explain_unknown_601", "explain", "601"),
    case("explain_bad_4xx", "explain", "4xx"),
    case("stdin_redirect_chain", "-", stdin="redirect_chain.in"),
    case("stdin_http1", "-", stdin="http1_mixed.in"),
    case("stdin_json", "--json", "-", stdin="redirect_chain.in"),
    case("stdin_no_status_line", "-", stdin="no_status.in"),
]


def render(argv, code, out, err):
    shown = " ".join(shlex.quote(a) if isinstance(a, str) else repr(a) for a in argv)
    return (b"$ httpstatus " + shown.encode() + b"\n" + out +
            b"--- stderr\n" + err + b"--- exit " + str(code).encode() + b"\n")


def test_golden():
    for name, argv, env, stdin_name in GOLDEN_CASES:
        stdin = b""
        if stdin_name:
            with open(os.path.join(GOLDEN, stdin_name), "rb") as f:
                stdin = f.read()
        code, out, err = run(argv, stdin=stdin, env=env)
        got = render(argv, code, out, err)
        path = os.path.join(GOLDEN, name + ".txt")
        if ARGS.update:
            with open(path, "wb") as f:
                f.write(got)
            continue
        try:
            with open(path, "rb") as f:
                want = f.read()
        except FileNotFoundError:
            want = None
        check(got == want, f"golden {name}: output differs from {path}")
        if got != want and want is not None:
            sys.stdout.write(f"--- want\n{want.decode(errors='replace')}--- got\n"
                             f"{got.decode(errors='replace')}")


def test_exit_codes():
    expect = [(["404"], 0), (["200", "404", "503"], 0), (["4xx"], 0),
              (["teapot"], 0), (["list"], 0), (["601"], 1), (["600"], 1),
              (["404", "601"], 1), (["search", "zzzz"], 1), (["--json", "601"], 1),
              (["4x4x"], 2), (["4x4"], 0), (["0"], 2), (["-1"], 2), (["1000"], 2), ([""], 2),
              (["--nope"], 2), ([], 2), (["--help"], 0), (["--version"], 0)]
    for argv, want in expect:
        code, out, err = run(argv)
        check(code == want, f"exit status of {argv}: want {want}, got {code}")
        if want == 2:
            one_error_line(err, f"usage error {argv}")
            check(out == b"", f"usage error {argv}: nothing on stdout, got {out[:80]!r}")
        if want == 1 and "--json" not in argv:
            one_error_line(err, f"nothing found {argv}")
        if want == 0:
            check(err == b"", f"{argv}: nothing on stderr, got {err[:120]!r}")


def test_lookup():
    """Facts the output must show, checked against the library's own answers
    through --json (so no phrase is written here)."""
    code, out, _ = run(["--json", "451"])
    meanings = json.loads(out)
    check(len(meanings) >= 2, "451 has several meanings")
    check(meanings[0]["status"] == "standard", "the registered 451 comes first")
    code, plain, _ = run(["451"])
    lines = plain.decode().splitlines()
    check(len(lines) == len(meanings), "one line per meaning of 451")
    for line, m in zip(lines, meanings):
        check(line == f"{m['code']} {m['phrase']} - {m['summary']} ({m['origin']})",
              f"451 line shows code, phrase, summary and origin: {line!r}")
    origins = [m["origin"] for m in json.loads(run(["--json", "499"])[1])]
    check(any("nginx" in o for o in origins), f"499 includes nginx's meaning: {origins}")
    for pattern, prefix in (("4xx", "4"), ("41x", "41"), ("4", "4"), ("5XX", "5")):
        codes = [m["code"] for m in json.loads(run(["--json", pattern])[1])]
        check(codes and all(str(c).startswith(prefix) for c in codes),
              f"{pattern} gives only codes starting {prefix}")
        check(codes == sorted(codes), f"{pattern} is in code order")
    codes = [m["code"] for m in json.loads(run(["--json", "40"])[1])]
    check(codes and all(400 <= c <= 409 for c in codes), f"40 is 400-409: {codes}")
    codes = [m["code"] for m in json.loads(run(["--json", "4x4"])[1])]
    check(404 in codes and 414 in codes and all(c // 100 == 4 and c % 10 == 4 for c in codes),
          f"4x4 is 404, 414, ...: {codes}")
    for name, cls in (("informational", 1), ("success", 2), ("redirection", 3),
                      ("client error", 4), ("Server Error", 5)):
        codes = [m["code"] for m in json.loads(run(["--json"] + name.split())[1])]
        want = [m["code"] for m in json.loads(run(["--json", str(cls)])[1])]
        check(codes == want, f"'{name}' lists class {cls}xx")
    all_4 = [m["code"] for m in json.loads(run(["--json", "list", "--class", "4"])[1])]
    check(all_4 == [m["code"] for m in json.loads(run(["--json", "4xx"])[1])],
          "list --class 4 is the same as 4xx")
    hits = [m["code"] for m in json.loads(run(["--json", "search", "payload", "too", "large"])[1])]
    check(413 in hits, f"'payload too large' finds 413: {hits}")
    hits = [m["code"] for m in json.loads(run(["--json", "teapot"])[1])]
    check(418 in hits, f"bare word teapot finds 418: {hits}")
    hits = [m["code"] for m in json.loads(run(["--json", "search", "too", "many", "requests"])[1])]
    check(429 in hits, f"'too many requests' finds 429: {hits}")
    for flag, status in (("--standard", "standard"), ("--unofficial", "unofficial")):
        entries = json.loads(run(["--json", "list", flag])[1])
        check(entries and all(e["status"] == status for e in entries),
              f"list {flag} gives only {status} entries")
    entries = json.loads(run(["--json", "list", "--origin", "NGINX"])[1])
    check(entries and all("nginx" in e["origin"].lower() for e in entries),
          "list --origin is a case-insensitive match on the origin")
    everything = json.loads(run(["--json", "list"])[1])
    listed = run(["list"])[1].decode().splitlines()
    check(len(listed) == len(everything) and len(listed) > 100,
          f"list prints the whole catalog, one line each ({len(listed)})")


def test_json():
    cases = [["--json", "404"], ["--json", "200", "404", "503"], ["--json", "4xx"],
             ["--json", "teapot"], ["--json", "list"], ["--json", "-v", "451"],
             ["--json", "--color=always", "404"]]
    for argv in cases:
        code, out, err = run(argv)
        try:
            doc = json.loads(out)
        except ValueError as e:
            check(False, f"{argv}: stdout is one JSON document ({e})")
            continue
        check(isinstance(doc, list) and doc, f"{argv}: a non-empty array")
        for obj in doc:
            missing = JSON_KEYS - set(obj)
            check(not missing, f"{argv}: object {obj.get('code')} lacks {missing}")
        check(b"\033" not in out, f"{argv}: no colour in JSON")
    doc = json.loads(run(["--json", "200", "404", "503"])[1])
    check({200, 404, 503} <= {o["code"] for o in doc}, "several codes in one array")
    check([o["code"] for o in doc] == sorted(o["code"] for o in doc),
          "several codes in argument order")
    for argv in (["--json", "601"], ["--json", "search", "zzzz"], ["--json", "404", "--unofficial"]):
        code, out, err = run(argv)
        check(out == b"[]\n", f"{argv}: prints [] for no result, got {out!r}")
        check(code == 1, f"{argv}: exit 1")
    out = run(["--json", "list"])[1]
    check(all(ord(" ") <= b < 0x7f or b == 0x0a for b in out),
          "JSON output is printable ASCII (escaped as needed)")


def test_color():
    esc = b"\033["
    for argv, env, want in ((["--color=always", "404"], {}, True),
                            (["--color=always", "404"], {"NO_COLOR": "1"}, True),
                            (["--color", "404"], {"NO_COLOR": "1"}, True),
                            (["--color=never", "404"], {}, False),
                            (["--color=auto", "404"], {}, False),
                            (["404"], {}, False)):
        out = run(argv, env=env)[1]
        check((esc in out) == want, f"{argv} {env} to a pipe: colour {want}")
    # --color=auto on a terminal.
    for argv, env, want in ((["404"], {}, True),
                            (["404"], {"NO_COLOR": "1"}, False),
                            (["404"], {"NO_COLOR": ""}, True),
                            (["404"], {"TERM": "dumb"}, False),
                            (["--color=never", "404"], {}, False),
                            (["--color=always", "404"], {"NO_COLOR": "1"}, True)):
        out = run_on_tty(argv, env)
        check((esc in out) == want, f"{argv} {env} on a terminal: colour {want}, got {out!r}")
    colored = run(["--color=always", "4xx"])[1]
    plain = run(["4xx"])[1]
    check(re.sub(rb"\033\[[0-9;]*m", b"", colored) == plain,
          "colour adds only SGR sequences to the plain output")
    classes = {}
    for code in ("100", "200", "301", "404", "500"):
        out = run(["--color=always", code])[1]
        classes[code] = out[:out.index(b"m") + 1]
    check(len(set(classes.values())) == 5, f"each class has its own colour: {classes}")


def run_on_tty(argv, env):
    full_env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "TERM": "xterm"}
    full_env.update(env)
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(ARGS.bin, [ARGS.bin] + argv, full_env)
    out = b""
    while True:
        ready, _, _ = select.select([fd], [], [], 10)
        if not ready:
            break
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    os.waitpid(pid, 0)
    os.close(fd)
    return out


def strip_annotations(out):
    return b"".join(l for l in out.splitlines(keepends=True) if not l.startswith(b"# "))


def test_annotate():
    with open(os.path.join(GOLDEN, "redirect_chain.in"), "rb") as f:
        chain = f.read()
    code, out, err = run(["-"], stdin=chain)
    check(code == 0 and err == b"", "annotating a redirect chain succeeds")
    check(strip_annotations(out) == chain, "input is copied through byte for byte")
    notes = [l for l in out.splitlines(keepends=True) if l.startswith(b"# ")]
    statuses = [l for l in chain.splitlines() if l.startswith(b"HTTP/")]
    check(len(notes) == len(statuses) == 2, f"every hop is annotated: {notes}")
    check(all(n.endswith(b"\r\n") for n in notes), "annotations end in CRLF like their line")
    for line, note in zip(statuses, notes):
        code_text = line.split()[1]
        check(note.startswith(b"# " + code_text + b" "), f"{note!r} follows {line!r}")
    # The phrase and summary come from the library: the same as a lookup.
    for line, note in zip(statuses, notes):
        lookup = run([line.split()[1].decode()])[1].splitlines()[0]
        check(note == b"# " + lookup + b"\r\n", f"annotation {note!r} is the lookup line")

    # A line far longer than any buffer, binary bytes, NUL, and no final newline.
    long_line = b"X-Long: " + b"a" * (3 * 65536 + 17) + b"\n"
    blob = (b"HTTP/1.1 200 OK\n" + long_line + b"\xff\xfe\x00\x80 raw\r\n" +
            b"HTTP/1.0 404 Not Found\r\n" + b"HTTP/1.1 " + b"9" * 9000 + b"\n" +
            b"HTTP/2 503")
    code, out, err = run(["-"], stdin=blob)
    check(code == 0 and err == b"", f"binary input: exit 0, quiet ({code}, {err[:100]!r})")
    # The unterminated last status line gets a newline before its annotation.
    check(strip_annotations(out) == blob + b"\n",
          "long lines, binary bytes and NUL pass through unchanged")
    check(out.count(b"\n# ") == 3, "three status lines annotated (oversized one not)")

    big = b"Z" * (1 << 20) + b"\n"
    code, out, err = run(["-"], stdin=big)
    check(out == big and code == 1, f"a 1 MB line without status lines: copied, exit 1 ({code})")
    code, out, err = run(["-"], stdin=b"")
    check(out == b"" and code == 1, "empty input: no output, exit 1")
    code, out, err = run(["-"], stdin=b"HTTP/1.1 451 Redirect\n")
    doc451 = json.loads(run(["--json", "451"])[1])
    ms = [m for m in doc451 if m["phrase"] == "Redirect"]
    if ms:
        check(out.endswith(f"({ms[0]['origin']})\n".encode()),
              f"451 Redirect is annotated with Microsoft's meaning: {out!r}")
    else:
        check(False, "the catalog has 451 Redirect")
    code, out, err = run(["--json", "-"], stdin=chain)
    codes = [o["code"] for o in json.loads(out)]
    check(codes == [int(s.split()[1]) for s in statuses], f"--json - gives each hop: {codes}")


def test_bad_input():
    for n in (CLI_ARG_MAX + 1, 131071):
        code, out, err = run(["a" * n])
        check(code == 2 and out == b"", f"{n}-byte argument: usage error, got {code}")
        one_error_line(err, f"{n}-byte argument")
        check(len(err) < 200, f"{n}-byte argument: the error does not echo it ({len(err)} bytes)")
    # A single argument is limited to 128 KiB by Linux; 1 MB arrives as
    # several arguments that make one search.
    code, out, err = run(["b" * 131071] * 8)
    check(code == 2 and out == b"" and len(err) < 200, "1 MB of arguments: one short error")
    code, out, err = run(["9" * 131071])
    check(code == 2 and len(err) < 200, "a 128 KiB number: one short error")
    code, out, err = run(["search", "w" * CLI_ARG_MAX])
    check(code == 1, f"a {CLI_ARG_MAX}-byte word is searched (nothing found), got {code}")
    code, out, err = run([b"\xff\xfe"])
    check(code == 1 and b"\\xff\\xfe" in err, f"non-UTF-8 bytes are shown escaped: {err!r}")
    code, out, err = run(["--json", b"caf\xc3\xa9", b"\xc3\x28"])
    check(code == 1 and out == b"[]\n", "non-UTF-8 search in JSON: []")
    code, out, err = run([b"\x1b[31mred\x07"])
    check(b"\x1b" not in err and b"\x07" not in err, "control bytes never reach the terminal")
    for argv in (["0"], ["-1"], ["1000"], ["601"], ["4x4x"], ["--bogus"], [""]):
        code, out, err = run(argv)
        check(code in (1, 2), f"{argv}: non-zero exit")
        one_error_line(err, f"{argv}")
    for arg in ("0", "-1", "1000", "099"):
        code, out, err = run([arg])
        check(code == 2 and f"'{arg}' is not a status code (three digits, 100-999)".encode() in err,
              f"{arg}: the error says what a status code is: {err!r}")
    code, out, err = run(["4x4x"])
    check(err == b"httpstatus: '4x4x' is neither a status code, a pattern like 4xx, "
          b"nor a search word (try 'httpstatus --help')\n", f"the 4x4x message: {err!r}")


def test_closed_stdout():
    for argv in (["list"], ["-v", "list"], ["--json", "list"], ["404"], ["--help"],
                 ["explain", "404"]):
        r, w = os.pipe()
        os.close(r)
        code, _, err = run(argv, stdout=w)
        os.close(w)
        check(code == 1 and err == b"", f"{argv} into a closed pipe: exit 1 quietly, "
              f"got {code} {err!r}")
    # `yes | httpstatus - | head -1` must end, not read forever.
    result = annotate_into_head_1(["yes", "HTTP/1.1 200 OK"])
    check(result == (1, b""), f"endless input, closed output: exit 1 quietly, got {result}")
    if os.path.exists("/dev/full"):
        with open("/dev/full", "wb") as full:
            code, _, err = run(["list"], stdout=full)
        check(code == 1, "writing to /dev/full: exit 1")
        one_error_line(err, "writing to /dev/full")
        check(b"No space" in err, f"/dev/full: the error names the cause: {err!r}")


def annotate_into_head_1(feeder_argv):
    """Runs `FEEDER | httpstatus - | head -1`; returns (exit status, stderr)
    of httpstatus, or None when it did not end within 30 s."""
    feeder = subprocess.Popen(feeder_argv, stdout=subprocess.PIPE)
    r, w = os.pipe()
    reader = os.fdopen(r, "rb")
    p = subprocess.Popen([ARGS.bin, "-"], stdin=feeder.stdout, stdout=w,
                         stderr=subprocess.PIPE)
    os.close(w)
    feeder.stdout.close()
    reader.readline()
    reader.close()
    try:
        _, err = p.communicate(timeout=30)
        result = (p.returncode, err)
    except subprocess.TimeoutExpired:
        p.kill()
        p.communicate()
        result = None
    feeder.kill()
    feeder.wait()
    return result


def test_annotate_closed_stdout():
    """Issue 12: `yes 'HTTP/1.1 404 Not Found' | head -c 5000000 |
    httpstatus - | head -1` ends quietly with status 1, every time (the
    flush's EPIPE used to be lost and reported as an I/O error)."""
    for attempt in range(8):
        result = annotate_into_head_1(
            ["sh", "-c", "yes 'HTTP/1.1 404 Not Found' | head -c 5000000"])
        check(result == (1, b""), f"run {attempt}: 5 MB of status lines into head -1: "
              f"exit 1 quietly, got {result}")


def test_annotate_full():
    """Issue 12: `httpstatus - > /dev/full` names the cause."""
    if not os.path.exists("/dev/full"):
        check(False, "/dev/full exists on this system")
        return
    for data in (b"HTTP/1.1 200 OK\n", b"HTTP/1.1 404 Not Found\n" * 100000):
        with open("/dev/full", "wb") as full:
            code, _, err = run(["-"], stdin=data, stdout=full)
        check(code == 1, f"httpstatus - > /dev/full ({len(data)} bytes): exit 1, got {code}")
        one_error_line(err, "httpstatus - > /dev/full")
        check(err == b"httpstatus: cannot write output: No space left on device\n",
              f"httpstatus - > /dev/full: the error names the cause: {err!r}")


def option_names(text):
    return set(re.findall(r"(?<![\w-])(--[a-z][a-z-]*|-[a-zA-Z])(?![\w-])", text))


def man_page(name):
    """(roff source, plain text, OPTIONS section as plain text) of man/NAME."""
    with open(os.path.join(ARGS.source, "man", name)) as f:
        man = f.read()
    man_text = re.sub(r"\\f[BIRP]", "", man.replace("\\-", "-"))
    return man, man_text, man_text.split(".SH OPTIONS")[1].split(".SH")[0]


def help_layout(text, what):
    """The layout --help shares with serve --help: Usage first, Options, Exit status last,
    every line within 79 columns, options as "-x, --name VALUE", help listed last."""
    lines = text.splitlines()
    check(lines[0].startswith("Usage: httpstatus"), f"{what}: starts with Usage:")
    check("Options:" in lines, f"{what}: has an Options: section")
    check(lines[-1].startswith("Exit status: "), f"{what}: ends with Exit status:")
    check(all(len(line) <= 79 for line in lines),
          f"{what}: every line within 79 columns: {[ln for ln in lines if len(ln) > 79]}")
    options = lines[lines.index("Options:") + 1:]
    check(re.match(r"  -h, --help  +print this help and exit$", options[options.index("") - 1]),
          f"{what}: -h, --help is the last option")
    check(re.search(r"^  -V, --version  +print the version", text, re.M),
          f"{what}: -V, --version")
    check(not re.search(r"^  (-\w, |    )--[a-z-]+=", text, re.M),
          f"{what}: a value is shown after a space (--name VALUE)")


def test_help_man():
    help_text = run(["--help"])[1].decode()
    man, man_text, options_section = man_page("httpstatus.1")
    in_help, in_man = option_names(help_text), option_names(options_section)
    check(in_help == in_man, f"--help and man OPTIONS name the same options: "
          f"only in help {in_help - in_man}, only in man {in_man - in_help}")
    check(len(in_help) >= 12, f"the options were found: {sorted(in_help)}")
    help_layout(help_text, "httpstatus --help")
    if ARGS.have_serve:
        serve_help = run(["serve", "--help"], timeout=10)[1].decode()
        _, _, serve_options = man_page("httpstatus-serve.1")
        # The options the page describes: the heading line after each .TP (its prose
        # names other programs' options too: curl --cacert).
        headings = "\n".join(re.findall(r"^\.TP\n(.*)$", serve_options, re.M))
        in_help, in_man = option_names(serve_help), option_names(headings)
        check(in_help == in_man, f"serve --help and httpstatus-serve(1) OPTIONS name the same "
              f"options: only in help {in_help - in_man}, only in man {in_man - in_help}")
        help_layout(serve_help, "httpstatus serve --help")
    for word in ("search", "list", "explain", "serve", "NO_COLOR", "httpstatus-serve",
                 "httpstatus-codes"):
        check(word in help_text and word in man_text, f"{word} is in --help and the man page")
    status_line = re.search(r"--status NAME\s+.*?:\n\s+(.*)", help_text).group(1)
    for name in status_line.split(", "):
        check(f"fB{name}" in man.replace("\\fB", "fB"), f"man lists status {name}")
    check(f"httpstatus {run(['--version'])[1].decode().split()[1]}" in man,
          "man page names the current version")
    if shutil.which("groff"):
        p = subprocess.run(["groff", "-man", "-ww", "-z",
                            os.path.join(ARGS.source, "man", "httpstatus.1")],
                           capture_output=True)
        check(p.returncode == 0 and p.stderr == b"", f"groff finds no problem: {p.stderr!r}")
    else:
        check(False, "groff is installed (scripts/deps.sh) to check the man page")


def test_readme():
    with open(os.path.join(ARGS.source, "README.md")) as f:
        readme = f.read()
    blocks = re.findall(r"```console\n(.*?)```", readme, re.S)
    commands = 0
    for block in blocks:
        for cmd, want in split_console(block):
            if not cmd.startswith("httpstatus"):
                continue
            commands += 1
            env = dict(os.environ, PATH=os.path.dirname(ARGS.bin) + ":" + os.environ["PATH"])
            env.pop("NO_COLOR", None)
            p = subprocess.run(["sh", "-c", cmd], capture_output=True, env=env)
            got = p.stdout.decode()
            check(got == want, f"README `$ {cmd}` shows the real output")
            if got != want:
                print(f"--- README\n{want}--- real\n{got}")
    check(commands >= 5, f"the README shows examples ({commands})")


def split_console(block):
    """Yields (command, expected output) from a ```console block."""
    cmd, out = None, []
    for line in block.splitlines(keepends=True):
        if line.startswith("$ "):
            if cmd is not None:
                yield cmd, "".join(out)
            cmd, out = line[2:].rstrip("\n"), []
        else:
            out.append(line)
    if cmd is not None:
        yield cmd, "".join(out)


def long_options(argv):
    return {o for o in option_names(run(argv, timeout=10)[1].decode()) if o.startswith("--")}


def test_completions():
    help_opts = long_options(["--help"])
    # The server's options, from the server itself (a build without it has none to ask).
    serve_opts = long_options(["serve", "--help"]) if ARGS.have_serve else set()
    check(not ARGS.have_serve or "--port" in serve_opts, f"serve --help lists --port: {serve_opts}")
    comp = os.path.join(ARGS.source, "src", "cli", "completions")
    for name in ("httpstatus.bash", "_httpstatus", "httpstatus.fish"):
        with open(os.path.join(comp, name)) as f:
            text = f.read()
        if name.endswith(".fish"):
            found = {"--" + o for o in re.findall(r"-l (\w[\w-]*)", text)}
        else:
            found = {o.rstrip("=") for o in re.findall(r"--[a-z][a-z-]*=?", text)}
        check(help_opts <= found, f"{name} offers the options of --help: missing {help_opts - found}")
        check(serve_opts <= found,
              f"{name} offers the options of serve --help: missing {serve_opts - found}")
        if ARGS.have_serve:
            check(found <= help_opts | serve_opts,
                  f"{name} offers no other option: extra {found - help_opts - serve_opts}")
        for command in ("list", "search", "explain", "serve"):
            check(re.search(rf"\b{command}\b", text), f"{name} offers the command {command}")
    env = dict(os.environ, PATH=os.path.dirname(ARGS.bin) + ":" + os.environ["PATH"])

    def complete(words):
        script = (f"source {shlex.quote(os.path.join(comp, 'httpstatus.bash'))}\n"
                  f"COMP_WORDS=({' '.join(shlex.quote(w) for w in words)})\n"
                  f"COMP_CWORD={len(words) - 1}\n_httpstatus\n"
                  'printf "%s\\n" "${COMPREPLY[@]}"\n')
        p = subprocess.run(["bash", "-c", script], capture_output=True, env=env)
        return p.stdout.decode().split()

    check("404" in complete(["httpstatus", "40"]), "bash completes codes from the catalog")
    check(set(complete(["httpstatus", "--col"])) >= {"--color"}, "bash completes options")
    check(complete(["httpstatus", "--color", "a"]) == ["auto", "always"], "bash completes --color")
    check("list" in complete(["httpstatus", "l"]), "bash completes commands")
    check(complete(["httpstatus", "ex"]) == ["explain"], "bash completes explain")
    check("404" in complete(["httpstatus", "explain", "40"]), "bash completes codes after explain")
    for cls in complete(["httpstatus", "--class", ""]):
        check(run(["list", "--class", cls])[0] == 0, f"completed class {cls} is accepted")
    for status in complete(["httpstatus", "--status", ""]):
        check(run(["list", "--status", status])[0] in (0, 1), f"completed status {status} is accepted")
    if ARGS.have_serve:
        check(set(complete(["httpstatus", "serve", "--"])) == serve_opts,
              "bash completes serve's options after serve, and only those")
        check(complete(["httpstatus", "serve", "--port", ""]) == [], "bash offers nothing for a port")


def test_serve():
    code, out, err = run(["serve", "--help"], timeout=10)
    missing = b"built without 'serve'" in err
    if ARGS.have_serve:
        check(not missing and code == 0, f"serve --help reaches the server ({code}, {err[:120]!r})")
    else:
        check(missing and code == 2, f"without the server, serve is one error line ({code})")
        one_error_line(err, "serve without the server")


def test_serve_missing():
    # The command alone, without httpstatus-serve next to it or in ../libexec.
    with tempfile.TemporaryDirectory() as folder:
        lone = os.path.join(folder, "httpstatus")
        shutil.copy(ARGS.bin, lone)
        p = subprocess.run([lone, "serve", "--port", "0"], capture_output=True, timeout=10)
        check(p.returncode == 2, f"serve without httpstatus-serve exits 2 ({p.returncode})")
        one_error_line(p.stderr, "serve without httpstatus-serve")
        check(p.stderr.startswith(b"httpstatus: serve is not installed (looked in ")
              and os.path.join(folder, "httpstatus-serve").encode() in p.stderr,
              f"serve without httpstatus-serve says where it looked: {p.stderr!r}")


def test_serve_direct():
    # httpstatus-serve run by itself takes the options of httpstatus serve.
    server = os.path.join(os.path.dirname(ARGS.bin), "httpstatus-serve")
    direct = subprocess.run([server, "--help"], capture_output=True, timeout=10)
    code, out, _ = run(["serve", "--help"], timeout=10)
    check(direct.returncode == 0 and code == 0 and direct.stdout == out,
          f"httpstatus-serve --help is httpstatus serve --help ({direct.returncode}, {code})")
    p = subprocess.run([server, "--port", "x"], capture_output=True, timeout=10)
    check(p.returncode == 2 and b"--port" in p.stderr,
          f"httpstatus-serve refuses a bad option with exit 2 ({p.returncode}, {p.stderr[:100]!r})")


def test_install():
    with tempfile.TemporaryDirectory() as prefix:
        p = subprocess.run(["cmake", "--install", ARGS.build, "--prefix", prefix],
                           capture_output=True)
        check(p.returncode == 0, f"cmake --install succeeds: {p.stderr[-400:]!r}")
        expect = ["bin/httpstatus", "share/man/man1/httpstatus.1",
                  "share/bash-completion/completions/httpstatus",
                  "share/zsh/site-functions/_httpstatus",
                  "share/fish/vendor_completions.d/httpstatus.fish",
                  "share/man/man7/httpstatus-codes.7"]
        for rel in expect:
            check(os.path.isfile(os.path.join(prefix, rel)), f"installs {rel}")
        if ARGS.have_serve:
            check(os.path.isfile(os.path.join(prefix, "libexec/httpstatus/httpstatus-serve")),
                  "installs libexec/httpstatus/httpstatus-serve")
        # A moved prefix still works: the command finds the server relative to itself.
        moved = prefix + ".moved"
        os.rename(prefix, moved)
        try:
            binary = os.path.join(moved, "bin", "httpstatus")
            if os.path.isfile(binary):
                q = subprocess.run([binary, "404"], capture_output=True)
                check(q.returncode == 0 and q.stdout.startswith(b"404 "), "the installed command runs")
            if ARGS.have_serve:
                q = subprocess.run([binary, "serve", "--version"], capture_output=True, timeout=10)
                check(q.returncode == 0 and q.stdout.startswith(b"httpstatus serve "),
                      f"serve in a moved prefix runs its httpstatus-serve ({q.returncode}, {q.stderr!r})")
        finally:
            os.rename(moved, prefix)


EXPLAIN_KEYS = ["code", "phrase", "meaning", "send", "clients", "mistakes", "related",
                "example"]
EXPLAIN_TITLES = [("Meaning", "meaning"), ("When to send it", "send"),
                  ("What clients do", "clients"), ("Common mistakes", "mistakes")]
SGR = re.compile(rb"\033\[[0-9;]*m")


def explained(code):
    code_, out, err = run(["--json", "explain", str(code)])
    check(code_ == 0 and err == b"", f"explain {code}: exit 0, quiet ({code_}, {err[:200]!r})")
    doc = json.loads(out)
    check(len(doc) == 1, f"explain {code}: one object")
    return doc[0]


def test_explain():
    phrases = {m["code"]: m["phrase"] for m in reversed(json.loads(run(["--json", "list"])[1]))}
    sample = (100, 101, 103, 200, 204, 206, 301, 302, 303, 304, 307, 308, 404, 451, 503)
    for code in sample:
        x = explained(code)
        check(list(x) == EXPLAIN_KEYS, f"explain {code}: keys in order: {list(x)}")
        check(x["code"] == code and x["phrase"] == phrases[code], f"explain {code}: code, phrase")
        for key in EXPLAIN_KEYS[2:6] + ["example"]:
            check(isinstance(x[key], str) and x[key].strip(), f"explain {code}: {key} filled")
        check(x["related"] and all(isinstance(r, int) and r in phrases and r != code
                                   for r in x["related"]),
              f"explain {code}: related codes are other catalog codes: {x['related']}")
        check_plain(code, x, phrases)
    doc = json.loads(run(["--json", "explain", "302", "303", "307"])[1])
    check([x["code"] for x in doc] == [302, 303, 307], "several codes, in argument order")
    # Each explanation names the codes people confuse it with.
    for code, others in ((302, (303, 307)), (303, (302, 307)), (307, (302, 303)),
                         (301, (308,)), (308, (301,))):
        text = explained(code)["mistakes"]
        check(all(str(o) in text for o in others), f"{code}'s mistakes name {others}")

    # Colour adds only SGR sequences; headings and codes are coloured.
    plain = run(["explain", "404"])[1]
    colored = run(["--color=always", "explain", "404"])[1]
    check(SGR.sub(b"", colored) == plain and colored != plain,
          "explain --color=always is the plain text plus SGR sequences")
    check(b"\033" not in run(["--json", "--color=always", "explain", "404"])[1],
          "no colour in explain --json")

    # Codes without an explanation, and arguments that are not codes.
    for argv in (["explain", "601"], ["explain", "600"]):
        code, out, err = run(argv)
        check(code == 1 and out == b"", f"{argv}: exit 1, nothing on stdout ({code})")
        one_error_line(err, f"{argv}")
    code, out, err = run(["explain", "404", "601"])
    check(code == 1 and out.startswith(b"404 Not Found"), "explain 404 601: 404 shown, exit 1")
    one_error_line(err, "explain 404 601")
    code, out, err = run(["--json", "explain", "601"])
    check(code == 1 and out == b"[]\n", f"--json explain 601: [] and exit 1 ({out!r})")
    for argv in (["explain"], ["explain", "abc"], ["explain", "4xx"], ["explain", "0"],
                 ["explain", "1000"], ["explain", "-1"], ["explain", ""],
                 ["explain", "404", "list"], ["explain", "404", "--class", "4"],
                 ["explain", b"\xff"]):
        code, out, err = run(argv)
        check(code == 2 and out == b"", f"{argv}: usage error, nothing on stdout ({code}, {out[:80]!r})")
        one_error_line(err, f"{argv}")
    code, out, err = run(["404", "explain"])
    check(code == 2 and b"'explain' is a command and comes first" in err,
          f"explain after a code is a misplaced command: {err!r}")


def check_plain(code, x, phrases):
    """The plain form: the lookup lines, then each section as the JSON has it.
    Titles are the only lines that are not indented."""
    out = run(["explain", str(code)])[1].decode()
    lookup = run([str(code)])[1].decode()
    check(out.startswith(lookup + "\n"), f"explain {code} starts with the lookup lines")
    sections, title = {}, None
    for line in out[len(lookup) + 1:].split("\n")[:-1]:
        if line and not line.startswith(" "):
            title = line
            sections[title] = []
        elif title is not None:
            sections[title].append(line)
    titles = [t for t, _ in EXPLAIN_TITLES] + ["Related", "Example"]
    check(list(sections) == titles, f"explain {code}: sections {list(sections)}")
    for title, key in EXPLAIN_TITLES:
        lines = sections.get(title, [])
        check(lines and lines[-1] == "", f"explain {code}: a blank line after '{title}'")
        paragraphs = [" ".join(p.split()) for p in "\n".join(lines).strip("\n").split("\n\n")]
        check(paragraphs == x[key].split("\n\n"), f"explain {code}: '{title}' is the {key} text")
        for line in lines:
            check(line == "" or (line.startswith("    ") and
                                 (len(line) <= 80 or " " not in line.strip())),
                  f"explain {code}: '{title}' lines indented, at most 80 columns: {line!r}")
    want = [f"    {r} {phrases[r]}" for r in x["related"]] + [""]
    check(sections.get("Related") == want, f"explain {code}: related codes with their phrases")
    want = [("    " + l if l else "") for l in x["example"].rstrip("\n").split("\n")]
    check(sections.get("Example") == want, f"explain {code}: the example, verbatim and indented")


CLI_ARG_MAX = 256


def main():
    global ARGS
    ap = argparse.ArgumentParser()
    ap.add_argument("group")
    ap.add_argument("--bin", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--build")
    ap.add_argument("--have-serve", type=int, default=0)
    ap.add_argument("--update", action="store_true")
    ARGS = ap.parse_args()
    globals()["test_" + ARGS.group]()
    print(f"{ARGS.group}: {CHECKS - len(FAILURES)}/{CHECKS} checks passed")
    return 1 if FAILURES or CHECKS == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
