/* SPDX-License-Identifier: MIT */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <rpm/header.h>
#include <rpm/rpmdb.h>
#include <rpm/rpmfileutil.h>
#include <rpm/rpmlib.h>
#include <rpm/rpmts.h>

#include "commands.h"
#include "dl.h"
#include "escape.h"
#include "json.h"
#include "level.h"
#include "macro.h"
#include "rpm-owner.h"
#include "searchpath.h"

/* librpm (and librpmio, its dependency), opened only by the commands that
 * ask the rpm database. */
HWCAPS_DL_DECLARE(rpmReadConfigFiles);
HWCAPS_DL_DECLARE(rpmtsCreate);
HWCAPS_DL_DECLARE(rpmtsFree);
HWCAPS_DL_DECLARE(rpmtsSetRootDir);
HWCAPS_DL_DECLARE(rpmGetPath);
HWCAPS_DL_DECLARE(rpmtsOpenDB);
HWCAPS_DL_DECLARE(rpmtsInitIterator);
HWCAPS_DL_DECLARE(rpmdbNextIterator);
HWCAPS_DL_DECLARE(headerGetAsString);
HWCAPS_DL_DECLARE(rpmdbFreeIterator);

static int rpm_open(void) {
        static void *handle;
        static const struct hwcaps_dl_sym syms[] = {
                HWCAPS_DL_SYM(rpmReadConfigFiles),
                HWCAPS_DL_SYM(rpmtsCreate),
                HWCAPS_DL_SYM(rpmtsFree),
                HWCAPS_DL_SYM(rpmtsSetRootDir),
                HWCAPS_DL_SYM(rpmGetPath),
                HWCAPS_DL_SYM(rpmtsOpenDB),
                HWCAPS_DL_SYM(rpmtsInitIterator),
                HWCAPS_DL_SYM(rpmdbNextIterator),
                HWCAPS_DL_SYM(headerGetAsString),
                HWCAPS_DL_SYM(rpmdbFreeIterator),
        };
        const char *error;
        int r = hwcaps_dl_open(&handle, HWCAPS_SONAME_RPM, syms, ELEMENTSOF(syms), &error);

        if (r < 0)
                log_error("cannot use the rpm database: %s", error);
        return r;
}

struct row {
        char *path, *baseline;     /* inside the root; baseline NULL if none */
        char *pkg, *base_pkg;      /* NEVRA, NULL if unowned */
        int level;
        const char *state;
};

struct report {
        struct row *rows;
        size_t n, allocated;
};

static void report_done(struct report *r) {
        for (size_t i = 0; i < r->n; i++) {
                free(r->rows[i].path);
                free(r->rows[i].baseline);
                free(r->rows[i].pkg);
                free(r->rows[i].base_pkg);
        }
        free(r->rows);
}

static inline void rpmtsfreep(rpmts *ts) {
        if (*ts)
                sym_rpmtsFree(*ts);
}

/* The package owning path (inside the root): NEVRA and EVR, both NULL when no
 * package does. Allocated; 0 or -ENOMEM. */
static int owner(rpmts ts, const char *path, char **ret_nevra, char **ret_evr) {
        rpmdbMatchIterator mi = sym_rpmtsInitIterator(ts, RPMDBI_INSTFILENAMES, path, 0);
        Header h;

        *ret_nevra = *ret_evr = NULL;
        if (!mi)
                return 0;
        h = sym_rpmdbNextIterator(mi);
        if (h) {
                *ret_nevra = sym_headerGetAsString(h, RPMTAG_NEVRA);
                *ret_evr = sym_headerGetAsString(h, RPMTAG_EVR);
        }
        sym_rpmdbFreeIterator(mi);
        if (h && (!*ret_nevra || !*ret_evr)) {
                free(*ret_nevra);
                free(*ret_evr);
                *ret_nevra = *ret_evr = NULL;
                return -ENOMEM;
        }
        return 0;
}

static bool exists(const char *root, const char *path) {
        _cleanup_free_ char *p = NULL;
        struct stat st;

        return asprintf(&p, "%s%s", root, path) >= 0 && lstat(p, &st) == 0;
}

