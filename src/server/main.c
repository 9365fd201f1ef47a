/* SPDX-License-Identifier: MIT */
/* main.c - the httpstatus-serve executable, which `httpstatus serve` runs
 * (src/cli/serve.c); run directly it takes the same options. */
#include "serve.h"

int main(int argc, char **argv) {
  return serve_main(argc, argv);
}
