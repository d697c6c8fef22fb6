/* SPDX-License-Identifier: MIT */
#include <errno.h>

#include "bytes.h"
#include "decide.h"

#define CMDLINE_HEAD 4096 /* COMMAND_LINE_SIZE is 2048 on x86; bootconfig may add more */

/* systemd's vendor GUID; PID 1 caches the variable here at boot
 * (cache_efi_options_variable(), EFIVAR_CACHE_PATH in efivars.h). */
#define EFI_OPTIONS_CACHE "/run/systemd/efivars/SystemdOptions-8cf2644b-4b0b-428f-9387-6d876050dc67"

const char *hwcaps_src_name(enum hwcaps_src s) {
        switch (s) {
        case HWCAPS_SRC_CMDLINE: return "kernel command line";
        case HWCAPS_SRC_CONFIG:  return "hwcaps.conf";
        case HWCAPS_SRC_POLICY:  return HWCAPS_POLICY_PATH;
        case HWCAPS_SRC_MANAGER: return "service manager environment";
        case HWCAPS_SRC_ENV:     return "environment";
        case HWCAPS_SRC_UNKNOWN: return "boot options unknown";
        default:                 return "default";
        }
}

void hwcaps_decision_init(struct hwcaps_decision *d) {
        *d = (struct hwcaps_decision) { .cap = HWCAPS_LEVEL_MAX, .src = HWCAPS_SRC_NONE,
                                        .cpu = HWCAPS_LEVEL_MAX, .top = HWCAPS_LEVEL_MAX };
}

struct text {
        char *buf;
        size_t len, size;
};

static void text_add(struct text *t, const char *s, size_t n) {
        for (size_t i = 0; i < n && t->len + 1 < t->size; i++) {
                unsigned char c = (unsigned char) s[i];

                /* Values come from files and environments: no control
                 * bytes or non-ASCII reach a terminal through why. */
                t->buf[t->len++] = c >= 0x20 && c < 0x7f ? (char) c : '?';
        }
        t->buf[t->len] = '\0';
}

void hwcaps_decision_cap(struct hwcaps_decision *d, int level, enum hwcaps_src src,
                         const char *what, const char *value, size_t n) {
        struct text t = { d->why, 0, sizeof d->why };

        if (level < HWCAPS_LEVEL_V1)
                level = HWCAPS_LEVEL_V1;
        if (level >= (int) d->cap)
                return;
        d->cap = (enum hwcaps_level) level;
        d->src = src;
        text_add(&t, what, hwcaps_str_len(what));
        if (value)
                text_add(&t, value, n > 160 ? 160 : n);
        /* The policy file's why and a config setting's file:line already
         * name their source. */
        if (src != HWCAPS_SRC_POLICY && src != HWCAPS_SRC_CONFIG) {
                text_add(&t, " (", 2);
                text_add(&t, hwcaps_src_name(src), hwcaps_str_len(hwcaps_src_name(src)));
                text_add(&t, ")", 1);
        }
}

static void cap_level(struct hwcaps_decision *d, int level, enum hwcaps_src src, const char *what) {
        const char *name = hwcaps_level_name((enum hwcaps_level) level);

        hwcaps_decision_cap(d, level, src, what, name, name ? hwcaps_str_len(name) : 0);
}

void hwcaps_decision_cmdline(struct hwcaps_decision *d, const struct hwcaps_cmdline *c) {
        if (c->enabled == 0)
                hwcaps_decision_cap(d, HWCAPS_LEVEL_V1, HWCAPS_SRC_CMDLINE, "hwcaps=off", NULL, 0);
        if (c->env_enabled == 0)
                hwcaps_decision_cap(d, HWCAPS_LEVEL_V1, HWCAPS_SRC_CMDLINE, "systemd.setenv=HWCAPS=off", NULL, 0);
        if (c->max_level > 0)
                cap_level(d, c->max_level, HWCAPS_SRC_CMDLINE, "hwcaps.max=");
        if (c->env_max_level > 0)
                cap_level(d, c->env_max_level, HWCAPS_SRC_CMDLINE, "systemd.setenv=HWCAPS_MAX_LEVEL=");
        if (c->setenv_path)
                d->keep_path = true;
}

