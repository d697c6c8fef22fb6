#!/bin/bash
# SPDX-License-Identifier: MIT
# hwcaps status against a service manager that answers over D-Bus: a fake
# one (fake-manager) on a private dbus-daemon, so the test needs no running
# systemd. Usage: test-status-manager.sh HWCAPS FAKE_MANAGER
set -u
hwcaps=$1 fake=$2
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root (root-owned fixture directories)"; exit 77; }
command -v dbus-daemon >/dev/null || { echo "SKIP: needs dbus-daemon"; exit 77; }
command -v jq >/dev/null || { echo "SKIP: needs jq"; exit 77; }
host=$("$hwcaps" level); host=${host#x86-64-v}
[ "$host" -ge 2 ] || { echo "SKIP: CPU below x86-64-v2"; exit 77; }

w=$(mktemp -d /tmp/hwcaps-mgr.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$w"; }
trap cleanup EXIT
chmod 755 "$w"
root=$w/root
mkdir -p "$root/proc" "$root/usr/bin/glibc-hwcaps/x86-64-v2"
chmod -R 755 "$root"
echo quiet > "$root/proc/cmdline"
V2=/usr/bin/glibc-hwcaps/x86-64-v2
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

dbus-daemon --session --nofork --nopidfile --address="unix:path=$w/bus" --print-address=1 >"$w/addr" 2>"$w/dbus.log" &
pids+=($!)
for _ in $(seq 100); do [ -s "$w/addr" ] && break; sleep 0.05; done
[ -s "$w/addr" ] || { echo "SKIP: dbus-daemon did not start: $(cat "$w/dbus.log")"; exit 77; }
export DBUS_SYSTEM_BUS_ADDRESS="unix:path=$w/bus"

manager() { # manager ENV...: (re)start the fake manager with that environment
        [ ${#pids[@]} -gt 1 ] && { kill "${pids[1]}"; wait "${pids[1]}" 2>/dev/null; unset 'pids[1]'; }
        "$fake" "$@" >"$w/fake.out" 2>&1 &
        pids[1]=$!
        for _ in $(seq 100); do grep -q ready "$w/fake.out" 2>/dev/null && return; sleep 0.05; done
        echo "SKIP: fake manager did not start: $(cat "$w/fake.out")"; exit 77
}
st() { env -i HWCAPS_ROOT="$root" DBUS_SYSTEM_BUS_ADDRESS="$DBUS_SYSTEM_BUS_ADDRESS" PATH="$V2:/usr/bin:/bin" "$hwcaps" status "$@"; }

# A manager that never re-ran its generators: daemon-reload is the advice.
manager PATH=/usr/bin:/bin LANG=C.UTF-8
out=$(st 2>&1); rc=$?
[ $rc = 1 ] || fail "status exited $rc, not 1, though it advises a daemon-reload: $out"
for want in "System manager:    out of date" "lacks $V2" 'run "systemctl daemon-reload"'; do
        case $out in *"$want"*) ;; *) fail "lacks '$want':"$'\n'"$out" ;; esac
done
case $out in *"not reachable"*) fail "says not reachable: $out" ;; esac
json=$(st --json 2>/dev/null)
[ "$(printf '%s' "$json" | jq -r '.manager_reachable,.manager.up_to_date,.shell.up_to_date' | tr '\n' ' ')" = "true false true " ] ||
        fail "json: $(printf '%s' "$json" | jq -c '{manager_reachable,manager,shell}')"

# Up to date: no advice.
manager "PATH=$V2:/usr/bin:/bin"
json=$(st --json 2>/dev/null); rc=$?
[ $rc = 0 ] || fail "status exited $rc with nothing to do"
[ "$(printf '%s' "$json" | jq -r '.manager.up_to_date')" = true ] || fail "manager should be up to date"
[ "$(printf '%s' "$json" | jq -r '.advice|length')" = 0 ] || fail "advice without a reason: $(printf '%s' "$json" | jq -c .advice)"

# The manager's own HWCAPS=off counts for the manager, not this shell's.
manager "PATH=$V2:/usr/bin:/bin" HWCAPS=off
json=$(st --json 2>/dev/null)
[ "$(printf '%s' "$json" | jq -r '.manager.extra|join(",")')" = "$V2" ] || fail "manager with HWCAPS=off: $(printf '%s' "$json" | jq -c .manager)"
[ "$(printf '%s' "$json" | jq -r '.shell.up_to_date')" = true ] || fail "shell judged by the manager's HWCAPS"
# ... and status says what caps the services (it ignored the manager's
# HWCAPS_MAX_LEVEL=, set by systemd.setenv= or systemctl set-environment)
manager "PATH=$V2:/usr/bin:/bin" HWCAPS_MAX_LEVEL=x86-64-v1
json=$(st --json 2>/dev/null)
[ "$(printf '%s' "$json" | jq -r '.manager_max_level,.manager_max_level_source' | tr '\n' ' ')" = "x86-64-v1 service manager environment " ] ||
        fail "manager's cap: $(printf '%s' "$json" | jq -c '{manager_max_level,manager_max_level_source}')"
out=$(st 2>&1)
case $out in *"Services' cap:     off (the baseline), by HWCAPS_MAX_LEVEL=x86-64-v1 (service manager environment)"*) ;;
*) fail "human output lacks the services' cap: $out" ;; esac

# --user asks the user bus, and the advice names the user manager.
manager PATH=/usr/bin:/bin
out=$(env -i HWCAPS_ROOT="$root" DBUS_SESSION_BUS_ADDRESS="$DBUS_SYSTEM_BUS_ADDRESS" DBUS_SYSTEM_BUS_ADDRESS=unix:path=/nonexistent \
        PATH="$V2:/usr/bin:/bin" "$hwcaps" status --user 2>&1)
for want in "User manager:      out of date" 'run "systemctl --user daemon-reload"'; do
        case $out in *"$want"*) ;; *) fail "--user lacks '$want':"$'\n'"$out" ;; esac
done

[ "$fails" = 0 ] || exit 1
echo ok
