/* SPDX-License-Identifier: MIT */
/* The trust rule (trust.c) on a fixture tree: every component of the real
 * path root's, not writable by group or others, not sticky; symlinks
 * followed from their own directory; ".." and absolute links stay inside
 * the root. Needs root (the fixture must be root's and another user's). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "trust.h"

static char root[] = "/tmp/hwcaps-trust.XXXXXX";
static struct hwcaps_trust_root tr;

#include "fixture.h"

#define mk fixture_mkdir
#define ln fixture_symlink

static void setup(void) {
        if (geteuid() != 0)
                cr_skip_test("needs root: the fixture must be root's and another user's");
        cr_assert_not_null(mkdtemp(root));
        mk("/usr/bin/glibc-hwcaps/x86-64-v3", 0755, 0);
        fixture_file("/usr/bin/glibc-hwcaps/x86-64-v3/foo", 0755);
        fixture_file("/usr/bin/glibc-hwcaps/x86-64-v3/ww", 0777);
        mk("/home/u/pub", 0755, 0);
        mk("/home/u", 0755, 65534);
        mk("/sticky", 01755, 0);
        mk("/sticky/d", 0755, 0);
        ln("usr/bin", "/bin");
        ln("/usr/bin", "/abs");
        ln("../../../../..", "/usr/bin/glibc-hwcaps/x86-64-v3/up");
        ln("../../home/u/pub", "/usr/bin/viauser");
        ln("loop", "/loop");
        cr_assert_eq(hwcaps_trust_root_open(root, &tr), HWCAPS_TRUST_SAFE);
}

static void teardown(void) {
        hwcaps_trust_root_close(&tr);
        fixture_remove();
}

static enum hwcaps_trust_verdict walk(const char *path, enum hwcaps_trust_want want, struct hwcaps_trust *t) {
        return hwcaps_trust_walk(&tr, NULL, path, want, t);
}

TestSuite(trust, .init = setup, .fini = teardown);

Test(trust, a_table_of_paths) {
        static const struct {
                const char *path;
                enum hwcaps_trust_want want;
                enum hwcaps_trust_verdict v;
                enum hwcaps_trust_reason reason;
                const char *where;
        } t[] = {
                { "/usr/bin/glibc-hwcaps/x86-64-v3", HWCAPS_WANT_DIR, HWCAPS_TRUST_SAFE, 0, "/usr/bin/glibc-hwcaps/x86-64-v3" },
                { "/usr/bin/glibc-hwcaps/x86-64-v3/foo", HWCAPS_WANT_FILE, HWCAPS_TRUST_SAFE, 0, "/usr/bin/glibc-hwcaps/x86-64-v3/foo" },
                { "/usr/bin/glibc-hwcaps/x86-64-v3/ww", HWCAPS_WANT_FILE, HWCAPS_TRUST_UNSAFE, HWCAPS_UNSAFE_WRITABLE, NULL },
                { "/usr/bin/glibc-hwcaps/x86-64-v3/foo", HWCAPS_WANT_DIR, HWCAPS_TRUST_UNSAFE, HWCAPS_UNSAFE_NOT_DIR, NULL },
                { "/usr/bin/glibc-hwcaps", HWCAPS_WANT_FILE, HWCAPS_TRUST_UNSAFE, HWCAPS_UNSAFE_NOT_FILE, NULL },
                { "/usr/bin/glibc-hwcaps/x86-64-v4", HWCAPS_WANT_DIR, HWCAPS_TRUST_MISSING, 0, NULL },
                { "/usr/bin/glibc-hwcaps/x86-64-v3/foo/x", HWCAPS_WANT_FILE, HWCAPS_TRUST_MISSING, 0, NULL },
                /* links: relative, absolute (inside the root), through ".." */
                { "/bin/glibc-hwcaps/x86-64-v3/foo", HWCAPS_WANT_FILE, HWCAPS_TRUST_SAFE, 0, "/usr/bin/glibc-hwcaps/x86-64-v3/foo" },
                { "/abs/glibc-hwcaps", HWCAPS_WANT_DIR, HWCAPS_TRUST_SAFE, 0, "/usr/bin/glibc-hwcaps" },
                /* ".." never leaves the root, however many */
                { "/usr/bin/glibc-hwcaps/x86-64-v3/up/usr/bin", HWCAPS_WANT_DIR, HWCAPS_TRUST_SAFE, 0, "/usr/bin" },
                { "/../../../usr/bin", HWCAPS_WANT_DIR, HWCAPS_TRUST_SAFE, 0, "/usr/bin" },
                { "/usr/./bin/../bin", HWCAPS_WANT_DIR, HWCAPS_TRUST_SAFE, 0, "/usr/bin" },
                /* a root-owned target under a user's directory */
                { "/usr/bin/viauser", HWCAPS_WANT_DIR, HWCAPS_TRUST_UNSAFE, HWCAPS_UNSAFE_OWNER, "/home/u" },
                { "/home/u/pub", HWCAPS_WANT_DIR, HWCAPS_TRUST_UNSAFE, HWCAPS_UNSAFE_OWNER, "/home/u" },
                /* sticky, even when not writable by others */
                { "/sticky/d", HWCAPS_WANT_DIR, HWCAPS_TRUST_UNSAFE, HWCAPS_UNSAFE_STICKY, "/sticky" },
                { "/loop", HWCAPS_WANT_DIR, HWCAPS_TRUST_UNSAFE, HWCAPS_UNSAFE_LOOP, NULL },
                { "/", HWCAPS_WANT_DIR, HWCAPS_TRUST_SAFE, 0, "/" },
        };
        struct hwcaps_trust *r = malloc(sizeof *r);

        for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
                enum hwcaps_trust_verdict v = walk(t[i].path, t[i].want, r);

                cr_assert_eq(v, t[i].v, "%s: verdict %d, expected %d (%s at %s)", t[i].path, v, t[i].v,
                             hwcaps_trust_reason_text(r->reason), r->where);
                if (v == HWCAPS_TRUST_UNSAFE)
                        cr_assert_eq(r->reason, t[i].reason, "%s: %s", t[i].path, hwcaps_trust_reason_text(r->reason));
                if (t[i].where)
                        cr_assert_str_eq(r->where, t[i].where, "%s", t[i].path);
        }
        free(r);
}

