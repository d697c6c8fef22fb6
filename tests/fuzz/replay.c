/* SPDX-License-Identifier: MIT */
/* Runs a fuzz target over files and directories of inputs, once each, without
 * libFuzzer: the seed corpus and the regression inputs are tests with any
 * compiler (gcc builds, valgrind, the sanitizer build). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

__attribute__((weak)) int LLVMFuzzerInitialize(int *argc, char ***argv);

static int run_file(const char *path) {
        FILE *f = fopen(path, "rb");
        uint8_t *buf = NULL;
        size_t n = 0, cap = 0;

        if (!f) {
                fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
                return -1;
        }
        for (;;) {
                if (n == cap) {
                        uint8_t *b = realloc(buf, cap = cap ? cap * 2 : 4096);
                        if (!b) {
                                fclose(f);
                                free(buf);
                                return -1;
                        }
                        buf = b;
                }
                size_t k = fread(buf + n, 1, cap - n, f);
                if (k == 0)
                        break;
                n += k;
        }
        fclose(f);
        /* An exact-size copy, as libFuzzer passes it, so a read past the
         * end is caught by ASan or valgrind. */
        uint8_t *exact = malloc(n ? n : 1);
        if (!exact) {
                free(buf);
                return -1;
        }
        memcpy(exact, buf, n);
        free(buf);
        LLVMFuzzerTestOneInput(exact, n);
        free(exact);
        return 0;
}

int main(int argc, char **argv) {
        unsigned runs = 0, failed = 0;

        if (LLVMFuzzerInitialize)
                LLVMFuzzerInitialize(&argc, &argv);
        for (int i = 1; i < argc; i++) {
                struct stat st;
                struct dirent **list;
                int k;

                if (stat(argv[i], &st) < 0 || !S_ISDIR(st.st_mode)) {
                        failed += run_file(argv[i]) < 0;
                        runs++;
                        continue;
                }
                k = scandir(argv[i], &list, NULL, alphasort);
                if (k < 0) {
                        fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
                        failed++;
                        continue;
                }
                for (int j = 0; j < k; j++) {
                        char path[4096];

                        if (list[j]->d_name[0] != '.' &&
                            snprintf(path, sizeof path, "%s/%s", argv[i], list[j]->d_name) < (int) sizeof path) {
                                failed += run_file(path) < 0;
                                runs++;
                        }
                        free(list[j]);
                }
                free(list);
        }
        printf("replay: %u inputs, %u unreadable\n", runs, failed);
        return failed || runs == 0 ? 1 : 0;
}
