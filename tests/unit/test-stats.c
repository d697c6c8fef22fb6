/* SPDX-License-Identifier: MIT */
#include <criterion/criterion.h>
#include <errno.h>
#include <math.h>

#include "stats.h"

#define EPS 1e-12

Test(stats, median_of_odd_count_is_the_middle_value) {
        double v[] = { 9, 1, 5 };
        cr_expect_float_eq(stats_quantile(v, 3, 0.5), 5, EPS);
}

Test(stats, median_of_even_count_is_the_mean_of_the_middle_two) {
        double v[] = { 4, 1, 3, 2 };
        cr_expect_float_eq(stats_quantile(v, 4, 0.5), 2.5, EPS);
}

Test(stats, quartiles_interpolate_between_ranks_like_r_type_7) {
        /* R: quantile(c(1,2,3,4,5,6,7,8,9,10), c(.25,.75)) = 3.25 7.75 */
        double v[] = { 10, 9, 8, 7, 6, 5, 4, 3, 2, 1 };
        struct stats s;
        cr_assert_eq(stats_summarize(v, 10, &s), 0);
        cr_expect_float_eq(s.q1, 3.25, EPS);
        cr_expect_float_eq(s.q3, 7.75, EPS);
        cr_expect_float_eq(s.min, 1, EPS);
        cr_expect_float_eq(s.max, 10, EPS);
        cr_expect_float_eq(s.median, 5.5, EPS);
        cr_expect_eq(s.n, 10);
}

Test(stats, summarize_leaves_the_input_unsorted) {
        double v[] = { 3, 1, 2 };
        struct stats s;
        cr_assert_eq(stats_summarize(v, 3, &s), 0);
        cr_expect_float_eq(v[0], 3, EPS);
        cr_expect_float_eq(v[1], 1, EPS);
        cr_expect_float_eq(v[2], 2, EPS);
}

Test(stats, single_value_is_its_own_min_median_and_max) {
        double v[] = { 0.25 };
        struct stats s;
        cr_assert_eq(stats_summarize(v, 1, &s), 0);
        cr_expect_float_eq(s.min, 0.25, EPS);
        cr_expect_float_eq(s.q1, 0.25, EPS);
        cr_expect_float_eq(s.median, 0.25, EPS);
        cr_expect_float_eq(s.max, 0.25, EPS);
}

Test(stats, empty_input_gives_nan) {
        struct stats s;
        cr_assert_eq(stats_summarize(NULL, 0, &s), 0);
        cr_expect(isnan(s.median));
        cr_expect(isnan(s.min));
        cr_expect(isnan(stats_quantile(NULL, 0, 0.5)));
}

Test(stats, speedup_is_ratio_of_medians_with_iqr_of_paired_ratios) {
        double base[] = { 60, 62, 61, 90 };  /* round 4: load hit both runs */
        double var[] = { 30, 31, 30, 45 };
        struct speedup sp;
        cr_assert_eq(stats_speedup(base, var, 4, &sp), 0);
        cr_expect_float_eq(sp.value, 61.5 / 30.5, EPS);
        /* ratios 2, 2, 61/30, 2 -> sorted 2 2 2 2.0333: q1 2, q3 2.00833 */
        cr_expect_float_eq(sp.q1, 2.0, EPS);
        cr_expect_float_eq(sp.q3, 2.0 + 0.25 * (61.0 / 30 - 2), EPS);
}

Test(stats, slower_variant_has_speedup_below_one) {
        double base[] = { 10, 10, 10 };
        double var[] = { 20, 25, 20 };
        struct speedup sp;
        cr_assert_eq(stats_speedup(base, var, 3, &sp), 0);
        cr_expect_float_eq(sp.value, 0.5, EPS);
        cr_expect_float_eq(sp.q1, 0.45, EPS);
        cr_expect_float_eq(sp.q3, 0.5, EPS);
}

Test(stats, speedup_against_zero_time_is_an_error) {
        double base[] = { 1, 1 };
        double var[] = { 0, 0 };
        struct speedup sp;
        cr_expect_eq(stats_speedup(base, var, 2, &sp), -EINVAL);
        cr_expect_eq(stats_speedup(base, var, 0, &sp), -EINVAL);
}
