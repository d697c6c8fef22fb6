/* SPDX-License-Identifier: MIT */
#include "identity.h"

#define LINKS_MAX 40
#define PATH_BYTES 4096

static bool str_eq(const char *a, const char *b) {
        while (*a && *a == *b)
                a++, b++;
        return *a == *b;
}

static bool has_prefix(const char *s, const char *p) {
        while (*p && *s == *p)
                s++, p++;
        return *p == '\0';
}

static size_t str_len(const char *s) {
        size_t n = 0;

        while (s[n])
                n++;
        return n;
}

static bool same(const struct hwcaps_stat *a, const struct hwcaps_stat *b) {
        return a->dev == b->dev && a->ino == b->ino;
}

static bool is_link(const char *p) {
        struct hwcaps_stat st;

        return hwcaps_sys_fstatat(HWCAPS_AT_FDCWD, p, &st, HWCAPS_AT_SYMLINK_NOFOLLOW) == 0 &&
               (st.mode & HWCAPS_S_IFMT) == HWCAPS_S_IFLNK;
}

/* dir (the first dir_len bytes of some path, "" for none) + "/" + rel
 * into buf; false when it does not fit. */
static bool join(char *buf, size_t size, const char *dir, size_t dir_len, const char *rel, size_t rel_len) {
        size_t n = 0;

        if (dir_len + 1 + rel_len + 1 > size)
                return false;
        for (size_t i = 0; i < dir_len; i++)
                buf[n++] = dir[i];
        if (dir_len > 0)
                buf[n++] = '/';
        for (size_t i = 0; i < rel_len; i++)
                buf[n++] = rel[i];
        buf[n] = '\0';
        return true;
}

/* The trust walk and the candidates need the real ancestors of a relative
 * path too: it is made absolute with the working directory. */
static bool absolute(const char *p, char *buf, size_t size) {
        char cwd[PATH_BYTES];
        long n;

        if (p[0] == '/')
                return join(buf, size, "", 0, p, str_len(p));
        n = hwcaps_sys_getcwd(cwd, sizeof cwd);
        if (n <= 1 || cwd[0] != '/')
                return false;
        return join(buf, size, cwd, (size_t) n - 1 == 1 ? 0 : (size_t) n - 1, p, str_len(p));
}

const char *hwcaps_identity_error_text(int e) {
        switch (e) {
        case HWCAPS_IDENTITY_NONE:
                return "cannot tell which program to run (no AT_EXECFN and no argv[0])";
        case HWCAPS_IDENTITY_FD:
                return "started through a file descriptor (fexecve() or execveat()), which names no "
                       "program: run it by its path";
        case HWCAPS_IDENTITY_OWN_NAME:
                return "install me as a program's name (a link to me as /usr/bin/foo runs "
                       "/usr/bin/glibc-hwcaps/x86-64-vN/foo); see hwcaps-dispatch(8)";
        case HWCAPS_IDENTITY_NO_PROC:
                return "setuid or setgid, and /proc/self/exe cannot be read: the path the caller "
                       "gave is not trusted";
        case HWCAPS_IDENTITY_TOO_LONG:
                return "the program's path is too long";
        default:
                return "";
        }
}

int hwcaps_identity(const struct hwcaps_identity_in *in, char *buf, size_t size,
                    struct hwcaps_stat *self, bool *have_self) {
        char cur[PATH_BYTES], next[PATH_BYTES], target[PATH_BYTES];
        const char *start = in->execfn, *base;

        *have_self = false;
        if (in->secure) {
                long n = hwcaps_sys_readlinkat(HWCAPS_AT_FDCWD, "/proc/self/exe", buf, size - 1);

                if (n <= 0 || (size_t) n >= size - 1 || buf[0] != '/')
                        return HWCAPS_IDENTITY_NO_PROC;
                buf[n] = '\0';
                *have_self = hwcaps_sys_fstatat(HWCAPS_AT_FDCWD, "/proc/self/exe", self, 0) == 0;
                goto own_name;
        }

        /* Run as the interpreter of "#!/usr/bin/foo", AT_EXECFN names the
         * script and the kernel puts the #! path into argv[0] (and the
         * script's path, the same string as AT_EXECFN, into a later argv;
         * fs/binfmt_script.c). Only then is /proc/self/exe asked (2 to 5
         * us) whether AT_EXECFN is this binary. */
        if (start) {
                bool maybe_script = false;

                for (long i = 1; i < in->argc && !maybe_script; i++)
                        maybe_script = str_eq(in->argv[i], start);
                if (maybe_script && in->argc >= 1 && in->argv[0][0] &&
                    hwcaps_sys_fstatat(HWCAPS_AT_FDCWD, "/proc/self/exe", self, 0) == 0) {
                        struct hwcaps_stat st;

                        *have_self = true;
                        if (hwcaps_sys_fstatat(HWCAPS_AT_FDCWD, start, &st, 0) == 0 && !same(&st, self))
                                start = in->argv[0];
                } else
                        *have_self = hwcaps_sys_fstatat(HWCAPS_AT_FDCWD, start, self, 0) == 0;
        }
        if (!start) {
                if (in->argc < 1 || !in->argv[0][0])
                        return HWCAPS_IDENTITY_NONE;
                start = in->argv[0];
        }
        if (has_prefix(start, "/dev/fd/") || has_prefix(start, "/proc/self/fd/"))
                return HWCAPS_IDENTITY_FD;
        if (!absolute(start, cur, sizeof cur))
                return HWCAPS_IDENTITY_TOO_LONG;

        /* Follow the links as far as the last one before the stub. A copy
         * or hard link of the stub installed under a program's name is
         * that program, and so are links to it. */
        for (int i = 0; i < LINKS_MAX && is_link(cur); i++) {
                long n = hwcaps_sys_readlinkat(HWCAPS_AT_FDCWD, cur, target, sizeof target - 1);
                size_t dir = str_len(cur);

                if (n <= 0 || n >= (long) sizeof target - 1)
                        break;
                target[n] = '\0';
                while (dir > 0 && cur[dir - 1] != '/')
                        dir--;
                /* cur is absolute: cur[0..dir) is its directory with the
                 * slash, where a relative target starts. */
                if (target[0] == '/' ? !join(next, sizeof next, "", 0, target, (size_t) n)
                                     : dir + (size_t) n + 1 > sizeof next)
                        break;
                if (target[0] != '/') {
                        for (size_t k = 0; k < dir; k++)
                                next[k] = cur[k];
                        for (long k = 0; k <= n; k++)
                                next[dir + k] = target[k];
                }
                if (!is_link(next)) {
                        size_t b = str_len(next);

                        while (b > 0 && next[b - 1] != '/')
                                b--;
                        if (!str_eq(next + b, "hwcaps-dispatch"))
                                (void) join(cur, sizeof cur, "", 0, next, str_len(next));
                        break;
                }
                (void) join(cur, sizeof cur, "", 0, next, str_len(next));
        }
        if (!join(buf, size, "", 0, cur, str_len(cur)))
                return HWCAPS_IDENTITY_TOO_LONG;

own_name:
        base = buf;
        for (const char *q = buf; *q; q++)
                if (*q == '/')
                        base = q + 1;
        if (str_eq(base, "hwcaps-dispatch"))
                return HWCAPS_IDENTITY_OWN_NAME;
        return HWCAPS_IDENTITY_OK;
}
