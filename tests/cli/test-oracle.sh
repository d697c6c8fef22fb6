#!/bin/sh
# hwcaps levels must equal the dynamic linker's "supported, searched" list,
# plain and under each GLIBC_TUNABLES mask. The list from ld.so is parsed
# here with sed, independently of the C parser in oracle.c.
set -u
HWCAPS=$1
LDSO=${2:-/lib64/ld-linux-x86-64.so.2}
. "$(dirname "$0")/lib.sh"

ldso_levels() {
        "$LDSO" --help | sed -n '/^Subdirectories of glibc-hwcaps/,/^$/p' |
                sed -n 's/^  \(x86-64-v[0-9]\) (supported, searched)$/\1/p'
}

for mask in "" -AVX512F -AVX2 -AVX512F,-AVX2,-SSE4_2 -BMI1 -BMI2 -LZCNT -MOVBE -FMA -AVX -POPCNT -SSSE3 -SSE4_1 -OSXSAVE -AVX512VL -AVX512BW; do
        if [ -n "$mask" ]; then
                GLIBC_TUNABLES=glibc.cpu.hwcaps=$mask
                export GLIBC_TUNABLES
        else
                unset GLIBC_TUNABLES
        fi
        want=$(ldso_levels | tr '\n' ' ')
        got=$("$HWCAPS" levels | tr '\n' ' ')
        check "levels agree with ld.so under [${mask:-no mask}]" "$want" "$got"
        # explain must agree too (exit 0), and say so
        out=$("$HWCAPS" explain) || bad "explain exits non-zero under [${mask:-no mask}]"
        contains "explain reports agreement under [${mask:-no mask}]" "-- agrees" "$out"
        lvl=$("$HWCAPS" level)
        top=$(ldso_levels | head -n1)
        check "level is ld.so's highest under [${mask:-no mask}]" "${top:-x86-64-v1}" "$lvl"
done
unset GLIBC_TUNABLES

# The raw CPUID source ignores tunables but must agree on an unmasked machine.
check "cpuid source agrees with ld.so" "$(ldso_levels | tr '\n' ' ')" "$("$HWCAPS" levels --source cpuid | tr '\n' ' ')"

# Disagreement is loud: a fake ld.so that claims nothing is supported.
fake=$(mktemp)
trap 'rm -f "$fake" "$fake.err"' EXIT
printf '#!/bin/sh\necho "Subdirectories of glibc-hwcaps directories, in priority order:"\necho "  x86-64-v4"\necho "  x86-64-v3"\necho "  x86-64-v2"\n' >"$fake"
chmod +x "$fake"
out=$("$HWCAPS" explain --ldso "$fake" 2>"$fake.err")
rc=$?
if [ "$("$HWCAPS" level)" = x86-64-v1 ]; then
        check "fake ld.so agrees on a baseline machine" 0 "$rc"
else
        check "disagreement exits 1" 1 "$rc"
        contains "disagreement shown in the table" "DISAGREES" "$out"
        contains "disagreement warned on stderr" "DISAGREE about this CPU" "$(cat "$fake.err")"
fi
# A dynamic linker without the section (or not there at all) leaves nothing
# to check the levels against: an error, exit 1, nothing on stdout.
out=$("$HWCAPS" explain --ldso /nonexistent/ld.so 2>"$fake.err")
check "missing ld.so fails" 1 $?
check "missing ld.so: nothing on stdout" "" "$out"
contains "missing ld.so is reported" "gave no glibc-hwcaps verdict" "$(cat "$fake.err")"
finish
