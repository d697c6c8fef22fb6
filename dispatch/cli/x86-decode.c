/* SPDX-License-Identifier: MIT */
/* A length decoder for x86-64 with a classifier for the features of the
 * level table. Opcode maps: Intel SDM vol. 2D, appendix A (one-byte, 0F,
 * 0F38, 0F3A), 2.3 (VEX), 2.7 (EVEX); AMD APM vol. 3, 1.8 (XOP).
 *
 * Why not capstone (Debian 12: libcapstone4 4.0.2), measured here:
 *  - it decodes none of vpternlogd, vpcmpeqb into a mask, EVEX FMA
 *    (vfmadd132sd %xmm16), vpsraq, vpopcntd, kmovd, kmovq: the very
 *    instructions gcc -march=x86-64-v4 emits. Each failure hides a v4
 *    instruction and throws the sweep out of step with the code after it;
 *  - it files tzcnt (F3 0F BC, which gcc emits as "rep bsf" for generic
 *    x86-64: a v1 CPU runs it as BSF) under BMI, and fisttp (SSE3) under
 *    FPU only;
 *  - it takes 0.2 µs an instruction with groups (0.8 s for gdb's 6 MB of
 *    code); this decoder is a table lookup an instruction.
 * What a level needs is decided by a few opcode ranges; the table of
 * features stays level.c's. Checked against objdump over whole binaries
 * (tests/cli/test-check-isa.sh). */
#include <errno.h>

#include "level.h"
#include "x86-decode.h"

enum {
        M = 1,     /* ModRM follows */
        I8 = 2,    /* imm8 / rel8 */
        IZ = 4,    /* imm16 with 66, else imm32 */
        I16 = 8,
        I32 = 16,  /* rel32 of a near branch: 32 bits whatever the prefixes */
        X = 32,    /* invalid in 64-bit mode */
        SP = 64,   /* decoded apart */
};

#define ALU(b) [b ... b + 3] = M, [b + 4] = I8, [b + 5] = IZ
static const uint8_t one_byte[256] = {
        ALU(0x00), ALU(0x08), ALU(0x10), ALU(0x18), ALU(0x20), ALU(0x28), ALU(0x30), ALU(0x38),
        [0x06] = X, [0x07] = X, [0x0e] = X, [0x0f] = SP, [0x16] = X, [0x17] = X, [0x1e] = X, [0x1f] = X,
        [0x27] = X, [0x2f] = X, [0x37] = X, [0x3f] = X,
        [0x60] = X, [0x61] = X, [0x62] = SP, [0x63] = M, [0x68] = IZ, [0x69] = M | IZ, [0x6a] = I8, [0x6b] = M | I8,
        [0x70 ... 0x7f] = I8,
        [0x80] = M | I8, [0x81] = M | IZ, [0x82] = X, [0x83] = M | I8, [0x84 ... 0x8e] = M, [0x8f] = SP,
        [0x9a] = X,
        [0xa0 ... 0xa3] = SP, [0xa8] = I8, [0xa9] = IZ,
        [0xb0 ... 0xb7] = I8, [0xb8 ... 0xbf] = SP,
        [0xc0] = M | I8, [0xc1] = M | I8, [0xc2] = I16, [0xc4] = SP, [0xc5] = SP, [0xc6] = M | I8, [0xc7] = M | IZ,
        [0xc8] = SP, [0xca] = I16, [0xcd] = I8, [0xce] = X,
        [0xd0 ... 0xd3] = M, [0xd4 ... 0xd6] = X, [0xd8 ... 0xdf] = M,
        [0xe0 ... 0xe7] = I8, [0xe8] = I32, [0xe9] = I32, [0xea] = X, [0xeb] = I8,
        [0xf6] = SP, [0xf7] = SP, [0xfe] = M, [0xff] = M,
};

