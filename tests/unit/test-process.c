/* SPDX-License-Identifier: MIT */
/* A running process as /proc shows it (process.c), and what runs in it
 * against what would run: this process, children started with a crafted
 * environment, a kernel thread, processes that are not there. Under /run,
 * not /tmp, for the trust rule. Needs root for the fixture. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fileio.h"
#include "process.h"

static char root[] = "/run/hwcaps-process.XXXXXX";

#include "cli-log.h"
#include "fixture.h"

extern char **environ;

static pid_t child;

static void setup(void) {
        if (geteuid() != 0)
                cr_skip_test("needs root: the fixture must be root's");
        cr_assert_not_null(mkdtemp(root));
}

static void teardown(void) {
        if (child > 0) {
                kill(child, SIGKILL);
                waitpid(child, NULL, 0);
        }
        fixture_remove();
}

TestSuite(process, .init = setup, .fini = teardown);

/* Starts path with argv0 and env, and waits until it runs path. */
static pid_t start(const char *path, const char *argv0, char *const *env) {
        char exe[PATH_MAX];
        pid_t p = fork();

        cr_assert_geq(p, 0);
        if (p == 0) {
                int fds[2];

                /* stdin a pipe whose writer it holds itself: cat (without
                 * arguments) waits on it forever */
                if (pipe(fds) < 0 || dup2(fds[0], 0) < 0)
                        _exit(127);
                execve(path, argv0 ? (char *const[]) { (char *) argv0, "600", NULL } : (char *const[]) { NULL }, env);
                _exit(127);
        }
        child = p;
        for (int i = 0; i < 500; i++) {
                char link[64];
                ssize_t n;

                char *cmd = NULL;
                size_t nc = 0;

                /* execve() switches the file before it sets up the new
                 * arguments and environment: wait for both. */
                snprintf(link, sizeof link, "/proc/%d/exe", p);
                n = readlink(link, exe, sizeof exe - 1);
                snprintf(link, sizeof link, "/proc/%d/cmdline", p);
                if (n > 0 && (exe[n] = '\0', strncmp(exe, path, strlen(path)) == 0) &&
                    hwcaps_read_file(NULL, link, 1 << 20, &cmd, &nc) == 0 && nc > 0) {
                        free(cmd);
                        return p;
                }
                free(cmd);
                usleep(10000);
        }
        cr_assert_fail("%s did not start", path);
        return -1;
}

/* /bin/sleep (or another program) copied to root+rel. */
static void copy_program(const char *from, const char *rel) {
        static char text[1 << 20];
        FILE *f = fopen(from, "re");
        size_t n;

        cr_assert_not_null(f);
        n = fread(text, 1, sizeof text, f);
        fclose(f);
        fixture_write_bytes(rel, 0755, text, n);
}

static void copy_sleep(const char *rel) {
        copy_program("/bin/sleep", rel);
}

Test(process, this_process_reads_as_itself) {
        struct process p;
        char cwd[PATH_MAX], exe[PATH_MAX];
        size_t n = 0;

        cr_assert_eq(process_read(getpid(), &p), 0);
        for (char **e = environ; *e; e++)
                n++;
        for (size_t i = 0; i < n; i++)
                cr_assert_str_eq(p.env[i], environ[i]);
        cr_assert_null(p.env[n]);
        cr_assert_not_null(p.argv0);
        cr_assert_str_eq(p.cwd, getcwd(cwd, sizeof cwd));
        cr_assert_not_null(realpath("/proc/self/exe", exe));
        cr_assert_str_eq(p.exe, exe);
        cr_assert_not(p.exe_deleted);
        cr_assert_not(p.kernel_thread);
        cr_assert_not(p.other_root);
        cr_assert_gt(p.started, 0);
        process_done(&p);
}

Test(process, processes_that_are_not_there_are_esrch) {
        struct process p;
        int pid;

        cr_assert_eq(process_read(0, &p), -ESRCH);
        cr_assert_eq(process_read(-1, &p), -ESRCH);
        pid = fork();
        if (pid == 0)
                _exit(0);
        waitpid(pid, NULL, 0);
        cr_assert_eq(process_read(pid, &p), -ESRCH);
}

Test(process, a_kernel_thread_runs_no_program) {
        struct process p;
        struct process_check c;
        char *stat = NULL;
        size_t n;

        /* kthreadd, pid 2, where the kernel shows it */
        if (hwcaps_read_file(NULL, "/proc/2/stat", 4096, &stat, &n) < 0 || !strstr(stat, "(kthreadd)"))
                cr_skip_test("no kthreadd at pid 2 (a container's pid namespace)");
        free(stat);
        cr_assert_eq(process_read(2, &p), 0);
        cr_assert(p.kernel_thread);
        cr_assert_null(p.argv0);
        cr_assert_null(p.exe);
        cr_assert_null(p.env[0]);
        cr_assert_eq(process_check(&p, NULL, "", true, &c), -ENOEXEC);
        process_done(&p);
}

