/* SPDX-License-Identifier: MIT */
#include <criterion/criterion.h>
#include <errno.h>
#include <math.h>
#include <stdbool.h>

#include "macro.h"
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

/* Order-statistic intervals for the median: the ranks from the binomial
 * with p = 1/2 (tabled e.g. in Conover, "Practical Nonparametric
 * Statistics", with the interval for a quantile), and the exact coverage 1 - 2 P(B <= k - 1) worked out by
 * hand: n = 10: P(B <= 1) = 11/1024; n = 20: P(B <= 5) = 21700/2^20. */
Test(stats, median_interval_ranks_at_95_percent_match_the_binomial_table) {
        static const struct { size_t n, k; double coverage; } t[] = {
                { 5, 0, NAN },
                { 6, 1, 1 - 2.0 / 64 },
                { 8, 1, 1 - 2.0 / 256 },
                { 9, 2, 1 - 2 * 10.0 / 512 },
                { 10, 2, 1 - 2 * 11.0 / 1024 },
                { 20, 6, 1 - 2 * 21700.0 / 1048576 },
                { 30, 10, NAN },
                { 100, 40, NAN },
        };
        for (size_t i = 0; i < ELEMENTSOF(t); i++) {
                double c;
                cr_expect_eq(stats_median_ci_rank(t[i].n, 0.95, &c), t[i].k, "n = %zu", t[i].n);
                if (t[i].k == 0)
                        cr_expect(isnan(c), "n = %zu: coverage %g without an interval", t[i].n, c);
                else if (!isnan(t[i].coverage))
                        cr_expect_float_eq(c, t[i].coverage, 1e-12, "n = %zu", t[i].n);
                if (t[i].k)
                        cr_expect_geq(c, 0.95, "n = %zu", t[i].n);
        }
}

Test(stats, median_interval_ranks_at_99_percent_match_the_binomial_table) {
        static const struct { size_t n, k; } t[] = {
                { 7, 0 }, { 8, 1 }, { 10, 1 }, { 11, 1 }, { 12, 2 }, { 20, 4 }, { 30, 8 },
        };
        for (size_t i = 0; i < ELEMENTSOF(t); i++)
                cr_expect_eq(stats_median_ci_rank(t[i].n, 0.99, NULL), t[i].k, "n = %zu", t[i].n);
}

Test(stats, fewest_rounds_for_an_interval) {
        cr_expect_eq(stats_median_ci_min_rounds(0.95), 6);
        cr_expect_eq(stats_median_ci_min_rounds(0.99), 8);
        cr_expect_eq(stats_median_ci_min_rounds(0.9), 5);
        cr_expect_eq(stats_median_ci_min_rounds(0.5), 2);
        cr_expect_eq(stats_median_ci_min_rounds(1), 0);
        cr_expect_eq(stats_median_ci_min_rounds(0), 0);
        cr_expect_eq(stats_median_ci_min_rounds(NAN), 0);
}

Test(stats, a_confidence_exactly_on_a_step_is_reached) {
        /* n = 6, k = 1 covers exactly 1 - 2/64 = 0.96875. */
        cr_expect_eq(stats_median_ci_rank(6, 0.96875, NULL), 1);
        cr_expect_eq(stats_median_ci_rank(6, 0.96876, NULL), 0);
}

Test(stats, many_rounds_do_not_underflow) {
        double c;
        /* 0.5^2000 is 0 in a double; the normal approximation puts k near
         * 1000 - 1.96 * sqrt(2000) / 2 = 956. */
        size_t k = stats_median_ci_rank(2000, 0.95, &c);
        cr_expect(k >= 950 && k <= 960, "k = %zu", k);
        cr_expect(c >= 0.95 && c < 0.96, "coverage %g", c);
}

Test(stats, ratio_interval_of_ten_rounds_is_the_second_and_ninth_ratio) {
        /* ratios ref/var: 1.1 .. 2.0 in shuffled rounds */
        double ref[] = { 1.5, 2.0, 1.1, 1.9, 1.3, 1.7, 1.2, 1.8, 1.4, 1.6 };
        double var[] = { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 };
        struct ratio_ci r;
        cr_assert_eq(stats_ratio_ci(ref, var, 10, 0.95, &r), 0);
        cr_expect_eq(r.n, 10);
        cr_expect_float_eq(r.ratio, 1.55, EPS);
        cr_expect_float_eq(r.low, 1.2, EPS);
        cr_expect_float_eq(r.high, 1.9, EPS);
        cr_expect_float_eq(r.coverage, 1 - 22.0 / 1024, EPS);
        cr_expect_eq(r.verdict, STATS_FASTER);
        cr_expect_str_eq(stats_verdict_name(r.verdict), "faster");
}

