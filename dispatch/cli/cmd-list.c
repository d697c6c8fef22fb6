/* SPDX-License-Identifier: MIT */
/* hwcaps list: every program with variants in the level directories of the
 * program directories hwcaps manages, the variant that runs for it here
 * and now (the stub's decision and trust rule, resolve.c), the package
 * owning each variant (pkg-owner.c), and with --max-level what would run
 * under that cap. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
#include "escape.h"
#include "json.h"
#include "macro.h"
#include "options.h"
#include "pkg-owner.h"
#include "resolve.h"
#include "searchpath.h"

static const char list_help[] =
        "Usage: hwcaps list [--max-level LEVEL] [--root DIR] [--json]\n"
        "List every program with variants in the level directories of /usr/local/sbin,\n"
        "/usr/local/bin, /usr/sbin, /usr/bin, /sbin and /bin: its variants, the one\n"
        "that runs here and now (the dispatch stub's decision and trust rule, as\n"
        "'hwcaps which' shows it), why the others do not, and the package (rpm or\n"
        "dpkg) owning each.\n"
        "  --max-level LEVEL  also show what would run with this cap (x86-64-v3 or v3),\n"
        "                     marking the programs whose choice changes\n"
        "  --root DIR         DIR is the whole system, as for 'hwcaps which --root': its\n"
        "                     programs, stubs, boot options and package databases;\n"
        "                     paths as inside DIR (also $HWCAPS_ROOT)\n"
        "  --json             machine-readable output\n";

struct list_args {
        const char *root;   /* --root, or NULL */
        int max_level;      /* 0: none */
        bool json;
};

static int parse_argv(int argc, char **argv, struct list_args *ret) {
        static const struct option options[] = {
                { "help", no_argument, NULL, 'h' },
                { "max-level", required_argument, NULL, 'm' },
                { "root", required_argument, NULL, 'r' },
                { "json", no_argument, NULL, 'j' },
                {}
        };
        struct options o = {
                .name = "list", .help = list_help, .shortopts = "+:h", .longopts = options,
                .argc = argc, .argv = argv,
        };
        int c;

        *ret = (struct list_args) {};
        while ((c = options_next(&o)) > 0)
                switch (c) {
                case 'm':
                        ret->max_level = hwcaps_level_parse(optarg, strlen(optarg));
                        if (ret->max_level < 0) {
                                _cleanup_free_ char *b = NULL;

                                usage_error("list: --max-level: unknown level \"%s\" (expected " HWCAPS_LEVEL_NAMES ")",
                                            escape_name(optarg, &b));
                                return -EINVAL;
                        }
                        break;
                case 'r':
                        ret->root = optarg;
                        break;
                case 'j':
                        ret->json = true;
                        break;
                }
        if (c != OPTIONS_END)
                return c;
        return options_no_operands(&o);
}

struct variant {
        char *path;              /* inside the root */
        int level;
        struct pkg_owner owner;
        bool runs;
        const char *why;         /* why not, from the program's resolve; NULL when runnable */
};

struct program {
        char *name;              /* DIR/NAME inside the root */
        struct variant *v;       /* highest level first */
        size_t n;
        struct resolve now, capped;
        const struct resolve_candidate *runs, *would_run;
};

struct list {
        const char *prefix;      /* the root's real path, or "" */
        struct program *p;
        size_t n;
        struct resolve plan;
        struct pkg_dbs *dbs;
};

static void list_done(struct list *l) {
        for (size_t i = 0; i < l->n; i++) {
                struct program *p = &l->p[i];

                for (size_t k = 0; k < p->n; k++) {
                        free(p->v[k].path);
                        pkg_owner_done(&p->v[k].owner);
                }
                free(p->v);
                free(p->name);
                resolve_done(&p->now);
                resolve_done(&p->capped);
        }
        free(l->p);
        resolve_done(&l->plan);
        pkg_dbs_free(l->dbs);
}

