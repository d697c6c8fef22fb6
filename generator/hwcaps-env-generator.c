/* SPDX-License-Identifier: MIT */
/* hwcaps-env-generator: a systemd environment generator (installed as
 * 60-hwcaps, see systemd.environment-generator(7)) that inserts the
 * supported glibc-hwcaps level directories into PATH. It gets the manager's
 * environment, prints "PATH=..." only when that changes something, and
 * never fails boot: every problem is one line on stderr and exit 0. */
#include <errno.h>
#include <stdarg.h>
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

static int run(void) {
        struct hwcaps_sources s;
        struct hwcaps_policy p;
        _cleanup_free_ char *newpath = NULL, *quoted = NULL, *line = NULL;
        const char *root = hwcaps_root_prefix(NULL), *path = getenv("PATH");
        size_t n;
        int r;

        /* systemd always passes PATH; without one there is nothing to put
         * level directories in front of. */
        if (!path)
                return 0;

        r = hwcaps_sources_load(&s, root, warn_stderr, NULL);
        if (r >= 0) {
                hwcaps_policy_decide(&s, secure_getenv("HWCAPS"), secure_getenv("HWCAPS_MAX_LEVEL"),
                                     &p, warn_stderr, NULL);
                r = hwcaps_policy_path(&p, root, path, &newpath, warn_stderr, NULL);
        }
        hwcaps_sources_done(&s);
        if (r < 0)
                return r;
        if (strcmp(newpath, path) == 0)
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

        (void) argv;
        if (argc > 1) {
                fprintf(stderr, "hwcaps-env-generator: takes no arguments (systemd runs it; see hwcaps-env-generator(8))\n");
                return 2;
        }
        r = run();
        if (r < 0) {
                fprintf(stderr, "hwcaps-env-generator: PATH left unchanged: %s\n", strerror(-r));
                return 1;
        }
        return 0;
}
