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

/* What keeps a CPU from its next level, by explain's blocker rule
 * (cmd-explain.c), for explain's first line, level --why and level
 * --json: one line "LEVEL, not
 * NEXT: the CPU lacks F, G; ..."; the JSON fields "next_level" (null at
 * the highest level) and "blocked_by" ([{"name","blocker"}...]). */
struct hwcaps_probe;
void explain_why_line(FILE *out, const struct hwcaps_probe *p);
void explain_next_level_json(FILE *out, const struct hwcaps_probe *p);

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
/* Colour for people (log.c): the SGR sequence for c when f is a terminal,
 * TERM is set and not "dumb" and NO_COLOR is unset or empty; else "".
 * printf("%sruns%s", color(stdout, COLOR_GREEN), color(stdout, COLOR_RESET)) */
enum color { COLOR_RESET, COLOR_RED, COLOR_GREEN, COLOR_YELLOW, COLOR_DIM };
const char *color(FILE *f, enum color c);
/* The sysroot prefix: --root, else hwcaps_root_prefix() ($HWCAPS_ROOT), else "". */
const char *hwcaps_root(const char *opt_root);
/* What is wrong with --root DIR itself, said as such ("COMMAND: --root DIR:
 * not a directory") rather than as a problem of "/" inside it; 0 when
 * root is "" or a directory, else -errno (logged). */
int hwcaps_root_usable(const char *command, const char *root);
