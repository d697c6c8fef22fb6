/* SPDX-License-Identifier: MIT */
/* hwcaps_env_quote() against a model of the parser systemd 252 runs on
 * environment generator output: load_env_file_pairs() ->
 * parse_env_file_internal() in src/basic/env-file.c (no $VAR expansion
 * there; that happens only in the environment.d generator). The real
 * systemd reads it back in tests/generator/test-systemd-roundtrip.sh. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "policy.h"

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
