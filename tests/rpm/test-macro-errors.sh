#!/bin/sh
# The switches and every failure of the macros in real rpmbuild runs: each
# bad input stops the build with a message naming what is wrong.
# Usage: test-macro-errors.sh HWCAPS SRC
HWCAPS=$1 SRC=$2
. "$SRC/tests/rpm/lib.sh"

top=$WORK/top
demo_source "$top"
spec=$SRC/tests/rpm/demo.spec

# must_fail WHAT EXPECTED-LINE [rpmbuild args]
must_fail() {
        what=$1 line=$2
        shift 2
        rm -rf "$top/RPMS"
        if rpmb "$top" "$spec" "$@" > "$WORK/log" 2>&1; then
                fail "$what: rpmbuild succeeded"
                return
        fi
        assert_contains "$what" "$WORK/log" "$line"
}

must_fail "unknown level in %hwcaps_levels" \
        'error: hwcaps: unknown level "x86-64-v5" in %hwcaps_levels (expected x86-64-v2, x86-64-v3 or x86-64-v4)' \
        --define 'hwcaps_levels x86-64-v3 x86-64-v5'
must_fail "level spelt with an underscore" \
        'error: hwcaps: unknown level "x86_64-v3" in %hwcaps_levels (expected x86-64-v2, x86-64-v3 or x86-64-v4)' \
        --define 'hwcaps_levels x86_64-v3'
must_fail "the baseline is not a level to build" \
        'error: hwcaps: "x86-64-v1" in %hwcaps_levels: that is the baseline, which the spec builds itself (expected x86-64-v2, x86-64-v3 or x86-64-v4)' \
        --define 'hwcaps_levels x86-64-v1'
must_fail "level listed twice" \
        'error: hwcaps: level "x86-64-v3" is listed twice in %hwcaps_levels' \
        --define 'hwcaps_levels x86-64-v3 x86-64-v4 x86-64-v3'

must_fail "failing level build is named (parallel)" \
        'error: hwcaps: %hwcaps_build failed for x86-64-v3 (exit status 1)' \
        --define 'demo_fail_level x86-64-v3'
must_fail "failing level build is named (sequential)" \
        'error: hwcaps: %hwcaps_build failed for x86-64-v3 (exit status 1)' \
        --define 'demo_fail_level x86-64-v3' --define 'hwcaps_parallel 0'
if grep -q '^hwcaps: build x86-64-v4' "$WORK/log"; then
        fail "sequential: x86-64-v4 was built after x86-64-v3 failed"
else
        echo "ok: sequential: the first failure stops the loop"
fi

must_fail "variant that was not installed" \
        "error: hwcaps: %hwcaps_install_variants: /usr/bin/nope was not installed for x86-64-v2 (no $top/BUILD/hwcaps-demo-1.0-1.hwcaps/x86-64-v2-root/usr/bin/nope; did %hwcaps_install run?)" \
        --define 'demo_extra_variant %{_bindir}/nope'
must_fail "variant named by a relative path" \
        'error: hwcaps: %hwcaps_install_variants: "bin/demo" is not an installed file path (expected e.g. %{_bindir}/foo)' \
        --define 'demo_extra_variant bin/demo'

must_fail "a glob in %hwcaps_install_variants that matches nothing" \
        "error: hwcaps: %hwcaps_install_variants: /usr/lib64/libnope.so.* matches nothing installed for x86-64-v2 (in $top/BUILD/hwcaps-demo-1.0-1.hwcaps/x86-64-v2-root/usr/lib64)" \
        --define 'demo_extra_variant %{_libdir}/libnope.so.*'

must_fail "the buildroot check stops a broken build" \
        'hwcaps: /usr/bin/glibc-hwcaps/x86-64-v5: "x86-64-v5" is not a level directory (expected x86-64-v1 ... x86-64-v4)' \
        --define 'demo_break 1'
must_fail "a baseline only in x86-64-v1/ with no stub" \
        'hwcaps: /usr/bin/glibc-hwcaps/x86-64-v1/demo-abs: baseline in glibc-hwcaps/x86-64-v1/ but nothing at /usr/bin/demo-abs: nothing runs it (%hwcaps_dispatch puts the dispatch stub there)' \
        --define 'demo_nostub 1'
must_fail "the buildroot check needs hwcaps" \
        "error: hwcaps: $WORK/no/hwcaps not found: the spec uses macros.hwcaps, add 'BuildRequires: hwcaps'" \
        --define "__brp_hwcaps_check sh $BRP $WORK/no/hwcaps %{buildroot}"

# Level trees left by an earlier build of the same N-V-R (the one above)
# are not reused by a spec without %hwcaps_setup (nor %hwcaps_subpackages,
# which copies the trees at the end of %prep).
[ -d "$top/BUILD/hwcaps-demo-1.0-1.hwcaps/x86-64-v3" ] || fail "no level trees left to be stale"
must_fail "stale level trees without %hwcaps_setup" \
        "error: hwcaps: the level trees in $top/BUILD/hwcaps-demo-1.0-1.hwcaps were not made by this build's %prep: add %hwcaps_setup to %prep after %setup (or, after rpmbuild --short-circuit, set HWCAPS_REUSE_TREES=1 to reuse them)" \
        --define 'demo_no_setup 1' --define 'hwcaps_split 0'

