/* SPDX-License-Identifier: MIT */
/* A level variant for the stub tests. Prints the level directory it was
 * executed from ("x86-64-v3", or "plain") and, on request:
 *   VARIANT_ARGV=FILE  argv, each element followed by a NUL byte
 *   VARIANT_ENV=FILE   environ the same way
 *   VARIANT_FD=N       "fd N open" or "fd N closed" on stdout
 *   VARIANT_EXIT=N     exit status N
 *   VARIANT_SIGNAL=N   kill itself with signal N
 *   VARIANT_SECURE=1   "secure=0|1" (AT_SECURE) on stdout
 *   VARIANT_EXE=1      "exe=PATH": the file it runs from (/proc/self/exe)
 *   VARIANT_AVX2=1     "avx2=0|1": is AVX2 active in glibc's own view
 *                      (<sys/platform/x86.h>, after GLIBC_TUNABLES) */
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/platform/x86.h>
#include <unistd.h>

extern char **environ;

static void dump(const char *file, char **v) {
        FILE *f = fopen(file, "we");

        if (!f) {
                perror(file);
                exit(99);
        }
        for (; *v; v++)
                fwrite(*v, 1, strlen(*v) + 1, f);
        fclose(f);
}

int main(int argc, char **argv) {
        char exe[PATH_MAX] = "";
        const char *s;
        char *level = (char *) "plain";
        ssize_t n;

        (void) argc;
        /* Read the environment before anything could change it. */
        if ((s = getenv("VARIANT_ENV")))
                dump(s, environ);
        if ((s = getenv("VARIANT_ARGV")))
                dump(s, argv);
        /* The file it runs from; for a path too long for /proc/self/exe,
         * the path it was executed as. */
        n = readlink("/proc/self/exe", exe, sizeof exe - 1);
        if (n > 0)
                exe[n] = '\0';
        else
                snprintf(exe, sizeof exe, "%s", (const char *) getauxval(AT_EXECFN));
        char *p = strstr(exe, "glibc-hwcaps/");
        if (p) {
                level = p + strlen("glibc-hwcaps/");
                *strchrnul(level, '/') = '\0';
        }
        printf("%s\n", level);
        if (getenv("VARIANT_EXE") && n > 0) {
                exe[n] = '\0'; /* the whole path again, not cut at the level */
                (void) readlink("/proc/self/exe", exe, sizeof exe - 1);
                printf("exe=%s\n", exe);
        }
        if ((s = getenv("VARIANT_SECURE")))
                printf("secure=%lu\n", getauxval(AT_SECURE));
        if ((s = getenv("VARIANT_AVX2")))
                printf("avx2=%d\n", CPU_FEATURE_ACTIVE(AVX2) ? 1 : 0);
        if ((s = getenv("VARIANT_FD")))
                printf("fd %s %s\n", s, fcntl(atoi(s), F_GETFD) >= 0 ? "open" : "closed");
        fflush(stdout);
        if ((s = getenv("VARIANT_SIGNAL"))) {
                signal(atoi(s), SIG_DFL);
                raise(atoi(s));
        }
        if ((s = getenv("VARIANT_EXIT")))
                return atoi(s);
        return 0;
}
