/* SPDX-License-Identifier: MIT */
/* exec-overhead: what the dispatch stub costs per exec.
 *
 * Usage: exec-overhead [--other-stub STUB2] [--tiny PATH] [--dir PARENT]
 *                      STUB HWCAPS [RUNS [PROGRAM...]]
 *
 * Times fork+exec+wait of
 *  (a)  /bin/true directly,
 *  (b)  /bin/true through the stub (a fixture tree DIR/true -> STUB,
 *       DIR/glibc-hwcaps/x86-64-v1/true -> /bin/true),
 *  (b2) the same with variants at every level (x86-64-v2 .. -v4 -> /bin/true),
 *       so the stub must also run CPUID and read the boot policy,
 *  (c)  "HWCAPS exec DIR/true" (HWCAPS "-" leaves it out),
 *  (d)  a "#!/bin/sh" wrapper that execs /bin/true,
 *  (e)  exec-tiny directly: a static program without libc whose _start is
 *       exit_group(0), the floor of any exec,
 *  (f)  exec-tiny through the stub, as the only (x86-64-v1) variant,
 *  (f2) the same with exec-tiny at every level.
 * With --other-stub, (b), (b2), (f) and (f2) are timed through STUB2 too, in
 * the same rounds: two builds of the stub (before and after a change)
 * compared under the same load. Extra PROGRAMs (run without arguments, must
 * exit 0) are timed in the same rounds as well.
 *
 * Rounds are interleaved (every case once per round, in random order) so
 * drift and noise from other load hit every case alike. Prints medians, the
 * ratios of medians with the interquartile range of the per-round ratios
 * and a 95 % bootstrap interval of the ratio of medians, then the single
 * system calls the stub makes, in a loop, to show where its time goes.
 *
 * The stub runs a variant only when every directory on the way is root's
 * and closed to others (hwcaps-dispatch(8)): the fixture is made under
 * PARENT (default /run), must be made by root, and PARENT must not be
 * mounted noexec (the wrapper and exec-tiny are executed from it).
 * exec-tiny is looked for next to this program unless --tiny names it.
 * A benchmark, never a test: it asserts nothing. */
#include <cpuid.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "stats.h"

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

/* k-th smallest of v[0..n) (v is reordered): Hoare's selection. */
static double select_kth(double *v, size_t n, size_t k) {
        size_t lo = 0, hi = n - 1;

        while (lo < hi) {
                double pivot = v[lo + (hi - lo) / 2];
                size_t i = lo, j = hi;

                while (i <= j) {
                        while (v[i] < pivot)
                                i++;
                        while (v[j] > pivot)
                                j--;
                        if (i <= j) {
                                double x = v[i];
                                v[i] = v[j];
                                v[j] = x;
                                i++;
                                if (j == 0)
                                        break;
                                j--;
                        }
                }
                if (k <= j)
                        hi = j;
                else if (k >= i)
                        lo = i;
                else
                        break;
        }
        return v[k];
}

/* Median of v[0..n) (v is reordered). */
static double median_inplace(double *v, size_t n) {
        double hi = select_kth(v, n, n / 2);

        if (n % 2)
                return hi;
        /* the largest of the lower half */
        double lo = v[0];
        for (size_t i = 1; i < n / 2; i++)
                if (v[i] > lo)
                        lo = v[i];
        return (lo + hi) / 2;
}

static void die_errno(const char *what) {
        fprintf(stderr, "exec-overhead: %s: %s\n", what, strerror(errno));
        exit(1);
}

/* snprintf() for paths: a path that does not fit stops the benchmark. */
__attribute__((format(printf, 3, 4))) static void path_fmt(char *buf, size_t size, const char *fmt, ...) {
        va_list ap;
        int n;

        va_start(ap, fmt);
        n = vsnprintf(buf, size, fmt, ap);
        va_end(ap);
        if (n < 0 || (size_t) n >= size) {
                fprintf(stderr, "exec-overhead: path too long: %s...\n", buf);
                exit(1);
        }
}

static void write_file(const char *path, const char *text, mode_t mode) {
        FILE *f = fopen(path, "we");
        if (!f || fputs(text, f) < 0 || fclose(f) != 0 || chmod(path, mode) < 0)
                die_errno(path);
}

