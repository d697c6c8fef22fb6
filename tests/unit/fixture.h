/* SPDX-License-Identifier: MIT */
/* Fixture trees for the unit tests that read the file system: each test
 * file defines "static char root[]" (a mkdtemp template) before including
 * this, and builds its tree below it. */
#pragma once

#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The directory p and its missing parents (0755 less the umask, the
 * caller's), like mkdir -p. */
static inline void fixture_mkdirs(const char *p) {
        char d[512];

        snprintf(d, sizeof d, "%s", p);
        for (char *s = d + 1;; s++)
                if (*s == '/' || !*s) {
                        char c = *s;

                        *s = '\0';
                        cr_assert(mkdir(d, 0755) == 0 || errno == EEXIST, "mkdir %s", d);
                        if (!c)
                                break;
                        *s = c;
                }
}

/* root+rel as a directory (with its parents), then its mode and owner. */
static inline void fixture_mkdir(const char *rel, mode_t mode, uid_t uid) {
        char p[512];

        snprintf(p, sizeof p, "%s%s", root, rel);
        fixture_mkdirs(p);
        cr_assert_eq(chmod(p, mode), 0);
        cr_assert_eq(chown(p, uid, 0), 0);
}

/* The missing parents of the path p. */
static inline void fixture_parents(const char *p) {
        char d[512];

        snprintf(d, sizeof d, "%s", p);
        *strrchr(d, '/') = '\0';
        fixture_mkdirs(d);
}

/* root+rel as a symbolic link to target, with its missing parents. */
static inline void fixture_symlink(const char *target, const char *rel) {
        char p[512];

        snprintf(p, sizeof p, "%s%s", root, rel);
        fixture_parents(p);
        cr_assert_eq(symlink(target, p), 0, "symlink %s", p);
}

/* root+rel, in one of four buffers used in turn. */
static inline const char *fixture_path(const char *rel) {
        static char bufs[4][512];
        static unsigned next;
        char *p = bufs[next++ % 4];

        snprintf(p, sizeof bufs[0], "%s%s", root, rel);
        return p;
}

/* root+rel as a file of n bytes, with its missing parents. */
static inline void fixture_write_bytes(const char *rel, mode_t mode, const void *data, size_t n) {
        char p[512];
        FILE *f;

        snprintf(p, sizeof p, "%s%s", root, rel);
        fixture_parents(p);
        f = fopen(p, "w");
        cr_assert_not_null(f, "%s", p);
        cr_assert_eq(fwrite(data, 1, n, f), n);
        cr_assert_eq(fclose(f), 0);
        cr_assert_eq(chmod(p, mode), 0);
}

static inline void fixture_write(const char *rel, mode_t mode, const char *text) {
        fixture_write_bytes(rel, mode, text, strlen(text));
}

static inline void fixture_file(const char *rel, mode_t mode) {
        fixture_write(rel, mode, "");
}

/* Only once mkdtemp() has filled in the template (which may end in an 'X'
 * of its own: one directory in 62 was left behind when only the last byte
 * was looked at). With the system's PATH: a test may have set its own. */
static inline void fixture_remove(void) {
        char cmd[600];

        if (strcmp(root + sizeof root - 7, "XXXXXX") != 0) {
                snprintf(cmd, sizeof cmd, "PATH=/usr/bin:/bin; rm -rf '%s'", root);
                (void) system(cmd);
        }
}
