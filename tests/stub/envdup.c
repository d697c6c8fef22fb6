/* SPDX-License-Identifier: MIT */
/* envdup VAR=VALUE... -- PROGRAM [ARGS...]: run PROGRAM with the current
 * environment plus the given entries appended, duplicates kept (env(1)
 * would replace them): glibc reads every GLIBC_TUNABLES entry.
 * envdup --no-argv PROGRAM: run PROGRAM with an empty argv (argc 0). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv) {
        size_t n = 0, k = 0;
        int i;
        char **env;

        if (argc == 3 && strcmp(argv[1], "--no-argv") == 0) {
                char *none[] = { NULL };
                execve(argv[2], none, environ);
                perror(argv[2]);
                return 127;
        }
        while (environ[n])
                n++;
        env = calloc(n + argc + 1, sizeof *env);
        if (!env)
                return 125;
        for (; k < n; k++)
                env[k] = environ[k];
        for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
                env[k++] = argv[i];
        if (i + 1 >= argc) {
                fprintf(stderr, "Usage: envdup VAR=VALUE... -- PROGRAM [ARGS...]\n");
                return 125;
        }
        execve(argv[i + 1], argv + i + 1, env);
        perror(argv[i + 1]);
        return 127;
}
