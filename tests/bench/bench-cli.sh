#!/bin/sh
# hwcaps bench on fixture variants that sleep clearly different times:
# asserts the order of the levels and which side of 1 each speedup falls,
# never an absolute time. Exit 77 = skipped.
set -u
: "${HWCAPS_BIN:?}"
command -v jq >/dev/null || { echo "no jq" >&2; exit 77; }
case $("$HWCAPS_BIN" level) in
x86-64-v3|x86-64-v4) ;;
*) echo "this CPU cannot run an x86-64-v3 variant" >&2; exit 77 ;;
esac
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }

# Baseline 60 ms, v2 slower (150 ms), v3 faster (10 ms); a factor >= 2.5
# between neighbours survives a loaded machine.
variant() { # DIR SECONDS [extra line]
        mkdir -p "$1"
        printf '#!/bin/sh\n%s\nexec sleep %s\n' "${3:-}" "$2" >"$1/prog"
        chmod +x "$1/prog"
}
B=$T/bin
variant "$B" 0.06 'echo "level=$HWCAPS_MAX_LEVEL"'
variant "$B/glibc-hwcaps/x86-64-v2" 0.15 'echo "level=$HWCAPS_MAX_LEVEL"'
variant "$B/glibc-hwcaps/x86-64-v3" 0.01 'echo "level=$HWCAPS_MAX_LEVEL"'

"$HWCAPS_BIN" bench -n 3 -w 0 --json -- "$B/prog" >"$T/out.json" 2>"$T/err"; rc=$?
[ $rc -eq 0 ] || fail "bench exit $rc: $(cat "$T/err")"
[ ! -s "$T/err" ] || fail "bench wrote to stderr although it is not a terminal: $(cat "$T/err")"
[ "$(jq -r '[.levels[].level] | join(" ")' "$T/out.json")" = "x86-64-v1 x86-64-v2 x86-64-v3" ] ||
        fail "levels: $(cat "$T/out.json")"
[ "$(jq -r '.baseline_level' "$T/out.json")" = x86-64-v1 ] || fail "baseline is not x86-64-v1"
[ "$(jq -r '.cpu_level' "$T/out.json")" = "$("$HWCAPS_BIN" level)" ] || fail "cpu_level differs from 'hwcaps level'"
jq -e '.rounds == 3 and .warmup == 0 and ([.levels[].times | length] == [3,3,3])' "$T/out.json" >/dev/null ||
        fail "rounds/times: $(cat "$T/out.json")"
jq -e '.levels as $l | $l[2].median < $l[0].median and $l[0].median < $l[1].median' "$T/out.json" >/dev/null ||
        fail "median order is not v3 < v1 < v2: $(cat "$T/out.json")"
jq -e '.levels[0].speedup == 1 and .levels[1].speedup < 1 and .levels[2].speedup > 1' "$T/out.json" >/dev/null ||
        fail "speedups not 1 / <1 / >1: $(cat "$T/out.json")"
jq -e '.levels[1].speedup_q3 < 1 and .levels[2].speedup_q1 > 1' "$T/out.json" >/dev/null ||
        fail "speedup spread crosses 1: $(cat "$T/out.json")"
jq -e 'all(.levels[]; .min <= .median and .median <= .max and .q1 <= .q3)' "$T/out.json" >/dev/null ||
        fail "min/median/max inconsistent"
[ "$(jq -r '.levels[2].path' "$T/out.json")" = "$B/glibc-hwcaps/x86-64-v3/prog" ] || fail "v3 path"
grep -q 'level=' "$T/out.json" && fail "command output leaked into bench output"

# On a terminal, progress goes to stderr (and stdout keeps only the table).
if command -v script >/dev/null; then
        script -qec "\"$HWCAPS_BIN\" bench -n 2 -w 0 -- \"$B/prog\" >\"$T/tty.out\"" /dev/null >"$T/tty.err" 2>&1 ||
                fail "bench on a terminal failed"
        grep -q 'measuring round 2/2' "$T/tty.err" || fail "no progress on a terminal: $(od -c "$T/tty.err" | head)"
        grep -q 'measuring' "$T/tty.out" && fail "progress went to stdout"
else
        echo "no script(1): skipping the terminal progress case" >&2
fi

# The comparison (median per-round ratio, its interval, the verdict) is in
# the levels too; 3 rounds are too few for a 95% interval, which is said.
jq -e '.confidence == 0.95 and .levels[0].wall.verdict == "reference" and .levels[0].cpu.verdict == "reference"
       and all(.levels[1:][]; .wall.verdict == "too few rounds" and .wall.ci_low == null and .cpu.ci_high == null
                              and .wall.rounds_used == 3)' "$T/out.json" >/dev/null ||
        fail "comparison fields with too few rounds: $(cat "$T/out.json")"
jq -e '.levels[1].wall.ratio < 1 and .levels[2].wall.ratio > 1' "$T/out.json" >/dev/null ||
        fail "wall ratios not <1 / >1: $(cat "$T/out.json")"

