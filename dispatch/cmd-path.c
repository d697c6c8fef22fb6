/* SPDX-License-Identifier: MIT */
/* hwcaps path: the PATH the environment generator would produce. */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "commands.h"
#include "macro.h"
#include "probe.h"
#include "searchpath.h"

static void warn_stderr(void *userdata, const char *fmt, ...) {
        va_list ap;
        (void) userdata;
        fprintf(stderr, "%s: warning: ", program_name);
        va_start(ap, fmt);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
        fputc('\n', stderr);
}

static const char path_help[] =
        "Usage: hwcaps path [--path PATH] [--root DIR]\n"
        "Print PATH (default: this process's) with the supported level directories\n"
        "of each directory inserted right before it: only existing directories owned\n"
        "by root and not writable by group or others.\n"
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
        struct hwcaps_probe p;
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

        hwcaps_probe_glibc(&p);
        struct hwcaps_path_opts po = {
                .root = hwcaps_root(root),
                .max_level = p.level,
                .warn = warn_stderr,
        };
        r = hwcaps_path_compose(path ? path : "", &po, &out);
        if (r < 0) {
                log_error("cannot compose PATH: out of memory");
                return EXIT_FAIL;
        }
        printf("%s\n", out);
        return EXIT_OK;
}
