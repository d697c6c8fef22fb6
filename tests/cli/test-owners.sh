#!/bin/sh
# SPDX-License-Identifier: MIT
# hwcaps check --owners and status --packages on Debian: owners from a
# fixture dpkg database (read by the real dpkg-query) under --root, and
# this system's own /var/lib/dpkg.
# Usage: test-owners.sh HWCAPS
set -u
HWCAPS=$1
. "$(dirname "$0")/lib.sh"
command -v dpkg-query >/dev/null || { echo "SKIP: no dpkg-query"; exit 77; }
command -v jq >/dev/null || { echo "SKIP: needs jq"; exit 77; }
root=$(mktemp -d /tmp/hwcaps-owners.XXXXXX)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/usr/bin/glibc-hwcaps/x86-64-v3" "$root/usr/bin/glibc-hwcaps/x86-64-v2" "$root/proc"
echo quiet > "$root/proc/cmdline"
for f in usr/bin/foo usr/bin/glibc-hwcaps/x86-64-v3/foo usr/bin/glibc-hwcaps/x86-64-v2/foo; do
        printf '#!/bin/sh\n' > "$root/$f"
        chmod 755 "$root/$f"
done
dpkg_package "$root" foo 1.0-1 /usr/bin/foo
dpkg_package "$root" foo-v3 1.0-1 /usr/bin/glibc-hwcaps/x86-64-v3/foo
dpkg_package "$root" foo-v2 0.9-1 /usr/bin/glibc-hwcaps/x86-64-v2/foo

out=$("$HWCAPS" check --owners --root "$root" 2>&1); rc=$?
check "check --owners: a stale variant fails" 1 "$rc"
check "check --owners: dpkg's owners" "VARIANT                              PACKAGE  BASELINE PACKAGE  STATE
/usr/bin/glibc-hwcaps/x86-64-v2/foo  foo-v2   foo               stale
/usr/bin/glibc-hwcaps/x86-64-v3/foo  foo-v3   foo               ok" "$out"
json=$("$HWCAPS" check --owners --root "$root" --json 2>&1)
check "check --owners --json: package and manager" "foo-v3 dpkg foo ok" \
        "$(printf '%s' "$json" | jq -r '.packages.variants[] | select(.level == "x86-64-v3") | "\(.package) \(.package_manager) \(.baseline_package) \(.state)"')"

out=$(env -i DBUS_SYSTEM_BUS_ADDRESS=unix:path=/nonexistent/bus PATH=/usr/bin "$HWCAPS" status --packages --root "$root" 2>&1); rc=$?
# A stale variant is check --owners' failure; status --packages exits as
# status does (its advice), not by the package findings.
env -i DBUS_SYSTEM_BUS_ADDRESS=unix:path=/nonexistent/bus PATH=/usr/bin "$HWCAPS" status --root "$root" >/dev/null 2>&1
check "status --packages: package findings do not change its exit status" "$?" "$rc"
contains "status --packages: dpkg's owners" "/usr/bin/glibc-hwcaps/x86-64-v3/foo  foo-v3   foo               ok" "$out"
json=$(env -i DBUS_SYSTEM_BUS_ADDRESS=unix:path=/nonexistent/bus PATH=/usr/bin "$HWCAPS" status --packages --json --root "$root" 2>/dev/null)
check "status --packages --json: valid, with the owner" "foo-v2 dpkg stale" \
        "$(printf '%s' "$json" | jq -r '.packages.variants[] | select(.level == "x86-64-v2") | "\(.package) \(.package_manager) \(.state)"')"

# No database at all: said for both package managers.
rm -r "$root/var/lib/dpkg"
out=$("$HWCAPS" check --owners --root "$root" 2>&1); rc=$?
check "no package database: failure" 1 "$rc"
contains "no package database: dpkg named" "no dpkg database (/var/lib/dpkg/status inside the root)" "$out"

# This Debian system's own database answers (there is no rpm one).
if [ -s /var/lib/dpkg/status ]; then
        "$HWCAPS" check --owners --json > "$root/sys.json" 2> "$root/sys.err"; rc=$?
        case $rc in 0 | 1) ok "check --owners on / reads /var/lib/dpkg" ;; *) bad "check --owners on /: exit $rc: $(cat "$root/sys.err")" ;; esac
        check "check --owners on /: JSON" "/" "$(jq -r .packages.root "$root/sys.json")"
fi
finish
