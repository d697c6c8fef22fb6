/* SPDX-License-Identifier: MIT */
#include <criterion/criterion.h>
#include <errno.h>
#include <libcpuid/libcpuid.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dump.h"

#define DATA TEST_DATA_DIR "/cpuid/"

static char *slurp(const char *path) {
        FILE *f = fopen(path, "r");
        cr_assert_not_null(f, "%s", path);
        char *buf = calloc(1, 1 << 20);
        size_t n = fread(buf, 1, (1 << 20) - 1, f);
        buf[n] = '\0';
        fclose(f);
        return buf;
}

static char tmp[64];

static void write_tmp(const char *text) {
        strcpy(tmp, "/tmp/hwcaps-dump-XXXXXX");
        int fd = mkstemp(tmp);
        cr_assert_geq(fd, 0);
        cr_assert_eq(write(fd, text, strlen(text)), (ssize_t) strlen(text));
        close(fd);
}

/* Copy of the one-CPU fixture with register reg (0..3 = EAX..EDX) of the line
 * "key=" replaced by (old & and_mask) | or_mask. */
static void edited(const char *key, int reg, uint32_t and_mask, uint32_t or_mask) {
        char *text = slurp(DATA "amd-epyc-zen4.raw");
        char *line = strstr(text, key);
        uint32_t r[4];

        cr_assert_not_null(line, "%s", key);
        char *eq = strchr(line, '=');
        cr_assert_eq(sscanf(eq + 1, "%x %x %x %x", &r[0], &r[1], &r[2], &r[3]), 4);
        r[reg] = (r[reg] & and_mask) | or_mask;
        char buf[64];
        snprintf(buf, sizeof buf, "%08x %08x %08x %08x", r[0], r[1], r[2], r[3]);
        memcpy(eq + 1, buf, 35);
        write_tmp(text);
        free(text);
}

static enum hwcaps_level level_of_tmp(void) {
        struct hwcaps_probe p;
        char err[256];
        int r = hwcaps_probe_dump(tmp, &p, err, sizeof err);
        cr_assert_eq(r, 0, "%s", err);
        unlink(tmp);
        return p.level;
}

static void expect_error(const char *text, const char *msg) {
        struct hwcaps_probe p;
        char err[512];
        write_tmp(text);
        cr_assert_eq(hwcaps_probe_dump(tmp, &p, err, sizeof err), -EINVAL);
        cr_assert(strstr(err, tmp), "error names the file: %s", err);
        cr_assert(strstr(err, msg), "expected \"%s\" in \"%s\"", msg, err);
        unlink(tmp);
}

Test(dump, this_machine_is_v4_with_xcr0_from_leaf_d) {
        struct hwcaps_probe p;
        char err[256];
        cr_assert_eq(hwcaps_probe_dump(DATA "amd-epyc-zen4.raw", &p, err, sizeof err), 0, "%s", err);
        cr_assert_eq(p.level, HWCAPS_LEVEL_V4);
        cr_assert_str_eq(p.cpuid.vendor, "AuthenticAMD");
        cr_assert(p.xcr0_assumed);
        cr_assert_eq(p.cpuid.xcr0, 0xe7);
        cr_assert_eq(p.source, HWCAPS_SOURCE_DUMP);
}

Test(dump, multi_cpu_dump_reads_the_first_cpu) {
        struct hwcaps_probe p;
        char err[256];
        cr_assert_eq(hwcaps_probe_dump(DATA "amd-epyc-zen4-2cpu.raw", &p, err, sizeof err), 0, "%s", err);
        cr_assert_eq(p.level, HWCAPS_LEVEL_V4);
}

Test(dump, libcpuid_decoded_flags_would_be_wrong_on_zen4) {
        /* Why levels come from registers: libcpuid 0.6.2 decodes no AVX-512
         * on Zen 4, where ld.so says x86-64-v4. If a newer libcpuid fixes
         * this, this test documents the change rather than the engine. */
        struct cpu_raw_data_array_t all = { 0 };
        struct cpu_id_t id;
        cr_assert_eq(cpuid_deserialize_all_raw_data(&all, DATA "amd-epyc-zen4.raw"), 0);
        cr_assert_eq(cpu_identify(&all.raw[0], &id), 0);
        cr_expect_eq(id.flags[CPU_FEATURE_AVX512F], 0);
        cpuid_free_raw_data_array(&all);
}