Test(trust, a_relative_walk_goes_on_from_a_directory) {
        struct hwcaps_trust *d = malloc(sizeof *d), *f = malloc(sizeof *f);

        cr_assert_eq(hwcaps_trust_walk(&tr, NULL, "/usr/bin/glibc-hwcaps", HWCAPS_WANT_DIR, d), HWCAPS_TRUST_SAFE);
        cr_assert_eq(hwcaps_trust_walk(&tr, d->where, "x86-64-v3/foo", HWCAPS_WANT_FILE, f), HWCAPS_TRUST_SAFE);
        cr_assert_str_eq(f->where, "/usr/bin/glibc-hwcaps/x86-64-v3/foo");
        cr_assert_eq(hwcaps_trust_walk(&tr, d->where, "../glibc-hwcaps/x86-64-v3/../x86-64-v3/foo", HWCAPS_WANT_FILE, f),
                     HWCAPS_TRUST_SAFE);
        cr_assert_str_eq(f->where, "/usr/bin/glibc-hwcaps/x86-64-v3/foo");
        free(d);
        free(f);
}

Test(trust, an_unsafe_root_makes_everything_unsafe) {
        struct hwcaps_trust_root u;
        struct hwcaps_trust *t = malloc(sizeof *t);
        char p[512];

        snprintf(p, sizeof p, "%s/home/u", root);
        cr_assert_eq(hwcaps_trust_root_open(p, &u), HWCAPS_TRUST_UNSAFE);
        cr_assert_eq(hwcaps_trust_walk(&u, NULL, "/pub", HWCAPS_WANT_DIR, t), HWCAPS_TRUST_UNSAFE);
        hwcaps_trust_root_close(&u);
        free(t);
}
