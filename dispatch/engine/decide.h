/* SPDX-License-Identifier: MIT */
/* The one decision every entry point makes -- generator, login-shell
 * snippet, stub, hwcaps path/which/exec/status -- from the same inputs:
 *
 *   any "off" wins, and the lowest cap wins;
 *   a value that cannot be parsed counts as off;
 *   when the boot's options cannot be learned, hwcaps is off.
 *
 * The boot's options are the kernel command line (hwcaps=, hwcaps.max=,
 * systemd.setenv=HWCAPS=, systemd.setenv=HWCAPS_MAX_LEVEL=) and
 * hwcaps.conf(5). The system environment generator compiles both into
 * /run/hwcaps/policy at boot and at every daemon-reload; everything else
 * reads that file (one open, no config parser, and it is there for
 * services without /proc/cmdline), and falls back to the command line where
 * it is absent. The process environment (HWCAPS=, HWCAPS_MAX_LEVEL=, not
 * under AT_SECURE) can only lower the result.
 *
 * Freestanding (sys.h): the static stub runs this same code. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "cmdline.h"
#include "level.h"
#include "candidates.h"
#include "trust.h"

/* Below the sysroot (HWCAPS_ROOT). */
#define HWCAPS_POLICY_DIR  "run/hwcaps"
#define HWCAPS_POLICY_NAME "policy"
#define HWCAPS_POLICY_DIRECTORIES "directories" /* beside it: directories=, for PATH only */
#define HWCAPS_POLICY_PATH "/run/hwcaps/policy"
#define HWCAPS_POLICY_MAX  1024
#define HWCAPS_POLICY_VERSION "1"

enum hwcaps_src {
        HWCAPS_SRC_NONE,    /* nothing caps it */
        HWCAPS_SRC_CMDLINE, /* the kernel command line */
        HWCAPS_SRC_CONFIG,  /* hwcaps.conf and its drop-ins */
        HWCAPS_SRC_POLICY,  /* /run/hwcaps/policy: the two above, compiled at boot */
        HWCAPS_SRC_MANAGER, /* the service manager's environment (hwcaps status) */
        HWCAPS_SRC_ENV,     /* the process environment */
        HWCAPS_SRC_UNKNOWN, /* the boot's options could not be learned */
};

struct hwcaps_decision {
        enum hwcaps_level cap; /* the lowest cap; HWCAPS_LEVEL_MAX when nothing caps */
        enum hwcaps_src src;   /* what set it; on a tie the first one named */
        char why[192];         /* "hwcaps=off (kernel command line)" */
        bool keep_path;        /* systemd.setenv=PATH=: the admin's PATH stays whole */
        enum hwcaps_level cpu; /* set by hwcaps_decision_finish() */
        enum hwcaps_level top; /* the highest level to run: min(cpu, cap), at least V1 */
};

/* Where the boot's options came from. */
enum hwcaps_boot {
        HWCAPS_BOOT_POLICY,  /* /run/hwcaps/policy */
        HWCAPS_BOOT_CMDLINE, /* no policy file: the kernel command line alone */
        HWCAPS_BOOT_UNKNOWN, /* neither: off */
};

void hwcaps_decision_init(struct hwcaps_decision *d);

/* Caps at level (HWCAPS_LEVEL_V1 is "off") when that is lower than the cap
 * so far. why is what, then n bytes of value (made printable), then
 * " (" source ")". */
void hwcaps_decision_cap(struct hwcaps_decision *d, int level, enum hwcaps_src src,
                         const char *what, const char *value, size_t n);

/* The kernel command line's options. */
void hwcaps_decision_cmdline(struct hwcaps_decision *d, const struct hwcaps_cmdline *c);

/* HWCAPS= and HWCAPS_MAX_LEVEL= of an environment (the process's, or the
 * manager's for src HWCAPS_SRC_MANAGER); empty values are unset ones. */
void hwcaps_decision_env(struct hwcaps_decision *d, const struct hwcaps_env *e, enum hwcaps_src src);

/* Reads the boot's options under root: the policy file, or where there is
 * none the kernel command line as systemd reads it (hwcaps_cmdline_read()),
 * or off. warn gets command line values that count as off. */
enum hwcaps_boot hwcaps_decision_boot(struct hwcaps_decision *d, const struct hwcaps_trust_root *root,
                                      hwcaps_cmdline_warn_fn warn, void *userdata);

void hwcaps_decision_finish(struct hwcaps_decision *d, enum hwcaps_level cpu);

/* Reads the kernel command line under root the way systemd (252) does:
 * the SystemdOptions EFI variable as PID 1 cached it, then, later and so
 * winning, /proc/cmdline -- or PID 1's argv inside a container. Returns 0,
 * -ENOENT when there is no command line to read (no /proc), or another
 * -errno (unreadable, or longer than HWCAPS_CMDLINE_MAX) that hides the
 * admin's options. */
long hwcaps_cmdline_read(const struct hwcaps_trust_root *root, struct hwcaps_cmdline *ret,
                         hwcaps_cmdline_warn_fn warn, void *userdata);

/* The policy file's contents: "hwcaps-policy=1", "cap=x86-64-vN" or
 * "cap=none", "keep-path=yes|no", "why=TEXT", one per line, '#' comments.
 * Returns 0, or -1 when it is not a policy this version understands. */
struct hwcaps_policy_file {
        int cap;          /* 1..4, or HWCAPS_LEVEL_MAX + 1 for none */
        bool keep_path;
        const char *why;  /* points into the buffer */
        size_t why_len;
};
int hwcaps_policy_file_parse(const char *buf, size_t n, struct hwcaps_policy_file *ret);

/* "kernel command line", "hwcaps.conf" ... */
const char *hwcaps_src_name(enum hwcaps_src s);