/* Map 0F: ModRM everywhere but where NM says none; the immediates. */
#define NM 128
static const uint8_t two_byte[256] = {
        [0x05 ... 0x09] = NM, [0x0b] = NM, [0x0e] = NM, [0x0f] = I8 /* 3DNow!: suffix byte */,
        [0x30 ... 0x37] = NM, [0x38] = SP, [0x3a] = SP,
        [0x70 ... 0x73] = I8, [0x77] = NM, [0x78] = SP,
        [0x80 ... 0x8f] = NM | I32,
        [0xa0 ... 0xa2] = NM, [0xa4] = I8, [0xa8 ... 0xaa] = NM, [0xac] = I8,
        [0xba] = I8, [0xc2] = I8, [0xc4 ... 0xc6] = I8, [0xc8 ... 0xcf] = NM,
};

/* VEX and EVEX map 1 opcodes with an imm8 (as in the legacy map 0F). */
static bool map1_imm8(uint8_t op) {
        return (op >= 0x70 && op <= 0x73) || op == 0xc2 || (op >= 0xc4 && op <= 0xc6);
}

/* Bytes of the ModRM byte and what follows it (SIB, displacement) at p,
 * or 0 when they run past n. 64-bit addressing; a 67 prefix selects 32-bit
 * addresses of the same sizes. */
static size_t modrm_len(const uint8_t *p, size_t n) {
        if (n < 1)
                return 0;
        uint8_t mod = p[0] >> 6, rm = p[0] & 7;
        size_t len = 1;

        if (mod == 3)
                return 1;
        if (rm == 4) {
                if (n < 2)
                        return 0;
                len++;
                if (mod == 0 && (p[1] & 7) == 5)
                        len += 4;
        } else if (mod == 0 && rm == 5)
                len += 4; /* RIP-relative */
        if (mod == 1)
                len += 1;
        else if (mod == 2)
                len += 4;
        return len <= n ? len : 0;
}

enum { PFX_NONE, PFX_66, PFX_F3, PFX_F2 }; /* the order of VEX.pp */

/* Legacy map 0F38. */
static int map_0f38(uint8_t op, int pfx) {
        if (op == 0xf0 || op == 0xf1)
                return pfx == PFX_F2 ? HWCAPS_F_SSE4_2 /* crc32 */ : HWCAPS_F_MOVBE;
        if (pfx == PFX_NONE || pfx == PFX_66) {
                if (op <= 0x0b || (op >= 0x1c && op <= 0x1e))
                        return HWCAPS_F_SSSE3;  /* also their MMX forms */
        }
        if (pfx != PFX_66)
                return -1;
        if (op == 0x37)
                return HWCAPS_F_SSE4_2;         /* pcmpgtq */
        if (op == 0x10 || op == 0x14 || op == 0x15 || op == 0x17 || (op >= 0x20 && op <= 0x25) ||
            (op >= 0x28 && op <= 0x2b) || (op >= 0x30 && op <= 0x35) || (op >= 0x38 && op <= 0x41))
                return HWCAPS_F_SSE4_1;
        return -1; /* SHA, AES, ADX, ...: in no level */
}

/* Legacy map 0F3A. */
static int map_0f3a(uint8_t op, int pfx) {
        if (op == 0x0f && (pfx == PFX_NONE || pfx == PFX_66))
                return HWCAPS_F_SSSE3;          /* palignr */
        if (pfx != PFX_66)
                return -1;
        if ((op >= 0x08 && op <= 0x0e) || (op >= 0x14 && op <= 0x17) || (op >= 0x20 && op <= 0x22) ||
            (op >= 0x40 && op <= 0x42))
                return HWCAPS_F_SSE4_1;
        if (op >= 0x60 && op <= 0x63)
                return HWCAPS_F_SSE4_2;         /* pcmp[ei]str[im] */
        return -1;
}

