/* SPDX-License-Identifier: MIT */
/* What the dispatch stub decides, as pure freestanding functions shared by
 * the stub (hwcaps-dispatch) and the CLI (hwcaps which / hwcaps exec), so the
 * two can never disagree: which opt-outs apply, the highest level to try, and
 * the candidate paths. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "cmdline.h"
#include "level.h"
#include "tunables.h"

/* The environment variables the stub reads. All stay NULL under AT_SECURE:
 * a setuid program must not let its caller choose what it runs. */
struct hwcaps_env {
        const char *max_level; /* HWCAPS_MAX_LEVEL= value */
        const char *hwcaps;    /* HWCAPS= value (as systemd.setenv=HWCAPS= sets it) */
        const char *root;      /* HWCAPS_ROOT= value: prefix for proc/cmdline */
};

void hwcaps_env_scan(char *const *envp, bool secure, struct hwcaps_env *ret);

enum hwcaps_cap_reason {
        HWCAPS_CAP_NONE,
        HWCAPS_CAP_CMDLINE_OFF,    /* hwcaps=off on the kernel command line */
        HWCAPS_CAP_CMDLINE_SETENV, /* systemd.setenv=HWCAPS=off on the kernel command line */
        HWCAPS_CAP_CMDLINE_MAX,    /* hwcaps.max= on the kernel command line */
        HWCAPS_CAP_ENV_OFF,        /* HWCAPS=off in the environment */
        HWCAPS_CAP_ENV_MAX,        /* HWCAPS_MAX_LEVEL= in the environment */
};

struct hwcaps_plan {
        enum hwcaps_level cpu;          /* the CPU's level (after GLIBC_TUNABLES) */
        enum hwcaps_level cap;          /* lowest opt-out cap; HWCAPS_LEVEL_MAX if none */
        enum hwcaps_cap_reason reason;  /* which opt-out set cap */
        enum hwcaps_level top;          /* highest level to try: min(cpu, cap), at least V1 */
        bool env_max_invalid;           /* HWCAPS_MAX_LEVEL set but not a level name */
        bool env_hwcaps_invalid;        /* HWCAPS set but not a boolean */
};

/* cmdline may be NULL (not read). */
void hwcaps_plan_decide(enum hwcaps_level cpu, const struct hwcaps_cmdline *cmdline,
                        const struct hwcaps_env *env, struct hwcaps_plan *ret);

/* "hwcaps=off", "HWCAPS_MAX_LEVEL" ...: what a person would grep for. */
const char *hwcaps_cap_reason_name(enum hwcaps_cap_reason r);

/* Writes "DIR/glibc-hwcaps/x86-64-vN/NAME" for path "DIR/NAME" (DIR may be
 * empty: "NAME" gives "glibc-hwcaps/x86-64-vN/NAME") into buf, NUL-terminated.
 * Returns the length, or 0 when it does not fit or the level has no name. */
size_t hwcaps_candidate_path(const char *path, enum hwcaps_level level, char *buf, size_t size);

/* Is path itself a candidate, ".../glibc-hwcaps/x86-64-vN/NAME"? Returns N or 0. */
int hwcaps_path_candidate_level(const char *path);
