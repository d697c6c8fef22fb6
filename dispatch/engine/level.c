/* SPDX-License-Identifier: MIT */
#include <sys/platform/x86.h>

#include "bytes.h"
#include "level.h"

/* Where each register of enum hwcaps_reg is read: Intel SDM vol. 2A,
 * CPUID; AMD APM vol. 3, appendix E (leaf 0x80000001). */
const struct hwcaps_reg_info hwcaps_reg_table[HWCAPS_REG_COUNT] = {
        [HWCAPS_REG_1_ECX]        = { 1,           0, HWCAPS_OUT_ECX },
        [HWCAPS_REG_1_EDX]        = { 1,           0, HWCAPS_OUT_EDX },
        [HWCAPS_REG_7_EBX]        = { 7,           0, HWCAPS_OUT_EBX },
        [HWCAPS_REG_80000001_ECX] = { 0x80000001u, 0, HWCAPS_OUT_ECX },
};

/* The x86-64 psABI micro-architecture levels, as glibc 2.36 applies them in
 * sysdeps/x86/get-isa-level.h (which also decides the glibc-hwcaps
 * subdirectories, sysdeps/x86_64/dl-hwcaps-subdirs.c). Bit positions: Intel
 * SDM vol. 2A, CPUID, tables 3-10/3-11 (leaf 1), 3-8 (leaf 7) and the AMD
 * APM vol. 3, appendix E (leaf 0x80000001). Checked against glibc's own
 * <bits/platform/x86.h> index constants (x86_cpu_*), and against ld.so: with
 * GLIBC_TUNABLES=glibc.cpu.hwcaps=-BMI1 glibc 2.36 drops x86-64-v3, so BMI1
 * and BMI2 are part of v3 there (glibc 2.33 did not test them).
 *
 * "needs" mirrors glibc's update_active() in sysdeps/x86/cpu-features.c:
 * AVX2, FMA and F16C become active only once AVX is active, and the AVX-512
 * sub-features only once AVX512F is.
 *
 * "tunable": glibc 2.36 honours "-NAME" in glibc.cpu.hwcaps for it
 * (sysdeps/x86/cpu-tunables.c, TUNABLE_CALLBACK (set_hwcaps)). Checked one
 * by one against "ld.so --help" on glibc 2.36-9+deb12u14: -CMOV, -CX8 and
 * -SSE2 remove every level; -POPCNT, -SSSE3, -SSE4_1, -SSE4_2 remove v2 and
 * up; -AVX, -AVX2, -BMI1, -BMI2, -FMA, -LZCNT, -MOVBE remove v3 and up;
 * -AVX512F/BW/CD/DQ/VL remove v4. glibc has no switch for FPU, FXSR, MMX,
 * SSE, SSE3, CMPXCHG16B, LAHF64_SAHF64 or F16C: those masks are ignored.
 *
 * A new level is new rows here (and the enums in level.h); every message,
 * the macros and hwcaps.conf derive the level list from HWCAPS_LEVEL_MAX. */
