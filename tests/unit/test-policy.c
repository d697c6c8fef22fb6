/* SPDX-License-Identifier: MIT */
/* The one decision (decide.h) with hwcaps.conf compiled in (policy.c):
 * any off wins, the lowest cap wins, a value that cannot be parsed counts
 * as off, and the why names the setting that decided. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "policy.h"

/* The boot's options compiled from cmdline and conf, as the system
 * generator compiles them, then the environment and the CPU. */
static struct hwcaps_policy decide(const char *cmdline, const char *conf, const char *env_hw,
                                   const char *env_max, int cpu, struct hwcaps_sources *s) {
        struct hwcaps_cmdline c;
        struct hwcaps_policy p;

        *s = (struct hwcaps_sources) { .root.fd = -1 };
        hwcaps_config_init(&s->config);
        hwcaps_cmdline_parse(cmdline, strlen(cmdline), &c, NULL, NULL);
        cr_assert_eq(hwcaps_config_parse(&s->config, "/etc/hwcaps.conf", conf, strlen(conf), NULL, NULL), 0);
        cr_assert_eq(hwcaps_sources_compile(s, &c), 0);
        s->cpu_level = cpu;
        hwcaps_policy_decide(s, env_hw, env_max, HWCAPS_SRC_ENV, &p);
        return p;
}

Test(policy, the_one_rule_over_a_table) {
        static const struct {
                const char *cmdline, *conf, *hw, *max;
                int cpu, top;
                const char *why; /* a part of it, or NULL for no cap */
        } t[] = {
                { "quiet", "", NULL, NULL, 4, 4, NULL },
                { "", "", NULL, NULL, 2, 2, NULL },
                { "", "", NULL, NULL, 0, 1, NULL },      /* below the baseline: the baseline runs */
                /* any off wins, whoever says it */
                { "hwcaps=on", "", "off", NULL, 4, 1, "HWCAPS=off (environment)" },
                { "hwcaps=off", "enable=yes", "on", NULL, 4, 1, "hwcaps=off (kernel command line)" },
                { "", "enable=no", "on", NULL, 4, 1, "enable=no (/etc/hwcaps.conf:1)" },
                { "systemd.setenv=HWCAPS=0", "", "1", NULL, 4, 1, "systemd.setenv=HWCAPS=off" },
                /* the lowest cap wins */
                { "hwcaps.max=x86-64-v3", "max-level=x86-64-v2", NULL, NULL, 4, 2, "max-level=x86-64-v2" },
                { "hwcaps.max=x86-64-v2", "max-level=x86-64-v3", NULL, "x86-64-v4", 4, 2, "hwcaps.max=x86-64-v2" },
                { "hwcaps.max=x86-64-v3", "", NULL, "x86-64-v2", 4, 2, "HWCAPS_MAX_LEVEL=x86-64-v2" },
                { "systemd.setenv=HWCAPS_MAX_LEVEL=v2", "", NULL, NULL, 4, 2,
                  "systemd.setenv=HWCAPS_MAX_LEVEL=x86-64-v2 (kernel command line)" },
                { "hwcaps.max=x86-64-v3", "", NULL, NULL, 2, 2, "hwcaps.max=x86-64-v3" }, /* the CPU is lower */
                /* spellings: booleans as systemd, levels short or long, any case */
                { "hwcaps=OFF", "", NULL, NULL, 4, 1, "hwcaps=off" },
                { "", "", "Off", NULL, 4, 1, "HWCAPS=Off" },
                { "", "enable=No", NULL, NULL, 4, 1, "enable=No" },
                { "hwcaps.max=v3", "", NULL, NULL, 4, 3, "hwcaps.max=x86-64-v3" },
                { "hwcaps.max=X86-64-V2", "", NULL, NULL, 4, 2, "hwcaps.max=x86-64-v2" },
                { "", "max-level=v2", NULL, NULL, 4, 2, "max-level=v2" },
                /* what cannot be parsed counts as off */
                { "hwcaps=bogus", "", NULL, NULL, 4, 1, "hwcaps=off" },
                { "hwcaps.max=x86-64-v5", "", NULL, NULL, 4, 1, "hwcaps.max=x86-64-v1" },
                { "", "enable=maybe", NULL, NULL, 4, 1, "enable=maybe" },
                { "", "max-level=fast", NULL, NULL, 4, 1, "max-level=fast" },
                { "", "", "maybe", NULL, 4, 1, "HWCAPS=maybe" },
                { "", "", NULL, "x86-64-v9", 4, 1, "HWCAPS_MAX_LEVEL=x86-64-v9" },
                /* empty environment values are unset ones; "on" lifts nothing */
                { "", "", "", "", 4, 4, NULL },
                { "hwcaps.max=x86-64-v2", "", "on", NULL, 4, 2, "hwcaps.max=x86-64-v2" },
                /* within the command line the last word wins, as in systemd */
                { "hwcaps=off hwcaps=on", "", NULL, NULL, 4, 4, NULL },
                { "hwcaps.max=v2 hwcaps.max=v3", "", NULL, NULL, 4, 3, "hwcaps.max=x86-64-v3" },
                /* within the config the later setting wins (drop-ins resolved first) */
                { "", "enable=no\nenable=yes", NULL, NULL, 4, 4, NULL },
        };

        for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
                struct hwcaps_sources s;
                struct hwcaps_policy p = decide(t[i].cmdline, t[i].conf, t[i].hw, t[i].max, t[i].cpu, &s);

                cr_assert_eq((int) p.level, t[i].top, "case %zu (%s | %s | %s | %s): level %d, why %s", i,
                             t[i].cmdline, t[i].conf, t[i].hw ?: "-", t[i].max ?: "-", (int) p.level, p.d.why);
                if (t[i].why)
                        cr_assert(strstr(p.d.why, t[i].why), "case %zu: why \"%s\" lacks \"%s\"", i, p.d.why, t[i].why);
                else
                        cr_assert_eq(p.d.src, HWCAPS_SRC_NONE, "case %zu: capped by %s", i, p.d.why);
                hwcaps_sources_done(&s);
        }
}

