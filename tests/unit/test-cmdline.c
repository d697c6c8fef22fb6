/* SPDX-License-Identifier: MIT */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmdline.h"

static int warned;
static char last_key[64];

static void count(void *ud, const char *key, const char *v, size_t n) {
        (void) ud, (void) v, (void) n;
        warned++;
        snprintf(last_key, sizeof last_key, "%s", key);
}

static struct hwcaps_cmdline parse(const char *s) {
        struct hwcaps_cmdline c;
        warned = 0;
        hwcaps_cmdline_parse(s, strlen(s), &c, count, NULL);
        return c;
}

Test(cmdline, nothing_given) {
        struct hwcaps_cmdline c = parse("BOOT_IMAGE=/vmlinuz root=/dev/vda ro quiet");
        cr_assert_eq(c.enabled, -1);
        cr_assert_eq(c.max_level, 0);
        cr_assert_not(c.setenv_path);
        cr_assert_eq(c.env_enabled, -1);
        cr_assert_eq(warned, 0);
}

Test(cmdline, off_spellings) {
        static const char *off[] = { "hwcaps=off", "hwcaps=0", "hwcaps=no", "hwcaps=false", "hwcaps=n", "hwcaps=f" };
        for (size_t i = 0; i < sizeof off / sizeof *off; i++)
                cr_assert_eq(parse(off[i]).enabled, 0, "%s", off[i]);
        cr_assert_eq(parse("hwcaps=on").enabled, 1);
        cr_assert_eq(parse("hwcaps").enabled, 1, "a bare switch means on");
}

Test(cmdline, last_occurrence_wins) {
        cr_assert_eq(parse("hwcaps=off quiet hwcaps=1").enabled, 1);
        cr_assert_eq(parse("hwcaps=1 hwcaps=off").enabled, 0);
        cr_assert_eq(parse("hwcaps.max=x86-64-v3 hwcaps.max=x86-64-v2").max_level, 2);
}

Test(cmdline, values_not_understood_count_as_off_with_a_warning) {
        struct hwcaps_cmdline c = parse("hwcaps=on hwcaps=maybe");
        cr_assert_eq(c.enabled, 0, "an opt-out that cannot be parsed fails closed");
        cr_assert_eq(warned, 1);
        cr_assert_str_eq(last_key, "hwcaps");
        c = parse("hwcaps.max=x86-64-v3 hwcaps.max=x86-64-v5");
        cr_assert_eq(c.max_level, 1);
        cr_assert_eq(warned, 1);
        c = parse("hwcaps.max");
        cr_assert_eq(c.max_level, 1);
        cr_assert_eq(warned, 1);
        /* a later valid word still wins, as in systemd */
        cr_assert_eq(parse("hwcaps=maybe hwcaps=on").enabled, 1);
}

Test(cmdline, booleans_and_levels_in_any_case) {
        cr_assert_eq(parse("hwcaps=OFF").enabled, 0);
        cr_assert_eq(parse("hwcaps=No").enabled, 0);
        cr_assert_eq(parse("hwcaps=TRUE").enabled, 1);
        cr_assert_eq(parse("hwcaps.max=v3").max_level, 3);
        cr_assert_eq(parse("hwcaps.max=X86-64-V2").max_level, 2);
        cr_assert_eq(parse("systemd.setenv=HWCAPS=Off").env_enabled, 0);
        cr_assert_eq(parse("systemd.setenv=HWCAPS_MAX_LEVEL=v2").env_max_level, 2);
        cr_assert_eq(parse("systemd.setenv=HWCAPS_MAX_LEVEL=").env_max_level, 0, "empty unsets");
        cr_assert_eq(parse("systemd.setenv=HWCAPS_MAX_LEVEL=v9").env_max_level, 1);
}

Test(cmdline, one_of_ours_too_long_to_read_counts_as_off) {
        /* A word over 4 KiB (bootconfig, PID 1's argv, the EFI variable) is
         * not read whole; one of ours was ignored, so a cap was lost. */
        size_t n = 4200;
        char *buf = malloc(n + 64);

        for (const char *const *k = (const char *const[]) { "hwcaps=", "hwcaps.max=", "systemd.setenv=HWCAPS=",
                                                              "systemd.setenv=HWCAPS_MAX_LEVEL=", NULL }; *k; k++) {
                struct hwcaps_cmdline c;
                size_t l = strlen(*k);

                memcpy(buf, *k, l);
                memset(buf + l, 'x', n - l);
                hwcaps_cmdline_parse(buf, n, &c, NULL, NULL);
                cr_assert(c.enabled == 0 || c.max_level == 1 || c.env_enabled == 0 || c.env_max_level == 1, "%s", *k);
        }
        memcpy(buf, "quiet=", 6);
        memset(buf + 6, 'x', n - 6);
        struct hwcaps_cmdline c;
        hwcaps_cmdline_parse(buf, n, &c, NULL, NULL);
        cr_assert_eq(c.enabled, -1, "another long word is nothing");
        free(buf);
}

