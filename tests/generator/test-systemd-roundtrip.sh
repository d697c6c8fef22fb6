#!/bin/bash
# SPDX-License-Identifier: MIT
# The generator's output read back by the real systemd (this machine's
# manager binary in --test mode, which runs environment generators and
# parses their output with env-file.c): every PATH entry must come back byte
# for byte, whatever quotes, $, backslashes or spaces it holds.
# Usage: test-systemd-roundtrip.sh GENERATOR
set -u
gen=$(readlink -f "$1")
systemd=/lib/systemd/systemd
[ -x "$systemd" ] || { echo "SKIP: no $systemd"; exit 77; }
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root (fixture ownership, running the manager as nobody)"; exit 77; }
command -v setpriv >/dev/null || { echo "SKIP: no setpriv"; exit 77; }

w=$(mktemp -d /tmp/hwcaps-rt.XXXXXX)
trap 'rm -rf "$w"' EXIT
chmod 755 "$w"
root=$w/root gens=$w/gens
mkdir -p "$root/proc" "$root/usr/bin/glibc-hwcaps/x86-64-v2" "$root/opt/my \$dir \"q\" \\b/glibc-hwcaps/x86-64-v2" "$gens"
chmod -R 755 "$root"
echo quiet > "$root/proc/cmdline"

weird='/opt/a b:/opt/q"uote:/opt/s'"'"'q:/opt/$HOME:/opt/${X}:/opt/`x`:/opt/back\slash:/opt/tail\:/opt/sp :/opt/#h;x'
inpath="/usr/local/bin:/opt/my \$dir \"q\" \\b:$weird:/usr/bin:/bin"
want="/usr/local/bin:/opt/my \$dir \"q\" \\b/glibc-hwcaps/x86-64-v2:/opt/my \$dir \"q\" \\b:$weird:/usr/bin/glibc-hwcaps/x86-64-v2:/usr/bin:/bin"

# 10-setup hands the generator that PATH through systemd itself: unquoted,
# every special byte backslash-escaped (env-file.c's plain value rules).
esc() { printf '%s' "$1" | sed 's/[^A-Za-z0-9/_.-]/\\&/g'; }
{
        echo '#!/bin/sh'
        printf "printf '%%s\\\\n' 'PATH=%s'\n" "$(esc "$inpath" | sed "s/'/'\\\\''/g")"
        printf "printf '%%s\\\\n' 'HWCAPS_ROOT=%s'\n" "$root"
} > "$gens/10-setup"
# A copy, not a link: the manager runs as nobody, who may not enter the
# build tree (a clone under /root, mode 700, failed so on a fresh machine).
cp "$gen" "$gens/60-hwcaps"
printf '#!/bin/sh\nprintf "%%s" "$PATH" > %s/got\n' "$w" > "$gens/99-dump"
chmod 755 "$gens/10-setup" "$gens/60-hwcaps" "$gens/99-dump"
touch "$w/got"; chown 65534 "$w/got"

SYSTEMD_ENVIRONMENT_GENERATOR_PATH=$gens timeout 120 \
        setpriv --reuid=65534 --regid=65534 --clear-groups "$systemd" --test --system --no-pager >"$w/log" 2>&1
if ! [ -s "$w/got" ]; then
        echo "SKIP: systemd --test did not run the environment generators here"; tail -5 "$w/log"; exit 77
fi
got=$(cat "$w/got")
if [ "$got" != "$want" ]; then
        echo "FAIL: systemd read back a different PATH"
        echo " want: $want"
        echo " got:  $got"
        exit 1
fi
echo "ok: systemd $("$systemd" --version | head -1 | cut -d' ' -f2) read the generator's PATH back byte for byte"
