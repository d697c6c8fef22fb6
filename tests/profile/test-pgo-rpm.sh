#!/bin/sh
# The profile macros (rpm-macros/macros.hwcaps-profile) with real rpmbuild:
# flags per profile kind and compiler, PGO trained during the build with gcc
# and clang, and a stale sample profile. Arguments: HWCAPS SRC.
HWCAPS=$1 SRC=$2
. "$SRC/tests/rpm/lib.sh"
PROFILE_MACROS=$SRC/rpm-macros/macros.hwcaps-profile
command -v rpmbuild >/dev/null || { echo "no rpmbuild" >&2; exit 77; }

ev() { rpm --load "$MACROS" --load "$PROFILE_MACROS" --define "_hwcaps_luadir $LUADIR" "$@"; }
# The llvm-profdata the macros merge with (Debian's llvm-14 has no plain
# llvm-profdata unless the "llvm" package is there too).
profdata=$(ev --eval '%{__hwcaps_llvm_profdata}')

# ---- expansion: each kind and compiler --------------------------------
for tc in gcc clang; do
        assert_eq "$tc: compiler from %toolchain" $tc "$(ev --define "toolchain $tc" --eval '%{hwcaps_profile_compiler}')"
done
assert_eq "compiler from %__cc when no %toolchain" clang "$(ev --define '__cc /usr/bin/clang-14' --eval '%{hwcaps_profile_compiler}')"
D=$(ev --define '_builddir /b' --define 'name n' --define 'version 1' --define 'release 2' --eval '%{_hwcaps_pgo_dir}')
assert_eq "pgo dir under the hwcaps work area" /b/n-1-2.hwcaps/pgo "$D"
e() { ev --define '_builddir /b' --define 'name n' --define 'version 1' --define 'release 2' "$@"; }
assert_eq "clang pgo generate" "-fprofile-generate=$D/raw" "$(e --define 'toolchain clang' --eval '%{hwcaps_pgo_gen_flags}')"
assert_eq "clang pgo use, stale-tolerant" \
        "-fprofile-use=$D/merged.profdata -Wno-profile-instr-out-of-date -Wno-profile-instr-unprofiled -Wno-profile-instr-missing" \
        "$(e --define 'toolchain clang' --eval '%{hwcaps_pgo_use_flags}')"
assert_eq "clang pgo use, strict" "-fprofile-use=$D/merged.profdata" \
        "$(e --define 'toolchain clang' --define 'hwcaps_profile_stale_ok 0' --eval '%{hwcaps_pgo_use_flags}')"
assert_eq "gcc pgo generate" "-fprofile-generate=$D/gcda -fprofile-update=atomic -fprofile-prefix-path=\$PWD" \
        "$(e --define 'toolchain gcc' --eval '%{hwcaps_pgo_gen_flags}')"
assert_eq "gcc pgo use, stale-tolerant" \
        "-fprofile-use=$D/gcda -fprofile-prefix-path=\$PWD -fprofile-partial-training -fprofile-correction -Wno-missing-profile -Wno-coverage-mismatch" \
        "$(e --define 'toolchain gcc' --eval '%{hwcaps_pgo_use_flags}')"
assert_eq "gcc pgo use, strict" "-fprofile-use=$D/gcda -fprofile-prefix-path=\$PWD" \
        "$(e --define 'toolchain gcc' --define 'hwcaps_profile_stale_ok 0' --eval '%{hwcaps_pgo_use_flags}')"
assert_eq "gcc sample profile (gcc 13)" "-fauto-profile=/s/p.afdo" \
        "$(e --define 'toolchain gcc' --define '_hwcaps_gcc_major 13' --eval '%{hwcaps_sample_use_flags /s/p.afdo}')"
# gcc 12 (Debian 12) with autofdo 0.19 cannot use AutoFDO profiles: refused.
if e --define 'toolchain gcc' --define '_hwcaps_gcc_major 12' --eval '%{hwcaps_sample_use_flags /s/p.afdo}' >/dev/null 2>"$WORK/err"; then
        fail "gcc 12 sample profile accepted"
else
        grep -q 'error: hwcaps: %hwcaps_sample_use_flags: gcc 12 cannot use AutoFDO sample profiles .*build with clang (%global toolchain clang)' "$WORK/err" &&
                echo "ok: gcc 12 sample profile refused, saying why" || fail "gcc 12 sample profile: $(cat "$WORK/err")"
