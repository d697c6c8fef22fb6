/* SPDX-License-Identifier: MIT */
#include "bytes.h"
#include "layout.h"

size_t hwcaps_candidate_path(const char *path, enum hwcaps_level level, char *buf, size_t size) {
        static const char sub[] = HWCAPS_SUBDIR "/";
        const char *name = hwcaps_level_name(level);
        size_t slash = 0, n = 0, len = hwcaps_str_len(path);

        if (!name)
                return 0;
        for (size_t i = 0; i < len; i++)
                if (path[i] == '/')
                        slash = i + 1; /* length of "DIR/" */
        if (slash + sizeof(sub) - 1 + hwcaps_str_len(name) + 1 + (len - slash) + 1 > size)
                return 0;
        for (size_t i = 0; i < slash; i++)
                buf[n++] = path[i];
        for (size_t i = 0; sub[i]; i++)
                buf[n++] = sub[i];
        for (size_t i = 0; name[i]; i++)
                buf[n++] = name[i];
        buf[n++] = '/';
        for (size_t i = slash; i < len; i++)
                buf[n++] = path[i];
        buf[n] = '\0';
        return n;
}

int hwcaps_path_candidate_level(const char *path) {
        static const char sub[] = HWCAPS_SUBDIR "/x86-64-v";
        size_t len = hwcaps_str_len(path), end = len, s = sizeof(sub) - 1;
        int level;

        /* Find "DIR/" of "DIR/NAME", then check that DIR ends in
         * "glibc-hwcaps/x86-64-vN". */
        while (end > 0 && path[end - 1] != '/')
                end--;
        if (end < s + 2)
                return 0;
        level = path[end - 2] - '0';
        if (level < HWCAPS_LEVEL_V1 || level > HWCAPS_LEVEL_MAX)
                return 0;
        for (size_t i = 0; i < s; i++)
                if (path[end - 2 - s + i] != sub[i])
                        return 0;
        if (end - 2 - s > 0 && path[end - 3 - s] != '/')
                return 0;
        return level;
}
