/* SPDX-License-Identifier: MIT */
/* Fault injection by LD_PRELOAD: the Nth call (counted across the chosen
 * classes, from the first constructor on) of a libc function that can fail
 * fails, with the errno a real failure would give.
 *
 *   HWCAPS_FAULT_NTH=N        fail call N (1-based); 0 or unset: only count
 *   HWCAPS_FAULT_CALLS=LIST   classes to count, comma-separated (default all
 *                             but malloc and dlopen): open, read, stat, exec,
 *                             malloc, dlopen
 *   HWCAPS_FAULT_REPORT=FILE  at exit, write "CALLS FAILED-NAME" there
 *
 *   open:   open openat fopen opendir (and their 64 names)     -> EACCES
 *   read:   read pread fread fgets getline getdelim            -> EIO
 *   stat:   stat lstat fstat fstatat access (and 64 names)     -> EACCES
 *   exec:   execve execv execvp posix_spawn posix_spawnp       -> EACCES
 *   malloc: malloc calloc realloc                              -> ENOMEM
 *   dlopen: dlopen (never in "all"; glibc's own loads do not go
 *           through it)                                        -> NULL
 *
 * glibc's own internal opens and reads (inside fopen, opendir, realpath) do
 * not go through these symbols, which is why the stdio and dirent entry
 * points are classes of their own. malloc is interposable inside glibc, so
 * every allocation counts, strdup's and fopen's included. */
/* Define open and open64, stat and stat64 ... each under its own name. */
#undef _FILE_OFFSET_BITS
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { C_OPEN = 1, C_READ = 2, C_STAT = 4, C_EXEC = 8, C_MALLOC = 16, C_DLOPEN = 32 };

static unsigned classes = C_OPEN | C_READ | C_STAT | C_EXEC;
static unsigned long nth, calls;
static const char *failed_name = "-";
static bool armed;

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);

/* Is word an item of the comma-separated list? ("open" is not "dlopen".) */
static bool listed(const char *list, const char *word) {
        size_t n = strlen(word);

        for (const char *p = list; (p = strstr(p, word)); p += n)
                if ((p == list || p[-1] == ',') && (p[n] == ',' || p[n] == '\0'))
                        return true;
        return false;
}

__attribute__((constructor)) static void init(void) {
        const char *n = getenv("HWCAPS_FAULT_NTH"), *c = getenv("HWCAPS_FAULT_CALLS");

        nth = n ? strtoul(n, NULL, 10) : 0;
        if (c) {
                classes = 0;
                classes |= listed(c, "open") ? C_OPEN : 0;
                classes |= listed(c, "read") ? C_READ : 0;
                classes |= listed(c, "stat") ? C_STAT : 0;
                classes |= listed(c, "exec") ? C_EXEC : 0;
                classes |= listed(c, "malloc") ? C_MALLOC : 0;
                classes |= listed(c, "dlopen") ? C_DLOPEN : 0;
        }
        armed = true;
}

/* Should this call fail? Counts it when its class is chosen. */
static bool fail_now(unsigned cls, const char *name) {
        if (!armed || !(classes & cls))
                return false;
        if (++calls != nth)
                return false;
        failed_name = name;
        return true;
}

static void *next(const char *name) {
        void *f = dlsym(RTLD_NEXT, name);

        if (!f)
                abort();
        return f;
}

#define REAL(name) static __typeof__(name) *real; if (!real) real = (__typeof__(name) *) next(#name)

static void write_report(void) {
        const char *path = getenv("HWCAPS_FAULT_REPORT");
        char line[128];
        int fd, len;

        if (!path)
                return;
        REAL(open);
        len = snprintf(line, sizeof line, "%lu %s\n", calls, failed_name);
        fd = real(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd >= 0) {
                ssize_t k = write(fd, line, (size_t) len);
                (void) k;
                close(fd);
        }
}

__attribute__((destructor)) static void fini(void) {
        armed = false;
        write_report();
}

/* --- open ---------------------------------------------------------------- */

#define OPEN_LIKE(name, ...)                                                    \
        int name(__VA_ARGS__, int flags, ...) {                                 \
                mode_t mode = 0;                                                \
                REAL(name);                                                     \
                if (flags & (O_CREAT | __O_TMPFILE)) {                          \
                        va_list ap;                                             \
                        va_start(ap, flags);                                    \
                        mode = va_arg(ap, mode_t);                              \
                        va_end(ap);                                             \
                }                                                               \
                if (fail_now(C_OPEN, #name)) {                                  \
                        errno = EACCES;                                         \
                        return -1;                                              \
                }

OPEN_LIKE(open, const char *path)
        return real(path, flags, mode);
}
OPEN_LIKE(open64, const char *path)
        return real(path, flags, mode);
}
OPEN_LIKE(openat, int dfd, const char *path)
        return real(dfd, path, flags, mode);
}
OPEN_LIKE(openat64, int dfd, const char *path)
        return real(dfd, path, flags, mode);
}

