/* SPDX-License-Identifier: MIT */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "searchpath.h"

static char root[] = "/tmp/hwcaps-test-path-XXXXXX";
static char warnings[8192];

#include "fixture.h"

#define mk fixture_mkdir
#define ln fixture_symlink

static void setup(void) {
        if (geteuid() != 0)
                cr_skip_test("needs root: fixture directories must be owned by root and by another user");
        cr_assert_not_null(mkdtemp(root));
        for (int l = 2; l <= 4; l++) {
                char d[64];
                snprintf(d, sizeof d, "/usr/bin/glibc-hwcaps/x86-64-v%d", l);
                mk(d, 0755, 0);
        }
        mk("/bin", 0755, 0);
        mk("/usr/local/bin", 0755, 0);
        mk("/glibc-hwcaps/x86-64-v2", 0755, 0);
        mk("/opt/ww/glibc-hwcaps/x86-64-v3", 0777, 0);
        mk("/opt/gw/glibc-hwcaps/x86-64-v3", 0775, 0);
        mk("/opt/user/glibc-hwcaps/x86-64-v3", 0755, 65534);
        mk("/opt/userparent/glibc-hwcaps/x86-64-v3", 0755, 0);
        mk("/opt/userparent/glibc-hwcaps", 0755, 65534);
        mk("/opt/sticky/glibc-hwcaps/x86-64-v3", 01777, 0);
        mk("/opt/link/glibc-hwcaps", 0755, 0);
        ln("../../../usr/bin/glibc-hwcaps/x86-64-v3", "/opt/link/glibc-hwcaps/x86-64-v3");
        mk("/opt/dangling/glibc-hwcaps", 0755, 0);
        ln("/nonexistent/hwcaps", "/opt/dangling/glibc-hwcaps/x86-64-v3");
        mk("/opt/loop/glibc-hwcaps", 0755, 0);
        ln("x86-64-v3", "/opt/loop/glibc-hwcaps/x86-64-v3");
        mk("/opt/file/glibc-hwcaps", 0755, 0);
        {
                char p[512];
                snprintf(p, sizeof p, "%s/opt/file/glibc-hwcaps/x86-64-v3", root);
                FILE *f = fopen(p, "w");
                cr_assert_not_null(f);
                fclose(f);
        }
        ln("usr/bin", "/symdir");
        /* A root-owned level directory reached through a symlink whose
         * target has a user-owned ancestor: the user can swap "pub"
         * after boot (found by an adversarial read; the old check looked
         * at the target's parent only). */
        mk("/home/u/pub/v3", 0755, 0);
        mk("/home/u", 0755, 65534);
        mk("/opt/anc/glibc-hwcaps", 0755, 0);
        ln("../../../home/u/pub/v3", "/opt/anc/glibc-hwcaps/x86-64-v3");
        /* sticky but not writable by others: still refused (CHASE_SAFE) */
        mk("/opt/sticky2/glibc-hwcaps/x86-64-v3", 01755, 0);
        warnings[0] = '\0';
}

static void teardown(void) {
        fixture_remove();
}

static void collect(void *ud, const char *fmt, ...) {
        va_list ap;
        size_t n = strlen(warnings);
        (void) ud;
        va_start(ap, fmt);
        vsnprintf(warnings + n, sizeof warnings - n, fmt, ap);
        va_end(ap);
        n = strlen(warnings);
        if (n + 1 < sizeof warnings)
                strcat(warnings, "\n");
}

static char *compose_at(const char *path, int max) {
        struct hwcaps_path_opts o = { .root = root, .max_level = max, .warn = collect };
        char *out = NULL;
        cr_assert_eq(hwcaps_path_compose(path, &o, &out), 0);
        return out;
}

#define UB "/usr/bin/glibc-hwcaps/"
#define V432 UB "x86-64-v4:" UB "x86-64-v3:" UB "x86-64-v2:"

struct pcase {
        const char *in;
        int max;
        const char *out;
};

