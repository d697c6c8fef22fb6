#!/bin/sh
# The demo package built with real rpmbuild using every macro: exact file
# lists and requirements of the RPMs, ISA markers, instructions of each
# level, outputs of all variants, and the rpm owner report on an installed
# throw-away root (ok, stale, missing baseline, unowned).
# Usage: test-demo.sh HWCAPS SRC
HWCAPS=$1 SRC=$2
. "$SRC/tests/rpm/lib.sh"

top=$WORK/top
demo_source "$top"
rpmb "$top" "$SRC/tests/rpm/demo.spec" > "$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; fail "rpmbuild of the demo"; finish; }
assert_contains "the buildroot check ran at the end of %install" "$WORK/build.log" "hwcaps: check: 10 variants, no problems"
# Debian's rpm: %{build_cflags} is %{optflags}, "-O2 -g", and there is no
# %{build_ldflags}.
optflags=$(rpm --eval '%{optflags}' | sed 's/-march=[^ ]*//; s/-mtune=[^ ]*//; s/  */ /g; s/ $//')
ldflags=$(rpm --eval '%{?build_ldflags}')
assert_contains "flag macros in a spec" "$WORK/build.log" "x86-64-v3 CFLAGS: $optflags -march=x86-64-v3 -mtune=generic"
assert_contains "ISA marker in the level's LDFLAGS" "$WORK/build.log" "x86-64-v4 LDFLAGS: ${ldflags:+$ldflags }-Wl,-z,x86-64-v4"
assert_contains "GOAMD64 of a level" "$WORK/build.log" "x86-64-v2 GOAMD64: v2"
# The levels' make commands are in the build log, with the level's flags.
assert_contains "x86-64-v3 compiled with its flags, visible in the log" "$WORK/build.log" \
        "cc $optflags -march=x86-64-v3 -mtune=generic ${ldflags:+$ldflags }-Wl,-z,x86-64-v3 -o demo demo.c"
for l in x86-64-v2 x86-64-v3 x86-64-v4; do
        assert_contains "%hwcaps_check ran the $l tests (this host runs $l)" "$WORK/build.log" \
                "hwcaps-check ran $l: hwcaps-demo 11504611726699380736"
done

R=$top/RPMS/x86_64
assert_eq "one main package and one subpackage per level" \
"hwcaps-demo-1.0-1.x86_64.rpm
hwcaps-demo-x86-64-v2-1.0-1.x86_64.rpm
hwcaps-demo-x86-64-v3-1.0-1.x86_64.rpm
hwcaps-demo-x86-64-v4-1.0-1.x86_64.rpm" "$(ls "$R")"

assert_eq "main package files: baselines, the stub link, the moved baseline" \
"/usr/bin/demo
/usr/bin/demo-abs
/usr/bin/glibc-hwcaps
/usr/bin/glibc-hwcaps/x86-64-v1
/usr/bin/glibc-hwcaps/x86-64-v1/demo-abs
/usr/lib64/libdemo.so.1" "$(rpm -qp --list "$R/hwcaps-demo-1.0-1.x86_64.rpm")"
assert_eq "main package provides the baseline's soname" "libdemo.so.1()(64bit)" \
        "$(rpm -qp --provides "$R/hwcaps-demo-1.0-1.x86_64.rpm" | grep '^libdemo')"
assert_eq "main package requires the dispatch stub" "hwcaps-dispatch" "$(requires "$R/hwcaps-demo-1.0-1.x86_64.rpm")"
assert_eq "PATH of %hwcaps_dispatch is a symlink to the stub" \
"/usr/bin/demo-abs -> /usr/libexec/hwcaps/hwcaps-dispatch" \
"$(rpm -qp --qf '[%{FILENAMES} -> %{FILELINKTOS}\n]' "$R/hwcaps-demo-1.0-1.x86_64.rpm" | grep '^/usr/bin/demo-abs ')"

