/* SPDX-License-Identifier: MIT */
/* Which program a dispatch stub stands for: the one identity rule, shared
 * by the stub and "hwcaps which/exec". Freestanding (sys.h).
 *
 * - Under AT_SECURE with a stub file that grants privilege (setuid, setgid,
 *   file capabilities) only the kernel is believed: the stub's own file,
 *   /proc/self/exe. The caller chooses AT_EXECFN and argv (a link in their
 *   own directory).
 * - Otherwise the path execve() was given (AT_EXECFN; argv[0] when the stub
 *   is the interpreter of a "#!" script), then symbolic links are followed
 *   to the stub: the program is the last link before it, so aliases
 *   (python3 -> python3.11 -> stub) and alternatives chains dispatch to the
 *   variants of the name the package installed; a copy of the stub
 *   installed under a program's name is that program, links to it too.
 * - Started through a file descriptor (fexecve(), execveat() with
 *   AT_EMPTY_PATH) the kernel names only "/dev/fd/N": no identity. */
#pragma once

/* The mark of the dispatch stub's file: an ELF note named "hwcaps" of type
 * 1 in a PT_NOTE segment (stub.c writes it, elf-note.c finds it), so
 * "hwcaps which" knows a copy of the stub. A note, not bytes anywhere in
 * the file: the hwcaps command holds these names too, and is no stub. */
#define HWCAPS_STUB_NOTE_NAME "hwcaps"
#define HWCAPS_STUB_NOTE_TYPE 1

#include <stdbool.h>
#include <stddef.h>

#include "sys.h"
#include "trust.h"

enum hwcaps_identity_error {
        HWCAPS_IDENTITY_OK,
        HWCAPS_IDENTITY_NONE,     /* no AT_EXECFN and no argv[0] */
        HWCAPS_IDENTITY_FD,       /* started as /dev/fd/N */
        HWCAPS_IDENTITY_OWN_NAME, /* run as hwcaps-dispatch itself */
        HWCAPS_IDENTITY_NO_PROC,  /* AT_SECURE and /proc/self/exe unreadable */
        HWCAPS_IDENTITY_TOO_LONG,
};

struct hwcaps_identity_in {
        const char *execfn;  /* AT_EXECFN, or NULL */
        char *const *argv;
        long argc;
        bool secure;         /* AT_SECURE */
        /* NULL: "/". Else execfn is a path below this root, and the links
         * to the stub are read below it, absolute targets too ("hwcaps
         * which --root"). */
        const struct hwcaps_trust_root *root;
};

/* Sets *ret to the absolute path DIR/NAME of the program: in->execfn itself
 * when that is it, else written into buf. *self gets the stub's own identity
 * (dev, ino) and *have_self whether it is known. Returns an enum
 * hwcaps_identity_error. */
int hwcaps_identity(const struct hwcaps_identity_in *in, char *buf, size_t size,
                    struct hwcaps_stat *self, bool *have_self, const char **ret);

const char *hwcaps_identity_error_text(int e);
