#!/usr/bin/env node
// SPDX-License-Identifier: MIT
//
// One request with Node's standard http client, for tests/server:
//   node node_client.js URL [JSON-OPTIONS]
// OPTIONS: {"method": "GET", "headers": {...}}. Prints one JSON line:
// {"status", "headers" (raw pairs), "body" (latin1), "interim": [{"status",
// "headers"}] (1xx responses in arrival order), "ms" (request to end)} or
// {"error": CODE} when the exchange failed (ECONNRESET, ...).
'use strict';
const http = require('http');

const url = process.argv[2];
const opts = process.argv[3] ? JSON.parse(process.argv[3]) : {};
const started = process.hrtime.bigint();
const interim = [];
const ms = () => Number(process.hrtime.bigint() - started) / 1e6;
const pairs = (raw) => {
  const out = [];
  for (let i = 0; i < raw.length; i += 2) out.push([raw[i], raw[i + 1]]);
  return out;
};

const req = http.request(url, { method: opts.method || 'GET', headers: opts.headers || {},
                                agent: false }, (res) => {
  const chunks = [];
  res.on('data', (c) => chunks.push(c));
  res.on('end', () => {
    console.log(JSON.stringify({
      status: res.statusCode, headers: pairs(res.rawHeaders),
      body: Buffer.concat(chunks).toString('latin1'), interim, ms: ms(),
    }));
  });
  res.on('error', (e) => console.log(JSON.stringify({ error: e.code || String(e), status: res.statusCode })));
});
req.on('information', (info) => interim.push({ status: info.statusCode, headers: pairs(info.rawHeaders), ms: ms() }));
req.on('error', (e) => console.log(JSON.stringify({ error: e.code || String(e) })));
req.end();
