/* SPDX-License-Identifier: MIT */
/* Which package owns each variant and its baseline (rpm-owner.c), in a
 * root of its own with an rpmdb from "rpm --root ROOT --initdb": empty, or
 * holding three small packages rpmbuild makes. The table and the JSON, and
 * the errors of a root without an rpmdb, a relative root and a librpm of
 * another version. */
#include <criterion/criterion.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rpm-owner.h"

static char root[] = "/tmp/hwcaps-rpm-owner.XXXXXX";
static char *out;
static size_t out_len;

#include "cli-log.h"
#include "fixture.h"

#define VARIANT "#!/bin/sh\n"

static void setup(void) {
        cr_assert_not_null(mkdtemp(root));
}

static void teardown(void) {
        free(out);
        fixture_remove();
}

TestSuite(rpm_owner, .init = setup, .fini = teardown);

/* A command run in the root, quiet unless it fails. */
static void run(const char *cmd) {
        char sh[2048];

        if (system("command -v rpm >/dev/null && command -v rpmbuild >/dev/null") != 0)
                cr_skip_test("no rpm and rpmbuild to make an rpmdb with");
        snprintf(sh, sizeof sh, "cd '%s' && { %s; } >rpm.log 2>&1 || { cat rpm.log >&2; exit 1; }", root, cmd);
        cr_assert_eq(system(sh), 0, "%s", cmd);
}

static void initdb(void) {
        run("rpm --root \"$PWD\" --initdb");
}

static int report(const char *r, bool json) {
        FILE *f;
        int k;

        free(out);
        out = NULL;
        f = open_memstream(&out, &out_len);
        cr_assert_not_null(f);
        k = hwcaps_rpm_report(r, f, json);
        cr_assert_eq(fclose(f), 0);
        return k;
}

/* foo: a program with its baseline beside it; disp: a dispatched program
 * (DIR/disp is the stub, its baseline in x86-64-v1/, which is no variant);
 * libx: a library variant without a baseline. */
static void variants(void) {
        fixture_write("/usr/bin/foo", 0755, VARIANT);
        fixture_write("/usr/bin/glibc-hwcaps/x86-64-v3/foo", 0755, VARIANT);
        fixture_write("/usr/bin/disp", 0755, VARIANT);
        fixture_write("/usr/bin/glibc-hwcaps/x86-64-v1/disp", 0755, VARIANT);
        fixture_write("/usr/bin/glibc-hwcaps/x86-64-v2/disp", 0755, VARIANT);
        fixture_write("/usr/lib64/glibc-hwcaps/x86-64-v4/libx.so.1", 0755, VARIANT);
}

Test(rpm_owner, no_variants_is_said_in_words) {
        char expected[200];

        initdb();
        fixture_write("/usr/bin/foo", 0755, VARIANT);
        cr_assert_eq(report(root, false), 0);
        snprintf(expected, sizeof expected, "no glibc-hwcaps variants under %s\n", root);
        cr_assert_str_eq(out, expected);
        cr_assert_eq(report(root, true), 0);
        snprintf(expected, sizeof expected, "{\"root\":\"%s\",\"variants\":[]}\n", root);
        cr_assert_str_eq(out, expected);
}

Test(rpm_owner, with_an_empty_rpmdb_variants_are_unowned_or_lack_a_baseline) {
        initdb();
        variants();
        cr_assert_eq(report(root, false), 3, "every row is not ok");
        cr_assert_str_eq(out,
                "VARIANT                                      PACKAGE  BASELINE PACKAGE  STATE\n"
                "/usr/bin/glibc-hwcaps/x86-64-v2/disp         -        -                 unowned\n"
                "/usr/bin/glibc-hwcaps/x86-64-v3/foo          -        -                 unowned\n"
                "/usr/lib64/glibc-hwcaps/x86-64-v4/libx.so.1  -        -                 missing-baseline\n");
}

Test(rpm_owner, json_names_the_baseline_and_null_for_what_is_absent) {
        char expected[1024];

        initdb();
        variants();
        cr_assert_eq(report(root, true), 3);
        snprintf(expected, sizeof expected, "{\"root\":\"%s\",\"variants\":["
                 "{\"path\":\"/usr/bin/glibc-hwcaps/x86-64-v2/disp\",\"level\":\"x86-64-v2\",\"package\":null,"
                 "\"baseline\":\"/usr/bin/glibc-hwcaps/x86-64-v1/disp\",\"baseline_package\":null,\"state\":\"unowned\"},"
                 "{\"path\":\"/usr/bin/glibc-hwcaps/x86-64-v3/foo\",\"level\":\"x86-64-v3\",\"package\":null,"
                 "\"baseline\":\"/usr/bin/foo\",\"baseline_package\":null,\"state\":\"unowned\"},"
                 "{\"path\":\"/usr/lib64/glibc-hwcaps/x86-64-v4/libx.so.1\",\"level\":\"x86-64-v4\",\"package\":null,"
                 "\"baseline\":null,\"baseline_package\":null,\"state\":\"missing-baseline\"}]}\n", root);
        cr_assert_str_eq(out, expected);
}

/* A backslash is shown as \x5c (json.h), so that every backslash in the
 * decoded name starts an escape. */
Test(rpm_owner, json_escapes_quotes_and_backslashes_in_names) {
        initdb();
        fixture_write("/usr/bin/glibc-hwcaps/x86-64-v2/a\"b\\c", 0755, VARIANT);
        cr_assert_eq(report(root, true), 1);
        cr_assert(strstr(out, "{\"path\":\"/usr/bin/glibc-hwcaps/x86-64-v2/a\\\"b\\\\x5cc\","), "%s", out);
}

