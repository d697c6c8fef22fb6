/* SPDX-License-Identifier: MIT */
/* The instruction audit of hwcaps check: which level a program's or
 * library's code needs, read from its instructions (x86-decode.h), against
 * the level of its directory. The ISA marker (elf-note.h) says what the
 * linker was told; a -march=native after $CFLAGS puts AVX-512 code into a
 * "v2" variant whose marker still says v2. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "x86-decode.h"

struct hwcaps_isa_result {
        /* The first instruction above the limit outside functions chosen at
         * run time (hwcaps_isa_function_allowed). */
        bool found;
        uint64_t addr;
        int feature;                  /* enum hwcaps_feature */
        uint8_t bytes[X86_INSN_MAX];
        uint8_t len;
        char function[256];           /* its symbol ("" when none), raw bytes: escape to show */
        uint64_t offset;              /* addr - the symbol's start */

        int code_level;               /* highest level of the code outside those functions */
        bool symbols;                 /* a .symtab: every function has a name */
        bool asks_cpu;                /* a CPUID instruction, an IFUNC, or glibc's or libgcc's CPU feature data */
        size_t instructions, undecodable;
};

/* Sweeps the executable sections of the ELF image buf[0..n) (untrusted:
 * every offset is checked). limit: the level of the file's directory.
 * allow: NULL-terminated globs of function names chosen at run time
 * (--allow-function), or NULL. 0 and *ret; -ENOEXEC (not a 64-bit x86-64
 * ELF file) or -EBADMSG (malformed), with *reason. */
int hwcaps_isa_audit(const void *buf, size_t n, int limit, char *const *allow,
                     struct hwcaps_isa_result *ret, const char **reason);

/* hwcaps_isa_audit() on the file open on fd (mapped). */
int hwcaps_isa_audit_fd(int fd, int limit, char *const *allow, struct hwcaps_isa_result *ret, const char **reason);

/* Whether the function name marks code chosen at run time: a feature of the
 * level table, "avx512", "evex" or a level ("x86_64_v3") as a word of the
 * name (glibc's __memcpy_avx_unaligned, zstd's *_bmi2, gcc's target_clones
 * foo.avx2.0 and foo.arch_x86_64_v3.0), or a glob of allow. */
bool hwcaps_isa_function_allowed(const char *name, size_t len, char *const *allow);

enum hwcaps_isa_verdict {
        HWCAPS_ISA_OK,
        HWCAPS_ISA_ABOVE,          /* fail: code above the directory's level */
        HWCAPS_ISA_ABOVE_UNSURE,   /* warn: the same, but stripped and asking the CPU: may be dispatched */
        HWCAPS_ISA_NEVER_REACHED,  /* warn: a variant whose code and marker need only the baseline */
};

/* What the result means for a file in a level directory of level dir_level
 * whose ISA marker asks for marker_level (1 when none). */
enum hwcaps_isa_verdict hwcaps_isa_verdict(const struct hwcaps_isa_result *r, int dir_level, int marker_level);

/* The message for a verdict other than OK (without the file name), for
 * the caller to free; NULL when out of memory. */
char *hwcaps_isa_message(const struct hwcaps_isa_result *r, enum hwcaps_isa_verdict v, int dir_level);
