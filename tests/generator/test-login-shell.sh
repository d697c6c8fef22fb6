#!/bin/bash
# SPDX-License-Identifier: MIT
# /etc/profile.d/hwcaps.sh (the build-tree copy, pointing at the built
# generator) sourced by sh, bash and zsh: same PATH as the generator,
# silent, idempotent, honours the opt-outs.
# Usage: test-login-shell.sh SNIPPET
set -u
snippet=$1
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root (root-owned fixture directories)"; exit 77; }
root=$(mktemp -d /tmp/hwcaps-profile.XXXXXX)
trap 'rm -rf "$root"' EXIT
chmod 755 "$root"
mkdir -p "$root/proc" "$root/usr/bin/glibc-hwcaps/x86-64-v2"
chmod -R 755 "$root"
echo quiet > "$root/proc/cmdline"
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
V2=/usr/bin/glibc-hwcaps/x86-64-v2
host=$(grep -q avx2 /proc/cpuinfo && echo 3 || echo 2)

shells="sh bash"
command -v zsh >/dev/null && shells="$shells zsh"
for sh in $shells; do
        # sourced twice; prints PATH afterwards, and nothing else
        run() { env -i HWCAPS_ROOT="$root" PATH="$1" "${@:2}" "$(command -v $sh)" -c ". '$snippet'; . '$snippet'; printf '%s' \"\$PATH\"" 2>"$root.err"; }
        got=$(run '/opt/my $x:/usr/bin:/bin')
        [ "$got" = "/opt/my \$x:$V2:/usr/bin:/bin" ] || fail "$sh: PATH is $got"
        [ -s "$root.err" ] && fail "$sh: printed to stderr: $(cat "$root.err")"
        got=$(run "$V2:/usr/bin:/bin")
        [ "$got" = "$V2:/usr/bin:/bin" ] || fail "$sh: not idempotent: $got"
        got=$(run /usr/bin:/bin HWCAPS=off)
        [ "$got" = /usr/bin:/bin ] || fail "$sh: HWCAPS=off ignored: $got"
        echo "hwcaps=off" > "$root/proc/cmdline"
        got=$(run "$V2:/usr/bin:/bin")
        [ "$got" = /usr/bin:/bin ] || fail "$sh: hwcaps=off ignored: $got"
        echo "systemd.setenv=PATH=/usr/bin" > "$root/proc/cmdline"
        got=$(run /usr/bin:/bin)
        [ "$got" = /usr/bin:/bin ] || fail "$sh: systemd.setenv=PATH= ignored: $got"
        # systemd.setenv=HWCAPS_MAX_LEVEL= reaches login shells too (su -,
        # bash -l: they did not inherit the manager's environment)
        if [ "$host" -ge 3 ]; then
                mkdir -p "$root/usr/bin/glibc-hwcaps/x86-64-v3"; chmod 755 "$root/usr/bin/glibc-hwcaps/x86-64-v3"
                echo "systemd.setenv=HWCAPS_MAX_LEVEL=x86-64-v2" > "$root/proc/cmdline"
                got=$(run /usr/bin:/bin)
                [ "$got" = "$V2:/usr/bin:/bin" ] || fail "$sh: systemd.setenv=HWCAPS_MAX_LEVEL= ignored: $got"
                echo quiet > "$root/proc/cmdline"
                got=$(run /usr/bin:/bin)
                [ "$got" = "/usr/bin/glibc-hwcaps/x86-64-v3:$V2:/usr/bin:/bin" ] || fail "$sh: v3: $got"
                # the policy the system generator compiled wins over the
                # command line it came from
                mkdir -p "$root/run/hwcaps"
                printf 'hwcaps-policy=1\ncap=x86-64-v2\nkeep-path=no\nwhy=max-level=v2 (/etc/hwcaps.conf:1)\n' \
                        > "$root/run/hwcaps/policy"
                got=$(run /usr/bin:/bin)
                [ "$got" = "$V2:/usr/bin:/bin" ] || fail "$sh: the policy file's cap ignored: $got"
                rm -rf "$root/run" "$root/usr/bin/glibc-hwcaps/x86-64-v3"
        fi
        echo quiet > "$root/proc/cmdline"
done
[ "$fails" = 0 ] || exit 1
echo "ok: $shells"
