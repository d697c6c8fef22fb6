/* SPDX-License-Identifier: MIT */
/* hwcaps-dispatch: installed as (a link to) /usr/bin/foo, it execs the best
 * /usr/bin/glibc-hwcaps/x86-64-vN/foo this CPU can run, by the dynamic
 * linker's criteria. See hwcaps-dispatch(8).
 *
 * It runs on every exec of a dispatched program, so it is a static binary
 * without libc: its own _start, raw system calls, nothing allocated, no
 * stdio. The decisions are the freestanding code shared with the CLI and
 * the generator: who it stands for (identity.c), whether a file may run
 * (trust.c), the level (decide.c, level.c, tunables.c, cmdline.c) and the
 * candidates (candidates.c); their system calls are defined here (sys.h). */
#include <asm/stat.h>
#include <asm/unistd.h>
#include <errno.h>
#include <linux/fcntl.h>
#include <stdnoreturn.h>

#include "bytes.h"
#include "cpu-raw.h"
#include "decide.h"
#include "identity.h"
#include "level.h"
#include "candidates.h"
#include "sys.h"
#include "trust.h"
#include "tunables.h"

#define PATH_BYTES 4096    /* PATH_MAX */
#define MSG_BYTES 8192

/* Reasons to skip a candidate, beside the errno values of execve(). */
#define ENOTSUP_CPU 10001 /* level above this CPU's */
#define ENOTSUP_CAP 10002 /* level above an opt-out cap */
#define ESELF       10003 /* the stub's own file */
#define EUNSAFE     10004 /* the trust rule says no */

#define AT_SECURE_ 23      /* <elf.h> AT_SECURE, without pulling in libc headers */
#define AT_EXECFN_ 31

/* Marks the binary as the stub, so "hwcaps which" recognises a copy of it
 * (identity.h): an allocated SHT_NOTE section, which ld keeps under
 * --gc-sections and puts into a PT_NOTE segment. namesz 7 ("hwcaps" and
 * its NUL), descsz 4, the name padded to 8, a zero descriptor. */
#define STR_(x) #x
#define STR(x) STR_(x)
__asm__(".section .note.hwcaps,\"a\",@note\n"
        ".balign 4\n"
        ".long 7, 4, " STR(HWCAPS_STUB_NOTE_TYPE) "\n"
        ".asciz \"" HWCAPS_STUB_NOTE_NAME "\"\n"
        ".balign 4\n"
        ".long 0\n"
        ".previous\n");

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

long hwcaps_sys_openat(int dirfd, const char *path, int flags) {
        return sys4(__NR_openat, dirfd, (long) path, flags, 0);
}

long hwcaps_sys_fstatat(int dirfd, const char *path, struct hwcaps_stat *ret, int flags) {
        struct stat st = { 0 };
        long r = sys4(__NR_newfstatat, dirfd, (long) path, (long) &st, flags);

        *ret = (struct hwcaps_stat) { st.st_dev, st.st_ino, st.st_mode, st.st_uid, (long) st.st_size };
        return r;
}

long hwcaps_sys_readlinkat(int dirfd, const char *path, char *buf, unsigned long size) {
        return sys4(__NR_readlinkat, dirfd, (long) path, (long) buf, (long) size);
}

long hwcaps_sys_read(int fd, void *buf, unsigned long n) {
        return sys3(__NR_read, fd, (long) buf, (long) n);
}

long hwcaps_sys_close(int fd) {
        return sys3(__NR_close, fd, 0, 0);
}

long hwcaps_sys_getcwd(char *buf, unsigned long size) {
        return sys3(__NR_getcwd, (long) buf, (long) size, 0);
}

long hwcaps_sys_getxattr_size(const char *path, const char *name) {
        return sys4(__NR_getxattr, (long) path, (long) name, 0, 0);
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
               e == ENOTSUP_CPU || e == ENOTSUP_CAP || e == ESELF || e == EUNSAFE;
}

/* For the failure report: the component the trust rule refused and why,
 * as one string appended to buf at *used, which the level's result then
 * points to. On the stack, written only when a level is refused: a
 * successful start touches none of its pages, and the stub keeps its one
 * PT_LOAD segment (no .data, no .bss). */
static const char *remember_unsafe(char *buf, unsigned long *used, const struct hwcaps_trust *t) {
        const char *why = hwcaps_trust_reason_text(t->reason);
        char *start = buf + *used;
        unsigned long n = *used;

        for (unsigned long i = 0; t->where[i] && n + 64 < PATH_BYTES; i++)
                buf[n++] = t->where[i];
        if (n + 1 < PATH_BYTES)
                buf[n++] = ' ';
        for (unsigned long i = 0; why[i] && n + 1 < PATH_BYTES; i++)
                buf[n++] = why[i];
        buf[n++] = '\0';
        *used = n < PATH_BYTES ? n : PATH_BYTES - 1;
        return start;
}