for l in x86-64-v2 x86-64-v3 x86-64-v4; do
        p=$R/hwcaps-demo-$l-1.0-1.x86_64.rpm
        assert_eq "$l package files" \
"/usr/bin/glibc-hwcaps
/usr/bin/glibc-hwcaps/$l
/usr/bin/glibc-hwcaps/$l/demo
/usr/bin/glibc-hwcaps/$l/demo-abs
/usr/lib64/glibc-hwcaps
/usr/lib64/glibc-hwcaps/$l
/usr/lib64/glibc-hwcaps/$l/libdemo.so.1" "$(rpm -qp --list "$p")"
        assert_eq "$l package is pinned to its base package" "hwcaps-demo(x86-64) = 1.0-1" "$(requires "$p")"
        # No soname from a level directory: a solver must never pick a
        # variant package for libdemo.so.1 (%__provides_exclude_from).
        assert_eq "$l package provides only itself" \
"hwcaps-demo-$l = 1.0-1
hwcaps-demo-$l(x86-64) = 1.0-1" "$(rpm -qp --provides "$p" | sort)"
        assert_eq "$l variants keep their mode" \
"-rwxr-xr-x /usr/bin/glibc-hwcaps/$l/demo
-rwxr-xr-x /usr/bin/glibc-hwcaps/$l/demo-abs
-rwxr-xr-x /usr/lib64/glibc-hwcaps/$l/libdemo.so.1" \
"$(rpm -qp --qf '[%{FILEMODES:perms} %{FILENAMES}\n]' "$p" | grep -v '^d')"
done

