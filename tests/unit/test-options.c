/* SPDX-License-Identifier: MIT */
/* The option helper every command's parse_argv() uses (options.c): the
 * next option, --help, usage errors naming the command, operands. Every
 * command's messages word for word: tests/cli/test-usage.sh. */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <errno.h>
#include <limits.h>
#include <string.h>

#include "cli-log.h"
#include "options.h"

#define HINT "Try 'hwcaps --help' for more information.\n"

static const struct option longopts[] = {
        { "help", no_argument, NULL, 'h' },
        { "json", no_argument, NULL, 'j' },
        { "root", required_argument, NULL, 'r' },
        {},
};

/* Parses argv (NULL-terminated) the way a command does; returns what
 * parse_argv() would: 1 parsed, 0 after --help, -EINVAL. */
static int parse(char **argv, bool *json, const char **root) {
        int argc = 0, c;

        while (argv[argc])
                argc++;
        struct options o = { .name = "demo", .help = "demo help\n", .shortopts = ":hjr:",
                             .longopts = longopts, .argc = argc, .argv = argv };
        cli_log_reset();
        *json = false;
        *root = NULL;
        while ((c = options_next(&o)) != OPTIONS_END)
                switch (c) {
                case 'j':
                        *json = true;
                        break;
                case 'r':
                        *root = optarg;
                        break;
                default:
                        return c;
                }
        return options_no_operands(&o);
}

Test(options, options_then_the_end) {
        char *argv[] = { "demo", "--json", "-r", "/srv", NULL };
        bool json;
        const char *root;

        cr_assert_eq(parse(argv, &json, &root), 1);
        cr_assert(json);
        cr_assert_str_eq(root, "/srv");
        cr_assert_str_empty(fixture_log);
}

Test(options, each_parse_starts_over) {
        char *first[] = { "demo", "-j", NULL }, *second[] = { "demo", "--root=/x", NULL };
        bool json;
        const char *root;

        cr_assert_eq(parse(first, &json, &root), 1);
        cr_assert_eq(parse(second, &json, &root), 1);
        cr_assert_not(json);
        cr_assert_str_eq(root, "/x");
}

Test(options, help_is_printed_and_ends_parsing, .init = cr_redirect_stdout) {
        char *argv[] = { "demo", "--help", "--frob", NULL };
        bool json;
        const char *root;

        cr_assert_eq(parse(argv, &json, &root), 0);
        fflush(stdout);
        cr_assert_stdout_eq_str("demo help\n");
}

/* argv (NULL-terminated) is a usage error with this message and the hint. */
static void expect_usage_error(char **argv, const char *message) {
        bool json;
        const char *root;
        char want[256];

        cr_assert_eq(parse(argv, &json, &root), -EINVAL);
        snprintf(want, sizeof want, "hwcaps: demo: %s\n" HINT, message);
        cr_assert_str_eq(fixture_log, want);
}

Test(options, unknown_option_names_the_command) {
        expect_usage_error((char *[]) { "demo", "--frob", NULL }, "unknown option '--frob'");
        cr_assert_eq(options_exit_status(-EINVAL), 2);
        cr_assert_eq(options_exit_status(0), 0);
        cr_assert_eq(options_exit_status(-ENOMEM), 1, "out of memory is a failure, not a usage error");
}

Test(options, missing_argument_is_said_so) {
        expect_usage_error((char *[]) { "demo", "--root", NULL }, "option '--root' needs an argument");
}

Test(options, an_operand_where_none_is_taken) {
        expect_usage_error((char *[]) { "demo", "-j", "extra", NULL }, "unexpected argument 'extra'");
}

/* The one number rule of bench -n/-w, profile -n/-c/--min. */
Test(options, unsigned_numbers_digits_only_within_bounds) {
        unsigned long v = 7;

        cr_assert_eq(options_unsigned("42", 0, 100, &v), 0);
        cr_assert_eq(v, 42);
        cr_assert_eq(options_unsigned("100", 0, 100, &v), 0);
        cr_assert_eq(options_unsigned("101", 0, 100, &v), -EINVAL);
        cr_assert_eq(options_unsigned("16", 17, 200, &v), -EINVAL);
        for (const char *const *bad = (const char *const[]) { "", "-1", "1 ", "1x", "0x10",
                                                              "99999999999999999999999", NULL }; *bad; bad++)
                cr_assert_eq(options_unsigned(*bad, 0, ULONG_MAX, &v), -EINVAL, "'%s'", *bad);
        cr_assert_eq(v, 100, "unchanged on error");
}
