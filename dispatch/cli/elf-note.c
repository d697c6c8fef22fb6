/* SPDX-License-Identifier: MIT */
#include <elf.h>
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "elf-note.h"
#include "identity.h"

/* Layouts: System V gABI ("Program Header", "Note Section") and the
 * Linux Extensions to gABI ("Program Property", .note.gnu.property): on
 * ELFCLASS64 a property's data is padded to 8 bytes. */

static uint16_t rd16(const uint8_t *p) {
        uint16_t v;
        memcpy(&v, p, sizeof(v));
        return v;
}

static uint32_t rd32(const uint8_t *p) {
        uint32_t v;
        memcpy(&v, p, sizeof(v));
        return v;
}

static uint64_t rd64(const uint8_t *p) {
        uint64_t v;
        memcpy(&v, p, sizeof(v));
        return v;
}

static uint64_t align_up(uint64_t v, uint64_t a) {
        return (v + a - 1) & ~(a - 1);
}

/* The properties inside one NT_GNU_PROPERTY_TYPE_0 descriptor. */
static int parse_properties(const uint8_t *p, uint64_t size, struct hwcaps_elf_info *info, const char **ret_reason) {
        uint64_t off = 0;

        while (size - off >= 8) {
                uint32_t type = rd32(p + off);
                uint32_t datasz = rd32(p + off + 4);

                if (datasz > size - off - 8) {
                        *ret_reason = "GNU property runs past the end of its note";
                        return -EBADMSG;
                }
                if (type == GNU_PROPERTY_X86_ISA_1_NEEDED) {
                        if (datasz != 4) {
                                *ret_reason = "GNU_PROPERTY_X86_ISA_1_NEEDED has a size other than 4";
                                return -EBADMSG;
                        }
                        info->has_isa_needed = true;
                        info->isa_needed |= rd32(p + off + 8);
                }
                off = align_up(off + 8 + datasz, 8);
                if (off > size)
                        break; /* last property without its padding */
        }
        return 0;
}

/* The notes of one PT_NOTE or PT_GNU_PROPERTY segment: the stub's note
 * always, the GNU properties when props. */
static int parse_notes(const uint8_t *p, uint64_t size, uint64_t align, bool props, struct hwcaps_elf_info *info,
                       const char **ret_reason) {
        uint64_t off = 0;

        /* gABI: 4-byte alignment, except 8 for 64-bit GNU property notes
         * (PT_GNU_PROPERTY has p_align 8); anything else is treated as 4, as
         * glibc's dl-prop.h does for unknown values. */
        if (align != 8)
                align = 4;

        while (off < size) {
                if (size - off < 12) {
                        *ret_reason = "truncated note header";
                        return -EBADMSG;
                }
                uint64_t namesz = rd32(p + off), descsz = rd32(p + off + 4);
                uint32_t type = rd32(p + off + 8);
                uint64_t name = off + 12;
                uint64_t desc = align_up(name + namesz, align);

                if (namesz > size - name || desc > size || descsz > size - desc) {
                        *ret_reason = "note runs past the end of its segment";
                        return -EBADMSG;
                }
                if (type == HWCAPS_STUB_NOTE_TYPE && namesz == sizeof HWCAPS_STUB_NOTE_NAME &&
                    memcmp(p + name, HWCAPS_STUB_NOTE_NAME, namesz) == 0)
                        info->dispatch_stub = true;
                if (props && type == NT_GNU_PROPERTY_TYPE_0 && namesz == 4 && memcmp(p + name, "GNU", 4) == 0) {
                        int r = parse_properties(p + desc, descsz, info, ret_reason);
                        if (r < 0)
                                return r;
                }
                off = align_up(desc + descsz, align);
        }
        return 0;
}

/* An ELF header of an x86-64 ELF64 little-endian file: 0, -ENOEXEC when
 * the file is something else, -EBADMSG when it is cut short. */
static int check_header(const uint8_t *p, size_t n, const char **ret_reason) {
        if (!p || n < SELFMAG || memcmp(p, ELFMAG, SELFMAG) != 0) {
                *ret_reason = "not an ELF file";
                return -ENOEXEC;
        }
        if (n < EI_NIDENT) {
                *ret_reason = "truncated ELF header";
                return -EBADMSG;
        }
        if (p[EI_CLASS] != ELFCLASS64) {
                *ret_reason = "not a 64-bit ELF file";
                return -ENOEXEC;
        }
        if (p[EI_DATA] != ELFDATA2LSB) {
                *ret_reason = "not a little-endian ELF file";
                return -ENOEXEC;
        }
        if (n < sizeof(Elf64_Ehdr)) {
                *ret_reason = "truncated ELF header";
                return -EBADMSG;
        }
        if (rd16(p + offsetof(Elf64_Ehdr, e_machine)) != EM_X86_64) {
                *ret_reason = "ELF file for another machine than x86-64";
                return -ENOEXEC;
        }
        return 0;
}

