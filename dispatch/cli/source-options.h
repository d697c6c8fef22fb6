/* SPDX-License-Identifier: MIT */
/* Options shared by the commands that evaluate a CPU: --cpuid, --source,
 * --json; level's --why and --at-least. */
#pragma once

#include <stdbool.h>

#include "probe.h"

struct source_opts {
        const char *cpuid_file;
        const char *ldso;   /* explain: the dynamic linker to ask */
        int source;
        int at_least;       /* level --at-least: the level, or 0 */
        bool json, why;
};

enum {
        SOURCE_OPT_JSON = 1 << 0,
        SOURCE_OPT_LDSO = 1 << 1,
        SOURCE_OPT_LEVEL = 1 << 2,  /* --why, --at-least */
};

/* Returns 1 to go on, 0 after --help, -EINVAL after a usage error (printed). */
int source_opts_parse(int argc, char **argv, struct source_opts *o, unsigned allowed, const char *help_text);

/* Runs the chosen source; logs and returns -EINVAL when a dump is bad. For a
 * live source also asks libcpuid for the CPU name when want_brand. */
int source_opts_run(const struct source_opts *o, struct hwcaps_probe *p, bool want_brand);
