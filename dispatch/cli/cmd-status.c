/* SPDX-License-Identifier: MIT */
/* hwcaps status: which levels are active and why, which level directories
 * exist, and whether this shell's PATH and the service manager's
 * environment already have them (and what to do if not). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
#include "escape.h"
#include "fileio.h"
#include "json.h"
#include "macro.h"
#include "manager.h"
#include "options.h"
#include "pkg-owner.h"
#include "policy.h"
#include "process.h"
#include "searchpath.h"

struct leveldir {
        char path[PATH_MAX];
        enum hwcaps_level level;
        bool safe;
        char reason[PATH_MAX + 64]; /* when not safe */
        long programs;        /* executable regular files; -1 unknown */
        bool active;          /* safe, allowed and not above the active level */
};

struct pathcheck {
        const char *name;     /* "shell", "manager" */
        const char *path;     /* the PATH it has, NULL when unknown */
        char *expected;       /* what the generator would make of it */
        char **missing, **extra;
        size_t n_missing, n_extra;
};

/* A running service and what it runs (process.h). */
struct service {
        char *unit;
        int pid;
        char *exe;
        int runs_level;
        char *would_run;      /* what would run now, or what it could run; NULL: nothing */
        int would_run_level;
        char *reason;         /* NULL when it runs what it should */
};

struct status {
        const char *root;
        bool user;
        struct hwcaps_sources src;
        struct hwcaps_policy shell_policy, manager_policy;
        struct leveldir *dirs;
        size_t n_dirs;
        struct pathcheck shell, manager;
        bool manager_reachable;
        char manager_error[256];
        char **manager_env;
        struct manager *bus;          /* the service manager, while reachable */
        struct service *services;     /* running a variant, or not what would run */
        size_t n_services;
        size_t n_unchecked;           /* services whose /proc/PID could not be read */
        char advice[7][640];
        size_t n_advice;
        bool action;                  /* some advice asks for action (exit status 1) */
};

static const char *env_get(char **env, const char *name) {
        size_t n = strlen(name);
        const char *found = NULL;

        for (char **e = env; e && *e; e++)
                if (strncmp(*e, name, n) == 0 && (*e)[n] == '=')
                        found = *e + n + 1; /* the last one wins, as in systemd */
        return found;
}

static long count_programs(const char *root, const char *dir) {
        char p[PATH_MAX];
        _cleanup_closedir_ DIR *d = NULL;
        struct dirent *de;
        long n = 0;

        if (snprintf(p, sizeof p, "%s%s", root, dir) >= (int) sizeof p)
                return -1;
        d = opendir(p);
        if (!d)
                return -1;
        while ((de = readdir(d))) {
                struct stat st;
                if (de->d_name[0] == '.')
                        continue;
                if (fstatat(dirfd(d), de->d_name, &st, 0) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111))
                        n++;
        }
        return n;
}

static bool allowed(const struct hwcaps_policy *p, const char *dir) {
        if (!p->directories)
                return true;
        for (const char *const *d = p->directories; *d; d++)
                if (strcmp(*d, dir) == 0)
                        return true;
        return false;
}

