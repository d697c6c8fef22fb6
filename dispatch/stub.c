/* SPDX-License-Identifier: MIT */
/* hwcaps-dispatch: installed as (a link to) /usr/bin/foo, it execs the best
 * /usr/bin/glibc-hwcaps/x86-64-vN/foo this CPU can run, by the dynamic
 * linker's criteria. See hwcaps-dispatch(8).
 *
 * It runs on every exec of a dispatched program, so it is a static binary
 * without libc: its own _start, raw system calls, nothing allocated, no
 * stdio. The decisions (level, opt-outs, candidates) are the freestanding
 * code shared with the CLI: level.c, cmdline.c, tunables.c, stub-plan.c. */
#include <asm/stat.h>
#include <asm/unistd.h>
#include <errno.h>
#include <linux/fcntl.h>
#include <stdnoreturn.h>

#include "cmdline.h"
#include "cpu-raw.h"
#include "level.h"
#include "stub-plan.h"
#include "tunables.h"

#define PATH_BYTES 4096    /* PATH_MAX */
#define CMDLINE_BYTES 4096 /* COMMAND_LINE_SIZE is 2048 on x86; bootconfig may add more */
#define MSG_BYTES 8192

/* Reasons to skip a candidate, beside the errno values of execve(). */
#define ENOTSUP_CPU 10001 /* level above this CPU's */
#define ENOTSUP_CAP 10002 /* level above an opt-out cap */
#define ESELF       10003 /* the stub's own file */

#define AT_SECURE_ 23      /* <elf.h> AT_SECURE, without pulling in libc headers */
#define AT_EXECFN_ 31

/* Marks the binary as the stub, so "hwcaps which" recognises a copy of it. */
__attribute__((used)) static const char stub_marker[] = "HWCAPS-DISPATCH-STUB-1";

/* The kernel enters here with argc, argv[], NULL, envp[], NULL, auxv[] on
 * the stack (System V x86-64 psABI, 3.4.1). Align the stack for the call. */
__asm__(".text\n"
        ".global _start\n"
        "_start:\n"
        "        xor %ebp, %ebp\n"
        "        mov %rsp, %rdi\n"
        "        and $-16, %rsp\n"
        "        call stub_main\n"
        "        hlt\n");

#ifdef HWCAPS_STUB_FAULTS
/* Fault injection, test builds only (tests/faults/stub-fault-hook.c): 0 to
 * go on, or the -errno this call is to fail with. Every system call of the
 * stub goes through sys4(), so this is the one place to hook. */
long hwcaps_stub_fault(long nr);
#endif

static long sys4(long n, long a, long b, long c, long d) {
        long r;
#ifdef HWCAPS_STUB_FAULTS
        if ((r = hwcaps_stub_fault(n)) < 0)
                return r;
#endif
        register long r10 __asm__("r10") = d;
        __asm__ volatile("syscall" : "=a"(r) : "0"(n), "D"(a), "S"(b), "d"(c), "r"(r10) : "rcx", "r11", "memory");
        return r;
}
#define sys3(n, a, b, c) sys4(n, a, b, c, 0)

/* The compiler may emit calls to these for struct copies and zeroing. */
void *memcpy(void *d, const void *s, unsigned long n) {
        char *dp = d;
        const char *sp = s;
        while (n--)
                *dp++ = *sp++;
        return d;
}

void *memset(void *d, int c, unsigned long n) {
        char *dp = d;
        while (n--)
                *dp++ = (char) c;
        return d;
}

struct id {
        unsigned long dev, ino;
        bool ok;
};

/* 0 or -errno. */
static long path_id(const char *path, struct id *ret) {
        struct stat st = { 0 };
        long r = sys4(__NR_newfstatat, AT_FDCWD, (long) path, (long) &st, 0);

        *ret = (struct id) { st.st_dev, st.st_ino, r == 0 };
        return r;
}

static bool same_file(const struct id *a, const struct id *b) {
        return a->ok && b->ok && a->dev == b->dev && a->ino == b->ino;
}

static bool str_eq(const char *a, const char *b) {
        while (*a && *a == *b)
                a++, b++;
        return *a == *b;
}

/* A one-line message assembled in a buffer and written with one write(2),
 * so lines of concurrent processes do not interleave. */
struct msg {
        char buf[MSG_BYTES];
        unsigned long len;
};

static void msg_add(struct msg *m, const char *s) {
        while (*s && m->len < sizeof m->buf - 1)
                m->buf[m->len++] = *s++;
}

