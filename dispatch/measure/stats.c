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
