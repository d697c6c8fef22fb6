/* SPDX-License-Identifier: MIT */
/* GLIBC_TUNABLES, as far as it decides x86-64 levels: the glibc.cpu.hwcaps
 * "-FEATURE" masks. Pure and freestanding (the static stub uses it), so the
 * stub, the CLI and the dynamic linker agree on which level a process gets. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "level.h"

struct hwcaps_tunables {
        hwcaps_mask disabled;  /* features glibc turns off */
        bool osxsave_disabled; /* -OSXSAVE: no AVX or AVX-512 register state */
        bool set;              /* some glibc.cpu.hwcaps= was seen */
};

/* Finds the glibc.cpu.hwcaps value in one GLIBC_TUNABLES string (the part
 * after "GLIBC_TUNABLES="), the way glibc 2.36's parse_tunables() does: a
 * later assignment replaces an earlier one. Returns true and the value (not
 * NUL-terminated) when there is one. */
bool hwcaps_tunables_find_hwcaps(const char *s, const char **ret_value, size_t *ret_len);

/* Parses a glibc.cpu.hwcaps value ("-AVX2,-AVX512F,...") into *ret, keeping
 * only the names glibc 2.36 acts on (see tunables.c). */
void hwcaps_tunables_parse_hwcaps(const char *value, size_t n, struct hwcaps_tunables *ret);

/* All GLIBC_TUNABLES entries of envp in order, as glibc's __tunables_init()
 * reads them. With secure (AT_SECURE) the result is empty: glibc.cpu.hwcaps
 * is an SXID_ERASE tunable. */
void hwcaps_tunables_from_env(char *const *envp, bool secure, struct hwcaps_tunables *ret);

/* Applies the masks to a view: usable &= ~disabled. */
void hwcaps_tunables_apply(const struct hwcaps_tunables *t, struct hwcaps_view *v);
