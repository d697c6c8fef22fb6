/* SPDX-License-Identifier: MIT */
/* Names shown in text (escape.c): valid printable UTF-8 passes, and every
 * byte of an invalid sequence, of a control character, and a backslash is
 * \xHH; one table, each invalid UTF-8 class a row. */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "escape.h"
#include "macro.h"

static const struct {
        const char *in, *out;
        bool valid;  /* utf8_valid(in) */
} cases[] = {
        { "", "", true },
        { "/usr/bin/foo", "/usr/bin/foo", true },
        { "caf\xc3\xa9", "caf\xc3\xa9", true },                              /* U+00E9, 2 bytes */
        { "\xe2\x82\xac", "\xe2\x82\xac", true },                            /* U+20AC, 3 bytes */
        { "\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80", true },                    /* U+1F600, 4 bytes */
        { "\xef\xbf\xbf\xf4\x8f\xbf\xbf", "\xef\xbf\xbf\xf4\x8f\xbf\xbf", true }, /* U+FFFF, U+10FFFF */
        { "\x1b[2K\rOK", "\\x1b[2K\\x0dOK", true },                          /* C0: ESC, CR */
        { "a\nb\tc", "a\\x0ab\\x09c", true },
        { "del\x7f", "del\\x7f", true },                                     /* DEL */
        { "\xc2\x9b" "2K", "\\xc2\\x9b2K", true },                           /* C1 CSI U+009B */
        { "\xc2\x80\xc2\x9f\xc2\xa0", "\\xc2\\x80\\xc2\\x9f\xc2\xa0", true }, /* C1 bounds; U+00A0 passes */
        { "a\\b", "a\\x5cb", true },                                         /* backslash */
        { "a\\xffb", "a\\x5cxffb", true },                                   /* the text of an escape */
        { "a\xff" "b", "a\\xffb", false },                                   /* never a UTF-8 byte */
        { "\xfe\xf5\xf8", "\\xfe\\xf5\\xf8", false },                        /* F5..FF lead bytes */
        { "\x80x", "\\x80x", false },                                        /* stray continuation */
        { "\xc3", "\\xc3", false },                                          /* truncated at the end */
        { "\xe2\x82x", "\\xe2\\x82x", false },                               /* truncated before ASCII */
        { "\xf0\x9f\x98", "\\xf0\\x9f\\x98", false },                        /* 4-byte, truncated */
        { "\xc0\xaf", "\\xc0\\xaf", false },                                 /* overlong '/', 2 bytes */
        { "\xc1\xbf", "\\xc1\\xbf", false },                                 /* overlong, 2 bytes */
        { "\xe0\x80\xaf", "\\xe0\\x80\\xaf", false },                        /* overlong '/', 3 bytes */
        { "\xe0\x9f\xbf", "\\xe0\\x9f\\xbf", false },                        /* overlong U+07FF */
        { "\xf0\x80\x80\xaf", "\\xf0\\x80\\x80\\xaf", false },               /* overlong '/', 4 bytes */
        { "\xf0\x8f\xbf\xbf", "\\xf0\\x8f\\xbf\\xbf", false },               /* overlong U+FFFF */
        { "\xed\xa0\x80", "\\xed\\xa0\\x80", false },                        /* surrogate U+D800 */
        { "\xed\xbf\xbf", "\\xed\\xbf\\xbf", false },                        /* surrogate U+DFFF */
        { "\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80", false },               /* U+110000 */
        { "\xf7\xbf\xbf\xbf", "\\xf7\\xbf\\xbf\\xbf", false },               /* U+1FFFFF */
        { "\xc3\xa9\xff\xc3\xa9", "\xc3\xa9\\xff\xc3\xa9", false },          /* resynchronizes */
};

Test(escape, each_case_of_the_table) {
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_free_ char *buf = NULL;

                cr_expect_str_eq(escape_name(cases[i].in, &buf), cases[i].out, "case %zu", i);
                cr_expect_eq(utf8_valid(cases[i].in), cases[i].valid, "case %zu", i);
        }
}

Test(escape, a_name_needing_nothing_is_returned_itself_without_allocating) {
        const char *s = "/usr/bin/caf\xc3\xa9";
        char *buf = NULL;

        cr_assert_eq(escape_name(s, &buf), s);
        cr_assert_null(buf);
}

Test(escape, decoding_gives_the_code_point_and_the_length) {
        static const struct {
                const char *in;
                size_t len;
                uint32_t c;
        } seqs[] = {
                { "\xf0\x9f\x98\x80", 4, 0x1f600 },
                { "\xe2\x82\xac", 3, 0x20ac },
                { "\xc3\xa9", 2, 0xe9 },
                { "A", 1, 'A' },
                { "", 0, 0 },
                { "\xc3", 0, 0 },  /* stops at the NUL */
        };

        for (size_t i = 0; i < ELEMENTSOF(seqs); i++) {
                uint32_t c = 0;

                cr_expect_eq(utf8_decode(seqs[i].in, &c), seqs[i].len, "case %zu", i);
                cr_expect_eq(c, seqs[i].c, "case %zu", i);
        }
}

Test(escape, a_value_for_scripts_is_exact_when_stdout_is_no_terminal) {
        char *buf = NULL;

        cr_assert_not_null(freopen("/dev/null", "w", stdout));
        cr_assert_str_eq(escape_value("a\\b\xff", &buf), "a\\b\xff");
        cr_assert_null(buf);
}
