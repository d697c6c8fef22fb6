/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "cpu-raw.h"
#include "fileio.h"
#include "macro.h"
#include "probe.h"
#include "resolve.h"
#include "searchpath.h"
#include "tunables.h"

#define STUB_MARKER "HWCAPS-DISPATCH-STUB-1"
#define STUB_SCAN_MAX (1024 * 1024) /* the stub is ~10 KiB */

extern char **environ;

bool resolve_is_stub(const char *path) {
        _cleanup_close_ int fd = -1;
        _cleanup_free_ char *buf = NULL;
        struct stat a, b;
        ssize_t n;

        if (stat(path, &a) < 0 || !S_ISREG(a.st_mode))
                return false;
        if (stat(HWCAPS_STUB_PATH, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino)
                return true;
        if (a.st_size > STUB_SCAN_MAX)
                return false;
        fd = open(path, O_RDONLY | O_CLOEXEC);
        buf = malloc(STUB_SCAN_MAX);
        if (fd < 0 || !buf)
                return false;
        n = read(fd, buf, STUB_SCAN_MAX);
        return n > 0 && memmem(buf, n, STUB_MARKER, strlen(STUB_MARKER));
}

static void warn_cmdline(void *userdata, const char *key, const char *value, size_t n) {
        (void) userdata;
        log_warning("kernel command line: ignoring %s=%.*s (expected a boolean, or x86-64-v1 .. x86-64-v4 for hwcaps.max)",
                    key, (int) n, value);
}

static void read_cmdline(const char *root, struct hwcaps_cmdline *c) {
        _cleanup_free_ char *buf = NULL;
        size_t n = 0;
        int r;

        *c = (struct hwcaps_cmdline) { .enabled = -1, .env_enabled = -1 };
        /* As the stub (stub.c read_cmdline()): missing means no options;
         * unreadable, or longer than the stub reads, means the baseline. */
        r = hwcaps_read_file(root, "/proc/cmdline", HWCAPS_CMDLINE_MAX, &buf, &n);
        if (r == -ENOENT || r == -ENOTDIR)
                return;
        if (r < 0) {
                log_warning("cannot read %s/proc/cmdline: %s; the stub runs the baseline", root,
                            r == -EFBIG ? "longer than 64 KiB" : strerror(-r));
                c->enabled = 0;
                return;
        }
        hwcaps_cmdline_parse(buf, n, c, warn_cmdline, NULL);
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

/* Why the file at path cannot be executed, or NULL when it can. The
 * kernel decides in the end; these are the causes execve() would report. */
static const char *file_problem(const char *path, const struct stat *self, bool variant) {
        struct stat st;
        unsigned char head[64];
        _cleanup_close_ int fd = -1;
        ssize_t n;

        if (stat(path, &st) < 0)
                return errno == ENOENT || errno == ENOTDIR ? "missing" :
                       errno == ELOOP ? "symlink loop" : "cannot be examined";
        if (self && st.st_dev == self->st_dev && st.st_ino == self->st_ino)
                return "is the dispatch stub itself";
        if (!S_ISREG(st.st_mode))
                return "not a regular file";
        if (access(path, X_OK) < 0)
                return "not executable (no exec permission, or a noexec mount)";
        /* What binfmt_elf and binfmt_script accept: an ELF header (64 bytes
         * for ELFCLASS64) or "#!". binfmt_misc handlers are not asked. */
        fd = open(path, O_RDONLY | O_CLOEXEC);
        n = fd >= 0 ? read(fd, head, sizeof head) : -1;
        if (n >= 0 && !(n >= 2 && memcmp(head, "#!", 2) == 0) &&
            !(n == (ssize_t) sizeof head && memcmp(head, "\177ELF", 4) == 0))
                return "not an executable format (neither an ELF header nor #!)";
        if (variant && resolve_is_stub(path))
                return "a copy of the dispatch stub, not a variant";
        return NULL;
}

static const char *level_skip(const struct resolve *r, int level, char *buf, size_t size) {
        if (level > (int) r->plan.cpu) {
                snprintf(buf, size, "level not supported by this CPU (%s)",
                         hwcaps_level_name(r->plan.cpu) ?: "below x86-64-v1");
                return buf;
        }
        if (level > (int) r->plan.cap) {
                snprintf(buf, size, "capped at %s by %s", hwcaps_level_name(r->plan.cap),
                         hwcaps_cap_reason_name(r->plan.reason));
                return buf;
        }
        return NULL;
}

static int resolve_stub(struct resolve *r, const char *name) {
        struct stat self;
        bool have_self = stat(name, &self) == 0;
        char buf[256];
        int k;

        for (int l = HWCAPS_LEVEL_MAX; l >= HWCAPS_LEVEL_V1; l--) {
                char *p = malloc(PATH_MAX);
                const char *skip;

                if (!p)
                        return -ENOMEM;
                if (hwcaps_candidate_path(name, l, p, PATH_MAX) == 0) {
                        snprintf(p, PATH_MAX, "%s", hwcaps_level_name(l));
                        k = add(r, l, false, p, "path too long");
                } else if ((skip = level_skip(r, l, buf, sizeof buf)) && l > HWCAPS_LEVEL_V1)
                        k = add(r, l, false, p, "%s", skip);
                else if ((skip = file_problem(p, have_self ? &self : NULL, true)))
                        k = add(r, l, false, p, "%s", skip);
                else
                        k = add(r, l, true, p, NULL);
                if (k < 0)
                        return k;
        }
        return 0;
}

static bool in_path(const char *path, const char *dir, size_t n) {
        const char *s = path;

        for (;;) {
                const char *e = strchrnul(s, ':');
                size_t m = e - s;

                while (m > 1 && s[m - 1] == '/')
                        m--;
                if (m == n && memcmp(s, dir, n) == 0)
                        return true;
                if (!*e)
                        return false;
                s = e + 1;
        }
}

/* The candidates PATH entry dir gives: its level directories (absolute
 * entries only, as the generator inserts them), then dir/name. */
static int resolve_dir(struct resolve *r, const char *dir, const char *name) {
        _cleanup_free_ char *hd = NULL;
        char buf[256], *p = NULL;
        const char *skip;
        struct stat st;
        int k;

        if (dir[0] == '/' && asprintf(&hd, "%s/glibc-hwcaps", dir) < 0)
                return -ENOMEM;
        /* One line for a directory without any level directories. */
        if (hd && stat(hd, &st) < 0) {
                if (asprintf(&p, "%s/*/%s", hd, name) < 0)
                        return -ENOMEM;
                k = add(r, 0, false, p, "missing (no glibc-hwcaps directory)");
                if (k < 0)
                        return k;
        } else if (hd)
                for (int l = HWCAPS_LEVEL_MAX; l >= HWCAPS_LEVEL_V2; l--) {
                        char ldir[PATH_MAX];
                        const char *reason = NULL;
                        enum hwcaps_dir_verdict v = hwcaps_level_dir_check(NULL, dir, l, ldir, sizeof ldir, &reason, NULL);

                        if (asprintf(&p, "%s/%s", ldir, name) < 0)
                                return -ENOMEM;
                        if (v == HWCAPS_DIR_MISSING)
                                k = add(r, l, false, p, "missing");
                        else if ((skip = level_skip(r, l, buf, sizeof buf)))
                                k = add(r, l, false, p, "%s", skip);
                        else if (v == HWCAPS_DIR_UNSAFE)
                                k = add(r, l, false, p, "unsafe directory: %s %s", ldir, reason);
                        else if ((skip = file_problem(p, NULL, true)))
                                k = add(r, l, false, p, "%s", skip);
                        else
                                k = add(r, l, true, p, NULL);
                        if (k < 0)
                                return k;
                }

        /* An empty entry is the current directory. */
        if (asprintf(&p, "%s%s%s", dir, *dir ? "/" : "", name) < 0)
                return -ENOMEM;
        /* The stub itself is fine here: it dispatches. */
        skip = file_problem(p, NULL, false);
        return skip ? add(r, 0, false, p, "%s", skip) : add(r, 0, true, p, NULL);
}

static int resolve_path(struct resolve *r, const char *name) {
        const char *path = getenv("PATH"), *s;
        int k;

        /* execvp()'s default when PATH is unset (glibc posix/execvpe.c). */
        if (!path)
                path = "/bin:/usr/bin";
        for (s = path;; ) {
                const char *e = strchrnul(s, ':');
                _cleanup_free_ char *dir = strndup(s, e - s);
                size_t parent_len;

                if (!dir)
                        return -ENOMEM;
                /* A level entry the generator put before its parent is
                 * listed under the parent, where it belongs. */
                if (hwcaps_path_entry_level(dir, strlen(dir), &parent_len) &&
                    in_path(path, parent_len ? dir : "/", parent_len ? parent_len : 1))
                        goto next;
                k = resolve_dir(r, dir, name);
                if (k < 0)
                        return k;
        next:
                if (!*e)
                        break;
                s = e + 1;
        }
        return 0;
}

int resolve_name(const char *name, const char *root, struct resolve *ret) {
        struct resolve r = { 0 };
        struct hwcaps_probe p, g;
        struct hwcaps_tunables t;
        struct hwcaps_cmdline c;
        struct hwcaps_env env;
        bool secure = getauxval(AT_SECURE) != 0;
        int k;

        /* The stub's own view: CPUID, then GLIBC_TUNABLES masks. */
        hwcaps_probe_cpuid(&p);
        hwcaps_tunables_from_env(environ, secure, &t);
        hwcaps_tunables_apply(&t, &p.view);
        hwcaps_probe_glibc(&g);
        r.glibc_level = g.level;
        read_cmdline(root, &c);
        hwcaps_env_scan(environ, secure, &env);
        hwcaps_plan_decide(hwcaps_level_from_usable(p.view.usable), &c, &env, &r.plan);
        if (r.plan.env_max_invalid)
                log_warning("ignoring HWCAPS_MAX_LEVEL=%s (expected x86-64-v1, x86-64-v2, x86-64-v3 or x86-64-v4)", env.max_level);
        if (r.plan.env_hwcaps_invalid)
                log_warning("ignoring HWCAPS=%s (expected a boolean such as on or off)", env.hwcaps);

        if (strchr(name, '/')) {
                r.stub_mode = resolve_is_stub(name);
                if (r.stub_mode)
                        k = resolve_stub(&r, name);
                else {
                        char *q = strdup(name);
                        const char *skip = q ? file_problem(q, NULL, false) : NULL;

                        r.not_stub = true;
                        k = !q ? -ENOMEM : skip ? add(&r, 0, false, q, "%s", skip) : add(&r, 0, true, q, NULL);
                }
        } else
                k = resolve_path(&r, name);
        if (k < 0) {
                resolve_done(&r);
                return k;
        }
        *ret = r;
        return 0;
}

void resolve_done(struct resolve *r) {
        for (size_t i = 0; i < r->n; i++) {
                free(r->c[i].path);
                free(r->c[i].why);
        }
        free(r->c);
        *r = (struct resolve) { 0 };
}

void resolve_print_plan(const struct resolve *r, FILE *f) {
        fprintf(f, "CPU level %s (CPUID, GLIBC_TUNABLES applied)", hwcaps_level_name(r->plan.cpu) ?: "below x86-64-v1");
        if (r->plan.reason != HWCAPS_CAP_NONE)
                fprintf(f, ", capped at %s by %s", hwcaps_level_name(r->plan.cap), hwcaps_cap_reason_name(r->plan.reason));
        fputc('\n', f);
        if (r->glibc_level != r->plan.cpu)
                log_warning("glibc's own view says %s, CPUID says %s: please report this",
                            hwcaps_level_name(r->glibc_level) ?: "none", hwcaps_level_name(r->plan.cpu) ?: "none");
}
