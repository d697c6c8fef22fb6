#!/bin/sh
# Print the Debian mirror the host's apt uses (this machine reaches no
# other): $HWCAPS_VM_MIRROR when set, else the first non-security
# .../debian URI of /etc/apt/sources.list(.d); nothing when there is none.
# Used by tests/vm/build-image.sh and tests/rpm/build-root.sh.
set -eu
if [ -n "${HWCAPS_VM_MIRROR:-}" ]; then
	echo "$HWCAPS_VM_MIRROR"
	exit 0
fi
cat /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list 2>/dev/null |
	sed -n -e 's/^URIs:[[:space:]]*//p' -e 's/^deb[[:space:]]\{1,\}\(\[[^]]*\][[:space:]]*\)\{0,1\}\([^[:space:]]*\).*/\2/p' |
	tr ' ' '\n' | grep -v -e security -e '^$' | grep '/debian/\{0,1\}$' | head -n 1 || true
