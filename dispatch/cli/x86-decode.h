/* SPDX-License-Identifier: MIT */
/* One x86-64 instruction: its length, and the feature of the level table
 * (level.h) it needs above the baseline, if any. Enough to sweep a file's
 * code and say which level it needs; not a disassembler (no operands, no
 * mnemonics). Why purpose-built and not capstone: see x86-decode.c. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define X86_INSN_MAX 15 /* Intel SDM vol. 2A, 2.3.11: longer is #UD */

struct x86_insn {
        uint8_t len;
        int8_t feature;   /* enum hwcaps_feature above the baseline, or -1 */
        bool cpuid;       /* the CPUID instruction: the code asks the CPU */
};

/* Decodes the instruction at p[0..n) (untrusted bytes; never reads past n).
 * 0 and *ret; -EBADMSG for bytes that are no valid 64-bit instruction, or
 * run past n. A sweep steps one byte on -EBADMSG. Pure. */
int x86_decode(const uint8_t *p, size_t n, struct x86_insn *ret);
