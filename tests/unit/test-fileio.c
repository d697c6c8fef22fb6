/* SPDX-License-Identifier: MIT */
/* Reading small files under the sysroot prefix (fileio.c): the size bound,
 * what is refused, what never blocks, and the printable copy for messages. */
#include <criterion/criterion.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"

static char root[] = "/tmp/hwcaps-fileio.XXXXXX";

#include "fixture.h"

static char *buf;
static size_t n;

static void setup(void) {
        cr_assert_not_null(mkdtemp(root));
        fixture_write("/etc/hwcaps.conf", 0644, "[hwcaps]\nmax-level=x86-64-v3\n");
}

static void teardown(void) {
        free(buf);
        fixture_remove();
}

TestSuite(fileio, .init = setup, .fini = teardown);

static int rd(const char *path, size_t max) {
        free(buf);
        buf = NULL;
        n = (size_t) -1;
        return hwcaps_read_file(root, path, max, &buf, &n);
}

Test(fileio, a_file_below_the_root_is_read_whole_and_nul_terminated) {
        cr_assert_eq(rd("/etc/hwcaps.conf", 4096), 0);
        cr_assert_eq(n, 29);
        cr_assert_str_eq(buf, "[hwcaps]\nmax-level=x86-64-v3\n");
}

Test(fileio, no_root_or_an_empty_one_reads_the_path_as_given) {
        const char *full = fixture_path("/etc/hwcaps.conf");

        for (int i = 0; i < 2; i++) {
                cr_assert_eq(hwcaps_read_file(i ? "" : NULL, full, 4096, &buf, &n), 0);
                cr_assert_str_eq(buf, "[hwcaps]\nmax-level=x86-64-v3\n");
                free(buf);
                buf = NULL;
        }
}

Test(fileio, exactly_max_bytes_is_read_one_more_is_too_big) {
        fixture_write("/ten", 0644, "0123456789");
        cr_assert_eq(rd("/ten", 10), 0);
        cr_assert_eq(n, 10);
        cr_assert_str_eq(buf, "0123456789");
        cr_assert_eq(rd("/ten", 9), -EFBIG);
        cr_assert_null(buf);
        cr_assert_eq(rd("/ten", 0), -EFBIG);
}

Test(fileio, a_file_larger_than_the_first_buffer_is_read_whole) {
        char *big = malloc(10001);

        memset(big, 'x', 10000);
        big[10000] = '\0';
        fixture_write("/big", 0644, big);
        cr_assert_eq(rd("/big", 10000), 0);
        cr_assert_eq(n, 10000);
        cr_assert_eq(memcmp(buf, big, 10000), 0);
        cr_assert_eq(buf[10000], '\0');
        cr_assert_eq(rd("/big", 9999), -EFBIG);
        free(big);
}

Test(fileio, an_empty_file_is_an_empty_string) {
        fixture_file("/empty", 0644);
        cr_assert_eq(rd("/empty", 0), 0);
        cr_assert_eq(n, 0);
        cr_assert_str_eq(buf, "");
}

Test(fileio, a_proc_file_reporting_size_zero_is_read_to_the_end) {
        struct stat st;

        cr_assert_eq(stat("/proc/self/status", &st), 0);
        cr_assert_eq(st.st_size, 0);
        cr_assert_eq(hwcaps_read_file(NULL, "/proc/self/status", 65536, &buf, &n), 0);
        cr_assert_eq(strncmp(buf, "Name:", 5), 0);
        cr_assert(strstr(buf, "\nPid:"), "%s", buf);
        cr_assert_eq(strlen(buf), n);
}

Test(fileio, missing_files_and_paths_through_a_file_are_errors) {
        cr_assert_eq(rd("/etc/missing.conf", 4096), -ENOENT);
        cr_assert_eq(rd("/nodir/hwcaps.conf", 4096), -ENOENT);
        cr_assert_eq(rd("/etc/hwcaps.conf/x", 4096), -ENOTDIR);
        cr_assert_null(buf);
}

Test(fileio, a_directory_is_refused) {
        cr_assert_eq(rd("/etc", 4096), -EISDIR);
        cr_assert_null(buf);
}

/* Opened without O_NONBLOCK, a FIFO with no writer would block in open()
 * until the timeout fails the test. */
