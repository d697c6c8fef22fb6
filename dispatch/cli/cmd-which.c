/* SPDX-License-Identifier: MIT */
/* hwcaps which: how a name resolves, candidate by candidate. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "conffile.h"
#include "escape.h"
#include "json.h"
#include "macro.h"
#include "manager.h"
#include "options.h"
#include "process.h"
#include "resolve.h"

static const char which_help[] =
        "Usage: hwcaps which [--quiet|--json] [--root DIR] NAME\n"
        "       hwcaps which [--quiet|--json] --pid PID [NAME]\n"
        "       hwcaps which [--quiet|--json] [--user] --unit UNIT [NAME]\n"
        "Show which file runs for NAME: a bare name is searched in $PATH exactly as\n"
        "given, as the shell searches it; a dispatch stub found there, or named by a\n"
        "path, is followed as the stub follows itself (its aliases, the trust rule,\n"
        "the one decision). Each candidate is marked \"runs\", or says why it is\n"
        "skipped.\n"
        "  -q --quiet    print only the path that would run\n"
        "  --json        print the same as JSON\n"
        "  --root DIR    DIR is the whole system: PATH's directories, NAME, the stub,\n"
        "                its links and variants are looked up and trust-checked inside\n"
        "                DIR, its run/hwcaps/policy or proc/cmdline is read, and paths\n"
        "                are printed as they are inside DIR ($HWCAPS_ROOT, as for the\n"
        "                stub, is only where the policy and command line are read);\n"
        "                not with --pid or --unit, which ask about this system\n"
        "  --pid PID     in the environment process PID started with (PATH, HWCAPS,\n"
        "                HWCAPS_MAX_LEVEL, GLIBC_TUNABLES); without NAME, the program\n"
        "                it was started as, against the file it runs (/proc/PID/exe)\n"
        "  --unit UNIT   in the environment of service UNIT (the manager's and its\n"
        "                Environment=, over D-Bus); without NAME, its first ExecStart=\n"
        "                program; while it runs, its main process as with --pid\n"
        "  --user        --unit of the user manager instead of the system manager\n"
        "Exit status: 0 something runs, 1 nothing does (or no such process or unit),\n"
        "2 usage error.\n";

static void print_json(const char *name, const struct resolve *r) {
        bool won = false;

        json_begin(stdout, "which", false);
        json_name(stdout, "name", name, false);
        printf(",\"mode\":\"%s\",", r->stub_mode ? "stub" : r->not_stub ? "file" : "path");
        json_level(stdout, "cpu_level", r->d.cpu, false);
        putchar(',');
        json_max_level(stdout, "", &r->d, false);
        printf(",\"candidates\":[");
        for (size_t i = 0; i < r->n; i++) {
                const struct resolve_candidate *c = &r->c[i];
                bool runs = c->runnable && !won;

                won = won || runs;
                printf("%s{", i ? "," : "");
                json_name(stdout, "path", c->path, false);
                putchar(',');
                json_level(stdout, "level", c->level, false);
                printf(",\"runs\":%s,\"skipped\":", json_bool(runs));
                if (c->runnable)
                        printf(runs ? "null" : "\"not reached\"");
                else
                        json_string(stdout, c->why ?: "");
                printf("}");
        }
        printf("]");
}

struct which_args {
        const char *name;   /* NULL: the process's or unit's own program */
        const char *root;   /* --root, or NULL */
        const char *unit;   /* --unit, or NULL */
        int pid;            /* --pid, or 0 */
        bool quiet, json, user;
};

static int parse_pid(const char *s) {
        char *end;
        long v;

        errno = 0;
        v = strtol(s, &end, 10);
        if (errno || end == s || *end || v <= 0 || v > INT_MAX || s[0] == '+' || s[0] == ' ')
                return -1;
        return (int) v;
}

