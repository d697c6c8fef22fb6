/* SPDX-License-Identifier: MIT */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "cmdline.h"

struct warned {
        unsigned n;
        char key[64];
};

static void count_warn(void *userdata, const char *key, const char *value, size_t n) {
        struct warned *w = userdata;
        (void) value;
        (void) n;
        w->n++;
        snprintf(w->key, sizeof w->key, "%s", key);
}

static struct hwcaps_cmdline parse(const char *s, struct warned *w) {
        struct hwcaps_cmdline c;
        hwcaps_cmdline_parse(s, strlen(s), &c, count_warn, w);
        return c;
}

Test(cmdline, nothing_of_ours_leaves_everything_unset) {
        struct warned w = {};
        struct hwcaps_cmdline c = parse("BOOT_IMAGE=/vmlinuz root=/dev/sda1 quiet splash", &w);
        cr_assert_eq(c.enabled, -1);
        cr_assert_eq(c.max_level, 0);
        cr_assert(!c.setenv_path);
        cr_assert_eq(c.env_enabled, -1);
        cr_assert_eq(w.n, 0);
}

Test(cmdline, every_off_spelling_turns_it_off) {
        const char *off[] = { "hwcaps=off", "hwcaps=0", "hwcaps=no", "hwcaps=false" };
        for (size_t i = 0; i < 4; i++) {
                struct warned w = {};
                cr_assert_eq(parse(off[i], &w).enabled, 0, "%s", off[i]);
        }
}

Test(cmdline, quoted_word_is_one_option) {
        struct warned w = {};
        cr_assert_eq(parse("quiet \"hwcaps=off\" ro", &w).enabled, 0);
        cr_assert_eq(parse("'hwcaps.max=x86-64-v2'", &w).max_level, 2);
}

Test(cmdline, last_occurrence_wins) {
        struct warned w = {};
        cr_assert_eq(parse("hwcaps=off hwcaps=on", &w).enabled, 1);
        cr_assert_eq(parse("hwcaps.max=x86-64-v3 hwcaps.max=x86-64-v2", &w).max_level, 2);
}

Test(cmdline, unknown_value_warns_and_is_ignored) {
        struct warned w = {};
        struct hwcaps_cmdline c = parse("hwcaps=off hwcaps=maybe", &w);
        cr_assert_eq(c.enabled, 0);
        cr_assert_eq(w.n, 1);
        cr_assert_str_eq(w.key, "hwcaps");
}

Test(cmdline, setenv_path_and_hwcaps) {
        struct warned w = {};
        struct hwcaps_cmdline c = parse("systemd.setenv=\"PATH=/usr/bin:/my dir\" systemd.setenv=HWCAPS=off", &w);
        cr_assert(c.setenv_path);
        cr_assert_eq(c.env_enabled, 0);
        cr_assert(!parse("systemd.setenv=PATHX=1 systemd.setenv=path=/x", &w).setenv_path);
}

Test(cmdline, binary_bytes_do_not_crash) {
        char buf[4096];
        struct warned w = {};
        struct hwcaps_cmdline c;
        srand(1);
        for (int round = 0; round < 200; round++) {
                for (size_t i = 0; i < sizeof buf; i++)
                        buf[i] = (char) rand();
                hwcaps_cmdline_parse(buf, sizeof buf, &c, count_warn, &w);
        }
        /* and a real option after NUL bytes still counts */
        memcpy(buf, "\0\0\0 hwcaps=off", 14);
        hwcaps_cmdline_parse(buf, 14, &c, NULL, NULL);
        cr_assert_eq(c.enabled, 0);
}

Test(cmdline, one_mebibyte_is_parsed_to_the_end) {
        size_t n = 1 << 20;
        char *buf = malloc(n + 16);
        struct hwcaps_cmdline c;
        memset(buf, 'x', n);
        memcpy(buf + n, " hwcaps=off", 11);
        hwcaps_cmdline_parse(buf, n + 11, &c, NULL, NULL);
        cr_assert_eq(c.enabled, 0);
        free(buf);
}
