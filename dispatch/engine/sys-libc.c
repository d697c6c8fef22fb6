/* SPDX-License-Identifier: MIT */
/* sys.h for programs with libc. */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "sys.h"

_Static_assert(HWCAPS_O_PATH == O_PATH && HWCAPS_O_NOFOLLOW == O_NOFOLLOW &&
               HWCAPS_O_CLOEXEC == O_CLOEXEC && HWCAPS_O_DIRECTORY == O_DIRECTORY && HWCAPS_O_NONBLOCK == O_NONBLOCK &&
               HWCAPS_AT_FDCWD == AT_FDCWD && HWCAPS_AT_EMPTY_PATH == AT_EMPTY_PATH &&
               HWCAPS_AT_SYMLINK_NOFOLLOW == AT_SYMLINK_NOFOLLOW &&
               HWCAPS_S_IFLNK == S_IFLNK && HWCAPS_S_ISVTX == S_ISVTX,
               "sys.h constants differ from libc's");

static long ret(long r) {
        return r < 0 ? -errno : r;
}

long hwcaps_sys_openat(int dirfd, const char *path, int flags) {
        return ret(openat(dirfd, path, flags));
}

long hwcaps_sys_fstatat(int dirfd, const char *path, struct hwcaps_stat *st, int flags) {
        struct stat s;

        if (fstatat(dirfd, path, &s, flags) < 0)
                return -errno;
        *st = (struct hwcaps_stat) { s.st_dev, s.st_ino, s.st_mode, s.st_uid, s.st_size };
        return 0;
}

long hwcaps_sys_readlinkat(int dirfd, const char *path, char *buf, unsigned long size) {
        return ret(readlinkat(dirfd, path, buf, size));
}

long hwcaps_sys_read(int fd, void *buf, unsigned long n) {
        return ret(read(fd, buf, n));
}

long hwcaps_sys_close(int fd) {
        return ret(close(fd));
}

long hwcaps_sys_getcwd(char *buf, unsigned long size) {
        /* The system call, not getcwd(3): the same answer the stub gets
         * (it fails rather than return "(unreachable)/..."). */
        return ret(syscall(SYS_getcwd, buf, size));
}

long hwcaps_sys_getxattr_size(const char *path, const char *name) {
        return ret(getxattr(path, name, NULL, 0));
}
