/* SPDX-License-Identifier: MIT */
/* hwcaps level, levels, explain: what this CPU (or a dump) supports. */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "dump.h"
#include "json.h"
#include "macro.h"
#include "options.h"
#include "probe.h"
#include "source-options.h"

static const char level_help[] =
        "Usage: hwcaps level [--cpuid FILE] [--source glibc|cpuid] [--why] [--at-least LEVEL] [--json]\n"
        "Print the highest supported x86-64 level (x86-64-v1 when only the baseline).\n"
        "  --why             one line: the level, and what the next level lacks here\n"
        "                    (its features the CPU lacks or the OS did not enable)\n"
        "  --at-least LEVEL  print nothing (unless --why or --json); exit 0 when the\n"
        "                    level is LEVEL or higher, 1 when not (" HWCAPS_LEVEL_NAMES ")\n"
        "  --json            the level and what blocks the next one (see hwcaps(1))\n"
        "Exit status: 0 ok, 1 the CPU lacks the baseline (or is below --at-least),\n"
        "2 usage error.\n";
static const char levels_help[] =
        "Usage: hwcaps levels [--cpuid FILE] [--source glibc|cpuid] [--json]\n"
        "Print the supported levels above the baseline, highest first, one per line.\n";

static int missing_baseline(const struct hwcaps_probe *p) {
        log_error("this CPU lacks the x86-64 baseline (CMOV, CX8, FPU, FXSR, MMX, SSE, SSE2); "
                  "see 'hwcaps explain'%s", p->source == HWCAPS_SOURCE_DUMP ? " with the same --cpuid" : "");
        return EXIT_FAIL;
}

static int print_level(const struct source_opts *o, const struct hwcaps_probe *p) {
        if (o->json) {
                json_begin(stdout, "level", false);
                printf("\"feature_source\":\"%s\",", hwcaps_source_name(p->source));
                json_level(stdout, "cpu_level", p->level, false);
                putchar(',');
                explain_next_level_json(stdout, p);
                printf("}\n");
        } else if (o->why)
                explain_why_line(stdout, p);
        if (o->at_least)
                return (int) p->level >= o->at_least ? EXIT_OK : EXIT_FAIL;
        if (p->level == HWCAPS_LEVEL_NONE)
                return o->json || o->why ? EXIT_FAIL : missing_baseline(p);
        if (!o->json && !o->why)
                printf("%s\n", hwcaps_level_name(p->level));
        return EXIT_OK;
}

static int print_levels(const struct source_opts *o, const struct hwcaps_probe *p) {
        if (p->level == HWCAPS_LEVEL_NONE)
                return missing_baseline(p);
        /* Like ld.so, only levels with a glibc-hwcaps subdirectory: v1 is the
         * parent directory itself. */
        if (o->json) {
                json_begin(stdout, "levels", false);
                printf("\"feature_source\":\"%s\",", hwcaps_source_name(p->source));
                json_level(stdout, "cpu_level", p->level, false);
                printf(",\"levels\":[");
                for (int l = p->level; l >= HWCAPS_LEVEL_V2; l--)
                        printf("%s\"%s\"", l == (int) p->level ? "" : ",", hwcaps_level_name(l));
                printf("]}\n");
        } else
                for (int l = p->level; l >= HWCAPS_LEVEL_V2; l--)
                        printf("%s\n", hwcaps_level_name(l));
        return EXIT_OK;
}

/* level and levels: the same options and probe, their own output. */
static int run(int argc, char **argv, unsigned allowed, const char *help,
               int (*print)(const struct source_opts *o, const struct hwcaps_probe *p)) {
        struct hwcaps_probe p;
        struct source_opts o;
        int r = source_opts_parse(argc, argv, &o, allowed, help);

        if (r <= 0)
                return options_exit_status(r);
        if (source_opts_run(&o, &p, false) < 0)
                return EXIT_FAIL;
        return print(&o, &p);
}

int cmd_level(int argc, char **argv) {
        return run(argc, argv, SOURCE_OPT_JSON | SOURCE_OPT_LEVEL, level_help, print_level);
}

int cmd_levels(int argc, char **argv) {
        return run(argc, argv, SOURCE_OPT_JSON, levels_help, print_levels);
}
