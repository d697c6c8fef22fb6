#!/bin/sh
# The level x profile loop of macros.hwcaps (%hwcaps_profiles) with real
# rpmbuild: one tree per (level, profile), %{hwcaps_profile} in the command,
# %hwcaps_ship_profile choosing the shipped builds, bad profile names.
# Arguments: HWCAPS SRC.
HWCAPS=$1 SRC=$2
. "$SRC/tests/rpm/lib.sh"
PROFILE_MACROS=$SRC/rpm-macros/macros.hwcaps-profile
SPEC=$SRC/tests/profile/profiles.spec
command -v rpmbuild >/dev/null || { echo "no rpmbuild" >&2; exit 77; }
command -v gcc >/dev/null || { echo "no gcc" >&2; exit 77; }

build() { # NAME ARGS...: rpmbuild the profiles spec, log in $WORK/NAME.log
        local name=$1
        shift
        rpmb "$WORK/$name" "$SPEC" --load "$PROFILE_MACROS" "$@" >"$WORK/$name.log" 2>&1
}

# run_shipped NAME LEVEL: install NAME's RPM into a scratch root and run its
# LEVEL variant there (the host runs x86-64-v2 binaries, and v3 when it can).
run_shipped() {
        local root=$WORK/$1-root
        rm -rf "$root" && mkdir -p "$root"
        rpm --root "$root" --dbpath /rpmdb --nodeps --noscripts --ignorearch -i "$WORK/$1"/RPMS/*/*.rpm >/dev/null 2>&1 ||
                { echo "rpm -i of $1 failed" >&2; return 1; }
        "$root/usr/bin/glibc-hwcaps/$2/prof-demo"
}

levels=$("$HWCAPS" levels 2>/dev/null || true)

# ships WHAT NAME PROFILE: NAME's shipped v2 variant (and v3, where this host
# runs it) says it was built with PROFILE.
ships() {
        assert_eq "$1 (v2)" "profile $3, level x86-64-v2 or lower (1)" "$(run_shipped "$2" x86-64-v2 2>&1)"
        if printf '%s\n' "$levels" | grep -qx x86-64-v3; then
                assert_eq "$1 (v3)" "profile $3, level x86-64-v3 (1)" "$(run_shipped "$2" x86-64-v3 2>&1)"
        fi
}

# ---- default: profiles "none pgo", the first (none) is shipped -----------
if build ship-default; then
        log=$WORK/ship-default.log
        # The builds run in parallel and their output interleaves in the log,
        # so each build says what it was in a file of its tree ("built-as"),
        # and the log is searched for messages, not whole lines.
        for l in x86-64-v2 x86-64-v3; do
                for p in none pgo; do
                        tree=$(find "$WORK/ship-default/BUILD" -maxdepth 2 -type d -name "$l+$p" | head -n 1)
                        [ -d "$tree" ] && echo "ok: tree $l+$p exists" || fail "no tree $l+$p"
                        grep -qF "hwcaps: build $l (profile $p)" "$log" &&
                                [ "$(cat "$tree/built-as" 2>/dev/null)" = "level $l profile $p" ] &&
                                echo "ok: $l x $p built in its own tree" || fail "no build of $l x $p in its tree"
                done
        done
        n=$(find "$WORK/ship-default/BUILD" -maxdepth 3 -name built-as | wc -l)
        assert_eq "exactly 4 builds (2 levels x 2 profiles)" 4 "$n"
        n=$(grep -o 'hwcaps: build x86-64-v[0-9] (profile [a-z0-9_-]*)' "$log" | sort -u | wc -l)
        assert_eq "4 different builds in the log" 4 "$n"
        grep -E -- "-march=x86-64-v3 .*-fprofile-use=.*-DPROFILE_PGO" "$log" | grep -q -- '-o prof-demo prof.c' &&
                echo "ok: the pgo trees compile with the trained profile" || fail "no v3 compile line with -fprofile-use"
        rpm -qpl "$WORK/ship-default"/RPMS/*/*.rpm >"$WORK/list" 2>/dev/null
        assert_contains "v2 variant packaged" "$WORK/list" /usr/bin/glibc-hwcaps/x86-64-v2/prof-demo
        assert_contains "v3 variant packaged" "$WORK/list" /usr/bin/glibc-hwcaps/x86-64-v3/prof-demo
        ships "default: the first profile (none) is shipped" ship-default none
else
        fail "the level x profile build failed"; tail -n 30 "$WORK/ship-default.log" >&2
fi

# ---- %hwcaps_ship_profile pgo ships the other builds, serial loop ---------
if build ship-pgo --define "hwcaps_ship_profile pgo" --define "hwcaps_parallel 0"; then
        grep -qx 'hwcaps: shipping x86-64-v2 (profile pgo)' "$WORK/ship-pgo.log" &&
                echo "ok: the log says which profile is shipped" || fail "no 'shipping' line"
        ships "hwcaps_ship_profile pgo ships the pgo build" ship-pgo pgo
else
        fail "the build shipping pgo failed"; tail -n 30 "$WORK/ship-pgo.log" >&2
fi

# ---- bad profile lists stop the build, saying why --------------------------
bad() { # NAME MESSAGE ARGS...
        local name=$1 msg=$2
        shift 2
        if build "$name" "$@"; then
                fail "$name: the build passed"
        elif grep -qF -- "$msg" "$WORK/$name.log"; then
                echo "ok: $name: $msg"
        else
                fail "$name: no '$msg' in the log"; tail -n 10 "$WORK/$name.log" >&2
        fi
}
bad invalid-name 'error: hwcaps: invalid profile name "PGO" in %hwcaps_profiles' --define 'hwcaps_profiles none PGO'
bad slash-name 'error: hwcaps: invalid profile name "a/b" in %hwcaps_profiles' --define 'hwcaps_profiles a/b'
bad duplicate 'error: hwcaps: profile "pgo" is listed twice in %hwcaps_profiles' --define 'hwcaps_profiles pgo none pgo'
bad unknown-ship 'error: hwcaps: unknown profile "fdo" in %hwcaps_ship_profile (%hwcaps_profiles: none pgo)' \
        --define 'hwcaps_ship_profile fdo'

# ---- a failing build names its level and profile --------------------------
cp "$SPEC" "$WORK/fail.spec"
sed -i 's|^%hwcaps_build case|%hwcaps_build [ "%{hwcaps_level}+%{hwcaps_profile}" != x86-64-v3+pgo ]; case|' "$WORK/fail.spec"
if rpmb "$WORK/fail" "$WORK/fail.spec" --load "$PROFILE_MACROS" --define 'hwcaps_parallel 0' >"$WORK/fail.log" 2>&1; then
        fail "a failing x86-64-v3 pgo build passed"
else
        assert_contains "the failure names level and profile" "$WORK/fail.log" \
                'error: hwcaps: %hwcaps_build failed for x86-64-v3 (profile pgo) (exit status 1)'
fi

[ $failures -eq 0 ] || { echo "$failures failure(s)" >&2; exit 1; }
