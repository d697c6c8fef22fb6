/* SPDX-License-Identifier: MIT */
/* The hwcaps command's messages on stderr: "hwcaps: TEXT", "hwcaps:
 * warning: TEXT", and after a usage error the hint to the help. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "escape.h"
#include "macro.h"

const char *program_name = "hwcaps";
const char *usage_command;
FILE *log_stream;

/* ECMA-48 SGR sequences; COLOR_RESET ends any of them. */
static const char *const sgr[] = {
        [COLOR_RESET] = "\033[0m",
        [COLOR_RED] = "\033[1;31m",
        [COLOR_GREEN] = "\033[1;32m",
        [COLOR_YELLOW] = "\033[1;33m",
        [COLOR_DIM] = "\033[2m",
};

/* A terminal that is not "dumb", and no NO_COLOR (https://no-color.org:
 * set and not empty turns colour off). Never in a pipe or a file, so never
 * in JSON or in anything a script reads. */
const char *color(FILE *f, enum color c) {
        const char *no = getenv("NO_COLOR"), *term = getenv("TERM");
        int fd = f ? fileno(f) : -1;

        if (fd < 0 || !isatty(fd) || (no && no[0]) || !term || !term[0] || strcmp(term, "dumb") == 0)
                return "";
        return sgr[c];
}

/* The whole message is escaped (escape.h), not each name in it: the
 * formats hold no control character or backslash of their own, and a file
 * name, argv or a setting's value then cannot rewrite the terminal, in
 * every message at once. On a terminal, the "warning:" prefix (warnings)
 * or the text (errors) is coloured; notices stay plain. */
enum level { LOG_NOTICE, LOG_ERROR, LOG_WARNING };

static void vlog(enum level level, const char *fmt, va_list ap) {
        FILE *f = log_stream ? log_stream : stderr;
        _cleanup_free_ char *text = NULL, *buf = NULL;

        if (vasprintf(&text, fmt, ap) < 0)
                text = NULL;
        if (level == LOG_WARNING)
                fprintf(f, "%s: %swarning:%s ", program_name, color(f, COLOR_YELLOW), color(f, COLOR_RESET));
        else
                fprintf(f, "%s: ", program_name);
        fprintf(f, "%s%s%s\n", level == LOG_ERROR ? color(f, COLOR_RED) : "",
                text ? escape_name(text, &buf) : "(a message not shown: out of memory)",
                level == LOG_ERROR ? color(f, COLOR_RESET) : "");
}

void log_error(const char *fmt, ...) {
        va_list ap;

        va_start(ap, fmt);
        vlog(LOG_ERROR, fmt, ap);
        va_end(ap);
}

void log_notice(const char *fmt, ...) {
        va_list ap;

        va_start(ap, fmt);
        vlog(LOG_NOTICE, fmt, ap);
        va_end(ap);
}

void log_warning(const char *fmt, ...) {
        va_list ap;

        va_start(ap, fmt);
        vlog(LOG_WARNING, fmt, ap);
        va_end(ap);
}

void log_warning_cb(void *userdata, const char *fmt, ...) {
        va_list ap;

        (void) userdata;
        va_start(ap, fmt);
        vlog(LOG_WARNING, fmt, ap);
        va_end(ap);
}

void usage_error(const char *fmt, ...) {
        va_list ap;

        va_start(ap, fmt);
        vlog(LOG_ERROR, fmt, ap);
        va_end(ap);
        fprintf(log_stream ? log_stream : stderr, "Try '%s%s%s --help' for more information.\n", program_name,
                usage_command ? " " : "", usage_command ? usage_command : "");
}
