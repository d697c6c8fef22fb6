/* SPDX-License-Identifier: MIT */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>

#include "sampleprof.h"

Test(sampleprof, top_level_records_sorted_by_total_with_bodies_skipped) {
        const char *t =
                "main:1000:10\n"
                " 1: 100\n"
                " 2: 900 compress:800 helper:100\n"
                " 3: inlined_fn:50\n"
                "  1: 50\n"
                "compress:5000:800\n"
                " 1: 4000\n";
        struct sample_func *f;
        size_t n;
        uint64_t sum;
        cr_assert_eq(sampleprof_parse_text(t, &f, &n, &sum, NULL), 0);
        cr_assert_eq(n, 2);
        cr_expect_str_eq(f[0].name, "compress");
        cr_expect_eq(f[0].total, 5000);
        cr_expect_eq(f[0].head, 800);
        cr_expect_str_eq(f[1].name, "main");
        cr_expect_eq(f[1].total, 1000);
        cr_expect_eq(f[1].head, 10);
        cr_expect_eq(sum, 6000);
        sampleprof_free(f, n);
}

Test(sampleprof, names_with_colons_split_at_the_last_two) {
        const char *t = "[main:3 @ _ZN2ns1fEv]:77:7\n";
        struct sample_func *f;
        size_t n;
        cr_assert_eq(sampleprof_parse_text(t, &f, &n, NULL, NULL), 0);
        cr_assert_eq(n, 1);
        cr_expect_str_eq(f[0].name, "[main:3 @ _ZN2ns1fEv]");
        cr_expect_eq(f[0].total, 77);
        cr_expect_eq(f[0].head, 7);
        sampleprof_free(f, n);
}

Test(sampleprof, equal_totals_sort_by_name_for_stable_output) {
        const char *t = "zeta:5:0\nalpha:5:1\nmid:9:0\n";
        struct sample_func *f;
        size_t n;
        cr_assert_eq(sampleprof_parse_text(t, &f, &n, NULL, NULL), 0);
        cr_assert_eq(n, 3);
        cr_expect_str_eq(f[0].name, "mid");
        cr_expect_str_eq(f[1].name, "alpha");
        cr_expect_str_eq(f[2].name, "zeta");
        sampleprof_free(f, n);
}

Test(sampleprof, comments_blank_lines_and_crlf_are_accepted) {
        const char *t = "# a comment\r\n\r\nfoo:12:3\r\n 1: 12\r\n";
        struct sample_func *f;
        size_t n;
        cr_assert_eq(sampleprof_parse_text(t, &f, &n, NULL, NULL), 0);
        cr_assert_eq(n, 1);
        cr_expect_str_eq(f[0].name, "foo");
        cr_expect_eq(f[0].head, 3);
        sampleprof_free(f, n);
}

Test(sampleprof, malformed_head_line_reports_its_line_number) {
        const char *t = "ok:1:1\n 1: 1\nbroken:x:1\n";
        struct sample_func *f = NULL;
        size_t n = 0, bad = 0;
        cr_expect_eq(sampleprof_parse_text(t, &f, &n, NULL, &bad), -EBADMSG);
        cr_expect_eq(bad, 3);
}

Test(sampleprof, head_line_without_counts_is_rejected) {
        struct sample_func *f = NULL;
        size_t n = 0, bad = 0;
        cr_expect_eq(sampleprof_parse_text("justaname\n", &f, &n, NULL, &bad), -EBADMSG);
        cr_expect_eq(sampleprof_parse_text("a:1\n", &f, &n, NULL, &bad), -EBADMSG);
        cr_expect_eq(sampleprof_parse_text(":1:1\n", &f, &n, NULL, &bad), -EBADMSG);
}

Test(sampleprof, empty_text_has_no_functions) {
        struct sample_func *f = NULL;
        size_t n = 1;
        uint64_t sum = 1;
        cr_assert_eq(sampleprof_parse_text("", &f, &n, &sum, NULL), 0);
        cr_expect_eq(n, 0);
        cr_expect_eq(sum, 0);
        sampleprof_free(f, n);
}

Test(sampleprof, coverage_warnings_summed_per_function_sorted_by_loss) {
        const char *log =
                "+ clang -c a.c\n"
                "warning: a.c:3: 10 of 100 available profile samples (10%) were applied [-Wbackend-plugin]\n"
                "error: src/b.c:12: 5 of 5 available profile samples (100%) were applied [-Werror,-Wbackend-plugin]\n"
                "a.c:3: 40 of 100 available profile samples (40%) were applied\n"
                "warning: a.c:9: 11 of 10 available profile samples (110%) were applied\n"
                "warning: x of 5 available profile samples\n";
        struct sample_coverage *c;
        size_t n;
        cr_assert_eq(sampleprof_parse_coverage(log, &c, &n), 0);
        cr_assert_eq(n, 2);
        cr_expect_str_eq(c[0].file, "a.c");
        cr_expect_eq(c[0].line, 3);
        cr_expect_eq(c[0].applied, 50);
        cr_expect_eq(c[0].available, 200);
        cr_expect_str_eq(c[1].file, "src/b.c");
        cr_expect_eq(c[1].line, 12);
        sampleprof_coverage_free(c, n);
}

Test(sampleprof, function_name_on_its_first_line) {
        char *s;
        cr_expect_str_eq(s = sampleprof_function_on_line("static int work(int n) {\n"), "work"); free(s);
        cr_expect_str_eq(s = sampleprof_function_on_line("__attribute__((noinline)) unsigned long work (int n)"), "work"); free(s);
        cr_expect_str_eq(s = sampleprof_function_on_line("int ns::C::f(int)"), "ns::C::f"); free(s);
        cr_expect_null(sampleprof_function_on_line("int x = 1;"));
}
