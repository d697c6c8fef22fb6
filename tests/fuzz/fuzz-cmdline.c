/* SPDX-License-Identifier: MIT */
/* Kernel command line parser (dispatch/engine/cmdline.c), as the generator and the
 * stub feed it /proc/cmdline. Properties beyond "no crash":
 *  - the result is in range and deterministic (warnings included);
 *  - an unrelated word before the input, or after it when the input does
 *    not end inside a quote, changes nothing;
 *  - a later "hwcaps=off" / "hwcaps.max=x86-64-v2" wins over anything before. */
#include <stdbool.h>
#include <string.h>

#include "cmdline.h"
#include "fuzz.h"

struct log {
        unsigned count;
        uint64_t hash; /* FNV-1a over every warning's key and value bytes */
};

static void hash_bytes(struct log *l, const char *s, size_t n) {
        for (size_t i = 0; i < n; i++)
                l->hash = (l->hash ^ (uint8_t) s[i]) * UINT64_C(0x100000001b3);
        l->hash = (l->hash ^ 0xff) * UINT64_C(0x100000001b3);
}

static void warn_cb(void *userdata, const char *key, const char *value, size_t n) {
        struct log *l = userdata;

        FUZZ_CHECK(key && (value || n == 0), "warning without key or value");
        l->count++;
        hash_bytes(l, key, strlen(key));
        hash_bytes(l, value, n); /* reads every byte: ASan sees a bad range */
}

static bool same(const struct hwcaps_cmdline *a, const struct hwcaps_cmdline *b) {
        return a->enabled == b->enabled && a->max_level == b->max_level &&
               a->setenv_path == b->setenv_path && a->env_enabled == b->env_enabled &&
               a->env_max_level == b->env_max_level;
}

static void parse(const char *s, size_t n, struct hwcaps_cmdline *c, struct log *l) {
        *l = (struct log) { 0, UINT64_C(0xcbf29ce484222325) };
        /* Poison the result so that a field the parser forgets shows. */
        memset(c, 0x5a, sizeof *c);
        hwcaps_cmdline_parse(s, n, c, warn_cb, l);
}

/* Does the input end inside a quote? The quoting rule of systemd's
 * extract_first_word(EXTRACT_UNQUOTE|EXTRACT_RELAX), written out again. */
static bool ends_in_quote(const char *s, size_t n) {
        char quote = 0;

        for (size_t i = 0; i < n; i++) {
                /* A backslash keeps the next byte (EXTRACT_RETAIN_ESCAPE);
                 * a last one would keep the space of an appended word. */
                if (s[i] == '\\') {
                        if (i + 1 == n)
                                return true;
                        i++;
                        continue;
                }
                if (quote) {
                        if (s[i] == quote)
                                quote = 0;
                } else if (s[i] == '"' || s[i] == '\'')
                        quote = s[i];
        }
        return quote != 0;
}

static char *concat(const char *a, size_t an, const char *b, size_t bn) {
        char *s = malloc(an + bn + 1);

        if (!s)
                abort();
        memcpy(s, a, an);
        memcpy(s + an, b, bn);
        s[an + bn] = '\0';
        return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        const char *in = (const char *) data;
        struct hwcaps_cmdline c, c2;
        struct log l, l2;
        char *s;

        parse(in, size, &c, &l);
        FUZZ_CHECK(c.enabled >= -1 && c.enabled <= 1, "enabled=%d", c.enabled);
        FUZZ_CHECK(c.env_enabled >= -1 && c.env_enabled <= 1, "env_enabled=%d", c.env_enabled);
        FUZZ_CHECK(c.max_level >= 0 && c.max_level <= 4, "max_level=%d", c.max_level);
        FUZZ_CHECK(c.env_max_level >= 0 && c.env_max_level <= 4, "env_max_level=%d", c.env_max_level);
        FUZZ_CHECK(c.setenv_path == false || c.setenv_path == true, "setenv_path not a bool");

        parse(in, size, &c2, &l2);
        FUZZ_CHECK(same(&c, &c2) && l.count == l2.count && l.hash == l2.hash, "not deterministic");

        s = concat("quiet ", 6, in, size);
        parse(s, size + 6, &c2, &l2);
        free(s);
        FUZZ_CHECK(same(&c, &c2) && l.count == l2.count && l.hash == l2.hash,
                   "a leading unrelated word changed the result");

        if (ends_in_quote(in, size))
                return 0;

        s = concat(in, size, " splash", 7);
        parse(s, size + 7, &c2, &l2);
        free(s);
        FUZZ_CHECK(same(&c, &c2) && l.count == l2.count && l.hash == l2.hash,
                   "a trailing unrelated word changed the result");

        s = concat(in, size, "\thwcaps=off", 11);
        parse(s, size + 11, &c2, &l2);
        free(s);
        FUZZ_CHECK(c2.enabled == 0 && c2.max_level == c.max_level &&
                   c2.setenv_path == c.setenv_path && c2.env_enabled == c.env_enabled,
                   "a final hwcaps=off did not win (enabled=%d)", c2.enabled);

        s = concat(in, size, "\nhwcaps.max=x86-64-v2", 21);
        parse(s, size + 21, &c2, &l2);
        free(s);
        FUZZ_CHECK(c2.max_level == 2 && c2.enabled == c.enabled &&
                   c2.setenv_path == c.setenv_path && c2.env_enabled == c.env_enabled,
                   "a final hwcaps.max=x86-64-v2 did not win (max_level=%d)", c2.max_level);
        return 0;
}
