/* SPDX-License-Identifier: MIT */
/* The service manager over D-Bus (libsystemd's sd-bus, opened on first
 * use through dl.h): its environment, a service's, and its running
 * services. "hwcaps status" and "hwcaps which --unit". No manager (a
 * container, a chroot, a build host) is a normal answer, not an error; nor
 * is a missing libsystemd (the manager is then "not reachable"). */
#pragma once

#include <stdbool.h>
#include <stddef.h>

struct manager;

/* Connects to the system manager, or with user the user manager. Returns
 * 0, or -errno with err saying why (and that no systemd runs there). */
int manager_open(bool user, struct manager **ret, char *err, size_t errsize);
void manager_close(struct manager *m);

/* The manager's Environment (what every service starts with). */
int manager_environment(struct manager *m, char ***ret, char *err, size_t errsize);

struct manager_unit {
        char *id;                /* "foo.service" */
        char *load_state;        /* "loaded", "not-found", "masked", ... */
        char *active_state;
        char **environment;      /* Environment= */
        char **environment_files; /* EnvironmentFile= (a leading "-": may be missing) */
        char *exec_path;         /* the first ExecStart= program, or NULL */
        char **exec_argv;
        unsigned main_pid;       /* 0 when it does not run */
};

/* The service name (systemctl's rule: "foo" is "foo.service"), loaded if it
 * is not. Returns 0, -EINVAL when name is another type of unit (err says
 * so), -ENOENT when it is not loaded (ret->load_state says how), or
 * another -errno with err. *ret is set in every case:
 * manager_unit_done() it. */
int manager_unit(struct manager *m, const char *name, struct manager_unit *ret, char *err, size_t errsize);
void manager_unit_done(struct manager_unit *u);

struct manager_service {
        char *id;
        unsigned main_pid;
};

/* The active services with a main process, in the manager's order. */
int manager_services(struct manager *m, struct manager_service **ret, size_t *ret_n, char *err, size_t errsize);
void manager_services_free(struct manager_service *s, size_t n);

/* base with over applied, as systemd merges a unit's Environment= into
 * the manager's: a later assignment of a name replaces an earlier one.
 * NULL-terminated, malloc'd; NULL when out of memory. */
char **manager_env_merge(char *const *base, char *const *over);
