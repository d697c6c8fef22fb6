#!/bin/bash
# SPDX-License-Identifier: MIT
# hwcaps which --unit and the services of hwcaps status, against a fake
# service manager (fake-manager.c) on a private dbus-daemon whose units'
# main processes are children started here, in a fixture tree of variants
# under /run. Usage: test-which-unit.sh HWCAPS FAKE_MANAGER STUB
set -u
hwcaps=$(realpath "$1") fake=$(realpath "$2") stub=$(realpath "$3")
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root (root-owned fixture directories)"; exit 77; }
command -v dbus-daemon >/dev/null || { echo "SKIP: needs dbus-daemon"; exit 77; }
command -v jq >/dev/null || { echo "SKIP: needs jq"; exit 77; }
host=$("$hwcaps" level); host=${host#x86-64-v}
[ "$host" -ge 3 ] || { echo "SKIP: CPU below x86-64-v3"; exit 77; }
findmnt -T /run -no OPTIONS 2>/dev/null | grep -qw noexec && { echo "SKIP: /run is noexec"; exit 77; }

T=$(mktemp -d /run/hwcaps-which-unit.XXXXXX) || exit 1
chmod 755 "$T"
pids=() fakepid=
cleanup() { for p in "${pids[@]}" $fakepid; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
has() { case $2 in *"$3"*) ;; *) fail "$1: lacks '$3':"$'\n'"$2" ;; esac; }
SLEEP=$(command -v sleep)
B=$T/bin V3=$T/bin/glibc-hwcaps/x86-64-v3
mkdir -p "$T/libexec" "$V3" "$B/glibc-hwcaps/x86-64-v1" "$B/glibc-hwcaps/x86-64-v2"
cp "$stub" "$T/libexec/hwcaps-dispatch"
ln -s ../libexec/hwcaps-dispatch "$B/disp"
for l in 1 2 3; do cp "$SLEEP" "$B/glibc-hwcaps/x86-64-v$l/disp"; done
cp "$SLEEP" "$B/napper"; cp "$SLEEP" "$V3/napper"
chmod -R go-w "$T"
# A root with no level directories of its own for status's scan.
root=$T/root
mkdir -p "$root/proc" && echo quiet > "$root/proc/cmdline"

dbus-daemon --session --nofork --nopidfile --address="unix:path=$T/bus" --print-address=1 >"$T/addr" 2>"$T/dbus.log" &
pids+=($!)
for _ in $(seq 100); do [ -s "$T/addr" ] && break; sleep 0.05; done
[ -s "$T/addr" ] || { echo "SKIP: dbus-daemon did not start: $(cat "$T/dbus.log")"; exit 77; }
export DBUS_SYSTEM_BUS_ADDRESS="unix:path=$T/bus"

manager() { # manager ARGS...: (re)start the fake manager
        [ -n "$fakepid" ] && { kill "$fakepid"; wait "$fakepid" 2>/dev/null; }
        "$fake" "$@" >"$T/fake.out" 2>&1 &
        fakepid=$!
        for _ in $(seq 100); do grep -q ready "$T/fake.out" 2>/dev/null && return; sleep 0.05; done
        echo "SKIP: fake manager did not start: $(cat "$T/fake.out")"; exit 77
}
spawn() { # spawn ENV... -- CMD...: a child with exactly that environment, its pid in $pid
        local e=()
        while [ "$1" != -- ]; do e+=("$1"); shift; done
        shift
        env -i "${e[@]}" "$@" &
        pid=$!
        pids+=("$pid")
        for _ in $(seq 200); do
                # (execve() switches the file before it sets up the new
                # arguments and environment: wait for those too)
                case $(readlink "/proc/$pid/exe") in */env | */dash | */bash | */sh | */hwcaps-dispatch | "") sleep 0.02 ;;
                *) [ -n "$(tr -d '\0' <"/proc/$pid/cmdline")" ] && break; sleep 0.02 ;; esac
        done
}
w() { (cd / && env -i PATH=/usr/bin:/bin DBUS_SYSTEM_BUS_ADDRESS="$DBUS_SYSTEM_BUS_ADDRESS" "$hwcaps" which "$@"); }
st() { (cd / && env -i PATH=/usr/bin:/bin HWCAPS_ROOT="$root" DBUS_SYSTEM_BUS_ADDRESS="$DBUS_SYSTEM_BUS_ADDRESS" "$hwcaps" status "$@"); }

# disp.service: ExecStart= the dispatched program, Environment= caps at v2;
# its main process started so. napper.service: started by its path, which
# is no stub, while a v3 variant is there. idle.service: not running.
spawn PATH=/usr/bin:/bin HWCAPS_MAX_LEVEL=x86-64-v2 -- "$B/disp" 600; disp=$pid
spawn PATH=/usr/bin:/bin -- "$B/napper" 600; napper=$pid
manager PATH=/usr/bin:/bin \
        --unit "disp.service:$disp:$B/disp" --env HWCAPS_MAX_LEVEL=x86-64-v2 --env-file -/etc/default/disp \
        --unit "napper.service:$napper:$B/napper" \
        --unit "idle.service:0:$B/disp"

