/* SPDX-License-Identifier: MIT */
/*
 * web/pages.c - the page of a code and the catalog page, as HTML that works
 * without JavaScript. Everything said about a code comes from the library:
 * its meanings, its explanation, its rules; only the words around them
 * are written here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web.h"

#define DEFAULT_HOST "localhost:8080"

static void text(web_out *o, const char *s)
{
  web_html(o, s, strlen(s));
}

static void wrap(web_out *o, const char *before, const char *s,
                 const char *after)
{
  web_puts(o, before);
  text(o, s);
  web_puts(o, after);
}

/* "c4" for 4xx, "c0" outside 100-599: the colour of a code's class. */
static int class_digit(int code)
{
  return (int)httpstatus_class_of(code);
}

/* A link to the page of `code` from a page `depth` folders down. */
static void code_href(const web_site *site, int depth, int code, web_out *o)
{
  if (site->mode == WEB_SERVED)
    web_printf(o, "/catalog/%d", code);
  else
    web_printf(o, "%s" WEB_CODE_PAGE, depth > 0 ? "../" : "", code);
}

/* The host a curl line names: the request's when it is a plain
 * host[:port] (it is echoed into the page), else the default. */
static void host_of(const web_site *site, const char **host, size_t *len)
{
  *host = DEFAULT_HOST;
  *len = sizeof DEFAULT_HOST - 1;
  if (site->mode != WEB_SERVED || site->host == NULL || site->host_len == 0 ||
      site->host_len > 255)
    return;
  for (size_t i = 0; i < site->host_len; i++) {
    char c = site->host[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '.' || c == '-' || c == ':' ||
              c == '[' || c == ']';
    if (!ok)
      return;
  }
  *host = site->host;
  *len = site->host_len;
}

/* ------------------------------------------------------------------------ */
/* The page of a code */

/* A summary as a sentence, capitalised, with its full stop. */
static void sentence(web_out *o, const char *s)
{
  size_t len = strlen(s);
  if (len == 0)
    return;
  char first = s[0] >= 'a' && s[0] <= 'z' ? (char)(s[0] - 'a' + 'A') : s[0];
  web_html(o, &first, 1);
  web_html(o, s + 1, len - 1);
  if (s[len - 1] != '.')
    web_puts(o, ".");
}

/* " · RFC 9110, Section 15.5.5", linked; nothing for a vendor's code (its
 * origin is already said). */
static void reference(web_out *o, const httpstatus_entry *e)
{
  if (e->reference == NULL)
    return;
  web_puts(o, " · ");
  if (e->url != NULL)
    wrap(o, "<a href=\"", e->url, "\">");
  text(o, e->reference);
  if (e->url != NULL)
    web_puts(o, "</a>");
}

static void meanings(web_out *o, const httpstatus_entry *e, size_t count)
{
  web_puts(o, "<h2 id=\"meanings\">Meanings</h2>\n<ul class=\"meanings\">\n");
  for (size_t i = 0; i < count; i++) {
    wrap(o, "<li><strong>", e[i].phrase, "</strong>: ");
    sentence(o, e[i].summary);
    wrap(o, "<br><span class=\"meta\">", e[i].origin, " · ");
    text(o, httpstatus_status_name(e[i].status));
    reference(o, &e[i]);
    web_puts(o, "</span>");
    for (const char *const *a = e[i].aliases; *a != NULL; a++)
      wrap(o, a == e[i].aliases ? "<br><span class=\"meta\">formerly " : ", ",
           *a, a[1] == NULL ? "</span>" : "");
    web_puts(o, "</li>\n");
  }
  web_puts(o, "</ul>\n");
}

/* One paragraph of an explanation: `code` spans become <code>. */
static void paragraph(web_out *o, const char *s, size_t len)
{
  bool in_code = false;
  size_t start = 0;
  web_puts(o, "<p>");
  for (size_t i = 0; i <= len; i++) {
    if (i < len && s[i] != '`')
      continue;
    web_html(o, s + start, i - start);
    if (i < len)
      web_puts(o, in_code ? "</code>" : "<code>");
    in_code = i < len ? !in_code : in_code;
    start = i + 1;
  }
  if (in_code)
    web_puts(o, "</code>");
  web_puts(o, "</p>\n");
}

static void prose(web_out *o, const char *id, const char *title,
                  const char *s)
{
  web_printf(o, "<h2 id=\"%s\">%s</h2>\n", id, title);
  for (;;) {
    const char *stop = strstr(s, "\n\n");
    paragraph(o, s, stop ? (size_t)(stop - s) : strlen(s));
    if (stop == NULL)
      return;
    s = stop + 2;
  }
}

static void explanation(const web_site *site, web_out *o,
                        const httpstatus_explanation *x)
{
  prose(o, "meaning", "What it means", x->meaning);
  prose(o, "send", "When to send it", x->send);
  prose(o, "clients", "What clients do", x->clients);
  prose(o, "mistakes", "Common mistakes", x->mistakes);
  if (x->related_count > 0) {
    web_puts(o, "<h2 id=\"related\">Related codes</h2>\n<ul class=\"related\">\n");
    for (size_t i = 0; i < x->related_count; i++) {
      int code = x->related[i];
      const char *phrase = httpstatus_reason(code);
      web_puts(o, "<li><a href=\"");
      code_href(site, 1, code, o);
      web_printf(o, "\"><span class=\"num c%d\">%d</span> ", class_digit(code), code);
      text(o, phrase ? phrase : "");
      web_puts(o, "</a></li>\n");
    }
    web_puts(o, "</ul>\n");
  }
  web_puts(o, "<h2 id=\"example\">Example</h2>\n<pre><code>");
  text(o, x->example);
  web_puts(o, "</code></pre>\n");
}

/* How retrying can help, in words (httpstatus_retry). */
static const char *retry_words(httpstatus_retry r)
{
  static const char *const words[] = {
      [HTTPSTATUS_RETRY_NO] = "not without changing something",
      [HTTPSTATUS_RETRY_LATER] = "yes: the same request, later "
                                 "(Retry-After, when sent, says when)",
      [HTTPSTATUS_RETRY_OTHER_CONNECTION] = "yes: the same request on "
                                            "another connection",
      [HTTPSTATUS_RETRY_WITH_CREDENTIALS] = "after authenticating "
                                            "(new credentials)",
      [HTTPSTATUS_RETRY_CHANGED] = "after changing the request as the "
                                   "response says",
  };
  return (unsigned)r < sizeof words / sizeof *words ? words[r] : words[0];
}

static void rules(web_out *o, int code, const httpstatus_entry *e)
{
  web_puts(o, "<h2 id=\"rules\">Rules</h2>\n<dl class=\"rules\">\n"
              "<dt>Header fields</dt><dd>");
  size_t n = 0;
  for (unsigned i = 0; i < HTTPSTATUS_HEADER_COUNT; i++) {
    httpstatus_level level = httpstatus_header_level(code, 1u << i);
    if (level == HTTPSTATUS_LEVEL_NONE)
      continue;
    web_printf(o, "%s<code>%s</code> (%s)", n++ ? ", " : "",
               httpstatus_header_name(1u << i), httpstatus_level_name(level));
  }
  web_puts(o, n ? "</dd>\n" : "none asked for</dd>\n");
  web_printf(o, "<dt>Content</dt><dd>%s</dd>\n",
             httpstatus_allows_content(code)
                 ? "allowed"
                 : "never: the response ends with its header section");
  web_printf(o, "<dt>Cacheable by default</dt><dd>%s</dd>\n",
             httpstatus_is_cacheable(code) ? "yes (heuristic freshness)" : "no");
  web_printf(o, "<dt>Retry</dt><dd>%s</dd>\n",
             retry_words(httpstatus_retry_of(code)));
  if (e != NULL) {
    char name[128];
    web_puts(o, "<dt>Constants</dt><dd>");
    for (size_t i = 0; httpstatus_constant(e, i, name, sizeof name); i++)
      web_printf(o, "%s<code>%s</code>", i ? ", " : "", name);
    web_puts(o, "</dd>\n");
  }
  web_puts(o, "</dl>\n");
}

static void try_it(const web_site *site, web_out *o, int code)
{
  const char *host;
  size_t len;
  host_of(site, &host, &len);
  web_puts(o, "<h2 id=\"try\">Try it</h2>\n");
  if (site->mode == WEB_STATIC)
    web_puts(o, "<p>With <code>httpstatus serve</code> running on this "
                "machine:</p>\n");
  web_puts(o, "<pre><code>curl -i http://");
  web_html(o, host, len);
  web_printf(o, "/%d</code></pre>\n<p>", code);
  if (site->mode == WEB_SERVED)
    web_printf(o, "<a href=\"/%d\">/%d</a> answers with status %d (a "
                  "browser gets this page with it). As JSON: "
                  "<a href=\"/api/codes/%d\">/api/codes/%d</a>.</p>\n",
               code, code, code, code, code);
  else
    web_printf(o, "<a href=\"http://" DEFAULT_HOST "/%d\">http://"
                  DEFAULT_HOST "/%d</a> answers with status %d. Every code "
                  "as JSON: <a href=\"../api/codes.json\">api/codes.json</a>."
                  "</p>\n",
               code, code, code);
}

bool web_code_page(const web_site *site, int code, web_out *o)
{
  size_t count = 0;
  const httpstatus_entry *e = httpstatus_meanings(code, &count);
  char title[160];
  snprintf(title, sizeof title, "%d %s · HTTP status codes", code,
           e ? e->phrase : "(unknown)");
  web_page_start(site, 1, title, o);
  web_printf(o, "<h1><span class=\"num c%d\">%d</span> ", class_digit(code), code);
  text(o, e ? e->phrase : "Unknown code");
  web_puts(o, "</h1>\n<p class=\"summary\">");
  if (e != NULL)
    sentence(o, e->summary);
  else
    web_puts(o, "The catalog has no meaning for this code.");
  wrap(o, " <span class=\"meta\">Class: ",
       httpstatus_class_name(httpstatus_class_of(code)), ".</span></p>\n");
  if (e != NULL)
    meanings(o, e, count);
  const httpstatus_explanation *x = httpstatus_explain(code);
  if (x != NULL)
    explanation(site, o, x);
  rules(o, code, e);
  try_it(site, o, code);
  web_page_end(o);
  return e != NULL;
}

/* ------------------------------------------------------------------------ */
/* The catalog page */

static void entry_item(const web_site *site, web_out *o,
                       const httpstatus_entry *e, size_t index)
{
  web_printf(o, "<li data-i=\"%zu\"><a href=\"", index);
  code_href(site, 0, e->code, o);
  web_printf(o, "\"><span class=\"num c%d\">%d</span> ", class_digit(e->code),
             e->code);
  wrap(o, "<span class=\"phrase\">", e->phrase, "</span></a> ");
  wrap(o, "<span class=\"sum\">", e->summary, "</span>");
  if (e->status != HTTPSTATUS_STATUS_STANDARD)
    wrap(o, " <span class=\"tag\">", httpstatus_status_name(e->status), "");
  if (e->status == HTTPSTATUS_STATUS_UNOFFICIAL)
    wrap(o, ", ", e->origin, "");
  web_puts(o, e->status != HTTPSTATUS_STATUS_STANDARD ? "</span></li>\n"
                                                      : "</li>\n");
}

static size_t index_of(const httpstatus_entry *e)
{
  return (size_t)(e - httpstatus_at(0));
}

static void results(const web_site *site, web_out *o, const char *query)
{
  size_t n = 0;
  const httpstatus_entry **hits = web_search(query, &n);
  web_printf(o, "<p id=\"count\" role=\"status\">%zu %s for “", n,
             n == 1 ? "match" : "matches");
  text(o, query);
  web_puts(o, "”</p>\n<section id=\"results\" aria-labelledby=\"results-h\">"
              "<h2 id=\"results-h\">Best matches first</h2>\n"
              "<ol class=\"codes\">\n");
  for (size_t i = 0; i < n; i++)
    entry_item(site, o, hits[i], index_of(hits[i]));
  web_printf(o, "</ol>\n<p><a href=\"%s\">Every code</a></p>\n</section>\n",
             site->mode == WEB_SERVED ? "/catalog" : "index.html");
  free(hits);
}

static void groups(const web_site *site, web_out *o, bool hidden)
{
  static const int classes[] = {1, 2, 3, 4, 5, 0};
  static const char *const short_names[] = {"Other", "1xx", "2xx", "3xx",
                                            "4xx", "5xx"};
  web_printf(o, "<div id=\"groups\"%s>\n<nav class=\"toc\" "
                "aria-label=\"Classes\"><ul>",
             hidden ? " hidden" : "");
  for (size_t c = 0; c < sizeof classes / sizeof *classes; c++)
    web_printf(o, "<li><a href=\"#c%d\">%s</a></li>", classes[c],
               short_names[classes[c]]);
  web_puts(o, "</ul></nav>\n");
  for (size_t c = 0; c < sizeof classes / sizeof *classes; c++) {
    int cls = classes[c];
    if (cls)
      web_printf(o, "<section aria-labelledby=\"c%d\"><h2 id=\"c%d\">%dxx %s</h2>\n",
                 cls, cls, cls, httpstatus_class_name((httpstatus_class)cls));
    else
      web_puts(o, "<section aria-labelledby=\"c0\"><h2 id=\"c0\">Outside "
                  "100-599</h2>\n");
    web_puts(o, "<ul class=\"codes\">\n");
    const httpstatus_entry *e;
    for (size_t i = 0; (e = httpstatus_at(i)) != NULL; i++)
      if ((int)httpstatus_class_of(e->code) == cls)
        entry_item(site, o, e, i);
    web_puts(o, "</ul>\n</section>\n");
  }
  web_puts(o, "</div>\n");
}

/* JSON inside <script>: every '<' as \u003c (only strings hold one), so
 * no "</script>" can end the element early. */
static void script_safe(void *ctx, const char *data, size_t len)
{
  web_out *o = ctx;
  size_t start = 0;
  for (size_t i = 0; i < len; i++) {
    if (data[i] != '<')
      continue;
    web_write(o, data + start, i - start);
    web_puts(o, "\\u003c");
    start = i + 1;
  }
  web_write(o, data + start, len - start);
}

void web_catalog_page(const web_site *site, const char *query, web_out *o)
{
  bool searching = query != NULL && query[0] != '\0';
  const char *assets = site->mode == WEB_SERVED ? "/static/" : "static/";
  char title[160];
  if (searching)
    snprintf(title, sizeof title, "“%.100s” · HTTP status codes", query);
  else
    snprintf(title, sizeof title, "HTTP status codes");
  web_page_start(site, 0, title, o);
  web_puts(o, "<h1>HTTP status codes</h1>\n<p class=\"lede\">Every code of "
              "the IANA registry and the unofficial ones met in the wild: "
              "what each means, when to send it, what clients do.</p>\n");
  web_printf(o, "<form class=\"search\" role=\"search\" action=\"%s\" "
                "method=\"get\">\n<label for=\"q\">Search the codes</label>\n"
                "<div class=\"row\"><input id=\"q\" name=\"q\" type=\"search\" "
                "autocomplete=\"off\" spellcheck=\"false\" "
                "placeholder=\"429, rate limit, NOT_FOUND\" value=\"",
             site->mode == WEB_SERVED ? "/catalog" : "index.html");
  if (searching)
    text(o, query);
  web_puts(o, "\"> <button type=\"submit\">Search</button></div>\n</form>\n");
  if (searching)
    results(site, o, query);
  else
    web_printf(o, "<p id=\"count\" role=\"status\">%zu meanings</p>\n",
               httpstatus_count());
  groups(site, o, searching);
  web_puts(o, "<script id=\"catalog-data\" type=\"application/json\">");
  web_out safe = {script_safe, o};
  web_json_catalog(&safe);
  web_printf(o, "</script>\n<script src=\"%ssearch.js\"></script>\n"
                "<script src=\"%scatalog.js\"></script>\n",
             assets, assets);
  web_page_end(o);
}
