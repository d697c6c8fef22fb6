/* SPDX-License-Identifier: MIT */
/* What "hwcaps which" and "hwcaps exec" resolve (resolve.c), on a fixture
 * tree: the PATH searched as execvp() does, each file judged as execve()
 * would, and a dispatch stub followed level by level by the stub's rules.
 * Under /run, not /tmp: the trust rule refuses a sticky directory on the
 * way to a variant. Needs root (the fixture must be root's, one file
 * another user's). Variants are shell scripts; the stub is a copy of the
 * built one (STUB_BIN), which carries the stub's ELF note. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "resolve.h"

static char root[] = "/run/hwcaps-resolve.XXXXXX";
static struct resolve r;
static bool tree_mode; /* paths are inside root (resolve_in_tree) */

#include "cli-log.h"
#include "fixture.h"

/* A copy of the built stub at rel, mode 0755. */
static void fixture_stub(const char *rel) {
        char buf[256 * 1024];
        FILE *f = fopen(STUB_BIN, "rb");
        size_t n;

        cr_assert_not_null(f, "%s: %m", STUB_BIN);
        n = fread(buf, 1, sizeof buf, f);
        cr_assert(n > 0 && n < sizeof buf && feof(f));
        fclose(f);
        fixture_write_bytes(rel, 0755, buf, n);
}
#define VARIANT "#!/bin/sh\necho variant\n"
#define CAP_WHY "hwcaps.max=x86-64-v2 (kernel command line)"

static void setup(void) {
        if (geteuid() != 0)
                cr_skip_test("needs root: the fixture must be root's and another user's");
        cr_assert_not_null(mkdtemp(root));
        unsetenv("HWCAPS");
        unsetenv("HWCAPS_MAX_LEVEL");
        unsetenv("GLIBC_TUNABLES");
        fixture_write("/run/hwcaps/policy", 0644, "hwcaps-policy=1\ncap=x86-64-v2\nkeep-path=no\nwhy=" CAP_WHY "\n");
        fixture_stub("/libexec/hwcaps-dispatch");
        /* foo: v4 above the cap, v3 in a directory others may write, v2
         * runnable, v1 without exec permission */
        fixture_symlink("../libexec/hwcaps-dispatch", "/bin/foo");
        fixture_write("/bin/glibc-hwcaps/x86-64-v4/foo", 0755, VARIANT);
        fixture_write("/bin/glibc-hwcaps/x86-64-v3/foo", 0755, VARIANT);
        fixture_mkdir("/bin/glibc-hwcaps/x86-64-v3", 0775, 0);
        fixture_write("/bin/glibc-hwcaps/x86-64-v2/foo", 0755, VARIANT);
        fixture_write("/bin/glibc-hwcaps/x86-64-v1/foo", 0644, VARIANT);
}

static void teardown(void) {
        resolve_done(&r);
        fixture_remove();
}

TestSuite(resolve, .init = setup, .fini = teardown);

/* PATH from root-relative directories, ':'-separated; an empty entry stays
 * empty (the working directory). */
static void set_path(const char *dirs) {
        char path[2048];
        size_t n = 0;

        for (const char *s = dirs;; s++) {
                const char *e = strchrnul(s, ':');

                if (e > s)
                        n += (size_t) snprintf(path + n, sizeof path - n, "%s%.*s", root, (int) (e - s), s);
                if (!*e)
                        break;
                path[n++] = ':';
                s = e;
        }
        path[n] = '\0';
        cr_assert_eq(setenv("PATH", path, 1), 0);
}

static void resolve(const char *name) {
        resolve_done(&r);
        cr_assert_eq(resolve_name(name, root, "", &r), 0, "%s", name);
}

/* Candidate i is path (root-relative unless absolute is set), runnable or
 * not runnable for a reason starting with why. */
static void expect(size_t i, int level, const char *path, const char *why) {
        cr_assert_lt(i, r.n, "candidate %zu of %zu", i, r.n);
        cr_assert_eq(r.c[i].level, level, "candidate %zu: level %d", i, r.c[i].level);
        if (path)
                cr_assert_str_eq(r.c[i].path, path[0] == '/' && !tree_mode ? fixture_path(path) : path, "candidate %zu", i);
        if (!why) {
                cr_assert(r.c[i].runnable, "%s: %s", r.c[i].path, r.c[i].why);
                cr_assert_null(r.c[i].why);
                return;
        }
        cr_assert_not(r.c[i].runnable, "%s", r.c[i].path);
        cr_assert_not_null(r.c[i].why, "%s", r.c[i].path);
        cr_assert_eq(strncmp(r.c[i].why, why, strlen(why)), 0, "%s: \"%s\", expected \"%s...\"", r.c[i].path,
                     r.c[i].why, why);
}

