#!/usr/bin/env node
// SPDX-License-Identifier: MIT
// The reference's pages in headless Chromium, driven by playwright-core
// (installed into the build tree by npm_setup.sh): as `httpstatus serve`
// sends them and as `httpstatus site DIR` writes them.
//
//   pages_test.js GROUP --bin PATH --source DIR --node DIR --out DIR
//
// GROUP is one of the groups at the bottom; CTest runs each as
// server_page_<group> or site_<group>. Screenshots go to OUT/screenshots.
// A missing playwright-core or chromium is a failure, never a skip.
"use strict";

const fs = require("fs");
const os = require("os");
const path = require("path");
const http = require("http");
const { spawn, spawnSync } = require("child_process");

const ARGS = {};
for (let i = 3; i < process.argv.length; i += 2) ARGS[process.argv[i].replace(/^--/, "")] = process.argv[i + 1];
const GROUP = process.argv[2];
const CHROMIUM = "/usr/bin/chromium";
const FAILURES = [];
let CHECKS = 0;
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), "httpstatus-web-test-"));
const SHOTS = path.join(ARGS.out || TMP, "screenshots");

function check(cond, what) {
  CHECKS++;
  if (!cond) {
    FAILURES.push(what);
    console.log("FAIL:", what);
  }
  return !!cond;
}

function playwright() {
  const where = path.join(ARGS.node || "", "node_modules", "playwright-core");
  try {
    return require(where);
  } catch (e) {
    throw new Error(`playwright-core is not installed at ${where} (tests/web/npm_setup.sh installs it ` +
      `from the npm registry; is npm reachable?): ${e.message}`);
  }
}

// ---------------------------------------------------------------------------
// The catalog, from the command

function cli(args) {
  const p = spawnSync(ARGS.bin, args, { encoding: "utf8" });
  return { status: p.status, stdout: p.stdout, stderr: p.stderr };
}

let CATALOG = null;
function catalog() {
  if (!CATALOG) CATALOG = JSON.parse(cli(["list", "--json"]).stdout);
  return CATALOG;
}
const key = (e) => e.code + " " + e.phrase;

// ---------------------------------------------------------------------------
// The server

async function withServer(fn) {
  const proc = spawn(ARGS.bin, ["serve", "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
  let err = "";
  proc.stderr.on("data", (d) => (err += d));
  const base = await new Promise((resolve, reject) => {
    let out = "";
    const t = setTimeout(() => reject(new Error("server printed no URL: " + err)), 20000);
    proc.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/^(http:\/\/[^\s]+\/)\n/);
      if (m) {
        clearTimeout(t);
        resolve(m[1]);
      }
    });
    proc.on("exit", (c) => reject(new Error("server exited " + c + ": " + err)));
  });
  try {
    await fn(base.replace(/\/$/, ""));
  } finally {
    const done = new Promise((r) => proc.on("exit", (code, sig) => r([code, sig])));
    proc.kill("SIGTERM");
    const [code, sig] = await done;
    check(code === 0, `server exits 0 on SIGTERM, got ${code} ${sig}`);
    check(!/AddressSanitizer|runtime error:|LeakSanitizer/.test(err), "server: no sanitizer report: " + err.slice(-500));
  }
}

function get(url, headers) {
  return new Promise((resolve, reject) => {
    http.get(url, { headers: headers || {} }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body }));
    }).on("error", reject);
  });
}

// ---------------------------------------------------------------------------
// The browser

const LIGHT = { scheme: "light" }, DARK = { scheme: "dark" };

async function withBrowser(opts, fn) {
  const { chromium } = playwright();
  const profile = fs.mkdtempSync(path.join(TMP, "profile-"));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run"],
    viewport: { width: opts.width || 1280, height: 900 },
    colorScheme: opts.scheme || "light",
    javaScriptEnabled: opts.js !== false,
  });
  // Nothing but this machine: no external font, script or request.
  const external = [];
  await ctx.route("**/*", (route) => {
    const u = route.request().url();
    if (/^(file:|data:|http:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/])/.test(u)) return route.continue();
    external.push(u);
    return route.abort();
  });
  try {
    await fn(ctx);
  } finally {
    check(external.length === 0, "the pages request nothing outside this machine: " + external.slice(0, 3));
    await ctx.close();
  }
}