static const struct pcase cases[] = {
        { "/usr/bin", 4, V432 "/usr/bin" },
        { "/usr/bin", 3, UB "x86-64-v3:" UB "x86-64-v2:/usr/bin" },
        { "/usr/bin", 2, UB "x86-64-v2:/usr/bin" },
        { "/usr/bin", 1, "/usr/bin" },
        { "/usr/local/bin:/usr/bin:/bin", 4, "/usr/local/bin:" V432 "/usr/bin:/bin" },
        /* duplicates: only before the first occurrence, which is the one found */
        { "/usr/bin:/bin:/usr/bin", 4, V432 "/usr/bin:/bin:/usr/bin" },
        { "/usr/bin:/bin:/usr/bin/", 4, V432 "/usr/bin:/bin:/usr/bin/" },
        /* empty entries mean the current directory: kept, in place */
        { "/usr/bin:", 4, V432 "/usr/bin:" },
        { "::/usr/bin", 4, "::" V432 "/usr/bin" },
        { ":", 4, ":" },
        { "", 4, "" },
        /* relative entries are never expanded */
        { "usr/bin:/usr/bin", 4, "usr/bin:" V432 "/usr/bin" },
        { "./usr/bin", 4, "./usr/bin" },
        /* trailing slash on the entry */
        { "/usr/bin/", 3, UB "x86-64-v3:" UB "x86-64-v2:/usr/bin/" },
        /* missing and unsafe level directories are skipped */
        { "/nonexistent:/bin", 4, "/nonexistent:/bin" },
        { "/opt/ww:/opt/gw:/opt/user:/opt/userparent:/opt/sticky", 4, "/opt/ww:/opt/gw:/opt/user:/opt/userparent:/opt/sticky" },
        { "/opt/dangling:/opt/loop:/opt/file", 4, "/opt/dangling:/opt/loop:/opt/file" },
        /* a symlinked level directory or PATH directory whose target is safe */
        { "/opt/link", 4, "/opt/link/glibc-hwcaps/x86-64-v3:/opt/link" },
        { "/symdir", 2, "/symdir/glibc-hwcaps/x86-64-v2:/symdir" },
        /* merged /usr: a level directory reached again under another name
         * ("/symdir" is "/usr/bin") is inserted once, at its first place */
        { "/usr/bin:/symdir", 4, V432 "/usr/bin:/symdir" },
        { "/symdir:/usr/bin", 3, "/symdir/glibc-hwcaps/x86-64-v3:/symdir/glibc-hwcaps/x86-64-v2:/symdir:/usr/bin" },
        { "/usr/bin:/opt/link", 4, V432 "/usr/bin:/opt/link" },
        /* "/" is not "" */
        { "/", 4, "/glibc-hwcaps/x86-64-v2:/" },
        /* level entries of a PATH directory are regenerated: stale ones go */
        { UB "x86-64-v4:/usr/bin", 2, UB "x86-64-v2:/usr/bin" },
        { "/bin:" UB "x86-64-v3:/usr/bin", 4, "/bin:" V432 "/usr/bin" },
        { "/glibc-hwcaps/x86-64-v2:/", 1, "/" },
        /* a level entry whose parent is not in PATH is the admin's: kept */
        { UB "x86-64-v3:/bin", 4, UB "x86-64-v3:/bin" },
        /* odd bytes pass through untouched */
        { "/a b:/c\"d:/e$f:/g\\h:/usr/bin", 2, "/a b:/c\"d:/e$f:/g\\h:" UB "x86-64-v2:/usr/bin" },
};

Test(searchpath, table, .init = setup, .fini = teardown) {
        for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
                char *out = compose_at(cases[i].in, cases[i].max);
                cr_expect_str_eq(out, cases[i].out, "PATH \"%s\" (max v%d)", cases[i].in, cases[i].max);
                free(out);
        }
}

Test(searchpath, composing_twice_equals_composing_once, .init = setup, .fini = teardown) {
        for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
                char *once = compose_at(cases[i].in, cases[i].max);
                char *twice = compose_at(once, cases[i].max);
                cr_expect_str_eq(twice, once, "PATH \"%s\"", cases[i].in);
                free(once);
                free(twice);
        }
}

Test(searchpath, unsafe_directories_are_named_in_warnings, .init = setup, .fini = teardown) {
        char *out = compose_at("/opt/ww:/opt/gw:/opt/user:/opt/userparent:/opt/dangling:/opt/loop:/opt/file:"
                               "/opt/anc:/opt/sticky2:/nonexistent", 4);

        cr_assert(strstr(warnings, "/opt/ww/glibc-hwcaps/x86-64-v3: is writable by group or others"), "%s", warnings);
        cr_assert(strstr(warnings, "/opt/gw/glibc-hwcaps/x86-64-v3: is writable by group or others"));
        cr_assert(strstr(warnings, "/opt/user/glibc-hwcaps/x86-64-v3: is not owned by root"));
        /* an unsafe parent is one problem: one warning naming the parent,
         * not one per level naming level directories (v4 does not exist) */
        cr_assert(strstr(warnings, "/opt/userparent/glibc-hwcaps: is not owned by root"), "%s", warnings);
        cr_assert_null(strstr(warnings, "/opt/userparent/glibc-hwcaps/"), "%s", warnings);
        cr_assert(strstr(warnings, "/opt/loop/glibc-hwcaps/x86-64-v3: has too many symbolic links"), "%s", warnings);
        cr_assert(strstr(warnings, "/opt/file/glibc-hwcaps/x86-64-v3: is not a directory"));
        /* the user-owned ancestor of the link's target is named */
        cr_assert(strstr(warnings, "/opt/anc/glibc-hwcaps/x86-64-v3: /home/u is not owned by root"), "%s", warnings);
        cr_assert(strstr(warnings, "/opt/sticky2/glibc-hwcaps/x86-64-v3: is a sticky directory"), "%s", warnings);
        cr_assert_null(strstr(out, "/opt/anc/glibc-hwcaps"), "%s", out);
        cr_assert_null(strstr(out, "/opt/sticky2/glibc-hwcaps"), "%s", out);
        /* missing directories (and a dangling link: nothing there) are the
         * normal case: no noise */
        cr_assert_null(strstr(warnings, "nonexistent"));
        cr_assert_null(strstr(warnings, "dangling"));
        free(out);
}