static int parse_argv(int argc, char **argv, struct which_args *ret) {
        static const struct option options[] = {
                { "help", no_argument, NULL, 'h' },
                { "quiet", no_argument, NULL, 'q' },
                { "json", no_argument, NULL, 'j' },
                { "root", required_argument, NULL, 'r' },
                { "pid", required_argument, NULL, 'p' },
                { "unit", required_argument, NULL, 'u' },
                { "user", no_argument, NULL, 'U' },
                {}
        };
        struct options o = {
                .name = "which", .help = which_help, .shortopts = "+:hq", .longopts = options,
                .argc = argc, .argv = argv,
        };
        int c;

        *ret = (struct which_args) {};
        while ((c = options_next(&o)) > 0)
                switch (c) {
                case 'q':
                        ret->quiet = true;
                        break;
                case 'r':
                        ret->root = optarg;
                        break;
                case 'j':
                        ret->json = true;
                        break;
                case 'p':
                        ret->pid = parse_pid(optarg);
                        if (ret->pid < 0) {
                                usage_error("which: --pid: '%s' is not a process ID", optarg);
                                return -EINVAL;
                        }
                        break;
                case 'u':
                        if (!optarg[0]) {
                                usage_error("which: --unit: the unit name must not be empty");
                                return -EINVAL;
                        }
                        ret->unit = optarg;
                        break;
                case 'U':
                        ret->user = true;
                        break;
                }
        if (c != OPTIONS_END)
                return c;
        if (ret->pid && ret->unit) {
                usage_error("which: --pid and --unit exclude each other");
                return -EINVAL;
        }
        if (ret->user && !ret->unit) {
                usage_error("which: --user goes with --unit");
                return -EINVAL;
        }
        if (ret->root && (ret->pid || ret->unit)) {
                usage_error("which: --root and --%s exclude each other: a process or unit is this system's",
                            ret->pid ? "pid" : "unit");
                return -EINVAL;
        }
        if (optind == argc && (ret->pid || ret->unit))
                return 1;
        if (optind + 1 != argc) {
                usage_error(optind == argc ? "which: expected a program NAME" : "which: expected one NAME, got '%s' too",
                            argv[argc - 1]);
                return -EINVAL;
        }
        if (!argv[optind][0]) {
                usage_error("which: NAME must not be empty");
                return -EINVAL;
        }
        if (ret->root && strchr(argv[optind], '/') && argv[optind][0] != '/') {
                usage_error("which: with --root, NAME must be a bare name or absolute (inside the root): '%s'",
                            argv[optind]);
                return -EINVAL;
        }
        ret->name = argv[optind];
        return 1;
}

static void print_human(const char *name, const struct resolve *r) {
        _cleanup_free_ char *b_name = NULL;
        const char *won = resolve_winner(r), *shown = escape_name(name, &b_name);

        if (r->stub_mode)
                printf("%s is the hwcaps dispatch stub; it runs the first of these.\n", shown);
        else if (r->not_stub && r->n == 1 && !r->c[0].runnable && strcmp(r->c[0].why ?: "", "missing") == 0)
                printf("%s does not exist.\n", shown);
        else if (r->not_stub)
                printf("%s is not the hwcaps dispatch stub: it runs itself.\n", shown);
        else
                printf("%s: searched in PATH as given, as the shell searches it%s.\n", shown,
                       r->stub ? "; the dispatch stub found there runs one of the variants" : "");
        resolve_print_plan(r, stdout);
        for (size_t i = 0; i < r->n; i++) {
                const struct resolve_candidate *cd = &r->c[i];
                _cleanup_free_ char *b_path = NULL, *b_why = NULL;

                /* why may hold a path too (a #! interpreter's). */
                printf("  %-9s %s: %s%s%s\n", cd->level ? hwcaps_level_name(cd->level) : "",
                       escape_name(cd->path, &b_path), color(stdout, cd->path == won ? COLOR_GREEN : COLOR_DIM),
                       cd->path == won ? "runs" : cd->runnable ? "not reached" : escape_name(cd->why ?: "", &b_why),
                       color(stdout, COLOR_RESET));
        }
        if (!won)
                printf("Nothing runs: %s would fail with 'not found'.\n",
                       r->stub_mode ? "the stub" : "the shell");
}

static const char *level_or_none(int level) {
        return level ? hwcaps_level_name(level) : "no level directory";
}

static void print_process_human(const struct process *p, const struct process_check *c) {
        _cleanup_free_ char *b_exe = NULL, *b_would = NULL, *b_better = NULL, *b_reason = NULL;

        if (c->argv0_unknown) {
                _cleanup_free_ char *b_argv0 = NULL;

                printf("(Its argv[0] \"%s\" names no program (the process rewrote it): the file it runs "
                       "stands for it.)\n", escape_name(p->argv0, &b_argv0));
        }
        printf("Process %d runs %s%s (%s).\n", p->pid, escape_name(p->exe, &b_exe),
               p->exe_deleted ? " (deleted)" : "", level_or_none(c->runs_level));
        if (p->other_root)
                printf("It runs in another root directory (a container or a chroot): the paths above are this "
                       "system's.\n");
        if (!c->same) {
                printf("Mismatch: %s would run now; %s.\n",
                       c->would_run ? escape_name(c->would_run, &b_would) : "nothing", escape_name(c->reason, &b_reason));
                return;
        }
        if (c->better)
                printf("It could run %s (%s) and does not: %s.\n", escape_name(c->better, &b_better),
                       hwcaps_level_name(c->better_level), escape_name(c->reason, &b_reason));
        else
                printf("That is what would run now.\n");
}