Test(stats, ratio_interval_of_twenty_rounds_is_the_sixth_and_fifteenth_ratio) {
        double ref[20], var[20];
        for (size_t i = 0; i < 20; i++) {
                /* ratios 0.81 .. 1.00 in steps of 0.01, order scrambled */
                ref[i] = 0.81 + 0.01 * (double) ((i * 7) % 20);
                var[i] = 1;
        }
        struct ratio_ci r;
        cr_assert_eq(stats_ratio_ci(ref, var, 20, 0.95, &r), 0);
        cr_expect_float_eq(r.low, 0.86, 1e-9);
        cr_expect_float_eq(r.high, 0.95, 1e-9);
        cr_expect_eq(r.verdict, STATS_SLOWER);
}

Test(stats, an_interval_holding_one_is_no_difference) {
        cr_expect_eq(stats_verdict_of(0.9, 1.1), STATS_NO_DIFFERENCE);
        cr_expect_eq(stats_verdict_of(1.0, 1.1), STATS_NO_DIFFERENCE);
        cr_expect_eq(stats_verdict_of(0.9, 1.0), STATS_NO_DIFFERENCE);
        cr_expect_eq(stats_verdict_of(1.0, 1.0), STATS_NO_DIFFERENCE);
        cr_expect_eq(stats_verdict_of(1.0001, 1.1), STATS_FASTER);
        cr_expect_eq(stats_verdict_of(0.9, 0.9999), STATS_SLOWER);
        cr_expect_eq(stats_verdict_of(NAN, NAN), STATS_TOO_FEW);
        cr_expect_str_eq(stats_verdict_name(STATS_NO_DIFFERENCE), "no difference");
        cr_expect_str_eq(stats_verdict_name(STATS_TOO_FEW), "too few rounds");
}

Test(stats, median_ratio_above_one_with_an_interval_straddling_one_is_no_difference) {
        /* median 1.05, but the 2nd smallest of 10 ratios is 0.97 */
        double ref[] = { 0.90, 0.97, 1.04, 1.05, 1.05, 1.05, 1.06, 1.08, 1.10, 1.20 };
        double var[] = { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 };
        struct ratio_ci r;
        cr_assert_eq(stats_ratio_ci(ref, var, 10, 0.95, &r), 0);
        cr_expect_float_eq(r.ratio, 1.05, EPS);
        cr_expect_float_eq(r.low, 0.97, EPS);
        cr_expect_float_eq(r.high, 1.10, EPS);
        cr_expect_eq(r.verdict, STATS_NO_DIFFERENCE);
}

Test(stats, too_few_rounds_give_a_ratio_but_no_interval) {
        double ref[] = { 2, 2, 2, 2, 2 };
        double var[] = { 1, 1, 1, 1, 1 };
        struct ratio_ci r;
        cr_assert_eq(stats_ratio_ci(ref, var, 5, 0.95, &r), 0);
        cr_expect_float_eq(r.ratio, 2, EPS);
        cr_expect(isnan(r.low) && isnan(r.high) && isnan(r.coverage));
        cr_expect_eq(r.verdict, STATS_TOO_FEW);
}

Test(stats, rounds_with_a_zero_time_are_left_out_of_the_ratio) {
        /* CPU time of a tiny command can be 0: that round says nothing. */
        double ref[] = { 2, 0, 2, 2, 2, 2, 2, 2 };
        double var[] = { 1, 1, 0, 1, 1, 1, 1, 1 };
        struct ratio_ci r;
        cr_assert_eq(stats_ratio_ci(ref, var, 8, 0.95, &r), 0);
        cr_expect_eq(r.n, 6);
        cr_expect_float_eq(r.ratio, 2, EPS);
        cr_expect_float_eq(r.low, 2, EPS);
        cr_expect_eq(r.verdict, STATS_FASTER);
        cr_assert_eq(stats_ratio_ci(ref, var, 0, 0.95, &r), 0);
        cr_expect(isnan(r.ratio));
        cr_expect_eq(r.verdict, STATS_TOO_FEW);
}

Test(stats, round_order_runs_each_build_once_a_round_and_in_every_position) {
        for (size_t n = 1; n <= 5; n++) {
                unsigned pos[5][5] = {}, after[5][5] = {};
                for (unsigned long r = 0; r < 2 * n; r++) {
                        bool seen[5] = {};
                        for (size_t k = 0; k < n; k++) {
                                size_t v = stats_round_order(r, n, k);
                                cr_assert_lt(v, n);
                                cr_expect(!seen[v], "n %zu round %lu runs %zu twice", n, r, v);
                                seen[v] = true;
                                pos[v][k]++;
                                if (k)
                                        after[v][stats_round_order(r, n, k - 1)]++;
                        }
                }
                for (size_t v = 0; v < n; v++)
                        for (size_t k = 0; k < n; k++) {
                                cr_expect_eq(pos[v][k], 2, "n %zu: build %zu in position %zu", n, v, k);
                                /* over two cycles a build follows the one before it in
                                 * the list and the one after it: with three, every other */
                                if (v != k && (k + 1) % n == v % n)
                                        cr_expect_gt(after[v][k], 0, "n %zu: %zu never after %zu", n, v, k);
                                if (v != k && (v + 1) % n == k % n)
                                        cr_expect_gt(after[v][k], 0, "n %zu: %zu never after %zu", n, v, k);
                        }
        }
}
