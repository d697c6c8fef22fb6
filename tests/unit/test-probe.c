/* SPDX-License-Identifier: MIT */
/* The CPU sources (probe.c): names, register names, and the instructions
 * agreeing with glibc's own view on this machine. Against ld.so itself:
 * tests/cli/test-oracle.sh. */
#include <criterion/criterion.h>
#include <string.h>

#include "probe.h"

Test(probe, source_names_round_trip) {
        static const char *const names[] = { "glibc", "cpuid", "dump" };

        for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
                cr_assert_eq(hwcaps_source_parse(names[i]), (int) i);
                cr_assert_str_eq(hwcaps_source_name((enum hwcaps_source) i), names[i]);
        }
        cr_assert_eq(hwcaps_source_parse("Glibc"), -1);
        cr_assert_eq(hwcaps_source_parse(""), -1);
        cr_assert_str_eq(hwcaps_source_name((enum hwcaps_source) 99), "unknown");
}

Test(probe, register_names_as_explain_prints_them) {
        char buf[24];

        cr_assert_str_eq(hwcaps_reg_name(HWCAPS_REG_1_ECX, buf), "1:ECX");
        cr_assert_str_eq(hwcaps_reg_name(HWCAPS_REG_1_EDX, buf), "1:EDX");
        cr_assert_str_eq(hwcaps_reg_name(HWCAPS_REG_7_EBX, buf), "7.0:EBX");
        cr_assert_str_eq(hwcaps_reg_name(HWCAPS_REG_80000001_ECX, buf), "80000001:ECX");
}

/* The instructions read through hwcaps_reg_table and glibc's own view
 * report the same CPU (glibc masks nothing without GLIBC_TUNABLES). */
Test(probe, cpuid_and_glibc_agree_here) {
        struct hwcaps_probe raw, glibc;

        if (getenv("GLIBC_TUNABLES"))
                cr_skip_test("GLIBC_TUNABLES is set: glibc's view is masked");
        hwcaps_probe_cpuid(&raw);
        hwcaps_probe_glibc(&glibc);
        cr_assert_eq(raw.level, glibc.level);
        cr_assert_eq(raw.view.cpu & hwcaps_level_requires(HWCAPS_LEVEL_MAX),
                     glibc.view.cpu & hwcaps_level_requires(HWCAPS_LEVEL_MAX),
                     "features: cpuid %#x, glibc %#x", raw.view.cpu, glibc.view.cpu);
}
