/*
 * reference.h - reading the facts in ../shared (CSV files and the user's
 * seed list) for the catalog tests. Test-only helpers, no error recovery:
 * a file that cannot be read fails the test.
 */
#ifndef HTTPSTATUS_TEST_REFERENCE_H
#define HTTPSTATUS_TEST_REFERENCE_H

#include <stddef.h>

#define REF_MAX_FIELDS 8
#define REF_MAX_ROWS 256

typedef struct ref_row {
  char *field[REF_MAX_FIELDS];
  size_t fields;
} ref_row;

typedef struct ref_table {
  char *text; /* the file, fields cut out of it in place */
  ref_row row[REF_MAX_ROWS];
  size_t rows; /* data rows, header excluded */
} ref_table;

/* Reads a CSV file (RFC 4180 quoting) relative to HTTPSTATUS_SHARED_DIR.
 * Returns 0, or -1 when it cannot be read or parsed. */
int ref_csv_load(ref_table *t, const char *relative_path);

typedef struct ref_seed {
  int code;
  char *text; /* the line after "> " */
} ref_seed;

/* Reads the seed list: a code line followed by a "> text" line. Returns
 * the number of seeds stored (at most max), or -1 when unreadable. */
int ref_seed_load(ref_seed *out, size_t max, char **storage,
                  const char *relative_path);

void ref_free(char *text);

/* Historical meanings the unofficial list lacks, each with where it was
 * defined: the catalog's only unofficial entries beyond the list. */
typedef struct ref_historical {
  int code;
  const char *phrase, *origin;
} ref_historical;

extern const ref_historical ref_historical_meanings[];
extern const size_t ref_historical_count;

#endif
