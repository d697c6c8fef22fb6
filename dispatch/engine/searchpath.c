/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <unistd.h>

#include "macro.h"
#include "layout.h"
#include "searchpath.h"
#include "trust.h"


enum hwcaps_dir_verdict hwcaps_dir_check(const char *root, const char *dir, char *reason, size_t size,
                                         struct stat *ret) {
        struct hwcaps_trust_root tr;
        struct hwcaps_trust *t = malloc(sizeof *t);
        enum hwcaps_trust_verdict v;

        if (!t) {
                snprintf(reason, size, "cannot be examined: out of memory");
                return HWCAPS_DIR_UNSAFE;
        }
        /* The one trust rule (trust.h): every component of the real path,
         * each symlink followed from its own directory, root's and closed
         * to others; the sysroot is the walk's "/". */
        (void) hwcaps_trust_root_open(root, &tr);
        v = hwcaps_trust_walk(&tr, NULL, dir, HWCAPS_WANT_DIR, t);
        hwcaps_trust_root_close(&tr);
        if (v == HWCAPS_TRUST_UNSAFE) {
                if (strcmp(t->where, dir) == 0 || !t->where[0])
                        snprintf(reason, size, "%s", hwcaps_trust_reason_text(t->reason));
                else
                        snprintf(reason, size, "%s %s", t->where, hwcaps_trust_reason_text(t->reason));
        }
        if (v == HWCAPS_TRUST_SAFE && ret)
                *ret = (struct stat) { .st_dev = t->st.dev, .st_ino = t->st.ino, .st_mode = t->st.mode,
                                       .st_uid = t->st.uid };
        free(t);
        return v == HWCAPS_TRUST_SAFE ? HWCAPS_DIR_SAFE : v == HWCAPS_TRUST_MISSING ? HWCAPS_DIR_MISSING
                                                                                   : HWCAPS_DIR_UNSAFE;
}

/* Length of dir without trailing slashes, keeping a lone leading one, so
 * "/usr/bin/" and "/usr/bin" compare equal and "/" stays "/" (not "", which
 * in PATH means the current directory). */
static size_t trimmed_len(const char *dir, size_t n) {
        while (n > 1 && dir[n - 1] == '/')
                n--;
        return n;
}

enum hwcaps_dir_verdict hwcaps_level_dir_check(const char *root, const char *dir,
                                               enum hwcaps_level level,
                                               char *buf, size_t bufsize, char *reason, size_t rsize,
                                               struct stat *st) {
        size_t n = trimmed_len(dir, strlen(dir));
        const char *name = hwcaps_level_name(level);

        if (n == 1 && dir[0] == '/')
                n = 0; /* "/" + "/glibc-hwcaps", not "//glibc-hwcaps" */
        enum hwcaps_dir_verdict v;

        if (!name || snprintf(buf, bufsize, "%.*s/" HWCAPS_SUBDIR "/%s", (int) n, dir, name) >= (int) bufsize) {
                snprintf(reason, rsize, "path too long");
                return HWCAPS_DIR_UNSAFE;
        }
        /* The parent "glibc-hwcaps" must be safe too, or a user could swap
         * the level directory for one of their own. */
        buf[n + strlen("/" HWCAPS_SUBDIR)] = '\0';
        v = hwcaps_dir_check(root, buf, reason, rsize, NULL);
        if (v != HWCAPS_DIR_SAFE)
                return v; /* buf names the parent: that is what to warn about */
        buf[n + strlen("/" HWCAPS_SUBDIR)] = '/';
        return hwcaps_dir_check(root, buf, reason, rsize, st);
}

int hwcaps_path_entry_level(const char *entry, size_t n, size_t *parent_len) {
        static const char suffix[] = "/" HWCAPS_SUBDIR "/x86-64-v";
        size_t s = sizeof(suffix) - 1;
        int level;

        n = trimmed_len(entry, n);
        if (n < s + 1 || entry[0] != '/' || memcmp(entry + n - s - 1, suffix, s) != 0)
                return 0;
        level = entry[n - 1] - '0';
        if (level < HWCAPS_LEVEL_V2 || level > HWCAPS_LEVEL_MAX)
                return 0;
        /* "/glibc-hwcaps/x86-64-v3" belongs to "/" */
        *parent_len = n - s - 1 > 0 ? trimmed_len(entry, n - s - 1) : 1;
        return level;
}

struct entry {
        const char *s;
        size_t n;       /* length without trailing slashes */
        size_t index;
        bool first;     /* first occurrence of this directory */
};