fi
case $(e --eval '%{_hwcaps_gcc_major}') in
[0-9]*) echo "ok: gcc's major version probed" ;;
*) command -v gcc >/dev/null && fail "no gcc major version: $(e --eval '%{_hwcaps_gcc_major}')" ;;
esac
salvage=$(e --eval '%{_hwcaps_clang_salvage}')
expected="-fprofile-sample-use=/s/p.afdo -fdebug-info-for-profiling -funique-internal-linkage-names"
[ "$salvage" = 1 ] && expected="$expected -mllvm -salvage-stale-profile"
assert_eq "clang sample profile (salvage-stale-profile: $salvage)" "$expected" \
        "$(e --define 'toolchain clang' --eval '%{hwcaps_sample_use_flags /s/p.afdo}')"
if e --define 'toolchain icc' --eval '%{hwcaps_pgo_use_flags}' >/dev/null 2>"$WORK/err"; then
        fail "unknown toolchain accepted"
else
        grep -q 'unknown %toolchain "icc"' "$WORK/err" && echo "ok: unknown toolchain named" || fail "unknown toolchain: $(cat "$WORK/err")"
fi

# ---- rpmbuild: PGO trained during the build ------------------------------
level=$("$HWCAPS" level)
build() { # NAME ARGS...: rpmbuild the pgo spec, log in $WORK/NAME.log
        local name=$1
        shift
        rpmb "$WORK/$name" "$SRC/tests/profile/pgo.spec" --load "$PROFILE_MACROS" \
                --define "hwcaps_levels x86-64-v2" "$@" >"$WORK/$name.log" 2>&1
}
for tc in gcc clang; do
        command -v $tc >/dev/null || { echo "skip: no $tc"; continue; }
        if ! build pgo-$tc --define "toolchain $tc"; then
                fail "$tc: PGO build failed"
                tail -n 30 "$WORK/pgo-$tc.log" >&2
                continue
        fi
        log=$WORK/pgo-$tc.log
        grep -q "^hwcaps: PGO training ($tc)" "$log" && grep -qx 'TRAINING RAN' "$log" &&
                echo "ok: $tc: training ran" || fail "$tc: no training in the log"
        pgo=$(find "$WORK/pgo-$tc/BUILD" -maxdepth 2 -type d -path '*.hwcaps/pgo')
        if [ $tc = clang ]; then
                prof=$pgo/merged.profdata
                n=$("$profdata" show "$prof" 2>/dev/null | sed -n 's/^Total functions: //p')
                [ "${n:-0}" -gt 0 ] && echo "ok: clang: merged profile has $n functions" || fail "clang: empty merged profile"
        else
                prof=$pgo/gcda
                [ -n "$(find "$prof" -name '*.gcda' -size +0)" ] && echo "ok: gcc: .gcda written" || fail "gcc: no .gcda"
        fi
        # The level's compile line carries both the level and the profile.
        grep -E -- "-march=x86-64-v2 .*-fprofile-use=$prof( |$)" "$log" | grep -q -- '-o pgo-demo pgo.c' &&
                echo "ok: $tc: x86-64-v2 compiled with the profile" || fail "$tc: no x86-64-v2 compile line with -fprofile-use=$prof"
        rpm -qpl "$WORK/pgo-$tc"/RPMS/*/*.rpm >"$WORK/list" 2>/dev/null
        assert_contains "$tc: v2 variant packaged" "$WORK/list" /usr/bin/glibc-hwcaps/x86-64-v2/pgo-demo
done

# gcc, strict: the level tree finds every .gcda of the training tree (no
# "profile count data file not found"), proof the profile is used there.
if build pgo-strict --define "toolchain gcc" --define "hwcaps_profile_stale_ok 0"; then
        if grep -q 'profile count data file not found' "$WORK/pgo-strict.log"; then
                fail "gcc: a tree did not find its .gcda"; grep 'not found' "$WORK/pgo-strict.log" >&2
        else
                echo "ok: gcc: every tree found the training profile"
        fi
else
        fail "gcc strict PGO build failed"; tail -n 30 "$WORK/pgo-strict.log" >&2
fi

# Training that runs nothing instrumented fails the build, saying why.
cp "$SRC/tests/profile/pgo.spec" "$WORK/notrain.spec"
sed -i 's|&& ./pgo-demo 300000 ||' "$WORK/notrain.spec"
if rpmb "$WORK/notrain" "$WORK/notrain.spec" --load "$PROFILE_MACROS" --define "hwcaps_levels x86-64-v2" >"$WORK/notrain.log" 2>&1; then
        fail "a training that ran nothing passed"
else
        grep -q 'the training wrote no .gcda file' "$WORK/notrain.log" && echo "ok: empty training fails the build" ||
                fail "empty training: $(tail -n 5 "$WORK/notrain.log")"
fi

# ---- a stale sample profile (from an older source version) ---------------
# Function names and line offsets that no longer exist, and one that does
# with other lines: the build must pass, with the profile on the compile line.
if command -v clang >/dev/null; then
        cat >"$WORK/stale.txt" <<'P'
work_old:90000:10
 1: 5000
 7: 85000
main:500:500
 1: 500
 9: 3 removed_fn:3
P
        if build stale --define "toolchain clang" --define "sample_profile $WORK/stale.txt"; then
                grep -q -- "-fprofile-sample-use=$WORK/stale.txt" "$WORK/stale.log" &&
                        echo "ok: stale sample profile: build passed with the profile" || fail "stale: profile not on the compile line"
        else
                fail "stale sample profile broke the build"; tail -n 30 "$WORK/stale.log" >&2
        fi
fi

# ---- a sample profile that does not exist, or is corrupt ------------------
# The macros cannot check at expansion (rpmbuild expands %build before %prep
# could create the file), so the compiler stops the build, and says why.
if command -v clang >/dev/null; then
        head -c 512 /dev/urandom >"$WORK/corrupt.afdo"
        printf 'not a profile\n' >"$WORK/junk.txt"
        for bad in "$WORK/missing.afdo:no such file or directory" "$WORK/corrupt.afdo:Could not open profile" \
                   "$WORK/junk.txt:Could not open profile"; do
                file=${bad%%:*} msg=${bad#*:}
                name=bad-$(basename "$file")
                if build "$name" --define "toolchain clang" --define "sample_profile $file"; then
                        fail "$name: a bad sample profile did not stop the build"
                elif grep -q -- "$msg" "$WORK/$name.log" && grep -q -- "$file" "$WORK/$name.log"; then
                        echo "ok: $name: build stopped, the compiler names the file: $msg"
                else
                        fail "$name: build failed without naming the profile"; tail -n 20 "$WORK/$name.log" >&2
                fi
        done
fi
if command -v gcc >/dev/null; then
        # gcc 12 (this Debian): refused before anything is compiled.
        if [ "$(e --eval '%{_hwcaps_gcc_major}')" -le 12 ] 2>/dev/null; then
                if build gcc12-sample --define "toolchain gcc" --define "sample_profile $WORK/corrupt.afdo"; then
                        fail "gcc 12: a sample profile build passed"
                else
                        grep -q "error: hwcaps: %hwcaps_sample_use_flags: gcc [0-9]* cannot use AutoFDO sample profiles" "$WORK/gcc12-sample.log" &&
                                echo "ok: gcc 12: rpmbuild with a sample profile refused, saying why" || fail "gcc 12: no refusal in the log"
                fi
        fi
        # gcc's own errors, past the refusal (as with a newer gcc).
        if build bad-gcc-missing --define "toolchain gcc" --define "_hwcaps_gcc_major 13" --define "sample_profile $WORK/missing.afdo"; then
                fail "gcc: a missing sample profile did not stop the build"
        else
                grep -q "cannot open profile file $WORK/missing.afdo" "$WORK/bad-gcc-missing.log" &&
                        echo "ok: gcc: missing sample profile stops the build, named" || fail "gcc: missing profile not named"
        fi
        if build bad-gcc-corrupt --define "toolchain gcc" --define "_hwcaps_gcc_major 13" --define "sample_profile $WORK/corrupt.afdo"; then
                fail "gcc: a corrupt sample profile did not stop the build"
        else
                grep -q "AutoFDO profile magic number does not match" "$WORK/bad-gcc-corrupt.log" &&
                        echo "ok: gcc: corrupt sample profile stops the build" || fail "gcc: corrupt profile error missing"
        fi
fi

[ $failures -eq 0 ] || { echo "$failures failure(s)" >&2; exit 1; }