Test(cmdline, words_split_where_systemd_splits_them) {
        /* systemd splits at space, tab, newline and CR only: a \v, \f or
         * other control byte is part of the word (and so is a backslash
         * with what follows it, EXTRACT_RETAIN_ESCAPE). */
        cr_assert_eq(parse("quiet\vhwcaps=off").enabled, -1);
        cr_assert_eq(parse("quiet\fhwcaps=off").enabled, -1);
        cr_assert_eq(parse("quiet\x01hwcaps=off").enabled, -1);
        cr_assert_eq(parse("quiet\x1fhwcaps=off").enabled, -1);
        cr_assert_eq(parse("quiet\rhwcaps=off").enabled, 0);
        cr_assert_eq(parse("quiet\thwcaps=off").enabled, 0);
        cr_assert_eq(parse("x=a\\ hwcaps=off").enabled, -1, "an escaped space joins");
        cr_assert_eq(parse("x=\\\"a hwcaps=off").enabled, 0, "an escaped quote opens nothing");
}

Test(cmdline, quoting_like_systemd) {
        cr_assert_eq(parse("\"hwcaps.max=x86-64-v2\"").max_level, 2);
        cr_assert_eq(parse("hwcaps.max=\"x86-64-v3\"").max_level, 3);
        cr_assert_eq(parse("hwcaps='off'").enabled, 0);
        /* a quoted space does not split the word */
        cr_assert_eq(parse("foo=\"a hwcaps=off\"").enabled, -1);
        /* an unterminated quote runs to the end */
        cr_assert_eq(parse("x=\"y hwcaps=off").enabled, -1);
}

Test(cmdline, keys_are_exact) {
        /* systemd equates "-" and "_" in keys; none of ours has either, and
         * a dot is not one of them. */
        cr_assert_not(parse("systemd_setenv=PATH=/bin").setenv_path);
        cr_assert_eq(parse("hwcaps_max=x86-64-v2").max_level, 0);
        cr_assert_eq(parse("HWCAPS=off").enabled, -1);
}

Test(cmdline, prefixes_and_lookalikes_are_not_ours) {
        cr_assert_eq(parse("hwcapsx=off rd.hwcaps=off xhwcaps=off").enabled, -1);
        cr_assert_eq(parse("hwcaps.maxx=x86-64-v2").max_level, 0);
        cr_assert_eq(warned, 0);
}

Test(cmdline, setenv_path_and_hwcaps) {
        struct hwcaps_cmdline c = parse("systemd.setenv=PATH=/usr/bin:/bin systemd.setenv=HWCAPS=off");
        cr_assert(c.setenv_path);
        cr_assert_eq(c.env_enabled, 0);
        cr_assert_not(parse("systemd.setenv=PATHX=/bin").setenv_path);
        cr_assert_not(parse("systemd.setenv=path=/bin").setenv_path, "variable names are case-sensitive");
        cr_assert_eq(parse("systemd.setenv=HWCAPS=bogus").env_enabled, 0);
        cr_assert_eq(warned, 1);
}

Test(cmdline, whitespace_and_binary_bytes_separate_words) {
        static const char buf[] = "quiet\0hwcaps=off\n\t hwcaps.max=x86-64-v2\xff\xfe";
        struct hwcaps_cmdline c;
        hwcaps_cmdline_parse(buf, sizeof buf - 1, &c, NULL, NULL);
        cr_assert_eq(c.enabled, 0);
        cr_assert_eq(c.max_level, 1, "\\xff\\xfe glued to the value: not understood, counts as off");
}

Test(cmdline, one_mib_of_garbage_then_an_option) {
        size_t n = 1 << 20;
        char *buf = malloc(n + 32);
        for (size_t i = 0; i < n; i++)
                buf[i] = (char) ("ab= \"'\\x"[i % 8]);
        strcpy(buf + n, " \" hwcaps=off");
        struct hwcaps_cmdline c;
        hwcaps_cmdline_parse(buf, strlen(buf), &c, NULL, NULL);
        /* the garbage ends inside a quote or not depending on parity; only
         * require that it terminates and stays within its bounds */
        cr_assert(c.enabled == 0 || c.enabled == -1);
        free(buf);
}

Test(cmdline, overlong_word_is_skipped_but_setenv_path_still_seen) {
        size_t n = 10000;
        char *buf = malloc(n + 64);
        cr_assert_not_null(buf);
        strcpy(buf, "systemd.setenv=PATH=");
        memset(buf + 20, 'a', n);
        strcpy(buf + 20 + n, " hwcaps=off");
        struct hwcaps_cmdline c;
        hwcaps_cmdline_parse(buf, strlen(buf), &c, NULL, NULL);
        cr_assert(c.setenv_path);
        cr_assert_eq(c.enabled, 0);
        free(buf);
}

Test(cmdline, parse_boolean_matches_systemd) {
        cr_assert_eq(hwcaps_parse_boolean("yes", 3), 1);
        cr_assert_eq(hwcaps_parse_boolean("t", 1), 1);
        cr_assert_eq(hwcaps_parse_boolean("off", 3), 0);
        cr_assert_eq(hwcaps_parse_boolean("", 0), -1);
        cr_assert_eq(hwcaps_parse_boolean("offf", 4), -1);
        cr_assert_eq(hwcaps_parse_boolean("of", 2), -1);
}

/* Bad input: random bytes, NUL bytes (1 MiB: one_mib_of_garbage_then_an_option). */
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

Test(cmdline_input, binary_bytes_do_not_crash) {
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
