/* SPDX-License-Identifier: MIT */
/* The kernel command line options of hwcaps, parsed the way systemd parses
 * /proc/cmdline. Pure and freestanding: the static stub uses it too. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

struct hwcaps_cmdline {
        int enabled;      /* hwcaps=: -1 not given, 0 off, 1 on */
        int max_level;    /* hwcaps.max=: 0 not given, else 1..4 */
        bool setenv_path; /* systemd.setenv=PATH=... given: the admin chose PATH */
        int env_enabled;  /* systemd.setenv=HWCAPS=: -1 not given, 0 off, 1 on */
};

/* The longest /proc/cmdline any hwcaps part reads. The kernel writes at
 * most COMMAND_LINE_SIZE (2 KiB on x86) plus what bootconfig adds (under
 * 32 KiB), so a longer file is not a real command line: it is treated like
 * an unreadable one (it may hide the admin's opt-out), and the generator,
 * `hwcaps which` and the stub all draw the line at the same byte. */
#define HWCAPS_CMDLINE_MAX (64 * 1024)

/* Called for a value it does not understand: key and the value bytes. */
typedef void (*hwcaps_cmdline_warn_fn)(void *userdata, const char *key,
                                       const char *value, size_t n);

void hwcaps_cmdline_parse(const char *buf, size_t n, struct hwcaps_cmdline *ret,
                          hwcaps_cmdline_warn_fn warn, void *userdata);

/* systemd's parse_boolean(): 1/yes/y/true/t/on, 0/no/n/false/f/off; -1 else. */
int hwcaps_parse_boolean(const char *s, size_t n);