#define WRAP(cls, err, fail_value, ret, name, params, args)                     \
        ret name params {                                                       \
                REAL(name);                                                     \
                if (fail_now(cls, #name)) {                                     \
                        errno = err;                                            \
                        return fail_value;                                      \
                }                                                               \
                return real args;                                               \
        }

WRAP(C_OPEN, EACCES, NULL, FILE *, fopen, (const char *p, const char *m), (p, m))
WRAP(C_OPEN, EACCES, NULL, FILE *, fopen64, (const char *p, const char *m), (p, m))
WRAP(C_OPEN, EACCES, NULL, DIR *, opendir, (const char *p), (p))

/* --- read ---------------------------------------------------------------- */

WRAP(C_READ, EIO, -1, ssize_t, read, (int fd, void *b, size_t n), (fd, b, n))
WRAP(C_READ, EIO, -1, ssize_t, pread, (int fd, void *b, size_t n, off_t o), (fd, b, n, o))
WRAP(C_READ, EIO, -1, ssize_t, pread64, (int fd, void *b, size_t n, off_t o), (fd, b, n, o))
WRAP(C_READ, EIO, -1, ssize_t, getline, (char **l, size_t *n, FILE *f), (l, n, f))
WRAP(C_READ, EIO, -1, ssize_t, getdelim, (char **l, size_t *n, int d, FILE *f), (l, n, d, f))

/* stdio reports a read error through ferror(), as a real EIO would. */
size_t fread(void *b, size_t sz, size_t n, FILE *f) {
        REAL(fread);
        if (fail_now(C_READ, "fread")) {
                errno = EIO;
                f->_flags |= 0x20; /* _IO_ERR_SEEN */
                return 0;
        }
        return real(b, sz, n, f);
}

char *fgets(char *s, int n, FILE *f) {
        REAL(fgets);
        if (fail_now(C_READ, "fgets")) {
                errno = EIO;
                f->_flags |= 0x20; /* _IO_ERR_SEEN */
                return NULL;
        }
        return real(s, n, f);
}

/* --- stat ---------------------------------------------------------------- */

WRAP(C_STAT, EACCES, -1, int, stat, (const char *p, struct stat *st), (p, st))
WRAP(C_STAT, EACCES, -1, int, stat64, (const char *p, struct stat64 *st), (p, st))
WRAP(C_STAT, EACCES, -1, int, lstat, (const char *p, struct stat *st), (p, st))
WRAP(C_STAT, EACCES, -1, int, lstat64, (const char *p, struct stat64 *st), (p, st))
WRAP(C_STAT, EACCES, -1, int, fstat, (int fd, struct stat *st), (fd, st))
WRAP(C_STAT, EACCES, -1, int, fstat64, (int fd, struct stat64 *st), (fd, st))
WRAP(C_STAT, EACCES, -1, int, fstatat, (int d, const char *p, struct stat *st, int fl), (d, p, st, fl))
WRAP(C_STAT, EACCES, -1, int, fstatat64, (int d, const char *p, struct stat64 *st, int fl), (d, p, st, fl))
WRAP(C_STAT, EACCES, -1, int, access, (const char *p, int m), (p, m))

/* --- exec ---------------------------------------------------------------- */

/* A successful exec runs no destructor, and the new program would load
 * this shim again and count its own calls: so write the report first
 * (rewritten at exit if the exec fails) and start the new program without
 * the shim and its variables. */
static char *const *without_shim(char *const env[], char **copy, size_t max) {
        size_t n = 0;

        for (size_t i = 0; env && env[i] && n + 1 < max; i++)
                if (strncmp(env[i], "LD_PRELOAD=", 11) != 0 && strncmp(env[i], "HWCAPS_FAULT_", 13) != 0)
                        copy[n++] = env[i];
        copy[n] = NULL;
        return copy;
}

#define EXEC_ENV_MAX 4096
extern char **environ;

int execve(const char *p, char *const a[], char *const e[]) {
        char *copy[EXEC_ENV_MAX];
        REAL(execve);
        if (fail_now(C_EXEC, "execve")) {
                errno = EACCES;
                return -1;
        }
        write_report();
        return real(p, a, without_shim(e, copy, EXEC_ENV_MAX));
}

int execv(const char *p, char *const a[]) {
        return execve(p, a, environ);
}

int execvp(const char *p, char *const a[]) {
        char *copy[EXEC_ENV_MAX];
        REAL(execvpe);
        if (fail_now(C_EXEC, "execvp")) {
                errno = EACCES;
                return -1;
        }
        write_report();
        return real(p, a, without_shim(environ, copy, EXEC_ENV_MAX));
}
WRAP(C_EXEC, EACCES, EACCES, int, posix_spawn,
     (pid_t *pid, const char *p, const posix_spawn_file_actions_t *fa, const posix_spawnattr_t *at,
      char *const a[], char *const e[]), (pid, p, fa, at, a, e))
WRAP(C_EXEC, EACCES, EACCES, int, posix_spawnp,
     (pid_t *pid, const char *p, const posix_spawn_file_actions_t *fa, const posix_spawnattr_t *at,
      char *const a[], char *const e[]), (pid, p, fa, at, a, e))

/* --- malloc -------------------------------------------------------------- */

void *malloc(size_t n) {
        if (fail_now(C_MALLOC, "malloc")) {
                errno = ENOMEM;
                return NULL;
        }
        return __libc_malloc(n);
}

void *calloc(size_t k, size_t n) {
        if (fail_now(C_MALLOC, "calloc")) {
                errno = ENOMEM;
                return NULL;
        }
        return __libc_calloc(k, n);
}

void *realloc(void *p, size_t n) {
        if (fail_now(C_MALLOC, "realloc")) {
                errno = ENOMEM;
                return NULL;
        }
        return __libc_realloc(p, n);
}

/* --- dlopen -------------------------------------------------------------- */

/* dlerror() then has nothing to say: the caller must cope with NULL. */
WRAP(C_DLOPEN, ENOENT, NULL, void *, dlopen, (const char *f, int fl), (f, fl))
