#!/bin/sh
# The staleness gate of the profile macros with real rpmbuild and clang: a
# sample profile of pgo.spec's program reports the share that applied per
# build (log and coverage-TREE.txt); after an edit at the top of the hot
# function, %hwcaps_profile_min_coverage fails the build naming it.
# Arguments: HWCAPS SRC.
HWCAPS=$1 SRC=$2
. "$SRC/tests/rpm/lib.sh"
PROFILE_MACROS=$SRC/rpm-macros/macros.hwcaps-profile
command -v rpmbuild >/dev/null || { echo "no rpmbuild" >&2; exit 77; }
command -v clang >/dev/null || { echo "no clang" >&2; exit 77; }
ev() { rpm --load "$MACROS" --load "$PROFILE_MACROS" --define "_hwcaps_luadir $LUADIR" "$@"; }
[ "$(ev --eval '%{_hwcaps_clang_coverage}')" = 1 ] || { echo "clang has no -sample-profile-check-sample-coverage" >&2; exit 77; }

# A profile of pgo.c as pgo.spec writes it: work() starts on line 3, its
# loop body (offset 3) has the samples. No PMU needed: the text format.
cat >"$WORK/prof.txt" <<'P'
work:90010:10
 1: 10
 3: 90000
main:100:100
 1: 100
P
build() { # NAME SPEC ARGS...
        local name=$1 spec=$2
        shift 2
        rpmb "$WORK/$name" "$spec" --load "$PROFILE_MACROS" --define "toolchain clang" \
                --define "hwcaps_levels x86-64-v2 x86-64-v3" --define "sample_profile $WORK/prof.txt" "$@" >"$WORK/$name.log" 2>&1
}

# work() is static in pgo.spec: with -funique-internal-linkage-names its
# name is work.__uniq.<hash>, which a hand-written profile cannot know, and
# clang reports nothing for a function of the profile it never compiled.
sed 's/__attribute__((noinline)) static unsigned long work/__attribute__((noinline)) unsigned long work/' \
        "$SRC/tests/profile/pgo.spec" >"$WORK/fits.spec"
grep -q '^__attribute__((noinline)) unsigned long work' "$WORK/fits.spec" || { echo "the spec did not change" >&2; exit 99; }

# ---- the profile fits: the build passes and reports the share ------------
if build fits "$WORK/fits.spec" --define "hwcaps_profile_min_coverage 80"; then
        for l in x86-64-v2 x86-64-v3; do
                f=$(find "$WORK/fits/BUILD" -name "coverage-$l.txt" | head -n 1)
                [ -n "$f" ] && grep -Eq "^profile $WORK/prof.txt: (9[0-9]|100)\.[0-9]% of its samples applied" "$f" &&
                        echo "ok: $l: coverage file shows the share" || fail "$l: no coverage file with 100% ($f)"
                grep -Eq "hwcaps: $l: profile $WORK/prof.txt: (9[0-9]|100)\.[0-9]% of its samples applied" "$WORK/fits.log" &&
                        echo "ok: $l: the build log shows the share" || fail "$l: no share in the build log"
        done
else
        fail "the build with a fitting profile failed"; tail -n 30 "$WORK/fits.log" >&2
fi

# ---- five comment lines at the top of work(): its samples no longer apply --
sed '/unsigned long work(unsigned long n) {/a\
        /* a\
         * comment\
         * of five\
         * lines\
         */' "$WORK/fits.spec" >"$WORK/edited.spec"
grep -q '^         \* of five' "$WORK/edited.spec" || { echo "the edit did not apply" >&2; exit 99; }
if build edited "$WORK/edited.spec" --define "hwcaps_profile_min_coverage 80"; then
        fail "the build with a stale profile passed the gate"
else
        assert_contains "the gate names profile, share and function" "$WORK/edited.log" \
                "hwcaps: profile $WORK/prof.txt: 0.1% of its samples applied, below the minimum of 80%; lost the most: work (pgo.c:3, 90010 of 90010 samples lost)"
        assert_contains "the build stops at the gate" "$WORK/edited.log" \
                "error: hwcaps: %hwcaps_build failed for x86-64-v2: the profile's coverage is under %hwcaps_profile_min_coverage 80 (see above)"
fi
# Without a minimum, the same build passes and reports.
if build edited-report "$WORK/edited.spec"; then
        assert_contains "no minimum: reported only" "$WORK/edited-report.log" "hwcaps: x86-64-v2: profile $WORK/prof.txt: 0.1% of its samples applied (100 of 90110, 2 functions)"
else
        fail "without %hwcaps_profile_min_coverage the stale build failed"; tail -n 20 "$WORK/edited-report.log" >&2
fi
# A bad minimum is refused.
if build badmin "$SRC/tests/profile/pgo.spec" --define "hwcaps_profile_min_coverage 80%"; then
        fail "an invalid %hwcaps_profile_min_coverage was accepted"
else
        assert_contains "invalid minimum named" "$WORK/badmin.log" 'error: hwcaps: invalid %hwcaps_profile_min_coverage "80%" (expected a percentage, 0 to 100)'
fi

[ $failures -eq 0 ] || { echo "$failures failure(s)" >&2; exit 1; }
