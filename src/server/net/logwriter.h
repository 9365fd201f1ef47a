/* SPDX-License-Identifier: MIT */
/*
 * net/logwriter.h - the access log's destination, kept away from the workers:
 * they write each line into a pipe that never blocks them (a full pipe drops
 * the line), and a thread of its own copies the pipe to standard output or
 * to the log file, as slowly as the reader there takes it.
 */
#ifndef SRV_LOGWRITER_H
#define SRV_LOGWRITER_H

#include <stddef.h>

typedef struct srv_logwriter srv_logwriter;

/* Opens `path` for appending (NULL: standard output) and starts the thread.
 * Returns the writer, whose pipe end for the workers is
 * srv_logwriter_fd(); NULL after writing why into err. */
srv_logwriter *srv_logwriter_start(const char *path, char *err, size_t size);

/* The descriptor the workers write whole lines into (non-blocking). */
int srv_logwriter_fd(const srv_logwriter *lw);

/* Reopens the log file under its name (SIGHUP, after a log rotation): lines
 * from now on go to the new file. Standard output is left as it is.
 * Returns 0, or -1 after writing why into err (the old file stays). */
int srv_logwriter_reopen(srv_logwriter *lw, char *err, size_t size);

/* Closes the workers' end, lets the thread write every line still in the
 * pipe, then frees the writer. Call once the workers stopped. */
void srv_logwriter_stop(srv_logwriter *lw);

#endif