static void copy_file(const char *from, const char *to, mode_t mode) {
        char buf[65536];
        ssize_t n;
        int in = open(from, O_RDONLY | O_CLOEXEC), out;

        if (in < 0)
                die_errno(from);
        out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
        if (out < 0)
                die_errno(to);
        while ((n = read(in, buf, sizeof buf)) > 0)
                if (write(out, buf, (size_t) n) != n)
                        die_errno(to);
        if (n < 0)
                die_errno(from);
        if (close(out) < 0 || chmod(to, mode) < 0)
                die_errno(to);
        close(in);
}

/* Per-call cost of one system call pattern the stub uses, in µs. */
static double loop_us(int which, int n) {
        char buf[4096];
        struct stat st;
        unsigned a, b, c, d;
        int usr = open("/usr", O_PATH | O_DIRECTORY | O_CLOEXEC), ubin = open("/usr/bin", O_PATH | O_DIRECTORY | O_CLOEXEC);
        double t0 = now_us();

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
                case 5: {
                        /* one directory of the trust walk */
                        int fd = openat(usr, "bin", O_PATH | O_NOFOLLOW | O_CLOEXEC);
                        if (fd >= 0) {
                                (void) fstatat(fd, "", &st, AT_EMPTY_PATH);
                                close(fd);
                        }
                        break;
                }
                case 6:
                        /* the walk's leaf */
                        (void) fstatat(ubin, "true", &st, AT_SYMLINK_NOFOLLOW);
                        break;
                case 7:
                        (void) readlinkat(AT_FDCWD, "/bin", buf, sizeof buf);
                        break;
                case 8:
                        (void) syscall(SYS_getpid); /* not glibc's, which may not enter the kernel */
                        break;
                case 9: {
                        int fd = open("/run/hwcaps/policy", O_RDONLY | O_CLOEXEC);
                        if (fd >= 0) {
                                while (read(fd, buf, sizeof buf) > 0)
                                        ;
                                close(fd);
                        }
                        break;
                }
                }
        double r = (now_us() - t0) / n;
        if (usr >= 0)
                close(usr);
        if (ubin >= 0)
                close(ubin);
        return r;
}

static void make_dir(const char *p) {
        if (mkdir(p, 0755) < 0 && errno != EEXIST)
                die_errno(p);
        if (chmod(p, 0755) < 0)
                die_errno(p);
}

/* TOP/glibc-hwcaps/LEVEL/NAME: a symbolic link to target, or (hard) a
 * regular file, the one at target (a copy where a link cannot be made). */
static void add_variant(const char *top, const char *level, const char *name, const char *target, bool hard) {
        char p[PATH_MAX];

        path_fmt(p, sizeof p, "%s/glibc-hwcaps", top);
        make_dir(p);
        path_fmt(p, sizeof p, "%s/glibc-hwcaps/%s", top, level);
        make_dir(p);
        path_fmt(p, sizeof p, "%s/glibc-hwcaps/%s/%s", top, level, name);
        if (!hard) {
                if (symlink(target, p) < 0)
                        die_errno(p);
        } else if (link(target, p) < 0)
                copy_file(target, p, 0755);
}

static const char *const all_levels[] = { "x86-64-v1", "x86-64-v2", "x86-64-v3", "x86-64-v4" };

/* DIR/sub/name -> stub, with variants at the first nlevels levels. */
static void add_tree(char *ret, size_t size, const char *dir, const char *sub, const char *name,
                     const char *stub, int nlevels, const char *target, bool hard) {
        char top[PATH_MAX];

        path_fmt(top, sizeof top, "%s/%s", dir, sub);
        make_dir(top);
        for (int l = 0; l < nlevels; l++)
                add_variant(top, all_levels[l], name, target, hard);
        path_fmt(ret, size, "%s/%s", top, name);
        if (symlink(stub, ret) < 0)
                die_errno(ret);
}

/* The rule the stub applies to every directory on the way to a variant
 * (dispatch/engine/trust.c), checked on PARENT's real path before anything is
 * made, so a refusal is explained here rather than as exit status 127. */
