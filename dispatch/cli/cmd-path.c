/* SPDX-License-Identifier: MIT */
/* hwcaps path: the PATH the environment generator would produce. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "commands.h"
#include "macro.h"
#include "policy.h"

static const char path_help[] =
        "Usage: hwcaps path [--path PATH] [--root DIR]\n"
        "Print the PATH the environment generator would produce from PATH (default:\n"
        "this process's): the supported level directories of each directory inserted\n"
        "right before it (only existing directories owned by root and not writable by\n"
        "group or others, every directory on the way too), under the same decision\n"
        "as every hwcaps program: /run/hwcaps/policy (the kernel command line and\n"
        "hwcaps.conf, compiled at boot), $HWCAPS, $HWCAPS_MAX_LEVEL; any off wins\n"
        "and the lowest cap wins.\n"
        "  --path PATH   compose this PATH instead of $PATH\n"
        "  --root DIR    check directories under DIR (also $HWCAPS_ROOT)\n";

int cmd_path(int argc, char **argv) {
        static const struct option options[] = {
                { "help", no_argument, NULL, 'h' },
                { "path", required_argument, NULL, 'p' },
                { "root", required_argument, NULL, 'r' },
                {}
        };
        _cleanup_free_ char *out = NULL;
        const char *path = getenv("PATH"), *root = NULL;
        struct hwcaps_sources s;
        struct hwcaps_policy p;
        int c, r;

        optind = 0;
        opterr = 0;
        while ((c = getopt_long(argc, argv, "+h", options, NULL)) >= 0)
                switch (c) {
                case 'h':
                        printf("%s", path_help);
                        return EXIT_OK;
                case 'p':
                        path = optarg;
                        break;
                case 'r':
                        root = optarg;
                        break;
                default:
                        usage_error("path: unknown option '%s'", argv[optind - 1]);
                        return EXIT_USAGE;
                }
        if (optind < argc) {
                usage_error("path: unexpected argument '%s'", argv[optind]);
                return EXIT_USAGE;
        }

        root = hwcaps_root(root);
        r = hwcaps_sources_load(&s, root, HWCAPS_LOAD_READ, log_warning_cb, NULL);
        if (r >= 0) {
                hwcaps_policy_decide(&s, secure_getenv("HWCAPS"), secure_getenv("HWCAPS_MAX_LEVEL"),
                                     HWCAPS_SRC_ENV, &p);
                r = hwcaps_policy_path(&p, root, path ? path : "", &out, log_warning_cb, NULL);
        }
        hwcaps_sources_done(&s);
        if (r < 0) {
                log_error("cannot compose PATH: out of memory");
                return EXIT_FAIL;
        }
        printf("%s\n", out);
        return EXIT_OK;
}
