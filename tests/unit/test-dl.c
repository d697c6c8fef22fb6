/* SPDX-License-Identifier: MIT */
/* Opening optional libraries on first use (dl.c): with libm and zlib,
 * which every system has, and names that exist nowhere. */
#include <criterion/criterion.h>
#include <errno.h>
#include <math.h>
#include <string.h>

#include "dl.h"

/* zlib's, declared here: its header is no build dependency. */
const char *zlibVersion(void);
unsigned long crc32(unsigned long crc, const unsigned char *buf, unsigned len);

HWCAPS_DL_DECLARE(cos);
HWCAPS_DL_DECLARE(sqrt);
HWCAPS_DL_DECLARE(zlibVersion);
HWCAPS_DL_DECLARE(crc32);

/* Not in zlib: a table from a newer version than the one installed. */
int hwcaps_test_no_such_symbol(void);
HWCAPS_DL_DECLARE(hwcaps_test_no_such_symbol);

static const struct hwcaps_dl_sym libm_syms[] = { HWCAPS_DL_SYM(cos), HWCAPS_DL_SYM(sqrt) };
static const struct hwcaps_dl_sym newer_zlib_syms[] = {
        HWCAPS_DL_SYM(zlibVersion),
        HWCAPS_DL_SYM(hwcaps_test_no_such_symbol),
        HWCAPS_DL_SYM(crc32),
};
static const struct hwcaps_dl_sym zlib_syms[] = { HWCAPS_DL_SYM(crc32), HWCAPS_DL_SYM(zlibVersion) };

Test(dl, a_library_that_exists_is_opened_and_every_symbol_set) {
        void *handle = NULL;
        const char *error = NULL;

        cr_assert_eq(hwcaps_dl_open(&handle, "libm.so.6", libm_syms, 2, &error), 0);
        cr_assert_not_null(handle);
        cr_assert_float_eq(sym_cos(0.0), 1.0, 1e-12);
        cr_assert_float_eq(sym_sqrt(2.25), 1.5, 1e-12);
}

Test(dl, a_second_call_keeps_the_library_opened_first) {
        void *handle = NULL, *first;
        const char *error = NULL;

        cr_assert_eq(hwcaps_dl_open(&handle, "libm.so.6", libm_syms, 2, &error), 0);
        first = handle;
        sym_cos = NULL;
        /* Not opened or resolved again: another name, the pointers as they are. */
        cr_assert_eq(hwcaps_dl_open(&handle, "libhwcaps-test-missing.so.0", libm_syms, 2, &error), 0);
        cr_assert_eq(handle, first);
        cr_assert_null(sym_cos);
}

Test(dl, a_missing_library_is_enoent_naming_it) {
        void *handle = NULL;
        const char *error = NULL;

        sym_cos = sym_sqrt = NULL;
        cr_assert_eq(hwcaps_dl_open(&handle, "libhwcaps-test-missing.so.0", libm_syms, 2, &error), -ENOENT);
        cr_assert_null(handle);
        cr_assert_not_null(error);
        cr_assert(strstr(error, "libhwcaps-test-missing.so.0"), "%s", error);
        cr_assert_null(sym_cos);
        cr_assert_null(sym_sqrt);
}

Test(dl, a_missing_symbol_is_enosys_and_sets_no_pointer) {
        void *handle = NULL;
        const char *error = NULL;

        sym_zlibVersion = NULL;
        sym_crc32 = NULL;
        cr_assert_eq(hwcaps_dl_open(&handle, "libz.so.1", newer_zlib_syms, 3, &error), -ENOSYS);
        cr_assert_str_eq(error, "libz.so.1: no symbol hwcaps_test_no_such_symbol");
        cr_assert_null(handle);
        /* Resolved before the missing one, still not set: no half table. */
        cr_assert_null(sym_zlibVersion);
        cr_assert_null(sym_crc32);
        cr_assert_null(sym_hwcaps_test_no_such_symbol);
}

Test(dl, a_failure_is_not_remembered) {
        void *handle = NULL;
        const char *error = NULL;

        cr_assert_eq(hwcaps_dl_open(&handle, "libz.so.1", newer_zlib_syms, 3, &error), -ENOSYS);
        cr_assert_eq(hwcaps_dl_open(&handle, "libz.so.1", zlib_syms, 2, &error), 0);
        cr_assert_not_null(handle);
        /* The CRC-32 check value (ISO-HDLC), computed by the library opened. */
        cr_assert_eq(sym_crc32(0, (const unsigned char *) "123456789", 9), 0xcbf43926);
}

Test(dl, no_symbols_opens_the_library_alone) {
        void *handle = NULL;
        const char *error = NULL;

        cr_assert_eq(hwcaps_dl_open(&handle, "libz.so.1", NULL, 0, &error), 0);
        cr_assert_not_null(handle);
}
