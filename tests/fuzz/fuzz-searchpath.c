/* SPDX-License-Identifier: MIT */
/* PATH composition (dispatch/engine/searchpath.c) against a fixture root built once
 * in LLVMFuzzerInitialize: level directories that are safe, group-writable,
 * owned by another user, under an unsafe glibc-hwcaps, regular files,
 * dangling or looping symlinks, symlinks to safe and to unsafe places, and
 * missing ones.
 *
 * Input: byte 0 chooses the level cap (bits 0-2) and whether only some
 * directories may get level directories (bit 3); the rest, up to a NUL, is
 * PATH. Properties:
 *  - every output entry that was not in the input is a level directory
 *    "P/glibc-hwcaps/x86-64-vN" with N <= cap, safe in the fixture (checked
 *    here through realpath(): the directory and its real parent are
 *    directories owned by root and not writable by group or others), placed
 *    in a descending run right before P;
 *  - the entries that are not level directories keep their exact bytes and
 *    order; a level directory whose parent is not in PATH is kept too;
 *  - composing the output again gives the output. */
#include <errno.h>
#include <ftw.h>
#include <libgen.h>
#include <limits.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"
#include "searchpath.h"

static char root[64];

static void mk(const char *rel, mode_t mode, uid_t uid) {
        char p[PATH_MAX];

        snprintf(p, sizeof p, "%s%s", root, rel);
        FUZZ_CHECK(mkdir(p, mode) == 0 || errno == EEXIST, "mkdir %s: %s", p, strerror(errno));
        FUZZ_CHECK(chmod(p, mode) == 0, "chmod %s", p); /* past the umask */
        if (geteuid() == 0)
                FUZZ_CHECK(chown(p, uid, 0) == 0, "chown %s", p);
}

static void ln(const char *target, const char *rel) {
        char p[PATH_MAX];

        snprintf(p, sizeof p, "%s%s", root, rel);
        FUZZ_CHECK(symlink(target, p) == 0, "symlink %s: %s", p, strerror(errno));
}

static void touch(const char *rel) {
        char p[PATH_MAX];
        FILE *f;

        snprintf(p, sizeof p, "%s%s", root, rel);
        f = fopen(p, "w");
        FUZZ_CHECK(f, "create %s", p);
        fclose(f);
}

static int rm_one(const char *p, const struct stat *st, int type, struct FTW *ftw) {
        (void) st, (void) type, (void) ftw;
        remove(p);
        return 0;
}

static void cleanup(void) {
        if (root[0])
                nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
        (void) argc, (void) argv;
        snprintf(root, sizeof root, "/tmp/hwcaps-fuzz-path-XXXXXX");
        FUZZ_CHECK(mkdtemp(root), "mkdtemp: %s", strerror(errno));
        chmod(root, 0755);
        atexit(cleanup);

        /* s: all three levels safe */
        mk("/s", 0755, 0);
        mk("/s/glibc-hwcaps", 0755, 0);
        mk("/s/glibc-hwcaps/x86-64-v2", 0755, 0);
        mk("/s/glibc-hwcaps/x86-64-v3", 0755, 0);
        mk("/s/glibc-hwcaps/x86-64-v4", 0755, 0);
        /* p: v3 safe, v2 group-writable, v4 missing */
        mk("/p", 0755, 0);
        mk("/p/glibc-hwcaps", 0755, 0);
        mk("/p/glibc-hwcaps/x86-64-v3", 0755, 0);
        mk("/p/glibc-hwcaps/x86-64-v2", 0775, 0);
        /* w: world-writable glibc-hwcaps above a safe-looking level dir */
        mk("/w", 0755, 0);
        mk("/w/glibc-hwcaps", 0777, 0);
        mk("/w/glibc-hwcaps/x86-64-v3", 0755, 0);
        /* u: level dir owned by someone else */
        mk("/u", 0755, 0);
        mk("/u/glibc-hwcaps", 0755, 0);
        mk("/u/glibc-hwcaps/x86-64-v3", 0755, 65534);
        mk("/u/glibc-hwcaps/x86-64-v2", 0700, 65534);
        /* f: a file where a level dir should be; parent dir writable by others */
        mk("/f", 0755, 0);
        mk("/f/glibc-hwcaps", 0755, 0);
        touch("/f/glibc-hwcaps/x86-64-v3");
        mk("/f/glibc-hwcaps/x86-64-v2", 0757, 0);
        /* l: a symlink to s; d: dangling; o: loop; m: safe-looking symlink
         * into w's unsafe glibc-hwcaps */
        ln("s", "/l");
        mk("/d", 0755, 0);
        mk("/d/glibc-hwcaps", 0755, 0);
        ln("nowhere", "/d/glibc-hwcaps/x86-64-v3");
        mk("/o", 0755, 0);
        mk("/o/glibc-hwcaps", 0755, 0);
        ln("x86-64-v2", "/o/glibc-hwcaps/x86-64-v2");
        mk("/m", 0755, 0);
        mk("/m/glibc-hwcaps", 0755, 0);
        ln("../../w/glibc-hwcaps/x86-64-v3", "/m/glibc-hwcaps/x86-64-v3");
        /* g: glibc-hwcaps itself a symlink to s's */
        mk("/g", 0755, 0);
        ln("../s/glibc-hwcaps", "/g/glibc-hwcaps");
        /* the root's own level dirs, for PATH entry "/" */
        mk("/glibc-hwcaps", 0755, 0);
        mk("/glibc-hwcaps/x86-64-v2", 0755, 0);
        /* a user-writable dir with level dirs, like ~/bin */
        mk("/h", 0777, 0);
        mk("/h/glibc-hwcaps", 0777, 0);
        mk("/h/glibc-hwcaps/x86-64-v3", 0777, 0);
        return 0;
}