static void check_parent(const char *parent) {
        char real[PATH_MAX], prefix[PATH_MAX];
        struct statvfs vfs;

        if (geteuid() != 0) {
                fprintf(stderr,
                        "exec-overhead: run me as root: the stub runs a variant only when every directory on the\n"
                        "  way to it is owned by root, not writable by group or others and not sticky\n"
                        "  (hwcaps-dispatch(8)), and only root can make such a fixture (%s/hwcaps-bench-*).\n",
                        parent);
                exit(1);
        }
        if (!realpath(parent, real))
                die_errno(parent);
        /* "/", then every prefix of real ending before a "/" or at its end */
        for (size_t i = 0, n = strlen(real); i <= n; i++) {
                struct stat st;

                if (i > 0 && real[i] != '/' && real[i] != '\0')
                        continue;
                if (i == 1 && n == 1)
                        break; /* real is "/", done */
                memcpy(prefix, real, i ? i : 1);
                prefix[i ? i : 1] = '\0';
                if (stat(prefix, &st) < 0)
                        die_errno(prefix);
                if (st.st_uid != 0 || (st.st_mode & 022) || (st.st_mode & S_ISVTX)) {
                        fprintf(stderr,
                                "exec-overhead: %s is %s: the stub would refuse every variant under %s\n"
                                "  (trust rule, hwcaps-dispatch(8)); pass --dir with a root-owned directory\n"
                                "  closed to others, such as /run.\n",
                                prefix,
                                st.st_uid != 0 ? "not owned by root"
                                : (st.st_mode & 022) ? "writable by group or others" : "sticky",
                                real);
                        exit(1);
                }
        }
        if (statvfs(real, &vfs) == 0 && (vfs.f_flag & ST_NOEXEC)) {
                fprintf(stderr, "exec-overhead: %s is mounted noexec; pass --dir with a directory on an exec mount\n",
                        real);
                exit(1);
        }
}

/* The fixture, removed at exit, also when a run fails. */
static char dir[PATH_MAX];

static void cleanup(void) {
        char cmd[PATH_MAX + 32];

        if (!dir[0])
                return;
        snprintf(cmd, sizeof cmd, "rm -rf -- '%s'", dir);
        if (system(cmd) != 0)
                fprintf(stderr, "exec-overhead: could not remove %s\n", dir);
}

struct ratio {
        double value, q1, q3, lo, hi;
};

/* median(num) / median(den) over paired rounds, the IQR of the per-round
 * ratios (stats_speedup()), and a 95 % percentile bootstrap interval of the
 * ratio of medians, resampling whole rounds (so the pairing is kept). */
static struct ratio ratio_of(const double *num, const double *den, int n, int boots) {
        struct speedup s;
        struct ratio r = { 0 };
        double *x = malloc(n * sizeof(double)), *y = malloc(n * sizeof(double)), *b = malloc(boots * sizeof(double));
        unsigned short seed[3] = { 0x1234, 0x5678, 0x9abc };

        if (!x || !y || !b || stats_speedup(num, den, (size_t) n, &s) < 0) {
                fprintf(stderr, "exec-overhead: out of memory\n");
                exit(1);
        }
        r.value = s.value;
        r.q1 = s.q1;
        r.q3 = s.q3;
        for (int k = 0; k < boots; k++) {
                for (int i = 0; i < n; i++) {
                        int j = (int) (erand48(seed) * n);
                        x[i] = num[j];
                        y[i] = den[j];
                }
                b[k] = median_inplace(x, (size_t) n) / median_inplace(y, (size_t) n);
        }
        qsort(b, boots, sizeof(double), cmp_double);
        r.lo = stats_quantile(b, (size_t) boots, 0.025);
        r.hi = stats_quantile(b, (size_t) boots, 0.975);
        free(x);
        free(y);
        free(b);
        return r;
}

static void print_ratio(const char *label, const double *num, const double *den, int n, double target) {
        struct ratio r = ratio_of(num, den, n, 2000);

        printf("  %-40s %6.3fx  IQR %5.3f..%5.3f  CI95 %5.3f..%5.3f", label, r.value, r.q1, r.q3, r.lo, r.hi);
        if (target > 0)
                printf("  target <= %.2fx: %s", target,
                       r.hi <= target ? "met" : r.lo > target ? "NOT met" : r.value <= target ? "met (CI straddles)"
                                                                                          : "NOT met (CI straddles)");
        printf("\n");
}

enum {
        A, B, B2, C, D, E, F, F2, /* with STUB */
        OB, OB2, OF, OF2,         /* with --other-stub */
        NCASES,
};

