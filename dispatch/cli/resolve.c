/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/openat2.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "commands.h"
#include "cpu-raw.h"
#include "elf-note.h"
#include "fileio.h"
#include "identity.h"
#include "macro.h"
#include "policy.h"
#include "probe.h"
#include "resolve.h"
#include "searchpath.h"
#include "tunables.h"

extern char **environ;

/* The file that path names inside tree, as a path this process can open:
 * path itself when tree is "" (the real root); else the real path the
 * kernel finds with tree as the root (openat2() RESOLVE_IN_ROOT: ".." and
 * absolute symbolic links stay inside, as under chroot). NULL with errno
 * when there is no such file. */
/* openat2()'s RESOLVE_IN_ROOT where the kernel lacks it (Linux < 5.6, a
 * seccomp filter, valgrind 3.19): path walked component by component from
 * root, each symbolic link read and followed the same way (absolute ones
 * from root), ".." never above root, at most 40 links as the kernel. */
static int open_in_root_walk(int root, const char *path) {
        char rest[2 * PATH_MAX], link[PATH_MAX];
        int fd = fcntl(root, F_DUPFD_CLOEXEC, 3), depth = 0, links = 0;

        if (fd < 0 || strlen(path) >= sizeof rest)
                return fd < 0 ? -1 : (close(fd), errno = ENAMETOOLONG, -1);
        strcpy(rest, path);
        for (char *p = rest; fd >= 0;) {
                while (*p == '/')
                        p++;
                if (!*p)
                        return fd;
                char *e = strchrnul(p, '/'), saved = *e;
                struct stat st;
                bool dotdot;
                int next;

                *e = '\0';
                dotdot = strcmp(p, "..") == 0;
                if (strcmp(p, ".") == 0 || (dotdot && depth == 0))
                        next = -2;
                else
                        next = openat(fd, p, O_PATH | O_NOFOLLOW | O_CLOEXEC);
                if (next == -1) {
                        close(fd);
                        return -1;
                }
                if (next >= 0 && fstat(next, &st) == 0 && S_ISLNK(st.st_mode)) {
                        ssize_t n = readlinkat(fd, p, link, sizeof link - 1);

                        close(next);
                        *e = saved;
                        if (n <= 0 || ++links > 40 || (size_t) n + strlen(e) + 1 >= sizeof rest) {
                                close(fd);
                                errno = n <= 0 ? EIO : links > 40 ? ELOOP : ENAMETOOLONG;
                                return -1;
                        }
                        memmove(rest + n, e, strlen(e) + 1);
                        memcpy(rest, link, n);
                        p = rest;
                        if (link[0] == '/') {
                                close(fd);
                                fd = fcntl(root, F_DUPFD_CLOEXEC, 3);
                                depth = 0;
                        }
                        continue;
                }
                *e = saved;
                p = e;
                if (next == -2)
                        continue;
                close(fd);
                fd = next;
                depth += dotdot ? -1 : 1;
        }
        return -1;
}

