/* SPDX-License-Identifier: MIT */
/* What the dispatch stub does, as freestanding functions shared by the stub
 * (hwcaps-dispatch) and the CLI (hwcaps which / hwcaps exec), so the two
 * can never disagree: the environment it reads, the candidate paths and
 * whether each may run. The level decision is decide.h's. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "layout.h"
#include "level.h"
#include "trust.h"

/* The environment variables the stub reads. All but the depth stay NULL
 * under AT_SECURE: a setuid program must not let its caller choose what it
 * runs. */
struct hwcaps_env {
        const char *max_level; /* HWCAPS_MAX_LEVEL= value */
        const char *hwcaps;    /* HWCAPS= value (as systemd.setenv=HWCAPS= sets it) */
        const char *root;      /* HWCAPS_ROOT= value: prefix for proc/cmdline and run/hwcaps/policy */
        const char *depth;     /* HWCAPS_DISPATCH_DEPTH= value: "PID:N", the first */
        char *const *depth_at; /* where in envp the last such entry is, or NULL */
        unsigned n_depth;      /* how many there are */
};

/* How often one process may pass through a stub before it stops: a
 * variant that runs its own dispatched path (a "#!" naming it, a wrapper
 * doing "exec /usr/bin/foo") would otherwise exec forever. As many as the
 * kernel follows symbolic links: a chain of different dispatched programs
 * exec'ing each other in one process (env, nice, chrt ...) stays far below. */
#define HWCAPS_DISPATCH_DEPTH_MAX 40

void hwcaps_env_scan(char *const *envp, bool secure, struct hwcaps_env *ret);

/* One candidate of a dispatched program, checked by the trust rule. */
enum hwcaps_candidate_verdict {
        HWCAPS_CANDIDATE_OK,
        HWCAPS_CANDIDATE_MISSING,
        HWCAPS_CANDIDATE_UNSAFE,   /* trust says no: t->where, t->reason */
        HWCAPS_CANDIDATE_SELF,     /* the stub's own file */
        HWCAPS_CANDIDATE_TOO_LONG,
};

/* The walk of "DIR/glibc-hwcaps", shared by the levels of one program,
 * and each level's walk on from it, in one buffer: every stack page the
 * stub touches costs a page fault on every exec. */
struct hwcaps_candidates {
        const struct hwcaps_trust_root *root;
        const char *path;          /* DIR/NAME, absolute; the first check writes a NUL
                                    * into it for a moment */
        const struct hwcaps_stat *self; /* the stub's identity, or NULL */
        bool walked;
        unsigned long parent_len;  /* t.where[0..parent_len) is DIR/glibc-hwcaps's real path */
        enum hwcaps_trust_verdict parent_verdict;
        struct hwcaps_stat parent_st;
        struct hwcaps_trust t;
};

void hwcaps_candidates_init(struct hwcaps_candidates *c, const struct hwcaps_trust_root *root,
                            const char *path, const struct hwcaps_stat *self);

/* Checks the candidate for level (layout.h): every component root's and
 * closed to others, a regular file, not the stub. *ret points to the walk,
 * valid until the next check: on OK, where is the candidate's real path,
 * the file to execute (every directory on it is root's and closed to
 * others, so it still names that file); else where and why it was refused. */
enum hwcaps_candidate_verdict hwcaps_candidate_check(struct hwcaps_candidates *c, enum hwcaps_level level,
                                                     const struct hwcaps_trust **ret);