static int add_dir(struct status *s, const char *dir, size_t n, dev_t *devs, ino_t *inos) {
        char d[PATH_MAX], lvl[PATH_MAX];
        size_t parent;

        if (n == 0 || dir[0] != '/' || n >= sizeof d || hwcaps_path_entry_level(dir, n, &parent))
                return 0;
        memcpy(d, dir, n);
        d[n] = '\0';
        while (n > 1 && d[n - 1] == '/')
                d[--n] = '\0';

        for (int l = HWCAPS_LEVEL_MAX; l >= HWCAPS_LEVEL_V2; l--) {
                char reason[PATH_MAX + 64] = "";
                enum hwcaps_dir_verdict v = hwcaps_level_dir_check(s->root, d, l, lvl, sizeof lvl, reason, sizeof reason, NULL);
                char full[PATH_MAX];
                struct stat st;

                size_t len = strlen(lvl), nl = strlen(hwcaps_level_name(l));
                bool parent = len < nl || strcmp(lvl + len - nl, hwcaps_level_name(l)) != 0;

                if (v == HWCAPS_DIR_MISSING) {
                        if (parent)
                                break;
                        continue;
                }
                if (parent)
                        l = HWCAPS_LEVEL_V1; /* the parent glibc-hwcaps is unsafe: report it once */
                if (snprintf(full, sizeof full, "%s%s", s->root, lvl) < (int) sizeof full &&
                    stat(full, &st) == 0) {
                        /* /bin -> /usr/bin: one directory, reported once */
                        bool seen = false;
                        for (size_t i = 0; i < s->n_dirs && !seen; i++)
                                seen = devs[i] == st.st_dev && inos[i] == st.st_ino;
                        if (seen)
                                continue;
                        devs[s->n_dirs] = st.st_dev;
                        inos[s->n_dirs] = st.st_ino;
                }
                struct leveldir *e = &s->dirs[s->n_dirs++];
                *e = (struct leveldir) { .level = l, .safe = v == HWCAPS_DIR_SAFE, .programs = -1 };
                snprintf(e->reason, sizeof e->reason, "%s", reason);
                snprintf(e->path, sizeof e->path, "%s", lvl);
                if (e->safe) {
                        e->programs = count_programs(s->root, lvl);
                        e->active = l <= (int) s->shell_policy.level && allowed(&s->shell_policy, d);
                } else if (l == HWCAPS_LEVEL_V1)
                        e->level = HWCAPS_LEVEL_NONE;
                if (s->n_dirs % 64 == 0) {
                        void *a = realloc(s->dirs, (s->n_dirs + 64) * sizeof *s->dirs);
                        if (!a)
                                return -ENOMEM;
                        s->dirs = a;
                }
        }
        return 0;
}

static int scan_dirs(struct status *s) {
        const char *paths[] = { s->shell.path, s->manager.path };
        size_t total = 1;
        _cleanup_free_ dev_t *devs = NULL;
        _cleanup_free_ ino_t *inos = NULL;
        int r;

        for (const char *const *d = hwcaps_default_path_dirs; *d; d++)
                total++;

        for (size_t i = 0; i < ELEMENTSOF(paths); i++)
                for (const char *p = paths[i]; p && *p; p++)
                        total += *p == ':';
        total = (total + ELEMENTSOF(paths)) * 3 + 64;
        devs = calloc(total, sizeof *devs);
        inos = calloc(total, sizeof *inos);
        s->dirs = calloc(64, sizeof *s->dirs);
        if (!devs || !inos || !s->dirs)
                return -ENOMEM;

        for (size_t i = 0; i < ELEMENTSOF(paths); i++) {
                const char *p = paths[i];
                while (p) {
                        const char *c = strchr(p, ':');
                        size_t n = c ? (size_t) (c - p) : strlen(p);
                        r = add_dir(s, p, n, devs, inos);
                        if (r < 0)
                                return r;
                        p = c ? c + 1 : NULL;
                }
        }
        /* systemd's default PATH even where no PATH names it, so a level
         * directory nobody uses still shows. */
        for (const char *const *d = hwcaps_default_path_dirs; *d; d++) {
                r = add_dir(s, *d, strlen(*d), devs, inos);
                if (r < 0)
                        return r;
        }
        return 0;
}

static bool path_has(const char *path, const char *e, size_t n) {
        for (const char *p = path; p;) {
                const char *c = strchr(p, ':');
                size_t k = c ? (size_t) (c - p) : strlen(p);
                if (k == n && memcmp(p, e, n) == 0)
                        return true;
                p = c ? c + 1 : NULL;
        }
        return false;
}