Test(policy, the_rule_is_monotone) {
        /* Adding any opt-out never raises the level: every pair of the
         * settings below, in both orders of source. */
        static const char *const cmdlines[] = { "", "hwcaps=off", "hwcaps=on", "hwcaps.max=v2", "hwcaps.max=v3",
                                                "systemd.setenv=HWCAPS_MAX_LEVEL=v3", "hwcaps=junk" };
        static const char *const confs[] = { "", "enable=no", "enable=yes", "max-level=v2", "max-level=v3", "enable=x" };
        static const char *const envs[] = { NULL, "off", "on", "junk" };

        for (size_t a = 0; a < sizeof cmdlines / sizeof *cmdlines; a++)
                for (size_t b = 0; b < sizeof confs / sizeof *confs; b++)
                        for (size_t c = 0; c < sizeof envs / sizeof *envs; c++) {
                                struct hwcaps_sources s1, s2, s3, s4;
                                int all = decide(cmdlines[a], confs[b], envs[c], NULL, 4, &s1).level;
                                int x = decide(cmdlines[a], "", NULL, NULL, 4, &s2).level;
                                int y = decide("", confs[b], NULL, NULL, 4, &s3).level;
                                int z = decide("", "", envs[c], NULL, 4, &s4).level;
                                int min = x < y ? x : y;

                                min = min < z ? min : z;
                                cr_assert_eq(all, min, "%s | %s | %s: %d, the lowest alone is %d", cmdlines[a], confs[b],
                                             envs[c] ?: "-", all, min);
                                hwcaps_sources_done(&s1);
                                hwcaps_sources_done(&s2);
                                hwcaps_sources_done(&s3);
                                hwcaps_sources_done(&s4);
                        }
}

Test(policy, systemd_setenv_path_keeps_path_only) {
        struct hwcaps_sources s;
        struct hwcaps_policy p = decide("systemd.setenv=PATH=/bin", "", NULL, NULL, 4, &s);

        cr_assert(p.keep_path);
        cr_assert_eq(p.level, HWCAPS_LEVEL_V4, "systemd.setenv=PATH= is no opt-out");
        hwcaps_sources_done(&s);
}

