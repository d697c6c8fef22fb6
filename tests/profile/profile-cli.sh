#!/bin/sh
# hwcaps profile: check/record on this machine, and convert/merge/show on
# sample profiles written from llvm-profdata's text format. Needs
# llvm-profdata (llvm-14) and a C compiler; exit 77 = skipped.
set -u
: "${HWCAPS_BIN:?}"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
profdata=$(command -v llvm-profdata || command -v llvm-profdata-14) || { echo "no llvm-profdata" >&2; exit 77; }
command -v jq >/dev/null || { echo "no jq" >&2; exit 77; }

# ---- check and record -------------------------------------------------
if [ -d /sys/bus/event_source/devices/cpu ] || [ -d /sys/bus/event_source/devices/cpu_core ]; then
        echo "this machine has a CPU PMU: skipping the no-counters cases" >&2
else
        "$HWCAPS_BIN" profile check >"$T/check.out" 2>&1; rc=$?
        [ $rc -eq 1 ] || fail "check on a machine without PMU: exit $rc, expected 1"
        grep -q 'not supported on this machine' "$T/check.out" || fail "check does not say 'not supported'"
        grep -q 'no hardware performance counters' "$T/check.out" || fail "check does not give the reason"
        grep -q 'devices/cpu is missing' "$T/check.out" || fail "check does not name the missing PMU"
        grep -q '^record command: perf record .* -b -c 500009 -o perf.data -- COMMAND$' "$T/check.out" ||
                fail "check does not print the perf record command"

        "$HWCAPS_BIN" profile check --json >"$T/check.json"; rc=$?
        [ $rc -eq 1 ] || fail "check --json: exit $rc, expected 1"
        [ "$(jq -r '.supported, .verdict' "$T/check.json" | tr '\n' ' ')" = "false no-pmu " ] ||
                fail "check --json: $(cat "$T/check.json")"

        "$HWCAPS_BIN" profile record -o "$T/p.data" -- touch "$T/ran" 2>"$T/rec.err"; rc=$?
        [ $rc -eq 1 ] || fail "record without PMU: exit $rc, expected 1"
        [ ! -e "$T/ran" ] || fail "record ran the command although it cannot record"
        [ ! -e "$T/p.data" ] || fail "record wrote a perf.data"
        grep -q 'cannot record an AutoFDO profile on this machine: no hardware performance counters' "$T/rec.err" ||
                fail "record does not say why: $(cat "$T/rec.err")"

        # Files come from under HWCAPS_ROOT: a fixture's paranoid level shows.
        mkdir -p "$T/root/proc/sys/kernel"
        echo 3 >"$T/root/proc/sys/kernel/perf_event_paranoid"
        HWCAPS_ROOT=$T/root "$HWCAPS_BIN" profile check --json >"$T/root.json"
        [ "$(jq -r .perf_event_paranoid "$T/root.json")" = 3 ] || fail "HWCAPS_ROOT not used: $(cat "$T/root.json")"
fi
"$HWCAPS_BIN" profile record 2>/dev/null; [ $? -eq 2 ] || fail "record without COMMAND is not a usage error"
"$HWCAPS_BIN" profile record -c 7 -- true 2>/dev/null; [ $? -eq 2 ] || fail "record -c 7 (below BRS depth) accepted"
"$HWCAPS_BIN" profile bogus 2>/dev/null; [ $? -eq 2 ] || fail "unknown profile command is not a usage error"

# ---- show and merge on known profiles -----------------------------------
cat >"$T/a.txt" <<'P'
main:1000:10
 1: 100
 2: 900 compress:800 helper:100
compress:5000:800
 1: 4000
 2: 1000
P
cat >"$T/b.txt" <<'P'
compress:2000:200
 1: 2000
helper:300:30
 1: 300
P
"$profdata" merge --sample --extbinary -o "$T/a.afdo" "$T/a.txt" || exit 99
"$profdata" merge --sample --extbinary -o "$T/b.afdo" "$T/b.txt" || exit 99

"$HWCAPS_BIN" profile show --json "$T/a.afdo" >"$T/a.json" || fail "show a.afdo failed"
[ "$(jq -c '[.functions, .total_samples, [.top[] | [.name, .samples, .head_samples]]]' "$T/a.json")" = \
  '[2,6000,[["compress",5000,800],["main",1000,10]]]' ] || fail "show a.afdo: $(cat "$T/a.json")"

