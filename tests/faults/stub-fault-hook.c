/* SPDX-License-Identifier: MIT */
/* Build-time fault hook for the static stub, which has no libc for an
 * LD_PRELOAD shim to interpose. The stub makes every system call through
 * one wrapper, sys4() in dispatch/stub/stub.c; built with -DHWCAPS_STUB_FAULTS
 * (as hwcaps-dispatch-faults, never installed) that wrapper first asks
 *
 *     long hwcaps_stub_fault(long nr);   0: go on; < 0: return this instead
 *
 * Same environment interface as fault-shim.c: HWCAPS_FAULT_NTH,
 * HWCAPS_FAULT_CALLS (open, read, stat, exec), HWCAPS_FAULT_REPORT, read from
 * /proc/self/environ with raw system calls that are not counted. The report
 * is written before every execve and exit_group, since either may end the
 * process image. Freestanding, like the stub. */
#include <asm/unistd.h>
#include <errno.h>
#include <linux/fcntl.h>
#include <stdbool.h>

long hwcaps_stub_fault(long nr);

enum { C_OPEN = 1, C_READ = 2, C_STAT = 4, C_EXEC = 8 };

static long raw3(long n, long a, long b, long c) {
        long r;
        __asm__ volatile("syscall" : "=a"(r) : "0"(n), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
        return r;
}

static bool ready;
static unsigned classes = C_OPEN | C_READ | C_STAT | C_EXEC;
static unsigned long nth, calls;
static const char *failed_name = "-";
static char report[512];

static bool prefix(const char *s, const char *p, const char **rest) {
        while (*p && *s == *p)
                s++, p++;
        *rest = s;
        return *p == '\0';
}

static bool has(const char *list, const char *word) {
        for (const char *s = list; *s; s++) {
                const char *r;
                if ((s == list || s[-1] == ',') && prefix(s, word, &r) && (*r == ',' || *r == '\0'))
                        return true;
        }
        return false;
}

static void init(void) {
        static char env[65536];
        long fd = raw3(__NR_open, (long) "/proc/self/environ", O_RDONLY | O_CLOEXEC, 0), n = 0, k;

        ready = true;
        if (fd < 0)
                return;
        while (n < (long) sizeof env - 1 && (k = raw3(__NR_read, fd, (long) (env + n), (long) sizeof env - 1 - n)) > 0)
                n += k;
        raw3(__NR_close, fd, 0, 0);
        env[n] = '\0';
        for (long i = 0; i < n; i++) {
                const char *e = env + i, *v;

                if (prefix(e, "HWCAPS_FAULT_NTH=", &v))
                        for (nth = 0; *v >= '0' && *v <= '9'; v++)
                                nth = nth * 10 + (unsigned long) (*v - '0');
                else if (prefix(e, "HWCAPS_FAULT_CALLS=", &v))
                        classes = (has(v, "open") ? C_OPEN : 0) | (has(v, "read") ? C_READ : 0) |
                                  (has(v, "stat") ? C_STAT : 0) | (has(v, "exec") ? C_EXEC : 0);
                else if (prefix(e, "HWCAPS_FAULT_REPORT=", &v)) {
                        unsigned long j = 0;
                        for (; v[j] && j < sizeof report - 1; j++)
                                report[j] = v[j];
                        report[j] = '\0';
                }
                while (i < n && env[i])
                        i++;
        }
}

static void write_report(void) {
        char line[64];
        unsigned long len = 0, d = 1;
        long fd;

        if (!report[0])
                return;
        while (d * 10 <= calls)
                d *= 10;
        for (; d; d /= 10)
                line[len++] = (char) ('0' + calls / d % 10);
        line[len++] = ' ';
        for (const char *s = failed_name; *s && len < sizeof line - 1; s++)
                line[len++] = *s;
        line[len++] = '\n';
        fd = raw3(__NR_open, (long) report, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd >= 0) {
                raw3(__NR_write, fd, (long) line, (long) len);
                raw3(__NR_close, fd, 0, 0);
        }
}

long hwcaps_stub_fault(long nr) {
        unsigned cls = 0;
        const char *name = "";
        long err = 0;

        if (!ready)
                init();
        switch (nr) {
        case __NR_open:
        case __NR_openat:
                cls = C_OPEN, name = "open", err = -EACCES;
                break;
        case __NR_read:
                cls = C_READ, name = "read", err = -EIO;
                break;
        case __NR_stat:
        case __NR_lstat:
        case __NR_fstat:
        case __NR_newfstatat:
                cls = C_STAT, name = "stat", err = -EACCES;
                break;
        case __NR_execve:
                cls = C_EXEC, name = "execve", err = -EACCES;
                break;
        }
        if (cls & classes) {
                if (++calls == nth)
                        failed_name = name;
                else
                        err = 0;
        } else
                err = 0;
        if (nr == __NR_execve || nr == __NR_exit_group)
                write_report();
        return err;
}
