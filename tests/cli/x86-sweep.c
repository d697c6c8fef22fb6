/* SPDX-License-Identifier: MIT */
/* x86-sweep FILE: every instruction x86_decode() finds in the executable
 * sections of FILE, one a line, "ADDRESS FEATURE" in hex and by the level
 * table's name ("-" for none), for test-check-isa.sh to compare with
 * objdump -d. Sections are swept from their start, as objdump does. */
#include <elf.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "level.h"
#include "x86-decode.h"

int main(int argc, char **argv) {
        struct stat st;
        int fd = argc == 2 ? open(argv[1], O_RDONLY) : -1;

        if (fd < 0 || fstat(fd, &st) < 0) {
                fprintf(stderr, "usage: x86-sweep FILE\n");
                return 2;
        }
        const uint8_t *m = mmap(NULL, (size_t) st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (m == MAP_FAILED)
                return 1;
        Elf64_Ehdr eh;
        memcpy(&eh, m, sizeof(eh));
        for (size_t i = 0; i < eh.e_shnum; i++) {
                Elf64_Shdr sh;
                memcpy(&sh, m + eh.e_shoff + i * sizeof(sh), sizeof(sh));
                if (sh.sh_type != SHT_PROGBITS || !(sh.sh_flags & SHF_EXECINSTR))
                        continue;
                for (size_t off = 0; off < sh.sh_size;) {
                        struct x86_insn in;
                        if (x86_decode(m + sh.sh_offset + off, sh.sh_size - off, &in) < 0) {
                                printf("%" PRIx64 " (bad)\n", sh.sh_addr + off);
                                off++;
                                continue;
                        }
                        printf("%" PRIx64 " %s\n", sh.sh_addr + off,
                               in.feature >= 0 ? hwcaps_feature_table[in.feature].name : "-");
                        off += in.len;
                }
        }
        return 0;
}
