#!/bin/sh
# hwcaps.spec builds with rpmbuild from a tarball of this source tree, and its
# packages hold what they should. Parts of the tree that are not there yet
# (generator, stub) are built --without.
# Usage: test-hwcaps-spec.sh HWCAPS SRC
HWCAPS=$1 SRC=$2
. "$SRC/tests/rpm/lib.sh"

version=$(sed -n "s/^Version:[[:space:]]*//p" "$SRC/hwcaps.spec")
top=$WORK/top
mkdir -p "$top/SOURCES"
tar -C "$SRC" -czf "$top/SOURCES/hwcaps-$version.tar.gz" \
        --exclude=.git --exclude='./build*' --exclude='*/build*' \
        --transform "s,^\.,hwcaps-$version," .

with=
[ -f "$SRC/generator/hwcaps-env-generator.c" ] || with="$with --without generator"
[ -f "$SRC/dispatch/stub/stub.c" ] || with="$with --without stub"
echo "building hwcaps.spec${with:- with everything}"
# shellcheck disable=SC2086
rpmbuild -bb --nodeps --define "_topdir $top" --define "_build_id_links none" $with \
        "$SRC/hwcaps.spec" > "$WORK/build.log" 2>&1 || { tail -n 40 "$WORK/build.log" >&2; fail "rpmbuild hwcaps.spec"; finish; }

R=$top/RPMS
main=$(ls "$R"/x86_64/hwcaps-$version-*.rpm)
macros=$(ls "$R"/noarch/hwcaps-rpm-macros-$version-*.rpm)
rpm -qp --list "$main" | grep -qx /usr/bin/hwcaps && echo "ok: hwcaps package has the tool" || fail "no /usr/bin/hwcaps in $main"
assert_eq "rpm-macros package files" \
"$(rpm --eval '%{_rpmconfigdir}')/brp-hwcaps-check
$(rpm --eval '%{_fileattrsdir}')/hwcaps_dispatch.attr
$(rpm --eval '%{_rpmluadir}')/hwcaps.lua
$(rpm --eval '%{_rpmmacrodir}')/macros.hwcaps
$(rpm --eval '%{_rpmmacrodir}')/macros.hwcaps-profile
/usr/share/man/man7/hwcaps-macros.7" "$(rpm -qp --list "$macros" | sed 's/\.gz$//')"
# The libraries hwcaps opens with dlopen() (their sonames are strings in
# the binary) are named in Requires, since no dependency generator sees them.
for so in $(strings "$HWCAPS" | grep -E '^lib(rpm|systemd)\.so\.[0-9]+$' | sort -u); do
        requires "$main" | grep -qxF "$so()(64bit)" && echo "ok: requires $so()(64bit)" ||
                fail "hwcaps opens $so with dlopen() but its package does not require $so()(64bit)"
done
[ "$(strings "$HWCAPS" | grep -cE '^lib(rpm|systemd)\.so\.[0-9]+$')" -eq 2 ] || fail "expected two sonames in $HWCAPS"
assert_eq "rpm-macros requires the tool" "hwcaps >= $version-1" "$(requires "$macros" | grep '^hwcaps')"
if [ -z "$with" ] || [ "${with#*generator}" = "$with" ]; then
        rpm -qp --list "$main" | grep -qx /usr/lib/systemd/system-environment-generators/60-hwcaps \
                && echo "ok: generator link" || fail "no generator link in $main"
        rpm -qp --filetriggers "$main" | grep -q hwcaps-refresh && echo "ok: file triggers" || fail "no file triggers"
fi
if [ "${with#*stub}" = "$with" ]; then
        rpm -qp --list "$(ls "$R"/x86_64/hwcaps-dispatch-*.rpm)" | grep -qx /usr/libexec/hwcaps/hwcaps-dispatch \
                && echo "ok: dispatch stub package" || fail "no stub in hwcaps-dispatch"
fi

# The packaged macros are the ones that work: build the demo with them from
# an installed root (rpm --root), the check done by the packaged hwcaps.
root=$WORK/root
install_root "$root" "$main" "$macros"
cmp -s "$root$(rpm --eval '%{_rpmmacrodir}')/macros.hwcaps" "$SRC/rpm-macros/macros.hwcaps" \
        && echo "ok: the package installs macros.hwcaps" || fail "installed macros.hwcaps differs"
cmp -s "$root$(rpm --eval '%{_rpmluadir}')/hwcaps.lua" "$LUADIR/hwcaps.lua" \
        && echo "ok: the package installs hwcaps.lua" || fail "installed hwcaps.lua differs"
# The packaged macros find the packaged Lua by their default %_hwcaps_luadir
# (rpm's %_rpmluadir), here below the root.
assert_eq "the packaged macros load the packaged hwcaps.lua" "x86-64-v2 x86-64-v3 x86-64-v4" \
        "$(rpm --load "$root$(rpm --eval '%{_rpmmacrodir}')/macros.hwcaps" \
                --define "_rpmconfigdir $root$(rpm --eval '%{_rpmconfigdir}')" --eval '%{hwcaps_levels}')"
[ -x "$root$(rpm --eval '%{_rpmconfigdir}')/brp-hwcaps-check" ] && echo "ok: brp-hwcaps-check is executable" || fail "brp-hwcaps-check not executable"
"$root/usr/bin/hwcaps" check --root "$root" > /dev/null && echo "ok: the packaged hwcaps runs" || fail "packaged hwcaps"
finish
