/* SPDX-License-Identifier: MIT */
/* The policy file parser (dispatch/engine/decide.c hwcaps_policy_file_parse()),
 * which the stub runs on every dispatch above the baseline: whatever the
 * bytes, it reads none outside them, and either refuses them (the readers
 * then run the baseline) or gives a cap in range with why inside the input.
 * A file that parses keeps its verdict when comments or unknown keys are
 * appended, and a second "cap=" line replaces the first. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "decide.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        const char *in = (const char *) data;
        struct hwcaps_policy_file p, q;
        char *s;

        /* An exact-size copy: ASan sees a read one byte past the end. */
        s = malloc(size ? size : 1);
        if (!s)
                abort();
        memcpy(s, in, size);
        if (hwcaps_policy_file_parse(s, size, &p) < 0) {
                free(s);
                return 0;
        }
        FUZZ_CHECK(p.cap >= HWCAPS_LEVEL_V1 && p.cap <= HWCAPS_LEVEL_MAX + 1, "cap=%d", p.cap);
        FUZZ_CHECK(p.why_len == 0 || (p.why >= s && p.why + p.why_len <= s + size), "why outside the input");
        FUZZ_CHECK(!memchr(p.why, '\n', p.why_len), "why spans lines");
        free(s);

        s = malloc(size + 32);
        if (!s)
                abort();
        memcpy(s, in, size);
        memcpy(s + size, "\n# x\nlater-key=1\n", 17);
        FUZZ_CHECK(hwcaps_policy_file_parse(s, size + 17, &q) == 0 && q.cap == p.cap && q.keep_path == p.keep_path,
                   "a comment or an unknown key changed the verdict");
        memcpy(s + size, "\ncap=x86-64-v2\n", 15);
        FUZZ_CHECK(hwcaps_policy_file_parse(s, size + 15, &q) == 0 && q.cap == HWCAPS_LEVEL_V2,
                   "a later cap= line did not win (cap=%d)", q.cap);
        free(s);
        return 0;
}
