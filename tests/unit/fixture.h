/* SPDX-License-Identifier: MIT */
/* Fixture trees for the unit tests that read the file system: each test
 * file defines "static char root[]" (a mkdtemp template) before including
 * this, and builds its tree below it. */
#pragma once

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* root+rel as a directory (with its parents), then its mode and owner. */
static inline void fixture_mkdir(const char *rel, mode_t mode, uid_t uid) {
        char p[512], cmd[600];

        snprintf(p, sizeof p, "%s%s", root, rel);
        snprintf(cmd, sizeof cmd, "mkdir -p '%s'", p);
        cr_assert_eq(system(cmd), 0);
        cr_assert_eq(chmod(p, mode), 0);
        cr_assert_eq(chown(p, uid, 0), 0);
}

static inline void fixture_symlink(const char *target, const char *rel) {
        char p[512];

        snprintf(p, sizeof p, "%s%s", root, rel);
        cr_assert_eq(symlink(target, p), 0, "symlink %s", p);
}

static inline void fixture_file(const char *rel, mode_t mode) {
        char p[512];
        FILE *f;

        snprintf(p, sizeof p, "%s%s", root, rel);
        f = fopen(p, "w");
        cr_assert_not_null(f, "%s", p);
        fclose(f);
        cr_assert_eq(chmod(p, mode), 0);
}

static inline void fixture_remove(void) {
        char cmd[600];

        if (root[sizeof root - 2] != 'X') {
                snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
                (void) system(cmd);
        }
}
