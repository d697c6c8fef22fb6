/* SPDX-License-Identifier: MIT */
/* The decoder on instructions assembled by GNU as (bytes in the comments'
 * syntax): its length, and the level table's feature it needs. Whole
 * binaries against objdump: tests/cli/test-check-isa.sh. */
#include <criterion/criterion.h>
#include <errno.h>

#include "level.h"
#include "x86-decode.h"

struct c {
        const char *what;
        uint8_t b[X86_INSN_MAX];
        uint8_t len;
        int feature;
};

static const struct c cases[] = {
        { "ret", { 0xc3 }, 1, -1 },
        { "movabs $imm64,%rax", { 0x48, 0xb8, 1, 2, 3, 4, 5, 6, 7, 8 }, 10, -1 },
        { "mov $imm16,%ax", { 0x66, 0xb8, 1, 2 }, 4, -1 },
        { "movabs 0x1122334455667788,%al (moffs)", { 0xa0, 1, 2, 3, 4, 5, 6, 7, 8 }, 9, -1 },
        { "testl $imm32,(%rax)", { 0xf7, 0x00, 1, 2, 3, 4 }, 6, -1 },
        { "notl (%rax) (F7 /2: no immediate)", { 0xf7, 0x10 }, 2, -1 },
        { "mov 0x10(%rsp),%rsi (SIB, disp8)", { 0x48, 0x8b, 0x74, 0x24, 0x10 }, 5, -1 },
        { "lea 0x0(%rip),%rax", { 0x48, 0x8d, 0x05, 0, 0, 0, 0 }, 7, -1 },
        { "nopw 0x0(%rax,%rax,1)", { 0x66, 0x0f, 0x1f, 0x44, 0, 0 }, 6, -1 },
        { "jne rel32", { 0x0f, 0x85, 1, 2, 3, 4 }, 6, -1 },
        { "enter $1,$2", { 0xc8, 1, 0, 2 }, 4, -1 },
        { "endbr64", { 0xf3, 0x0f, 0x1e, 0xfa }, 4, -1 },
        { "paddq %xmm0,%xmm1 (SSE2)", { 0x66, 0x0f, 0xd4, 0xc8 }, 4, -1 },
        { "tzcnt = rep bsf: runs as BSF on any CPU", { 0xf3, 0x48, 0x0f, 0xbc, 0xd8 }, 5, -1 },
        { "cpuid", { 0x0f, 0xa2 }, 2, -1 },
        { "popcnt %rax,%rbx", { 0xf3, 0x48, 0x0f, 0xb8, 0xd8 }, 5, HWCAPS_F_POPCNT },
        { "lzcnt %rax,%rbx", { 0xf3, 0x48, 0x0f, 0xbd, 0xd8 }, 5, HWCAPS_F_LZCNT },
        { "bsr %rax,%rbx", { 0x48, 0x0f, 0xbd, 0xd8 }, 4, -1 },
        { "movbe (%rax),%rbx", { 0x48, 0x0f, 0x38, 0xf0, 0x18 }, 5, HWCAPS_F_MOVBE },
        { "crc32q %rax,%rbx", { 0xf2, 0x48, 0x0f, 0x38, 0xf1, 0xd8 }, 6, HWCAPS_F_SSE4_2 },
        { "cmpxchg16b (%rax)", { 0x48, 0x0f, 0xc7, 0x08 }, 4, HWCAPS_F_CMPXCHG16B },
        { "cmpxchg8b (%rax)", { 0x0f, 0xc7, 0x08 }, 3, -1 },
        { "lahf", { 0x9f }, 1, HWCAPS_F_LAHF_SAHF },
        { "sahf", { 0x9e }, 1, HWCAPS_F_LAHF_SAHF },
        { "fisttpl (%rax)", { 0xdb, 0x08 }, 2, HWCAPS_F_SSE3 },
        { "haddps %xmm0,%xmm1", { 0xf2, 0x0f, 0x7c, 0xc8 }, 4, HWCAPS_F_SSE3 },
        { "pshufb %xmm0,%xmm1", { 0x66, 0x0f, 0x38, 0x00, 0xc8 }, 5, HWCAPS_F_SSSE3 },
        { "palignr $3,%xmm0,%xmm1", { 0x66, 0x0f, 0x3a, 0x0f, 0xc8, 3 }, 6, HWCAPS_F_SSSE3 },
        { "pmulld %xmm0,%xmm1", { 0x66, 0x0f, 0x38, 0x40, 0xc8 }, 5, HWCAPS_F_SSE4_1 },
        { "roundsd $0,%xmm0,%xmm1", { 0x66, 0x0f, 0x3a, 0x0b, 0xc8, 0 }, 6, HWCAPS_F_SSE4_1 },
        { "pcmpgtq %xmm0,%xmm1", { 0x66, 0x0f, 0x38, 0x37, 0xc8 }, 5, HWCAPS_F_SSE4_2 },
        { "pcmpistri $0,%xmm0,%xmm1", { 0x66, 0x0f, 0x3a, 0x63, 0xc8, 0 }, 6, HWCAPS_F_SSE4_2 },
        { "aesenc: in no level", { 0x66, 0x0f, 0x38, 0xdc, 0xc8 }, 5, -1 },
        { "vpaddd %xmm0,%xmm1,%xmm2", { 0xc5, 0xf1, 0xfe, 0xd0 }, 4, HWCAPS_F_AVX },
        { "vpaddd %ymm0,%ymm1,%ymm2", { 0xc5, 0xf5, 0xfe, 0xd0 }, 4, HWCAPS_F_AVX2 },
        { "vaddps %ymm0,%ymm1,%ymm2", { 0xc5, 0xf4, 0x58, 0xd0 }, 4, HWCAPS_F_AVX },
        { "vzeroupper", { 0xc5, 0xf8, 0x77 }, 3, HWCAPS_F_AVX },
        { "vpermq $0,%ymm0,%ymm1", { 0xc4, 0xe3, 0xfd, 0x00, 0xc8, 0 }, 6, HWCAPS_F_AVX2 },
        { "vfmadd231ps %ymm0,%ymm1,%ymm2", { 0xc4, 0xe2, 0x75, 0xb8, 0xd0 }, 5, HWCAPS_F_FMA },
        { "vcvtph2ps %xmm0,%ymm1", { 0xc4, 0xe2, 0x7d, 0x13, 0xc8 }, 5, HWCAPS_F_F16C },
        { "vcvtps2ph $0,%ymm1,%xmm0", { 0xc4, 0xe3, 0x7d, 0x1d, 0xc8, 0 }, 6, HWCAPS_F_F16C },
        { "andn %rax,%rbx,%rcx", { 0xc4, 0xe2, 0xe0, 0xf2, 0xc8 }, 5, HWCAPS_F_BMI1 },
        { "bextr %rax,%rbx,%rcx", { 0xc4, 0xe2, 0xf8, 0xf7, 0xcb }, 5, HWCAPS_F_BMI1 },
        { "shlx %rax,%rbx,%rcx", { 0xc4, 0xe2, 0xf9, 0xf7, 0xcb }, 5, HWCAPS_F_BMI2 },
        { "rorx $3,%rax,%rbx", { 0xc4, 0xe3, 0xfb, 0xf0, 0xd8, 3 }, 6, HWCAPS_F_BMI2 },
        { "kmovw %k1,%eax", { 0xc5, 0xf8, 0x93, 0xc1 }, 4, HWCAPS_F_AVX512F },
        { "kmovq %k1,%rax", { 0xc4, 0xe1, 0xfb, 0x93, 0xc1 }, 5, HWCAPS_F_AVX512BW },
        { "kmovb %k1,%eax", { 0xc5, 0xf9, 0x93, 0xc1 }, 4, HWCAPS_F_AVX512DQ },
        { "vpaddd %zmm0,%zmm1,%zmm2", { 0x62, 0xf1, 0x75, 0x48, 0xfe, 0xd0 }, 6, HWCAPS_F_AVX512F },
        { "vpaddd %ymm16,%ymm1,%ymm2", { 0x62, 0xb1, 0x75, 0x28, 0xfe, 0xd0 }, 6, HWCAPS_F_AVX512VL },
        { "vpternlogd $0,%zmm0,%zmm1,%zmm2", { 0x62, 0xf3, 0x75, 0x48, 0x25, 0xd0, 0 }, 7, HWCAPS_F_AVX512F },
        { "vpsraq $1,%xmm0,%xmm1", { 0x62, 0xf1, 0xf5, 0x08, 0x72, 0xe0, 1 }, 7, HWCAPS_F_AVX512VL },
        { "vfmadd132sd %xmm16,%xmm1,%xmm2 (scalar)", { 0x62, 0xb2, 0xf5, 0x08, 0x99, 0xd0 }, 6, HWCAPS_F_AVX512F },
        { "vmovd %xmm16,%eax (scalar)", { 0x62, 0xe1, 0x7d, 0x08, 0x7e, 0xc0 }, 6, HWCAPS_F_AVX512F },
        { "vaddpd {rn-sae},%zmm0,%zmm1,%zmm2", { 0x62, 0xf1, 0xf5, 0x18, 0x58, 0xd0 }, 6, HWCAPS_F_AVX512F },
        { "vpaddd 0x40(%rax),%zmm1,%zmm2 (disp8*N)", { 0x62, 0xf1, 0x75, 0x48, 0xfe, 0x50, 0x01 }, 7, HWCAPS_F_AVX512F },
};

