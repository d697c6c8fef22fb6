/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "macro.h"
#include "subprocess.h"

extern char **environ;

int argv_add(struct argv_buf *a, const char *s) {
        if (a->n + 2 > a->cap) {
                size_t cap = a->cap ? a->cap * 2 : 16;
                char **v = realloc(a->v, cap * sizeof(char *));
                if (!v)
                        return -ENOMEM;
                a->v = v;
                a->cap = cap;
        }
        a->v[a->n] = strdup(s);
        if (!a->v[a->n])
                return -ENOMEM;
        a->v[++a->n] = NULL;
        return 0;
}

int argv_addf(struct argv_buf *a, const char *fmt, ...) {
        _cleanup_free_ char *s = NULL;
        va_list ap;
        int r;

        va_start(ap, fmt);
        r = vasprintf(&s, fmt, ap);
        va_end(ap);
        if (r < 0) {
                s = NULL;
                return -ENOMEM;
        }
        return argv_add(a, s);
}

void argv_free(struct argv_buf *a) {
        for (size_t i = 0; i < a->n; i++)
                free(a->v[i]);
        free(a->v);
        *a = (struct argv_buf) {};
}

/* Characters that never need quoting in a POSIX shell word. */
static bool shell_safe(const char *s) {
        if (!*s)
                return false;
        for (; *s; s++)
                if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                            "@%+=:,./-_", *s))
                        return false;
        return true;
}

char *argv_join(char *const *argv) {
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);

        if (!f)
                return NULL;
        for (size_t i = 0; argv[i]; i++) {
                if (i)
                        fputc(' ', f);
                if (shell_safe(argv[i])) {
                        fputs(argv[i], f);
                        continue;
                }
                fputc('\'', f);
                for (const char *p = argv[i]; *p; p++)
                        if (*p == '\'')
                                fputs("'\\''", f);
                        else
                                fputc(*p, f);
                fputc('\'', f);
        }
        if (fclose(f) != 0) {
                free(buf);
                return NULL;
        }
        return buf;
}

static bool is_executable_file(const char *p) {
        struct stat st;
        return stat(p, &st) == 0 && S_ISREG(st.st_mode) && access(p, X_OK) == 0;
}

char *find_program(const char *const *names) {
        const char *path = getenv("PATH");

        if (!path)
                path = "/usr/local/bin:/usr/bin:/bin";
        for (; *names; names++) {
                if (strchr(*names, '/')) {
                        if (is_executable_file(*names))
                                return strdup(*names);
                        continue;
                }
                for (const char *p = path; ; ) {
                        const char *e = strchrnul(p, ':');
                        _cleanup_free_ char *full = NULL;

                        /* An empty PATH entry means the current directory. */
                        if (asprintf(&full, "%.*s%s%s", (int) (e - p), p, e > p ? "/" : "", *names) < 0)
                                return NULL;
                        if (is_executable_file(full)) {
                                char *r = full;
                                full = NULL;
                                return r;
                        }
                        if (!*e)
                                break;
                        p = e + 1;
                }
        }
        return NULL;
}

static int wait_status(pid_t pid) {
        int st;

        while (waitpid(pid, &st, 0) < 0)
                if (errno != EINTR)
                        return negative_errno();
        if (WIFEXITED(st))
                return WEXITSTATUS(st);
        return 128 + WTERMSIG(st);
}

/* The child's exit code when exec fails, like a shell's "command not found". */
#define EXIT_EXEC_FAILED 127

/* argv (looked up in PATH) with environment envp (NULL: this process's),
 * stdout to out_fd and stderr to err_fd where not -1. Returns its pid. */
static int spawn(char *const *argv, char *const *envp, int out_fd, int err_fd) {
        /* A pipe with O_CLOEXEC tells the parent whether exec succeeded. */
        int errpipe[2];
        pid_t pid;

        if (pipe2(errpipe, O_CLOEXEC) < 0)
                return negative_errno();
        pid = fork();
        if (pid < 0) {
                int r = negative_errno();
                close(errpipe[0]);
                close(errpipe[1]);
                return r;
        }
        if (pid == 0) {
                int e;
                if ((out_fd >= 0 && dup2(out_fd, STDOUT_FILENO) < 0) ||
                    (err_fd >= 0 && dup2(err_fd, STDERR_FILENO) < 0))
                        _exit(EXIT_EXEC_FAILED);
                execvpe(argv[0], argv, envp ?: environ);
                e = errno;
                (void) !write(errpipe[1], &e, sizeof(e));
                _exit(EXIT_EXEC_FAILED);
        }
        close(errpipe[1]);
        int e = 0;
        ssize_t k;
        while ((k = read(errpipe[0], &e, sizeof(e))) < 0 && errno == EINTR)
                ;
        close(errpipe[0]);
        if (k == (ssize_t) sizeof(e)) {
                (void) wait_status(pid);
                return -e;
        }
        return pid;
}

int run_wait(char *const *argv, const char *stdout_path) {
        _cleanup_close_ int fd = -1;
        int pid;

        if (stdout_path) {
                fd = open(stdout_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
                if (fd < 0)
                        return negative_errno();
        }
        pid = spawn(argv, NULL, fd, -1);
        if (pid < 0)
                return pid;
        return wait_status(pid);
}

/* The first size-1 bytes of the file at fd, from its start, NUL-terminated. */
static char *read_head(int fd, size_t size) {
        char *buf = malloc(size);
        ssize_t k;

        if (!buf)
                return NULL;
        while ((k = pread(fd, buf, size - 1, 0)) < 0 && errno == EINTR)
                ;
        buf[k > 0 ? k : 0] = '\0';
        return buf;
}

int run_capture(char *const *argv, char **ret_out, size_t *ret_len) {
        return run_capture_env(argv, NULL, ret_out, ret_len, NULL);
}

int run_capture_env(char *const *argv, char *const *envp, char **ret_out, size_t *ret_len, char **ret_err) {
        _cleanup_close_ int rd = -1, err = -1;
        _cleanup_free_ char *buf = NULL;
        size_t len = 0, cap = 0;
        int p[2], pid;

        if (pipe2(p, O_CLOEXEC) < 0)
                return negative_errno();
        rd = p[0];
        if (ret_err && (err = memfd_create("stderr", MFD_CLOEXEC)) < 0) {
                int r = negative_errno();
                close(p[1]);
                return r;
        }
        pid = spawn(argv, envp, p[1], err);
        close(p[1]);
        if (pid < 0)
                return pid;
        for (;;) {
                if (len + 4096 + 1 > cap) {
                        size_t ncap = cap ? cap * 2 : 65536;
                        char *n = realloc(buf, ncap);
                        if (!n) {
                                (void) wait_status(pid);
                                return -ENOMEM;
                        }
                        buf = n;
                        cap = ncap;
                }
                ssize_t k = read(rd, buf + len, cap - len - 1);
                if (k < 0 && errno == EINTR)
                        continue;
                if (k <= 0)
                        break;
                len += (size_t) k;
        }
        if (!buf && !(buf = malloc(1))) {
                (void) wait_status(pid);
                return -ENOMEM;
        }
        buf[len] = '\0';
        int r = wait_status(pid);
        if (ret_err && !(*ret_err = read_head(err, 4096)))
                return -ENOMEM;
        *ret_out = buf;
        buf = NULL;
        if (ret_len)
                *ret_len = len;
        return r;
}
