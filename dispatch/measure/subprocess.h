/* SPDX-License-Identifier: MIT */
/* Running helper programs (perf, llvm-profdata, create_llvm_prof) and the
 * benchmarked command: PATH lookup, argv building, fork/exec/wait. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* A NULL-terminated, growable argv. */
struct argv_buf {
        char **v;
        size_t n, cap;
};

int argv_add(struct argv_buf *a, const char *s);
int argv_addf(struct argv_buf *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void argv_free(struct argv_buf *a);
static inline void argv_freep(struct argv_buf *a) {
        argv_free(a);
}
#define _cleanup_argv_ __attribute__((cleanup(argv_freep)))

/* Shell-quoted, space-separated rendering of argv for messages, so a user
 * can paste it; returns a malloc'd string or NULL. */
char *argv_join(char *const *argv);

/* Full path of the first of names that is an executable file in PATH
 * (a name with a slash is taken as is); malloc'd, or NULL. */
char *find_program(const char *const *names);

/* Run argv (argv[0] looked up in PATH) and wait. stdout_path: NULL to
 * inherit, else a file to write stdout to. Returns the exit status (0-255),
 * 128+signal when killed, or -errno when it could not be started (not
 * logged: the caller knows what the user was doing). */
int run_wait(char *const *argv, const char *stdout_path);

/* Like run_wait, but capture stdout into a malloc'd, NUL-terminated buffer. */
int run_capture(char *const *argv, char **ret_out, size_t *ret_len);

/* run_capture() for a helper whose messages the caller words itself: with
 * the environment envp (NULL: this process's) and, when ret_err is not
 * NULL, stderr captured into *ret_err (its first 4 KiB, NUL-terminated,
 * malloc'd) instead of inherited. */
int run_capture_env(char *const *argv, char *const *envp, char **ret_out, size_t *ret_len, char **ret_err);
