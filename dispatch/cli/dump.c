/* SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <libcpuid/libcpuid.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dump.h"
#include "macro.h"

#define DUMP_MAX (1 << 20)

static int read_file(const char *path, char **ret, size_t *size) {
        /* O_NONBLOCK: a FIFO (or a terminal) named as the dump must not
         * hang open(); fstat() then refuses it. */
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        _cleanup_free_ char *buf = NULL;
        struct stat st;
        size_t n = 0;

        if (fd < 0 || fstat(fd, &st) < 0)
                return negative_errno();
        if (!S_ISREG(st.st_mode))
                return -EINVAL;
        buf = malloc(DUMP_MAX + 1);
        if (!buf)
                return -ENOMEM;
        for (;;) {
                ssize_t k = read(fd, buf + n, DUMP_MAX + 1 - n);
                if (k < 0)
                        return negative_errno();
                if (k == 0)
                        break;
                n += (size_t) k;
                if (n > DUMP_MAX)
                        return -EFBIG;
        }
        buf[n] = '\0';
        *ret = buf;
        buf = NULL;
        *size = n;
        return 0;
}

static bool hex_reg(const char **s, const char *end, uint32_t *v) {
        const char *p = *s;

        *v = 0;
        for (; p < end && isxdigit((unsigned char) *p); p++)
                *v = *v * 16 + (uint32_t) (*p <= '9' ? *p - '0' : (*p | 0x20) - 'a' + 10);
        if (p == *s)
                return false;
        *s = p;
        return true;
}

/* The registers of the first logical CPU in a dump that
 * hwcaps_dump_validate() accepted, into libcpuid's struct, as its
 * cpuid_deserialize_all_raw_data() would put them into raw[0]. We do not let
 * libcpuid read the file a second time: a read error there went unnoticed
 * and gave a wrong level with exit status 0, and a failed allocation there
 * crashed (libcpuid 0.6.2; both found by tests/faults). */
static void parse_first_cpu(const char *buf, size_t n, struct cpu_raw_data_t *raw) {
        const struct {
                const char *name;
                uint32_t (*regs)[NUM_REGS];
                unsigned count;
        } arrays[] = {
                { "basic_cpuid", raw->basic_cpuid, MAX_CPUID_LEVEL },
                { "ext_cpuid", raw->ext_cpuid, MAX_EXT_CPUID_LEVEL },
                { "intel_fn4", raw->intel_fn4, MAX_INTELFN4_LEVEL },
                { "intel_fn11", raw->intel_fn11, MAX_INTELFN11_LEVEL },
                { "intel_fn12h", raw->intel_fn12h, MAX_INTELFN12H_LEVEL },
                { "intel_fn14h", raw->intel_fn14h, MAX_INTELFN14H_LEVEL },
                { "amd_fn8000001dh", raw->amd_fn8000001dh, MAX_AMDFN8000001DH_LEVEL },
        };
        static const char header[] = "_________________ Logical CPU #";
        const char *p = buf, *end = buf + n;
        unsigned long cpu = 0;

        memset(raw, 0, sizeof *raw);
        for (; p < end; p++) {
                const char *nl = memchr(p, '\n', (size_t) (end - p)), *le = nl ? nl : end;
                const char *br = memchr(p, '[', (size_t) (le - p));

                /* libcpuid's header, exactly: its number says which CPU the
                 * lines below belong to; lines before any header are CPU 0. */
                if ((size_t) (le - p) > sizeof header - 1 && memcmp(p, header, sizeof header - 1) == 0 &&
                    p[sizeof header - 1] >= '0' && p[sizeof header - 1] <= '9') {
                        cpu = strtoul(p + sizeof header - 1, NULL, 10);
                        br = NULL;
                }
                for (size_t a = 0; br && cpu == 0 && a < ELEMENTSOF(arrays); a++) {
                        const char *q = br + 1;
                        unsigned idx = 0;
                        uint32_t v[NUM_REGS];

                        if ((size_t) (br - p) != strlen(arrays[a].name) ||
                            memcmp(p, arrays[a].name, (size_t) (br - p)) != 0)
                                continue;
                        while (q < le && *q >= '0' && *q <= '9' && idx < 100000)
                                idx = idx * 10 + (unsigned) (*q++ - '0');
                        if (q + 1 >= le || q[0] != ']' || q[1] != '=')
                                break;
                        q += 2;
                        /* The validator checked the syntax: four registers. */
                        for (int r = 0; r < NUM_REGS; r++) {
                                if (!hex_reg(&q, le, &v[r]))
                                        break;
                                if (q < le && *q == ' ')
                                        q++;
                        }
                        if (idx < arrays[a].count)
                                memcpy(arrays[a].regs[idx], v, sizeof v);
                        break;
                }
                p = le;
        }
}

