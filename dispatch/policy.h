/* SPDX-License-Identifier: MIT */
/* The one decision the generator, "hwcaps path" and "hwcaps status" share:
 * kernel command line + environment + hwcaps.conf + CPU -> which level
 * directories go into PATH, and why. */
#pragma once

#include <stdbool.h>

#include "cmdline.h"
#include "conffile.h"
#include "level.h"

enum hwcaps_why_source {
        HWCAPS_WHY_DEFAULT,
        HWCAPS_WHY_CPU,         /* the CPU supports no more */
        HWCAPS_WHY_CMDLINE,     /* /proc/cmdline */
        HWCAPS_WHY_ENVIRONMENT, /* HWCAPS= or HWCAPS_MAX_LEVEL= */
        HWCAPS_WHY_CONFIG,      /* file:line */
};

struct hwcaps_why {
        enum hwcaps_why_source source;
        const char *file;  /* config: file name; NULL otherwise */
        unsigned line;
        char setting[96];  /* "hwcaps=off", "HWCAPS=off", "max-level=x86-64-v2" ... */
};

/* Everything read from files, once. */
struct hwcaps_sources {
        struct hwcaps_cmdline cmdline;
        int cmdline_error;            /* 0, or -errno reading /proc/cmdline */
        struct hwcaps_config config;
        enum hwcaps_level cpu_level;  /* glibc's view, as the dynamic linker's */
};

struct hwcaps_policy {
        bool keep_path;               /* systemd.setenv=PATH= given: leave PATH alone */
        bool enabled;
        struct hwcaps_why enabled_why;
        enum hwcaps_level cap;        /* HWCAPS_LEVEL_MAX when nothing caps it */
        struct hwcaps_why cap_why;
        enum hwcaps_level cpu_level;
        enum hwcaps_level level;      /* highest level directory to insert; < V2: none */
        const char *const *directories; /* NULL: every PATH directory */
        struct hwcaps_why directories_why;
};

/* Reads root/proc/cmdline, the configuration and the CPU. Problems are
 * warnings; returns 0 or -ENOMEM. */
int hwcaps_sources_load(struct hwcaps_sources *s, const char *root, hwcaps_warn_fn warn, void *userdata);
void hwcaps_sources_done(struct hwcaps_sources *s);

/* Pure. Precedence, highest first: kernel command line (hwcaps=,
 * hwcaps.max=), environment (HWCAPS=, HWCAPS_MAX_LEVEL=), the kernel
 * command line's systemd.setenv=HWCAPS= (for processes that lack it),
 * hwcaps.conf, default. env_* may be NULL (unset). ret points into s. */
void hwcaps_policy_decide(const struct hwcaps_sources *s, const char *env_hwcaps, const char *env_max_level,
                          struct hwcaps_policy *ret, hwcaps_warn_fn warn, void *userdata);

/* The PATH the generator produces from path under this policy (path itself
 * when the policy keeps PATH). Returns 0 or -ENOMEM. */
int hwcaps_policy_path(const struct hwcaps_policy *p, const char *root, const char *path, char **ret,
                       hwcaps_warn_fn warn, void *userdata);

/* "kernel command line (hwcaps=off)", "/etc/hwcaps.conf:3 (max-level=...)" */
const char *hwcaps_why_string(const struct hwcaps_why *w, char *buf, size_t size);
const char *hwcaps_why_source_name(enum hwcaps_why_source s);

/* value in double quotes, with \ " ` $ backslash-escaped: read back byte for
 * byte by systemd's environment file parser (env-file.c, which the manager
 * uses on generator output) and by any POSIX shell. malloc'd or NULL. */
char *hwcaps_env_quote(const char *value);

/* The sysroot prefix from HWCAPS_ROOT (or opt if not NULL): "" for none or "/". */
const char *hwcaps_root_prefix(const char *opt);
