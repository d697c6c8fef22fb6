/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-bus.h>

#include "conffile.h"
#include "dl.h"
#include "macro.h"
#include "manager.h"

#define SYSTEMD_DEST "org.freedesktop.systemd1"
#define SYSTEMD_PATH "/org/freedesktop/systemd1"
#define SYSTEMD_MANAGER "org.freedesktop.systemd1.Manager"
#define SYSTEMD_UNIT "org.freedesktop.systemd1.Unit"
#define SYSTEMD_SERVICE "org.freedesktop.systemd1.Service"

struct manager {
        sd_bus *bus;
        bool user;
};

HWCAPS_DL_DECLARE(sd_bus_open_user);
HWCAPS_DL_DECLARE(sd_bus_open_system);
HWCAPS_DL_DECLARE(sd_bus_set_method_call_timeout);
HWCAPS_DL_DECLARE(sd_bus_get_property);
HWCAPS_DL_DECLARE(sd_bus_get_property_strv);
HWCAPS_DL_DECLARE(sd_bus_get_property_string);
HWCAPS_DL_DECLARE(sd_bus_get_property_trivial);
HWCAPS_DL_DECLARE(sd_bus_call_method);
HWCAPS_DL_DECLARE(sd_bus_message_read);
HWCAPS_DL_DECLARE(sd_bus_message_read_strv);
HWCAPS_DL_DECLARE(sd_bus_message_enter_container);
HWCAPS_DL_DECLARE(sd_bus_message_exit_container);
HWCAPS_DL_DECLARE(sd_bus_message_skip);
HWCAPS_DL_DECLARE(sd_bus_message_unref);
HWCAPS_DL_DECLARE(sd_bus_error_is_set);
HWCAPS_DL_DECLARE(sd_bus_error_free);
HWCAPS_DL_DECLARE(sd_bus_flush_close_unref);

static int open_libsystemd(char *err, size_t errsize) {
        static void *handle;
        static const struct hwcaps_dl_sym syms[] = {
                HWCAPS_DL_SYM(sd_bus_open_user),
                HWCAPS_DL_SYM(sd_bus_open_system),
                HWCAPS_DL_SYM(sd_bus_set_method_call_timeout),
                HWCAPS_DL_SYM(sd_bus_get_property),
                HWCAPS_DL_SYM(sd_bus_get_property_strv),
                HWCAPS_DL_SYM(sd_bus_get_property_string),
                HWCAPS_DL_SYM(sd_bus_get_property_trivial),
                HWCAPS_DL_SYM(sd_bus_call_method),
                HWCAPS_DL_SYM(sd_bus_message_read),
                HWCAPS_DL_SYM(sd_bus_message_read_strv),
                HWCAPS_DL_SYM(sd_bus_message_enter_container),
                HWCAPS_DL_SYM(sd_bus_message_exit_container),
                HWCAPS_DL_SYM(sd_bus_message_skip),
                HWCAPS_DL_SYM(sd_bus_message_unref),
                HWCAPS_DL_SYM(sd_bus_error_is_set),
                HWCAPS_DL_SYM(sd_bus_error_free),
                HWCAPS_DL_SYM(sd_bus_flush_close_unref),
        };
        const char *dl_error;
        int r = hwcaps_dl_open(&handle, HWCAPS_SONAME_SYSTEMD, syms, ELEMENTSOF(syms), &dl_error);

        if (r < 0)
                snprintf(err, errsize, "%s", dl_error);
        return r;
}

/* err from a failed call: the bus's message, or errno's text. */
static int failed(int r, sd_bus_error *e, char *err, size_t errsize, const char *what) {
        snprintf(err, errsize, "%s%s%s", what, what[0] ? ": " : "",
                 sym_sd_bus_error_is_set(e) ? e->message : strerror(-r));
        sym_sd_bus_error_free(e);
        return r;
}

int manager_open(bool user, struct manager **ret, char *err, size_t errsize) {
        struct manager *m;
        int r = open_libsystemd(err, errsize);

        if (r < 0)
                return r;
        m = calloc(1, sizeof *m);
        if (!m)
                return -ENOMEM;
        m->user = user;
        r = user ? sym_sd_bus_open_user(&m->bus) : sym_sd_bus_open_system(&m->bus);
        if (r >= 0)
                r = sym_sd_bus_set_method_call_timeout(m->bus, 5 * 1000 * 1000);
        if (r < 0) {
                snprintf(err, errsize, "%s; no running systemd on the %s bus", strerror(-r), user ? "user" : "system");
                manager_close(m);
                return r;
        }
        *ret = m;
        return 0;
}

void manager_close(struct manager *m) {
        if (!m)
                return;
        if (m->bus)
                sym_sd_bus_flush_close_unref(m->bus);
        free(m);
}

