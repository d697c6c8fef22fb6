/* SPDX-License-Identifier: MIT */
/* The instruction audit on hand-made ELF images: the first instruction
 * above the limit, named by its function; functions chosen at run time;
 * stripped files; the verdicts and their messages; lies in the headers. */
#include <criterion/criterion.h>
#include <elf.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "isa-audit.h"
#include "level.h"

/* header, sections (null, .text, .symtab, .strtab), code, symbols, names */
struct image {
        Elf64_Ehdr eh;
        Elf64_Shdr sh[4];
        uint8_t text[32];
        Elf64_Sym sym[3];
        char str[64];
};

#define TEXT_ADDR 0x401000
static const uint8_t code[] = {
        0x55,                                   /* 0: push %rbp          (f) */
        0xc5, 0xf5, 0xfe, 0xd0,                 /* 1: vpaddd %ymm0,%ymm1,%ymm2 */
        0xc3,                                   /* 5: ret */
        0x62, 0xf1, 0x75, 0x48, 0xfe, 0xd0,     /* 6: vpaddd %zmm0,%zmm1,%zmm2 (g) */
        0xc3,                                   /* 12: ret */
};

static struct image make(const char *f, const char *g, bool symbols) {
        struct image im;

        memset(&im, 0, sizeof(im));
        memcpy(im.eh.e_ident, ELFMAG, SELFMAG);
        im.eh.e_ident[EI_CLASS] = ELFCLASS64;
        im.eh.e_ident[EI_DATA] = ELFDATA2LSB;
        im.eh.e_type = ET_EXEC;
        im.eh.e_machine = EM_X86_64;
        im.eh.e_shoff = offsetof(struct image, sh);
        im.eh.e_shentsize = sizeof(Elf64_Shdr);
        im.eh.e_shnum = symbols ? 4 : 2;
        memcpy(im.text, code, sizeof(code));
        im.sh[1] = (Elf64_Shdr) { .sh_type = SHT_PROGBITS, .sh_flags = SHF_ALLOC | SHF_EXECINSTR,
                                  .sh_addr = TEXT_ADDR, .sh_offset = offsetof(struct image, text), .sh_size = sizeof(code) };
        im.sh[2] = (Elf64_Shdr) { .sh_type = SHT_SYMTAB, .sh_offset = offsetof(struct image, sym),
                                  .sh_size = sizeof(im.sym), .sh_link = 3, .sh_entsize = sizeof(Elf64_Sym) };
        im.sh[3] = (Elf64_Shdr) { .sh_type = SHT_STRTAB, .sh_offset = offsetof(struct image, str), .sh_size = sizeof(im.str) };
        size_t gname = 1 + strlen(f) + 1;
        snprintf(im.str + 1, sizeof(im.str) - 1, "%s", f);
        snprintf(im.str + gname, sizeof(im.str) - gname, "%s", g);
        im.sym[1] = (Elf64_Sym) { .st_name = 1, .st_info = ELF64_ST_INFO(STB_GLOBAL, STT_FUNC), .st_shndx = 1,
                                  .st_value = TEXT_ADDR, .st_size = 6 };
        im.sym[2] = (Elf64_Sym) { .st_name = (uint32_t) gname, .st_info = ELF64_ST_INFO(STB_LOCAL, STT_FUNC),
                                  .st_shndx = 1, .st_value = TEXT_ADDR + 6, .st_size = 7 };
        return im;
}

static struct hwcaps_isa_result audit(const struct image *im, int limit, char *const *allow) {
        struct hwcaps_isa_result r;
        const char *reason = NULL;
        cr_assert_eq(hwcaps_isa_audit(im, sizeof(*im), limit, allow, &r, &reason), 0, "%s", reason ?: "");
        return r;
}