static char *in_tree(const char *tree, const char *path) {
        struct open_how how = { .flags = O_PATH | O_CLOEXEC, .resolve = RESOLVE_IN_ROOT };
        _cleanup_close_ int dfd = -1, fd = -1;
        char proc[64];

        if (!tree[0])
                return strdup(path);
        dfd = open(tree, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (dfd < 0)
                return NULL;
        fd = (int) syscall(SYS_openat2, dfd, path, &how, sizeof how);
        if (fd < 0 && errno == ENOSYS)
                fd = open_in_root_walk(dfd, path);
        if (fd < 0)
                return NULL;
        snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
        return realpath(proc, NULL);
}

/* resolve_is_stub() for a path inside tree. */
static bool is_stub(const char *tree, const char *path) {
        _cleanup_close_ int fd = -1;
        _cleanup_free_ char *host = in_tree(tree, path), *stub = in_tree(tree, HWCAPS_STUB_PATH);
        struct hwcaps_elf_info info;
        struct stat a, b;

        if (!host || stat(host, &a) < 0 || !S_ISREG(a.st_mode))
                return false;
        if (stub && stat(stub, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino)
                return true;
        /* O_NONBLOCK: a file swapped for a FIFO since stat() must not
         * hold "hwcaps which --pid" (root's) forever; fstat() decides. */
        fd = open(host, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        return fd >= 0 && hwcaps_elf_isa_needed_fd(fd, &info, NULL) == 0 && info.dispatch_stub;
}

bool resolve_is_stub(const char *path) {
        return is_stub("", path);
}

static int add(struct resolve *r, int level, bool runnable, char *path, const char *fmt, ...)
        __attribute__((format(printf, 5, 6)));

static int add(struct resolve *r, int level, bool runnable, char *path, const char *fmt, ...) {
        struct resolve_candidate *c = reallocarray(r->c, r->n + 1, sizeof *c);
        char *why = NULL;
        va_list ap;

        if (!c) {
                free(path);
                return -ENOMEM;
        }
        r->c = c;
        if (fmt) {
                va_start(ap, fmt);
                if (vasprintf(&why, fmt, ap) < 0)
                        why = NULL;
                va_end(ap);
        }
        r->c[r->n++] = (struct resolve_candidate) { path, level, runnable, why };
        return 0;
}

/* Why the file at path (inside tree) cannot be executed, or NULL when it
 * can. The kernel decides in the end; these are the causes execve() would
 * report (and so the stub would go on to the next candidate). */
static const char *file_problem(const char *tree, const char *path, const struct stat *self, bool variant) {
        static char why[PATH_MAX + 80];
        struct stat st;
        unsigned char head[256];
        _cleanup_close_ int fd = -1;
        _cleanup_free_ char *host = in_tree(tree, path);
        ssize_t n;

        if (!host && errno == ENOMEM)
                return "cannot be examined (out of memory)";
        if (!host || stat(host, &st) < 0)
                return errno == ENOENT || errno == ENOTDIR ? "missing" :
                       errno == ELOOP ? "symlink loop" : "cannot be examined";
        if (self && st.st_dev == self->st_dev && st.st_ino == self->st_ino)
                return "is the dispatch stub itself";
        if (!S_ISREG(st.st_mode))
                return "not a regular file";
        if (access(host, X_OK) < 0)
                return "not executable (no exec permission, or a noexec mount)";
        /* What binfmt_elf and binfmt_script accept: an x86-64 ELF header
         * (64 bytes for ELFCLASS64), or "#!" and an interpreter that can be
         * executed. binfmt_misc handlers are not asked. */
        fd = open(host, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK); /* as in is_stub() */
        n = fd >= 0 ? read(fd, head, sizeof head - 1) : -1;
        if (n >= 2 && memcmp(head, "#!", 2) == 0) {
                _cleanup_free_ char *interp = NULL;
                size_t i = 2, j;

                head[n] = '\0';
                while (head[i] == ' ' || head[i] == '\t')
                        i++;
                for (j = i; head[j] && !strchr(" \t\n", head[j]); j++)
                        ;
                head[j] = '\0';
                interp = j > i ? in_tree(tree, (char *) head + i) : NULL;
                if (!interp || access(interp, X_OK) < 0) {
                        snprintf(why, sizeof why, "its #! interpreter %s is missing or not executable",
                                 j == i ? "(none)" : (char *) head + i);
                        return why;
                }
        } else if (n >= 0 && !(n >= 64 && memcmp(head, "\177ELF", 4) == 0))
                return "not an executable format (neither an ELF header nor #!)";
        else if (n >= 64 && (head[4] != 2 || head[18] != 62 || head[19] != 0))
                return "an ELF file for another machine than x86-64 (not an executable format here)";
        if (variant && is_stub(tree, path))
                return "a copy of the dispatch stub: the stub runs it, and it stops (exit 127)";
        return NULL;
}

static const char *level_skip(const struct resolve *r, int level, char *buf, size_t size) {
        if (level > (int) r->d.cpu) {
                snprintf(buf, size, "level not supported by this CPU (%s)",
                         hwcaps_level_name(r->d.cpu) ?: "below x86-64-v1");
                return buf;
        }
        if (level > (int) r->d.cap) {
                snprintf(buf, size, "capped at %s by %s", hwcaps_level_name(r->d.cap), r->d.why);
                return buf;
        }
        return NULL;
}

const char *resolve_getenv(char *const *envp, const char *name) {
        size_t n = strlen(name);

        for (char *const *e = envp; e && *e; e++)
                if (strncmp(*e, name, n) == 0 && (*e)[n] == '=')
                        return *e + n + 1;
        return NULL;
}

/* The stub's decision, as the stub makes it: CPUID, then GLIBC_TUNABLES
 * masks of envp; the boot's options from the same files; the environment
 * envp unless secure (AT_SECURE). Warnings only the first time. */
static void decide(struct resolve *r, const char *root, char *const *envp, bool secure, bool warn) {
        struct hwcaps_probe p, g;
        struct hwcaps_tunables t;
        struct hwcaps_env env;
        struct hwcaps_trust_root tr;
        struct hwcaps_cmdline_warn cw = { warn ? log_warning_cb : NULL, NULL, 0 };

        hwcaps_probe_cpuid(&p);
        hwcaps_tunables_from_env(envp, secure, &t);
        hwcaps_tunables_apply(&t, &p.view);
        hwcaps_probe_glibc(&g);
        /* glibc's view is this process's, under our GLIBC_TUNABLES: a
         * cross-check only where the environment is ours. */
        r->glibc_level = envp == environ ? g.level : hwcaps_level_from_usable(p.view.usable);
        hwcaps_env_scan(envp, secure, &env);
        /* A --root tree is the whole system, for a setuid stub in it too. */
        (void) hwcaps_trust_root_open(r->tree[0] ? r->tree : !secure && root && root[0] ? root : NULL, &tr);
        hwcaps_decision_init(&r->d);
        r->boot_from = hwcaps_decision_boot(&r->d, &tr, hwcaps_cmdline_warn, &cw);
        hwcaps_trust_root_close(&tr);
        hwcaps_decision_env(&r->d, &env, HWCAPS_SRC_ENV);
        hwcaps_decision_finish(&r->d, hwcaps_level_from_usable(p.view.usable));
        if (!warn)
                return;
        if (r->boot_from == HWCAPS_BOOT_UNKNOWN)
                log_warning("%s: the stub runs the baseline", r->d.why);
        if (env.max_level && env.max_level[0] && hwcaps_level_parse(env.max_level, strlen(env.max_level)) < 0)
                log_warning("HWCAPS_MAX_LEVEL=%s: unknown level (expected " HWCAPS_LEVEL_NAMES "), "
                            "counts as x86-64-v1", hwcaps_printable(env.max_level, strlen(env.max_level), 40));
        if (env.hwcaps && env.hwcaps[0] && hwcaps_parse_boolean(env.hwcaps, strlen(env.hwcaps)) < 0)
                log_warning("HWCAPS=%s: not a boolean (expected on or off), counts as off",
                            hwcaps_printable(env.hwcaps, strlen(env.hwcaps), 40));
}

/* The stub's identity when started as path: the program it stands for,
 * into program (size bytes), and its own file (*self, when *have_self).
 * Returns an enum hwcaps_identity_error. */
static int stub_identity(struct resolve *r, const char *path, char *program, size_t size,
                         struct hwcaps_stat *self, bool *have_self) {
        char *const argv[] = { (char *) path, NULL };
        struct hwcaps_trust_root tr;
        struct hwcaps_identity_in in = { .execfn = path, .argv = argv, .argc = 1 };
        _cleanup_free_ char *host = in_tree(r->tree, path);
        struct stat st;
        int id;

        /* Started by this user, a setuid or setgid stub runs with AT_SECURE:
         * its identity is its own file, and the environment is not
         * believed. */
        if (host && stat(host, &st) == 0 && S_ISREG(st.st_mode) &&
            (((st.st_mode & S_ISUID) && st.st_uid != geteuid()) || ((st.st_mode & S_ISGID) && st.st_gid != getegid()))) {
                _cleanup_free_ char *real = realpath(host, NULL);
                size_t skip = strlen(r->tree);

                r->secure = true;
                decide(r, NULL, r->envp, true, false);
                /* Inside the tree the real path starts with the tree's own. */
                if (real && skip) {
                        _cleanup_free_ char *top = realpath(r->tree, NULL);

                        skip = top && strcmp(top, "/") != 0 ? strlen(top) : 0;
                }
                id = real && strlen(real + skip) < size ? HWCAPS_IDENTITY_OK : HWCAPS_IDENTITY_TOO_LONG;
                if (id == HWCAPS_IDENTITY_OK) {
                        strcpy(program, real + skip);
                        *self = (struct hwcaps_stat) { st.st_dev, st.st_ino, st.st_mode, st.st_uid, st.st_size };
                        *have_self = true;
                        if (strcmp(strrchr(program, '/') + 1, "hwcaps-dispatch") == 0)
                                id = HWCAPS_IDENTITY_OWN_NAME;
                }
        } else {
                const char *prog;

                if (r->tree[0] && hwcaps_trust_root_open(r->tree, &tr) != HWCAPS_TRUST_MISSING)
                        in.root = &tr;
                id = hwcaps_identity(&in, program, size, self, have_self, &prog);
                if (id == HWCAPS_IDENTITY_OK && prog != program)
                        snprintf(program, size, "%s", prog);
                if (in.root) {
                        /* The stub's own file as the kernel finds it inside the
                         * tree: fstatat() would follow an absolute link out. */
                        *have_self = host && stat(host, &st) == 0;
                        if (*have_self)
                                *self = (struct hwcaps_stat) { st.st_dev, st.st_ino, st.st_mode, st.st_uid, st.st_size };
                        hwcaps_trust_root_close(&tr);
                }
        }
        return id;
}

/* The candidate p for level l, as the stub checks it; *stopped once the
 * stub would stop at a copy of itself. */
static int add_candidate(struct resolve *r, struct hwcaps_candidates *cands, int l, char *p, bool *stopped) {
        char buf[PATH_MAX + 128];
        const struct hwcaps_trust *t;
        const char *skip;

        switch (hwcaps_candidate_check(cands, l, &t)) {
        case HWCAPS_CANDIDATE_TOO_LONG:
                snprintf(p, PATH_MAX, "%s", hwcaps_level_name(l));
                return add(r, l, false, p, "path too long");
        case HWCAPS_CANDIDATE_MISSING:
                return add(r, l, false, p, "missing");
        case HWCAPS_CANDIDATE_UNSAFE:
                return add(r, l, false, p, "unsafe: %s %s", t->where, hwcaps_trust_reason_text(t->reason));
        case HWCAPS_CANDIDATE_SELF:
                return add(r, l, false, p, "is the dispatch stub itself");
        default:
                if (*stopped)
                        return add(r, l, false, p, "not reached: the stub stops at the copy above");
                if (l > HWCAPS_LEVEL_V1 && (skip = level_skip(r, l, buf, sizeof buf)))
                        return add(r, l, false, p, "%s", skip);
                if ((skip = file_problem(r->tree, p, NULL, true))) {
                        *stopped = is_stub(r->tree, p);
                        return add(r, l, false, p, "%s", skip);
                }
                return add(r, l, true, p, NULL);
        }
}

/* The stub's candidates for program, highest level first. */
static int add_candidates(struct resolve *r, const char *program, const struct hwcaps_stat *self) {
        struct hwcaps_trust_root slash;
        struct hwcaps_candidates cands;
        bool stopped = false;
        int k = 0;

        /* The trust rule walks from the tree's root, as the stub from "/". */
        (void) hwcaps_trust_root_open(r->tree, &slash);
        hwcaps_candidates_init(&cands, &slash, program, self);
        for (int l = HWCAPS_LEVEL_MAX; l >= HWCAPS_LEVEL_V1 && k >= 0; l--) {
                char *p = malloc(PATH_MAX);

                if (!p) {
                        k = -ENOMEM;
                        break;
                }
                if (hwcaps_candidate_path(program, l, p, PATH_MAX) == 0) {
                        snprintf(p, PATH_MAX, "%s", hwcaps_level_name(l));
                        k = add(r, l, false, p, "path too long");
                        continue;
                }
                k = add_candidate(r, &cands, l, p, &stopped);
        }
        hwcaps_trust_root_close(&slash);
        return k;
}

/* What the stub does when started as `path` (by execve(path), so AT_EXECFN
 * is path): its identity, then its candidates, by the same code. */
static int resolve_stub(struct resolve *r, const char *path) {
        char program[PATH_MAX];
        struct hwcaps_stat self;
        bool have_self = false;
        int id;

        r->stub = strdup(path);
        if (!r->stub)
                return -ENOMEM;
        id = stub_identity(r, path, program, sizeof program, &self, &have_self);
        if (id != HWCAPS_IDENTITY_OK) {
                char *p = strdup(path);

                return p ? add(r, 0, false, p, "the stub stops: %s", hwcaps_identity_error_text(id)) : -ENOMEM;
        }
        r->program = strdup(program);
        if (!r->program)
                return -ENOMEM;
        return add_candidates(r, program, have_self ? &self : NULL);
}

/* The PATH given, searched as execvp() and a shell search it: each entry
 * in order (an empty one is the working directory), the first executable
 * file wins. A stub found so is followed as the stub would be. */
static int resolve_path(struct resolve *r, const char *name, const struct resolve_env *env) {
        const char *path = resolve_getenv(env->envp, "PATH"), *s;
        int k;

        /* execvp()'s default when PATH is unset (glibc posix/execvpe.c). */
        if (!path)
                path = "/bin:/usr/bin";
        for (s = path;; ) {
                const char *e = strchrnul(s, ':');
                char *p = NULL;
                const char *skip;

                /* Another process's relative entries are relative to its
                 * working directory. */
                bool rel = env->cwd && *s != '/';

                if (asprintf(&p, "%s%s%.*s%s%s", rel ? env->cwd : "", rel && e > s ? "/" : "",
                             (int) (e - s), s, e > s || rel ? "/" : "", name) < 0)
                        return -ENOMEM;
                /* Inside a tree nothing is the working directory. */
                skip = r->tree[0] && p[0] != '/' ? "a relative PATH entry: not searched inside --root" :
                       file_problem(r->tree, p, NULL, false);
                if (!skip && is_stub(r->tree, p)) {
                        k = add(r, 0, false, strdup(p), "the dispatch stub: it runs the first of the variants below");
                        if (k >= 0)
                                k = resolve_stub(r, p);
                        free(p);
                        return k;
                }
                k = skip ? add(r, 0, false, p, "%s", skip) : add(r, 0, true, p, NULL);
                if (k < 0 || !skip || !*e)
                        return k;
                s = e + 1;
        }
}

int resolve_name(const char *name, const char *root, const char *tree, struct resolve *ret) {
        const struct resolve_env own = { environ, getauxval(AT_SECURE) != 0, NULL, false };

        return resolve_name_env(name, root, tree, &own, ret);
}

int resolve_name_env(const char *name, const char *root, const char *tree, const struct resolve_env *env,
                     struct resolve *ret) {
        struct resolve r = { .tree = tree, .envp = env->envp };
        int k;

        decide(&r, root, env->envp, env->secure, !env->quiet);

        if (strchr(name, '/')) {
                r.stub_mode = is_stub(tree, name);
                if (r.stub_mode)
                        k = resolve_stub(&r, name);
                else {
                        char *q = strdup(name);
                        const char *skip = q ? file_problem(tree, q, NULL, false) : NULL;

                        r.not_stub = true;
                        k = !q ? -ENOMEM : skip ? add(&r, 0, false, q, "%s", skip) : add(&r, 0, true, q, NULL);
                }
        } else
                k = resolve_path(&r, name, env);
        if (k < 0) {
                resolve_done(&r);
                return k;
        }
        *ret = r;
        return 0;
}

void resolve_decision(const char *root, const char *tree, struct resolve *ret) {
        *ret = (struct resolve) { .tree = tree, .envp = environ };
        decide(ret, root, environ, getauxval(AT_SECURE) != 0, true);
}

int resolve_program(const char *program, const char *root, const char *tree, int max_level, bool warn,
                    struct resolve *ret) {
        struct resolve r = { .tree = tree, .envp = environ };
        int k;

        decide(&r, root, environ, getauxval(AT_SECURE) != 0, warn);
        if (max_level > 0) {
                const char *name = hwcaps_level_name(max_level);

                hwcaps_decision_cap(&r.d, max_level, HWCAPS_SRC_CONFIG, "--max-level=", name, strlen(name));
                hwcaps_decision_finish(&r.d, r.d.cpu);
        }
        r.stub_mode = is_stub(tree, program);
        if (r.stub_mode)
                k = resolve_stub(&r, program);
        else {
                char *q = strdup(program);
                const char *skip = q ? file_problem(r.tree, q, NULL, false) : NULL;

                r.program = strdup(program);
                k = !q || !r.program ? -ENOMEM : add_candidates(&r, program, NULL);
                if (k >= 0)
                        k = skip ? add(&r, 0, false, TAKE_PTR(q), "%s", skip) : add(&r, 0, true, TAKE_PTR(q), NULL);
                free(q);
        }
        if (k < 0) {
                resolve_done(&r);
                return k;
        }
        *ret = r;
        return 0;
}

int resolve_variants(const char *program, const char *root, const struct resolve_env *env, struct resolve *ret) {
        struct resolve r = { .tree = "", .envp = env->envp };
        int k;

        decide(&r, root, env->envp, env->secure, !env->quiet);
        r.program = strdup(program);
        k = r.program ? add_candidates(&r, program, NULL) : -ENOMEM;
        if (k < 0) {
                resolve_done(&r);
                return k;
        }
        *ret = r;
        return 0;
}

const struct resolve_candidate *resolve_runs(const struct resolve *r) {
        for (size_t i = 0; i < r->n; i++)
                if (r->c[i].runnable)
                        return &r->c[i];
        return NULL;
}

const char *resolve_winner(const struct resolve *r) {
        const struct resolve_candidate *c = resolve_runs(r);

        return c ? c->path : NULL;
}

void resolve_done(struct resolve *r) {
        for (size_t i = 0; i < r->n; i++) {
                free(r->c[i].path);
                free(r->c[i].why);
        }
        free(r->c);
        free(r->stub);
        free(r->program);
        *r = (struct resolve) { 0 };
}

void resolve_print_plan(const struct resolve *r, FILE *f) {
        fprintf(f, "CPU level %s (CPUID, GLIBC_TUNABLES applied)", hwcaps_level_name(r->d.cpu) ?: "below x86-64-v1");
        if (r->d.src != HWCAPS_SRC_NONE)
                fprintf(f, ", capped at %s by %s", hwcaps_level_name(r->d.cap), r->d.why);
        fputc('\n', f);
        if (r->glibc_level != r->d.cpu)
                log_warning("glibc's own view says %s, CPUID says %s: please report this",
                            hwcaps_level_name(r->glibc_level) ?: "none", hwcaps_level_name(r->d.cpu) ?: "none");
}
