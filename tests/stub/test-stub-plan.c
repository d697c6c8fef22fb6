/* SPDX-License-Identifier: MIT */
/* The stub's decisions: opt-out caps and candidate paths. */
#include <criterion/criterion.h>
#include <string.h>

#include "stub-plan.h"

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

static struct hwcaps_plan decide(int cpu, const char *cmdline, const char *max, const char *hw) {
        struct hwcaps_cmdline c;
        struct hwcaps_env e = { max, hw, NULL };
        struct hwcaps_plan p;

        hwcaps_cmdline_parse(cmdline, strlen(cmdline), &c, NULL, NULL);
        hwcaps_plan_decide(cpu, &c, &e, &p);
        return p;
}

Test(stub_plan, caps) {
        static const struct {
                int cpu;
                const char *cmdline, *max, *hw;
                int top, reason;
        } t[] = {
                { 4, "", NULL, NULL, 4, HWCAPS_CAP_NONE },
                { 3, "", NULL, NULL, 3, HWCAPS_CAP_NONE },
                { 0, "", NULL, NULL, 1, HWCAPS_CAP_NONE },          /* below baseline: baseline still runs */
                { 4, "hwcaps=off", NULL, NULL, 1, HWCAPS_CAP_CMDLINE_OFF },
                { 4, "systemd.setenv=HWCAPS=0", NULL, NULL, 1, HWCAPS_CAP_CMDLINE_SETENV },
                { 4, "hwcaps.max=x86-64-v2", NULL, NULL, 2, HWCAPS_CAP_CMDLINE_MAX },
                { 2, "hwcaps.max=x86-64-v3", NULL, NULL, 2, HWCAPS_CAP_CMDLINE_MAX },
                { 4, "", "x86-64-v3", NULL, 3, HWCAPS_CAP_ENV_MAX },
                { 4, "hwcaps.max=x86-64-v2", "x86-64-v3", NULL, 2, HWCAPS_CAP_CMDLINE_MAX },
                { 4, "hwcaps.max=x86-64-v3", "x86-64-v2", NULL, 2, HWCAPS_CAP_ENV_MAX },
                { 4, "", NULL, "off", 1, HWCAPS_CAP_ENV_OFF },
                { 4, "", NULL, "yes", 4, HWCAPS_CAP_NONE },
                { 4, "", "x86-64-v9", "maybe", 4, HWCAPS_CAP_NONE },
                { 4, "", "", "", 4, HWCAPS_CAP_NONE },
        };

        for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
                struct hwcaps_plan p = decide(t[i].cpu, t[i].cmdline, t[i].max, t[i].hw);
                cr_assert_eq((int) p.top, t[i].top, "case %zu: top %d", i, (int) p.top);
                cr_assert_eq((int) p.reason, t[i].reason, "case %zu: reason %d", i, (int) p.reason);
        }
}

Test(stub_plan, invalid_values_are_flagged) {
        struct hwcaps_plan p = decide(4, "", "x86-64-v9", "maybe");

        cr_assert(p.env_max_invalid);
        cr_assert(p.env_hwcaps_invalid);
}
