#!/bin/sh
# hwcaps bench --variants: builds given by name, their input checks, and
# the report's structure and verdict logic. Never a wall-clock value: the
# one verdict asserted is on CPU time between two programs whose work
# differs about 15-fold (a loop of 100000 and of 1000 shell steps), which
# no load makes cross 1 in all six rounds. Exit 77 = skipped.
set -u
HWCAPS=$1
. "$(dirname "$0")/lib.sh"
command -v jq >/dev/null || { echo "no jq" >&2; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

burner() { # FILE STEPS: a program doing STEPS shell steps of CPU work
        printf '#!/bin/sh\ni=0\nwhile [ $i -lt %s ]; do i=$((i + 1)); done\n' "$2" >"$1"
        chmod +x "$1"
}
burner "$T/light" 1000
burner "$T/heavy" 100000
# What a run sees: its arguments and HWCAPS_MAX_LEVEL.
printf '#!/bin/sh\necho "args=$* max=${HWCAPS_MAX_LEVEL-unset}"\n' >"$T/show"
chmod +x "$T/show"

# Two builds, the heavy one first: the light one is faster in CPU time.
"$HWCAPS" bench -n 6 -w 0 --json --variants "heavy=$T/heavy,light=$T/light" -- prog arg >"$T/o.json" 2>"$T/e"
check "heavy vs light: exit" 0 $?
check "heavy vs light: nothing on stderr" "" "$(cat "$T/e")"
check "opening" "bench 1" "$(jq -r '"\(.subcommand) \(.hwcaps_json)"' "$T/o.json")"
check "names in order" "heavy light" "$(jq -r '[.variants[].name] | join(" ")' "$T/o.json")"
check "paths" "$T/heavy $T/light" "$(jq -r '[.variants[].path] | join(" ")' "$T/o.json")"
check "the first is the reference" heavy "$(jq -r .reference "$T/o.json")"
check "no levels array" null "$(jq -c .levels "$T/o.json")"
check "command" '["prog","arg"]' "$(jq -c .command "$T/o.json")"
check "confidence" 0.95 "$(jq -r .confidence "$T/o.json")"
check "six rounds each" "6 6 6 6" "$(jq -r '[.variants[] | (.times, .cpu_times) | length] | join(" ")' "$T/o.json")"
check "fields of wall and cpu" true "$(jq '[.variants[] | .wall, .cpu | keys] | all(. == ["ci_high","ci_low","coverage","median","ratio","rounds_used","verdict"])' "$T/o.json")"
check "reference verdicts" "reference reference" "$(jq -r '.variants[0] | "\(.wall.verdict) \(.cpu.verdict)"' "$T/o.json")"
check "reference ratio" "1 1 1" "$(jq -r '.variants[0].wall | "\(.ratio) \(.ci_low) \(.ci_high)"' "$T/o.json")"
check "six rounds of 0.95: the exact coverage 1 - 2/64" 0.96875 "$(jq -r '.variants[1].wall.coverage' "$T/o.json")"
check "light is faster in CPU time" faster "$(jq -r '.variants[1].cpu.verdict' "$T/o.json")"
check "its interval is above 1" true "$(jq '.variants[1].cpu.ci_low > 1' "$T/o.json")"
# Whatever the times, each verdict follows from its interval, and the
# interval holds the ratio.
verdicts_follow() { # NAME FILE
        check "$1: verdicts follow the intervals" true "$(jq '[.variants[1:][] | .wall, .cpu |
                (.ci_low <= .ratio and .ratio <= .ci_high) and .verdict ==
                (if .ci_low > 1 then "faster" elif .ci_high < 1 then "slower" else "no difference" end)] | all' "$2")"
}
verdicts_follow "heavy vs light" "$T/o.json"

# The other way round: slower.
"$HWCAPS" bench -n 6 -w 0 --json --variants "light=$T/light,heavy=$T/heavy" -- prog >"$T/o2.json" 2>"$T/e"
check "light vs heavy: exit" 0 $?
check "heavy is slower in CPU time" slower "$(jq -r '.variants[1].cpu.verdict' "$T/o2.json")"
verdicts_follow "light vs heavy" "$T/o2.json"

# One program against itself, three times, a name looked up in PATH.
"$HWCAPS" bench -n 8 -w 1 --confidence 0.99 --json --variants "a=$T/light,b=$T/light,c=light" -- x \
        >"$T/s.json" 2>"$T/e"
