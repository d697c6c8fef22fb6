/* SPDX-License-Identifier: MIT */
/* Running helper programs (subprocess.c): argv building and quoting, the
 * PATH lookup, exit statuses, signals, a program that cannot be started,
 * and stdout to a file or captured. Real programs (sh, printf, head) run. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "macro.h"
#include "subprocess.h"

static char root[] = "/tmp/hwcaps-subprocess.XXXXXX";

#include "fixture.h"

static void setup(void) {
        cr_assert_not_null(mkdtemp(root));
}

TestSuite(subprocess, .init = setup, .fini = fixture_remove);

static int sh(const char *script) {
        char *const argv[] = { "sh", "-c", (char *) script, NULL };

        return run_wait(argv, NULL);
}

static int capture(const char *script, char **out, size_t *len) {
        char *const argv[] = { "sh", "-c", (char *) script, NULL };

        return run_capture(argv, out, len);
}

Test(subprocess, argv_add_keeps_a_null_terminated_copy) {
        _cleanup_argv_ struct argv_buf a = {};
        char s[] = "mutable";

        for (int i = 0; i < 40; i++)
                cr_assert_eq(argv_addf(&a, "arg%d", i), 0);
        cr_assert_eq(argv_add(&a, s), 0);
        s[0] = 'M';
        cr_assert_eq(a.n, 41);
        cr_assert_str_eq(a.v[0], "arg0");
        cr_assert_str_eq(a.v[39], "arg39");
        cr_assert_str_eq(a.v[40], "mutable");
        cr_assert_null(a.v[41]);
}

Test(subprocess, argv_join_quotes_what_a_shell_would_split_or_expand) {
        char *const argv[] = { "perf", "-o", "out dir/x", "", "it's", "$HOME", "a*", "--x=1,2:3@%+./_-", NULL };
        char *s = argv_join(argv);

        cr_assert_str_eq(s, "perf -o 'out dir/x' '' 'it'\\''s' '$HOME' 'a*' --x=1,2:3@%+./_-");
        free(s);
}

Test(subprocess, argv_join_output_is_the_argv_again_for_a_shell) {
        char *const argv[] = { "printf", "[%s]", "a b", "it's", "\"q\"", "\\", "", NULL };
        _cleanup_free_ char *joined = argv_join(argv), *out = NULL;

        cr_assert_eq(capture(joined, &out, NULL), 0);
        cr_assert_str_eq(out, "[a b][it's][\"q\"][\\][]");
}

Test(subprocess, exit_status_is_returned) {
        cr_assert_eq(sh("exit 0"), 0);
        cr_assert_eq(sh("exit 1"), 1);
        cr_assert_eq(sh("exit 42"), 42);
        cr_assert_eq(sh("exit 255"), 255);
}

Test(subprocess, a_killed_program_is_128_plus_the_signal) {
        cr_assert_eq(sh("kill -TERM $$"), 128 + 15);
        cr_assert_eq(sh("kill -KILL $$"), 128 + 9);
}

Test(subprocess, a_program_that_cannot_be_started_is_an_errno_not_127) {
        char *const missing[] = { "hwcaps-test-no-such-program", NULL };
        char *const noexec[] = { (char *) fixture_path("/data"), NULL };
        char *out = NULL;

        fixture_write("/data", 0644, "#!/bin/sh\n");
        cr_assert_eq(run_wait(missing, NULL), -ENOENT);
        cr_assert_eq(run_wait(noexec, NULL), -EACCES);
        cr_assert_eq(run_capture(missing, &out, NULL), -ENOENT);
        cr_assert_null(out);
        /* 127 from the program itself is its exit status. */
        cr_assert_eq(sh("exit 127"), 127);
}

Test(subprocess, stdout_goes_to_the_file_named_replacing_it) {
        char *const argv[] = { "printf", "%s\\n", "written", NULL };
        _cleanup_free_ char *content = NULL;
        FILE *f;

        fixture_write("/out", 0644, "old content, longer than the new\n");
        cr_assert_eq(run_wait(argv, fixture_path("/out")), 0);
        f = fopen(fixture_path("/out"), "r");
        cr_assert_not_null(f);
        content = calloc(1, 64);
        cr_assert_eq(fread(content, 1, 63, f), 8);
        fclose(f);
        cr_assert_str_eq(content, "written\n");
        cr_assert_eq(run_wait(argv, fixture_path("/nodir/out")), -ENOENT);
}

