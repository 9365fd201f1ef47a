/* SPDX-License-Identifier: MIT */
// catalog.js - makes the catalog page's search instant. The page works
// without it: the server renders /catalog?q= itself, and every code is
// listed by class. Here, each keystroke ranks the embedded catalog with
// search.js (the library's ranking) and shows the matches, best first; the
// query stays in the URL (?q=rate+limit) so a view can be linked, also
// from a static copy of the site (httpstatus site DIR).
"use strict";

(function () {
  const data = document.getElementById("catalog-data");
  const box = document.getElementById("q");
  const groups = document.getElementById("groups");
  const count = document.getElementById("count");
  if (!data || !box || !groups || !count || typeof window.httpstatusSearch !== "function") return;
  const entries = JSON.parse(data.textContent);
  const items = new Map();
  for (const li of groups.querySelectorAll("li[data-i]")) items.set(li.dataset.i, li);

  function resultsSection() {
    let section = document.getElementById("results");
    if (!section) {
      section = document.createElement("section");
      section.id = "results";
      section.setAttribute("aria-labelledby", "results-h");
      const h = document.createElement("h2");
      h.id = "results-h";
      h.textContent = "Best matches first";
      section.append(h, document.createElement("ol"));
      section.lastChild.className = "codes";
      groups.before(section);
    }
    return section;
  }

  function render(query) {
    const old = document.getElementById("results");
    if (query.trim() === "") {
      if (old) old.remove();
      groups.hidden = false;
      count.textContent = entries.length + " meanings";
      return;
    }
    const hits = window.httpstatusSearch(entries, query);
    const section = resultsSection();
    const list = document.createElement("ol");
    list.className = "codes";
    for (const i of hits) list.append(items.get(String(i)).cloneNode(true));
    for (const extra of section.querySelectorAll("ol, p")) extra.remove();
    section.append(list);
    groups.hidden = true;
    count.textContent = hits.length + (hits.length === 1 ? " match" : " matches") +
      " for “" + query + "”";
  }

  function remember(query) {
    try {
      const url = new URL(window.location.href);
      if (query.trim()) url.searchParams.set("q", query);
      else url.searchParams.delete("q");
      window.history.replaceState(null, "", url);
    } catch (e) {
      // Some file:// setups refuse; the filter works all the same.
    }
  }

  const asked = new URLSearchParams(window.location.search).get("q");
  if (asked !== null && box.value === "") box.value = asked;
  if (box.value !== "") render(box.value);
  box.addEventListener("input", () => {
    render(box.value);
    remember(box.value);
  });
  box.form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    render(box.value);
    remember(box.value);
  });
})();