void hwcaps_decision_env(struct hwcaps_decision *d, const struct hwcaps_env *e, enum hwcaps_src src) {
        int r;

        if (e->hwcaps && e->hwcaps[0]) {
                r = hwcaps_parse_boolean(e->hwcaps, hwcaps_str_len(e->hwcaps));
                if (r <= 0)
                        hwcaps_decision_cap(d, HWCAPS_LEVEL_V1, src, "HWCAPS=", e->hwcaps, hwcaps_str_len(e->hwcaps));
        }
        if (e->max_level && e->max_level[0]) {
                r = hwcaps_level_parse(e->max_level, hwcaps_str_len(e->max_level));
                hwcaps_decision_cap(d, r > 0 ? r : HWCAPS_LEVEL_V1, src, "HWCAPS_MAX_LEVEL=",
                                    e->max_level, hwcaps_str_len(e->max_level));
        }
}

void hwcaps_decision_finish(struct hwcaps_decision *d, enum hwcaps_level cpu) {
        d->cpu = cpu;
        d->top = cpu < d->cap ? cpu : d->cap;
        /* A CPU below the baseline (or GLIBC_TUNABLES=...-CMOV) still runs
         * the baseline: the dynamic linker still searches the plain
         * directory then. */
        if (d->top < HWCAPS_LEVEL_V1)
                d->top = HWCAPS_LEVEL_V1;
}

/* Reads fd into buf from *n until size bytes or end of file; returns the
 * last read()'s result (negative: an error). */
static long read_up_to(int fd, char *buf, size_t *n, size_t size) {
        long r = 0;

        while (*n < size && (r = hwcaps_sys_read(fd, buf + *n, size - *n)) > 0)
                *n += (size_t) r;
        return r;
}

/* The rest of a command line longer than CMDLINE_HEAD (bootconfig can make
 * one), parsed whole. A frame of its own, so that the common case never
 * touches these stack pages in the stub. One byte more than the limit tells
 * a longer file from one of exactly HWCAPS_CMDLINE_MAX. */
static __attribute__((noinline)) long parse_long(int fd, const char *head, size_t n, struct hwcaps_cmdline *c,
                                                 hwcaps_cmdline_warn_fn warn, void *userdata) {
        char buf[HWCAPS_CMDLINE_MAX + 1];

        for (size_t i = 0; i < n; i++)
                buf[i] = head[i];
        if (read_up_to(fd, buf, &n, sizeof buf) < 0)
                return -EIO;
        if (n > HWCAPS_CMDLINE_MAX)
                return -EFBIG;
        hwcaps_cmdline_parse_more(buf, n, c, warn, userdata);
        return 0;
}

/* Parses the file onto c (later words win over earlier ones). */
static long parse_file(int dirfd, const char *path, struct hwcaps_cmdline *c,
                       hwcaps_cmdline_warn_fn warn, void *userdata) {
        char buf[CMDLINE_HEAD];
        size_t n = 0;
        /* O_NONBLOCK: a FIFO put there must not hang boot or an exec. */
        long fd = hwcaps_sys_openat(dirfd, path, HWCAPS_O_RDONLY | HWCAPS_O_NONBLOCK | HWCAPS_O_CLOEXEC), r;

        if (fd < 0)
                return fd == -ENOTDIR ? -ENOENT : fd;
        r = read_up_to((int) fd, buf, &n, sizeof buf);
        if (r >= 0 && n == sizeof buf)
                r = parse_long((int) fd, buf, n, c, warn, userdata);
        else if (r >= 0) {
                hwcaps_cmdline_parse_more(buf, n, c, warn, userdata);
                r = 0;
        }
        (void) hwcaps_sys_close((int) fd);
        return r < 0 ? r : 0;
}

long hwcaps_cmdline_read(const struct hwcaps_trust_root *root, struct hwcaps_cmdline *ret,
                         hwcaps_cmdline_warn_fn warn, void *userdata) {
        struct hwcaps_stat st;
        bool container;
        long r;

        *ret = (struct hwcaps_cmdline) HWCAPS_CMDLINE_INIT;
        if (root->fd == -1)
                return -ENOENT; /* no sysroot there */
        /* Parsed first, so the kernel's words win (proc_cmdline_parse()). A
         * missing cache is no options; anything else is read as far as it
         * goes, since its words can only be overridden. */
        (void) parse_file(root->fd, hwcaps_trust_root_path(root, EFI_OPTIONS_CACHE), ret, warn, userdata);
        /* Inside a container systemd's "kernel command line" is PID 1's
         * argv (proc_cmdline(), detect_container()): PID 1 writes this file
         * when it finds itself in one. */
        container = hwcaps_sys_fstatat(root->fd, hwcaps_trust_root_path(root, "/run/systemd/container"), &st, 0) == 0 &&
                    st.size > 0;
        r = parse_file(root->fd, hwcaps_trust_root_path(root, container ? "/proc/1/cmdline" : "/proc/cmdline"),
                       ret, warn, userdata);
        return r;
}

