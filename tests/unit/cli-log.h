/* SPDX-License-Identifier: MIT */
/* The hwcaps command's messages (log.c) caught in fixture_log, so a test of
 * a dispatch/cli module can say what it reported, word for word. Criterion
 * runs each test in a process of its own: each starts with an empty log. */
#pragma once

#include <stdio.h>
#include <string.h>

#include "commands.h"

static char fixture_log[8192];

/* Empties the log: what the module says from here on. */
static inline void cli_log_reset(void) {
        if (log_stream)
                fclose(log_stream);
        memset(fixture_log, 0, sizeof fixture_log);
        log_stream = fmemopen(fixture_log, sizeof fixture_log - 1, "w");
        setvbuf(log_stream, NULL, _IONBF, 0);
}

__attribute__((constructor)) static void cli_log_catch(void) {
        cli_log_reset();
}
