/* SPDX-License-Identifier: MIT */
/* hwcaps bench: time COMMAND once per installed level variant of its
 * program, or once per build given with --variants, in interleaved
 * rounds, and compare each with the first (the baseline, the reference).
 *
 * Variants are resolved here, not through the exec stub: for a program P
 * found as DIR/NAME (in PATH or as given), level N runs
 * DIR/glibc-hwcaps/x86-64-vN/NAME and the baseline runs
 * DIR/glibc-hwcaps/x86-64-v1/NAME when present (the stub layout), else
 * DIR/NAME. Each run also gets HWCAPS_MAX_LEVEL=x86-64-vN in its
 * environment, so dispatched programs it starts follow the same cap.
 * With --variants NAME=PATH,..., each PATH runs in place of COMMAND's
 * program, with the environment unchanged. */
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
        "Usage: hwcaps bench [-n N] [-w N] [--levels LIST | --variants NAME=PATH,...]\n"
        "         [--confidence P] [--json] [--show-output] -- COMMAND [ARGS...]\n"
        "\n"
        "Run COMMAND once per installed x86-64 level variant of its program (those this\n"
        "CPU can run), or once per build given with --variants, N rounds with them\n"
        "interleaved, and print for each its median wall and CPU (user+sys) time and,\n"
        "against the first, the median of the per-round ratios with a confidence\n"
        "interval: \"faster\", \"slower\", or \"no difference\" when the interval holds 1.\n"
        "\n"
        "  -n, --rounds N       measured rounds (default 10)\n"
        "  -w, --warmup N       unmeasured rounds first (default 1)\n"
        "      --levels LIST    comma-separated levels, e.g. x86-64-v1,x86-64-v3\n"
        "                       or v1,v3\n"
        "      --variants LIST  builds to compare instead: NAME=PATH,NAME=PATH,...;\n"
        "                       each PATH runs in place of COMMAND's program; the\n"
        "                       first is the reference; at least 2, and enough\n"
        "                       rounds for P\n"
        "      --confidence P   of the intervals, between 0 and 1 (default 0.95,\n"
        "                       which needs 6 rounds; 0.99: 8)\n"
        "      --json           machine-readable output (fields: see hwcaps(1))\n"
        "      --show-output    keep COMMAND's stdout (default: /dev/null);\n"
        "                       stderr is always kept\n"
        "\n"
        "The variants of DIR/NAME are DIR/glibc-hwcaps/x86-64-vN/NAME; the baseline is\n"
        "DIR/glibc-hwcaps/x86-64-v1/NAME if present, else DIR/NAME.\n";

struct variant {
        const char *name;               /* the level's name, or NAME of --variants */
        enum hwcaps_level level;        /* HWCAPS_LEVEL_NONE with --variants */
        char *path;
        double *wall;   /* seconds, one per measured round */
        double *cpu;    /* user + system seconds of the child */
        struct stats st, cpu_st;        /* of wall and cpu */
        struct speedup sp;              /* of wall against the first variant */
        struct ratio_ci wall_ratio, cpu_ratio;
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
        unsigned long v;