int manager_environment(struct manager *m, char ***ret, char *err, size_t errsize) {
        sd_bus_error e = SD_BUS_ERROR_NULL;
        int r = sym_sd_bus_get_property_strv(m->bus, SYSTEMD_DEST, SYSTEMD_PATH, SYSTEMD_MANAGER, "Environment", &e, ret);

        if (r < 0) {
                failed(r, &e, err, errsize, "");
                snprintf(err + strlen(err), errsize - strlen(err), "; no running systemd on the %s bus",
                         m->user ? "user" : "system");
        }
        return r;
}

/* systemctl's rule (unit_name_mangle()): a name without a unit type's
 * suffix is a service. */
static int service_name(const char *name, char **ret, char *err, size_t errsize) {
        static const char *const types[] = {
                "socket", "target", "device", "mount", "automount", "swap", "timer", "path", "slice", "scope",
        };
        const char *dot = strrchr(name, '.');

        if (dot && strcmp(dot + 1, "service") == 0)
                return (*ret = strdup(name)) ? 0 : -ENOMEM;
        for (size_t i = 0; dot && i < ELEMENTSOF(types); i++)
                if (strcmp(dot + 1, types[i]) == 0) {
                        snprintf(err, errsize, "%s is a %s unit, not a service: only a service runs a program "
                                 "(try the service it starts)", name, types[i]);
                        return -EINVAL;
                }
        return asprintf(ret, "%s.service", name) < 0 ? -ENOMEM : 0;
}

/* ExecStart's a(sasbttttuii): the first program and its argv. */
static int read_exec_start(struct manager *m, const char *path, struct manager_unit *u, sd_bus_error *e) {
        sd_bus_message *reply = NULL;
        const char *prog;
        int r;

        r = sym_sd_bus_get_property(m->bus, SYSTEMD_DEST, path, SYSTEMD_SERVICE, "ExecStart", e, &reply,
                                    "a(sasbttttuii)");
        if (r >= 0)
                r = sym_sd_bus_message_enter_container(reply, 'a', "(sasbttttuii)");
        if (r >= 0)
                r = sym_sd_bus_message_enter_container(reply, 'r', "sasbttttuii");
        if (r > 0) {
                r = sym_sd_bus_message_read(reply, "s", &prog);
                if (r >= 0)
                        r = (u->exec_path = strdup(prog)) ? 0 : -ENOMEM;
                if (r >= 0)
                        r = sym_sd_bus_message_read_strv(reply, &u->exec_argv);
        }
        sym_sd_bus_message_unref(reply);
        return r < 0 ? r : 0;
}

/* EnvironmentFiles' a(sb): each path, "-" in front when it may be missing. */
static int read_environment_files(struct manager *m, const char *path, struct manager_unit *u, sd_bus_error *e) {
        sd_bus_message *reply = NULL;
        const char *file;
        int missing_ok, r;
        size_t n = 0;

        r = sym_sd_bus_get_property(m->bus, SYSTEMD_DEST, path, SYSTEMD_SERVICE, "EnvironmentFiles", e, &reply,
                                    "a(sb)");
        if (r >= 0)
                r = sym_sd_bus_message_enter_container(reply, 'a', "(sb)");
        u->environment_files = calloc(1, sizeof(char *));
        if (!u->environment_files)
                r = -ENOMEM;
        while (r >= 0 && (r = sym_sd_bus_message_read(reply, "(sb)", &file, &missing_ok)) > 0) {
                char **l = reallocarray(u->environment_files, n + 2, sizeof *l);

                if (!l || asprintf(&l[n], "%s%s", missing_ok ? "-" : "", file) < 0) {
                        if (l)
                                u->environment_files = l;
                        r = -ENOMEM;
                        break;
                }
                l[++n] = NULL;
                u->environment_files = l;
        }
        sym_sd_bus_message_unref(reply);
        return r < 0 ? r : 0;
}

