/* SPDX-License-Identifier: MIT */
/* A running process, as /proc shows it, against what would run for it now:
 * "hwcaps which --pid/--unit" and the services of "hwcaps status". Its
 * environment is the one it started with (/proc/PID/environ), so the
 * decision is the stub's in that process (resolve.h). */
#pragma once

#include <stdbool.h>

#include "resolve.h"

struct process {
        int pid;
        char **env;          /* /proc/PID/environ, NULL-terminated (empty for a kernel thread) */
        char *argv0;         /* the first string of /proc/PID/cmdline; NULL when it is empty */
        char *cwd;           /* /proc/PID/cwd's target, or NULL */
        char *exe;           /* /proc/PID/exe's target without " (deleted)", or NULL */
        bool exe_deleted;    /* the file it runs is gone from that path (deleted, or replaced) */
        bool kernel_thread;  /* runs no program file */
        bool secure;         /* started with AT_SECURE (setuid or setgid) */
        bool other_root;     /* its root directory is not ours: a container or a chroot */
        double started;      /* seconds since the epoch; 0 when unknown */
};

/* Reads /proc/PID. Returns 0, -ESRCH (no such process), -EACCES (another
 * user's process: only root reads its environment) or another -errno. */
int process_read(int pid, struct process *ret);
void process_done(struct process *p);

/* What runs in p against what would run now. */
struct process_check {
        char *name;             /* what was resolved: NAME, or argv0 (made absolute when relative) */
        bool argv0_unknown;     /* argv0 named nothing (rewritten): name is the program of p->exe */
        struct resolve r;       /* name resolved in p's environment, now */
        const char *would_run;  /* r's winner, or NULL */
        int would_run_level;    /* the level of would_run's level directory; 0 for none */
        int runs_level;         /* the level of p->exe's; 0 for none */
        bool same;              /* p runs would_run (the same file) */
        char *better;           /* a variant of p's program that would run if reached, or NULL */
        int better_level;
        char reason[768];       /* why !same, or why better is not reached; "" when neither */
};

/* Checks p, which runs from p->exe, against name resolved in its
 * environment (NULL: its argv[0], in its PATH and working directory).
 * Returns 0, -ENOEXEC when p runs no program (a kernel thread), -ENOMEM. */
int process_check(const struct process *p, const char *name, const char *root, bool quiet,
                  struct process_check *ret);
void process_check_done(struct process_check *c);