rc=$?
check "not found in PATH: exit 1" 1 "$rc"
contains "not found in PATH: named" "hwcaps: bench: variant c: light: not found in PATH" "$(cat "$T/e")"
PATH="$T:$PATH" "$HWCAPS" bench -n 8 -w 1 --confidence 0.99 --json --variants "a=$T/light,b=$T/light,c=light" -- x \
        >"$T/s.json" 2>"$T/e"
check "itself: exit" 0 $?
check "itself: three variants" "a b c" "$(jq -r '[.variants[].name] | join(" ")' "$T/s.json")"
check "itself: a name in PATH resolved" "$T/light" "$(jq -r '.variants[2].path' "$T/s.json")"
check "itself: confidence" 0.99 "$(jq -r .confidence "$T/s.json")"
check "itself: coverage of 8 rounds at 0.99: 1 - 2/256" 0.9921875 "$(jq -r '.variants[1].cpu.coverage' "$T/s.json")"
verdicts_follow "itself" "$T/s.json"

# Text: a row a variant, the reference named, both times, the footer.
"$HWCAPS" bench -n 6 -w 0 --variants "heavy=$T/heavy,light=$T/light" -- prog >"$T/o.txt" 2>"$T/e"
check "text: exit" 0 $?
check "text: title" "prog: 6 rounds (+0 warm-up), variants interleaved" "$(sed -n 1p "$T/o.txt")"
contains "text: group header" "wall time" "$(sed -n 2p "$T/o.txt")"
contains "text: cpu group header" "cpu time (user+sys)" "$(sed -n 2p "$T/o.txt")"
contains "text: column header" "ratio (95% interval)" "$(sed -n 3p "$T/o.txt")"
check "text: reference row, twice" 2 "$(grep '^heavy ' "$T/o.txt" | grep -o '1\.000 reference' | wc -l)"
check "text: light row ends faster" faster "$(awk '$1 == "light" { print $NF }' "$T/o.txt")"
check "text: light row has two intervals" 2 "$(grep '^light ' "$T/o.txt" | grep -Eo '\([0-9.]+-[0-9.]+\)' | wc -l)"
contains "text: ratio explained" "ratio = heavy's time / the variant's time in the same round" "$(cat "$T/o.txt")"
contains "text: coverage" "exact coverage 96.9%" "$(cat "$T/o.txt")"

# Each variant runs with COMMAND's arguments and without a level cap.
env -u HWCAPS_MAX_LEVEL "$HWCAPS" bench -n 6 -w 0 --show-output --variants "a=$T/show,b=$T/show" -- prog x y \
        >"$T/show.out" 2>"$T/e"
check "show: exit" 0 $?
check "show: 12 runs with the arguments, no HWCAPS_MAX_LEVEL" 12 "$(grep -cx 'args=x y max=unset' "$T/show.out")"

# A hostile name is escaped in text, exact in JSON.
esc=$(printf '\033')
"$HWCAPS" bench -n 6 -w 0 --variants "${esc}[2Kevil=$T/light,ok=$T/light" -- p >"$T/h.txt" 2>"$T/e"
check "hostile name: exit" 0 $?
check "hostile name: no ESC in text" 0 "$(grep -c "$esc" "$T/h.txt")"
contains "hostile name: escaped" '\x1b[2Kevil' "$(cat "$T/h.txt")"
"$HWCAPS" bench -n 6 -w 0 --json --variants "${esc}[2Kevil=$T/light,ok=$T/light" -- p >"$T/h.json" 2>"$T/e"
check "hostile name: JSON" "${esc}[2Kevil" "$(jq -r '.reference' "$T/h.json")"
check "hostile name: JSON name" "${esc}[2Kevil" "$(jq -r '.variants[0].name' "$T/h.json")"

# Usage errors: exit 2, the message word for word.
expect_message() { # NAME MESSAGE ARGS...
        name=$1 msg=$2
        shift 2
        out=$("$HWCAPS" "$@" 2>"$T/e")
        check "$name: exit 2" 2 $?
        check "$name: nothing on stdout" "" "$out"
        check "$name: message" "$msg" "$(head -n 1 "$T/e")"
        check "$name: hint" "Try 'hwcaps bench --help' for more information." "$(tail -n 1 "$T/e")"
}
L=$T/light
expect_message "empty list" \
        "hwcaps: bench: --variants needs a list NAME=PATH,NAME=PATH,... (the first is the reference)" \
        bench --variants "" -- p
