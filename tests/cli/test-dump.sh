#!/bin/sh
# --cpuid FILE on level, levels, explain; JSON shapes; clear errors.
set -u
HWCAPS=$1
DATA=$2
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dump=$DATA/cpuid/amd-epyc-zen4.raw

check "level of zen4 dump" x86-64-v4 "$("$HWCAPS" level --cpuid "$dump")"
check "levels of zen4 dump" "x86-64-v4 x86-64-v3 x86-64-v2 " "$("$HWCAPS" levels --cpuid "$dump" | tr '\n' ' ')"
check "levels --json" '{"hwcaps_json":1,"subcommand":"levels","feature_source":"dump","cpu_level":"x86-64-v4","levels":["x86-64-v4","x86-64-v3","x86-64-v2"]}' "$("$HWCAPS" levels --json --cpuid "$dump")"
out=$("$HWCAPS" explain --cpuid "$dump")
contains "explain says XCR0 was assumed" "assumed from CPUID leaf 0xD" "$out"
contains "explain does not ask ld.so for a dump" "not asked" "$out"
contains "explain names the CPU" "AuthenticAMD" "$out"
check "explain leads with the answer (top level)" \
        "x86-64-v4, the highest level defined" \
        "$(printf '%s\n' "$out" | head -n 1)"

# A copy without AVX-512 state in leaf 0xD: v3, and explain names the blocker.
sed 's/^basic_cpuid\[13\]=000000e7/basic_cpuid[13]=00000007/' "$dump" >"$tmp/noxzmm.raw"
check "no ZMM state -> v3" x86-64-v3 "$("$HWCAPS" level --cpuid "$tmp/noxzmm.raw")"
out=$("$HWCAPS" explain --cpuid "$tmp/noxzmm.raw")
contains "explain names the missing OS state" "AVX512F (the OS did not enable AVX-512 state" "$out"
check "explain leads with the answer (OS state)" \
        "x86-64-v3, not x86-64-v4: the OS did not enable AVX-512 state (XCR0 bits 1-2, 5-7) for AVX512F, AVX512BW, AVX512CD, AVX512DQ, AVX512VL" \
        "$(printf '%s\n' "$out" | head -n 1)"
# Without AVX512F in CPUID (leaf 7 EBX bit 16): the CPU lacks it, and the
# rest of v4 needs it.
sed 's/^basic_cpuid\[7\]=00000001 f1bf07ab/basic_cpuid[7]=00000001 f1be07ab/' "$dump" >"$tmp/noavx512f.raw"
check "explain leads with the answer (CPU lacks, and needs)" \
        "x86-64-v3, not x86-64-v4: the CPU lacks AVX512F; AVX512BW, AVX512CD, AVX512DQ, AVX512VL need AVX512F, which is not usable" \
        "$("$HWCAPS" explain --cpuid "$tmp/noavx512f.raw" | head -n 1)"
check "explain's first line is level --why" \
        "$("$HWCAPS" level --why --cpuid "$tmp/noavx512f.raw")" \
        "$("$HWCAPS" explain --cpuid "$tmp/noavx512f.raw" | head -n 1)"

json=$("$HWCAPS" explain --json --cpuid "$tmp/noxzmm.raw")
contains "explain --json level" '"cpu_level":"x86-64-v3","next_level":"x86-64-v4"' "$json"
contains "explain --json blocker" '"name":"AVX512F","cpuid":"CPUID.7.0:EBX[16]","cpu":true,"os":false,"usable":false' "$json"
contains "explain --json no oracle for dumps" '"dynamic_linker":null' "$json"
if command -v python3 >/dev/null 2>&1; then
        echo "$json" | python3 -c 'import json,sys; json.load(sys.stdin)' && ok "explain --json parses" || bad "explain --json is not JSON"
        "$HWCAPS" explain --json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["dynamic_linker"]["agrees"] is True' &&
                ok "live explain --json agrees" || bad "live explain --json"
fi

# Errors: file and line, exit 1, nothing on stdout.
printf 'version=0.6.2\nbasic_cpuid[0]=0000001c 68747541 444d4163 69746e65\nbasic_cpuid[1]=junk\n' >"$tmp/bad.raw"
out=$("$HWCAPS" level --cpuid "$tmp/bad.raw" 2>"$tmp/err")
check "malformed dump exits 1" 1 $?
check "malformed dump prints nothing on stdout" "" "$out"
contains "malformed dump names file:line" "$tmp/bad.raw:3: expected" "$(cat "$tmp/err")"
: >"$tmp/empty.raw"
"$HWCAPS" levels --cpuid "$tmp/empty.raw" 2>"$tmp/err"
check "empty dump exits 1" 1 $?
contains "empty dump is explained" "holds no CPUID registers" "$(cat "$tmp/err")"
head -n 10 "$dump" >"$tmp/trunc.raw"
"$HWCAPS" explain --cpuid "$tmp/trunc.raw" >/dev/null 2>"$tmp/err"
check "truncated dump exits 1" 1 $?
contains "truncated dump is explained" "truncated" "$(cat "$tmp/err")"
"$HWCAPS" level --cpuid "$tmp/nope.raw" 2>"$tmp/err"
check "missing dump exits 1" 1 $?
contains "missing dump is explained" "nope.raw: No such file" "$(cat "$tmp/err")"
# A FIFO nobody writes to: refused at once, not a hang in open().
mkfifo "$tmp/fifo.raw"
timeout 10 "$HWCAPS" level --cpuid "$tmp/fifo.raw" 2>"$tmp/err"
check "FIFO as dump exits 1 (124: it hung)" 1 $?
contains "FIFO as dump is explained" "fifo.raw: not a regular file" "$(cat "$tmp/err")"
finish
