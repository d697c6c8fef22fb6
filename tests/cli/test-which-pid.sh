#!/bin/bash
# SPDX-License-Identifier: MIT
# hwcaps which --pid: children started here with a crafted environment, in
# a fixture tree of variants (copies of sleep) under /run, read through the
# real /proc. Usage: test-which-pid.sh HWCAPS STUB
set -u
hwcaps=$(realpath "$1") stub=$(realpath "$2")
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root (root-owned fixture directories)"; exit 77; }
command -v jq >/dev/null || { echo "SKIP: needs jq"; exit 77; }
host=$("$hwcaps" level); host=${host#x86-64-v}
[ "$host" -ge 3 ] || { echo "SKIP: CPU below x86-64-v3"; exit 77; }
findmnt -T /run -no OPTIONS 2>/dev/null | grep -qw noexec && { echo "SKIP: /run is noexec"; exit 77; }

T=$(mktemp -d /run/hwcaps-which-pid.XXXXXX) || exit 1
chmod 755 "$T"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
has() { case $2 in *"$3"*) ;; *) fail "$1: lacks '$3':"$'\n'"$2" ;; esac; }
SLEEP=$(command -v sleep)
check=$(dirname "$(realpath "$0")")/escaped-output.py
B=$T/bin V2=$T/bin/glibc-hwcaps/x86-64-v2 V3=$T/bin/glibc-hwcaps/x86-64-v3
mkdir -p "$V2" "$V3" "$T/libexec" "$B/glibc-hwcaps/x86-64-v1"
cp "$SLEEP" "$B/napper"; cp "$SLEEP" "$V2/napper"; cp "$SLEEP" "$V3/napper"
# a dispatched program: disp -> the stub, its variants in x86-64-v{1,2,3}
cp "$stub" "$T/libexec/hwcaps-dispatch"
ln -s ../libexec/hwcaps-dispatch "$B/disp"
for l in 1 2 3; do cp "$SLEEP" "$B/glibc-hwcaps/x86-64-v$l/disp"; done
chmod -R go-w "$T"

# spawn ENV... -- CMD...: a child with exactly that environment; its pid in $pid
spawn() {
        local e=()
        while [ "$1" != -- ]; do e+=("$1"); shift; done
        shift
        env -i "${e[@]}" "$@" &
        pid=$!
        pids+=("$pid")
        # until it has exec'd the program (its exe is no longer env or sh)
        for _ in $(seq 200); do
                # (execve() switches the file before it sets up the new
                # arguments and environment: wait for those too)
                case $(readlink "/proc/$pid/exe") in */env | */dash | */bash | */sh | */hwcaps-dispatch | "") sleep 0.02 ;;
                *) [ -n "$(tr -d '\0' <"/proc/$pid/cmdline")" ] && break; sleep 0.02 ;; esac
        done
}
# which in a clean environment of our own, from /
w() { (cd / && env -i PATH=/usr/bin:/bin "$hwcaps" which "$@"); }

# 1. The cap in the process's environment, not ours: HWCAPS_MAX_LEVEL=x86-64-v2
# (the stub's decision; a PATH search takes what PATH has).
spawn PATH="$B" HWCAPS_MAX_LEVEL=x86-64-v2 -- "$SLEEP" 600
out=$(w --pid "$pid" disp 2>&1); rc=$?
[ $rc = 0 ] || fail "which --pid NAME exited $rc: $out"
has "cap from its environment" "$out" "capped at x86-64-v2 by HWCAPS_MAX_LEVEL=x86-64-v2 (environment)"
has "v3 skipped" "$out" "$B/glibc-hwcaps/x86-64-v3/disp: capped at x86-64-v2"
has "v2 runs" "$out" "$B/glibc-hwcaps/x86-64-v2/disp: runs"
[ "$(w -q --pid "$pid" disp)" = "$B/glibc-hwcaps/x86-64-v2/disp" ] || fail "--quiet: $(w -q --pid "$pid" disp)"
# the same name in our own environment (no cap, the same PATH): v3
[ "$(cd / && env -i PATH="$B" "$hwcaps" which -q disp)" = "$B/glibc-hwcaps/x86-64-v3/disp" ] || fail "which without --pid"
kill "$pid"

