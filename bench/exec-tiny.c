/* SPDX-License-Identifier: MIT */
/* exec-tiny: the least a program can be, the floor the stub is measured
 * against (bench/exec-overhead.c, cases e and f). Static, no libc, no start
 * files, built with the stub's own compile and link flags (one PT_LOAD
 * segment); its _start is exit_group(0) and nothing else, so an exec of it
 * costs the kernel's execve, the page faults of one page, and the exit. */
__asm__(".text\n"
        ".global _start\n"
        "_start:\n"
        "        mov $231, %eax\n" /* __NR_exit_group */
        "        xor %edi, %edi\n"
        "        syscall\n"
        "        hlt\n");
