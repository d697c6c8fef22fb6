/* SPDX-License-Identifier: MIT */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conffile.h"

struct log {
        unsigned n;
        char last[512];
};

static void logw(void *userdata, const char *fmt, ...) {
        struct log *l = userdata;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(l->last, sizeof l->last, fmt, ap);
        va_end(ap);
        l->n++;
}

static void parse(struct hwcaps_config *c, const char *text, struct log *l) {
        cr_assert_eq(hwcaps_config_parse(c, "/etc/hwcaps.conf", text, strlen(text), logw, l), 0);
}

Test(config, settings_with_and_without_section) {
        struct hwcaps_config c;
        struct log l = {};
        hwcaps_config_init(&c);
        parse(&c, "enable = no\n[hwcaps]\nmax-level = x86-64-v3\ndirectories = /usr/bin:/usr/local/bin /opt/bin\n", &l);
        cr_assert_eq(l.n, 0, "%s", l.last);
        cr_assert_eq(c.enabled, 0);
        cr_assert_eq(c.enabled_at.line, 1);
        cr_assert_eq(c.max_level, 3);
        cr_assert_eq(c.max_level_at.line, 3);
        cr_assert_str_eq(c.max_level_at.file, "/etc/hwcaps.conf");
        cr_assert_eq(c.n_directories, 3);
        cr_assert_str_eq(c.directories[2], "/opt/bin");
        cr_assert_null(c.directories[3]);
        hwcaps_config_done(&c);
}

Test(config, bad_lines_warn_with_file_and_line_and_rest_applies) {
        struct hwcaps_config c;
        struct log l = {};
        hwcaps_config_init(&c);
        parse(&c, "[hwcaps]\nmax-level=x86-64-v2\nmax-level=x86-64-v7\n", &l);
        cr_assert_eq(l.n, 1);
        cr_assert(strstr(l.last, "/etc/hwcaps.conf:3: max-level: unknown level"), "%s", l.last);
        cr_assert(strstr(l.last, "counts as x86-64-v1"), "%s", l.last);
        cr_assert_eq(c.max_level, 1, "a cap that cannot be parsed fails closed");
        parse(&c, "\n\ncolour=blue\nenable=no\n", &l);
        cr_assert(strstr(l.last, ":3: unknown key \"colour\""), "%s", l.last);
        cr_assert_eq(c.enabled, 0);
        parse(&c, "just words\nenable=yes\n", &l);
        cr_assert(strstr(l.last, ":1: not a key=value"), "%s", l.last);
        cr_assert_eq(c.enabled, 1);
        hwcaps_config_done(&c);
}

Test(config, relative_directory_rejects_the_whole_assignment) {
        struct hwcaps_config c;
        struct log l = {};
        hwcaps_config_init(&c);
        parse(&c, "directories=/usr/bin\ndirectories=/opt/bin bin\n", &l);
        cr_assert_eq(l.n, 1);
        cr_assert_eq(c.n_directories, 1);
        cr_assert_eq(c.directories_at.line, 1);
        hwcaps_config_done(&c);
}

Test(config, empty_directories_resets_to_default) {
        struct hwcaps_config c;
        struct log l = {};
        hwcaps_config_init(&c);
        parse(&c, "directories=/usr/bin\ndirectories=\n", &l);
        cr_assert_null(c.directories);
        hwcaps_config_done(&c);
}

Test(config, tail_of_an_overlong_comment_is_not_a_setting) {
        struct hwcaps_config c;
        struct log l = {};
        char text[600];
        hwcaps_config_init(&c);
        memset(text, 'x', sizeof text);
        memcpy(text, "# ", 2);
        memcpy(text + 400, " enable=no\n", 12);
        parse(&c, text, &l);
        cr_assert_eq(c.enabled, -1);
        cr_assert(strstr(l.last, ":1: line longer"), "%s", l.last);
        hwcaps_config_done(&c);
}

Test(config, nul_byte_line_is_ignored_not_truncated) {
        struct hwcaps_config c;
        struct log l = {};
        static const char text[] = "enable=n\0o\nmax-level=x86-64-v2\n";
        hwcaps_config_init(&c);
        cr_assert_eq(hwcaps_config_parse(&c, "f", text, sizeof text - 1, logw, &l), 0);
        cr_assert_eq(c.enabled, -1);
        cr_assert_eq(c.max_level, 2);
        cr_assert_eq(l.n, 1);
        hwcaps_config_done(&c);
}

Test(config, random_bytes_do_not_crash_and_warnings_are_capped) {
        struct hwcaps_config c;
        struct log l = {};
        char buf[8192];
        srand(2);
        hwcaps_config_init(&c);
        for (int round = 0; round < 100; round++) {
                for (size_t i = 0; i < sizeof buf; i++)
                        buf[i] = (char) (rand() % 7 == 0 ? '\n' : rand());
                l.n = 0;
                cr_assert_eq(hwcaps_config_parse(&c, "f", buf, sizeof buf, logw, &l), 0);
                cr_assert_leq(l.n, 17);
        }
        hwcaps_config_done(&c);
}
