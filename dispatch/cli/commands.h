/* SPDX-License-Identifier: MIT */
/* The subcommands of the hwcaps tool: one function each, in cmd-NAME.c. */
#pragma once

#include <stdio.h>

/* Exit codes, documented in hwcaps(1). */
enum {
        EXIT_OK = 0,
        EXIT_FAIL = 1,
        EXIT_USAGE = 2,
};

/* argv[0] is the subcommand name; returns an exit code. */
int cmd_level(int argc, char **argv);
int cmd_levels(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_path(int argc, char **argv);
int cmd_which(int argc, char **argv);
int cmd_exec(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_bench(int argc, char **argv);
int cmd_profile(int argc, char **argv);

/* Shared by the commands (hwcaps.c). */
/* Messages (log.c): "hwcaps: ..." on log_stream, stderr when NULL (tests
 * catch them in a buffer), escaped as escape.h says. */
extern const char *program_name;
extern FILE *log_stream;
/* The command running ("path", "profile merge"): a usage error's hint
 * names its --help. NULL: the top-level help. */
extern const char *usage_command;
void usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* What is being done ("running", "wrote"): the same line as an error. */
void log_notice(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* log_warning as a hwcaps_warn_fn callback for the library (userdata unused). */
void log_warning_cb(void *userdata, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The sysroot prefix: --root, else hwcaps_root_prefix() ($HWCAPS_ROOT), else "". */
const char *hwcaps_root(const char *opt_root);
