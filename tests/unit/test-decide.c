/* SPDX-License-Identifier: MIT */
/* The one decision (decide.c) on its own: any off wins, the lowest cap
 * wins, the environment only lowers, the why names what decided, and the
 * policy file's format. With hwcaps.conf compiled in: test-policy.c. */
#include <criterion/criterion.h>
#include <string.h>

#include "decide.h"

static struct hwcaps_decision decided(void) {
        struct hwcaps_decision d;

        hwcaps_decision_init(&d);
        return d;
}

Test(decide, nothing_caps_so_the_cpu_decides) {
        struct hwcaps_decision d = decided();

        hwcaps_decision_finish(&d, HWCAPS_LEVEL_V3);
        cr_assert_eq(d.src, HWCAPS_SRC_NONE);
        cr_assert_eq(d.top, HWCAPS_LEVEL_V3);
}

Test(decide, the_lowest_cap_wins_in_any_order) {
        static const int caps[][3] = { { 4, 2, 3 }, { 2, 3, 4 }, { 3, 4, 2 } };

        for (size_t i = 0; i < sizeof caps / sizeof *caps; i++) {
                struct hwcaps_decision d = decided();

                hwcaps_decision_cap(&d, caps[i][0], HWCAPS_SRC_CMDLINE, "hwcaps.max=", "x", 1);
                hwcaps_decision_cap(&d, caps[i][1], HWCAPS_SRC_CONFIG, "max-level=", "y", 1);
                hwcaps_decision_cap(&d, caps[i][2], HWCAPS_SRC_ENV, "HWCAPS_MAX_LEVEL=", "z", 1);
                hwcaps_decision_finish(&d, HWCAPS_LEVEL_V4);
                cr_assert_eq(d.cap, HWCAPS_LEVEL_V2, "order %zu", i);
                cr_assert_eq(d.top, HWCAPS_LEVEL_V2, "order %zu", i);
        }
}

Test(decide, off_wins_and_says_why) {
        struct hwcaps_decision d = decided();

        hwcaps_decision_cap(&d, HWCAPS_LEVEL_V3, HWCAPS_SRC_CONFIG, "max-level=", "v3", 2);
        hwcaps_decision_cap(&d, HWCAPS_LEVEL_V1, HWCAPS_SRC_CMDLINE, "hwcaps=", "off", 3);
        hwcaps_decision_cap(&d, HWCAPS_LEVEL_V2, HWCAPS_SRC_ENV, "HWCAPS_MAX_LEVEL=", "v2", 2);
        hwcaps_decision_finish(&d, HWCAPS_LEVEL_V4);
        cr_assert_eq(d.top, HWCAPS_LEVEL_V1);
        cr_assert_eq(d.src, HWCAPS_SRC_CMDLINE);
        cr_assert_str_eq(d.why, "hwcaps=off (kernel command line)");
}

Test(decide, a_cap_above_the_cpu_leaves_the_cpu_level) {
        struct hwcaps_decision d = decided();

        hwcaps_decision_cap(&d, HWCAPS_LEVEL_V4, HWCAPS_SRC_CONFIG, "max-level=", "v4", 2);
        hwcaps_decision_finish(&d, HWCAPS_LEVEL_V2);
        cr_assert_eq(d.top, HWCAPS_LEVEL_V2);
}

/* The highest level to run on a v4 CPU with the environment's HWCAPS= and
 * HWCAPS_MAX_LEVEL= after a config cap (HWCAPS_LEVEL_MAX: none). */
static struct hwcaps_decision with_env(const char *hwcaps, const char *max_level, int config_cap) {
        struct hwcaps_decision d = decided();
        struct hwcaps_env e = { .hwcaps = hwcaps, .max_level = max_level };

        if (config_cap < HWCAPS_LEVEL_MAX)
                hwcaps_decision_cap(&d, config_cap, HWCAPS_SRC_CONFIG, "max-level=", "v", 1);
        hwcaps_decision_env(&d, &e, HWCAPS_SRC_ENV);
        hwcaps_decision_finish(&d, HWCAPS_LEVEL_V4);
        return d;
}

Test(decide, the_environment_only_lowers) {
        struct hwcaps_decision d = with_env(NULL, "x86-64-v4", HWCAPS_LEVEL_V2);

        cr_assert_eq(d.top, HWCAPS_LEVEL_V2);
        cr_assert_eq(d.src, HWCAPS_SRC_CONFIG);
        d = with_env(NULL, "v3", HWCAPS_LEVEL_MAX);
        cr_assert_eq(d.top, HWCAPS_LEVEL_V3);
        cr_assert_eq(d.src, HWCAPS_SRC_ENV);
        cr_assert_eq(with_env("0", NULL, HWCAPS_LEVEL_MAX).top, HWCAPS_LEVEL_V1);
}

Test(decide, an_unparseable_environment_value_counts_as_off) {
        cr_assert_eq(with_env(NULL, "x86-64-v9", HWCAPS_LEVEL_MAX).top, HWCAPS_LEVEL_V1);
        cr_assert_eq(with_env("perhaps", NULL, HWCAPS_LEVEL_MAX).top, HWCAPS_LEVEL_V1);
}

Test(decide, empty_environment_values_are_unset) {
        cr_assert_eq(with_env("", "", HWCAPS_LEVEL_MAX).top, HWCAPS_LEVEL_V4);
}

Test(decide, policy_file_round_trip) {
        static const char text[] = "# comment\nhwcaps-policy=1\ncap=x86-64-v2\nkeep-path=yes\nwhy=max-level=v2 (/etc/hwcaps.conf:3)\n";
        struct hwcaps_policy_file pf;

        cr_assert_eq(hwcaps_policy_file_parse(text, strlen(text), &pf), 0);
        cr_assert_eq(pf.cap, 2);
        cr_assert(pf.keep_path);
        cr_assert_eq(pf.why_len, strlen("max-level=v2 (/etc/hwcaps.conf:3)"));
        cr_assert_eq(hwcaps_policy_file_parse("hwcaps-policy=1\ncap=none\n", 25, &pf), 0);
        cr_assert_eq(pf.cap, HWCAPS_LEVEL_MAX + 1);
        /* what is not a policy of this version fails: readers count it as off */
        cr_assert_eq(hwcaps_policy_file_parse("cap=x86-64-v2\n", 14, &pf), -1);
        cr_assert_eq(hwcaps_policy_file_parse("hwcaps-policy=2\ncap=x86-64-v2\n", 30, &pf), -1);
        cr_assert_eq(hwcaps_policy_file_parse("hwcaps-policy=1\ncap=v2\n", 23, &pf), -1);
        cr_assert_eq(hwcaps_policy_file_parse("hwcaps-policy=1\n", 16, &pf), -1);
        cr_assert_eq(hwcaps_policy_file_parse("hwcaps-policy=1\ncap=none\nkeep-path=perhaps\n", 43, &pf), -1);
        cr_assert_eq(hwcaps_policy_file_parse("hwcaps-policy=1\ncap=none\ngarbage\n", 33, &pf), -1);
}
