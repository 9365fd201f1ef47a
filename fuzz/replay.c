/* SPDX-License-Identifier: MIT */
/*
 * replay.c - main() for a fuzz target without libFuzzer: runs every file
 * named on the command line, or found in a directory named there, through
 * LLVMFuzzerTestOneInput once. Each input is copied into a buffer of
 * exactly its size, so ASan catches any read past its end. Fails when it
 * finds no input at all (an empty corpus tests nothing).
 */
#include <dirent.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static int run_file(const char *path)
{
  FILE *f = fopen(path, "rb");
  if (!f) {
    perror(path);
    return -1;
  }
  fseek(f, 0, SEEK_END);
  long size = ftell(f);
  rewind(f);
  uint8_t *data = malloc(size > 0 ? (size_t)size : 1);
  if (size < 0 || !data || fread(data, 1, (size_t)size, f) != (size_t)size) {
    fprintf(stderr, "%s: cannot read\n", path);
    free(data);
    fclose(f);
    return -1;
  }
  fclose(f);
  LLVMFuzzerTestOneInput(data, (size_t)size);
  free(data);
  return 1;
}

/* Runs the regular files in `dir` (not recursively); returns how many, or
 * -1 on an error. */
static int run_dir(const char *dir)
{
  DIR *d = opendir(dir);
  struct dirent *ent;
  int count = 0;
  if (!d) {
    perror(dir);
    return -1;
  }
  while ((ent = readdir(d)) != NULL) {
    char path[4096];
    struct stat st;
    if (ent->d_name[0] == '.')
      continue;
    if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, ent->d_name) >= sizeof path ||
        stat(path, &st) != 0 || !S_ISREG(st.st_mode))
      continue;
    if (run_file(path) < 0) {
      closedir(d);
      return -1;
    }
    count++;
  }
  closedir(d);
  return count;
}

int main(int argc, char **argv)
{
  int total = 0;
  for (int i = 1; i < argc; i++) {
    struct stat st;
    int n = stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode) ? run_dir(argv[i])
                                                            : run_file(argv[i]);
    if (n < 0)
      return 1;
    total += n;
  }
  if (total == 0) {
    fprintf(stderr, "%s: no inputs (usage: %s FILE|DIR...)\n", argv[0], argv[0]);
    return 1;
  }
  printf("%s: %d inputs ran\n", argv[0], total);
  return 0;
}