static int add_program(struct list *l, const char *dir, const char *name) {
        _cleanup_free_ char *p = NULL;
        struct program *a;

        if (asprintf(&p, "%s/%s", dir, name) < 0)
                return -ENOMEM;
        for (size_t i = 0; i < l->n; i++)
                if (strcmp(l->p[i].name, p) == 0)
                        return 0;
        a = reallocarray(l->p, l->n + 1, sizeof *a);
        if (!a)
                return -ENOMEM;
        l->p = a;
        l->p[l->n++] = (struct program) { .name = TAKE_PTR(p) };
        return 0;
}

/* The programs with a variant in a level directory (v2 and up) of dir. */
static int add_programs(struct list *l, const char *dir) {
        int r = 0;

        for (int level = HWCAPS_LEVEL_V2; level <= HWCAPS_LEVEL_MAX && r >= 0; level++) {
                _cleanup_free_ char *ld = NULL;
                _cleanup_closedir_ DIR *d = NULL;
                struct dirent *de;

                if (asprintf(&ld, "%s%s/" HWCAPS_SUBDIR "/%s", l->prefix, dir, hwcaps_level_name(level)) < 0)
                        return -ENOMEM;
                d = opendir(ld);
                while (d && r >= 0 && (de = readdir(d))) {
                        struct stat st;

                        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0 ||
                            (fstatat(dirfd(d), de->d_name, &st, 0) == 0 && S_ISDIR(st.st_mode)))
                                continue;
                        r = add_program(l, dir, de->d_name);
                }
        }
        return r;
}

static int add_all_programs(struct list *l) {
        const char *dirs[16];
        ssize_t n = hwcaps_level_parents(l->prefix, hwcaps_default_path_dirs, dirs, ELEMENTSOF(dirs));
        int r = 0;

        for (ssize_t i = 0; i < n && r >= 0; i++)
                r = add_programs(l, dirs[i]);
        return n < 0 ? (int) n : r;
}

static int cmp_program(const void *a, const void *b) {
        return strcmp(((const struct program *) a)->name, ((const struct program *) b)->name);
}

/* p's variants that exist (x86-64-v1 too: a dispatched program's
 * baseline), each judged by the candidate of the same path. */
static int find_variants(struct list *l, struct program *p) {
        int r;

        /* The tree is the whole system, as for "which --root": the stub,
         * its links and its candidates are looked up inside it. */
        r = resolve_program(p->name, l->prefix, l->prefix, 0, false, &p->now);
        if (r >= 0)
                p->runs = resolve_runs(&p->now);
        p->v = calloc(HWCAPS_LEVEL_MAX, sizeof *p->v);
        if (r < 0 || !p->v)
                return r < 0 ? r : -ENOMEM;
        for (int level = HWCAPS_LEVEL_MAX; level >= HWCAPS_LEVEL_V1; level--) {
                _cleanup_free_ char *vp = NULL, *vreal = NULL;
                struct variant *v = &p->v[p->n];
                struct stat st;

                vp = hwcaps_variant_path(strndupa(p->name, strrchr(p->name, '/') - p->name), level,
                                         strrchr(p->name, '/') + 1);
                if (!vp || asprintf(&vreal, "%s%s", l->prefix, vp) < 0)
                        return -ENOMEM;
                if (lstat(vreal, &st) < 0)
                        continue;
                *v = (struct variant) { .level = level, .why = "not a candidate of the program that runs" };
                for (size_t i = 0; i < p->now.n; i++)
                        if (strcmp(p->now.c[i].path, vp) == 0) {
                                v->runs = &p->now.c[i] == p->runs;
                                v->why = p->now.c[i].runnable ? NULL : p->now.c[i].why;
                        }
                v->path = TAKE_PTR(vp);
                p->n++;
        }
        return 0;
}

/* Every variant's owner, from one question for all. */
static int find_owners(struct list *l) {
        _cleanup_free_ const char **paths = NULL;
        _cleanup_free_ struct pkg_owner *o = NULL;
        size_t n = 0, k = 0;
        int r;

        for (size_t i = 0; i < l->n; i++)
                n += l->p[i].n;
        paths = calloc(n + 1, sizeof *paths);
        o = calloc(n + 1, sizeof *o);
        if (!paths || !o)
                return -ENOMEM;
        for (size_t i = 0; i < l->n; i++)
                for (size_t j = 0; j < l->p[i].n; j++)
                        paths[k++] = l->p[i].v[j].path;
        r = pkg_owners(l->dbs, paths, n, false, o);
        if (r < 0)
                return r;
        k = 0;
        for (size_t i = 0; i < l->n; i++)
                for (size_t j = 0; j < l->p[i].n; j++)
                        l->p[i].v[j].owner = o[k++];
        return 0;
}

