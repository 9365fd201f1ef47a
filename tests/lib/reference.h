/* SPDX-License-Identifier: MIT */
/*
 * reference.h - reading the facts the catalog tests check against: the CSV
 * files of tests/data and the user's seed list (beside the checkout, when
 * there). Test-only helpers: a file that cannot be read fails the test, and
 * ref_error() says which file and why.
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

/* Reads a CSV file (RFC 4180 quoting) of tests/data (HTTPSTATUS_DATA_DIR).
 * Returns 0, or -1 when it cannot be read or parsed (see ref_error). */
int ref_csv_load(ref_table *t, const char *name);

/* The user's original list, in HTTPSTATUS_SEEDS_DIR. */
#define REF_SEED_LIST "000_32182e8dc5835318.txt"

typedef struct ref_seed {
  int code;
  char *text; /* the line after "> " */
} ref_seed;

/* Reads the seed list, a file of HTTPSTATUS_SEEDS_DIR: a code line followed
 * by a "> text" line. Returns the number of seeds stored (at most max), or
 * -1 when unreadable (see ref_error). */
int ref_seed_load(ref_seed *out, size_t max, char **storage, const char *name);

/* Where the seed list is looked for: HTTPSTATUS_SEEDS_DIR/name. */
const char *ref_seed_path(const char *name);

/* What the last failed load could not do, with the file's path. */
const char *ref_error(void);

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
