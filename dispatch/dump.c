/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <libcpuid/libcpuid.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "dump.h"
#include "macro.h"

#define DUMP_MAX (1 << 20)

static int read_file(const char *path, char **ret, size_t *size) {
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
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

static void copy_brand(struct hwcaps_probe *p, const struct cpu_id_t *id) {
        snprintf(p->brand, sizeof p->brand, "%s", id->brand_str[0] ? id->brand_str : id->cpu_codename);
}

int hwcaps_probe_dump(const char *path, struct hwcaps_probe *p, char *err, size_t errsize) {
        _cleanup_free_ char *buf = NULL;
        struct cpu_raw_data_array_t all = { 0 };
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
        if (cpuid_deserialize_all_raw_data(&all, path) < 0 || all.num_raw == 0) {
                snprintf(err, errsize, "%s: libcpuid cannot read it: %s", path, cpuid_error());
                cpuid_free_raw_data_array(&all);
                return -EINVAL;
        }
        raw = all.raw[0];
        cpuid_free_raw_data_array(&all);

        *p = (struct hwcaps_probe) { .source = HWCAPS_SOURCE_DUMP };
        struct hwcaps_cpuid *c = &p->cpuid;
        c->max_basic = raw.basic_cpuid[0][EAX];
        memcpy(c->vendor + 0, &raw.basic_cpuid[0][EBX], 4);
        memcpy(c->vendor + 4, &raw.basic_cpuid[0][EDX], 4);
        memcpy(c->vendor + 8, &raw.basic_cpuid[0][ECX], 4);
        c->reg[HWCAPS_REG_1_ECX] = raw.basic_cpuid[1][ECX];
        c->reg[HWCAPS_REG_1_EDX] = raw.basic_cpuid[1][EDX];
        c->osxsave = (raw.basic_cpuid[1][ECX] >> 27) & 1u;
        /* libcpuid stores leaf 7 and leaf 0xD at subleaf 0. */
        if (c->max_basic >= 7)
                c->reg[HWCAPS_REG_7_EBX] = raw.basic_cpuid[7][EBX];
        if (c->max_basic >= 0xd)
                c->leaf_d_eax = raw.basic_cpuid[0xd][EAX];
        c->max_extended = raw.ext_cpuid[0][EAX];
        if (c->max_extended >= 0x80000001u)
                c->reg[HWCAPS_REG_80000001_ECX] = raw.ext_cpuid[1][ECX];
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