# 2. Without NAME: argv[0] in its PATH, against /proc/PID/exe. Started as
# "disp" through PATH: the stub ran the v2 variant, what would run now.
spawn PATH="$B" HWCAPS_MAX_LEVEL=x86-64-v2 -- /bin/sh -c 'exec disp 600'
json=$(w --json --pid "$pid")
q() { printf '%s' "$json" | jq -r "$1"; }
[ "$(q .name)" = disp ] || fail "name: $(q .name)"
[ "$(q .mode)" = path ] || fail "mode: $(q .mode)"
[ "$(q .process.exe)" = "$B/glibc-hwcaps/x86-64-v2/disp" ] || fail "exe: $(q .process.exe)"
[ "$(q .process.runs_level)" = x86-64-v2 ] || fail "runs_level: $(q .process.runs_level)"
[ "$(q .process.runs_what_would_run)" = true ] || fail "runs_what_would_run: $(q .process)"
[ "$(q ".max_level // .cap")" = x86-64-v2 ] || fail "max_level (cap before the JSON schema): $(q ".max_level // .cap")"
out=$(w --pid "$pid")
has "human, same" "$out" "Process $pid runs $B/glibc-hwcaps/x86-64-v2/disp (x86-64-v2)."
has "human, same" "$out" "That is what would run now."
kill "$pid"
# PATH with level directories: a shell's search, the first that has it
spawn PATH="$V3:$V2:$B" -- /bin/sh -c 'exec napper 600'
json=$(w --json --pid "$pid")
[ "$(q .process.exe)" = "$V3/napper" ] && [ "$(q .process.runs_what_would_run)" = true ] ||
        fail "napper through PATH: $(q .process)"
kill "$pid"

# 3. GLIBC_TUNABLES in its environment masks AVX2: its CPU level is v2.
spawn PATH="$B" GLIBC_TUNABLES=glibc.cpu.hwcaps=-AVX2 -- "$B/disp" 600
out=$(w --pid "$pid")
has "tunables" "$out" "$B/glibc-hwcaps/x86-64-v3/disp: level not supported by this CPU (x86-64-v2)"
has "tunables" "$out" "Process $pid runs $B/glibc-hwcaps/x86-64-v2/disp (x86-64-v2)."
has "tunables" "$out" "That is what would run now."
kill "$pid"

# 4. Its PATH lacks the level directories: it runs the baseline and could
# run the v3 variant.
spawn PATH="$B" -- /bin/sh -c 'exec napper 600'
json=$(w --json --pid "$pid")
[ "$(q .process.exe)" = "$B/napper" ] || fail "baseline exe: $(q .process.exe)"
[ "$(q .process.runs_level)" = null ] || fail "baseline runs_level: $(q .process.runs_level)"
[ "$(q .process.could_run)" = "$V3/napper" ] || fail "could_run: $(q .process)"
case $(q .process.reason) in "its PATH lacks $V3"*) ;; *) fail "reason: $(q .process.reason)" ;; esac
out=$(w --pid "$pid")
has "could run" "$out" "It could run $V3/napper (x86-64-v3) and does not: its PATH lacks $V3"

# 5. The same process, after the file it runs was replaced (an upgrade):
# " (deleted)" and a mismatch.
rm "$B/napper"; cp "$SLEEP" "$B/napper"; chmod go-w "$B/napper"
json=$(w --json --pid "$pid")
[ "$(q .process.exe_deleted)" = true ] || fail "exe_deleted: $(q .process)"
[ "$(q .process.exe)" = "$B/napper" ] || fail "deleted exe's path: $(q .process.exe)"
[ "$(q .process.runs_what_would_run)" = false ] || fail "replaced, yet runs what would run"
out=$(w --pid "$pid")
has "deleted" "$out" "runs $B/napper (deleted)"
has "deleted" "$out" "Mismatch: $B/napper would run now; the file it started from was deleted or replaced"
kill "$pid"

# 6. Started before the variant was installed: x86-64-v3/ in its PATH,
# empty at its start.
mv "$V3/napper" "$T/napper.v3"
spawn PATH="$V3:$B" -- /bin/sh -c 'exec napper 600'
[ "$(readlink "/proc/$pid/exe")" = "$B/napper" ] || fail "fixture: runs $(readlink "/proc/$pid/exe")"
mv "$T/napper.v3" "$V3/napper"; touch "$V3/napper" # a new inode change time, after its start
out=$(w --pid "$pid")
has "started before" "$out" "Mismatch: $V3/napper would run now; started before $V3/napper was installed or changed: restart it"
kill "$pid"

# 7. Relative names: argv[0] "./bin/napper" and a relative PATH entry are
# relative to its working directory, not ours.
(cd "$T" && exec env -i ./bin/napper 600) & pid=$!; pids+=("$pid")
for _ in $(seq 100); do [ "$(readlink "/proc/$pid/exe")" = "$B/napper" ] && [ -n "$(tr -d '\0' <"/proc/$pid/cmdline")" ] && break; sleep 0.02; done
json=$(w --json --pid "$pid")
[ "$(q .name)" = "$T/./bin/napper" ] || fail "relative argv0: $(q .name)"
[ "$(q .process.runs_what_would_run)" = true ] || fail "relative argv0: $(q .process)"
kill "$pid"
(cd "$T" && exec env -i PATH=bin /bin/sh -c 'exec napper 600') & pid=$!; pids+=("$pid")
for _ in $(seq 100); do [ "$(readlink "/proc/$pid/exe")" = "$B/napper" ] && [ -n "$(tr -d '\0' <"/proc/$pid/cmdline")" ] && break; sleep 0.02; done
[ "$(w -q --pid "$pid")" = "$T/bin/napper" ] || fail "relative PATH entry: $(w -q --pid "$pid")"
kill "$pid"