Test(x86_decode, each_instruction_has_its_length_and_feature) {
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                struct x86_insn in;
                int r = x86_decode(cases[i].b, cases[i].len, &in);
                cr_expect_eq(r, 0, "%s: %d", cases[i].what, r);
                if (r < 0)
                        continue;
                cr_expect_eq(in.len, cases[i].len, "%s: length %u, expected %u", cases[i].what, in.len, cases[i].len);
                cr_expect_eq(in.feature, cases[i].feature, "%s: feature %d, expected %d", cases[i].what, in.feature,
                             cases[i].feature);
        }
}

Test(x86_decode, cpuid_is_flagged) {
        struct x86_insn in;
        cr_assert_eq(x86_decode((const uint8_t[]) { 0x0f, 0xa2 }, 2, &in), 0);
        cr_expect(in.cpuid);
        cr_assert_eq(x86_decode((const uint8_t[]) { 0xc3 }, 1, &in), 0);
        cr_expect(!in.cpuid);
}

Test(x86_decode, truncated_instructions_are_refused_never_read_past_the_end) {
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
                for (size_t n = 0; n < cases[i].len; n++) {
                        struct x86_insn in;
                        cr_expect_eq(x86_decode(cases[i].b, n, &in), -EBADMSG, "%s cut to %zu bytes", cases[i].what, n);
                }
}

Test(x86_decode, invalid_in_64_bit_mode_is_refused) {
        static const uint8_t bad[][2] = { { 0x06 }, { 0x60 }, { 0xd4, 0x0a }, { 0xea } };
        struct x86_insn in;
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
                cr_expect_eq(x86_decode(bad[i], 2, &in), -EBADMSG, "opcode %02x", bad[i][0]);
}

Test(x86_decode, more_than_15_bytes_of_prefixes_is_refused) {
        uint8_t b[20];
        struct x86_insn in;
        memset(b, 0x66, sizeof(b));
        b[19] = 0x90;
        cr_expect_eq(x86_decode(b, sizeof(b), &in), -EBADMSG);
}
