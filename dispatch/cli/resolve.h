/* SPDX-License-Identifier: MIT */
/* How a program name resolves to the file that runs, with the reason each
 * candidate is or is not taken: a bare name is searched in the PATH given,
 * as a shell does; a dispatch stub found that way, or named by a path, is
 * followed with the stub's own rules (identity.h, candidates.h, decide.h).
 * Shared by "hwcaps which" and "hwcaps exec". */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "decide.h"
#include "candidates.h"

struct resolve_candidate {
        char *path;
        int level;          /* 1..4 for a variant the stub would run, 0 for a PATH entry */
        bool runnable;      /* passes every check; exec may still fail */
        char *why;          /* why it is skipped (when !runnable) */
};

struct resolve {
        struct hwcaps_decision d;      /* the stub's decision, as the stub makes it */
        enum hwcaps_boot boot_from;
        enum hwcaps_level glibc_level; /* glibc's own view, as a cross-check */
        bool stub_mode;                /* name is a path to the dispatch stub */
        bool not_stub;                 /* name is a path, but not to the stub */
        char *stub;                    /* the stub reached (through PATH or the path given), or NULL */
        char *program;                 /* the program it stands for, DIR/NAME */
        bool secure;                   /* the stub would run with AT_SECURE (setuid or setgid) */
        const char *tree;              /* "" or the --root DIR every path is inside */
        char *const *envp;             /* the environment decided in (resolve_env's) */
        struct resolve_candidate *c;
        size_t n;
};

/* The process a name is resolved for: its environment (PATH, HWCAPS,
 * HWCAPS_MAX_LEVEL, GLIBC_TUNABLES are read from it, with getenv()'s rule
 * that the first entry wins), whether it runs with AT_SECURE, and its
 * working directory for relative PATH entries (NULL: ours). */
struct resolve_env {
        char *const *envp;
        bool secure;
        const char *cwd;
        bool quiet;         /* no warnings about its values */
};

/* root: prefix for proc/cmdline and run/hwcaps/policy ("" for /), as the
 * stub's HWCAPS_ROOT. tree: "" for /, or a directory that is the whole
 * system (hwcaps which --root, hwcaps list --root): PATH entries, the
 * stub, its links and candidates are looked up inside it (as by chroot,
 * symbolic links included), and paths are given as inside it; name must
 * then be a bare name or an absolute path. Resolves name in this
 * process's own environment. Returns 0 or -errno. */
int resolve_name(const char *name, const char *root, const char *tree, struct resolve *ret);
/* The same, in the environment env of another process (hwcaps which
 * --pid, --unit): the decision the stub would make there. */
int resolve_name_env(const char *name, const char *root, const char *tree, const struct resolve_env *env,
                     struct resolve *ret);
/* The variants the stub would consider for program (DIR/NAME, absolute),
 * judged in env: as resolve_name_env() on a stub standing for program. */
int resolve_variants(const char *program, const char *root, const struct resolve_env *env, struct resolve *ret);

/* The stub's decision alone (d, boot_from, glibc_level; no candidates),
 * warning as resolve_name() does; root and tree as for resolve_name(). */
void resolve_decision(const char *root, const char *tree, struct resolve *ret);

/* What runs for the program DIR/NAME (absolute; inside tree, root and tree
 * as for resolve_name()): when DIR/NAME is the dispatch stub,
 * what the stub does, as resolve_name(); otherwise the stub's candidates
 * for it all the same, by the same code, then DIR/NAME itself (level 0),
 * which PATH finds after the level directories. max_level: a further cap
 * ("hwcaps list --max-level"), lowest wins as in THE DECISION; 0 for none.
 * warn: say what the decision warns about (once is enough). Returns 0 or
 * -errno. */
int resolve_program(const char *program, const char *root, const char *tree, int max_level, bool warn,
                    struct resolve *ret);

/* The value of name in envp, as getenv() finds it: the first entry wins. */
const char *resolve_getenv(char *const *envp, const char *name);

/* The candidate that runs, the first runnable one, or NULL. */
const struct resolve_candidate *resolve_runs(const struct resolve *r);
/* Its path, or NULL. */
const char *resolve_winner(const struct resolve *r);
void resolve_done(struct resolve *r);

/* Is the file at path the installed stub, or does it carry the stub's ELF
 * note (identity.h)? */
bool resolve_is_stub(const char *path);

/* The cap and CPU, one line for people. */
void resolve_print_plan(const struct resolve *r, FILE *f);