        if (options_unsigned(s, min, 1000000, &v) < 0)
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
                if (v->level != HWCAPS_LEVEL_NONE)
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

/* "key":NUMBER, or "key":null without one (too few rounds). */
static void print_json_number(const char *key, double v) {
        printf("\"%s\":", key);
        if (isfinite(v))
                printf("%.9g", v);
        else
                fputs("null", stdout);
}

struct named_build {
        const char *name, *path;
};

struct bench_args {
        bool want[HWCAPS_LEVEL_MAX + 1];    /* --levels */
        bool any_wanted, json, show_output;
        unsigned rounds, warmup;
        double confidence;                  /* --confidence */
        char *variants_buf;                 /* --variants, split in place */
        struct named_build *variants;       /* into variants_buf; NULL: the levels */
        size_t n_variants;
        char **cmd;                         /* COMMAND [ARGS...] */
};

static void bench_args_done(struct bench_args *a) {
        free(a->variants_buf);
        free(a->variants);
}

/* NAME=PATH,NAME=PATH...: names non-empty and distinct, at least two.
 * A NAME may hold any byte but ',' and '='; messages and output escape it. */
static int parse_variants(const char *s, struct bench_args *a) {
        size_t n = 1;

        if (!*s) {
                usage_error("bench: --variants needs a list NAME=PATH,NAME=PATH,... (the first is the reference)");
                return -EINVAL;
        }
        for (const char *p = s; *p; p++)
                n += *p == ',';
        bench_args_done(a);
        a->n_variants = 0;
        a->variants_buf = strdup(s);
        a->variants = calloc(n, sizeof(*a->variants));
        if (!a->variants_buf || !a->variants) {
                log_error("out of memory");
                return -ENOMEM;
        }
        for (char *p = a->variants_buf, *next; p; p = next) {
                char *eq;

                next = strchr(p, ',');
                if (next)
                        *next++ = '\0';
                eq = strchr(p, '=');
                if (!eq || eq == p || !eq[1]) {
                        usage_error("bench: --variants: \"%s\" is not NAME=PATH (a non-empty name, '=', a path)", p);
                        return -EINVAL;
                }
                *eq = '\0';
                for (size_t i = 0; i < a->n_variants; i++)
                        if (strcmp(a->variants[i].name, p) == 0) {
                                usage_error("bench: --variants: the name \"%s\" is given twice", p);
                                return -EINVAL;
                        }
                a->variants[a->n_variants++] = (struct named_build) { .name = p, .path = eq + 1 };
        }
        if (a->n_variants < 2) {
                usage_error("bench: --variants needs at least two builds to compare, NAME=PATH,NAME=PATH "
                            "(the first is the reference)");
                return -EINVAL;
        }
        return 0;
}

static int parse_confidence(const char *s, double *ret) {
        char *e;
        errno = 0;
        double v = strtod(s, &e);
        if (errno || e == s || *e || !(v > 0 && v < 1))
                return -EINVAL;
        *ret = v;
        return 0;
}

static int parse_argv(int argc, char **argv, struct bench_args *ret) {
        static const struct option options[] = {
                { "help", no_argument, NULL, 'h' },
                { "rounds", required_argument, NULL, 'n' },
                { "warmup", required_argument, NULL, 'w' },
                { "levels", required_argument, NULL, 'l' },
                { "variants", required_argument, NULL, 'V' },
                { "confidence", required_argument, NULL, 'C' },
                { "json", no_argument, NULL, 'j' },
                { "show-output", no_argument, NULL, 'o' },
                {}
        };
        struct options o = {
                .name = "bench", .help = bench_help, .shortopts = "+:hn:w:", .longopts = options,
                .argc = argc, .argv = argv,
        };
        int c, r;

        *ret = (struct bench_args) { .rounds = 10, .warmup = 1, .confidence = 0.95 };
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
                case 'V':
                        if ((r = parse_variants(optarg, ret)) < 0)
                                return r;
                        break;
                case 'C':
                        if (parse_confidence(optarg, &ret->confidence) < 0) {
                                usage_error("bench: invalid confidence '%s' (expected a number between 0 and 1, "
                                            "such as 0.95)", optarg);
                                return -EINVAL;
                        }
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
        if (ret->variants && ret->any_wanted) {
                usage_error("bench: --levels and --variants exclude each other");
                return -EINVAL;
        }
        /* Builds named to be compared must be, at the confidence asked. The
         * levels mode keeps taking fewer rounds, and says the interval is
         * missing. */
        size_t min = stats_median_ci_min_rounds(ret->confidence);
        if (ret->variants && ret->rounds < min) {
                usage_error("bench: %u round%s too few for a %g%% interval: --variants needs -n %zu or more",
                            ret->rounds, ret->rounds == 1 ? " is" : "s are", ret->confidence * 100, min);
                return -EINVAL;
        }
        ret->cmd = argv + optind;
        return 1;
}

/* The variants timed (var[0] the baseline or reference the others are
 * compared with) and their statistics. */
struct bench {
        struct variant *var;
        size_t n;
};

static void bench_done(struct bench *b) {
        for (size_t i = 0; i < b->n; i++) {
                free(b->var[i].path);
                free(b->var[i].wall);
                free(b->var[i].cpu);
        }
        free(b->var);
}

/* The installed variants of COMMAND's program this CPU can run, lowest
 * level first; with --levels exactly those, or an error. */
static int find_level_variants(struct bench *b, const struct bench_args *a, enum hwcaps_level cpu) {
        _cleanup_free_ char *prog = NULL, *dir = NULL, *name = NULL;
        const char *one[] = { a->cmd[0], NULL };

        prog = find_program(one);
        if (!prog) {
                log_error("bench: %s: %s", a->cmd[0],
                          strchr(a->cmd[0], '/') ? "not an executable file" : "not found in PATH");
                return -ENOENT;
        }
        if (split_program(prog, &dir, &name) < 0) {
                log_error("out of memory");
                return -ENOMEM;
        }
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
                b->var[b->n++] = (struct variant) { .name = hwcaps_level_name(l), .level = l, .path = vp };
        }
        if (b->n == 0) {
                log_error("bench: no level variant of %s found (expected %s/%s or %s/glibc-hwcaps/x86-64-vN/%s)",
                          name, dir, name, dir, name);
                return -ENOENT;
        }
        return 0;
}