/* The registers that decide levels, and nothing else: in a virtual machine
 * every CPUID instruction traps to the hypervisor (measured 4 to 11 us each
 * on the development VM, bench/exec-overhead.c), so this executes three
 * where hwcaps_cpuid_read_raw() executes six.
 * - Leaf 0 (the highest basic leaf) is not asked for leaves up to 0xD:
 *   those are read only when leaf 1 reports XSAVE and OSXSAVE, and a CPU
 *   with XSAVE enumerates its state components in leaf 0xD (Intel SDM
 *   vol. 1, 13.2), so it has them. Without OSXSAVE no AVX state is usable,
 *   so nothing beyond leaf 1 could lift the level above v2 (every level
 *   above needs AVX state).
 * - Leaf 0x80000001 exists on every x86-64 CPU (its EDX holds the long-mode
 *   bit), so its maximum (leaf 0x80000000) is not asked for it either.
 * A register of hwcaps_reg_table beyond those asks for the maximum first. */
static void read_cpuid(struct hwcaps_cpuid *c) {
        struct hwcaps_leaf_cache l = { 0 };
        unsigned a, b, cx, d;
        bool xsave;

        *c = (struct hwcaps_cpuid) { 0 };
        c->reg[HWCAPS_REG_1_ECX] = hwcaps_cpuid_reg(&l, HWCAPS_REG_1_ECX);
        c->osxsave = (c->reg[HWCAPS_REG_1_ECX] >> 27) & 1u;
        xsave = c->osxsave && (c->reg[HWCAPS_REG_1_ECX] >> 26) & 1u;
        c->max_basic = xsave ? 0xd : 1;
        c->max_extended = 0x80000001u;
        for (unsigned r = 0; r < HWCAPS_REG_COUNT; r++) {
                uint32_t leaf = hwcaps_reg_table[r].leaf;

                if (leaf < HWCAPS_LEAF_EXTENDED && leaf > 1 && !xsave)
                        continue;
                if (!hwcaps_leaf_available(c, leaf)) {
                        __cpuid(leaf & HWCAPS_LEAF_EXTENDED, a, b, cx, d);
                        if (leaf & HWCAPS_LEAF_EXTENDED)
                                c->max_extended = a;
                        else
                                c->max_basic = a;
                        if (!hwcaps_leaf_available(c, leaf))
                                continue;
                }
                c->reg[r] = hwcaps_cpuid_reg(&l, (enum hwcaps_reg) r);
        }
        if (xsave)
                c->xcr0 = hwcaps_xgetbv0();
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

/* "PID:N" of HWCAPS_DISPATCH_DEPTH -> N when PID is this process, else 0
 * (a child that inherited it starts afresh). */
static long depth_of(const char *v, long pid) {
        long p = 0, n = 0;

        if (!v)
                return 0;
        for (; *v >= '0' && *v <= '9' && p < 1L << 40; v++)
                p = p * 10 + (*v - '0');
        if (*v++ != ':' || p != pid)
                return 0;
        for (; *v >= '0' && *v <= '9' && n < 1000; v++)
                n = n * 10 + (*v - '0');
        return *v ? 0 : n;
}

static char *put_number(char *o, long v) {
        char digits[24];
        int k = 0;

        do
                digits[k++] = (char) ('0' + v % 10);
        while ((v /= 10) > 0);
        while (k > 0)
                *o++ = digits[--k];
        return o;
}

/* The one line naming every candidate tried and why it did not run;
 * built only on failure, so that a successful start touches no stack
 * pages for it (each first touch is a page fault). */
static noreturn void report(const char *path, const long *result, const char *const *where, int last,
                            const struct hwcaps_decision *d, int status) {
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
                        msg_add(&m, d->why);
                        break;
                case ESELF:
                        msg_add(&m, "is the dispatch stub itself");
                        break;
                case EUNSAFE:
                        msg_add(&m, "unsafe: ");
                        msg_add(&m, where[l]);
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
        unsigned long *auxv;
        /* One struct, in this order: what every dispatch writes comes
         * first and shares stack pages (each first touch of a page is a
         * page fault, on every exec); the buffers of the rare paths last. */
        struct {
                struct hwcaps_identity_in in;
                struct hwcaps_stat self;
                bool have_self, decided;
                const char *path;
                const struct hwcaps_trust *t;
                struct hwcaps_env env;
                struct hwcaps_trust_root slash;
                long result[HWCAPS_LEVEL_MAX + 1];
                const char *unsafe_where[HWCAPS_LEVEL_MAX + 1];
                unsigned long unsafe_used;
                char depth[64];
                struct hwcaps_decision d;
                struct hwcaps_candidates cands; /* its walk buffer at its end */
                struct hwcaps_trust_root sysroot;
                char unsafe_buf[PATH_BYTES];
                char buf[PATH_BYTES];
        } S;
        int id;
        S.in = (struct hwcaps_identity_in) { .argv = argv, .argc = argc };
        S.decided = false;
        S.unsafe_used = 0;

        char **e = envp;
        while (*e)
                e++;
        auxv = (unsigned long *) (e + 1);
        for (unsigned long *a = auxv; a[0] != 0; a += 2)
                if (a[0] == AT_EXECFN_)
                        S.in.execfn = (const char *) a[1];
                else if (a[0] == AT_SECURE_)
                        S.in.secure = a[1] != 0;

        id = hwcaps_identity(&S.in, S.buf, sizeof S.buf, &S.self, &S.have_self, &S.path);
        if (id != HWCAPS_IDENTITY_OK)
                die(hwcaps_identity_error_text(id), "", "", 127);
        /* A stub at a candidate path (a copy installed as a variant) stops
         * rather than looking for variants of a variant. */
        if (hwcaps_path_candidate_level(S.path) > 0)
                die(S.path, ": is the dispatch stub itself, not a variant", "", 127);

        hwcaps_env_scan(envp, S.in.secure, &S.env);
        (void) hwcaps_trust_root_open(NULL, &S.slash);
        hwcaps_candidates_init(&S.cands, &S.slash, S.path, S.have_self ? &S.self : NULL);
        hwcaps_decision_init(&S.d);

        /* Highest level first. What exists is asked first (the trust walk
         * costs a few us); the level and the opt-outs only when a safe
         * candidate above the baseline exists, because each CPUID
         * instruction traps in a VM: a program installed with only its
         * baseline pays for neither. */
        for (int l = HWCAPS_LEVEL_MAX; l >= HWCAPS_LEVEL_V1; l--) {
                long r;

                switch (hwcaps_candidate_check(&S.cands, (enum hwcaps_level) l, &S.t)) {
                case HWCAPS_CANDIDATE_OK:
                        r = 0;
                        break;
                case HWCAPS_CANDIDATE_MISSING:
                        r = -ENOENT;
                        break;
                case HWCAPS_CANDIDATE_SELF:
                        r = -ESELF;
                        break;
                case HWCAPS_CANDIDATE_UNSAFE:
                        r = -EUNSAFE;
                        break;
                default:
                        r = -ENAMETOOLONG;
                }
                if (r == 0 && l > HWCAPS_LEVEL_V1) {
                        if (!S.decided) {
                                /* HWCAPS_ROOT is a test and sysroot prefix;
                                 * under AT_SECURE env is empty, so a setuid
                                 * stub reads the real files. */
                                const struct hwcaps_trust_root *root = &S.slash;

                                if (S.env.root && S.env.root[0]) {
                                        (void) hwcaps_trust_root_open(S.env.root, &S.sysroot);
                                        root = &S.sysroot;
                                }
                                (void) hwcaps_decision_boot(&S.d, root, NULL, NULL);
                                hwcaps_decision_env(&S.d, &S.env, HWCAPS_SRC_ENV);
                                /* With everything off no CPUID is needed. */
                                hwcaps_decision_finish(&S.d, S.d.cap > HWCAPS_LEVEL_V1 ? cpu_level(envp, S.in.secure)
                                                                                    : HWCAPS_LEVEL_V1);
                                S.decided = true;
                        }
                        if (l > (int) S.d.top)
                                r = l > (int) S.d.cpu ? -ENOTSUP_CPU : -ENOTSUP_CAP;
                }
                if (r == 0) {
                        /* Count this process's passes through a stub: a
                         * variant that runs its own dispatched path stops
                         * here instead of exec'ing forever. The entry is
                         * replaced where it stands, or appended over the
                         * first auxv word (read above; the stack is gone
                         * after execve anyway). */
                        static const char key[] = "HWCAPS_DISPATCH_DEPTH=";
                        long pid = sys3(__NR_getpid, 0, 0, 0), n = depth_of(S.env.depth, pid) + 1;
                        char *o = S.depth;

                        for (const char *k = key; *k; k++)
                                *o++ = *k;
                        if (n > HWCAPS_DISPATCH_DEPTH_MAX)
                                die(S.path, ": dispatched again and again in one process (a variant runs its own "
                                    "dispatched path?); stopped, see hwcaps-dispatch(8)", "", 126);
                        o = put_number(o, pid);
                        *o++ = ':';
                        o = put_number(o, n);
                        *o = '\0';
                        if (S.env.n_depth > 0) {
                                /* Every entry, so no program reads a stale one. */
                                for (char **p = envp; *p; p++)
                                        if ((*p)[0] == 'H' && hwcaps_str_prefix(*p, key))
                                                *p = S.depth;
                        } else {
                                e[0] = S.depth;
                                e[1] = NULL;
                                S.env.n_depth = 1;
                        }
                        /* The real path the walk found safe: nobody but
                         * root can change what it names now. */
                        r = sys3(__NR_execve, (long) S.t->where, (long) argv, (long) envp);
                }
                S.result[l] = r;
                if (r == -EUNSAFE)
                        S.unsafe_where[l] = remember_unsafe(S.unsafe_buf, &S.unsafe_used, S.t);
                if (!try_next(-r))
                        report(S.path, S.result, S.unsafe_where, l, &S.d, 126);
        }
        report(S.path, S.result, S.unsafe_where, HWCAPS_LEVEL_V1, &S.d, 127);
}