// Opens url; every script error, console error or failed load fails the test.
async function open(ctx, url) {
  const page = await ctx.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push("script error: " + e.message));
  page.on("console", (m) => m.type() === "error" && problems.push("console: " + m.text()));
  page.on("requestfailed", (r) => problems.push("failed load: " + r.url()));
  const res = await page.goto(url, { waitUntil: "load" });
  page.problems = problems;
  page.status = res ? res.status() : 0;
  return page;
}

async function closePage(page, what) {
  check(page.problems.length === 0, `${what}: no script error or failed load: ${page.problems.slice(0, 3)}`);
  await page.close();
}

function shot(page, name) {
  fs.mkdirSync(SHOTS, { recursive: true });
  return page.screenshot({ path: path.join(SHOTS, name + ".png"), fullPage: true });
}

// Visible codes of the results list (data-i indexes the catalog), in order.
function resultKeys(page) {
  return page.$$eval("#results li[data-i]", (lis) => lis.map((li) => Number(li.dataset.i)))
    .then((idx) => idx.map((i) => key(catalog()[i])));
}

// ---------------------------------------------------------------------------
// Checks run in the page

// WCAG 2 contrast of every piece of visible text against the colours it is
// drawn over, as rendered; controls' borders and the focus ring at 3:1.
function contrastReport() {
  function parse(c) {
    const m = /rgba?\(([^)]+)\)/.exec(c || "");
    if (!m) return null;
    const p = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
    return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
  }
  const over = (t, b) => ({ r: t.r * t.a + b.r * (1 - t.a), g: t.g * t.a + b.g * (1 - t.a), b: t.b * t.a + b.b * (1 - t.a), a: 1 });
  function background(el) {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0) {
        layers.push(c);
        if (c.a >= 1) break;
      }
    }
    let col = { r: 255, g: 255, b: 255, a: 1 };
    for (let i = layers.length - 1; i >= 0; i--) col = over(layers[i], col);
    return col;
  }
  const lin = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4));
  const lum = (c) => 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
  const ratio = (a, b) => (Math.max(lum(a), lum(b)) + 0.05) / (Math.min(lum(a), lum(b)) + 0.05);
  const out = [];
  for (const el of document.querySelectorAll("body *")) {
    const cs = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height || cs.visibility === "hidden" || el.closest("[hidden]")) continue;
    const bg = background(el);
    const hasText = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (hasText) {
      const size = parseFloat(cs.fontSize), bold = parseInt(cs.fontWeight, 10) >= 700;
      const large = size >= 24 || (size >= 18.66 && bold);
      out.push({ what: el.tagName.toLowerCase() + "." + el.className + " '" + el.textContent.trim().slice(0, 30) + "'",
        ratio: ratio(over(parse(cs.color), bg), bg), need: large ? 3 : 4.5 });
    }
    if (el.matches("input, button")) {
      const parentBg = background(el.parentElement);
      const border = parse(cs.borderTopColor);
      const fill = parse(cs.backgroundColor);
      const edge = Math.max(ratio(over(border, parentBg), parentBg), fill && fill.a ? ratio(over(fill, parentBg), parentBg) : 1);
      out.push({ what: el.tagName.toLowerCase() + " edge", ratio: edge, need: 3 });
    }
  }
  const root = getComputedStyle(document.documentElement);
  const focus = parse(root.getPropertyValue("--focus").trim().replace(/^#(..)(..)(..)$/, (m, r, g, b) =>
    `rgb(${parseInt(r, 16)}, ${parseInt(g, 16)}, ${parseInt(b, 16)})`));
  if (focus) out.push({ what: "focus ring", ratio: ratio(focus, background(document.body)), need: 3 });
  return out;
}

function structureReport() {
  const heads = [...document.querySelectorAll("h1, h2, h3, h4, h5, h6")].map((h) => Number(h.tagName[1]));
  const skips = heads.filter((h, i) => i > 0 && h > heads[i - 1] + 1);
  const unlabeled = [...document.querySelectorAll("input, select, textarea")].filter((c) =>
    !(c.labels && c.labels.length) && !c.getAttribute("aria-label")).map((c) => c.outerHTML);
  return {
    h1: heads.filter((h) => h === 1).length, first: heads[0], skips: skips.length,
    lang: document.documentElement.lang, title: document.title, unlabeled,
    main: !!document.querySelector("main#main"), skip: !!document.querySelector('a.skip[href="#main"]'),
  };
}

