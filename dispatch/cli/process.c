/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "layout.h"
#include "macro.h"
#include "process.h"

/* The most /proc/PID/environ or cmdline can hold is bounded by the stack
 * limit (a quarter of it, execve(2)); 16 MiB covers an 64 MiB stack. */
#define PROC_FILE_MAX (16u << 20)
/* include/linux/sched.h */
#define PF_KTHREAD 0x00200000u
#define DELETED_SUFFIX " (deleted)"

static int proc_read(int pid, const char *what, char **ret, size_t *ret_n) {
        char p[64];

        snprintf(p, sizeof p, "/proc/%d/%s", pid, what);
        return hwcaps_read_file(NULL, p, PROC_FILE_MAX, ret, ret_n);
}

static int proc_readlink(int pid, const char *what, char **ret) {
        char p[64], buf[PATH_MAX + sizeof DELETED_SUFFIX];
        ssize_t n;

        snprintf(p, sizeof p, "/proc/%d/%s", pid, what);
        n = readlink(p, buf, sizeof buf - 1);
        if (n < 0)
                return negative_errno();
        buf[n] = '\0';
        *ret = strdup(buf);
        return *ret ? 0 : -ENOMEM;
}

/* NUL-separated strings (environ) as a NULL-terminated array. */
static char **split_nul(const char *buf, size_t n) {
        size_t count = 0, k = 0;
        char **v;

        for (size_t i = 0; i < n; i++)
                count += buf[i] == '\0';
        v = calloc(count + 2, sizeof *v);
        if (!v)
                return NULL;
        for (size_t i = 0; i < n; i += strlen(buf + i) + 1) {
                v[k] = strndup(buf + i, n - i);
                if (!v[k++]) {
                        while (k > 0)
                                free(v[--k]);
                        free(v);
                        return NULL;
                }
        }
        return v;
}

/* Fields of /proc/PID/stat after the command's closing parenthesis (the
 * command may hold any byte, ")" too): flags (9th) and starttime (22nd,
 * clock ticks after boot), proc(5). */
static void read_stat(int pid, bool *kthread, double *started) {
        _cleanup_free_ char *s = NULL, *st = NULL;
        unsigned long long ticks = 0, btime = 0;
        unsigned flags = 0;
        const char *p, *b;
        size_t n;

        if (proc_read(pid, "stat", &s, &n) < 0 || !(p = strrchr(s, ')')))
                return;
        if (sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %*d %*d %llu",
                   &flags, &ticks) != 2)
                return;
        *kthread = flags & PF_KTHREAD;
        if (hwcaps_read_file(NULL, "/proc/stat", PROC_FILE_MAX, &st, &n) < 0 || !(b = strstr(st, "\nbtime ")) ||
            sscanf(b, "\nbtime %llu", &btime) != 1)
                return;
        *started = (double) btime + (double) ticks / (double) sysconf(_SC_CLK_TCK);
}

/* AT_SECURE from /proc/PID/auxv (pairs of unsigned longs). */
static bool read_secure(int pid) {
        _cleanup_free_ char *a = NULL;
        unsigned long v[2];
        size_t n;

        if (proc_read(pid, "auxv", &a, &n) < 0)
                return false;
        for (size_t i = 0; i + sizeof v <= n; i += sizeof v) {
                memcpy(v, a + i, sizeof v);
                if (v[0] == AT_SECURE)
                        return v[1] != 0;
        }
        return false;
}

static bool same_file(const char *a, const char *b) {
        struct stat x, y;

        return stat(a, &x) == 0 && stat(b, &y) == 0 && x.st_dev == y.st_dev && x.st_ino == y.st_ino;
}

