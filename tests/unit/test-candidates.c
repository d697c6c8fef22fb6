/* SPDX-License-Identifier: MIT */
/* The stub's shared parts: the environment it reads (candidate paths are
 * test-layout.c's, the level decision test-policy.c's). */
#include <criterion/criterion.h>
#include <string.h>

#include "candidates.h"

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