Test(isa_audit, the_first_instruction_above_the_limit_is_named_by_its_function) {
        struct image im = make("main", "work", true);
        struct hwcaps_isa_result r = audit(&im, HWCAPS_LEVEL_V2, NULL);

        cr_assert(r.found);
        cr_expect_eq(r.addr, TEXT_ADDR + 1);
        cr_expect_eq(r.feature, HWCAPS_F_AVX2);
        cr_expect_str_eq(r.function, "main");
        cr_expect_eq(r.offset, 1);
        cr_expect_eq(r.code_level, HWCAPS_LEVEL_V4);
        cr_expect(r.symbols);
        cr_expect_eq(r.instructions, 5);

        r = audit(&im, HWCAPS_LEVEL_V3, NULL);
        cr_assert(r.found);
        cr_expect_str_eq(r.function, "work");
        cr_expect_eq(r.feature, HWCAPS_F_AVX512F);
        cr_expect(!audit(&im, HWCAPS_LEVEL_V4, NULL).found);
}

Test(isa_audit, functions_chosen_at_run_time_are_not_judged) {
        struct image im = make("main_avx2", "work.arch_x86_64_v4.0", true);
        struct hwcaps_isa_result r = audit(&im, HWCAPS_LEVEL_V1, NULL);
        cr_expect(!r.found);
        cr_expect_eq(r.code_level, HWCAPS_LEVEL_V1);

        im = make("main", "work", true);
        char *allow[] = { "ma?n", "w*", NULL };
        cr_expect(!audit(&im, HWCAPS_LEVEL_V1, allow).found);
}

Test(isa_audit, names_marking_a_feature_as_a_word) {
        static const char *const yes[] = {
                "__memcpy_avx_unaligned_erms", "HUF_decompress4X1_usingDTable_internal_bmi2", "foo.avx2.0",
                "__memcmp_sse4_1", "__strcspn_sse42", "foo.arch_x86_64_v3.1", "__strlen_evex", "__memset_avx512_no_vzeroupper",
                "_ZN6memchr4arch6x86_644avx27memchr3One", "__sin_fma", "POPCNT_count",
        };
        static const char *const no[] = { "main", "fmadd", "savx2", "process_sse2", "popcount", "avxfoo", "" };
        for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
                cr_expect(hwcaps_isa_function_allowed(yes[i], strlen(yes[i]), NULL), "%s", yes[i]);
        for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
                cr_expect(!hwcaps_isa_function_allowed(no[i], strlen(no[i]), NULL), "%s", no[i]);
}

Test(isa_audit, stripped_files_have_no_function_and_may_be_dispatched) {
        struct image im = make("main", "work", false);
        struct hwcaps_isa_result r = audit(&im, HWCAPS_LEVEL_V2, NULL);
        cr_assert(r.found);
        cr_expect(!r.symbols);
        cr_expect_str_eq(r.function, "");
        cr_expect(!r.asks_cpu);
        cr_expect_eq(hwcaps_isa_verdict(&r, HWCAPS_LEVEL_V2, HWCAPS_LEVEL_V2), HWCAPS_ISA_ABOVE);

        /* a CPUID in the code: the AVX2 may be chosen at run time */
        im.text[0] = 0x0f;
        memmove(im.text + 2, code + 1, sizeof(code) - 1);
        im.text[1] = 0xa2;
        im.sh[1].sh_size = sizeof(code) + 1;
        r = audit(&im, HWCAPS_LEVEL_V2, NULL);
        cr_expect(r.asks_cpu);
        cr_expect_eq(hwcaps_isa_verdict(&r, HWCAPS_LEVEL_V2, HWCAPS_LEVEL_V2), HWCAPS_ISA_ABOVE_UNSURE);
}