Test(dump, boundaries) {
        edited("basic_cpuid[7]=", 1, ~(1u << 16), 0);   /* AVX512F */
        cr_expect_eq(level_of_tmp(), HWCAPS_LEVEL_V3, "no AVX512F");
        edited("basic_cpuid[7]=", 1, ~(1u << 31), 0);   /* AVX512VL */
        cr_expect_eq(level_of_tmp(), HWCAPS_LEVEL_V3, "no AVX512VL");
        edited("basic_cpuid[13]=", 0, 0x7, 0);          /* no ZMM/opmask state */
        cr_expect_eq(level_of_tmp(), HWCAPS_LEVEL_V3, "leaf 0xD without AVX-512 state");
        edited("basic_cpuid[13]=", 0, 0x3, 0);          /* no YMM state */
        cr_expect_eq(level_of_tmp(), HWCAPS_LEVEL_V2, "leaf 0xD without YMM state");
        edited("basic_cpuid[7]=", 1, ~(1u << 5), 0);    /* AVX2 */
        cr_expect_eq(level_of_tmp(), HWCAPS_LEVEL_V2, "no AVX2");
        edited("basic_cpuid[1]=", 2, ~(1u << 27), 0);   /* OSXSAVE */
        cr_expect_eq(level_of_tmp(), HWCAPS_LEVEL_V2, "no OSXSAVE");
        edited("ext_cpuid[1]=", 2, ~(1u << 5), 0);      /* LZCNT */
        cr_expect_eq(level_of_tmp(), HWCAPS_LEVEL_V2, "no LZCNT");
        edited("basic_cpuid[1]=", 2, ~(1u << 23), 0);   /* POPCNT */
        cr_expect_eq(level_of_tmp(), HWCAPS_LEVEL_V1, "no POPCNT");
        edited("ext_cpuid[1]=", 2, ~1u, 0);             /* LAHF/SAHF */
        cr_expect_eq(level_of_tmp(), HWCAPS_LEVEL_V1, "no LAHF_SAHF");
        edited("basic_cpuid[1]=", 3, ~(1u << 26), 0);   /* SSE2 */
        cr_expect_eq(level_of_tmp(), HWCAPS_LEVEL_NONE, "no SSE2");
        edited("basic_cpuid[0]=", 0, 0, 6);             /* max basic leaf 6 */
        cr_expect_eq(level_of_tmp(), HWCAPS_LEVEL_V2, "max leaf 6");
}

Test(dump, malformed_line_names_file_and_line) {
        expect_error("version=0.6.2\n\nbasic_cpuid[0]=0000001c 68747541 444d4163 69746e65\nbasic_cpuid[1]=zz\n", ":4: expected");
        expect_error("basic_cpuid[0]=0000001c 68747541 444d4163\n", ":1: expected");
        expect_error("basic_cpuid[0]=0000001c 68747541 444d4163 69746e65 00000000\n", ":1: expected");
        expect_error("basic_cpuid[0]=0000001c 68747541 444d4163 169746e65\n", ":1: expected");
        expect_error("basic_cpuid0]=0000001c 68747541 444d4163 69746e65\n", ":1: expected");
        expect_error("hello world\n", ":1: expected");
}

Test(dump, empty_and_truncated_dumps) {
        expect_error("", "holds no CPUID registers");
        expect_error("version=0.6.2\n\n", "holds no CPUID registers");
        expect_error("basic_cpuid[0]=00000001 68747541 444d4163 69746e65\n", "truncated");
        expect_error("basic_cpuid[0]=0000000d 68747541 444d4163 69746e65\n"
                     "basic_cpuid[1]=00b00f21 00020800 fffa3203 178bfbff\n"
                     "ext_cpuid[0]=80000001 00000000 00000000 00000000\n", "leaves 7/0xD");
        expect_error("basic_cpuid[0]=00000001 68747541 444d4163 69746e65\n"
                     "basic_cpuid[1]=00b00f21 00020800 fffa3203 178bfbff\n"
                     "ext_cpuid[0]=80000008 00000000 00000000 00000000\n", "ext_cpuid[1]");
        /* cut in the middle of a line */
        char *text = slurp(DATA "amd-epyc-zen4.raw");
        char *cut = strstr(text, "basic_cpuid[7]=") + 20;
        *cut = '\0';
        expect_error(text, "expected");
        free(text);
}

Test(dump, binary_and_unreadable_inputs) {
        struct hwcaps_probe p;
        char err[512];
        static const char bin[] = "basic_cpuid[0]=0000001c\0\x01\x02";
        strcpy(tmp, "/tmp/hwcaps-dump-XXXXXX");
        int fd = mkstemp(tmp);
        cr_assert_eq(write(fd, bin, sizeof bin), (ssize_t) sizeof bin);
        close(fd);
        cr_assert_eq(hwcaps_probe_dump(tmp, &p, err, sizeof err), -EINVAL);
        cr_assert(strstr(err, "NUL"), "%s", err);
        unlink(tmp);

        cr_assert_eq(hwcaps_probe_dump("/nonexistent/dump.raw", &p, err, sizeof err), -ENOENT);
        cr_assert(strstr(err, "/nonexistent/dump.raw: No such file"), "%s", err);
        cr_assert_eq(hwcaps_probe_dump("/tmp", &p, err, sizeof err), -EINVAL);
        cr_assert(strstr(err, "not a regular file"), "%s", err);
}

Test(dump, oversized_dump_is_refused) {
        struct hwcaps_probe p;
        char err[512];
        strcpy(tmp, "/tmp/hwcaps-dump-XXXXXX");
        int fd = mkstemp(tmp);
        cr_assert_eq(ftruncate(fd, (2 << 20)), 0);
        close(fd);
        cr_assert_eq(hwcaps_probe_dump(tmp, &p, err, sizeof err), -EFBIG);
        cr_assert(strstr(err, "too large"), "%s", err);
        unlink(tmp);
}
