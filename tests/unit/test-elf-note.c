/* SPDX-License-Identifier: MIT */
/* The ELF note reader on hand-made images: good ones, and every kind of
 * truncation and lie in the headers. */
#include <criterion/criterion.h>
#include <elf.h>
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "elf-note.h"

/* An ELF64 executable: header, one program header, one property note. */
struct image {
        Elf64_Ehdr eh;
        Elf64_Phdr ph;
        struct {
                Elf64_Nhdr nh;
                char name[4];       /* "GNU" */
                uint32_t pr_type;
                uint32_t pr_datasz;
                uint32_t pr_data;
                uint32_t pr_pad;    /* ELF64 properties are 8-aligned */
        } note;
};

static struct image make(uint32_t seg_type, uint32_t isa) {
        struct image im;

        memset(&im, 0, sizeof(im));
        memcpy(im.eh.e_ident, ELFMAG, SELFMAG);
        im.eh.e_ident[EI_CLASS] = ELFCLASS64;
        im.eh.e_ident[EI_DATA] = ELFDATA2LSB;
        im.eh.e_ident[EI_VERSION] = EV_CURRENT;
        im.eh.e_type = ET_DYN;
        im.eh.e_machine = EM_X86_64;
        im.eh.e_phoff = offsetof(struct image, ph);
        im.eh.e_phentsize = sizeof(Elf64_Phdr);
        im.eh.e_phnum = 1;
        im.ph.p_type = seg_type;
        im.ph.p_offset = offsetof(struct image, note);
        im.ph.p_filesz = sizeof(im.note);
        im.ph.p_align = 8;
        im.note.nh.n_namesz = 4;
        im.note.nh.n_descsz = 16;
        im.note.nh.n_type = NT_GNU_PROPERTY_TYPE_0;
        memcpy(im.note.name, "GNU", 4);
        im.note.pr_type = GNU_PROPERTY_X86_ISA_1_NEEDED;
        im.note.pr_datasz = 4;
        im.note.pr_data = isa;
        return im;
}

static int parse(const void *buf, size_t n, struct hwcaps_elf_info *info, const char **why) {
        *why = NULL;
        return hwcaps_elf_isa_needed(buf, n, info, why);
}

Test(elf_note, v3_marker_in_pt_gnu_property_is_read) {
        struct image im = make(PT_GNU_PROPERTY, GNU_PROPERTY_X86_ISA_1_BASELINE | GNU_PROPERTY_X86_ISA_1_V3);
        struct hwcaps_elf_info info;
        const char *why;

        cr_assert_eq(parse(&im, sizeof(im), &info, &why), 0, "%s", why);
        cr_expect(info.has_isa_needed);
        cr_expect_eq(info.type, ET_DYN);
        cr_expect_eq(hwcaps_elf_isa_level(info.isa_needed), 3);
}

Test(elf_note, marker_in_pt_note_is_read_without_pt_gnu_property) {
        struct image im = make(PT_NOTE, GNU_PROPERTY_X86_ISA_1_V4);
        struct hwcaps_elf_info info;
        const char *why;

        cr_assert_eq(parse(&im, sizeof(im), &info, &why), 0, "%s", why);
        cr_expect_eq(hwcaps_elf_isa_level(info.isa_needed), 4);
}

Test(elf_note, other_notes_and_properties_mean_no_marker) {
        struct image im = make(PT_NOTE, GNU_PROPERTY_X86_ISA_1_V4);
        struct hwcaps_elf_info info;
        const char *why;

        im.note.pr_type = GNU_PROPERTY_X86_FEATURE_1_AND;
        cr_assert_eq(parse(&im, sizeof(im), &info, &why), 0, "%s", why);
        cr_expect_not(info.has_isa_needed);

        im = make(PT_NOTE, GNU_PROPERTY_X86_ISA_1_V4);
        memcpy(im.note.name, "XYZ", 4);
        cr_assert_eq(parse(&im, sizeof(im), &info, &why), 0, "%s", why);
        cr_expect_not(info.has_isa_needed);
}

Test(elf_note, no_program_headers_is_no_marker) {
        struct image im = make(PT_NOTE, GNU_PROPERTY_X86_ISA_1_V4);
        struct hwcaps_elf_info info;
        const char *why;

        im.eh.e_phnum = 0;
        cr_assert_eq(parse(&im, sizeof(im), &info, &why), 0, "%s", why);
        cr_expect_not(info.has_isa_needed);
}

Test(elf_note, levels_of_isa_bits) {
        cr_expect_eq(hwcaps_elf_isa_level(0), 1);
        cr_expect_eq(hwcaps_elf_isa_level(GNU_PROPERTY_X86_ISA_1_BASELINE), 1);
        cr_expect_eq(hwcaps_elf_isa_level(GNU_PROPERTY_X86_ISA_1_V2), 2);
        cr_expect_eq(hwcaps_elf_isa_level(GNU_PROPERTY_X86_ISA_1_V2 | GNU_PROPERTY_X86_ISA_1_V4), 4);
        cr_expect_eq(hwcaps_elf_isa_level(1u << 4), 5, "bits above v4 are unknown, not ignored");
}

