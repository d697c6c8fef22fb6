# Shared by the rpm tests: sourced with HWCAPS (the built hwcaps tool) and
# SRC (the source tree) set. Each test works in its own temporary _topdir.
set -eu

: "${HWCAPS:?}" "${SRC:?}"
MACROS=$SRC/rpm-macros/macros.hwcaps
# The macros' Lua (hwcaps.lua, generated in the build tree: meson sets
# HWCAPS_LUADIR), not an installed copy: --define "_hwcaps_luadir $LUADIR"
# after --load "$MACROS", since the file's own definition replaces one made
# before it is loaded.
LUADIR=${HWCAPS_LUADIR:?meson sets it to build/rpm-macros}
BRP=$SRC/rpm-macros/brp-hwcaps-check
WORK=$(mktemp -d "${TMPDIR:-/tmp}/hwcaps-rpm-test.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
failures=0

fail() {
        echo "FAIL: $*" >&2
        failures=$((failures + 1))
}

# assert_eq WHAT EXPECTED ACTUAL
assert_eq() {
        if [ "$2" = "$3" ]; then
                echo "ok: $1"
        else
                fail "$1"
                printf '%s\n' "$2" > "$WORK/expected"
                printf '%s\n' "$3" > "$WORK/actual"
                diff -u "$WORK/expected" "$WORK/actual" >&2 || true
        fi
}

# assert_contains WHAT FILE TEXT: TEXT is a line (fixed string) of FILE.
assert_contains() {
        if grep -qxF -- "$3" "$2"; then
                echo "ok: $1"
        else
                fail "$1: no line '$3' in $2:"
                tail -n 30 "$2" >&2
        fi
}

# rpmb TOPDIR SPEC [rpmbuild args]: rpmbuild with the macros of this tree and
# this tree's hwcaps as the buildroot check. Debian's rpmdb knows none of the
# BuildRequires, hence --nodeps; no build-id links, so file lists are exact.
rpmb() {
        local rtop="$1" rspec="$2"
        shift 2
        mkdir -p "$rtop/SOURCES"
        rpmbuild -bb --nodeps \
                --define "_topdir $rtop" \
                --define "_build_id_links none" \
                --load "$MACROS" \
                --define "_hwcaps_luadir $LUADIR" \
                --define "__hwcaps $HWCAPS" \
                --define "_hwcaps_brp sh $BRP" \
                "$@" "$rspec"
}

# install_root ROOT RPM...: a throw-away root with its own rpmdb and the RPMs
# installed (--nodeps). Debian's rpm keeps its rpmdb in ~/.rpmdb, so it
# lands in ROOT/root/.rpmdb.
install_root() {
        local iroot="$1"
        shift
        mkdir -p "$iroot"
        rpm --root "$iroot" --initdb
        rpm --root "$iroot" --nodeps -i "$@" 2>"$WORK/rpm-i.log" || { cat "$WORK/rpm-i.log" >&2; fail "rpm -i into $iroot"; }
}

# demo_source TOPDIR: the demo tarball in TOPDIR/SOURCES.
demo_source() {
        mkdir -p "$1/SOURCES"
        tar -C "$SRC/tests/rpm" -czf "$1/SOURCES/hwcaps-demo-1.0.tar.gz" \
                --transform 's,^demo,hwcaps-demo-1.0,' demo
}

# Requirements without the ones rpm adds by itself (rpmlib features) and the
# automatic libc ones, which depend on the build host's glibc.
requires() {
        rpm -qp --requires "$1" | grep -v -e '^rpmlib(' -e '^libc\.so' -e '^rtld(' | sort
}

# VEX (first byte c4/c5) and EVEX (62) encoded instructions in objdump -d.
count_encodings() {
        objdump -d "$1" | awk -F'\t' 'NF >= 3 { split($2, b, " "); if (b[1] == "c4" || b[1] == "c5") v++; if (b[1] == "62") e++ }
                END { printf "vex=%d evex=%d\n", v, e }'
}

finish() {
        if [ "$failures" -gt 0 ]; then
                echo "$failures failure(s)" >&2
                exit 1
        fi
        echo "all passed"
}
