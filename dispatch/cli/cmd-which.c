/* SPDX-License-Identifier: MIT */
/* hwcaps which: how a name resolves, candidate by candidate. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "escape.h"
#include "json.h"
#include "macro.h"
#include "options.h"
#include "resolve.h"

static const char which_help[] =
        "Usage: hwcaps which [--quiet|--json] [--root DIR] NAME\n"
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
        "                stub, is only where the policy and command line are read)\n"
        "Exit status: 0 something runs, 1 nothing does, 2 usage error.\n";

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
        printf("]}\n");
}

struct which_args {
        const char *name;
        const char *root;   /* --root, or NULL */
        bool quiet, json;
};

static int parse_argv(int argc, char **argv, struct which_args *ret) {
        static const struct option options[] = {
                { "help", no_argument, NULL, 'h' },
                { "quiet", no_argument, NULL, 'q' },
                { "json", no_argument, NULL, 'j' },
                { "root", required_argument, NULL, 'r' },
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
                }
        if (c != OPTIONS_END)
                return c;
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

/* The candidate that runs: the first runnable one. */
static const char *winner(const struct resolve *r) {
        for (size_t i = 0; i < r->n; i++)
                if (r->c[i].runnable)
                        return r->c[i].path;
        return NULL;
}

static void print_human(const char *name, const struct resolve *r) {
        _cleanup_free_ char *b_name = NULL;
        const char *won = winner(r), *shown = escape_name(name, &b_name);

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

static int which(const struct which_args *a) {
        struct resolve r;
        const char *tree = a->root ? hwcaps_root(a->root) : "";
        int k = hwcaps_root_usable("which", tree);

        if (k < 0)
                return EXIT_FAIL;
        k = resolve_name(a->name, hwcaps_root(a->root), tree, &r);
        if (k < 0) {
                log_error("which: %s", strerror(-k));
                return EXIT_FAIL;
        }
        if (a->json)
                print_json(a->name, &r);
        else if (!a->quiet)
                print_human(a->name, &r);
        else if (winner(&r)) {
                _cleanup_free_ char *b_won = NULL;

                printf("%s\n", escape_value(winner(&r), &b_won));
        }
        k = winner(&r) ? EXIT_OK : EXIT_FAIL;
        resolve_done(&r);
        return k;
}

int cmd_which(int argc, char **argv) {
        struct which_args args;
        int r = parse_argv(argc, argv, &args);

        return r > 0 ? which(&args) : options_exit_status(r);
}
