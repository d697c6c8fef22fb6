/* SPDX-License-Identifier: MIT */
/* Shared by the fuzz targets: a property check that reports the input's
 * broken promise and aborts, so libFuzzer (or the replay driver) keeps the
 * input as a crash artifact. */
#pragma once

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define FUZZ_CHECK(cond, ...)                                                   \
        do {                                                                    \
                if (!(cond)) {                                                  \
                        fprintf(stderr, "%s:%d: property violated: %s: ",       \
                                __FILE__, __LINE__, #cond);                     \
                        fprintf(stderr, __VA_ARGS__);                           \
                        fputc('\n', stderr);                                    \
                        abort();                                                \
                }                                                               \
        } while (0)
