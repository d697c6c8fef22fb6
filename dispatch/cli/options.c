/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>

#include "commands.h"
#include "options.h"

int options_next(struct options *o) {
        bool own_errors = !(o->flags & OPTIONS_GETOPT_ERRORS);
        int c;

        if (!o->started) {
                optind = 0;
                opterr = !own_errors;
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
                /* Without ':' in shortopts, a missing argument too (named
                 * an unknown option). */
                if (own_errors)
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
        return r < 0 ? EXIT_USAGE : EXIT_OK;
}
