/* SPDX-License-Identifier: MIT */
/* How a program name resolves to a variant: the rules of the dispatch stub
 * (for a path) and of the composed PATH (for a bare name), with the reason
 * each candidate is or is not taken. Shared by "hwcaps which" and
 * "hwcaps exec". */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "stub-plan.h"

struct resolve_candidate {
        char *path;
        int level;          /* 1..4 for a level candidate, 0 for a plain PATH entry */
        bool runnable;      /* passes every check; exec may still fail */
        char *why;          /* why it is skipped (when !runnable) */
};

struct resolve {
        struct hwcaps_plan plan;
        enum hwcaps_level glibc_level; /* glibc's own view, as a cross-check */
        bool stub_mode;                /* name is a path to the dispatch stub */
        bool not_stub;                 /* name is a path, but not to the stub */
        struct resolve_candidate *c;
        size_t n;
};

/* root: prefix for proc/cmdline ("" for /). Returns 0 or -errno. */
int resolve_name(const char *name, const char *root, struct resolve *ret);
void resolve_done(struct resolve *r);

/* Does the file at path carry the stub's marker (or is the installed stub)? */
bool resolve_is_stub(const char *path);

/* The cap and CPU, one line for people. */
void resolve_print_plan(const struct resolve *r, FILE *f);
