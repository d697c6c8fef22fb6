/* SPDX-License-Identifier: MIT */
/* The stub's shared parts: the environment it reads and candidate paths
 * (the level decision is tests/unit/test-policy.c's). */
#include <criterion/criterion.h>
#include <string.h>

#include "candidates.h"

static const char *cand(const char *path, int level) {
        static char buf[256];
        return hwcaps_candidate_path(path, level, buf, sizeof buf) ? buf : NULL;
}

Test(stub_plan, candidate_paths) {
        cr_assert_str_eq(cand("/usr/bin/foo", 3), "/usr/bin/glibc-hwcaps/x86-64-v3/foo");
        cr_assert_str_eq(cand("/foo", 2), "/glibc-hwcaps/x86-64-v2/foo");
        cr_assert_str_eq(cand("./foo", 1), "./glibc-hwcaps/x86-64-v1/foo");
        cr_assert_str_eq(cand("foo", 4), "glibc-hwcaps/x86-64-v4/foo");
        cr_assert_str_eq(cand("a//b/foo", 4), "a//b/glibc-hwcaps/x86-64-v4/foo");
        cr_assert_null(cand("/usr/bin/foo", 0));
        cr_assert_null(cand("/usr/bin/foo", 5));
}

Test(stub_plan, candidate_path_that_does_not_fit) {
        char buf[36];

        cr_assert_eq(hwcaps_candidate_path("/usr/bin/foo", 3, buf, sizeof buf), 35);
        cr_assert_eq(hwcaps_candidate_path("/usr/bin/fooo", 3, buf, sizeof buf), 0);
}

Test(stub_plan, path_is_a_candidate) {
        cr_assert_eq(hwcaps_path_candidate_level("/usr/bin/glibc-hwcaps/x86-64-v3/foo"), 3);
        cr_assert_eq(hwcaps_path_candidate_level("glibc-hwcaps/x86-64-v1/foo"), 1);
        cr_assert_eq(hwcaps_path_candidate_level("/usr/bin/xglibc-hwcaps/x86-64-v3/foo"), 0);
        cr_assert_eq(hwcaps_path_candidate_level("/usr/bin/glibc-hwcaps/x86-64-v5/foo"), 0);
        cr_assert_eq(hwcaps_path_candidate_level("/usr/bin/foo"), 0);
        cr_assert_eq(hwcaps_path_candidate_level("foo"), 0);
}

Test(stub_plan, environment_ignored_under_at_secure) {
        char *env[] = { "HWCAPS_MAX_LEVEL=x86-64-v2", "HWCAPS=off", "HWCAPS_ROOT=/x", NULL };
        struct hwcaps_env e;

        hwcaps_env_scan(env, false, &e);
        cr_assert_str_eq(e.max_level, "x86-64-v2");
        cr_assert_str_eq(e.hwcaps, "off");
        cr_assert_str_eq(e.root, "/x");
        hwcaps_env_scan(env, true, &e);
        cr_assert_null(e.max_level);
        cr_assert_null(e.hwcaps);
        cr_assert_null(e.root);
}

Test(stub_plan, first_environment_entry_wins_like_getenv) {
        char *env[] = { "HWCAPS_MAX_LEVEL=x86-64-v2", "HWCAPS_MAX_LEVEL=x86-64-v4", "HWCAPS_MAX_LEVELX=1", NULL };
        struct hwcaps_env e;

        hwcaps_env_scan(env, false, &e);
        cr_assert_str_eq(e.max_level, "x86-64-v2");
}

