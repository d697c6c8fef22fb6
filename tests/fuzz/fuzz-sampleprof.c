/* SPDX-License-Identifier: MIT */
/* LLVM text sample profile reader (dispatch/measure/sampleprof.c), behind
 * `hwcaps profile show/merge` on profile files shipped as package sources.
 * Properties:
 *  - returns 0, -EBADMSG with an existing line, or -ENOMEM;
 *  - records sorted by total, highest first, ties by name; names non-empty;
 *    at most one record per line; the sum is the sum of the totals and no
 *    total exceeds it (no silent wrap-around);
 *  - deterministic; a comment line or an indented body line appended after a
 *    final newline changes nothing.
 * The same input as a build log for 'hwcaps profile coverage'
 * (sampleprof_parse_coverage): 0 or -ENOMEM; every record has a file,
 * applied <= available, one record per FILE:LINE, sorted by samples lost;
 * sampleprof_function_on_line gives NULL or a non-empty name. */
#include <errno.h>
#include <string.h>

#include "fuzz.h"
#include "sampleprof.h"

static int parse(const char *s, struct sample_func **f, size_t *n, uint64_t *sum, size_t *bad) {
        *f = NULL;
        *n = 0;
        *sum = 0;
        *bad = 0;
        return sampleprof_parse_text(s, f, n, sum, bad);
}

static size_t count_lines(const char *s) {
        size_t lines = 1;

        for (; *s; s++)
                lines += *s == '\n';
        return lines;
}

static void same(int r, struct sample_func *f, size_t n, uint64_t sum, size_t bad,
                 int r2, struct sample_func *f2, size_t n2, uint64_t sum2, size_t bad2, const char *what) {
        FUZZ_CHECK(r == r2, "%s: %d vs %d", what, r, r2);
        if (r == -EBADMSG)
                FUZZ_CHECK(bad == bad2, "%s: bad line %zu vs %zu", what, bad, bad2);
        if (r != 0)
                return;
        FUZZ_CHECK(n == n2 && sum == sum2, "%s: %zu records, sum %llu vs %zu, %llu", what, n,
                   (unsigned long long) sum, n2, (unsigned long long) sum2);
        for (size_t i = 0; i < n; i++)
                FUZZ_CHECK(strcmp(f[i].name, f2[i].name) == 0 && f[i].total == f2[i].total &&
                           f[i].head == f2[i].head, "%s: record %zu differs", what, i);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        struct sample_func *f, *f2;
        size_t n, n2, bad, bad2, lines;
        uint64_t sum, sum2, total = 0;
        char *s, *t;
        int r, r2;

        if (size > 65536)
                return 0;
        s = strndup((const char *) data, size);
        if (!s)
                abort();
        lines = count_lines(s);

        r = parse(s, &f, &n, &sum, &bad);
        FUZZ_CHECK(r == 0 || r == -EBADMSG || r == -ENOMEM, "returned %d", r);
        if (r == -EBADMSG)
                FUZZ_CHECK(bad >= 1 && bad <= lines, "bad line %zu of %zu", bad, lines);
        if (r == 0) {
                FUZZ_CHECK(n <= lines, "%zu records from %zu lines", n, lines);
                for (size_t i = 0; i < n; i++) {
                        FUZZ_CHECK(f[i].name && f[i].name[0], "record %zu without a name", i);
                        FUZZ_CHECK(f[i].total <= sum, "total %llu above the sum %llu (wrapped)",
                                   (unsigned long long) f[i].total, (unsigned long long) sum);
                        total += f[i].total;
                        if (i > 0)
                                FUZZ_CHECK(f[i - 1].total > f[i].total ||
                                           (f[i - 1].total == f[i].total && strcmp(f[i - 1].name, f[i].name) <= 0),
                                           "not sorted at %zu", i);
                }
                FUZZ_CHECK(total == sum, "sum %llu, totals add up to %llu", (unsigned long long) sum,
                           (unsigned long long) total);
        }

        r2 = parse(s, &f2, &n2, &sum2, &bad2);
        same(r, f, n, sum, bad, r2, f2, n2, sum2, bad2, "second parse");
        if (r2 == 0)
                sampleprof_free(f2, n2);

        size_t k = strlen(s);

        if (k == 0 || s[k - 1] == '\n') {
                t = malloc(k + 32);
                if (!t)
                        abort();
                memcpy(t, s, k);
                strcpy(t + k, "# comment\n");
                r2 = parse(t, &f2, &n2, &sum2, &bad2);
                same(r, f, n, sum, bad, r2, f2, n2, sum2, bad2, "a trailing comment");
                if (r2 == 0)
                        sampleprof_free(f2, n2);
                strcpy(t + k, " 1: 5\n");
                r2 = parse(t, &f2, &n2, &sum2, &bad2);
                same(r, f, n, sum, bad, r2, f2, n2, sum2, bad2, "a trailing body line");
                if (r2 == 0)
                        sampleprof_free(f2, n2);
                free(t);
        }
        if (r == 0)
                sampleprof_free(f, n);

        struct sample_coverage *c;
        size_t nc;
        r = sampleprof_parse_coverage(s, &c, &nc);
        FUZZ_CHECK(r == 0 || r == -ENOMEM, "coverage: returned %d", r);
        if (r == 0) {
                FUZZ_CHECK(nc <= lines, "coverage: %zu records from %zu lines", nc, lines);
                for (size_t i = 0; i < nc; i++) {
                        FUZZ_CHECK(c[i].file && c[i].file[0], "coverage: record %zu without a file", i);
                        FUZZ_CHECK(c[i].applied <= c[i].available, "coverage: record %zu applied above available", i);
                        for (size_t j = 0; j < i; j++)
                                FUZZ_CHECK(c[j].line != c[i].line || strcmp(c[j].file, c[i].file) != 0,
                                           "coverage: records %zu and %zu are one FILE:LINE", j, i);
                        if (i > 0)
                                FUZZ_CHECK(c[i - 1].available - c[i - 1].applied >= c[i].available - c[i].applied,
                                           "coverage: not sorted by loss at %zu", i);
                }
                sampleprof_coverage_free(c, nc);
        }
        char *name = sampleprof_function_on_line(s);
        FUZZ_CHECK(!name || name[0], "function_on_line: empty name");
        free(name);
        free(s);
        return 0;
}
