#!/bin/bash
# SPDX-License-Identifier: MIT
# Runs the real hwcaps-env-generator (and "hwcaps path") against one fixture
# case under cases/; README.md says what a case folder holds.
# Usage: run-case.sh GENERATOR HWCAPS CASE_DIR
# Needs SYSCONFDIR, VENDORCONFDIR in the environment (meson sets them).
set -u
gen=$1 hwcaps=$2 src=${3%/}
: "${SYSCONFDIR:?}" "${VENDORCONFDIR:?}"
export SYSCONFDIR VENDORCONFDIR    # for the cases' setup.sh
name=${src##*/}

if [ "$(id -u)" != 0 ]; then
        echo "SKIP: needs root: level directories must be root-owned to be used"
        exit 77
fi
host=$("$hwcaps" level)
host=${host#x86-64-v}
if [ "$host" -lt 2 ]; then
        echo "SKIP: this CPU has no level above x86-64-v1"
        exit 77
fi
# needs FOLDER: true unless FOLDER/needs names a level above this CPU's
needs() {
        [ -f "$1/needs" ] || return 0
        local want; want=$(cat "$1/needs")
        [ "$host" -ge "${want#x86-64-v}" ]
}
needs "$src" || { echo "SKIP: needs an $(cat "$src/needs") CPU"; exit 77; }

# Level directories count only when root-owned and not group/other-writable:
# the tree is copied as root under this umask, whatever git checked out.
umask 022
root=$(mktemp -d /tmp/hwcaps-gen.XXXXXX)
# systemd runs it from a system-environment-generators directory: that is
# what makes it compile the boot's options into run/hwcaps/policy.
sysgen=$root.d/system-environment-generators/60-hwcaps
usergen=$root.d/user-environment-generators/60-hwcaps
mkdir -p "${sysgen%/*}" "${usergen%/*}"
ln -s "$(realpath "$gen")" "$sysgen"
ln -s "$(realpath "$gen")" "$usergen"
trap 'rm -rf "$root" "$root.d" "$root.case" "$root.out" "$root.err"' EXIT
chmod 755 "$root"
mkdir -p "$root/run" "$root$SYSCONFDIR"
# A scratch copy: a setup.sh may write a step's env or expected there.
cp -RP "$src" "$root.case"
fails=0 runs=0

fail() { echo "FAIL: $step: $*"; fails=$((fails + 1)); }
lines() { if [ -n "$1" ]; then printf '%s\n' "$1" | wc -l; else echo 0; fi; }
# The PATH value the generator printed, unquoted the way a shell (and
# systemd's env-file parser) reads it.
value() { [ -n "$out" ] && (eval "$out"; printf '%s' "$PATH"); }
entries() { if [ -z "$1" ]; then echo "(nothing)"; else printf '%s\n' "$1" | tr : '\n'; fi; }
# same WHAT WANT GOT: a diff of the two, one PATH entry a line, if they differ
same() {
        [ "$2" = "$3" ] && return 0
        fail "$1 differs from what the case expects (-expected +got):"
        diff -u <(entries "$2") <(entries "$3") | tail -n +3
}

# Names in a case or step folder that are not part of its tree.
meta=" env expected expected-hwcaps-path stderr generator needs setup.sh check README "
# relocate FROM TO: the fixtures say etc/ and usr/lib/hwcaps.conf.d/;
# the generator reads the sysconfdir and vendor dir it was built with.
relocate() {
        [ "/$1" != "$2" ] && [ -e "$root/$1" ] || return 0
        mkdir -p "$root$2"
        cp -RP --remove-destination "$root/$1/." "$root$2/"
        rm -rf "${root:?}/$1"
}
# place FOLDER: copy FOLDER's tree over the root, then run its setup.sh
place() {
        local e base
        for e in "$1"/*; do
                [ -e "$e" ] || [ -L "$e" ] || continue
                base=${e##*/}
                case $meta in *" $base "*) continue ;; esac
                case $base in [0-9][0-9]-*) continue ;; esac
                cp -RP --remove-destination "$e" "$root/"
        done
        relocate etc "$SYSCONFDIR"
        relocate usr/lib/hwcaps.conf.d "$VENDORCONFDIR"
        if [ -f "$1/setup.sh" ]; then
                bash "$1/setup.sh" "$root" "$1" || fail "setup.sh failed"
        fi
}
# run FOLDER: run the generator the way FOLDER says and check what it says
run() {
        local d=$1 line want got
        local -a vars=() cmd
        if [ -f "$d/env" ]; then
                while IFS= read -r line || [ -n "$line" ]; do
                        case $line in '#'*|'') ;; *) vars+=("$line") ;; esac
                done <"$d/env"
        fi
        local -a manager=(env -i HWCAPS_ROOT="$root" "${vars[@]}")
        case $(cat "$d/generator" 2>/dev/null || echo system) in
        system) cmd=("${manager[@]}" "$sysgen") ;;
        user) cmd=("${manager[@]}" "$usergen") ;;
        user-nobody) # a copy of the user generator that nobody can run
                cp "$(realpath "$gen")" "$root.d/user-environment-generators/gen"
                chmod 755 "$root.d" "$root.d/user-environment-generators"
                cmd=(setpriv --reuid=65534 --regid=65534 --clear-groups
                     "${manager[@]}" "$root.d/user-environment-generators/gen") ;;
        *) fail "unknown generator: $(cat "$d/generator")"; return ;;
        esac
        timeout 20 "${cmd[@]}" >"$root.out" 2>"$root.err"
        rc=$? runs=$((runs + 1))
        out=$(cat "$root.out"); err=$(cat "$root.err")
        [ "$rc" = 0 ] || fail "generator exited $rc (stderr: $err)"
        # stdout: nothing, or exactly one PATH= line
        if [ -s "$root.out" ] && { [ "$(wc -l <"$root.out")" != 1 ] || [ "${out#PATH=\"}" = "$out" ]; }; then
                fail "stdout is not one PATH= line: $out"
        fi
        if [ -f "$d/expected" ]; then
                want=$(cat "$d/expected")
                if [ -z "$want" ]; then got=$out; else got=$(value); fi
                same "the generator's PATH" "$want" "$got"
        fi
        if [ -f "$d/stderr" ] && [ ! -s "$d/stderr" ]; then
                [ -z "$err" ] || fail "unexpected stderr: $err"
        elif [ -f "$d/stderr" ]; then
                # each line a pattern (glob) that stderr must match somewhere
                while IFS= read -r line || [ -n "$line" ]; do
                        case $err in *$line*) ;; *) fail "no warning '$line' in: $err" ;; esac
                done <"$d/stderr"
        fi
        if [ -f "$d/expected-hwcaps-path" ]; then
                got=$(env -i HWCAPS_ROOT="$root" "${vars[@]}" "$hwcaps" path 2>/dev/null)
                same "hwcaps path" "$(cat "$d/expected-hwcaps-path")" "$got"
        fi
        if [ -f "$d/check" ]; then
                . "$d/check"
        fi
}

step=$name
place "$root.case"
shopt -s nullglob
steps=("$root.case"/[0-9][0-9]-*/)
shopt -u nullglob
if [ "${#steps[@]}" = 0 ]; then
        run "$root.case"
fi
for s in "${steps[@]}"; do
        s=${s%/} step=$name/${s##*/}
        if ! needs "$s"; then
                echo "skipped $step: needs an $(cat "$s/needs") CPU"
                continue
        fi
        place "$s"
        run "$s"
done

[ "$fails" = 0 ] || exit 1
echo "ok: $name ($runs runs)"