async function checkStructure(page, what, titleHas) {
  const s = await page.evaluate(structureReport);
  check(s.h1 === 1 && s.first === 1, `${what}: one h1, first: ${JSON.stringify(s)}`);
  check(s.skips === 0, `${what}: heading levels never skip: ${JSON.stringify(s)}`);
  check(s.lang === "en", `${what}: <html lang="en">: ${s.lang}`);
  check(s.title.includes(titleHas), `${what}: the title names ${titleHas}: ${s.title}`);
  check(s.unlabeled.length === 0, `${what}: every form control has a label: ${s.unlabeled}`);
  check(s.main && s.skip, `${what}: a skip link to <main id="main">`);
}

async function noSideways(page, what) {
  const w = await page.evaluate(() => document.documentElement.scrollWidth);
  check(w <= 390, `${what} at 390 px: no horizontal scroll (scrollWidth ${w})`);
}

// ---------------------------------------------------------------------------
// Queries for the search agreement

function queries() {
  const fixed = ["rate limit", "redirect", "Not Found", "no content", "timeouts", "teapot", "I'm a teapot",
    "payload too large", "TOO_MANY_REQUESTS", "HTTPStatus.NOT_FOUND", "StatusNotFound", "HTTP_STATUS_NOT_FOUND",
    "NotFound", "webdav", "WebDAV", "CloudFlare", "cloudflare", "nginx", "throttle", "throttled", "proxies",
    "404", "418 teapot", "gateway timeout", "auth", "not", "xyzzy", "time out", "ssl", "legal", "too",
    "Microsoft IIS", "a", "request header fields too large", "unavailable for legal reasons", "moved"];
  const set = new Set(fixed);
  for (const e of catalog()) {
    const words = e.phrase.split(/\s+/);
    set.add(e.phrase);
    set.add(words[0]);
    set.add(words[0].slice(0, 3));
    set.add(words[words.length - 1] + "s");
    set.add(e.summary.split(/\s+/).slice(0, 2).join(" "));
    set.add(e.origin);
    for (const k of e.keywords) set.add(k);
    for (const c of e.constants) set.add(c);
  }
  return [...set].filter((q) => q.trim() && !q.startsWith("-") && !/\s\s/.test(q));
}

const CLASS_NAMES = /^(informational|successful?|redirection|(client|server) errors?)$/i;

// ---------------------------------------------------------------------------
// Groups

const GROUPS = {};

// Screenshots at 1280 and 390 px, light and dark; nothing scrolls sideways
// on a phone, on any page.
GROUPS.server_page_render = () => withServer(async (base) => {
  for (const scheme of [LIGHT, DARK])
    for (const width of [1280, 390])
      await withBrowser({ ...scheme, width }, async (ctx) => {
        for (const [name, url] of [["catalog", "/catalog"], ["404", "/catalog/404"], ["429", "/catalog/429"],
          ["451", "/catalog/451"], ["search", "/catalog?q=rate+limit"], ["index", "/"]]) {
          const page = await open(ctx, base + url);
          check(page.status === 200, `${url}: 200, got ${page.status}`);
          await shot(page, `${name}-${width}-${scheme.scheme}`);
          if (width === 390) await noSideways(page, url);
          await closePage(page, url);
        }
        if (width === 390 && scheme === LIGHT) {
          const page = await ctx.newPage();
          for (const code of [...new Set(catalog().map((e) => e.code))]) {
            await page.goto(`${base}/catalog/${code}`);
            await noSideways(page, `/catalog/${code}`);
          }
          await page.close();
        }
      });
});

GROUPS.server_page_contrast = () => withServer(async (base) => {
  for (const scheme of [LIGHT, DARK])
    await withBrowser(scheme, async (ctx) => {
      for (const url of ["/catalog", "/catalog/404", "/catalog/451", "/catalog/101", "/catalog?q=cloudflare", "/"]) {
        const page = await open(ctx, base + url);
        const report = await page.evaluate(contrastReport);
        const bad = report.filter((r) => !(r.ratio >= r.need));
        check(report.length > 20, `${url} ${scheme.scheme}: contrast measured on the page's text (${report.length} items)`);
        check(bad.length === 0, `${url} ${scheme.scheme}: WCAG AA contrast: ` +
          bad.slice(0, 5).map((b) => `${b.what} ${b.ratio.toFixed(2)} < ${b.need}`).join("; "));
        await closePage(page, url);
      }
    });
});