# Install everything into a throw-away root.
root=$WORK/root
install_root "$root" "$R"/*.rpm

b=$root/usr/bin
assert_eq "baseline has no level marker" "      Properties: x86 ISA needed: x86-64-baseline" "$(readelf -n "$b/demo" | grep 'ISA needed')"
for n in 2 3 4; do
        l=x86-64-v$n
        assert_eq "$l program carries the $l ISA marker" "      Properties: x86 ISA needed: x86-64-baseline, $l" \
                "$(readelf -n "$b/glibc-hwcaps/$l/demo" | grep 'ISA needed')"
        assert_eq "$l library carries the $l ISA marker" "      Properties: x86 ISA needed: $l" \
                "$(readelf -n "$root/usr/lib64/glibc-hwcaps/$l/libdemo.so.1" | grep 'ISA needed')"
        assert_eq "$l variant prints what the baseline prints" "$("$b/demo")" "$("$b/glibc-hwcaps/$l/demo")"
done
assert_eq "dispatched baseline runs" "demo-abs 11504611726699380736" "$("$b/glibc-hwcaps/x86-64-v1/demo-abs")"

# Instructions: SSE only at v2, VEX (AVX2 ymm) at v3, EVEX with the
# AVX-512DQ vpmullq at v4; the baseline has neither.
assert_eq "baseline: no VEX, no EVEX" "vex=0 evex=0" "$(count_encodings "$b/demo")"
assert_eq "x86-64-v2: no VEX, no EVEX" "vex=0 evex=0" "$(count_encodings "$b/glibc-hwcaps/x86-64-v2/demo")"
case $(count_encodings "$b/glibc-hwcaps/x86-64-v3/demo") in
vex=0*|*evex=[1-9]*) fail "x86-64-v3: expected VEX and no EVEX, got $(count_encodings "$b/glibc-hwcaps/x86-64-v3/demo")" ;;
*) echo "ok: x86-64-v3: VEX instructions, no EVEX" ;;
esac
objdump -d "$b/glibc-hwcaps/x86-64-v3/demo" | grep -q 'ymm' && echo "ok: x86-64-v3 uses ymm registers" || fail "x86-64-v3 uses no ymm register"
case $(count_encodings "$b/glibc-hwcaps/x86-64-v4/demo") in
*evex=0) fail "x86-64-v4: no EVEX instruction" ;;
*) echo "ok: x86-64-v4: EVEX instructions" ;;
esac
objdump -d "$b/glibc-hwcaps/x86-64-v4/demo" | grep -q 'vpmullq' && echo "ok: x86-64-v4 uses vpmullq (AVX-512DQ)" || fail "x86-64-v4 has no vpmullq"

# The owner report against the test rpmdb.
owners() { "$HWCAPS" check --owners --root "$root" "$@"; }
rc=0; out=$(owners) || rc=$?
assert_eq "owner report: every variant ok" \
"VARIANT                                         PACKAGE                             BASELINE PACKAGE          STATE
/usr/bin/glibc-hwcaps/x86-64-v2/demo            hwcaps-demo-x86-64-v2-1.0-1.x86_64  hwcaps-demo-1.0-1.x86_64  ok
/usr/bin/glibc-hwcaps/x86-64-v2/demo-abs        hwcaps-demo-x86-64-v2-1.0-1.x86_64  hwcaps-demo-1.0-1.x86_64  ok
/usr/bin/glibc-hwcaps/x86-64-v3/demo            hwcaps-demo-x86-64-v3-1.0-1.x86_64  hwcaps-demo-1.0-1.x86_64  ok
/usr/bin/glibc-hwcaps/x86-64-v3/demo-abs        hwcaps-demo-x86-64-v3-1.0-1.x86_64  hwcaps-demo-1.0-1.x86_64  ok
/usr/bin/glibc-hwcaps/x86-64-v4/demo            hwcaps-demo-x86-64-v4-1.0-1.x86_64  hwcaps-demo-1.0-1.x86_64  ok
/usr/bin/glibc-hwcaps/x86-64-v4/demo-abs        hwcaps-demo-x86-64-v4-1.0-1.x86_64  hwcaps-demo-1.0-1.x86_64  ok
/usr/lib64/glibc-hwcaps/x86-64-v2/libdemo.so.1  hwcaps-demo-x86-64-v2-1.0-1.x86_64  hwcaps-demo-1.0-1.x86_64  ok
/usr/lib64/glibc-hwcaps/x86-64-v3/libdemo.so.1  hwcaps-demo-x86-64-v3-1.0-1.x86_64  hwcaps-demo-1.0-1.x86_64  ok
/usr/lib64/glibc-hwcaps/x86-64-v4/libdemo.so.1  hwcaps-demo-x86-64-v4-1.0-1.x86_64  hwcaps-demo-1.0-1.x86_64  ok" "$out"
assert_eq "owner report exit status when all ok" 0 "$rc"
assert_eq "owner report JSON: the dispatched program's baseline is in x86-64-v1/" \
'{"path":"/usr/bin/glibc-hwcaps/x86-64-v3/demo-abs","level":"x86-64-v3","package":"hwcaps-demo-x86-64-v3-1.0-1.x86_64","package_manager":"rpm","baseline":"/usr/bin/glibc-hwcaps/x86-64-v1/demo-abs","baseline_package":"hwcaps-demo-1.0-1.x86_64","state":"ok"}' \
"$(owners --json | sed 's/},{/}\n{/g; s/.*"variants":\[//; s/\]}}$//' | grep 'x86-64-v3/demo-abs"')"

# hwcaps status --packages shows the same report, after the status.
rc=0; out=$("$HWCAPS" status --packages --root "$root" 2>/dev/null) || rc=$?
assert_eq "status --packages exit status" 0 "$rc"
assert_eq "status --packages lists the owners" "/usr/bin/glibc-hwcaps/x86-64-v3/demo            hwcaps-demo-x86-64-v3-1.0-1.x86_64  hwcaps-demo-1.0-1.x86_64  ok" \
        "$(printf '%s\n' "$out" | sed -n '/^Packages:$/,$p' | grep 'x86-64-v3/demo ')"
if command -v jq >/dev/null 2>&1; then
        assert_eq "status --json --packages nests the report" "ok" \
                "$("$HWCAPS" status --json --packages --root "$root" 2>/dev/null | jq -r '.packages.variants[] | select(.path == "/usr/bin/glibc-hwcaps/x86-64-v2/demo") | .state')"
fi
rc=0; "$HWCAPS" status --packages --root "$WORK/nodb" >/dev/null 2>&1 || rc=$?
assert_eq "status --packages without an rpmdb fails" 1 "$rc"

# Stale: the base package updated, the variants left behind (--nodeps: the
# exact Requires would forbid it).
rpmb "$top" "$SRC/tests/rpm/demo.spec" --define 'demo_release 2' > "$WORK/build2.log" 2>&1 || { cat "$WORK/build2.log" >&2; fail "rpmbuild release 2"; }
rpm --root "$root" --nodeps -U "$R/hwcaps-demo-1.0-2.x86_64.rpm" 2>/dev/null
# Missing baseline and an unowned variant, by hand.
rm "$root/usr/lib64/libdemo.so.1"
cp "$b/demo" "$b/local"
cp "$b/demo" "$b/glibc-hwcaps/x86-64-v3/local"
rc=0; out=$(owners) || rc=$?
assert_eq "owner report: stale, missing-baseline, unowned" \
"/usr/bin/glibc-hwcaps/x86-64-v2/demo stale
/usr/bin/glibc-hwcaps/x86-64-v2/demo-abs stale
/usr/bin/glibc-hwcaps/x86-64-v3/demo stale
/usr/bin/glibc-hwcaps/x86-64-v3/demo-abs stale
/usr/bin/glibc-hwcaps/x86-64-v3/local unowned
/usr/bin/glibc-hwcaps/x86-64-v4/demo stale
/usr/bin/glibc-hwcaps/x86-64-v4/demo-abs stale
/usr/lib64/glibc-hwcaps/x86-64-v2/libdemo.so.1 missing-baseline
/usr/lib64/glibc-hwcaps/x86-64-v3/libdemo.so.1 missing-baseline
/usr/lib64/glibc-hwcaps/x86-64-v4/libdemo.so.1 missing-baseline" "$(printf '%s\n' "$out" | awk 'NR > 1 { print $1, $NF }')"
assert_eq "owner report fails when a variant is not ok" 1 "$rc"
printf '%s\n' "$out" | grep -q 'x86-64-v3/demo .*hwcaps-demo-x86-64-v3-1.0-1.x86_64 .*hwcaps-demo-1.0-2.x86_64 .*stale' \
        && echo "ok: stale row names both packages" || fail "stale row does not name both packages: $out"

mkdir -p "$WORK/nodb/usr/bin"
rc=0; "$HWCAPS" check --owners --root "$WORK/nodb" 2>"$WORK/err" || rc=$?
assert_eq "owner report without rpmdb fails" 1 "$rc"
assert_eq "owner report says the rpm and dpkg databases are missing" \
"hwcaps: $WORK/nodb: no package database: cannot open the rpm database (/root/.rpmdb inside the root; rpm --root $WORK/nodb --initdb creates one); no dpkg database (/var/lib/dpkg/status inside the root)" \
"$(sed "s|(.*/\.rpmdb inside|(/root/.rpmdb inside|" "$WORK/err")"
rc=0; "$HWCAPS" check --owners --root "$WORK/nonexistent" 2>"$WORK/err" || rc=$?
assert_eq "owner report on a missing root" "1 hwcaps: $WORK/nonexistent: No such file or directory" "$rc $(cat "$WORK/err")"
# A relative root works too.
assert_eq "a relative --root reads the same rpmdb" "$(owners --json || true)" \
        "$(cd "$WORK" && "$HWCAPS" check --owners --json --root root | sed "s|\"root\":\"[^\"]*\"|\"root\":\"$root\"|" || true)"
finish
