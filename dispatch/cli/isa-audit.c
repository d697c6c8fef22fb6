/* SPDX-License-Identifier: MIT */
/* The instruction audit. Layouts: System V gABI ("Sections", "Symbol
 * Table"). A linear sweep over each executable section, started again at
 * every function symbol so that bytes that are no code (data in hand-written
 * assembly) cannot carry the sweep past a function's first instruction.
 *
 * Code chosen at run time is legitimate in any build: glibc's IFUNC
 * implementations (__memcpy_avx_unaligned_erms), gcc's target_clones
 * (foo.avx2.0 beside the IFUNC foo and foo.resolver) and functions with
 * __attribute__((target("bmi2"))) that a CPUID check selects (zstd's
 * *_bmi2). Named ones are told apart by their names; the packager names the
 * rest (--allow-function). A stripped file has no names for its own
 * functions: when it asks the CPU at run time, its code above the level may
 * be such a function, and the audit can only warn. */
#include <elf.h>
#include <errno.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "escape.h"
#include "isa-audit.h"
#include "level.h"
#include "macro.h"

struct func {
        uint64_t addr, size;
        const char *name;  /* inside the string table, NUL-terminated there */
        uint8_t type;      /* STT_FUNC or STT_GNU_IFUNC */
        uint8_t allowed;   /* 0 not asked yet, 1 no, 2 yes */
};

struct sym {
        const char *name;
        uint8_t type;
};

struct image {
        const uint8_t *buf;
        size_t n;
        char *const *allow;
        struct func *f;
        size_t nf, af;
        struct sym *names; /* every defined symbol, sorted by name on first use */
        size_t nn, an;
        bool names_sorted;
};

static void image_done(struct image *im) {
        free(im->f);
        free(im->names);
}

/* A string of the string table section strtab (an index), or NULL. */
static const char *str_at(const struct image *im, const Elf64_Shdr *strtab, uint32_t off) {
        if (strtab->sh_type != SHT_STRTAB || strtab->sh_offset > im->n || strtab->sh_size > im->n - strtab->sh_offset ||
            off >= strtab->sh_size)
                return NULL;
        const char *s = (const char *) im->buf + strtab->sh_offset + off;
        return memchr(s, 0, strtab->sh_size - off) ? s : NULL;
}

static int push(void **v, size_t *n, size_t *a, size_t size) {
        if (*n == *a) {
                size_t na = *a ? *a * 2 : 256;
                void *p = reallocarray(*v, na, size);
                if (!p)
                        return -ENOMEM;
                *v = p;
                *a = na;
        }
        (*n)++;
        return 0;
}

/* Names of glibc's and libgcc's CPU feature data: a file that uses them
 * chooses code by the CPU (<sys/platform/x86.h>, __builtin_cpu_supports). */
static bool cpu_data_name(const char *s) {
        static const char *const names[] = {
                "__x86_get_cpuid_feature_leaf", "__get_cpu_features", "__x86_get_cpu_features",
                "__cpu_model", "__cpu_features2", "__cpu_indicator_init",
        };
        for (size_t i = 0; i < ELEMENTSOF(names); i++)
                if (strcmp(s, names[i]) == 0)
                        return true;
        return false;
}