/* What a level above v1 gets when the checks pass: runnable, or the
 * reason the stub skips it on this CPU under the cap x86-64-v2. */
static const char *above_cap(int level) {
        return level > (int) r.d.cpu ? "level not supported by this CPU" : level > 2 ? "capped at x86-64-v2 by " CAP_WHY : NULL;
}

Test(resolve, the_path_is_searched_in_order_until_a_program_runs) {
        fixture_mkdir("/empty", 0755, 0);
        fixture_write("/noexec/foo", 0644, VARIANT);
        fixture_write("/plain/foo", 0755, VARIANT);
        set_path("/empty:/noexec:/plain:/bin");
        resolve("foo");
        cr_assert_eq(r.n, 3);
        expect(0, 0, "/empty/foo", "missing");
        expect(1, 0, "/noexec/foo", "not executable");
        expect(2, 0, "/plain/foo", NULL);
        cr_assert_null(r.stub);
        cr_assert_null(r.program);
        cr_assert_not(r.stub_mode);
        cr_assert_not(r.not_stub);
}

Test(resolve, an_empty_path_entry_is_the_working_directory) {
        fixture_write("/cwd/foo", 0755, VARIANT);
        cr_assert_eq(chdir(fixture_path("/cwd")), 0);
        set_path(":/bin");
        resolve("foo");
        cr_assert_eq(r.n, 1);
        expect(0, 0, "foo", NULL);
}

/* Another process's environment (hwcaps which --pid, --unit): its PATH and
 * its HWCAPS_MAX_LEVEL decide, not ours; its relative PATH entries are
 * relative to its working directory. */
Test(resolve, another_environment_decides_and_ours_does_not) {
        char path[600];
        char *env[] = { path, "HWCAPS_MAX_LEVEL=x86-64-v1", NULL };
        const struct resolve_env e = { env, false, NULL, true };

        snprintf(path, sizeof path, "PATH=%s", fixture_path("/bin"));
        set_path("/nonexistent");
        cr_assert_eq(setenv("HWCAPS_MAX_LEVEL", "x86-64-v4", 1), 0);
        resolve_done(&r);
        cr_assert_eq(resolve_name_env("foo", root, "", &e, &r), 0);
        cr_assert_eq(r.d.cap, HWCAPS_LEVEL_V1);
        cr_assert_str_eq(r.d.why, "HWCAPS_MAX_LEVEL=x86-64-v1 (environment)");
        cr_assert_str_eq(r.stub, fixture_path("/bin/foo"));
        expect(3, 2, "/bin/glibc-hwcaps/x86-64-v2/foo", r.d.cpu < 2 ? "level not supported" : "capped at x86-64-v1 by ");
        cr_assert_str_eq(resolve_winner(&r) ? resolve_winner(&r) : "(none)", "(none)");
}

Test(resolve, another_processs_relative_path_entries_are_relative_to_its_cwd) {
        char *env[] = { "PATH=:plain", NULL };
        char cwd[600];
        const struct resolve_env e = { env, false, cwd, true };

        snprintf(cwd, sizeof cwd, "%s", fixture_path("/cwd"));
        fixture_write("/cwd/plain/foo", 0755, VARIANT);
        resolve_done(&r);
        cr_assert_eq(resolve_name_env("foo", root, "", &e, &r), 0);
        cr_assert_eq(r.n, 2);
        expect(0, 0, "/cwd/foo", "missing");
        expect(1, 0, "/cwd/plain/foo", NULL);
}

/* glibc's execvp() searches "/bin:/usr/bin" then (posix/execvpe.c). */
Test(resolve, without_path_bin_and_usr_bin_are_searched) {
        unsetenv("PATH");
        resolve("sh");
        cr_assert_eq(r.n, 1);
        cr_assert_str_eq(r.c[0].path, "/bin/sh");
        cr_assert(r.c[0].runnable, "%s", r.c[0].why);
}

