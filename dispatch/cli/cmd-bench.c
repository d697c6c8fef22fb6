/* SPDX-License-Identifier: MIT */
/* hwcaps bench: time COMMAND once per installed level variant of its
 * program, in interleaved rounds, and compare against the baseline.
 *
 * Variants are resolved here, not through the exec stub: for a program P
 * found as DIR/NAME (in PATH or as given), level N runs
 * DIR/glibc-hwcaps/x86-64-vN/NAME and the baseline runs
 * DIR/glibc-hwcaps/x86-64-v1/NAME when present (the stub layout), else
 * DIR/NAME. Each run also gets HWCAPS_MAX_LEVEL=x86-64-vN in its
 * environment, so dispatched programs it starts follow the same cap. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "searchpath.h"
#include "json.h"
#include "level.h"
#include "macro.h"
#include "probe.h"
#include "subprocess.h"
#include "stats.h"

static const char bench_help[] =
        "Usage: hwcaps bench [-n N] [-w N] [--levels LIST] [--json] [--show-output] -- COMMAND [ARGS...]\n"
        "\n"
        "Run COMMAND once per installed x86-64 level variant of its program (those this\n"
        "CPU can run), N rounds with the levels interleaved, and print per level the\n"
        "median, min and max wall time, the speedup against the baseline with its\n"
        "interquartile range over rounds, and a bar chart.\n"
        "\n"
        "  -n, --rounds N      measured rounds (default 10)\n"
        "  -w, --warmup N      unmeasured rounds first (default 1)\n"
        "      --levels LIST   comma-separated levels to compare, e.g. x86-64-v1,x86-64-v3\n"
        "      --json          machine-readable output (fields: see hwcaps(1))\n"
        "      --show-output   keep COMMAND's stdout (default: /dev/null); stderr is always kept\n"
        "\n"
        "The variants of DIR/NAME are DIR/glibc-hwcaps/x86-64-vN/NAME; the baseline is\n"
        "DIR/glibc-hwcaps/x86-64-v1/NAME if present, else DIR/NAME.\n";

struct variant {
        enum hwcaps_level level;
        char *path;
        double *wall;   /* seconds, one per measured round */
        double *cpu;    /* user + system seconds of the child */
};

static bool is_exec(const char *p) {
        struct stat st;
        return stat(p, &st) == 0 && S_ISREG(st.st_mode) && access(p, X_OK) == 0;
}

/* Split the program path into the directory that holds glibc-hwcaps/ and the
 * name. A program found inside a level directory (PATH already carries
 * them) belongs to the directory two levels up. */
static int split_program(const char *path, char **ret_dir, char **ret_name) {
        const char *slash = strrchr(path, '/');
        _cleanup_free_ char *dir = slash ? strndup(path, (size_t) (slash - path)) : strdup(".");
        char *name = strdup(slash ? slash + 1 : path);

        if (!dir || !name) {
                free(name);
                return -ENOMEM;
        }
        char *l = strrchr(dir, '/');
        const size_t gl = strlen("/glibc-hwcaps");
        if (l && hwcaps_level_dirname_parse(l + 1, strlen(l + 1)) > 0 && (size_t) (l - dir) >= gl &&
            strncmp(l - gl, "/glibc-hwcaps", gl) == 0)
                l[-(ptrdiff_t) gl] = '\0';
        if (dir[0] == '\0') {
                free(dir);
                dir = strdup("/");
                if (!dir) {
                        free(name);
                        return -ENOMEM;
                }
        }
        *ret_dir = dir;
        *ret_name = name;
        dir = NULL;
        return 0;
}

static char *variant_path(const char *dir, const char *name, enum hwcaps_level l) {
        char *p = hwcaps_variant_path(dir, l, name);
        if (!p)
                return NULL;
        if (is_exec(p))
                return p;
        free(p);
        p = NULL;
        if (l == HWCAPS_LEVEL_V1 && asprintf(&p, "%s/%s", dir, name) >= 0 && is_exec(p))
                return p;
        free(p);
        return NULL;
}

