/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "macro.h"
#include "policy.h"
#include "probe.h"

/* A garbled command line gets a few warnings, not thousands. */
#define CMDLINE_WARNINGS_MAX 8

const char *hwcaps_root_prefix(void) {
        const char *r = secure_getenv("HWCAPS_ROOT");
        if (!r || strcmp(r, "/") == 0)
                return "";
        return r;
}

void hwcaps_cmdline_warn(void *userdata, const char *key, const char *value, size_t n) {
        struct hwcaps_cmdline_warn *w = userdata;
        const char *expected = strstr(key, "MAX") || strstr(key, "max") ? HWCAPS_LEVEL_NAMES
                                                                        : "a boolean such as on or off";

        if (!w || !w->warn || ++w->count > CMDLINE_WARNINGS_MAX + 1)
                return;
        if (w->count == CMDLINE_WARNINGS_MAX + 1)
                w->warn(w->userdata, "kernel command line: more values that count as off, not shown");
        else
                w->warn(w->userdata, "kernel command line: %s=%s: not understood (expected %s), counts as off",
                        key, hwcaps_printable(value, n, 40), expected);
}

void hwcaps_compile(const struct hwcaps_cmdline *c, const struct hwcaps_config *cfg, struct hwcaps_decision *ret) {
        struct hwcaps_decision d;
        char what[400];

        hwcaps_decision_init(&d);
        hwcaps_decision_cmdline(&d, c);
        /* hwcaps.conf's layering (vendor < runtime < admin, later files
         * override earlier ones) is resolved by conffile.c: one value each. */
        if (cfg->unreadable[0]) {
                snprintf(what, sizeof what, "%s cannot be read (hwcaps.conf)", cfg->unreadable);
                hwcaps_decision_cap(&d, HWCAPS_LEVEL_V1, HWCAPS_SRC_CONFIG, what, NULL, 0);
        }
        if (cfg->enabled == 0) {
                snprintf(what, sizeof what, "%s (%s:%u)", cfg->enabled_at.setting, cfg->enabled_at.file, cfg->enabled_at.line);
                hwcaps_decision_cap(&d, HWCAPS_LEVEL_V1, HWCAPS_SRC_CONFIG, what, NULL, 0);
        }
        if (cfg->max_level > 0) {
                snprintf(what, sizeof what, "%s (%s:%u)", cfg->max_level_at.setting, cfg->max_level_at.file,
                         cfg->max_level_at.line);
                hwcaps_decision_cap(&d, cfg->max_level, HWCAPS_SRC_CONFIG, what, NULL, 0);
        }
        *ret = d;
}

int hwcaps_sources_compile(struct hwcaps_sources *s, const struct hwcaps_cmdline *c) {
        hwcaps_compile(c, &s->config, &s->boot);
        hwcaps_strv_free(s->directories);
        s->directories = NULL;
        if (!s->config.directories)
                return 0;
        s->directories = hwcaps_strv_copy(s->config.directories);
        if (!s->directories)
                return -ENOMEM;
        s->directories_why = (struct hwcaps_why) { .source = HWCAPS_WHY_CONFIG, .file = s->config.directories_at.file,
                                                   .line = s->config.directories_at.line };
        snprintf(s->directories_why.setting, sizeof s->directories_why.setting, "%s", s->config.directories_at.setting);
        return 0;
}

/* directories= as compiled: run/hwcaps/directories, one per line, under
 * the trust rule like the policy file. */
static int policy_directories(struct hwcaps_sources *s, const char *root) {
        _cleanup_free_ char *buf = NULL;
        _cleanup_free_ struct hwcaps_trust *t = malloc(sizeof *t);
        size_t n = 0, count = 0;
        int r;

        if (!t)
                return -ENOMEM;
        if (hwcaps_trust_walk(&s->root, NULL, "/" HWCAPS_POLICY_DIR "/" HWCAPS_POLICY_DIRECTORIES, HWCAPS_WANT_FILE, t) !=
            HWCAPS_TRUST_SAFE)
                return 0; /* none, or not to be believed: every PATH directory */
        r = hwcaps_read_file(root, "/" HWCAPS_POLICY_DIR "/" HWCAPS_POLICY_DIRECTORIES, 1024 * 1024, &buf, &n);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return 0;
        for (char *line = buf, *end; line && *line; line = end) {
                end = strchr(line, '\n');
                if (end)
                        *end++ = '\0';
                if (line[0] != '/')
                        continue;
                char **l = realloc(s->directories, (count + 2) * sizeof *l);
                if (!l)
                        return -ENOMEM;
                s->directories = l;
                l[count] = strdup(line);
                if (!l[count])
                        return -ENOMEM;
                l[++count] = NULL;
        }
        if (count) {
                s->directories_why = (struct hwcaps_why) { .source = HWCAPS_WHY_CONFIG,
                                                           .file = "/" HWCAPS_POLICY_DIR "/" HWCAPS_POLICY_DIRECTORIES };
                snprintf(s->directories_why.setting, sizeof s->directories_why.setting, "directories=, compiled");
        }
        return 0;
}

