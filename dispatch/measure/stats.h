/* SPDX-License-Identifier: MIT */
/* Summary statistics for hwcaps bench: pure functions over arrays of
 * samples, no I/O, so the unit tests can feed them exact numbers. */
#pragma once

#include <stddef.h>

struct stats {
        size_t n;
        double min, q1, median, q3, max;
};

/* Quantile q in [0, 1] of the n values in v, by linear interpolation
 * between closest ranks (R's default, "type 7"). v need not be sorted and is
 * left unchanged. Returns NaN when n == 0. */
double stats_quantile(const double *v, size_t n, double q);

/* min, quartiles, median and max of v; all NaN when n == 0. Returns 0, or
 * -ENOMEM. */
int stats_summarize(const double *v, size_t n, struct stats *ret);

/* The speedup of a variant against the baseline from paired rounds (round i
 * ran base[i] and var[i] back to back): the point value is
 * median(base) / median(var); the spread is the interquartile range of the
 * per-round ratios base[i] / var[i], which cancels load that hit both runs of
 * a round. Rounds where var[i] <= 0 are skipped. Returns 0, -EINVAL when no
 * usable pair is left, or -ENOMEM. */
struct speedup {
        double value;
        double q1, q3;
};
int stats_speedup(const double *base, const double *var, size_t n, struct speedup *ret);
