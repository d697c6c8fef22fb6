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

static inline char hwcaps_ascii_lower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c - 'A' + 'a') : c;
}

/* The same, ignoring ASCII case (systemd's parse_boolean() and level
 * names typed at a boot prompt). */
static inline bool hwcaps_bytes_caseeq(const char *a, size_t n, const char *lit) {
        size_t i = 0;

        for (; i < n && lit[i]; i++)
                if (hwcaps_ascii_lower(a[i]) != hwcaps_ascii_lower(lit[i]))
                        return false;
        return i == n && lit[i] == '\0';
}

/* The NUL-terminated string helpers the freestanding code shares: the stub
 * has no libc. */
static inline size_t hwcaps_str_len(const char *s) {
        size_t n = 0;

        while (s[n])
                n++;
        return n;
}

static inline bool hwcaps_str_eq(const char *a, const char *b) {
        while (*a && *a == *b)
                a++, b++;
        return *a == *b;
}

/* Does s start with p? */
static inline bool hwcaps_str_prefix(const char *s, const char *p) {
        while (*p && *s == *p)
                s++, p++;
        return *p == '\0';
}