static int parse_levels(const char *s, bool want[static HWCAPS_LEVEL_MAX + 1]) {
        for (const char *p = s; ; ) {
                size_t n = strcspn(p, ",");
                int l = hwcaps_level_dirname_parse(p, n);
                if (l < 0) {
                        usage_error("bench: unknown level \"%.*s\" (expected " HWCAPS_LEVEL_DIRNAMES ")",
                                    (int) n, p);
                        return -EINVAL;
                }
                want[l] = true;
                if (!p[n])
                        return 0;
                p += n + 1;
        }
}

static int parse_count(const char *s, unsigned min, unsigned *ret) {
        char *e;
        errno = 0;
        unsigned long v = strtoul(s, &e, 10);
        if (errno || e == s || *e || s[0] == '-' || v < min || v > 1000000)
                return -EINVAL;
        *ret = (unsigned) v;
        return 0;
}

static double ts_diff(const struct timespec *a, const struct timespec *b) {
        return (double) (b->tv_sec - a->tv_sec) + (double) (b->tv_nsec - a->tv_nsec) / 1e9;
}

/* One timed run. Returns the wait status, or -errno. */
static int run_once(const struct variant *v, char **argv, bool show_output, double *wall, double *cpu) {
        struct timespec t0, t1;
        struct rusage ru;
        int st;
        pid_t pid;

        clock_gettime(CLOCK_MONOTONIC, &t0);
        pid = fork();
        if (pid < 0)
                return negative_errno();
        if (pid == 0) {
                int null = open("/dev/null", O_RDWR | O_CLOEXEC);
                if (null >= 0) {
                        (void) dup2(null, STDIN_FILENO);
                        if (!show_output)
                                (void) dup2(null, STDOUT_FILENO);
                }
                setenv("HWCAPS_MAX_LEVEL", hwcaps_level_name(v->level), 1);
                /* argv[0] stays what the user typed, as the stub keeps it. */
                execv(v->path, argv);
                fprintf(stderr, "%s: cannot run %s: %s\n", program_name, v->path, strerror(errno));
                _exit(127);
        }
        while (wait4(pid, &st, 0, &ru) < 0)
                if (errno != EINTR)
                        return negative_errno();
        clock_gettime(CLOCK_MONOTONIC, &t1);
        *wall = ts_diff(&t0, &t1);
        *cpu = (double) ru.ru_utime.tv_sec + (double) ru.ru_utime.tv_usec / 1e6 +
               (double) ru.ru_stime.tv_sec + (double) ru.ru_stime.tv_usec / 1e6;
        return st;
}

/* A unit that keeps the largest value below 10000 of it. */
static void pick_unit(double max_s, const char **unit, double *scale) {
        if (max_s < 1e-2) {
                *unit = "us";
                *scale = 1e6;
        } else if (max_s < 10) {
                *unit = "ms";
                *scale = 1e3;
        } else {
                *unit = "s";
                *scale = 1;
        }
}

static void print_json_array(const double *v, size_t n) {
        putchar('[');
        for (size_t i = 0; i < n; i++)
                printf("%s%.9g", i ? "," : "", v[i]);
        putchar(']');
}

static void variants_free(struct variant *v, size_t n) {
        for (size_t i = 0; i < n; i++) {
                free(v[i].path);
                free(v[i].wall);
                free(v[i].cpu);
        }
}

