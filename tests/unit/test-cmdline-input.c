/* SPDX-License-Identifier: MIT */
/* Bad input for the kernel command line parser (issue 3): random bytes,
 * NUL bytes (1 MiB: test-cmdline.c). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmdline.h"

struct warned {
        unsigned n;
        char key[64];
};

static void count_warn(void *userdata, const char *key, const char *value, size_t n) {
        struct warned *w = userdata;
        (void) value;
        (void) n;
        w->n++;
        snprintf(w->key, sizeof w->key, "%s", key);
}

Test(cmdline_input, binary_bytes_do_not_crash) {
        char buf[4096];
        struct warned w = {};
        struct hwcaps_cmdline c;
        srand(1);
        for (int round = 0; round < 200; round++) {
                for (size_t i = 0; i < sizeof buf; i++)
                        buf[i] = (char) rand();
                hwcaps_cmdline_parse(buf, sizeof buf, &c, count_warn, &w);
        }
        /* and a real option after NUL bytes still counts */
        memcpy(buf, "\0\0\0 hwcaps=off", 14);
        hwcaps_cmdline_parse(buf, 14, &c, NULL, NULL);
        cr_assert_eq(c.enabled, 0);
}
