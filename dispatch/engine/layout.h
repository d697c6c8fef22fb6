/* SPDX-License-Identifier: MIT */
/* The glibc-hwcaps layout, once: a program DIR/NAME has its variants in
 * DIR/glibc-hwcaps/x86-64-vN/NAME, as glibc's libraries do in
 * LIBDIR/glibc-hwcaps/x86-64-vN/ (the baseline of a dispatched program in
 * x86-64-v1/). Freestanding: the stub uses it too. */
#pragma once

#include <stddef.h>

#include "level.h"

#define HWCAPS_SUBDIR "glibc-hwcaps"

/* Writes "DIR/glibc-hwcaps/x86-64-vN/NAME" for path "DIR/NAME" (DIR may be
 * empty: "NAME" gives "glibc-hwcaps/x86-64-vN/NAME") into buf, NUL-terminated.
 * Returns the length, or 0 when it does not fit or the level has no name. */
size_t hwcaps_candidate_path(const char *path, enum hwcaps_level level, char *buf, size_t size);

/* Is path itself a candidate, ".../glibc-hwcaps/x86-64-vN/NAME"? Returns N or 0. */
int hwcaps_path_candidate_level(const char *path);