int main(int argc, char **argv) {
        static const struct option options[] = {
                { "other-stub", required_argument, NULL, 'o' },
                { "tiny", required_argument, NULL, 't' },
                { "dir", required_argument, NULL, 'd' },
                { "help", no_argument, NULL, 'h' },
                {},
        };
        static const char *const names[NCASES] = {
                [A] = "(a) /bin/true directly",
                [B] = "(b) stub, baseline variant only",
                [B2] = "(b2) stub, variants at every level",
                [C] = "(c) hwcaps exec",
                [D] = "(d) #!/bin/sh wrapper",
                [E] = "(e) exec-tiny directly",
                [F] = "(f) stub -> exec-tiny, baseline only",
                [F2] = "(f2) stub -> exec-tiny, every level",
                [OB] = "(b') other stub, baseline only",
                [OB2] = "(b2') other stub, every level",
                [OF] = "(f') other -> exec-tiny, baseline",
                [OF2] = "(f2') other -> exec-tiny, every level",
        };
        const char *other = NULL, *tiny_opt = NULL, *parent = "/run";
        char stubpath[PATH_MAX], otherpath[PATH_MAX], hw[PATH_MAX], tiny_src[PATH_MAX], tiny[PATH_MAX];
        char paths[NCASES][PATH_MAX], wrapper[PATH_MAX], stubcopy[PATH_MAX], othercopy[PATH_MAX];
        int c;

        while ((c = getopt_long(argc, argv, "+h", options, NULL)) >= 0)
                switch (c) {
                case 'o':
                        other = optarg;
                        break;
                case 't':
                        tiny_opt = optarg;
                        break;
                case 'd':
                        parent = optarg;
                        break;
                default:
                        fprintf(stderr,
                                "Usage: %s [--other-stub STUB2] [--tiny PATH] [--dir PARENT] STUB HWCAPS [RUNS [PROGRAM...]]\n",
                                argv[0]);
                        return c == 'h' ? 0 : 2;
                }
        argc -= optind - 1;
        argv += optind - 1;

        int runs = argc > 3 ? atoi(argv[3]) : 2000;
        int nextra = argc > 4 ? argc - 4 : 0, nk = NCASES + nextra;

        if (argc < 3 || runs < 1) {
                fprintf(stderr,
                        "Usage: exec-overhead [--other-stub STUB2] [--tiny PATH] [--dir PARENT] STUB HWCAPS [RUNS [PROGRAM...]]\n");
                return 2;
        }
        /* HWCAPS "-" leaves out (c). */
        bool skip_c = strcmp(argv[2], "-") == 0;
        if (!realpath(argv[1], stubpath))
                die_errno(argv[1]);
        if (!skip_c && !realpath(argv[2], hw))
                die_errno(argv[2]);
        if (other && !realpath(other, otherpath))
                die_errno(other);
        if (tiny_opt)
                path_fmt(tiny_src, sizeof tiny_src, "%s", tiny_opt);
        else {
                char self[PATH_MAX];
                ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);

                if (n <= 0)
                        die_errno("/proc/self/exe");
                self[n] = '\0';
                *strrchr(self, '/') = '\0';
                path_fmt(tiny_src, sizeof tiny_src, "%s/exec-tiny", self);
        }
        if (access(tiny_src, X_OK) < 0) {
                fprintf(stderr, "exec-overhead: %s: %s (build it: ninja -C build bench/exec-tiny, or pass --tiny)\n",
                        tiny_src, strerror(errno));
                return 1;
        }

        check_parent(parent);
        umask(022);
        char tmpl[PATH_MAX];
        path_fmt(tmpl, sizeof tmpl, "%s/hwcaps-bench-XXXXXX", parent);
        if (!mkdtemp(tmpl))
                die_errno(tmpl);
        path_fmt(dir, sizeof dir, "%s", tmpl);
        atexit(cleanup);
        if (chmod(dir, 0755) < 0)
                die_errno(dir);

        /* exec-tiny is copied into the fixture: its variants are hard links
         * to this copy, regular files under trusted directories as installed
         * variants are, wherever the build tree is. */
        path_fmt(tiny, sizeof tiny, "%s/exec-tiny", dir);
        copy_file(tiny_src, tiny, 0755);
        /* So are the stubs: the fixture keeps timing the same binaries while
         * the build tree they came from is rebuilt. Each is named as it is
         * installed, hwcaps-dispatch: a link to a file of another name is a
         * link to a program of that name (hwcaps-dispatch(8)). */
        path_fmt(stubcopy, sizeof stubcopy, "%s/stub", dir);
        make_dir(stubcopy);
        path_fmt(stubcopy, sizeof stubcopy, "%s/stub/hwcaps-dispatch", dir);
        copy_file(stubpath, stubcopy, 0755);
        if (other) {
                path_fmt(othercopy, sizeof othercopy, "%s/other-stub", dir);
                make_dir(othercopy);
                path_fmt(othercopy, sizeof othercopy, "%s/other-stub/hwcaps-dispatch", dir);
                copy_file(otherpath, othercopy, 0755);
        }
        path_fmt(wrapper, sizeof wrapper, "%s/wrapper", dir);
        write_file(wrapper, "#!/bin/sh\nexec /bin/true \"$@\"\n", 0755);

        add_tree(paths[B], PATH_MAX, dir, "one", "true", stubcopy, 1, "/bin/true", false);
        add_tree(paths[B2], PATH_MAX, dir, "all", "true", stubcopy, 4, "/bin/true", false);
        add_tree(paths[F], PATH_MAX, dir, "tone", "tiny", stubcopy, 1, tiny, true);
        add_tree(paths[F2], PATH_MAX, dir, "tall", "tiny", stubcopy, 4, tiny, true);
        if (other) {
                add_tree(paths[OB], PATH_MAX, dir, "o-one", "true", othercopy, 1, "/bin/true", false);
                add_tree(paths[OB2], PATH_MAX, dir, "o-all", "true", othercopy, 4, "/bin/true", false);
                add_tree(paths[OF], PATH_MAX, dir, "o-tone", "tiny", othercopy, 1, tiny, true);
                add_tree(paths[OF2], PATH_MAX, dir, "o-tall", "tiny", othercopy, 4, tiny, true);
        }

        char *(*av)[4] = calloc(nk, sizeof *av);
        bool *skip = calloc(nk, sizeof *skip);
        double **t = calloc(nk, sizeof *t), *med = calloc(nk, sizeof *med);

        if (!av || !skip || !t || !med)
                die_errno("calloc");
        av[A][0] = (char *) "/bin/true";
        av[B][0] = paths[B];
        av[B2][0] = paths[B2];
        av[C][0] = hw;
        av[C][1] = (char *) "exec";
        av[C][2] = paths[B2];
        av[D][0] = wrapper;
        av[E][0] = tiny;
        av[F][0] = paths[F];
        av[F2][0] = paths[F2];
        av[OB][0] = paths[OB];
        av[OB2][0] = paths[OB2];
        av[OF][0] = paths[OF];
        av[OF2][0] = paths[OF2];
        skip[C] = skip_c;
        skip[OB] = skip[OB2] = skip[OF] = skip[OF2] = !other;
        for (int k = 0; k < nextra; k++)
                av[NCASES + k][0] = argv[4 + k];
        for (int k = 0; k < nk; k++)
                if (!(t[k] = calloc(runs, sizeof(double))))
                        die_errno("calloc");

        printf("exec-overhead: stub %s (copied from %s)\n", stubcopy, stubpath);
        if (other)
                printf("               other stub %s (copied from %s)\n", othercopy, otherpath);
        printf("               exec-tiny %s (copied from %s)\n", tiny, tiny_src);

        /* warm up caches (and fail early, with the stub's message) */
        for (int k = 0; k < nk; k++)
                for (int i = 0; i < 20; i++)
                        if (!skip[k])
                                run_once(av[k]);
        /* Each round runs every case once, in a fresh random order: a case
         * that always ran right after the shell wrapper would pay for the
         * caches that one evicted. */
        srand48(getpid());
        int *order = calloc(nk, sizeof *order);
        if (!order)
                die_errno("calloc");
        for (int i = 0; i < runs; i++) {
                for (int k = 0; k < nk; k++)
                        order[k] = k;
                for (int k = nk - 1; k > 0; k--) {
                        int j = (int) (drand48() * (k + 1)), x = order[k];
                        order[k] = order[j];
                        order[j] = x;
                }
                for (int o = 0; o < nk; o++) {
                        int k = order[o];
                        if (!skip[k])
                                t[k][i] = run_once(av[k]);
                }
        }

        printf("fork+exec+wait, %d interleaved rounds (each case once per round, random order), median:\n", runs);
        for (int k = 0; k < nk; k++)
                if (!skip[k])
                        med[k] = stats_quantile(t[k], (size_t) runs, 0.5);
        for (int k = 0; k < nk; k++) {
                if (skip[k])
                        continue;
                printf("  %-40s %8.1f us   %5.2fx (a)   %5.2fx (e)\n", k < NCASES ? names[k] : av[k][0], med[k],
                       med[k] / med[A], med[k] / med[E]);
        }
        printf("stub overhead (b)-(a): %.1f us, (b2)-(a): %.1f us, (f)-(e): %.1f us, (f2)-(e): %.1f us\n",
               med[B] - med[A], med[B2] - med[A], med[F] - med[E], med[F2] - med[E]);
        if (other)
                printf("other stub    (b')-(a): %.1f us, (b2')-(a): %.1f us, (f')-(e): %.1f us, (f2')-(e): %.1f us\n",
                       med[OB] - med[A], med[OB2] - med[A], med[OF] - med[E], med[OF2] - med[E]);

        printf("ratios: median/median; IQR of the per-round ratios; 95 %% bootstrap interval of the ratio of medians\n"
               "(2000 resamples of whole rounds). A target is met when the interval lies below it:\n");
        print_ratio("(b)/(a)   stub, /bin/true", t[B], t[A], runs, 1.10);
        print_ratio("(b2)/(a)  stub, /bin/true, every level", t[B2], t[A], runs, 1.10);
        print_ratio("(f)/(e)   stub, exec-tiny", t[F], t[E], runs, 1.85);
        print_ratio("(f2)/(e)  stub, exec-tiny, every level", t[F2], t[E], runs, 1.85);
        if (other) {
                print_ratio("(b')/(a)  other, /bin/true", t[OB], t[A], runs, 1.10);
                print_ratio("(b2')/(a) other, /bin/true, every level", t[OB2], t[A], runs, 1.10);
                print_ratio("(f')/(e)  other, exec-tiny", t[OF], t[E], runs, 1.85);
                print_ratio("(f2')/(e) other, exec-tiny, every level", t[OF2], t[E], runs, 1.85);
                print_ratio("(b)/(b')  stub vs other", t[B], t[OB], runs, 0);
                print_ratio("(b2)/(b2') stub vs other", t[B2], t[OB2], runs, 0);
                print_ratio("(f)/(f')  stub vs other", t[F], t[OF], runs, 0);
                print_ratio("(f2)/(f2') stub vs other", t[F2], t[OF2], runs, 0);
        }
        if (!skip_c)
                print_ratio("(c)/(a)   hwcaps exec", t[C], t[A], runs, 0);
        print_ratio("(d)/(a)   #!/bin/sh wrapper", t[D], t[A], runs, 0);
        print_ratio("(e)/(a)   exec-tiny vs /bin/true", t[E], t[A], runs, 0);
        for (int k = NCASES; k < nk; k++) {
                char label[64];

                snprintf(label, sizeof label, "%.30s/(a)", av[k][0]);
                print_ratio(label, t[k], t[A], runs, 0);
        }

        printf("single calls the stub makes (mean of 100000):\n");
        printf("  open+read+close /proc/cmdline                %6.2f us\n", loop_us(0, 100000));
        printf("  open+read+close /run/hwcaps/policy (%s) %6.2f us\n",
               access("/run/hwcaps/policy", F_OK) == 0 ? "present" : "missing", loop_us(9, 100000));
        printf("  stat /proc/self/exe                          %6.2f us\n", loop_us(1, 100000));
        printf("  stat /usr/bin/true                           %6.2f us\n", loop_us(2, 100000));
        printf("  stat of a missing candidate                  %6.2f us\n", loop_us(3, 100000));
        printf("  openat O_PATH+fstatat \"\"+close (walk step)   %6.2f us\n", loop_us(5, 100000));
        printf("  fstatat(dirfd, leaf, NOFOLLOW)               %6.2f us\n", loop_us(6, 100000));
        printf("  readlinkat /bin                              %6.2f us\n", loop_us(7, 100000));
        printf("  getpid (raw syscall)                         %6.2f us\n", loop_us(8, 100000));
        printf("  cpuid leaf 7                                 %6.2f us\n", loop_us(4, 100000));

        return 0;
}