/* The builds of --variants, each looked up as COMMAND would be. */
static int find_named_variants(struct bench *b, const struct bench_args *a) {
        for (size_t i = 0; i < a->n_variants; i++) {
                const struct named_build *nb = &a->variants[i];
                const char *one[] = { nb->path, NULL };
                char *vp = find_program(one);

                if (!vp) {
                        log_error("bench: variant %s: %s: %s", nb->name, nb->path,
                                  strchr(nb->path, '/') ? "not an executable file" : "not found in PATH");
                        return -ENOENT;
                }
                b->var[b->n++] = (struct variant) { .name = nb->name, .level = HWCAPS_LEVEL_NONE, .path = vp };
        }
        return 0;
}

static int alloc_times(struct bench *b, unsigned rounds) {
        for (size_t i = 0; i < b->n; i++) {
                b->var[i].wall = calloc(rounds, sizeof(double));
                b->var[i].cpu = calloc(rounds, sizeof(double));
                if (!b->var[i].wall || !b->var[i].cpu) {
                        log_error("out of memory");
                        return -ENOMEM;
                }
        }
        return 0;
}

static void log_run_failure(const struct variant *v, int st) {
        if (st < 0)
                log_error("bench: cannot run %s: %s", v->path, strerror(-st));
        else if (WIFSIGNALED(st))
                log_error("bench: %s (%s) was killed by signal %d (%s)%s", v->path, v->name,
                          WTERMSIG(st), strsignal(WTERMSIG(st)),
                          WTERMSIG(st) == SIGILL ? "; was it built for a higher level than its directory?" : "");
        else
                log_error("bench: %s (%s) exited with status %d; the benchmark needs "
                          "a command that succeeds", v->path, v->name, WEXITSTATUS(st));
}

/* The warm-up rounds, then the measured ones, each running every variant
 * once in the order stats_round_order() gives; the first failing run
 * stops all. */
