/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "macro.h"
#include "stats.h"

static int cmp_double(const void *a, const void *b) {
        double x = *(const double *) a, y = *(const double *) b;
        return (x > y) - (x < y);
}

/* Type 7 on an already sorted array. */
static double quantile_sorted(const double *s, size_t n, double q) {
        if (n == 0)
                return NAN;
        if (q <= 0)
                return s[0];
        if (q >= 1)
                return s[n - 1];
        double h = (double) (n - 1) * q;
        size_t lo = (size_t) h;
        if (lo + 1 >= n)
                return s[n - 1];
        return s[lo] + (h - (double) lo) * (s[lo + 1] - s[lo]);
}

static double *sorted_copy(const double *v, size_t n) {
        double *s = malloc((n ? n : 1) * sizeof(double));
        if (!s)
                return NULL;
        if (n)
                memcpy(s, v, n * sizeof(double));
        qsort(s, n, sizeof(double), cmp_double);
        return s;
}

double stats_quantile(const double *v, size_t n, double q) {
        _cleanup_free_ double *s = sorted_copy(v, n);
        if (!s)
                return NAN;
        return quantile_sorted(s, n, q);
}

int stats_summarize(const double *v, size_t n, struct stats *ret) {
        _cleanup_free_ double *s = sorted_copy(v, n);
        if (!s)
                return -ENOMEM;
        *ret = (struct stats) {
                .n = n,
                .min = n ? s[0] : NAN,
                .q1 = quantile_sorted(s, n, 0.25),
                .median = quantile_sorted(s, n, 0.5),
                .q3 = quantile_sorted(s, n, 0.75),
                .max = n ? s[n - 1] : NAN,
        };
        return 0;
}

int stats_speedup(const double *base, const double *var, size_t n, struct speedup *ret) {
        _cleanup_free_ double *ratio = malloc((n ? n : 1) * sizeof(double));
        size_t k = 0;

        if (!ratio)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++)
                if (var[i] > 0 && base[i] >= 0)
                        ratio[k++] = base[i] / var[i];
        if (k == 0)
                return -EINVAL;

        double mb = stats_quantile(base, n, 0.5), mv = stats_quantile(var, n, 0.5);
        if (!(mv > 0))
                return -EINVAL;
        qsort(ratio, k, sizeof(double), cmp_double);
        *ret = (struct speedup) {
                .value = mb / mv,
                .q1 = quantile_sorted(ratio, k, 0.25),
                .q3 = quantile_sorted(ratio, k, 0.75),
        };
        return 0;
}

/* The interval for the median of the per-round ratios is the classic
 * distribution-free one from order statistics (the interval of the sign
 * test; Conover, "Practical Nonparametric Statistics", the interval for a
 * quantile), not a bootstrap: its coverage holds exactly for any
 * continuous distribution at every n, where a bootstrap of the median is
 * unreliable at the 6 to 20 rounds a benchmark runs (it resamples a
 * handful of values and its interval jumps between them); it needs no
 * random numbers, so the same times always give the same report and the
 * unit tests can check it against published tables; and it costs a sort.
 * Its price is that coverage moves in steps (n = 10 at 0.95 gives 0.979),
 * so the exact coverage is reported beside the confidence asked for. */
size_t stats_median_ci_rank(size_t n, double confidence, double *ret_coverage) {
        /* Floating-point slack, so that a confidence exactly on a step
         * (0.96875 at n = 6) counts as reached. */
        const double alpha = 1 - confidence + 1e-12;
        double logp = -(double) n * M_LN2, cdf = 0, coverage = NAN;
        size_t k = 0;

        if (!(confidence > 0 && confidence < 1))
                n = 0;
        /* P(B <= j) term by term in log space: 0.5^n underflows above
         * n = 1074, the sum it starts does not. */
        for (size_t j = 0; 2 * (j + 1) <= n; j++) {
                cdf += exp(logp);
                if (2 * cdf > alpha)
                        break;
                k = j + 1;
                coverage = 1 - 2 * cdf;
                logp += log((double) (n - j)) - log((double) (j + 1));
        }
        if (ret_coverage)
                *ret_coverage = coverage;
        return k;
}

size_t stats_median_ci_min_rounds(double confidence) {
        if (!(confidence > 0 && confidence < 1))
                return 0;
        /* 2 * 0.5^n <= 1 - confidence holds by n = 55 for any double below 1. */
        for (size_t n = 1;; n++)
                if (stats_median_ci_rank(n, confidence, NULL) > 0)
                        return n;
}

const char *stats_verdict_name(enum stats_verdict v) {
        static const char *const names[] = {
                [STATS_TOO_FEW] = "too few rounds",
                [STATS_NO_DIFFERENCE] = "no difference",
                [STATS_FASTER] = "faster",
                [STATS_SLOWER] = "slower",
        };
        return (size_t) v < ELEMENTSOF(names) ? names[v] : "?";
}

enum stats_verdict stats_verdict_of(double low, double high) {
        if (isnan(low) || isnan(high))
                return STATS_TOO_FEW;
        if (low > 1)
                return STATS_FASTER;
        if (high < 1)
                return STATS_SLOWER;
        return STATS_NO_DIFFERENCE;
}

int stats_ratio_ci(const double *ref, const double *var, size_t n, double confidence, struct ratio_ci *ret) {
        _cleanup_free_ double *ratio = malloc((n ? n : 1) * sizeof(double));
        size_t m = 0, k;
        double coverage;

        if (!ratio)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++)
                if (ref[i] > 0 && var[i] > 0)
                        ratio[m++] = ref[i] / var[i];
        qsort(ratio, m, sizeof(double), cmp_double);
        k = stats_median_ci_rank(m, confidence, &coverage);
        *ret = (struct ratio_ci) {
                .n = m,
                .ratio = quantile_sorted(ratio, m, 0.5),
                .low = k ? ratio[k - 1] : NAN,
                .high = k ? ratio[m - k] : NAN,
                .coverage = coverage,
        };
        ret->verdict = stats_verdict_of(ret->low, ret->high);
        return 0;
}

size_t stats_round_order(unsigned long r, size_t n, size_t k) {
        size_t first = r % n;

        return (r / n) % 2 ? (first + n - k % n) % n : (first + k) % n;
}
