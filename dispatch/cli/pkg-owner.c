/* SPDX-License-Identifier: MIT */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <rpm/header.h>
#include <rpm/rpmdb.h>
#include <rpm/rpmfileutil.h>
#include <rpm/rpmlib.h>
#include <rpm/rpmmacro.h>
#include <rpm/rpmts.h>

#include "commands.h"
#include "dl.h"
#include "escape.h"
#include "json.h"
#include "level.h"
#include "macro.h"
#include "pkg-owner.h"
#include "layout.h"
#include "searchpath.h"
#include "subprocess.h"

/* dpkg's default --admindir, below the root. */
#define DPKG_ADMINDIR "/var/lib/dpkg"

const char *pkg_manager_name(enum pkg_manager m) {
        return m == PKG_MANAGER_RPM ? "rpm" : m == PKG_MANAGER_DPKG ? "dpkg" : NULL;
}

void pkg_owner_done(struct pkg_owner *o) {
        free(o->package);
        free(o->version);
        *o = (struct pkg_owner) {};
}

/* librpm (and librpmio, its dependency), opened only by the commands that
 * ask the rpm database. */
HWCAPS_DL_DECLARE(rpmConfigDir);
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

static int rpm_open(char *why, size_t size) {
        static void *handle;
        static const struct hwcaps_dl_sym syms[] = {
                HWCAPS_DL_SYM(rpmConfigDir),
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
                snprintf(why, size, "cannot use the rpm database: %s", error);
        return r;
}

struct pkg_dbs {
        const char *root;   /* absolute */
        const char *prefix; /* root, or "" for "/" */
        rpmts ts;           /* NULL: no rpm database */
        char *admindir;     /* dpkg's, with the prefix; NULL: no dpkg database */
};

/* root's rpm database, opened read-only into *ret. 0, or -errno with why. */
static int open_rpmdb(const char *root, const char *prefix, rpmts *ret, char *why, size_t size) {
        rpmts ts;
        int r;

        r = rpm_open(why, size);
        if (r < 0)
                return r;
        /* Debian ships librpm without rpm: its configuration is missing,
         * and rpmReadConfigFiles() would say so on stderr as an error. */
        _cleanup_free_ char *rpmrc = NULL;
        if (asprintf(&rpmrc, "%s/rpmrc", sym_rpmConfigDir()) < 0)
                return -ENOMEM;
        if (access(rpmrc, R_OK) < 0) {
                snprintf(why, size, "rpm is not installed (no %s)", rpmrc);
                return -ENOENT;
        }
        if (sym_rpmReadConfigFiles(NULL, NULL) != 0) {
                snprintf(why, size, "cannot read the rpm configuration");
                return -EIO;
        }
        ts = sym_rpmtsCreate();
        if (!ts)
                return -ENOMEM;
        /* librpm creates nothing with O_RDONLY but also reports no error
         * for a missing database (rpm 4.18, sqlite backend): look first. */
        _cleanup_free_ char *dbpath = sym_rpmGetPath("%{_dbpath}", NULL);
        _cleanup_free_ char *dbdir = NULL;
        struct stat dst;
        if (!dbpath || asprintf(&dbdir, "%s%s", prefix, dbpath) < 0) {
                sym_rpmtsFree(ts);
                return -ENOMEM;
        }
        if (sym_rpmtsSetRootDir(ts, root) != 0 || stat(dbdir, &dst) < 0 || !S_ISDIR(dst.st_mode) ||
            sym_rpmtsOpenDB(ts, O_RDONLY) != 0) {
                snprintf(why, size, "cannot open the rpm database (%s inside the root; rpm --root %s --initdb creates one)",
                         dbpath, root);
                sym_rpmtsFree(ts);
                return -ENOENT;
        }
        *ret = ts;
        return 0;
}

/* root's dpkg database: its admindir into *ret. 0, or -errno with why. */
static int open_dpkgdb(const char *prefix, char **ret, char *why, size_t size) {
        _cleanup_free_ char *admindir = NULL, *status = NULL;
        struct stat st;

        if (asprintf(&admindir, "%s" DPKG_ADMINDIR, prefix) < 0 || asprintf(&status, "%s/status", admindir) < 0)
                return -ENOMEM;
        if (stat(status, &st) < 0 || !S_ISREG(st.st_mode)) {
                snprintf(why, size, "no dpkg database (" DPKG_ADMINDIR "/status inside the root)");
                return -ENOENT;
        }
        if (access(DPKG_QUERY_PATH, X_OK) < 0) {
                snprintf(why, size, "a dpkg database, but no " DPKG_QUERY_PATH " to read it");
                return -ENOENT;
        }
        *ret = TAKE_PTR(admindir);
        return 0;
}

int pkg_dbs_open(const char *root, bool required, struct pkg_dbs **ret) {
        char rpm_why[PATH_MAX + 200] = "", dpkg_why[200] = "";
        struct pkg_dbs *d;
        int r, k;

        if (root[0] != '/') {
                log_error("%s: not usable as a package root (an absolute path is needed)", root);
                return -EINVAL;
        }
        d = calloc(1, sizeof *d);
        if (!d)
                return -ENOMEM;
        d->root = root;
        d->prefix = strcmp(root, "/") == 0 ? "" : root;
        r = open_rpmdb(root, d->prefix, &d->ts, rpm_why, sizeof rpm_why);
        k = r == -ENOMEM ? r : open_dpkgdb(d->prefix, &d->admindir, dpkg_why, sizeof dpkg_why);
        if (r == -ENOMEM || k == -ENOMEM)
                log_error("out of memory");
        else if (r < 0 && k < 0 && required)
                log_error("%s: no package database: %s; %s", root, rpm_why, dpkg_why);
        if (r == -ENOMEM || k == -ENOMEM || (r < 0 && k < 0)) {
                pkg_dbs_free(d);
                *ret = NULL;
                return k == -ENOMEM ? k : r < 0 && k < 0 && !required ? 0 : r;
        }
        *ret = d;
        return 0;
}

void pkg_dbs_free(struct pkg_dbs *d) {
        if (!d)
                return;
        if (d->ts)
                sym_rpmtsFree(d->ts);
        free(d->admindir);
        free(d);
}

bool pkg_dbs_both(const struct pkg_dbs *d) {
        return d->ts && d->admindir;
}

/* The package owning path (inside the root) in the rpm database: NEVRA
 * and EVR, both NULL when no package does. 0 or -ENOMEM. */
static int rpm_owner(rpmts ts, const char *path, struct pkg_owner *ret) {
        rpmdbMatchIterator mi = sym_rpmtsInitIterator(ts, RPMDBI_INSTFILENAMES, path, 0);
        Header h;

        if (!mi)
                return 0;
        h = sym_rpmdbNextIterator(mi);
        if (h) {
                ret->package = sym_headerGetAsString(h, RPMTAG_NEVRA);
                ret->version = sym_headerGetAsString(h, RPMTAG_EVR);
                ret->manager = PKG_MANAGER_RPM;
        }
        sym_rpmdbFreeIterator(mi);
        if (h && (!ret->package || !ret->version)) {
                pkg_owner_done(ret);
                return -ENOMEM;
        }
        return 0;
}

/* The other name of path on merged /usr: "/X/REST" for "/usr/X/REST" and
 * back, when ROOT/X and ROOT/usr/X are one directory; else NULL (also out
 * of memory: the path is then asked by its one name). */
static char *usr_alias(const char *prefix, const char *path) {
        bool in_usr = strncmp(path, "/usr/", 5) == 0;
        const char *rest = in_usr ? path + 4 : path, *slash = strchr(rest + 1, '/');
        _cleanup_free_ char *a = NULL, *b = NULL;
        struct stat sa, sb;
        char *alias = NULL;

        if (rest[0] != '/' || !slash || slash == rest + 1)
                return NULL;
        if (asprintf(&a, "%s%.*s", prefix, (int) (slash - rest), rest) < 0 ||
            asprintf(&b, "%s/usr%.*s", prefix, (int) (slash - rest), rest) < 0)
                return NULL;
        if (stat(a, &sa) < 0 || stat(b, &sb) < 0 || !S_ISDIR(sa.st_mode) || sa.st_dev != sb.st_dev ||
            sa.st_ino != sb.st_ino)
                return NULL;
        if (in_usr)
                return strdup(rest);
        return asprintf(&alias, "/usr%s", path) < 0 ? NULL : alias;
}

/* What dpkg-query --search says about one path asked. */
struct dpkg_hit {
        char *pkgs;        /* "a, b: PATH"'s "a, b", or NULL */
        bool diverted;     /* a diversion's "from" ... */
        char *divert_from; /* ... or its "to": the path diverted from */
        char *divert_by;   /* the diverting package; NULL for a local diversion */
};

static void dpkg_hits_free(struct dpkg_hit *h, size_t n) {
        for (size_t i = 0; h && i < n; i++) {
                free(h[i].pkgs);
                free(h[i].divert_from);
                free(h[i].divert_by);
        }
        free(h);
}

/* dpkg-query takes an argument with * ? [ or \ as a pattern for
 * fnmatch(3) without FNM_NOESCAPE (dpkg 1.21 src/query/main.c,
 * searchfiles()): a backslash before each makes it match just itself. */
static char *dpkg_literal(const char *path) {
        char *e = malloc(strlen(path) * 2 + 1), *o = e;

        if (!e)
                return NULL;
        for (const char *p = path; *p; p++) {
                if (strchr("*?[\\", *p))
                        *o++ = '\\';
                *o++ = *p;
        }
        *o = '\0';
        return e;
}

/* The path at s, up to end: the longest of the n asked that s starts with
 * and that ends a line there (a file name may hold a newline), its index
 * into *idx; else the rest of the line, *idx -1. Returns its length. */
static size_t dpkg_path(const char *s, const char *end, const char *const *asked, size_t n, ssize_t *idx) {
        const char *nl = memchr(s, '\n', end - s);
        size_t best = nl ? (size_t) (nl - s) : (size_t) (end - s);

        *idx = -1;
        for (size_t i = 0; i < n; i++) {
                size_t k = strlen(asked[i]);

                if ((size_t) (end - s) >= k && memcmp(s, asked[i], k) == 0 && (s + k == end || s[k] == '\n') &&
                    (*idx < 0 || k > strlen(asked[*idx]))) {
                        *idx = (ssize_t) i;
                        best = k;
                }
        }
        return best;
}

static int set_str(char **p, const char *s, size_t n) {
        char *c = strndup(s, n);

        if (!c)
                return -ENOMEM;
        free(*p);
        *p = c;
        return 0;
}

/* Reads dpkg-query --search's output (dpkg 1.21 src/query/main.c,
 * searchoutput(); LC_ALL=C): per path, when diverted, "diversion by PKG
 * from: F" and "... to: T" (or "local diversion from: F" ...), then
 * "PKG[, PKG...]: PATH" when packages list it. */
static int dpkg_parse(const char *out, size_t len, const char *const *asked, size_t n, struct dpkg_hit *hits) {
        const char *end = out + len, *s = out;
        _cleanup_free_ char *from = NULL;
        ssize_t from_idx = -1;

        while (s < end) {
                const char *nl = memchr(s, '\n', end - s) ?: end, *p;
                bool local = strncmp(s, "local diversion ", 16) == 0, by = strncmp(s, "diversion by ", 13) == 0;
                ssize_t idx;
                size_t k;

                if (local || by) {
                        const char *pkg = s + 13, *pkg_end = local ? pkg : memchr(pkg, ' ', nl - pkg);
                        bool is_from;

                        p = local ? s + 16 : pkg_end ? pkg_end + 1 : nl;
                        is_from = strncmp(p, "from: ", 6) == 0;
                        if (!is_from && strncmp(p, "to: ", 4) != 0) {
                                s = nl + 1; /* no line dpkg writes */
                                continue;
                        }
                        p += is_from ? 6 : 4;
                        k = dpkg_path(p, end, asked, n, &idx);
                        if (is_from) {
                                if (set_str(&from, p, k) < 0)
                                        return -ENOMEM;
                                from_idx = idx;
                        } else if (from) {
                                /* The pair is complete: mark whichever of them was asked. */
                                for (int t = 0; t < 2; t++) {
                                        ssize_t i = t ? idx : from_idx;

                                        if (i < 0)
                                                continue;
                                        hits[i].diverted = !t;
                                        if ((!local && set_str(&hits[i].divert_by, pkg, pkg_end - pkg) < 0) ||
                                            (t && set_str(&hits[i].divert_from, from, strlen(from)) < 0))
                                                return -ENOMEM;
                                }
                                free(TAKE_PTR(from));
                        }
                        s = p + k + 1;
                        continue;
                }
                p = memmem(s, nl - s, ": ", 2);
                if (!p) {
                        s = nl + 1;
                        continue;
                }
                k = dpkg_path(p + 2, end, asked, n, &idx);
                if (idx >= 0 && set_str(&hits[idx].pkgs, s, p - s) < 0)
                        return -ENOMEM;
                s = p + 2 + k + 1;
        }
        return 0;
}

/* The first line of s, made printable, for a message. */
static const char *first_line(const char *s, char **buf) {
        free(*buf);
        *buf = strndup(s, strcspn(s, "\n"));
        return *buf ? escape_name(*buf, buf) : "";
}

/* argv of dpkg-query, run without a shell and with LC_ALL=C only: its
 * --search lines are translated otherwise, and nothing of this
 * environment (DPKG_ADMINDIR, DPKG_ROOT) may change what it reads. */
static int dpkg_query(const char *admindir, struct argv_buf *a, char **out, size_t *len) {
        static char *const envp[] = { "LC_ALL=C", NULL };
        _cleanup_free_ char *err = NULL, *b = NULL;
        int r;

        r = run_capture_env(a->v, envp, out, len, &err);
        if (r < 0 && r != -ENOMEM)
                log_error("cannot run " DPKG_QUERY_PATH ": %s", strerror(-r));
        /* --search: 1 when some path has no package; --show never. */
        else if (r > 1) {
                _cleanup_free_ char *b_admindir = NULL;

                log_error(DPKG_QUERY_PATH " --admindir=%s %s failed (exit status %d): %s",
                          escape_name(admindir, &b_admindir), a->v[2], r, first_line(err, &b));
        }
        if (r < 0 || r > 1) {
                free(*out);
                *out = NULL;
                return r < 0 ? r : -EIO;
        }
        return 0;
}

/* dpkg-query --search for the n paths asked, all in one run. */
static int dpkg_search(const char *admindir, const char *const *asked, size_t n, struct dpkg_hit **ret) {
        _cleanup_argv_ struct argv_buf a = {};
        _cleanup_free_ char *out = NULL;
        struct dpkg_hit *hits;
        size_t len;
        int r;

        *ret = hits = calloc(n ? n : 1, sizeof *hits);
        if (!hits || argv_add(&a, DPKG_QUERY_PATH) < 0 || argv_addf(&a, "--admindir=%s", admindir) < 0 ||
            argv_add(&a, "--search") < 0 || argv_add(&a, "--") < 0)
                return -ENOMEM;
        if (n == 0)
                return 0;
        for (size_t i = 0; i < n; i++) {
                _cleanup_free_ char *e = dpkg_literal(asked[i]);

                if (!e || argv_add(&a, e) < 0)
                        return -ENOMEM;
        }
        r = dpkg_query(admindir, &a, &out, &len);
        if (r >= 0)
                r = dpkg_parse(out, len, asked, n, hits);
        /* A path asked twice: dpkg_parse() answered the first. */
        for (size_t j = 1; r >= 0 && j < n; j++)
                for (size_t i = 0; i < j; i++)
                        if (strcmp(asked[i], asked[j]) == 0) {
                                hits[j].diverted = hits[i].diverted;
                                if ((hits[i].pkgs && !(hits[j].pkgs = strdup(hits[i].pkgs))) ||
                                    (hits[i].divert_from && !(hits[j].divert_from = strdup(hits[i].divert_from))) ||
                                    (hits[i].divert_by && !(hits[j].divert_by = strdup(hits[i].divert_by))))
                                        r = -ENOMEM;
                                break;
                        }
        return r;
}

/* "a, b, c" without the package name x. */
static char *pkgs_without(const char *pkgs, const char *x) {
        char *o = malloc(strlen(pkgs) + 1), *w = o;

        if (!o)
                return NULL;
        *o = '\0';
        for (const char *p = pkgs; *p;) {
                size_t k = strcspn(p, ",");

                if (!(strlen(x) == k && strncmp(p, x, k) == 0))
                        w += sprintf(w, "%s%.*s", w > o ? ", " : "", (int) k, p);
                p += k;
                p += strspn(p, ", ");
        }
        return o;
}

/* Whose file is at the path a hit is about, by dpkg's rules: a diversion
 * moves every package's file but the diverting package's to its "to" (a
 * local one moves them all), so the file at "from" is the diverting
 * package's, if it ships one, and that at "to" the others'. from: the hit
 * of divert_from, for a "to". NULL: no package's (or out of memory). */
static char *dpkg_owner(const struct dpkg_hit *h, const struct dpkg_hit *from) {
        if (h->divert_from) {
                _cleanup_free_ char *o = from && from->pkgs ? pkgs_without(from->pkgs, h->divert_by ?: "") : NULL;

                return o && o[0] ? TAKE_PTR(o) : NULL;
        }
        if (h->diverted) {
                _cleanup_free_ char *o = h->pkgs && h->divert_by ? pkgs_without(h->pkgs, h->divert_by) : NULL;

                /* Shorter without it: the diverting package ships the file. */
                return o && strlen(o) < strlen(h->pkgs) ? strdup(h->divert_by) : NULL;
        }
        return h->pkgs ? strdup(h->pkgs) : NULL;
}

/* The owners of asked[0..n) from dpkg, into ret where not NULL. */
static int dpkg_owners(const char *admindir, const char *const *asked, size_t n, char **ret) {
        struct dpkg_hit *hits = NULL, *from_hits = NULL;
        _cleanup_free_ const char **froms = NULL;
        size_t nfrom = 0;
        int r;

        r = dpkg_search(admindir, asked, n, &hits);
        if (r >= 0 && !(froms = calloc(n ? n : 1, sizeof *froms)))
                r = -ENOMEM;
        /* A path some diversion moved a file to: who ships it at "from". */
        for (size_t i = 0; r >= 0 && i < n; i++)
                if (hits[i].divert_from)
                        froms[nfrom++] = hits[i].divert_from;
        if (r >= 0 && nfrom)
                r = dpkg_search(admindir, froms, nfrom, &from_hits);
        for (size_t i = 0, f = 0; r >= 0 && i < n; i++) {
                const struct dpkg_hit *from = hits[i].divert_from ? &from_hits[f++] : NULL;

                ret[i] = dpkg_owner(&hits[i], from);
        }
        dpkg_hits_free(hits, n);
        dpkg_hits_free(from_hits, nfrom);
        return r;
}

/* The Version of each package of ret[0..n) (of the first, where several
 * ship a file), from one dpkg-query --show. */
static int dpkg_versions(const char *admindir, struct pkg_owner *ret, size_t n) {
        _cleanup_argv_ struct argv_buf a = {};
        _cleanup_free_ char *out = NULL;
        size_t len;
        int r;

        if (argv_add(&a, DPKG_QUERY_PATH) < 0 || argv_addf(&a, "--admindir=%s", admindir) < 0 ||
            argv_add(&a, "--show") < 0 || argv_add(&a, "--showformat=${binary:Package}\\t${Version}\\n") < 0)
                return -ENOMEM;
        r = dpkg_query(admindir, &a, &out, &len);
        if (r < 0)
                return r;
        for (char *line = out, *nl; line < out + len; line = nl + 1) {
                char *tab;

                nl = strchrnul(line, '\n');
                *nl = '\0';
                tab = strchr(line, '\t');
                if (!tab)
                        continue;
                *tab = '\0';
                for (size_t i = 0; i < n; i++) {
                        const char *p = ret[i].package;
                        size_t k = p ? strcspn(p, ",") : 0;

                        if (ret[i].manager == PKG_MANAGER_DPKG && !ret[i].version && strlen(line) == k &&
                            strncmp(p, line, k) == 0 && !(ret[i].version = strdup(tab + 1)))
                                return -ENOMEM;
                }
        }
        return 0;
}

/* paths[i], then (where it has one) its merged-/usr name, as asked. */
struct asked {
        const char **v;
        size_t *of;     /* the path each stands for */
        size_t n;
        char **alias;   /* to free */
};

static void asked_done(struct asked *a, size_t n) {
        for (size_t i = 0; a->alias && i < n; i++)
                free(a->alias[i]);
        free(a->alias);
        free(a->v);
        free(a->of);
}

static int asked_init(struct asked *a, const char *prefix, const char *const *paths, size_t n,
                      const struct pkg_owner *owned) {
        *a = (struct asked) {};
        a->v = calloc(2 * n + 1, sizeof *a->v);
        a->of = calloc(2 * n + 1, sizeof *a->of);
        a->alias = calloc(n + 1, sizeof *a->alias);
        if (!a->v || !a->of || !a->alias)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++) {
                if (owned[i].package)
                        continue;
                a->alias[i] = usr_alias(prefix, paths[i]);
                a->of[a->n] = i;
                a->v[a->n++] = paths[i];
                if (a->alias[i]) {
                        a->of[a->n] = i;
                        a->v[a->n++] = a->alias[i];
                }
        }
        return 0;
}