int manager_unit(struct manager *m, const char *name, struct manager_unit *ret, char *err, size_t errsize) {
        _cleanup_free_ char *id = NULL;
        sd_bus_error e = SD_BUS_ERROR_NULL;
        sd_bus_message *reply = NULL;
        struct manager_unit u = { 0 };
        const char *path;
        char *upath = NULL;
        uint32_t pid = 0;
        int r;

        err[0] = '\0';
        *ret = u;
        r = service_name(name, &id, err, errsize);
        if (r < 0)
                return r;
        r = sym_sd_bus_call_method(m->bus, SYSTEMD_DEST, SYSTEMD_PATH, SYSTEMD_MANAGER, "LoadUnit", &e, &reply, "s", id);
        if (r >= 0)
                r = sym_sd_bus_message_read(reply, "o", &path);
        if (r >= 0)
                r = (upath = strdup(path)) ? 0 : -ENOMEM;
        sym_sd_bus_message_unref(reply);
        if (r < 0)
                return failed(r, &e, err, errsize, id);
        u.id = TAKE_PTR(id);
        r = sym_sd_bus_get_property_string(m->bus, SYSTEMD_DEST, upath, SYSTEMD_UNIT, "LoadState", &e, &u.load_state);
        if (r >= 0)
                r = sym_sd_bus_get_property_string(m->bus, SYSTEMD_DEST, upath, SYSTEMD_UNIT, "ActiveState", &e,
                                                   &u.active_state);
        if (r >= 0 && strcmp(u.load_state, "loaded") != 0) {
                snprintf(err, errsize, "unit %s %s (LoadState=%s)", u.id,
                         strcmp(u.load_state, "not-found") == 0 ? "not found: no unit file of that name" :
                         strcmp(u.load_state, "masked") == 0 ? "is masked" : "is not loaded", u.load_state);
                r = -ENOENT;
        } else if (r < 0)
                failed(r, &e, err, errsize, u.id);
        if (r >= 0)
                r = sym_sd_bus_get_property_strv(m->bus, SYSTEMD_DEST, upath, SYSTEMD_SERVICE, "Environment", &e,
                                                 &u.environment);
        if (r >= 0)
                r = read_environment_files(m, upath, &u, &e);
        if (r >= 0)
                r = read_exec_start(m, upath, &u, &e);
        if (r >= 0)
                r = sym_sd_bus_get_property_trivial(m->bus, SYSTEMD_DEST, upath, SYSTEMD_SERVICE, "MainPID", &e,
                                                    'u', &pid);
        if (r < 0 && r != -ENOENT && !err[0])
                failed(r, &e, err, errsize, u.id);
        sym_sd_bus_error_free(&e);
        free(upath);
        u.main_pid = pid;
        *ret = u;
        return r;
}

void manager_unit_done(struct manager_unit *u) {
        free(u->id);
        free(u->load_state);
        free(u->active_state);
        hwcaps_strv_free(u->environment);
        hwcaps_strv_free(u->environment_files);
        free(u->exec_path);
        hwcaps_strv_free(u->exec_argv);
        *u = (struct manager_unit) { 0 };
}

int manager_services(struct manager *m, struct manager_service **ret, size_t *ret_n, char *err, size_t errsize) {
        sd_bus_error e = SD_BUS_ERROR_NULL;
        sd_bus_message *reply = NULL;
        struct manager_service *l = NULL;
        size_t n = 0;
        int r;

        r = sym_sd_bus_call_method(m->bus, SYSTEMD_DEST, SYSTEMD_PATH, SYSTEMD_MANAGER, "ListUnits", &e, &reply, NULL);
        if (r >= 0)
                r = sym_sd_bus_message_enter_container(reply, 'a', "(ssssssouso)");
        while (r >= 0) {
                const char *id, *active, *path, *skip;
                uint32_t job, pid = 0;
                size_t k;
                struct manager_service *nl;

                r = sym_sd_bus_message_read(reply, "(ssssssouso)", &id, &skip, &skip, &active, &skip, &skip, &path,
                                            &job, &skip, &skip);
                if (r <= 0)
                        break;
                k = strlen(id);
                if (k < 8 || strcmp(id + k - 8, ".service") != 0 ||
                    (strcmp(active, "active") != 0 && strcmp(active, "reloading") != 0))
                        continue;
                r = sym_sd_bus_get_property_trivial(m->bus, SYSTEMD_DEST, path, SYSTEMD_SERVICE, "MainPID", &e, 'u', &pid);
                if (r < 0)
                        break;
                if (pid == 0)
                        continue;
                nl = reallocarray(l, n + 1, sizeof *l);
                if (!nl) {
                        r = -ENOMEM;
                        break;
                }
                l = nl;
                l[n].main_pid = pid;
                if (!(l[n].id = strdup(id))) {
                        r = -ENOMEM;
                        break;
                }
                n++;
        }
        sym_sd_bus_message_unref(reply);
        if (r < 0) {
                manager_services_free(l, n);
                return failed(r, &e, err, errsize, "ListUnits");
        }
        sym_sd_bus_error_free(&e);
        *ret = l;
        *ret_n = n;
        return 0;
}

void manager_services_free(struct manager_service *s, size_t n) {
        for (size_t i = 0; i < n; i++)
                free(s[i].id);
        free(s);
}

static size_t name_len(const char *assignment) {
        const char *eq = strchr(assignment, '=');

        return eq ? (size_t) (eq - assignment) : strlen(assignment);
}

char **manager_env_merge(char *const *base, char *const *over) {
        size_t n = 0, k = 0;
        char **l;

        for (char *const *e = base; e && *e; e++)
                n++;
        for (char *const *e = over; e && *e; e++)
                n++;
        l = calloc(n + 1, sizeof *l);
        if (!l)
                return NULL;
        for (int pass = 0; pass < 2; pass++)
                for (char *const *e = pass ? over : base; e && *e; e++) {
                        size_t nl = name_len(*e), i;
                        char *copy = strdup(*e);

                        if (!copy) {
                                hwcaps_strv_free(l);
                                return NULL;
                        }
                        for (i = 0; i < k; i++)
                                if (name_len(l[i]) == nl && strncmp(l[i], *e, nl) == 0)
                                        break;
                        if (i < k)
                                free(l[i]);
                        else
                                k++;
                        l[i] = copy;
                }
        return l;
}
