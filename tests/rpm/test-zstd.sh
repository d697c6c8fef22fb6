#!/bin/sh
# A real upstream built with the macros: zstd's source from Debian's archive
# (deb-src entry for the mirror the machine already uses, apt-get source
# --download-only, cached in /var/cache/hwcaps/src/ and reused), zstd.spec
# built with rpmbuild, the RPMs installed into a throw-away root, the owner
# report run on it, and every variant run against the baseline.
# Usage: test-zstd.sh HWCAPS SRC
HWCAPS=$1 SRC=$2
. "$SRC/tests/rpm/lib.sh"

cache=${HWCAPS_SRC_CACHE:-/var/cache/hwcaps/src}

fetch() {
        if [ "$(id -u)" -ne 0 ]; then
                echo "SKIP: no cached zstd source in $cache, and fetching it needs root (apt-get)" >&2
                exit 77
        fi
        # The same mirror as the machine's first deb entry.
        uri=$(sed -n 's/^URIs:[[:space:]]*//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n 1)
        suite=$(sed -n 's/^Suites:[[:space:]]*//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n 1 | cut -d' ' -f1)
        if [ -z "$uri" ]; then
                set -- $(grep -h '^deb ' /etc/apt/sources.list 2>/dev/null | head -n 1)
                uri=${2:-http://deb.debian.org/debian} suite=${3:-bookworm}
        fi
        cat > /etc/apt/sources.list.d/hwcaps-deb-src.sources <<EOS
Types: deb-src
URIs: $uri
Suites: ${suite:-bookworm}
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOS
        mkdir -p "$cache"
        if ! apt-get update -qq || ! (cd "$cache" && apt-get source --download-only -qq zstd); then
                echo "SKIP: cannot download zstd's source from $uri" >&2
                exit 77
        fi
}

orig() { ls "$cache"/libzstd_*.orig.tar.* 2>/dev/null | grep -v '\.asc$' | head -n 1; }
[ -n "$(orig)" ] || fetch
tarball=$(orig)
[ -n "$tarball" ] || { fail "no zstd .orig tarball in $cache after apt-get source"; finish; }
# libzstd_1.5.4+dfsg2.orig.tar.xz -> 1.5.4
version=$(basename "$tarball" | sed 's/^libzstd_\([0-9.]*\).*/\1/')
echo "zstd $version from $tarball"

top=$WORK/top
mkdir -p "$top/SOURCES"
cp "$tarball" "$top/SOURCES/"
rpmb "$top" "$SRC/tests/rpm/zstd.spec" \
        --define "zstd_version $version" --define "zstd_tarball $(basename "$tarball")" \
        > "$WORK/build.log" 2>&1 || { tail -n 50 "$WORK/build.log" >&2; fail "rpmbuild zstd.spec"; finish; }
assert_contains "the buildroot check passed" "$WORK/build.log" "hwcaps: check: 3 variants, no problems"

R=$top/RPMS/x86_64
assert_eq "zstd packages" \
"zstd-$version-1.x86_64.rpm
zstd-x86-64-v2-$version-1.x86_64.rpm
zstd-x86-64-v3-$version-1.x86_64.rpm
zstd-x86-64-v4-$version-1.x86_64.rpm" "$(ls "$R")"
assert_eq "zstd main package files" \
"/usr/bin/zstd
/usr/share/licenses/zstd-$version
/usr/share/licenses/zstd-$version/COPYING
/usr/share/licenses/zstd-$version/LICENSE" "$(rpm -qp --list "$R/zstd-$version-1.x86_64.rpm")"
for l in x86-64-v2 x86-64-v3 x86-64-v4; do
        assert_eq "zstd $l files" \
"/usr/bin/glibc-hwcaps
/usr/bin/glibc-hwcaps/$l
/usr/bin/glibc-hwcaps/$l/zstd" "$(rpm -qp --list "$R/zstd-$l-$version-1.x86_64.rpm")"
        assert_eq "zstd $l pinned to the base package" "zstd(x86-64) = $version-1" "$(requires "$R/zstd-$l-$version-1.x86_64.rpm")"
done

root=$WORK/root
install_root "$root" "$R"/*.rpm
b=$root/usr/bin

rc=0; out=$("$HWCAPS" check --owners --root "$root") || rc=$?
# (Column widths depend on the version string: compare with spaces squeezed;
# test-demo.sh checks the alignment.)
assert_eq "owner report on the installed root" \
"VARIANT PACKAGE BASELINE PACKAGE STATE
/usr/bin/glibc-hwcaps/x86-64-v2/zstd zstd-x86-64-v2-$version-1.x86_64 zstd-$version-1.x86_64 ok
/usr/bin/glibc-hwcaps/x86-64-v3/zstd zstd-x86-64-v3-$version-1.x86_64 zstd-$version-1.x86_64 ok
/usr/bin/glibc-hwcaps/x86-64-v4/zstd zstd-x86-64-v4-$version-1.x86_64 zstd-$version-1.x86_64 ok" "$(printf '%s\n' "$out" | tr -s ' ')"
assert_eq "owner report status" 0 "$rc"
# The functions the spec tells the build's check a CPU check chooses,
# told to this check too (read from the spec: one list).
set -f
allow=
for g in $(sed -n 's/^%global hwcaps_check_allow_functions //p' "$SRC/tests/rpm/zstd.spec"); do
        allow="$allow --allow-function $g"
done
rc=0; "$HWCAPS" check $allow --root "$root" > /dev/null || rc=$?
set +f
assert_eq "hwcaps check passes on the installed root" 0 "$rc"

assert_eq "baseline zstd has no level marker" "      Properties: x86 ISA needed: x86-64-baseline" \
        "$(readelf -n "$b/zstd" | grep 'ISA needed')"
for n in 2 3 4; do
        l=x86-64-v$n
        assert_eq "$l zstd carries the $l marker" "      Properties: x86 ISA needed: x86-64-baseline, $l" \
                "$(readelf -n "$b/glibc-hwcaps/$l/zstd" | grep 'ISA needed')"
done
objdump -d "$b/glibc-hwcaps/x86-64-v3/zstd" | grep -q ymm && echo "ok: x86-64-v3 zstd uses ymm registers" || fail "x86-64-v3 zstd uses no ymm register"
assert_eq "baseline zstd: no EVEX" "evex=0" "$(count_encodings "$b/zstd" | grep -o 'evex=[0-9]*')"
case $(count_encodings "$b/glibc-hwcaps/x86-64-v4/zstd") in
*evex=0) fail "x86-64-v4 zstd: no EVEX instruction" ;;
*) echo "ok: x86-64-v4 zstd has EVEX instructions" ;;
esac

# Same input, same output: every variant compresses to the same bytes as the
# baseline and decompresses the baseline's output (this CPU runs x86-64-v4).
input=$WORK/input.tar
xz -dc "$tarball" > "$input" 2>/dev/null || cp "$tarball" "$input"
"$b/zstd" -q -6 -c "$input" > "$WORK/base.zst"
"$b/zstd" -q -d -c "$WORK/base.zst" | cmp -s - "$input" && echo "ok: baseline round trip" || fail "baseline round trip"
for n in 2 3 4; do
        l=x86-64-v$n
        "$b/glibc-hwcaps/$l/zstd" -q -6 -c "$input" > "$WORK/$l.zst"
        cmp -s "$WORK/base.zst" "$WORK/$l.zst" && echo "ok: $l compresses like the baseline" || fail "$l output differs from the baseline's"
        "$b/glibc-hwcaps/$l/zstd" -q -d -c "$WORK/base.zst" | cmp -s - "$input" && echo "ok: $l decompresses the baseline's output" || fail "$l decompression"
done
finish