"$HWCAPS_BIN" profile show "$T/a.afdo" >"$T/a.out" || fail "show (text) failed"
grep -q '^ *1  *5000  *83.3%  *800  compress$' "$T/a.out" || fail "show text row 1: $(cat "$T/a.out")"
grep -q '^ *2  *1000  *16.7%  *10  main$' "$T/a.out" || fail "show text row 2: $(cat "$T/a.out")"

"$HWCAPS_BIN" profile merge -o "$T/m.afdo" "$T/a.afdo" "$T/b.afdo" || fail "merge failed"
"$HWCAPS_BIN" profile show --json "$T/m.afdo" >"$T/m.json" || fail "show merged failed"
[ "$(jq -c '[.functions, .total_samples, [.top[] | [.name, .samples]]]' "$T/m.json")" = \
  '[3,8300,[["compress",7000],["main",1000],["helper",300]]]' ] || fail "merged profile: $(cat "$T/m.json")"

"$HWCAPS_BIN" profile show -n 1 --json "$T/m.afdo" | jq -e '.top | length == 1 and .[0].name == "compress"' >/dev/null ||
        fail "show -n 1 does not limit to the top function"

"$HWCAPS_BIN" profile merge --text -o "$T/m.txt" "$T/a.afdo" "$T/b.txt" || fail "merge --text failed"
grep -q '^compress:7000:1000$' "$T/m.txt" || fail "merge --text: $(head -3 "$T/m.txt")"

echo 'not a profile' >"$T/junk"
"$HWCAPS_BIN" profile show "$T/junk" 2>/dev/null; [ $? -eq 1 ] || fail "show on junk does not fail with 1"
"$HWCAPS_BIN" profile show "$T/missing" 2>/dev/null; [ $? -eq 1 ] || fail "show on a missing file does not fail with 1"
"$HWCAPS_BIN" profile merge "$T/a.afdo" 2>/dev/null; [ $? -eq 2 ] || fail "merge without -o is not a usage error"
"$HWCAPS_BIN" profile merge -o "$T/x" "$T/a.afdo" "$T/missing" 2>/dev/null; [ $? -eq 1 ] || fail "merge with a missing input"
[ ! -e "$T/x" ] || fail "merge with a missing input wrote output"
HWCAPS_LLVM_PROFDATA=/nonexistent/llvm-profdata "$HWCAPS_BIN" profile show "$T/a.afdo" 2>"$T/e"; rc=$?
[ $rc -eq 1 ] && grep -q 'llvm-profdata not found' "$T/e" || fail "missing llvm-profdata not reported: $rc $(cat "$T/e")"

# ---- convert: argument handling and error paths (no real perf data here) --
cc=$(command -v cc || command -v gcc || command -v clang) || { echo "no C compiler" >&2; exit 77; }
printf 'int main(void) { return 0; }\n' >"$T/p.c"
$cc -O1 -g1 -o "$T/prog-g" "$T/p.c" || exit 99
$cc -O1 -g0 -o "$T/prog" "$T/p.c" && strip -g "$T/prog" 2>/dev/null
printf 'PERFILE2\0\0\0\0\0\0\0\0' >"$T/fake.data"

"$HWCAPS_BIN" profile convert "$T/fake.data" 2>/dev/null; [ $? -eq 2 ] || fail "convert without --binary"
"$HWCAPS_BIN" profile convert --binary "$T/prog-g" 2>/dev/null; [ $? -eq 2 ] || fail "convert without PERFDATA"
"$HWCAPS_BIN" profile convert --binary "$T/prog-g" --tool gcc "$T/fake.data" 2>/dev/null; [ $? -eq 2 ] || fail "convert --tool gcc"
"$HWCAPS_BIN" profile convert --binary "$T/prog" -o "$T/o.afdo" "$T/fake.data" 2>"$T/e"; rc=$?
[ $rc -eq 1 ] && grep -q 'has no line tables (.debug_line)' "$T/e" || fail "binary without debug info: $rc $(cat "$T/e")"
"$HWCAPS_BIN" profile convert --binary "$T/p.c" -o "$T/o.afdo" "$T/fake.data" 2>"$T/e"; rc=$?
[ $rc -eq 1 ] && grep -q 'not an x86-64 ELF binary' "$T/e" || fail "non-ELF binary: $rc $(cat "$T/e")"
"$HWCAPS_BIN" profile convert --binary "$T/prog-g" -o "$T/o.afdo" "$T/junk" 2>"$T/e"; rc=$?
[ $rc -eq 1 ] && grep -q 'is not a perf.data file' "$T/e" || fail "junk perf data: $rc $(cat "$T/e")"
HWCAPS_LLVM_PROFGEN=/nonexistent HWCAPS_CREATE_LLVM_PROF=/nonexistent \
        "$HWCAPS_BIN" profile convert --binary "$T/prog-g" -o "$T/o.afdo" "$T/fake.data" 2>"$T/e"; rc=$?
