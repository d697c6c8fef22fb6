/* SPDX-License-Identifier: MIT */
/* The hwcaps command's messages on stderr: "hwcaps: TEXT", "hwcaps:
 * warning: TEXT", and after a usage error the hint to the help. */
#include <stdarg.h>
#include <stdio.h>

#include "commands.h"

const char *program_name = "hwcaps";
const char *usage_command;
FILE *log_stream;

static void vlog(const char *prefix, const char *fmt, va_list ap) {
        FILE *f = log_stream ? log_stream : stderr;

        fprintf(f, "%s: %s", program_name, prefix);
        vfprintf(f, fmt, ap);
        fputc('\n', f);
}

void log_error(const char *fmt, ...) {
        va_list ap;

        va_start(ap, fmt);
        vlog("", fmt, ap);
        va_end(ap);
}

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
