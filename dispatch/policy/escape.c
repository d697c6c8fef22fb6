/* SPDX-License-Identifier: MIT */
/* Names shown to people: the rule is in escape.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "escape.h"

/* Unicode 15, table 3-7 "Well-Formed UTF-8 Byte Sequences": the first
 * byte gives the length; overlong forms, surrogates and code points
 * above U+10FFFF are checked on the decoded value. */
size_t utf8_decode(const char *s, uint32_t *ret) {
        const unsigned char *p = (const unsigned char *) s;
        static const uint32_t min[] = { 0, 0, 0x80, 0x800, 0x10000 };
        uint32_t c;
        size_t n;

        if (p[0] == 0)
                return 0;
        if (p[0] < 0x80) {
                *ret = p[0];
                return 1;
        }
        if ((p[0] & 0xe0) == 0xc0)
                n = 2, c = p[0] & 0x1f;
        else if ((p[0] & 0xf0) == 0xe0)
                n = 3, c = p[0] & 0x0f;
        else if ((p[0] & 0xf8) == 0xf0)
                n = 4, c = p[0] & 0x07;
        else
                return 0;
        /* A NUL is no continuation byte: the loop stops at the end. */
        for (size_t i = 1; i < n; i++) {
                if ((p[i] & 0xc0) != 0x80)
                        return 0;
                c = c << 6 | (p[i] & 0x3f);
        }
        if (c < min[n] || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
                return 0;
        *ret = c;
        return n;
}

bool utf8_valid(const char *s) {
        uint32_t c;

        for (size_t n; *s; s += n)
                if (!(n = utf8_decode(s, &c)))
                        return false;
        return true;
}

bool escape_needed(uint32_t c) {
        return c < 0x20 || c == '\\' || (c >= 0x7f && c <= 0x9f);
}

const char *escape_name(const char *s, char **buf) {
        const char *p;
        uint32_t c;
        size_t n;
        char *q;

        for (p = s; *p; p += n)
                if (!(n = utf8_decode(p, &c)) || escape_needed(c))
                        break;
        if (!*p)
                return s;
        /* At most four characters a byte. */
        if (!(*buf = q = malloc(4 * strlen(s) + 1)))
                return "(a name not shown: out of memory)";
        for (p = s; *p; p += n) {
                n = utf8_decode(p, &c);
                if (n && !escape_needed(c)) {
                        memcpy(q, p, n);
                        q += n;
                        continue;
                }
                n = n ?: 1;
                for (size_t i = 0; i < n; i++)
                        q += sprintf(q, "\\x%02x", (unsigned char) p[i]);
        }
        *q = 0;
        return *buf;
}

const char *escape_value(const char *s, char **buf) {
        return isatty(STDOUT_FILENO) ? escape_name(s, buf) : s;
}