/* Entries of a that b lacks. */
static int diff(const char *a, const char *b, char ***ret, size_t *ret_n) {
        char **l = NULL;
        size_t n = 0;

        for (const char *p = a; p;) {
                const char *c = strchr(p, ':');
                size_t k = c ? (size_t) (c - p) : strlen(p);
                if (!path_has(b, p, k)) {
                        char **nl = realloc(l, (n + 2) * sizeof *l);
                        if (!nl)
                                goto nomem;
                        l = nl;
                        l[n] = strndup(p, k);
                        if (!l[n])
                                goto nomem;
                        l[++n] = NULL;
                }
                p = c ? c + 1 : NULL;
        }
        *ret = l;
        *ret_n = n;
        return 0;
nomem:
        hwcaps_strv_free(l);
        return -ENOMEM;
}

static int check_path(struct status *s, struct pathcheck *pc, const struct hwcaps_policy *p) {
        int r;

        if (!pc->path)
                return 0;
        r = hwcaps_policy_path(p, s->root, pc->path, &pc->expected, NULL, NULL);
        if (r < 0)
                return r;
        r = diff(pc->expected, pc->path, &pc->missing, &pc->n_missing);
        if (r < 0)
                return r;
        return diff(pc->path, pc->expected, &pc->extra, &pc->n_extra);
}

