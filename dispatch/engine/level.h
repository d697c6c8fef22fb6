/* SPDX-License-Identifier: MIT */
/* The level engine: CPUID registers -> usable features -> x86-64 levels.
 *
 * Everything here is pure and freestanding (no libc calls), because the same
 * code is compiled into the static exec stub, the generator and the CLI: the
 * definition of a level exists exactly once. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum hwcaps_level {
        HWCAPS_LEVEL_NONE = 0, /* not even the x86-64 baseline */
        HWCAPS_LEVEL_V1 = 1,   /* baseline: the parent directory itself */
        HWCAPS_LEVEL_V2 = 2,
        HWCAPS_LEVEL_V3 = 3,
        HWCAPS_LEVEL_V4 = 4,
        HWCAPS_LEVEL_MAX = HWCAPS_LEVEL_V4,
};

/* For messages, derived from the highest level: a new level is one more
 * row of the enum and the table in level.c. */
#define HWCAPS_LEVEL_MAX_N 4
#define HWCAPS_STR_(x) #x
#define HWCAPS_STR(x) HWCAPS_STR_(x)
#define HWCAPS_LEVEL_DIRNAMES "x86-64-v1 ... x86-64-v" HWCAPS_STR(HWCAPS_LEVEL_MAX_N)
#define HWCAPS_LEVEL_NAMES HWCAPS_LEVEL_DIRNAMES " or v1 ... v" HWCAPS_STR(HWCAPS_LEVEL_MAX_N)
_Static_assert(HWCAPS_LEVEL_MAX_N == HWCAPS_LEVEL_MAX, "HWCAPS_LEVEL_MAX_N spells HWCAPS_LEVEL_MAX");

/* Every feature glibc's get-isa-level.h (glibc 2.36) tests. */
enum hwcaps_feature {
        /* baseline */
        HWCAPS_F_CMOV, HWCAPS_F_CX8, HWCAPS_F_FPU, HWCAPS_F_FXSR,
        HWCAPS_F_MMX, HWCAPS_F_SSE, HWCAPS_F_SSE2,
        /* x86-64-v2 */
        HWCAPS_F_CMPXCHG16B, HWCAPS_F_LAHF_SAHF, HWCAPS_F_POPCNT,
        HWCAPS_F_SSE3, HWCAPS_F_SSSE3, HWCAPS_F_SSE4_1, HWCAPS_F_SSE4_2,
        /* x86-64-v3 */
        HWCAPS_F_AVX, HWCAPS_F_AVX2, HWCAPS_F_BMI1, HWCAPS_F_BMI2,
        HWCAPS_F_F16C, HWCAPS_F_FMA, HWCAPS_F_LZCNT, HWCAPS_F_MOVBE,
        /* x86-64-v4 */
        HWCAPS_F_AVX512F, HWCAPS_F_AVX512BW, HWCAPS_F_AVX512CD,
        HWCAPS_F_AVX512DQ, HWCAPS_F_AVX512VL,
        HWCAPS_F_COUNT,
};

/* Which CPUID output a feature bit lives in; where each is read from is
 * hwcaps_reg_table (a new register: a row here and there, nothing else). */
enum hwcaps_reg {
        HWCAPS_REG_1_ECX,        /* leaf 1 */
        HWCAPS_REG_1_EDX,
        HWCAPS_REG_7_EBX,        /* leaf 7 subleaf 0 */
        HWCAPS_REG_80000001_ECX, /* leaf 0x80000001 */
        HWCAPS_REG_COUNT,
};

/* The CPUID instruction's outputs, in the order of libcpuid's
 * cpu_registers_t (its dumps index them so). */
enum hwcaps_out { HWCAPS_OUT_EAX, HWCAPS_OUT_EBX, HWCAPS_OUT_ECX, HWCAPS_OUT_EDX };

struct hwcaps_reg_info {
        uint32_t leaf;
        uint8_t subleaf;       /* widen before it goes into ECX: the asm takes all 32 bits */
        uint8_t out;           /* enum hwcaps_out */
};