expect_message "one variant" \
        "hwcaps: bench: --variants needs at least two builds to compare, NAME=PATH,NAME=PATH (the first is the reference)" \
        bench --variants "a=$L" -- p
expect_message "duplicate name" "hwcaps: bench: --variants: the name \"a\" is given twice" \
        bench --variants "a=$L,b=$L,a=$L" -- p
expect_message "hostile duplicate name" "hwcaps: bench: --variants: the name \"\\x1b[2K\" is given twice" \
        bench --variants "${esc}[2K=$L,${esc}[2K=$L" -- p
expect_message "no =" "hwcaps: bench: --variants: \"a\" is not NAME=PATH (a non-empty name, '=', a path)" \
        bench --variants "a,b=$L" -- p
expect_message "empty name" "hwcaps: bench: --variants: \"=$L\" is not NAME=PATH (a non-empty name, '=', a path)" \
        bench --variants "=$L,b=$L" -- p
expect_message "empty path" "hwcaps: bench: --variants: \"a=\" is not NAME=PATH (a non-empty name, '=', a path)" \
        bench --variants "a=,b=$L" -- p
expect_message "empty entry" "hwcaps: bench: --variants: \"\" is not NAME=PATH (a non-empty name, '=', a path)" \
        bench --variants "a=$L,,b=$L" -- p
expect_message "trailing comma" "hwcaps: bench: --variants: \"\" is not NAME=PATH (a non-empty name, '=', a path)" \
        bench --variants "a=$L,b=$L," -- p
expect_message "with --levels" "hwcaps: bench: --levels and --variants exclude each other" \
        bench --levels x86-64-v1 --variants "a=$L,b=$L" -- p
expect_message "too few rounds" \
        "hwcaps: bench: 5 rounds are too few for a 95% interval: --variants needs -n 6 or more" \
        bench -n 5 --variants "a=$L,b=$L" -- p
expect_message "one round" \
        "hwcaps: bench: 1 round is too few for a 95% interval: --variants needs -n 6 or more" \
        bench --variants "a=$L,b=$L" -n 1 -- p
expect_message "too few rounds at 0.99" \
        "hwcaps: bench: 7 rounds are too few for a 99% interval: --variants needs -n 8 or more" \
        bench -n 7 --confidence 0.99 --variants "a=$L,b=$L" -- p
expect_message "default rounds too few at 0.999" \
        "hwcaps: bench: 10 rounds are too few for a 99.9% interval: --variants needs -n 11 or more" \
        bench --confidence 0.999 --variants "a=$L,b=$L" -- p
for c in 0 1 95 -0.5 abc nan 0.9x ""; do
        expect_message "confidence '$c'" \
                "hwcaps: bench: invalid confidence '$c' (expected a number between 0 and 1, such as 0.95)" \
                bench --confidence "$c" -- p
done
expect_message "no COMMAND" "hwcaps: bench: missing COMMAND (hwcaps bench -- COMMAND [ARGS...])" \
        bench --variants "a=$L,b=$L"

# Builds that cannot run: exit 1, the variant named, nothing run.
: >"$T/plain"
chmod 644 "$T/plain"
mkdir "$T/dir"
expect_failure() { # NAME MESSAGE VARIANTS
        out=$("$HWCAPS" bench -n 6 -w 0 --show-output --variants "$3" -- p 2>"$T/e")
        check "$1: exit 1" 1 $?
        check "$1: nothing run" "" "$out"
        check "$1: message" "$2" "$(cat "$T/e")"
}
expect_failure "missing path" "hwcaps: bench: variant b: $T/none: not an executable file" "a=$T/show,b=$T/none"
expect_failure "not executable" "hwcaps: bench: variant b: $T/plain: not an executable file" "a=$T/show,b=$T/plain"
expect_failure "a directory" "hwcaps: bench: variant a: $T/dir: not an executable file" "a=$T/dir,b=$T/show"
# A build that fails stops the benchmark and is named.
printf '#!/bin/sh\nexit 4\n' >"$T/fail"
chmod +x "$T/fail"
"$HWCAPS" bench -n 6 -w 0 --variants "good=$L,broken=$T/fail" -- p >/dev/null 2>"$T/e"
check "failing build: exit 1" 1 $?
contains "failing build: named" "$T/fail (broken) exited with status 4" "$(cat "$T/e")"

finish
