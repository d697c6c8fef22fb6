/* SPDX-License-Identifier: MIT */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <string.h>

#include "level.h"

/* A CPU with every level's features, OS state for AVX-512 enabled. */
static struct hwcaps_cpuid full_cpu(void) {
        struct hwcaps_cpuid c = {
                .max_basic = 0xd,
                .max_extended = 0x80000008u,
                .osxsave = true,
                .xcr0 = 0xe7,
                .leaf_d_eax = 0xe7,
        };
        memcpy(c.vendor, "GenuineIntel", 13);
        for (int f = 0; f < HWCAPS_F_COUNT; f++)
                c.reg[hwcaps_feature_table[f].reg] |= UINT32_C(1) << hwcaps_feature_table[f].bit;
        c.reg[HWCAPS_REG_1_ECX] |= UINT32_C(1) << 27; /* OSXSAVE */
        return c;
}

static enum hwcaps_level level_of(const struct hwcaps_cpuid *c) {
        struct hwcaps_view v;
        hwcaps_view_from_cpuid(c, &v);
        return hwcaps_level_from_usable(v.usable);
}

Test(level, full_cpu_is_v4) {
        struct hwcaps_cpuid c = full_cpu();
        cr_assert_eq(level_of(&c), HWCAPS_LEVEL_V4);
}

ParameterizedTestParameters(level, removing_one_feature_drops_exactly_below_its_level) {
        static int features[HWCAPS_F_COUNT];
        for (int f = 0; f < HWCAPS_F_COUNT; f++)
                features[f] = f;
        return cr_make_param_array(int, features, HWCAPS_F_COUNT);
}

ParameterizedTest(int *f, level, removing_one_feature_drops_exactly_below_its_level) {
        struct hwcaps_cpuid c = full_cpu();
        const struct hwcaps_feature_info *fi = &hwcaps_feature_table[*f];

        c.reg[fi->reg] &= ~(UINT32_C(1) << fi->bit);
        cr_assert_eq(level_of(&c), fi->level - 1, "without %s: level %d, expected %d",
                     fi->name, level_of(&c), fi->level - 1);
}

Test(level, every_level_has_the_psabi_feature_count) {
        /* psABI: baseline 7 (as glibc tests them), v2 7, v3 8 (with BMI1/2), v4 5. */
        int count[5] = { 0 };
        for (int f = 0; f < HWCAPS_F_COUNT; f++)
                count[hwcaps_feature_table[f].level]++;
        cr_assert_eq(count[1], 7);
        cr_assert_eq(count[2], 7);
        cr_assert_eq(count[3], 8);
        cr_assert_eq(count[4], 5);
}

Test(level, avx_without_os_ymm_state_is_v2) {
        struct hwcaps_cpuid c = full_cpu();
        c.xcr0 = 0x3; /* x87 + SSE only */
        cr_assert_eq(level_of(&c), HWCAPS_LEVEL_V2);
}

Test(level, ymm_without_xmm_state_is_v2) {
        struct hwcaps_cpuid c = full_cpu();
        c.xcr0 = 0x5;
        cr_assert_eq(level_of(&c), HWCAPS_LEVEL_V2);
}

Test(level, avx512_without_zmm_state_is_v3) {
        struct hwcaps_cpuid c = full_cpu();
        c.xcr0 = 0x7; /* no opmask, ZMM_Hi256, Hi16_ZMM */
        cr_assert_eq(level_of(&c), HWCAPS_LEVEL_V3);
}

Test(level, avx512_missing_any_one_zmm_component_is_v3) {
        for (int bit = 5; bit <= 7; bit++) {
                struct hwcaps_cpuid c = full_cpu();
                c.xcr0 &= ~(UINT64_C(1) << bit);
                cr_assert_eq(level_of(&c), HWCAPS_LEVEL_V3, "XCR0 bit %d clear", bit);
        }
}

Test(level, osxsave_clear_means_no_avx_even_with_xcr0_bits) {
        struct hwcaps_cpuid c = full_cpu();
        c.osxsave = false;
        cr_assert_eq(level_of(&c), HWCAPS_LEVEL_V2);
}

