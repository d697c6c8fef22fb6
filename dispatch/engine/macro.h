/* SPDX-License-Identifier: MIT */
/* Small helpers in the style of systemd's macro.h: cleanup attributes so that
 * every early return frees what it should. */
#pragma once

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define _cleanup_(f) __attribute__((cleanup(f)))

static inline void freep(void *p) {
        free(*(void **) p);
}
static inline void fclosep(FILE **f) {
        if (*f)
                fclose(*f);
}
static inline void closep(int *fd) {
        if (*fd >= 0)
                close(*fd);
}
static inline void closedirp(DIR **d) {
        if (*d)
                closedir(*d);
}

#define _cleanup_free_ _cleanup_(freep)
#define _cleanup_fclose_ _cleanup_(fclosep)
#define _cleanup_close_ _cleanup_(closep)
#define _cleanup_closedir_ _cleanup_(closedirp)

#define ELEMENTSOF(x) (sizeof(x) / sizeof((x)[0]))

/* Hands a cleanup-owned pointer over: returns it and leaves NULL behind. */
#define TAKE_PTR(p) ({ __typeof__(p) _p = (p); (p) = NULL; _p; })

static inline int negative_errno(void) {
        return errno > 0 ? -errno : -EIO;
}
