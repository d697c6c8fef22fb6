/* SPDX-License-Identifier: MIT */
/* The top-level records of LLVM's text sample profile format
 * (llvm/lib/ProfileData/SampleProfReader.cpp, "function:total:head" lines,
 * body lines indented), which 'llvm-profdata merge --sample --text' prints
 * for any input format. Pure: text in, sorted records out. */
#pragma once

#include <stddef.h>
#include <stdint.h>

struct sample_func {
        char *name;       /* may be a context "[main:3 @ foo]" */
        uint64_t total;   /* samples in the function and everything inlined into it */
        uint64_t head;    /* samples at its entry */
};

/* Parse text; on success *ret holds *n records sorted by total samples,
 * highest first (ties by name), and the sum of all totals in *sum.
 * Returns 0, -EBADMSG with *bad_line set (1-based) on a malformed top-level
 * line, or -ENOMEM. */
int sampleprof_parse_text(const char *text, struct sample_func **ret, size_t *n,
                          uint64_t *sum, size_t *bad_line);
void sampleprof_free(struct sample_func *f, size_t n);