static int entry_cmp(const void *a, const void *b) {
        const struct entry *x = a, *y = b;
        size_t m = x->n < y->n ? x->n : y->n;
        int r = memcmp(x->s, y->s, m);

        if (r != 0)
                return r;
        if (x->n != y->n)
                return x->n < y->n ? -1 : 1;
        return x->index < y->index ? -1 : x->index > y->index;
}

static bool sorted_contains(const struct entry *sorted, size_t count, const char *s, size_t n) {
        size_t lo = 0, hi = count;

        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                size_t m = sorted[mid].n < n ? sorted[mid].n : n;
                int r = memcmp(sorted[mid].s, s, m);

                if (r == 0 && sorted[mid].n == n)
                        return true;
                if (r < 0 || (r == 0 && sorted[mid].n < n))
                        lo = mid + 1;
                else
                        hi = mid;
        }
        return false;
}

/* Is the entry a level directory of a directory in PATH, directly or through
 * level directories of level directories ("P/glibc-hwcaps/x86-64-v3/
 * glibc-hwcaps/x86-64-v2" with P in PATH)? Such entries are regenerated from
 * P; looking only one level up, composing twice differed from composing
 * once, because the second pass sees the regenerated middle entry (found by
 * fuzz-searchpath). */
static bool level_of_path_dir(const struct entry *sorted, size_t count, const char *s, size_t n) {
        size_t parent;

        while (hwcaps_path_entry_level(s, n, &parent)) {
                if (sorted_contains(sorted, count, s, parent))
                        return true;
                n = parent;
        }
        return false;
}

static bool allowed(const struct hwcaps_path_opts *o, const char *s, size_t n) {
        if (!o->directories)
                return true;
        for (const char *const *d = o->directories; *d; d++)
                if (trimmed_len(*d, strlen(*d)) == n && memcmp(*d, s, n) == 0)
                        return true;
        return false;
}

struct out {
        char *buf;
        size_t len, cap;
        bool any;
};

static int out_add(struct out *o, const char *s, size_t n) {
        size_t need = o->len + n + 2;

        if (need > o->cap) {
                size_t cap = o->cap ? o->cap : 256;
                char *b;

                while (cap < need)
                        cap *= 2;
                b = realloc(o->buf, cap);
                if (!b)
                        return -ENOMEM;
                o->buf = b;
                o->cap = cap;
        }
        if (o->any)
                o->buf[o->len++] = ':';
        memcpy(o->buf + o->len, s, n);
        o->len += n;
        o->buf[o->len] = '\0';
        o->any = true;
        return 0;
}

/* The level directories already inserted, by identity: on a merged-/usr
 * system "/bin" is "/usr/bin", and its level directories would otherwise
 * be inserted twice under two names for nothing (a later copy of a directory
 * already searched can never win a lookup). */
struct seen {
        struct { dev_t dev; ino_t ino; } *id;
        size_t count, cap;
};

/* Returns 1 when the directory st describes was inserted before, 0 when
 * not (and remembers it), or -ENOMEM. */
static int seen_before(struct seen *seen, const struct stat *st) {
        for (size_t i = 0; i < seen->count; i++)
                if (seen->id[i].dev == st->st_dev && seen->id[i].ino == st->st_ino)
                        return 1;
        if (seen->count == seen->cap) {
                size_t cap = seen->cap ? 2 * seen->cap : 8;
                void *id = realloc(seen->id, cap * sizeof *seen->id);

                if (!id)
                        return -ENOMEM;
                seen->id = id;
                seen->cap = cap;
        }
        seen->id[seen->count].dev = st->st_dev;
        seen->id[seen->count].ino = st->st_ino;
        seen->count++;
        return 0;
}

static int add_level_dirs(struct out *out, struct seen *seen, const struct hwcaps_path_opts *o,
                          const char *s, size_t n) {
        char dir[PATH_MAX], lvl[PATH_MAX], reason[PATH_MAX + 64];
        struct stat st;
        int r;

        if (n >= sizeof dir)
                return 0;
        memcpy(dir, s, n);
        dir[n] = '\0';

        for (int l = o->max_level; l >= HWCAPS_LEVEL_V2; l--) {
                enum hwcaps_dir_verdict v = hwcaps_level_dir_check(o->root, dir, l, lvl, sizeof lvl, reason, sizeof reason, &st);
                /* lvl names the parent "glibc-hwcaps" when that failed: one
                 * problem, one warning, and no level below it can pass. */
                size_t len = strlen(lvl), nl = strlen(hwcaps_level_name(l));
                bool parent = len < nl || strcmp(lvl + len - nl, hwcaps_level_name(l)) != 0;

                switch (v) {
                case HWCAPS_DIR_SAFE:
                        r = seen_before(seen, &st);
                        if (r != 0) {
                                if (r < 0)
                                        return r;
                                break;
                        }
                        r = out_add(out, lvl, strlen(lvl));
                        if (r < 0)
                                return r;
                        break;
                case HWCAPS_DIR_UNSAFE:
                        if (o->warn)
                                o->warn(o->userdata, "skipping %s: %s", lvl, reason);
                        break;
                case HWCAPS_DIR_MISSING:
                        break;
                }
                if (v != HWCAPS_DIR_SAFE && parent)
                        break;
        }
        return 0;
}