[ $rc -eq 1 ] && grep -q 'not found in PATH' "$T/e" || fail "missing converters: $rc $(cat "$T/e")"
for tool in llvm-profgen create_llvm_prof; do
        case $tool in
        llvm-profgen) command -v llvm-profgen >/dev/null || command -v llvm-profgen-14 >/dev/null || continue ;;
        *) command -v $tool >/dev/null || continue ;;
        esac
        "$HWCAPS_BIN" profile convert --tool $tool --binary "$T/prog-g" -o "$T/o.afdo" "$T/fake.data" 2>"$T/e"; rc=$?
        [ $rc -eq 1 ] || fail "convert --tool $tool of a truncated perf.data: exit $rc"
        grep -q "running .*$tool" "$T/e" || fail "convert --tool $tool did not run $tool: $(cat "$T/e")"
        [ ! -e "$T/o.afdo" ] || fail "convert --tool $tool wrote a profile from a truncated perf.data"
done

# create_llvm_prof (autofdo 0.19) exits 0 with an empty profile for a
# binary with DWARF 5 (clang 14's and gcc 12's default): a stand-in that
# does just that; convert names the cause and the way out.
printf '#!/bin/sh\nfor a; do case $a in --out=*) : >"${a#--out=}" ;; esac; done\nexit 0\n' >"$T/empty-clp"
chmod +x "$T/empty-clp"
for v in 4 5; do
        $cc -O1 -g -gdwarf-$v -o "$T/prog-d$v" "$T/p.c" || exit 99
        HWCAPS_CREATE_LLVM_PROF=$T/empty-clp "$HWCAPS_BIN" profile convert --tool create_llvm_prof \
                --binary "$T/prog-d$v" -o "$T/o.afdo" "$T/fake.data" 2>"$T/e"; rc=$?
        [ $rc -eq 1 ] && [ ! -e "$T/o.afdo" ] || fail "empty create_llvm_prof output, DWARF $v: exit $rc"
        if [ $v = 5 ]; then
                grep -q 'create_llvm_prof wrote an empty profile: .*prog-d5 has DWARF 5 debug info .* rebuild it with -gdwarf-4, or convert with llvm-profgen' "$T/e" ||
                        fail "DWARF 5: the cause is not named: $(cat "$T/e")"
        else
                grep -q 'create_llvm_prof wrote no profile: no samples of' "$T/e" && ! grep -q 'DWARF' "$T/e" ||
                        fail "DWARF 4: $(cat "$T/e")"
        fi
done

# A stripped binary: its line tables come from --debug-binary (llvm-profgen
# only), here a stand-in that writes a profile and keeps its arguments.
printf '#!/bin/sh\nprintf "%%s\\n" "$@" >"%s"\nfor a; do case $a in --output=*) printf "main:1:1\\n 1: 1\\n" >"${a#--output=}" ;; esac; done\n' \
        "$T/profgen-args" >"$T/fake-profgen"
chmod +x "$T/fake-profgen"
strip -o "$T/prog-stripped" "$T/prog-g" || exit 99
HWCAPS_LLVM_PROFGEN=$T/fake-profgen "$HWCAPS_BIN" profile convert --binary "$T/prog-stripped" -o "$T/o.afdo" "$T/fake.data" 2>"$T/e"
[ $? -eq 1 ] && grep -q 'has no line tables .*name its separate debug info with --debug-binary FILE' "$T/e" ||
        fail "stripped binary: --debug-binary not suggested: $(cat "$T/e")"
rm -f "$T/o.afdo"
HWCAPS_LLVM_PROFGEN=$T/fake-profgen "$HWCAPS_BIN" profile convert --binary "$T/prog-stripped" \
        --debug-binary "$T/prog-g" -o "$T/o.afdo" "$T/fake.data" 2>"$T/e" || fail "convert --debug-binary: $(cat "$T/e")"
grep -qxF -- "--debug-binary=$T/prog-g" "$T/profgen-args" && grep -qxF -- "--binary=$T/prog-stripped" "$T/profgen-args" ||
        fail "convert --debug-binary: llvm-profgen got: $(cat "$T/profgen-args" 2>/dev/null)"
