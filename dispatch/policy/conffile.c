/* SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdarg.h>
#include <ini.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmdline.h"
#include "conffile.h"
#include "fileio.h"
#include "level.h"
#include "macro.h"

#define CONFIG_FILE SYSCONFDIR "/hwcaps.conf"
#define CONFIG_SIZE_MAX (1024 * 1024)
/* A file full of garbage is one problem, not a thousand log lines at boot. */
#define WARNINGS_PER_FILE 16

/* Drop-in directories, highest precedence first (systemd.syntax(7)). */
static const char *const dropin_dirs[] = {
        SYSCONFDIR "/hwcaps.conf.d",
        "/run/hwcaps.conf.d",
        HWCAPS_VENDOR_CONFDIR,
};

void hwcaps_strv_free(char **l) {
        if (!l)
                return;
        for (char **i = l; *i; i++)
                free(*i);
        free(l);
}

char **hwcaps_strv_copy(char *const *l) {
        size_t n = 0;
        char **c;

        while (l[n])
                n++;
        c = calloc(n + 1, sizeof *c);
        if (!c)
                return NULL;
        for (size_t i = 0; i < n; i++)
                if (!(c[i] = strdup(l[i]))) {
                        hwcaps_strv_free(c);
                        return NULL;
                }
        return c;
}

void hwcaps_config_init(struct hwcaps_config *c) {
        *c = (struct hwcaps_config) { .enabled = -1 };
}

void hwcaps_config_done(struct hwcaps_config *c) {
        hwcaps_strv_free(c->directories);
        for (size_t i = 0; i < c->n_files; i++)
                free(c->files[i]);
        free(c->files);
        hwcaps_config_init(c);
}

/* inih reads through this, so we know the physical line of every callback
 * and can report lines inih itself rejects (it only returns the first). */
struct parser {
        struct hwcaps_config *c;
        const char *file;
        const char *p, *end;
        unsigned line;        /* line last handed to inih */
        bool pending;         /* that line needs a handler call, or it was a syntax error */
        bool handled;
        bool nomem;
        hwcaps_warn_fn warn;
        void *userdata;
};

