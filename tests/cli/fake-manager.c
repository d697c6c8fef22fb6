/* SPDX-License-Identifier: MIT */
/* A stand-in for systemd's manager on a private bus, for testing
 * "hwcaps status" and "hwcaps which --unit": owns org.freedesktop.systemd1
 * and serves /org/freedesktop/systemd1 org.freedesktop.systemd1.Manager's
 * Environment, LoadUnit, GetUnit and ListUnits, and a unit object for each
 * service given (org.freedesktop.systemd1.Unit's Id, LoadState,
 * ActiveState; org.freedesktop.systemd1.Service's Environment,
 * EnvironmentFiles, ExecStart, MainPID).
 *
 *   fake-manager [ENV...] [--unit NAME:MAINPID:EXECSTART [--env K=V]... [--env-file FILE]...]...
 *
 * ENV... is the manager's Environment; a unit with MAINPID 0 is inactive.
 * LoadUnit of any other name gives a unit whose LoadState is "not-found",
 * as systemd's does. Connects to $DBUS_SYSTEM_BUS_ADDRESS; prints "ready"
 * once the name is owned, then serves until killed. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-bus.h>
#include <time.h>

#define MAX_UNITS 64
#define MAX_LIST 64

struct unit {
        const char *id;
        char *path;
        const char *load_state;
        unsigned main_pid;
        const char *exec;
        const char *env[MAX_LIST + 1];
        const char *env_files[MAX_LIST + 1];
};

static char **environment;
static struct unit units[MAX_UNITS];
static size_t n_units;
static sd_bus *the_bus;

static int get_unit_string(sd_bus *bus, const char *path, const char *interface, const char *property,
                           sd_bus_message *reply, void *userdata, sd_bus_error *error) {
        const struct unit *u = userdata;

        (void) bus, (void) path, (void) interface, (void) error;
        if (strcmp(property, "Id") == 0)
                return sd_bus_message_append(reply, "s", u->id);
        if (strcmp(property, "LoadState") == 0)
                return sd_bus_message_append(reply, "s", u->load_state);
        return sd_bus_message_append(reply, "s", u->main_pid ? "active" : "inactive");
}

static int get_service(sd_bus *bus, const char *path, const char *interface, const char *property,
                       sd_bus_message *reply, void *userdata, sd_bus_error *error) {
        const struct unit *u = userdata;
        int r;

        (void) bus, (void) path, (void) interface, (void) error;
        if (strcmp(property, "Environment") == 0)
                return sd_bus_message_append_strv(reply, (char **) u->env);
        if (strcmp(property, "MainPID") == 0)
                return sd_bus_message_append(reply, "u", u->main_pid);
        if (strcmp(property, "EnvironmentFiles") == 0) {
                r = sd_bus_message_open_container(reply, 'a', "(sb)");
                for (const char *const *f = u->env_files; r >= 0 && *f; f++)
                        r = sd_bus_message_append(reply, "(sb)", *f + (**f == '-'), **f == '-');
                return r < 0 ? r : sd_bus_message_close_container(reply);
        }
        /* ExecStart */
        r = sd_bus_message_open_container(reply, 'a', "(sasbttttuii)");
        if (r >= 0 && u->exec) {
                char *argv[] = { (char *) u->exec, NULL };

                r = sd_bus_message_open_container(reply, 'r', "sasbttttuii");
                if (r >= 0)
                        r = sd_bus_message_append(reply, "s", u->exec);
                if (r >= 0)
                        r = sd_bus_message_append_strv(reply, argv);
                if (r >= 0)
                        r = sd_bus_message_append(reply, "bttttuii", 0, (uint64_t) 0, (uint64_t) 0, (uint64_t) 0,
                                                  (uint64_t) 0, 0u, 0, 0);
                if (r >= 0)
                        r = sd_bus_message_close_container(reply);
        }
        return r < 0 ? r : sd_bus_message_close_container(reply);
}

static const sd_bus_vtable unit_vtable[] = {
        SD_BUS_VTABLE_START(0),
        SD_BUS_PROPERTY("Id", "s", get_unit_string, 0, SD_BUS_VTABLE_PROPERTY_CONST),
        SD_BUS_PROPERTY("LoadState", "s", get_unit_string, 0, SD_BUS_VTABLE_PROPERTY_CONST),
        SD_BUS_PROPERTY("ActiveState", "s", get_unit_string, 0, SD_BUS_VTABLE_PROPERTY_CONST),
        SD_BUS_VTABLE_END
};

