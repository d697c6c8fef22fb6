#!/bin/sh
# hwcaps path against a fixture root: insertion, safety, --root and HWCAPS_ROOT.
set -u
HWCAPS=$1
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" -eq 0 ] || { echo "SKIP: needs root to own fixture directories"; exit 77; }
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
lvl=$("$HWCAPS" level)
# A fixture without the boot's options (no run/hwcaps/policy, no
# proc/cmdline) is a machine whose opt-out cannot be known: hwcaps is off.
mkdir -p "$root/proc"
check "no boot options: off" "/usr/bin" "$("$HWCAPS" path --root "$root" --path /usr/bin 2>/dev/null)"
echo quiet > "$root/proc/cmdline"
mkdir -p "$root/usr/bin/glibc-hwcaps/x86-64-v2" "$root/usr/bin/glibc-hwcaps/x86-64-v3" "$root/opt/bad/glibc-hwcaps/x86-64-v2"
chmod 0777 "$root/opt/bad/glibc-hwcaps/x86-64-v2"
case $lvl in
x86-64-v3 | x86-64-v4) want="/usr/local/bin:/usr/bin/glibc-hwcaps/x86-64-v3:/usr/bin/glibc-hwcaps/x86-64-v2:/usr/bin:/bin" ;;
x86-64-v2) want="/usr/local/bin:/usr/bin/glibc-hwcaps/x86-64-v2:/usr/bin:/bin" ;;
*) want="/usr/local/bin:/usr/bin:/bin" ;;
esac
check "path --root" "$want" "$("$HWCAPS" path --root "$root" --path /usr/local/bin:/usr/bin:/bin)"
check "HWCAPS_ROOT" "$want" "$(HWCAPS_ROOT=$root "$HWCAPS" path --path /usr/local/bin:/usr/bin:/bin)"
check "path uses \$PATH by default" "$want" "$(PATH=/usr/local/bin:/usr/bin:/bin HWCAPS_ROOT=$root "$HWCAPS" path)"
check "path is idempotent" "$want" "$("$HWCAPS" path --root "$root" --path "$want")"
out=$("$HWCAPS" path --root "$root" --path /opt/bad 2>"$root/err")
check "unsafe dir left out" "/opt/bad" "$out"
contains "unsafe dir warned about" "warning: skipping /opt/bad/glibc-hwcaps/x86-64-v2: is writable by group or others" "$(cat "$root/err")"
check "empty PATH stays empty" "" "$("$HWCAPS" path --root "$root" --path "")"
finish