Test(resolve, a_stub_found_in_path_is_followed_level_by_level) {
        set_path("/bin");
        resolve("foo");
        cr_assert_eq(r.boot_from, HWCAPS_BOOT_POLICY);
        cr_assert_eq(r.d.cap, HWCAPS_LEVEL_V2);
        cr_assert_str_eq(r.stub, fixture_path("/bin/foo"));
        cr_assert_str_eq(r.program, fixture_path("/bin/foo"));
        cr_assert_not(r.stub_mode);
        cr_assert_eq(r.n, 5);
        expect(0, 0, "/bin/foo", "the dispatch stub: it runs the first of the variants below");
        expect(1, 4, "/bin/glibc-hwcaps/x86-64-v4/foo", above_cap(4));
        expect(2, 3, "/bin/glibc-hwcaps/x86-64-v3/foo", "unsafe: ");
        cr_assert(strstr(r.c[2].why, fixture_path("/bin/glibc-hwcaps/x86-64-v3 is writable by group or others")),
                  "%s", r.c[2].why);
        expect(3, 2, "/bin/glibc-hwcaps/x86-64-v2/foo", above_cap(2));
        expect(4, 1, "/bin/glibc-hwcaps/x86-64-v1/foo", "not executable");
}

Test(resolve, a_stub_named_by_its_path_is_followed_without_a_search) {
        set_path("/nonexistent");
        resolve(fixture_path("/bin/foo"));
        cr_assert(r.stub_mode);
        cr_assert_not(r.not_stub);
        cr_assert_eq(r.n, 4);
        expect(0, 4, "/bin/glibc-hwcaps/x86-64-v4/foo", above_cap(4));
        expect(3, 1, "/bin/glibc-hwcaps/x86-64-v1/foo", "not executable");
}

Test(resolve, an_alias_resolves_to_the_variants_of_the_name_installed) {
        fixture_symlink("python3.11", "/bin/python3");
        fixture_symlink("../libexec/hwcaps-dispatch", "/bin/python3.11");
        fixture_write("/bin/glibc-hwcaps/x86-64-v1/python3.11", 0755, VARIANT);
        set_path("/bin");
        resolve("python3");
        cr_assert_str_eq(r.stub, fixture_path("/bin/python3"));
        cr_assert_str_eq(r.program, fixture_path("/bin/python3.11"));
        cr_assert_eq(r.n, 5);
        expect(1, 4, "/bin/glibc-hwcaps/x86-64-v4/python3.11", "missing");
        expect(2, 3, "/bin/glibc-hwcaps/x86-64-v3/python3.11", "unsafe: ");
        expect(3, 2, "/bin/glibc-hwcaps/x86-64-v2/python3.11", "missing");
        expect(4, 1, "/bin/glibc-hwcaps/x86-64-v1/python3.11", NULL);
}

Test(resolve, a_copy_of_the_stub_as_a_variant_stops_the_stub_there) {
        fixture_symlink("../libexec/hwcaps-dispatch", "/bin/bar");
        fixture_stub("/bin/glibc-hwcaps/x86-64-v2/bar");
        fixture_write("/bin/glibc-hwcaps/x86-64-v1/bar", 0755, VARIANT);
        resolve(fixture_path("/bin/bar"));
        if (r.d.cpu < HWCAPS_LEVEL_V2)
                cr_skip_test("the CPU is below x86-64-v2: the copy is not reached");
        expect(2, 2, "/bin/glibc-hwcaps/x86-64-v2/bar", "a copy of the dispatch stub: the stub runs it, and it stops");
        expect(3, 1, "/bin/glibc-hwcaps/x86-64-v1/bar", "not reached: the stub stops at the copy above");
}

/* The stub is known by its ELF note, not by bytes anywhere in a file: the
 * hwcaps command holds the note's name (this test program does too, with
 * resolve.c), and a script may quote anything; neither is a stub. */
Test(resolve, only_a_file_with_the_stub_note_is_a_stub) {
        cr_assert(resolve_is_stub(fixture_path("/libexec/hwcaps-dispatch")));
        cr_assert_not(resolve_is_stub("/proc/self/exe"));
        fixture_write("/bin/quoting", 0755, "#!/bin/sh\n# hwcaps HWCAPS-DISPATCH-STUB-1 .note.hwcaps\nexit 0\n");
        cr_assert_not(resolve_is_stub(fixture_path("/bin/quoting")));
        cr_assert_not(resolve_is_stub(fixture_path("/bin")));
        cr_assert_not(resolve_is_stub(fixture_path("/bin/missing")));
}

