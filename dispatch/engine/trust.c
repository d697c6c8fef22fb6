/* SPDX-License-Identifier: MIT */
#include <errno.h>

#include "bytes.h"
#include "trust.h"

#define LINKS_MAX 40 /* the kernel's MAXSYMLINKS */

static bool is_type(const struct hwcaps_stat *st, unsigned type) {
        return (st->mode & HWCAPS_S_IFMT) == type;
}

/* The rule itself, for one directory or file on the way. */
static enum hwcaps_trust_reason judge(const struct hwcaps_stat *st) {
        if (st->uid != 0)
                return HWCAPS_UNSAFE_OWNER;
        if (st->mode & 022)
                return HWCAPS_UNSAFE_WRITABLE;
        if (is_type(st, HWCAPS_S_IFDIR) && (st->mode & HWCAPS_S_ISVTX))
                return HWCAPS_UNSAFE_STICKY;
        return HWCAPS_UNSAFE_NONE;
}

const char *hwcaps_trust_reason_text(enum hwcaps_trust_reason r) {
        switch (r) {
        case HWCAPS_UNSAFE_OWNER:    return "is not owned by root";
        case HWCAPS_UNSAFE_WRITABLE: return "is writable by group or others";
        case HWCAPS_UNSAFE_STICKY:   return "is a sticky directory";
        case HWCAPS_UNSAFE_LOOP:     return "has too many symbolic links";
        case HWCAPS_UNSAFE_TOO_LONG: return "is too long after following symbolic links";
        case HWCAPS_UNSAFE_NOT_DIR:  return "is not a directory";
        case HWCAPS_UNSAFE_NOT_FILE: return "is not a regular file";
        case HWCAPS_UNSAFE_ERROR:    return "cannot be examined";
        default:                     return "is safe";
        }
}

enum hwcaps_trust_verdict hwcaps_trust_root_open(const char *root, struct hwcaps_trust_root *ret) {
        long r;

        *ret = (struct hwcaps_trust_root) { .fd = HWCAPS_AT_FDCWD, .verdict = HWCAPS_TRUST_UNSAFE,
                                            .reason = HWCAPS_UNSAFE_ERROR };
        if (root && root[0] && !(root[0] == '/' && root[1] == '\0')) {
                long fd = hwcaps_sys_openat(HWCAPS_AT_FDCWD, root,
                                            HWCAPS_O_PATH | HWCAPS_O_DIRECTORY | HWCAPS_O_CLOEXEC);

                if (fd < 0) {
                        ret->fd = -1;
                        if (fd == -ENOENT || fd == -ENOTDIR)
                                ret->verdict = HWCAPS_TRUST_MISSING;
                        return ret->verdict;
                }
                ret->fd = (int) fd;
                r = hwcaps_sys_fstatat(ret->fd, "", &ret->st, HWCAPS_AT_EMPTY_PATH);
        } else
                r = hwcaps_sys_fstatat(HWCAPS_AT_FDCWD, "/", &ret->st, 0);
        if (r < 0)
                return ret->verdict;
        ret->reason = judge(&ret->st);
        ret->verdict = ret->reason == HWCAPS_UNSAFE_NONE ? HWCAPS_TRUST_SAFE : HWCAPS_TRUST_UNSAFE;
        return ret->verdict;
}

void hwcaps_trust_root_close(struct hwcaps_trust_root *r) {
        if (r->fd >= 0)
                (void) hwcaps_sys_close(r->fd);
        r->fd = -1;
}

struct walk {
        const char *todo;             /* what is left to resolve: the path given, or spliced */
        unsigned long pos, len;
        struct hwcaps_trust *t;
        unsigned long wlen;           /* length of t->where, the real path so far */
        const struct hwcaps_trust_root *root;
        /* Last, so the fields above share a stack page: after a symbolic
         * link, the rest of the path. */
        char spliced[HWCAPS_TRUST_PATH];
};

static enum hwcaps_trust_verdict finish(struct walk *w, enum hwcaps_trust_verdict v,
                                        enum hwcaps_trust_reason reason, long error) {
        w->t->verdict = v;
        w->t->reason = reason;
        w->t->error = error;
        if (w->wlen == 0) {
                w->t->where[0] = '/';
                w->t->where[1] = '\0';
        }
        return v;
}

