# SPDX-License-Identifier: MIT
"""Parses json_dump's output with Python's json module and checks it: one
object per catalog entry, keys in the documented order, and hostile strings
decoded to what the escaping rules promise."""
import json
import subprocess
import sys

KEYS = ["code", "description", "phrase", "summary", "class", "status",
        "origin", "reference", "url", "aliases", "content", "cacheable",
        "retryable", "headers", "fields", "retry", "keywords", "constants"]
LEVELS = ("MUST", "SHOULD", "MAY")
RETRY = ("no", "later", "another-connection", "with-credentials", "after-change")

out = subprocess.run([sys.argv[1]], check=True, capture_output=True).stdout
doc = json.loads(out.decode("utf-8"), object_pairs_hook=lambda pairs: pairs)
doc = dict(doc)
entries = doc["entries"]
assert len(entries) > 100, len(entries)
codes = []
for pairs in entries:
    assert [k for k, _ in pairs] == KEYS, pairs
    e = dict(pairs)
    codes.append(e["code"])
    assert e["description"] == e["phrase"] and e["phrase"], e
    assert e["summary"], e
    c = e["code"]
    assert e["class"] == (f"{c // 100}xx" if 100 <= c <= 599 else None), e
    assert e["status"] in ("standard", "temporary", "unused", "obsolete", "unofficial")
    assert (e["reference"] is None) == (e["status"] == "unofficial"), e
    assert all(isinstance(a, str) and a for a in e["aliases"]), e
    assert all(isinstance(e[k], bool) for k in ("content", "cacheable", "retryable"))
    assert e["content"] == (not (100 <= c < 200 or c in (204, 205, 304))), e
    fields = dict(e["fields"])
    assert sorted(fields) == sorted(e["headers"]), e
    assert all(v in LEVELS for v in fields.values()), e
    assert e["retry"] in RETRY, e
    assert e["retryable"] == (e["retry"] in ("later", "another-connection")), e
    assert all(isinstance(k, str) and k for k in e["keywords"]), e
    assert e["constants"] and all(isinstance(k, str) and k for k in e["constants"]), e
assert codes == sorted(codes)

all_bytes, bad = doc["strings"]
expect = "".join(chr(b) if b < 0x80 else "\ufffd" for b in range(256))
assert all_bytes == expect, all_bytes
assert bad == "\ufffd" * 9 + " \U0001F600", ascii(bad)
print(f"{len(entries)} entries and 2 strings parsed")