int hwcaps_sources_load(struct hwcaps_sources *s, const char *root, enum hwcaps_load_mode mode,
                        hwcaps_warn_fn warn, void *userdata) {
        struct hwcaps_cmdline_warn cw = { warn, userdata, 0 };
        struct hwcaps_probe probe;
        struct hwcaps_cmdline c;
        int r;

        *s = (struct hwcaps_sources) { .root.fd = -1 };
        hwcaps_config_init(&s->config);
        (void) hwcaps_trust_root_open(root, &s->root);

        /* Only the system generator reads hwcaps.conf for what it decides:
         * a user cannot read a drop-in of mode 0600, and everyone must
         * follow the same verdict. */
        if (mode != HWCAPS_LOAD_READ) {
                r = hwcaps_config_load(&s->config, root, mode == HWCAPS_LOAD_COMPILE ? warn : NULL, userdata);
                if (r < 0)
                        return r;
        }

        if (mode == HWCAPS_LOAD_COMPILE) {
                long k = hwcaps_cmdline_read(&s->root, &c, hwcaps_cmdline_warn, &cw);

                r = hwcaps_sources_compile(s, &c);
                if (r < 0)
                        return r;
                if (k < 0) {
                        /* The admin's opt-out may be in what was not read. */
                        hwcaps_decision_cap(&s->boot, HWCAPS_LEVEL_V1, HWCAPS_SRC_UNKNOWN,
                                            k == -ENOENT ? "no /proc/cmdline" :
                                            k == -EFBIG ? "/proc/cmdline is longer than 64 KiB" :
                                                          "/proc/cmdline cannot be read", NULL, 0);
                        if (warn)
                                warn(userdata, "%s: hwcaps is off", s->boot.why);
                }
                s->boot_from = k < 0 ? HWCAPS_BOOT_UNKNOWN : HWCAPS_BOOT_CMDLINE;
        } else {
                hwcaps_decision_init(&s->boot);
                s->boot_from = hwcaps_decision_boot(&s->boot, &s->root, hwcaps_cmdline_warn, &cw);
                if (s->boot_from == HWCAPS_BOOT_UNKNOWN && warn)
                        warn(userdata, "%s: hwcaps is off", s->boot.why);
                if (s->boot_from == HWCAPS_BOOT_POLICY) {
                        r = policy_directories(s, root);
                        if (r < 0)
                                return r;
                }
        }

        hwcaps_probe_glibc(&probe);
        s->cpu_level = probe.level;
        return 0;
}

void hwcaps_sources_done(struct hwcaps_sources *s) {
        hwcaps_config_done(&s->config);
        hwcaps_strv_free(s->directories);
        hwcaps_trust_root_close(&s->root);
}

/* dir/name with text, atomically (a temporary file renamed over it),
 * mode 0644 whatever the umask. Returns 0 or -errno. */
static int write_atomic(const char *dir, const char *name, const char *text, size_t n) {
        _cleanup_free_ char *tmp = NULL, *file = NULL;
        int fd, r = 0;

        if (asprintf(&file, "%s/%s", dir, name) < 0 || asprintf(&tmp, "%s/.#%s.%d", dir, name, (int) getpid()) < 0)
                return -ENOMEM;
        fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (fd < 0)
                return -errno;
        if (fchmod(fd, 0644) < 0 || write(fd, text, n) != (ssize_t) n)
                r = errno ? -errno : -EIO;
        if (close(fd) < 0 && r == 0)
                r = -errno;
        if (r == 0 && rename(tmp, file) < 0)
                r = -errno;
        if (r < 0)
                (void) unlink(tmp);
        return r;
}

