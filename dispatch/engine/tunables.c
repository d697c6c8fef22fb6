/* SPDX-License-Identifier: MIT */
#include "bytes.h"
#include "tunables.h"

/* The names glibc 2.36 honours with "-NAME" in glibc.cpu.hwcaps, restricted
 * to what decides levels: the features the level table marks "tunable"
 * (level.c says which and how that was checked), and OSXSAVE, which
 * removes v3 and up. Names are case-sensitive; only a leading '-' disables
 * ('+' and bare names are preferences, not CPU features). */
static void mask_feature(const char *name, size_t len, struct hwcaps_tunables *t) {
        if (hwcaps_bytes_eq(name, len, "OSXSAVE")) {
                t->osxsave_disabled = true;
                return;
        }
        for (unsigned f = 0; f < HWCAPS_F_COUNT; f++)
                if (hwcaps_feature_table[f].tunable && hwcaps_bytes_eq(name, len, hwcaps_feature_table[f].name)) {
                        t->disabled |= HWCAPS_BIT(f);
                        return;
                }
}

bool hwcaps_tunables_find_hwcaps(const char *s, const char **ret_value, size_t *ret_len) {
        bool found = false;

        if (!s)
                return false;
        /* glibc 2.36 elf/dl-tunables.c parse_tunables(): a name runs to '=',
         * ':' or the end; a name ending in ':' is skipped; a name reaching
         * the end stops parsing; a value runs to ':' or the end. Every
         * assignment to a known tunable (re)initializes it, so the last one
         * wins. */
        for (;;) {
                const char *name = s, *value;
                size_t len = 0;

                while (s[len] != '=' && s[len] != ':' && s[len] != '\0')
                        len++;
                if (s[len] == '\0')
                        return found;
                if (s[len] == ':') {
                        s += len + 1;
                        continue;
                }
                value = s + len + 1;
                bool ours = hwcaps_bytes_eq(name, len, "glibc.cpu.hwcaps");
                s = value;
                len = 0;
                while (s[len] != ':' && s[len] != '\0')
                        len++;
                if (ours) {
                        *ret_value = value;
                        *ret_len = len;
                        found = true;
                }
                if (s[len] == '\0')
                        return found;
                s += len + 1;
        }
}

void hwcaps_tunables_parse_hwcaps(const char *p, size_t n, struct hwcaps_tunables *ret) {
        struct hwcaps_tunables t = { .set = true };
        size_t i = 0;

        /* sysdeps/x86/cpu-tunables.c: comma-separated items; "-NAME"
         * disables, the name must match exactly (memcmp over its length). */
        while (i < n) {
                size_t start = i, len;

                while (i < n && p[i] != ',')
                        i++;
                len = i - start;
                i++; /* skip ',' */
                if (len < 2 || p[start] != '-')
                        continue;
                mask_feature(p + start + 1, len - 1, &t);
        }
        *ret = t;
}

void hwcaps_tunables_from_env(char *const *envp, bool secure, struct hwcaps_tunables *ret) {
        static const char key[] = "GLIBC_TUNABLES=";
        const char *value = NULL;
        size_t len = 0;

        *ret = (struct hwcaps_tunables) { 0 };
        /* glibc.cpu.hwcaps has the default security level SXID_ERASE
         * (sysdeps/x86/dl-tunables.list gives none): ignored when AT_SECURE. */
        if (secure || !envp)
                return;
        /* __tunables_init() parses every GLIBC_TUNABLES entry in order. */
        for (char *const *e = envp; *e; e++) {
                const char *s = *e;
                size_t k = 0;

                while (key[k] && s[k] == key[k])
                        k++;
                if (key[k] == '\0')
                        (void) hwcaps_tunables_find_hwcaps(s + k, &value, &len);
        }
        if (value)
                hwcaps_tunables_parse_hwcaps(value, len, ret);
}

void hwcaps_tunables_apply(const struct hwcaps_tunables *t, struct hwcaps_view *v) {
        hwcaps_mask m = t->disabled;

        if (t->osxsave_disabled)
                /* Without OSXSAVE glibc cannot see the OS-enabled register
                 * state, so nothing that needs AVX or AVX-512 state is usable. */
                for (int f = 0; f < HWCAPS_F_COUNT; f++)
                        if (hwcaps_feature_table[f].state != HWCAPS_STATE_NONE)
                                m |= HWCAPS_BIT(f);
        v->usable &= ~m;
}
