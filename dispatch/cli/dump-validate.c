/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "dump.h"

static bool is_hex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* "name[index]=XXXXXXXX XXXXXXXX XXXXXXXX XXXXXXXX", as libcpuid's
 * cpuid_serialize_raw_data() writes it (0.6.2: "%s[%d]=%08x %08x %08x %08x"). */
struct seen {
        uint32_t basic, ext;          /* bit i: basic_cpuid[i] / ext_cpuid[i] present */
        uint32_t max_basic, max_ext;  /* EAX of basic_cpuid[0] / ext_cpuid[0] */
};

static uint32_t hex_value(const char *s, size_t n) {
        uint32_t v = 0;
        for (size_t i = 0; i < n; i++)
                v = v * 16 + (uint32_t) (s[i] <= '9' ? s[i] - '0' : (s[i] | 0x20) - 'a' + 10);
        return v;
}

static bool register_line(const char *s, size_t n, struct seen *seen) {
        size_t i = 0, start, name_len, index = 0;

        while (i < n && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
                i++;
        if (i == 0 || i >= n || s[i] != '[')
                return false;
        name_len = i;
        start = ++i;
        while (i < n && s[i] >= '0' && s[i] <= '9' && i - start < 4)
                index = index * 10 + (size_t) (s[i++] - '0');
        if (i == start || i + 1 >= n || s[i] != ']' || s[i + 1] != '=')
                return false;
        i += 2;
        for (int reg = 0; reg < 4; reg++) {
                size_t digits = 0;

                if (reg > 0) {
                        if (i >= n || s[i] != ' ')
                                return false;
                        i++;
                }
                while (i < n && is_hex(s[i]) && digits < 9)
                        i++, digits++;
                if (digits == 0 || digits > 8)
                        return false;
                if (reg == 0 && index == 0 && name_len == 11 && memcmp(s, "basic_cpuid", 11) == 0)
                        seen->max_basic = hex_value(s + i - digits, digits);
                if (reg == 0 && index == 0 && name_len == 9 && memcmp(s, "ext_cpuid", 9) == 0)
                        seen->max_ext = hex_value(s + i - digits, digits);
        }
        if (index < 32 && name_len == 11 && memcmp(s, "basic_cpuid", 11) == 0)
                seen->basic |= UINT32_C(1) << index;
        if (index < 32 && name_len == 9 && memcmp(s, "ext_cpuid", 9) == 0)
                seen->ext |= UINT32_C(1) << index;
        while (i < n && (s[i] == ' ' || s[i] == '\r' || s[i] == '\t'))
                i++;
        return i == n;
}

static bool all_space(const char *s, size_t n) {
        for (size_t i = 0; i < n; i++)
                if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
                        return false;
        return true;
}

int hwcaps_dump_validate(const char *buf, size_t n, size_t *line, const char **msg) {
        size_t lineno = 0, regs = 0;
        struct seen seen = { 0 };
        const char *p = buf, *end = buf + n;

        if (memchr(buf, '\0', n)) {
                *line = 0;
                *msg = "contains NUL bytes: not a text dump";
                return -EINVAL;
        }
        while (p < end) {
                const char *nl = memchr(p, '\n', (size_t) (end - p));
                size_t len = nl ? (size_t) (nl - p) : (size_t) (end - p);

                lineno++;
                if (all_space(p, len) || (len >= 8 && memcmp(p, "version=", 8) == 0) ||
                    (len >= 1 && p[0] == '_' && memmem(p, len, "Logical CPU #", 13)))
                        ;
                else if (register_line(p, len, &seen))
                        regs++;
                else {
                        *line = lineno;
                        *msg = "expected 'name[index]=eax ebx ecx edx' (8 hex digits each), "
                               "as written by cpuid_tool --save";
                        return -EINVAL;
                }
                p = nl ? nl + 1 : end;
        }
        *line = 0;
        if (regs == 0) {
                *msg = "holds no CPUID registers (empty or not a cpuid_tool --save dump)";
                return -EINVAL;
        }
        /* Every leaf the engine reads must be there when the CPU says it
         * exists; a missing one means the file was cut short. */
        if ((seen.basic & 3u) != 3u) {
                *msg = "is truncated: basic_cpuid[0] or basic_cpuid[1] is missing";
                return -EINVAL;
        }
        if ((seen.max_basic >= 7 && !(seen.basic & (1u << 7))) ||
            (seen.max_basic >= 0xd && !(seen.basic & (1u << 0xd)))) {
                *msg = "is truncated: basic_cpuid[0] reports leaves 7/0xD but they are missing";
                return -EINVAL;
        }
        if (seen.max_ext >= 0x80000001u && !(seen.ext & 2u)) {
                *msg = "is truncated: ext_cpuid[0] reports leaf 0x80000001 but ext_cpuid[1] is missing";
                return -EINVAL;
        }
        if (!(seen.ext & 1u)) {
                *msg = "is truncated: ext_cpuid[0] is missing";
                return -EINVAL;
        }
        return 0;
}
