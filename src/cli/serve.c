/* SPDX-License-Identifier: MIT */
/* serve.c - `httpstatus serve`: runs the server executable, httpstatus-serve.
 *
 * The server lives in an executable of its own (git-style) so that the
 * command links only libhttpstatus: a static PIE that also carried OpenSSL
 * and nghttp2 applied some 22,000 relocations before every lookup and took
 * twice as long to answer (bench/cli.sh). */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#ifdef HTTPSTATUS_SERVE_DIR
#define SERVE_NAME "httpstatus-serve"

/* Folder of the running executable into `dir` (with its trailing '/');
 * false when /proc/self/exe cannot be read. */
static bool exe_dir(char *dir, size_t size) {
  ssize_t n = readlink("/proc/self/exe", dir, size - 1);
  if (n <= 0 || (size_t)n >= size - 1)
    return false;
  dir[n] = '\0';
  char *slash = strrchr(dir, '/');
  if (slash == NULL)
    return false;
  slash[1] = '\0';
  return true;
}

/* Replaces this process with `path`; returns only when it could not. */
static int try_exec(char *path, char **argv) {
  argv[0] = path;
  execv(path, argv);
  return errno;
}

int serve_exec(int argc, char **argv) {
  (void)argc;
  char dir[PATH_MAX], next[PATH_MAX + 32], installed[PATH_MAX + 64];
  if (!exe_dir(dir, sizeof dir)) {
    cli_error("serve: cannot find this executable's folder (/proc/self/exe: %s)",
              strerror(errno));
    return CLI_USAGE;
  }
  /* Next to the command (the build tree), then where the install put it,
   * relative to the command so that a moved prefix still works. */
  snprintf(next, sizeof next, "%s" SERVE_NAME, dir);
  snprintf(installed, sizeof installed, "%s" HTTPSTATUS_SERVE_DIR "/" SERVE_NAME, dir);
  char *const paths[] = {next, installed};
  for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
    int err = try_exec(paths[i], argv);
    if (err != ENOENT && err != ENOTDIR) {
      cli_error("serve: cannot run %s: %s", paths[i], strerror(err));
      return CLI_USAGE;
    }
  }
  cli_error("serve is not installed (looked in %s and %s)", next, installed);
  return CLI_USAGE;
}
#else
int serve_exec(int argc, char **argv) {
  (void)argc;
  (void)argv;
  cli_error("this httpstatus was built without 'serve' (it needs libuv and"
            " llhttp; configure with -DHTTPSTATUS_BUILD_SERVER=ON)");
  return CLI_USAGE;
}
#endif
