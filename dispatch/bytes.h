/* SPDX-License-Identifier: MIT */
/* Freestanding byte helpers for the parsers the static stub shares. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* Are the n bytes at a exactly the NUL-terminated literal lit? */
static inline bool hwcaps_bytes_eq(const char *a, size_t n, const char *lit) {
        size_t i = 0;

        for (; i < n && lit[i]; i++)
                if (a[i] != lit[i])
                        return false;
        return i == n && lit[i] == '\0';
}