/* The notes of the phnum program headers at phoff, which lie inside the
 * file. Properties like glibc (elf/dl-load.c): PT_GNU_PROPERTY when there
 * is one, otherwise the property notes among the PT_NOTE segments. The
 * stub's note in any PT_NOTE segment; one that only that was read for
 * and is malformed is left alone, as glibc leaves it. */
static int parse_segments(const uint8_t *p, size_t n, uint64_t phoff, uint64_t phentsize, uint64_t phnum,
                          struct hwcaps_elf_info *info, const char **ret_reason) {
        bool have_gnu_property = false;

        for (uint64_t i = 0; i < phnum; i++)
                if (rd32(p + phoff + i * phentsize + offsetof(Elf64_Phdr, p_type)) == PT_GNU_PROPERTY)
                        have_gnu_property = true;

        for (uint64_t i = 0; i < phnum; i++) {
                const uint8_t *ph = p + phoff + i * phentsize;
                uint32_t type = rd32(ph + offsetof(Elf64_Phdr, p_type));
                uint64_t off = rd64(ph + offsetof(Elf64_Phdr, p_offset));
                uint64_t filesz = rd64(ph + offsetof(Elf64_Phdr, p_filesz));
                uint64_t align = rd64(ph + offsetof(Elf64_Phdr, p_align));

                bool props = type == (have_gnu_property ? PT_GNU_PROPERTY : PT_NOTE);
                const char *ignored;

                if (type != PT_NOTE && !props)
                        continue;
                if (off > n || filesz > n - off) {
                        if (!props)
                                continue;
                        *ret_reason = "note segment runs past the end of the file";
                        return -EBADMSG;
                }
                int r = parse_notes(p + off, filesz, align, props, info, props ? ret_reason : &ignored);
                if (r < 0 && props)
                        return r;
        }
        return 0;
}

int hwcaps_elf_isa_needed(const void *buf, size_t n, struct hwcaps_elf_info *ret, const char **ret_reason) {
        const uint8_t *p = buf;
        struct hwcaps_elf_info info = {};
        const char *dummy;
        int r;

        if (!ret_reason)
                ret_reason = &dummy;
        *ret_reason = NULL;

        r = check_header(p, n, ret_reason);
        if (r < 0)
                return r;
        info.type = rd16(p + offsetof(Elf64_Ehdr, e_type));

        uint64_t phoff = rd64(p + offsetof(Elf64_Ehdr, e_phoff));
        uint64_t phentsize = rd16(p + offsetof(Elf64_Ehdr, e_phentsize));
        uint64_t phnum = rd16(p + offsetof(Elf64_Ehdr, e_phnum));

        if (phnum == 0) {
                /* A relocatable object or a file without segments: nothing
                 * the dynamic linker would check. */
                *ret = info;
                return 0;
        }
        if (phnum == PN_XNUM) {
                *ret_reason = "more than 65534 program headers (PN_XNUM) are not supported";
                return -EBADMSG;
        }
        if (phentsize < sizeof(Elf64_Phdr)) {
                *ret_reason = "program header entries are too small";
                return -EBADMSG;
        }
        if (phoff > n || phnum * phentsize > n - phoff) {
                *ret_reason = "program headers run past the end of the file";
                return -EBADMSG;
        }
        r = parse_segments(p, n, phoff, phentsize, phnum, &info, ret_reason);
        if (r < 0)
                return r;

        *ret = info;
        return 0;
}

int hwcaps_elf_isa_level(uint32_t isa_needed) {
        if (isa_needed & ~(uint32_t) (GNU_PROPERTY_X86_ISA_1_BASELINE | GNU_PROPERTY_X86_ISA_1_V2 |
                                      GNU_PROPERTY_X86_ISA_1_V3 | GNU_PROPERTY_X86_ISA_1_V4))
                return 5;
        if (isa_needed & GNU_PROPERTY_X86_ISA_1_V4)
                return 4;
        if (isa_needed & GNU_PROPERTY_X86_ISA_1_V3)
                return 3;
        if (isa_needed & GNU_PROPERTY_X86_ISA_1_V2)
                return 2;
        return 1;
}

int hwcaps_elf_isa_needed_fd(int fd, struct hwcaps_elf_info *ret, const char **ret_reason) {
        const char *dummy;
        struct stat st;

        if (!ret_reason)
                ret_reason = &dummy;
        if (fstat(fd, &st) < 0)
                return -errno;
        if (!S_ISREG(st.st_mode)) {
                *ret_reason = "not a regular file";
                return -ENOEXEC;
        }
        if (st.st_size == 0) {
                *ret_reason = "empty file, not an ELF file";
                return -ENOEXEC;
        }
        void *m = mmap(NULL, (size_t) st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (m == MAP_FAILED)
                return -errno;
        int r = hwcaps_elf_isa_needed(m, (size_t) st.st_size, ret, ret_reason);
        munmap(m, (size_t) st.st_size);
        return r;
}
