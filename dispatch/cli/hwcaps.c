/* SPDX-License-Identifier: MIT */
/* hwcaps: inspect and use x86-64 micro-architecture levels. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
#include "macro.h"
#include "policy.h"

static const struct {
        const char *name;
        int (*run)(int argc, char **argv);
        const char *summary;
} commands[] = {
        { "level",   cmd_level,   "print the highest supported level" },
        { "levels",  cmd_levels,  "print the supported levels, highest first" },
        { "explain", cmd_explain, "show every feature each level needs and why a level is (not) supported" },
        { "path",    cmd_path,    "print the PATH the environment generator would produce" },
        { "which",   cmd_which,   "show which variant of a program runs, and why the others do not" },
        { "exec",    cmd_exec,    "run the best variant of a program" },
        { "status",  cmd_status,  "show which levels are active and why, and where PATH lacks them" },
        { "check",   cmd_check,   "check glibc-hwcaps variants (buildroots, installed trees, rpm owners)" },
        { "list",    cmd_list,    "list the programs with variants, which one runs and each one's package" },
        { "bench",   cmd_bench,   "time a program's level variants, or other builds of it, and compare" },
        { "profile", cmd_profile, "record, convert, merge and show AutoFDO sample profiles" },
};

const char *hwcaps_root(const char *opt_root) {
        if (!opt_root)
                return hwcaps_root_prefix();
        /* "/" and "" both mean the real root; a trailing "/" would double up. */
        return strcmp(opt_root, "/") == 0 ? "" : opt_root;
}

int hwcaps_root_usable(const char *command, const char *root) {
        struct stat st;

        if (!root[0])
                return 0;
        if (stat(root, &st) < 0) {
                log_error("%s: --root %s: %s", command, root, strerror(errno));
                return -errno;
        }
        if (!S_ISDIR(st.st_mode)) {
                log_error("%s: --root %s: not a directory", command, root);
                return -ENOTDIR;
        }
        return 0;
}

static void help(FILE *f) {
        fprintf(f,
                "Usage: %s COMMAND [OPTIONS...]\n"
                "\n"
                "Run the best x86-64 micro-architecture level variant of a program,\n"
                "by the criteria of the dynamic linker's glibc-hwcaps.\n"
                "\n"
                "Commands:\n", program_name);
        for (size_t i = 0; i < ELEMENTSOF(commands); i++)
                fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
        fprintf(f,
                "\n"
                "Options:\n"
                "  -h --help     show this help ('%s COMMAND --help' for a command)\n"
                "  --version     show the version\n"
                "\n"
                "Exit status: 0 success, 1 failure, 2 usage error. See hwcaps(1).\n",
                program_name);
}

int main(int argc, char **argv) {
        if (argc < 2) {
                usage_error("no command given");
                return EXIT_USAGE;
        }
        if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0) {
                help(stdout);
                return EXIT_OK;
        }
        if (strcmp(argv[1], "--version") == 0) {
                printf("hwcaps %s\n", HWCAPS_VERSION);
                return EXIT_OK;
        }
        for (size_t i = 0; i < ELEMENTSOF(commands); i++)
                if (strcmp(argv[1], commands[i].name) == 0) {
                        usage_command = commands[i].name;
                        return commands[i].run(argc - 1, argv + 1);
                }

        if (argv[1][0] == '-')
                usage_error("unknown option '%s' (options go after the command)", argv[1]);
        else
                usage_error("unknown command '%s'", argv[1]);
        return EXIT_USAGE;
}