static int gather(struct list *l, int max_level) {
        int r;

        resolve_decision(l->prefix, l->prefix, &l->plan);
        r = add_all_programs(l);
        if (r < 0)
                return r;
        if (l->n)
                qsort(l->p, l->n, sizeof *l->p, cmp_program);
        for (size_t i = 0; i < l->n; i++) {
                struct program *p = &l->p[i];

                r = find_variants(l, p);
                if (r >= 0 && max_level) {
                        r = resolve_program(p->name, l->prefix, l->prefix, max_level, false, &p->capped);
                        if (r >= 0)
                                p->would_run = resolve_runs(&p->capped);
                }
                if (r < 0)
                        return r;
        }
        return find_owners(l);
}

/* What a candidate is called in the table: its level, "baseline" for
 * DIR/NAME itself, "nothing". */
static const char *shown_level(const struct resolve_candidate *c) {
        return !c ? "nothing" : c->level ? hwcaps_level_name(c->level) : "baseline";
}

static bool changes(const struct program *p) {
        return !p->runs != !p->would_run || (p->runs && strcmp(p->runs->path, p->would_run->path) != 0);
}

/* "x86-64-v3 foo-v3, x86-64-v2 - (unsafe: ...)" */
static char *shown_variants(const struct list *l, const struct program *p) {
        char *text = NULL;
        size_t len;
        FILE *f = open_memstream(&text, &len);

        if (!f)
                return NULL;
        for (size_t k = 0; k < p->n; k++) {
                const struct variant *v = &p->v[k];
                _cleanup_free_ char *b_pkg = NULL, *b_why = NULL;

                fprintf(f, "%s%s %s", k ? ", " : "", hwcaps_level_name(v->level),
                        pkg_owner_shown(&v->owner, l->dbs && pkg_dbs_both(l->dbs), &b_pkg));
                if (v->why)
                        fprintf(f, " (%s)", escape_name(v->why, &b_why));
        }
        if (fclose(f) != 0) {
                free(text);
                return NULL;
        }
        return text;
}

static void print_human(const struct list *l, int max_level) {
        char cap_head[32];
        int w_name = (int) strlen("PROGRAM"), w_runs = (int) strlen("RUNS"), w_cap = 0;

        resolve_print_plan(&l->plan, stdout);
        if (l->n == 0) {
                _cleanup_free_ char *b = NULL;

                printf("No programs with variants under %s.\n", escape_name(l->prefix[0] ? l->prefix : "/", &b));
                return;
        }
        snprintf(cap_head, sizeof cap_head, "WITH %s", max_level ? hwcaps_level_name(max_level) : "");
        if (max_level)
                w_cap = (int) strlen(cap_head);
        for (size_t i = 0; i < l->n; i++) {
                _cleanup_free_ char *b = NULL;
                int n = (int) strlen(escape_name(l->p[i].name, &b));

                w_name = n > w_name ? n : w_name;
                n = (int) strlen(shown_level(l->p[i].runs));
                w_runs = n > w_runs ? n : w_runs;
                /* "x86-64-v4 → x86-64-v3": the arrow is one column, three bytes */
                n = changes(&l->p[i]) ? (int) (strlen(shown_level(l->p[i].runs)) + 3 +
                                               strlen(shown_level(l->p[i].would_run))) : (int) strlen("unchanged");
                w_cap = max_level && n > w_cap ? n : w_cap;
        }
        printf("%-*s  %-*s  ", w_name, "PROGRAM", w_runs, "RUNS");
        if (max_level)
                printf("%-*s  ", w_cap, cap_head);
        printf("VARIANTS\n");
        for (size_t i = 0; i < l->n; i++) {
                const struct program *p = &l->p[i];
                _cleanup_free_ char *b = NULL, *vars = shown_variants(l, p);

                printf("%-*s  %-*s  ", w_name, escape_name(p->name, &b), w_runs, shown_level(p->runs));
                if (max_level) {
                        char cell[64];

                        if (changes(p))
                                snprintf(cell, sizeof cell, "%s → %s", shown_level(p->runs), shown_level(p->would_run));
                        else
                                snprintf(cell, sizeof cell, "unchanged");
                        /* printf pads by bytes: the arrow takes three, shows one. */
                        printf("%-*s  ", w_cap + (changes(p) ? 2 : 0), cell);
                }
                printf("%s\n", vars ?: "(out of memory)");
        }
}