static void seen_done(struct seen *seen) {
        free(seen->id);
}

int hwcaps_path_compose(const char *path, const struct hwcaps_path_opts *o, char **ret) {
        _cleanup_free_ struct entry *e = NULL, *sorted = NULL;
        struct out out = { NULL, 0, 0, false };
        _cleanup_(seen_done) struct seen seen = { NULL, 0, 0 };
        size_t count = 1, k = 0;
        int r;

        for (const char *p = path; *p; p++)
                if (*p == ':')
                        count++;
        e = calloc(count, sizeof *e);
        sorted = calloc(count, sizeof *sorted);
        if (!e || !sorted)
                return -ENOMEM;

        for (const char *p = path;; k++) {
                const char *colon = strchr(p, ':');
                size_t len = colon ? (size_t) (colon - p) : strlen(p);

                e[k] = (struct entry) { p, trimmed_len(p, len), k, false };
                if (!colon)
                        break;
                p = colon + 1;
        }

        /* Find each directory's first occurrence in O(n log n): a PATH may
         * have thousands of entries. */
        memcpy(sorted, e, count * sizeof *e);
        qsort(sorted, count, sizeof *sorted, entry_cmp);
        for (size_t i = 0; i < count; i++)
                if (i == 0 || sorted[i].n != sorted[i - 1].n ||
                    memcmp(sorted[i].s, sorted[i - 1].s, sorted[i].n) != 0)
                        e[sorted[i].index].first = true;

        for (size_t i = 0; i < count; i++) {
                const char *s = e[i].s;
                size_t raw = (i + 1 < count) ? (size_t) (e[i + 1].s - s - 1) : strlen(s);

                /* An entry we would generate ourselves is regenerated from
                 * its parent, which keeps composition idempotent and drops
                 * level directories that are no longer supported. */
                if (level_of_path_dir(sorted, count, s, raw))
                        continue;

                if (s[0] == '/' && e[i].first && allowed(o, s, e[i].n)) {
                        r = add_level_dirs(&out, &seen, o, s, e[i].n);
                        if (r < 0)
                                goto fail;
                }
                r = out_add(&out, s, raw);
                if (r < 0)
                        goto fail;
        }
        if (!out.buf) {
                out.buf = strdup("");
                if (!out.buf)
                        return -ENOMEM;
        }
        *ret = out.buf;
        return 0;
fail:
        free(out.buf);
        return r;
}

const char *const hwcaps_default_path_dirs[] = {
        "/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin", NULL,
};

ssize_t hwcaps_level_parents(const char *prefix, const char *const *dirs, const char **ret, size_t max) {
        struct stat seen[32];
        ssize_t n = 0;

        for (; *dirs && (size_t) n < max && (size_t) n < ELEMENTSOF(seen); dirs++) {
                _cleanup_free_ char *hw = NULL;
                bool dup = false;

                if (asprintf(&hw, "%s%s/" HWCAPS_SUBDIR, prefix, *dirs) < 0)
                        return -ENOMEM;
                if (stat(hw, &seen[n]) < 0 || !S_ISDIR(seen[n].st_mode))
                        continue;
                for (ssize_t k = 0; k < n; k++)
                        dup = dup || (seen[k].st_dev == seen[n].st_dev && seen[k].st_ino == seen[n].st_ino);
                if (!dup)
                        ret[n++] = *dirs;
        }
        return n;
}

char *hwcaps_variant_path(const char *dir, enum hwcaps_level level, const char *name) {
        size_t size = strlen(dir) + strlen(name) + sizeof "/" HWCAPS_SUBDIR "/x86-64-vN/" + 1;
        _cleanup_free_ char *p = NULL, *buf = malloc(size);

        if (!buf || asprintf(&p, "%s/%s", dir, name) < 0 || hwcaps_candidate_path(p, level, buf, size) == 0)
                return NULL;
        return TAKE_PTR(buf);
}
