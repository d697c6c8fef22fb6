#!/bin/bash
# SPDX-License-Identifier: MIT
# hwcaps-refresh (what the rpm file triggers run) with a fake systemctl:
# daemon-reload exactly for the managers whose PATH the generator would
# change, nothing without a booted systemd, always exit 0.
# Usage: test-refresh.sh REFRESH_SCRIPT (build-tree copy, using the built generator)
set -u
refresh=$1
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root (root-owned fixture directories)"; exit 77; }
w=$(mktemp -d /tmp/hwcaps-refresh.XXXXXX)
trap 'rm -rf "$w"' EXIT
chmod 755 "$w"
root=$w/root
mkdir -p "$root/proc" "$root/run/systemd/system" "$root/usr/bin/glibc-hwcaps/x86-64-v2" "$w/bin"
chmod -R 755 "$root"
echo quiet > "$root/proc/cmdline"
V2=/usr/bin/glibc-hwcaps/x86-64-v2
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

cat > "$w/bin/systemctl" <<'SH'
#!/bin/sh
echo "$*" >> "$FAKE_DIR/calls"
case "$*" in
*"list-units"*) echo "user@1000.service loaded active running User Manager for UID 1000" ;;
"--user -M 1000@ show-environment") printf '%s\n' "$FAKE_USER_ENV" ;;
"show-environment") printf '%s\n' "$FAKE_SYSTEM_ENV" ;;
esac
exit 0
SH
chmod 755 "$w/bin/systemctl"
run() { # run SYSTEM_ENV USER_ENV
        rm -f "$w/calls"
        env -i PATH="$w/bin:/usr/bin:/bin" FAKE_DIR="$w" HWCAPS_ROOT="$root" \
                FAKE_SYSTEM_ENV="$1" FAKE_USER_ENV="$2" sh "$refresh" || fail "exit status $?"
        reloads=$(grep daemon-reload "$w/calls" 2>/dev/null | tr '\n' ';')
}

run "PATH=/usr/bin:/bin" "PATH=$V2:/usr/bin:/bin"
[ "$reloads" = "daemon-reload;" ] || fail "stale system manager: reloads were '$reloads'"
run "PATH=$V2:/usr/bin:/bin" "PATH=/usr/bin:/bin"
[ "$reloads" = "--user -M 1000@ daemon-reload;" ] || fail "stale user manager: reloads were '$reloads'"
run "PATH=$V2:/usr/bin:/bin" "PATH=$V2:/usr/bin:/bin"
[ -z "$reloads" ] || fail "up to date, yet reloaded: $reloads"
# The manager's HWCAPS=off: no level dirs expected, the one there is stale.
run "$(printf 'PATH=%s\nHWCAPS=off' "$V2:/usr/bin:/bin")" "PATH=$V2:/usr/bin:/bin"
[ "$reloads" = "daemon-reload;" ] || fail "manager with HWCAPS=off: reloads were '$reloads'"
rmdir "$root/run/systemd/system"
run "PATH=/usr/bin:/bin" "PATH=/usr/bin:/bin"
[ ! -e "$w/calls" ] || fail "without a booted systemd it called systemctl: $(cat "$w/calls")"

[ "$fails" = 0 ] || exit 1
echo ok
