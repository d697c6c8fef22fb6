/* SPDX-License-Identifier: MIT */
/* The hwcaps command's logging (commands.h) for a test of a dispatch/cli
 * module (hwcaps.c, which has main(), is not linked): each message is
 * appended to fixture_log as a line, so the test can say what the module
 * reported. */
#pragma once

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"

static char fixture_log[8192];

static void fixture_vlog(const char *prefix, const char *fmt, va_list ap) {
        size_t n = strlen(fixture_log);

        n += (size_t) snprintf(fixture_log + n, sizeof fixture_log - n, "%s", prefix);
        if (n < sizeof fixture_log)
                n += (size_t) vsnprintf(fixture_log + n, sizeof fixture_log - n, fmt, ap);
        if (n + 1 < sizeof fixture_log)
                strcpy(fixture_log + n, "\n");
}

void log_error(const char *fmt, ...) {
        va_list ap;

        va_start(ap, fmt);
        fixture_vlog("", fmt, ap);
        va_end(ap);
}

void log_warning(const char *fmt, ...) {
        va_list ap;

        va_start(ap, fmt);
        fixture_vlog("warning: ", fmt, ap);
        va_end(ap);
}

void log_warning_cb(void *userdata, const char *fmt, ...) {
        va_list ap;

        (void) userdata;
        va_start(ap, fmt);
        fixture_vlog("warning: ", fmt, ap);
        va_end(ap);
}

/* hwcaps.c's usage_error() also prints a --help hint: "usage: " marks it. */
void usage_error(const char *fmt, ...) {
        va_list ap;

        va_start(ap, fmt);
        fixture_vlog("usage: ", fmt, ap);
        va_end(ap);
}