int pkg_owners(struct pkg_dbs *d, const char *const *paths, size_t n, bool versions, struct pkg_owner *ret) {
        int r = 0;

        for (size_t i = 0; i < n; i++)
                ret[i] = (struct pkg_owner) {};
        if (!d)
                return 0;
        for (size_t i = 0; d->ts && i < n && r >= 0; i++) {
                _cleanup_free_ char *alias = NULL;

                r = rpm_owner(d->ts, paths[i], &ret[i]);
                if (r >= 0 && !ret[i].package && (alias = usr_alias(d->prefix, paths[i])))
                        r = rpm_owner(d->ts, alias, &ret[i]);
                if (!versions)
                        free(TAKE_PTR(ret[i].version));
        }
        if (r >= 0 && d->admindir) {
                struct asked a;
                _cleanup_free_ char **owners = NULL;

                r = asked_init(&a, d->prefix, paths, n, ret);
                if (r >= 0 && !(owners = calloc(a.n + 1, sizeof *owners)))
                        r = -ENOMEM;
                if (r >= 0 && a.n)
                        r = dpkg_owners(d->admindir, a.v, a.n, owners);
                for (size_t j = 0; j < a.n && owners; j++) {
                        struct pkg_owner *o = &ret[a.of[j]];

                        if (owners[j] && !o->package) {
                                o->package = TAKE_PTR(owners[j]);
                                o->manager = PKG_MANAGER_DPKG;
                        }
                        free(owners[j]);
                }
                asked_done(&a, n);
                if (r >= 0 && versions)
                        r = dpkg_versions(d->admindir, ret, n);
        }
        if (r == -ENOMEM)
                log_error("out of memory");
        if (r < 0)
                for (size_t i = 0; i < n; i++)
                        pkg_owner_done(&ret[i]);
        return r;
}

