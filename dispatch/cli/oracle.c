/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "level.h"
#include "macro.h"
#include "oracle.h"

extern char **environ;

int hwcaps_oracle_parse(const char *text, size_t n, unsigned *levels) {
        /* glibc 2.33+ elf/dl-usage.c prints the heading, then one indented
         * line per subdirectory: "  x86-64-v3 (supported, searched)" or just
         * "  x86-64-v4" when not supported. A blank line ends the section. */
        static const char heading[] = "Subdirectories of glibc-hwcaps directories";
        const char *p = memmem(text, n, heading, sizeof heading - 1), *end = text + n;
        unsigned found = 0;

        if (!p)
                return -ENODATA;
        p = memchr(p, '\n', (size_t) (end - p));
        while (p && p < end) {
                const char *line = p + 1, *nl = memchr(line, '\n', (size_t) (end - line));
                size_t len = nl ? (size_t) (nl - line) : (size_t) (end - line);
                size_t i = 0;
                int level;

                while (i < len && line[i] == ' ')
                        i++;
                if (i == 0 || i == len)
                        break;
                level = hwcaps_level_dirname_parse(line + i, len - i >= 9 ? 9 : len - i);
                if (level > 0 && memmem(line + i, len - i, "(supported", 10))
                        found |= 1u << level;
                p = nl;
        }
        *levels = found;
        return 0;
}

int hwcaps_oracle_run(const char *ldso, unsigned *levels) {
        char *argv[] = { (char *) ldso, (char *) "--help", NULL };
        posix_spawn_file_actions_t fa;
        _cleanup_free_ char *buf = NULL;
        size_t n = 0, cap = 0;
        int pipefd[2], status, r;
        pid_t pid;

        if (pipe2(pipefd, O_CLOEXEC) < 0)
                return negative_errno();
        /* The file actions allocate: unchecked, a failed allocation let
         * ld.so print its help onto our stdout (found by tests/faults). */
        r = posix_spawn_file_actions_init(&fa);
        if (r == 0) {
                r = posix_spawn_file_actions_adddup2(&fa, pipefd[1], STDOUT_FILENO);
                if (r == 0)
                        r = posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
                if (r == 0)
                        r = posix_spawn(&pid, ldso, &fa, NULL, argv, environ);
                posix_spawn_file_actions_destroy(&fa);
        }
        close(pipefd[1]);
        if (r != 0) {
                close(pipefd[0]);
                return -r;
        }
        for (;;) {
                if (n + 4096 > cap) {
                        char *b = realloc(buf, cap = cap ? cap * 2 : 16384);
                        if (!b) {
                                r = -ENOMEM;
                                break;
                        }
                        buf = b;
                }
                ssize_t k = read(pipefd[0], buf + n, cap - n);
                if (k < 0 && errno == EINTR)
                        continue;
                /* A read error is no verdict, not a shorter one (a cut-off
                 * section would name fewer levels: found by tests/faults). */
                if (k < 0)
                        r = negative_errno();
                if (k <= 0)
                        break;
                n += (size_t) k;
        }
        close(pipefd[0]);
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
                ;
        if (r < 0)
                return r;
        if (!buf)
                return -ENODATA;
        return hwcaps_oracle_parse(buf, n, levels);
}
