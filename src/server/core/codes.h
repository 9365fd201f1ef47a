/* SPDX-License-Identifier: MIT */
/*
 * core/codes.h - the status codes the server names come from the library
 * (HTTPSTATUS_CODE_* and the catalog's rules: httpstatus_framing_of,
 * httpstatus_closes_without_response, httpstatus_switches_protocol); this
 * header adds the range of codes the server answers with.
 */
#ifndef SRV_CORE_CODES_H
#define SRV_CORE_CODES_H

#include "httpstatus.h"

/* The first and last code the server answers with. */
#define SRV_FIRST_CODE 100
#define SRV_LAST_CODE 999

#endif
