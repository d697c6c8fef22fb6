#!/bin/sh
# Build-farm conditions (issue 13): tests/rpm/buildfarm.spec (the stub, every
# level, profiles "none" and "pgo") built the way mock, Koji and OBS build,
# all at once in one rpmbuild:
#   - in a minimal build root: Debian 12 minbase plus rpm, gcc, make and
#     hwcaps' run-time libraries (build-root.sh, cached), with this tree's
#     hwcaps .deb packages installed (tests/vm/build-deb.sh) into a throw-away
#     overlay, so the macros are the installed ones;
#   - by an unprivileged user created for the test, owning the _topdir;
#   - in a network namespace of its own: only lo, connect() fails;
#   - with the builder masked below the top level through
#     GLIBC_TUNABLES=glibc.cpu.hwcaps=-AVX512F,-AVX2 (x86-64-v2 at most).
# It must pass, %hwcaps_check naming each level it skipped. What the macros
# do when the build step itself runs a freshly built program above the
# builder's level is asserted too: they run it and say nothing (a builder
# really below that level would die there; the mask cannot show that).
# Needs root, unshare, chroot, overlayfs, debootstrap and the Debian archive
# once; exits 77 (skip) with the reason otherwise.
# Usage: test-buildfarm.sh HWCAPS SRC
HWCAPS=$1 SRC=$2
. "$SRC/tests/rpm/lib.sh"

skip() {
        echo "SKIP: $*"
        exit 77
}
[ "$(id -u)" -eq 0 ] || skip "the build-farm test needs root (debootstrap, chroot, namespaces)"
for c in unshare chroot mount dpkg-buildpackage dh; do
        command -v "$c" >/dev/null 2>&1 || skip "$c not installed (.ci/deps installs it)"
done
unshare -m -n true 2>/dev/null || skip "cannot create mount and network namespaces here"

rc=0
"$SRC/tests/rpm/build-root.sh" || rc=$?
[ "$rc" -ne 77 ] || skip "cannot build the minimal build root (see above)"
[ "$rc" -eq 0 ] || { fail "build-root.sh failed ($rc)"; finish; }
lower=$("$SRC/tests/rpm/build-root.sh" --dir)/root

# This tree's .deb packages, shared with the VM suite when HWCAPS is in a
# meson build tree (build/tests/vm/deb, its lock), else built here.
build=$(cd "$(dirname "$HWCAPS")/../.." && pwd)
if [ -f "$build/meson-info/meson-info.json" ]; then debdir=$build/tests/vm/deb; else debdir=$WORK/deb; fi
mkdir -p "$debdir"
(flock 9 && "$SRC/tests/vm/build-deb.sh" "$SRC" "$debdir" >/dev/null) 9>"$debdir.lock" ||
        { fail "building the .deb packages (tests/vm/build-deb.sh)"; finish; }
mkdir -p "$WORK/debs"
cp "$debdir"/hwcaps_*.deb "$debdir"/hwcaps-dispatch_*.deb "$debdir"/hwcaps-rpm-macros_*.deb "$WORK/debs/"

# A host the network namespace must not reach: the Debian mirror, which the
# host reaches (it built the root from it).
mirror_host=$("$SRC/tests/vm/debian-mirror.sh" | sed -n 's,^[a-z]*://\([^/:]*\).*,\1,p')
mirror_ip=$(getent ahostsv4 "$mirror_host" 2>/dev/null | awk 'NR == 1 { print $1 }')

mask=glibc.cpu.hwcaps=-AVX512F,-AVX2
user=hwcaps-bf
mkdir -p "$WORK/upper" "$WORK/ovwork" "$WORK/root" "$WORK/upper/bf"
cp "$WORK"/debs/*.deb "$SRC/tests/rpm/buildfarm.spec" "$WORK/upper/bf/"
# What the unprivileged user runs: the probes of the conditions, then the
# build; each result in a file of its home, read from the overlay afterwards.
cat >"$WORK/upper/bf/build.sh" <<'SH'
cd "$HOME" || exit 1
id -u >uid
{ touch /usr/bf-root-write 2>/dev/null && echo writable; } >root-write || echo "read-only to the builder" >root-write
sed -n 's/^ *\([^:]*\):.*/\1/p' /proc/net/dev >netdevs
if [ -n "$1" ]; then
        bash -c "exec 3<>/dev/tcp/$1/80" >connect 2>&1 && echo "connected" >>connect
fi
/usr/lib64/ld-linux-x86-64.so.2 --help | sed -n 's/^  \(x86-64-v[0-9]\) (supported, searched)$/\1/p' >ldso-levels
rpmbuild -bb --nodeps --define "_topdir $HOME/rpmbuild" /bf/buildfarm.spec >build.log 2>&1
echo $? >build-rc
SH

