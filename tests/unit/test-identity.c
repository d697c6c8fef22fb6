/* SPDX-License-Identifier: MIT */
/* Which program a stub stands for (identity.c), on a fixture tree: the
 * path execve() was given, links followed to the last one before the stub,
 * a "#!" script's interpreter, file descriptors, the stub's own name. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "identity.h"

static char root[] = "/tmp/hwcaps-identity.XXXXXX";

#include "fixture.h"

static char buf[4096];
static struct hwcaps_stat self;
static bool have_self;
static const char *prog;

static void setup(void) {
        char target[600];

        cr_assert_not_null(mkdtemp(root));
        fixture_write("/libexec/hwcaps-dispatch", 0755, "stub\n");
        fixture_symlink("../libexec/hwcaps-dispatch", "/bin/foo");
        fixture_write("/bin/copy", 0755, "stub\n");
        /* python3 -> python3.11 -> stub: the package installed python3.11 */
        fixture_symlink("python3.11", "/bin/python3");
        fixture_symlink("../libexec/hwcaps-dispatch", "/bin/python3.11");
        /* alternatives, absolute links through another directory */
        snprintf(target, sizeof target, "%s/etc/alternatives/editor", root);
        fixture_symlink(target, "/bin/editor");
        fixture_write("/etc/alternatives/.keep", 0644, "");
        snprintf(target, sizeof target, "%s/bin/vim", root);
        fixture_symlink(target, "/etc/alternatives/editor");
        snprintf(target, sizeof target, "%s/libexec/hwcaps-dispatch", root);
        fixture_symlink(target, "/bin/vim");
        /* links to a copy of the stub: the copy is the program */
        fixture_symlink("copy", "/bin/copylink");
        fixture_write("/script", 0755, "#!/bin/foo\n");
}

TestSuite(identity, .init = setup, .fini = fixture_remove);

static int identify(const char *execfn, long argc, char *const *argv, bool secure) {
        struct hwcaps_identity_in in = { .execfn = execfn, .argv = argv, .argc = argc, .secure = secure };

        memset(&self, 0, sizeof self);
        return hwcaps_identity(&in, buf, sizeof buf, &self, &have_self, &prog);
}

static struct stat stat_of(const char *path) {
        struct stat st;

        cr_assert_eq(stat(path, &st), 0, "%s", path);
        return st;
}

Test(identity, a_link_straight_to_the_stub_is_the_program_as_named) {
        const char *foo = fixture_path("/bin/foo");
        char *const argv[] = { "foo", NULL };
        struct stat stub = stat_of(fixture_path("/libexec/hwcaps-dispatch"));

        cr_assert_eq(identify(foo, 1, argv, false), HWCAPS_IDENTITY_OK);
        cr_assert_eq(prog, foo, "AT_EXECFN itself, not a copy");
        cr_assert(have_self);
        cr_assert_eq(self.ino, stub.st_ino);
        cr_assert_eq(self.dev, stub.st_dev);
}

Test(identity, a_copy_of_the_stub_is_the_program_it_is_installed_as) {
        const char *copy = fixture_path("/bin/copy");
        char *const argv[] = { "copy", NULL };

        cr_assert_eq(identify(copy, 1, argv, false), HWCAPS_IDENTITY_OK);
        cr_assert_eq(prog, copy);
        cr_assert_eq(self.ino, stat_of(copy).st_ino);
}

Test(identity, an_alias_is_followed_to_the_last_link_before_the_stub) {
        char *const argv[] = { "python3", NULL };

        cr_assert_eq(identify(fixture_path("/bin/python3"), 1, argv, false), HWCAPS_IDENTITY_OK);
        cr_assert_str_eq(prog, fixture_path("/bin/python3.11"));
        cr_assert(have_self);
        cr_assert_eq(self.ino, stat_of(fixture_path("/libexec/hwcaps-dispatch")).st_ino);
}

Test(identity, an_alternatives_chain_is_followed_through_absolute_links) {
        char *const argv[] = { "editor", NULL };

        cr_assert_eq(identify(fixture_path("/bin/editor"), 1, argv, false), HWCAPS_IDENTITY_OK);
        cr_assert_str_eq(prog, fixture_path("/bin/vim"));
}

Test(identity, a_link_to_a_copy_of_the_stub_is_the_copy) {
        char *const argv[] = { "copylink", NULL };

        cr_assert_eq(identify(fixture_path("/bin/copylink"), 1, argv, false), HWCAPS_IDENTITY_OK);
        cr_assert_str_eq(prog, fixture_path("/bin/copy"));
}

