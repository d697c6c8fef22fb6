/* SPDX-License-Identifier: MIT */
/* hwcaps exec: run the best variant of a program, by the rules of
 * "hwcaps which" (the stub's rules for a path, PATH's for a name). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
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

int cmd_exec(int argc, char **argv) {
        struct resolve r;
        int i = 1, k;

        if (argc > 1 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
                printf("%s", exec_help);
                return EXIT_OK;
        }
        if (argc > 1 && strcmp(argv[1], "--") == 0)
                i++;
        else if (argc > 1 && argv[1][0] == '-') {
                usage_error("exec: unknown option '%s' (use -- before a NAME starting with '-')", argv[1]);
                return EXIT_USAGE;
        }
        if (i >= argc || !argv[i][0]) {
                usage_error("exec: expected a program NAME");
                return EXIT_USAGE;
        }

        k = resolve_name(argv[i], hwcaps_root(NULL), &r);
        if (k < 0) {
                log_error("exec: %s", strerror(-k));
                return 127;
        }
        for (size_t j = 0; j < r.n; j++) {
                if (!r.c[j].runnable)
                        continue;
                execve(r.c[j].path, argv + i, environ);
                if (!try_next(errno)) {
                        log_error("exec: %s: %m", r.c[j].path);
                        resolve_done(&r);
                        return 126;
                }
        }
        log_error("exec: %s: no runnable variant (see 'hwcaps which %s')", argv[i], argv[i]);
        resolve_done(&r);
        return 127;
}
