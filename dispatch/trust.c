/* SPDX-License-Identifier: MIT */
#include <errno.h>

#include "trust.h"

#define LINKS_MAX 40 /* the kernel's MAXSYMLINKS */

static unsigned long str_len(const char *s) {
        unsigned long n = 0;

        while (s[n])
                n++;
        return n;
}

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
        long fd = hwcaps_sys_openat(HWCAPS_AT_FDCWD, root && root[0] ? root : "/",
                                    HWCAPS_O_PATH | HWCAPS_O_DIRECTORY | HWCAPS_O_CLOEXEC);

        *ret = (struct hwcaps_trust_root) { .fd = -1, .verdict = HWCAPS_TRUST_UNSAFE, .reason = HWCAPS_UNSAFE_ERROR };
        if (fd < 0) {
                if (fd == -ENOENT || fd == -ENOTDIR)
                        ret->verdict = HWCAPS_TRUST_MISSING;
                return ret->verdict;
        }
        ret->fd = (int) fd;
        if (hwcaps_sys_fstatat(ret->fd, "", &ret->st, HWCAPS_AT_EMPTY_PATH) < 0)
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
        char todo[HWCAPS_TRUST_PATH]; /* what is left to resolve */
        unsigned long pos, len;
        struct hwcaps_trust *t;
        unsigned long wlen;           /* length of t->where */
        int cur;                      /* the directory reached so far */
        bool owned;                   /* cur is ours to close */
};

static void where_add(struct walk *w, const char *name, unsigned long n) {
        if (w->wlen + 1 + n >= sizeof w->t->where)
                return; /* only a message is shortened */
        w->t->where[w->wlen++] = '/';
        for (unsigned long i = 0; i < n; i++)
                w->t->where[w->wlen++] = name[i];
        w->t->where[w->wlen] = '\0';
}

static void where_up(struct walk *w) {
        while (w->wlen > 0 && w->t->where[w->wlen - 1] != '/')
                w->wlen--;
        if (w->wlen > 0)
                w->wlen--;
        w->t->where[w->wlen] = '\0';
}

static void set_cur(struct walk *w, int fd, bool owned) {
        if (w->owned)
                (void) hwcaps_sys_close(w->cur);
        w->cur = fd;
        w->owned = owned;
}

static enum hwcaps_trust_verdict finish(struct walk *w, enum hwcaps_trust_verdict v,
                                        enum hwcaps_trust_reason reason, long error) {
        w->t->verdict = v;
        w->t->reason = reason;
        w->t->error = error;
        if (w->owned && !(v == HWCAPS_TRUST_SAFE && w->t->fd == w->cur))
                (void) hwcaps_sys_close(w->cur);
        return v;
}

/* Replaces the part resolved last (a symlink) with its target: the target,
 * "/", then what was left after the link. */
static bool splice(struct walk *w, const char *target, unsigned long n) {
        unsigned long rest = w->len - w->pos;
        char tmp[HWCAPS_TRUST_PATH];

        if (n + 1 + rest + 1 > sizeof w->todo)
                return false;
        for (unsigned long i = 0; i < n; i++)
                tmp[i] = target[i];
        tmp[n] = '/';
        for (unsigned long i = 0; i < rest; i++)
                tmp[n + 1 + i] = w->todo[w->pos + i];
        w->len = n + 1 + rest;
        for (unsigned long i = 0; i < w->len; i++)
                w->todo[i] = tmp[i];
        w->todo[w->len] = '\0';
        w->pos = 0;
        return true;
}