/* Legacy map 0F. modrm is the byte after the opcode (when there is one). */
static int map_0f(uint8_t op, int pfx, bool rex_w, uint8_t modrm) {
        switch (op) {
        case 0xb8:
                return pfx == PFX_F3 ? HWCAPS_F_POPCNT : -1;
        case 0xbd:
                return pfx == PFX_F3 ? HWCAPS_F_LZCNT : -1;
        /* F3 0F BC, tzcnt, is not here: a CPU without BMI1 runs it as
         * BSF, and gcc emits it for generic x86-64 ("rep bsf"). */
        case 0xc7:
                return rex_w && (modrm >> 6) != 3 && ((modrm >> 3) & 7) == 1 ? HWCAPS_F_CMPXCHG16B : -1;
        case 0xf0:
                return pfx == PFX_F2 ? HWCAPS_F_SSE3 : -1;      /* lddqu */
        case 0x7c: case 0x7d: case 0xd0:
                return pfx == PFX_66 || pfx == PFX_F2 ? HWCAPS_F_SSE3 : -1; /* hadd, hsub, addsub */
        case 0x12:
                return pfx == PFX_F3 || pfx == PFX_F2 ? HWCAPS_F_SSE3 : -1; /* movsldup, movddup */
        case 0x16:
                return pfx == PFX_F3 ? HWCAPS_F_SSE3 : -1;      /* movshdup */
        default:
                return -1;
        }
}

/* VEX: every instruction needs AVX at least (SDM 2.3.10); these need
 * more, or another feature. */
static int vex_feature(unsigned map, uint8_t op, int pp, bool l, bool w, uint8_t modrm) {
        switch (map) {
        case 1:
                /* Opmask instructions: AVX-512 (SDM vol. 2, KADDW ... KXORW). */
                if ((op >= 0x41 && op <= 0x4b) || (op >= 0x90 && op <= 0x93) || op == 0x98 || op == 0x99)
                        return pp == PFX_NONE && !w ? HWCAPS_F_AVX512F :
                               pp == PFX_66 && !w ? HWCAPS_F_AVX512DQ : HWCAPS_F_AVX512BW;
                /* 256-bit integer SIMD */
                if (l && ((pp == PFX_66 && ((op >= 0x60 && op <= 0x6d) || (op >= 0x70 && op <= 0x76) ||
                                            (op >= 0xd1 && op <= 0xfe && op != 0xd6 && op != 0xe6 && op != 0xe7 &&
                                             op != 0xf0 && op != 0xf7))) ||
                          (op == 0x70 && pp != PFX_NONE)))
                        return HWCAPS_F_AVX2;
                return HWCAPS_F_AVX;
        case 2:
                if (op == 0xf2 || op == 0xf3 || (op == 0xf7 && pp == PFX_NONE))
                        return HWCAPS_F_BMI1;   /* andn, blsr/blsmsk/blsi, bextr */
                if (op == 0xf5 || op == 0xf6 || op == 0xf7)
                        return HWCAPS_F_BMI2;   /* bzhi/pdep/pext, mulx, shlx/sarx/shrx */
                if ((op >= 0x96 && op <= 0x9f) || (op >= 0xa6 && op <= 0xaf) || (op >= 0xb6 && op <= 0xbf))
                        return HWCAPS_F_FMA;
                if (op == 0x13)
                        return HWCAPS_F_F16C;   /* vcvtph2ps */
                if (op == 0x16 || op == 0x36 || (op >= 0x45 && op <= 0x47) || (op >= 0x58 && op <= 0x5a) ||
                    op == 0x78 || op == 0x79 || op == 0x8c || op == 0x8e || (op >= 0x90 && op <= 0x93) ||
                    ((op == 0x18 || op == 0x19) && (modrm >> 6) == 3))
                        return HWCAPS_F_AVX2;
                if (l && (op <= 0x0b || (op >= 0x1c && op <= 0x1e) || (op >= 0x20 && op <= 0x25) ||
                          (op >= 0x28 && op <= 0x2b) || (op >= 0x30 && op <= 0x35) || (op >= 0x37 && op <= 0x40)))
                        return HWCAPS_F_AVX2;
                return HWCAPS_F_AVX;
        default: /* 3 */
                if (op == 0xf0)
                        return HWCAPS_F_BMI2;   /* rorx */
                if (op == 0x1d)
                        return HWCAPS_F_F16C;   /* vcvtps2ph */
                if (op <= 0x02 || op == 0x38 || op == 0x39 || op == 0x46)
                        return HWCAPS_F_AVX2;   /* vpermq/pd, vpblendd, vinserti128, vextracti128, vperm2i128 */
                if (l && (op == 0x0e || op == 0x0f || op == 0x42 || op == 0x4c))
                        return HWCAPS_F_AVX2;
                return HWCAPS_F_AVX;
        }
}

