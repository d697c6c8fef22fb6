/* SPDX-License-Identifier: MIT */
/* The service manager over D-Bus (manager.c): the environment a service
 * starts with, merged as systemd merges it, and a manager that is not
 * there. Units and services against a manager: tests/cli/test-which-unit.sh
 * (a fake manager on a private bus). */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "conffile.h"
#include "manager.h"

static void expect_merge(char *const *base, char *const *over, const char *const *want) {
        char **l = manager_env_merge(base, over);
        size_t i = 0;

        cr_assert_not_null(l);
        for (; want[i]; i++)
                cr_assert_str_eq(l[i] ? l[i] : "(end)", want[i], "entry %zu", i);
        cr_assert_null(l[i], "more than expected: %s", l[i]);
        hwcaps_strv_free(l);
}

Test(manager, a_units_environment_replaces_the_managers_values_in_place) {
        char *base[] = { "A=1", "PATH=/usr/bin", "B=2", NULL };
        char *over[] = { "PATH=/opt/bin", "C=3", "A=4", NULL };
        const char *want[] = { "A=4", "PATH=/opt/bin", "B=2", "C=3", NULL };

        expect_merge(base, over, want);
}

Test(manager, a_later_assignment_of_one_name_wins_within_one_list) {
        char *base[] = { "HWCAPS_MAX_LEVEL=x86-64-v3", NULL };
        char *over[] = { "HWCAPS_MAX_LEVEL=x86-64-v2", "HWCAPS_MAX_LEVEL=x86-64-v1", NULL };
        const char *want[] = { "HWCAPS_MAX_LEVEL=x86-64-v1", NULL };

        expect_merge(base, over, want);
}

Test(manager, names_are_compared_whole_and_empty_lists_are_fine) {
        char *base[] = { "PATHX=1", "PATH=", NULL };
        char *over[] = { "PATH=/bin", "NOEQUALS", NULL };
        const char *want[] = { "PATHX=1", "PATH=/bin", "NOEQUALS", NULL };
        const char *none[] = { NULL };

        expect_merge(base, over, want);
        expect_merge(NULL, NULL, none);
        expect_merge(base, NULL, (const char *[]) { "PATHX=1", "PATH=", NULL });
}

Test(manager, no_manager_on_the_bus_is_an_error_that_says_so) {
        struct manager *m = NULL;
        char err[256] = "";

        cr_assert_eq(setenv("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/nonexistent/bus", 1), 0);
        cr_assert_lt(manager_open(false, &m, err, sizeof err), 0);
        cr_assert_null(m);
        cr_assert(strstr(err, "no running systemd on the system bus"), "%s", err);
}
