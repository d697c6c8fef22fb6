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

/* Comparing builds of one program: each round ran every build once, so a
 * round gives one ratio ref[i] / var[i] per build (above 1: the build is
 * faster than the reference), and load that hit a whole round cancels in
 * it. The estimate is the median of those ratios; its interval comes from
 * order statistics (stats.c says why not the bootstrap). */

/* The interval [x(k), x(n+1-k)] of the sorted x(1) <= ... <= x(n) holds
 * the median with probability 1 - 2 P(B <= k - 1), B ~ Binomial(n, 1/2),
 * whatever the distribution. The largest k (1-based) whose coverage is at
 * least confidence, with that coverage in *ret_coverage (may be NULL); 0
 * when n is too small for any (then *ret_coverage is NaN), or confidence
 * is not in (0, 1). */
size_t stats_median_ci_rank(size_t n, double confidence, double *ret_coverage);

/* The fewest rounds with an interval at confidence: 6 at 0.95, 8 at 0.99;
 * 0 when confidence is not in (0, 1). */
size_t stats_median_ci_min_rounds(double confidence);

enum stats_verdict {
        STATS_TOO_FEW,          /* no interval: too few usable rounds */
        STATS_NO_DIFFERENCE,    /* the interval holds 1 */
        STATS_FASTER,           /* all of it above 1 */
        STATS_SLOWER,           /* all of it below 1 */
};

/* The words text and JSON output use: "too few rounds", "no difference",
 * "faster", "slower". */
const char *stats_verdict_name(enum stats_verdict v);

/* The verdict of an interval of ratios ref / var; NaN bounds: too few. */
enum stats_verdict stats_verdict_of(double low, double high);

struct ratio_ci {
        size_t n;               /* rounds used: both times > 0 */
        double ratio;           /* median of ref[i] / var[i]; NaN when n == 0 */
        double low, high;       /* the interval; NaN when too few rounds */
        double coverage;        /* its exact coverage (>= confidence); NaN likewise */
        enum stats_verdict verdict;
};

/* The median per-round ratio ref[i] / var[i] over the n rounds, with its
 * interval at confidence. A round where either time is not above 0 (a CPU
 * time too short for the kernel to count) is left out. Returns 0, or
 * -ENOMEM; too few rounds is not an error but the verdict STATS_TOO_FEW. */
int stats_ratio_ci(const double *ref, const double *var, size_t n, double confidence, struct ratio_ci *ret);

/* Which of n builds runs k-th (0-based) in round r: the order rotates by
 * one each round, and every other cycle of n rounds runs backwards, so
 * over 2n rounds each build runs twice in every position, and after the
 * build before it in the list as often as after the one after it (with
 * three or fewer builds: after every other); caches, frequency ramps and
 * the page cache then favour none. */
size_t stats_round_order(unsigned long r, size_t n, size_t k);