static const sd_bus_vtable service_vtable[] = {
        SD_BUS_VTABLE_START(0),
        SD_BUS_PROPERTY("Environment", "as", get_service, 0, SD_BUS_VTABLE_PROPERTY_CONST),
        SD_BUS_PROPERTY("EnvironmentFiles", "a(sb)", get_service, 0, SD_BUS_VTABLE_PROPERTY_CONST),
        SD_BUS_PROPERTY("ExecStart", "a(sasbttttuii)", get_service, 0, SD_BUS_VTABLE_PROPERTY_CONST),
        SD_BUS_PROPERTY("MainPID", "u", get_service, 0, SD_BUS_VTABLE_PROPERTY_CONST),
        SD_BUS_VTABLE_END
};

/* A unit object on the bus. */
static int publish(struct unit *u) {
        int r = sd_bus_path_encode("/org/freedesktop/systemd1/unit", u->id, &u->path);

        if (r >= 0)
                r = sd_bus_add_object_vtable(the_bus, NULL, u->path, "org.freedesktop.systemd1.Unit", unit_vtable, u);
        if (r >= 0 && strcmp(u->load_state, "loaded") == 0)
                r = sd_bus_add_object_vtable(the_bus, NULL, u->path, "org.freedesktop.systemd1.Service",
                                             service_vtable, u);
        return r;
}

static struct unit *find(const char *id) {
        for (size_t i = 0; i < n_units; i++)
                if (strcmp(units[i].id, id) == 0)
                        return &units[i];
        return NULL;
}

static int method_get_unit(sd_bus_message *m, void *userdata, sd_bus_error *error) {
        const char *id;
        struct unit *u;
        int r = sd_bus_message_read(m, "s", &id);

        (void) userdata;
        if (r < 0)
                return r;
        u = find(id);
        if (!u && strcmp(sd_bus_message_get_member(m), "LoadUnit") == 0 && n_units < MAX_UNITS) {
                u = &units[n_units];
                *u = (struct unit) { .id = strdup(id), .load_state = "not-found" };
                if (!u->id || publish(u) < 0)
                        return -ENOMEM;
                n_units++;
        }
        if (!u)
                return sd_bus_error_setf(error, "org.freedesktop.systemd1.NoSuchUnit", "Unit %s not loaded.", id);
        return sd_bus_reply_method_return(m, "o", u->path);
}

static int method_list_units(sd_bus_message *m, void *userdata, sd_bus_error *error) {
        sd_bus_message *reply = NULL;
        int r;

        (void) userdata, (void) error;
        r = sd_bus_message_new_method_return(m, &reply);
        if (r >= 0)
                r = sd_bus_message_open_container(reply, 'a', "(ssssssouso)");
        for (size_t i = 0; r >= 0 && i < n_units; i++)
                if (strcmp(units[i].load_state, "loaded") == 0)
                        r = sd_bus_message_append(reply, "(ssssssouso)", units[i].id, "a fake service", "loaded",
                                                  units[i].main_pid ? "active" : "inactive",
                                                  units[i].main_pid ? "running" : "dead", "", units[i].path, 0u, "",
                                                  "/");
        if (r >= 0)
                r = sd_bus_message_close_container(reply);
        if (r >= 0)
                r = sd_bus_send(NULL, reply, NULL);
        sd_bus_message_unref(reply);
        return r;
}

