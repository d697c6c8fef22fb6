/* SPDX-License-Identifier: MIT */
#include "bytes.h"
#include "cmdline.h"
#include "level.h"

/* Longest word we look at; anything longer cannot be one of ours
 * (systemd.setenv=PATH= only needs its prefix). */
#define WORD_MAX 4096

static bool is_space(char c) {
        /* Anything at or below ' ' separates words: tabs, newlines and the
         * NUL bytes a mangled /proc/cmdline might hold. */
        return (unsigned char) c <= ' ';
}

int hwcaps_parse_boolean(const char *s, size_t n) {
        static const char *const yes[] = { "1", "yes", "y", "true", "t", "on" };
        static const char *const no[] = { "0", "no", "n", "false", "f", "off" };

        for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
                if (hwcaps_bytes_eq(s, n, yes[i]))
                        return 1;
                if (hwcaps_bytes_eq(s, n, no[i]))
                        return 0;
        }
        return -1;
}

static void apply(struct hwcaps_cmdline *c, const char *w, size_t n,
                  hwcaps_cmdline_warn_fn warn, void *userdata) {
        size_t eq = 0;
        const char *v;
        size_t vn;
        int r;

        while (eq < n && w[eq] != '=')
                eq++;
        v = w + eq + 1;
        vn = eq < n ? n - eq - 1 : 0;

        if (hwcaps_bytes_eq(w, eq, "hwcaps")) {
                /* A bare boolean switch means "on", as in systemd. */
                r = eq == n ? 1 : hwcaps_parse_boolean(v, vn);
                if (r >= 0)
                        c->enabled = r;
                else if (warn)
                        warn(userdata, "hwcaps", v, vn);
        } else if (hwcaps_bytes_eq(w, eq, "hwcaps.max")) {
                r = eq < n ? hwcaps_level_parse(v, vn) : -1;
                if (r > 0)
                        c->max_level = r;
                else if (warn)
                        warn(userdata, "hwcaps.max", v, vn);
        } else if (hwcaps_bytes_eq(w, eq, "systemd.setenv") && eq < n) {
                /* The variable name is case-sensitive, as in systemd. */
                if (vn >= 5 && hwcaps_bytes_eq(v, 5, "PATH="))
                        c->setenv_path = true;
                else if (vn >= 7 && hwcaps_bytes_eq(v, 7, "HWCAPS=")) {
                        r = hwcaps_parse_boolean(v + 7, vn - 7);
                        if (r >= 0)
                                c->env_enabled = r;
                        else if (warn)
                                warn(userdata, "systemd.setenv=HWCAPS", v + 7, vn - 7);
                }
        }
}

void hwcaps_cmdline_parse(const char *buf, size_t n, struct hwcaps_cmdline *ret,
                          hwcaps_cmdline_warn_fn warn, void *userdata) {
        struct hwcaps_cmdline c = { .enabled = -1, .max_level = 0, .setenv_path = false, .env_enabled = -1 };
        char word[WORD_MAX];
        size_t i = 0;

        while (i < n) {
                size_t len = 0;
                char quote = 0;
                bool truncated = false;

                while (i < n && is_space(buf[i]))
                        i++;
                if (i >= n)
                        break;
                /* One word: quotes group and are removed, like systemd's
                 * extract_first_word(EXTRACT_UNQUOTE|EXTRACT_RELAX); an
                 * unterminated quote runs to the end (RELAX). */
                for (; i < n; i++) {
                        char ch = buf[i];

                        if (quote) {
                                if (ch == quote) {
                                        quote = 0;
                                        continue;
                                }
                        } else if (ch == '"' || ch == '\'') {
                                quote = ch;
                                continue;
                        } else if (is_space(ch))
                                break;
                        if (len < sizeof word)
                                word[len++] = ch;
                        else
                                truncated = true;
                }
                /* Later words win, so a later option overrides an earlier one. */
                if (!truncated)
                        apply(&c, word, len, warn, userdata);
                else if (len >= 20 && hwcaps_bytes_eq(word, 20, "systemd.setenv=PATH="))
                        c.setenv_path = true;
        }
        *ret = c;
}