static void advise(struct status *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void advise(struct status *s, const char *fmt, ...) {
        va_list ap;

        s->action = true;
        if (s->n_advice >= ELEMENTSOF(s->advice))
                return;
        va_start(ap, fmt);
        vsnprintf(s->advice[s->n_advice++], sizeof s->advice[0], fmt, ap);
        va_end(ap);
}

static void print_why_json(const char *name, const struct hwcaps_why *w) {
        printf("  \"%s\": { \"source\": \"%s\"", name, w->source == HWCAPS_WHY_CONFIG ? "config" : "default");
        if (w->file) {
                printf(", ");
                json_name(stdout, "file", w->file, true);
                printf(", \"line\": %u", w->line);
        }
        if (w->setting[0]) {
                printf(", ");
                json_name(stdout, "setting", w->setting, true);
        }
        printf(" },\n");
}

static void print_pathcheck_json(const struct pathcheck *pc, bool last) {
        printf("  \"%s\": { ", pc->name);
        json_name(stdout, "path", pc->path, true);
        printf(", ");
        json_name(stdout, "expected_path", pc->expected, true);
        printf(", \"up_to_date\": %s, ", pc->path ? json_bool(pc->n_missing == 0 && pc->n_extra == 0) : "null");
        json_names(stdout, "missing", pc->missing, true);
        printf(", ");
        json_names(stdout, "extra", pc->extra, true);
        printf(" }%s\n", last ? "" : ",");
}

static void print_level_or_null(int level) {
        if (level)
                json_string(stdout, hwcaps_level_name(level));
        else
                printf("null");
}

static void print_services_json(const struct status *s) {
        printf("  \"services\": [");
        for (size_t i = 0; i < s->n_services; i++) {
                const struct service *sv = &s->services[i];

                printf("%s\n    { ", i ? "," : "");
                json_name(stdout, "unit", sv->unit, true);
                printf(", \"pid\": %d, ", sv->pid);
                json_name(stdout, "exe", sv->exe, true);
                printf(", \"runs_level\": ");
                print_level_or_null(sv->runs_level);
                printf(", ");
                json_name(stdout, "would_run", sv->would_run, true);
                printf(", \"would_run_level\": ");
                print_level_or_null(sv->would_run_level);
                printf(", \"reason\": ");
                if (sv->reason)
                        json_string(stdout, sv->reason);
                else
                        printf("null");
                printf(" }");
        }
        printf("%s],\n", s->n_services ? "\n  " : "");
        printf("  \"services_unchecked\": %zu,\n", s->n_unchecked);
}

static void print_json(const struct status *s, bool packages) {
        const struct hwcaps_policy *p = &s->shell_policy;

        json_begin(stdout, "status", true);
        printf("  ");
        json_level(stdout, "cpu_level", p->d.cpu, true);
        printf(",\n  \"enabled\": %s,\n  ", json_bool(p->d.cap > HWCAPS_LEVEL_V1));
        json_max_level(stdout, "", &p->d, true);
        printf(",\n");
        if (s->manager_reachable) {
                printf("  ");
                json_max_level(stdout, "manager_", &s->manager_policy.d, true);
                printf(",\n");
        }
        printf("  \"boot_options_from\": \"%s\",\n",
               s->src.boot_from == HWCAPS_BOOT_POLICY ? "policy" : s->src.boot_from == HWCAPS_BOOT_CMDLINE ? "cmdline" : "unknown");
        printf("  \"active_levels\": [");
        for (int l = p->level; l >= HWCAPS_LEVEL_V2; l--)
                printf("\"%s\"%s", hwcaps_level_name(l), l > HWCAPS_LEVEL_V2 ? ", " : "");
        printf("],\n");
        printf("  \"path_kept_by_cmdline\": %s,\n", json_bool(p->keep_path));
        printf("  ");
        if (p->directories)
                json_names(stdout, "directories", (char **) p->directories, true);
        else
                printf("\"directories\": null");
        printf(",\n");
        print_why_json("directories_by", &p->directories_why);
        printf("  \"level_directories\": [");
        for (size_t i = 0; i < s->n_dirs; i++) {
                const struct leveldir *d = &s->dirs[i];
                printf("%s\n    { ", i ? "," : "");
                json_name(stdout, "path", d->path, true);
                printf(", \"level\": %s%s%s, \"safe\": %s, \"reason\": ",
                       d->level >= HWCAPS_LEVEL_V2 ? "\"" : "",
                       d->level >= HWCAPS_LEVEL_V2 ? hwcaps_level_name(d->level) : "null",
                       d->level >= HWCAPS_LEVEL_V2 ? "\"" : "", json_bool(d->safe));
                if (!d->safe)
                        json_string(stdout, d->reason);
                else
                        printf("null");
                printf(", \"programs\": ");
                if (d->programs >= 0)
                        printf("%ld", d->programs);
                else
                        printf("null");
                printf(", \"active\": %s }", json_bool(d->active));
        }
        printf("%s],\n", s->n_dirs ? "\n  " : "");
        print_pathcheck_json(&s->shell, false);
        printf("  \"manager_scope\": \"%s\",\n", s->user ? "user" : "system");
        printf("  \"manager_reachable\": %s,\n", json_bool(s->manager_reachable));
        printf("  \"manager_error\": ");
        if (s->manager_reachable)
                printf("null");
        else
                json_string(stdout, s->manager_error);
        printf(",\n");
        print_pathcheck_json(&s->manager, false);
        print_services_json(s);
        printf("  \"advice\": [");
        for (size_t i = 0; i < s->n_advice; i++) {
                printf(i ? ", " : "");
                json_string(stdout, s->advice[i]);
        }
        if (!packages) {
                printf("]\n}\n");
                return;
        }
        /* The package report is appended by the caller as the last field. */
        printf("],\n  \"packages\": ");
        fflush(stdout);
}

/* Is the policy file what the generator would compile now? An edited
 * hwcaps.conf takes effect at the next daemon-reload, for PATH and the stub
 * alike. */
static void advise_policy(struct status *s) {
        struct hwcaps_cmdline c;
        struct hwcaps_decision now;

        if (hwcaps_cmdline_read(&s->src.root, &c, NULL, NULL) < 0)
                return;
        hwcaps_compile(&c, &s->src.config, &now);
        if (s->src.boot_from == HWCAPS_BOOT_POLICY && (now.cap != s->src.boot.cap || now.keep_path != s->src.boot.keep_path))
                advise(s, "hwcaps.conf or the kernel command line now says %s, " HWCAPS_POLICY_PATH " still %s: "
                       "run \"systemctl daemon-reload\" to put it in force",
                       now.src == HWCAPS_SRC_NONE ? "no cap" : now.why,
                       s->src.boot.src == HWCAPS_SRC_NONE ? "no cap" : s->src.boot.why);
        else if (s->src.boot_from == HWCAPS_BOOT_CMDLINE && now.cap < s->src.boot.cap)
                advise(s, "%s is not in force: there is no " HWCAPS_POLICY_PATH " (the system environment "
                       "generator writes it at boot and daemon-reload)", now.why);
}

static void print_pathcheck(const struct pathcheck *pc, const char *label) {
        if (!pc->path) {
                printf("%-18s unknown\n", label);
                return;
        }
        if (pc->n_missing == 0 && pc->n_extra == 0) {
                printf("%-18s up to date\n", label);
                return;
        }
        printf("%-18s %sout of date%s\n", label, color(stdout, COLOR_RED), color(stdout, COLOR_RESET));
        for (size_t i = 0; i < pc->n_missing; i++) {
                _cleanup_free_ char *b = NULL;

                printf("%-18s   lacks %s\n", "", escape_name(pc->missing[i], &b));
        }
        for (size_t i = 0; i < pc->n_extra; i++) {
                _cleanup_free_ char *b = NULL;

                printf("%-18s   has %s, which should not be there\n", "", escape_name(pc->extra[i], &b));
        }
}

static void print_services(const struct status *s) {
        if (!s->n_services && !s->n_unchecked)
                return;
        printf("\nServices:\n");
        for (size_t i = 0; i < s->n_services; i++) {
                const struct service *sv = &s->services[i];
                _cleanup_free_ char *b_unit = NULL, *b_exe = NULL, *b_would = NULL, *b_reason = NULL;

                printf("  %s (pid %d) runs %s (%s)", escape_name(sv->unit, &b_unit), sv->pid, escape_name(sv->exe, &b_exe),
                       sv->runs_level ? hwcaps_level_name(sv->runs_level) : "no level directory");
                if (sv->reason)
                        printf(";\n    %s (%s) would run: %s", sv->would_run ? escape_name(sv->would_run, &b_would) : "nothing",
                               sv->would_run_level ? hwcaps_level_name(sv->would_run_level) : "no level directory",
                               escape_name(sv->reason, &b_reason));
                printf("\n");
        }
        if (s->n_unchecked)
                printf("  %zu service%s not checked: only root reads another user's /proc/PID\n", s->n_unchecked,
                       s->n_unchecked == 1 ? "" : "s");
}

static void print_human(const struct status *s) {
        const struct hwcaps_policy *p = &s->shell_policy;
        char why[512];

        printf("%-18s %s\n", "CPU level:", hwcaps_level_name(p->d.cpu) ? hwcaps_level_name(p->d.cpu) : "none");
        if (p->d.src == HWCAPS_SRC_NONE)
                printf("%-18s none\n", "Level cap:");
        else
                printf("%-18s %s, by %s\n", "Level cap:",
                       p->d.cap > HWCAPS_LEVEL_V1 ? hwcaps_level_name(p->d.cap) : "off (the baseline)", p->d.why);
        /* Services run with the manager's environment, not this shell's:
         * its HWCAPS= and HWCAPS_MAX_LEVEL= count for them. */
        if (s->manager_reachable && (s->manager_policy.d.cap != p->d.cap || s->manager_policy.d.src != p->d.src)) {
                const struct hwcaps_decision *m = &s->manager_policy.d;

                if (m->src == HWCAPS_SRC_NONE)
                        printf("%-18s none\n", "Services' cap:");
                else
                        printf("%-18s %s, by %s\n", "Services' cap:",
                               m->cap > HWCAPS_LEVEL_V1 ? hwcaps_level_name(m->cap) : "off (the baseline)", m->why);
        }
        printf("%-18s %s\n", "Boot options:",
               s->src.boot_from == HWCAPS_BOOT_POLICY ? HWCAPS_POLICY_PATH " (kernel command line and hwcaps.conf)" :
               s->src.boot_from == HWCAPS_BOOT_CMDLINE ? "kernel command line only (no " HWCAPS_POLICY_PATH ")" :
                                                         "unknown, so hwcaps is off");
        printf("%-18s", "Active levels:");
        if (p->level < HWCAPS_LEVEL_V2)
                printf(" none");
        for (int l = p->level; l >= HWCAPS_LEVEL_V2; l--)
                printf(" %s", hwcaps_level_name(l));
        printf("\n");
        if (p->directories) {
                printf("%-18s", "Directories:");
                _cleanup_free_ char *b_why = NULL;

                for (const char *const *d = p->directories; *d; d++) {
                        _cleanup_free_ char *b = NULL;

                        printf(" %s", escape_name(*d, &b));
                }
                printf(", by %s\n", escape_name(hwcaps_why_string(&p->directories_why, why, sizeof why), &b_why));
        }
        if (p->keep_path)
                printf("%-18s systemd.setenv=PATH= on the kernel command line: PATH is left as given\n", "");

        printf("\nLevel directories:\n");
        if (s->n_dirs == 0)
                printf("  none found\n");
        for (size_t i = 0; i < s->n_dirs; i++) {
                const struct leveldir *d = &s->dirs[i];
                _cleanup_free_ char *b_path = NULL, *b_reason = NULL;
                const char *path = escape_name(d->path, &b_path);

                if (!d->safe)
                        printf("  %-40s %sskipped:%s %s\n", path, color(stdout, COLOR_YELLOW), color(stdout, COLOR_RESET),
                               escape_name(d->reason, &b_reason));
                else
                        printf("  %-40s %4ld program%s  %s\n", path, d->programs, d->programs == 1 ? " " : "s",
                               d->active ? "active" : "inactive");
        }
        printf("\n");
        print_pathcheck(&s->shell, "This shell's PATH:");
        if (s->manager_reachable)
                print_pathcheck(&s->manager, s->user ? "User manager:" : "System manager:");
        else
                printf("%-18s not reachable (%s), so its environment is unknown\n",
                       s->user ? "User manager:" : "System manager:", s->manager_error);
        print_services(s);
        if (s->n_advice) {
                printf("\n");
                for (size_t i = 0; i < s->n_advice; i++) {
                        _cleanup_free_ char *b = NULL;

                        printf("%sAdvice:%s %s\n", color(stdout, COLOR_YELLOW), color(stdout, COLOR_RESET),
                               escape_name(s->advice[i], &b));
                }
        }
}

static const char status_help[] =
        "Usage: hwcaps status [--json] [--user] [--packages] [--root DIR]\n"
        "Show which levels are active and why (kernel command line, hwcaps.conf\n"
        "file:line, environment or default), the level directories and how many\n"
        "programs each holds, and whether this shell's PATH and the service\n"
        "manager's environment contain them, and the running services that run a\n"
        "variant or could and do not (with the reason).\n"
        "  --json        machine-readable output\n"
        "  --user        ask the user manager (user bus) instead of the system manager\n"
        "  --packages    also show the package (rpm or dpkg) owning each variant and its\n"
        "                baseline, and flag stale variants (their versions differ) and\n"
        "                missing baselines\n"
        "  --root DIR    read files under DIR (also $HWCAPS_ROOT)\n"
        "Exit status: 0 nothing to do, 1 it advises action (or --packages found no\n"
        "package database), 2 usage error.\n";

struct status_args {
        const char *root;   /* --root, or NULL */
        bool json, user, packages;
};

static int parse_argv(int argc, char **argv, struct status_args *ret) {
        static const struct option options[] = {
                { "help", no_argument, NULL, 'h' },
                { "json", no_argument, NULL, 'j' },
                { "user", no_argument, NULL, 'u' },
                { "root", required_argument, NULL, 'r' },
                { "packages", no_argument, NULL, 'p' },
                {}
        };
        struct options o = {
                .name = "status", .help = status_help, .shortopts = "+:h", .longopts = options,
                .argc = argc, .argv = argv,
        };
        int c;

        *ret = (struct status_args) {};
        while ((c = options_next(&o)) > 0)
                switch (c) {
                case 'j':
                        ret->json = true;
                        break;
                case 'u':
                        ret->user = true;
                        break;
                case 'r':
                        ret->root = optarg;
                        break;
                case 'p':
                        ret->packages = true;
                        break;
                }
        if (c != OPTIONS_END)
                return c;
        return options_no_operands(&o);
}

/* The running services that run a variant, or do not run what would run
 * for them now (process_check()). */
static int gather_services(struct status *s) {
        struct manager_service *l = NULL;
        size_t n = 0;
        char err[256];
        int r;

        if (!s->bus || manager_services(s->bus, &l, &n, err, sizeof err) < 0)
                return 0; /* an older manager, or none: no list */
        s->services = calloc(n + 1, sizeof *s->services);
        if (!s->services) {
                manager_services_free(l, n);
                return -ENOMEM;
        }
        for (size_t i = 0; i < n; i++) {
                _cleanup_(process_done) struct process p = { 0 };
                _cleanup_(process_check_done) struct process_check c = { 0 };
                struct service *sv = &s->services[s->n_services];
                const char *would;

                r = process_read((int) l[i].main_pid, &p);
                if (r == -EACCES)
                        s->n_unchecked++;
                if (r < 0 || process_check(&p, NULL, s->root, true, &c) < 0)
                        continue;
                /* Only what concerns variants: a replaced file without
                 * any is an upgrade's business, not hwcaps'. */
                if (!c.runs_level && !c.better && (c.same || c.would_run_level == c.runs_level))
                        continue;
                would = c.same ? (c.better ? c.better : c.would_run) : c.would_run;
                *sv = (struct service) {
                        .unit = strdup(l[i].id), .pid = p.pid, .exe = strdup(p.exe),
                        .runs_level = c.runs_level, .would_run = would ? strdup(would) : NULL,
                        .would_run_level = c.same && c.better ? c.better_level : c.would_run_level,
                        .reason = c.reason[0] ? strdup(c.reason) : NULL,
                };
                s->n_services++;
                if (!sv->unit || !sv->exe || (would && !sv->would_run) || (c.reason[0] && !sv->reason)) {
                        manager_services_free(l, n);
                        return -ENOMEM;
                }
        }
        manager_services_free(l, n);
        return 0;
}

/* The policy for this shell and for the service manager, their PATHs
 * against what the generator would make of them, the level directories. */
static int gather(struct status *s) {
        int r;

        r = hwcaps_sources_load(&s->src, s->root, HWCAPS_LOAD_STATUS, log_warning_cb, NULL);
        if (r < 0)
                return r;
        hwcaps_policy_decide(&s->src, secure_getenv("HWCAPS"), secure_getenv("HWCAPS_MAX_LEVEL"),
                             HWCAPS_SRC_ENV, &s->shell_policy);
        s->shell.path = getenv("PATH");

        s->manager_reachable = manager_open(s->user, &s->bus, s->manager_error, sizeof s->manager_error) >= 0 &&
                               manager_environment(s->bus, &s->manager_env, s->manager_error,
                                                   sizeof s->manager_error) >= 0;
        if (s->manager_reachable) {
                /* The manager's generator saw the manager's HWCAPS, not ours. */
                hwcaps_policy_decide(&s->src, env_get(s->manager_env, "HWCAPS"),
                                     env_get(s->manager_env, "HWCAPS_MAX_LEVEL"), HWCAPS_SRC_MANAGER,
                                     &s->manager_policy);
                s->manager.path = env_get(s->manager_env, "PATH");
        }

        r = check_path(s, &s->shell, &s->shell_policy);
        if (r >= 0)
                r = check_path(s, &s->manager, &s->manager_policy);
        if (r >= 0)
                r = scan_dirs(s);
        if (r >= 0)
                r = gather_services(s);
        return r;
}

/* Debian's zsh reads /etc/zsh/zprofile, never /etc/profile.d, and has no
 * drop-in directory: while the file does not source hwcaps.sh, zsh login
 * shells get no level directory (hwcaps-env-generator(8), LOGIN SHELLS). */
static void advise_zsh(struct status *s) {
        _cleanup_free_ char *text = NULL;
        size_t n;
        bool used = false;

        for (size_t i = 0; i < s->n_dirs && !used; i++)
                used = s->dirs[i].safe;
        if (!used || hwcaps_read_file(s->root, "/etc/zsh/zprofile", 1 << 20, &text, &n) < 0 ||
            strstr(text, "profile.d/hwcaps.sh"))
                return;
        advise(s, "zsh is installed, but Debian's zsh does not read /etc/profile.d: zsh login shells get no "
               "level directories until /etc/zsh/zprofile has the line \"emulate sh -c '. /etc/profile.d/hwcaps.sh'\" "
               "(hwcaps-env-generator(8), LOGIN SHELLS)");
}

static void advise_services(struct status *s) {
        char units[480] = "";
        size_t k = 0, n = 0;

        for (size_t i = 0; i < s->n_services; i++)
                if (s->services[i].reason) {
                        n++;
                        if (k < sizeof units)
                                k += snprintf(units + k, sizeof units - k, " %s", s->services[i].unit);
                }
        if (n)
                advise(s, "%zu service%s could run another file (see Services above): %s", n, n == 1 ? "" : "s",
                       k < sizeof units ? units + 1 : "see each one's reason");
}

/* What to do about what gather() found. */
static void advise_all(struct status *s) {
        bool manager_stale = s->manager.path && (s->manager.n_missing || s->manager.n_extra);

        if (manager_stale)
                advise(s, "run \"systemctl%s daemon-reload\": it re-runs the environment generators; "
                       "services started before keep their PATH until restarted", s->user ? " --user" : "");
        if (s->shell.path && (s->shell.n_missing || s->shell.n_extra))
                advise(s, "log out and in again (a new login shell reads /etc/profile.d/hwcaps.sh)%s",
                       manager_stale ? ", after the daemon-reload" : "");
        advise_policy(s);
        advise_zsh(s);
        advise_services(s);
        if (!s->manager_reachable) {
                /* A note, not an action: a build host has no manager. */
                bool action = s->action;

                advise(s, "the %s manager's environment could not be checked; once systemd runs, "
                       "\"hwcaps status%s\" shows it", s->user ? "user" : "system", s->user ? " --user" : "");
                s->action = action;
        }
}

/* Stale or unowned variants are findings, shown in the report; only the
 * lack of a package database makes status fail. */
static int print_packages(const struct status *s, bool json) {
        int r;

        if (!json)
                printf("\nPackages:\n");
        fflush(stdout);
        r = hwcaps_pkg_report(s->root[0] ? s->root : "/", stdout, json);
        if (json)
                printf("%s}\n", r < 0 ? "null\n" : "");
        return r;
}

static void status_done(struct status *s) {
        hwcaps_sources_done(&s->src);
        hwcaps_strv_free(s->manager_env);
        manager_close(s->bus);
        for (size_t i = 0; i < s->n_services; i++) {
                free(s->services[i].unit);
                free(s->services[i].exe);
                free(s->services[i].would_run);
                free(s->services[i].reason);
        }
        free(s->services);
        for (struct pathcheck *pc = &s->shell; pc; pc = pc == &s->shell ? &s->manager : NULL) {
                free(pc->expected);
                hwcaps_strv_free(pc->missing);
                hwcaps_strv_free(pc->extra);
        }
        free(s->dirs);
}

static int show_status(const struct status_args *a) {
        _cleanup_(status_done) struct status s = {
                .root = hwcaps_root(a->root),
                .user = a->user,
                .shell.name = "shell",
                .manager.name = "manager",
        };

        if (gather(&s) < 0) {
                log_error("status: out of memory");
                return EXIT_FAIL;
        }
        advise_all(&s);
        if (a->json)
                print_json(&s, a->packages);
        else
                print_human(&s);
        if (a->packages && print_packages(&s, a->json) < 0)
                return EXIT_FAIL;
        return s.action ? EXIT_FAIL : EXIT_OK;
}

int cmd_status(int argc, char **argv) {
        struct status_args args;
        int r = parse_argv(argc, argv, &args);

        return r > 0 ? show_status(&args) : options_exit_status(r);
}