static void pwarn(struct parser *ps, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void pwarn(struct parser *ps, const char *fmt, ...) {
        char msg[512];
        va_list ap;

        if (!ps->warn)
                return;
        ps->c->warnings++;
        if (ps->c->warnings > WARNINGS_PER_FILE) {
                if (ps->c->warnings == WARNINGS_PER_FILE + 1)
                        ps->warn(ps->userdata, "%s: more problems, not shown", ps->file);
                return;
        }
        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        ps->warn(ps->userdata, "%s:%u: %s", ps->file, ps->line, msg);
}

static bool is_blank(char ch) {
        return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\f' || ch == '\v';
}

/* Does this line, as inih sees it, need a handler call to be valid? Blank
 * lines, comments and section headers do not. */
static bool needs_handler(const char *s, unsigned line) {
        if (line == 1 && (unsigned char) s[0] == 0xEF && (unsigned char) s[1] == 0xBB && (unsigned char) s[2] == 0xBF)
                s += 3; /* inih skips a UTF-8 byte order mark */
        while (is_blank(*s) || *s == '\n')
                s++;
        return !(*s == '\0' || *s == ';' || *s == '#' || (*s == '[' && strchr(s, ']')));
}

static void check_pending(struct parser *ps) {
        if (ps->pending && !ps->handled)
                pwarn(ps, "not a key=value line or [section], ignored");
        ps->pending = ps->handled = false;
}

static char *reader(char *str, int num, void *stream) {
        struct parser *ps = stream;
        const char *nl;
        size_t len;

        check_pending(ps);
        if (ps->p >= ps->end)
                return NULL;
        nl = memchr(ps->p, '\n', (size_t) (ps->end - ps->p));
        len = nl ? (size_t) (nl - ps->p) + 1 : (size_t) (ps->end - ps->p);
        ps->line++;

        /* inih would split a long line and parse its tail as a line of its
         * own (a comment's tail "x=y" would become a setting): refuse it.
         * The limit is on the text without its newline, so a last line
         * without one is not treated differently (found by fuzz-config: 199
         * bytes passed at the end of a file and were refused elsewhere). */
        if ((nl ? len - 1 : len) > (size_t) num - 2) {
                pwarn(ps, "line longer than %d bytes, ignored", num - 2);
                strcpy(str, "\n");
        } else if (memchr(ps->p, '\0', len)) {
                pwarn(ps, "line contains a NUL byte, ignored");
                strcpy(str, "\n");
        } else {
                memcpy(str, ps->p, len);
                str[len] = '\0';
                ps->pending = needs_handler(str, ps->line);
                if (*str == '[' && !strchr(str, ']')) {
                        pwarn(ps, "section header without ']', ignored");
                        ps->pending = false;
                }
        }
        ps->p += len;
        return str;
}

/* systemd-style keys: "-" and "_" are the same. */
static bool key_is(const char *name, const char *key) {
        for (; *name && *key; name++, key++)
                if (*name != *key && !((*name == '_' || *name == '-') && (*key == '-' || *key == '_')))
                        return false;
        return *name == *key;
}

static void set_origin(struct parser *ps, struct hwcaps_config_origin *o, const char *name, const char *value) {
        o->file = ps->file;
        o->line = ps->line;
        snprintf(o->setting, sizeof o->setting, "%s=%s", name, value);
}

static int set_directories(struct parser *ps, const char *name, const char *value) {
        struct hwcaps_config *c = ps->c;
        _cleanup_free_ char *copy = strdup(value);
        char *save = NULL;
        size_t n = c->n_directories;
        char **l;

        if (!copy)
                return -ENOMEM;
        /* systemd list semantics: an empty assignment resets to the default,
         * others add. Check every word before adding any: a bad value
         * leaves the setting as it was. */
        if (*value == '\0') {
                hwcaps_strv_free(c->directories);
                c->directories = NULL;
                c->n_directories = 0;
                set_origin(ps, &c->directories_at, name, value);
                return 0;
        }
        for (char *w = strtok_r(copy, " \t:", &save); w; w = strtok_r(NULL, " \t:", &save)) {
                if (w[0] != '/') {
                        pwarn(ps, "%s: \"%s\" is not an absolute directory, setting ignored",
                              name, hwcaps_printable(w, strlen(w), 64));
                        return 0;
                }
                n++;
        }
        /* Only separators (":", " : "): no directory, so, like any bad
         * value, the setting stays as it was. (Found by fuzz-config: the
         * list was left without its NULL terminator.) */
        if (n == c->n_directories) {
                pwarn(ps, "%s: \"%s\" names no directory, setting ignored",
                      name, hwcaps_printable(value, strlen(value), 64));
                return 0;
        }
        l = realloc(c->directories, (n + 1) * sizeof *l);
        if (!l)
                return -ENOMEM;
        c->directories = l;
        strcpy(copy, value);
        save = NULL;
        for (char *w = strtok_r(copy, " \t:", &save); w; w = strtok_r(NULL, " \t:", &save)) {
                char *d = strdup(w);
                if (!d)
                        return -ENOMEM;
                l[c->n_directories++] = d;
                l[c->n_directories] = NULL;
        }
        set_origin(ps, &c->directories_at, name, value);
        return 0;
}

static int handler(void *user, const char *section, const char *name, const char *value) {
        struct parser *ps = user;
        struct hwcaps_config *c = ps->c;
        int r;

        ps->handled = true;
        if (*section && strcmp(section, "hwcaps") != 0) {
                pwarn(ps, "unknown section [%s] (expected [hwcaps]), \"%s\" ignored",
                      hwcaps_printable(section, strlen(section), 32), hwcaps_printable(name, strlen(name), 32));
                return 1;
        }
        if (key_is(name, "enable")) {
                /* An opt-out that cannot be parsed fails closed. */
                r = hwcaps_parse_boolean(value, strlen(value));
                if (r < 0)
                        pwarn(ps, "enable: \"%s\" is not a boolean (expected yes or no), counts as no",
                              hwcaps_printable(value, strlen(value), 32));
                c->enabled = r > 0;
                set_origin(ps, &c->enabled_at, "enable", value);
        } else if (key_is(name, "max-level")) {
                r = hwcaps_level_parse(value, strlen(value));
                if (r <= 0)
                        pwarn(ps, "max-level: unknown level \"%s\" (expected " HWCAPS_LEVEL_NAMES "), "
                              "counts as x86-64-v1 (the baseline)", hwcaps_printable(value, strlen(value), 32));
                c->max_level = r > 0 ? r : HWCAPS_LEVEL_V1;
                set_origin(ps, &c->max_level_at, "max-level", value);
        } else if (key_is(name, "directories")) {
                if (set_directories(ps, "directories", value) < 0)
                        ps->nomem = true;
        } else
                pwarn(ps, "unknown key \"%s\" (expected enable, max-level or directories), ignored",
                      hwcaps_printable(name, strlen(name), 32));
        return 1;
}

static const char *remember_file(struct hwcaps_config *c, const char *filename) {
        char **f = realloc(c->files, (c->n_files + 1) * sizeof *f);

        if (!f)
                return NULL;
        c->files = f;
        f[c->n_files] = strdup(filename);
        if (!f[c->n_files])
                return NULL;
        return f[c->n_files++];
}

int hwcaps_config_parse(struct hwcaps_config *c, const char *filename, const char *buf, size_t n,
                        hwcaps_warn_fn warn, void *userdata) {
        struct parser ps = {
                .c = c, .p = buf, .end = buf + n, .warn = warn, .userdata = userdata,
        };

        ps.file = remember_file(c, filename);
        if (!ps.file)
                return -ENOMEM;
        c->warnings = 0;
        /* inih's own return value (first bad line) is not needed: the
         * reader saw every line and warned already. */
        (void) ini_parse_stream(reader, &ps, handler, &ps);
        check_pending(&ps);
        return ps.nomem ? -ENOMEM : 0;
}

static int cmp_basename(const void *a, const void *b) {
        const char *x = strrchr(*(char *const *) a, '/'), *y = strrchr(*(char *const *) b, '/');
        return strcmp(x, y);
}

static bool is_conf_name(const char *s) {
        size_t n = strlen(s);
        return s[0] != '.' && n > 5 && strcmp(s + n - 5, ".conf") == 0;
}

int hwcaps_config_files(const char *root, char ***ret, size_t *ret_n, hwcaps_warn_fn warn, void *userdata) {
        char **l = NULL;
        size_t n = 0, cap = 0;

        for (size_t i = 0; i < ELEMENTSOF(dropin_dirs); i++) {
                _cleanup_closedir_ DIR *d = NULL;
                char p[PATH_MAX];
                struct dirent *de;

                if (snprintf(p, sizeof p, "%s%s", root ? root : "", dropin_dirs[i]) >= (int) sizeof p)
                        continue;
                d = opendir(p);
                if (!d) {
                        if (errno != ENOENT && errno != ENOTDIR && warn)
                                warn(userdata, "cannot read %s: %s, its drop-ins ignored", dropin_dirs[i], strerror(errno));
                        continue;
                }
                while ((de = readdir(d))) {
                        bool masked = false;
                        char *f;

                        if (!is_conf_name(de->d_name))
                                continue;
                        /* The same name in a directory of higher precedence
                         * (read earlier) masks this one. */
                        for (size_t k = 0; k < n && !masked; k++)
                                masked = strcmp(strrchr(l[k], '/') + 1, de->d_name) == 0;
                        if (masked)
                                continue;
                        if (n + 2 > cap) {
                                char **nl;
                                cap = cap ? cap * 2 : 8;
                                nl = realloc(l, cap * sizeof *nl);
                                if (!nl)
                                        goto nomem;
                                l = nl;
                        }
                        if (asprintf(&f, "%s/%s", dropin_dirs[i], de->d_name) < 0)
                                goto nomem;
                        l[n++] = f;
                        l[n] = NULL;
                }
        }
        if (n > 1)
                qsort(l, n, sizeof *l, cmp_basename);
        *ret = l;
        *ret_n = n;
        return 0;
nomem:
        if (l)
                l[n] = NULL;
        hwcaps_strv_free(l);
        return -ENOMEM;
}

static int load_one(struct hwcaps_config *c, const char *root, const char *file, bool quiet_missing,
                    hwcaps_warn_fn warn, void *userdata) {
        _cleanup_free_ char *buf = NULL;
        size_t n;
        int r;

        r = hwcaps_read_file(root, file, CONFIG_SIZE_MAX, &buf, &n);
        if (r == -ENOMEM)
                return r;
        if (r == -ENOENT && quiet_missing)
                return 0;
        if (r < 0) {
                /* A file that could hold options but cannot be read (mode
                 * 0600 under root's umask 077, read by a user): it may hold
                 * the admin's opt-out, so it counts as off (policy.c). A
                 * file too large, a directory or a FIFO is a bad file, not
                 * a hidden one. */
                bool hidden = r != -ENOENT && r != -EFBIG && r != -EISDIR && r != -EBADFD;

                if (warn)
                        warn(userdata, "cannot read %s: %s, %s", file,
                             r == -EFBIG ? "larger than 1 MiB" : strerror(-r),
                             hidden ? "so hwcaps counts as off (make it readable: chmod 644)" : "ignored");
                if (hidden && !c->unreadable[0])
                        snprintf(c->unreadable, sizeof c->unreadable, "%s", file);
                return 0;
        }
        return hwcaps_config_parse(c, file, buf, n, warn, userdata);
}

int hwcaps_config_load(struct hwcaps_config *c, const char *root, hwcaps_warn_fn warn, void *userdata) {
        char **files = NULL;
        size_t n = 0;
        int r;

        r = load_one(c, root, CONFIG_FILE, true, warn, userdata);
        if (r < 0)
                return r;
        r = hwcaps_config_files(root, &files, &n, warn, userdata);
        if (r < 0)
                return r;
        for (size_t i = 0; i < n && r >= 0; i++)
                r = load_one(c, root, files[i], true, warn, userdata);
        hwcaps_strv_free(files);
        return r;
}
