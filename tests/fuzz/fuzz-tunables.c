/* SPDX-License-Identifier: MIT */
/* GLIBC_TUNABLES parsing (dispatch/engine/tunables.c), which the static stub runs on
 * every exec with the caller's environment. Input: environment entries
 * separated by NUL bytes. Properties:
 *  - hwcaps_tunables_find_hwcaps() agrees with a model written from glibc
 *    2.36's parse_tunables() rule: split at ':', an item "NAME=VALUE" (first
 *    '='), the last glibc.cpu.hwcaps wins; the value lies inside the string
 *    and holds no ':';
 *  - the masks name only level features; appending ",-AVX2" to the value
 *    adds exactly AVX2; a mask never raises the usable set or the level;
 *  - AT_SECURE ignores everything; the last GLIBC_TUNABLES entry that sets
 *    glibc.cpu.hwcaps decides. */
#include <stdbool.h>
#include <string.h>

#include "fuzz.h"
#include "tunables.h"

#define MAX_ENV 64

static bool model_find(const char *s, const char **val, size_t *len) {
        static const char name[] = "glibc.cpu.hwcaps";
        bool found = false;

        for (const char *item = s;;) {
                const char *colon = strchr(item, ':');
                size_t n = colon ? (size_t) (colon - item) : strlen(item);
                const char *eq = memchr(item, '=', n);

                if (eq && (size_t) (eq - item) == sizeof name - 1 && memcmp(item, name, sizeof name - 1) == 0) {
                        *val = eq + 1;
                        *len = n - (size_t) (eq + 1 - item);
                        found = true;
                }
                if (!colon)
                        return found;
                item = colon + 1;
        }
}

static bool same(const struct hwcaps_tunables *a, const struct hwcaps_tunables *b) {
        return a->disabled == b->disabled && a->osxsave_disabled == b->osxsave_disabled && a->set == b->set;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        char *buf, *envp[MAX_ENV + 1];
        size_t k = 0;
        struct hwcaps_tunables t, t2, last = { 0 };
        bool have_last = false;
        hwcaps_mask level_features = 0;

        if (size > 16384)
                return 0;
        buf = malloc(size + 1);
        if (!buf)
                abort();
        memcpy(buf, data, size);
        buf[size] = '\0';
        for (size_t i = 0; i <= size && k < MAX_ENV; k++) {
                envp[k] = buf + i;
                i += strlen(buf + i) + 1;
        }
        envp[k] = NULL;

        for (int f = 0; f < HWCAPS_F_COUNT; f++)
                level_features |= HWCAPS_BIT(f);

        for (size_t i = 0; i < k; i++) {
                const char *v = NULL, *mv = NULL;
                size_t n = 0, mn = 0;
                bool r = hwcaps_tunables_find_hwcaps(envp[i], &v, &n);
                bool mr = model_find(envp[i], &mv, &mn);

                if (strncmp(envp[i], "GLIBC_TUNABLES=", 15) == 0 &&
                    hwcaps_tunables_find_hwcaps(envp[i] + 15, &v, &n)) {
                        hwcaps_tunables_parse_hwcaps(v, n, &last);
                        have_last = true;
                }
                v = NULL;
                n = 0;
                r = hwcaps_tunables_find_hwcaps(envp[i], &v, &n);
                FUZZ_CHECK(r == mr, "found %d, model %d in \"%s\"", r, mr, envp[i]);
                if (!r)
                        continue;
                FUZZ_CHECK(v == mv && n == mn, "value at %td+%zu, model %td+%zu in \"%s\"",
                           v - envp[i], n, mv - envp[i], mn, envp[i]);
                FUZZ_CHECK(!memchr(v, ':', n) && v + n <= envp[i] + strlen(envp[i]), "value out of place");

                hwcaps_tunables_parse_hwcaps(v, n, &t);
                FUZZ_CHECK(t.set && (t.disabled & ~level_features) == 0, "mask 0x%x", (unsigned) t.disabled);
                hwcaps_tunables_parse_hwcaps(v, n, &t2);
                FUZZ_CHECK(same(&t, &t2), "not deterministic");

                char *more = malloc(n + 7);
                if (!more)
                        abort();
                memcpy(more, v, n);
                memcpy(more + n, ",-AVX2", 6);
                hwcaps_tunables_parse_hwcaps(more, n + 6, &t2);
                free(more);
                FUZZ_CHECK(t2.disabled == (t.disabled | HWCAPS_BIT(HWCAPS_F_AVX2)) &&
                           t2.osxsave_disabled == t.osxsave_disabled, "\",-AVX2\" did not add exactly AVX2");

        }

        hwcaps_tunables_from_env(envp, true, &t);
        FUZZ_CHECK(t.disabled == 0 && !t.osxsave_disabled && !t.set, "AT_SECURE did not ignore GLIBC_TUNABLES");
        hwcaps_tunables_from_env(envp, false, &t);
        FUZZ_CHECK(have_last ? same(&t, &last) : (t.disabled == 0 && !t.osxsave_disabled),
                   "the last GLIBC_TUNABLES setting glibc.cpu.hwcaps did not decide");

        /* A mask never adds a feature or a level. */
        struct hwcaps_view v = { .cpu = level_features, .os = level_features, .usable = level_features };
        enum hwcaps_level before = hwcaps_level_from_usable(v.usable);
        hwcaps_tunables_apply(&t, &v);
        FUZZ_CHECK((v.usable & ~level_features) == 0 && hwcaps_level_from_usable(v.usable) <= before,
                   "a mask raised the level");
        free(buf);
        return 0;
}
