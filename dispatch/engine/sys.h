/* SPDX-License-Identifier: MIT */
/* The few file system calls the freestanding decisions need (trust.c,
 * decide.c, identity.c), so that one copy of each rule serves both the
 * static stub and the libc programs. The stub defines them with raw system
 * calls (stub.c), everything else with libc (sys-libc.c). Each returns the
 * result or -errno, like the kernel. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* Linux x86-64 values (<asm-generic/fcntl.h>, <linux/stat.h>), spelled here
 * because the stub may include no libc header and libc's <fcntl.h> clashes
 * with the kernel's. */
#define HWCAPS_AT_FDCWD           (-100)
#define HWCAPS_AT_SYMLINK_NOFOLLOW 0x100
#define HWCAPS_AT_EMPTY_PATH      0x1000
#define HWCAPS_O_RDONLY           0
#define HWCAPS_O_NONBLOCK         04000
#define HWCAPS_O_DIRECTORY        0200000
#define HWCAPS_O_NOFOLLOW         0400000
#define HWCAPS_O_CLOEXEC          02000000
#define HWCAPS_O_PATH             010000000
#define HWCAPS_S_IFMT             0170000
#define HWCAPS_S_IFDIR            0040000
#define HWCAPS_S_IFREG            0100000
#define HWCAPS_S_IFLNK            0120000
#define HWCAPS_S_ISUID            04000
#define HWCAPS_S_ISGID            02000
#define HWCAPS_S_ISVTX            01000

struct hwcaps_stat {
        unsigned long dev, ino;
        unsigned mode, uid;
        long size;
};

long hwcaps_sys_openat(int dirfd, const char *path, int flags);
/* fstatat(2); flags HWCAPS_AT_SYMLINK_NOFOLLOW, HWCAPS_AT_EMPTY_PATH. */
long hwcaps_sys_fstatat(int dirfd, const char *path, struct hwcaps_stat *st, int flags);
/* readlinkat(2): the number of bytes, not NUL-terminated. */
long hwcaps_sys_readlinkat(int dirfd, const char *path, char *buf, unsigned long size);
long hwcaps_sys_read(int fd, void *buf, unsigned long n);
long hwcaps_sys_close(int fd);
/* getcwd(2): the length including the NUL. */
long hwcaps_sys_getcwd(char *buf, unsigned long size);
/* getxattr(2) with no buffer: the attribute's size, or -errno (-ENODATA). */
long hwcaps_sys_getxattr_size(const char *path, const char *name);