[ -s "$T/o.afdo" ] || fail "convert --debug-binary wrote no profile"
HWCAPS_LLVM_PROFGEN=$T/fake-profgen "$HWCAPS_BIN" profile convert --binary "$T/prog-stripped" \
        --debug-binary "$T/prog-stripped" -o "$T/o2.afdo" "$T/fake.data" 2>"$T/e"
[ $? -eq 1 ] && grep -q 'prog-stripped has no line tables (.debug_line): not the debug info of' "$T/e" ||
        fail "--debug-binary without line tables: $(cat "$T/e")"
"$HWCAPS_BIN" profile convert --tool create_llvm_prof --binary "$T/prog-stripped" --debug-binary "$T/prog-g" "$T/fake.data" 2>/dev/null
[ $? -eq 2 ] || fail "--debug-binary with create_llvm_prof is not a usage error"

# ---- convert end to end, from a synthesized 'perf script' with branch stacks --
# No perf.data with branch stacks can be recorded here, but llvm-profgen reads
# the text of 'perf script -F ip,brstack --show-mmap-events' too. Build a hot
# loop, take its back edge from the disassembly, and write samples whose
# branch stacks repeat it: the profile must then attribute samples to "hot",
# and clang must accept the profile and annotate "hot" with it.
if command -v clang >/dev/null && command -v objdump >/dev/null &&
   { command -v llvm-profgen >/dev/null || command -v llvm-profgen-14 >/dev/null; }; then
        cat >"$T/hot.c" <<'C'
volatile unsigned long sink;
__attribute__((noinline)) unsigned long hot(unsigned long n) {
        unsigned long s = 1;
        for (unsigned long i = 0; i < n; i++)
                s = (s * 31) ^ (s >> 7) ^ i;
        return s;
}
int main(void) { sink = hot(1000); return 0; }
C
        flags="-O1 -fno-unroll-loops -gline-tables-only -fdebug-info-for-profiling -no-pie -fno-pie"
        clang $flags -o "$T/hot" "$T/hot.c" || exit 99
        edge=$(objdump -d --no-show-raw-insn "$T/hot" | awk '/<hot>:/ { f = 1; next } f && /^$/ { exit }
                f && $2 ~ /^j/ { sub(":", "", $1); print $1, $3 }' | while read -r from to; do
                        [ $((0x$to)) -lt $((0x$from)) ] && { echo "$from $to"; break; }
                done)
        [ -n "$edge" ] || { echo "no loop back edge found in hot()" >&2; exit 99; }
        set -- $edge
        { echo "PERF_RECORD_MMAP2 4242/4242: [0x401000(0x1000) @ 0x1000 08:01 1234 0]: r-xp $T/hot"
          for s in 1 2 3 4 5 6 7 8; do
                printf '     %s' "$2"
                for k in 1 2 3 4 5 6 7 8; do printf ' 0x%s/0x%s/P/-/-/1//-' "$1" "$2"; done
                printf ' \n'
          done; } >"$T/hot.script"
        "$HWCAPS_BIN" profile convert --perfscript --binary "$T/hot" -o "$T/hot.afdo" "$T/hot.script" 2>"$T/e" ||
                fail "convert --perfscript: $(cat "$T/e")"
        "$HWCAPS_BIN" profile show --json "$T/hot.afdo" >"$T/hot.json" 2>/dev/null || fail "show converted profile"
        jq -e '.functions == 1 and .top[0].name == "hot" and .top[0].samples > 0' "$T/hot.json" >/dev/null ||
                fail "converted profile: $(cat "$T/hot.json")"
        clang $flags -O2 -fprofile-sample-use="$T/hot.afdo" -S -emit-llvm -o "$T/hot.ll" "$T/hot.c" 2>"$T/e" ||
                fail "clang rejects the converted profile: $(cat "$T/e")"
        grep -q 'define .*@hot(.*!prof' "$T/hot.ll" || fail "clang did not annotate hot() from the profile"
        "$HWCAPS_BIN" profile convert --perfscript --tool create_llvm_prof --binary "$T/hot" "$T/hot.script" 2>/dev/null
        [ $? -eq 2 ] || fail "--perfscript with create_llvm_prof is not a usage error"
else
        echo "no clang, objdump or llvm-profgen: skipping the end-to-end convert case" >&2
fi

[ $fails -eq 0 ] || { echo "$fails failure(s)" >&2; exit 1; }
echo "ok"
