#!/bin/sh
# SPDX-License-Identifier: MIT
# hwcaps level --why (one line: the level, what the next one lacks, CPU or
# OS) and --at-least (exit status only); "v3" for "x86-64-v3" wherever the
# CLI reads a level.
# Usage: test-level.sh HWCAPS DATA-DIR
set -u
HWCAPS=$1
DATA=$2
. "$(dirname "$0")/lib.sh"
command -v jq >/dev/null || { echo "SKIP: needs jq"; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
dump=$DATA/cpuid/amd-epyc-zen4.raw
# Dumps of three machines: no AVX-512 state enabled (OS), no AVX512F and
# no AVX2 (CPU), from the zen4 one: leaf 0xD and leaf 7 EBX bits 16 and 5.
sed 's/^basic_cpuid\[13\]=000000e7/basic_cpuid[13]=00000007/' "$dump" >"$T/os.raw"
sed 's/^basic_cpuid\[7\]=00000001 f1bf07ab/basic_cpuid[7]=00000001 f1be07ab/' "$dump" >"$T/noavx512f.raw"
sed 's/^basic_cpuid\[7\]=00000001 f1bf07ab/basic_cpuid[7]=00000001 f1bf078b/' "$dump" >"$T/noavx2.raw"

# --why: one line, by explain's blocker rule.
check "--why, the highest level" "x86-64-v4, the highest level defined" "$("$HWCAPS" level --why --cpuid "$dump")"
check "--why, the OS lacks" \
        "x86-64-v3, not x86-64-v4: the OS did not enable AVX-512 state (XCR0 bits 1-2, 5-7) for AVX512F, AVX512BW, AVX512CD, AVX512DQ, AVX512VL" \
        "$("$HWCAPS" level --why --cpuid "$T/os.raw")"
check "--why, the CPU lacks one, the others need it" \
        "x86-64-v3, not x86-64-v4: the CPU lacks AVX512F; AVX512BW, AVX512CD, AVX512DQ, AVX512VL need AVX512F, which is not usable" \
        "$("$HWCAPS" level --why --cpuid "$T/noavx512f.raw")"
check "--why, the CPU lacks" "x86-64-v2, not x86-64-v3: the CPU lacks AVX2" "$("$HWCAPS" level --why --cpuid "$T/noavx2.raw")"
contains "explain names the same blocker" "Next level x86-64-v3 is blocked by: AVX2 (the CPU lacks it);" \
        "$("$HWCAPS" explain --cpuid "$T/noavx2.raw")"
out=$("$HWCAPS" level --why)
check "--why live: exit 0" 0 $?
check "--why live: one line" 1 "$(printf '%s\n' "$out" | wc -l)"
contains "--why live: starts with the level" "$("$HWCAPS" level)," "$out"

# --json: the level, the next one and what blocks it.
check "level --json" \
        '{"hwcaps_json":1,"subcommand":"level","feature_source":"dump","cpu_level":"x86-64-v2","next_level":"x86-64-v3","blocked_by":[{"name":"AVX2","blocker":"the CPU lacks it"}]}' \
        "$("$HWCAPS" level --json --cpuid "$T/noavx2.raw")"
check "level --json, the highest level" \
        '{"hwcaps_json":1,"subcommand":"level","feature_source":"dump","cpu_level":"x86-64-v4","next_level":null,"blocked_by":[]}' \
        "$("$HWCAPS" level --json --cpuid "$dump")"

# --at-least: the exit status says it, nothing is printed.
at_least() { # NAME WANT-STATUS WANT-OUTPUT ARGS...
        name=$1 want=$2 wout=$3
        shift 3
        out=$("$HWCAPS" level "$@" 2>"$T/err")
        check "$name: exit" "$want" $?
        check "$name: output" "$wout" "$out"
}
at_least "v2 machine, at least v2" 0 "" --at-least v2 --cpuid "$T/noavx2.raw"
at_least "v2 machine, at least x86-64-v2" 0 "" --at-least x86-64-v2 --cpuid "$T/noavx2.raw"
at_least "v2 machine, at least v1" 0 "" --at-least v1 --cpuid "$T/noavx2.raw"
at_least "v2 machine, at least v3" 1 "" --at-least v3 --cpuid "$T/noavx2.raw"
at_least "v2 machine, at least X86-64-V3" 1 "" --at-least X86-64-V3 --cpuid "$T/noavx2.raw"
at_least "v2 machine, at least v3, --why" 1 "x86-64-v2, not x86-64-v3: the CPU lacks AVX2" \
        --at-least v3 --why --cpuid "$T/noavx2.raw"
at_least "v4 machine, at least v4" 0 "" --at-least v4 --cpuid "$dump"
at_least "live, at least its own level" 0 "" --at-least "$("$HWCAPS" level)"
check "live, at least its own level: nothing on stderr" "" "$(cat "$T/err")"
for bad in v5 x86-64-v0 3 "" x86-64-v3x; do
        at_least "at least '$bad'" 2 "" --at-least "$bad"
        check "at least '$bad': says so" \
                "hwcaps: level: unknown level '$bad' (expected x86-64-v1 ... x86-64-v4 or v1 ... v4)" "$(head -n 1 "$T/err")"
done

# v3 for x86-64-v3: HWCAPS_MAX_LEVEL, hwcaps.max= on the kernel command
# line, bench --levels (hwcaps.conf's max-level=v2: the generator suite,
# case config/08-file-cap-lower).
check "HWCAPS_MAX_LEVEL=v3: path" "x86-64-v3 HWCAPS_MAX_LEVEL=v3 (environment)" \
        "$(HWCAPS_MAX_LEVEL=v3 "$HWCAPS" path --json | jq -r '.max_level + " " + .max_level_reason')"
check "HWCAPS_MAX_LEVEL=v3: which" x86-64-v3 "$(HWCAPS_MAX_LEVEL=v3 "$HWCAPS" which --json sh | jq -r .max_level)"
mkdir -p "$T/root/proc"
echo "quiet hwcaps.max=v3" >"$T/root/proc/cmdline"
check "hwcaps.max=v3: path" "x86-64-v3 hwcaps.max=x86-64-v3 (kernel command line)" \
        "$("$HWCAPS" path --root "$T/root" --json | jq -r '.max_level + " " + .max_level_reason')"

rc=0; "$HWCAPS" bench --levels v1,v9 -- true 2>"$T/err" || rc=$?
check "bench --levels v9: usage error" 2 "$rc"
check "bench --levels v9: says so" \
        'hwcaps: bench: unknown level "v9" (expected x86-64-v1 ... x86-64-v4 or v1 ... v4)' "$(head -n 1 "$T/err")"
case $("$HWCAPS" level) in
x86-64-v3|x86-64-v4)
        mkdir -p "$T/b/glibc-hwcaps/x86-64-v2" "$T/b/glibc-hwcaps/x86-64-v3"
        for d in "$T/b" "$T/b/glibc-hwcaps/x86-64-v2" "$T/b/glibc-hwcaps/x86-64-v3"; do
                printf '#!/bin/sh\n' >"$d/prog"; chmod +x "$d/prog"
        done
        check "bench --levels v1,v3" "x86-64-v1 x86-64-v3" \
                "$("$HWCAPS" bench -n 1 -w 0 --levels v1,v3 --json -- "$T/b/prog" | jq -r '[.levels[].level] | join(" ")')"
        ;;
*) echo "note: this CPU cannot run a v3 variant: bench --levels v1,v3 not run" ;;
esac
finish
