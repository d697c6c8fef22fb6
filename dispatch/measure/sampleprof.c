/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "macro.h"
#include "sampleprof.h"

static bool parse_u64(const char *s, size_t n, uint64_t *ret) {
        uint64_t v = 0;

        if (n == 0)
                return false;
        for (size_t i = 0; i < n; i++) {
                if (s[i] < '0' || s[i] > '9')
                        return false;
                if (v > (UINT64_MAX - (uint64_t) (s[i] - '0')) / 10)
                        return false;
                v = v * 10 + (uint64_t) (s[i] - '0');
        }
        *ret = v;
        return true;
}

/* "name:total:head". The name may itself contain ':' (contexts such as
 * "[main:3 @ foo]"), so split at the last two colons, as LLVM's ParseHead
 * does. */
static int parse_head(const char *line, size_t len, struct sample_func *ret) {
        const char *c2 = memrchr(line, ':', len);
        if (!c2 || c2 == line)
                return -EBADMSG;
        const char *c1 = memrchr(line, ':', (size_t) (c2 - line));
        if (!c1 || c1 == line)
                return -EBADMSG;
        if (!parse_u64(c1 + 1, (size_t) (c2 - c1 - 1), &ret->total) ||
            !parse_u64(c2 + 1, len - (size_t) (c2 + 1 - line), &ret->head))
                return -EBADMSG;
        ret->name = strndup(line, (size_t) (c1 - line));
        return ret->name ? 0 : -ENOMEM;
}

static int cmp_func(const void *a, const void *b) {
        const struct sample_func *x = a, *y = b;
        if (x->total != y->total)
                return x->total > y->total ? -1 : 1;
        return strcmp(x->name, y->name);
}

void sampleprof_free(struct sample_func *f, size_t n) {
        for (size_t i = 0; f && i < n; i++)
                free(f[i].name);
        free(f);
}

int sampleprof_parse_text(const char *text, struct sample_func **ret, size_t *ret_n,
                          uint64_t *ret_sum, size_t *bad_line) {
        struct sample_func *v = NULL;
        size_t n = 0, cap = 0, lineno = 0;
        uint64_t sum = 0;

        for (const char *p = text; *p; ) {
                const char *e = strchrnul(p, '\n');
                size_t len = (size_t) (e - p);
                lineno++;
                if (len && p[len - 1] == '\r')
                        len--;
                /* Indented lines are the body of the function above;
                 * '#' starts a comment (SampleProfReader: isSpaceOrComment). */
                if (len > 0 && p[0] != ' ' && p[0] != '\t' && p[0] != '#') {
                        if (n == cap) {
                                size_t ncap = cap ? cap * 2 : 64;
                                struct sample_func *nv = realloc(v, ncap * sizeof(*v));
                                if (!nv) {
                                        sampleprof_free(v, n);
                                        return -ENOMEM;
                                }
                                v = nv;
                                cap = ncap;
                        }
                        int r = parse_head(p, len, &v[n]);
                        /* Totals that add up past 2^64 are no real profile;
                         * wrapped, the sum made "show" print shares above
                         * 100% (found by fuzz-sampleprof). */
                        if (r == 0 && v[n].total > UINT64_MAX - sum) {
                                free(v[n].name);
                                r = -EBADMSG;
                        }
                        if (r < 0) {
                                sampleprof_free(v, n);
                                if (bad_line)
                                        *bad_line = lineno;
                                return r;
                        }
                        sum += v[n].total;
                        n++;
                }
                p = *e ? e + 1 : e;
        }
        if (n)
                qsort(v, n, sizeof(*v), cmp_func);
        *ret = v;
        *ret_n = n;
        if (ret_sum)
                *ret_sum = sum;
        return 0;
}
