/* SPDX-License-Identifier: MIT */
/* CPUID dump files in libcpuid's raw format (cpuid_tool --save=FILE). */
#pragma once

#include <stddef.h>

#include "probe.h"

/* Pure syntax check of a whole dump, so that a bad file gets an error naming
 * its line (libcpuid's reader silently skips what it does not know). Returns
 * 0, or -EINVAL with *line (1-based; 0 for the whole file) and *msg set. */
int hwcaps_dump_validate(const char *buf, size_t n, size_t *line, const char **msg);

/* Reads and validates path, then takes the registers from libcpuid's
 * cpuid_deserialize_raw_data(). On error writes a message naming the file
 * (and line) to err. */
int hwcaps_probe_dump(const char *path, struct hwcaps_probe *p, char *err, size_t errsize);

/* CPU name from libcpuid for the live CPU (p->cpuid is not used). */
void hwcaps_probe_brand_live(struct hwcaps_probe *p);