# 1. The unit's own Environment= counts, on top of the manager's.
out=$(w --unit disp 2>&1); rc=$?
[ $rc = 0 ] || fail "which --unit disp exited $rc: $out"
has "unit" "$out" "Unit disp.service (system manager)"
has "unit" "$out" "ExecStart=$B/disp"
has "unit" "$out" "capped at x86-64-v2 by HWCAPS_MAX_LEVEL=x86-64-v2 (environment)"
has "unit" "$out" "$B/glibc-hwcaps/x86-64-v2/disp: runs"
has "unit" "$out" "EnvironmentFile=-/etc/default/disp is not read"
has "unit, main process" "$out" "Main process $disp"
has "unit, main process" "$out" "Process $disp runs $B/glibc-hwcaps/x86-64-v2/disp (x86-64-v2)."
has "unit, main process" "$out" "That is what would run now."
json=$(w --json --unit disp.service)
q() { printf '%s' "$json" | jq -r "$1"; }
[ "$(q .unit.id)" = disp.service ] && [ "$(q .unit.main_pid)" = "$disp" ] && [ "$(q .unit.exec_start)" = "$B/disp" ] ||
        fail "json unit: $(q .unit)"
[ "$(q .process.runs_level)" = x86-64-v2 ] && [ "$(q .process.runs_what_would_run)" = true ] ||
        fail "json process: $(q .process)"
[ "$(w -q --unit disp)" = "$B/glibc-hwcaps/x86-64-v2/disp" ] || fail "--quiet: $(w -q --unit disp)"
# NAME in the unit's environment
[ "$(w -q --unit disp "$B/disp")" = "$B/glibc-hwcaps/x86-64-v2/disp" ] || fail "--unit with NAME"

# 2. A service that could run a variant and does not, and why.
out=$(w --unit napper 2>&1)
has "napper" "$out" "It could run $V3/napper (x86-64-v3) and does not: started by its path $B/napper, which is not the dispatch stub"

# 3. Not running; not found; not a service; another bus.
out=$(w --unit idle 2>&1); rc=$?
[ $rc = 0 ] && has "idle" "$out" "It does not run now." || fail "idle: exit $rc: $out"
[ "$(w --json --unit idle | jq -r .unit.main_pid)" = null ] || fail "idle main_pid"
out=$(w --unit nosuch 2>&1); rc=$?
[ $rc = 1 ] && has "not found" "$out" "unit nosuch.service not found" || fail "not found: exit $rc: $out"
out=$(w --unit sshd.socket 2>&1); rc=$?
[ $rc = 1 ] && has "socket" "$out" "sshd.socket is a socket unit, not a service" || fail "socket: exit $rc: $out"
out=$(w --unit '' 2>&1); [ $? = 2 ] || fail "empty unit: $out"
out=$(cd / && env -i DBUS_SYSTEM_BUS_ADDRESS=unix:path=/nonexistent "$hwcaps" which --unit disp 2>&1); rc=$?
[ $rc = 1 ] && has "no manager" "$out" "no running systemd on the system bus" || fail "no manager: exit $rc: $out"
out=$(cd / && env -i DBUS_SESSION_BUS_ADDRESS="$DBUS_SYSTEM_BUS_ADDRESS" DBUS_SYSTEM_BUS_ADDRESS=unix:path=/nonexistent \
        "$hwcaps" which --user --unit disp 2>&1); rc=$?
[ $rc = 0 ] && has "--user" "$out" "Unit disp.service (user manager)" || fail "--user: exit $rc: $out"

# 4. status lists both running services, napper with its reason, and exits 1.
out=$(st 2>&1); rc=$?
[ $rc = 1 ] || fail "status with a service to restart exited $rc"
has "status" "$out" "disp.service (pid $disp) runs $B/glibc-hwcaps/x86-64-v2/disp (x86-64-v2)"
has "status" "$out" "napper.service (pid $napper) runs $B/napper (no level directory);"
has "status" "$out" "$V3/napper (x86-64-v3) would run: started by its path"
has "status" "$out" "1 service could run another file (see Services above): napper.service"
json=$(st --json 2>/dev/null)
printf '%s' "$json" | python3 "$(dirname "$(realpath "$0")")/escaped-output.py" json || fail "status --json: not valid"
w --json --unit disp | python3 "$(dirname "$(realpath "$0")")/escaped-output.py" json || fail "which --json --unit: not valid"
[ "$(q '.services|length')" = 2 ] || fail "services: $(q .services)"
[ "$(q '.services[]|select(.unit=="napper.service")|[.pid,.exe,.runs_level,.would_run,.would_run_level]|@tsv')" = \
  "$napper	$B/napper		$V3/napper	x86-64-v3" ] || fail "napper: $(q .services)"
[ "$(q '.services[]|select(.unit=="disp.service")|[.runs_level,.reason]|@tsv')" = "x86-64-v2	" ] ||
        fail "disp: $(q .services)"

# 5. Nothing to do: status exits 0. Services without variants are none of
# its business, even when their file was replaced since (an upgrade) or
# their argv[0] names no program (as sshd's and nginx's).
kill "$napper"
cp "$SLEEP" "$T/plain"
spawn PATH=/usr/bin:/bin -- "$T/plain" 600; replaced=$pid
rm "$T/plain"; cp "$SLEEP" "$T/plain"
spawn PATH=/usr/bin:/bin -- /bin/bash -c "exec -a 'sleepd: listener' '$SLEEP' 600"; rewritten=$pid
manager PATH=/usr/bin:/bin --unit "disp.service:$disp:$B/disp" --env HWCAPS_MAX_LEVEL=x86-64-v2 \
        --unit "replaced.service:$replaced:$T/plain" --unit "sleepd.service:$rewritten:$SLEEP"
out=$(st 2>&1); rc=$?
[ $rc = 0 ] || fail "status with nothing to do exited $rc:"$'\n'"$out"
case $out in *Advice:*) fail "advice with nothing to do: $out" ;; esac
case $out in *replaced.service* | *sleepd.service*) fail "services without variants listed: $out" ;; esac
has "status" "$out" "disp.service (pid $disp) runs $B/glibc-hwcaps/x86-64-v2/disp (x86-64-v2)"

[ "$fails" = 0 ] || exit 1
echo ok