static void copy_brand(struct hwcaps_probe *p, const struct cpu_id_t *id) {
        snprintf(p->brand, sizeof p->brand, "%s", id->brand_str[0] ? id->brand_str : id->cpu_codename);
}

int hwcaps_probe_dump(const char *path, struct hwcaps_probe *p, char *err, size_t errsize) {
        _cleanup_free_ char *buf = NULL;
        struct cpu_raw_data_t raw;
        struct cpu_id_t id;
        const char *msg;
        size_t n, line;
        int r;

        r = read_file(path, &buf, &n);
        if (r < 0) {
                snprintf(err, errsize, "%s: %s", path,
                         r == -EFBIG ? "too large for a CPUID dump (over 1 MiB)" :
                         r == -EINVAL ? "not a regular file" : strerror(-r));
                return r;
        }
        r = hwcaps_dump_validate(buf, n, &line, &msg);
        if (r < 0) {
                if (line > 0)
                        snprintf(err, errsize, "%s:%zu: %s", path, line, msg);
                else
                        snprintf(err, errsize, "%s: %s", path, msg);
                return r;
        }
        /* cpuid_tool 0.6.2 --save writes every logical CPU; the first one
         * speaks for the machine (levels do not differ between cores). */
        parse_first_cpu(buf, n, &raw);

        *p = (struct hwcaps_probe) { .source = HWCAPS_SOURCE_DUMP };
        struct hwcaps_cpuid *c = &p->cpuid;
        c->max_basic = raw.basic_cpuid[0][EAX];
        memcpy(c->vendor + 0, &raw.basic_cpuid[0][EBX], 4);
        memcpy(c->vendor + 4, &raw.basic_cpuid[0][EDX], 4);
        memcpy(c->vendor + 8, &raw.basic_cpuid[0][ECX], 4);
        c->max_extended = raw.ext_cpuid[0][EAX];
        /* libcpuid stores subleaf 0 of every basic leaf (7 and 0xD too) in
         * basic_cpuid, the extended leaves in ext_cpuid. A dump is data:
         * every register it holds is taken as it is, also above the leaf
         * maxima it states (hwcaps_view_from_cpuid() leaves those out, as
         * for the instructions); fuzz-dump compares them with libcpuid's. */
        _Static_assert((int) EAX == HWCAPS_OUT_EAX && (int) EBX == HWCAPS_OUT_EBX && (int) ECX == HWCAPS_OUT_ECX &&
                               (int) EDX == HWCAPS_OUT_EDX,
                       "libcpuid's register order is enum hwcaps_out's");
        for (unsigned r = 0; r < HWCAPS_REG_COUNT; r++) {
                const struct hwcaps_reg_info *ri = &hwcaps_reg_table[r];
                uint32_t i = ri->leaf & ~HWCAPS_LEAF_EXTENDED;

                if (ri->subleaf != 0)
                        continue;
                if (ri->leaf < HWCAPS_LEAF_EXTENDED && i < MAX_CPUID_LEVEL)
                        c->reg[r] = raw.basic_cpuid[i][ri->out];
                else if (ri->leaf >= HWCAPS_LEAF_EXTENDED && i < MAX_EXT_CPUID_LEVEL)
                        c->reg[r] = raw.ext_cpuid[i][ri->out];
        }
        c->osxsave = (c->reg[HWCAPS_REG_1_ECX] >> 27) & 1u;
        if (c->max_basic >= 0xd)
                c->leaf_d_eax = raw.basic_cpuid[0xd][EAX];
        /* A dump has no XCR0. Linux enables every state component the CPU
         * reports in CPUID.(EAX=0xD,ECX=0):EAX (arch/x86/kernel/fpu/xstate.c,
         * minus components it does not know), so take those as enabled. */
        if (c->osxsave) {
                c->xcr0 = c->leaf_d_eax;
                p->xcr0_assumed = true;
        }
        hwcaps_view_from_cpuid(c, &p->view);
        p->level = hwcaps_level_from_usable(p->view.usable);

        if (cpu_identify(&raw, &id) == 0)
                copy_brand(p, &id);
        return 0;
}

void hwcaps_probe_brand_live(struct hwcaps_probe *p) {
        struct cpu_id_t id;

        if (cpu_identify(NULL, &id) == 0)
                copy_brand(p, &id);
}