struct row {
        char *path, *baseline;     /* inside the root; baseline NULL if none */
        struct pkg_owner pkg, base_pkg;
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
                pkg_owner_done(&r->rows[i].pkg);
                pkg_owner_done(&r->rows[i].base_pkg);
        }
        free(r->rows);
}

static bool exists(const char *root, const char *path) {
        _cleanup_free_ char *p = NULL;
        struct stat st;

        return asprintf(&p, "%s%s", root, path) >= 0 && lstat(p, &st) == 0;
}

static int add_variant(struct report *rep, const char *root, const char *dir, int level, const char *name) {
        _cleanup_free_ char *path = NULL, *b0 = NULL, *b1 = NULL;
        struct row row = { .level = level };

        if (!(path = hwcaps_variant_path(dir, level, name)) || asprintf(&b0, "%s/%s", dir, name) < 0 ||
            !(b1 = hwcaps_variant_path(dir, HWCAPS_LEVEL_V1, name)))
                return -ENOMEM;

        /* A dispatched program's DIR/NAME is the stub; its real baseline is
         * the one %hwcaps_dispatch moved to x86-64-v1/. */
        if (exists(root, b1))
                row.baseline = TAKE_PTR(b1);
        else if (exists(root, b0))
                row.baseline = TAKE_PTR(b0);

        if (rep->n == rep->allocated) {
                size_t a = rep->allocated ? rep->allocated * 2 : 16;
                struct row *t = reallocarray(rep->rows, a, sizeof(*t));
                if (!t) {
                        free(row.baseline);
                        return -ENOMEM;
                }
                rep->rows = t;
                rep->allocated = a;
        }
        row.path = TAKE_PTR(path);
        rep->rows[rep->n++] = row;
        return 0;
}

