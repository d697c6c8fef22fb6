/* SPDX-License-Identifier: MIT */
/* Reading small files under the sysroot prefix without ever blocking. */
#pragma once

#include <stddef.h>

/* Reads root+path (root may be NULL or "") into a malloc'd, NUL-terminated
 * buffer. Never blocks on a FIFO or device: opened O_NONBLOCK; a character
 * device (a symlink to /dev/null: systemd's way to mask a file) reads as
 * empty; other non-regular files are refused (-EISDIR, -EBADFD).
 * Files longer than max bytes: -EFBIG. Returns 0 or -errno. */
int hwcaps_read_file(const char *root, const char *path, size_t max, char **ret, size_t *ret_size);

/* A copy of n bytes of s that is safe to print on one line, by escape.h's
 * rule (invalid UTF-8, control characters and backslashes as \xHH); at
 * most max input bytes (80 at the most), then "...". Returns one of four static buffers used in turn, so up to four
 * results may appear in one message (not thread-safe; for messages only). */
const char *hwcaps_printable(const char *s, size_t n, size_t max);
