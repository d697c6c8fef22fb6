/* SPDX-License-Identifier: MIT */
/* hwcaps path: the PATH the environment generator would produce. */
#include <stdio.h>
#include <stdlib.h>

#include "commands.h"
#include "escape.h"
#include "json.h"
#include "macro.h"
#include "options.h"
#include "policy.h"

static const char path_help[] =
        "Usage: hwcaps path [--path PATH] [--root DIR] [--json]\n"
        "Print the PATH the environment generator would produce from PATH (default:\n"
        "this process's): the supported level directories of each directory inserted\n"
        "right before it (only existing directories owned by root and not writable by\n"
        "group or others, every directory on the way too), under the same decision\n"
        "as every hwcaps program: /run/hwcaps/policy (the kernel command line and\n"
        "hwcaps.conf, compiled at boot), $HWCAPS, $HWCAPS_MAX_LEVEL; any off wins\n"
        "and the lowest cap wins.\n"
        "  --path PATH   compose this PATH instead of $PATH\n"
        "  --root DIR    check directories under DIR (also $HWCAPS_ROOT)\n"
        "  --json        the PATH, and the level and cap it was composed for (see hwcaps(1))\n";

struct path_args {
        const char *path;   /* compose this PATH */
        const char *root;   /* --root, or NULL */
        bool json;
};

static int parse_argv(int argc, char **argv, struct path_args *ret) {
        static const struct option options[] = {
                { "help", no_argument, NULL, 'h' },
                { "path", required_argument, NULL, 'p' },
                { "root", required_argument, NULL, 'r' },
                { "json", no_argument, NULL, 'j' },
                {}
        };
        struct options o = {
                .name = "path", .help = path_help, .shortopts = "+:h", .longopts = options,
                .argc = argc, .argv = argv,
        };
        int c;

        *ret = (struct path_args) { .path = getenv("PATH") };
        while ((c = options_next(&o)) > 0)
                switch (c) {
                case 'p':
                        ret->path = optarg;
                        break;
                case 'r':
                        ret->root = optarg;
                        break;
                case 'j':
                        ret->json = true;
                        break;
                }
        if (c != OPTIONS_END)
                return c;
        return options_no_operands(&o);
}

static int print_path(const struct path_args *a) {
        _cleanup_free_ char *out = NULL, *b_out = NULL;
        const char *root = hwcaps_root(a->root);
        struct hwcaps_sources s;
        struct hwcaps_policy p;
        int r;

        r = hwcaps_sources_load(&s, root, HWCAPS_LOAD_READ, log_warning_cb, NULL);
        if (r >= 0) {
                hwcaps_policy_decide(&s, secure_getenv("HWCAPS"), secure_getenv("HWCAPS_MAX_LEVEL"),
                                     HWCAPS_SRC_ENV, &p);
                r = hwcaps_policy_path(&p, root, a->path ? a->path : "", &out, log_warning_cb, NULL);
        }
        hwcaps_sources_done(&s);
        if (r < 0) {
                log_error("cannot compose PATH: out of memory");
                return EXIT_FAIL;
        }
        if (a->json) {
                json_begin(stdout, "path", false);
                json_level(stdout, "cpu_level", p.d.cpu, false);
                putchar(',');
                json_max_level(stdout, "", &p.d, false);
                putchar(',');
                json_name(stdout, "path", out, false);
                printf("}\n");
        } else
                printf("%s\n", escape_value(out, &b_out));
        return EXIT_OK;
}

int cmd_path(int argc, char **argv) {
        struct path_args args;
        int r = parse_argv(argc, argv, &args);

        return r > 0 ? print_path(&args) : options_exit_status(r);
}