struct bad_case {
        const char *what;
        int err;
        const char *reason;
};

static void expect_bad(const void *buf, size_t n, int err, const char *reason) {
        struct hwcaps_elf_info info;
        const char *why;

        cr_expect_eq(parse(buf, n, &info, &why), -err, "%s", reason);
        cr_expect_str_eq(why ? why : "(none)", reason);
}

Test(elf_note, not_elf) {
        expect_bad("#!/bin/sh\n", 10, ENOEXEC, "not an ELF file");
        expect_bad("", 0, ENOEXEC, "not an ELF file");
        expect_bad(NULL, 0, ENOEXEC, "not an ELF file");
        expect_bad("\x7f" "EL", 3, ENOEXEC, "not an ELF file");
}

Test(elf_note, wrong_class_order_or_machine) {
        struct image im = make(PT_NOTE, 0);
        im.eh.e_ident[EI_CLASS] = ELFCLASS32;
        expect_bad(&im, sizeof(im), ENOEXEC, "not a 64-bit ELF file");

        im = make(PT_NOTE, 0);
        im.eh.e_ident[EI_DATA] = ELFDATA2MSB;
        expect_bad(&im, sizeof(im), ENOEXEC, "not a little-endian ELF file");

        im = make(PT_NOTE, 0);
        im.eh.e_machine = EM_AARCH64;
        expect_bad(&im, sizeof(im), ENOEXEC, "ELF file for another machine than x86-64");
}

Test(elf_note, truncated_header) {
        struct image im = make(PT_NOTE, 0);
        expect_bad(&im, 10, EBADMSG, "truncated ELF header");
        expect_bad(&im, sizeof(Elf64_Ehdr) - 1, EBADMSG, "truncated ELF header");
}

Test(elf_note, program_headers_past_the_end) {
        struct image im = make(PT_NOTE, 0);
        expect_bad(&im, sizeof(Elf64_Ehdr) + 10, EBADMSG, "program headers run past the end of the file");

        im.eh.e_phoff = UINT64_MAX - 8;
        expect_bad(&im, sizeof(im), EBADMSG, "program headers run past the end of the file");

        im = make(PT_NOTE, 0);
        im.eh.e_phnum = 1000;
        expect_bad(&im, sizeof(im), EBADMSG, "program headers run past the end of the file");

        im = make(PT_NOTE, 0);
        im.eh.e_phentsize = 8;
        expect_bad(&im, sizeof(im), EBADMSG, "program header entries are too small");

        im = make(PT_NOTE, 0);
        im.eh.e_phnum = PN_XNUM;
        expect_bad(&im, sizeof(im), EBADMSG, "more than 65534 program headers (PN_XNUM) are not supported");
}

Test(elf_note, segment_past_the_end) {
        struct image im = make(PT_NOTE, 0);
        im.ph.p_offset = UINT64_MAX - 4;
        expect_bad(&im, sizeof(im), EBADMSG, "note segment runs past the end of the file");

        im = make(PT_NOTE, 0);
        im.ph.p_filesz = UINT64_MAX;
        expect_bad(&im, sizeof(im), EBADMSG, "note segment runs past the end of the file");

        im = make(PT_NOTE, 0);
        expect_bad(&im, sizeof(im) - 1, EBADMSG, "note segment runs past the end of the file");
}

Test(elf_note, lying_note_and_property_sizes) {
        struct image im = make(PT_NOTE, 0);
        im.note.nh.n_namesz = UINT32_MAX;
        expect_bad(&im, sizeof(im), EBADMSG, "note runs past the end of its segment");

        im = make(PT_NOTE, 0);
        im.note.nh.n_descsz = UINT32_MAX - 2;
        expect_bad(&im, sizeof(im), EBADMSG, "note runs past the end of its segment");

        im = make(PT_NOTE, 0);
        im.ph.p_filesz = 8;
        expect_bad(&im, sizeof(im), EBADMSG, "truncated note header");

        im = make(PT_NOTE, 0);
        im.note.pr_datasz = 5000;
        expect_bad(&im, sizeof(im), EBADMSG, "GNU property runs past the end of its note");

        im = make(PT_NOTE, 0);
        im.note.pr_datasz = 8;
        expect_bad(&im, sizeof(im), EBADMSG, "GNU_PROPERTY_X86_ISA_1_NEEDED has a size other than 4");
}

Test(elf_note, every_truncation_is_an_error_or_a_clean_answer) {
        struct image im = make(PT_GNU_PROPERTY, GNU_PROPERTY_X86_ISA_1_V2);

        for (size_t n = 0; n < sizeof(im); n++) {
                unsigned char *copy = malloc(n ? n : 1);
                struct hwcaps_elf_info info;
                const char *why;

                memcpy(copy, &im, n);
                int r = parse(copy, n, &info, &why);
                cr_expect(r == -ENOEXEC || r == -EBADMSG, "length %zu: %d", n, r);
                cr_expect_not_null(why, "length %zu gave no reason", n);
                free(copy);
        }
}