# Text output: one row per level with the ratio against the baseline, the
# missing interval explained.
"$HWCAPS_BIN" bench -n 2 -w 0 -- "$B/prog" >"$T/out.txt" 2>/dev/null || fail "text bench failed"
grep -q '^x86-64-v1 .* 1\.000 baseline ' "$T/out.txt" || fail "no baseline row: $(cat "$T/out.txt")"
grep -q '^x86-64-v2 .* 0\.[0-9]* (too few rounds)' "$T/out.txt" || fail "v2 row has no ratio below 1: $(cat "$T/out.txt")"
grep -qx 'interval: none; 95% needs 6 rounds or more (-n 6)' "$T/out.txt" || fail "missing interval not said"

# With enough rounds, each level gets an interval and a verdict.
"$HWCAPS_BIN" bench -n 6 -w 0 --json -- "$B/prog" >"$T/ci.json" 2>/dev/null || fail "bench -n 6"
jq -e '[.levels[1:][] | .wall, .cpu | .ci_low <= .ratio and .ratio <= .ci_high and .verdict ==
        (if .ci_low > 1 then "faster" elif .ci_high < 1 then "slower" else "no difference" end)] | all' \
        "$T/ci.json" >/dev/null || fail "verdicts do not follow the intervals: $(cat "$T/ci.json")"

# Through PATH, and from inside a level directory: same variant set.
PATH="$B/glibc-hwcaps/x86-64-v3:$PATH" "$HWCAPS_BIN" bench -n 1 -w 0 --json -- prog >"$T/p.json" 2>/dev/null ||
        fail "bench of a program found in a level directory"
[ "$(jq -r '[.levels[].path] | join(" ")' "$T/p.json")" = \
  "$B/prog $B/glibc-hwcaps/x86-64-v2/prog $B/glibc-hwcaps/x86-64-v3/prog" ] || fail "PATH resolution: $(cat "$T/p.json")"

# --levels selects; a missing level is an error.
"$HWCAPS_BIN" bench -n 1 -w 0 --levels x86-64-v1,x86-64-v3 --json -- "$B/prog" >"$T/l.json" 2>/dev/null || fail "--levels"
[ "$(jq -r '[.levels[].level] | join(" ")' "$T/l.json")" = "x86-64-v1 x86-64-v3" ] || fail "--levels: $(cat "$T/l.json")"
"$HWCAPS_BIN" bench -n 1 --levels x86-64-v4 -- "$B/prog" >/dev/null 2>"$T/e"; [ $? -eq 1 ] || fail "missing v4 variant accepted"
grep -q 'no x86-64-v4 variant' "$T/e" || fail "missing level not named: $(cat "$T/e")"

# Each run gets HWCAPS_MAX_LEVEL of its level; --show-output keeps stdout.
"$HWCAPS_BIN" bench -n 1 -w 0 --show-output -- "$B/prog" >"$T/s.out" 2>/dev/null || fail "--show-output"
for l in x86-64-v1 x86-64-v2 x86-64-v3; do
        grep -qx "level=$l" "$T/s.out" || fail "run of $l did not see HWCAPS_MAX_LEVEL=$l"
done

# Stub layout: the baseline is glibc-hwcaps/x86-64-v1/prog, not the stub itself.
S=$T/stub
variant "$S" 0 'exit 3'
variant "$S/glibc-hwcaps/x86-64-v1" 0.01
"$HWCAPS_BIN" bench -n 1 -w 0 --json -- "$S/prog" >"$T/st.json" 2>"$T/e" || fail "stub layout: $(cat "$T/e")"
[ "$(jq -r '.levels[0].path' "$T/st.json")" = "$S/glibc-hwcaps/x86-64-v1/prog" ] || fail "stub layout baseline"

# A failing command fails the benchmark, naming the variant.
variant "$T/bad" 0 'exit 5'
"$HWCAPS_BIN" bench -n 1 -w 0 -- "$T/bad/prog" >/dev/null 2>"$T/e"; [ $? -eq 1 ] || fail "failing command accepted"
grep -q 'exited with status 5' "$T/e" || fail "failure not explained: $(cat "$T/e")"

# A variant killed by SIGILL (built above its level) is named as such.
variant "$T/ill" 0 'kill -ILL $$'
"$HWCAPS_BIN" bench -n 1 -w 0 -- "$T/ill/prog" >/dev/null 2>"$T/e"; [ $? -eq 1 ] || fail "SIGILL accepted"
grep -q 'killed by signal 4' "$T/e" || fail "SIGILL not explained: $(cat "$T/e")"

# Usage errors.
"$HWCAPS_BIN" bench 2>/dev/null; [ $? -eq 2 ] || fail "no COMMAND"
"$HWCAPS_BIN" bench -n 0 -- "$B/prog" 2>/dev/null; [ $? -eq 2 ] || fail "-n 0"
"$HWCAPS_BIN" bench --levels x86-64-v9 -- "$B/prog" 2>/dev/null; [ $? -eq 2 ] || fail "--levels x86-64-v9"
"$HWCAPS_BIN" bench -- "$T/nonexistent" 2>/dev/null; [ $? -eq 1 ] || fail "missing program"

[ $fails -eq 0 ] || { echo "$fails failure(s)" >&2; exit 1; }
echo ok
