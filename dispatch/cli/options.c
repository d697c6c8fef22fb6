/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "commands.h"
#include "options.h"

int options_next(struct options *o) {
        int c;

        if (!o->started) {
                optind = 0;
                opterr = 0; /* the messages are ours, below */
                o->started = true;
        }
        c = getopt_long(o->argc, o->argv, o->shortopts, o->longopts, NULL);
        switch (c) {
        case -1:
                return OPTIONS_END;
        case 'h':
                fputs(o->help, stdout);
                return 0;
        case ':':
                usage_error("%s: option '%s' needs an argument", o->name, o->argv[optind - 1]);
                return -EINVAL;
        case '?':
                /* (A missing argument comes as ':' only when shortopts
                 * starts with ':', after any '+': every command's does.) */
                usage_error("%s: unknown option '%s'", o->name, o->argv[optind - 1]);
                return -EINVAL;
        default:
                return c;
        }
}

int options_no_operands(const struct options *o) {
        if (optind < o->argc) {
                usage_error("%s: unexpected argument '%s'", o->name, o->argv[optind]);
                return -EINVAL;
        }
        return 1;
}

int options_exit_status(int r) {
        return r == -ENOMEM ? EXIT_FAIL : r < 0 ? EXIT_USAGE : EXIT_OK;
}

int options_unsigned(const char *s, unsigned long min, unsigned long max, unsigned long *ret) {
        unsigned long v;
        char *e;

        errno = 0;
        v = strtoul(s, &e, 10);
        if (errno || e == s || *e || s[0] == '-' || v < min || v > max)
                return -EINVAL;
        *ret = v;
        return 0;
}
