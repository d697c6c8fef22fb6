/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "macro.h"
#include "policy.h"
#include "probe.h"

/* Linux caps the command line far lower (COMMAND_LINE_SIZE, 2 KiB on x86
 * before 6.x bootconfig); anything beyond this is not a real command line. */
#define CMDLINE_WARNINGS_MAX 8

const char *hwcaps_root_prefix(const char *opt) {
        const char *r = opt ? opt : secure_getenv("HWCAPS_ROOT");
        if (!r || strcmp(r, "/") == 0)
                return "";
        return r;
}

struct cmdline_warn {
        hwcaps_warn_fn warn;
        void *userdata;
        unsigned count;
};

static void cmdline_warn(void *userdata, const char *key, const char *value, size_t n) {
        struct cmdline_warn *w = userdata;
        const char *expected = strcmp(key, "hwcaps.max") == 0 ? "x86-64-v1 ... x86-64-v4" : "a boolean such as on or off";

        if (!w->warn || ++w->count > CMDLINE_WARNINGS_MAX + 1)
                return;
        if (w->count == CMDLINE_WARNINGS_MAX + 1)
                w->warn(w->userdata, "/proc/cmdline: more unknown values, not shown");
        else
                w->warn(w->userdata, "/proc/cmdline: %s=%s: unknown value (expected %s), ignored",
                        key, hwcaps_printable(value, n, 40), expected);
}

int hwcaps_sources_load(struct hwcaps_sources *s, const char *root, hwcaps_warn_fn warn, void *userdata) {
        _cleanup_free_ char *cmdline = NULL;
        struct cmdline_warn cw = { warn, userdata, 0 };
        struct hwcaps_probe probe;
        size_t n = 0;
        int r;

        *s = (struct hwcaps_sources) {};
        hwcaps_config_init(&s->config);
        r = hwcaps_read_file(root, "/proc/cmdline", HWCAPS_CMDLINE_MAX, &cmdline, &n);
        if (r == -ENOMEM)
                return r;
        s->cmdline_error = r < 0 ? r : 0;
        if (r < 0 && warn)
                warn(userdata, "cannot read /proc/cmdline: %s; kernel command line options not applied",
                     r == -EFBIG ? "larger than 64 KiB" : strerror(-r));
        hwcaps_cmdline_parse(cmdline ? cmdline : "", n, &s->cmdline, cmdline_warn, &cw);

        r = hwcaps_config_load(&s->config, root, warn, userdata);
        if (r < 0)
                return r;

        hwcaps_probe_glibc(&probe);
        s->cpu_level = probe.level;
        return 0;
}

void hwcaps_sources_done(struct hwcaps_sources *s) {
        hwcaps_config_done(&s->config);
}