int cmd_bench(int argc, char **argv) {
        static const struct option opts[] = {
                { "help", no_argument, NULL, 'h' },
                { "rounds", required_argument, NULL, 'n' },
                { "warmup", required_argument, NULL, 'w' },
                { "levels", required_argument, NULL, 'l' },
                { "json", no_argument, NULL, 'j' },
                { "show-output", no_argument, NULL, 'o' },
                {}
        };
        bool want[HWCAPS_LEVEL_MAX + 1] = {}, any_wanted = false, json = false, show_output = false;
        unsigned rounds = 10, warmup = 1;
        struct variant var[HWCAPS_LEVEL_MAX] = {};
        size_t nv = 0;
        _cleanup_free_ char *prog = NULL, *dir = NULL, *name = NULL;
        struct hwcaps_probe p;
        int c, ret = EXIT_FAIL;

        while ((c = getopt_long(argc, argv, "+hn:w:", opts, NULL)) >= 0)
                switch (c) {
                case 'h':
                        fputs(bench_help, stdout);
                        return EXIT_OK;
                case 'n':
                        if (parse_count(optarg, 1, &rounds) < 0) {
                                usage_error("bench: invalid number of rounds '%s' (expected 1 or more)", optarg);
                                return EXIT_USAGE;
                        }
                        break;
                case 'w':
                        if (parse_count(optarg, 0, &warmup) < 0) {
                                usage_error("bench: invalid number of warm-up rounds '%s'", optarg);
                                return EXIT_USAGE;
                        }
                        break;
                case 'l':
                        if (parse_levels(optarg, want) < 0)
                                return EXIT_USAGE;
                        any_wanted = true;
                        break;
                case 'j':
                        json = true;
                        break;
                case 'o':
                        show_output = true;
                        break;
                default:
                        return EXIT_USAGE;
                }
        if (optind >= argc) {
                usage_error("bench: missing COMMAND (hwcaps bench -- COMMAND [ARGS...])");
                return EXIT_USAGE;
        }
        char **cmd = argv + optind;

        const char *one[] = { cmd[0], NULL };
        prog = find_program(one);
        if (!prog) {
                log_error("bench: %s: %s", cmd[0], strchr(cmd[0], '/') ? "not an executable file" : "not found in PATH");
                return EXIT_FAIL;
        }
        if (split_program(prog, &dir, &name) < 0)
                return EXIT_FAIL;

        hwcaps_probe_glibc(&p);
        for (int l = HWCAPS_LEVEL_V1; l <= HWCAPS_LEVEL_MAX; l++) {
                if (any_wanted && !want[l])
                        continue;
                char *vp = variant_path(dir, name, l);
                if (!vp) {
                        if (any_wanted) {
                                log_error("bench: no %s variant of %s (looked for %s/glibc-hwcaps/%s/%s%s)",
                                          hwcaps_level_name(l), name, dir, hwcaps_level_name(l), name,
                                          l == HWCAPS_LEVEL_V1 ? " and the program itself" : "");
                                goto out;
                        }
                        continue;
                }
                /* Running a variant above the CPU's level would die with
                 * SIGILL or glibc's ISA-level check: skip, and say so. */
                if (l > (int) p.level) {
                        log_warning("skipping %s: this CPU supports up to %s", hwcaps_level_name(l),
                                    p.level ? hwcaps_level_name(p.level) : "nothing");
                        free(vp);
                        if (any_wanted)
                                goto out;
                        continue;
                }
                var[nv] = (struct variant) {
                        .level = l,
                        .path = vp,
                        .wall = calloc(rounds, sizeof(double)),
                        .cpu = calloc(rounds, sizeof(double)),
                };
                if (!var[nv++].wall || !var[nv - 1].cpu) {
                        log_error("out of memory");
                        goto out;
                }
        }
        if (nv == 0) {
                log_error("bench: no level variant of %s found (expected %s/%s or %s/glibc-hwcaps/x86-64-vN/%s)",
                          name, dir, name, dir, name);
                goto out;
        }

        bool progress = isatty(STDERR_FILENO);
        for (unsigned r = 0; r < warmup + rounds; r++) {
                /* Rotate the order every round so no level always runs right
                 * after another (caches, frequency ramps). */
                for (size_t k = 0; k < nv; k++) {
                        struct variant *v = &var[(k + r) % nv];
                        double wall, cpu;
                        if (progress)
                                fprintf(stderr, "\r%s: %s round %u/%u %-10s", program_name,
                                        r < warmup ? "warm-up" : "measuring",
                                        r < warmup ? r + 1 : r - warmup + 1, r < warmup ? warmup : rounds,
                                        hwcaps_level_name(v->level));
                        int st = run_once(v, cmd, show_output, &wall, &cpu);
                        if (st != 0) {
                                if (progress)
                                        fputc('\n', stderr);
                                if (st < 0)
                                        log_error("bench: cannot run %s: %s", v->path, strerror(-st));
                                else if (WIFSIGNALED(st))
                                        log_error("bench: %s (%s) was killed by signal %d (%s)%s", v->path,
                                                  hwcaps_level_name(v->level), WTERMSIG(st), strsignal(WTERMSIG(st)),
                                                  WTERMSIG(st) == SIGILL ? "; was it built for a higher level than its directory?" : "");
                                else
                                        log_error("bench: %s (%s) exited with status %d; the benchmark needs "
                                                  "a command that succeeds", v->path, hwcaps_level_name(v->level),
                                                  WEXITSTATUS(st));
                                goto out;
                        }
                        if (r >= warmup) {
                                v->wall[r - warmup] = wall;
                                v->cpu[r - warmup] = cpu;
                        }
                }
        }
        if (progress)
                fprintf(stderr, "\r\033[K");

        struct stats st[HWCAPS_LEVEL_MAX];
        struct speedup sp[HWCAPS_LEVEL_MAX];
        double max_median = 0, max_max = 0;
        for (size_t i = 0; i < nv; i++) {
                if (stats_summarize(var[i].wall, rounds, &st[i]) < 0 ||
                    stats_speedup(var[0].wall, var[i].wall, rounds, &sp[i]) < 0) {
                        log_error("bench: cannot compute statistics (a run took no measurable time?)");
                        goto out;
                }
                max_median = fmax(max_median, st[i].median);
                max_max = fmax(max_max, st[i].max);
        }

        if (json) {
                printf("{\"command\":[");
                for (size_t i = 0; cmd[i]; i++) {
                        if (i)
                                putchar(',');
                        json_string(stdout, cmd[i]);
                }
                printf("],\"rounds\":%u,\"warmup\":%u,\"baseline\":\"%s\",\"unit\":\"s\"",
                       rounds, warmup, hwcaps_level_name(var[0].level));
                printf(",\"host\":{\"vendor\":");
                json_string(stdout, p.cpuid.vendor);
                printf(",\"level\":\"%s\"},\"levels\":[", p.level ? hwcaps_level_name(p.level) : "none");
                for (size_t i = 0; i < nv; i++) {
                        printf("%s{\"level\":\"%s\",\"path\":", i ? "," : "", hwcaps_level_name(var[i].level));
                        json_string(stdout, var[i].path);
                        printf(",\"median\":%.9g,\"min\":%.9g,\"max\":%.9g,\"q1\":%.9g,\"q3\":%.9g"
                               ",\"speedup\":%.6g,\"speedup_q1\":%.6g,\"speedup_q3\":%.6g,\"times\":",
                               st[i].median, st[i].min, st[i].max, st[i].q1, st[i].q3,
                               sp[i].value, sp[i].q1, sp[i].q3);
                        print_json_array(var[i].wall, rounds);
                        printf(",\"cpu_times\":");
                        print_json_array(var[i].cpu, rounds);
                        putchar('}');
                }
                printf("]}\n");
        } else {
                const char *unit;
                double scale;
                _cleanup_free_ char *shown = argv_join(cmd);

                pick_unit(max_max, &unit, &scale);
                printf("%s: %u round%s (+%u warm-up), levels interleaved; wall time\n",
                       shown ? shown : cmd[0], rounds, rounds == 1 ? "" : "s", warmup);
                printf("%-10s %11s %11s %11s  %-19s %s\n", "level", "median", "min", "max",
                       "speedup (IQR)", "median");
                for (size_t i = 0; i < nv; i++) {
                        char spd[64];
                        if (i == 0)
                                snprintf(spd, sizeof(spd), "%.3f baseline", 1.0);
                        else
                                snprintf(spd, sizeof(spd), "%.3f (%.3f-%.3f)", sp[i].value, sp[i].q1, sp[i].q3);
                        int bar = max_median > 0 ? (int) lround(40.0 * st[i].median / max_median) : 0;
                        if (bar < 1)
                                bar = 1;
                        printf("%-10s %8.2f %-2s %8.2f %-2s %8.2f %-2s  %-19s |%.*s\n",
                               hwcaps_level_name(var[i].level),
                               st[i].median * scale, unit, st[i].min * scale, unit, st[i].max * scale, unit,
                               spd, bar, "########################################");
                }
                printf("speedup = baseline median / level median (> 1: faster than %s)\n",
                       hwcaps_level_name(var[0].level));
        }
        ret = EXIT_OK;
out:
        variants_free(var, nv);
        return ret;
}
