/* SPDX-License-Identifier: MIT */
/* hwcaps.conf(5): the main file, then drop-ins in systemd's order. (Not
 * "config.h": that name is the generated build configuration.) */
#pragma once

#include <stddef.h>

#include "searchpath.h" /* hwcaps_warn_fn */

/* Where an assignment came from: file name (without the sysroot prefix)
 * and line, for "why" in hwcaps status and in warnings. */
struct hwcaps_config_origin {
        const char *file; /* points into hwcaps_config.files; NULL: never set */
        unsigned line;
        char setting[96]; /* the assignment as written, shortened */
};

struct hwcaps_config {
        int enabled;          /* enable=: -1 not set, 0, 1 */
        int max_level;        /* max-level=: 0 not set, else 1..4 */
        char **directories;   /* directories=: NULL not set (every PATH dir), else NULL-terminated */
        size_t n_directories;
        struct hwcaps_config_origin enabled_at, max_level_at, directories_at;

        char **files;         /* every file name parsed, owned, for the origins */
        size_t n_files;
        unsigned warnings;    /* warnings given for the current file */
        char unreadable[256]; /* first file that exists but could not be read, or "" */
};

void hwcaps_config_init(struct hwcaps_config *c);
void hwcaps_config_done(struct hwcaps_config *c);

/* Pure: applies the INI text buf (n bytes, any content, NUL bytes included)
 * named filename onto c. Unknown keys, bad values and syntax errors give
 * one warning each ("FILE:LINE: ...") and are skipped. Returns 0 or -ENOMEM. */
int hwcaps_config_parse(struct hwcaps_config *c, const char *filename, const char *buf, size_t n,
                        hwcaps_warn_fn warn, void *userdata);

/* The files to read, in the order to apply them: the main file, then
 * every *.conf of the drop-in directories sorted by file name, where a name
 * in /etc masks the same name in /run, which masks /usr/lib (systemd's
 * conf_files_list()). Names are without root. */
int hwcaps_config_files(const char *root, char ***ret, size_t *ret_n, hwcaps_warn_fn warn, void *userdata);

/* Reads and applies all files. Problems are warnings; returns 0 or -ENOMEM. */
int hwcaps_config_load(struct hwcaps_config *c, const char *root, hwcaps_warn_fn warn, void *userdata);

void hwcaps_strv_free(char **l);
/* A copy of the NULL-terminated l, or NULL. */
char **hwcaps_strv_copy(char *const *l);