static void print_process_json(const struct process *p, const struct process_check *c) {
        printf(",\"process\":{\"pid\":%d,", p->pid);
        json_name(stdout, "argv0", p->argv0, false);
        putchar(',');
        json_name(stdout, "cwd", p->cwd, false);
        putchar(',');
        json_name(stdout, "exe", p->exe, false);
        printf(",\"exe_deleted\":%s,\"other_root\":%s,\"runs_level\":", json_bool(p->exe_deleted),
               json_bool(p->other_root));
        if (c->runs_level)
                json_string(stdout, hwcaps_level_name(c->runs_level));
        else
                printf("null");
        printf(",\"argv0_names_program\":%s,\"runs_what_would_run\":%s,", json_bool(!c->argv0_unknown),
               json_bool(c->same));
        json_name(stdout, "would_run", c->would_run, false);
        printf(",\"would_run_level\":");
        if (c->would_run_level)
                json_string(stdout, hwcaps_level_name(c->would_run_level));
        else
                printf("null");
        putchar(',');
        json_name(stdout, "could_run", c->better, false);
        printf(",\"could_run_level\":");
        if (c->better_level)
                json_string(stdout, hwcaps_level_name(c->better_level));
        else
                printf("null");
        printf(",\"reason\":");
        if (c->reason[0])
                json_string(stdout, c->reason);
        else
                printf("null");
        putchar('}');
}

static void print_unit_json(const struct manager_unit *u, bool user) {
        printf(",\"unit\":{");
        json_name(stdout, "id", u->id, false);
        printf(",\"scope\":\"%s\",", user ? "user" : "system");
        json_name(stdout, "exec_start", u->exec_path, false);
        putchar(',');
        json_names(stdout, "environment_files", u->environment_files, false);
        printf(",\"main_pid\":");
        if (u->main_pid)
                printf("%u", u->main_pid);
        else
                printf("null");
        putchar('}');
}

static void print_resolved(const struct which_args *a, const char *name, const struct resolve *r) {
        if (a->json)
                print_json(name, r);
        else if (!a->quiet)
                print_human(name, r);
        else if (resolve_winner(r)) {
                _cleanup_free_ char *b_won = NULL;

                printf("%s\n", escape_value(resolve_winner(r), &b_won));
        }
}

/* Process pid: read, checked, printed. Returns an exit status. */
static int which_process(const struct which_args *a, int pid, const char *name, bool in_unit) {
        _cleanup_(process_done) struct process p = { 0 };
        _cleanup_(process_check_done) struct process_check c = { 0 };
        int k = process_read(pid, &p);

        if (k == -ESRCH)
                log_error("which: no process %d", pid);
        else if (k == -EACCES && geteuid() != 0)
                log_error("which: process %d: permission denied: only root reads the environment of another "
                          "user's process", pid);
        else if (k == -EACCES)
                log_error("which: process %d: permission denied, also to root: its /proc files are closed to this "
                          "process (another user or PID namespace, a container, or ptrace restrictions)", pid);
        else if (k < 0)
                log_error("which: process %d: %s", pid, strerror(-k));
        if (k < 0)
                return EXIT_FAIL;
        k = process_check(&p, name, hwcaps_root(NULL), in_unit, &c);
        if (k == -ENOEXEC) {
                log_error("which: process %d runs no program file (a kernel thread, or a process that has exited)",
                          pid);
                return EXIT_FAIL;
        }
        if (k < 0) {
                log_error("which: %s", strerror(-k));
                return EXIT_FAIL;
        }
        if (!a->json && !a->quiet) {
                _cleanup_free_ char *b_cwd = NULL;

                printf("%s %d, in the environment it started with (PATH, HWCAPS, HWCAPS_MAX_LEVEL, "
                       "GLIBC_TUNABLES)%s%s:\n", in_unit ? "\nMain process" : "Process", pid,
                       p.cwd ? " and its working directory " : "", p.cwd ? escape_name(p.cwd, &b_cwd) : "");
        }
        if (a->json && in_unit) {
                print_process_json(&p, &c);
                return EXIT_OK;
        }
        print_resolved(a, c.name, &c.r);
        if (a->json) {
                if (!name)
                        print_process_json(&p, &c);
                printf("}\n");
        } else if (!a->quiet && !name)
                print_process_human(&p, &c);
        return c.would_run ? EXIT_OK : EXIT_FAIL;
}

