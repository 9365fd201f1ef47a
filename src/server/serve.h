/* SPDX-License-Identifier: MIT */
/*
 * serve.h - the entry point of `httpstatus serve`, called by the command.
 */
#ifndef HTTPSTATUS_SERVE_H
#define HTTPSTATUS_SERVE_H

/* Runs the status-code test server. argv[0] is "serve"; the options follow
 * (see httpstatus-serve(1)). Returns the process exit status: 0 after a
 * graceful stop on SIGINT or SIGTERM, 2 for a bad option, 1 when the server
 * could not start (address in use, ...). Prints the listening URL on stdout
 * once it accepts connections. */
int serve_main(int argc, char **argv);

#endif