/* Appends "/name" to the real path; false when it does not fit. */
static bool where_add(struct walk *w, const char *name, unsigned long n) {
        if (w->wlen + 1 + n >= sizeof w->t->where)
                return false;
        w->t->where[w->wlen++] = '/';
        for (unsigned long i = 0; i < n; i++)
                w->t->where[w->wlen++] = name[i];
        w->t->where[w->wlen] = '\0';
        return true;
}

static void where_up(struct walk *w) {
        while (w->wlen > 0 && w->t->where[w->wlen - 1] != '/')
                w->wlen--;
        if (w->wlen > 0)
                w->wlen--;
        w->t->where[w->wlen] = '\0';
        if (w->wlen < w->t->kept)
                w->t->kept = w->wlen;
}

/* fstatat() or readlinkat() of the real path so far, from the root. */
static const char *at_root(const struct walk *w) {
        if (w->root->fd == HWCAPS_AT_FDCWD)
                return w->t->where;        /* absolute */
        return w->t->where + 1;            /* below the sysroot's descriptor */
}

/* Reads the symbolic link the real path so far ends in, and replaces it
 * with its target: the target, "/", then what was left after the link.
 * Returns the target's length (its first byte in *absolute), 0 when it
 * cannot be read, -1 when the result is too long. A frame of its own: the
 * walk of a path without links never touches these stack pages. */
static __attribute__((noinline)) long follow(struct walk *w, bool *absolute) {
        char target[HWCAPS_TRUST_PATH], tmp[HWCAPS_TRUST_PATH];
        long k = hwcaps_sys_readlinkat(w->root->fd, at_root(w), target, sizeof target);
        unsigned long rest = w->len - w->pos, n;

        if (k <= 0 || k >= (long) sizeof target)
                return 0;
        n = (unsigned long) k;
        if (n + 1 + rest + 1 > sizeof w->spliced)
                return -1;
        for (unsigned long i = 0; i < n; i++)
                tmp[i] = target[i];
        tmp[n] = '/';
        for (unsigned long i = 0; i < rest; i++)
                tmp[n + 1 + i] = w->todo[w->pos + i];
        w->len = n + 1 + rest;
        for (unsigned long i = 0; i < w->len; i++)
                w->spliced[i] = tmp[i];
        w->spliced[w->len] = '\0';
        w->todo = w->spliced;
        w->pos = 0;
        *absolute = target[0] == '/';
        return k;
}

