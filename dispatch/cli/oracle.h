/* SPDX-License-Identifier: MIT */
/* The dynamic linker's own verdict: which glibc-hwcaps subdirectories
 * `ld.so --help` reports as "supported, searched". */
#pragma once

#include <stddef.h>

/* Parses ld.so --help output. Sets bit L of *levels for each supported
 * x86-64-vL. Returns 0, or -ENODATA when the section is missing (glibc older
 * than 2.33, or not a glibc ld.so). */
int hwcaps_oracle_parse(const char *text, size_t n, unsigned *levels);

/* Runs ldso --help (inheriting the environment, so GLIBC_TUNABLES applies)
 * and parses it. Returns 0 or -errno / -ENODATA. */
int hwcaps_oracle_run(const char *ldso, unsigned *levels);
