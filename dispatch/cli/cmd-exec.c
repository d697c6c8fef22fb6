/* SPDX-License-Identifier: MIT */
/* hwcaps exec: run the best variant of a program, by the rules of
 * "hwcaps which" (the stub's rules for a path, PATH's for a name). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "options.h"
#include "resolve.h"

extern char **environ;

static const char exec_help[] =
        "Usage: hwcaps exec [--] NAME [ARGS...]\n"
        "Run the best level variant of NAME with ARGS (argv[0] is NAME), by the rules\n"
        "\"hwcaps which NAME\" shows. The environment and file descriptors are passed on.\n"
        "Exit status: that of the program; 127 when no candidate could be run, 126 when\n"
        "one was found but exec failed for a reason no other would fix; 2 usage error.\n";

/* The same "try the next one" errors as the stub (stub.c try_next()). */
static bool try_next(int e) {
        return e == ENOENT || e == ENOTDIR || e == ELOOP || e == ENAMETOOLONG ||
               e == EACCES || e == ENOEXEC || e == ETXTBSY;
}

struct exec_args {
        char **argv;        /* NAME [ARGS...] */
};

/* Not getopt: only a first word of -h, --help or -- is ours, spelled out in
 * full (getopt would take --he or -hx for --help), and anything else
 * starting with '-' gets its own hint. */
static int parse_argv(int argc, char **argv, struct exec_args *ret) {
        int i = 1;

        if (argc > 1 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
                printf("%s", exec_help);
                return 0;
        }
        if (argc > 1 && strcmp(argv[1], "--") == 0)
                i++;
        else if (argc > 1 && argv[1][0] == '-') {
                usage_error("exec: unknown option '%s' (use -- before a NAME starting with '-')", argv[1]);
                return -EINVAL;
        }
        if (i >= argc || !argv[i][0]) {
                usage_error("exec: expected a program NAME");
                return -EINVAL;
        }
        ret->argv = argv + i;
        return 1;
}

static int exec_best(const struct exec_args *a) {
        const char *name = a->argv[0];
        struct resolve r;
        int k;

        k = resolve_name(name, hwcaps_root(NULL), "", &r);
        if (k < 0) {
                log_error("exec: %s", strerror(-k));
                return 127;
        }
        for (size_t j = 0; j < r.n; j++) {
                if (!r.c[j].runnable)
                        continue;
                execve(r.c[j].path, a->argv, environ);
                if (!try_next(errno)) {
                        log_error("exec: %s: %m", r.c[j].path);
                        resolve_done(&r);
                        return 126;
                }
        }
        log_error("exec: %s: no runnable variant (see 'hwcaps which %s')", name, name);
        resolve_done(&r);
        return 127;
}

int cmd_exec(int argc, char **argv) {
        struct exec_args args;
        int r = parse_argv(argc, argv, &args);

        return r > 0 ? exec_best(&args) : options_exit_status(r);
}
