/* SPDX-License-Identifier: MIT */
/* CPUID dump reading: hwcaps_dump_validate() (dispatch/cli/dump-validate.c) and,
 * for what it accepts, the whole hwcaps_probe_dump() path through libcpuid's
 * reader, as `hwcaps explain --cpuid FILE` runs it. Properties:
 *  - an accepted dump has basic_cpuid[0], basic_cpuid[1] and ext_cpuid[0]
 *    lines (checked here by a separate scan) and no NUL byte;
 *  - a rejected one names a line that exists (or 0) and a message;
 *  - the verdict does not change when a final newline is added;
 *  - hwcaps_probe_dump() agrees with the validator and yields a level 0..4;
 *  - its registers are those libcpuid's own reader (which hwcaps used
 *    before; see dump.c) puts into raw[0] for the first logical CPU. */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <libcpuid/libcpuid.h>

#include "dump.h"
#include "fuzz.h"

/* Is there a line "NAME[idx]=" with idx == want (leading zeros allowed, as
 * the validator allows up to four digits)? */
static bool has_leaf(const char *s, size_t n, const char *name, unsigned want) {
        size_t nl = strlen(name);

        for (size_t i = 0; i < n;) {
                const char *e = memchr(s + i, '\n', n - i);
                size_t len = e ? (size_t) (e - (s + i)) : n - i;
                const char *l = s + i;

                if (len > nl + 2 && memcmp(l, name, nl) == 0 && l[nl] == '[') {
                        size_t j = nl + 1;
                        unsigned v = 0;

                        while (j < len && l[j] >= '0' && l[j] <= '9' && v < 100000)
                                v = v * 10 + (unsigned) (l[j++] - '0');
                        if (j > nl + 1 && j + 1 < len && l[j] == ']' && l[j + 1] == '=' && v == want)
                                return true;
                }
                i += len + 1;
        }
        return false;
}

static size_t count_lines(const char *s, size_t n) {
        size_t lines = 1;

        for (size_t i = 0; i < n; i++)
                lines += s[i] == '\n';
        return lines;
}

static void quiet(const char *msg) {
        (void) msg;
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
        (void) argc, (void) argv;
        cpuid_set_warn_function(quiet); /* "line N not understood" */
        return 0;
}

/* The registers the engine uses must be libcpuid's raw[0]. */
static void compare_with_libcpuid(const char *path, const struct hwcaps_probe *p) {
        struct cpu_raw_data_array_t all = { 0 };
        const struct hwcaps_cpuid *c = &p->cpuid;

        if (cpuid_deserialize_all_raw_data(&all, path) < 0 || all.num_raw == 0) {
                cpuid_free_raw_data_array(&all);
                return;
        }
        const struct cpu_raw_data_t *r = &all.raw[0];
        FUZZ_CHECK(c->max_basic == r->basic_cpuid[0][EAX], "leaf 0 EAX %x vs libcpuid %x", c->max_basic, r->basic_cpuid[0][EAX]);
        FUZZ_CHECK(c->reg[HWCAPS_REG_1_ECX] == r->basic_cpuid[1][ECX], "leaf 1 ECX");
        FUZZ_CHECK(c->reg[HWCAPS_REG_1_EDX] == r->basic_cpuid[1][EDX], "leaf 1 EDX");
        FUZZ_CHECK(c->max_basic < 7 || c->reg[HWCAPS_REG_7_EBX] == r->basic_cpuid[7][EBX], "leaf 7 EBX");
        FUZZ_CHECK(c->max_basic < 0xd || c->leaf_d_eax == r->basic_cpuid[0xd][EAX], "leaf 0xD EAX");
        FUZZ_CHECK(c->max_extended == r->ext_cpuid[0][EAX], "leaf 0x80000000 EAX %x vs libcpuid %x",
                   c->max_extended, r->ext_cpuid[0][EAX]);
        FUZZ_CHECK(c->max_extended < 0x80000001u || c->reg[HWCAPS_REG_80000001_ECX] == r->ext_cpuid[1][ECX],
                   "leaf 0x80000001 ECX");
        cpuid_free_raw_data_array(&all);
}

