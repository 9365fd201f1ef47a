/* SPDX-License-Identifier: MIT */
// search.js - httpstatus_search (src/lib/search.c) in JavaScript, so the
// catalog page filters instantly, also as static files without a server.
// It must rank exactly as the library does: tests/web/pages.test.js runs
// the same queries through the command, /api/search and this file.
// httpstatusSearch(entries, query) returns the indices of the matching
// entries (objects as /api/codes has them), best first.
"use strict";

(function (root) {
  const TIER_EXACT = 0, TIER_PHRASE = 1, TIER_KEYWORD = 2, TIER_SUMMARY = 3,
    TIER_ORIGIN = 4, TIER_NONE = 5;
  const RANKS = 2 * TIER_NONE;
  const MAX_WORDS = 32, MIN_PREFIX = 3, WORD_MAX = 64;
  const NAMESPACES = ["http", "status", "httpstatus", "code", "sc",
    "statuscode", "httpstatuscode"];
  const ENDINGS = ["ies", "ing", "es", "ed", "s"];

  const code = (s, i) => (i < s.length ? s.charCodeAt(i) : 0);
  const isUpper = (c) => c >= 65 && c <= 90;
  const isLower = (c) => c >= 97 && c <= 122;
  const isDigit = (c) => c >= 48 && c <= 57;
  const isWord = (c) => isUpper(c) || isLower(c) || isDigit(c) || c >= 0x80;
  const isSpace = (c) => c === 32 || (c >= 9 && c <= 13);
  const APOS = 39;

  function fold(s) {
    let out = "";
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c !== APOS) out += isUpper(c) ? String.fromCharCode(c + 32) : s[i];
    }
    return out;
  }

  function stemLen(w) {
    const n = w.length;
    for (const e of ENDINGS) {
      const k = e.length;
      if (n >= k + MIN_PREFIX && w.endsWith(e) && !(k === 1 && w[n - 2] === "s"))
        return n - k;
    }
    return n;
  }

  // Query word q (folded, stem qs) against text word t: equal, or q or its
  // stem starts t.
  function wordMatches(q, qs, t) {
    const qn = q.length;
    let same = 0, i = 0;
    for (; i < t.length && same < qn; i++) {
      const c = t.charCodeAt(i);
      if (c === APOS) continue;
      const f = isUpper(c) ? c + 32 : c;
      if (f !== q.charCodeAt(same)) break;
      same++;
    }
    if (same === qn) {
      let longer = false;
      for (; i < t.length && !longer; i++) longer = t.charCodeAt(i) !== APOS;
      return !longer || qn >= MIN_PREFIX;
    }
    return qs >= MIN_PREFIX && same >= qs;
  }

  // The words of a text: runs of word characters, apostrophes inside.
  function textWords(text) {
    const out = [];
    let p = 0;
    while (p < text.length) {
      while (p < text.length && !isWord(code(text, p))) p++;
      const start = p;
      while (p < text.length && (isWord(code(text, p)) ||
             (code(text, p) === APOS && p > start && isWord(code(text, p + 1)))))
        p++;
      if (p > start) out.push(text.slice(start, p));
    }
    return out;
  }

  const textHas = (text, nd) => textWords(text || "").some((w) => wordMatches(nd.q, nd.stem, w));
  const listHas = (list, nd) => (list || []).some((t) => textHas(t, nd));

  function sameWord(a, b) {
    if (a.length > WORD_MAX || b.length > WORD_MAX) return false;
    return fold(a) === fold(b);
  }

  function wordsEqual(words, text) {
    if (text === null || text === undefined) return false;
    const tw = textWords(text);
    if (tw.length !== words.length) return false;
    return words.every((w, i) => sameWord(w, tw[i]));
  }

  const listEqual = (words, list) => (list || []).some((t) => wordsEqual(words, t));

  function isIdentifier(s) {
    const len = s.length;
    let camel = false;
    for (let i = 0; i < len; i++) {
      const c = s.charCodeAt(i);
      if (c === 95 || (c === 46 && i + 1 < len)) return true;
      camel = camel || (i > 0 && isLower(s.charCodeAt(i - 1)) && isUpper(c));
    }
    return camel && len >= 2 && isUpper(s.charCodeAt(0)) &&
      !(isUpper(s.charCodeAt(len - 1)) && isLower(s.charCodeAt(len - 2)));
  }

  function add(ws, s) {
    if (s.length === 0) return;
    if (ws.w.length === MAX_WORDS) {
      ws.overflow = true;
      return;
    }
    ws.w.push(s);
  }

  function addIdentifier(ws, s) {
    for (let i = s.length; i > 0; i--)
      if (s[i - 1] === "." && i < s.length) {
        s = s.slice(i);
        break;
      }
    const first = ws.w.length, len = s.length;
    let start = 0;
    for (let i = 0; i <= len; i++) {
      const end = i === len || !isWord(s.charCodeAt(i));
      const camel = !end && i > start &&
        ((isLower(s.charCodeAt(i - 1)) && isUpper(s.charCodeAt(i))) ||
         (i + 1 < len && isUpper(s.charCodeAt(i - 1)) && isUpper(s.charCodeAt(i)) &&
          isLower(s.charCodeAt(i + 1))));
      if (end || camel) {
        add(ws, s.slice(start, i));
        start = end ? i + 1 : i;
      }
    }
    let drop = 0;
    while (first + drop + 1 < ws.w.length && NAMESPACES.includes(fold(ws.w[first + drop])))
      drop++;
    ws.w.splice(first, drop);
  }

  // Cuts the query into words; reports whether a token was read as code.
  function splitQuery(query, asCode) {
    const ws = { w: [], overflow: false, asCode: false };
    let p = 0;
    while (p < query.length) {
      while (p < query.length && isSpace(code(query, p))) p++;
      const t0 = p;
      while (p < query.length && !isSpace(code(query, p))) p++;
      const token = query.slice(t0, p);
      if (asCode && isIdentifier(token)) {
        addIdentifier(ws, token);
        ws.asCode = true;
        continue;
      }
      const len = token.length;
      for (let i = 0; i < len;) {
        while (i < len && !isWord(token.charCodeAt(i))) i++;
        const start = i;
        while (i < len && (isWord(token.charCodeAt(i)) ||
               (token.charCodeAt(i) === APOS && i > start && i + 1 < len &&
                isWord(token.charCodeAt(i + 1)))))
          i++;
        add(ws, token.slice(start, i));
      }
    }
    return ws;
  }

  function needle(w) {
    const q = w.length > WORD_MAX ? "" : fold(w);
    return { q, stem: stemLen(q) };
  }

  function wordTier(e, nd) {
    if (nd.q.length === 0) return TIER_NONE;
    if ((nd.q.length === 3 && e.code >= 100 && e.code <= 999 && nd.q === String(e.code)) ||
        textHas(e.phrase, nd) || listHas(e.aliases, nd))
      return TIER_PHRASE;
    if (listHas(e.keywords, nd)) return TIER_KEYWORD;
    if (textHas(e.summary, nd)) return TIER_SUMMARY;
    return textHas(e.origin, nd) ? TIER_ORIGIN : TIER_NONE;
  }

  function entryTier(e, words, needles) {
    if (wordsEqual(words, e.phrase) || listEqual(words, e.aliases) ||
        listEqual(words, e.keywords))
      return TIER_EXACT;
    let worst = TIER_EXACT;
    for (let i = 0; i < needles.length && worst !== TIER_NONE; i++)
      worst = Math.max(worst, wordTier(e, needles[i]));
    return worst === TIER_EXACT ? TIER_PHRASE : worst;
  }

  function rankRows(entries, query, asCode, rank) {
    const ws = splitQuery(query, asCode);
    if (ws.w.length === 0 || ws.overflow) return null;
    const needles = ws.w.map(needle);
    entries.forEach((e, i) => {
      const t = entryTier(e, ws.w, needles);
      const r = t === TIER_NONE ? RANKS : 2 * t + (e.status === "unofficial" ? 1 : 0);
      if (r < rank[i]) rank[i] = r;
    });
    return ws;
  }

  function httpstatusSearch(entries, query) {
    if (typeof query !== "string") return [];
    const rank = new Array(entries.length).fill(RANKS);
    const ws = rankRows(entries, query, true, rank);
    if (!ws) return [];
    if (ws.asCode) rankRows(entries, query, false, rank);
    const out = [];
    for (let r = 0; r < RANKS; r++)
      for (let i = 0; i < entries.length; i++) if (rank[i] === r) out.push(i);
    return out;
  }

  root.httpstatusSearch = httpstatusSearch;
  if (typeof module === "object" && module.exports) module.exports = httpstatusSearch;
})(typeof window === "object" ? window : globalThis);