Test(resolve, a_variant_leading_back_to_the_stub_is_the_stub_itself) {
        fixture_symlink("../libexec/hwcaps-dispatch", "/bin/baz");
        fixture_mkdir("/bin/glibc-hwcaps/x86-64-v2", 0755, 0);
        fixture_symlink("../../../libexec/hwcaps-dispatch", "/bin/glibc-hwcaps/x86-64-v2/baz");
        resolve(fixture_path("/bin/baz"));
        expect(2, 2, "/bin/glibc-hwcaps/x86-64-v2/baz", "is the dispatch stub itself");
}

/* hwcaps which --root: the fixture is the whole system. PATH, the stub,
 * its links (absolute targets too) and candidates are inside it, paths
 * are given as inside it, the trust rule walks from it. */
static void resolve_in_tree(const char *name, const char *path) {
        resolve_done(&r);
        tree_mode = true;
        /* the interpreter of the fixture's scripts, inside the tree */
        fixture_write("/bin/sh", 0755, "");
        cr_assert_eq(setenv("PATH", path, 1), 0);
        cr_assert_eq(resolve_name(name, root, root, &r), 0, "%s", name);
}

Test(resolve, in_a_tree_everything_is_looked_up_inside_and_named_as_inside) {
        resolve_in_tree("foo", "/nonexistent:relative:/bin");
        cr_assert_eq(r.d.cap, HWCAPS_LEVEL_V2, "the tree's policy: %s", r.d.why);
        cr_assert_str_eq(r.stub, "/bin/foo");
        cr_assert_str_eq(r.program, "/bin/foo");
        cr_assert_eq(r.n, 7);
        expect(0, 0, "/nonexistent/foo", "missing");
        expect(1, 0, "relative/foo", "a relative PATH entry: not searched inside --root");
        expect(2, 0, "/bin/foo", "the dispatch stub: it runs the first of the variants below");
        expect(3, 4, "/bin/glibc-hwcaps/x86-64-v4/foo", above_cap(4));
        /* the directory others may write, named as inside the tree */
        expect(4, 3, "/bin/glibc-hwcaps/x86-64-v3/foo", "unsafe: /bin/glibc-hwcaps/x86-64-v3 is writable by group or others");
        expect(5, 2, "/bin/glibc-hwcaps/x86-64-v2/foo", above_cap(2));
        expect(6, 1, "/bin/glibc-hwcaps/x86-64-v1/foo", "not executable");
}

/* Outside the tree "/abs/bar" names nothing (or something else): the links
 * are read inside it, as the stub in a chroot would read them. */
Test(resolve, in_a_tree_absolute_links_stay_inside) {
        fixture_symlink("/bin/python3.11", "/bin/python3");
        fixture_symlink("/libexec/hwcaps-dispatch", "/bin/python3.11");
        fixture_write("/bin/glibc-hwcaps/x86-64-v1/python3.11", 0755, VARIANT);
        resolve_in_tree("/bin/python3", "/nonexistent");
        cr_assert(r.stub_mode);
        cr_assert_str_eq(r.program, "/bin/python3.11");
        cr_assert_eq(r.n, 4);
        expect(3, 1, "/bin/glibc-hwcaps/x86-64-v1/python3.11", NULL);
        /* an absolute link to a file outside: followed inside, where it is missing */
        fixture_symlink("/usr/bin/env", "/bin/outside");
        resolve_in_tree("outside", "/bin");
        expect(0, 0, "/bin/outside", "missing");
        /* ".." does not leave the tree either */
        resolve_in_tree("/../../../../bin/foo", "/nonexistent");
        cr_assert(r.stub_mode);
}

/* Started by another user, a setuid stub runs with AT_SECURE: its own
 * file names the program, and HWCAPS_MAX_LEVEL is not believed. */
Test(resolve, a_setuid_stub_is_its_own_file_and_ignores_the_environment) {
        fixture_stub("/bin/suid");
        cr_assert_eq(chown(fixture_path("/bin/suid"), 65534, 0), 0);
        cr_assert_eq(chmod(fixture_path("/bin/suid"), 04755), 0);
        fixture_symlink("suid", "/bin/qux");
        setenv("HWCAPS_MAX_LEVEL", "x86-64-v1", 1);
        resolve(fixture_path("/bin/qux"));
        cr_assert(r.secure);
        cr_assert_str_eq(r.program, fixture_path("/bin/suid"));
        cr_assert_neq(r.d.src, HWCAPS_SRC_ENV, "%s", r.d.why);
        expect(0, 4, "/bin/glibc-hwcaps/x86-64-v4/suid", "missing");
}