static noreturn void msg_exit(struct msg *m, int status) {
        m->buf[m->len++] = '\n';
        (void) sys3(__NR_write, 2, (long) m->buf, (long) m->len);
        (void) sys3(__NR_exit_group, status, 0, 0);
        __builtin_unreachable();
}

/* "hwcaps-dispatch: A B C\n" to stderr, then exit. */
static noreturn void die(const char *a, const char *b, const char *c, int status) {
        struct msg m = { .len = 0 };

        msg_add(&m, "hwcaps-dispatch: ");
        msg_add(&m, a);
        msg_add(&m, b);
        msg_add(&m, c);
        msg_exit(&m, status);
}

static const char *errno_text(long e) {
        switch (e) {
        case ENOENT:       return "not found";
        case EACCES:       return "permission denied";
        case ENOEXEC:      return "not an executable format";
        case ENOTDIR:      return "a path component is not a directory";
        case ELOOP:        return "too many symbolic links";
        case ENAMETOOLONG: return "name too long";
        case E2BIG:        return "argument list too long";
        case ENOMEM:       return "out of memory";
        case ETXTBSY:      return "text file busy";
        case EPERM:        return "operation not permitted";
        case EAGAIN:       return "resource temporarily unavailable";
        case EINVAL:       return "invalid argument";
        case EISDIR:       return "is a directory";
        case ELIBBAD:      return "bad ELF interpreter";
        default:           return "error";
        }
}

/* Errors that say "this candidate cannot be run" (so a lower level may be):
 * missing (ENOENT), a component not a directory or a symlink loop (ENOTDIR,
 * ELOOP: the same "not there" in another form), a path too long for this
 * candidate (ENAMETOOLONG), no permission or no exec bit or a noexec mount
 * (EACCES), not an executable format (ENOEXEC), being written (ETXTBSY).
 * Anything else (E2BIG, ENOMEM, EAGAIN, ...) would fail for every candidate
 * alike and is reported at once. */
static bool try_next(long e) {
        return e == ENOENT || e == ENOTDIR || e == ELOOP || e == ENAMETOOLONG ||
               e == EACCES || e == ENOEXEC || e == ETXTBSY ||
               e == ENOTSUP_CPU || e == ENOTSUP_CAP || e == ESELF;
}

/* The registers that decide levels, and nothing else: in a virtual machine
 * every CPUID instruction traps to the hypervisor (measured 4 to 11 us each
 * on the development VM, bench/exec-overhead.c), so this executes three
 * where hwcaps_cpuid_read_raw() executes six.
 * - Leaf 0 (the highest basic leaf) is not asked: leaf 7 is read only when
 *   leaf 1 reports XSAVE and OSXSAVE, and a CPU with XSAVE enumerates its
 *   state components in leaf 0xD (Intel SDM vol. 1, 13.2), so it has leaf 7.
 *   Without OSXSAVE no AVX state is usable, so nothing in leaf 7 could lift
 *   the level above v2 (AVX2 and AVX-512 need that state, and v3 needs AVX).
 * - Leaf 0x80000001 exists on every x86-64 CPU (its EDX holds the long-mode
 *   bit), so its maximum (leaf 0x80000000) is not asked either. */
static void read_cpuid(struct hwcaps_cpuid *c) {
        unsigned a, b, cx, d;

        *c = (struct hwcaps_cpuid) { 0 };
        __cpuid(1, a, b, cx, d);
        c->max_basic = 1;
        c->reg[HWCAPS_REG_1_ECX] = cx;
        c->reg[HWCAPS_REG_1_EDX] = d;
        c->osxsave = (cx >> 27) & 1u;
        if (c->osxsave && (cx >> 26) & 1u) {
                c->max_basic = 7;
                __cpuid_count(7, 0, a, b, cx, d);
                c->reg[HWCAPS_REG_7_EBX] = b;
                c->xcr0 = hwcaps_xgetbv0();
        }
        c->max_extended = 0x80000001u;
        __cpuid(0x80000001u, a, b, cx, d);
        c->reg[HWCAPS_REG_80000001_ECX] = cx;
}

static enum hwcaps_level cpu_level(char *const *envp, bool secure) {
        struct hwcaps_cpuid c;
        struct hwcaps_view v;
        struct hwcaps_tunables t;

        read_cpuid(&c);
        hwcaps_view_from_cpuid(&c, &v);
        /* The dynamic linker applies these masks to the variant's libraries;
         * apply them to the variant itself too. */
        hwcaps_tunables_from_env(envp, secure, &t);
        hwcaps_tunables_apply(&t, &v);
        return hwcaps_level_from_usable(v.usable);
}

/* Reads fd into buf from *n until size bytes or end of file; returns the
 * last read()'s result (negative: an error). */