/* EVEX: every instruction needs AVX512F (SDM 2.7); a vector length below
 * 512 bits needs AVX512VL, except scalar forms and those whose L'L field
 * is a rounding mode. Which of BW, DQ and CD an opcode belongs to is not
 * told apart: all are x86-64-v4, and the message names AVX512F. */
static int evex_feature(unsigned map, uint8_t op, int pp, unsigned ll, bool b, uint8_t modrm) {
        bool scalar = (map == 1 && (pp == PFX_F3 || pp == PFX_F2) &&
                       (op == 0x10 || op == 0x11 || (op >= 0x2a && op <= 0x2f) || (op >= 0x51 && op <= 0x5f) ||
                        op == 0x7a || op == 0x7b || op == 0x78 || op == 0x79 || op == 0x7e || op == 0xc2)) ||
                      (map == 1 && (op == 0x6e || op == 0x7e || op == 0xd6 || op == 0xc4 || op == 0xc5 ||
                                    op == 0x2e || op == 0x2f)) ||
                      (map == 2 && (op & 1) && op >= 0x99 && op <= 0xbf) ||
                      (map == 3 && (op == 0x0a || op == 0x0b || op == 0x14 || op == 0x16 || op == 0x17 ||
                                    op == 0x20 || op == 0x21 || op == 0x22));
        bool rounding = b && (modrm >> 6) == 3;

        if (ll < 2 && !scalar && !rounding)
                return HWCAPS_F_AVX512VL;
        return HWCAPS_F_AVX512F;
}

