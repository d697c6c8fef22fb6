/* SPDX-License-Identifier: MIT */
/* ELF ISA-level note reader (dispatch/cli/elf-note.c) behind `hwcaps check`,
 * which reads files from untrusted packages. Properties:
 *  - returns 0, -ENOEXEC or -EBADMSG, with a reason on error, and never
 *    reads outside the buffer (the input is an exact-size copy: ASan);
 *  - on success e_type is the file's and the level is 1..5; the verdict is
 *    the same with trailing bytes appended (offsets do not move);
 *  - deterministic, and hwcaps_elf_isa_needed_fd() on a memfd with the same
 *    bytes agrees. */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "elf-note.h"
#include "fuzz.h"

static bool same(const struct hwcaps_elf_info *a, const struct hwcaps_elf_info *b) {
        return a->type == b->type && a->has_isa_needed == b->has_isa_needed && a->isa_needed == b->isa_needed;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        struct hwcaps_elf_info info, info2;
        const char *reason = NULL, *reason2 = NULL;
        uint8_t *copy;
        int r, r2, fd;

        memset(&info, 0x5a, sizeof info);
        r = hwcaps_elf_isa_needed(data, size, &info, &reason);
        FUZZ_CHECK(r == 0 || r == -ENOEXEC || r == -EBADMSG, "returned %d", r);
        if (r < 0) {
                FUZZ_CHECK(reason && *reason, "error %d without a reason", r);
        } else {
                uint16_t type;
                int level = hwcaps_elf_isa_level(info.isa_needed);

                FUZZ_CHECK(size >= 18, "accepted %zu bytes", size);
                memcpy(&type, data + 16, 2);
                FUZZ_CHECK(info.type == type, "e_type %u, file says %u", info.type, type);
                FUZZ_CHECK(level >= 1 && level <= 5, "level %d", level);
                FUZZ_CHECK(info.has_isa_needed || info.isa_needed == 0, "bits without the property");
        }

        memset(&info2, 0x5a, sizeof info2);
        r2 = hwcaps_elf_isa_needed(data, size, &info2, &reason2);
        FUZZ_CHECK(r == r2 && (r < 0 || same(&info, &info2)), "not deterministic");

        if (r == 0) {
                copy = calloc(1, size + 64);
                if (!copy)
                        abort();
                memcpy(copy, data, size);
                r2 = hwcaps_elf_isa_needed(copy, size + 64, &info2, &reason2);
                free(copy);
                FUZZ_CHECK(r2 == 0 && same(&info, &info2), "trailing bytes changed the verdict (%d)", r2);
        }

        if (size > 0) {
                fd = memfd_create("hwcaps-fuzz-elf", MFD_CLOEXEC);
                FUZZ_CHECK(fd >= 0 && write(fd, data, size) == (ssize_t) size, "memfd");
                memset(&info2, 0x5a, sizeof info2);
                r2 = hwcaps_elf_isa_needed_fd(fd, &info2, &reason2);
                close(fd);
                FUZZ_CHECK(r == r2 && (r < 0 || same(&info, &info2)), "fd reader differs: %d vs %d", r2, r);
        }
        return 0;
}