// Without JavaScript: the explanation, the whole catalog, the search.
GROUPS.server_page_nojs = () => withServer(async (base) => {
  await withBrowser({ js: false }, async (ctx) => {
    let page = await open(ctx, base + "/catalog/404");
    const text = await page.innerText("main");
    const x = JSON.parse(cli(["--json", "explain", "404"]).stdout)[0];
    check(text.includes("What it means") && text.includes(x.meaning.split("\n\n")[0].replace(/`/g, "").slice(0, 60)),
      "/catalog/404 without JS: the explanation is shown");
    check(await page.$eval("#example + pre", (p) => p.textContent.includes("HTTP/1.1 404")),
      "/catalog/404 without JS: the example exchange in <pre>");
    check(text.includes("curl -i " + base + "/404"), "/catalog/404: the curl line names the request's host: " + base);
    const related = await page.$$eval("ul.related a", (as) => as.map((a) => a.getAttribute("href")));
    check(related.length > 0 && related.every((h) => /^\/catalog\/\d{3}$/.test(h)), "/catalog/404: related codes as links: " + related);
    await closePage(page, "/catalog/404");

    page = await open(ctx, base + "/catalog");
    const keys = await page.$$eval("#groups li[data-i]", (lis) => lis.map((li) => Number(li.dataset.i)));
    check(keys.length === catalog().length && new Set(keys).size === catalog().length,
      `/catalog without JS: every entry listed (${keys.length} of ${catalog().length})`);
    check(await page.isVisible("#groups"), "/catalog without JS: the list is visible");
    await closePage(page, "/catalog");

    page = await open(ctx, base + "/catalog");
    await page.fill("#q", "rate limit");
    await Promise.all([page.waitForNavigation(), page.press("#q", "Enter")]);
    const got = await resultKeys(page);
    check(got[0] === key(catalog().find((e) => e.code === 429)), "/catalog search without JS: rate limit finds 429 first: " + got);
    check(page.url().endsWith("/catalog?q=rate+limit"), "the form submits to /catalog?q=: " + page.url());
    await closePage(page, "/catalog?q=");

    // A browser visiting /404 gets the page, with status 404.
    page = await open(ctx, base + "/404");
    check(page.status === 404, "/404 in a browser: status 404, got " + page.status);
    check((await page.innerText("h1")).includes("404 Not Found"), "/404 in a browser: the page of 404");
    // The browser logs the page's own 404; nothing else may fail.
    page.problems = page.problems.filter((p) => !/status of 404/.test(p));
    await closePage(page, "/404");
  });
});

GROUPS.server_page_structure = () => withServer(async (base) => {
  await withBrowser({}, async (ctx) => {
    for (const [url, title] of [["/catalog", "HTTP status codes"], ["/catalog/404", "404 Not Found"],
      ["/catalog/429", "429 Too Many Requests"], ["/catalog?q=teapot", "teapot"], ["/catalog/599", "599"],
      ["/", "httpstatus serve"]]) {
      const page = await open(ctx, base + url);
      await checkStructure(page, url, title);
      await closePage(page, url);
    }
    const page = await open(ctx, base + "/catalog/451");
    const rules = await page.innerText("dl.rules");
    check(/Link[^\n]*\(SHOULD\)/.test(rules) && /Cacheable by default\s+yes/.test(rules),
      "/catalog/451: rules say Link (SHOULD) and cacheable: " + rules);
    await closePage(page, "/catalog/451");
  });
});

// Keyboard: a visible skip link first, then the search field and the
// links, each with a visible focus ring; the filter finds 429.
GROUPS.server_page_keyboard = () => withServer(async (base) => {
  await withBrowser({}, async (ctx) => {
    const page = await open(ctx, base + "/catalog");
    const focused = () => page.evaluate(() => {
      const el = document.activeElement, cs = getComputedStyle(el), r = el.getBoundingClientRect();
      return { id: el.id, cls: el.className, tag: el.tagName, outline: cs.outlineStyle, width: parseFloat(cs.outlineWidth),
        visible: r.bottom > 0 && r.top < innerHeight && r.width > 0 };
    });
    await page.keyboard.press("Tab");
    let f = await focused();
    check(f.cls === "skip" && f.visible && f.outline !== "none" && f.width >= 2, "first Tab: the skip link, visible with a focus ring: " + JSON.stringify(f));
    let reached = null, links = 0;
    for (let i = 0; i < 12 && !reached; i++) {
      await page.keyboard.press("Tab");
      f = await focused();
      if (f.tag === "A") {
        links++;
        check(f.outline !== "none" && f.width >= 2, "a focused link has a visible focus ring: " + JSON.stringify(f));
      }
      if (f.id === "q") reached = f;
    }
    check(reached && reached.outline !== "none" && reached.width >= 2, "Tab reaches the search field, with a focus ring: " + JSON.stringify(reached));
    check(links > 0, "Tab passes links before the search field (the site's navigation)");
    await page.keyboard.type("rate limit");
    const got = await resultKeys(page);
    check(got[0] === key(catalog().find((e) => e.code === 429)), "typing 'rate limit' shows 429 first: " + got.slice(0, 3));
    check(page.url().endsWith("?q=rate+limit"), "the filter is kept in the URL: " + page.url());
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    f = await focused();
    check(f.tag === "A" && f.outline !== "none", "Tab then reaches the first match's link: " + JSON.stringify(f));
    await closePage(page, "/catalog keyboard");
  });
});

// The command, /api/search, search.js and the page's filter rank alike.
GROUPS.server_page_search = () => withServer(async (base) => {
  const search = require(path.join(ARGS.source, "web", "search.js"));
  const all = catalog();
  const qs = queries();
  check(qs.length > 300, `enough queries to compare (${qs.length})`);
  const api = new Map();
  let mismatches = 0, found = 0;
  for (const q of qs) {
    const r = await get(base + "/api/search?q=" + encodeURIComponent(q));
    const list = JSON.parse(r.body).map(key);
    api.set(q, list);
    found += list.length > 0;
    const js = search(all, q).map((i) => key(all[i]));
    if (JSON.stringify(js) !== JSON.stringify(list) && mismatches++ < 5)
      check(false, `search.js ranks '${q}' as /api/search does: js ${js.slice(0, 5)} api ${list.slice(0, 5)}`);
  }
  check(mismatches === 0, `search.js and /api/search agree on all ${qs.length} queries (${mismatches} differ)`);
  check(found > qs.length * 0.8, `most queries find something (${found} of ${qs.length})`);
  // The command: byte for byte the same JSON as /api/search.
  let cliDiffer = 0;
  const some = qs.filter((q, i) => !CLASS_NAMES.test(q) && (i < 40 || i % 7 === 0));
  for (const q of some) {
    const out = cli(["--json", "search", ...q.split(" ")]);
    const r = await get(base + "/api/search?q=" + encodeURIComponent(q));
    if (out.stdout !== r.body && cliDiffer++ < 5)
      check(false, `httpstatus --json search ${q} prints what /api/search sends: ${out.stdout.slice(0, 80)} vs ${r.body.slice(0, 80)}`);
  }
  check(cliDiffer === 0, `the command and /api/search agree on ${some.length} queries`);
  check(JSON.stringify(api.get("rate limit").slice(0, 1)) === JSON.stringify(["429 Too Many Requests"]), "rate limit: 429 first");
  // The page's filter in Chromium.
  await withBrowser({}, async (ctx) => {
    const page = await open(ctx, base + "/catalog");
    let differ = 0;
    const inPage = qs.filter((q, i) => i < 40 || i % 11 === 0);
    for (const q of inPage) {
      await page.fill("#q", q);
      const got = await resultKeys(page);
      if (JSON.stringify(got) !== JSON.stringify(api.get(q)) && differ++ < 5)
        check(false, `the page's filter ranks '${q}' as /api/search: ${got.slice(0, 5)} vs ${api.get(q).slice(0, 5)}`);
    }
    check(differ === 0, `the page's filter agrees with /api/search on ${inPage.length} queries`);
    await page.fill("#q", "");
    check(await page.isVisible("#groups") && !(await page.$("#results")), "an empty filter shows every code again");
    await closePage(page, "/catalog filter");
  });
});

// `httpstatus site DIR`: the files, every link resolving, pages opening
// from file:// with the static search working.
GROUPS.site_static = async () => {
  const dir = path.join(TMP, "site");
  const run = cli(["site", dir]);
  check(run.status === 0, `httpstatus site DIR: exit 0, got ${run.status}: ${run.stderr}`);
  const codes = [...new Set(catalog().map((e) => e.code))];
  for (const f of ["index.html", "api/codes.json", "static/catalog.css", "static/catalog.js", "static/search.js",
    ...codes.map((c) => `${c}/index.html`)])
    check(fs.existsSync(path.join(dir, f)), `site: ${f} exists`);
  const json = fs.readFileSync(path.join(dir, "api/codes.json"), "utf8");
  check(json === cli(["list", "--json"]).stdout, "site: api/codes.json is `httpstatus list --json`");
  let links = 0, broken = [];
  const pages = ["index.html", ...codes.map((c) => `${c}/index.html`)];
  for (const p of pages) {
    const html = fs.readFileSync(path.join(dir, p), "utf8");
    for (const m of html.matchAll(/(?:href|src)="([^"]+)"/g)) {
      const u = m[1];
      if (/^(https?:|data:|#)/.test(u)) continue;
      links++;
      if (u.startsWith("/")) broken.push(`${p}: absolute ${u}`);
      const target = path.join(dir, path.dirname(p), u.split("#")[0]);
      if (!fs.existsSync(target) || fs.statSync(target).isDirectory()) broken.push(`${p}: ${u}`);
    }
  }
  check(links > codes.length * 5, `site: links checked (${links})`);
  check(broken.length === 0, "site: every relative link names a file: " + broken.slice(0, 5));
  const url = (p) => "file://" + path.join(dir, p);
  await withBrowser({ width: 390 }, async (ctx) => {
    let page = await open(ctx, url("index.html"));
    await checkStructure(page, "site index.html", "HTTP status codes");
    await page.fill("#q", "rate limit");
    let got = await resultKeys(page);
    check(got[0] === "429 Too Many Requests", "site: the static filter finds 429 for rate limit: " + got.slice(0, 3));
    check(JSON.stringify(got) === JSON.stringify(JSON.parse(cli(["--json", "search", "rate", "limit"]).stdout).map(key)),
      "site: the static filter ranks as httpstatus search");
    await page.click("#results li a");
    await page.waitForLoadState("load");
    check(page.url() === url("429/index.html"), "site: a match links to its page: " + page.url());
    check((await page.innerText("h1")).includes("429"), "site: 429/index.html opens from file://");
    await noSideways(page, "site 429/index.html");
    await closePage(page, "site index.html");
    page = await open(ctx, url("index.html") + "?q=teapot");
    got = await resultKeys(page);
    check(got[0] === "418 I'm a teapot", "site: index.html?q=teapot filters on load: " + got.slice(0, 3));
    await closePage(page, "site index.html?q=");
    page = await open(ctx, url("404/index.html"));
    await checkStructure(page, "site 404/index.html", "404 Not Found");
    await shot(page, "site-404-390-light");
    const css = await page.evaluate(() => getComputedStyle(document.body).maxWidth);
    check(css !== "none", "site: the stylesheet loads from file:// (" + css + ")");
    await closePage(page, "site 404/index.html");
  });
  await withBrowser({ js: false }, async (ctx) => {
    const page = await open(ctx, url("index.html"));
    const n = await page.$$eval("#groups li[data-i]", (l) => l.length);
    check(n === catalog().length, `site without JS: index.html lists every entry (${n})`);
    await closePage(page, "site index.html (no JS)");
  });
};

GROUPS.site_errors = async () => {
  const file = path.join(TMP, "a-file");
  fs.writeFileSync(file, "x");
  for (const [args, what] of [[["site", file], "DIR is a file"], [["site", path.join(TMP, "no", "such")], "DIR's parent is missing"],
    [["site"], "no DIR"], [["site", "a", "b"], "two folders"]]) {
    const r = cli(args);
    check(r.status !== 0 && r.stdout === "", `site (${what}): exits non-zero, got ${r.status}`);
    check(/^httpstatus: [^\n]+\n$/.test(r.stderr), `site (${what}): one line on standard error: ${JSON.stringify(r.stderr)}`);
  }
  const inside = path.join(TMP, "again");
  check(cli(["site", inside]).status === 0 && cli(["site", inside + "/"]).status === 0,
    "site: writing into an existing site's folder again succeeds");
};

async function main() {
  const t0 = Date.now();
  if (!GROUPS[GROUP]) {
    console.error("unknown group " + GROUP + "; groups: " + Object.keys(GROUPS).join(" "));
    return 2;
  }
  try {
    check(fs.existsSync(CHROMIUM) || GROUP === "site_errors", CHROMIUM + " is installed (Debian chromium)");
    await GROUPS[GROUP]();
  } catch (e) {
    FAILURES.push(String(e && e.stack || e));
    console.log("FAIL:", e && e.stack || e);
  } finally {
    fs.rmSync(TMP, { recursive: true, force: true });
  }
  console.log(`${GROUP}: ${CHECKS} checks, ${FAILURES.length} failed, ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  return FAILURES.length ? 1 : 0;
}

main().then((rc) => process.exit(rc));
