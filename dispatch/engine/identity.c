/* SPDX-License-Identifier: MIT */
#include <errno.h>

#include "bytes.h"
#include "identity.h"

#define LINKS_MAX 40
#define PATH_BYTES 4096

static bool same(const struct hwcaps_stat *a, const struct hwcaps_stat *b) {
        return a->dev == b->dev && a->ino == b->ino;
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
                return join(buf, size, "", 0, p, hwcaps_str_len(p));
        n = hwcaps_sys_getcwd(cwd, sizeof cwd);
        if (n <= 1 || cwd[0] != '/')
                return false;
        return join(buf, size, cwd, (size_t) n - 1 == 1 ? 0 : (size_t) n - 1, p, hwcaps_str_len(p));
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

/* Does this stub's own file grant privilege (setuid, setgid, file
 * capabilities)? Then a caller could link it from a directory of their own
 * next to a glibc-hwcaps/ of their own: only the kernel's name for it
 * counts. AT_SECURE alone is not that: a setuid program that execs a
 * dispatched program with its real and effective IDs apart gets AT_SECURE
 * too, and the path it chose is its own (the environment is still not
 * believed). Unknown counts as privileged. */
static bool privileged_self(struct hwcaps_stat *self) {
        long x;

        if (hwcaps_sys_fstatat(HWCAPS_AT_FDCWD, "/proc/self/exe", self, 0) < 0)
                return true;
        if (self->mode & (HWCAPS_S_ISUID | HWCAPS_S_ISGID))
                return true;
        x = hwcaps_sys_getxattr_size("/proc/self/exe", "security.capability");
        return x != -ENODATA && x != -EOPNOTSUPP;
}

/* An absolute path below root (NULL: "/") for the *at() calls. */
static long at_fd(const struct hwcaps_trust_root *root) {
        return root ? root->fd : HWCAPS_AT_FDCWD;
}

static const char *at_path(const struct hwcaps_trust_root *root, const char *abs) {
        return root ? hwcaps_trust_root_path(root, abs) : abs;
}

/* The basename of p. */
static const char *base_of(const char *p) {
        const char *b = p;

        for (; *p; p++)
                if (*p == '/')
                        b = p + 1;
        return b;
}

/* Follows the links from buf (absolute) as far as the last one before the
 * stub, with one readlink() each (EINVAL: not a link). The installed
 * stub's own name ends the chain without asking the file; a copy or hard
 * link of the stub installed under a program's name is that program, and
 * so are links to it. A frame of its own: the common case (one link, to
 * hwcaps-dispatch) never touches these stack pages. */
static __attribute__((noinline)) int follow_links(const struct hwcaps_trust_root *root, char *buf, size_t size) {
        char next[PATH_BYTES];

        for (int i = 0; i < LINKS_MAX; i++) {
                size_t dir = hwcaps_str_len(buf);
                long n;

                /* buf is absolute: buf[0..dir) is its directory with the
                 * slash, where a relative target starts. */
                while (dir > 0 && buf[dir - 1] != '/')
                        dir--;
                for (size_t k = 0; k < dir; k++)
                        next[k] = buf[k];
                n = hwcaps_sys_readlinkat(at_fd(root), at_path(root, buf), next + dir, sizeof next - dir - 1);
                if (n <= 0 || (size_t) n >= sizeof next - dir - 1)
                        break; /* not a link (or one too long to follow): the stub's file */
                next[dir + n] = '\0';
                if (next[dir] == '/')
                        for (long k = 0; k <= n; k++)
                                next[k] = next[dir + k];
                if (hwcaps_str_eq(base_of(next), "hwcaps-dispatch"))
                        break;
                if (!join(buf, size, "", 0, next, hwcaps_str_len(next)))
                        return HWCAPS_IDENTITY_TOO_LONG;
        }
        return HWCAPS_IDENTITY_OK;
}

int hwcaps_identity(const struct hwcaps_identity_in *in, char *buf, size_t size,
                    struct hwcaps_stat *self, bool *have_self, const char **ret) {
        const char *start = in->execfn;
        long n;

        *have_self = false;
        *ret = buf;
        if (in->secure) {
                if (privileged_self(self)) {
                        n = hwcaps_sys_readlinkat(HWCAPS_AT_FDCWD, "/proc/self/exe", buf, size - 1);
                        if (n <= 0 || (size_t) n >= size - 1 || buf[0] != '/')
                                return HWCAPS_IDENTITY_NO_PROC;
                        buf[n] = '\0';
                        *have_self = true;
                        goto own_name;
                }
                *have_self = true; /* privileged_self() stat'ed it */
        }

        /* Run as the interpreter of "#!/usr/bin/foo", AT_EXECFN names the
         * script and the kernel puts the #! path into argv[0] (and the
         * script's path, the same string as AT_EXECFN, into a later argv;
         * fs/binfmt_script.c). Only then is /proc/self/exe asked (2 to 5
         * us) whether AT_EXECFN is this binary. */
        if (start) {
                bool maybe_script = false;

                for (long i = 1; i < in->argc && !maybe_script; i++)
                        maybe_script = hwcaps_str_eq(in->argv[i], start);
                if (maybe_script && in->argc >= 1 && in->argv[0][0] &&
                    hwcaps_sys_fstatat(HWCAPS_AT_FDCWD, "/proc/self/exe", self, 0) == 0) {
                        struct hwcaps_stat st;

                        *have_self = true;
                        if (hwcaps_sys_fstatat(HWCAPS_AT_FDCWD, start, &st, 0) == 0 && !same(&st, self))
                                start = in->argv[0];
                }
        }
        if (!start) {
                if (in->argc < 1 || !in->argv[0][0])
                        return HWCAPS_IDENTITY_NONE;
                start = in->argv[0];
        }
        if (hwcaps_str_prefix(start, "/dev/fd/") || hwcaps_str_prefix(start, "/proc/self/fd/"))
                return HWCAPS_IDENTITY_FD;

        /* The common case, an absolute path that is the stub (a copy) or a
         * link straight to hwcaps-dispatch: that path is the program, read
         * where the kernel put it. */
        if (start[0] == '/') {
                char target[256];

                n = hwcaps_sys_readlinkat(at_fd(in->root), at_path(in->root, start), target, sizeof target - 1);
                if (n == -EINVAL || (n > 0 && n < (long) sizeof target - 1 &&
                                     (target[n] = '\0', hwcaps_str_eq(base_of(target), "hwcaps-dispatch")))) {
                        *ret = start;
                        if (!*have_self)
                                *have_self = hwcaps_sys_fstatat(at_fd(in->root), at_path(in->root, start), self, 0) == 0;
                        goto own_name;
                }
        }
        if (!absolute(start, buf, size))
                return HWCAPS_IDENTITY_TOO_LONG;
        if (follow_links(in->root, buf, size) != HWCAPS_IDENTITY_OK)
                return HWCAPS_IDENTITY_TOO_LONG;
        if (!*have_self)
                *have_self = hwcaps_sys_fstatat(at_fd(in->root), at_path(in->root, buf), self, 0) == 0;

own_name:
        if (hwcaps_str_eq(base_of(*ret), "hwcaps-dispatch"))
                return HWCAPS_IDENTITY_OWN_NAME;
        return HWCAPS_IDENTITY_OK;
}
