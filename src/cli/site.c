/* SPDX-License-Identifier: MIT */
/* site.c - `httpstatus site DIR`: the reference as static files, to host
 * anywhere without the server: DIR/index.html (the catalog, with its
 * instant search), DIR/NNN/index.html per code, DIR/static/ (the CSS and
 * JS), DIR/api/codes.json. The pages are those `serve` sends (src/web),
 * with relative links, so they work from file:// too. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "web.h"

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

typedef struct site {
  const char *dir;
  size_t files;
  bool failed; /* an error was reported; stop */
} site;

static void to_file(void *ctx, const char *data, size_t len) {
  fwrite(data, 1, len, ctx);
}

/* DIR/rel, or false (reported) when it does not fit. */
static bool path_of(site *s, const char *rel, char *path) {
  int n = snprintf(path, PATH_MAX, "%s/%s", s->dir, rel);
  if (n > 0 && n < PATH_MAX)
    return true;
  cli_error("cannot write %s/%s: the path is too long", s->dir, rel);
  s->failed = true;
  return false;
}

/* Creates folder DIR/rel unless it is there already. */
static bool folder(site *s, const char *rel) {
  char path[PATH_MAX];
  struct stat st;
  if (s->failed || !path_of(s, rel, path))
    return false;
  if (mkdir(path, 0777) == 0 || (errno == EEXIST && stat(path, &st) == 0 &&
                                 S_ISDIR(st.st_mode)))
    return true;
  if (errno == EEXIST)
    cli_error("cannot write %s: it exists and is not a folder", path);
  else
    cli_error("cannot create folder %s: %s", path, strerror(errno));
  s->failed = true;
  return false;
}

typedef void (*writer)(web_out *o, const void *arg);

/* Writes DIR/rel with `write`; false (reported) when it fails. */
static bool file(site *s, const char *rel, writer write, const void *arg) {
  char path[PATH_MAX];
  if (s->failed || !path_of(s, rel, path))
    return false;
  FILE *fp = fopen(path, "wb");
  if (fp == NULL) {
    cli_error("cannot write %s: %s", path, strerror(errno));
    s->failed = true;
    return false;
  }
  web_out o = {to_file, fp};
  write(&o, arg);
  errno = 0;
  bool bad = ferror(fp) != 0;
  int saved = errno;
  if (fclose(fp) != 0 || bad) {
    cli_error("cannot write %s: %s", path,
              strerror(bad && saved ? saved : errno ? errno : EIO));
    s->failed = true;
    return false;
  }
  s->files++;
  return true;
}

static const web_site static_site = {WEB_STATIC, NULL, 0};

static void write_catalog(web_out *o, const void *arg) {
  (void)arg;
  web_catalog_page(&static_site, NULL, o);
}

static void write_code(web_out *o, const void *arg) {
  web_code_page(&static_site, *(const int *)arg, o);
}

static void write_json(web_out *o, const void *arg) {
  (void)arg;
  web_json_catalog(o);
}

static void write_asset(web_out *o, const void *arg) {
  const web_asset *a = arg;
  web_write(o, (const char *)a->data, a->len);
}

static void write_codes(site *s) {
  const httpstatus_entry *e;
  int last = 0;
  for (size_t i = 0; (e = httpstatus_at(i)) != NULL && !s->failed; i++) {
    if (e->code == last)
      continue; /* one page holds every meaning of a code */
    last = e->code;
    char rel[32];
    snprintf(rel, sizeof rel, "%d", e->code);
    if (folder(s, rel)) {
      snprintf(rel, sizeof rel, WEB_CODE_PAGE, e->code);
      file(s, rel, write_code, &e->code);
    }
  }
}

int site_run(const char *const *args, size_t n) {
  if (n != 1 || args[0][0] == '\0') {
    cli_error("site needs one folder to write to, as in: httpstatus site public");
    return CLI_USAGE;
  }
  site s = {.dir = args[0]};
  size_t len = strlen(s.dir);
  char dir[PATH_MAX];
  if (len >= sizeof dir) {
    cli_error("cannot write %s: the path is too long", s.dir);
    return CLI_NOT_FOUND;
  }
  memcpy(dir, s.dir, len + 1);
  while (len > 1 && dir[len - 1] == '/')
    dir[--len] = '\0';
  s.dir = dir;
  struct stat st;
  if (stat(dir, &st) == 0 && !S_ISDIR(st.st_mode)) {
    cli_error("cannot write %s: it exists and is not a folder", dir);
    return CLI_NOT_FOUND;
  }
  if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
    cli_error("cannot create folder %s: %s", dir, strerror(errno));
    return CLI_NOT_FOUND;
  }
  file(&s, "index.html", write_catalog, NULL);
  write_codes(&s);
  if (folder(&s, "static"))
    for (size_t i = 0; i < web_asset_count && !s.failed; i++) {
      char rel[128];
      snprintf(rel, sizeof rel, "static/%s", web_assets[i].name);
      file(&s, rel, write_asset, &web_assets[i]);
    }
  if (folder(&s, "api"))
    file(&s, "api/codes.json", write_json, NULL);
  if (s.failed)
    return CLI_NOT_FOUND;
  printf("%s/index.html: %zu files written\n", dir, s.files);
  return CLI_FOUND;
}