static long read_up_to(long fd, char *buf, unsigned long *n, unsigned long size) {
        long r = 0;

        while (*n < size && (r = sys3(__NR_read, fd, (long) (buf + *n), (long) (size - *n))) > 0)
                *n += (unsigned long) r;
        return r;
}

/* The rest of a command line longer than CMDLINE_BYTES (bootconfig can
 * make one), read after the n bytes of head and parsed whole. A frame of
 * its own, so that the common case never touches these stack pages. One
 * byte more than the limit tells a longer file from one of exactly
 * HWCAPS_CMDLINE_MAX. */
static __attribute__((noinline)) void read_long_cmdline(long fd, const char *head, unsigned long n,
                                                         struct hwcaps_cmdline *ret) {
        char buf[HWCAPS_CMDLINE_MAX + 1];

        memcpy(buf, head, n);
        if (read_up_to(fd, buf, &n, sizeof buf) < 0 || n > HWCAPS_CMDLINE_MAX) {
                ret->enabled = 0;
                return;
        }
        hwcaps_cmdline_parse(buf, n, ret, NULL, NULL);
}

/* Reads <root>/proc/cmdline; a missing file (no /proc in a chroot) means no
 * options. */
static void read_cmdline(const char *root, struct hwcaps_cmdline *ret) {
        static const char proc_cmdline[] = "/proc/cmdline";
        char path[PATH_BYTES], buf[CMDLINE_BYTES];
        const char *p = proc_cmdline;
        unsigned long n = 0, len = 0;
        long fd, r;

        *ret = (struct hwcaps_cmdline) { .enabled = -1, .env_enabled = -1 };
        if (root && root[0]) {
                for (; root[len] && len < sizeof path - sizeof proc_cmdline; len++)
                        path[len] = root[len];
                for (unsigned long i = 0; i < sizeof proc_cmdline; i++)
                        path[len + i] = proc_cmdline[i];
                p = path;
        }
        /* No /proc (a chroot) means no options. Any other failure hides
         * the admin's opt-out (hwcaps=off, hwcaps.max=), so run the
         * baseline, as with hwcaps=off (found by tests/faults: an
         * unreadable /proc/cmdline ran a variant above the admin's cap).
         * So does one longer than HWCAPS_CMDLINE_MAX, whose end is not read. */
        fd = sys3(__NR_open, (long) p, O_RDONLY | O_CLOEXEC, 0);
        if (fd < 0) {
                if (fd != -ENOENT && fd != -ENOTDIR)
                        ret->enabled = 0;
                return;
        }
        r = read_up_to(fd, buf, &n, sizeof buf);
        if (r >= 0 && n == sizeof buf)
                read_long_cmdline(fd, buf, n, ret);
        else if (r < 0)
                ret->enabled = 0;
        else
                hwcaps_cmdline_parse(buf, n, ret, NULL, NULL);
        (void) sys3(__NR_close, fd, 0, 0);
}

/* The one line naming every candidate tried and why it did not run;
 * built only on failure, so that a successful start touches no stack
 * pages for it (each first touch is a page fault). */
static noreturn void report(const char *path, const long *result, int last,
                            const struct hwcaps_plan *plan, int status) {
        char cand[PATH_BYTES];
        struct msg m = { .len = 0 };

        msg_add(&m, "hwcaps-dispatch: ");
        msg_add(&m, path);
        msg_add(&m, ": no variant could be run:");
        for (int l = HWCAPS_LEVEL_MAX; l >= last; l--) {
                long e = -result[l];

                msg_add(&m, l < HWCAPS_LEVEL_MAX ? ", " : " ");
                if (hwcaps_candidate_path(path, (enum hwcaps_level) l, cand, sizeof cand) == 0)
                        msg_add(&m, hwcaps_level_name((enum hwcaps_level) l));
                else
                        msg_add(&m, cand);
                msg_add(&m, " (");
                switch (e) {
                case ENOTSUP_CPU:
                        msg_add(&m, "level not supported by this CPU");
                        break;
                case ENOTSUP_CAP:
                        msg_add(&m, "capped by ");
                        msg_add(&m, hwcaps_cap_reason_name(plan->reason));
                        break;
                case ESELF:
                        msg_add(&m, "is the dispatch stub itself");
                        break;
                default:
                        msg_add(&m, errno_text(e));
                }
                msg_add(&m, ")");
        }
        msg_exit(&m, status);
}

noreturn void stub_main(long *sp);

