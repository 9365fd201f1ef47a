/* SPDX-License-Identifier: MIT */
/*
 * fuzz.h - what every fuzz target defines (libFuzzer's entry point), and
 * the check that turns a broken promise into a crash the fuzzer reports.
 */
#ifndef HTTPSTATUS_FUZZ_H
#define HTTPSTATUS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* Runs one input; returns 0 (libFuzzer reserves other values). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Not assert(): it must hold in Release builds too. */
#define FUZZ_CHECK(cond)                                                     \
  do {                                                                       \
    if (!(cond)) {                                                           \
      fprintf(stderr, "%s:%d: broken promise: %s\n", __FILE__, __LINE__,     \
              #cond);                                                        \
      abort();                                                               \
    }                                                                        \
  } while (0)

#endif /* HTTPSTATUS_FUZZ_H */
