/* SPDX-License-Identifier: MIT */
/* The hwcaps command's messages on stderr: "hwcaps: TEXT", "hwcaps:
 * warning: TEXT", and after a usage error the hint to the help. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "commands.h"
#include "escape.h"
#include "macro.h"

const char *program_name = "hwcaps";
const char *usage_command;
FILE *log_stream;

/* The whole message is escaped (escape.h), not each name in it: the
 * formats hold no control character or backslash of their own, and a file
 * name, argv or a setting's value then cannot rewrite the terminal, in
 * every message at once. */
static void vlog(const char *prefix, const char *fmt, va_list ap) {
        FILE *f = log_stream ? log_stream : stderr;
        _cleanup_free_ char *text = NULL, *buf = NULL;

        if (vasprintf(&text, fmt, ap) < 0)
                text = NULL;
        fprintf(f, "%s: %s%s\n", program_name, prefix,
                text ? escape_name(text, &buf) : "(a message not shown: out of memory)");
}

void log_error(const char *fmt, ...) {
        va_list ap;

        va_start(ap, fmt);
        vlog("", fmt, ap);
        va_end(ap);
}

/* The same line as an error; its own name says what the caller means. */
void log_notice(const char *fmt, ...) __attribute__((alias("log_error")));

void log_warning(const char *fmt, ...) {
        va_list ap;

        va_start(ap, fmt);
        vlog("warning: ", fmt, ap);
        va_end(ap);
}

void log_warning_cb(void *userdata, const char *fmt, ...) {
        va_list ap;

        (void) userdata;
        va_start(ap, fmt);
        vlog("warning: ", fmt, ap);
        va_end(ap);
}

void usage_error(const char *fmt, ...) {
        va_list ap;

        va_start(ap, fmt);
        vlog("", fmt, ap);
        va_end(ap);
        fprintf(log_stream ? log_stream : stderr, "Try '%s%s%s --help' for more information.\n", program_name,
                usage_command ? " " : "", usage_command ? usage_command : "");
}