/* Unit: the manager's environment with its Environment=, the name (or its
 * first ExecStart=) resolved there, and its main process. */
static int which_unit(const struct which_args *a) {
        _cleanup_(manager_unit_done) struct manager_unit u = { 0 };
        struct manager *m = NULL;
        char **menv = NULL, **env = NULL;
        char err[512] = "";
        struct resolve r = { 0 };
        const char *name;
        int k;

        k = manager_open(a->user, &m, err, sizeof err);
        if (k >= 0)
                k = manager_environment(m, &menv, err, sizeof err);
        if (k >= 0)
                k = manager_unit(m, a->unit, &u, err, sizeof err);
        manager_close(m);
        if (k < 0) {
                log_error("which: --unit %s: %s", a->unit, err[0] ? err : strerror(-k));
                hwcaps_strv_free(menv);
                return EXIT_FAIL;
        }
        env = manager_env_merge(menv, u.environment);
        hwcaps_strv_free(menv);
        name = a->name ?: u.exec_path;
        if (!env || !name) {
                log_error("which: --unit %s: %s", u.id, env ? "it has no ExecStart= program" : strerror(ENOMEM));
                hwcaps_strv_free(env);
                return EXIT_FAIL;
        }
        /* A service starts with its manager's environment and its own
         * Environment=, never AT_SECURE from hwcaps' side, in / unless
         * WorkingDirectory= (ExecStart= is absolute anyway). */
        k = resolve_name_env(name, hwcaps_root(NULL), "", &(struct resolve_env) { env, false, NULL, false }, &r);
        if (k < 0) {
                log_error("which: %s", strerror(-k));
                hwcaps_strv_free(env);
                return EXIT_FAIL;
        }
        if (!a->json && !a->quiet) {
                _cleanup_free_ char *b_id = NULL, *b_name = NULL;

                printf("Unit %s (%s manager), in its environment (the manager's and its Environment=): %s%s\n",
                       escape_name(u.id, &b_id), a->user ? "user" : "system", a->name ? "" : "ExecStart=",
                       escape_name(name, &b_name));
                for (char **f = u.environment_files; f && *f; f++) {
                        _cleanup_free_ char *b = NULL;

                        printf("Note: EnvironmentFile=%s is not read: a PATH, HWCAPS or HWCAPS_MAX_LEVEL set there "
                               "is not seen here.\n", escape_name(*f, &b));
                }
        }
        print_resolved(a, name, &r);
        k = resolve_winner(&r) ? EXIT_OK : EXIT_FAIL;
        resolve_done(&r);
        hwcaps_strv_free(env);
        if (a->json)
                print_unit_json(&u, a->user);
        if (u.main_pid && !a->name && !a->quiet) {
                if (which_process(a, (int) u.main_pid, NULL, true) != EXIT_OK && !a->json)
                        printf("Its main process %u could not be checked (see above).\n", u.main_pid);
        } else if (!a->json && !a->quiet && !a->name)
                printf("It does not run now.\n");
        if (a->json)
                printf("}\n");
        return k;
}

static int which(const struct which_args *a) {
        const char *tree;
        struct resolve r;
        int k;

        if (a->unit)
                return which_unit(a);
        if (a->pid)
                return which_process(a, a->pid, a->name, false);
        tree = a->root ? hwcaps_root(a->root) : "";
        if (hwcaps_root_usable("which", tree) < 0)
                return EXIT_FAIL;
        k = resolve_name(a->name, hwcaps_root(a->root), tree, &r);
        if (k < 0) {
                log_error("which: %s", strerror(-k));
                return EXIT_FAIL;
        }
        print_resolved(a, a->name, &r);
        if (a->json)
                printf("}\n");
        k = resolve_winner(&r) ? EXIT_OK : EXIT_FAIL;
        resolve_done(&r);
        return k;
}

int cmd_which(int argc, char **argv) {
        struct which_args args;
        int r = parse_argv(argc, argv, &args);

        return r > 0 ? which(&args) : options_exit_status(r);
}
