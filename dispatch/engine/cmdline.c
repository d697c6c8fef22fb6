/* SPDX-License-Identifier: MIT */
#include "bytes.h"
#include "cmdline.h"
#include "level.h"

/* Longest word we look at; anything longer cannot be one of ours
 * (systemd.setenv=PATH= only needs its prefix). */
#define WORD_MAX 4096

static bool is_space(char c) {
        /* systemd's WHITESPACE (" \t\n\r"); other control bytes are part of
         * a word there, so they are here (a \v split words for hwcaps but
         * not for systemd). */
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\0';
}

int hwcaps_parse_boolean(const char *s, size_t n) {
        static const char *const yes[] = { "1", "yes", "y", "true", "t", "on" };
        static const char *const no[] = { "0", "no", "n", "false", "f", "off" };

        for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
                if (hwcaps_bytes_caseeq(s, n, yes[i]))
                        return 1;
                if (hwcaps_bytes_caseeq(s, n, no[i]))
                        return 0;
        }
        return -1;
}

/* A boolean value: a bare key means "on" (systemd); one that cannot be
 * parsed means off. */
static int boolean_value(const char *key, const char *v, size_t vn, bool bare,
                         hwcaps_cmdline_warn_fn warn, void *userdata) {
        int r = bare ? 1 : hwcaps_parse_boolean(v, vn);

        if (r >= 0)
                return r;
        if (warn)
                warn(userdata, key, v, vn);
        return 0;
}

static int level_value(const char *key, const char *v, size_t vn, hwcaps_cmdline_warn_fn warn, void *userdata) {
        int r = hwcaps_level_parse(v, vn);

        if (r > 0)
                return r;
        if (warn)
                warn(userdata, key, v, vn);
        return HWCAPS_LEVEL_V1;
}

static void apply(struct hwcaps_cmdline *c, const char *w, size_t n,
                  hwcaps_cmdline_warn_fn warn, void *userdata) {
        size_t eq = 0;
        const char *v;
        size_t vn;

        while (eq < n && w[eq] != '=')
                eq++;
        v = w + eq + 1;
        vn = eq < n ? n - eq - 1 : 0;

        if (hwcaps_bytes_eq(w, eq, "hwcaps"))
                c->enabled = boolean_value("hwcaps", v, vn, eq == n, warn, userdata);
        else if (hwcaps_bytes_eq(w, eq, "hwcaps.max"))
                c->max_level = level_value("hwcaps.max", v, vn, warn, userdata);
        else if (hwcaps_bytes_eq(w, eq, "systemd.setenv") && eq < n) {
                /* The variable name is case-sensitive, as in systemd. */
                if (vn >= 5 && hwcaps_bytes_eq(v, 5, "PATH="))
                        c->setenv_path = true;
                else if (vn >= 7 && hwcaps_bytes_eq(v, 7, "HWCAPS="))
                        c->env_enabled = vn == 7 ? -1 :
                                boolean_value("systemd.setenv=HWCAPS", v + 7, vn - 7, false, warn, userdata);
                else if (vn >= 17 && hwcaps_bytes_eq(v, 17, "HWCAPS_MAX_LEVEL=")) {
                        /* An empty value unsets the variable, as in the
                         * process environment. */
                        c->env_max_level = vn == 17 ? 0 :
                                level_value("systemd.setenv=HWCAPS_MAX_LEVEL", v + 17, vn - 17, warn, userdata);
                }
        }
}

static void apply_truncated(struct hwcaps_cmdline *c, const char *w, size_t n,
                            hwcaps_cmdline_warn_fn warn, void *userdata) {
        static const struct {
                const char *prefix, *key;
        } ours[] = {
                { "hwcaps=", "hwcaps" },
                { "hwcaps.max=", "hwcaps.max" },
                { "systemd.setenv=HWCAPS=", "systemd.setenv=HWCAPS" },
                { "systemd.setenv=HWCAPS_MAX_LEVEL=", "systemd.setenv=HWCAPS_MAX_LEVEL" },
        };

        for (size_t i = 0; i < sizeof ours / sizeof *ours; i++) {
                size_t k = 0;

                while (ours[i].prefix[k] && k < n && w[k] == ours[i].prefix[k])
                        k++;
                if (ours[i].prefix[k])
                        continue;
                if (i == 0)
                        c->enabled = 0;
                else if (i == 1)
                        c->max_level = HWCAPS_LEVEL_V1;
                else if (i == 2)
                        c->env_enabled = 0;
                else
                        c->env_max_level = HWCAPS_LEVEL_V1;
                if (warn)
                        warn(userdata, ours[i].key, w + k, 16);
                return;
        }
}

void hwcaps_cmdline_parse(const char *buf, size_t n, struct hwcaps_cmdline *ret,
                          hwcaps_cmdline_warn_fn warn, void *userdata) {
        *ret = (struct hwcaps_cmdline) HWCAPS_CMDLINE_INIT;
        hwcaps_cmdline_parse_more(buf, n, ret, warn, userdata);
}

void hwcaps_cmdline_parse_more(const char *buf, size_t n, struct hwcaps_cmdline *ret,
                               hwcaps_cmdline_warn_fn warn, void *userdata) {
        struct hwcaps_cmdline c = *ret;
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

                        if (ch == '\\' && i + 1 < n) {
                                /* RETAIN_ESCAPE: both bytes stay. */
                                if (len + 1 < sizeof word) {
                                        word[len++] = ch;
                                        word[len++] = buf[++i];
                                } else {
                                        truncated = true;
                                        i++;
                                }
                                continue;
                        }
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
                else
                        /* One of ours with a value too long to be one:
                         * it cannot be parsed, so it counts as off. */
                        apply_truncated(&c, word, len, warn, userdata);
        }
        *ret = c;
}