noreturn void stub_main(long *sp) {
        long argc = sp[0];
        char **argv = (char **) (sp + 1), **envp = argv + argc + 1;
        const char *execfn = NULL, *path;
        bool secure = false;
        struct id self, id;
        struct hwcaps_env env;
        struct hwcaps_cmdline cmdline;
        struct hwcaps_plan plan;
        char cand[PATH_BYTES];
        long result[HWCAPS_LEVEL_MAX + 1];
        bool planned = false;

        char **e = envp;
        while (*e)
                e++;
        for (unsigned long *a = (unsigned long *) (e + 1); a[0] != 0; a += 2)
                if (a[0] == AT_EXECFN_)
                        execfn = (const char *) a[1];
                else if (a[0] == AT_SECURE_)
                        secure = a[1] != 0;

        /* AT_EXECFN is the path execve() was given, whatever argv[0] says
         * (exec -a, a login shell's "-bash"). One exception: run as the
         * interpreter of a "#!/usr/bin/foo" script, AT_EXECFN names the
         * script and the kernel puts the #! path into argv[0] (and the
         * script's path, the same string as AT_EXECFN, into a later argv;
         * fs/binfmt_script.c). Only then is /proc/self/exe asked (2 to 5
         * us) whether AT_EXECFN is this binary; otherwise AT_EXECFN leads to
         * this binary, and its identity is what a candidate must not be. */
        path = execfn;
        if (execfn) {
                bool maybe_script = false;

                for (long i = 1; i < argc && !maybe_script; i++)
                        maybe_script = str_eq(argv[i], execfn);
                if (maybe_script && argv[0][0] && path_id("/proc/self/exe", &self) == 0) {
                        if (path_id(execfn, &id) == 0 && !same_file(&id, &self))
                                path = argv[0];
                } else
                        (void) path_id(execfn, &self);
        } else
                self = (struct id) { 0 };
        if (!path) {
                if (argc < 1 || !argv[0][0])
                        die("cannot tell which program to run (no AT_EXECFN and no argv[0])", "", "", 127);
                path = argv[0];
        }
        /* Run under its own name it has nothing to dispatch to. */
        {
                const char *base = path;

                for (const char *q = path; *q; q++)
                        if (*q == '/')
                                base = q + 1;
                if (str_eq(base, "hwcaps-dispatch"))
                        die("install me as a program's name (a link to me as /usr/bin/foo runs "
                            "/usr/bin/glibc-hwcaps/x86-64-vN/foo); see hwcaps-dispatch(8)", "", "", 127);
        }
        /* Belt and braces: when the identity is unknown, a stub found at a
         * candidate path stops rather than looking deeper. */
        if (!self.ok && hwcaps_path_candidate_level(path) > 0)
                die(path, ": is the dispatch stub itself, not a variant", "", 127);

        /* Highest level first. What exists is asked first (a stat costs
         * under 1 us); the level and the opt-outs only when a candidate
         * above the baseline exists, because each CPUID instruction traps
         * in a VM and /proc/cmdline costs about 4 us: a program installed
         * with only its baseline pays for neither. */
        for (int l = HWCAPS_LEVEL_MAX; l >= HWCAPS_LEVEL_V1; l--) {
                long r;

                if (hwcaps_candidate_path(path, (enum hwcaps_level) l, cand, sizeof cand) == 0)
                        r = -ENAMETOOLONG;
                else if ((r = path_id(cand, &id)) == 0 && l > HWCAPS_LEVEL_V1) {
                        if (!planned) {
                                hwcaps_env_scan(envp, secure, &env);
                                /* HWCAPS_ROOT is a test and sysroot prefix;
                                 * under AT_SECURE env is empty, so a setuid
                                 * stub reads the real /proc/cmdline. */
                                read_cmdline(env.root, &cmdline);
                                /* With everything off no CPUID is needed. */
                                hwcaps_plan_decide(HWCAPS_LEVEL_MAX, &cmdline, &env, &plan);
                                if (plan.cap > HWCAPS_LEVEL_V1)
                                        hwcaps_plan_decide(cpu_level(envp, secure), &cmdline, &env, &plan);
                                planned = true;
                        }
                        if (l > (int) plan.top)
                                r = l > (int) plan.cpu ? -ENOTSUP_CPU : -ENOTSUP_CAP;
                }
                if (r == 0 && same_file(&id, &self))
                        r = -ESELF;
                if (r == 0)
                        r = sys3(__NR_execve, (long) cand, (long) argv, (long) envp);
                result[l] = r;
                if (!try_next(-r))
                        report(path, result, l, &plan, 126);
        }
        report(path, result, HWCAPS_LEVEL_V1, &plan, 127);
}
