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

void sampleprof_coverage_free(struct sample_coverage *c, size_t n) {
        for (size_t i = 0; c && i < n; i++)
                free(c[i].file);
        free(c);
}

/* One line of the log: "[warning: |error: ]FILE:LINE: A of B available
 * profile samples (P%) were applied ...". */
static bool parse_coverage_line(const char *p, size_t len, struct sample_coverage *ret) {
        static const char tag[] = " available profile samples (";
        const char *t = memmem(p, len, tag, sizeof tag - 1);
        const char *of, *a, *colon, *e;

        if (!t)
                return false;
        /* Back from the tag: "B", " of ", "A", ": ". */
        e = t;
        while (e > p && e[-1] >= '0' && e[-1] <= '9')
                e--;
        if (!parse_u64(e, (size_t) (t - e), &ret->available))
                return false;
        of = e - 4;
        if (of < p || memcmp(of, " of ", 4) != 0)
                return false;
        a = of;
        while (a > p && a[-1] >= '0' && a[-1] <= '9')
                a--;
        if (!parse_u64(a, (size_t) (of - a), &ret->applied) || ret->applied > ret->available)
                return false;
        if (a - p < 4 || a[-1] != ' ' || a[-2] != ':')
                return false;
        colon = a - 2;
        e = colon;
        while (e > p && e[-1] >= '0' && e[-1] <= '9')
                e--;
        uint64_t line;
        if (!parse_u64(e, (size_t) (colon - e), &line) || line > UINT32_MAX || e - p < 2 || e[-1] != ':')
                return false;
        ret->line = (unsigned) line;
        /* The file starts after clang's "warning: " or "error: " (either,
         * as -Werror decides), or at the line's start. */
        const char *f = p, *fe = e - 1;
        for (const char *w = p; w + 2 <= fe; w++)
                if (w[0] == ':' && w[1] == ' ' &&
                    ((w - p >= 7 && memcmp(w - 7, "warning", 7) == 0) || (w - p >= 5 && memcmp(w - 5, "error", 5) == 0))) {
                        f = w + 2;
                        break;
                }
        if (f >= fe)
                return false;
        ret->file = strndup(f, (size_t) (fe - f));
        return true;
}

static int cmp_lost(const void *a, const void *b) {
        const struct sample_coverage *x = a, *y = b;
        uint64_t lx = x->available - x->applied, ly = y->available - y->applied;
        if (lx != ly)
                return lx > ly ? -1 : 1;
        int r = strcmp(x->file, y->file);
        return r ? r : (x->line > y->line) - (x->line < y->line);
}

int sampleprof_parse_coverage(const char *log, struct sample_coverage **ret, size_t *ret_n) {
        struct sample_coverage *v = NULL;
        size_t n = 0, cap = 0;

        for (const char *p = log; *p; ) {
                const char *e = strchrnul(p, '\n');
                struct sample_coverage c = {};

                if (parse_coverage_line(p, (size_t) (e - p), &c)) {
                        if (!c.file) {
                                sampleprof_coverage_free(v, n);
                                return -ENOMEM;
                        }
                        size_t i;
                        for (i = 0; i < n; i++)
                                if (v[i].line == c.line && strcmp(v[i].file, c.file) == 0)
                                        break;
                        if (i < n && v[i].available <= UINT64_MAX - c.available) {
                                v[i].applied += c.applied;
                                v[i].available += c.available;
                                free(c.file);
                        } else if (i < n) {
                                free(c.file);     /* past 2^64: no real log */
                        } else {
                                if (n == cap) {
                                        size_t ncap = cap ? cap * 2 : 16;
                                        struct sample_coverage *nv = realloc(v, ncap * sizeof(*v));
                                        if (!nv) {
                                                free(c.file);
                                                sampleprof_coverage_free(v, n);
                                                return -ENOMEM;
                                        }
                                        v = nv;
                                        cap = ncap;
                                }
                                v[n++] = c;
                        }
                }
                p = *e ? e + 1 : e;
        }
        if (n)
                qsort(v, n, sizeof(*v), cmp_lost);
        *ret = v;
        *ret_n = n;
        return 0;
}

static bool is_ident(char c) {
        return c == '_' || c == '$' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* The identifier (C++: qualified name) that ends at e, or NULL. */
static char *ident_before(const char *line, const char *e) {
        const char *s;

        while (e > line && (e[-1] == ' ' || e[-1] == '\t'))
                e--;
        s = e;
        while (s > line && (is_ident(s[-1]) || s[-1] == ':' || s[-1] == '~'))
                s--;
        while (s < e && (*s == ':' || (*s >= '0' && *s <= '9')))
                s++;
        return s == e ? NULL : strndup(s, (size_t) (e - s));
}

char *sampleprof_function_on_line(const char *line) {
        static const char *const attrs[] = { "__attribute__", "__attribute", "__declspec", "_Alignas", "alignas", NULL };
        int depth = 0;

        /* The first '(' outside parentheses that does not open an attribute. */
        for (const char *p = line; *p; p++) {
                if (*p == ')' && depth > 0)
                        depth--;
                if (*p != '(')
                        continue;
                if (depth++ > 0)
                        continue;
                char *id = ident_before(line, p);
                bool attr = false;
                for (size_t i = 0; id && attrs[i]; i++)
                        attr = attr || strcmp(id, attrs[i]) == 0;
                if (!attr)
                        return id;
                free(id);
        }
        return NULL;
}
