/* SPDX-License-Identifier: MIT */
/*
 * web/out.c - writing through a web_out: plain bytes, printf, HTML
 * escaping, and the shell every page shares (head, skip link, navigation).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web.h"

void web_write(web_out *o, const char *data, size_t len)
{
  if (len > 0)
    o->write(o->ctx, data, len);
}

void web_puts(web_out *o, const char *s)
{
  web_write(o, s, strlen(s));
}

void web_printf(web_out *o, const char *fmt, ...)
{
  char small[256];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n < 0)
    return;
  if ((size_t)n < sizeof small) {
    web_write(o, small, (size_t)n);
    return;
  }
  char *big = malloc((size_t)n + 1);
  if (big == NULL)
    abort(); /* as srv_buf: a page that cannot get a few KiB cannot be sent */
  va_start(ap, fmt);
  vsnprintf(big, (size_t)n + 1, fmt, ap);
  va_end(ap);
  web_write(o, big, (size_t)n);
  free(big);
}

void web_html(web_out *o, const char *s, size_t len)
{
  size_t start = 0;
  for (size_t i = 0; i < len; i++) {
    const char *esc = s[i] == '&'    ? "&amp;"
                      : s[i] == '<'  ? "&lt;"
                      : s[i] == '>'  ? "&gt;"
                      : s[i] == '"'  ? "&quot;"
                      : s[i] == '\'' ? "&#39;"
                                     : NULL;
    if (esc == NULL)
      continue;
    web_write(o, s + start, i - start);
    web_puts(o, esc);
    start = i + 1;
  }
  web_write(o, s + start, len - start);
}

const web_asset *web_asset_find(const char *name, size_t len)
{
  for (size_t i = 0; i < web_asset_count; i++)
    if (strlen(web_assets[i].name) == len &&
        memcmp(web_assets[i].name, name, len) == 0)
      return &web_assets[i];
  return NULL;
}

void web_page_start(const web_site *site, int depth, const char *title,
                    web_out *o)
{
  const char *up = site->mode == WEB_STATIC && depth > 0 ? "../" : "";
  const char *assets = site->mode == WEB_SERVED ? "/static/" : "static/";
  web_puts(o, "<!doctype html>\n<html lang=\"en\">\n<head>\n"
              "<meta charset=\"utf-8\">\n"
              "<meta name=\"viewport\" content=\"width=device-width, "
              "initial-scale=1\">\n"
              "<meta name=\"color-scheme\" content=\"light dark\">\n"
              "<title>");
  web_html(o, title, strlen(title));
  web_printf(o, "</title>\n<link rel=\"icon\" href=\"data:,\">\n"
                "<link rel=\"stylesheet\" href=\"%s%scatalog.css\">\n"
                "</head>\n<body>\n"
                "<a class=\"skip\" href=\"#main\">Skip to content</a>\n"
                "<header class=\"site\"><nav aria-label=\"Site\">"
                "<a href=\"%s%s\">HTTP status codes</a>",
             up, assets, up, site->mode == WEB_SERVED ? "/catalog" : "index.html");
  if (site->mode == WEB_SERVED)
    web_puts(o, " <a href=\"/\">httpstatus serve</a>");
  web_puts(o, "</nav></header>\n<main id=\"main\">\n");
}

void web_page_end(web_out *o)
{
  web_puts(o, "</main>\n<footer><p>From the catalog of httpstatus "
              HTTPSTATUS_VERSION_STRING ".</p></footer>\n</body>\n</html>\n");
}