Test(identity, a_relative_path_is_made_absolute_with_the_working_directory) {
        char *const argv[] = { "bin/python3", NULL };

        cr_assert_eq(chdir(root), 0);
        cr_assert_eq(identify("bin/python3", 1, argv, false), HWCAPS_IDENTITY_OK);
        cr_assert_str_eq(prog, fixture_path("/bin/python3.11"));
        cr_assert_eq(identify("./bin/foo", 1, argv, false), HWCAPS_IDENTITY_OK);
        cr_assert_str_eq(prog, fixture_path("/./bin/foo"));
}

Test(identity, without_at_execfn_argv0_names_the_program) {
        char *const argv[] = { (char *) fixture_path("/bin/python3"), NULL };

        cr_assert_eq(identify(NULL, 1, argv, false), HWCAPS_IDENTITY_OK);
        cr_assert_str_eq(prog, fixture_path("/bin/python3.11"));
}

Test(identity, neither_at_execfn_nor_argv0_is_no_identity) {
        char *const empty[] = { "", NULL };
        char *const none[] = { NULL };

        cr_assert_eq(identify(NULL, 0, none, false), HWCAPS_IDENTITY_NONE);
        cr_assert_eq(identify(NULL, 1, empty, false), HWCAPS_IDENTITY_NONE);
}

Test(identity, a_file_descriptor_names_no_program) {
        char *const argv[] = { "foo", NULL };

        cr_assert_eq(identify("/dev/fd/3", 1, argv, false), HWCAPS_IDENTITY_FD);
        cr_assert_eq(identify("/proc/self/fd/3", 1, argv, false), HWCAPS_IDENTITY_FD);
        cr_assert_eq(identify(NULL, 1, (char *const[]) { "/dev/fd/7", NULL }, false), HWCAPS_IDENTITY_FD);
}

Test(identity, run_by_its_own_name_the_stub_stops) {
        const char *stub = fixture_path("/libexec/hwcaps-dispatch");
        char *const argv[] = { "hwcaps-dispatch", NULL };

        cr_assert_eq(identify(stub, 1, argv, false), HWCAPS_IDENTITY_OWN_NAME);
        cr_assert_eq(chdir(fixture_path("/libexec")), 0);
        cr_assert_eq(identify("hwcaps-dispatch", 1, argv, false), HWCAPS_IDENTITY_OWN_NAME);
}

/* The kernel runs "#!/bin/foo" in /script as /bin/foo /script: AT_EXECFN
 * is the script, argv[0] the interpreter (fs/binfmt_script.c). */
Test(identity, as_a_scripts_interpreter_argv0_is_the_program) {
        const char *script = fixture_path("/script");
        char *const argv[] = { (char *) fixture_path("/bin/foo"), (char *) script, NULL };

        cr_assert_eq(identify(script, 2, argv, false), HWCAPS_IDENTITY_OK);
        cr_assert_str_eq(prog, fixture_path("/bin/foo"));
}

/* The same argv, but AT_EXECFN is this very binary: no script involved. */
Test(identity, at_execfn_in_argv_that_is_the_running_binary_stays_the_program) {
        char exe[4096];
        ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);

        cr_assert_gt(n, 0);
        exe[n] = '\0';
        char *const argv[] = { (char *) fixture_path("/bin/foo"), exe, NULL };
        cr_assert_eq(identify(exe, 2, argv, false), HWCAPS_IDENTITY_OK);
        cr_assert_str_eq(prog, exe);
}

/* AT_SECURE with a stub that grants no privilege (this test binary): the
 * path is believed, and self is the running file. */
Test(identity, at_secure_alone_keeps_the_path_given) {
        char *const argv[] = { "python3", NULL };
        struct stat exe = stat_of("/proc/self/exe");

        cr_assert_eq(identify(fixture_path("/bin/python3"), 1, argv, true), HWCAPS_IDENTITY_OK);
        cr_assert_str_eq(prog, fixture_path("/bin/python3.11"));
        cr_assert(have_self);
        cr_assert_eq(self.ino, exe.st_ino);
}

Test(identity, a_path_longer_than_the_buffer_is_too_long) {
        struct hwcaps_identity_in in = { .execfn = "bin/python3", .argv = (char *const[]) { "x", NULL }, .argc = 1 };
        char small[16];

        cr_assert_eq(chdir(root), 0);
        cr_assert_eq(hwcaps_identity(&in, small, sizeof small, &self, &have_self, &prog), HWCAPS_IDENTITY_TOO_LONG);
}

Test(identity, every_error_has_a_text) {
        for (int e = HWCAPS_IDENTITY_NONE; e <= HWCAPS_IDENTITY_TOO_LONG; e++)
                cr_assert_gt(strlen(hwcaps_identity_error_text(e)), 20, "error %d", e);
        cr_assert_str_eq(hwcaps_identity_error_text(HWCAPS_IDENTITY_OK), "");
}