enum hwcaps_trust_verdict hwcaps_trust_walk(const struct hwcaps_trust_root *root, int at_fd, const char *at_where,
                                            const char *path, enum hwcaps_trust_want want, struct hwcaps_trust *ret) {
        struct walk w = { .t = ret, .cur = at_fd, .owned = false };
        unsigned links = 0;
        unsigned long n = str_len(path);
        struct hwcaps_stat st, cur_st = root->st; /* the component's; cur's */

        ret->fd = -1;
        ret->where[0] = '\0';
        ret->st = (struct hwcaps_stat) { 0 };
        if (root->verdict != HWCAPS_TRUST_SAFE)
                return finish(&w, root->verdict, root->reason, 0);
        if (n >= sizeof w.todo)
                return finish(&w, HWCAPS_TRUST_UNSAFE, HWCAPS_UNSAFE_TOO_LONG, -ENAMETOOLONG);
        for (unsigned long i = 0; i <= n; i++)
                w.todo[i] = path[i];
        w.len = n;
        if (path[0] == '/' || !at_where)
                w.cur = root->fd;
        else {
                for (; at_where[w.wlen] && w.wlen + 1 < sizeof ret->where; w.wlen++)
                        ret->where[w.wlen] = at_where[w.wlen];
                while (w.wlen > 0 && ret->where[w.wlen - 1] == '/')
                        w.wlen--;
                ret->where[w.wlen] = '\0';
                if (hwcaps_sys_fstatat(at_fd, "", &cur_st, HWCAPS_AT_EMPTY_PATH) < 0)
                        return finish(&w, HWCAPS_TRUST_UNSAFE, HWCAPS_UNSAFE_ERROR, -EBADF);
        }

        for (;;) {
                char name[256];
                unsigned long s, e;
                bool last;
                long fd, r;

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
                if (e - s >= sizeof name)
                        return finish(&w, HWCAPS_TRUST_MISSING, HWCAPS_UNSAFE_NONE, -ENAMETOOLONG);
                for (unsigned long i = s; i < e; i++)
                        name[i - s] = w.todo[i];
                name[e - s] = '\0';

                if (name[0] == '.' && name[1] == '\0')
                        continue;
                if (name[0] == '.' && name[1] == '.' && name[2] == '\0') {
                        /* Never above the root, as chase(CHASE_PREFIX_ROOT). */
                        if (cur_st.dev == root->st.dev && cur_st.ino == root->st.ino)
                                continue;
                        fd = hwcaps_sys_openat(w.cur, "..", HWCAPS_O_PATH | HWCAPS_O_DIRECTORY | HWCAPS_O_CLOEXEC);
                        if (fd < 0)
                                return finish(&w, HWCAPS_TRUST_UNSAFE, HWCAPS_UNSAFE_ERROR, fd);
                        set_cur(&w, (int) fd, true);
                        where_up(&w);
                        if (hwcaps_sys_fstatat(w.cur, "", &cur_st, HWCAPS_AT_EMPTY_PATH) < 0)
                                return finish(&w, HWCAPS_TRUST_UNSAFE, HWCAPS_UNSAFE_ERROR, -EIO);
                        if (judge(&cur_st) != HWCAPS_UNSAFE_NONE)
                                return finish(&w, HWCAPS_TRUST_UNSAFE, judge(&cur_st), 0);
                        continue;
                }

                /* The last component of a file needs no descriptor: its
                 * directory is safe, so nobody but root can swap it. */
                if (last && want == HWCAPS_WANT_FILE) {
                        r = hwcaps_sys_fstatat(w.cur, name, &st, HWCAPS_AT_SYMLINK_NOFOLLOW);
                        fd = -1;
                } else {
                        fd = hwcaps_sys_openat(w.cur, name, HWCAPS_O_PATH | HWCAPS_O_NOFOLLOW | HWCAPS_O_CLOEXEC);
                        r = fd < 0 ? fd : hwcaps_sys_fstatat((int) fd, "", &st, HWCAPS_AT_EMPTY_PATH);
                }
                if (r < 0) {
                        if (fd >= 0)
                                (void) hwcaps_sys_close((int) fd);
                        where_add(&w, name, e - s);
                        if (r == -ENOENT || r == -ENOTDIR)
                                return finish(&w, HWCAPS_TRUST_MISSING, HWCAPS_UNSAFE_NONE, r);
                        return finish(&w, HWCAPS_TRUST_UNSAFE, HWCAPS_UNSAFE_ERROR, r);
                }
                if (is_type(&st, HWCAPS_S_IFLNK)) {
                        char target[HWCAPS_TRUST_PATH];
                        long k = hwcaps_sys_readlinkat(fd >= 0 ? (int) fd : w.cur, fd >= 0 ? "" : name,
                                                       target, sizeof target);

                        if (fd >= 0)
                                (void) hwcaps_sys_close((int) fd);
                        if (++links > LINKS_MAX) {
                                where_add(&w, name, e - s);
                                return finish(&w, HWCAPS_TRUST_UNSAFE, HWCAPS_UNSAFE_LOOP, -ELOOP);
                        }
                        if (k <= 0 || k >= (long) sizeof target) {
                                where_add(&w, name, e - s);
                                return finish(&w, HWCAPS_TRUST_UNSAFE, HWCAPS_UNSAFE_ERROR, k < 0 ? k : -EIO);
                        }
                        if (!splice(&w, target, (unsigned long) k))
                                return finish(&w, HWCAPS_TRUST_UNSAFE, HWCAPS_UNSAFE_TOO_LONG, -ENAMETOOLONG);
                        if (target[0] == '/') {
                                set_cur(&w, root->fd, false);
                                cur_st = root->st;
                                w.wlen = 0;
                                ret->where[0] = '\0';
                        }
                        continue;
                }
                where_add(&w, name, e - s);
                if (judge(&st) != HWCAPS_UNSAFE_NONE) {
                        if (fd >= 0)
                                (void) hwcaps_sys_close((int) fd);
                        return finish(&w, HWCAPS_TRUST_UNSAFE, judge(&st), 0);
                }
                if (last && want == HWCAPS_WANT_FILE) {
                        /* The leaf: nothing follows a file (a "/" after it
                         * made last false, and the kernel says ENOTDIR). */
                        ret->st = st;
                        if (!is_type(&st, HWCAPS_S_IFREG))
                                return finish(&w, HWCAPS_TRUST_UNSAFE, HWCAPS_UNSAFE_NOT_FILE, 0);
                        goto safe;
                }
                if (!is_type(&st, HWCAPS_S_IFDIR)) {
                        (void) hwcaps_sys_close((int) fd);
                        if (last)
                                return finish(&w, HWCAPS_TRUST_UNSAFE, HWCAPS_UNSAFE_NOT_DIR, 0);
                        return finish(&w, HWCAPS_TRUST_MISSING, HWCAPS_UNSAFE_NONE, -ENOTDIR);
                }
                set_cur(&w, (int) fd, true);
                cur_st = st;
        }

        /* The path ended in a directory (or was empty, ".", ".."): cur. */
        ret->st = cur_st;
        if (want == HWCAPS_WANT_FILE)
                return finish(&w, HWCAPS_TRUST_UNSAFE, HWCAPS_UNSAFE_NOT_FILE, 0);
        /* Hand the caller a descriptor of its own. */
        if (!w.owned) {
                long fd = hwcaps_sys_openat(w.cur, ".", HWCAPS_O_PATH | HWCAPS_O_DIRECTORY | HWCAPS_O_CLOEXEC);

                if (fd < 0)
                        return finish(&w, HWCAPS_TRUST_UNSAFE, HWCAPS_UNSAFE_ERROR, fd);
                w.cur = (int) fd;
                w.owned = true;
        }
        ret->fd = w.cur;
safe:
        if (ret->where[0] == '\0') {
                ret->where[0] = '/';
                ret->where[1] = '\0';
        }
        return finish(&w, HWCAPS_TRUST_SAFE, HWCAPS_UNSAFE_NONE, 0);
}