int hwcaps_policy_write(const struct hwcaps_sources *s, const char *root) {
        _cleanup_free_ char *dir = NULL, *text = NULL, *dirs = NULL, *policy = NULL;
        const char *cap = s->boot.cap >= HWCAPS_LEVEL_MAX && s->boot.src == HWCAPS_SRC_NONE ? "none"
                                                                                          : hwcaps_level_name(s->boot.cap);
        size_t dn = 0;
        int n, r;

        if (asprintf(&dir, "%s/%s", root ? root : "", HWCAPS_POLICY_DIR) < 0 ||
            asprintf(&policy, "%s/" HWCAPS_POLICY_NAME, dir) < 0)
                return -ENOMEM;
        n = asprintf(&text,
                     "# The boot's hwcaps options, compiled by hwcaps-env-generator(8) from the\n"
                     "# kernel command line and hwcaps.conf(5) at boot and at every daemon-reload.\n"
                     "# Read by hwcaps-dispatch(8) and hwcaps(1). Do not edit: it is rewritten.\n"
                     "hwcaps-policy=" HWCAPS_POLICY_VERSION "\n"
                     "cap=%s\n"
                     "keep-path=%s\n"
                     "why=%s\n",
                     cap, s->boot.keep_path ? "yes" : "no", s->boot.src == HWCAPS_SRC_NONE ? "" : s->boot.why);
        if (n < 0)
                return -ENOMEM;
        /* hwcaps.conf's directories= go into a file of their own, read by
         * PATH composers only: the policy the stub reads stays small
         * however long the list (a list that made it too long to write
         * left the admin's enable=no out). */
        dirs = strdup("");
        for (char **d = s->directories; dirs && d && *d; d++) {
                char *more;

                if (strchr(*d, '\n'))
                        continue; /* conffile.c takes no such name; never split a line */
                if (asprintf(&more, "%s%s\n", dirs, *d) < 0)
                        more = NULL;
                free(dirs);
                dirs = more;
        }
        if (!dirs)
                return -ENOMEM;
        dn = strlen(dirs);
        /* /run is root's: the directory is made 0755 whatever the umask. */
        if (mkdir(dir, 0755) < 0 && errno != EEXIST)
                return -errno;
        (void) chmod(dir, 0755);
        /* The directories first: the policy file is what says "compiled". */
        r = write_atomic(dir, HWCAPS_POLICY_DIRECTORIES, dirs, dn);
        if (r >= 0)
                r = (size_t) n > HWCAPS_POLICY_MAX ? -E2BIG : write_atomic(dir, HWCAPS_POLICY_NAME, text, n);
        /* A policy left from before would be followed as if it were this
         * boot's: without one the readers take the kernel command line. */
        if (r < 0)
                (void) unlink(policy);
        return r;
}

void hwcaps_policy_decide(const struct hwcaps_sources *s, const char *env_hwcaps, const char *env_max_level,
                          enum hwcaps_src src, struct hwcaps_policy *ret) {
        struct hwcaps_env e = { .hwcaps = env_hwcaps, .max_level = env_max_level };
        struct hwcaps_policy p = { .d = s->boot };

        hwcaps_decision_env(&p.d, &e, src);
        hwcaps_decision_finish(&p.d, s->cpu_level);
        p.keep_path = p.d.keep_path;
        /* Off inserts no level directory at all: the baseline is the plain
         * directory itself. */
        p.level = p.d.top;
        if (s->directories) {
                p.directories = (const char *const *) s->directories;
                p.directories_why = s->directories_why;
        }
        *ret = p;
}

int hwcaps_policy_path(const struct hwcaps_policy *p, const char *root, const char *path, char **ret,
                       hwcaps_warn_fn warn, void *userdata) {
        if (p->keep_path) {
                *ret = strdup(path);
                return *ret ? 0 : -ENOMEM;
        }
        /* Disabled still composes, with no level allowed: level
         * directories already in PATH (inherited) are taken out. */
        struct hwcaps_path_opts o = {
                .root = root,
                .max_level = p->level,
                .directories = p->directories,
                .warn = warn,
                .userdata = userdata,
        };
        return hwcaps_path_compose(path, &o, ret);
}

const char *hwcaps_why_string(const struct hwcaps_why *w, char *buf, size_t size) {
        if (w->source == HWCAPS_WHY_CONFIG)
                snprintf(buf, size, "%s:%u (%s)", w->file, w->line, w->setting);
        else
                snprintf(buf, size, "default");
        return buf;
}

char *hwcaps_env_quote(const char *value) {
        size_t n = 3;
        char *out, *o;

        for (const char *s = value; *s; s++)
                n += strchr("\"\\`$", *s) ? 2 : 1;
        out = o = malloc(n);
        if (!out)
                return NULL;
        *o++ = '"';
        for (const char *s = value; *s; s++) {
                /* SHELL_NEED_ESCAPE in systemd's escape.h: inside double
                 * quotes env-file.c drops the backslash before exactly
                 * these, and keeps it before anything else. */
                if (strchr("\"\\`$", *s))
                        *o++ = '\\';
                *o++ = *s;
        }
        *o++ = '"';
        *o = '\0';
        return out;
}
