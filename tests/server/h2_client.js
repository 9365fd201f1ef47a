// SPDX-License-Identifier: MIT
// h2_client.js - Node's http2 client for the HTTP/2 tests (h2_test.py).
//
//   node h2_client.js URL REQUESTS.json [--ca FILE]
//
// REQUESTS.json is a list of {path, method?, headers?, body?, at?}; all of
// them go over ONE connection, in order, at most `--concurrency N` streams
// at once (default 50); one with `at` starts that many ms after the
// connection opened instead. Prints one
// JSON document: {results: [...], session_error, goaway}, each result being
// {path, interim: [1xx statuses from 'headers' events], status, headers,
// length (DATA bytes), rst (RST_STREAM code or null), error, t_start, t_head,
// t_end (ms since the connection opened), continued ('continue' event)}.
'use strict';
const fs = require('fs');
const http2 = require('http2');

const url = process.argv[2];
const requests = JSON.parse(fs.readFileSync(process.argv[3], 'utf8'));
const caIndex = process.argv.indexOf('--ca');
const options = {};
if (caIndex > 0) options.ca = fs.readFileSync(process.argv[caIndex + 1]);
const concurrencyIndex = process.argv.indexOf('--concurrency');
const concurrency =
  concurrencyIndex > 0 ? parseInt(process.argv[concurrencyIndex + 1], 10) : 50;

const t0 = Date.now();
const now = () => Date.now() - t0;
const out = { results: new Array(requests.length), session_error: null, goaway: null };
const session = http2.connect(url, options);
session.on('error', (e) => { out.session_error = e.code || String(e); });
session.on('goaway', (code, last) => { out.goaway = { code, last }; });

let next = 0;
let running = 0;
let done = 0;

function finish() {
  if (done === requests.length) {
    session.close();
    process.stdout.write(JSON.stringify(out) + '\n');
  }
}

function start() {
  while (running < concurrency && next < requests.length) {
    const i = next++;
    const spec = requests[i];
    running++;
    if (spec.at) setTimeout(() => run(i, spec), spec.at);
    else run(i, spec);
  }
}

function run(i, spec) {
  const r = {
    path: spec.path, interim: [], status: null, headers: null, length: 0,
    rst: null, error: null, t_start: now(), t_head: null, t_end: null,
    continued: false,
  };
  out.results[i] = r;
  const headers = Object.assign({ ':path': spec.path, ':method': spec.method || 'GET' },
    spec.headers || {});
  const hasBody = spec.body !== undefined;
  let req;
  try {
    req = session.request(headers, { endStream: !hasBody });
  } catch (e) {
    r.error = e.code || String(e);
    end();
    return;
  }
  let ended = false;
  function end() {
    if (ended) return;
    ended = true;
    r.t_end = now();
    running--;
    done++;
    start();
    finish();
  }
  req.on('headers', (h) => { r.interim.push(Number(h[':status'])); });
  req.on('continue', () => { r.continued = true; req.end(spec.body); });
  req.on('response', (h) => {
    r.status = Number(h[':status']);
    r.t_head = now();
    r.headers = {};
    for (const k of Object.keys(h)) r.headers[k] = h[k];
  });
  req.on('data', (chunk) => { r.length += chunk.length; });
  req.on('error', (e) => { r.error = e.code || String(e); });
  req.on('close', () => {
    if (req.rstCode !== undefined && req.rstCode !== http2.constants.NGHTTP2_NO_ERROR)
      r.rst = req.rstCode;
    end();
  });
  if (hasBody && !(spec.headers && spec.headers.expect)) req.end(spec.body);
}

start();