static void json_level_or_null(const char *key, const struct resolve_candidate *c) {
        printf(",\"%s\":", key);
        if (c && c->level)
                json_string(stdout, hwcaps_level_name(c->level));
        else
                printf("null");
}

static void print_json(const struct list *l, int max_level) {
        const struct hwcaps_decision *d = &l->plan.d;

        json_begin(stdout, "list", false);
        json_name(stdout, "root", l->prefix[0] ? l->prefix : "/", false);
        printf(",\"cpu_level\":");
        if (hwcaps_level_name(d->cpu))
                json_string(stdout, hwcaps_level_name(d->cpu));
        else
                printf("null");
        printf(",\"max_level\":");
        if (d->src != HWCAPS_SRC_NONE) {
                json_string(stdout, hwcaps_level_name(d->cap));
                printf(",\"max_level_reason\":");
                json_string(stdout, d->why);
        } else
                printf("null,\"max_level_reason\":null");
        printf(",\"programs\":[");
        for (size_t i = 0; i < l->n; i++) {
                const struct program *p = &l->p[i];

                printf("%s{", i ? "," : "");
                json_name(stdout, "name", p->name, false);
                printf(",\"variants\":[");
                for (size_t k = 0; k < p->n; k++) {
                        const struct variant *v = &p->v[k];

                        printf("%s{", k ? "," : "");
                        json_name(stdout, "path", v->path, false);
                        printf(",\"level\":");
                        json_string(stdout, hwcaps_level_name(v->level));
                        printf(",");
                        json_name(stdout, "package", v->owner.package, false);
                        printf(",");
                        json_name(stdout, "package_manager", pkg_manager_name(v->owner.manager), false);
                        printf(",\"runs\":%s,", json_bool(v->runs));
                        json_name(stdout, "skipped", v->why, false);
                        printf("}");
                }
                printf("],");
                json_name(stdout, "runs", p->runs ? p->runs->path : NULL, false);
                json_level_or_null("runs_level", p->runs);
                if (max_level) {
                        printf(",");
                        json_name(stdout, "would_run", p->would_run ? p->would_run->path : NULL, false);
                        json_level_or_null("would_run_level", p->would_run);
                        printf(",\"changes\":%s", json_bool(changes(p)));
                }
                printf("}");
        }
        printf("]}\n");
}

static int list(const struct list_args *a) {
        const char *root = hwcaps_root(a->root);
        _cleanup_free_ char *abs = NULL;
        _cleanup_(list_done) struct list l = {};
        int r;

        /* resolve.c walks candidates by absolute real paths, librpm wants
         * an absolute root. */
        if (root[0] && !(abs = realpath(root, NULL))) {
                _cleanup_free_ char *b = NULL;

                log_error("list: --root %s: %s", escape_name(root, &b), strerror(errno));
                return EXIT_FAIL;
        }
        l.prefix = abs && strcmp(abs, "/") != 0 ? abs : "";
        r = pkg_dbs_open(abs ?: "/", false, &l.dbs);
        if (r >= 0)
                r = gather(&l, a->max_level);
        /* pkg-owner.c has said what failed; the rest fails for memory only. */
        if (r < 0) {
                if (r == -ENOMEM)
                        log_error("list: out of memory");
                return EXIT_FAIL;
        }
        if (a->json)
                print_json(&l, a->max_level);
        else
                print_human(&l, a->max_level);
        return EXIT_OK;
}

int cmd_list(int argc, char **argv) {
        struct list_args args;
        int r = parse_argv(argc, argv, &args);

        return r > 0 ? list(&args) : options_exit_status(r);
}
