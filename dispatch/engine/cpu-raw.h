/* SPDX-License-Identifier: MIT */
/* Read the level-deciding registers with the CPUID and XGETBV instructions.
 * Header-only and freestanding so the static stub can inline it. */
#pragma once

#include <cpuid.h>

#include "level.h"

static inline uint64_t hwcaps_xgetbv0(void) {
        uint32_t lo, hi;
        /* XGETBV with ECX=0 reads XCR0; it faults unless CPUID.1:ECX.OSXSAVE
         * is set (Intel SDM vol. 2C, XGETBV), so callers check that first. */
        __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
        return ((uint64_t) hi << 32) | lo;
}

/* One CPUID leaf's outputs, read once for the registers that share it. */
struct hwcaps_leaf_cache {
        uint32_t leaf, subleaf;
        bool valid;
        uint32_t out[4]; /* enum hwcaps_out */
};

static inline uint32_t hwcaps_cpuid_reg(struct hwcaps_leaf_cache *l, enum hwcaps_reg r) {
        const struct hwcaps_reg_info *ri = &hwcaps_reg_table[r];

        if (!l->valid || l->leaf != ri->leaf || l->subleaf != ri->subleaf) {
                __cpuid_count(ri->leaf, (uint32_t) ri->subleaf, l->out[0], l->out[1], l->out[2], l->out[3]);
                l->leaf = ri->leaf;
                l->subleaf = ri->subleaf;
                l->valid = true;
        }
        return l->out[ri->out];
}

/* Every register of hwcaps_reg_table the CPU has, the leaf maxima, leaf
 * 0xD's state components and XCR0: six CPUID instructions today. */
static inline void hwcaps_cpuid_read_raw(struct hwcaps_cpuid *c) {
        struct hwcaps_leaf_cache l = { 0 };
        uint32_t a, b, cx, d;

        *c = (struct hwcaps_cpuid) { 0 };
        __cpuid(0, a, b, cx, d);
        c->max_basic = a;
        __builtin_memcpy(c->vendor + 0, &b, 4);
        __builtin_memcpy(c->vendor + 4, &d, 4);
        __builtin_memcpy(c->vendor + 8, &cx, 4);
        __cpuid(HWCAPS_LEAF_EXTENDED, a, b, cx, d);
        c->max_extended = a;
        for (unsigned r = 0; r < HWCAPS_REG_COUNT; r++)
                if (hwcaps_leaf_available(c, hwcaps_reg_table[r].leaf))
                        c->reg[r] = hwcaps_cpuid_reg(&l, (enum hwcaps_reg) r);
        c->osxsave = (c->reg[HWCAPS_REG_1_ECX] >> 27) & 1u;
        if (c->max_basic >= 0xd) {
                __cpuid_count(0xd, 0, a, b, cx, d);
                c->leaf_d_eax = a;
        }
        if (c->osxsave)
                c->xcr0 = hwcaps_xgetbv0();
}
