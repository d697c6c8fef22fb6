/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "dump.h"
#include "options.h"
#include "source-options.h"

enum { ARG_CPUID = 0x100, ARG_SOURCE, ARG_JSON, ARG_LDSO, ARG_WHY, ARG_AT_LEAST };

int source_opts_parse(int argc, char **argv, struct source_opts *o, unsigned allowed, const char *help_text) {
        static const struct option options[] = {
                { "help", no_argument, NULL, 'h' },
                { "cpuid", required_argument, NULL, ARG_CPUID },
                { "source", required_argument, NULL, ARG_SOURCE },
                { "json", no_argument, NULL, ARG_JSON },
                { "ldso", required_argument, NULL, ARG_LDSO },
                { "why", no_argument, NULL, ARG_WHY },
                { "at-least", required_argument, NULL, ARG_AT_LEAST },
                {}
        };
        struct options opts = {
                .name = argv[0], .help = help_text, .shortopts = "+:h", .longopts = options,
                .argc = argc, .argv = argv,
        };
        int c;

        *o = (struct source_opts) { .source = HWCAPS_SOURCE_GLIBC, .ldso = LDSO_PATH };
        while ((c = options_next(&opts)) > 0)
                switch (c) {
                case ARG_CPUID:
                        o->cpuid_file = optarg;
                        o->source = HWCAPS_SOURCE_DUMP;
                        break;
                case ARG_SOURCE:
                        o->source = hwcaps_source_parse(optarg);
                        if (o->source < 0 || o->source == HWCAPS_SOURCE_DUMP) {
                                usage_error("unknown source '%s' (expected glibc or cpuid; use --cpuid FILE for a dump)", optarg);
                                return -EINVAL;
                        }
                        break;
                case ARG_JSON:
                        if (!(allowed & SOURCE_OPT_JSON)) {
                                usage_error("'%s' has no --json output", argv[0]);
                                return -EINVAL;
                        }
                        o->json = true;
                        break;
                case ARG_LDSO:
                        if (!(allowed & SOURCE_OPT_LDSO)) {
                                usage_error("'%s' does not ask the dynamic linker (--ldso is for explain)", argv[0]);
                                return -EINVAL;
                        }
                        o->ldso = optarg;
                        break;
                case ARG_WHY:
                case ARG_AT_LEAST:
                        if (!(allowed & SOURCE_OPT_LEVEL)) {
                                usage_error("'%s' has no --%s (it is for 'hwcaps level')", argv[0],
                                            c == ARG_WHY ? "why" : "at-least");
                                return -EINVAL;
                        }
                        if (c == ARG_WHY)
                                o->why = true;
                        else {
                                o->at_least = hwcaps_level_parse(optarg, strlen(optarg));
                                if (o->at_least < 0) {
                                        usage_error("%s: unknown level '%s' (expected " HWCAPS_LEVEL_NAMES ")",
                                                    argv[0], optarg);
                                        return -EINVAL;
                                }
                        }
                        break;
                }
        if (c != OPTIONS_END)
                return c;
        return options_no_operands(&opts);
}

int source_opts_run(const struct source_opts *o, struct hwcaps_probe *p, bool want_brand) {
        char err[512];

        switch (o->source) {
        case HWCAPS_SOURCE_DUMP:
                if (hwcaps_probe_dump(o->cpuid_file, p, err, sizeof err) < 0) {
                        log_error("%s", err);
                        return -EINVAL;
                }
                return 0;
        case HWCAPS_SOURCE_CPUID:
                hwcaps_probe_cpuid(p);
                break;
        default:
                hwcaps_probe_glibc(p);
                break;
        }
        if (want_brand)
                hwcaps_probe_brand_live(p);
        return 0;
}