enum hwcaps_trust_verdict hwcaps_trust_walk(const struct hwcaps_trust_root *root, const char *at_where,
                                            const char *path, enum hwcaps_trust_want want, struct hwcaps_trust *ret) {
        struct walk w = { .t = ret, .root = root };
        unsigned links = 0;
        unsigned long n = hwcaps_str_len(path);
        struct hwcaps_stat st;
        bool leaf = false, have_st = true;

        if (at_where != ret->where) /* it may go on from its own where */
                ret->where[0] = '\0';
        ret->kept = 0;
        ret->st = root->st;
        if (root->verdict != HWCAPS_TRUST_SAFE)
                return finish(&w, root->verdict, root->reason, 0);
        if (n >= sizeof w.spliced)
                return finish(&w, HWCAPS_TRUST_UNSAFE, HWCAPS_UNSAFE_TOO_LONG, -ENAMETOOLONG);
        /* Read where it is: a copy is made only for a symbolic link (each
         * stack page first touched is a page fault, on every exec). */
        w.todo = path;
        w.len = n;
        /* A relative walk goes on from a directory an earlier walk found
         * safe: its real path, whose stat it is. */
        if (path[0] != '/' && at_where) {
                for (; at_where[w.wlen] && w.wlen + 1 < sizeof ret->where; w.wlen++)
                        ret->where[w.wlen] = at_where[w.wlen];
                while (w.wlen > 0 && ret->where[w.wlen - 1] == '/')
                        w.wlen--;
                ret->where[w.wlen] = '\0';
                ret->kept = w.wlen;
                have_st = w.wlen == 0; /* stat'ed only if nothing follows */
        }

        for (;;) {
                unsigned long s, e;
                bool last;
                long r;

                while (w.pos < w.len && w.todo[w.pos] == '/')
                        w.pos++;
                if (w.pos >= w.len)
                        break;
                s = w.pos;
                while (w.pos < w.len && w.todo[w.pos] != '/')
                        w.pos++;
                e = w.pos;
                last = true;
                for (unsigned long i = e; i < w.len; i++)
                        if (w.todo[i] != '/')
                                last = false;

                if (e - s == 1 && w.todo[s] == '.')
                        continue;
                if (e - s == 2 && w.todo[s] == '.' && w.todo[s + 1] == '.') {
                        /* Never above the root, as chase(CHASE_PREFIX_ROOT).
                         * The parent is on the real path already found safe. */
                        where_up(&w);
                        ret->st = root->st;
                        have_st = w.wlen == 0;
                        continue;
                }
                if (!where_add(&w, w.todo + s, e - s))
                        return finish(&w, HWCAPS_TRUST_UNSAFE, HWCAPS_UNSAFE_TOO_LONG, -ENAMETOOLONG);
                r = hwcaps_sys_fstatat(root->fd, at_root(&w), &st, HWCAPS_AT_SYMLINK_NOFOLLOW);
                if (r < 0) {
                        if (r == -ENOENT || r == -ENOTDIR || r == -ENAMETOOLONG)
                                return finish(&w, HWCAPS_TRUST_MISSING, HWCAPS_UNSAFE_NONE, r);
                        return finish(&w, HWCAPS_TRUST_UNSAFE, HWCAPS_UNSAFE_ERROR, r);
                }
                if (is_type(&st, HWCAPS_S_IFLNK)) {
                        bool absolute = false;
                        long k;

                        if (++links > LINKS_MAX)
                                return finish(&w, HWCAPS_TRUST_UNSAFE, HWCAPS_UNSAFE_LOOP, -ELOOP);
                        /* The link lives in a directory found safe: only
                         * root made it. Its target is walked on its own,
                         * from the link's directory. */
                        k = follow(&w, &absolute);
                        if (k == 0)
                                return finish(&w, HWCAPS_TRUST_UNSAFE, HWCAPS_UNSAFE_ERROR, -EIO);
                        if (k < 0)
                                return finish(&w, HWCAPS_TRUST_UNSAFE, HWCAPS_UNSAFE_TOO_LONG, -ENAMETOOLONG);
                        where_up(&w);
                        if (absolute) {
                                w.wlen = 0;
                                ret->kept = 0;
                                ret->where[0] = '\0';
                                ret->st = root->st;
                                have_st = true;
                        }
                        continue;
                }
                if (judge(&st) != HWCAPS_UNSAFE_NONE)
                        return finish(&w, HWCAPS_TRUST_UNSAFE, judge(&st), 0);
                ret->st = st;
                have_st = true;
                if (!is_type(&st, HWCAPS_S_IFDIR)) {
                        if (!last)
                                return finish(&w, HWCAPS_TRUST_MISSING, HWCAPS_UNSAFE_NONE, -ENOTDIR);
                        leaf = true;
                }
        }

        /* Ended where it began, or after "..": the directory reached was
         * found safe on the way; only its stat is wanted. */
        if (!have_st && hwcaps_sys_fstatat(root->fd, at_root(&w), &ret->st, HWCAPS_AT_SYMLINK_NOFOLLOW) < 0)
                return finish(&w, HWCAPS_TRUST_UNSAFE, HWCAPS_UNSAFE_ERROR, -EIO);
        if (want == HWCAPS_WANT_DIR && (leaf || !is_type(&ret->st, HWCAPS_S_IFDIR)))
                return finish(&w, HWCAPS_TRUST_UNSAFE, HWCAPS_UNSAFE_NOT_DIR, 0);
        if (want == HWCAPS_WANT_FILE && !is_type(&ret->st, HWCAPS_S_IFREG))
                return finish(&w, HWCAPS_TRUST_UNSAFE, HWCAPS_UNSAFE_NOT_FILE, 0);
        return finish(&w, HWCAPS_TRUST_SAFE, HWCAPS_UNSAFE_NONE, 0);
}
