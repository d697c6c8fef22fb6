/* SPDX-License-Identifier: MIT */
/* Which rpm package owns each glibc-hwcaps variant and its baseline. */
#pragma once

#include <stdbool.h>
#include <stdio.h>

/* For every program or library in a level directory (x86-64-v2..v4) of the
 * usual directories under root (/usr/bin, /usr/sbin, /usr/libexec, /usr/lib64,
 * /usr/lib, /usr/local/bin, /bin, /sbin), print the owning package of the
 * variant and of its baseline (DIR/NAME, or DIR/glibc-hwcaps/x86-64-v1/NAME
 * for a dispatched program) from root's rpmdb, one row per variant, and its
 * state: "ok", "stale" (variant and baseline packages differ in
 * epoch:version-release), "missing-baseline" or "unowned" (no package owns
 * the variant). Table for people, or JSON:
 *   {"root":R,"variants":[{"path","level","package","baseline",
 *    "baseline_package","state"}...]}   (absent values are null)
 * Returns the number of variants whose state is not "ok", or -errno after
 * logging the error (no rpmdb under root, out of memory). */
int hwcaps_rpm_report(const char *root, FILE *out, bool json);
