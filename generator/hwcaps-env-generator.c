/* SPDX-License-Identifier: MIT */
/* hwcaps-env-generator: a systemd environment generator (installed as
 * 60-hwcaps, see systemd.environment-generator(7)) that inserts the
 * supported glibc-hwcaps level directories into PATH. It gets the manager's
 * environment, prints "PATH=..." only when that changes something, and
 * never fails boot: every problem is one line on stderr and exit 0. */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "macro.h"
#include "policy.h"

static void warn_stderr(void *userdata, const char *fmt, ...) {
        va_list ap;

        (void) userdata;
        fputs("hwcaps-env-generator: ", stderr);
        va_start(ap, fmt);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
        fputc('\n', stderr);
}

static int write_all(int fd, const char *s, size_t n) {
        while (n > 0) {
                ssize_t k = write(fd, s, n);
                if (k < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                s += k;
                n -= (size_t) k;
        }
        return 0;
}

/* Run from a system-environment-generators directory (systemd runs it by
 * that path), it is the one program that compiles the boot's options into
 * the policy file; as a user generator or from /etc/profile.d it reads it. */
static bool system_generator(const char *argv0) {
        return argv0 && strstr(argv0, "/system-environment-generators/");
}

static int run(bool compile) {
        struct hwcaps_sources s;
        struct hwcaps_policy p;
        _cleanup_free_ char *newpath = NULL, *quoted = NULL, *line = NULL;
        const char *root = hwcaps_root_prefix(), *path = getenv("PATH");
        size_t n;
        int r;

        r = hwcaps_sources_load(&s, root, compile ? HWCAPS_LOAD_COMPILE : HWCAPS_LOAD_READ, warn_stderr, NULL);
        if (r >= 0 && compile) {
                /* The stub and every service without /proc/cmdline follow
                 * this file; PATH is still composed when it cannot be
                 * written, and they fall back to the command line. */
                int k = hwcaps_policy_write(&s, root);

                if (k < 0)
                        warn_stderr(NULL, "cannot write %s%s: %s", root, HWCAPS_POLICY_PATH, strerror(-k));
        }
        /* systemd always passes PATH; without one there is nothing to put
         * level directories in front of. */
        if (r >= 0 && path) {
                hwcaps_policy_decide(&s, secure_getenv("HWCAPS"), secure_getenv("HWCAPS_MAX_LEVEL"),
                                     HWCAPS_SRC_ENV, &p);
                r = hwcaps_policy_path(&p, root, path, &newpath, warn_stderr, NULL);
        }
        hwcaps_sources_done(&s);
        if (r < 0)
                return r;
        if (!path || strcmp(newpath, path) == 0)
                return 0;

        quoted = hwcaps_env_quote(newpath);
        if (!quoted)
                return -ENOMEM;
        n = strlen("PATH=\n") + strlen(quoted);
        line = malloc(n + 1);
        if (!line)
                return -ENOMEM;
        snprintf(line, n + 1, "PATH=%s\n", quoted);
        /* One write of the whole line: the manager never sees half a PATH. */
        return write_all(STDOUT_FILENO, line, n);
}

int main(int argc, char **argv) {
        int r;

        if (argc > 1) {
                fprintf(stderr, "hwcaps-env-generator: takes no arguments (systemd runs it; see hwcaps-env-generator(8))\n");
                return 2;
        }
        /* Exit 0 on failure too: a generator never fails boot (found by
         * tests/faults: out of memory exited 1). */
        r = run(system_generator(argv[0]));
        if (r < 0)
                fprintf(stderr, "hwcaps-env-generator: PATH left unchanged: %s\n", strerror(-r));
        return 0;
}
