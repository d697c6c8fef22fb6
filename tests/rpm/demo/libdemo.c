/* SPDX-License-Identifier: MIT */
/* A library, to exercise %{_libdir}/glibc-hwcaps/ variants. */
#include <stddef.h>

float demo_dot(const float *a, const float *b, size_t n) {
        float s = 0;
        for (size_t i = 0; i < n; i++)
                s += a[i] * b[i];
        return s;
}
