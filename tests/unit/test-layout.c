/* SPDX-License-Identifier: MIT */
/* The glibc-hwcaps layout (layout.c): DIR/NAME's candidate for a level,
 * and whether a path is itself one. */
#include <criterion/criterion.h>
#include <string.h>

#include "layout.h"

static const char *cand(const char *path, int level) {
        static char buf[256];
        return hwcaps_candidate_path(path, level, buf, sizeof buf) ? buf : NULL;
}

Test(layout, candidate_paths) {
        cr_assert_str_eq(cand("/usr/bin/foo", 3), "/usr/bin/glibc-hwcaps/x86-64-v3/foo");
        cr_assert_str_eq(cand("/foo", 2), "/glibc-hwcaps/x86-64-v2/foo");
        cr_assert_str_eq(cand("./foo", 1), "./glibc-hwcaps/x86-64-v1/foo");
        cr_assert_str_eq(cand("foo", 4), "glibc-hwcaps/x86-64-v4/foo");
        cr_assert_str_eq(cand("a//b/foo", 4), "a//b/glibc-hwcaps/x86-64-v4/foo");
        cr_assert_str_eq(cand("/usr/lib64/libz.so.1", 3), "/usr/lib64/glibc-hwcaps/x86-64-v3/libz.so.1");
        cr_assert_null(cand("/usr/bin/foo", 0));
        cr_assert_null(cand("/usr/bin/foo", 5));
}

Test(layout, candidate_path_that_does_not_fit) {
        char buf[36];

        cr_assert_eq(hwcaps_candidate_path("/usr/bin/foo", 3, buf, sizeof buf), 35);
        cr_assert_str_eq(buf, "/usr/bin/glibc-hwcaps/x86-64-v3/foo");
        cr_assert_eq(hwcaps_candidate_path("/usr/bin/fooo", 3, buf, sizeof buf), 0);
        cr_assert_eq(hwcaps_candidate_path("foo", 3, buf, 0), 0);
}

Test(layout, path_is_a_candidate) {
        cr_assert_eq(hwcaps_path_candidate_level("/usr/bin/glibc-hwcaps/x86-64-v3/foo"), 3);
        cr_assert_eq(hwcaps_path_candidate_level("glibc-hwcaps/x86-64-v1/foo"), 1);
        cr_assert_eq(hwcaps_path_candidate_level("/usr/bin/xglibc-hwcaps/x86-64-v3/foo"), 0);
        cr_assert_eq(hwcaps_path_candidate_level("/usr/bin/glibc-hwcaps/x86-64-v5/foo"), 0);
        cr_assert_eq(hwcaps_path_candidate_level("/usr/bin/glibc-hwcaps/x86-64-v0/foo"), 0);
        cr_assert_eq(hwcaps_path_candidate_level("/usr/bin/glibc-hwcaps/x86-64-v33/foo"), 0);
        cr_assert_eq(hwcaps_path_candidate_level("/usr/bin/glibc-hwcaps/x86-64-v3"), 0);
        cr_assert_eq(hwcaps_path_candidate_level("/usr/bin/glibc-hwcaps/x86-64-v3/sub/foo"), 0);
        cr_assert_eq(hwcaps_path_candidate_level("/usr/bin/foo"), 0);
        cr_assert_eq(hwcaps_path_candidate_level("foo"), 0);
        cr_assert_eq(hwcaps_path_candidate_level(""), 0);
}

Test(layout, every_candidate_path_is_recognised_as_one_of_its_level) {
        static const char *const paths[] = { "/usr/bin/foo", "/foo", "foo", "./foo", "/usr/lib64/libc.so.6" };

        for (size_t i = 0; i < sizeof paths / sizeof *paths; i++)
                for (int l = HWCAPS_LEVEL_V1; l <= HWCAPS_LEVEL_MAX; l++) {
                        const char *c = cand(paths[i], l);

                        cr_assert_not_null(c, "%s v%d", paths[i], l);
                        cr_assert_eq(hwcaps_path_candidate_level(c), l, "%s", c);
                        cr_assert_eq(hwcaps_path_candidate_level(paths[i]), 0, "%s", paths[i]);
                }
}
