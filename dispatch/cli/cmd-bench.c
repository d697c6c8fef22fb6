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
#include "escape.h"
#include "searchpath.h"
#include "json.h"
#include "level.h"
#include "macro.h"
#include "options.h"
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
        "      --levels LIST   comma-separated levels to compare, e.g. x86-64-v1,x86-64-v3 or v1,v3\n"
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
                int l = hwcaps_level_parse(p, n);
                if (l < 0) {
                        usage_error("bench: unknown level \"%.*s\" (expected " HWCAPS_LEVEL_NAMES ")",
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
                log_error("cannot run %s: %s", v->path, strerror(errno));
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

struct bench_args {
        bool want[HWCAPS_LEVEL_MAX + 1];    /* --levels */
        bool any_wanted, json, show_output;
        unsigned rounds, warmup;
        char **cmd;                         /* COMMAND [ARGS...] */
};

static int parse_argv(int argc, char **argv, struct bench_args *ret) {
        static const struct option options[] = {
                { "help", no_argument, NULL, 'h' },
                { "rounds", required_argument, NULL, 'n' },
                { "warmup", required_argument, NULL, 'w' },
                { "levels", required_argument, NULL, 'l' },
                { "json", no_argument, NULL, 'j' },
                { "show-output", no_argument, NULL, 'o' },
                {}
        };
        struct options o = {
                .name = "bench", .help = bench_help, .shortopts = "+:hn:w:", .longopts = options,
                .argc = argc, .argv = argv,
        };
        int c;

        *ret = (struct bench_args) { .rounds = 10, .warmup = 1 };
        while ((c = options_next(&o)) > 0)
                switch (c) {
                case 'n':
                        if (parse_count(optarg, 1, &ret->rounds) < 0) {
                                usage_error("bench: invalid number of rounds '%s' (expected 1 or more)", optarg);
                                return -EINVAL;
                        }
                        break;
                case 'w':
                        if (parse_count(optarg, 0, &ret->warmup) < 0) {
                                usage_error("bench: invalid number of warm-up rounds '%s'", optarg);
                                return -EINVAL;
                        }
                        break;
                case 'l':
                        if (parse_levels(optarg, ret->want) < 0)
                                return -EINVAL;
                        ret->any_wanted = true;
                        break;
                case 'j':
                        ret->json = true;
                        break;
                case 'o':
                        ret->show_output = true;
                        break;
                }
        if (c != OPTIONS_END)
                return c;
        if (optind >= argc) {
                usage_error("bench: missing COMMAND (hwcaps bench -- COMMAND [ARGS...])");
                return -EINVAL;
        }
        ret->cmd = argv + optind;
        return 1;
}

/* The variants timed (var[0] the baseline the others are compared with)
 * and their statistics. */
struct bench {
        struct variant var[HWCAPS_LEVEL_MAX];
        size_t n;
        struct stats st[HWCAPS_LEVEL_MAX];
        struct speedup sp[HWCAPS_LEVEL_MAX];
};

static void bench_done(struct bench *b) {
        for (size_t i = 0; i < b->n; i++) {
                free(b->var[i].path);
                free(b->var[i].wall);
                free(b->var[i].cpu);
        }
}

/* The installed variants of DIR/NAME this CPU can run, lowest level first;
 * with --levels exactly those, or an error. */
static int find_variants(struct bench *b, const struct bench_args *a, const char *dir, const char *name,
                         enum hwcaps_level cpu) {
        for (int l = HWCAPS_LEVEL_V1; l <= HWCAPS_LEVEL_MAX; l++) {
                if (a->any_wanted && !a->want[l])
                        continue;
                char *vp = variant_path(dir, name, l);
                if (!vp) {
                        if (a->any_wanted) {
                                log_error("bench: no %s variant of %s (looked for %s/glibc-hwcaps/%s/%s%s)",
                                          hwcaps_level_name(l), name, dir, hwcaps_level_name(l), name,
                                          l == HWCAPS_LEVEL_V1 ? " and the program itself" : "");
                                return -ENOENT;
                        }
                        continue;
                }
                /* Running a variant above the CPU's level would die with
                 * SIGILL or glibc's ISA-level check: skip, and say so. */
                if (l > (int) cpu) {
                        log_warning("skipping %s: this CPU supports up to %s", hwcaps_level_name(l),
                                    cpu ? hwcaps_level_name(cpu) : "nothing");
                        free(vp);
                        if (a->any_wanted)
                                return -ENOENT;
                        continue;
                }
                b->var[b->n] = (struct variant) {
                        .level = l,
                        .path = vp,
                        .wall = calloc(a->rounds, sizeof(double)),
                        .cpu = calloc(a->rounds, sizeof(double)),
                };
                if (!b->var[b->n++].wall || !b->var[b->n - 1].cpu) {
                        log_error("out of memory");
                        return -ENOMEM;
                }
        }
        if (b->n == 0) {
                log_error("bench: no level variant of %s found (expected %s/%s or %s/glibc-hwcaps/x86-64-vN/%s)",
                          name, dir, name, dir, name);
                return -ENOENT;
        }
        return 0;
}

static void log_run_failure(const struct variant *v, int st) {
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
}

/* The warm-up rounds, then the measured ones, each running every variant
 * once; the first failing run stops all. */
static int run_rounds(struct bench *b, const struct bench_args *a) {
        bool progress = isatty(STDERR_FILENO);

        for (unsigned r = 0; r < a->warmup + a->rounds; r++) {
                /* Rotate the order every round so no level always runs right
                 * after another (caches, frequency ramps). */
                for (size_t k = 0; k < b->n; k++) {
                        struct variant *v = &b->var[(k + r) % b->n];
                        double wall, cpu;
                        if (progress)
                                fprintf(stderr, "\r%s: %s round %u/%u %-10s", program_name,
                                        r < a->warmup ? "warm-up" : "measuring",
                                        r < a->warmup ? r + 1 : r - a->warmup + 1,
                                        r < a->warmup ? a->warmup : a->rounds, hwcaps_level_name(v->level));
                        int st = run_once(v, a->cmd, a->show_output, &wall, &cpu);
                        if (st != 0) {
                                if (progress)
                                        fputc('\n', stderr);
                                log_run_failure(v, st);
                                return -EIO;
                        }
                        if (r >= a->warmup) {
                                v->wall[r - a->warmup] = wall;
                                v->cpu[r - a->warmup] = cpu;
                        }
                }
        }
        if (progress)
                fprintf(stderr, "\r\033[K");
        return 0;
}

static int summarize(struct bench *b, unsigned rounds) {
        for (size_t i = 0; i < b->n; i++)
                if (stats_summarize(b->var[i].wall, rounds, &b->st[i]) < 0 ||
                    stats_speedup(b->var[0].wall, b->var[i].wall, rounds, &b->sp[i]) < 0) {
                        log_error("bench: cannot compute statistics (a run took no measurable time?)");
                        return -EDOM;
                }
        return 0;
}

static void print_json(const struct bench *b, const struct bench_args *a, const struct hwcaps_probe *p) {
        json_begin(stdout, "bench", false);
        json_names(stdout, "command", a->cmd, false);
        printf(",\"rounds\":%u,\"warmup\":%u,\"baseline_level\":\"%s\",\"unit\":\"s\"",
               a->rounds, a->warmup, hwcaps_level_name(b->var[0].level));
        printf(",\"vendor\":");
        json_string(stdout, p->cpuid.vendor);
        putchar(',');
        json_level(stdout, "cpu_level", p->level, false);
        printf(",\"levels\":[");
        for (size_t i = 0; i < b->n; i++) {
                const struct stats *st = &b->st[i];
                const struct speedup *sp = &b->sp[i];

                printf("%s{\"level\":\"%s\",", i ? "," : "", hwcaps_level_name(b->var[i].level));
                json_name(stdout, "path", b->var[i].path, false);
                printf(",\"median\":%.9g,\"min\":%.9g,\"max\":%.9g,\"q1\":%.9g,\"q3\":%.9g"
                       ",\"speedup\":%.6g,\"speedup_q1\":%.6g,\"speedup_q3\":%.6g,\"times\":",
                       st->median, st->min, st->max, st->q1, st->q3, sp->value, sp->q1, sp->q3);
                print_json_array(b->var[i].wall, a->rounds);
                printf(",\"cpu_times\":");
                print_json_array(b->var[i].cpu, a->rounds);
                putchar('}');
        }
        printf("]}\n");
}

static void print_table(const struct bench *b, const struct bench_args *a) {
        _cleanup_free_ char *shown = argv_join(a->cmd), *b_shown = NULL;
        double max_median = 0, max_max = 0, scale;
        const char *unit;

        for (size_t i = 0; i < b->n; i++) {
                max_median = fmax(max_median, b->st[i].median);
                max_max = fmax(max_max, b->st[i].max);
        }
        pick_unit(max_max, &unit, &scale);
        printf("%s: %u round%s (+%u warm-up), levels interleaved; wall time\n",
               escape_name(shown ? shown : a->cmd[0], &b_shown), a->rounds, a->rounds == 1 ? "" : "s", a->warmup);
        printf("%-10s %11s %11s %11s  %-19s %s\n", "level", "median", "min", "max",
               "speedup (IQR)", "median");
        for (size_t i = 0; i < b->n; i++) {
                const struct stats *st = &b->st[i];
                char spd[64];
                if (i == 0)
                        snprintf(spd, sizeof(spd), "%.3f baseline", 1.0);
                else
                        snprintf(spd, sizeof(spd), "%.3f (%.3f-%.3f)", b->sp[i].value, b->sp[i].q1, b->sp[i].q3);
                int bar = max_median > 0 ? (int) lround(40.0 * st->median / max_median) : 0;
                if (bar < 1)
                        bar = 1;
                printf("%-10s %8.2f %-2s %8.2f %-2s %8.2f %-2s  %-19s |%.*s\n",
                       hwcaps_level_name(b->var[i].level),
                       st->median * scale, unit, st->min * scale, unit, st->max * scale, unit,
                       spd, bar, "########################################");
        }
        printf("speedup = baseline median / level median (> 1: faster than %s)\n",
               hwcaps_level_name(b->var[0].level));
}

static int bench(const struct bench_args *a) {
        _cleanup_free_ char *prog = NULL, *dir = NULL, *name = NULL;
        _cleanup_(bench_done) struct bench b = {};
        const char *one[] = { a->cmd[0], NULL };
        struct hwcaps_probe p;

        prog = find_program(one);
        if (!prog) {
                log_error("bench: %s: %s", a->cmd[0],
                          strchr(a->cmd[0], '/') ? "not an executable file" : "not found in PATH");
                return EXIT_FAIL;
        }
        if (split_program(prog, &dir, &name) < 0)
                return EXIT_FAIL;

        hwcaps_probe_glibc(&p);
        if (find_variants(&b, a, dir, name, p.level) < 0 || run_rounds(&b, a) < 0 || summarize(&b, a->rounds) < 0)
                return EXIT_FAIL;
        if (a->json)
                print_json(&b, a, &p);
        else
                print_table(&b, a);
        return EXIT_OK;
}

int cmd_bench(int argc, char **argv) {
        struct bench_args args;
        int r = parse_argv(argc, argv, &args);

        return r > 0 ? bench(&args) : options_exit_status(r);
}
