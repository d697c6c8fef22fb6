/* SPDX-License-Identifier: MIT */
/* PATH composition: insert the supported level directories of each PATH
 * directory immediately before it, as glibc searches a library directory's
 * glibc-hwcaps subdirectories right before the directory itself. */
#pragma once

#include <sys/types.h>

#include <stdbool.h>
#include <sys/stat.h>

#include "level.h"

/* printf-like warning sink; NULL means stay silent. */
typedef void (*hwcaps_warn_fn)(void *userdata, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

struct hwcaps_path_opts {
        const char *root;                  /* prefix for every file checked, or NULL */
        enum hwcaps_level max_level;       /* highest level to insert; below V2: none */
        const char *const *directories;    /* NULL-terminated PATH dirs that may get level
                                            * dirs; NULL: every absolute dir */
        hwcaps_warn_fn warn;
        void *userdata;
};

enum hwcaps_dir_verdict {
        HWCAPS_DIR_MISSING = 0, /* nothing there: the normal case, no warning */
        HWCAPS_DIR_SAFE = 1,
        HWCAPS_DIR_UNSAFE = 2,  /* present but not usable; *reason says why */
};

/* Is the directory dir (under the sysroot root) safe to put into PATH, by
 * the one trust rule (trust.h)? On HWCAPS_DIR_UNSAFE reason says why ("/home/u
 * is not owned by root"); on HWCAPS_DIR_SAFE, *st (when st is not NULL)
 * holds the directory's device, inode, mode and owner. */
enum hwcaps_dir_verdict hwcaps_dir_check(const char *root, const char *dir, char *reason, size_t size,
                                         struct stat *st);

/* Checks the parent "dir/glibc-hwcaps", then the level directory of dir
 * for level. Writes the path of the directory the verdict is about to buf:
 * the parent when that is missing or unsafe, else the level directory.
 * st as for hwcaps_dir_check(), about the level directory. */
enum hwcaps_dir_verdict hwcaps_level_dir_check(const char *root, const char *dir,
                                               enum hwcaps_level level,
                                               char *buf, size_t bufsize, char *reason, size_t rsize,
                                               struct stat *st);

/* Is entry "P/glibc-hwcaps/x86-64-vN" (N = 2..4)? Returns N and the length
 * of P (0 for "/"), or 0. */
int hwcaps_path_entry_level(const char *entry, size_t n, size_t *parent_len);

/* Composes the new PATH into *ret (malloc'd). Level entries whose parent is
 * in PATH are dropped and regenerated, so composing twice equals composing
 * once. Empty and relative entries keep their exact place. Returns 0 or
 * -ENOMEM. */
int hwcaps_path_compose(const char *path, const struct hwcaps_path_opts *o, char **ret);

/* The directories of systemd's default PATH, in its order (systemd 252,
 * src/basic/path-util.h DEFAULT_PATH_NORMAL; the PATH a manager gives its
 * services unless told otherwise), NULL-terminated: the program directories
 * whose level directories hwcaps manages even where no PATH at hand names
 * them (hwcaps status, hwcaps list). */
extern const char *const hwcaps_default_path_dirs[];

/* Of dirs (NULL-terminated), those where prefix DIR/glibc-hwcaps is a
 * directory, each directory once: on merged /usr /bin is /usr/bin, and
 * only the first name of the two is kept. Into ret (at most max); returns
 * how many, or -ENOMEM. */
ssize_t hwcaps_level_parents(const char *prefix, const char *const *dirs, const char **ret, size_t max);

/* DIR/glibc-hwcaps/x86-64-vN/NAME (layout.h), malloc'd, or NULL. */
char *hwcaps_variant_path(const char *dir, enum hwcaps_level level, const char *name);