Test(searchpath, long_path_of_64_kib_keeps_every_entry, .init = setup, .fini = teardown) {
        size_t cap = 70000, n = 0;
        char *in = malloc(cap);
        int i = 0;

        while (n < 65536 - 32)
                n += (size_t) snprintf(in + n, cap - n, "/nonexistent/dir%05d:", i++);
        strcpy(in + n, "/usr/bin:/bin");
        char *out = compose_at(in, 4);
        cr_assert_eq(strncmp(out, in, n), 0);
        cr_assert_str_eq(out + n, V432 "/usr/bin:/bin");
        free(out);
        free(in);
}

Test(searchpath, ten_thousand_duplicates_get_one_insertion, .init = setup, .fini = teardown) {
        size_t cap = 10000 * 9 + 1, n = 0;
        char *in = malloc(cap);

        for (int i = 0; i < 10000; i++)
                n += (size_t) snprintf(in + n, cap - n, "%s/usr/bin", i ? ":" : "");
        char *out = compose_at(in, 2);
        cr_assert_eq(strncmp(out, UB "x86-64-v2:/usr/bin:/usr/bin", strlen(UB "x86-64-v2:/usr/bin:/usr/bin")), 0);
        cr_assert_eq(strlen(out), strlen(in) + strlen(UB "x86-64-v2:"));
        free(out);
        free(in);
}

Test(searchpath, directories_allowlist_limits_insertion, .init = setup, .fini = teardown) {
        static const char *const only[] = { "/opt/link/", NULL };
        struct hwcaps_path_opts o = { .root = root, .max_level = 4, .directories = only };
        char *out = NULL;
        cr_assert_eq(hwcaps_path_compose("/usr/bin:/opt/link", &o, &out), 0);
        cr_assert_str_eq(out, "/usr/bin:/opt/link/glibc-hwcaps/x86-64-v3:/opt/link");
        free(out);
}

Test(searchpath, entry_level_recognises_only_level_dirs) {
        size_t parent = 99;
        cr_assert_eq(hwcaps_path_entry_level("/usr/bin/glibc-hwcaps/x86-64-v3", 31, &parent), 3);
        cr_assert_eq(parent, 8);
        cr_assert_eq(hwcaps_path_entry_level("/glibc-hwcaps/x86-64-v4/", 24, &parent), 4);
        cr_assert_eq(parent, 1);
        cr_assert_eq(hwcaps_path_entry_level("/usr/bin/glibc-hwcaps/x86-64-v1", 31, &parent), 0);
        cr_assert_eq(hwcaps_path_entry_level("/usr/bin/glibc-hwcaps/x86-64-v5", 31, &parent), 0);
        cr_assert_eq(hwcaps_path_entry_level("usr/bin/glibc-hwcaps/x86-64-v3", 30, &parent), 0);
        cr_assert_eq(hwcaps_path_entry_level("/usr/bin/hwcaps/x86-64-v3", 25, &parent), 0);
}

/* hwcaps list and the package report walk the same directories: each level
 * directory once, by its first name (merged /usr: /bin is /usr/bin). */
Test(searchpath, level_parents_each_directory_once, .init = setup, .fini = teardown) {
        static const char *const dirs[] = { "/usr/sbin", "/usr/bin", "/sbin", "/bin", "/opt/none", NULL };
        const char *got[8];

        mk("/lp/usr/bin/glibc-hwcaps", 0755, 0);
        mk("/lp/usr/sbin", 0755, 0);
        ln("usr/bin", "/lp/bin");
        mk("/lp/sbin", 0755, 0);
        fixture_write("/lp/sbin/glibc-hwcaps", 0644, "a file, not a directory");
        cr_assert_eq(hwcaps_level_parents(fixture_path("/lp"), dirs, got, sizeof got / sizeof *got), 1);
        cr_assert_str_eq(got[0], "/usr/bin");
        cr_assert_eq(hwcaps_level_parents(fixture_path("/lp"), dirs, got, 0), 0);
}
