#!/bin/bash
# SPDX-License-Identifier: MIT
# hwcaps status against a fixture tree, with no reachable service manager
# (as in a build container): it must say so plainly and print the rest.
# Usage: test-status.sh HWCAPS   (SYSCONFDIR from meson)
set -u
hwcaps=$1
: "${SYSCONFDIR:?}"
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root (root-owned fixture directories)"; exit 77; }
command -v jq >/dev/null || { echo "SKIP: needs jq"; exit 77; }
host=$("$hwcaps" level); host=${host#x86-64-v}
[ "$host" -ge 2 ] || { echo "SKIP: CPU below x86-64-v2"; exit 77; }

root=$(mktemp -d /tmp/hwcaps-status.XXXXXX)
trap 'rm -rf "$root"' EXIT
chmod 755 "$root"
mkdir -p "$root/proc" "$root$SYSCONFDIR" "$root/usr/bin/glibc-hwcaps/x86-64-v2" "$root/opt/bin/glibc-hwcaps/x86-64-v2"
chmod -R 755 "$root"
chmod 777 "$root/opt/bin/glibc-hwcaps/x86-64-v2"
for p in a b c; do cp /bin/true "$root/usr/bin/glibc-hwcaps/x86-64-v2/$p"; done
echo "quiet hwcaps.max=x86-64-v2" > "$root/proc/cmdline"
printf '# comment\n[hwcaps]\nenable = yes\n' > "$root$SYSCONFDIR/hwcaps.conf"
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
st() { # st [VAR=value...] [status options...]
        local envs=()
        while [ $# -gt 0 ] && [[ $1 == *=* ]]; do envs+=("$1"); shift; done
        env -i HWCAPS_ROOT="$root" DBUS_SYSTEM_BUS_ADDRESS=unix:path=/nonexistent/bus "${envs[@]}" "$hwcaps" status "$@"
}

out=$(st PATH=/opt/bin:/usr/bin:/bin 2>&1); rc=$?
[ $rc = 1 ] || fail "status exited $rc, not 1, though it advises action"
for want in "System manager:    not reachable" "/usr/bin/glibc-hwcaps/x86-64-v2" "3 programs" \
            "lacks /usr/bin/glibc-hwcaps/x86-64-v2" "hwcaps.max=x86-64-v2 (kernel command line)" \
            "Boot options:      kernel command line only (no /run/hwcaps/policy)" \
            "/opt/bin/glibc-hwcaps/x86-64-v2" "skipped: is writable" "log out and in again"; do
        case $out in *"$want"*) ;; *) fail "human output lacks '$want':"$'\n'"$out" ;; esac
done

case $out in *zsh*) fail "zsh advice without zsh:"$'\n'"$out" ;; esac
# Debian's zsh reads /etc/zsh/zprofile only: advice until it sources hwcaps.sh.
mkdir -p "$root/etc/zsh"
printf '# /etc/zsh/zprofile: system-wide .zprofile file for zsh(1).\n' > "$root/etc/zsh/zprofile"
out=$(st PATH=/opt/bin:/usr/bin:/bin 2>&1)
case $out in *"emulate sh -c '. /etc/profile.d/hwcaps.sh'"*) ;; *) fail "no zsh advice:"$'\n'"$out" ;; esac
echo "emulate sh -c '. /etc/profile.d/hwcaps.sh'" >> "$root/etc/zsh/zprofile"
out=$(st PATH=/opt/bin:/usr/bin:/bin 2>&1)
case $out in *zsh*) fail "zsh advice although zprofile sources hwcaps.sh:"$'\n'"$out" ;; esac
rm -r "$root/etc/zsh"

json=$(st PATH=/opt/bin:/usr/bin:/bin --json 2>/dev/null); rc=$?
[ $rc = 1 ] || fail "status --json exited $rc, not 1 (it advises action)"
q() { printf '%s' "$json" | jq -r "$1" 2>&1; }
[ "$(q .manager_reachable)" = false ] || fail "manager_reachable: $(q .manager_reachable)"
[ -n "$(q .manager_error)" ] && [ "$(q .manager_error)" != null ] || fail "no manager_error"
[ "$(q .enabled)" = true ] || fail "enabled: $(q .enabled)"
[ "$(q .max_level_source)" = "kernel command line" ] || fail "max_level_source: $(q .max_level_source)"
[ "$(q .max_level_reason)" = "hwcaps.max=x86-64-v2 (kernel command line)" ] || fail "max_level_reason: $(q .max_level_reason)"
[ "$(q .boot_options_from)" = cmdline ] || fail "boot_options_from: $(q .boot_options_from)"
[ "$(q '.active_levels|join(",")')" = x86-64-v2 ] || fail "active_levels: $(q .active_levels)"
[ "$(q '.level_directories[]|select(.path=="/usr/bin/glibc-hwcaps/x86-64-v2").programs')" = 3 ] || fail "program count"
[ "$(q '.level_directories[]|select(.path=="/opt/bin/glibc-hwcaps/x86-64-v2").safe')" = false ] || fail "unsafe dir not flagged"
[ "$(q .shell.up_to_date)" = false ] || fail "shell.up_to_date should be false"

# A PATH that already has them is up to date; HWCAPS=off in this shell
# makes the level directory one that should not be there.
json=$(st PATH=/opt/bin:/usr/bin/glibc-hwcaps/x86-64-v2:/usr/bin:/bin --json 2>/dev/null); rc=$?
[ "$(q .shell.up_to_date)" = true ] || fail "shell.up_to_date should be true: $(q .shell)"
# Nothing to do (that no manager is reachable is a note, not an action): 0.
[ $rc = 0 ] || fail "status exited $rc with nothing to do: $(q .advice)"
json=$(st PATH=/usr/bin/glibc-hwcaps/x86-64-v2:/usr/bin HWCAPS=off --json 2>/dev/null)
[ "$(q '.shell.extra|join(",")')" = /usr/bin/glibc-hwcaps/x86-64-v2 ] || fail "shell.extra: $(q .shell)"
[ "$(q .max_level_source)" = environment ] || fail "max_level_source with HWCAPS=off: $(q .max_level_source)"
[ "$(q .enabled)" = false ] || fail "enabled with HWCAPS=off: $(q .enabled)"

# hwcaps.conf is in force once the system generator compiled it; before,
# status says so, after an edit it says to daemon-reload
printf '[hwcaps]\nmax-level=x86-64-v1\n' > "$root$SYSCONFDIR/hwcaps.conf"
out=$(st PATH=/usr/bin 2>&1)
case $out in *"max-level=x86-64-v1"*"is not in force: there is no /run/hwcaps/policy"*) ;;
*) fail "status does not say the config is not in force yet: $out" ;; esac
mkdir -p "$root/run/hwcaps"
printf 'hwcaps-policy=1\ncap=x86-64-v2\nkeep-path=no\nwhy=hwcaps.max=x86-64-v2 (kernel command line)\n' > "$root/run/hwcaps/policy"
out=$(st PATH=/usr/bin 2>&1)
case $out in *"Boot options:      /run/hwcaps/policy"*"run \"systemctl daemon-reload\" to put it in force"*) ;;
*) fail "status does not advise a daemon-reload after an edit: $out" ;; esac

[ "$fails" = 0 ] || exit 1
echo ok
