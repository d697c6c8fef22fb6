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
                if (glibc_bit(hwcaps_feature_table[f].glibc, false))
                        p->view.cpu |= HWCAPS_BIT(f);
                if (glibc_bit(hwcaps_feature_table[f].glibc, true))
                        p->view.usable |= HWCAPS_BIT(f);
        }
        /* get-isa-level.h tests FPU with CPU_FEATURE_CPU_P, not _USABLE_P:
         * glibc never marks FPU active. */
        if (p->view.cpu & HWCAPS_BIT(HWCAPS_F_FPU))
                p->view.usable |= HWCAPS_BIT(HWCAPS_F_FPU);
        p->level = hwcaps_level_from_usable(p->view.usable);
}

const char *hwcaps_reg_name(enum hwcaps_reg r, char buf[static 24]) {
        static const char hex[] = "0123456789abcdef", outs[4][4] = { "EAX", "EBX", "ECX", "EDX" };
        const struct hwcaps_reg_info *ri = &hwcaps_reg_table[r];
        size_t n = 0;
        int shift = 28;

        while (shift > 0 && !((ri->leaf >> shift) & 0xf))
                shift -= 4;
        for (; shift >= 0; shift -= 4)
                buf[n++] = hex[(ri->leaf >> shift) & 0xf];
        if (ri->leaf >= 4 && ri->leaf < HWCAPS_LEAF_EXTENDED) {
                buf[n++] = '.';
                if (ri->subleaf >= 10)
                        buf[n++] = (char) ('0' + ri->subleaf / 10 % 10);
                buf[n++] = (char) ('0' + ri->subleaf % 10);
        }
        buf[n++] = ':';
        for (int i = 0; i < 3; i++)
                buf[n++] = outs[ri->out][i];
        buf[n] = '\0';
        return buf;
}