const struct hwcaps_feature_info hwcaps_feature_table[HWCAPS_F_COUNT] = {
        [HWCAPS_F_CMOV]       = { "CMOV",       1, HWCAPS_REG_1_EDX,        15, HWCAPS_STATE_NONE,   -1, true,  x86_cpu_CMOV },
        [HWCAPS_F_CX8]        = { "CX8",        1, HWCAPS_REG_1_EDX,         8, HWCAPS_STATE_NONE,   -1, true,  x86_cpu_CX8 },
        [HWCAPS_F_FPU]        = { "FPU",        1, HWCAPS_REG_1_EDX,         0, HWCAPS_STATE_NONE,   -1, false, x86_cpu_FPU },
        [HWCAPS_F_FXSR]       = { "FXSR",       1, HWCAPS_REG_1_EDX,        24, HWCAPS_STATE_NONE,   -1, false, x86_cpu_FXSR },
        [HWCAPS_F_MMX]        = { "MMX",        1, HWCAPS_REG_1_EDX,        23, HWCAPS_STATE_NONE,   -1, false, x86_cpu_MMX },
        [HWCAPS_F_SSE]        = { "SSE",        1, HWCAPS_REG_1_EDX,        25, HWCAPS_STATE_NONE,   -1, false, x86_cpu_SSE },
        [HWCAPS_F_SSE2]       = { "SSE2",       1, HWCAPS_REG_1_EDX,        26, HWCAPS_STATE_NONE,   -1, true,  x86_cpu_SSE2 },

        [HWCAPS_F_CMPXCHG16B] = { "CMPXCHG16B", 2, HWCAPS_REG_1_ECX,        13, HWCAPS_STATE_NONE,   -1, false, x86_cpu_CMPXCHG16B },
        [HWCAPS_F_LAHF_SAHF]  = { "LAHF64_SAHF64", 2, HWCAPS_REG_80000001_ECX, 0, HWCAPS_STATE_NONE, -1, false, x86_cpu_LAHF64_SAHF64 },
        [HWCAPS_F_POPCNT]     = { "POPCNT",     2, HWCAPS_REG_1_ECX,        23, HWCAPS_STATE_NONE,   -1, true,  x86_cpu_POPCNT },
        [HWCAPS_F_SSE3]       = { "SSE3",       2, HWCAPS_REG_1_ECX,         0, HWCAPS_STATE_NONE,   -1, false, x86_cpu_SSE3 },
        [HWCAPS_F_SSSE3]      = { "SSSE3",      2, HWCAPS_REG_1_ECX,         9, HWCAPS_STATE_NONE,   -1, true,  x86_cpu_SSSE3 },
        [HWCAPS_F_SSE4_1]     = { "SSE4_1",     2, HWCAPS_REG_1_ECX,        19, HWCAPS_STATE_NONE,   -1, true,  x86_cpu_SSE4_1 },
        [HWCAPS_F_SSE4_2]     = { "SSE4_2",     2, HWCAPS_REG_1_ECX,        20, HWCAPS_STATE_NONE,   -1, true,  x86_cpu_SSE4_2 },

        [HWCAPS_F_AVX]        = { "AVX",        3, HWCAPS_REG_1_ECX,        28, HWCAPS_STATE_AVX,    -1, true,  x86_cpu_AVX },
        [HWCAPS_F_AVX2]       = { "AVX2",       3, HWCAPS_REG_7_EBX,         5, HWCAPS_STATE_AVX,    HWCAPS_F_AVX, true,  x86_cpu_AVX2 },
        [HWCAPS_F_BMI1]       = { "BMI1",       3, HWCAPS_REG_7_EBX,         3, HWCAPS_STATE_NONE,   -1, true,  x86_cpu_BMI1 },
        [HWCAPS_F_BMI2]       = { "BMI2",       3, HWCAPS_REG_7_EBX,         8, HWCAPS_STATE_NONE,   -1, true,  x86_cpu_BMI2 },
        [HWCAPS_F_F16C]       = { "F16C",       3, HWCAPS_REG_1_ECX,        29, HWCAPS_STATE_AVX,    HWCAPS_F_AVX, false, x86_cpu_F16C },
        [HWCAPS_F_FMA]        = { "FMA",        3, HWCAPS_REG_1_ECX,        12, HWCAPS_STATE_AVX,    HWCAPS_F_AVX, true,  x86_cpu_FMA },
        [HWCAPS_F_LZCNT]      = { "LZCNT",      3, HWCAPS_REG_80000001_ECX,  5, HWCAPS_STATE_NONE,   -1, true,  x86_cpu_LZCNT },
        [HWCAPS_F_MOVBE]      = { "MOVBE",      3, HWCAPS_REG_1_ECX,        22, HWCAPS_STATE_NONE,   -1, true,  x86_cpu_MOVBE },

        [HWCAPS_F_AVX512F]    = { "AVX512F",    4, HWCAPS_REG_7_EBX,        16, HWCAPS_STATE_AVX512, -1, true,  x86_cpu_AVX512F },
        [HWCAPS_F_AVX512BW]   = { "AVX512BW",   4, HWCAPS_REG_7_EBX,        30, HWCAPS_STATE_AVX512, HWCAPS_F_AVX512F, true,  x86_cpu_AVX512BW },
        [HWCAPS_F_AVX512CD]   = { "AVX512CD",   4, HWCAPS_REG_7_EBX,        28, HWCAPS_STATE_AVX512, HWCAPS_F_AVX512F, true,  x86_cpu_AVX512CD },
        [HWCAPS_F_AVX512DQ]   = { "AVX512DQ",   4, HWCAPS_REG_7_EBX,        17, HWCAPS_STATE_AVX512, HWCAPS_F_AVX512F, true,  x86_cpu_AVX512DQ },
        [HWCAPS_F_AVX512VL]   = { "AVX512VL",   4, HWCAPS_REG_7_EBX,        31, HWCAPS_STATE_AVX512, HWCAPS_F_AVX512F, true,  x86_cpu_AVX512VL },
};

