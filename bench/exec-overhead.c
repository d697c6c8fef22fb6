/* SPDX-License-Identifier: MIT */
/* exec-overhead: what the dispatch stub costs per exec (issue 4).
 *
 * Usage: exec-overhead STUB HWCAPS [RUNS [PROGRAM...]]
 *
 * Times fork+exec+wait of /bin/true (a) directly, (b) through the stub
 * (a fixture tree DIR/true -> STUB, DIR/glibc-hwcaps/x86-64-v1/true ->
 * /bin/true), (b2) the same with variants at every level (x86-64-v2 .. -v4
 * -> /bin/true), so the stub must also run CPUID and read /proc/cmdline,
 * (c) through "HWCAPS exec DIR/true", (d) through a "#!/bin/sh" wrapper
 * that execs /bin/true. Rounds are interleaved (every case once per
 * round, in random order) so drift and noise from other load hit every case
 * alike; prints medians
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

/* DIR/glibc-hwcaps/LEVEL/true -> /bin/true */
static void add_variant(const char *top, const char *level) {
        char p[4096];

        snprintf(p, sizeof p, "%s/glibc-hwcaps", top);
        (void) mkdir(p, 0755);
        snprintf(p, sizeof p, "%s/glibc-hwcaps/%s", top, level);
        if (mkdir(p, 0755) < 0) {
                perror(p);
                exit(1);
        }
        snprintf(p, sizeof p, "%s/glibc-hwcaps/%s/true", top, level);
        if (symlink("/bin/true", p) < 0) {
                perror(p);
                exit(1);
        }
}

enum { NCASES = 5, C_HWCAPS_EXEC = 3 };

/* The fixture, removed at exit, also when a run fails. */
static char dir[] = "/tmp/hwcaps-bench-XXXXXX";

static void cleanup(void) {
        char cmd[64];

        snprintf(cmd, sizeof cmd, "rm -rf -- '%s'", dir);
        if (system(cmd) != 0)
                fprintf(stderr, "exec-overhead: could not remove %s\n", dir);
}

int main(int argc, char **argv) {
        char stubpath[4096], hw[4096];
        char one[64], all[64], wrapper[4096], stub1[4096], stub4[4096];
        int runs = argc > 3 ? atoi(argv[3]) : 2000;
        int nextra = argc > 4 ? argc - 4 : 0, nk = NCASES + nextra;
        static const char *const names[NCASES] = {
                "(a) /bin/true directly",
                "(b) stub, baseline variant only",
                "(b2) stub, variants at every level",
                "(c) hwcaps exec",
                "(d) #!/bin/sh wrapper",
        };

        if (argc < 3 || runs < 1) {
                fprintf(stderr, "Usage: %s STUB HWCAPS [RUNS [PROGRAM...]]\n", argv[0]);
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
        atexit(cleanup);
        snprintf(one, sizeof one, "%s/one", dir);
        snprintf(all, sizeof all, "%s/all", dir);
        (void) mkdir(one, 0755);
        (void) mkdir(all, 0755);
        add_variant(one, "x86-64-v1");
        add_variant(all, "x86-64-v1");
        add_variant(all, "x86-64-v2");
        add_variant(all, "x86-64-v3");
        add_variant(all, "x86-64-v4");
        snprintf(stub1, sizeof stub1, "%s/true", one);
        snprintf(stub4, sizeof stub4, "%s/true", all);
        if (symlink(stubpath, stub1) < 0 || symlink(stubpath, stub4) < 0) {
                perror("symlink");
                return 1;
        }
        snprintf(wrapper, sizeof wrapper, "%s/wrapper", dir);
        write_file(wrapper, "#!/bin/sh\nexec /bin/true \"$@\"\n", 0755);

        char *av[NCASES + nextra][4];
        char *base[NCASES][4] = {
                { (char *) "/bin/true", NULL },
                { stub1, NULL },
                { stub4, NULL },
                { hw, (char *) "exec", stub4, NULL },
                { wrapper, NULL },
        };
        double *t[NCASES + nextra], med[NCASES + nextra];

        memcpy(av, base, sizeof base);
        for (int k = 0; k < nextra; k++) {
                av[NCASES + k][0] = argv[4 + k];
                av[NCASES + k][1] = NULL;
        }
        for (int k = 0; k < nk; k++)
                t[k] = calloc(runs, sizeof(double));
        /* warm up caches */
        for (int k = 0; k < nk; k++)
                for (int i = 0; i < 20; i++)
                        if (k != C_HWCAPS_EXEC || !skip_c)
                                run_once(av[k]);
        /* Each round runs every case once, in a fresh random order: a case
         * that always ran right after the shell wrapper would pay for the
         * caches that one evicted. */
        srand48(getpid());
        for (int i = 0; i < runs; i++) {
                int order[NCASES + nextra];

                for (int k = 0; k < nk; k++)
                        order[k] = k;
                for (int k = nk - 1; k > 0; k--) {
                        int j = (int) (drand48() * (k + 1)), x = order[k];
                        order[k] = order[j];
                        order[j] = x;
                }
                for (int o = 0; o < nk; o++) {
                        int k = order[o];
                        if (k != C_HWCAPS_EXEC || !skip_c)
                                t[k][i] = run_once(av[k]);
                }
        }

        printf("fork+exec+wait, %d interleaved runs each, median:\n", runs);
        for (int k = 0; k < nk; k++) {
                if (k == C_HWCAPS_EXEC && skip_c)
                        continue;
                med[k] = median(t[k], runs);
                printf("  %-36s %8.1f us   %5.2fx (a)\n", k < NCASES ? names[k] : av[k][0], med[k], med[k] / med[0]);
        }
        printf("stub overhead (b)-(a): %.1f us, (b2)-(a): %.1f us; target (b) <= 1.25x (a): %s, (b2): %s\n",
               med[1] - med[0], med[2] - med[0],
               med[1] <= 1.25 * med[0] ? "met" : "NOT met", med[2] <= 1.25 * med[0] ? "met" : "NOT met");

        printf("single calls the stub makes (mean of 100000):\n");
        printf("  open+read+close /proc/cmdline       %6.2f us\n", loop_us(0, 100000));
        printf("  stat /proc/self/exe                 %6.2f us\n", loop_us(1, 100000));
        printf("  stat /usr/bin/true                  %6.2f us\n", loop_us(2, 100000));
        printf("  stat of a missing candidate         %6.2f us\n", loop_us(3, 100000));
        printf("  cpuid leaf 7                        %6.2f us\n", loop_us(4, 100000));

        return 0;
}