Test(resolve, a_file_the_kernel_would_not_run_is_named_with_the_reason) {
        /* An ELF header for AArch64 (e_machine 183) */
        unsigned char arm[64] = { 0x7f, 'E', 'L', 'F', 2, 1, 1, [16] = 2, [18] = 183 };
        static const struct {
                const char *name, *why;
        } t[] = {
                { "/bad/text", "not an executable format (neither an ELF header nor #!)" },
                { "/bad/noint", "its #! interpreter /nonexistent/sh is missing or not executable" },
                { "/bad/nointerp", "its #! interpreter (none) is missing or not executable" },
                { "/bad/arm", "an ELF file for another machine than x86-64" },
                { "/bad", "not a regular file" },
                { "/bad/missing", "missing" },
                { "/bad/loop", "symlink loop" },
                { "/bad/noexec", "not executable" },
                { "/bin/glibc-hwcaps/x86-64-v2/foo", NULL },
        };

        fixture_write("/bad/text", 0755, "echo hello\n");
        fixture_write("/bad/noint", 0755, "#!/nonexistent/sh\n");
        fixture_write("/bad/nointerp", 0755, "#! \n");
        fixture_write_bytes("/bad/arm", 0755, arm, sizeof arm);
        fixture_symlink("loop", "/bad/loop");
        fixture_write("/bad/noexec", 0644, VARIANT);
        for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
                resolve(fixture_path(t[i].name));
                cr_assert(r.not_stub);
                cr_assert_eq(r.n, 1);
                expect(0, 0, t[i].name, t[i].why);
        }
        resolve("/bin/true");
        cr_assert_str_eq(r.c[0].path, "/bin/true");
        cr_assert(r.c[0].runnable, "%s", r.c[0].why);
}

Test(resolve, a_bad_environment_value_caps_at_the_baseline_with_a_warning) {
        set_path("/bin");
        setenv("HWCAPS_MAX_LEVEL", "x86-64-v5", 1);
        setenv("HWCAPS", "maybe", 1);
        resolve("foo");
        cr_assert_eq(r.d.cap, HWCAPS_LEVEL_V1);
        cr_assert_eq(r.d.src, HWCAPS_SRC_ENV);
        cr_assert(strstr(fixture_log, "hwcaps: warning: HWCAPS_MAX_LEVEL=x86-64-v5: unknown level (expected "), "%s", fixture_log);
        cr_assert(strstr(fixture_log, "hwcaps: warning: HWCAPS=maybe: not a boolean (expected on or off), counts as off"),
                  "%s", fixture_log);
        expect(3, 2, "/bin/glibc-hwcaps/x86-64-v2/foo", r.d.cpu < HWCAPS_LEVEL_V2 ? "level not supported" : "capped at x86-64-v1 by ");
}

Test(resolve, without_policy_the_kernel_command_line_decides) {
        cr_assert_eq(unlink(fixture_path("/run/hwcaps/policy")), 0);
        fixture_write("/proc/cmdline", 0444, "quiet hwcaps.max=x86-64-v3\n");
        resolve(fixture_path("/bin/foo"));
        cr_assert_eq(r.boot_from, HWCAPS_BOOT_CMDLINE);
        cr_assert_eq(r.d.cap, HWCAPS_LEVEL_V3);
        cr_assert_str_eq(r.d.why, "hwcaps.max=x86-64-v3 (kernel command line)");
        cr_assert_str_eq(fixture_log, "");
}

Test(resolve, without_policy_or_command_line_the_stub_runs_the_baseline) {
        cr_assert_eq(unlink(fixture_path("/run/hwcaps/policy")), 0);
        resolve(fixture_path("/bin/foo"));
        cr_assert_eq(r.boot_from, HWCAPS_BOOT_UNKNOWN);
        cr_assert_eq(r.d.cap, HWCAPS_LEVEL_V1);
        cr_assert_str_eq(fixture_log, "hwcaps: warning: no /run/hwcaps/policy and no /proc/cmdline (boot options unknown): "
                                      "the stub runs the baseline\n");
}

/* GLIBC_TUNABLES=glibc.cpu.hwcaps=-AVX2 takes v3 and up from ld.so: from
 * the stub too. */
Test(resolve, glibc_tunables_lower_the_cpu_level_as_for_ld_so) {
        setenv("GLIBC_TUNABLES", "glibc.cpu.hwcaps=-AVX2", 1);
        resolve(fixture_path("/bin/foo"));
        cr_assert_leq(r.d.cpu, HWCAPS_LEVEL_V2);
        expect(0, 4, "/bin/glibc-hwcaps/x86-64-v4/foo", "level not supported by this CPU");
}

