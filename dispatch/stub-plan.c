/* SPDX-License-Identifier: MIT */
#include "stub-plan.h"

static const char *env_value(const char *entry, const char *key) {
        size_t i = 0;

        for (; key[i]; i++)
                if (entry[i] != key[i])
                        return NULL;
        return entry[i] == '=' ? entry + i + 1 : NULL;
}

void hwcaps_env_scan(char *const *envp, bool secure, struct hwcaps_env *ret) {
        struct hwcaps_env e = { NULL, NULL, NULL };
        const char *v;

        if (!secure && envp)
                for (char *const *p = envp; *p; p++) {
                        /* Cheap first-byte filter: this runs on every exec. */
                        if ((*p)[0] != 'H')
                                continue;
                        /* getenv() semantics: the first entry wins. */
                        if (!e.max_level && (v = env_value(*p, "HWCAPS_MAX_LEVEL")))
                                e.max_level = v;
                        else if (!e.hwcaps && (v = env_value(*p, "HWCAPS")))
                                e.hwcaps = v;
                        else if (!e.root && (v = env_value(*p, "HWCAPS_ROOT")))
                                e.root = v;
                }
        *ret = e;
}

static size_t str_len(const char *s) {
        size_t n = 0;

        while (s[n])
                n++;
        return n;
}

static void cap_at(struct hwcaps_plan *p, int level, enum hwcaps_cap_reason reason) {
        /* The lowest cap wins; on a tie the first (kernel command line) is named. */
        if (level < (int) p->cap) {
                p->cap = (enum hwcaps_level) level;
                p->reason = reason;
        }
}

void hwcaps_plan_decide(enum hwcaps_level cpu, const struct hwcaps_cmdline *c,
                        const struct hwcaps_env *e, struct hwcaps_plan *ret) {
        struct hwcaps_plan p = { .cpu = cpu, .cap = HWCAPS_LEVEL_MAX, .reason = HWCAPS_CAP_NONE };
        int r;

        if (c) {
                if (c->enabled == 0)
                        cap_at(&p, HWCAPS_LEVEL_V1, HWCAPS_CAP_CMDLINE_OFF);
                if (c->env_enabled == 0)
                        cap_at(&p, HWCAPS_LEVEL_V1, HWCAPS_CAP_CMDLINE_SETENV);
                if (c->max_level > 0)
                        cap_at(&p, c->max_level, HWCAPS_CAP_CMDLINE_MAX);
        }
        if (e && e->hwcaps && e->hwcaps[0]) {
                r = hwcaps_parse_boolean(e->hwcaps, str_len(e->hwcaps));
                if (r == 0)
                        cap_at(&p, HWCAPS_LEVEL_V1, HWCAPS_CAP_ENV_OFF);
                else if (r < 0)
                        p.env_hwcaps_invalid = true;
        }
        if (e && e->max_level && e->max_level[0]) {
                /* An invalid value is ignored: the stub has no way to report
                 * it without disturbing the program's stderr on every run;
                 * "hwcaps which" says it. */
                r = hwcaps_level_parse(e->max_level, str_len(e->max_level));
                if (r > 0)
                        cap_at(&p, r, HWCAPS_CAP_ENV_MAX);
                else
                        p.env_max_invalid = true;
        }
        p.top = cpu < p.cap ? cpu : p.cap;
        /* A CPU below the baseline (or GLIBC_TUNABLES=...-CMOV) still runs
         * the baseline: the dynamic linker still searches the plain
         * directory then. */
        if (p.top < HWCAPS_LEVEL_V1)
                p.top = HWCAPS_LEVEL_V1;
        *ret = p;
}

const char *hwcaps_cap_reason_name(enum hwcaps_cap_reason r) {
        switch (r) {
        case HWCAPS_CAP_CMDLINE_OFF:
                return "hwcaps=off on the kernel command line";
        case HWCAPS_CAP_CMDLINE_SETENV:
                return "systemd.setenv=HWCAPS=off on the kernel command line";
        case HWCAPS_CAP_CMDLINE_MAX:
                return "hwcaps.max= on the kernel command line";
        case HWCAPS_CAP_ENV_OFF:
                return "HWCAPS=off in the environment";
        case HWCAPS_CAP_ENV_MAX:
                return "HWCAPS_MAX_LEVEL in the environment";
        default:
                return "no opt-out";
        }
}

size_t hwcaps_candidate_path(const char *path, enum hwcaps_level level, char *buf, size_t size) {
        static const char sub[] = "glibc-hwcaps/";
        const char *name = hwcaps_level_name(level);
        size_t slash = 0, n = 0, len = str_len(path);

        if (!name)
                return 0;
        for (size_t i = 0; i < len; i++)
                if (path[i] == '/')
                        slash = i + 1; /* length of "DIR/" */
        if (slash + sizeof(sub) - 1 + str_len(name) + 1 + (len - slash) + 1 > size)
                return 0;
        for (size_t i = 0; i < slash; i++)
                buf[n++] = path[i];
        for (size_t i = 0; sub[i]; i++)
                buf[n++] = sub[i];
        for (size_t i = 0; name[i]; i++)
                buf[n++] = name[i];
        buf[n++] = '/';
        for (size_t i = slash; i < len; i++)
                buf[n++] = path[i];
        buf[n] = '\0';
        return n;
}

int hwcaps_path_candidate_level(const char *path) {
        static const char sub[] = "glibc-hwcaps/x86-64-v";
        size_t len = str_len(path), end = len, s = sizeof(sub) - 1;
        int level;

        /* Find "DIR/" of "DIR/NAME", then check that DIR ends in
         * "glibc-hwcaps/x86-64-vN". */
        while (end > 0 && path[end - 1] != '/')
                end--;
        if (end < s + 2)
                return 0;
        level = path[end - 2] - '0';
        if (level < HWCAPS_LEVEL_V1 || level > HWCAPS_LEVEL_MAX)
                return 0;
        for (size_t i = 0; i < s; i++)
                if (path[end - 2 - s + i] != sub[i])
                        return 0;
        if (end - 2 - s > 0 && path[end - 3 - s] != '/')
                return 0;
        return level;
}
