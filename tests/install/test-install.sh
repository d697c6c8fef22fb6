#!/bin/sh
# meson install --destdir puts every expected file under DESTDIR and nothing
# outside it. Arguments: MESON BUILDDIR PATH... (absolute install paths).
set -u
meson=$1
builddir=$2
shift 2
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
fails=0

if ! "$meson" install -C "$builddir" --no-rebuild --destdir "$dest" >"$dest.log" 2>&1; then
        cat "$dest.log"
        rm -f "$dest.log"
        echo "FAIL meson install"
        exit 1
fi
rm -f "$dest.log"
for p in "$@"; do
        if [ -e "$dest$p" ] || [ -L "$dest$p" ]; then
                echo "ok   $p"
        else
                echo "FAIL $p not installed"
                fails=$((fails + 1))
        fi
done
# The stub runs on every exec of a dispatched program: installed without
# debug info, at most 24 KiB.
for p in "$@"; do
        case $p in
        */hwcaps-dispatch)
                f=$dest$p
                size=$(wc -c < "$f")
                [ "$size" -le 24576 ] || { echo "FAIL $p is $size bytes (more than 24 KiB)"; fails=$((fails + 1)); }
                if readelf -SW "$f" | grep -q '\.debug_'; then
                        echo "FAIL $p carries debug info"
                        fails=$((fails + 1))
                fi ;;
        esac
done
# Executables must be executable.
for p in "$@"; do
        case $p in
        */bin/* | */libexec/* | *-generators/*)
                f=$dest$p
                # an absolute symlink points at the installed system: look
                # for its target under DESTDIR instead
                if [ -L "$f" ]; then
                        t=$(readlink "$f")
                        case $t in /*) f=$dest$t ;; esac
                fi
                [ -x "$f" ] || { echo "FAIL $p is not executable"; fails=$((fails + 1)); } ;;
        esac
done
[ "$fails" -eq 0 ]