static int add_variant(struct report *rep, rpmts ts, const char *root, const char *dir, int level, const char *name) {
        _cleanup_free_ char *path = NULL, *b0 = NULL, *b1 = NULL, *evr = NULL, *base_evr = NULL;
        struct row row = { .level = level };
        int r;

        if (!(path = hwcaps_variant_path(dir, level, name)) || asprintf(&b0, "%s/%s", dir, name) < 0 ||
            !(b1 = hwcaps_variant_path(dir, HWCAPS_LEVEL_V1, name)))
                return -ENOMEM;

        /* A dispatched program's DIR/NAME is the stub; its real baseline is
         * the one %hwcaps_dispatch moved to x86-64-v1/. */
        if (exists(root, b1))
                row.baseline = TAKE_PTR(b1);
        else if (exists(root, b0))
                row.baseline = TAKE_PTR(b0);

        r = owner(ts, path, &row.pkg, &evr);
        if (r >= 0 && row.baseline)
                r = owner(ts, row.baseline, &row.base_pkg, &base_evr);
        row.path = TAKE_PTR(path);
        if (!row.baseline)
                row.state = "missing-baseline";
        else if (!row.pkg)
                row.state = "unowned";
        else if (row.base_pkg && strcmp(evr, base_evr) != 0)
                row.state = "stale";
        else
                row.state = "ok";

        if (rep->n == rep->allocated) {
                size_t a = rep->allocated ? rep->allocated * 2 : 16;
                struct row *t = reallocarray(rep->rows, a, sizeof(*t));
                if (!t)
                        r = -ENOMEM;
                else {
                        rep->rows = t;
                        rep->allocated = a;
                }
        }
        if (r < 0) {
                free(row.path);
                free(row.baseline);
                free(row.pkg);
                free(row.base_pkg);
                return r;
        }
        rep->rows[rep->n++] = row;
        return 0;
}

static int cmp_row(const void *a, const void *b) {
        return strcmp(((const struct row *) a)->path, ((const struct row *) b)->path);
}

/* A row's path, package and baseline package as the table shows them. */
struct shown_row {
        const char *s[3];
        char *buf[3];
};

static void shown_row_init(struct shown_row *sr, const struct row *r) {
        *sr = (struct shown_row) {};
        sr->s[0] = escape_name(r->path, &sr->buf[0]);
        sr->s[1] = r->pkg ? escape_name(r->pkg, &sr->buf[1]) : "-";
        sr->s[2] = r->base_pkg ? escape_name(r->base_pkg, &sr->buf[2]) : "-";
}

static void shown_row_done(struct shown_row *sr) {
        for (int k = 0; k < 3; k++)
                free(sr->buf[k]);
}

static void print_table(const struct report *rep, FILE *out) {
        int w[3] = { (int) strlen("VARIANT"), (int) strlen("PACKAGE"), (int) strlen("BASELINE PACKAGE") };

        for (size_t i = 0; i < rep->n; i++) {
                _cleanup_(shown_row_done) struct shown_row sr;

                shown_row_init(&sr, &rep->rows[i]);
                for (int k = 0; k < 3; k++)
                        if ((int) strlen(sr.s[k]) > w[k])
                                w[k] = (int) strlen(sr.s[k]);
        }
        fprintf(out, "%-*s  %-*s  %-*s  %s\n", w[0], "VARIANT", w[1], "PACKAGE", w[2], "BASELINE PACKAGE", "STATE");
        for (size_t i = 0; i < rep->n; i++) {
                _cleanup_(shown_row_done) struct shown_row sr;

                shown_row_init(&sr, &rep->rows[i]);
                fprintf(out, "%-*s  %-*s  %-*s  %s\n", w[0], sr.s[0], w[1], sr.s[1], w[2], sr.s[2],
                        rep->rows[i].state);
        }
}

static void print_json(const struct report *rep, const char *root, FILE *out) {
        fputc('{', out);
        json_name(out, "root", root, false);
        fputs(",\"variants\":[", out);
        for (size_t i = 0; i < rep->n; i++) {
                const struct row *r = &rep->rows[i];
                fputs(i ? ",{" : "{", out);
                json_name(out, "path", r->path, false);
                fputs(",\"level\":", out);
                json_string(out, hwcaps_level_name(r->level));
                fputc(',', out);
                json_name(out, "package", r->pkg, false);
                fputc(',', out);
                json_name(out, "baseline", r->baseline, false);
                fputc(',', out);
                json_name(out, "baseline_package", r->base_pkg, false);
                fputs(",\"state\":", out);
                json_string(out, r->state);
                fputc('}', out);
        }
        fputs("]}\n", out);
}

/* root's rpm database, opened read-only into *ret (prefix: root, or "" for
 * "/"). 0, or -errno after logging why not. */
