#!/bin/sh
# Build the hwcaps .deb packages from a source tree (debian/, with
# dpkg-buildpackage -us -uc -b) into OUTDIR, unless OUTDIR already holds the
# packages of exactly this tree. The VM tests install these packages, so what
# a user installs is what is tested.
#
# usage: build-deb.sh SRC OUTDIR
# The key is a hash of the tree's files as git sees them (tracked, and
# untracked ones not ignored), contents and modes: a commit, an edit or a new
# file rebuilds; a build directory or a touch does not. Without git, every
# file but .git and build*/ counts. The build runs in a copy of the tree
# (OUTDIR/src), so the source tree gets no obj-*/ or debian/tmp/, and
# dpkg-buildpackage writes the packages next to it, into OUTDIR.
# Prints the key; the packages are OUTDIR/*.deb. Not concurrency-safe: the
# caller holds a lock.
set -eu
[ $# -eq 2 ] || { echo "usage: $0 SRC OUTDIR" >&2; exit 2; }
src=$1
out=$2
command -v dpkg-buildpackage >/dev/null 2>&1 || { echo "build-deb: dpkg-buildpackage not installed (.ci/deps installs debhelper)" >&2; exit 1; }
command -v dh >/dev/null 2>&1 || { echo "build-deb: dh not installed (.ci/deps installs debhelper)" >&2; exit 1; }

# The tree, as one reproducible tar stream: what is hashed is what is built.
tree() {
	if git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
		(cd "$src" && git ls-files -z --cached --others --exclude-standard |
			tar --null -T - --no-recursion --sort=name --mtime=@0 \
				--owner=0 --group=0 --numeric-owner -cf - 2>/dev/null)
	else
		(cd "$src" && find . -path ./.git -prune -o -path './build*' -prune -o -print0 |
			LC_ALL=C sort -z |
			tar --null -T - --no-recursion --mtime=@0 --owner=0 --group=0 --numeric-owner -cf -)
	fi
}
mkdir -p "$out"
key=$(tree | sha256sum | cut -d' ' -f1)
if [ -f "$out/key" ] && [ "$(cat "$out/key")" = "$key" ] &&
	ls "$out"/hwcaps_*.deb >/dev/null 2>&1; then
	echo "$key"
	exit 0
fi

rm -rf "$out/src" "$out/key"
rm -f "$out"/*.deb "$out"/*.changes "$out"/*.buildinfo
mkdir "$out/src"
# (git ls-files also names files deleted but not committed: tar skips them.)
# -m: the files get the time of extraction, not the stream's 1970.
tree | tar -C "$out/src" -m -xf -
start=$(date +%s)
(cd "$out/src" && dpkg-buildpackage -us -uc -b) >"$out/build.log" 2>&1 ||
	{ tail -n 30 "$out/build.log" >&2; echo "build-deb: dpkg-buildpackage failed, see $out/build.log" >&2; exit 1; }
echo "build-deb: dpkg-buildpackage took $(( $(date +%s) - start )) s" >>"$out/build.log"
rm -rf "$out/src"
echo "$key" >"$out/key"
echo "$key"