static enum hwcaps_boot boot_unknown(struct hwcaps_decision *d, const char *what) {
        hwcaps_decision_cap(d, HWCAPS_LEVEL_V1, HWCAPS_SRC_UNKNOWN, what, NULL, 0);
        return HWCAPS_BOOT_UNKNOWN;
}

enum hwcaps_boot hwcaps_decision_boot(struct hwcaps_decision *d, const struct hwcaps_trust_root *root,
                                      hwcaps_cmdline_warn_fn warn, void *userdata) {
        struct hwcaps_trust t;
        struct hwcaps_cmdline c;
        struct hwcaps_policy_file pf;
        char buf[HWCAPS_POLICY_MAX + 1];
        size_t n = 0;
        long fd, r;

        switch (hwcaps_trust_walk(root, NULL, HWCAPS_POLICY_PATH, HWCAPS_WANT_FILE, &t)) {
        case HWCAPS_TRUST_SAFE:
                break;
        case HWCAPS_TRUST_UNSAFE:
                /* Present, but anyone might have written it. */
                return boot_unknown(d, HWCAPS_POLICY_PATH " is not trusted (not root's, or writable by others)");
        default:
                r = hwcaps_cmdline_read(root, &c, warn, userdata);
                if (r == -ENOENT)
                        return boot_unknown(d, "no " HWCAPS_POLICY_PATH " and no /proc/cmdline");
                if (r < 0)
                        return boot_unknown(d, r == -EFBIG ? "/proc/cmdline is longer than 64 KiB"
                                                           : "/proc/cmdline cannot be read");
                hwcaps_decision_cmdline(d, &c);
                return HWCAPS_BOOT_CMDLINE;
        }
        /* Every directory on the way is root's and closed to others, so
         * the name still leads to the file just examined. */
        fd = hwcaps_sys_openat(root->fd, hwcaps_trust_root_path(root, t.where),
                               HWCAPS_O_RDONLY | HWCAPS_O_NOFOLLOW | HWCAPS_O_CLOEXEC);
        if (fd < 0)
                return boot_unknown(d, HWCAPS_POLICY_PATH " cannot be read");
        r = read_up_to((int) fd, buf, &n, sizeof buf);
        (void) hwcaps_sys_close((int) fd);
        if (r < 0 || n > HWCAPS_POLICY_MAX || hwcaps_policy_file_parse(buf, n, &pf) < 0)
                return boot_unknown(d, HWCAPS_POLICY_PATH " cannot be read or is not a policy of this version");
        if (pf.cap <= HWCAPS_LEVEL_MAX)
                hwcaps_decision_cap(d, pf.cap, HWCAPS_SRC_POLICY, "", pf.why, pf.why_len);
        d->keep_path = d->keep_path || pf.keep_path;
        return HWCAPS_BOOT_POLICY;
}

int hwcaps_policy_file_parse(const char *buf, size_t n, struct hwcaps_policy_file *ret) {
        struct hwcaps_policy_file p = { .cap = 0, .keep_path = false, .why = "", .why_len = 0 };
        bool version = false;

        for (size_t i = 0; i < n;) {
                size_t e = i, eq;
                const char *v;
                size_t vn;

                while (e < n && buf[e] != '\n')
                        e++;
                for (eq = i; eq < e && buf[eq] != '='; eq++)
                        ;
                v = buf + eq + 1;
                vn = eq < e ? e - eq - 1 : 0;
                if (e == i || buf[i] == '#')
                        ;
                else if (eq == e)
                        return -1;
                else if (hwcaps_bytes_eq(buf + i, eq - i, "hwcaps-policy"))
                        version = hwcaps_bytes_eq(v, vn, HWCAPS_POLICY_VERSION);
                else if (hwcaps_bytes_eq(buf + i, eq - i, "cap")) {
                        int l = hwcaps_bytes_eq(v, vn, "none") ? HWCAPS_LEVEL_MAX + 1 : hwcaps_level_dirname_parse(v, vn);

                        if (l <= 0)
                                return -1;
                        p.cap = l;
                } else if (hwcaps_bytes_eq(buf + i, eq - i, "keep-path")) {
                        int b = hwcaps_parse_boolean(v, vn);

                        if (b < 0)
                                return -1;
                        p.keep_path = b;
                } else if (hwcaps_bytes_eq(buf + i, eq - i, "why")) {
                        p.why = v;
                        p.why_len = vn;
                }
                /* Other keys are a later version's additions. */
                i = e + 1;
        }
        if (!version || p.cap == 0)
                return -1;
        *ret = p;
        return 0;
}
