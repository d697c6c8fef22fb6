/* SPDX-License-Identifier: MIT */
/* A stand-in for systemd's manager on a private bus, for testing
 * "hwcaps status": owns org.freedesktop.systemd1 and serves only
 * /org/freedesktop/systemd1 org.freedesktop.systemd1.Manager.Environment,
 * set to argv[1..]. Connects to $DBUS_SYSTEM_BUS_ADDRESS; prints "ready"
 * once the name is owned, then serves until killed. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <systemd/sd-bus.h>
#include <time.h>

static char **environment;

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
        SD_BUS_VTABLE_END
};

int main(int argc, char **argv) {
        /* Closed on every return, so valgrind (.ci/sanitize) sees no leak
         * when the test's bus goes away. */
        __attribute__((cleanup(sd_bus_flush_close_unrefp))) sd_bus *bus = NULL;
        int r;

        (void) argc;
        environment = argv + 1;
        r = sd_bus_open_system(&bus);
        if (r >= 0)
                r = sd_bus_add_object_vtable(bus, NULL, "/org/freedesktop/systemd1",
                                             "org.freedesktop.systemd1.Manager", manager_vtable, NULL);
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
