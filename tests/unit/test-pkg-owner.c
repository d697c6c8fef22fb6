/* SPDX-License-Identifier: MIT */
/* Which package owns a file (pkg-owner.c), in a root of its own: with an
 * rpmdb from "rpm --root ROOT --initdb", empty or holding three small
 * packages rpmbuild makes; with a dpkg database (status, info/PKG.list,
 * diversions) that the real dpkg-query reads; with both; and this system's
 * /var/lib/dpkg. The report's table and JSON, and the errors of a root
 * without a database, a relative root, a librpm of another version and a
 * dpkg database dpkg-query cannot read. */
#include <criterion/criterion.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "macro.h"
#include "pkg-owner.h"

static char root[] = "/tmp/hwcaps-pkg-owner.XXXXXX";
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

TestSuite(pkg_owner, .init = setup, .fini = teardown);

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
        k = hwcaps_pkg_report(r, f, json);
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

Test(pkg_owner, no_variants_is_said_in_words) {
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

Test(pkg_owner, with_an_empty_rpmdb_variants_are_unowned_or_lack_a_baseline) {
        initdb();
        variants();
        cr_assert_eq(report(root, false), 3, "every row is not ok");
        cr_assert_str_eq(out,
                "VARIANT                                      PACKAGE  BASELINE PACKAGE  STATE\n"
                "/usr/bin/glibc-hwcaps/x86-64-v2/disp         -        -                 unowned\n"
                "/usr/bin/glibc-hwcaps/x86-64-v3/foo          -        -                 unowned\n"
                "/usr/lib64/glibc-hwcaps/x86-64-v4/libx.so.1  -        -                 missing-baseline\n");
}

Test(pkg_owner, json_names_the_baseline_and_null_for_what_is_absent) {
        char expected[1024];

        initdb();
        variants();
        cr_assert_eq(report(root, true), 3);
        snprintf(expected, sizeof expected, "{\"root\":\"%s\",\"variants\":["
                 "{\"path\":\"/usr/bin/glibc-hwcaps/x86-64-v2/disp\",\"level\":\"x86-64-v2\",\"package\":null,\"package_manager\":null,"
                 "\"baseline\":\"/usr/bin/glibc-hwcaps/x86-64-v1/disp\",\"baseline_package\":null,\"state\":\"unowned\"},"
                 "{\"path\":\"/usr/bin/glibc-hwcaps/x86-64-v3/foo\",\"level\":\"x86-64-v3\",\"package\":null,\"package_manager\":null,"
                 "\"baseline\":\"/usr/bin/foo\",\"baseline_package\":null,\"state\":\"unowned\"},"
                 "{\"path\":\"/usr/lib64/glibc-hwcaps/x86-64-v4/libx.so.1\",\"level\":\"x86-64-v4\",\"package\":null,\"package_manager\":null,"
                 "\"baseline\":null,\"baseline_package\":null,\"state\":\"missing-baseline\"}]}\n", root);
        cr_assert_str_eq(out, expected);
}

/* A backslash is shown as \x5c (json.h), so that every backslash in the
 * decoded name starts an escape. */
Test(pkg_owner, json_escapes_quotes_and_backslashes_in_names) {
        initdb();
        fixture_write("/usr/bin/glibc-hwcaps/x86-64-v2/a\"b\\c", 0755, VARIANT);
        cr_assert_eq(report(root, true), 1);
        cr_assert(strstr(out, "{\"path\":\"/usr/bin/glibc-hwcaps/x86-64-v2/a\\\"b\\\\x5cc\","), "%s", out);
}

Test(pkg_owner, a_name_not_utf8_is_escaped_with_its_bytes_beside_it) {
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
Test(pkg_owner, a_directory_reached_twice_is_reported_once) {
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
Test(pkg_owner, owners_come_from_the_rpmdb_and_an_older_variant_is_stale) {
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

Test(pkg_owner, a_root_without_a_package_database_is_an_error_saying_how_to_make_one) {
        char expected[300];

        variants();
        cr_assert_eq(report(root, false), -ENOENT);
        cr_assert_str_eq(out, "");
        snprintf(expected, sizeof expected, "hwcaps: %s: no package database: cannot open the rpm database (", root);
        cr_assert_eq(strncmp(fixture_log, expected, strlen(expected)), 0, "%s", fixture_log);
        snprintf(expected, sizeof expected, " inside the root; rpm --root %s --initdb creates one); "
                 "no dpkg database (/var/lib/dpkg/status inside the root)\n", root);
        cr_assert_str_eq(fixture_log + strlen(fixture_log) - strlen(expected), expected, "%s", fixture_log);
}

Test(pkg_owner, a_root_without_a_package_database_owns_nothing_where_none_is_required) {
        const char *const paths[] = { "/usr/bin/foo" };
        struct pkg_dbs *dbs = (struct pkg_dbs *) 1;
        struct pkg_owner o[1];

        variants();
        cr_assert_eq(pkg_dbs_open(root, false, &dbs), 0);
        cr_assert_null(dbs);
        cr_assert_str_eq(fixture_log, "");
        cr_assert_eq(pkg_owners(dbs, paths, 1, true, o), 0);
        cr_assert_null(o[0].package);
        cr_assert_eq(o[0].manager, PKG_MANAGER_NONE);
}

Test(pkg_owner, a_relative_root_is_refused) {
        cr_assert_eq(report("relative/root", false), -EINVAL);
        cr_assert_str_eq(fixture_log, "hwcaps: relative/root: not usable as a package root (an absolute path is needed)\n");
}

/* A library with librpm's soname loaded first stands for a librpm of
 * another version (dlopen() by soname finds the one loaded). */
Test(pkg_owner, a_librpm_without_the_symbols_needed_is_an_error_not_a_crash) {
        cr_assert_not_null(dlopen(RPM_STAND_IN, RTLD_NOW), "%s", dlerror());
        initdb();
        cr_assert_eq(report(root, false), -ENOSYS);
        cr_assert_str_eq(out, "");
        char expected[300];
        snprintf(expected, sizeof expected, "hwcaps: %s: no package database: cannot use the rpm database: "
                 HWCAPS_SONAME_RPM ": no symbol rpmConfigDir; no dpkg database (/var/lib/dpkg/status inside the root)\n",
                 root);
        cr_assert_str_eq(fixture_log, expected);
}

/* A dpkg database under the root, as dpkg keeps it (dpkg 1.21): the status
 * file, info/format 1 (multiarch names: info/libx1:amd64.list), a file
 * list a package, the diversions (three lines each: from, to, package or
 * ":" for a local one). */
static void dpkg_package(const char *name, const char *version, bool same, const char *files) {
        char rel[300], stanza[600];
        FILE *f;

        snprintf(stanza, sizeof stanza,
                 "Package: %s\nStatus: install ok installed\nPriority: optional\nSection: misc\n"
                 "Maintainer: T <t@example.org>\nArchitecture: amd64\n%sVersion: %s\nDescription: test\n\n",
                 name, same ? "Multi-Arch: same\n" : "", version);
        fixture_mkdirs(fixture_path("/var/lib/dpkg/info"));
        fixture_mkdirs(fixture_path("/var/lib/dpkg/updates"));
        fixture_write("/var/lib/dpkg/info/format", 0644, "1\n");
        f = fopen(fixture_path("/var/lib/dpkg/status"), "a");
        cr_assert_not_null(f);
        fputs(stanza, f);
        cr_assert_eq(fclose(f), 0);
        snprintf(rel, sizeof rel, "/var/lib/dpkg/info/%s%s.list", name, same ? ":amd64" : "");
        fixture_write(rel, 0644, files);
}

static void no_dpkg_query(void) {
        if (access(DPKG_QUERY_PATH, X_OK) != 0)
                cr_skip_test("no " DPKG_QUERY_PATH);
}

/* Owners as pkg_owners() gives them: "PATH PACKAGE MANAGER VERSION" lines. */
static char *owners(const char *r, const char *const *paths, size_t n) {
        _cleanup_(pkg_dbs_freep) struct pkg_dbs *dbs = NULL;
        struct pkg_owner o[16] = {};
        char *text = NULL;
        size_t len;
        FILE *f;

        cr_assert_leq(n, 16);
        cr_assert_eq(pkg_dbs_open(r, true, &dbs), 0, "%s", fixture_log);
        cr_assert_eq(pkg_owners(dbs, paths, n, true, o), 0, "%s", fixture_log);
        f = open_memstream(&text, &len);
        for (size_t i = 0; i < n; i++) {
                fprintf(f, "%s %s %s %s\n", paths[i], o[i].package ?: "-", pkg_manager_name(o[i].manager) ?: "-",
                        o[i].version ?: "-");
                pkg_owner_done(&o[i]);
        }
        fclose(f);
        return text;
}

/* foo 1.0-1 ships the baseline, foo-v3 1.0-1 (Multi-Arch: same, so
 * "foo-v3:amd64") and foo-v2 0.9-1 variants; nobody the v4 one. */
static void dpkg_foo(void) {
        variants();
        fixture_write("/usr/bin/glibc-hwcaps/x86-64-v2/foo", 0755, VARIANT);
        fixture_write("/usr/bin/glibc-hwcaps/x86-64-v4/foo", 0755, VARIANT);
        dpkg_package("foo", "1.0-1", false, "/.\n/usr\n/usr/bin\n/usr/bin/foo\n");
        dpkg_package("foo-v3", "1.0-1", true, "/.\n/usr\n/usr/bin\n/usr/bin/glibc-hwcaps\n"
                     "/usr/bin/glibc-hwcaps/x86-64-v3\n/usr/bin/glibc-hwcaps/x86-64-v3/foo\n");
        dpkg_package("foo-v2", "0.9-1", false, "/.\n/usr\n/usr/bin\n/usr/bin/glibc-hwcaps\n"
                     "/usr/bin/glibc-hwcaps/x86-64-v2\n/usr/bin/glibc-hwcaps/x86-64-v2/foo\n");
}

Test(pkg_owner, owners_come_from_the_dpkg_database_and_an_older_variant_is_stale) {
        no_dpkg_query();
        dpkg_foo();
        cr_assert_eq(report(root, false), 4, "%s", fixture_log);
        cr_assert_str_eq(out,
                "VARIANT                                      PACKAGE       BASELINE PACKAGE  STATE\n"
                "/usr/bin/glibc-hwcaps/x86-64-v2/disp         -             -                 unowned\n"
                "/usr/bin/glibc-hwcaps/x86-64-v2/foo          foo-v2        foo               stale\n"
                "/usr/bin/glibc-hwcaps/x86-64-v3/foo          foo-v3:amd64  foo               ok\n"
                "/usr/bin/glibc-hwcaps/x86-64-v4/foo          -             foo               unowned\n"
                "/usr/lib64/glibc-hwcaps/x86-64-v4/libx.so.1  -             -                 missing-baseline\n");
        cr_assert_str_eq(fixture_log, "");
        cr_assert_eq(report(root, true), 4);
        cr_assert(strstr(out, "{\"path\":\"/usr/bin/glibc-hwcaps/x86-64-v3/foo\",\"level\":\"x86-64-v3\","
                              "\"package\":\"foo-v3:amd64\",\"package_manager\":\"dpkg\","
                              "\"baseline\":\"/usr/bin/foo\",\"baseline_package\":\"foo\",\"state\":\"ok\"}"), "%s", out);
}

Test(pkg_owner, owners_and_versions_of_paths_asked_together) {
        const char *const paths[] = { "/usr/bin/glibc-hwcaps/x86-64-v3/foo", "/usr/bin/nobodys", "/usr/bin/foo" };
        _cleanup_free_ char *text = NULL;

        no_dpkg_query();
        dpkg_foo();
        text = owners(root, paths, 3);
        cr_assert_str_eq(text,
                         "/usr/bin/glibc-hwcaps/x86-64-v3/foo foo-v3:amd64 dpkg 1.0-1\n"
                         "/usr/bin/nobodys - - -\n"
                         "/usr/bin/foo foo dpkg 1.0-1\n");
}

/* dpkg-query --search takes * ? [ \ as a pattern: "a*b" must not find
 * "aXb"'s package, and a name with a newline must not end the line. */
Test(pkg_owner, names_dpkg_query_would_take_as_patterns_or_split_are_asked_literally) {
        const char *const paths[] = { "/usr/bin/a*b", "/usr/bin/a?b", "/usr/bin/[ab]", "/usr/bin/a\\b",
                                      "/usr/bin/two\nlines", "/usr/bin/two", "/usr/bin/x: /usr/bin/aXb" };
        _cleanup_free_ char *text = NULL;

        no_dpkg_query();
        dpkg_package("real", "2", false, "/usr/bin/aXb\n/usr/bin/a\n/usr/bin/b\n/usr/bin/a\\b\n/usr/bin/two\nlines\n");
        dpkg_package("odd", "3", false, "/usr/bin/a*b\n/usr/bin/x: /usr/bin/aXb\n");
        text = owners(root, paths, 7);
        cr_assert_str_eq(text,
                         "/usr/bin/a*b odd dpkg 3\n"
                         "/usr/bin/a?b - - -\n"
                         "/usr/bin/[ab] - - -\n"
                         "/usr/bin/a\\b real dpkg 2\n"
                         "/usr/bin/two\nlines - - -\n"
                         "/usr/bin/two real dpkg 2\n"
                         "/usr/bin/x: /usr/bin/aXb odd dpkg 3\n");
        /* Alone, with no other pattern matching it by chance. */
        free(text);
        text = owners(root, paths + 3, 1);
        cr_assert_str_eq(text, "/usr/bin/a\\b real dpkg 2\n");
}

/* dpkg(1) diversions: the diverting package's file is at "from", every
 * other package's at "to"; a local diversion moves them all. */
Test(pkg_owner, diverted_files_belong_to_whom_the_diversion_says) {
        const char *const paths[] = { "/usr/bin/glibc-hwcaps/x86-64-v3/tool", "/usr/bin/glibc-hwcaps/x86-64-v3/tool.distrib",
                                      "/usr/bin/glibc-hwcaps/x86-64-v2/tool", "/usr/bin/glibc-hwcaps/x86-64-v2/tool.orig",
                                      "/usr/bin/glibc-hwcaps/x86-64-v4/tool", "/usr/bin/glibc-hwcaps/x86-64-v4/tool.was" };
        _cleanup_free_ char *text = NULL;

        no_dpkg_query();
        dpkg_package("tool", "1", false, "/usr/bin/glibc-hwcaps/x86-64-v3/tool\n/usr/bin/glibc-hwcaps/x86-64-v2/tool\n"
                     "/usr/bin/glibc-hwcaps/x86-64-v4/tool\n");
        dpkg_package("better-tool", "5", false, "/usr/bin/glibc-hwcaps/x86-64-v3/tool\n");
        dpkg_package("tool-hider", "6", false, "/usr/share/doc/tool-hider\n");
        fixture_write("/var/lib/dpkg/diversions", 0644,
                      "/usr/bin/glibc-hwcaps/x86-64-v3/tool\n/usr/bin/glibc-hwcaps/x86-64-v3/tool.distrib\nbetter-tool\n"
                      "/usr/bin/glibc-hwcaps/x86-64-v2/tool\n/usr/bin/glibc-hwcaps/x86-64-v2/tool.orig\n:\n"
                      "/usr/bin/glibc-hwcaps/x86-64-v4/tool\n/usr/bin/glibc-hwcaps/x86-64-v4/tool.was\ntool-hider\n");
        text = owners(root, paths, 6);
        cr_assert_str_eq(text,
                         "/usr/bin/glibc-hwcaps/x86-64-v3/tool better-tool dpkg 5\n"
                         "/usr/bin/glibc-hwcaps/x86-64-v3/tool.distrib tool dpkg 1\n"
                         "/usr/bin/glibc-hwcaps/x86-64-v2/tool - - -\n"
                         "/usr/bin/glibc-hwcaps/x86-64-v2/tool.orig tool dpkg 1\n"
                         "/usr/bin/glibc-hwcaps/x86-64-v4/tool - - -\n"
                         "/usr/bin/glibc-hwcaps/x86-64-v4/tool.was tool dpkg 1\n");
}

/* On merged /usr a Debian package may still ship /bin/glibc-hwcaps/...,
 * which the report names /usr/bin/glibc-hwcaps/...: dpkg knows only the
 * name shipped. */
Test(pkg_owner, a_file_shipped_under_the_other_name_of_merged_usr_is_found) {
        no_dpkg_query();
        fixture_write("/usr/bin/foo", 0755, VARIANT);
        fixture_write("/usr/bin/glibc-hwcaps/x86-64-v3/foo", 0755, VARIANT);
        fixture_symlink("usr/bin", "/bin");
        dpkg_package("foo", "1", false, "/bin/foo\n");
        dpkg_package("foo-v3", "1", false, "/bin/glibc-hwcaps/x86-64-v3/foo\n");
        cr_assert_eq(report(root, false), 0, "%s", fixture_log);
        cr_assert_str_eq(out,
                "VARIANT                              PACKAGE  BASELINE PACKAGE  STATE\n"
                "/usr/bin/glibc-hwcaps/x86-64-v3/foo  foo-v3   foo               ok\n");
        /* Without the link, /bin is another directory: no other name. */
        cr_assert_eq(unlink(fixture_path("/bin")), 0);
        cr_assert_eq(report(root, false), 1, "%s", fixture_log);
        cr_assert(strstr(out, "/usr/bin/glibc-hwcaps/x86-64-v3/foo  -        -                 unowned\n"), "%s", out);
}

/* Where a root has both databases, each package says whose it is. */
Test(pkg_owner, with_both_databases_each_owner_names_its_package_manager) {
        no_dpkg_query();
        initdb();
        fixture_write("/usr/bin/foo", 0755, VARIANT);
        fixture_write("/usr/bin/glibc-hwcaps/x86-64-v3/foo", 0755, VARIANT);
        fixture_write("/usr/bin/glibc-hwcaps/x86-64-v2/foo", 0755, VARIANT);
        fixture_write("/top/foo.spec", 0644,
                      "Name: foo-v2\nVersion: 1\nRelease: 1\nSummary: test\nLicense: MIT\nBuildArch: noarch\n"
                      "%description\ntest\n%install\nmkdir -p %{buildroot}/usr/bin/glibc-hwcaps/x86-64-v2\n"
                      "echo v > %{buildroot}/usr/bin/glibc-hwcaps/x86-64-v2/foo\n"
                      "%files\n/usr/bin/glibc-hwcaps/x86-64-v2/foo\n");
        run("rpmbuild -bb --nodeps --define \"_topdir $PWD/top\" top/foo.spec");
        run("rpm --root \"$PWD\" --nodeps --justdb -i top/RPMS/noarch/*.rpm");
        /* Version 1-1 as the rpm's, and still not the same build. */
        dpkg_package("foo", "1-1", false, "/usr/bin/foo\n");
        dpkg_package("foo-v3", "1-1", false, "/usr/bin/glibc-hwcaps/x86-64-v3/foo\n");
        cr_assert_eq(report(root, false), 1, "%s", fixture_log);
        cr_assert_str_eq(out,
                "VARIANT                              PACKAGE                  BASELINE PACKAGE  STATE\n"
                "/usr/bin/glibc-hwcaps/x86-64-v2/foo  foo-v2-1-1.noarch [rpm]  foo [dpkg]        stale\n"
                "/usr/bin/glibc-hwcaps/x86-64-v3/foo  foo-v3 [dpkg]            foo [dpkg]        ok\n");
        cr_assert_eq(report(root, true), 1);
        cr_assert(strstr(out, "\"package\":\"foo-v2-1-1.noarch\",\"package_manager\":\"rpm\""), "%s", out);
}

Test(pkg_owner, a_dpkg_database_dpkg_query_cannot_read_is_an_error_with_its_words) {
        no_dpkg_query();
        variants();
        fixture_write("/var/lib/dpkg/status", 0644, "Package: broken\nnot a field\n");
        fixture_mkdirs(fixture_path("/var/lib/dpkg/info"));
        cr_assert_lt(report(root, false), 0);
        cr_assert_str_eq(out, "");
        cr_assert(strstr(fixture_log, "hwcaps: " DPKG_QUERY_PATH " --admindir="), "%s", fixture_log);
        cr_assert(strstr(fixture_log, "/var/lib/dpkg --search failed (exit status 2): dpkg-query: error: parsing file"),
                  "%s", fixture_log);
}

/* This system's own database, through the real dpkg-query: /bin/ls is
 * coreutils' on Debian, also by its merged-/usr name /usr/bin/ls. */
Test(pkg_owner, this_systems_dpkg_database_knows_ls) {
        const char *const paths[] = { "/bin/ls", "/usr/bin/ls" };
        _cleanup_(pkg_dbs_freep) struct pkg_dbs *dbs = NULL;
        struct pkg_owner o[2];

        no_dpkg_query();
        if (system(DPKG_QUERY_PATH " --search /bin/ls >/dev/null 2>&1") != 0)
                cr_skip_test("no package of this system ships /bin/ls");
        cr_assert_eq(pkg_dbs_open("/", true, &dbs), 0, "%s", fixture_log);
        cr_assert_eq(pkg_owners(dbs, paths, 2, false, o), 0, "%s", fixture_log);
        for (int i = 0; i < 2; i++) {
                struct stat a, b;
                bool merged = stat("/bin", &a) == 0 && stat("/usr/bin", &b) == 0 && a.st_ino == b.st_ino;

                if (i == 1 && !merged)
                        break;
                cr_assert_str_eq(o[i].package, "coreutils", "%s", paths[i]);
                cr_assert_eq(o[i].manager, PKG_MANAGER_DPKG);
                cr_assert_null(o[i].version);
                pkg_owner_done(&o[i]);
        }
}