Test(policy, directories_from_config_with_file_and_line) {
        struct hwcaps_sources s;
        struct hwcaps_policy p = decide("", "[hwcaps]\ndirectories=/usr/bin\n", NULL, NULL, 4, &s);
        char buf[256];

        cr_assert_not_null(p.directories);
        cr_assert_str_eq(p.directories[0], "/usr/bin");
        cr_assert_str_eq(hwcaps_why_string(&p.directories_why, buf, sizeof buf), "/etc/hwcaps.conf:2 (directories=/usr/bin)");
        hwcaps_sources_done(&s);
}

/* hwcaps_env_quote() against a model of the parser systemd 252 runs on
 * environment generator output: load_env_file_pairs() ->
 * parse_env_file_internal() in src/basic/env-file.c (no $VAR expansion
 * there; that happens only in the environment.d generator). The real
 * systemd reads it back in tests/generator/test-systemd-roundtrip.sh. */
#define SHELL_NEED_ESCAPE "\"\\`$"

/* The value part of one KEY=VALUE line, as env-file.c reads it. */
static char *systemd252_value(const char *s) {
        enum { PRE_VALUE, VALUE, VALUE_ESCAPE, SQUOTE, DQUOTE, DQUOTE_ESCAPE } state = PRE_VALUE;
        char *out = calloc(strlen(s) * 2 + 1, 1);
        size_t n = 0, last_ws = (size_t) -1;

        for (; *s; s++) {
                char c = *s;
                switch (state) {
                case PRE_VALUE:
                        if (strchr(" \t", c))
                                break;
                        if (c == '\'') {
                                state = SQUOTE;
                                break;
                        }
                        if (c == '"') {
                                state = DQUOTE;
                                break;
                        }
                        state = VALUE;
                        /* fall through */
                case VALUE:
                        if (c == '\\')
                                state = VALUE_ESCAPE;
                        else {
                                if (!strchr(" \t", c))
                                        last_ws = (size_t) -1;
                                else if (last_ws == (size_t) -1)
                                        last_ws = n;
                                out[n++] = c;
                        }
                        break;
                case VALUE_ESCAPE:
                        state = VALUE;
                        if (c != '\n') {
                                last_ws = (size_t) -1;
                                out[n++] = c;
                        }
                        break;
                case SQUOTE:
                        if (c == '\'')
                                state = VALUE;
                        else
                                out[n++] = c;
                        break;
                case DQUOTE:
                        if (c == '"')
                                state = VALUE;
                        else if (c == '\\')
                                state = DQUOTE_ESCAPE;
                        else
                                out[n++] = c;
                        break;
                case DQUOTE_ESCAPE:
                        state = DQUOTE;
                        if (strchr(SHELL_NEED_ESCAPE, c))
                                out[n++] = c;
                        else if (c != '\n') {
                                out[n++] = '\\';
                                out[n++] = c;
                        }
                        break;
                }
        }
        if (state == VALUE && last_ws != (size_t) -1)
                n = last_ws;
        out[n] = '\0';
        return out;
}

static void roundtrip(const char *v) {
        char *q = hwcaps_env_quote(v), *back = systemd252_value(q);
        cr_assert_str_eq(back, v, "quoted as %s", q);
        free(q);
        free(back);
}

Test(envquote, plain_path_comes_back) {
        roundtrip("/usr/local/bin:/usr/bin/glibc-hwcaps/x86-64-v3:/usr/bin:/bin");
}

Test(envquote, special_bytes_come_back) {
        const char *cases[] = {
                "", "/opt/a b", "/opt/q\"uote", "/opt/s'q", "/opt/$HOME", "/opt/${X}", "/opt/`id`",
                "/opt/back\\slash", "/opt/tail\\", "/opt/sp :/x", "/opt/tab\t", " lead", "trail ",
                "/opt/#hash;semi", "/opt/\\$\\\\\\\"", "/new\nline", "\\", "$", "\"",
        };
        for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
                roundtrip(cases[i]);
}

Test(envquote, unquoted_would_lose_bytes) {
        /* the model is strict enough to catch naive output */
        char *back = systemd252_value("/opt/back\\slash:/x ");
        cr_assert_str_neq(back, "/opt/back\\slash:/x ");
        free(back);
}

Test(envquote, every_byte_comes_back) {
        char v[3] = "a";
        for (int c = 1; c < 256; c++) {
                v[1] = (char) c;
                roundtrip(v);
        }
}