static bool first_register_is_basic(const char *s, size_t n) {
        for (size_t i = 0; i < n;) {
                const char *e = memchr(s + i, '\n', n - i);
                size_t len = e ? (size_t) (e - (s + i)) : n - i;

                if (memchr(s + i, '[', len) && memchr(s + i, '=', len))
                        return len >= 12 && memcmp(s + i, "basic_cpuid[", 12) == 0;
                i += len + 1;
        }
        return false;
}

/* hwcaps_probe_dump() reads a path: hand it a memfd. */
static int probe(const char *s, size_t n, struct hwcaps_probe *p, char *err, size_t errsize) {
        char path[64];
        int fd = memfd_create("hwcaps-fuzz-dump", MFD_CLOEXEC), r;

        FUZZ_CHECK(fd >= 0, "memfd_create: %s", strerror(errno));
        FUZZ_CHECK(write(fd, s, n) == (ssize_t) n, "write to memfd");
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
        r = hwcaps_probe_dump(path, p, err, errsize);
        /* libcpuid 0.6.2 drops a last line without '\n' (the old reader
         * then saw no basic_cpuid[0] in a file the validator accepted, and
         * said x86-64-v1 or less); hwcaps reads it. And libcpuid's reader
         * crashes (SIGSEGV) when a register line other than basic_cpuid
         * comes first, e.g. ext_cpuid[0]: hwcaps crashed on such a dump
         * until it stopped letting libcpuid read dumps. */
        if (r == 0 && n > 0 && s[n - 1] == '\n' && first_register_is_basic(s, n))
                compare_with_libcpuid(path, p);
        close(fd);
        return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        const char *in = (const char *) data;
        const char *msg = NULL, *msg2 = NULL;
        size_t line = (size_t) -1, line2;
        struct hwcaps_probe p;
        char err[512];
        char *nl;
        int r, r2;

        r = hwcaps_dump_validate(in, size, &line, &msg);
        FUZZ_CHECK(r == 0 || r == -EINVAL, "returned %d", r);
        if (r < 0) {
                FUZZ_CHECK(msg && *msg, "rejected without a message");
                FUZZ_CHECK(line <= count_lines(in, size), "line %zu of %zu", line, count_lines(in, size));
        } else {
                FUZZ_CHECK(!memchr(in, '\0', size), "accepted a NUL byte");
                FUZZ_CHECK(has_leaf(in, size, "basic_cpuid", 0) && has_leaf(in, size, "basic_cpuid", 1),
                           "accepted without basic_cpuid[0..1]");
                FUZZ_CHECK(has_leaf(in, size, "ext_cpuid", 0), "accepted without ext_cpuid[0]");
        }

        nl = malloc(size + 1);
        if (!nl)
                abort();
        memcpy(nl, in, size);
        nl[size] = '\n';
        r2 = hwcaps_dump_validate(nl, size + 1, &line2, &msg2);
        FUZZ_CHECK(r == r2, "a final newline changed the verdict (%d -> %d)", r, r2);
        FUZZ_CHECK(r == 0 || (line == line2 && strcmp(msg, msg2) == 0), "a final newline moved the error");
        free(nl);

        /* libcpuid's reader is a dependency, but a crash in it is ours to
         * prevent by rejecting the input first. */
        if (size <= 64 * 1024) {
                memset(&p, 0x5a, sizeof p);
                err[0] = '\0';
                r2 = probe(in, size, &p, err, sizeof err);
                FUZZ_CHECK(r2 == 0 || err[0], "probe failed (%d) without a message", r2);
                if (r < 0)
                        FUZZ_CHECK(r2 < 0, "probe accepted what the validator rejects");
                if (r2 == 0)
                        FUZZ_CHECK(p.level <= HWCAPS_LEVEL_MAX && p.source == HWCAPS_SOURCE_DUMP,
                                   "level %d", (int) p.level);
        }
        return 0;
}