Test(subprocess, capture_returns_the_output_its_length_and_the_status) {
        _cleanup_free_ char *out = NULL, *none = NULL;
        size_t len = 0, none_len = 1;

        cr_assert_eq(capture("printf 'a\\000b'; exit 3", &out, &len), 3);
        cr_assert_eq(len, 3);
        cr_assert_eq(memcmp(out, "a\0b", 4), 0);
        cr_assert_eq(capture("true", &none, &none_len), 0);
        cr_assert_eq(none_len, 0);
        cr_assert_str_eq(none, "");
}

Test(subprocess, capture_grows_past_its_first_buffer) {
        _cleanup_free_ char *out = NULL;
        size_t len = 0;

        cr_assert_eq(capture("head -c 300000 /dev/zero | tr '\\000' x", &out, &len), 0);
        cr_assert_eq(len, 300000);
        cr_assert_eq(strspn(out, "x"), 300000);
        cr_assert_eq(out[len], '\0');
}

Test(subprocess, capture_env_runs_with_the_environment_given_and_keeps_stderr_apart) {
        char *const argv[] = { "sh", "-c", "printf '%s' \"$A.$HOME\"; echo oops >&2; exit 1", NULL };
        char *const envp[] = { "A=given", NULL };
        _cleanup_free_ char *out = NULL, *err = NULL;
        size_t len = 0;

        cr_assert_eq(run_capture_env(argv, envp, &out, &len, &err), 1);
        cr_assert_str_eq(out, "given.");
        cr_assert_eq(len, 6);
        cr_assert_str_eq(err, "oops\n");
}

Test(subprocess, capture_env_keeps_the_first_4_kib_of_stderr) {
        char *const argv[] = { "sh", "-c", "head -c 10000 /dev/zero | tr '\\000' e >&2", NULL };
        _cleanup_free_ char *out = NULL, *err = NULL;

        cr_assert_eq(run_capture_env(argv, NULL, &out, NULL, &err), 0);
        cr_assert_str_eq(out, "");
        cr_assert_eq(strlen(err), 4095);
        cr_assert_eq(strspn(err, "e"), 4095);
}

Test(subprocess, find_program_searches_path_in_order) {
        const char *const names[] = { "hwcaps-test-a", "hwcaps-test-b", NULL };
        const char *const none[] = { "hwcaps-test-none", NULL };
        char path[1024];
        char *p;

        fixture_write("/1/hwcaps-test-b", 0644, "not executable\n");
        fixture_write("/1/hwcaps-test-a/.keep", 0644, ""); /* a directory */
        fixture_write("/2/hwcaps-test-b", 0755, "#!/bin/sh\n");
        fixture_write("/3/hwcaps-test-a", 0755, "#!/bin/sh\n");
        snprintf(path, sizeof path, "%s/1:%s/2:%s/3", root, root, root);
        setenv("PATH", path, 1);
        /* The first of the names that is found wins, not the first found. */
        p = find_program(names);
        cr_assert_str_eq(p, fixture_path("/3/hwcaps-test-a"));
        free(p);
        cr_assert_null(find_program(none));
        /* A name with a slash is taken as is, or not at all. */
        const char *const slash[] = { fixture_path("/1/hwcaps-test-b"), fixture_path("/2/hwcaps-test-b"), NULL };
        p = find_program(slash);
        cr_assert_str_eq(p, fixture_path("/2/hwcaps-test-b"));
        free(p);
}

Test(subprocess, find_program_takes_an_empty_path_entry_as_the_working_directory) {
        const char *const names[] = { "hwcaps-test-here", NULL };
        char *p;

        fixture_write("/cwd/hwcaps-test-here", 0755, "#!/bin/sh\n");
        cr_assert_eq(chdir(fixture_path("/cwd")), 0);
        setenv("PATH", "/nonexistent::/usr/bin", 1);
        p = find_program(names);
        cr_assert_str_eq(p, "hwcaps-test-here");
        free(p);
}
