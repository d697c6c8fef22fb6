/* SPDX-License-Identifier: MIT */
/* hwcaps which: how a name resolves, candidate by candidate. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "json.h"
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
        "  --root DIR    read DIR/run/hwcaps/policy or DIR/proc/cmdline (also $HWCAPS_ROOT)\n"
        "Exit status: 0 something runs, 1 nothing does, 2 usage error.\n";

static void print_json(const char *name, const struct resolve *r) {
        bool won = false;

        printf("{\"name\":");
        json_string(stdout, name);
        printf(",\"mode\":\"%s\",\"cpu_level\":", r->stub_mode ? "stub" : r->not_stub ? "file" : "path");
        if (hwcaps_level_name(r->d.cpu))
                json_string(stdout, hwcaps_level_name(r->d.cpu));
        else
                printf("null");
        printf(",\"cap\":");
        if (r->d.src != HWCAPS_SRC_NONE) {
                json_string(stdout, hwcaps_level_name(r->d.cap));
                printf(",\"cap_reason\":");
                json_string(stdout, r->d.why);
        } else
                printf("null,\"cap_reason\":null");
        printf(",\"candidates\":[");
        for (size_t i = 0; i < r->n; i++) {
                const struct resolve_candidate *c = &r->c[i];
                bool runs = c->runnable && !won;

                won = won || runs;
                printf("%s{\"path\":", i ? "," : "");
                json_string(stdout, c->path);
                printf(",\"level\":");
                if (c->level)
                        json_string(stdout, hwcaps_level_name(c->level));
                else
                        printf("null");
                printf(",\"runs\":%s,\"skipped\":", json_bool(runs));
                if (c->runnable)
                        printf(runs ? "null" : "\"not reached\"");
                else
                        json_string(stdout, c->why ?: "");
                printf("}");
        }
        printf("]}\n");
}

int cmd_which(int argc, char **argv) {
        static const struct option options[] = {
                { "help", no_argument, NULL, 'h' },
                { "quiet", no_argument, NULL, 'q' },
                { "json", no_argument, NULL, 'j' },
                { "root", required_argument, NULL, 'r' },
                {}
        };
        const char *root = NULL, *winner = NULL;
        bool quiet = false, json = false;
        struct resolve r;
        int c, k;

        optind = 0;
        opterr = 0;
        while ((c = getopt_long(argc, argv, "+hq", options, NULL)) >= 0)
                switch (c) {
                case 'h':
                        printf("%s", which_help);
                        return EXIT_OK;
                case 'q':
                        quiet = true;
                        break;
                case 'r':
                        root = optarg;
                        break;
                case 'j':
                        json = true;
                        break;
                default:
                        usage_error("which: unknown option '%s'", argv[optind - 1]);
                        return EXIT_USAGE;
                }
        if (optind + 1 != argc) {
                usage_error(optind == argc ? "which: expected a program NAME" : "which: expected one NAME, got '%s' too",
                            argv[argc - 1]);
                return EXIT_USAGE;
        }
        if (!argv[optind][0]) {
                usage_error("which: NAME must not be empty");
                return EXIT_USAGE;
        }

        k = resolve_name(argv[optind], hwcaps_root(root), &r);
        if (k < 0) {
                log_error("which: %s", strerror(-k));
                return EXIT_FAIL;
        }
        if (json) {
                print_json(argv[optind], &r);
                for (size_t i = 0; i < r.n && !winner; i++)
                        if (r.c[i].runnable)
                                winner = r.c[i].path;
                resolve_done(&r);
                return winner ? EXIT_OK : EXIT_FAIL;
        }
        if (!quiet) {
                if (r.stub_mode)
                        printf("%s is the hwcaps dispatch stub; it runs the first of these.\n", argv[optind]);
                else if (r.not_stub && access(argv[optind], F_OK) < 0)
                        printf("%s does not exist.\n", argv[optind]);
                else if (r.not_stub)
                        printf("%s is not the hwcaps dispatch stub: it runs itself.\n", argv[optind]);
                else
                        printf("%s: searched in PATH as given, as the shell searches it%s.\n", argv[optind],
                               r.stub ? "; the dispatch stub found there runs one of the variants" : "");
                resolve_print_plan(&r, stdout);
        }
        for (size_t i = 0; i < r.n; i++) {
                const struct resolve_candidate *cd = &r.c[i];
                const char *what;

                if (cd->runnable && !winner) {
                        winner = cd->path;
                        what = "runs";
                } else if (cd->runnable)
                        what = "not reached";
                else
                        what = cd->why;
                if (!quiet)
                        printf("  %-9s %s: %s\n", cd->level ? hwcaps_level_name(cd->level) : "", cd->path, what);
        }
        if (quiet && winner)
                printf("%s\n", winner);
        if (!winner && !quiet)
                printf("Nothing runs: %s would fail with 'not found'.\n",
                       r.stub_mode ? "the stub" : "the shell");
        resolve_done(&r);
        return winner ? EXIT_OK : EXIT_FAIL;
}
