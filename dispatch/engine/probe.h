/* SPDX-License-Identifier: MIT */
/* Feature sources: where the CPUID registers (or glibc's verdict on them)
 * come from. All feed the same engine in level.c. */
#pragma once

#include <stddef.h>

#include "level.h"

enum hwcaps_source {
        HWCAPS_SOURCE_GLIBC, /* <sys/platform/x86.h>: glibc's own view, honours GLIBC_TUNABLES */
        HWCAPS_SOURCE_CPUID, /* the CPUID and XGETBV instructions */
        HWCAPS_SOURCE_DUMP,  /* a libcpuid raw dump file (cpuid_tool --save) */
};

struct hwcaps_probe {
        enum hwcaps_source source;
        struct hwcaps_cpuid cpuid;  /* registers; for glibc, read alongside for OS state */
        struct hwcaps_view view;
        enum hwcaps_level level;
        bool xcr0_assumed;          /* dump: XCR0 taken from CPUID leaf 0xD */
        char brand[64];             /* CPU name when known (libcpuid), else "" */
};

const char *hwcaps_source_name(enum hwcaps_source s);
int hwcaps_source_parse(const char *s);

void hwcaps_probe_cpuid(struct hwcaps_probe *p);
void hwcaps_probe_glibc(struct hwcaps_probe *p);

/* "7.0:EBX": the leaf, its subleaf where the leaf has subleaves (basic
 * leaves from 4 on), the output register: hwcaps_reg_table as explain
 * prints it. */
const char *hwcaps_reg_name(enum hwcaps_reg r, char buf[static 24]);
