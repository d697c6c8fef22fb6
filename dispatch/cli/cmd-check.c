/* SPDX-License-Identifier: MIT */
/* hwcaps check: is every glibc-hwcaps variant under the given paths sane?
 * Run by packagers and by the rpm buildroot policy script (brp-hwcaps-check)
 * at the end of %install. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "elf-note.h"
#include "isa-audit.h"
#include "json.h"
#include "layout.h"
#include "level.h"
#include "macro.h"
#include "options.h"
#include "resolve.h"
#include "pkg-owner.h"

#define HWCAPS_DIR HWCAPS_SUBDIR

struct check {
        const char *root;  /* prefix of every real path; "" for none */
        unsigned problems;
        unsigned variants;
        unsigned warnings;
        char **allow;      /* --allow-function globs, NULL-terminated */
        char **audited;    /* baselines whose code was read, NULL-terminated */
        size_t n_audited;
};

static void problem(struct check *c, const char *path, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void problem(struct check *c, const char *path, const char *fmt, ...) {
        _cleanup_free_ char *what = NULL;
        va_list ap;

        va_start(ap, fmt);
        if (vasprintf(&what, fmt, ap) < 0)
                what = NULL;
        va_end(ap);
        log_error("%s: %s", path, what ?: "out of memory");
        c->problems++;
}

/* The path as the user names it (inside the root) -> the path to open. */
static char *real_path(const struct check *c, const char *path) {
        char *s;

        if (asprintf(&s, "%s%s", c->root, path) < 0)
                return NULL;
        return s;
}

/* root+path, lstat'ed into *st; NULL after reporting why not. */
static char *lstat_path(struct check *c, const char *path, struct stat *st) {
        _cleanup_free_ char *rp = real_path(c, path);

        if (!rp) {
                problem(c, path, "out of memory");
                return NULL;
        }
        if (lstat(rp, st) < 0) {
                problem(c, path, "cannot stat: %s", strerror(errno));
                return NULL;
        }
        return TAKE_PTR(rp);
}

static char *join(const char *dir, const char *name) {
        char *s;
        size_t n = strlen(dir);

        if (asprintf(&s, "%s%s%s", dir, n > 0 && dir[n - 1] == '/' ? "" : "/", name) < 0)
                return NULL;
        return s;
}

/* The last component of path, and the one before it ("" when none): enough
 * to tell a level directory and a variant from their position. */
static void last_two(const char *path, char *last, char *parent, size_t size) {
        _cleanup_free_ char *p = strdup(path);
        char *s;

        last[0] = parent[0] = 0;
        if (!p)
                return;
        for (size_t n = strlen(p); n > 1 && p[n - 1] == '/'; n--)
                p[n - 1] = 0;
        s = strrchr(p, '/');
        snprintf(last, size, "%s", s ? s + 1 : p);
        if (!s)
                return;
        *s = 0;
        s = strrchr(p, '/');
        snprintf(parent, size, "%s", s ? s + 1 : p);
}

static bool is_library(const char *name) {
        const char *s = strstr(name, ".so");
        return s && (s[3] == 0 || s[3] == '.');
}

static bool exists(const struct check *c, const char *path) {
        _cleanup_free_ char *rp = real_path(c, path);
        struct stat st;

        return rp && lstat(rp, &st) == 0;
}

static int skip_dots(const struct dirent *de) {
        return strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0;
}

struct entries {
        struct dirent **v;
        int n;
};

static void entries_free(struct entries *e) {
        for (int i = 0; i < e->n; i++)
                free(e->v[i]);
        free(e->v);
}

/* Sorted, so that messages come in the same order on every file system. */
static int list_dir(const char *rp, struct entries *ret) {
        ret->n = scandir(rp, &ret->v, skip_dots, alphasort);
        if (ret->n < 0) {
                ret->n = 0;
                ret->v = NULL;
                return -errno;
        }
        return 0;
}

/* The target of the symlink at path (*rp inside the root), stat()ed into
 * *st; *rp then names it. 0, or -1 after reporting why not. */
static int follow_symlink(struct check *c, const char *path, char **rp, struct stat *st) {
        char target[PATH_MAX];
        ssize_t n = readlink(*rp, target, sizeof(target) - 1);

        if (n < 0) {
                problem(c, path, "cannot read symlink: %s", strerror(errno));
                return -1;
        }
        target[n] = 0;
        /* An absolute target means the same path inside the root. */
        _cleanup_free_ char *t = target[0] == '/' ? real_path(c, target) : NULL;
        if (target[0] == '/' && !t) {
                problem(c, path, "out of memory");
                return -1;
        }
        if (stat(t ?: *rp, st) < 0) {
                problem(c, path, "dangling symlink to %s", target);
                return -1;
        }
        /* (An absolute target is resolved inside the root one level
         * deep; a chain of absolute links would continue on the host.) */
        if (t) {
                free(*rp);
                *rp = TAKE_PTR(t);
        }
        return 0;
}

/* The variant at path (*rp inside the root), a symlink followed, stat()ed
 * into *st. 0 for a regular file, or -1 after reporting what it is. */
static int stat_variant(struct check *c, const char *path, char **rp, struct stat *st) {
        if (lstat(*rp, st) < 0) {
                problem(c, path, "cannot stat: %s", strerror(errno));
                return -1;
        }
        if (S_ISDIR(st->st_mode)) {
                problem(c, path, "is a directory; a level directory holds only programs and libraries");
                return -1;
        }
        if (S_ISLNK(st->st_mode) && follow_symlink(c, path, rp, st) < 0)
                return -1;
        /* Never open a device or FIFO: opening can block or have effects. */
        if (!S_ISREG(st->st_mode)) {
                problem(c, path, "not a regular file (expected an x86-64 ELF program or library)");
                return -1;
        }
        return 0;
}

/* The instructions of the ELF file open on fd against the level of its
 * directory (isa-audit.h). */
static void check_code(struct check *c, const char *path, int fd, int level, int marker_level) {
        struct hwcaps_isa_result res;
        const char *reason = NULL;
        int r = hwcaps_isa_audit_fd(fd, level, c->allow, &res, &reason);

        if (r == -ENOEXEC || r == -EBADMSG) {
                problem(c, path, "cannot read its code: %s", reason);
                return;
        }
        if (r < 0) {
                problem(c, path, "cannot read its code: %s", strerror(-r));
                return;
        }
        enum hwcaps_isa_verdict v = hwcaps_isa_verdict(&res, level, marker_level);
        if (v == HWCAPS_ISA_OK)
                return;
        _cleanup_free_ char *msg = hwcaps_isa_message(&res, v, level);
        if (v == HWCAPS_ISA_ABOVE)
                problem(c, path, "%s", msg ?: "out of memory");
        else {
                log_warning("%s: %s", path, msg ?: "out of memory");
                c->warnings++;
        }
}

/* The code of a baseline outside the level directories (D/NAME), once. */
static void check_baseline_code(struct check *c, const char *path) {
        _cleanup_free_ char *rp = real_path(c, path);
        struct stat st;

        for (size_t i = 0; i < c->n_audited; i++)
                if (strcmp(c->audited[i], path) == 0)
                        return;
        char **a = reallocarray(c->audited, c->n_audited + 2, sizeof(*a));
        if (!a || !rp || !(a[c->n_audited] = strdup(path))) {
                if (a)
                        c->audited = a;
                problem(c, path, "out of memory");
                return;
        }
        c->audited = a;
        a[++c->n_audited] = NULL;
        /* A symlink (the stub, an alternative) or a script has no code of its own to read. */
        _cleanup_close_ int fd = open(rp, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | O_NOFOLLOW);
        if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
                return;
        char magic[4];
        if (pread(fd, magic, sizeof(magic), 0) != sizeof(magic) || memcmp(magic, "\177ELF", 4) != 0)
                return;
        check_code(c, path, fd, HWCAPS_LEVEL_V1, HWCAPS_LEVEL_V1);
}

/* An x86-64 ELF file whose ISA marker is not above its directory's level.
 * -1 when it cannot be opened (nothing more to check). */
static int check_isa_marker(struct check *c, const char *path, const char *rp, int level) {
        _cleanup_close_ int fd = open(rp, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        struct hwcaps_elf_info info;
        const char *reason = NULL;
        int r;

        if (fd < 0) {
                problem(c, path, "cannot open: %s", strerror(errno));
                return -1;
        }
        r = hwcaps_elf_isa_needed_fd(fd, &info, &reason);
        if (r == -ENOEXEC || r == -EBADMSG)
                problem(c, path, "%s%s (expected an x86-64 ELF program or library)",
                        r == -EBADMSG ? "malformed ELF file: " : "", reason);
        else if (r < 0)
                problem(c, path, "cannot read: %s", strerror(-r));
        else if (info.has_isa_needed) {
                int need = hwcaps_elf_isa_level(info.isa_needed);
                if (need > HWCAPS_LEVEL_MAX)
                        problem(c, path, "ELF ISA marker has unknown level bits (GNU_PROPERTY_X86_ISA_1_NEEDED 0x%x)",
                                info.isa_needed);
                else if (need > level)
                        problem(c, path, "ELF ISA marker %s is above its directory's level %s",
                                hwcaps_level_name(need), hwcaps_level_name(level));
        }
        if (r >= 0)
                check_code(c, path, fd, level, info.has_isa_needed ? hwcaps_elf_isa_level(info.isa_needed) : HWCAPS_LEVEL_V1);
        return 0;
}

static void check_variant_modes(struct check *c, const char *path, const char *name, const struct stat *st) {
        if (!is_library(name) && !(st->st_mode & 0111))
                problem(c, path, "not executable (mode %04o); a program in a level directory must be executable",
                        (unsigned) (st->st_mode & 07777));
        if (st->st_mode & (S_IWGRP | S_IWOTH))
                problem(c, path, "writable by group or others (mode %04o): the stub and the generator refuse it "
                        "(the trust rule); install it mode 0755", (unsigned) (st->st_mode & 07777));
}

/* The baseline: D/name, or D/glibc-hwcaps/x86-64-v1/name when the program
 * is dispatched by the stub (%hwcaps_dispatch). base_dir is a copy of dir,
 * ".../D/glibc-hwcaps/LEVEL", to cut. For a file in x86-64-v1/ itself
 * (level V1): D/name must exist, since nothing else runs or loads it. */
static void check_baseline(struct check *c, const char *path, const char *dir, char *base_dir, const char *name, int level) {
        /* D is dir minus "glibc-hwcaps/LEVEL" when the path spells them out,
         * else dir/../.. (dir was named as "." or the like). */
        char last[NAME_MAX + 1], parent[NAME_MAX + 1];
        _cleanup_free_ char *up = NULL;
        const char *d;

        for (size_t n = strlen(base_dir); n > 1 && base_dir[n - 1] == '/'; n--)
                base_dir[n - 1] = 0;
        last_two(base_dir, last, parent, sizeof(last));
        char *s = strcmp(parent, HWCAPS_DIR) == 0 ? strrchr(base_dir, '/') : NULL;
        if (s) {
                *s = 0;                         /* .../D/glibc-hwcaps */
                s = strrchr(base_dir, '/');
                if (s)
                        *s = 0;                 /* .../D */
                d = !s ? "." : base_dir[0] ? base_dir : "/";
        } else
                d = up = join(dir, "../..");
        if (!d) {
                problem(c, path, "out of memory");
                return;
        }
        _cleanup_free_ char *b1 = join(d, name);
        _cleanup_free_ char *v1dir = join(d, HWCAPS_DIR "/x86-64-v1");
        _cleanup_free_ char *b2 = v1dir ? join(v1dir, name) : NULL;
        if (!b1 || !b2)
                problem(c, path, "out of memory");
        else if (level == HWCAPS_LEVEL_V1) {
                /* The stub at D/name runs x86-64-v1/name; with nothing
                 * there, no CPU runs this baseline. */
                if (!exists(c, b1))
                        problem(c, path, "baseline in " HWCAPS_DIR "/x86-64-v1/ but nothing at %s: nothing runs it "
                                "(%%hwcaps_dispatch puts the dispatch stub there)", b1);
        } else if (!exists(c, b1) && !exists(c, b2))
                problem(c, path, "variant without baseline: neither %s nor %s exists", b1, b2);
        else if (exists(c, b1))
                check_baseline_code(c, b1);
}

/* dir is ".../D/glibc-hwcaps/LEVEL", name a file in it. */
static void check_variant(struct check *c, const char *dir, int level, const char *name) {
        _cleanup_free_ char *path = join(dir, name), *rp = NULL, *base_dir = NULL;
        struct stat st;

        if (!path || !(rp = real_path(c, path)) || !(base_dir = strdup(dir))) {
                problem(c, dir, "out of memory");
                return;
        }
        c->variants++;

        if (stat_variant(c, path, &rp, &st) < 0 || check_isa_marker(c, path, rp, level) < 0)
                return;
        check_variant_modes(c, path, name, &st);
        check_baseline(c, path, dir, base_dir, name, level);
}

/* The modes the trust rule refuses (hwcaps-dispatch(8)); in a buildroot the
 * owner is the build user, so only the modes are checked. */
static void trust_modes(struct check *c, const char *path, const struct stat *st) {
        if (st->st_mode & (S_IWGRP | S_IWOTH))
                problem(c, path, "writable by group or others (mode %04o): the stub and the generator refuse "
                        "it and all below it (the trust rule); install it mode 0755", (unsigned) (st->st_mode & 07777));
        else if (st->st_mode & S_ISVTX)
                problem(c, path, "a sticky directory (mode %04o): the stub and the generator refuse it and all "
                        "below it (the trust rule); install it mode 0755", (unsigned) (st->st_mode & 07777));
}

/* path is ".../glibc-hwcaps/NAME". */
static void check_level_dir(struct check *c, const char *path, const char *name) {
        _cleanup_free_ char *rp = NULL;
        _cleanup_(entries_free) struct entries e = {};
        struct stat st;
        int level = hwcaps_level_dirname_parse(name, strlen(name)), r;

        rp = lstat_path(c, path, &st);
        if (!rp)
                return;
        if (!S_ISDIR(st.st_mode)) {
                problem(c, path, "not a directory; " HWCAPS_DIR "/ holds only level directories");
                return;
        }
        if (level < 0) {
                problem(c, path, "\"%s\" is not a level directory (expected " HWCAPS_LEVEL_DIRNAMES ")", name);
                return;
        }
        trust_modes(c, path, &st);
        r = list_dir(rp, &e);
        if (r < 0) {
                problem(c, path, "cannot open directory: %s", strerror(-r));
                return;
        }
        for (int i = 0; i < e.n; i++)
                check_variant(c, path, level, e.v[i]->d_name);
}

static void check_tree(struct check *c, const char *path, unsigned depth);

/* A single file named on the command line (canon: its real path, when
 * known): a variant in a level directory. */
static void check_named_file(struct check *c, const char *path, const char *canon, unsigned depth) {
        char last[NAME_MAX + 1], parent[NAME_MAX + 1];
        char *slash = strrchr(path, '/');

        last_two(canon ?: path, last, parent, sizeof(last));
        int level = hwcaps_level_dirname_parse(parent, strlen(parent));
        _cleanup_free_ char *dir = slash ? strndup(path, (size_t) (slash - path)) : strdup(".");
        if (!dir) {
                problem(c, path, "out of memory");
                return;
        }
        _cleanup_free_ char *cdir = canon ? strdup(canon) : NULL;
        char *cs = cdir ? strrchr(cdir, '/') : NULL;
        if (cs)
                *cs = 0;
        last_two(cdir ?: dir, last, parent, sizeof(last));
        if (level < 0 && strcmp(parent, HWCAPS_DIR) == 0) {
                /* glibc-hwcaps/x86-64-v5/foo: the directory is wrong. */
                check_level_dir(c, dir, last);
                return;
        }
        if (level < 0 || strcmp(parent, HWCAPS_DIR) != 0) {
                if (depth == 0)
                        problem(c, path, "not in a level directory (expected .../" HWCAPS_DIR "/x86-64-vN/NAME)");
                return;
        }
        check_variant(c, dir, level, slash ? slash + 1 : path);
}

/* The entries of the directory path (rp inside the root): every one a
 * level directory in glibc-hwcaps/, else the subdirectories, descended
 * into. */
static void check_entries(struct check *c, const char *path, const char *rp, bool hwcaps_dir, unsigned depth) {
        _cleanup_(entries_free) struct entries e = {};
        struct stat st;
        int r;

        r = list_dir(rp, &e);
        if (r < 0) {
                problem(c, path, "cannot open directory: %s", strerror(-r));
                return;
        }
        for (int i = 0; i < e.n; i++) {
                _cleanup_free_ char *sub = join(path, e.v[i]->d_name);
                _cleanup_free_ char *rsub = sub ? real_path(c, sub) : NULL;
                if (!rsub) {
                        problem(c, path, "out of memory");
                        return;
                }
                if (hwcaps_dir) {
                        /* Every entry of glibc-hwcaps/ must be a level directory. */
                        check_level_dir(c, sub, e.v[i]->d_name);
                        continue;
                }
                /* Only real directories are descended into: a symlink to "/"
                 * in a buildroot must not make us check the build host. */
                if (lstat(rsub, &st) < 0) {
                        /* A subtree we cannot look at is not a subtree
                         * without problems (found by tests/faults: a failing
                         * lstat made "0 variants, no problems", exit 0). */
                        if (errno != ENOENT)
                                problem(c, sub, "cannot stat: %s", strerror(errno));
                        continue;
                }
                /* A setuid or setgid stub would run what its caller's
                 * path names with its rights, were it not for the
                 * identity rule; nothing needs one. */
                if (S_ISREG(st.st_mode) && (st.st_mode & (S_ISUID | S_ISGID)) && resolve_is_stub(rsub))
                        problem(c, sub, "a set%cid copy of the dispatch stub (mode %04o): dispatching needs no "
                                "privilege, and a privileged stub is an attack surface; install it mode 0755",
                                st.st_mode & S_ISUID ? 'u' : 'g', (unsigned) (st.st_mode & 07777));
                if (!S_ISDIR(st.st_mode))
                        continue;
                check_tree(c, sub, depth + 1);
        }
}

static void check_tree(struct check *c, const char *path, unsigned depth) {
        _cleanup_free_ char *rp = NULL;
        char last[NAME_MAX + 1], parent[NAME_MAX + 1];
        struct stat st;

        rp = lstat_path(c, path, &st);
        if (!rp)
                return;

        /* "." or "../x86-64-v3" named on the command line: classify by the
         * real names (inside a --root, PATH is absolute already). */
        _cleanup_free_ char *canon = depth == 0 && !c->root[0] ? realpath(rp, NULL) : NULL;
        last_two(canon ?: path, last, parent, sizeof(last));
        if (strcmp(parent, HWCAPS_DIR) == 0) {
                check_level_dir(c, path, last);
                return;
        }
        if (strcmp(last, HWCAPS_DIR) == 0 && S_ISDIR(st.st_mode))
                trust_modes(c, path, &st);
        if (!S_ISDIR(st.st_mode)) {
                check_named_file(c, path, canon, depth);
                return;
        }
        /* Far deeper than any real tree: a loop of bind mounts or the like. */
        if (depth > 64)
                return;
        check_entries(c, path, rp, strcmp(last, HWCAPS_DIR) == 0, depth);
}

static const char check_help[] =
        "Usage: hwcaps check [--root DIR] [--allow-function GLOB]... [PATH...]\n"
        "       hwcaps check --owners [--root DIR] [--json]\n"
        "Check the glibc-hwcaps level directories under each PATH (a directory tree,\n"
        "a level directory or a single variant; default: all of DIR). Fails, naming\n"
        "file and reason, for: a variant without baseline program, a baseline in\n"
        "x86-64-v1/ with nothing (no stub) at DIR/NAME, an ELF ISA marker\n"
        "above its directory's level, a directory in glibc-hwcaps/ that is not a\n"
        "level, a program that is not executable, a file that is not an x86-64 ELF,\n"
        "an instruction that needs a feature above the level of its directory (in a\n"
        "baseline: above x86-64-v1). Warns for a variant whose ISA marker and code\n"
        "need nothing above the baseline (the level flags never reached it).\n"
        "  --root DIR    PATHs are inside DIR (a buildroot or a sysroot); messages\n"
        "                name files as installed (also $HWCAPS_ROOT)\n"
        "  --allow-function GLOB\n"
        "                code in functions named GLOB is chosen at run time by a\n"
        "                CPU check: not audited (repeatable; names with a feature\n"
        "                as a word, like foo_avx2 or foo.arch_x86_64_v3.0, need none)\n"
        "  --owners      list every variant with the package owning it and its baseline,\n"
        "                flagging stale and missing baselines (DIR's rpm or dpkg database)\n"
        "  --json        with --owners: JSON output\n"
        "Exit status: 0 no problems, 1 problems found, 2 usage error.\n";

struct check_args {
        const char *root;   /* hwcaps_root(--root) */
        bool owners, json;
        char **paths;       /* NULL-terminated; empty: all of root */
        char **allow;       /* --allow-function, NULL-terminated */
};

static int parse_argv(int argc, char **argv, struct check_args *ret) {
        static const struct option options[] = {
                { "help", no_argument, NULL, 'h' },
                { "root", required_argument, NULL, 'r' },
                { "owners", no_argument, NULL, 'o' },
                { "json", no_argument, NULL, 'j' },
                { "allow-function", required_argument, NULL, 'a' },
                {}
        };
        struct options o = {
                .name = "check", .help = check_help, .shortopts = "+:h", .longopts = options,
                .argc = argc, .argv = argv,
        };
        const char *root = NULL;
        int c;

        *ret = (struct check_args) {};
        /* Each option takes at least one argv slot: argc bounds them. */
        ret->allow = calloc((size_t) argc + 1, sizeof(char *));
        if (!ret->allow) {
                log_error("check: out of memory");
                return -ENOMEM;
        }
        size_t n_allow = 0;
        while ((c = options_next(&o)) > 0)
                switch (c) {
                case 'a':
                        ret->allow[n_allow++] = optarg;
                        break;
                case 'r':
                        root = optarg;
                        break;
                case 'o':
                        ret->owners = true;
                        break;
                case 'j':
                        ret->json = true;
                        break;
                }
        if (c != OPTIONS_END)
                return c;
        if (ret->json && !ret->owners) {
                usage_error("check: --json goes with --owners");
                return -EINVAL;
        }
        if (ret->owners && n_allow > 0) {
                usage_error("check: --allow-function goes with a check of the code, not --owners");
                return -EINVAL;
        }
        ret->root = hwcaps_root(root);
        if (ret->owners && optind < argc) {
                usage_error("check: --owners takes no PATH (it reads the package databases of --root)");
                return -EINVAL;
        }
        if (!ret->owners && optind >= argc && !ret->root[0]) {
                usage_error("check: name a PATH to check, or --root DIR");
                return -EINVAL;
        }
        ret->paths = argv + optind;
        return 1;
}

static int report_owners(const char *root, bool json) {
        /* The package databases want an absolute root. */
        _cleanup_free_ char *abs = root[0] ? realpath(root, NULL) : NULL;
        int r;

        if (root[0] && !abs) {
                log_error("%s: %s", root, strerror(errno));
                return EXIT_FAIL;
        }
        if (!json)
                r = hwcaps_pkg_report(abs ?: "/", stdout, false);
        else {
                /* The report is one object, the value of "packages" as in
                 * hwcaps status --packages --json; nothing after an error. */
                _cleanup_free_ char *report = NULL;
                size_t size = 0;
                FILE *m = open_memstream(&report, &size);

                if (!m) {
                        log_error("check: %s", strerror(errno));
                        return EXIT_FAIL;
                }
                r = hwcaps_pkg_report(abs ?: "/", m, true);
                if (fclose(m) != 0) {
                        log_error("check: out of memory");
                        return EXIT_FAIL;
                }
                if (r >= 0) {
                        json_begin(stdout, "check", false);
                        printf("\"packages\":%.*s}\n", (int) strcspn(report, "\n"), report);
                }
        }
        if (r < 0)
                return EXIT_FAIL;
        return r > 0 ? EXIT_FAIL : EXIT_OK;
}

static void check_done(struct check *c) {
        for (size_t i = 0; i < c->n_audited; i++)
                free(c->audited[i]);
        free(c->audited);
}

static int check_paths(const char *root, char **allow, char **paths) {
        _cleanup_(check_done) struct check c = { .root = root, .allow = allow };

        /* A relative first PATH is the usage error to say first (below). */
        if (!(root[0] && paths[0] && paths[0][0] != '/') && hwcaps_root_usable("check", root) < 0)
                return EXIT_FAIL;

        if (!paths[0])
                check_tree(&c, "/", 0);
        for (char **p = paths; *p; p++) {
                /* A relative PATH is a usage error when reached: the PATHs
                 * before it are checked and reported first. */
                if (c.root[0] && (*p)[0] != '/') {
                        usage_error("check: with --root, PATH must be absolute (inside the root): '%s'", *p);
                        return EXIT_USAGE;
                }
                check_tree(&c, *p, 0);
        }

        if (c.problems > 0) {
                log_error("check: %u problem%s in glibc-hwcaps directories", c.problems, c.problems == 1 ? "" : "s");
                return EXIT_FAIL;
        }
        if (c.warnings > 0)
                printf("%s: check: %u variant%s, no problems, %u warning%s\n", program_name, c.variants,
                       c.variants == 1 ? "" : "s", c.warnings, c.warnings == 1 ? "" : "s");
        else
                printf("%s: check: %u variant%s, no problems\n", program_name, c.variants, c.variants == 1 ? "" : "s");
        return EXIT_OK;
}

int cmd_check(int argc, char **argv) {
        struct check_args args;
        int r = parse_argv(argc, argv, &args);
        _cleanup_free_ char **allow = args.allow;

        if (r <= 0)
                return options_exit_status(r);
        return args.owners ? report_owners(args.root, args.json) : check_paths(args.root, args.allow, args.paths);
}
