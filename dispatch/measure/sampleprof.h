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

/* What clang said it applied of one function's samples: the warning
 * "FILE:LINE: A of B available profile samples (P%) were applied" that
 * -mllvm -sample-profile-check-sample-coverage=101 prints for every
 * function of the profile it compiled (LLVM's SampleCoverageTracker; FILE
 * and LINE are where the function starts). */
struct sample_coverage {
        char *file;
        unsigned line;
        uint64_t applied;
        uint64_t available;
};

/* Every such warning in log (a build log), those of one FILE:LINE added up
 * (a function compiled in several objects), sorted by samples lost
 * (available - applied), most first. Other lines are skipped. Returns 0 or
 * -ENOMEM; *n may be 0. */
int sampleprof_parse_coverage(const char *log, struct sample_coverage **ret, size_t *n);
void sampleprof_coverage_free(struct sample_coverage *c, size_t n);

/* The name of the C or C++ function whose definition starts on this source
 * line: the identifier before its first '(' ("static int work(int n) {"
 * -> "work"), or NULL when there is none (or no memory). */
char *sampleprof_function_on_line(const char *line);