Test(fileio, a_fifo_is_refused_without_blocking, .timeout = 20) {
        cr_assert_eq(mkfifo(fixture_path("/etc/fifo.conf"), 0644), 0);
        cr_assert_eq(rd("/etc/fifo.conf", 4096), -EBADFD);
        cr_assert_null(buf);
}

Test(fileio, a_link_to_dev_null_masks_the_file_and_reads_as_empty) {
        fixture_symlink("/dev/null", "/etc/masked.conf");
        cr_assert_eq(rd("/etc/masked.conf", 4096), 0);
        cr_assert_eq(n, 0);
        cr_assert_str_eq(buf, "");
}

Test(fileio, a_path_longer_than_path_max_is_an_error) {
        char *path = malloc(PATH_MAX + 1);

        memset(path, 'a', PATH_MAX);
        path[0] = '/';
        path[PATH_MAX] = '\0';
        cr_assert_eq(rd(path, 4096), -ENAMETOOLONG);
        free(path);
}

Test(fileio, nul_bytes_are_content) {
        fixture_write_bytes("/nul", 0644, "a\0b", 3);
        cr_assert_eq(rd("/nul", 3), 0);
        cr_assert_eq(n, 3);
        cr_assert_eq(memcmp(buf, "a\0b", 4), 0);
}

Test(fileio_printable, control_bytes_del_and_backslash_are_escaped) {
        static const char s[] = "a\tb\nc\\d\x7f" "e\x1b[0m";

        cr_assert_str_eq(hwcaps_printable(s, sizeof s - 1, 80), "a\\x09b\\x0ac\\x5cd\\x7fe\\x1b[0m");
        cr_assert_str_eq(hwcaps_printable("x86-64-v3", 9, 80), "x86-64-v3");
        cr_assert_str_eq(hwcaps_printable("a\0b", 3, 80), "a\\x00b");
}

/* The rule of escape.h, as the CLI shows names: printable UTF-8 as is,
 * each byte of invalid UTF-8 or a C1 control as \xHH; a character is not
 * read past n. */
Test(fileio_printable, utf8_as_is_invalid_and_c1_escaped) {
        cr_assert_str_eq(hwcaps_printable("caf\xc3\xa9", 5, 80), "caf\xc3\xa9");
        cr_assert_str_eq(hwcaps_printable("a\xff" "b", 3, 80), "a\\xffb");
        cr_assert_str_eq(hwcaps_printable("\xc0\xaf", 2, 80), "\\xc0\\xaf");
        cr_assert_str_eq(hwcaps_printable("\xc2\x9b" "2J", 4, 80), "\\xc2\\x9b2J");
        cr_assert_str_eq(hwcaps_printable("caf\xc3\xa9", 4, 80), "caf\\xc3");
}

Test(fileio_printable, longer_than_max_is_cut_with_dots) {
        char s[200];

        cr_assert_str_eq(hwcaps_printable("abcdef", 6, 3), "abc...");
        cr_assert_str_eq(hwcaps_printable("abc", 3, 3), "abc");
        /* max is at most 80, whatever the caller asks. */
        memset(s, 'y', sizeof s);
        const char *p = hwcaps_printable(s, sizeof s, 1000);
        cr_assert_eq(strlen(p), 83);
        cr_assert_str_eq(p + 80, "...");
        /* 80 bytes each escaped to four still fit. */
        memset(s, '\n', sizeof s);
        cr_assert_eq(strlen(hwcaps_printable(s, sizeof s, 80)), 4 * 80 + 3);
}

Test(fileio_printable, four_results_can_appear_in_one_message) {
        const char *a = hwcaps_printable("one", 3, 80), *b = hwcaps_printable("two", 3, 80);
        const char *c = hwcaps_printable("three", 5, 80), *d = hwcaps_printable("four", 4, 80);

        cr_assert_str_eq(a, "one");
        cr_assert_str_eq(b, "two");
        cr_assert_str_eq(c, "three");
        cr_assert_str_eq(d, "four");
        cr_assert_str_eq(hwcaps_printable("five", 4, 80), "five");
        cr_assert_str_eq(a, "five", "the fifth reuses the first buffer");
}
