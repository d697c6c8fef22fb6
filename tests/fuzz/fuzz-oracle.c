/* SPDX-License-Identifier: MIT */
/* ld.so --help parser (dispatch/cli/oracle.c): `hwcaps explain` compares the
 * engine with its verdict, so garbage from a foreign or future ld.so must
 * never crash it or invent levels. Properties:
 *  - returns 0 exactly when the heading is there, else -ENODATA;
 *  - only bits 1..4 (x86-64-v1..v4) are ever set, and only for a level whose
 *    name appears in the input with "(supported";
 *  - a line of text before the input changes nothing;
 *  - deterministic. */
#include <errno.h>
#include <string.h>

#include "fuzz.h"
#include "oracle.h"

static const char heading[] = "Subdirectories of glibc-hwcaps directories";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        const char *in = (const char *) data;
        unsigned levels = 0xdeadbeef, levels2 = 0xdeadbeef;
        char *s;
        int r, r2;

        r = hwcaps_oracle_parse(in, size, &levels);
        FUZZ_CHECK(r == (memmem(in, size, heading, sizeof heading - 1) ? 0 : -ENODATA), "returned %d", r);
        if (r < 0)
                levels = 0;
        FUZZ_CHECK((levels & ~0x1eu) == 0, "levels 0x%x", levels);
        FUZZ_CHECK(levels == 0 || memmem(in, size, "(supported", 10), "a level without \"(supported\"");
        for (int l = 1; l <= 4; l++) {
                char name[] = "x86-64-vN";
                name[8] = (char) ('0' + l);
                FUZZ_CHECK(!(levels & (1u << l)) || memmem(in, size, name, 9), "invented %s", name);
        }

        r2 = hwcaps_oracle_parse(in, size, &levels2);
        FUZZ_CHECK(r == r2 && (r < 0 || levels == levels2), "not deterministic");

        s = malloc(size + 13);
        if (!s)
                abort();
        memcpy(s, "Usage: ld.so\n", 13);
        memcpy(s + 13, in, size);
        levels2 = 0xdeadbeef;
        r2 = hwcaps_oracle_parse(s, size + 13, &levels2);
        free(s);
        FUZZ_CHECK(r == r2 && (r < 0 || levels == levels2), "a leading line changed the verdict");
        return 0;
}
