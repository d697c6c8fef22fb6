/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "escape.h"
#include "fileio.h"
#include "macro.h"

int hwcaps_read_file(const char *root, const char *path, size_t max, char **ret, size_t *ret_size) {
        _cleanup_close_ int fd = -1;
        _cleanup_free_ char *buf = NULL;
        char p[PATH_MAX];
        size_t n = 0, cap = 0;
        struct stat st;

        if (snprintf(p, sizeof p, "%s%s", root ? root : "", path) >= (int) sizeof p)
                return -ENAMETOOLONG;
        /* O_NONBLOCK: a FIFO planted at a config path must not stall boot. */
        fd = open(p, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd < 0)
                return negative_errno();
        if (fstat(fd, &st) < 0)
                return negative_errno();
        if (S_ISDIR(st.st_mode))
                return -EISDIR;
        /* A symlink to /dev/null masks a file (systemd convention): read as
         * empty, without reading any device. */
        if (S_ISCHR(st.st_mode)) {
                buf = strdup("");
                if (!buf)
                        return -ENOMEM;
                *ret = buf;
                buf = NULL;
                *ret_size = 0;
                return 0;
        }
        if (!S_ISREG(st.st_mode))
                return -EBADFD;
        /* /proc files report size 0, so read until EOF whatever st_size says. */
        for (;;) {
                ssize_t k;

                if (n + 1 >= cap) {
                        size_t ncap = cap ? cap * 2 : (st.st_size > 0 && (size_t) st.st_size < max ? (size_t) st.st_size + 2 : 4096);
                        char *b;

                        if (ncap > max + 2)
                                ncap = max + 2;
                        if (ncap <= cap)
                                return -EFBIG;
                        b = realloc(buf, ncap);
                        if (!b)
                                return -ENOMEM;
                        buf = b;
                        cap = ncap;
                }
                k = read(fd, buf + n, cap - n - 1);
                if (k < 0) {
                        if (errno == EINTR)
                                continue;
                        return negative_errno();
                }
                if (k == 0)
                        break;
                n += (size_t) k;
                if (n > max)
                        return -EFBIG;
        }
        if (!buf) {
                buf = strdup("");
                if (!buf)
                        return -ENOMEM;
        }
        buf[n] = '\0';
        *ret = buf;
        buf = NULL;
        *ret_size = n;
        return 0;
}

const char *hwcaps_printable(const char *s, size_t n, size_t max) {
        /* Several buffers in turn, so that one message may show several
         * values: with one buffer, "unknown section [%s], \"%s\" ignored"
         * printed the same text twice, which one depending on the compiler's
         * argument evaluation order (found by the clang sanitizer build). */
        static char bufs[4][4 * (80 + 3) + 8]; /* a character begun at max may run 3 bytes on */
        static unsigned next;
        char *out = bufs[next++ % 4];
        size_t k = 0;

        if (max > 80)
                max = 80;
        /* escape.h's rule: each byte of invalid UTF-8, of a control
         * character and of a backslash as \xHH; printable UTF-8 as is. */
        for (size_t i = 0; i < n;) {
                char one[5] = { 0 }; /* s need not be NUL-terminated at n */
                uint32_t c;
                size_t len;

                memcpy(one, s + i, n - i < 4 ? n - i : 4);
                len = utf8_decode(one, &c);
                if (i >= max) {
                        memcpy(out + k, "...", 3);
                        k += 3;
                        break;
                }
                if (len == 0)
                        len = 1, c = 0; /* invalid, or a NUL: this byte alone */
                for (size_t j = 0; j < len; j++)
                        if (c == 0 || escape_needed(c))
                                k += (size_t) sprintf(out + k, "\\x%02x", (unsigned char) s[i + j]);
                        else
                                out[k++] = s[i + j];
                i += len;
        }
        out[k] = '\0';
        return out;
}