# A SONAME link (libdemo.so.1 -> libdemo.so.1.0) is copied with its
# target, by name and by a glob.
for v in '' '%{_libdir}/libdemo.so.*'; do
        rm -rf "$top/RPMS"
        rpmb "$top" "$spec" --define 'demo_solink 1' --define 'hwcaps_levels x86-64-v3' ${v:+--define "demo_extra_variant $v"} > "$WORK/log" 2>&1 ||
                { tail -n 30 "$WORK/log" >&2; fail "SONAME link build ($v)"; }
        assert_eq "SONAME link and its target in the variant package ($v)" \
"/usr/lib64/glibc-hwcaps/x86-64-v3/libdemo.so.1 -> libdemo.so.1.0
/usr/lib64/glibc-hwcaps/x86-64-v3/libdemo.so.1.0 -> " \
        "$(rpm -qp --qf '[%{FILENAMES} -> %{FILELINKTOS}\n]' "$top/RPMS/x86_64/hwcaps-demo-x86-64-v3-1.0-1.x86_64.rpm" | grep '/libdemo')"
done

# %hwcaps_check skips what the host cannot run: glibc.cpu.hwcaps masks make
# `hwcaps levels` (and the dynamic linker) drop x86-64-v4 here.
rm -rf "$top/RPMS"
GLIBC_TUNABLES=glibc.cpu.hwcaps=-AVX512F rpmb "$top" "$spec" > "$WORK/log" 2>&1 || { cat "$WORK/log" >&2; fail "masked build"; }
assert_contains "%hwcaps_check skips a level the host lacks" "$WORK/log" \
        "hwcaps: skipping the x86-64-v4 tests: this build host does not support x86-64-v4 ($HWCAPS levels)"
assert_contains "%hwcaps_check still runs the levels the host has" "$WORK/log" \
        "hwcaps-check ran x86-64-v3: hwcaps-demo 11504611726699380736"
if grep -q "hwcaps-check ran x86-64-v4" "$WORK/log"; then fail "x86-64-v4 tests ran on a masked host"; else echo "ok: no x86-64-v4 test run"; fi

# A spec that uses none of the macros gets no check, even with the macro
# file loaded and a glibc-hwcaps directory the check would reject.
cat > "$WORK/plain.spec" <<'EOS'
Name: plain
Version: 1
Release: 1
Summary: No hwcaps macros used
License: MIT
%description
Plain.
%install
mkdir -p %{buildroot}/usr/bin/glibc-hwcaps/x86-64-v5
printf '#!/bin/sh\n' > %{buildroot}/usr/bin/glibc-hwcaps/x86-64-v5/x
%files
/usr/bin/glibc-hwcaps
EOS
rpmb "$WORK/plain" "$WORK/plain.spec" > "$WORK/log" 2>&1 && echo "ok: no check without the macros" || { cat "$WORK/log" >&2; fail "a spec without hwcaps macros was checked"; }

# The switches.
rm -rf "$top/RPMS"
rpmb "$top" "$spec" --define 'hwcaps_split 0' > "$WORK/log" 2>&1 || { cat "$WORK/log" >&2; fail "hwcaps_split 0 build"; }
assert_eq "hwcaps_split 0: one package" "hwcaps-demo-1.0-1.x86_64.rpm" "$(ls "$top/RPMS/x86_64")"
assert_eq "hwcaps_split 0: variants in the main package" \
"/usr/bin/demo
/usr/bin/demo-abs
/usr/bin/glibc-hwcaps
/usr/bin/glibc-hwcaps/x86-64-v1
/usr/bin/glibc-hwcaps/x86-64-v1/demo-abs
/usr/bin/glibc-hwcaps/x86-64-v2
/usr/bin/glibc-hwcaps/x86-64-v2/demo
/usr/bin/glibc-hwcaps/x86-64-v2/demo-abs
/usr/bin/glibc-hwcaps/x86-64-v3
/usr/bin/glibc-hwcaps/x86-64-v3/demo
/usr/bin/glibc-hwcaps/x86-64-v3/demo-abs
/usr/bin/glibc-hwcaps/x86-64-v4
/usr/bin/glibc-hwcaps/x86-64-v4/demo
/usr/bin/glibc-hwcaps/x86-64-v4/demo-abs
/usr/lib64/glibc-hwcaps
/usr/lib64/glibc-hwcaps/x86-64-v2
/usr/lib64/glibc-hwcaps/x86-64-v2/libdemo.so.1
/usr/lib64/glibc-hwcaps/x86-64-v3
/usr/lib64/glibc-hwcaps/x86-64-v3/libdemo.so.1
/usr/lib64/glibc-hwcaps/x86-64-v4
/usr/lib64/glibc-hwcaps/x86-64-v4/libdemo.so.1
/usr/lib64/libdemo.so.1" "$(rpm -qp --list "$top/RPMS/x86_64/hwcaps-demo-1.0-1.x86_64.rpm")"

rm -rf "$top/RPMS"
rpmb "$top" "$spec" --define 'hwcaps_levels x86-64-v3' --define 'hwcaps_parallel 0' > "$WORK/log" 2>&1 || { cat "$WORK/log" >&2; fail "single level build"; }
assert_eq "hwcaps_levels x86-64-v3: only that subpackage" \
"hwcaps-demo-1.0-1.x86_64.rpm
hwcaps-demo-x86-64-v3-1.0-1.x86_64.rpm" "$(ls "$top/RPMS/x86_64")"
if grep -q 'build.mk' "$WORK/log"; then fail "hwcaps_parallel 0 still used the jobserver make"; else echo "ok: hwcaps_parallel 0 runs the levels one by one"; fi
finish