extern const struct hwcaps_reg_info hwcaps_reg_table[HWCAPS_REG_COUNT];

#define HWCAPS_LEAF_EXTENDED UINT32_C(0x80000000)

/* Register state the OS must enable in XCR0 before the feature is usable. */
enum hwcaps_state {
        HWCAPS_STATE_NONE,   /* general-purpose or SSE: always enabled on x86-64 */
        HWCAPS_STATE_AVX,    /* XCR0 bits 1-2: XMM, YMM_Hi128 */
        HWCAPS_STATE_AVX512, /* XCR0 bits 1-2 and 5-7: opmask, ZMM_Hi256, Hi16_ZMM */
};

#define HWCAPS_XCR0_AVX    UINT64_C(0x06)
#define HWCAPS_XCR0_AVX512 UINT64_C(0xe6)

struct hwcaps_feature_info {
        const char *name;      /* glibc's <sys/platform/x86.h> spelling */
        uint8_t level;         /* lowest level that requires it */
        uint8_t reg;           /* enum hwcaps_reg */
        uint8_t bit;
        uint8_t state;         /* enum hwcaps_state */
        int8_t needs;          /* feature that must be usable first, or -1 (glibc update_active) */
        bool tunable;          /* GLIBC_TUNABLES=glibc.cpu.hwcaps=-NAME masks it (tunables.c) */
        uint16_t glibc;        /* glibc's index, x86_cpu_NAME in <sys/platform/x86.h> (probe.c) */
};

extern const struct hwcaps_feature_info hwcaps_feature_table[HWCAPS_F_COUNT];

/* The raw registers that decide levels, from any source. */
struct hwcaps_cpuid {
        uint32_t max_basic;     /* leaf 0 EAX */
        uint32_t max_extended;  /* leaf 0x80000000 EAX */
        uint32_t reg[HWCAPS_REG_COUNT];
        uint32_t leaf_d_eax;    /* leaf 0xD subleaf 0 EAX: state components the CPU supports */
        uint64_t xcr0;          /* XGETBV(0); meaningful only when OSXSAVE is set */
        bool osxsave;           /* leaf 1 ECX bit 27: the OS enabled XSAVE/XGETBV */
        char vendor[13];        /* leaf 0 EBX:EDX:ECX */
};

/* A leaf above the maximum returns the data of the highest basic leaf on
 * Intel (SDM vol. 2A, CPUID), i.e. garbage for our purpose. */
static inline bool hwcaps_leaf_available(const struct hwcaps_cpuid *c, uint32_t leaf) {
        return leaf >= HWCAPS_LEAF_EXTENDED ? c->max_extended >= leaf : c->max_basic >= leaf;
}

typedef uint32_t hwcaps_mask; /* one bit per enum hwcaps_feature */
#define HWCAPS_BIT(f) ((hwcaps_mask) 1u << (f))

/* Per feature: does the CPU report it, did the OS enable its register state,
 * and may a program use it (both, plus glibc's dependency rules). */
struct hwcaps_view {
        hwcaps_mask cpu;
        hwcaps_mask os;
        hwcaps_mask usable;
};

void hwcaps_view_from_cpuid(const struct hwcaps_cpuid *c, struct hwcaps_view *ret);

/* All features a level needs, including those of the levels below it. */
hwcaps_mask hwcaps_level_requires(enum hwcaps_level level);

/* Highest level whose features are all usable; levels are nested, so every
 * level from V1 up to the result is supported. */
enum hwcaps_level hwcaps_level_from_usable(hwcaps_mask usable);

/* "x86-64-v2" ...; NULL for levels without a name. */
const char *hwcaps_level_name(enum hwcaps_level level);

/* Accepts "x86-64-v1" .. "x86-64-v4" and "v1" .. "v4" (length n), in any
 * ASCII case; returns the level or -1. */
int hwcaps_level_parse(const char *s, size_t n);

/* Exactly a level directory's name, "x86-64-v1" .. "x86-64-v4" (length n),
 * as glibc spells it on disk and in ld.so --help; returns the level or -1. */
int hwcaps_level_dirname_parse(const char *s, size_t n);