/* --- an independent reading of PATH entries ------------------------------ */

struct ent {
        const char *s;
        size_t n;
};

static size_t split(const char *s, struct ent *e, size_t max) {
        size_t k = 0;

        for (const char *p = s;; p++) {
                const char *c = strchr(p, ':');
                size_t n = c ? (size_t) (c - p) : strlen(p);

                FUZZ_CHECK(k < max, "too many entries");
                e[k++] = (struct ent) { p, n };
                if (!c)
                        break;
                p = c;
        }
        return k;
}

static size_t trim(const char *s, size_t n) {
        while (n > 1 && s[n - 1] == '/')
                n--;
        return n;
}

/* "P/glibc-hwcaps/x86-64-vN", absolute, trailing slashes ignored: N and P. */
static int level_of(struct ent e, struct ent *parent) {
        static const char suf[] = "/glibc-hwcaps/x86-64-v";
        size_t n = trim(e.s, e.n), sl = strlen(suf);

        if (n < sl + 1 || e.s[0] != '/' || memcmp(e.s + n - 1 - sl, suf, sl) != 0)
                return 0;
        if (e.s[n - 1] < '2' || e.s[n - 1] > '4')
                return 0;
        parent->s = e.s;
        parent->n = n - 1 - sl == 0 ? 1 : trim(e.s, n - 1 - sl);
        return e.s[n - 1] - '0';
}

static bool eq_trimmed(struct ent a, struct ent b) {
        size_t an = trim(a.s, a.n), bn = trim(b.s, b.n);
        return an == bn && memcmp(a.s, b.s, an) == 0;
}

static bool eq_exact(struct ent a, struct ent b) {
        return a.n == b.n && memcmp(a.s, b.s, a.n) == 0;
}

static bool in_list(struct ent x, const struct ent *l, size_t n, bool (*eq)(struct ent, struct ent)) {
        for (size_t i = 0; i < n; i++)
                if (eq(x, l[i]))
                        return true;
        return false;
}

