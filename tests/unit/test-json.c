/* SPDX-License-Identifier: MIT */
/* JSON strings and names (json.c): always valid UTF-8 JSON; an invalid
 * byte and a backslash are the text \xHH; a name that was not UTF-8 has
 * its exact bytes beside it in NAME_bytes. */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "decide.h"
#include "json.h"
#include "macro.h"

static char *out;
static size_t out_size;

static FILE *capture(void) {
        free(out);
        out = NULL;
        return open_memstream(&out, &out_size);
}

static const char *string(const char *s) {
        FILE *f = capture();

        json_string(f, s);
        fclose(f);
        return out;
}

static const struct {
        const char *in, *out;
} strings[] = {
        { "", "\"\"" },
        { "/usr/bin/foo", "\"/usr/bin/foo\"" },
        { "caf\xc3\xa9 \xf0\x9f\x98\x80", "\"caf\xc3\xa9 \xf0\x9f\x98\x80\"" },   /* valid UTF-8 passes */
        { "a\"b", "\"a\\\"b\"" },
        { "a\\b", "\"a\\\\x5cb\"" },                                              /* backslash: \x5c */
        { "\x1b[2K\rOK", "\"\\u001b[2K\\u000dOK\"" },                             /* C0 */
        { "\x7f\xc2\x9b", "\"\\u007f\\u009b\"" },                                 /* DEL, C1 */
        { "a\xff" "b", "\"a\\\\xffb\"" },                                         /* invalid byte */
        { "\x80", "\"\\\\x80\"" },                                                /* stray continuation */
        { "\xe2\x82x", "\"\\\\xe2\\\\x82x\"" },                                   /* truncated */
        { "\xc0\xaf", "\"\\\\xc0\\\\xaf\"" },                                     /* overlong, 2 bytes */
        { "\xe0\x80\xaf", "\"\\\\xe0\\\\x80\\\\xaf\"" },                          /* overlong, 3 bytes */
        { "\xf0\x80\x80\xaf", "\"\\\\xf0\\\\x80\\\\x80\\\\xaf\"" },               /* overlong, 4 bytes */
        { "\xed\xa0\x80", "\"\\\\xed\\\\xa0\\\\x80\"" },                          /* surrogate */
        { "\xf4\x90\x80\x80", "\"\\\\xf4\\\\x90\\\\x80\\\\x80\"" },               /* above U+10FFFF */
        { "\xfe", "\"\\\\xfe\"" },                                                /* never a UTF-8 byte */
};

Test(json, each_string_of_the_table) {
        for (size_t i = 0; i < ELEMENTSOF(strings); i++)
                cr_expect_str_eq(string(strings[i].in), strings[i].out, "case %zu", i);
}

Test(json, a_valid_name_has_no_bytes_field) {
        FILE *f = capture();

        json_name(f, "path", "/usr/bin/caf\xc3\xa9", false);
        fputc(' ', f);
        json_name(f, "path", NULL, true);
        fclose(f);
        cr_assert_str_eq(out, "\"path\":\"/usr/bin/caf\xc3\xa9\" \"path\": null");
}

Test(json, a_name_not_utf8_has_its_bytes_in_hex_beside_it) {
        FILE *f = capture();

        json_name(f, "path", "/a\xff\\", false);
        fputc(' ', f);
        json_name(f, "file", "\xc0\xaf", true);
        fclose(f);
        cr_assert_str_eq(out, "\"path\":\"/a\\\\xff\\\\x5c\",\"path_bytes\":\"2f61ff5c\" "
                              "\"file\": \"\\\\xc0\\\\xaf\", \"file_bytes\": \"c0af\"");
}

Test(json, an_array_of_names_has_bytes_only_for_those_not_utf8) {
        char *valid[] = { "hwcaps", "caf\xc3\xa9", NULL };
        char *mixed[] = { "a", "b\xff", NULL };
        FILE *f = capture();

        json_names(f, "command", valid, false);
        fputc(' ', f);
        json_names(f, "missing", mixed, true);
        fputc(' ', f);
        json_names(f, "extra", NULL, true);
        fclose(f);
        cr_assert_str_eq(out, "\"command\":[\"hwcaps\",\"caf\xc3\xa9\"] "
                              "\"missing\": [\"a\", \"b\\\\xff\"], \"missing_bytes\": [null, \"62ff\"] "
                              "\"extra\": []");
}

Test(json, every_output_opens_with_the_version_and_the_subcommand) {
        FILE *f = capture();

        json_begin(f, "profile show", false);
        fputs("\"x\":1}", f);
        json_begin(f, "status", true);
        fclose(f);
        cr_assert_str_eq(out, "{\"hwcaps_json\":1,\"subcommand\":\"profile show\",\"x\":1}"
                              "{\n  \"hwcaps_json\": 1,\n  \"subcommand\": \"status\",\n");
}

Test(json, a_level_is_its_name_or_null) {
        FILE *f = capture();

        json_level(f, "cpu_level", HWCAPS_LEVEL_V3, false);
        fputc(' ', f);
        json_level(f, "cpu_level", HWCAPS_LEVEL_NONE, true);
        fputc(' ', f);
        json_level(f, "next_level", HWCAPS_LEVEL_MAX + 1, false);
        fclose(f);
        cr_assert_str_eq(out, "\"cpu_level\":\"x86-64-v3\" \"cpu_level\": null \"next_level\":null");
}

Test(json, no_cap_is_null_a_cap_its_level_reason_and_source) {
        struct hwcaps_decision d;
        FILE *f = capture();

        hwcaps_decision_init(&d);
        json_max_level(f, "", &d, false);
        fputc(' ', f);
        hwcaps_decision_cap(&d, HWCAPS_LEVEL_V2, HWCAPS_SRC_ENV, "HWCAPS_MAX_LEVEL=", "v2", 2);
        json_max_level(f, "manager_", &d, true);
        fclose(f);
        cr_assert_str_eq(out, "\"max_level\":null,\"max_level_reason\":null,\"max_level_source\":null "
                              "\"manager_max_level\": \"x86-64-v2\", "
                              "\"manager_max_level_reason\": \"HWCAPS_MAX_LEVEL=v2 (environment)\", "
                              "\"manager_max_level_source\": \"environment\"");
}