Test(level, max_basic_leaf_below_7_hides_leaf_7) {
        struct hwcaps_cpuid c = full_cpu();
        c.max_basic = 6; /* leaf 7 registers hold stale data then */
        cr_assert_eq(level_of(&c), HWCAPS_LEVEL_V2);
}

Test(level, no_extended_leaf_means_no_lahf_so_v1) {
        struct hwcaps_cpuid c = full_cpu();
        c.max_extended = 0x80000000u;
        cr_assert_eq(level_of(&c), HWCAPS_LEVEL_V1);
}

Test(level, avx2_usable_only_with_avx) {
        struct hwcaps_cpuid c = full_cpu();
        struct hwcaps_view v;
        c.reg[HWCAPS_REG_1_ECX] &= ~(UINT32_C(1) << 28); /* AVX */
        hwcaps_view_from_cpuid(&c, &v);
        cr_assert(v.cpu & HWCAPS_BIT(HWCAPS_F_AVX2));
        cr_assert_not(v.usable & HWCAPS_BIT(HWCAPS_F_AVX2));
        cr_assert_not(v.usable & HWCAPS_BIT(HWCAPS_F_FMA));
}

Test(level, vendor_does_not_matter) {
        static const char *vendors[] = { "AuthenticAMD", "HygonGenuine", "CentaurHauls", "  Shanghai  ", "VIA VIA VIA " };
        for (size_t i = 0; i < sizeof vendors / sizeof *vendors; i++) {
                struct hwcaps_cpuid c = full_cpu();
                memcpy(c.vendor, vendors[i], 12);
                cr_assert_eq(level_of(&c), HWCAPS_LEVEL_V4, "%s", vendors[i]);
        }
}

Test(level, empty_cpu_has_no_level) {
        struct hwcaps_cpuid c = { 0 };
        cr_assert_eq(level_of(&c), HWCAPS_LEVEL_NONE);
}

Test(level, names_round_trip) {
        for (int l = HWCAPS_LEVEL_V1; l <= HWCAPS_LEVEL_MAX; l++) {
                const char *n = hwcaps_level_name(l);
                cr_assert_eq(hwcaps_level_parse(n, strlen(n)), l);
        }
        cr_assert_null(hwcaps_level_name(HWCAPS_LEVEL_NONE));
        cr_assert_null(hwcaps_level_name(5));
}

Test(level, parse_rejects_near_misses) {
        static const char *bad[] = { "x86-64-v5", "x86-64-v0", "x86_64-v3", "x86-64-v", "x86-64-v33", "",
                                     "v5", "v0", "3", "x86-64-3", "vv3", "x86-64-x86-64-v3", "-v3" };
        for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
                cr_assert_eq(hwcaps_level_parse(bad[i], strlen(bad[i])), -1, "%s", bad[i]);
        cr_assert_eq(hwcaps_level_parse(NULL, 0), -1);
}

Test(level, parse_takes_short_names_in_any_case) {
        /* hwcaps(1): v2/v3/v4 wherever a level is; typed at a boot prompt */
        cr_assert_eq(hwcaps_level_parse("v3", 2), 3);
        cr_assert_eq(hwcaps_level_parse("V2", 2), 2);
        cr_assert_eq(hwcaps_level_parse("X86-64-V4", 9), 4);
        cr_assert_eq(hwcaps_level_parse("v1", 2), 1);
}

Test(level, directory_names_are_exact) {
        /* on disk and in ld.so --help only glibc's spelling is a level */
        cr_assert_eq(hwcaps_level_dirname_parse("x86-64-v3", 9), 3);
        cr_assert_eq(hwcaps_level_dirname_parse("v3", 2), -1);
        cr_assert_eq(hwcaps_level_dirname_parse("X86-64-V3", 9), -1);
        cr_assert_eq(hwcaps_level_dirname_parse("x86-64-v5", 9), -1);
}
