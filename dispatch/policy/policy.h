/* SPDX-License-Identifier: MIT */
/* The decision (decide.h) with what only programs with libc have: loading
 * hwcaps.conf, compiling and writing the policy file, composing PATH. Used
 * by the generator, "hwcaps path", "hwcaps which/exec" and "hwcaps status". */
#pragma once

#include <stdbool.h>

#include "cmdline.h"
#include "conffile.h"
#include "decide.h"
#include "level.h"

enum hwcaps_why_source {
        HWCAPS_WHY_DEFAULT,
        HWCAPS_WHY_CONFIG,      /* file:line */
};

struct hwcaps_why {
        enum hwcaps_why_source source;
        const char *file;  /* config: file name; NULL otherwise */
        unsigned line;
        char setting[96];  /* "directories=/usr/bin" */
};

/* Everything read from files, once. */
struct hwcaps_sources {
        struct hwcaps_trust_root root;
        struct hwcaps_decision boot;  /* the boot's options (decide.h), no environment yet */
        enum hwcaps_boot boot_from;
        char **directories;           /* directories= as compiled; NULL: every PATH directory */
        struct hwcaps_why directories_why;
        struct hwcaps_config config;  /* hwcaps.conf: compiled (COMPILE), shown (STATUS) */
        enum hwcaps_level cpu_level;  /* glibc's view, as the dynamic linker's */
};

struct hwcaps_policy {
        struct hwcaps_decision d;     /* cap, why, cpu, top */
        bool keep_path;               /* systemd.setenv=PATH= given: leave PATH alone */
        enum hwcaps_level level;      /* highest level directory to insert; < V2: none */
        const char *const *directories; /* NULL: every PATH directory */
        struct hwcaps_why directories_why;
};

enum hwcaps_load_mode {
        HWCAPS_LOAD_READ,    /* the policy file, or the command line where there is none */
        HWCAPS_LOAD_STATUS,  /* the same, and hwcaps.conf as it is now, to compare */
        HWCAPS_LOAD_COMPILE, /* the command line and hwcaps.conf, as the system generator */
};

/* Reads the boot's options, the configuration and the CPU under root.
 * Problems are warnings; returns 0 or -ENOMEM. */
int hwcaps_sources_load(struct hwcaps_sources *s, const char *root, enum hwcaps_load_mode mode,
                        hwcaps_warn_fn warn, void *userdata);
void hwcaps_sources_done(struct hwcaps_sources *s);

/* The boot's options compiled from the kernel command line and hwcaps.conf
 * (what the system generator writes), whatever s was loaded from. */
void hwcaps_compile(const struct hwcaps_cmdline *c, const struct hwcaps_config *cfg, struct hwcaps_decision *ret);

/* s->boot and s->directories from the command line c and s->config, as
 * HWCAPS_LOAD_COMPILE makes them. Returns 0 or -ENOMEM. */
int hwcaps_sources_compile(struct hwcaps_sources *s, const struct hwcaps_cmdline *c);

/* Writes s->boot and s->directories as root/run/hwcaps/policy (atomically, mode 0644, in a
 * directory of mode 0755). Returns 0 or -errno. */
int hwcaps_policy_write(const struct hwcaps_sources *s, const char *root);

/* Pure: s's boot options, then HWCAPS= and HWCAPS_MAX_LEVEL= of an
 * environment (src HWCAPS_SRC_ENV or HWCAPS_SRC_MANAGER; NULL: unset),
 * then the CPU: decide.h's one rule. ret points into s. */
void hwcaps_policy_decide(const struct hwcaps_sources *s, const char *env_hwcaps, const char *env_max_level,
                          enum hwcaps_src src, struct hwcaps_policy *ret);

/* The PATH the generator produces from path under this policy (path itself
 * when the policy keeps PATH). Returns 0 or -ENOMEM. */
int hwcaps_policy_path(const struct hwcaps_policy *p, const char *root, const char *path, char **ret,
                       hwcaps_warn_fn warn, void *userdata);

/* "/etc/hwcaps.conf:3 (directories=...)" */
const char *hwcaps_why_string(const struct hwcaps_why *w, char *buf, size_t size);

/* value in double quotes, with \ " ` $ backslash-escaped: read back byte for
 * byte by systemd's environment file parser (env-file.c, which the manager
 * uses on generator output) and by any POSIX shell. malloc'd or NULL. */
char *hwcaps_env_quote(const char *value);

/* The sysroot prefix from HWCAPS_ROOT (a test fixture; ignored in a setuid
 * context): "" for none or "/". */
const char *hwcaps_root_prefix(void);

/* The warning for a command line value that counts as off (decide.h's
 * hwcaps_cmdline_warn_fn), passed on to a hwcaps_warn_fn. */
struct hwcaps_cmdline_warn {
        hwcaps_warn_fn warn;
        void *userdata;
        unsigned count;
};
void hwcaps_cmdline_warn(void *userdata, const char *key, const char *value, size_t n);
