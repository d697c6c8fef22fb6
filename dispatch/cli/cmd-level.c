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
        "Usage: hwcaps level [--cpuid FILE] [--source glibc|cpuid]\n"
        "Print the highest supported x86-64 level (x86-64-v1 when only the baseline).\n";
static const char levels_help[] =
        "Usage: hwcaps levels [--cpuid FILE] [--source glibc|cpuid] [--json]\n"
        "Print the supported levels above the baseline, highest first, one per line.\n";

static int missing_baseline(const struct hwcaps_probe *p) {
        log_error("this CPU lacks the x86-64 baseline (CMOV, CX8, FPU, FXSR, MMX, SSE, SSE2); "
                  "see 'hwcaps explain'%s", p->source == HWCAPS_SOURCE_DUMP ? " with the same --cpuid" : "");
        return EXIT_FAIL;
}

static void print_level(const struct source_opts *o, const struct hwcaps_probe *p) {
        (void) o;
        printf("%s\n", hwcaps_level_name(p->level));
}

static void print_levels(const struct source_opts *o, const struct hwcaps_probe *p) {
        /* Like ld.so, only levels with a glibc-hwcaps subdirectory: v1 is the
         * parent directory itself. */
        if (o->json) {
                printf("{\"source\":\"%s\",\"level\":\"%s\",\"levels\":[",
                       hwcaps_source_name(p->source), hwcaps_level_name(p->level));
                for (int l = p->level; l >= HWCAPS_LEVEL_V2; l--)
                        printf("%s\"%s\"", l == (int) p->level ? "" : ",", hwcaps_level_name(l));
                printf("]}\n");
        } else
                for (int l = p->level; l >= HWCAPS_LEVEL_V2; l--)
                        printf("%s\n", hwcaps_level_name(l));
}

/* level and levels: the same options and probe, their own output. */
static int run(int argc, char **argv, unsigned allowed, const char *help,
               void (*print)(const struct source_opts *o, const struct hwcaps_probe *p)) {
        struct hwcaps_probe p;
        struct source_opts o;
        int r = source_opts_parse(argc, argv, &o, allowed, help);

        if (r <= 0)
                return options_exit_status(r);
        if (source_opts_run(&o, &p, false) < 0)
                return EXIT_FAIL;
        if (p.level == HWCAPS_LEVEL_NONE)
                return missing_baseline(&p);
        print(&o, &p);
        return EXIT_OK;
}

int cmd_level(int argc, char **argv) {
        return run(argc, argv, 0, level_help, print_level);
}

int cmd_levels(int argc, char **argv) {
        return run(argc, argv, SOURCE_OPT_JSON, levels_help, print_levels);
}