# Everything in a private mount namespace: the overlay, /proc and /dev go
# away with it. Root installs the packages and creates the user; the build
# runs as that user, in the same network namespace, with the mask.
unshare -m -n sh -eu -c '
        w=$1 lower=$2 user=$3 mask=$4 ip=$5
        mount -t overlay overlay -o "lowerdir=$lower,upperdir=$w/upper,workdir=$w/ovwork" "$w/root"
        mount -t proc proc "$w/root/proc"
        mount --bind /dev "$w/root/dev"
        chroot "$w/root" sh -c "dpkg -i /bf/*.deb >/bf/dpkg.log 2>&1 || { cat /bf/dpkg.log >&2; exit 1; }"
        chroot "$w/root" useradd --system --create-home --home-dir /home/$user --shell /bin/sh "$user"
        ids=$(chroot "$w/root" sh -c "echo \$(id -u $user):\$(id -g $user)")
        chroot --userspec="$ids" --groups= "$w/root" env -i HOME=/home/$user USER=$user LOGNAME=$user \
                PATH=/usr/bin:/bin LC_ALL=C.UTF-8 GLIBC_TUNABLES="$mask" /bin/sh /bf/build.sh "$ip"
' sh "$WORK" "$lower" "$user" "$mask" "$mirror_ip" >"$WORK/sandbox.log" 2>&1 ||
        { cat "$WORK/sandbox.log" >&2; fail "setting up the build root"; finish; }

h=$WORK/upper/home/$user
[ -f "$h/build-rc" ] || { cat "$WORK/sandbox.log" >&2; fail "the build did not run"; finish; }
uid=$(cat "$h/uid")
[ "$uid" -ne 0 ] && echo "ok: built as an unprivileged user (uid $uid)" || fail "built as root"
assert_eq "the system is read-only to the build user" "read-only to the builder" "$(cat "$h/root-write")"
assert_eq "_topdir owned by the build user" "$uid" "$(stat -c %u "$h/rpmbuild")"
assert_eq "the build's network namespace has only lo" "lo" "$(cat "$h/netdevs")"
if [ -n "$mirror_ip" ] && bash -c "exec 3<>/dev/tcp/$mirror_ip/80" 2>/dev/null; then
        grep -q 'Network is unreachable' "$h/connect" && ! grep -q connected "$h/connect" &&
                echo "ok: connect() to $mirror_host fails in the build, works outside" ||
                fail "connect() to $mirror_ip from the build: $(cat "$h/connect")"
else
        echo "ok: (not asserted: the host itself cannot connect to the mirror now)"
fi

log=$h/build.log
if [ "$(cat "$h/build-rc")" -ne 0 ]; then
        tail -n 40 "$log" >&2
        fail "rpmbuild in build-farm conditions failed"
        finish
fi
echo "ok: rpmbuild passed"
# The levels the masked builder runs, by the dynamic linker; the mask must
# leave at least the top level unsupported, or this tests nothing.
supported=$(cat "$h/ldso-levels")
levels=$(rpm --load "$MACROS" --define "_hwcaps_luadir $LUADIR" --eval '%{hwcaps_levels}')
top=$(printf '%s\n' $levels | tail -n 1)
printf '%s\n' "$supported" | grep -qx "$top" && fail "the mask $mask left $top supported: $supported"
assert_contains "the installed brp check ran" "$log" "hwcaps: check: 4 variants, no problems"
skips=0
for l in $levels; do
        for p in none pgo; do
                if printf '%s\n' "$supported" | grep -qx "$l"; then
                        assert_contains "%hwcaps_check ran $l ($p)" "$log" "check ran: built for $l, profile $p (1)"
                else
                        skips=$((skips + 1))
                        assert_contains "%hwcaps_check names the skipped $l ($p)" "$log" \
                                "hwcaps: skipping the $l (profile $p) tests: this build host does not support $l (/usr/bin/hwcaps levels)"
                        grep -qxF "check ran: built for $l, profile $p (1)" "$log" && fail "%hwcaps_check ran $l ($p) on a builder without it"
                fi
                # Today's behaviour: %hwcaps_build runs whatever the command
                # runs, at every level, and names no level it cannot run.
                assert_contains "the build step ran the $l ($p) program" "$log" "build step ran: built for $l, profile $p (1)"
        done
done
assert_eq "skip lines: exactly the levels above the builder, each profile" "$skips" "$(grep -c '^hwcaps: skipping ' "$log")"

R=$h/rpmbuild/RPMS/x86_64
assert_eq "one main package and one subpackage per level" \
"hwcaps-buildfarm-1.0-1.x86_64.rpm
hwcaps-buildfarm-x86-64-v2-1.0-1.x86_64.rpm
hwcaps-buildfarm-x86-64-v3-1.0-1.x86_64.rpm
hwcaps-buildfarm-x86-64-v4-1.0-1.x86_64.rpm" "$(ls "$R")"
assert_eq "main package: the stub link and the moved baseline" \
"/usr/bin/bf -> /usr/libexec/hwcaps/hwcaps-dispatch
/usr/bin/glibc-hwcaps/x86-64-v1/bf -> " \
"$(rpm -qp --qf '[%{FILENAMES} -> %{FILELINKTOS}\n]' "$R/hwcaps-buildfarm-1.0-1.x86_64.rpm" | grep '/bf ')"
for l in $levels; do
        assert_eq "$l package: its variant, owned by root" \
                "root root /usr/bin/glibc-hwcaps/$l/bf" \
                "$(rpm -qp --qf '[%{FILEUSERNAME} %{FILEGROUPNAME} %{FILENAMES}\n]' "$R/hwcaps-buildfarm-$l-1.0-1.x86_64.rpm" | grep '/bf$')"
done
finish