int process_read(int pid, struct process *ret) {
        _cleanup_(process_done) struct process p = { .pid = pid };
        _cleanup_free_ char *env = NULL, *cmd = NULL;
        char self[64];
        size_t n, nc;
        int r;

        if (pid <= 0)
                return -ESRCH;
        snprintf(self, sizeof self, "/proc/%d", pid);
        if (access(self, F_OK) < 0)
                return errno == ENOENT ? -ESRCH : negative_errno();
        r = proc_read(pid, "environ", &env, &n);
        /* A process without memory of its own (a kernel thread, a zombie)
         * has no environment to read: ESRCH while /proc/PID is there. */
        if (r == -ESRCH && access(self, F_OK) == 0) {
                env = strdup("");
                n = 0;
                r = env ? 0 : -ENOMEM;
        }
        if (r == -ENOENT)
                return -ESRCH;
        if (r == -EPERM)
                return -EACCES;
        if (r < 0)
                return r;
        r = proc_read(pid, "cmdline", &cmd, &nc);
        if (r < 0)
                return r == -ENOENT ? -ESRCH : r;
        p.env = split_nul(env, n);
        if (!p.env)
                return -ENOMEM;
        if (nc > 0 && !(p.argv0 = strndup(cmd, nc)))
                return -ENOMEM;
        read_stat(pid, &p.kernel_thread, &p.started);
        p.secure = read_secure(pid);
        r = proc_readlink(pid, "cwd", &p.cwd);
        if (r == -ENOMEM)
                return r;
        r = proc_readlink(pid, "exe", &p.exe);
        if (r == -ENOMEM)
                return r;
        /* " (deleted)" ends the target of a file that is gone -- or the
         * name of a file that really ends so: the inode says which. */
        if (p.exe) {
                size_t k = strlen(p.exe), d = strlen(DELETED_SUFFIX);
                char e[64];

                snprintf(e, sizeof e, "/proc/%d/exe", pid);
                if (k > d && strcmp(p.exe + k - d, DELETED_SUFFIX) == 0 && !same_file(e, p.exe)) {
                        p.exe[k - d] = '\0';
                        p.exe_deleted = true;
                }
        } else if (!p.argv0)
                p.kernel_thread = true;
        snprintf(self, sizeof self, "/proc/%d/root", pid);
        p.other_root = !same_file(self, "/") && access(self, F_OK) == 0;
        *ret = p;
        p = (struct process) { 0 };
        return 0;
}

void process_done(struct process *p) {
        for (char **e = p->env; e && *e; e++)
                free(*e);
        free(p->env);
        free(p->argv0);
        free(p->cwd);
        free(p->exe);
        *p = (struct process) { 0 };
}

static bool path_has_dir(char *const *env, const char *dir, size_t n) {
        for (const char *s = resolve_getenv(env, "PATH"); s;) {
                const char *c = strchrnul(s, ':');

                if ((size_t) (c - s) == n && memcmp(s, dir, n) == 0)
                        return true;
                s = *c ? c + 1 : NULL;
        }
        return false;
}

/* Why p does not run would_run. */
static void why_not_same(const struct process *p, struct process_check *c) {
        struct stat st;

        if (p->exe_deleted)
                snprintf(c->reason, sizeof c->reason, "the file it started from was deleted or replaced since "
                         "(an upgrade?): restart it");
        else if (!c->would_run)
                snprintf(c->reason, sizeof c->reason, "nothing would run for %s now", c->name);
        else if (p->started > 0 && stat(c->would_run, &st) == 0 &&
                 (double) st.st_ctim.tv_sec + st.st_ctim.tv_nsec / 1e9 > p->started)
                snprintf(c->reason, sizeof c->reason, "started before %s was installed or changed: restart it",
                         c->would_run);
        else if (c->would_run_level < c->runs_level)
                snprintf(c->reason, sizeof c->reason, "a lower cap is in force now than when it started "
                         "(hwcaps.conf, the kernel command line, or its environment): restart it");
        else
                snprintf(c->reason, sizeof c->reason, "it was not started as its command line says "
                         "(a wrapper that ran another file, or a level directory added to PATH since): restart it");
}

/* Why p's program has a variant that would run and p does not run it. */
static void why_not_reached(const struct process *p, struct process_check *c) {
        const char *slash = strrchr(c->better, '/');
        size_t dir = slash ? (size_t) (slash - c->better) : 0;

        if (c->argv0_unknown)
                snprintf(c->reason, sizeof c->reason, "its argv[0] names no program, so how it was started is "
                         "unknown: a PATH without %.*s, or a path that is not the dispatch stub", (int) dir,
                         c->better);
        else if (!strchr(c->name, '/') && !path_has_dir(p->env, c->better, dir))
                snprintf(c->reason, sizeof c->reason, "its PATH lacks %.*s: it started before the level directory "
                         "reached its environment (a service: after the manager's daemon-reload, restart it), or "
                         "its PATH is set by hand", (int) dir, c->better);
        else if (strchr(c->name, '/') && !c->r.stub)
                snprintf(c->reason, sizeof c->reason, "started by its path %s, which is not the dispatch stub: "
                         "a path is not searched in PATH, and only the stub picks a variant for it "
                         "(hwcaps-dispatch(8))", c->name);
        else
                snprintf(c->reason, sizeof c->reason, "%s does not lead to it", c->name);
}

