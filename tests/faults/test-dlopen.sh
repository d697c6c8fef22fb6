#!/bin/sh
# SPDX-License-Identifier: MIT
# librpm and libsystemd are opened on first use (dispatch/cli/dl.h). When they
# cannot be (a minimal install, a broken library), the commands that need
# them say so and the others do not notice. fault-shim.so's "dlopen" class
# makes the Nth dlopen() fail. Usage: test-dlopen.sh SHIM HWCAPS
SHIM=$1 HWCAPS=$2
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
nth_fails() { # N COMMAND...: run with the Nth dlopen failing; sets out, rc
        n=$1
        shift
        out=$(LD_PRELOAD=$SHIM HWCAPS_FAULT_CALLS=dlopen HWCAPS_FAULT_NTH=$n "$@" 2>&1)
        rc=$?
}

# status: libsystemd is the first library it opens
nth_fails 1 "$HWCAPS" status
[ $rc -eq 0 ] || fail "status without libsystemd: exit $rc"
case $out in *"System manager:    not reachable (cannot open libsystemd.so."*"), so its environment is unknown"*) ;;
*) fail "status does not name the missing libsystemd: $out" ;; esac

# Without librpm, a root with neither database (the rpm one unreadable,
# no dpkg one) is a failure naming the missing librpm; a root with dpkg's
# database is read by dpkg-query alone.
empty=$(mktemp -d)
trap 'rm -rf "$empty"' EXIT
# status --packages: librpm is the second
nth_fails 2 "$HWCAPS" status --packages --root "$empty"
[ $rc -eq 1 ] || fail "status --packages without librpm: exit $rc, expected 1"
case $out in *"cannot use the rpm database: cannot open librpm.so."*) ;;
*) fail "status --packages does not name the missing librpm: $out" ;; esac

# check --owners: librpm is the first
nth_fails 1 "$HWCAPS" check --owners --root "$empty"
[ $rc -eq 1 ] || fail "check --owners without librpm: exit $rc, expected 1"
case $out in *"cannot use the rpm database: cannot open librpm.so."*) ;;
*) fail "check --owners does not name the missing librpm: $out" ;; esac
if [ -s /var/lib/dpkg/status ] && command -v dpkg-query >/dev/null; then
        nth_fails 1 "$HWCAPS" check --owners
        case $rc in 0 | 1) ;; *) fail "check --owners without librpm on a dpkg system: exit $rc: $out" ;; esac
        case $out in *"librpm"*) fail "check --owners on a dpkg system mentions librpm: $out" ;; esac
fi

# level, path, which and exec open neither: nothing to fail
for cmd in level "path --path /usr/bin" "which sh" "exec true"; do
        # shellcheck disable=SC2086
        nth_fails 1 "$HWCAPS" $cmd
        [ $rc -eq 0 ] || fail "hwcaps $cmd with dlopen failing: exit $rc: $out"
done
# ... and load neither library at all
for lib in librpm libsystemd; do
        maps=$(LD_DEBUG=libs "$HWCAPS" level 2>&1 >/dev/null | grep -c "$lib\.so" || true)
        [ "$maps" -eq 0 ] || fail "hwcaps level loads $lib"
done
LD_DEBUG=libs "$HWCAPS" status 2>&1 >/dev/null | grep -q "libsystemd\.so" || fail "LD_DEBUG shows no libsystemd for status: the check above proves nothing"

[ $failures -eq 0 ] && echo "ok: every case" || exit 1
