/* SPDX-License-Identifier: MIT */
/* macros.hwcaps through librpm: rpm's own configuration, then the macro
 * file, then rpmExpandMacros() -- exactly what rpmbuild does. */
#include <criterion/criterion.h>
#include <rpm/rpmlib.h>
#include <rpm/rpmmacro.h>
#include <stdlib.h>
#include <string.h>

static void setup(void) {
        cr_assert_eq(rpmReadConfigFiles(NULL, NULL), 0);
        cr_assert_eq(rpmLoadMacroFile(NULL, MACROS_FILE), 0);
        /* hwcaps.lua from the source tree, not an installed copy. */
        rpmDefineMacro(NULL, "_hwcaps_luadir " LUA_DIR, RMIL_CMDLINE);
        /* Fedora-like distro flags, so the replacement has work to do. */
        rpmDefineMacro(NULL, "optflags -O2 -g -march=x86-64 -mtune=generic -fcf-protection", RMIL_CMDLINE);
        rpmDefineMacro(NULL, "build_cflags %{optflags} -fexceptions", RMIL_CMDLINE);
        rpmDefineMacro(NULL, "build_ldflags -Wl,-z,relro", RMIL_CMDLINE);
        rpmDefineMacro(NULL, "_hwcaps_ld_isa_marker 1", RMIL_CMDLINE);
}

/* The expansion, or NULL when rpm reports an error. */
static char *expand(const char *s) {
        char *out = NULL;

        if (rpmExpandMacros(NULL, s, &out, 0) < 0) {
                free(out);
                return NULL;
        }
        return out;
}

static void expect(const char *macro, const char *want) {
        char *got = expand(macro);

        cr_assert_not_null(got, "%s failed to expand", macro);
        cr_expect_str_eq(got, want, "%s", macro);
        free(got);
}

TestSuite(macros, .init = setup);

Test(macros, default_levels_are_v2_v3_v4) {
        expect("%{hwcaps_levels}", "x86-64-v2 x86-64-v3 x86-64-v4");
}

Test(macros, cflags_replace_march_and_mtune_per_level) {
        expect("%{hwcaps_cflags x86-64-v2}", "-O2 -g -fcf-protection -fexceptions -march=x86-64-v2 -mtune=generic");
        expect("%{hwcaps_cflags x86-64-v3}", "-O2 -g -fcf-protection -fexceptions -march=x86-64-v3 -mtune=generic");
        expect("%{hwcaps_cflags x86-64-v4}", "-O2 -g -fcf-protection -fexceptions -march=x86-64-v4 -mtune=generic");
}

Test(macros, cflags_fall_back_to_optflags_without_build_cflags) {
        /* Older rpm, or a distro that only sets %optflags. */
        rpmPopMacro(NULL, "build_cflags");
        expect("%{hwcaps_cflags x86-64-v3}", "-O2 -g -fcf-protection -march=x86-64-v3 -mtune=generic");
}

Test(macros, cflags_without_any_march_still_get_the_level) {
        rpmDefineMacro(NULL, "build_cflags -O2 -g", RMIL_CMDLINE);
        expect("%{hwcaps_cflags x86-64-v4}", "-O2 -g -march=x86-64-v4 -mtune=generic");
}

Test(macros, ldflags_carry_the_isa_marker) {
        expect("%{hwcaps_ldflags x86-64-v3}", "-Wl,-z,relro -Wl,-z,x86-64-v3");
}

Test(macros, ldflags_without_marker_when_the_linker_lacks_it) {
        rpmDefineMacro(NULL, "_hwcaps_ld_isa_marker 0", RMIL_CMDLINE);
        expect("%{hwcaps_ldflags x86-64-v3}", "-Wl,-z,relro");
}

Test(macros, ldflags_on_debian_rpm_are_just_the_marker) {
        /* Debian's rpm 4.18 defines no %build_ldflags. */
        rpmPopMacro(NULL, "build_ldflags");
        expect("%{hwcaps_ldflags x86-64-v2}", "-Wl,-z,x86-64-v2");
}

Test(macros, rust_and_go_targets) {
        expect("%{hwcaps_rustflags x86-64-v3}", "-C target-cpu=x86-64-v3 -C link-arg=-Wl,-z,x86-64-v3");
        expect("%{hwcaps_goamd64 x86-64-v2}", "v2");
        expect("%{hwcaps_goamd64 x86-64-v4}", "v4");
}

Test(macros, set_build_flags_exports_everything) {
        char *s = expand("%{hwcaps_set_build_flags x86-64-v3}");

        cr_assert_not_null(s);
        cr_expect_not_null(strstr(s, "CFLAGS='-O2 -g -fcf-protection -fexceptions -march=x86-64-v3 -mtune=generic'; export CFLAGS\n"));
        cr_expect_not_null(strstr(s, "LDFLAGS='-Wl,-z,relro -Wl,-z,x86-64-v3'; export LDFLAGS\n"));
        cr_expect_not_null(strstr(s, "RUSTFLAGS='-C target-cpu=x86-64-v3 -C link-arg=-Wl,-z,x86-64-v3'; export RUSTFLAGS\n"));
        cr_expect_not_null(strstr(s, "GOAMD64='v3'; export GOAMD64"));
        cr_expect_not_null(strstr(s, "HWCAPS_LEVEL='x86-64-v3'; export HWCAPS_LEVEL\n"));
        cr_expect_not_null(strstr(s, "FCFLAGS="));
        cr_expect_not_null(strstr(s, "CXXFLAGS="));
        free(s);
}