/* p's program: its file, or DIR/NAME for a variant DIR/glibc-hwcaps/x86-64-vN/NAME. */
static char *program_of(const char *exe, int level) {
        const char *name = strrchr(exe, '/');
        size_t strip = level ? strlen(HWCAPS_SUBDIR "/x86-64-vN/") : 0;
        char *prog;

        if (!name || (size_t) (name + 1 - exe) < strip)
                return strdup(exe);
        if (asprintf(&prog, "%.*s%s", (int) (name + 1 - exe - strip), exe, name + 1) < 0)
                return NULL;
        return prog;
}

int process_check(const struct process *p, const char *name, const char *root, bool quiet,
                  struct process_check *ret) {
        struct resolve_env env = { p->env, !name && p->secure, p->cwd, quiet };
        struct process_check c = { 0 };
        struct resolve v = { 0 };
        const char *n = name ? name : p->argv0;
        char e[64];
        int k;

        if (p->kernel_thread || !p->exe)
                return -ENOEXEC;
        /* An empty command line: the process cleared it, or is caught
         * between execve()'s new file and its new arguments. */
        if (!n || !n[0]) {
                n = p->exe;
                c.argv0_unknown = true;
        }
        /* A relative path with a slash is relative to its working directory. */
        if (n[0] != '/' && strchr(n, '/') && p->cwd)
                k = asprintf(&c.name, "%s/%s", p->cwd, n) < 0 ? -ENOMEM : 0;
        else
                k = (c.name = strdup(n)) ? 0 : -ENOMEM;
        if (k < 0)
                return k;
        k = resolve_name_env(c.name, root, "", &env, &c.r);
        /* A program that rewrote its argv[0] ("nginx: master process
         * /usr/sbin/nginx", "-bash", "sshd: ...") names nothing, and how
         * it was started is unknown: the file it runs stands for it (and
         * only its variants are compared). */
        if (k >= 0 && !name && !resolve_winner(&c.r) && p->exe && !p->exe_deleted) {
                resolve_done(&c.r);
                free(c.name);
                c.name = strdup(p->exe);
                c.argv0_unknown = true;
                k = c.name ? resolve_name_env(c.name, root, "", &env, &c.r) : -ENOMEM;
        }
        if (k < 0) {
                free(c.name);
                return k;
        }
        c.would_run = resolve_winner(&c.r);
        c.would_run_level = c.would_run ? hwcaps_path_candidate_level(c.would_run) : 0;
        if (name || !p->exe) {
                *ret = c;
                return 0;
        }
        c.runs_level = hwcaps_path_candidate_level(p->exe);
        snprintf(e, sizeof e, "/proc/%d/exe", p->pid);
        c.same = c.would_run && !p->exe_deleted && same_file(c.would_run, e);
        if (!c.same) {
                why_not_same(p, &c);
                *ret = c;
                return 0;
        }
        /* Runs what would run: is there a higher variant it cannot reach? */
        _cleanup_free_ char *prog = program_of(p->exe, c.runs_level);

        env.quiet = true;
        if (!prog || resolve_variants(prog, root, &env, &v) < 0) {
                process_check_done(&c);
                return -ENOMEM;
        }
        for (size_t i = 0; i < v.n; i++)
                if (v.c[i].runnable) {
                        if (v.c[i].level >= HWCAPS_LEVEL_V2 && v.c[i].level > c.runs_level &&
                            !(c.better = strdup(v.c[i].path))) {
                                resolve_done(&v);
                                process_check_done(&c);
                                return -ENOMEM;
                        }
                        c.better_level = c.better ? v.c[i].level : 0;
                        break;
                }
        resolve_done(&v);
        if (c.better)
                why_not_reached(p, &c);
        *ret = c;
        return 0;
}

void process_check_done(struct process_check *c) {
        free(c->name);
        free(c->better);
        resolve_done(&c->r);
        *c = (struct process_check) { 0 };
}
