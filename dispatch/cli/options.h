/* SPDX-License-Identifier: MIT */
/* What every command's parse_argv() shares: getopt_long() with -h/--help,
 * and the usage errors that name the command ("hwcaps: path: unknown
 * option '--frob'", then the hint to the command's --help). */
#pragma once

#include <getopt.h>
#include <stdbool.h>

/* options_next() once the options are over, as getopt_long(): optind is
 * then the first operand. */
#define OPTIONS_END (-1)

struct options {
        const char *name;               /* the command in messages: "path", "profile check" */
        const char *help;               /* printed for -h and --help */
        const char *shortopts;          /* "+:h..." or ":h...": ':' (after any '+') so a missing argument is said as such */
        const struct option *longopts;  /* with { "help", no_argument, NULL, 'h' } */
        int argc;
        char **argv;
        bool started;                   /* options_next()'s own */
};

/* The next option for the caller's switch, with optarg set; never 'h', '?'
 * or ':'. OPTIONS_END when the options are over; otherwise what
 * parse_argv() returns at once: 0 after printing the help, -EINVAL after
 * a usage error (printed). The first call starts over (optind = 0). */
int options_next(struct options *o);

/* For a command without operands: 1, or -EINVAL after "NAME: unexpected
 * argument 'X'". */
int options_no_operands(const struct options *o);

/* An option's decimal number, read whole by strtoul() and not negative,
 * from min to max. 0 and *ret, or -EINVAL (the caller names the option). */
int options_unsigned(const char *s, unsigned long min, unsigned long max, unsigned long *ret);

/* parse_argv()'s 0 (after --help) or negative (a usage error; -ENOMEM,
 * said by parse_argv(), is a failure, not the user's error) as the
 * command's exit status. */
int options_exit_status(int r);
