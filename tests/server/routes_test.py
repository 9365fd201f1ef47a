#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""End-to-end tests of the routes that read the request's own fields:
conditional requests, ranges, credentials and redirect chains.

    routes_test.py GROUP --bin PATH

Same harness as server_test.py (its Server, curl and raw-socket helpers);
CTest runs each group as server_<group>. Every route is driven by curl and,
where they have the feature, by Python's standard clients (urllib's
redirects and their limit, Basic and Digest handlers, Range) and Node's
fetch.
"""
import base64
import email.parser
import email.policy
import hashlib
import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import server_test as st  # noqa: E402
from server_test import Server, check, curl, exchange, req  # noqa: E402

ALPHABET = b"abcdefghijklmnopqrstuvwxyz"


def pattern(n):
    return (ALPHABET * (n // 26 + 1))[:n]


def opener(*handlers):
    """A urllib opener that never goes through a proxy of the environment
    (unless `handlers` hold a ProxyHandler of their own)."""
    if not any(isinstance(h, urllib.request.ProxyHandler) for h in handlers):
        handlers = (urllib.request.ProxyHandler({}),) + tuple(handlers)
    return urllib.request.build_opener(*handlers)


def urlopen(url, headers=None, method=None, handlers=(), data=None):
    """(status, headers, body) of urllib's answer, an HTTPError's too."""
    r = urllib.request.Request(url, headers=headers or {}, method=method,
                               data=data)
    try:
        with opener(*handlers).open(r, timeout=10) as resp:
            return resp.status, resp.headers, resp.read(), resp.url
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read(), e.url


def passwords(url, user, password):
    """A urllib password manager holding one user for `url`, any realm."""
    mgr = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    mgr.add_password(None, url, user, password)
    return mgr


def node(script, *args):
    """Runs a Node script (process.argv[1...] = args); returns its stdout as
    JSON."""
    p = subprocess.run(["node", "-e", script, "--"] + [str(a) for a in args],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=30)
    check(p.returncode == 0, f"node ran: {p.stderr[-500:]!r}")
    try:
        return json.loads(p.stdout)
    except ValueError:
        check(False, f"node printed JSON: {p.stdout[-500:]!r}")
        return {}


NODE_FETCH = """
const [url, headers] = [process.argv[1], JSON.parse(process.argv[2] || '{}')];
fetch(url, {headers, redirect: process.argv[3] || 'follow'}).then(async r => {
  const body = Buffer.from(await r.arrayBuffer()).toString('latin1');
  console.log(JSON.stringify({status: r.status, url: r.url, body,
    headers: Object.fromEntries(r.headers)}));
}, e => console.log(JSON.stringify({error: String(e.cause || e)})));
"""


def fetch(url, headers=None, redirect="follow"):
    return node(NODE_FETCH, url, json.dumps(headers or {}), redirect)


# --------------------------------------------------------------------------
# Conditional requests (RFC 9110, Section 13)

def check_304(r, what, etag=None):
    check(r.status == 304, f"{what}: 304, got {r}")
    check(r.body == b"", f"{what}: a 304 has no content: {r.body[:80]!r}")
    check(r.get("Content-Length") is None, f"{what}: 304 without Content-Length")
    st.common_fields(r, what)
    check(r.get("Vary") == "Accept", f"{what}: 304 keeps Vary: {r.get('Vary')!r}")
    if etag:
        check(r.get("ETag") == etag, f"{what}: 304 keeps ETag {etag}: {r.get('ETag')!r}")


def test_conditional():
    with Server() as srv:
        r = curl(srv, "/etag/xyz")
        check(r.status == 200 and r.get("ETag") == '"xyz"',
              f"/etag/xyz: 200 with ETag \"xyz\": {r}")
        check(r.body == b"200 OK\n", f"/etag/xyz: the 200 page: {r.body!r}")
        for inm in ('"xyz"', 'W/"xyz"', '"a", "xyz"', ' , W/"b",W/"xyz" ', "*"):
            r = curl(srv, "/etag/xyz", headers=[f"If-None-Match: {inm}"])
            check_304(r, f"/etag/xyz If-None-Match: {inm}", '"xyz"')
        r = curl(srv, "/etag/xyz", head=True, headers=['If-None-Match: "xyz"'])
        check(r.status == 304, f"HEAD /etag/xyz matching: 304: {r}")
        for inm in ('"XYZ"', '"xy"', "xyz", '"xyz'):
            r = curl(srv, "/etag/xyz", headers=[f"If-None-Match: {inm}"])
            check(r.status == 200, f"/etag/xyz If-None-Match: {inm}: 200: {r}")
        r = curl(srv, "/etag/xyz", method="POST", data="x",
                 headers=['If-None-Match: "xyz"'])
        check(r.status == 412, f"POST /etag/xyz with a matching If-None-Match: 412: {r}")
        r = curl(srv, "/etag/xyz", method="PUT", data="x",
                 headers=['If-Match: "abc"'])
        check(r.status == 412 and r.body.startswith(b"412 Precondition Failed"),
              f"PUT /etag/xyz If-Match: \"abc\": 412: {r}")
        for im in ('"xyz"', '"abc", "xyz"', "*"):
            r = curl(srv, "/etag/xyz", method="PUT", data="x",
                     headers=[f"If-Match: {im}"])
            check(r.status == 200, f"PUT /etag/xyz If-Match: {im}: 200: {r}")
        r = curl(srv, "/etag/xyz", method="PUT", data="x",
                 headers=['If-Match: W/"xyz"'])
        check(r.status == 412, f"If-Match compares strongly: W/\"xyz\" is 412: {r}")
        # Section 13.2.2: If-Match is decided before If-None-Match.
        r = curl(srv, "/etag/xyz", headers=['If-Match: "no"', 'If-None-Match: "xyz"'])
        check(r.status == 412, f"If-Match first: 412 before If-None-Match's 304: {r}")
        r = curl(srv, "/etag/xyz", headers=['If-Match: "xyz"', 'If-None-Match: "xyz"'])
        check(r.status == 304, f"If-Match passes, If-None-Match matches: 304: {r}")
        # /etag has no modification date: the date conditions are ignored.
        r = curl(srv, "/etag/xyz",
                 headers=["If-Modified-Since: Sun, 06 Nov 2050 08:49:37 GMT"])
        check(r.status == 200, f"/etag ignores If-Modified-Since (no date): {r}")
        r = curl(srv, "/etag/a%2Cb%21")
        check(r.get("ETag") == '"a,b!"', f"/etag/ decodes its tag: {r.get('ETag')!r}")
        r = curl(srv, "/etag/a%2Cb%21", headers=['If-None-Match: "c", "a,b!"'])
        check(r.status == 304, f"a tag with a comma matches in a list: {r}")
        for bad in ("/etag/a%20b", "/etag/a%22b", "/etag/%zz", "/etag/" + "x" * 300):
            r = curl(srv, bad)
            check(r.status == 400, f"{bad[:40]}: 400: {r}")
        check(curl(srv, "/etag").status == 404, "/etag without a tag: 404")

        # curl's own conditional GET: --etag-save, then --etag-compare.
        etag_file = os.path.join(st.TMP, "etag")
        r = curl(srv, "/etag/saved", "--etag-save", etag_file)
        check(r.status == 200, f"curl --etag-save: 200: {r}")
        r = curl(srv, "/etag/saved", "--etag-compare", etag_file)
        check_304(r, "curl --etag-compare", '"saved"')

        # /cache: a 304 to any revalidation.
        r = curl(srv, "/cache")
        lm, etag = r.get("Last-Modified"), r.get("ETag")
        check(r.status == 200 and lm and st.IMF_DATE.match(lm) and etag,
              f"/cache: 200 with Last-Modified and ETag: {r}")
        check(r.get("Cache-Control") is None, f"/cache: no Cache-Control: {r}")
        for f in (f"If-Modified-Since: {lm}", f"If-None-Match: {etag}",
                  'If-None-Match: "whatever"', "If-Modified-Since: not a date"):
            r = curl(srv, "/cache", headers=[f])
            check_304(r, f"/cache {f}", etag)
            check(r.get("Last-Modified") is None,
                  f"/cache 304 beside an ETag sends no Last-Modified: {r}")
        r = curl(srv, "/cache", "-z", lm)  # curl's If-Modified-Since
        check(r.status == 304, f"curl -z on /cache: 304: {r}")
        r = curl(srv, "/cache/60")
        check(r.status == 200 and r.get("Cache-Control") == "public, max-age=60",
              f"/cache/60: Cache-Control: public, max-age=60: {r}")
        r = curl(srv, "/cache/60", headers=[f"If-None-Match: {etag}"])
        check_304(r, "/cache/60 revalidated", etag)
        check(r.get("Cache-Control") == "public, max-age=60",
              f"/cache/60: the 304 keeps Cache-Control: {r}")
        for bad in ("/cache/x", "/cache/-1", "/cache/2147483648"):
            check(curl(srv, bad).status == 400, f"{bad}: 400")
        check(curl(srv, "/cache", method="POST", data="x").status == 405,
              "POST /cache: 405")

        # The date conditions on a route that has a date (/range/{n}).
        r = curl(srv, "/range/10")
        lm = r.get("Last-Modified")
        from email.utils import parsedate_to_datetime
        t = parsedate_to_datetime(lm)
        forms = {
            "IMF-fixdate": lm,
            "RFC 850": t.strftime("%A, %d-%b-%y %H:%M:%S GMT"),
            "asctime": t.strftime("%a %b ") + f"{t.day:2d}" + t.strftime(" %H:%M:%S %Y"),
        }
        for name, value in forms.items():
            r = curl(srv, "/range/10", headers=[f"If-Modified-Since: {value}"])
            check_304(r, f"If-Modified-Since as {name} ({value})", '"range-10"')
        before = (t.replace(year=t.year - 1)).strftime("%a, %d %b %Y %H:%M:%S GMT")
        r = curl(srv, "/range/10", headers=[f"If-Modified-Since: {before}"])
        check(r.status == 200, f"If-Modified-Since a year before: 200: {r}")
        for bad in ("yesterday", lm.replace("GMT", "UTC"), lm.lower(), lm + ", " + lm):
            r = curl(srv, "/range/10", headers=[f"If-Modified-Since: {bad}"])
            check(r.status == 200, f"an invalid If-Modified-Since is ignored ({bad!r}): {r}")
        r = curl(srv, "/range/10", headers=['If-None-Match: "other"',
                                             f"If-Modified-Since: {lm}"])
        check(r.status == 200, f"If-Modified-Since is ignored beside If-None-Match: {r}")
        r = curl(srv, "/range/10", headers=[f"If-Unmodified-Since: {before}"])
        check(r.status == 412, f"If-Unmodified-Since before Last-Modified: 412: {r}")
        r = curl(srv, "/range/10", headers=[f"If-Unmodified-Since: {lm}"])
        check(r.status == 200, f"If-Unmodified-Since = Last-Modified: 200: {r}")
        r = curl(srv, "/range/10", headers=[f"If-Unmodified-Since: {before}",
                                             'If-Match: "range-10"'])
        check(r.status == 200, f"If-Unmodified-Since is ignored beside If-Match: {r}")

        # Python's and Node's clients see the 304 as it is.
        status, headers, body, _ = urlopen(srv.url + "etag/py",
                                           {"If-None-Match": '"py"'})
        check(status == 304 and headers["ETag"] == '"py"' and body == b"",
              f"urllib: 304 with the ETag: {status} {dict(headers or {})}")
        got = fetch(srv.url + "etag/js", {"If-None-Match": 'W/"js"'})
        check(got.get("status") == 304 and got.get("headers", {}).get("etag") == '"js"',
              f"fetch: 304 with the ETag: {got}")


# --------------------------------------------------------------------------
# Ranges (RFC 9110, Section 14)

def parts_of(r):
    """The parts of a multipart/byteranges answer: [(Content-Range, bytes)]."""
    ctype = r.get("Content-Type") or ""
    msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + ctype.encode() + b"\r\n\r\n" + r.body)
    check(msg.is_multipart(), f"multipart/byteranges parses: {ctype!r}")
    out = []
    for part in msg.iter_parts():
        out.append((part["Content-Range"], part["Content-Type"],
                    part.get_payload(decode=True)))
    return out


def test_range():
    with Server() as srv:
        r = curl(srv, "/range/26")
        check(r.status == 200 and r.body == ALPHABET, f"/range/26: the alphabet: {r}")
        check(r.get("Accept-Ranges") == "bytes", f"/range: Accept-Ranges: bytes: {r}")
        check(r.get("ETag") == '"range-26"', f"/range/26: ETag: {r.get('ETag')!r}")
        check(r.get("Content-Type") == "application/octet-stream", f"/range: octets: {r}")
        check(st.IMF_DATE.match(r.get("Last-Modified") or ""), f"/range: Last-Modified: {r}")
        lm = r.get("Last-Modified")
        r = curl(srv, "/range/102400")
        check(r.status == 200 and r.body == pattern(102400), "/range/102400: 100 KiB")
        for bad in ("/range/0", "/range/102401", "/range/x", "/range"):
            check(curl(srv, bad).status == 400, f"{bad}: 400")
        check(curl(srv, "/range/5", method="DELETE").status == 405, "DELETE /range: 405")

        cases = [("0-9", 0, 9), ("20-", 20, 25), ("-5", 21, 25), ("-100", 0, 25),
                 ("24-1000", 24, 25), ("0-0", 0, 0)]
        for spec, first, last in cases:
            r = curl(srv, "/range/26", "-r", spec)
            check(r.status == 206, f"curl -r {spec}: 206: {r}")
            check(r.get("Content-Range") == f"bytes {first}-{last}/26",
                  f"curl -r {spec}: Content-Range bytes {first}-{last}/26: {r.get('Content-Range')!r}")
            check(r.body == ALPHABET[first:last + 1], f"curl -r {spec}: the bytes: {r.body!r}")
            check(r.get("Content-Length") == str(last - first + 1), f"-r {spec}: Content-Length")
        r = curl(srv, "/range/26", headers=["Range: bytes=0-5, 3-9"])
        check(r.status == 206 and r.get("Content-Range") == "bytes 0-9/26",
              f"overlapping ranges merge into one part: {r}")

        r = curl(srv, "/range/26", "-r", "0-1,10-11,-2")
        check(r.status == 206 and r.get("Content-Range") is None,
              f"several ranges: 206 without a top Content-Range: {r}")
        check((r.get("Content-Type") or "").startswith("multipart/byteranges; boundary="),
              f"several ranges: multipart/byteranges: {r.get('Content-Type')!r}")
        check(r.get("Content-Length") == str(len(r.body)), "multipart: Content-Length")
        parts = parts_of(r)
        want = [("bytes 0-1/26", b"ab"), ("bytes 10-11/26", b"kl"), ("bytes 24-25/26", b"yz")]
        check([(p[0], p[2]) for p in parts] == want, f"the parts: {parts}")
        check(all(p[1] == "application/octet-stream" for p in parts),
              f"each part has the Content-Type: {parts}")
        r = curl(srv, "/range/26", headers=["Range: bytes=20-21,0-1"])
        check([p[0] for p in parts_of(r)] == ["bytes 0-1/26", "bytes 20-21/26"],
              "parts are sent in order of position")

        for spec in ("bytes=26-", "bytes=100-200", "bytes=-0", "bytes=30-, 40-"):
            r = curl(srv, "/range/26", headers=[f"Range: {spec}"])
            check(r.status == 416 and r.get("Content-Range") == "bytes */26",
                  f"Range: {spec}: 416 with bytes */26: {r}")
            check(r.body.startswith(b"416 Range Not Satisfiable"), f"416 says so: {r.body!r}")
        for spec in ("bytes=5-2", "bytes=abc", "lines=0-1", "bytes 0-1", "bytes=0-1,x",
                     "bytes=" + ",".join(f"{i}-{i}" for i in range(33))):
            r = curl(srv, "/range/26", headers=[f"Range: {spec}"])
            check(r.status == 200 and r.body == ALPHABET,
                  f"an ignored Range ({spec[:30]}) gives the whole: {r}")
        r = curl(srv, "/range/26", head=True, headers=["Range: bytes=0-1"])
        check(r.status == 200 and r.get("Content-Length") == "26",
              f"HEAD ignores Range (GET only): {r}")

        # If-Range: a strong ETag or the exact date, else the whole.
        for ir, code in (('"range-26"', 206), ('"range-27"', 200), ('W/"range-26"', 200),
                         (lm, 206), ("Sun, 06 Nov 1994 08:49:37 GMT", 200), ("junk", 200)):
            r = curl(srv, "/range/26", headers=["Range: bytes=0-1", f"If-Range: {ir}"])
            check(r.status == code, f"If-Range: {ir}: {code}: {r}")
        r = curl(srv, "/range/26", headers=['If-None-Match: "range-26"', "Range: bytes=0-1"])
        check(r.status == 304, f"a matching If-None-Match wins over Range: {r}")

        # curl resuming a download: Range: bytes=10- appended to the file.
        path = os.path.join(st.TMP, "resume")
        with open(path, "wb") as f:
            f.write(ALPHABET[:10])
        p = subprocess.run(["curl", "-sS", "-C", "-", "-o", path, srv.url + "range/26"],
                           stderr=subprocess.PIPE, timeout=20)
        with open(path, "rb") as f:
            check(p.returncode == 0 and f.read() == ALPHABET,
                  f"curl -C - resumes to the whole: {p.stderr!r}")

        # /206 keeps its answer and honours a Range field.
        r = curl(srv, "/206")
        check(r.status == 206 and r.get("Content-Range") == "bytes 0-9/20" and
              r.body == b"206 Partia",
              f"/206 without Range: the first half, as before: {r}")
        r = curl(srv, "/206", "-r", "4-10")
        check(r.status == 206 and r.get("Content-Range") == "bytes 4-10/20" and
              r.body == b"Partial", f"/206 -r 4-10: that part of its page: {r}")
        r = curl(srv, "/206", headers=["Range: bytes=20-"])
        check(r.status == 416 and r.get("Content-Range") == "bytes */20",
              f"/206 unsatisfiable: 416 bytes */20: {r}")
        r = curl(srv, "/206", headers=["Range: bytes=0-2,4-10"])
        check([(p[0], p[2]) for p in parts_of(r)] ==
              [("bytes 0-2/20", b"206"), ("bytes 4-10/20", b"Partial")],
              f"/206 several ranges: multipart of its page: {r}")
        r = curl(srv, "/206", headers=["Range: bytes=x"])
        check(r.status == 206 and r.get("Content-Range") == "bytes 0-9/20",
              f"/206 with a bad Range: as without: {r}")

        # Pipelined in one write, each answer is its own; a staged one
        # (?sleep=, ?dribble=) keeps its fields and parts.
        data = (req("GET", "/etag/a", 'If-None-Match: "a"') +
                req("GET", "/range/5", "Range: bytes=1-2") +
                req("GET", "/redirect/2?status=303") +
                req("GET", "/range/26?dribble=100", "Range: bytes=0-1,4-5"))
        got, _, _ = exchange(srv, data, count=4)
        check([g.code for g in got] == [304, 206, 303, 206] and got[0].get("ETag") == '"a"' and
              got[1].body == b"bc" and got[1].get("Content-Range") == "bytes 1-2/5" and
              got[2].get("Location") == "/redirect/1?status=303" and
              b"Content-Range: bytes 4-5/26\r\n\r\nef" in got[3].body,
              f"pipelined: 304, 206, 303, dribbled multipart: {got}")
        r = curl(srv, "/range/26?sleep=300", "-r", "3-5")
        check(r.status == 206 and r.body == b"def" and r.elapsed >= 0.3,
              f"?sleep= with a Range: 206 after >= 300 ms: {r} {r.elapsed:.3f}s")
        r = curl(srv, "/range/26", "-r", "0-1", http10=True)
        check(r.status == 206 and r.body == b"ab", f"HTTP/1.0 Range: 206: {r}")

        # Python's and Node's clients.
        status, headers, body, _ = urlopen(srv.url + "range/26", {"Range": "bytes=2-4"})
        check(status == 206 and body == b"cde" and
              headers["Content-Range"] == "bytes 2-4/26",
              f"urllib Range: 206 cde: {status} {body!r}")
        status, headers, body, _ = urlopen(srv.url + "range/26", {"Range": "bytes=99-"})
        check(status == 416 and headers["Content-Range"] == "bytes */26",
              f"urllib: 416: {status}")
        got = fetch(srv.url + "range/26", {"Range": "bytes=-3"})
        check(got.get("status") == 206 and got.get("body") == "xyz" and
              got.get("headers", {}).get("content-range") == "bytes 23-25/26",
              f"fetch Range: 206 xyz: {got}")


# --------------------------------------------------------------------------
# Credentials

def basic(user, password):
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def challenge_params(value):
    """The auth-params of one challenge: {name: value}."""
    return {m.group(1).lower(): m.group(2) if m.group(2) is not None else m.group(3)
            for m in re.finditer(r'([A-Za-z-]+)=(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))', value)}


def digest_response(alg, user, password, method, uri, nonce, qop="auth",
                    nc="00000001", cnonce="0a4f113b", realm="httpstatus"):
    name = {"MD5": "md5", "SHA-256": "sha256", "SHA-512-256": "sha512_256"}[
        alg.replace("-sess", "")]

    def h(s):
        return hashlib.new(name, s.encode()).hexdigest()
    ha1 = h(f"{user}:{realm}:{password}")
    if alg.endswith("-sess"):
        ha1 = h(f"{ha1}:{nonce}:{cnonce}")
    a2 = f"{method}:{uri}" + (f":{h('')}" if qop == "auth-int" else "")
    resp = h(f"{ha1}:{nonce}:{nc}:{cnonce}:{qop}:{h(a2)}")
    a2_rsp = f":{uri}" + (f":{h('')}" if qop == "auth-int" else "")
    rspauth = h(f"{ha1}:{nonce}:{nc}:{cnonce}:{qop}:{h(a2_rsp)}")
    return resp, rspauth


def digest_header(params):
    return "Digest " + ", ".join(
        f'{k}={v}' if k in ("nc", "qop", "algorithm") else f'{k}="{v}"'
        for k, v in params.items())


def digest_exchange(srv, path, alg, user="u", password="p", qop="auth",
                    tamper=None, proxy=False, curl_args=()):
    """Gets a challenge, answers it by hand; returns (challenge, reply)."""
    ask = "Proxy-Authenticate" if proxy else "WWW-Authenticate"
    send = "Proxy-Authorization" if proxy else "Authorization"
    r = curl(srv, path, *curl_args)
    chal = challenge_params(r.get(ask) or "")
    resp, rspauth = digest_response(alg, user, password, "GET", path, chal.get("nonce", ""),
                                    qop=qop)
    params = {"username": user, "realm": chal.get("realm"), "nonce": chal.get("nonce"),
              "uri": path, "algorithm": alg, "response": resp,
              "opaque": chal.get("opaque"), "qop": qop, "nc": "00000001",
              "cnonce": "0a4f113b"}
    if tamper:
        tamper(params)
    r = curl(srv, path, *curl_args, headers=[f"{send}: {digest_header(params)}"])
    return chal, r, rspauth


def test_auth():
    with Server() as srv:
        # Basic
        r = curl(srv, "/basic-auth/alice/s3cret", "-u", "alice:s3cret")
        check(r.status == 200 and json.loads(r.body) == {"authenticated": True, "user": "alice"},
              f"/basic-auth with the right credentials: 200 JSON: {r}")
        check((r.get("Content-Type") or "").startswith("application/json"), "basic: JSON type")
        check(r.get("WWW-Authenticate") is None, "no challenge on success")
        for args, what in ((("-u", "alice:wrong"), "a wrong password"),
                           (("-u", "bob:s3cret"), "another user"), ((), "no credentials")):
            r = curl(srv, "/basic-auth/alice/s3cret", *args)
            check(r.status == 401 and r.get("WWW-Authenticate") == 'Basic realm="httpstatus"',
                  f"/basic-auth with {what}: 401 with a Basic challenge: {r}")
        for h in ("Basic YWxpY2U6czNjcmV", "Basic YWxpY2U6czNjcmV0=", "Basic !!!!",
                  "Bearer YWxpY2U6czNjcmV0", "YWxpY2U6czNjcmV0"):
            r = curl(srv, "/basic-auth/alice/s3cret", headers=[f"Authorization: {h}"])
            check(r.status == 401, f"malformed Basic credentials ({h}): 401: {r}")
        r = curl(srv, "/basic-auth/alice/s3cret",
                 headers=["Authorization: bAsIc YWxpY2U6czNjcmV0"])
        check(r.status == 200, f"the scheme name is case-insensitive: {r}")
        r = curl(srv, "/basic-auth/j%C3%B6rg/p%40ss", "-u", "jörg:p@ss")
        check(r.status == 200 and json.loads(r.body)["user"] == "jörg",
              f"percent-encoded user and password, UTF-8: {r}")
        check(curl(srv, "/basic-auth/alice").status == 404, "/basic-auth/{user} alone: 404")
        check(curl(srv, "/basic-auth/a/b/c").status == 404, "/basic-auth with 3 segments: 404")
        r = curl(srv, "/basic-auth/alice/s3cret", "-u", "alice:s3cret", method="POST", data="x")
        check(r.status == 200, f"POST with Basic credentials: 200: {r}")
        # urllib's Basic handler answers the challenge.
        status, _, body, _ = urlopen(srv.url + "basic-auth/alice/s3cret", handlers=[
            urllib.request.HTTPBasicAuthHandler(passwords(srv.url, "alice", "s3cret"))])
        check(status == 200 and json.loads(body)["user"] == "alice",
              f"urllib HTTPBasicAuthHandler: 200: {status} {body!r}")
        got = fetch(srv.url + "basic-auth/alice/s3cret", {"Authorization": basic("alice", "s3cret")})
        check(got.get("status") == 200, f"fetch with Basic credentials: 200: {got}")

        # hidden-basic-auth: 404 and no challenge
        r = curl(srv, "/hidden-basic-auth/alice/s3cret", "-u", "alice:nope")
        check(r.status == 404 and r.get("WWW-Authenticate") is None,
              f"/hidden-basic-auth wrong: 404 without a challenge: {r}")
        r = curl(srv, "/hidden-basic-auth/alice/s3cret", "-u", "alice:s3cret")
        check(r.status == 200, f"/hidden-basic-auth right: 200: {r}")

        # Bearer
        r = curl(srv, "/bearer")
        check(r.status == 401 and r.get("WWW-Authenticate") == 'Bearer realm="httpstatus"',
              f"/bearer without a token: 401 with a Bearer challenge: {r}")
        r = curl(srv, "/bearer", headers=["Authorization: Bearer abc.DEF-123_~+/=="])
        check(r.status == 200 and json.loads(r.body) ==
              {"authenticated": True, "token": "abc.DEF-123_~+/=="},
              f"/bearer with a token: 200 JSON with the token: {r}")
        r = curl(srv, "/bearer", "--oauth2-bearer", "t0ken")
        check(r.status == 200 and json.loads(r.body)["token"] == "t0ken",
              f"curl --oauth2-bearer: 200: {r}")
        for h in ("Bearer a=b", "Bearer =", 'Bearer "x"'):
            r = curl(srv, "/bearer", headers=[f"Authorization: {h}"])
            check(r.status == 401 and 'error="invalid_token"' in (r.get("WWW-Authenticate") or ""),
                  f"a malformed token ({h}): 401 invalid_token: {r}")
        r = curl(srv, "/bearer", headers=[f"Authorization: {basic('a', 'b')}"])
        check(r.status == 401, f"/bearer with Basic credentials: 401: {r}")

        # Digest, answered by curl, by urllib, and by hand.
        for path in ("/digest-auth/auth/u/p", "/digest-auth/auth/u/p/MD5",
                     "/digest-auth/auth/u/p/SHA-256", "/digest-auth/auth/u/p/MD5-sess",
                     "/digest-auth/auth/u/p/SHA-256-sess", "/digest-auth/auth-int/u/p",
                     "/digest-auth/auth-int/u/p/SHA-256"):
            r = curl(srv, path, "--digest", "-u", "u:p")
            check([b[0] for b in r.blocks] == [401, 200] and
                  json.loads(r.body or b"{}").get("user") == "u",
                  f"curl --digest {path}: 401 then 200: {r}")
            check(r.getall("Authentication-Info"), f"{path}: Authentication-Info on success")
            r = curl(srv, path, "--digest", "-u", "u:wrong")
            check([b[0] for b in r.blocks] == [401, 401], f"curl --digest, wrong password: 401: {r}")
        r = curl(srv, "/digest-auth/auth/u/p/SHA-256")
        chal = challenge_params(r.get("WWW-Authenticate") or "")
        check((r.get("WWW-Authenticate") or "").startswith('Digest realm="httpstatus"') and
              chal.get("qop") == "auth" and chal.get("algorithm") == "SHA-256" and
              len(chal.get("nonce", "")) == 48 and len(chal.get("opaque", "")) == 32,
              f"the Digest challenge: realm, qop, algorithm, nonce, opaque: {r}")
        status, _, body, _ = urlopen(srv.url + "digest-auth/auth/u/p", handlers=[
            urllib.request.HTTPDigestAuthHandler(passwords(srv.url, "u", "p"))])
        check(status == 200 and json.loads(body)["user"] == "u",
              f"urllib HTTPDigestAuthHandler (MD5): 200: {status} {body!r}")
        status, _, _, _ = urlopen(srv.url + "digest-auth/auth/u/p", handlers=[
            urllib.request.HTTPDigestAuthHandler(passwords(srv.url, "u", "bad"))])
        check(status == 401, f"urllib HTTPDigestAuthHandler, wrong password: 401: {status}")
        for alg in ("SHA-512-256", "SHA-512-256-sess"):
            path = f"/digest-auth/auth/u/p/{alg}"
            chal, r, rspauth = digest_exchange(srv, path, alg)
            check(r.status == 200, f"{alg} answered by hashlib: 200: {r}")
        chal, r, rspauth = digest_exchange(srv, "/digest-auth/auth/u/p/SHA-256", "SHA-256")
        info = challenge_params(r.get("Authentication-Info") or "")
        check(info.get("rspauth") == rspauth and info.get("nc") == "00000001" and
              info.get("cnonce") == "0a4f113b" and info.get("qop") == "auth",
              f"Authentication-Info's rspauth proves the server knows the password: {r}")
        # The nonce is checked; a lifetime of 0 makes every right answer stale.
        _, r, _ = digest_exchange(srv, "/digest-auth/auth/u/p/MD5/0", "MD5")
        auth = r.get("WWW-Authenticate") or ""
        check(r.status == 401 and "stale=true" in auth,
              f"a right answer with a stale nonce: 401 stale=true: {r}")
        _, r, _ = digest_exchange(srv, "/digest-auth/auth/u/p/MD5/0", "MD5", password="x")
        check(r.status == 401 and "stale" not in (r.get("WWW-Authenticate") or ""),
              f"a wrong answer with a stale nonce: no stale=true: {r}")
        _, r, _ = digest_exchange(srv, "/digest-auth/auth/u/p", "MD5",
                                  tamper=lambda p: p.update(nonce="0" * 48))
        check(r.status == 401 and "stale" not in (r.get("WWW-Authenticate") or ""),
              f"a nonce not issued here: 401: {r}")
        _, r, _ = digest_exchange(srv, "/digest-auth/auth/u/p", "MD5",
                                  tamper=lambda p: p.update(opaque="x"))
        check(r.status == 401, f"a wrong opaque: 401: {r}")
        _, r, _ = digest_exchange(srv, "/digest-auth/auth/u/p", "MD5",
                                  tamper=lambda p: p.update(uri="/elsewhere"))
        check(r.status == 400, f"a uri that is not the target: 400 (RFC 7616 3.4.6): {r}")
        _, r, _ = digest_exchange(srv, "/digest-auth/auth/u/p/SHA-256", "MD5")
        check(r.status == 401, f"the wrong algorithm: 401: {r}")
        _, r, _ = digest_exchange(srv, "/digest-auth/auth/u/p", "MD5",
                                  tamper=lambda p: p.pop("cnonce"))
        check(r.status == 400, f"credentials without cnonce: 400: {r}")
        r = curl(srv, "/digest-auth/auth-int/u/p", "--digest", "-u", "u:p", data="content")
        check(r.status == 400, f"auth-int with content: 400 (not kept): {r}")
        for bad in ("/digest-auth/auth/u", "/digest-auth/both/u/p", "/digest-auth/auth/u/p/SHA-1",
                    "/digest-auth/auth/u/p/MD5/x", "/digest-auth/auth/u/p/MD5/1/x"):
            check(curl(srv, bad).status == 404, f"{bad}: 404")

        # The proxy forms: this server plays the proxy.
        target = "http://origin.test/proxy-basic-auth/u/p"
        r = curl(srv, "/proxy-basic-auth/u/p")
        check(r.status == 407 and r.get("Proxy-Authenticate") == 'Basic realm="httpstatus"' and
              r.get("WWW-Authenticate") is None,
              f"/proxy-basic-auth without credentials: 407 with Proxy-Authenticate: {r}")
        p = subprocess.run(["curl", "-sS", "-x", srv.url, "--proxy-user", "u:p", target],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=20)
        check(p.returncode == 0 and json.loads(p.stdout or b"{}").get("user") == "u",
              f"curl -x --proxy-user (Basic): 200: {p.stdout!r} {p.stderr!r}")
        r = curl(srv, "/proxy-basic-auth/u/p", "-u", "u:p")
        check(r.status == 407, f"Authorization is not Proxy-Authorization: 407: {r}")
        p = subprocess.run(["curl", "-sS", "-x", srv.url, "--proxy-digest", "--proxy-user",
                            "u:p", "http://origin.test/proxy-digest-auth/auth/u/p/SHA-256"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=20)
        check(p.returncode == 0 and json.loads(p.stdout or b"{}").get("user") == "u",
              f"curl --proxy-digest: 200: {p.stdout!r} {p.stderr!r}")
        pmgr = passwords(srv.url, "u", "p")
        proxied = urllib.request.ProxyHandler({"http": srv.url})
        status, _, body, _ = urlopen(target, handlers=[
            proxied, urllib.request.ProxyBasicAuthHandler(pmgr)])
        check(status == 200 and json.loads(body or b"{}").get("user") == "u",
              f"urllib ProxyBasicAuthHandler through this server: 200: {status}")
        # urllib's digest handler looks the password up by the target URL.
        pmgr.add_password(None, "http://origin.test/", "u", "p")
        status, _, body, _ = urlopen(
            "http://origin.test/proxy-digest-auth/auth/u/p",
            handlers=[proxied, urllib.request.ProxyDigestAuthHandler(pmgr)])
        check(status == 200 and json.loads(body or b"{}").get("user") == "u",
              f"urllib ProxyDigestAuthHandler (uri = the absolute URL): 200: {status}")
        _, r, _ = digest_exchange(srv, "/proxy-digest-auth/auth/u/p", "MD5", proxy=True)
        check(r.status == 200 and r.get("Proxy-Authentication-Info"),
              f"proxy digest by hand: 200 with Proxy-Authentication-Info: {r}")


# --------------------------------------------------------------------------
# Redirect chains

def test_redirect():
    with Server() as srv:
        r = curl(srv, "/redirect/3", "-L")
        check([b[0] for b in r.blocks] == [302, 302, 302, 200],
              f"curl -L /redirect/3: three 302s, then 200: {[b[0] for b in r.blocks]}")
        locs = [r.getall("Location", block=i) for i in range(3)]
        check(locs == [["/redirect/2"], ["/redirect/1"], ["/200"]],
              f"/redirect/3's hops: {locs}")
        r = curl(srv, "/redirect/2?status=307", "-L", data="payload")
        check([b[0] for b in r.blocks] == [307, 307, 200],
              f"?status=307 on every hop, curl re-POSTs: {[b[0] for b in r.blocks]}")
        check(r.getall("Location", block=0) == ["/redirect/1?status=307"],
              f"the query travels: {r.getall('Location', block=0)}")
        for code in (301, 302, 303, 308):
            r = curl(srv, f"/redirect/1?status={code}")
            check(r.status == code and r.get("Location") == f"/200?status={code}",
                  f"/redirect/1?status={code}: {r}")
        for bad in ("/redirect/1?status=300", "/redirect/1?status=200",
                    "/redirect/1?status=x", "/redirect/0", "/redirect/101", "/redirect/x",
                    "/redirect"):
            check(curl(srv, bad).status == 400, f"{bad}: 400")
        r = curl(srv, "/redirect/100", "-L", "--max-redirs", "100")
        check(r.status == 200 and len(r.blocks) == 101, f"/redirect/100 ends at /200: {len(r.blocks)}")
        r = curl(srv, "/redirect/2?absolute=true")
        check(r.get("Location") == f"{srv.url}redirect/1?absolute=true",
              f"/redirect/2?absolute=true: an absolute URL: {r.get('Location')!r}")
        r = curl(srv, "/relative-redirect/2", "-L")
        check([b[0] for b in r.blocks] == [302, 302, 200] and
              r.getall("Location", block=0) == ["/relative-redirect/1"],
              f"/relative-redirect/2: {r.blocks}")
        r = curl(srv, "/absolute-redirect/2", "-L")
        check([b[0] for b in r.blocks] == [302, 302, 200] and
              r.getall("Location", block=0) == [f"{srv.url}absolute-redirect/1"] and
              r.getall("Location", block=1) == [f"{srv.url}200"],
              f"/absolute-redirect/2 to the request's own origin: {r.blocks}")
        r = curl(srv, "/absolute-redirect/1", headers=["Host: example.test:8443"])
        check(r.get("Location") == "http://example.test:8443/200",
              f"absolute URLs come from the Host field: {r.get('Location')!r}")
        r = curl(srv, "/absolute-redirect/1", headers=["Host: [::1]:9"])
        check(r.get("Location") == "http://[::1]:9/200", f"an IPv6 Host: {r.get('Location')!r}")
        for host in ("a@evil.test", "a/b", "evil.test:80x", "[zz]", "a b"):
            r = curl(srv, "/absolute-redirect/1", headers=[f"Host: {host}"])
            check(r.status == 400, f"Host {host!r}: no absolute redirect, 400: {r}")
        data, _, _ = exchange(srv, req("GET", "/absolute-redirect/1", version="HTTP/1.0",
                                       host=False))
        check(data and data[0].code == 400, f"HTTP/1.0 without Host: 400: {data}")
        data, _, _ = exchange(srv, req("GET", "http://proxy.test:81/absolute-redirect/1"))
        check(data and data[0].get("Location") == "http://proxy.test:81/200",
              f"an absolute-form target names the origin: {data}")

        # /redirect-to
        r = curl(srv, "/redirect-to?url=/404", "-L")
        check([b[0] for b in r.blocks] == [302, 404], f"/redirect-to?url=/404: {r.blocks}")
        r = curl(srv, "/redirect-to?url=%2Fteapot%3Fa%3Db&status_code=307")
        check(r.status == 307 and r.get("Location") == "/teapot?a=b",
              f"url= is decoded, status_code= is used: {r}")
        for bad in ("/redirect-to?url=http://evil.test/", "/redirect-to?url=//evil.test",
                    "/redirect-to", "/redirect-to?url=/x&status_code=200",
                    "/redirect-to?url=/x&status_code=400", "/redirect-to?url=%zz",
                    "/redirect-to?url=/a%0d%0aX:1"):
            check(curl(srv, bad).status == 400, f"{bad}: 400")
        check(curl(srv, "/redirect-to/x?url=/").status == 404, "/redirect-to/x: 404")

        # The endless chain: a client's limit.
        r = curl(srv, "/redirect-loop")
        check(r.status == 302 and r.get("Location") == "/redirect-loop/1", f"/redirect-loop: {r}")
        r = curl(srv, "/redirect-loop/41")
        check(r.get("Location") == "/redirect-loop/42", f"/redirect-loop/41: {r}")
        p = subprocess.run(["curl", "-sS", "-L", "--max-redirs", "5", "-o", os.devnull,
                            "-w", "%{num_redirects}", srv.url + "redirect-loop"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=20)
        check(p.returncode == 47 and p.stdout == b"5",
              f"curl --max-redirs 5 stops after 5 (exit 47): {p.returncode} {p.stdout!r}")

        # Python's urllib follows chains and has a limit of 10.
        status, _, body, url = urlopen(srv.url + "redirect/3")
        check(status == 200 and url == srv.url + "200", f"urllib follows /redirect/3: {status} {url}")
        status, _, _, url = urlopen(srv.url + "absolute-redirect/4")
        check(status == 200 and url == srv.url + "200", f"urllib /absolute-redirect/4: {url}")
        try:
            opener().open(srv.url + "redirect-loop", timeout=10)
            check(False, "urllib gave up on /redirect-loop")
        except urllib.error.HTTPError as e:
            check(e.code == 302 and "infinite loop" in str(e.reason),
                  f"urllib stops /redirect-loop at its limit: {e.code} {e.reason}")
        status, _, _, _ = urlopen(srv.url + "redirect/10")
        check(status == 200, f"urllib follows 10 redirects: {status}")
        status, _, _, _ = urlopen(srv.url + "redirect/11")
        check(status == 302, f"urllib does not follow 11: {status}")

        # Node's fetch: follows up to 20.
        got = fetch(srv.url + "redirect/5?status=308")
        check(got.get("status") == 200 and got.get("url") == srv.url + "200?status=308",
              f"fetch follows /redirect/5: {got}")
        got = fetch(srv.url + "redirect-loop")
        check("redirect" in got.get("error", ""), f"fetch gives up on /redirect-loop: {got}")
        got = fetch(srv.url + "redirect/1", redirect="manual")
        check(got.get("status") == 302 and got.get("headers", {}).get("location") == "/200",
              f"fetch redirect: manual sees the 302: {got}")

    with Server("--allow-redirect-host", "ok.test") as srv:
        r = curl(srv, "/redirect-to?url=https://ok.test/x")
        check(r.status == 302 and r.get("Location") == "https://ok.test/x",
              f"/redirect-to an allowed host: {r}")
        r = curl(srv, "/redirect-to?url=https://evil.test/x")
        check(r.status == 400, f"/redirect-to another host: 400: {r}")


def test_over_http2():
    """The routes that read the request, over HTTP/2 (curl, prior knowledge):
    the same core answers them from :authority and the same fields."""
    h2 = "--http2-prior-knowledge"
    with Server() as srv:
        r = curl(srv, "/etag/abc", h2, headers=['If-None-Match: "abc"'])
        check(r.status == 304 and r.get("ETag") == '"abc"' and r.body == b"",
              f'h2 /etag/abc, If-None-Match: "abc": 304 with its ETag, got {r}')
        r = curl(srv, "/etag/abc", h2, headers=['If-Match: "xyz"'])
        check(r.status == 412, f'h2 /etag/abc, If-Match: "xyz": 412, got {r}')
        r = curl(srv, "/range/100", h2, headers=["Range: bytes=10-19"])
        check(r.status == 206 and r.body == pattern(100)[10:20] and
              r.get("Content-Range") == "bytes 10-19/100",
              f"h2 /range/100, bytes=10-19: 206 with those bytes, got {r} {r.body!r}")
        r = curl(srv, "/range/100", h2, headers=["Range: bytes=200-"])
        check(r.status == 416 and r.get("Content-Range") == "bytes */100",
              f"h2 /range/100, bytes=200-: 416 bytes */100, got {r}")
        r = curl(srv, "/basic-auth/u/p", h2, "-u", "u:p")
        check(r.status == 200 and json.loads(r.body or b"{}").get("authenticated") is True,
              f"h2 /basic-auth/u/p with u:p: 200, got {r} {r.body!r}")
        r = curl(srv, "/basic-auth/u/p", h2, "-u", "u:wrong")
        check(r.status == 401 and (r.get("WWW-Authenticate") or "").startswith("Basic"),
              f"h2 /basic-auth/u/p with a wrong password: 401 with a Basic challenge, got {r}")
        # By hand, one connection per request (curl 7.88 cannot reuse a
        # prior-knowledge connection, which curl --digest would need).
        _, r, rspauth = digest_exchange(srv, "/digest-auth/auth/u/p", "MD5", curl_args=(h2,))
        check(r.status == 200 and rspauth in (r.get("Authentication-Info") or ""),
              f"h2 /digest-auth/auth/u/p answered by hand: 200 with rspauth, got {r}")
        r = curl(srv, "/absolute-redirect/1", h2)
        check(r.status == 302 and r.get("Location") == f"{srv.url}200",
              f"h2 /absolute-redirect/1: 302 to {srv.url}200 (from :authority), got {r}")
        r = curl(srv, "/redirect/3?status=307", h2)
        check(r.status == 307 and r.get("Location") is not None,
              f"h2 /redirect/3?status=307: a 307 hop, got {r}")


GROUPS = {name[5:]: fn for name, fn in globals().items() if name.startswith("test_")}

if __name__ == "__main__":
    sys.exit(st.main(GROUPS))
