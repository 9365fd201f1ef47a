/* SPDX-License-Identifier: MIT */
/*
 * web/data.c - the catalog and search results as JSON, laid out as
 * `httpstatus --json` prints them (the server's /api/codes and /api/search,
 * the site's api/codes.json, the catalog page's embedded copy).
 */
#include <stdlib.h>

#include "web.h"

void web_json_entry(const httpstatus_entry *e, web_out *o)
{
  char small[2048];
  size_t n = httpstatus_json(e, small, sizeof small);
  if (n < sizeof small) {
    web_write(o, small, n);
    return;
  }
  char *big = malloc(n + 1);
  if (big == NULL)
    abort();
  httpstatus_json(e, big, n + 1);
  web_write(o, big, n);
  free(big);
}

/* Arrays are laid out as `httpstatus --json` prints them. */
static void item(const httpstatus_entry *e, size_t i, web_out *o)
{
  web_puts(o, i == 0 ? "[\n  " : ",\n  ");
  web_json_entry(e, o);
}

static void end(size_t count, web_out *o)
{
  web_puts(o, count == 0 ? "[]\n" : "\n]\n");
}

void web_json_entries(const httpstatus_entry *const *entries, size_t count,
                      web_out *o)
{
  for (size_t i = 0; i < count; i++)
    item(entries[i], i, o);
  end(count, o);
}

void web_json_run(const httpstatus_entry *run, size_t count, web_out *o)
{
  for (size_t i = 0; i < count; i++)
    item(&run[i], i, o);
  end(count, o);
}

void web_json_catalog(web_out *o)
{
  web_json_run(httpstatus_at(0), httpstatus_count(), o);
}

const httpstatus_entry **web_search(const char *query, size_t *count)
{
  size_t max = httpstatus_count();
  const httpstatus_entry **hits = malloc((max ? max : 1) * sizeof *hits);
  *count = 0;
  if (hits == NULL)
    return NULL;
  size_t n = httpstatus_search(query, hits, max);
  *count = n < max ? n : max;
  if (*count == 0) {
    free(hits);
    return NULL;
  }
  return hits;
}

size_t web_json_search(const char *query, web_out *o)
{
  size_t n = 0;
  const httpstatus_entry **hits = web_search(query, &n);
  web_json_entries(hits, n, o);
  free(hits);
  return n;
}
