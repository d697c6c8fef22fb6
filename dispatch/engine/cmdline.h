/* SPDX-License-Identifier: MIT */
/* The kernel command line options of hwcaps, parsed the way systemd parses
 * /proc/cmdline. Pure and freestanding: the static stub uses it too. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* The last value of each option wins, as in systemd. A value that cannot
 * be parsed counts as off (enabled 0, level 1): an opt-out fails closed. */
struct hwcaps_cmdline {
        int enabled;       /* hwcaps=: -1 not given, 0 off, 1 on */
        int max_level;     /* hwcaps.max=: 0 not given, else 1..4 */
        bool setenv_path;  /* systemd.setenv=PATH=... given: the admin chose PATH */
        int env_enabled;   /* systemd.setenv=HWCAPS=: -1 not given, 0 off, 1 on */
        int env_max_level; /* systemd.setenv=HWCAPS_MAX_LEVEL=: 0 not given, else 1..4 */
};

#define HWCAPS_CMDLINE_INIT { .enabled = -1, .max_level = 0, .setenv_path = false, \
                              .env_enabled = -1, .env_max_level = 0 }

/* The longest /proc/cmdline any hwcaps part reads. The kernel writes at
 * most COMMAND_LINE_SIZE (2 KiB on x86) plus what bootconfig adds (under
 * 32 KiB), so a longer file is not a real command line: it is treated like
 * an unreadable one (it may hide the admin's opt-out), and the generator,
 * `hwcaps which` and the stub all draw the line at the same byte. */
#define HWCAPS_CMDLINE_MAX (64 * 1024)

/* Called for a value it does not understand (and so counts as off): key
 * and the value bytes. */
typedef void (*hwcaps_cmdline_warn_fn)(void *userdata, const char *key,
                                       const char *value, size_t n);

void hwcaps_cmdline_parse(const char *buf, size_t n, struct hwcaps_cmdline *ret,
                          hwcaps_cmdline_warn_fn warn, void *userdata);
/* The same onto what ret already holds: its words come later, so they win. */
void hwcaps_cmdline_parse_more(const char *buf, size_t n, struct hwcaps_cmdline *ret,
                               hwcaps_cmdline_warn_fn warn, void *userdata);

/* Words are split as systemd's proc_cmdline_parse() splits them
 * (extract_first_word() with EXTRACT_UNQUOTE|EXTRACT_RELAX|
 * EXTRACT_RETAIN_ESCAPE): at space, tab, newline and carriage return only;
 * quotes group and are removed; a backslash is kept and keeps the next byte
 * in the word. NUL bytes (PID 1's argv in a container) separate too. */

/* systemd's parse_boolean(), case-insensitive: 1/yes/y/true/t/on,
 * 0/no/n/false/f/off; -1 else. */
int hwcaps_parse_boolean(const char *s, size_t n);