Test(process, a_childs_environment_is_its_own_and_decides) {
        char *env[] = { "PATH=/nonexistent", "HWCAPS_MAX_LEVEL=x86-64-v2", NULL };
        struct process p;
        struct process_check c;

        copy_sleep("/bin/nap");
        start(fixture_path("/bin/nap"), "nap", env);
        cr_assert_eq(process_read(child, &p), 0);
        cr_assert_str_eq(p.env[0], env[0]);
        cr_assert_str_eq(p.env[1], env[1]);
        cr_assert_null(p.env[2]);
        cr_assert_str_eq(p.argv0, "nap");
        cr_assert_str_eq(p.exe, fixture_path("/bin/nap"));
        /* argv[0] "nap" in its PATH names nothing (as a rewritten one):
         * the file it runs stands for it */
        cr_assert_eq(process_check(&p, NULL, "", true, &c), 0);
        cr_assert(c.argv0_unknown);
        cr_assert_str_eq(c.name, fixture_path("/bin/nap"));
        cr_assert(c.same);
        cr_assert_str_eq(c.reason, "");
        cr_assert_eq(c.r.d.cap, HWCAPS_LEVEL_V2);
        cr_assert_eq(c.r.d.src, HWCAPS_SRC_ENV);
        process_check_done(&c);
        process_done(&p);
}

Test(process, a_replaced_file_is_deleted_and_a_name_ending_so_is_not) {
        char *env[] = { NULL };
        struct process p;

        copy_sleep("/bin/nap");
        start(fixture_path("/bin/nap"), fixture_path("/bin/nap"), env);
        cr_assert_eq(unlink(fixture_path("/bin/nap")), 0);
        copy_sleep("/bin/nap");
        cr_assert_eq(process_read(child, &p), 0);
        cr_assert(p.exe_deleted);
        cr_assert_str_eq(p.exe, fixture_path("/bin/nap"));
        process_done(&p);
        kill(child, SIGKILL);
        waitpid(child, NULL, 0);

        copy_sleep("/bin/nap (deleted)");
        start(fixture_path("/bin/nap (deleted)"), "nap", env);
        cr_assert_eq(process_read(child, &p), 0);
        cr_assert_not(p.exe_deleted);
        cr_assert_str_eq(p.exe, fixture_path("/bin/nap (deleted)"));
        process_done(&p);
}

Test(process, a_program_with_a_variant_it_does_not_reach_says_why) {
        char path[PATH_MAX + 8];
        char *env[] = { path, NULL };
        struct process p;
        struct process_check c;

        copy_sleep("/bin/nap");
        copy_sleep("/bin/glibc-hwcaps/x86-64-v2/nap");
        snprintf(path, sizeof path, "PATH=%s", fixture_path("/bin"));
        start(fixture_path("/bin/nap"), "nap", env);
        cr_assert_eq(process_read(child, &p), 0);
        cr_assert_eq(process_check(&p, NULL, "", true, &c), 0);
        if (c.r.d.cpu < HWCAPS_LEVEL_V2)
                cr_skip_test("CPU below x86-64-v2");
        cr_assert(c.same);
        cr_assert_eq(c.runs_level, 0);
        cr_assert_str_eq(c.better, fixture_path("/bin/glibc-hwcaps/x86-64-v2/nap"));
        cr_assert_eq(c.better_level, HWCAPS_LEVEL_V2);
        cr_assert(strstr(c.reason, "its PATH lacks "), "%s", c.reason);
        process_check_done(&c);
        process_done(&p);
}

/* execve() with no arguments at all (Linux then passes one empty argv[0]):
 * the file it runs stands for it. cat, as it needs no argument to wait. */
Test(process, an_empty_command_line_names_no_program) {
        char *env[] = { NULL };
        struct process p;
        struct process_check c;

        copy_program("/bin/cat", "/bin/nap");
        start(fixture_path("/bin/nap"), NULL, env);
        cr_assert_eq(process_read(child, &p), 0);
        cr_assert(!p.argv0 || !p.argv0[0], "argv0 \"%s\"", p.argv0);
        cr_assert_eq(process_check(&p, NULL, "", true, &c), 0);
        cr_assert(c.argv0_unknown);
        cr_assert_str_eq(c.name, fixture_path("/bin/nap"));
        cr_assert(c.same);
        process_check_done(&c);
        process_done(&p);
}
