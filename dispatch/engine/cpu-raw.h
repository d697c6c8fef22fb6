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

static inline void hwcaps_cpuid_read_raw(struct hwcaps_cpuid *c) {
        uint32_t a, b, cx, d;

        *c = (struct hwcaps_cpuid) { 0 };
        __cpuid(0, a, b, cx, d);
        c->max_basic = a;
        __builtin_memcpy(c->vendor + 0, &b, 4);
        __builtin_memcpy(c->vendor + 4, &d, 4);
        __builtin_memcpy(c->vendor + 8, &cx, 4);
        if (c->max_basic >= 1) {
                __cpuid(1, a, b, cx, d);
                c->reg[HWCAPS_REG_1_ECX] = cx;
                c->reg[HWCAPS_REG_1_EDX] = d;
                c->osxsave = (cx >> 27) & 1u;
        }
        if (c->max_basic >= 7) {
                __cpuid_count(7, 0, a, b, cx, d);
                c->reg[HWCAPS_REG_7_EBX] = b;
        }
        if (c->max_basic >= 0xd) {
                __cpuid_count(0xd, 0, a, b, cx, d);
                c->leaf_d_eax = a;
        }
        __cpuid(0x80000000u, a, b, cx, d);
        c->max_extended = a;
        if (c->max_extended >= 0x80000001u) {
                __cpuid(0x80000001u, a, b, cx, d);
                c->reg[HWCAPS_REG_80000001_ECX] = cx;
        }
        if (c->osxsave)
                c->xcr0 = hwcaps_xgetbv0();
}