int x86_decode(const uint8_t *p, size_t n, struct x86_insn *ret) {
        size_t i = 0, m;
        int pfx = PFX_NONE;
        bool a67 = false, o66 = false;
        uint8_t rex = 0, op, flags;
        int feature = -1;
        bool cpuid = false;
        size_t imm = 0;

        if (n > X86_INSN_MAX)
                n = X86_INSN_MAX;
        for (;; i++) {
                if (i >= n)
                        return -EBADMSG;
                switch (p[i]) {
                case 0x66:
                        o66 = true;
                        if (pfx == PFX_NONE)
                                pfx = PFX_66;
                        break;
                case 0xf2:
                        pfx = PFX_F2;
                        break;
                case 0xf3:
                        pfx = PFX_F3;
                        break;
                case 0x67:
                        a67 = true;
                        break;
                case 0x26: case 0x2e: case 0x36: case 0x3e: case 0x64: case 0x65: case 0xf0:
                        break;
                default:
                        if ((p[i] & 0xf0) == 0x40) {
                                rex = p[i];
                                continue;
                        }
                        goto opcode;
                }
                rex = 0; /* a REX prefix counts only right before the opcode */
        }
opcode:
        op = p[i++];
        flags = one_byte[op];
        if (flags & X)
                return -EBADMSG;

        if (op == 0xc4 || op == 0xc5 || op == 0x62 || (op == 0x8f && i < n && (p[i] & 0x1f) >= 8)) {
                /* VEX, EVEX, XOP: the prefix bytes, an opcode, ModRM */
                unsigned map, pp, plen = op == 0xc5 ? 1 : op == 0x62 ? 3 : 2;
                bool l, w;

                if (rex || o66 || pfx != PFX_NONE || n - i < plen + 1)
                        return -EBADMSG;
                const uint8_t *v = p + i;
                if (op == 0xc5) {
                        map = 1, l = v[0] & 4, pp = v[0] & 3, w = false;
                } else {
                        map = v[0] & 0x1f, w = v[1] & 0x80, l = v[1] & 4, pp = v[1] & 3;
                        if (op == 0x62)
                                map = v[0] & 7;
                }
                i += plen;
                uint8_t vop = p[i++];
                bool has_modrm = !(op == 0xc5 || op == 0xc4) || map != 1 || vop != 0x77; /* vzeroupper/all */
                m = has_modrm ? modrm_len(p + i, n - i) : 0;
                if (has_modrm && m == 0)
                        return -EBADMSG;
                uint8_t modrm = has_modrm ? p[i] : 0;
                i += m;
                if (op == 0x8f) {               /* XOP (AMD): in no level */
                        if (map < 8 || map > 10)
                                return -EBADMSG;
                        imm = map == 8 ? 1 : map == 10 ? 4 : 0;
                } else if (op == 0x62) {
                        if (map == 0 || map == 4 || map == 7 || !(v[1] & 4))
                                return -EBADMSG; /* map 4 is APX, not decoded; bit 2 of P1 is always 1 */
                        imm = map == 3 || (map == 1 && map1_imm8(vop)) ? 1 : 0;
                        feature = evex_feature(map, vop, pp, (v[2] >> 5) & 3, v[2] & 0x10, modrm);
                } else {
                        if (map < 1 || map > 3)
                                return -EBADMSG;
                        imm = map == 3 || (map == 1 && map1_imm8(vop)) ? 1 : 0;
                        feature = vex_feature(map, vop, pp, l, w, modrm);
                }
        } else if (op == 0x0f) {
                if (i >= n)
                        return -EBADMSG;
                uint8_t op2 = p[i++];
                if (op2 == 0x38 || op2 == 0x3a) {
                        if (i >= n)
                                return -EBADMSG;
                        uint8_t op3 = p[i++];
                        feature = op2 == 0x38 ? map_0f38(op3, pfx) : map_0f3a(op3, pfx);
                        imm = op2 == 0x3a ? 1 : 0;
                        m = modrm_len(p + i, n - i);
                } else {
                        flags = two_byte[op2];
                        m = 0;
                        if (!(flags & NM)) {
                                m = modrm_len(p + i, n - i);
                                if (m == 0)
                                        return -EBADMSG;
                        }
                        feature = map_0f(op2, pfx, rex & 8, m ? p[i] : 0);
                        cpuid = op2 == 0xa2;
                        imm = flags & I8 ? 1 : flags & I32 ? 4 : 0;
                        /* SSE4A extrq/insertq (AMD): two imm8 */
                        if (op2 == 0x78 && (pfx == PFX_66 || pfx == PFX_F2))
                                imm = 2;
                }
                if (!(flags & NM) && m == 0)
                        return -EBADMSG;
                i += m;
        } else {
                if (flags & (M | SP) && op != 0xa0 && op != 0xa1 && op != 0xa2 && op != 0xa3 &&
                    op != 0xc8 && !(op >= 0xb8 && op <= 0xbf)) {
                        m = modrm_len(p + i, n - i);
                        if (m == 0)
                                return -EBADMSG;
                        uint8_t reg = (p[i] >> 3) & 7;
                        if (op == 0xf6 && reg < 2)
                                imm = 1;
                        else if (op == 0xf7 && reg < 2)
                                imm = (rex & 8) || !o66 ? 4 : 2;
                        /* fisttp: DB /1, DD /1, DF /1 with memory */
                        if ((op == 0xdb || op == 0xdd || op == 0xdf) && reg == 1 && (p[i] >> 6) != 3)
                                feature = HWCAPS_F_SSE3;
                        i += m;
                }
                if (op >= 0xa0 && op <= 0xa3)
                        imm = a67 ? 4 : 8;      /* moffs */
                else if (op >= 0xb8 && op <= 0xbf)
                        imm = rex & 8 ? 8 : o66 ? 2 : 4;
                else if (op == 0xc8)
                        imm = 3;                /* enter */
                else if (flags & I8)
                        imm += 1;
                else if (flags & IZ)
                        imm += (rex & 8) || !o66 ? 4 : 2;
                else if (flags & I16)
                        imm = 2;
                else if (flags & I32)
                        imm = 4;
                if (op == 0x9e || op == 0x9f)
                        feature = HWCAPS_F_LAHF_SAHF;
        }
        if (imm > n - i)
                return -EBADMSG;
        i += imm;
        *ret = (struct x86_insn) { .len = (uint8_t) i, .feature = (int8_t) feature, .cpuid = cpuid };
        return 0;
}
