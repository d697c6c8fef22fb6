/* SPDX-License-Identifier: MIT */
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>

#include "dl.h"

int hwcaps_dl_open(void **handle, const char *soname, const struct hwcaps_dl_sym *syms, size_t n,
                   const char **error) {
        static char msg[512];
        void *h = *handle;
        const char *e;

        if (h)
                return 0;
        h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
        if (!h) {
                e = dlerror();
                snprintf(msg, sizeof msg, "%s%s", e ? e : "cannot open ", e ? "" : soname);
                *error = msg;
                return -ENOENT;
        }
        /* Resolve all first, set none until all resolved: a library of the
         * wrong version must not leave half a table behind. */
        void *fn[n ? n : 1];
        for (size_t i = 0; i < n; i++) {
                fn[i] = dlsym(h, syms[i].name);
                if (!fn[i]) {
                        snprintf(msg, sizeof msg, "%s: no symbol %s", soname, syms[i].name);
                        *error = msg;
                        dlclose(h);
                        return -ENOSYS;
                }
        }
        for (size_t i = 0; i < n; i++)
                *syms[i].fn = fn[i];
        *handle = h;
        return 0;
}