static int open_rpmdb(const char *root, const char *prefix, rpmts *ret) {
        _cleanup_(rpmtsfreep) rpmts ts = NULL;
        int r;

        r = rpm_open();
        if (r < 0)
                return r;
        if (sym_rpmReadConfigFiles(NULL, NULL) != 0) {
                log_error("cannot read the rpm configuration");
                return -EIO;
        }
        ts = sym_rpmtsCreate();
        if (!ts)
                return -ENOMEM;
        if (sym_rpmtsSetRootDir(ts, root) != 0) {
                log_error("%s: not usable as rpm root (an absolute path is needed)", root);
                return -EINVAL;
        }
        /* librpm creates nothing with O_RDONLY but also reports no error
         * for a missing database (rpm 4.18, sqlite backend): look first. */
        _cleanup_free_ char *dbpath = sym_rpmGetPath("%{_dbpath}", NULL);
        _cleanup_free_ char *dbdir = NULL;
        struct stat dst;
        if (!dbpath || asprintf(&dbdir, "%s%s", prefix, dbpath) < 0)
                return -ENOMEM;
        if (stat(dbdir, &dst) < 0 || !S_ISDIR(dst.st_mode) || sym_rpmtsOpenDB(ts, O_RDONLY) != 0) {
                log_error("%s: cannot open the rpm database (%s inside the root; rpm --root %s --initdb creates one)",
                          root, dbpath, root);
                return -ENOENT;
        }
        *ret = TAKE_PTR(ts);
        return 0;
}

/* The variants in the level directories of prefix+dir/glibc-hwcaps/. */
static int add_level_dirs(struct report *rep, rpmts ts, const char *prefix, const char *dir, const char *hw) {
        int r = 0;

        for (int level = HWCAPS_LEVEL_V2; level <= HWCAPS_LEVEL_MAX && r >= 0; level++) {
                _cleanup_free_ char *ld = NULL;
                _cleanup_closedir_ DIR *d = NULL;

                if (asprintf(&ld, "%s/%s", hw, hwcaps_level_name(level)) < 0)
                        return -ENOMEM;
                d = opendir(ld);
                if (!d)
                        continue;
                for (struct dirent *de; r >= 0 && (de = readdir(d)); )
                        if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
                                r = add_variant(rep, ts, prefix, dir, level, de->d_name);
        }
        return r;
}

static int add_variants(struct report *rep, rpmts ts, const char *prefix) {
        static const char *const dirs[] = {
                "/usr/bin", "/usr/sbin", "/usr/libexec", "/usr/lib64", "/usr/lib",
                "/usr/local/bin", "/bin", "/sbin",
        };
        struct { dev_t dev; ino_t ino; } seen[ELEMENTSOF(dirs)];
        size_t nseen = 0;
        int r = 0;

        for (size_t i = 0; i < ELEMENTSOF(dirs) && r >= 0; i++) {
                _cleanup_free_ char *hw = NULL;
                struct stat st;

                if (asprintf(&hw, "%s%s/glibc-hwcaps", prefix, dirs[i]) < 0)
                        return -ENOMEM;
                if (stat(hw, &st) < 0 || !S_ISDIR(st.st_mode))
                        continue;
                /* /bin is /usr/bin on merged-/usr systems: report it once. */
                bool dup = false;
                for (size_t k = 0; k < nseen; k++)
                        dup = dup || (seen[k].dev == st.st_dev && seen[k].ino == st.st_ino);
                if (dup)
                        continue;
                seen[nseen].dev = st.st_dev;
                seen[nseen++].ino = st.st_ino;
                r = add_level_dirs(rep, ts, prefix, dirs[i], hw);
        }
        return r;
}

int hwcaps_rpm_report(const char *root, FILE *out, bool json) {
        _cleanup_(rpmtsfreep) rpmts ts = NULL;
        struct report rep = {};
        const char *prefix = strcmp(root, "/") == 0 ? "" : root;
        int r, bad = 0;

        r = open_rpmdb(root, prefix, &ts);
        if (r < 0)
                return r;
        r = add_variants(&rep, ts, prefix);
        if (r < 0) {
                log_error("cannot list the variants under %s: %s", root, strerror(-r));
                report_done(&rep);
                return r;
        }

        if (rep.n > 0)
                qsort(rep.rows, rep.n, sizeof(rep.rows[0]), cmp_row);
        if (json)
                print_json(&rep, root, out);
        else if (rep.n == 0) {
                _cleanup_free_ char *b_root = NULL;

                fprintf(out, "no glibc-hwcaps variants under %s\n", escape_name(root, &b_root));
        }
        else
                print_table(&rep, out);
        for (size_t i = 0; i < rep.n; i++)
                bad += strcmp(rep.rows[i].state, "ok") != 0;
        report_done(&rep);
        return bad;
}
