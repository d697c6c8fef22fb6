#!/bin/sh
# Build (once) the minimal build root of tests/rpm/test-buildfarm.sh and
# cache it outside the repository, as tests/vm/build-image.sh caches the VM
# image:
#   $HWCAPS_BUILDROOT_CACHE (default /var/cache/hwcaps/buildroot)/root-HASH/
#     root/   debootstrap --variant=minbase of Debian 12 plus the packages below
#     stamp   hash of this script
# HASH is the start of this script's hash: a changed package list builds a
# new root beside the old one. hwcaps itself is not in it: the test installs
# this tree's .deb packages into a throw-away overlay per run.
# usage: build-root.sh [--dir]   (--dir: print the root's directory, build nothing)
# Exit codes: 0 root ready, 77 cannot build here (prints "SKIP: reason"),
# other = real failure.
set -eu

cache=${HWCAPS_BUILDROOT_CACHE:-/var/cache/hwcaps/buildroot}
stamp=$(sha256sum "$0" | cut -d' ' -f1)
dir=$cache/root-$(printf '%s' "$stamp" | cut -c1-16)
if [ "${1:-}" = --dir ]; then
	echo "$dir"
	exit 0
fi
suite=bookworm
# What a build farm's root has for a C package with hwcaps macros: rpm and
# the compiler (libc6-dev: gcc only recommends it), and the run-time
# libraries of the hwcaps packages (their Depends:, see debian/control).
packages="rpm gcc make binutils libc6-dev
libcpuid16 librpm9 libsystemd0 libinih1"

skip() {
	echo "SKIP: $*"
	exit 77
}
ready() {
	[ -f "$dir/stamp" ] && [ "$(cat "$dir/stamp")" = "$stamp" ] && [ -x "$dir/root/usr/bin/rpmbuild" ]
}
ready && exit 0

[ "$(id -u)" -eq 0 ] || skip "building the build root needs root (debootstrap, chroot)"
command -v debootstrap >/dev/null 2>&1 || skip "debootstrap not installed (.ci/deps installs it)"
mirror=$("$(dirname "$0")/../vm/debian-mirror.sh")
[ -n "$mirror" ] || skip "no Debian mirror found in /etc/apt/sources.list(.d); set HWCAPS_VM_MIRROR"

mkdir -p "$cache"
exec 9>"$cache/.build.lock"
flock 9
ready && exit 0

work=$(mktemp -d "$cache/build.XXXXXX")
cleanup() {
	for m in proc sys dev/pts dev; do
		if mountpoint -q "$work/root/$m" 2>/dev/null; then umount -l "$work/root/$m" || true; fi
	done
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "build-root: debootstrap $suite from $mirror (takes a few minutes)"
start=$(date +%s)
if ! debootstrap --variant=minbase --merged-usr --components=main \
	--include="$(echo $packages | tr ' ' ',')" "$suite" "$work/root" "$mirror" >"$work/debootstrap.log" 2>&1; then
	tail -n 20 "$work/debootstrap.log" >&2
	if grep -q -i -e 'Failed getting release file' -e 'Could not resolve' -e 'Connection' "$work/debootstrap.log"; then
		skip "cannot reach the Debian archive $mirror"
	fi
	echo "build-root: debootstrap failed, see log above" >&2
	exit 1
fi
rm -rf "$work"/root/var/cache/apt/archives/*.deb "$work"/root/var/lib/apt/lists/*
rm -rf "$dir"
mkdir -p "$dir"
mv "$work/root" "$dir/root"
echo "$stamp" >"$dir/stamp"
echo "build-root: done in $(( $(date +%s) - start )) s: $dir"