static int run_rounds(struct bench *b, const struct bench_args *a) {
        bool progress = isatty(STDERR_FILENO);

        for (unsigned r = 0; r < a->warmup + a->rounds; r++)
                for (size_t k = 0; k < b->n; k++) {
                        struct variant *v = &b->var[stats_round_order(r, b->n, k)];
                        double wall, cpu;
                        if (progress) {
                                _cleanup_free_ char *buf = NULL;
                                fprintf(stderr, "\r%s: %s round %u/%u %-10s", program_name,
                                        r < a->warmup ? "warm-up" : "measuring",
                                        r < a->warmup ? r + 1 : r - a->warmup + 1,
                                        r < a->warmup ? a->warmup : a->rounds, escape_name(v->name, &buf));
                        }
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
        if (progress)
                fprintf(stderr, "\r\033[K");
        return 0;
}

static int summarize(struct bench *b, const struct bench_args *a) {
        const struct variant *ref = &b->var[0];

        for (size_t i = 0; i < b->n; i++) {
                struct variant *v = &b->var[i];
                if (stats_summarize(v->wall, a->rounds, &v->st) < 0 ||
                    stats_summarize(v->cpu, a->rounds, &v->cpu_st) < 0 ||
                    stats_ratio_ci(ref->wall, v->wall, a->rounds, a->confidence, &v->wall_ratio) < 0 ||
                    stats_ratio_ci(ref->cpu, v->cpu, a->rounds, a->confidence, &v->cpu_ratio) < 0) {
                        log_error("out of memory");
                        return -ENOMEM;
                }
                if (stats_speedup(ref->wall, v->wall, a->rounds, &v->sp) < 0) {
                        log_error("bench: cannot compute statistics (a run took no measurable time?)");
                        return -EDOM;
                }
        }
        return 0;
}

/* The comparison with the first variant, for wall and CPU time:
 * ,"wall":{"median":...,"ratio":...,"ci_low":...,"ci_high":...,
 * "coverage":...,"rounds_used":N,"verdict":"..."},"cpu":{...}. */
static void print_json_comparison(const struct variant *v, bool reference) {
        const struct { const char *key; const struct stats *st; const struct ratio_ci *r; } m[] = {
                { "wall", &v->st, &v->wall_ratio },
                { "cpu", &v->cpu_st, &v->cpu_ratio },
        };
        for (size_t i = 0; i < ELEMENTSOF(m); i++) {
                printf(",\"%s\":{", m[i].key);
                print_json_number("median", m[i].st->median);
                putchar(',');
                print_json_number("ratio", m[i].r->ratio);
                putchar(',');
                print_json_number("ci_low", m[i].r->low);
                putchar(',');
                print_json_number("ci_high", m[i].r->high);
                putchar(',');
                print_json_number("coverage", m[i].r->coverage);
                printf(",\"rounds_used\":%zu,\"verdict\":\"%s\"}", m[i].r->n,
                       reference ? "reference" : stats_verdict_name(m[i].r->verdict));
        }
}

static void print_json(const struct bench *b, const struct bench_args *a, const struct hwcaps_probe *p) {
        json_begin(stdout, "bench", false);
        json_names(stdout, "command", a->cmd, false);
        printf(",\"rounds\":%u,\"warmup\":%u,", a->rounds, a->warmup);
        if (a->variants)
                json_name(stdout, "reference", b->var[0].name, false);
        else
                printf("\"baseline_level\":\"%s\"", hwcaps_level_name(b->var[0].level));
        printf(",\"unit\":\"s\",\"confidence\":%.9g,\"vendor\":", a->confidence);
        json_string(stdout, p->cpuid.vendor);
        putchar(',');
        json_level(stdout, "cpu_level", p->level, false);
        printf(",\"%s\":[", a->variants ? "variants" : "levels");
        for (size_t i = 0; i < b->n; i++) {
                const struct variant *v = &b->var[i];
                const struct stats *st = &v->st;

                printf("%s{", i ? "," : "");
                json_name(stdout, a->variants ? "name" : "level", v->name, false);
                putchar(',');
                json_name(stdout, "path", v->path, false);
                printf(",\"median\":%.9g,\"min\":%.9g,\"max\":%.9g,\"q1\":%.9g,\"q3\":%.9g"
                       ",\"speedup\":%.6g,\"speedup_q1\":%.6g,\"speedup_q3\":%.6g,\"times\":",
                       st->median, st->min, st->max, st->q1, st->q3, v->sp.value, v->sp.q1, v->sp.q3);
                print_json_array(v->wall, a->rounds);
                printf(",\"cpu_times\":");
                print_json_array(v->cpu, a->rounds);
                print_json_comparison(v, i == 0);
                putchar('}');
        }
        printf("]}\n");
}

/* A ratio cell: "1.234 (1.200-1.300) faster"; for the first variant
 * "1.000 baseline" (or "reference"). */
static void format_ratio(char *buf, size_t size, const struct ratio_ci *r, const char *reference) {
        if (reference)
                snprintf(buf, size, "1.000 %s", reference);
        else if (isnan(r->ratio))
                snprintf(buf, size, "- (no round measured)");
        else if (r->verdict == STATS_TOO_FEW)
                snprintf(buf, size, "%.3f (%s)", r->ratio, stats_verdict_name(r->verdict));
        else
                snprintf(buf, size, "%.3f (%.3f-%.3f) %s", r->ratio, r->low, r->high, stats_verdict_name(r->verdict));
}

static void print_table(const struct bench *b, const struct bench_args *a) {
        _cleanup_free_ char *shown = argv_join(a->cmd), *b_shown = NULL, *b_ref = NULL;
        const char *what = a->variants ? "variant" : "level", *reference = a->variants ? "reference" : "baseline";
        const char *wunit, *cunit;
        double max_wall = 0, max_cpu = 0, wscale, cscale;
        char wratio[96], cratio[96], head[64];
        int name_w = (int) strlen(what), ratio_w;

        snprintf(head, sizeof(head), "ratio (%g%% interval)", a->confidence * 100);
        ratio_w = (int) strlen(head);
        for (size_t i = 0; i < b->n; i++) {
                _cleanup_free_ char *buf = NULL;
                int w = (int) strlen(escape_name(b->var[i].name, &buf));
                if (w > name_w)
                        name_w = w;
                max_wall = fmax(max_wall, b->var[i].st.median);
                max_cpu = fmax(max_cpu, b->var[i].cpu_st.median);
                format_ratio(wratio, sizeof(wratio), &b->var[i].wall_ratio, i ? NULL : reference);
                w = (int) strlen(wratio);
                if (w > ratio_w)
                        ratio_w = w;
        }
        pick_unit(max_wall, &wunit, &wscale);
        pick_unit(max_cpu, &cunit, &cscale);
        printf("%s: %u round%s (+%u warm-up), %ss interleaved\n",
               escape_name(shown ? shown : a->cmd[0], &b_shown), a->rounds, a->rounds == 1 ? "" : "s", a->warmup,
               what);
        printf("%-*s  %-*s  %s\n", name_w, "", 11 + 2 + ratio_w, "wall time", "cpu time (user+sys)");
        printf("%-*s  %11s  %-*s  %11s  %s\n", name_w, what, "median", ratio_w, head, "median", head);
        for (size_t i = 0; i < b->n; i++) {
                _cleanup_free_ char *buf = NULL;
                format_ratio(wratio, sizeof(wratio), &b->var[i].wall_ratio, i ? NULL : reference);
                format_ratio(cratio, sizeof(cratio), &b->var[i].cpu_ratio, i ? NULL : reference);
                printf("%-*s  %8.2f %-2s  %-*s  %8.2f %-2s  %s\n", name_w, escape_name(b->var[i].name, &buf),
                       b->var[i].st.median * wscale, wunit, ratio_w, wratio,
                       b->var[i].cpu_st.median * cscale, cunit, cratio);
        }

        const char *ref = escape_name(b->var[0].name, &b_ref);
        printf("ratio = %s's time / the %s's time in the same round, median over rounds (> 1: faster than %s)\n",
               ref, what, ref);
        const struct ratio_ci *r0 = &b->var[0].wall_ratio;
        if (r0->verdict == STATS_TOO_FEW)
                printf("interval: none; %g%% needs %zu rounds or more (-n %zu)\n", a->confidence * 100,
                       stats_median_ci_min_rounds(a->confidence), stats_median_ci_min_rounds(a->confidence));
        else
                printf("interval: of the median, by order statistics, exact coverage %.1f%%; "
                       "\"no difference\" when it holds 1\n", r0->coverage * 100);
}

static int bench(const struct bench_args *a) {
        _cleanup_(bench_done) struct bench b = {};
        struct hwcaps_probe p;

        hwcaps_probe_glibc(&p);
        b.var = calloc(a->variants ? a->n_variants : HWCAPS_LEVEL_MAX, sizeof(*b.var));
        if (!b.var) {
                log_error("out of memory");
                return EXIT_FAIL;
        }
        if ((a->variants ? find_named_variants(&b, a) : find_level_variants(&b, a, p.level)) < 0 ||
            alloc_times(&b, a->rounds) < 0 || run_rounds(&b, a) < 0 || summarize(&b, a) < 0)
                return EXIT_FAIL;
        if (a->json)
                print_json(&b, a, &p);
        else
                print_table(&b, a);
        return EXIT_OK;
}

int cmd_bench(int argc, char **argv) {
        _cleanup_(bench_args_done) struct bench_args args = {};
        int r = parse_argv(argc, argv, &args);

        return r > 0 ? bench(&args) : options_exit_status(r);
}