Test(macros, unknown_level_fails_expansion) {
        cr_expect_null(expand("%{hwcaps_cflags x86-64-v5}"));
        cr_expect_null(expand("%{hwcaps_cflags x86_64-v3}"));
        cr_expect_null(expand("%{hwcaps_cflags x86-64-v1}"));
        cr_expect_null(expand("%{hwcaps_ldflags haswell}"));
}

Test(macros, unknown_level_in_the_list_fails_the_loop) {
        rpmDefineMacro(NULL, "hwcaps_levels x86-64-v3 x86-64-v9", RMIL_CMDLINE);
        cr_expect_null(expand("%hwcaps_setup"));
        cr_expect_null(expand("%hwcaps_subpackages"));
}

Test(macros, level_is_shell_text_for_commands) {
        expect("%{hwcaps_level}", "${HWCAPS_LEVEL}");
}

Test(macros, parallel_build_drops_job_counts_for_the_jobserver) {
        char *s = expand("%hwcaps_build make -j2 -O V=1 --jobs=4 -j 3");

        cr_assert_not_null(s);
        cr_expect_not_null(strstr(s, "<<'__HWCAPS_CMD__'\nmake -O V=1\n__HWCAPS_CMD__"), "%s", s);
        cr_expect_not_null(strstr(s, "-j2 || {"), "the shared jobserver has %%{_smp_build_ncpus} slots: %s", s);
        free(s);
}

Test(macros, parallel_build_keeps_the_lines_of_a_command) {
        rpmDefineMacro(NULL, "twoline CFLAGS=\"${CFLAGS:--O2}\" ; export CFLAGS ;\\\n./configure -q", RMIL_CMDLINE);
        char *s = expand("%hwcaps_build %{twoline} && make -j4");

        cr_assert_not_null(s);
        cr_expect_not_null(strstr(s, "<<'__HWCAPS_CMD__'\nCFLAGS=\"${CFLAGS:--O2}\" ; export CFLAGS ;\n./configure -q && make\n__HWCAPS_CMD__"), "%s", s);
        free(s);
}

Test(macros, sequential_build_keeps_the_command) {
        rpmDefineMacro(NULL, "hwcaps_parallel 0", RMIL_CMDLINE);
        char *s = expand("%hwcaps_build make -j2 V=1");

        cr_assert_not_null(s);
        cr_expect_not_null(strstr(s, "<<'__HWCAPS_CMD__'\nmake -j2 V=1\n__HWCAPS_CMD__"), "%s", s);
        cr_expect_null(strstr(s, ".mk"));
        free(s);
}

Test(macros, install_redirects_the_buildroot_to_the_staging_root) {
        rpmDefineMacro(NULL, "buildroot /tmp/br", RMIL_CMDLINE);
        char *s = expand("%hwcaps_install make install DESTDIR=%{buildroot}");

        cr_assert_not_null(s);
        cr_expect_not_null(strstr(s, "\nmake install DESTDIR=${HWCAPS_DESTDIR}\n"), "%s", s);
        free(s);
}

Test(macros, subpackages_pin_the_base_package) {
        rpmDefineMacro(NULL, "name foo", RMIL_CMDLINE);
        rpmDefineMacro(NULL, "version 1.2", RMIL_CMDLINE);
        rpmDefineMacro(NULL, "release 3", RMIL_CMDLINE);
        rpmDefineMacro(NULL, "hwcaps_levels x86-64-v3", RMIL_CMDLINE);
        char *s = expand("%hwcaps_subpackages");

        cr_assert_not_null(s);
        cr_expect_not_null(strstr(s, "\n%package x86-64-v3\n"), "%s", s);
        cr_expect_not_null(strstr(s, "\nRequires: foo(x86-64) = 1.2-3\n"), "%s", s);
        cr_expect_not_null(strstr(s, "\n%files x86-64-v3 -f "), "%s", s);
        cr_expect_null(strstr(s, "x86-64-v2"));
        free(s);
}

Test(macros, no_subpackages_when_not_split) {
        rpmDefineMacro(NULL, "hwcaps_split 0", RMIL_CMDLINE);
        expect("%hwcaps_subpackages", "");
}

Test(macros, the_buildroot_check_is_appended_once) {
        char *before = expand("%{__os_install_post}");
        char *a = expand("%hwcaps_setup"), *b = expand("%hwcaps_setup");
        char *after = expand("%{macrobody:__os_install_post}");

        cr_assert(before && a && b && after);
        cr_expect_null(strstr(before, "brp-hwcaps-check"));
        char *first = strstr(after, "%{?__brp_hwcaps_check}");
        cr_expect_not_null(first, "%s", after);
        cr_expect_null(first ? strstr(first + 1, "%{?__brp_hwcaps_check}") : NULL, "%s", after);
        free(before), free(a), free(b), free(after);
}
