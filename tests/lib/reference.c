/* SPDX-License-Identifier: MIT */
/* reference.c - see reference.h. */
#include "reference.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char error_text[4200];

const char *ref_error(void)
{
  return error_text;
}

const char *ref_seed_path(const char *name)
{
  static char path[4096];
  snprintf(path, sizeof path, "%s/%s", HTTPSTATUS_SEEDS_DIR, name);
  return path;
}

static char *slurp(const char *dir, const char *name)
{
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "rb");
  if (!f) {
    snprintf(error_text, sizeof error_text, "cannot read %s: %s", path,
             strerror(errno));
    return NULL;
  }
  size_t cap = 1 << 16, len = 0, n;
  char *text = malloc(cap + 1);
  while (text && (n = fread(text + len, 1, cap - len, f)) > 0) {
    len += n;
    if (len == cap) {
      char *bigger = realloc(text, cap * 2 + 1);
      if (!bigger) {
        free(text);
        text = NULL;
        break;
      }
      text = bigger;
      cap *= 2;
    }
  }
  fclose(f);
  if (text)
    text[len] = '\0';
  else
    snprintf(error_text, sizeof error_text, "%s: out of memory", path);
  return text;
}

/* Cuts one field at *p in place (unquoting it); returns the byte that
 * ended it: ',', '\n' or '\0'. */
static char cut_field(char **p, char **field)
{
  char *r = *p, *w = *p;
  *field = w;
  if (*r == '"') {
    r++;
    for (;;) {
      if (*r == '\0')
        break;
      if (*r == '"' && r[1] == '"') {
        *w++ = '"';
        r += 2;
      } else if (*r == '"') {
        r++;
        break;
      } else {
        *w++ = *r++;
      }
    }
  }
  while (*r && *r != ',' && *r != '\n')
    *w++ = *r++;
  char end = *r;
  if (w > *field && w[-1] == '\r')
    w--;
  *w = '\0';
  *p = end ? r + 1 : r;
  return end;
}

int ref_csv_load(ref_table *t, const char *name)
{
  memset(t, 0, sizeof *t);
  t->text = slurp(HTTPSTATUS_DATA_DIR, name);
  if (!t->text)
    return -1;
  char *p = t->text;
  int header = 1;
  while (*p) {
    ref_row row = {0};
    char end;
    do {
      char *field;
      end = cut_field(&p, &field);
      if (row.fields < REF_MAX_FIELDS)
        row.field[row.fields++] = field;
    } while (end == ',');
    if (header) {
      header = 0;
      continue;
    }
    if (row.fields == 1 && row.field[0][0] == '\0')
      continue; /* blank line */
    if (t->rows == REF_MAX_ROWS) {
      snprintf(error_text, sizeof error_text,
               "%s/%s: more than %d rows (raise REF_MAX_ROWS)",
               HTTPSTATUS_DATA_DIR, name, REF_MAX_ROWS);
      return -1;
    }
    t->row[t->rows++] = row;
  }
  return 0;
}

int ref_seed_load(ref_seed *out, size_t max, char **storage, const char *name)
{
  char *text = slurp(HTTPSTATUS_SEEDS_DIR, name);
  size_t n = 0;
  int code = 0;
  if (!text)
    return -1;
  *storage = text;
  for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
    size_t len = strlen(line);
    if (len && line[len - 1] == '\r')
      line[--len] = '\0';
    if (len == 3 && line[0] >= '1' && line[0] <= '9') {
      code = atoi(line);
    } else if (code && line[0] == '>' && line[1] == ' ') {
      if (n < max)
        out[n++] = (ref_seed){code, line + 2};
      code = 0;
    }
  }
  return (int)n;
}

void ref_free(char *text)
{
  free(text);
}

const ref_historical ref_historical_meanings[] = {
  {419, "Insufficient Space On Resource", "Spring Framework"},
  {421, "Destination Locked", "Spring Framework"},
  {425, "Unordered Collection", "draft-ietf-webdav-collection-protocol"},
  {430, "Would Block", "draft-nottingham-http-pipeline"},
  {506, "Loop Detected", "draft-ietf-webdav-collection-protocol"},
  {506, "Redirection Failed", "Historical IETF draft"},
};
const size_t ref_historical_count =
    sizeof ref_historical_meanings / sizeof ref_historical_meanings[0];