static int read_symbols(struct image *im, const Elf64_Shdr *sh, size_t shnum, struct hwcaps_isa_result *r,
                        const char **reason) {
        for (size_t i = 0; i < shnum; i++) {
                if (sh[i].sh_type != SHT_SYMTAB && sh[i].sh_type != SHT_DYNSYM)
                        continue;
                if (sh[i].sh_link >= shnum || sh[i].sh_offset > im->n || sh[i].sh_size > im->n - sh[i].sh_offset ||
                    sh[i].sh_entsize != sizeof(Elf64_Sym)) {
                        *reason = "symbol table outside the file";
                        return -EBADMSG;
                }
                const Elf64_Shdr *strtab = &sh[sh[i].sh_link];
                size_t count = sh[i].sh_size / sizeof(Elf64_Sym), funcs = 0;
                for (size_t k = 1; k < count; k++) {
                        Elf64_Sym s;
                        memcpy(&s, im->buf + sh[i].sh_offset + k * sizeof(s), sizeof(s));
                        const char *name = str_at(im, strtab, s.st_name);
                        uint8_t type = ELF64_ST_TYPE(s.st_info);
                        if (!name)
                                continue;
                        if (s.st_shndx == SHN_UNDEF) {
                                if (cpu_data_name(name))
                                        r->asks_cpu = true;
                                continue;
                        }
                        if (cpu_data_name(name) || type == STT_GNU_IFUNC)
                                r->asks_cpu = true;
                        if (push((void **) &im->names, &im->nn, &im->an, sizeof(*im->names)) < 0)
                                return -ENOMEM;
                        im->names[im->nn - 1] = (struct sym) { name, type };
                        /* A global label of hand-written assembly (no type,
                         * no size: zstd's *_asm_loop) names the code up to
                         * the next symbol (sized below). */
                        bool label = (type == STT_NOTYPE || type == STT_FUNC) && s.st_size == 0 &&
                                     s.st_shndx < shnum && (sh[s.st_shndx].sh_flags & SHF_EXECINSTR);
                        if (!label && ((type != STT_FUNC && type != STT_GNU_IFUNC) || s.st_size == 0))
                                continue;
                        if (push((void **) &im->f, &im->nf, &im->af, sizeof(*im->f)) < 0)
                                return -ENOMEM;
                        im->f[im->nf - 1] = (struct func) { s.st_value, s.st_size, name, type, 0 };
                        funcs++;
                }
                if (sh[i].sh_type == SHT_SYMTAB && funcs > 0)
                        r->symbols = true;
        }
        return 0;
}

/* A label reaches to the next symbol after it, within its section. */
static void size_labels(struct image *im, const Elf64_Shdr *sh, size_t shnum) {
        for (size_t k = 0; k < im->nf; k++) {
                if (im->f[k].size > 0)
                        continue;
                uint64_t a = im->f[k].addr, end = a;
                for (size_t i = 0; i < shnum; i++)
                        if ((sh[i].sh_flags & SHF_EXECINSTR) && a >= sh[i].sh_addr && a - sh[i].sh_addr < sh[i].sh_size)
                                end = sh[i].sh_addr + sh[i].sh_size;
                for (size_t j = k + 1; j < im->nf; j++)
                        if (im->f[j].addr > a) {
                                if (im->f[j].addr < end)
                                        end = im->f[j].addr;
                                break;
                        }
                im->f[k].size = end - a;
        }
}

static int func_cmp(const void *a, const void *b) {
        const struct func *x = a, *y = b;
        return x->addr < y->addr ? -1 : x->addr > y->addr ? 1 : 0;
}

static int sym_cmp(const void *a, const void *b) {
        return strcmp(((const struct sym *) a)->name, ((const struct sym *) b)->name);
}

static const struct sym *find_name(struct image *im, const char *name) {
        if (!im->names_sorted) {
                qsort(im->names, im->nn, sizeof(*im->names), sym_cmp);
                im->names_sorted = true;
        }
        struct sym key = { name, 0 };
        return im->nn ? bsearch(&key, im->names, im->nn, sizeof(*im->names), sym_cmp) : NULL;
}

