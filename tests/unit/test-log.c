/* SPDX-License-Identifier: MIT */
/* The hwcaps command's messages (log.c): every line names the program, a
 * warning says so, a usage error ends with the hint to the help. */
#include <criterion/criterion.h>

#include "cli-log.h"

Test(log, an_error_is_one_line_naming_the_program) {
        log_error("%s: cannot open (%d)", "/x", 2);
        cr_assert_str_eq(fixture_log, "hwcaps: /x: cannot open (2)\n");
}

Test(log, a_warning_says_so_also_as_a_library_callback) {
        log_warning("one");
        log_warning_cb(NULL, "two %u", 2u);
        cr_assert_str_eq(fixture_log, "hwcaps: warning: one\nhwcaps: warning: two 2\n");
}

Test(log, a_usage_error_points_to_the_help_of_the_command_running) {
        usage_command = "profile merge";
        usage_error("profile merge: missing -o OUT");
        cr_assert_str_eq(fixture_log, "hwcaps: profile merge: missing -o OUT\n"
                                      "Try 'hwcaps profile merge --help' for more information.\n");
}

Test(log, a_usage_error_points_to_the_help) {
        usage_error("path: unknown option '%s'", "--frob");
        cr_assert_str_eq(fixture_log, "hwcaps: path: unknown option '--frob'\n"
                                      "Try 'hwcaps --help' for more information.\n");
}

/* A file name with an escape sequence cannot rewrite the terminal. */
Test(log, a_message_is_escaped_as_escape_h_says) {
        log_error("%s: not a variant", "/x/\x1b[2K\rOK\xff\\");
        cr_assert_str_eq(fixture_log, "hwcaps: /x/\\x1b[2K\\x0dOK\\xff\\x5c: not a variant\n");
}

/* Colour: a terminal only (a pseudo-terminal here), never with NO_COLOR
 * set and not empty (no-color.org), TERM=dumb or unset, or in a pipe. */
#include <pty.h>
#include <stdlib.h>
#include <unistd.h>

static FILE *open_tty(void) {
        int m, s;
        FILE *f;

        cr_assert_eq(openpty(&m, &s, NULL, NULL, NULL), 0);
        f = fdopen(s, "w");
        cr_assert_not_null(f);
        return f;
}

Test(log, colour_on_a_terminal) {
        FILE *f = open_tty();

        unsetenv("NO_COLOR");
        setenv("TERM", "xterm", 1);
        cr_assert_str_eq(color(f, COLOR_RED), "\033[1;31m");
        cr_assert_str_eq(color(f, COLOR_RESET), "\033[0m");
        setenv("NO_COLOR", "", 1); /* empty: as unset */
        cr_assert_str_eq(color(f, COLOR_GREEN), "\033[1;32m");
}

Test(log, no_colour_with_no_color_or_a_dumb_terminal) {
        FILE *f = open_tty();

        setenv("TERM", "xterm", 1);
        setenv("NO_COLOR", "1", 1);
        cr_assert_str_eq(color(f, COLOR_RED), "");
        unsetenv("NO_COLOR");
        setenv("TERM", "dumb", 1);
        cr_assert_str_eq(color(f, COLOR_RED), "");
        unsetenv("TERM");
        cr_assert_str_eq(color(f, COLOR_RED), "");
}

Test(log, no_colour_in_a_pipe_or_a_buffer) {
        int p[2];
        FILE *f;

        unsetenv("NO_COLOR");
        setenv("TERM", "xterm", 1);
        cr_assert_eq(pipe(p), 0);
        f = fdopen(p[1], "w");
        cr_assert_str_eq(color(f, COLOR_RED), "");
        cr_assert_str_eq(color(log_stream, COLOR_RED), "");
        cr_assert_str_eq(color(NULL, COLOR_RED), "");
}
