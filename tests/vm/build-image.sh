#!/bin/sh
# Build (once) the minimal Debian 12 image the VM tests boot, and cache it
# outside the repository:
#   $HWCAPS_VM_CACHE (default /var/cache/hwcaps/vm)/image-HASH/
#     rootfs.img   raw ext4 root file system (sparse, 2 GiB apparent size)
#     vmlinuz      kernel extracted from the image's /boot
#     initrd.img   initramfs extracted from the image's /boot
#     stamp        hash of this script
# HASH is the start of this script's hash: a changed script (its package
# list included) builds a new image beside the old one, so work trees with
# different versions of this script share the cache without rebuilding each
# other's image. Old image-*/ directories are not removed.
# usage: build-image.sh [--dir]   (--dir: print the image directory, build nothing)
# The image is plain Debian plus a user "tester" with linger enabled. The
# project, the level directories and the check unit are installed per case by
# run-case.sh into a copy, so changing those needs no rebuild.
#
# Exit codes: 0 image ready, 77 cannot build here (prints "SKIP: reason"),
# other = real failure.
set -eu

cache=${HWCAPS_VM_CACHE:-/var/cache/hwcaps/vm}
stamp=$(sha256sum "$0" | cut -d' ' -f1)
image=$cache/image-$(printf '%s' "$stamp" | cut -c1-16)
if [ "${1:-}" = --dir ]; then
	echo "$image"
	exit 0
fi
suite=bookworm
# Packages on top of debootstrap's minbase. The project's run-time libraries
# (checked with ldd on the built binaries) come first; dbus-user-session gives
# the lingering user's manager a bus, so "systemd-run --user -M tester@" works;
# zsh for its login shells (Debian's zsh reads no /etc/profile.d).
packages="libcpuid16 librpm9 libsystemd0 libinih1 zsh
systemd systemd-sysv udev dbus dbus-user-session libc-bin bash
linux-image-amd64 initramfs-tools kmod e2fsprogs passwd login util-linux"

skip() {
	echo "SKIP: $*"
	exit 77
}

# The stamp covers the package list and everything else this script does.
if [ -f "$image/stamp" ] && [ "$(cat "$image/stamp")" = "$stamp" ] &&
	[ -f "$image/rootfs.img" ] && [ -f "$image/vmlinuz" ] && [ -f "$image/initrd.img" ]; then
	exit 0
fi

[ "$(id -u)" -eq 0 ] || skip "building the VM image needs root (debootstrap, chroot)"
command -v debootstrap >/dev/null 2>&1 || skip "debootstrap not installed (.ci/deps installs it)"
command -v mke2fs >/dev/null 2>&1 || skip "mke2fs not installed (e2fsprogs)"

# The same Debian mirror the host's apt uses: this machine reaches no other.
mirror=$("$(dirname "$0")/debian-mirror.sh")
[ -n "$mirror" ] || skip "no Debian mirror found in /etc/apt/sources.list(.d); set HWCAPS_VM_MIRROR"

mkdir -p "$cache"
# One builder at a time (several test cases may ask at once).
exec 9>"$cache/.build.lock"
flock 9
# Someone else may have finished the build while we waited.
if [ -f "$image/stamp" ] && [ "$(cat "$image/stamp")" = "$stamp" ] &&
	[ -f "$image/rootfs.img" ] && [ -f "$image/vmlinuz" ] && [ -f "$image/initrd.img" ]; then
	exit 0
fi

work=$(mktemp -d "$cache/build.XXXXXX")
root="$work/root"
cleanup() {
	# debootstrap leaves /proc and /sys mounted in the chroot when it fails.
	for m in proc sys dev/pts dev; do
		if mountpoint -q "$root/$m" 2>/dev/null; then umount -l "$root/$m" || true; fi
	done
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "build-image: debootstrap $suite from $mirror (takes a few minutes)"
start=$(date +%s)
include=$(echo $packages | tr ' ' ',')
if ! debootstrap --variant=minbase --merged-usr --components=main \
	--include="$include" "$suite" "$root" "$mirror" >"$work/debootstrap.log" 2>&1; then
	tail -n 20 "$work/debootstrap.log" >&2
	if grep -q -i -e 'Failed getting release file' -e 'Could not resolve' -e 'Connection' "$work/debootstrap.log"; then
		skip "cannot reach the Debian archive $mirror"
	fi
	echo "build-image: debootstrap failed, see log above" >&2
	exit 1
fi

echo hwcaps-vm >"$root/etc/hostname"
printf '127.0.0.1 localhost\n127.0.1.1 hwcaps-vm\n' >"$root/etc/hosts"
printf '/dev/vda / ext4 rw,errors=remount-ro 0 1\n' >"$root/etc/fstab"
chroot "$root" useradd --create-home --shell /bin/bash --uid 1000 tester
# Linger: logind starts user@1000.service at boot, so the user manager (and
# its environment generators) runs without anyone logging in.
mkdir -p "$root/var/lib/systemd/linger"
: >"$root/var/lib/systemd/linger/tester"
# Nothing on the consoles (the check unit owns the serial ports) and nothing
# that makes boot slower under emulation.
chroot "$root" systemctl mask --quiet getty@tty1.service serial-getty@ttyS0.service \
	serial-getty@ttyS1.service apt-daily.timer apt-daily-upgrade.timer \
	e2scrub_all.timer e2scrub_reap.service fstrim.timer man-db.timer \
	dpkg-db-backup.timer systemd-timesyncd.service 2>/dev/null || true
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*

kver=$(ls "$root/boot" | sed -n 's/^vmlinuz-//p' | sort -V | tail -n 1)
[ -n "$kver" ] || { echo "build-image: no kernel in the image's /boot" >&2; exit 1; }
cp "$root/boot/vmlinuz-$kver" "$work/vmlinuz"
cp "$root/boot/initrd.img-$kver" "$work/initrd.img"
# The initrd must carry virtio_blk, or root=/dev/vda never appears.
if command -v lsinitramfs >/dev/null 2>&1 && ! lsinitramfs "$work/initrd.img" | grep -q 'virtio_blk'; then
	echo "build-image: initrd lacks virtio_blk" >&2
	exit 1
fi

mke2fs -q -t ext4 -L hwcaps-root -d "$root" "$work/rootfs.img" 2G

mkdir -p "$image"
mv "$work/rootfs.img" "$work/vmlinuz" "$work/initrd.img" "$image/"
echo "$stamp" >"$image/stamp"
echo "build-image: done in $(( $(date +%s) - start )) s: $image (kernel $kver)"