/* Every row's owners, from one question for all the paths. */
static int add_owners(struct report *rep, struct pkg_dbs *dbs) {
        _cleanup_free_ const char **paths = calloc(2 * rep->n + 1, sizeof *paths);
        _cleanup_free_ struct pkg_owner *o = calloc(2 * rep->n + 1, sizeof *o);
        size_t n = 0;
        int r;

        if (!paths || !o) {
                log_error("out of memory");
                return -ENOMEM;
        }
        for (size_t i = 0; i < rep->n; i++) {
                paths[n++] = rep->rows[i].path;
                if (rep->rows[i].baseline)
                        paths[n++] = rep->rows[i].baseline;
        }
        r = pkg_owners(dbs, paths, n, true, o);
        if (r < 0)
                return r;
        for (size_t i = 0, k = 0; i < rep->n; i++) {
                struct row *row = &rep->rows[i];

                row->pkg = o[k++];
                if (row->baseline)
                        row->base_pkg = o[k++];
                if (!row->baseline)
                        row->state = "missing-baseline";
                else if (!row->pkg.package)
                        row->state = "unowned";
                else if (row->base_pkg.package &&
                         (row->pkg.manager != row->base_pkg.manager ||
                          (row->pkg.version && row->base_pkg.version &&
                           strcmp(row->pkg.version, row->base_pkg.version) != 0)))
                        row->state = "stale";
                else
                        row->state = "ok";
        }
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

const char *pkg_owner_shown(const struct pkg_owner *o, bool both, char **buf) {
        _cleanup_free_ char *b = NULL;
        const char *s;

        *buf = NULL;
        if (!o->package)
                return "-";
        s = escape_name(o->package, &b);
        if (!both)
                return b ? (*buf = TAKE_PTR(b)) : s;
        return asprintf(buf, "%s [%s]", s, pkg_manager_name(o->manager)) < 0 ? (*buf = NULL, "(out of memory)") : *buf;
}

static void shown_row_init(struct shown_row *sr, const struct row *r, bool both) {
        *sr = (struct shown_row) {};
        sr->s[0] = escape_name(r->path, &sr->buf[0]);
        sr->s[1] = pkg_owner_shown(&r->pkg, both, &sr->buf[1]);
        sr->s[2] = pkg_owner_shown(&r->base_pkg, both, &sr->buf[2]);
}

static void shown_row_done(struct shown_row *sr) {
        for (int k = 0; k < 3; k++)
                free(sr->buf[k]);
}

static void print_table(const struct report *rep, bool both, FILE *out) {
        int w[3] = { (int) strlen("VARIANT"), (int) strlen("PACKAGE"), (int) strlen("BASELINE PACKAGE") };

        for (size_t i = 0; i < rep->n; i++) {
                _cleanup_(shown_row_done) struct shown_row sr;

                shown_row_init(&sr, &rep->rows[i], both);
                for (int k = 0; k < 3; k++)
                        if ((int) strlen(sr.s[k]) > w[k])
                                w[k] = (int) strlen(sr.s[k]);
        }
        fprintf(out, "%-*s  %-*s  %-*s  %s\n", w[0], "VARIANT", w[1], "PACKAGE", w[2], "BASELINE PACKAGE", "STATE");
        for (size_t i = 0; i < rep->n; i++) {
                _cleanup_(shown_row_done) struct shown_row sr;

                shown_row_init(&sr, &rep->rows[i], both);
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
                json_name(out, "package", r->pkg.package, false);
                fputc(',', out);
                json_name(out, "package_manager", pkg_manager_name(r->pkg.manager), false);
                fputc(',', out);
                json_name(out, "baseline", r->baseline, false);
                fputc(',', out);
                json_name(out, "baseline_package", r->base_pkg.package, false);
                fputs(",\"state\":", out);
                json_string(out, r->state);
                fputc('}', out);
        }
        fputs("]}\n", out);
}

/* The variants in the level directories of prefix+dir/glibc-hwcaps/. */
static int add_level_dirs(struct report *rep, const char *prefix, const char *dir, const char *hw) {
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
                                r = add_variant(rep, prefix, dir, level, de->d_name);
        }
        return r;
}

