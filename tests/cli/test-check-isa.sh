#!/bin/sh
# hwcaps check's instruction audit (isa-audit.c, x86-decode.c) on programs
# gcc builds for each level, hand-written AVX-512, stripped files, code
# chosen at run time, and Debian's own zstd; and the decoder's instruction
# boundaries against objdump's.
# Usage: test-check-isa.sh HWCAPS X86-SWEEP
HWCAPS=$1 SWEEP=$2
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
command -v gcc >/dev/null && command -v objdump >/dev/null || { echo "SKIP: needs gcc and objdump"; exit 77; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK" || exit 1

# A loop gcc vectorizes with whatever the level allows.
cat > loop.c <<'EOS'
int a[4096], b[4096];
int main(int argc, char **argv) {
        (void) argv;
        for (int i = 0; i < 4096; i++)
                a[i] = a[i] * argc + b[i];
        return a[argc];
}
EOS
# run NAME ROOT [args]: status in $rc, stdout in $out, stderr in $err
run() {
        rc=0 root=$2
        shift 2
        "$HWCAPS" check --root "$root" "$@" > out 2> err || rc=$?
        out=$(cat out) err=$(cat err)
}
# tree ROOT: an empty /usr/bin with its level directories, and a baseline
tree() {
        rm -rf "$1"
        mkdir -p "$1/usr/bin/glibc-hwcaps/x86-64-v2" "$1/usr/bin/glibc-hwcaps/x86-64-v3" \
                "$1/usr/bin/glibc-hwcaps/x86-64-v4"
        gcc -O2 loop.c -o "$1/usr/bin/prog"
}
V=usr/bin/glibc-hwcaps

# The decoder finds the instructions objdump finds, and each of the
# level's features: gcc's code at each level, and a real distro binary.
for n in 2 3 4; do
        gcc -O3 -march=x86-64-v$n loop.c -o "loop-v$n"
done
for f in loop-v4 /usr/bin/zstd /usr/lib/x86_64-linux-gnu/libc.so.6; do
        [ -f "$f" ] || continue
        objdump -d --no-show-raw-insn "$f" | sed -n 's/^ *\([0-9a-f]*\):.*/\1/p' > od
        "$SWEEP" "$f" | cut -d' ' -f1 > sw
        check "decoder: $f: the instructions objdump finds" "" "$(diff od sw | head -n 5)"
done
check "decoder: gcc -march=x86-64-v4 code is AVX-512" "yes" "$("$SWEEP" loop-v4 | grep -q AVX512 && echo yes)"
check "decoder: gcc -march=x86-64-v3 code is AVX2, no AVX-512" "yes" \
        "$("$SWEEP" loop-v3 | grep -q AVX2 && ! "$SWEEP" loop-v3 | grep -q AVX512 && echo yes)"

# Clean variants, each built for its level: no problem, no warning.
tree r
for n in 2 3 4; do
        gcc -O3 -march=x86-64-v$n loop.c -o "r/$V/x86-64-v$n/prog" -Wl,-z,x86-64-v$n
done
run clean r
check "clean variants: status" 0 "$rc"
check "clean variants: summary" "hwcaps: check: 3 variants, no problems" "$out"
check "clean variants: no message" "" "$err"

# -march=native after $CFLAGS on a v4 host: AVX-512 in the v2 variant,
# whose ISA marker still says v2.
tree r
gcc -O3 -march=x86-64-v2 loop.c -march=x86-64-v4 -o "r/$V/x86-64-v2/prog" -Wl,-z,x86-64-v2
run leak r
check "native leak: status" 1 "$rc"
contains "native leak: file, function, instruction, feature" \
        "hwcaps: /$V/x86-64-v2/prog: code above its directory's level x86-64-v2: main+0x" "$err"
contains "native leak: the feature and its level" "needs AVX512" "$err"

# Stripped: the function is unknown, the address given; nothing in it asks
# the CPU, so nothing can have chosen that code at run time.
strip "r/$V/x86-64-v2/prog"
run stripped r
check "stripped leak: status" 1 "$rc"
contains "stripped leak: unknown function and address" \
        "code above its directory's level x86-64-v2: unknown function (no symbols) at 0x" "$err"

# A hand-written AVX-512 instruction in a v2 variant.
cat > zmm.s <<'EOS'
        .globl main
        .type main, @function
main:
        vpaddd %zmm0, %zmm1, %zmm2
        xor %eax, %eax
        ret
        .size main, .-main
        .section .note.GNU-stack,"",@progbits
EOS
as zmm.s -o zmm.o
tree r
gcc zmm.o -o "r/$V/x86-64-v2/prog" -Wl,-z,x86-64-v2
run zmm r
check "vpaddd zmm in v2: status" 1 "$rc"
contains "vpaddd zmm in v2: message" \
        "/$V/x86-64-v2/prog: code above its directory's level x86-64-v2: main+0x0 (0x" "$err"
contains "vpaddd zmm in v2: the instruction" "instruction 62 f1 75 48 fe d0 needs AVX512F (x86-64-v4)" "$err"
# ... named by the packager as chosen at run time
run allowed r --allow-function 'ma*'
check "--allow-function: status" 0 "$rc"
# ... and so by the rpm macros' check (%hwcaps_check_allow_functions)
rc=0
sh "$HERE/../../rpm-macros/brp-hwcaps-check" "$HWCAPS" "$WORK/r" 'x*' 'ma*' > /dev/null 2>&1 || rc=$?
check "brp-hwcaps-check GLOB...: status" 0 "$rc"
rc=0
sh "$HERE/../../rpm-macros/brp-hwcaps-check" "$HWCAPS" "$WORK/r" > /dev/null 2>&1 || rc=$?
check "brp-hwcaps-check without GLOB: status" 1 "$rc"
# ... and fine in a v4 variant
tree r
gcc zmm.o -o "r/$V/x86-64-v4/prog" -Wl,-z,x86-64-v4
run zmm-v4 r
check "vpaddd zmm in v4: status" 0 "$rc"

# AVX2 in the v3 variant passes; in the baseline it does not.
tree r
gcc -O3 -march=x86-64-v3 loop.c -o "r/$V/x86-64-v3/prog" -Wl,-z,x86-64-v3
run avx2 r
check "AVX2 in v3: status" 0 "$rc"
gcc -O3 -march=x86-64-v3 loop.c -o r/usr/bin/prog
run avx2-baseline r
check "AVX2 in the baseline: status" 1 "$rc"
contains "AVX2 in the baseline: message" "hwcaps: /usr/bin/prog: code above the baseline x86-64-v1: main+0x" "$err"

# The level flags never reached the variant: no marker, baseline code.
tree r
gcc -O3 loop.c -o "r/$V/x86-64-v3/prog"
run never r
check "flags never reached: status" 0 "$rc"
check "flags never reached: warning" "hwcaps: warning: /$V/x86-64-v3/prog: needs nothing above the baseline (no ISA marker above x86-64-v1, no instruction above it): the level flags never reached this build, a copy of the baseline" "$err"
check "flags never reached: summary" "hwcaps: check: 1 variant, no problems, 1 warning" "$out"

# Code chosen at run time in a baseline: a function named for its feature
# (zstd's *_bmi2), gcc's target_clones, an IFUNC: no problem.
cat > dispatch.c <<'EOS'
__attribute__((target("avx2"))) void add_avx2(int *a, const int *b) {
        for (int i = 0; i < 4096; i++) a[i] += b[i];
}
__attribute__((target_clones("default", "arch=haswell", "avx512f"))) void add(int *a, const int *b) {
        for (int i = 0; i < 4096; i++) a[i] += b[i];
}
int a[4096], b[4096];
int main(void) {
        if (__builtin_cpu_supports("avx2"))
                add_avx2(a, b);
        add(a, b);
        return a[1];
}
EOS
tree r
gcc -O3 dispatch.c -o r/usr/bin/prog
gcc -O3 -march=x86-64-v2 dispatch.c -o "r/$V/x86-64-v2/prog" -Wl,-z,x86-64-v2
run dispatched r
check "runtime dispatch in baseline and v2: status" 0 "$rc"
check "runtime dispatch in baseline and v2: no message" "" "$err"

# Debian's zstd, stripped, with its *_bmi2 functions chosen by CPUID: no
# failure (a warning: without symbols that cannot be proven).
if [ -f /usr/bin/zstd ]; then
        tree r
        cp /usr/bin/zstd r/usr/bin/zstd
        cp /usr/bin/zstd "r/$V/x86-64-v2/zstd"
        run zstd r
        check "Debian's zstd: status" 0 "$rc"
        contains "Debian's zstd: says why it cannot tell" "in a stripped file that checks the CPU at run time" "$err"
fi

# Not ELF code: said, not skipped.
tree r
printf '#!/bin/sh\n' > "r/$V/x86-64-v2/prog"
chmod 755 "r/$V/x86-64-v2/prog"
run script r
check "a script as variant: status" 1 "$rc"

# --allow-function belongs to the code check.
rc=0
"$HWCAPS" check --owners --allow-function x > /dev/null 2> err || rc=$?
check "--allow-function with --owners: usage error" 2 "$rc"
finish
