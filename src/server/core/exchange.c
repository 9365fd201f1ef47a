/* SPDX-License-Identifier: MIT */
/*
 * core/exchange.c - what a protocol layer asks the core while it reads a
 * request: which fields to keep, the method, the expectation, the content's
 * size limit.
 */
#include <string.h>

#include "core/core.h"

static const struct {
  const char *name;
  size_t len;
} kept[SRV_F_COUNT] = {
#define SRV_FIELD_NAME(id, name) {name, sizeof name - 1},
    SRV_FIELDS(SRV_FIELD_NAME)
#undef SRV_FIELD_NAME
};

/* Bit n set when a kept field's name is n bytes long: most fields a client
 * sends are skipped on their length alone. */
static const uint64_t kept_lengths = 0
#define SRV_FIELD_LEN_BIT(id, name) | (UINT64_C(1) << (sizeof name - 1))
    SRV_FIELDS(SRV_FIELD_LEN_BIT)
#undef SRV_FIELD_LEN_BIT
    ;

srv_field srv_field_find(const char *name, size_t len)
{
  size_t plen = sizeof SRV_X_RESPONSE_PREFIX - 1;
  if (len == 4 && srv_ieq(name, len, "host"))
    return SRV_F_HOST;
  if (len < 64 && (kept_lengths >> len & 1))
    for (int i = 0; i < SRV_F_COUNT; i++)
      if (kept[i].len == len && srv_ieq(name, len, kept[i].name))
        return (srv_field)i;
  if (len > plen && srv_iprefix(name, len, SRV_X_RESPONSE_PREFIX))
    return SRV_F_OVERRIDE;
  return SRV_F_OTHER;
}

void srv_exchange_reset(srv_exchange *x, srv_proto proto, bool tls, int fd)
{
  memset(x, 0, sizeof *x);
  x->proto = proto;
  x->tls = tls;
  x->peer_fd = fd;
}

srv_method srv_method_of(const char *name, size_t len)
{
  static const struct {
    const char *name;
    srv_method method;
  } methods[] = {
      {"GET", SRV_METHOD_GET},
      {"HEAD", SRV_METHOD_HEAD},
      {"OPTIONS", SRV_METHOD_OPTIONS},
      {"CONNECT", SRV_METHOD_CONNECT},
  };
  for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
    if (strlen(methods[i].name) == len &&
        memcmp(methods[i].name, name, len) == 0)
      return methods[i].method;
  return SRV_METHOD_OTHER;
}

srv_expect srv_exchange_expect(const srv_exchange *x)
{
  srv_span expect = x->fields[SRV_F_EXPECT];
  if (expect.len == 0)
    return SRV_EXPECT_NONE;
  return srv_ieq(expect.s, expect.len, "100-continue") ? SRV_EXPECT_CONTINUE
                                                       : SRV_EXPECT_FAIL;
}

bool srv_exchange_body(srv_exchange *x, const srv_config *cfg, size_t len)
{
  x->body_bytes += len;
  return x->body_bytes <= cfg->max_body;
}

void srv_core_free(srv_core *core)
{
  srv_buf_free(&core->scratch);
  srv_buf_free(&core->body);
  srv_buf_free(&core->values);
  srv_buf_free(&core->log_line);
}

void srv_core_init(void)
{
  srv_metrics_init();
  srv_pages_init();
  srv_respond_init();
  srv_handlers_init();
}

void srv_core_shutdown(void)
{
  srv_respond_free();
  srv_pages_free();
  srv_retry_free();
}