static bool state_enabled(const struct hwcaps_cpuid *c, enum hwcaps_state state) {
        switch (state) {
        case HWCAPS_STATE_NONE:
                return true;
        case HWCAPS_STATE_AVX:
                return c->osxsave && (c->xcr0 & HWCAPS_XCR0_AVX) == HWCAPS_XCR0_AVX;
        case HWCAPS_STATE_AVX512:
                return c->osxsave && (c->xcr0 & HWCAPS_XCR0_AVX512) == HWCAPS_XCR0_AVX512;
        default:
                return false;
        }
}

void hwcaps_view_from_cpuid(const struct hwcaps_cpuid *c, struct hwcaps_view *ret) {
        struct hwcaps_view v = { 0, 0, 0 };

        for (int f = 0; f < HWCAPS_F_COUNT; f++) {
                const struct hwcaps_feature_info *fi = &hwcaps_feature_table[f];

                if (hwcaps_leaf_available(c, hwcaps_reg_table[fi->reg].leaf) && (c->reg[fi->reg] >> fi->bit) & 1u)
                        v.cpu |= HWCAPS_BIT(f);
                if (state_enabled(c, fi->state))
                        v.os |= HWCAPS_BIT(f);
        }
        /* The table is ordered so that a feature's prerequisite comes first. */
        for (int f = 0; f < HWCAPS_F_COUNT; f++) {
                const struct hwcaps_feature_info *fi = &hwcaps_feature_table[f];
                hwcaps_mask b = HWCAPS_BIT(f);

                if (!(v.cpu & b) || !(v.os & b))
                        continue;
                if (fi->needs >= 0 && !(v.usable & HWCAPS_BIT(fi->needs)))
                        continue;
                v.usable |= b;
        }
        *ret = v;
}

hwcaps_mask hwcaps_level_requires(enum hwcaps_level level) {
        hwcaps_mask m = 0;

        for (int f = 0; f < HWCAPS_F_COUNT; f++)
                if (hwcaps_feature_table[f].level <= (int) level)
                        m |= HWCAPS_BIT(f);
        return m;
}

enum hwcaps_level hwcaps_level_from_usable(hwcaps_mask usable) {
        enum hwcaps_level best = HWCAPS_LEVEL_NONE;

        for (int l = HWCAPS_LEVEL_V1; l <= HWCAPS_LEVEL_MAX; l++) {
                hwcaps_mask need = hwcaps_level_requires((enum hwcaps_level) l);
                if ((usable & need) != need)
                        break;
                best = (enum hwcaps_level) l;
        }
        return best;
}

static const char *const level_names[] = {
        [HWCAPS_LEVEL_V1] = "x86-64-v1",
        [HWCAPS_LEVEL_V2] = "x86-64-v2",
        [HWCAPS_LEVEL_V3] = "x86-64-v3",
        [HWCAPS_LEVEL_V4] = "x86-64-v4",
};

const char *hwcaps_level_name(enum hwcaps_level level) {
        if (level < HWCAPS_LEVEL_V1 || level > HWCAPS_LEVEL_MAX)
                return NULL;
        return level_names[level];
}

int hwcaps_level_parse(const char *s, size_t n) {
        static const char prefix[] = "x86-64-";
        size_t p = sizeof(prefix) - 1;

        if (!s)
                return -1;
        /* "x86-64-v3" or the short "v3" (hwcaps(1), hwcaps.conf(5): accepted wherever a
         * level is), in any case: typed at a boot prompt as often as in a
         * file. */
        if (n == p + 2) {
                for (size_t i = 0; i < p; i++)
                        if (hwcaps_ascii_lower(s[i]) != prefix[i])
                                return -1;
                s += p;
                n -= p;
        }
        if (n != 2 || hwcaps_ascii_lower(s[0]) != 'v' || s[1] < '1' || s[1] > '0' + HWCAPS_LEVEL_MAX)
                return -1;
        return s[1] - '0';
}

int hwcaps_level_dirname_parse(const char *s, size_t n) {
        for (int l = HWCAPS_LEVEL_V1; l <= HWCAPS_LEVEL_MAX; l++)
                if (s && hwcaps_bytes_eq(s, n, hwcaps_level_name((enum hwcaps_level) l)))
                        return l;
        return -1;
}