# 8. A program started by its path, not through the stub, that has a variant.
spawn PATH=/usr/bin:/bin -- "$B/napper" 600
out=$(w --pid "$pid")
has "absolute, not the stub" "$out" "started by its path $B/napper, which is not the dispatch stub"
kill "$pid"

# 8b. A process that rewrote its argv[0] ("napper: worker", as nginx and
# sshd do): the file it runs stands for it; not "nothing would run".
spawn PATH="$B" -- /bin/bash -c "exec -a 'napper: worker' '$B/napper' 600"
json=$(w --json --pid "$pid")
[ "$(q .process.argv0_names_program)" = false ] && [ "$(q .process.runs_what_would_run)" = true ] &&
        [ "$(q .process.could_run)" = "$V3/napper" ] || fail "rewritten argv0: $(q .process)"
out=$(w --pid "$pid")
has "rewritten argv0" "$out" "names no program (the process rewrote it)"
has "rewritten argv0" "$out" "It could run $V3/napper (x86-64-v3) and does not: its argv[0] names no program"
kill "$pid"
spawn PATH="$B" -- /bin/bash -c "exec -a 'napper: worker' '$V3/napper' 600"
json=$(w --json --pid "$pid")
[ "$(q .process.runs_what_would_run)" = true ] && [ "$(q .process.could_run)" = null ] &&
        [ "$(q .process.runs_level)" = x86-64-v3 ] || fail "rewritten argv0, a variant: $(q .process)"
kill "$pid"

# 9. A hostile program name is shown escaped, never raw.
cp "$SLEEP" "$B/nap"$'\e[2K'"per"
spawn PATH="$B" -- "$B/nap"$'\e[2K'"per" 600
out=$(w --pid "$pid")
has "escaped" "$out" 'nap\x1b[2Kper'
case $out in *$'\e'*) fail "raw escape in the output" ;; esac
printf '%s' "$(w --json --pid "$pid")" | jq -e .process.exe >/dev/null || fail "JSON of a hostile name"
w --pid "$pid" | python3 "$check" text || fail "hostile name: not escaped in text"
kill "$pid"
# ... and one that is not UTF-8: valid JSON (jq, Python) with exe_bytes
cp "$SLEEP" "$B/nap"$'\xff'"per"
spawn PATH="$B" -- "$B/nap"$'\xff'"per" 600
w --json --pid "$pid" | python3 "$check" json || fail "non-UTF-8 name: JSON"
[ "$(w --json --pid "$pid" | jq -r .process.exe_bytes)" = "$(printf '%s' "$B/nap"$'\xff'"per" | od -An -tx1 | tr -d ' \n')" ] ||
        fail "exe_bytes: $(w --json --pid "$pid" | jq -c .process)"
w --pid "$pid" | python3 "$check" text || fail "non-UTF-8 name: not escaped in text"
kill "$pid"

# 10. Errors: no such process, a kernel thread, another user's process.
sh -c 'exit 0' & gone=$!; wait "$gone"
out=$(w --pid "$gone" 2>&1); rc=$?
[ $rc = 1 ] && has "gone" "$out" "no process $gone" || fail "no such process: exit $rc: $out"
# kthreadd is pid 2 (PF_KTHREAD, 0x200000, in the 9th field of its stat)
kt=$(awk '{ if (int($9 / 2097152) % 2) print $1 }' /proc/2/stat 2>/dev/null)
if [ -n "$kt" ]; then
        out=$(w --pid "$kt" 2>&1); rc=$?
        [ $rc = 1 ] && has "kthread" "$out" "runs no program file" || fail "kernel thread $kt: exit $rc: $out"
fi
if command -v setpriv >/dev/null; then
        spawn PATH=/usr/bin -- "$SLEEP" 600
        out=$(cd / && setpriv --reuid=65534 --regid=65534 --clear-groups "$hwcaps" which --pid "$pid" 2>&1); rc=$?
        [ $rc = 1 ] && has "permission" "$out" "permission denied" || fail "another user's process: exit $rc: $out"
        kill "$pid"
fi
for bad in 0 -1 abc 12x ''; do
        out=$(w --pid "$bad" 2>&1); rc=$?
        [ $rc = 2 ] && has "bad pid" "$out" "Try 'hwcaps which --help'" || fail "--pid '$bad': exit $rc: $out"
done
out=$(w --pid 1 --unit foo 2>&1); [ $? = 2 ] || fail "--pid with --unit: $out"
out=$(w --user --pid 1 2>&1); [ $? = 2 ] || fail "--user without --unit: $out"

[ "$fails" = 0 ] || exit 1
echo ok