static void why_set(struct hwcaps_why *w, enum hwcaps_why_source src, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

static void why_set(struct hwcaps_why *w, enum hwcaps_why_source src, const char *fmt, ...) {
        va_list ap;

        *w = (struct hwcaps_why) { .source = src };
        va_start(ap, fmt);
        vsnprintf(w->setting, sizeof w->setting, fmt, ap);
        va_end(ap);
}

static void why_config(struct hwcaps_why *w, const struct hwcaps_config_origin *o) {
        *w = (struct hwcaps_why) { .source = HWCAPS_WHY_CONFIG, .file = o->file, .line = o->line };
        snprintf(w->setting, sizeof w->setting, "%s", o->setting);
}

void hwcaps_policy_decide(const struct hwcaps_sources *s, const char *env_hwcaps, const char *env_max_level,
                          struct hwcaps_policy *ret, hwcaps_warn_fn warn, void *userdata) {
        const struct hwcaps_cmdline *c = &s->cmdline;
        const struct hwcaps_config *cfg = &s->config;
        struct hwcaps_policy p = { .cpu_level = s->cpu_level };
        int env_enabled = -1, env_max = 0;

        /* An empty variable is an unset one, as for HWCAPS_MAX_LEVEL. */
        if (env_hwcaps && *env_hwcaps) {
                env_enabled = hwcaps_parse_boolean(env_hwcaps, strlen(env_hwcaps));
                if (env_enabled < 0 && warn)
                        warn(userdata, "HWCAPS=%s: not a boolean (expected on or off), ignored",
                             hwcaps_printable(env_hwcaps, strlen(env_hwcaps), 40));
        }
        if (env_max_level && *env_max_level) {
                env_max = hwcaps_level_parse(env_max_level, strlen(env_max_level));
                if (env_max <= 0 && warn)
                        warn(userdata, "HWCAPS_MAX_LEVEL=%s: unknown level (expected x86-64-v1 ... x86-64-v4), ignored",
                             hwcaps_printable(env_max_level, strlen(env_max_level), 40));
        }

        /* systemd applies systemd.setenv=PATH= before generators run, and a
         * generator's PATH= would replace it: the admin's PATH wins whole. */
        p.keep_path = c->setenv_path;

        /* A source that exists but cannot be read may hold the admin's
         * opt-out: change nothing rather than guess (found by
         * tests/faults: an unreadable /proc/cmdline or hwcaps.conf put
         * level directories above the admin's cap into PATH). A missing
         * /proc (a chroot) or hwcaps.conf holds no options. */
        if (s->cmdline_error < 0 && s->cmdline_error != -ENOENT) {
                p.enabled = false;
                why_set(&p.enabled_why, HWCAPS_WHY_CMDLINE, "/proc/cmdline unreadable: %s", strerror(-s->cmdline_error));
        } else if (cfg->unreadable[0]) {
                p.enabled = false;
                why_set(&p.enabled_why, HWCAPS_WHY_CONFIG, "%s unreadable", cfg->unreadable);
        } else if (c->enabled >= 0) {
                p.enabled = c->enabled;
                why_set(&p.enabled_why, HWCAPS_WHY_CMDLINE, "hwcaps=%s", c->enabled ? "on" : "off");
        } else if (env_enabled >= 0) {
                p.enabled = env_enabled;
                why_set(&p.enabled_why, HWCAPS_WHY_ENVIRONMENT, "HWCAPS=%s", hwcaps_printable(env_hwcaps, strlen(env_hwcaps), 40));
        } else if (c->env_enabled >= 0) {
                p.enabled = c->env_enabled;
                why_set(&p.enabled_why, HWCAPS_WHY_CMDLINE, "systemd.setenv=HWCAPS=%s", c->env_enabled ? "on" : "off");
        } else if (cfg->enabled >= 0) {
                p.enabled = cfg->enabled;
                why_config(&p.enabled_why, &cfg->enabled_at);
        } else {
                p.enabled = true;
                why_set(&p.enabled_why, HWCAPS_WHY_DEFAULT, "%s", "");
        }

        if (c->max_level > 0) {
                p.cap = c->max_level;
                why_set(&p.cap_why, HWCAPS_WHY_CMDLINE, "hwcaps.max=%s", hwcaps_level_name(c->max_level));
        } else if (env_max > 0) {
                p.cap = env_max;
                why_set(&p.cap_why, HWCAPS_WHY_ENVIRONMENT, "HWCAPS_MAX_LEVEL=%s", hwcaps_level_name(env_max));
        } else if (cfg->max_level > 0) {
                p.cap = cfg->max_level;
                why_config(&p.cap_why, &cfg->max_level_at);
        } else {
                p.cap = HWCAPS_LEVEL_MAX;
                why_set(&p.cap_why, HWCAPS_WHY_DEFAULT, "%s", "");
        }

        if (cfg->directories) {
                p.directories = (const char *const *) cfg->directories;
                why_config(&p.directories_why, &cfg->directories_at);
        } else
                why_set(&p.directories_why, HWCAPS_WHY_DEFAULT, "%s", "");

        p.level = !p.enabled ? HWCAPS_LEVEL_V1 : p.cap < p.cpu_level ? p.cap : p.cpu_level;
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

const char *hwcaps_why_source_name(enum hwcaps_why_source s) {
        static const char *const names[] = {
                [HWCAPS_WHY_DEFAULT] = "default",
                [HWCAPS_WHY_CPU] = "cpu",
                [HWCAPS_WHY_CMDLINE] = "cmdline",
                [HWCAPS_WHY_ENVIRONMENT] = "environment",
                [HWCAPS_WHY_CONFIG] = "config",
        };
        return (size_t) s < ELEMENTSOF(names) ? names[s] : "unknown";
}

const char *hwcaps_why_string(const struct hwcaps_why *w, char *buf, size_t size) {
        switch (w->source) {
        case HWCAPS_WHY_CONFIG:
                snprintf(buf, size, "%s:%u (%s)", w->file, w->line, w->setting);
                break;
        case HWCAPS_WHY_CMDLINE:
                snprintf(buf, size, "kernel command line (%s)", w->setting);
                break;
        case HWCAPS_WHY_ENVIRONMENT:
                snprintf(buf, size, "environment (%s)", w->setting);
                break;
        case HWCAPS_WHY_CPU:
                snprintf(buf, size, "CPU");
                break;
        default:
                snprintf(buf, size, "default");
        }
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