Test(rpm_owner, a_name_not_utf8_is_escaped_with_its_bytes_beside_it) {
        initdb();
        fixture_write("/usr/bin/glibc-hwcaps/x86-64-v2/a\xff\x1b", 0755, VARIANT);
        cr_assert_eq(report(root, true), 1);
        cr_assert(strstr(out, "{\"path\":\"/usr/bin/glibc-hwcaps/x86-64-v2/a\\\\xff\\u001b\","
                              "\"path_bytes\":\"2f7573722f62696e2f676c6962632d6877636170732f7838362d36342d76322f61ff1b\","),
                  "%s", out);
        cr_assert_eq(report(root, false), 1);
        cr_assert(strstr(out, "/usr/bin/glibc-hwcaps/x86-64-v2/a\\xff\\x1b  -"), "%s", out);
}

/* /bin is /usr/bin, and /usr/lib is /usr/lib64, on merged systems. */
Test(rpm_owner, a_directory_reached_twice_is_reported_once) {
        char *once;

        initdb();
        variants();
        cr_assert_eq(report(root, true), 3);
        once = strdup(out);
        fixture_symlink("usr/bin", "/bin");
        fixture_symlink("lib64", "/usr/lib");
        cr_assert_eq(report(root, true), 3);
        cr_assert_str_eq(out, once);
        free(once);
}

/* Three packages: hwcaps-test 1.0-1 with the baseline, hwcaps-test-v3 of
 * the same version, hwcaps-test-v2 of an older one; a v4 variant nobody
 * owns. */
Test(rpm_owner, owners_come_from_the_rpmdb_and_an_older_variant_is_stale) {
        fixture_write("/top/hwcaps-test.spec", 0644,
                      "Name: hwcaps-test\nVersion: 1.0\nRelease: 1\nSummary: test\nLicense: MIT\nBuildArch: noarch\n"
                      "%description\ntest\n"
                      "%package v3\nSummary: test\n%description v3\ntest\n"
                      "%package v2\nSummary: test\nVersion: 0.9\n%description v2\ntest\n"
                      "%install\n"
                      "for d in /usr/bin/glibc-hwcaps/x86-64-v3 /usr/bin/glibc-hwcaps/x86-64-v2; do\n"
                      "  mkdir -p %{buildroot}$d && echo variant > %{buildroot}$d/foo\n"
                      "done\n"
                      "echo baseline > %{buildroot}/usr/bin/foo\n"
                      "%files\n/usr/bin/foo\n"
                      "%files v3\n/usr/bin/glibc-hwcaps/x86-64-v3/foo\n"
                      "%files v2\n/usr/bin/glibc-hwcaps/x86-64-v2/foo\n");
        run("rpmbuild -bb --nodeps --define \"_topdir $PWD/top\" top/hwcaps-test.spec");
        initdb();
        run("rpm --root \"$PWD\" --nodeps -i top/RPMS/noarch/*.rpm");
        fixture_write("/usr/bin/glibc-hwcaps/x86-64-v4/foo", 0755, VARIANT);
        cr_assert_eq(report(root, false), 2);
        cr_assert_str_eq(out,
                "VARIANT                              PACKAGE                      BASELINE PACKAGE          STATE\n"
                "/usr/bin/glibc-hwcaps/x86-64-v2/foo  hwcaps-test-v2-0.9-1.noarch  hwcaps-test-1.0-1.noarch  stale\n"
                "/usr/bin/glibc-hwcaps/x86-64-v3/foo  hwcaps-test-v3-1.0-1.noarch  hwcaps-test-1.0-1.noarch  ok\n"
                "/usr/bin/glibc-hwcaps/x86-64-v4/foo  -                            hwcaps-test-1.0-1.noarch  unowned\n");
}

Test(rpm_owner, a_root_without_an_rpmdb_is_an_error_saying_how_to_make_one) {
        char expected[300];

        variants();
        cr_assert_eq(report(root, false), -ENOENT);
        cr_assert_str_eq(out, "");
        snprintf(expected, sizeof expected, "hwcaps: %s: cannot open the rpm database (", root);
        cr_assert_eq(strncmp(fixture_log, expected, strlen(expected)), 0, "%s", fixture_log);
        snprintf(expected, sizeof expected, " inside the root; rpm --root %s --initdb creates one)\n", root);
        cr_assert_str_eq(fixture_log + strlen(fixture_log) - strlen(expected), expected, "%s", fixture_log);
}

Test(rpm_owner, a_relative_root_is_refused) {
        cr_assert_eq(report("relative/root", false), -EINVAL);
        cr_assert_str_eq(fixture_log, "hwcaps: relative/root: not usable as rpm root (an absolute path is needed)\n");
}

/* A library with librpm's soname loaded first stands for a librpm of
 * another version (dlopen() by soname finds the one loaded). */
Test(rpm_owner, a_librpm_without_the_symbols_needed_is_an_error_not_a_crash) {
        cr_assert_not_null(dlopen(RPM_STAND_IN, RTLD_NOW), "%s", dlerror());
        initdb();
        cr_assert_eq(report(root, false), -ENOSYS);
        cr_assert_str_eq(out, "");
        cr_assert_str_eq(fixture_log, "hwcaps: cannot use the rpm database: " HWCAPS_SONAME_RPM ": no symbol rpmReadConfigFiles\n");
}