static int add_variants(struct report *rep, const char *prefix) {
        /* Programs of services and login shells, then helpers and libraries. */
        static const char *const more_dirs[] = { "/usr/libexec", "/usr/lib64", "/usr/lib" };
        const char *dirs[16], *parents[ELEMENTSOF(dirs)];
        size_t ndirs = 0;
        ssize_t n;
        int r = 0;

        for (const char *const *d = hwcaps_default_path_dirs; *d && ndirs < ELEMENTSOF(dirs) - 1; d++)
                dirs[ndirs++] = *d;
        for (size_t i = 0; i < ELEMENTSOF(more_dirs) && ndirs < ELEMENTSOF(dirs) - 1; i++)
                dirs[ndirs++] = more_dirs[i];
        dirs[ndirs] = NULL;
        n = hwcaps_level_parents(prefix, dirs, parents, ELEMENTSOF(parents));
        for (ssize_t i = 0; i < n && r >= 0; i++) {
                _cleanup_free_ char *hw = NULL;

                if (asprintf(&hw, "%s%s/" HWCAPS_SUBDIR, prefix, parents[i]) < 0)
                        return -ENOMEM;
                r = add_level_dirs(rep, prefix, parents[i], hw);
        }
        return n < 0 ? (int) n : r;
}

int hwcaps_pkg_report(const char *root, FILE *out, bool json) {
        _cleanup_(pkg_dbs_freep) struct pkg_dbs *dbs = NULL;
        struct report rep = {};
        const char *prefix = strcmp(root, "/") == 0 ? "" : root;
        int r, bad = 0;

        r = pkg_dbs_open(root, true, &dbs);
        if (r < 0)
                return r;
        r = add_variants(&rep, prefix);
        if (r < 0)
                log_error("cannot list the variants under %s: %s", root, strerror(-r));
        else
                r = add_owners(&rep, dbs);
        if (r < 0) {
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
                print_table(&rep, pkg_dbs_both(dbs), out);
        for (size_t i = 0; i < rep.n; i++)
                bad += strcmp(rep.rows[i].state, "ok") != 0;
        report_done(&rep);
        return bad;
}