Test(resolve, the_plan_names_the_cpu_level_and_the_cap) {
        char *text = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&text, &len);
        char expected[300];

        resolve(fixture_path("/bin/foo"));
        resolve_print_plan(&r, f);
        fclose(f);
        snprintf(expected, sizeof expected, "CPU level %s (CPUID, GLIBC_TUNABLES applied), capped at x86-64-v2 by " CAP_WHY "\n",
                 hwcaps_level_name(r.d.cpu));
        cr_assert_str_eq(text, expected);
        free(text);
}

Test(resolve, the_stub_is_known_by_its_marker) {
        fixture_write("/big", 0755, "");
        cr_assert_eq(truncate(fixture_path("/big"), 2 * 1024 * 1024), 0);
        cr_assert(resolve_is_stub(fixture_path("/libexec/hwcaps-dispatch")));
        cr_assert(resolve_is_stub(fixture_path("/bin/foo")));
        cr_assert_not(resolve_is_stub(fixture_path("/bin/glibc-hwcaps/x86-64-v2/foo")));
        cr_assert_not(resolve_is_stub(fixture_path("/bin")));
        cr_assert_not(resolve_is_stub(fixture_path("/missing")));
        cr_assert_not(resolve_is_stub(fixture_path("/big")));
}

static void resolve_prog(const char *rel, int max_level) {
        resolve_done(&r);
        cr_assert_eq(resolve_program(fixture_path(rel), root, "", max_level, true, &r), 0, "%s", rel);
}

/* hwcaps list: a dispatched program is what the stub makes of it. */
Test(resolve, a_dispatched_program_is_followed_as_the_stub_follows_it) {
        resolve_prog("/bin/foo", 0);
        cr_assert(r.stub_mode);
        cr_assert_str_eq(r.program, fixture_path("/bin/foo"));
        cr_assert_eq(r.n, 4);
        expect(0, 4, "/bin/glibc-hwcaps/x86-64-v4/foo", above_cap(4));
        expect(1, 3, "/bin/glibc-hwcaps/x86-64-v3/foo", "unsafe: ");
        expect(2, 2, "/bin/glibc-hwcaps/x86-64-v2/foo", above_cap(2));
        expect(3, 1, "/bin/glibc-hwcaps/x86-64-v1/foo", "not executable");
}

/* A program that is no stub: the stub's candidates all the same, then
 * the program itself, which PATH finds after its level directories. */
Test(resolve, a_program_not_dispatched_gets_the_stubs_candidates_then_itself) {
        fixture_write("/sbin/bar", 0755, VARIANT);
        fixture_write("/sbin/glibc-hwcaps/x86-64-v2/bar", 0775, VARIANT);
        resolve_prog("/sbin/bar", 0);
        cr_assert_not(r.stub_mode);
        cr_assert_str_eq(r.program, fixture_path("/sbin/bar"));
        cr_assert_eq(r.n, 5);
        expect(0, 4, "/sbin/glibc-hwcaps/x86-64-v4/bar", "missing");
        expect(2, 2, "/sbin/glibc-hwcaps/x86-64-v2/bar", "unsafe: ");
        cr_assert(strstr(r.c[2].why, "x86-64-v2/bar is writable by group or others"), "%s", r.c[2].why);
        expect(3, 1, "/sbin/glibc-hwcaps/x86-64-v1/bar", "missing");
        expect(4, 0, "/sbin/bar", NULL);
}

/* --max-level: lower than the policy's cap it caps, higher it does not. */
Test(resolve, a_further_cap_lowers_the_decision_and_never_raises_it) {
        resolve_prog("/bin/foo", 1);
        cr_assert_eq(r.d.cap, HWCAPS_LEVEL_V1);
        cr_assert_str_eq(r.d.why, "--max-level=x86-64-v1");
        cr_assert_eq(r.d.top, HWCAPS_LEVEL_V1);
        expect(2, 2, "/bin/glibc-hwcaps/x86-64-v2/foo", r.d.cpu >= 2 ? "capped at x86-64-v1 by --max-level=x86-64-v1" :
                                                        "level not supported");
        resolve_prog("/bin/foo", 4);
        cr_assert_eq(r.d.cap, HWCAPS_LEVEL_V2);
        cr_assert_str_eq(r.d.why, CAP_WHY);
}
