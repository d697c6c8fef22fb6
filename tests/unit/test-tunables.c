/* SPDX-License-Identifier: MIT */
/* The GLIBC_TUNABLES parser, table-driven. ld.so itself is the oracle in
 * test-stub.sh (case tunables); these pin the pure functions down. */
#include <criterion/criterion.h>
#include <string.h>

#include "tunables.h"

static struct hwcaps_tunables from(const char *tunables) {
        struct hwcaps_tunables t = { 0 };
        const char *v;
        size_t n;

        if (hwcaps_tunables_find_hwcaps(tunables, &v, &n))
                hwcaps_tunables_parse_hwcaps(v, n, &t);
        return t;
}

Test(tunables, single_mask) {
        cr_assert_eq(from("glibc.cpu.hwcaps=-AVX2").disabled, HWCAPS_BIT(HWCAPS_F_AVX2));
}

Test(tunables, several_masks) {
        cr_assert_eq(from("glibc.cpu.hwcaps=-AVX512F,-POPCNT").disabled,
                     HWCAPS_BIT(HWCAPS_F_AVX512F) | HWCAPS_BIT(HWCAPS_F_POPCNT));
}

Test(tunables, names_glibc_2_36_ignores_are_ignored) {
        cr_assert_eq(from("glibc.cpu.hwcaps=-F16C,-SSE3,-CMPXCHG16B,-LAHF64_SAHF64,-FPU,-MMX").disabled, 0);
}

Test(tunables, names_are_case_sensitive_and_need_a_minus) {
        cr_assert_eq(from("glibc.cpu.hwcaps=-avx2,AVX2,+AVX2,--AVX2,- AVX2,-AVX2 ").disabled, 0);
}

Test(tunables, osxsave_removes_avx_state) {
        struct hwcaps_tunables t = from("glibc.cpu.hwcaps=-OSXSAVE");
        struct hwcaps_view v = { .usable = ~(hwcaps_mask) 0 };

        cr_assert(t.osxsave_disabled);
        hwcaps_tunables_apply(&t, &v);
        cr_assert_not(v.usable & HWCAPS_BIT(HWCAPS_F_AVX));
        cr_assert_not(v.usable & HWCAPS_BIT(HWCAPS_F_AVX512VL));
        cr_assert(v.usable & HWCAPS_BIT(HWCAPS_F_BMI1));
        cr_assert_eq(hwcaps_level_from_usable(v.usable), HWCAPS_LEVEL_V2);
}

Test(tunables, last_assignment_wins) {
        cr_assert_eq(from("glibc.cpu.hwcaps=-AVX2:glibc.cpu.hwcaps=-BMI1").disabled, HWCAPS_BIT(HWCAPS_F_BMI1));
        cr_assert_eq(from("glibc.cpu.hwcaps=-AVX2:glibc.cpu.hwcaps=").disabled, 0);
        /* a trailing name without '=' stops parsing, keeping what was set */
        cr_assert_eq(from("glibc.cpu.hwcaps=-AVX2:glibc.cpu.hwcaps").disabled, HWCAPS_BIT(HWCAPS_F_AVX2));
}

Test(tunables, other_tunables_and_junk_around) {
        cr_assert_eq(from("foo:glibc.malloc.check=1:glibc.cpu.hwcaps=-LZCNT:junk").disabled, HWCAPS_BIT(HWCAPS_F_LZCNT));
        cr_assert_eq(from(":glibc.cpu.hwcaps=-LZCNT:").disabled, HWCAPS_BIT(HWCAPS_F_LZCNT));
        cr_assert_eq(from("glibc.cpu.hwcapsx=-LZCNT").disabled, 0);
        cr_assert_eq(from("xglibc.cpu.hwcaps=-LZCNT").disabled, 0);
        cr_assert_eq(from("glibc.cpu.hwcaps==-LZCNT").disabled, 0);
        cr_assert_eq(from("").disabled, 0);
        cr_assert_eq(from("glibc.cpu.hwcaps=,,,").disabled, 0);
}

Test(tunables, every_environment_entry_in_order) {
        char *env[] = { "GLIBC_TUNABLES=glibc.cpu.hwcaps=-AVX2", "PATH=/bin",
                        "GLIBC_TUNABLES=glibc.malloc.check=1", NULL };
        char *env2[] = { "GLIBC_TUNABLES=glibc.cpu.hwcaps=-AVX2", "GLIBC_TUNABLES=glibc.cpu.hwcaps=-FMA", NULL };
        struct hwcaps_tunables t;

        hwcaps_tunables_from_env(env, false, &t);
        cr_assert_eq(t.disabled, HWCAPS_BIT(HWCAPS_F_AVX2));
        hwcaps_tunables_from_env(env2, false, &t);
        cr_assert_eq(t.disabled, HWCAPS_BIT(HWCAPS_F_FMA));
}

Test(tunables, ignored_under_at_secure) {
        char *env[] = { "GLIBC_TUNABLES=glibc.cpu.hwcaps=-AVX2", NULL };
        struct hwcaps_tunables t;

        hwcaps_tunables_from_env(env, true, &t);
        cr_assert_eq(t.disabled, 0);
        cr_assert_not(t.set);
}
