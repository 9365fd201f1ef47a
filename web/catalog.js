/* SPDX-License-Identifier: MIT */
// catalog.js - the browsable catalog: fetches /api/codes once and renders
// the entries that match the filter box (every word must occur, ignoring
// case, in the code, phrase, aliases, summary or origin - the rule of
// `httpstatus search`) and the class and status check boxes. The filter
// lives in the URL (?q=teapot), so a filtered view can be linked.
"use strict";

(function () {
  const body = document.getElementById("catalog");
  const count = document.getElementById("count");
  const box = document.getElementById("q");
  const classes = document.querySelectorAll("#classes input");
  const unofficial = document.getElementById("unofficial");
  let entries = [];

  function classOf(code) {
    return code >= 100 && code <= 599 ? String(Math.floor(code / 100)) : "0";
  }

  function words(query) {
    return query.toLowerCase().split(/\s+/).filter(Boolean);
  }

  function haystack(e) {
    return [String(e.code), e.phrase, e.summary, e.origin]
      .concat(e.aliases)
      .join("\n")
      .toLowerCase();
  }

  function el(tag, text, attrs) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    return node;
  }

  function row(e) {
    const tr = el("tr", null, { "data-code": String(e.code), "data-class": classOf(e.code) });
    const code = el("td", null, { class: "code" });
    code.appendChild(el("a", String(e.code), { href: "/" + e.code, title: "get a " + e.code + " answer" }));
    tr.appendChild(code);
    const phrase = el("td", e.phrase);
    if (e.status !== "standard") phrase.appendChild(el("span", e.status, { class: "tag" }));
    tr.appendChild(phrase);
    const meaning = el("td", e.summary);
    if (e.headers.length) meaning.appendChild(el("span", "sends " + e.headers.join(", "), { class: "tag" }));
    if (!e.content) meaning.appendChild(el("span", "no content", { class: "tag" }));
    tr.appendChild(meaning);
    const ref = el("td", null, { class: "ref" });
    if (e.url) ref.appendChild(el("a", e.reference, { href: e.url }));
    else ref.textContent = e.origin;
    tr.appendChild(ref);
    return tr;
  }

  function shown() {
    const want = words(box.value);
    const on = new Set(Array.from(classes).filter((c) => c.checked).map((c) => c.value));
    return entries.filter(
      (e) =>
        on.has(classOf(e.code)) &&
        (unofficial.checked || e.status !== "unofficial") &&
        want.every((w) => e.hay.includes(w))
    );
  }

  function render() {
    const list = shown();
    const frag = document.createDocumentFragment();
    for (const e of list) frag.appendChild(row(e));
    body.replaceChildren(frag);
    count.textContent =
      list.length === entries.length
        ? entries.length + " meanings"
        : list.length + " of " + entries.length + " meanings";
  }

  function remember() {
    const url = new URL(window.location.href);
    if (box.value.trim()) url.searchParams.set("q", box.value.trim());
    else url.searchParams.delete("q");
    window.history.replaceState(null, "", url);
  }

  box.value = new URLSearchParams(window.location.search).get("q") || "";
  box.addEventListener("input", () => {
    render();
    remember();
  });
  for (const c of classes) c.addEventListener("change", render);
  unofficial.addEventListener("change", render);
  document.getElementById("filters").addEventListener("submit", (ev) => ev.preventDefault());

  fetch("/api/codes", { headers: { Accept: "application/json" } })
    .then((res) => {
      if (!res.ok) throw new Error("/api/codes answered " + res.status);
      return res.json();
    })
    .then((data) => {
      entries = data.map((e) => Object.assign(e, { hay: haystack(e) }));
      render();
    })
    .catch((err) => {
      count.textContent = "Could not load the catalog: " + err.message;
    });
})();
