/* SPDX-License-Identifier: MIT */
/*
 * net/logwriter.c - see logwriter.h. A write of at most PIPE_BUF bytes into
 * a pipe is atomic, so lines of different workers never mix, and with
 * O_NONBLOCK a full pipe answers EAGAIN instead of holding a worker back.
 */
#define _GNU_SOURCE /* F_SETPIPE_SZ */
#include "net/logwriter.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core.h"

/* Room for a burst of lines while the destination's reader is slow. */
#define PIPE_BYTES (1 << 20)

struct srv_logwriter {
  const char *path; /* NULL: standard output */
  int out_fd;       /* where the thread writes; a reopen dup2s onto it */
  int pipe_r, pipe_w;
  pthread_t thread;
};

static int open_log(const char *path, char *err, size_t size)
{
  int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0)
    snprintf(err, size, "cannot open the log file %.200s: %s", path, strerror(errno));
  return fd;
}

/* Writes all of buf, or gives up when the destination fails (closed pipe,
 * full disk): the log must never stop the server. */
static void write_all(int fd, const char *buf, size_t len)
{
  while (len > 0) {
    ssize_t n = write(fd, buf, len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return;
    buf += n;
    len -= (size_t)n;
  }
}

static void *run(void *arg)
{
  srv_logwriter *lw = arg;
  static char buf[1 << 16]; /* one writer thread per process */
  uint64_t reported = 0;
  for (;;) {
    ssize_t n = read(lw->pipe_r, buf, sizeof buf);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break; /* every worker is done: the write end is closed */
    write_all(lw->out_fd, buf, (size_t)n);
    uint64_t dropped = srv_log_dropped();
    if (dropped != reported) {
      fprintf(stderr, "httpstatus serve: %llu access log lines dropped so far: "
              "the log's reader is slower than the requests\n",
              (unsigned long long)dropped);
      reported = dropped;
    }
  }
  return NULL;
}

srv_logwriter *srv_logwriter_start(const char *path, char *err, size_t size)
{
  srv_logwriter *lw = calloc(1, sizeof *lw);
  int fds[2];
  if (lw == NULL) {
    snprintf(err, size, "out of memory");
    return NULL;
  }
  lw->path = path;
  lw->out_fd = path ? open_log(path, err, size) : STDOUT_FILENO;
  if (lw->out_fd < 0) {
    free(lw);
    return NULL;
  }
  if (pipe2(fds, O_CLOEXEC) != 0) {
    snprintf(err, size, "cannot make the access log's pipe: %s", strerror(errno));
    goto fail;
  }
  lw->pipe_r = fds[0];
  lw->pipe_w = fds[1];
  fcntl(lw->pipe_w, F_SETPIPE_SZ, PIPE_BYTES); /* a smaller pipe still works */
  fcntl(lw->pipe_w, F_SETFL, O_NONBLOCK);
  /* The thread takes no signal: they are the main thread's (or libuv's). */
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, &old);
  int rc = pthread_create(&lw->thread, NULL, run, lw);
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  if (rc == 0)
    return lw;
  snprintf(err, size, "cannot start the access log's thread: %s", strerror(rc));
  close(lw->pipe_r);
  close(lw->pipe_w);
fail:
  if (path)
    close(lw->out_fd);
  free(lw);
  return NULL;
}

int srv_logwriter_fd(const srv_logwriter *lw)
{
  return lw->pipe_w;
}

int srv_logwriter_reopen(srv_logwriter *lw, char *err, size_t size)
{
  if (lw->path == NULL)
    return 0;
  int fd = open_log(lw->path, err, size);
  if (fd < 0)
    return -1;
  /* Atomic: the thread's next write goes to the new file. */
  int rc = dup2(fd, lw->out_fd);
  if (rc < 0)
    snprintf(err, size, "cannot reopen %.200s: %s", lw->path, strerror(errno));
  close(fd);
  return rc < 0 ? -1 : 0;
}

void srv_logwriter_stop(srv_logwriter *lw)
{
  if (lw == NULL)
    return;
  close(lw->pipe_w);
  pthread_join(lw->thread, NULL);
  close(lw->pipe_r);
  if (lw->path)
    close(lw->out_fd);
  free(lw);
}
