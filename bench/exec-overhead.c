/* SPDX-License-Identifier: MIT */
/* exec-overhead: what the dispatch stub costs per exec (issue 4).
 *
 * Usage: exec-overhead STUB HWCAPS [RUNS [PROGRAM...]]
 *
 * Times fork+exec+wait of /bin/true (a) directly, (b) through the stub
 * (a fixture tree DIR/true -> STUB, DIR/glibc-hwcaps/x86-64-v1/true ->
 * /bin/true), (c) through "HWCAPS exec DIR/true", (d) through a "#!/bin/sh"
 * wrapper that execs /bin/true. Rounds are interleaved (a b c d a b c d ...)
 * so drift and noise from other load hit every case alike; prints medians
 * and ratios to (a); extra PROGRAMs (run without arguments, must exit 0)
 * are timed in the same rounds, to compare builds of the stub. Then the single system calls the stub makes, in a loop,
 * to show where its time goes. A benchmark, never a test: it asserts nothing. */
#include <cpuid.h>
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static double now_us(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static double run_once(char *const argv[]) {
        double t0 = now_us();
        pid_t pid = fork();
        int status;

        if (pid < 0) {
                perror("fork");
                exit(1);
        }
        if (pid == 0) {
                execve(argv[0], argv, environ);
                _exit(127);
        }
        if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
                fprintf(stderr, "exec-overhead: %s failed (status 0x%x)\n", argv[0], status);
                exit(1);
        }
        return now_us() - t0;
}

static int cmp_double(const void *a, const void *b) {
        double x = *(const double *) a, y = *(const double *) b;
        return (x > y) - (x < y);
}

static double median(double *v, int n) {
        qsort(v, n, sizeof *v, cmp_double);
        return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void write_file(const char *path, const char *text, mode_t mode) {
        FILE *f = fopen(path, "we");
        if (!f || fputs(text, f) < 0 || fclose(f) != 0 || chmod(path, mode) < 0) {
                perror(path);
                exit(1);
        }
}

/* Per-call cost of one system call pattern the stub uses, in µs. */
static double loop_us(int which, int n) {
        char buf[4096];
        struct stat st;
        double t0 = now_us();
        unsigned a, b, c, d;

        for (int i = 0; i < n; i++)
                switch (which) {
                case 0: {
                        int fd = open("/proc/cmdline", O_RDONLY | O_CLOEXEC);
                        if (fd >= 0) {
                                while (read(fd, buf, sizeof buf) > 0)
                                        ;
                                close(fd);
                        }
                        break;
                }
                case 1:
                        (void) stat("/proc/self/exe", &st);
                        break;
                case 2:
                        (void) stat("/usr/bin/true", &st);
                        break;
                case 3:
                        (void) stat("/usr/bin/glibc-hwcaps/x86-64-v4/true", &st);
                        break;
                case 4:
                        __cpuid_count(7, 0, a, b, c, d);
                        __asm__ volatile("" : : "r"(a), "r"(b), "r"(c), "r"(d));
                        break;
                }
        return (now_us() - t0) / n;
}

int main(int argc, char **argv) {
        char dir[] = "/tmp/hwcaps-bench-XXXXXX", p[4096], stubpath[4096], wrapper[4096], hw[4096];
        int runs = argc > 3 ? atoi(argv[3]) : 2000;
        int nextra = argc > 4 ? argc - 4 : 0, nk = 4 + nextra;
        double *t[4 + nextra];
        static const char *const names[4] = {
                "(a) /bin/true directly",
                "(b) through hwcaps-dispatch",
                "(c) through hwcaps exec",
                "(d) through a #!/bin/sh wrapper",
        };

        if (argc < 3 || runs < 1) {
                fprintf(stderr, "Usage: %s STUB HWCAPS [RUNS]\n", argv[0]);
                return 2;
        }
        /* HWCAPS "-" leaves out (c). */
        bool skip_c = strcmp(argv[2], "-") == 0;
        if (!realpath(argv[1], stubpath) || (!skip_c && !realpath(argv[2], hw))) {
                perror("realpath");
                return 1;
        }
        if (!mkdtemp(dir)) {
                perror("mkdtemp");
                return 1;
        }
        snprintf(p, sizeof p, "%s/glibc-hwcaps", dir);
        mkdir(p, 0755);
        snprintf(p, sizeof p, "%s/glibc-hwcaps/x86-64-v1", dir);
        mkdir(p, 0755);
        snprintf(p, sizeof p, "%s/glibc-hwcaps/x86-64-v1/true", dir);
        if (symlink("/bin/true", p) < 0) {
                perror(p);
                return 1;
        }
        char truepath[4096];
        snprintf(truepath, sizeof truepath, "%s/true", dir);
        if (symlink(stubpath, truepath) < 0) {
                perror(truepath);
                return 1;
        }
        snprintf(wrapper, sizeof wrapper, "%s/wrapper", dir);
        write_file(wrapper, "#!/bin/sh\nexec /bin/true \"$@\"\n", 0755);

        char *av[4 + nextra][4];
        char *base[4][4] = {
                { (char *) "/bin/true", NULL },
                { truepath, NULL },
                { hw, (char *) "exec", truepath, NULL },
                { wrapper, NULL },
        };
        memcpy(av, base, sizeof base);
        for (int k = 0; k < nextra; k++) {
                av[4 + k][0] = argv[4 + k];
                av[4 + k][1] = NULL;
        }
        for (int k = 0; k < nk; k++)
                t[k] = calloc(runs, sizeof(double));
        /* warm up caches */
        for (int k = 0; k < nk; k++)
                for (int i = 0; i < 20; i++)
                        if (k != 2 || !skip_c)
                                run_once(av[k]);
        for (int i = 0; i < runs; i++)
                for (int k = 0; k < nk; k++)
                        if (k != 2 || !skip_c)
                                t[k][i] = run_once(av[k]);

        double med[4 + nextra];
        printf("fork+exec+wait, %d interleaved runs each, median:\n", runs);
        for (int k = 0; k < nk; k++) {
                if (k == 2 && skip_c)
                        continue;
                med[k] = median(t[k], runs);
                printf("  %-34s %8.1f us   %5.2fx (a)\n", k < 4 ? names[k] : av[k][0], med[k], med[k] / med[0]);
        }
        printf("stub overhead (b)-(a): %.1f us; target (b) <= 1.25x (a): %s\n",
               med[1] - med[0], med[1] <= 1.25 * med[0] ? "met" : "NOT met");

        printf("single calls the stub makes (mean of 100000):\n");
        printf("  open+read+close /proc/cmdline     %6.2f us\n", loop_us(0, 100000));
        printf("  stat /proc/self/exe               %6.2f us\n", loop_us(1, 100000));
        printf("  stat /usr/bin/true                %6.2f us\n", loop_us(2, 100000));
        printf("  stat of a missing candidate       %6.2f us\n", loop_us(3, 100000));
        printf("  cpuid leaf 7                      %6.2f us\n", loop_us(4, 100000));

        unlink(wrapper);
        unlink(truepath);
        snprintf(p, sizeof p, "%s/glibc-hwcaps/x86-64-v1/true", dir);
        unlink(p);
        snprintf(p, sizeof p, "%s/glibc-hwcaps/x86-64-v1", dir);
        rmdir(p);
        snprintf(p, sizeof p, "%s/glibc-hwcaps", dir);
        rmdir(p);
        rmdir(dir);
        return 0;
}