/* The function holding addr, or -1. */
static ssize_t func_at(const struct image *im, uint64_t addr) {
        size_t lo = 0, hi = im->nf;

        while (lo < hi) {               /* first with f.addr > addr */
                size_t mid = lo + (hi - lo) / 2;
                if (im->f[mid].addr <= addr)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        /* Nested or overlapping symbols: look back a few. */
        for (size_t k = lo, tries = 0; k > 0 && tries < 8; k--, tries++)
                if (addr - im->f[k - 1].addr < im->f[k - 1].size)
                        return (ssize_t) (k - 1);
        return -1;
}

/* tok (lower-case letters and digits) at name+i as a word: no letter
 * before or after; '_' and '-' inside the name are skipped ("sse42"
 * matches "sse4_2"). */
static bool word_at(const char *name, size_t len, size_t i, const char *tok) {
        static const char letters[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

        if (i > 0 && memchr(letters, name[i - 1], 52))
                return false;
        for (size_t t = 0; tok[t]; i++) {
                if (i >= len)
                        return false;
                char c = name[i];
                if (c >= 'A' && c <= 'Z')
                        c += 'a' - 'A';
                if (c == tok[t])
                        t++;
                else if (t == 0 || (c != '_' && c != '-'))
                        return false;
        }
        return i >= len || !memchr(letters, name[i], 52);
}

/* s lowered, '_' and '-' dropped, into buf. */
static const char *token(const char *s, char *buf, size_t size) {
        size_t k = 0;
        for (; *s && k + 1 < size; s++)
                if (*s != '_' && *s != '-')
                        buf[k++] = (char) (*s >= 'A' && *s <= 'Z' ? *s + 'a' - 'A' : *s);
        buf[k] = 0;
        return buf;
}

static bool has_word(const char *name, size_t len, const char *tok) {
        for (size_t i = 0; i < len; i++)
                if (word_at(name, len, i, tok))
                        return true;
        return false;
}

bool hwcaps_isa_function_allowed(const char *name, size_t len, char *const *allow) {
        char buf[32];

        for (int f = 0; f < HWCAPS_F_COUNT; f++)
                if (hwcaps_feature_table[f].level > HWCAPS_LEVEL_V1 &&
                    has_word(name, len, token(hwcaps_feature_table[f].name, buf, sizeof(buf))))
                        return true;
        for (int l = HWCAPS_LEVEL_V2; l <= HWCAPS_LEVEL_MAX; l++)
                if (has_word(name, len, token(hwcaps_level_name((enum hwcaps_level) l), buf, sizeof(buf))))
                        return true;
        /* glibc's names for its AVX-512 and EVEX-encoded AVX2 variants */
        if (has_word(name, len, "avx512") || has_word(name, len, "evex"))
                return true;
        if (allow && name[len] == 0)
                for (char *const *g = allow; *g; g++)
                        if (fnmatch(*g, name, 0) == 0)
                                return true;
        return false;
}

/* A gcc multiversioned clone BASE.SUFFIX: BASE is an IFUNC, or
 * BASE.resolver exists (target_clones("arch=haswell"), C++ target()). */
static bool clone_of_ifunc(struct image *im, const char *name) {
        const char *dot = strchr(name, '.');
        if (!dot || dot == name)
                return false;
        _cleanup_free_ char *base = strndup(name, (size_t) (dot - name));
        _cleanup_free_ char *resolver = NULL;
        if (!base || asprintf(&resolver, "%s.resolver", base) < 0)
                return false;
        const struct sym *s = find_name(im, base);
        return (s && s->type == STT_GNU_IFUNC) || find_name(im, resolver);
}

static bool func_allowed(struct image *im, size_t k) {
        if (im->f[k].allowed == 0) {
                bool ok = false;
                /* any alias: the symbols at the same address */
                size_t first = k;
                while (first > 0 && im->f[first - 1].addr == im->f[k].addr)
                        first--;
                for (size_t j = first; j < im->nf && im->f[j].addr == im->f[k].addr && !ok; j++)
                        ok = hwcaps_isa_function_allowed(im->f[j].name, strlen(im->f[j].name), im->allow) ||
                             clone_of_ifunc(im, im->f[j].name);
                for (size_t j = first; j < im->nf && im->f[j].addr == im->f[k].addr; j++)
                        im->f[j].allowed = ok ? 2 : 1;
        }
        return im->f[k].allowed == 2;
}

static void sweep(struct image *im, const Elf64_Shdr *s, int limit, struct hwcaps_isa_result *r) {
        const uint8_t *code = im->buf + s->sh_offset;
        size_t size = s->sh_size, off = 0;
        ssize_t cached = -1;
        /* the next function start, to start the sweep again there */
        size_t next = 0;
        while (next < im->nf && im->f[next].addr < s->sh_addr)
                next++;

        while (off < size) {
                uint64_t a = s->sh_addr + off;
                struct x86_insn in;
                while (next < im->nf && im->f[next].addr <= a)
                        next++;
                if (x86_decode(code + off, size - off, &in) < 0 ||
                    (next < im->nf && im->f[next].addr < a + in.len && im->f[next].addr - s->sh_addr <= size)) {
                        r->undecodable++;
                        off = next < im->nf && im->f[next].addr > a && im->f[next].addr - s->sh_addr <= size ?
                              im->f[next].addr - s->sh_addr : off + 1;
                        continue;
                }
                r->instructions++;
                if (in.cpuid)
                        r->asks_cpu = true;
                if (in.feature >= 0) {
                        int level = hwcaps_feature_table[in.feature].level;
                        if (level > HWCAPS_LEVEL_V1) {
                                if (cached < 0 || a - im->f[cached].addr >= im->f[cached].size)
                                        cached = func_at(im, a);
                                if (cached < 0 || !func_allowed(im, (size_t) cached)) {
                                        if (level > r->code_level)
                                                r->code_level = level;
                                        if (level > limit && !r->found) {
                                                r->found = true;
                                                r->addr = a;
                                                r->feature = in.feature;
                                                r->len = in.len;
                                                memcpy(r->bytes, code + off, in.len);
                                                if (cached >= 0) {
                                                        snprintf(r->function, sizeof(r->function), "%s", im->f[cached].name);
                                                        r->offset = a - im->f[cached].addr;
                                                }
                                        }
                                }
                        }
                }
                off += in.len;
        }
}

int hwcaps_isa_audit(const void *buf, size_t n, int limit, char *const *allow,
                     struct hwcaps_isa_result *ret, const char **reason) {
        _cleanup_(image_done) struct image im = { .buf = buf, .n = n, .allow = allow };
        struct hwcaps_isa_result r = { .code_level = HWCAPS_LEVEL_V1 };
        Elf64_Ehdr eh;
        int e;

        if (n < sizeof(eh) || memcmp(buf, ELFMAG, SELFMAG) != 0) {
                *reason = "not an ELF file";
                return -ENOEXEC;
        }
        memcpy(&eh, buf, sizeof(eh));
        if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB || eh.e_machine != EM_X86_64) {
                *reason = "not a 64-bit x86-64 ELF file";
                return -ENOEXEC;
        }
        size_t shnum = eh.e_shnum;
        if (shnum > 0 && (eh.e_shentsize != sizeof(Elf64_Shdr) || eh.e_shoff > n ||
                          shnum > (n - eh.e_shoff) / sizeof(Elf64_Shdr))) {
                *reason = "section headers outside the file";
                return -EBADMSG;
        }
        _cleanup_free_ Elf64_Shdr *sh = calloc(shnum ? shnum : 1, sizeof(*sh));
        if (!sh)
                return -ENOMEM;
        if (shnum > 0)
                memcpy(sh, (const uint8_t *) buf + eh.e_shoff, shnum * sizeof(*sh));

        e = read_symbols(&im, sh, shnum, &r, reason);
        if (e < 0)
                return e;
        if (im.nf > 0)
                qsort(im.f, im.nf, sizeof(*im.f), func_cmp);
        size_labels(&im, sh, shnum);

        for (size_t i = 0; i < shnum; i++) {
                if (sh[i].sh_type != SHT_PROGBITS || !(sh[i].sh_flags & SHF_EXECINSTR))
                        continue;
                if (sh[i].sh_offset > n || sh[i].sh_size > n - sh[i].sh_offset) {
                        *reason = "code section outside the file";
                        return -EBADMSG;
                }
                sweep(&im, &sh[i], limit, &r);
        }
        *ret = r;
        return 0;
}

int hwcaps_isa_audit_fd(int fd, int limit, char *const *allow, struct hwcaps_isa_result *ret, const char **reason) {
        struct stat st;
        void *p;
        int r;

        if (fstat(fd, &st) < 0)
                return -errno;
        if (st.st_size <= 0) {
                *reason = "empty file";
                return -ENOEXEC;
        }
        p = mmap(NULL, (size_t) st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (p == MAP_FAILED)
                return -errno;
        r = hwcaps_isa_audit(p, (size_t) st.st_size, limit, allow, ret, reason);
        munmap(p, (size_t) st.st_size);
        return r;
}

enum hwcaps_isa_verdict hwcaps_isa_verdict(const struct hwcaps_isa_result *r, int dir_level, int marker_level) {
        if (r->found)
                return !r->symbols && r->asks_cpu ? HWCAPS_ISA_ABOVE_UNSURE : HWCAPS_ISA_ABOVE;
        if (dir_level > HWCAPS_LEVEL_V1 && marker_level <= HWCAPS_LEVEL_V1 && r->code_level <= HWCAPS_LEVEL_V1)
                return HWCAPS_ISA_NEVER_REACHED;
        return HWCAPS_ISA_OK;
}

char *hwcaps_isa_message(const struct hwcaps_isa_result *r, enum hwcaps_isa_verdict v, int dir_level) {
        _cleanup_free_ char *esc = NULL, *where = NULL;
        char bytes[3 * X86_INSN_MAX + 1] = "";
        char *s = NULL;
        int e;

        if (v == HWCAPS_ISA_NEVER_REACHED) {
                e = asprintf(&s, "needs nothing above the baseline (no ISA marker above %s, no instruction above it): "
                             "the level flags never reached this build, a copy of the baseline",
                             hwcaps_level_name(HWCAPS_LEVEL_V1));
                return e < 0 ? NULL : s;
        }
        if (v == HWCAPS_ISA_OK)
                return NULL;

        for (size_t i = 0, k = 0; i < r->len && i < X86_INSN_MAX; i++)
                k += (size_t) snprintf(bytes + k, sizeof(bytes) - k, "%s%02x", i ? " " : "", r->bytes[i]);
        if (r->function[0])
                e = asprintf(&where, "%s+0x%" PRIx64 " (0x%" PRIx64 ")", escape_name(r->function, &esc), r->offset, r->addr);
        else
                e = asprintf(&where, "unknown function%s at 0x%" PRIx64, r->symbols ? "" : " (no symbols)", r->addr);
        if (e < 0)
                return NULL;

        const struct hwcaps_feature_info *fi = &hwcaps_feature_table[r->feature];
        const char *above = dir_level <= HWCAPS_LEVEL_V1 ? "the baseline " : "its directory's level ";
        if (v == HWCAPS_ISA_ABOVE)
                e = asprintf(&s, "code above %s%s: %s: instruction %s needs %s (%s); built with flags above the level "
                             "(a -march= after $CFLAGS?), or, if a CPU check chooses that function at run time, "
                             "allow it (--allow-function)",
                             above, hwcaps_level_name(dir_level), where, bytes, fi->name, hwcaps_level_name(fi->level));
        else
                e = asprintf(&s, "code above %s%s in a stripped file that checks the CPU at run time: %s: instruction %s "
                             "needs %s (%s); without symbols, code chosen at run time cannot be told from misplaced "
                             "code: check before stripping",
                             above, hwcaps_level_name(dir_level), where, bytes, fi->name, hwcaps_level_name(fi->level));
        return e < 0 ? NULL : s;
}