Test(isa_audit, verdicts_and_messages) {
        struct image im = make("main\033[2J", "work", true);
        struct hwcaps_isa_result r = audit(&im, HWCAPS_LEVEL_V2, NULL);
        char *m = hwcaps_isa_message(&r, hwcaps_isa_verdict(&r, HWCAPS_LEVEL_V2, HWCAPS_LEVEL_V2), HWCAPS_LEVEL_V2);
        cr_assert(m);
        cr_expect(strstr(m, "code above its directory's level x86-64-v2: main\\x1b[2J+0x1 (0x401001): "
                            "instruction c5 f5 fe d0 needs AVX2 (x86-64-v3)"), "%s", m);
        free(m);
        m = hwcaps_isa_message(&r, HWCAPS_ISA_ABOVE, HWCAPS_LEVEL_V1);
        cr_expect(strstr(m, "code above the baseline x86-64-v1: "), "%s", m);
        free(m);

        struct hwcaps_isa_result base = { .code_level = HWCAPS_LEVEL_V1 };
        cr_expect_eq(hwcaps_isa_verdict(&base, HWCAPS_LEVEL_V3, HWCAPS_LEVEL_V1), HWCAPS_ISA_NEVER_REACHED);
        cr_expect_eq(hwcaps_isa_verdict(&base, HWCAPS_LEVEL_V3, HWCAPS_LEVEL_V3), HWCAPS_ISA_OK, "the marker says v3");
        cr_expect_eq(hwcaps_isa_verdict(&base, HWCAPS_LEVEL_V1, HWCAPS_LEVEL_V1), HWCAPS_ISA_OK, "a baseline");
        base.code_level = HWCAPS_LEVEL_V2;
        cr_expect_eq(hwcaps_isa_verdict(&base, HWCAPS_LEVEL_V3, HWCAPS_LEVEL_V1), HWCAPS_ISA_OK, "the code needs v2");
        m = hwcaps_isa_message(&base, HWCAPS_ISA_NEVER_REACHED, HWCAPS_LEVEL_V3);
        cr_expect(strstr(m, "the level flags never reached this build"), "%s", m);
        free(m);
}

Test(isa_audit, lies_in_the_headers_are_refused) {
        struct hwcaps_isa_result r;
        const char *reason;
        struct image im = make("main", "work", true);

        cr_expect_eq(hwcaps_isa_audit("#!/bin/sh\n", 10, 1, NULL, &r, &reason), -ENOEXEC);
        for (size_t n = 0; n < sizeof(Elf64_Ehdr); n++)
                cr_expect_eq(hwcaps_isa_audit(&im, n, 1, NULL, &r, &reason), -ENOEXEC, "cut to %zu", n);
        cr_expect_eq(hwcaps_isa_audit(&im, offsetof(struct image, text), 1, NULL, &r, &reason), -EBADMSG,
                     "sections cut off");
        im = make("main", "work", true);
        im.eh.e_machine = EM_AARCH64;
        cr_expect_eq(hwcaps_isa_audit(&im, sizeof(im), 1, NULL, &r, &reason), -ENOEXEC);
        im = make("main", "work", true);
        im.sh[1].sh_size = 1u << 30;
        cr_expect_eq(hwcaps_isa_audit(&im, sizeof(im), 1, NULL, &r, &reason), -EBADMSG);
        im = make("main", "work", true);
        im.sh[2].sh_offset = 1u << 30;
        cr_expect_eq(hwcaps_isa_audit(&im, sizeof(im), 1, NULL, &r, &reason), -EBADMSG);
        /* a name running off its string table: the symbol is ignored */
        im = make("main", "work", true);
        im.sym[1].st_name = 1000;
        cr_expect_eq(hwcaps_isa_audit(&im, sizeof(im), 1, NULL, &r, &reason), 0);
        cr_expect_str_eq(r.function, "", "the unnamed first function");
}

Test(isa_audit, a_label_of_hand_written_assembly_names_the_code_after_it) {
        struct image im = make("main", "fast_asm_loop", true);
        im.sym[2].st_info = ELF64_ST_INFO(STB_GLOBAL, STT_NOTYPE);
        im.sym[2].st_size = 0;   /* zstd's huf_decompress_amd64.S */
        struct hwcaps_isa_result r = audit(&im, HWCAPS_LEVEL_V3, NULL);
        cr_assert(r.found);
        cr_expect_str_eq(r.function, "fast_asm_loop");
        cr_expect_eq(r.offset, 0);
        char *allow[] = { "*_asm_loop", NULL };
        cr_expect(!audit(&im, HWCAPS_LEVEL_V3, allow).found);
}
