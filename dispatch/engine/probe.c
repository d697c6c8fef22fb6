/* SPDX-License-Identifier: MIT */
#include <string.h>
#include <sys/platform/x86.h>

#include "cpu-raw.h"
#include "macro.h"
#include "probe.h"

static const char *const source_names[] = {
        [HWCAPS_SOURCE_GLIBC] = "glibc",
        [HWCAPS_SOURCE_CPUID] = "cpuid",
        [HWCAPS_SOURCE_DUMP] = "dump",
};

const char *hwcaps_source_name(enum hwcaps_source s) {
        return (size_t) s < ELEMENTSOF(source_names) ? source_names[s] : "unknown";
}

int hwcaps_source_parse(const char *s) {
        for (size_t i = 0; i < ELEMENTSOF(source_names); i++)
                if (strcmp(s, source_names[i]) == 0)
                        return (int) i;
        return -1;
}

void hwcaps_probe_cpuid(struct hwcaps_probe *p) {
        *p = (struct hwcaps_probe) { .source = HWCAPS_SOURCE_CPUID };
        hwcaps_cpuid_read_raw(&p->cpuid);
        hwcaps_view_from_cpuid(&p->cpuid, &p->view);
        p->level = hwcaps_level_from_usable(p->view.usable);
}

/* glibc's index for each feature (<bits/platform/x86.h>, glibc >= 2.33). */
static const unsigned glibc_index[HWCAPS_F_COUNT] = {
        [HWCAPS_F_CMOV] = x86_cpu_CMOV,           [HWCAPS_F_CX8] = x86_cpu_CX8,
        [HWCAPS_F_FPU] = x86_cpu_FPU,             [HWCAPS_F_FXSR] = x86_cpu_FXSR,
        [HWCAPS_F_MMX] = x86_cpu_MMX,             [HWCAPS_F_SSE] = x86_cpu_SSE,
        [HWCAPS_F_SSE2] = x86_cpu_SSE2,           [HWCAPS_F_CMPXCHG16B] = x86_cpu_CMPXCHG16B,
        [HWCAPS_F_LAHF_SAHF] = x86_cpu_LAHF64_SAHF64, [HWCAPS_F_POPCNT] = x86_cpu_POPCNT,
        [HWCAPS_F_SSE3] = x86_cpu_SSE3,           [HWCAPS_F_SSSE3] = x86_cpu_SSSE3,
        [HWCAPS_F_SSE4_1] = x86_cpu_SSE4_1,       [HWCAPS_F_SSE4_2] = x86_cpu_SSE4_2,
        [HWCAPS_F_AVX] = x86_cpu_AVX,             [HWCAPS_F_AVX2] = x86_cpu_AVX2,
        [HWCAPS_F_BMI1] = x86_cpu_BMI1,           [HWCAPS_F_BMI2] = x86_cpu_BMI2,
        [HWCAPS_F_F16C] = x86_cpu_F16C,           [HWCAPS_F_FMA] = x86_cpu_FMA,
        [HWCAPS_F_LZCNT] = x86_cpu_LZCNT,         [HWCAPS_F_MOVBE] = x86_cpu_MOVBE,
        [HWCAPS_F_AVX512F] = x86_cpu_AVX512F,     [HWCAPS_F_AVX512BW] = x86_cpu_AVX512BW,
        [HWCAPS_F_AVX512CD] = x86_cpu_AVX512CD,   [HWCAPS_F_AVX512DQ] = x86_cpu_AVX512DQ,
        [HWCAPS_F_AVX512VL] = x86_cpu_AVX512VL,
};

/* glibc 2.36's inline x86_cpu_present()/x86_cpu_active() compute "1 << bit"
 * on an int, undefined for bit 31 (AVX512VL) and reported by UBSan. Same
 * lookup through the exported __x86_get_cpuid_feature_leaf(), unsigned. */
static bool glibc_bit(unsigned index, bool active) {
        const struct cpuid_feature *leaf = __x86_get_cpuid_feature_leaf(index / 128);
        unsigned reg = (index % 128) / 32, bit = index % 32;

        return ((active ? leaf->active_array : leaf->cpuid_array)[reg] >> bit) & 1u;
}

void hwcaps_probe_glibc(struct hwcaps_probe *p) {
        struct hwcaps_view raw;

        *p = (struct hwcaps_probe) { .source = HWCAPS_SOURCE_GLIBC };
        /* glibc tells "present" and "active" but not whether the OS enabled
         * the register state, so that column comes from XGETBV. */
        hwcaps_cpuid_read_raw(&p->cpuid);
        hwcaps_view_from_cpuid(&p->cpuid, &raw);
        p->view.os = raw.os;
        for (int f = 0; f < HWCAPS_F_COUNT; f++) {
                if (glibc_bit(glibc_index[f], false))
                        p->view.cpu |= HWCAPS_BIT(f);
                if (glibc_bit(glibc_index[f], true))
                        p->view.usable |= HWCAPS_BIT(f);
        }
        /* get-isa-level.h tests FPU with CPU_FEATURE_CPU_P, not _USABLE_P:
         * glibc never marks FPU active. */
        if (p->view.cpu & HWCAPS_BIT(HWCAPS_F_FPU))
                p->view.usable |= HWCAPS_BIT(HWCAPS_F_FPU);
        p->level = hwcaps_level_from_usable(p->view.usable);
}