static bool safe_dir(const char *p) {
        struct stat st;
        return stat(p, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == 0 &&
               !(st.st_mode & (S_IWGRP | S_IWOTH | S_ISVTX));
}

/* Every directory from the root down to real (a real path under root). */
static bool safe_chain(const char *real) {
        char p[PATH_MAX];
        size_t rl = strlen(root);

        if (strncmp(real, root, rl) != 0 || (real[rl] != '/' && real[rl] != '\0'))
                return false; /* left the fixture */
        for (size_t i = rl; ; i++)
                if (real[i] == '/' || real[i] == '\0') {
                        snprintf(p, sizeof p, "%.*s", (int) i, real);
                        if (i > rl && !safe_dir(p))
                                return false;
                        if (!real[i])
                                return true;
                }
}

/* Safe in the fixture, by the trust rule spelled out independently: the
 * root itself, every directory on the real path of every prefix of the
 * name (so each symlink's own directory, and each ancestor of its target)
 * root's, not writable by group or others, not sticky. */
static bool safe_level_dir(struct ent e) {
        char p[PATH_MAX * 2], real[PATH_MAX], clamped[PATH_MAX];
        size_t n = trim(e.s, e.n), k = 0, depth = 0;

        /* ".." at the root stays at the root, as the kernel has it at "/"
         * and hwcaps at a sysroot: dropped before realpath() sees it (the
         * fixture's links never climb above where they are). */
        for (size_t i = 0; i < n && k + 2 < sizeof clamped;) {
                size_t j = i + 1;

                while (j < n && e.s[j] != '/')
                        j++;
                if (!(j - i == 3 && memcmp(e.s + i, "/..", 3) == 0 && depth == 0)) {
                        if (j - i == 3 && memcmp(e.s + i, "/..", 3) == 0)
                                depth--;
                        else if (!(j - i == 2 && e.s[i + 1] == '.') && j - i > 1)
                                depth++;
                        if (k + (j - i) >= sizeof clamped)
                                return false;
                        memcpy(clamped + k, e.s + i, j - i);
                        k += j - i;
                }
                i = j;
        }
        e.s = clamped;
        e.n = n = k ? k : (clamped[0] = '/', 1);

        if (geteuid() != 0 || !safe_dir(root))
                return false; /* without root, nothing in the fixture is root's */
        for (size_t i = 1; i <= n; i++)
                if (i == n || e.s[i] == '/') {
                        snprintf(p, sizeof p, "%s%.*s", root, (int) i, e.s);
                        if (!realpath(p, real) || !safe_chain(real))
                                return false;
                }
        return safe_dir(real);
}

#define MAX_ENTRIES 2048

static void check(const char *in, const char *out, int cap, const char *const *dirs) {
        static struct ent ie[MAX_ENTRIES], oe[MAX_ENTRIES];
        size_t ni = split(in, ie, MAX_ENTRIES), no = split(out, oe, MAX_ENTRIES);
        size_t j = 0;

        /* Entries that are not level directories: same bytes, same order. */
        for (size_t i = 0; i < ni; i++) {
                struct ent par;
                if (level_of(ie[i], &par))
                        continue;
                while (j < no && level_of(oe[j], &par))
                        j++;
                FUZZ_CHECK(j < no && eq_exact(ie[i], oe[j]), "input entry %zu \"%.*s\" lost or moved",
                           i, (int) ie[i].n, ie[i].s);
                j++;
        }
        while (j < no) {
                struct ent par;
                FUZZ_CHECK(level_of(oe[j], &par), "output entry \"%.*s\" came from nowhere",
                           (int) oe[j].n, oe[j].s);
                j++;
        }

        /* A level entry none of whose ancestors ("P" of "P/glibc-hwcaps/
         * x86-64-vN", repeatedly) is in PATH is the admin's: kept. */
        for (size_t i = 0; i < ni; i++) {
                struct ent e = ie[i], par;
                bool orphan = level_of(e, &par) != 0;

                for (struct ent a = e; orphan && level_of(a, &par); a = par)
                        orphan = !in_list(par, ie, ni, eq_trimmed);
                if (orphan)
                        FUZZ_CHECK(in_list(e, oe, no, eq_exact),
                                   "level entry \"%.*s\" without its parent in PATH was dropped",
                                   (int) e.n, e.s);
        }

        for (size_t i = 0; i < no; i++) {
                struct ent par;
                int l = level_of(oe[i], &par), prev;
                size_t k;

                if (!l || !in_list(par, ie, ni, eq_trimmed))
                        continue;
                /* Generated: its parent is in the input PATH. */
                FUZZ_CHECK(l <= cap, "level %d above the cap %d: \"%.*s\"", l, cap, (int) oe[i].n, oe[i].s);
                FUZZ_CHECK(safe_level_dir(oe[i]), "unsafe directory in PATH: \"%.*s\"",
                           (int) oe[i].n, oe[i].s);
                if (dirs) {
                        bool ok = false;
                        for (const char *const *d = dirs; *d; d++)
                                ok |= eq_trimmed(par, (struct ent) { *d, strlen(*d) });
                        FUZZ_CHECK(ok, "level dir for a directory not allowed: \"%.*s\"",
                                   (int) oe[i].n, oe[i].s);
                }
                for (k = i + 1, prev = l; k < no; k++) {
                        struct ent p2;
                        int l2 = level_of(oe[k], &p2);
                        if (!l2 || l2 >= prev || !eq_trimmed(p2, par))
                                break;
                        prev = l2;
                }
                FUZZ_CHECK(k < no && eq_trimmed(oe[k], par),
                           "level entry \"%.*s\" not followed by its directory", (int) oe[i].n, oe[i].s);
        }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        static const char *const allow[] = { "/s", "/p/", "/m", "/", NULL };
        struct hwcaps_path_opts o = { .root = root };
        char *path, *out = NULL, *out2 = NULL;
        int r;

        if (size < 1 || size > 16384)
                return 0;
        o.max_level = (enum hwcaps_level) (data[0] & 7);
        if (o.max_level > HWCAPS_LEVEL_MAX)
                o.max_level = HWCAPS_LEVEL_MAX;
        if (data[0] & 8)
                o.directories = allow;
        path = strndup((const char *) data + 1, size - 1);
        if (!path)
                abort();

        r = hwcaps_path_compose(path, &o, &out);
        FUZZ_CHECK(r == 0 && out, "compose failed: %d", r);
        check(path, out, o.max_level, o.directories);

        r = hwcaps_path_compose(out, &o, &out2);
        FUZZ_CHECK(r == 0 && out2, "second compose failed: %d", r);
        FUZZ_CHECK(strcmp(out, out2) == 0, "not idempotent:\n in:  %s\n out: %s\n out2: %s", path, out, out2);

        free(out2);
        free(out);
        free(path);
        return 0;
}
