/* SPDX-License-Identifier: MIT */
/*
 * web.h - the one HTML renderer of the reference: the page of a code, the
 * catalog page and the JSON they embed, written through a sink. `httpstatus
 * serve` sends what it writes, `httpstatus site DIR` saves it as files; the
 * two differ only in their links (web_site). libc and libhttpstatus only,
 * so the command has it without the server. Every name here is web_ /
 * WEB_.
 *
 *   out.c      the sink, HTML escaping, the page's shell
 *   pages.c    the code page and the catalog page
 *   data.c     the catalog and search results as JSON
 *   web_assets.c (generated from web/ by embed.cmake) the CSS and JS
 */
#ifndef WEB_H
#define WEB_H

#include <stdbool.h>
#include <stddef.h>

#include "httpstatus.h"

/* Where written bytes go: the server appends them to a buffer, `site`
 * writes them to a file. `write` cannot fail; a file's errors are read
 * from its FILE afterwards. */
typedef struct web_out {
  void (*write)(void *ctx, const char *data, size_t len);
  void *ctx;
} web_out;

void web_write(web_out *o, const char *data, size_t len);
void web_puts(web_out *o, const char *s);
void web_printf(web_out *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Writes `len` bytes with & < > " ' escaped for HTML text or attributes. */
void web_html(web_out *o, const char *s, size_t len);

/* How pages link to each other. */
typedef enum web_mode {
  WEB_SERVED, /* by httpstatus serve: /catalog/404, /static/..., /api/... */
  WEB_STATIC  /* files: relative links (index.html, 404/index.html) that
                 work from file:// and from any static host */
} web_mode;

typedef struct web_site {
  web_mode mode;
  /* WEB_SERVED: the request's Host, for the curl line and live link;
   * NULL or anything but a host[:port] means "localhost:8080". */
  const char *host;
  size_t host_len;
} web_site;

/* A static site's page of `code`, relative to its root: "404/index.html". */
#define WEB_CODE_PAGE "%d/index.html"

/* Writes the page of `code` (any 100-999; one the catalog does not know
 * says so). Returns true when the catalog knows the code. */
bool web_code_page(const web_site *site, int code, web_out *o);

/* Writes the catalog page: every code grouped by class, a search form and
 * the catalog as embedded JSON for the instant filter. With a non-empty
 * `query` the ranked results of httpstatus_search come first and the
 * groups are hidden (the page then works without JavaScript). */
void web_catalog_page(const web_site *site, const char *query, web_out *o);

/* The shell of any page: the doctype and head with `title` (escaped), the
 * stylesheet, a skip link and the site's navigation, then <main>.
 * `depth` is how many folders below the root a static page lies. */
void web_page_start(const web_site *site, int depth, const char *title,
                    web_out *o);
void web_page_end(web_out *o);

/* data.c */
/* Writes `count` entries as one JSON array laid out as `httpstatus --json`
 * prints it, byte for byte ("[]\n" when empty). */
void web_json_entries(const httpstatus_entry *const *entries, size_t count,
                      web_out *o);
/* The same for `count` consecutive entries (httpstatus_meanings). */
void web_json_run(const httpstatus_entry *run, size_t count, web_out *o);
/* The whole catalog, as /api/codes and api/codes.json serve it. */
void web_json_catalog(web_out *o);
/* The ranked matches of httpstatus_search(query), as /api/search serves
 * them; returns their number. */
size_t web_json_search(const char *query, web_out *o);
/* Writes one entry as a JSON object (httpstatus_json). */
void web_json_entry(const httpstatus_entry *e, web_out *o);

/* The ranked matches of `query`: a malloc'd array (free it) of every
 * match, their number in *count; NULL with *count 0 when none (or out of
 * memory). */
const httpstatus_entry **web_search(const char *query, size_t *count);

/* web_assets.c: the files of web/, compiled in. */
typedef struct web_asset {
  const char *name; /* "catalog.css" */
  const char *type; /* its Content-Type, with charset */
  const unsigned char *data;
  size_t len;
} web_asset;

extern const web_asset web_assets[];
extern const size_t web_asset_count;

/* The asset named name[0..len), or NULL. */
const web_asset *web_asset_find(const char *name, size_t len);

#endif
