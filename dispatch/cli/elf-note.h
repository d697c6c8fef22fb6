/* SPDX-License-Identifier: MIT */
/* Which x86-64 ISA level an ELF program or library says it needs: the
 * GNU_PROPERTY_X86_ISA_1_NEEDED property of its NT_GNU_PROPERTY_TYPE_0 note,
 * which `ld -z x86-64-vN` writes and glibc (>= 2.33) checks at load time
 * ("CPU ISA level is lower than required"); and whether it is the
 * dispatch stub, by the note identity.h names. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hwcaps_elf_info {
        uint16_t type;       /* e_type: ET_EXEC, ET_DYN, ... */
        bool has_isa_needed; /* the property is present */
        uint32_t isa_needed; /* its GNU_PROPERTY_X86_ISA_1_* bits (OR of all notes) */
        bool dispatch_stub;  /* a PT_NOTE segment holds the stub's note (identity.h) */
};

/* Parse an ELF image held in memory (untrusted: every offset and size is
 * checked against n). Returns 0 and fills *ret; or -ENOEXEC (not an ELF
 * file, or not 64-bit little-endian x86-64) or -EBADMSG (truncated or
 * malformed), with *ret_reason set to a static message saying which.
 * Pure: no I/O, no allocation, never reads outside buf[0..n). */
int hwcaps_elf_isa_needed(const void *buf, size_t n, struct hwcaps_elf_info *ret, const char **ret_reason);

/* The level an ISA_1_NEEDED bit set asks for: the highest V2/V3/V4 bit, else
 * 1 (baseline, or no bits). Bits above V4 are reported as 5 (unknown, newer
 * than this code). */
int hwcaps_elf_isa_level(uint32_t isa_needed);

/* Map the file open on fd and parse it like hwcaps_elf_isa_needed(); an
 * empty file is -ENOEXEC. Other errors are -errno of fstat()/mmap().
 * Both take NULL for ret_reason. */
int hwcaps_elf_isa_needed_fd(int fd, struct hwcaps_elf_info *ret, const char **ret_reason);
