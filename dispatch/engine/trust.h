/* SPDX-License-Identifier: MIT */
/* The one trust rule for every directory and file hwcaps lets run (the
 * generator's PATH, the stub's variant, which/exec, status, check): walking
 * the real path component by component from the root, following each
 * symbolic link itself, every directory and the file is owned by root and
 * not writable by group or others, and no directory is sticky. systemd's
 * chase() with CHASE_SAFE is the model; this is stricter (it refuses any
 * component not owned by root, not only a change of owner on the way).
 * Freestanding (sys.h): the static stub runs the same code. */
#pragma once

#include <stdbool.h>

#include "sys.h"

#define HWCAPS_TRUST_PATH 4096 /* PATH_MAX */

enum hwcaps_trust_verdict {
        HWCAPS_TRUST_MISSING = 0, /* a component does not exist: not an error */
        HWCAPS_TRUST_SAFE = 1,
        HWCAPS_TRUST_UNSAFE = 2,  /* present, but not to be run; reason says why */
};

enum hwcaps_trust_reason {
        HWCAPS_UNSAFE_NONE,
        HWCAPS_UNSAFE_OWNER,     /* not owned by root */
        HWCAPS_UNSAFE_WRITABLE,  /* writable by group or others */
        HWCAPS_UNSAFE_STICKY,    /* a sticky directory (/tmp) */
        HWCAPS_UNSAFE_LOOP,      /* more than 40 symbolic links */
        HWCAPS_UNSAFE_TOO_LONG,  /* longer than PATH_MAX after following links */
        HWCAPS_UNSAFE_NOT_DIR,   /* the last component is not a directory */
        HWCAPS_UNSAFE_NOT_FILE,  /* the last component is not a regular file */
        HWCAPS_UNSAFE_ERROR,     /* cannot be examined (error holds -errno) */
};

enum hwcaps_trust_want {
        HWCAPS_WANT_DIR,
        HWCAPS_WANT_FILE,
};

struct hwcaps_trust {
        enum hwcaps_trust_verdict verdict;
        enum hwcaps_trust_reason reason;
        long error;              /* -errno behind MISSING or UNSAFE_ERROR, else 0 */
        struct hwcaps_stat st;   /* the last component's, when SAFE */
        unsigned long kept;      /* how much of the at_where it went on from is still where's start */
        /* The real path (below the root, without symbolic links) up to the
         * component the verdict is about: the whole path when SAFE, the
         * offending one otherwise. */
        char where[HWCAPS_TRUST_PATH];
};

/* The anchor of every walk: "/" or a sysroot (HWCAPS_ROOT), itself checked
 * like a directory on the way. */
struct hwcaps_trust_root {
        int fd;                  /* HWCAPS_AT_FDCWD for "/" */
        struct hwcaps_stat st;
        enum hwcaps_trust_verdict verdict;
        enum hwcaps_trust_reason reason;
};

/* A path below the root, given as "/proc/cmdline", for the *at() calls
 * with root->fd. */
static inline const char *hwcaps_trust_root_path(const struct hwcaps_trust_root *root, const char *abs) {
        return root->fd == HWCAPS_AT_FDCWD ? abs : abs + 1;
}

/* root: NULL or "" for "/". Returns the verdict about root itself. */
enum hwcaps_trust_verdict hwcaps_trust_root_open(const char *root, struct hwcaps_trust_root *ret);
void hwcaps_trust_root_close(struct hwcaps_trust_root *r);

/* Walks path: absolute paths (and absolute link targets) start at the root;
 * a relative one at at_where, the where of an earlier SAFE walk of a
 * directory (NULL: the root; it may be ret->where itself). ".." never leaves the root. want says what
 * the last component must be.
 *
 * One fstatat() per component, by the real path found so far: every
 * directory on it was found root's and closed to others, so only root can
 * change what the same string names later (execve() by that path included). */
enum hwcaps_trust_verdict hwcaps_trust_walk(const struct hwcaps_trust_root *root, const char *at_where,
                                            const char *path, enum hwcaps_trust_want want, struct hwcaps_trust *ret);

/* "is not owned by root" ... */
const char *hwcaps_trust_reason_text(enum hwcaps_trust_reason r);
