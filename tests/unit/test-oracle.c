/* SPDX-License-Identifier: MIT */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "oracle.h"

static int parse(const char *s, unsigned *levels) {
        return hwcaps_oracle_parse(s, strlen(s), levels);
}

/* Verbatim layout of glibc 2.36's elf/dl-usage.c output. */
static const char v3_machine[] =
        "You have invoked 'ld.so', the program interpreter for dynamically-linked\n"
        "...\n"
        "Subdirectories of glibc-hwcaps directories, in priority order:\n"
        "  x86-64-v4\n"
        "  x86-64-v3 (supported, searched)\n"
        "  x86-64-v2 (supported, searched)\n"
        "\n"
        "Legacy HWCAP subdirectories under library search path directories:\n"
        "  x86_64 (AT_PLATFORM; supported, searched)\n"
        "  x86-64-v4 (supported, searched)\n";

Test(oracle, reads_only_the_glibc_hwcaps_section) {
        unsigned l = 0;
        cr_assert_eq(parse(v3_machine, &l), 0);
        cr_assert_eq(l, (1u << 3) | (1u << 2));
}

Test(oracle, nothing_supported) {
        unsigned l = 99;
        cr_assert_eq(parse("Subdirectories of glibc-hwcaps directories, in priority order:\n  x86-64-v4\n  x86-64-v3\n  x86-64-v2\n", &l), 0);
        cr_assert_eq(l, 0);
}

Test(oracle, missing_section_is_enodata) {
        unsigned l;
        cr_assert_eq(parse("Usage: ld.so [OPTION]...\n", &l), -ENODATA);
        cr_assert_eq(parse("", &l), -ENODATA);
}

Test(oracle, truncated_output_stops_cleanly) {
        unsigned l = 0;
        cr_assert_eq(parse("Subdirectories of glibc-hwcaps directories, in priority order:\n  x86-64-v2 (suppo", &l), 0);
        cr_assert_eq(l, 0);
        cr_assert_eq(parse("Subdirectories of glibc-hwcaps directories", &l), 0);
        cr_assert_eq(l, 0);
}

Test(oracle, real_dynamic_linker_answers) {
        unsigned l = 0;
        cr_assert_eq(hwcaps_oracle_run(LDSO_PATH, &l), 0);
        cr_assert_eq(l & ~0x1cu, 0u, "only v2..v4 bits");
}

Test(oracle, missing_dynamic_linker_is_an_error) {
        unsigned l;
        cr_assert_lt(hwcaps_oracle_run("/nonexistent/ld.so", &l), 0);
}
