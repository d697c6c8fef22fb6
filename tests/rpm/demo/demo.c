/* SPDX-License-Identifier: MIT */
/* hwcaps-demo: a loop the compiler vectorises differently per level. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>

#define N 4096
#ifndef NAME
#define NAME "hwcaps-demo"
#endif

/* 64-bit multiplies: SSE2/SSE4 code at x86-64-v2, VEX (ymm) at v3, and the
 * AVX-512DQ instruction vpmullq (EVEX) at v4. */
__attribute__((noinline)) void demo_kernel(int64_t *restrict c, const int64_t *restrict a,
                                           const int64_t *restrict b, int n) {
        for (int i = 0; i < n; i++)
                c[i] = a[i] * b[i] + a[i];
}

int main(void) {
        static int64_t a[N], b[N], c[N];
        uint64_t sum = 0;

        for (int i = 0; i < N; i++) {
                a[i] = i * 7 + 3;
                b[i] = (int64_t) i * 1000003 - 5;
        }
        demo_kernel(c, a, b, N);
        for (int i = 0; i < N; i++)
                sum = sum * 31 + (uint64_t) c[i];
        printf("%s %" PRIu64 "\n", NAME, sum);
        return 0;
}
