/* SPDX-License-Identifier: MIT */
/* Heavy shared libraries, opened on first use. Most hwcaps commands
 * (level, path, which, exec) need neither librpm nor libsystemd; linking
 * them made every start load and relocate 18 libraries (2.2 ms against
 * 1.1 ms for /bin/true). A command that needs one opens it with
 * hwcaps_dl_open() and calls through sym_ pointers (systemd's convention).
 * Out of memory inside dlopen(), glibc ends the process (status 127,
 * "cannot allocate memory for thread-local data"): both libraries have
 * TLS. Linked, they would have failed the start the same way. */
#pragma once

#include <stddef.h>

struct hwcaps_dl_sym {
        const char *name;
        void **fn;
};

/* static __typeof__(f) *sym_f; and its table entry. */
#define HWCAPS_DL_DECLARE(f) static __typeof__(f) *sym_##f
#define HWCAPS_DL_SYM(f) { #f, (void **) &sym_##f }

/* Opens soname (once: *handle keeps it) and resolves every symbol of syms.
 * Returns 0, or -ENOENT / -ENOSYS with *error (a static buffer) saying
 * which library or symbol is missing; then no pointer is set. */
int hwcaps_dl_open(void **handle, const char *soname, const struct hwcaps_dl_sym *syms, size_t n,
                   const char **error);