/* argv: ENV... then the units. */
static int parse(int argc, char **argv) {
        struct unit *u = NULL;
        size_t ne = 0, nf = 0;
        int i;

        environment = calloc(argc + 1, sizeof *environment);
        if (!environment)
                return -ENOMEM;
        for (i = 1; i < argc && strcmp(argv[i], "--unit") != 0; i++)
                environment[i - 1] = argv[i];
        for (; i + 1 < argc; i += 2) {
                char *a = argv[i + 1], *c1, *c2;

                if (strcmp(argv[i], "--unit") == 0) {
                        if (n_units == MAX_UNITS || !(c1 = strchr(a, ':')) || !(c2 = strchr(c1 + 1, ':')))
                                return -EINVAL;
                        *c1 = *c2 = '\0';
                        u = &units[n_units++];
                        *u = (struct unit) { .id = a, .load_state = "loaded", .main_pid = strtoul(c1 + 1, NULL, 10),
                                             .exec = c2[1] ? c2 + 1 : NULL };
                        ne = nf = 0;
                } else if (u && strcmp(argv[i], "--env") == 0 && ne < MAX_LIST)
                        u->env[ne++] = a;
                else if (u && strcmp(argv[i], "--env-file") == 0 && nf < MAX_LIST)
                        u->env_files[nf++] = a;
                else
                        return -EINVAL;
        }
        return i == argc ? 0 : -EINVAL;
}

static int get_environment(sd_bus *bus, const char *path, const char *interface, const char *property,
                           sd_bus_message *reply, void *userdata, sd_bus_error *error) {
        (void) bus, (void) path, (void) interface, (void) property, (void) userdata, (void) error;
        return sd_bus_message_append_strv(reply, environment);
}

/* Do we own the name yet? The test restarts the fake manager; until the
 * bus has noticed the previous one exit, that one still owns the name and
 * our request is only queued, so "ready" then would send the test's query
 * to a dead peer (seen once under load: "not reachable"). */
static int owns_name(sd_bus *bus) {
        sd_bus_message *reply = NULL;
        const char *unique, *owner;
        int r;

        r = sd_bus_get_unique_name(bus, &unique);
        if (r >= 0)
                r = sd_bus_call_method(bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                       "GetNameOwner", NULL, &reply, "s", "org.freedesktop.systemd1");
        if (r >= 0)
                r = sd_bus_message_read(reply, "s", &owner);
        if (r >= 0)
                r = strcmp(owner, unique) == 0;
        sd_bus_message_unref(reply);
        return r;
}

static const sd_bus_vtable manager_vtable[] = {
        SD_BUS_VTABLE_START(0),
        SD_BUS_PROPERTY("Environment", "as", get_environment, 0, SD_BUS_VTABLE_PROPERTY_CONST),
        SD_BUS_METHOD("LoadUnit", "s", "o", method_get_unit, 0),
        SD_BUS_METHOD("GetUnit", "s", "o", method_get_unit, 0),
        SD_BUS_METHOD("ListUnits", "", "a(ssssssouso)", method_list_units, 0),
        SD_BUS_VTABLE_END
};

int main(int argc, char **argv) {
        /* Closed on every return, so valgrind (.ci/sanitize) sees no leak
         * when the test's bus goes away. */
        __attribute__((cleanup(sd_bus_flush_close_unrefp))) sd_bus *bus = NULL;
        int r;

        if (parse(argc, argv) < 0) {
                fprintf(stderr, "fake-manager: usage: fake-manager [ENV...] "
                        "[--unit NAME:MAINPID:EXECSTART [--env K=V]... [--env-file FILE]...]...\n");
                return 2;
        }
        r = sd_bus_open_system(&bus);
        the_bus = bus;
        if (r >= 0)
                r = sd_bus_add_object_vtable(bus, NULL, "/org/freedesktop/systemd1",
                                             "org.freedesktop.systemd1.Manager", manager_vtable, NULL);
        for (size_t i = 0; r >= 0 && i < n_units; i++)
                r = publish(&units[i]);
        if (r >= 0)
                r = sd_bus_request_name(bus, "org.freedesktop.systemd1", 0);
        for (int i = 0; r >= 0 && i < 1000; i++) {
                struct timespec ms10 = { 0, 10 * 1000 * 1000 };

                r = owns_name(bus);
                if (r != 0)
                        break;
                r = sd_bus_process(bus, NULL); /* NameAcquired and the like */
                if (r == 0)
                        nanosleep(&ms10, NULL);
        }
        if (r <= 0) {
                fprintf(stderr, "fake-manager: %s\n", r < 0 ? strerror(-r) : "never became the owner of org.freedesktop.systemd1");
                return 1;
        }
        printf("ready\n");
        fflush(stdout);
        for (;;) {
                r = sd_bus_process(bus, NULL);
                if (r < 0)
                        return 1;
                if (r == 0 && sd_bus_wait(bus, UINT64_MAX) < 0)
                        return 1;
        }
}
