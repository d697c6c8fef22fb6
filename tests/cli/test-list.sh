#!/bin/sh
# SPDX-License-Identifier: MIT
# hwcaps list on a fixture root: every program with variants, the one that
# runs (the stub's decision and trust rule), why the others do not, the
# dpkg package owning each, what --max-level would change, names escaped
# in text and JSON, and its errors. Under /run: the trust rule refuses the
# sticky /tmp on the way to a variant.
# Usage: test-list.sh HWCAPS STUB
set -u
HWCAPS=$1
STUB=$2
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" -eq 0 ] || { echo "SKIP: needs root (root-owned fixture directories)"; exit 77; }
command -v jq >/dev/null || { echo "SKIP: needs jq"; exit 77; }
command -v python3 >/dev/null || { echo "SKIP: needs python3"; exit 77; }
command -v dpkg-query >/dev/null || { echo "SKIP: needs dpkg-query"; exit 77; }
host=$("$HWCAPS" level); host=${host#x86-64-v}
[ "$host" -ge 3 ] || { echo "SKIP: CPU below x86-64-v3"; exit 77; }

root=$(mktemp -d /run/hwcaps-list.XXXXXX)
trap 'rm -rf "$root"' EXIT
chmod 755 "$root"
hw=$root/usr/bin/glibc-hwcaps
mkdir -p "$root/proc" "$hw/x86-64-v2" "$hw/x86-64-v3"
echo quiet > "$root/proc/cmdline"
# A clean environment without env(1): under .ci/sanitize's valgrind a
# program started by /usr/bin/env is not traced, and would see another
# CPU than "hwcaps level" above (valgrind's has no AVX-512).
list() (
        bin=$HWCAPS
        unset HWCAPS HWCAPS_MAX_LEVEL HWCAPS_ROOT GLIBC_TUNABLES
        PATH=/usr/bin:/bin exec "$bin" list --root "$root" "$@"
)
# The table with each run of spaces as one: columns are as wide as the
# widest name.
squeeze() { printf '%s\n' "$1" | tr -s ' '; }

out=$(list 2>&1); rc=$?
check "no variants: exit 0" 0 "$rc"
contains "no variants: said" "No programs with variants under $root." "$out"

# fast: baseline, v2 and v3 (v3 runs); lame: a v2 variant writable by its
# group (the baseline runs); a name that would rewrite the terminal.
evil=$(printf 'evil\033[2K\rOK')
for f in usr/bin/fast usr/bin/glibc-hwcaps/x86-64-v2/fast usr/bin/glibc-hwcaps/x86-64-v3/fast \
         usr/bin/lame usr/bin/glibc-hwcaps/x86-64-v2/lame "usr/bin/glibc-hwcaps/x86-64-v2/$evil"; do
        cp /bin/true "$root/$f"
        chmod 755 "$root/$f"
done
chmod 775 "$hw/x86-64-v2/lame"
ln -s usr/bin "$root/bin"
dpkg_package "$root" fast 1 /usr/bin/fast
dpkg_package "$root" fast-v3 1 /usr/bin/glibc-hwcaps/x86-64-v3/fast
dpkg_package "$root" lame-v2 1 /bin/glibc-hwcaps/x86-64-v2/lame

out=$(list 2>&1); rc=$?
check "list: exit 0" 0 "$rc"
check "list: the plan, the head, one line a program, /bin once" 5 "$(printf '%s\n' "$out" | wc -l)"
contains "list: the head" "PROGRAM RUNS VARIANTS" "$(squeeze "$out")"
contains "list: the plan first" "CPU level x86-64-v$host" "$(printf '%s\n' "$out" | head -n 1)"
contains "list: v3 runs, owners" "/usr/bin/fast x86-64-v3 x86-64-v3 fast-v3, x86-64-v2 -" "$(squeeze "$out")"
contains "list: a group-writable variant does not run, and why" \
        "/usr/bin/lame baseline x86-64-v2 lame-v2 (unsafe: /usr/bin/glibc-hwcaps/x86-64-v2/lame is writable by group or others)" "$(squeeze "$out")"
contains "list: a hostile name escaped" '/usr/bin/evil\x1b[2K\x0dOK' "$out"
case $out in *"$(printf '\033')"*) bad "list: an escape byte reached the terminal" ;; *) ok "list: no raw escape" ;; esac

json=$(list --json 2>&1)
check "json: jq accepts it" list "$(printf '%s' "$json" | jq -r .subcommand 2>&1)"
printf '%s' "$json" | python3 -c 'import json, sys; json.load(sys.stdin)' && ok "json: python accepts it" || bad "json: python: $json"
q() { printf '%s' "$json" | jq -r "$1" 2>&1; }
check "json: schema version" 1 "$(q .hwcaps_json)"
check "json: cpu_level" "x86-64-v$host" "$(q .cpu_level)"
check "json: nothing caps" "null null" "$(q '"\(.max_level) \(.max_level_reason)"')"
check "json: fast runs v3" "/usr/bin/glibc-hwcaps/x86-64-v3/fast x86-64-v3" \
        "$(q '.programs[] | select(.name == "/usr/bin/fast") | "\(.runs) \(.runs_level)"')"
check "json: fast's variants" "x86-64-v3 fast-v3 dpkg true,x86-64-v2 null null false" \
        "$(q '[.programs[] | select(.name == "/usr/bin/fast") | .variants[] | "\(.level) \(.package) \(.package_manager) \(.runs)"] | join(",")')"
check "json: lame runs its baseline" "/usr/bin/lame null" \
        "$(q '.programs[] | select(.name == "/usr/bin/lame") | "\(.runs) \(.runs_level)"')"
contains "json: why lame's v2 is skipped" "is writable by group or others" \
        "$(q '.programs[] | select(.name == "/usr/bin/lame") | .variants[0].skipped')"
check "json: no would_run without --max-level" null "$(q '.programs[0].would_run')"
check "json: the hostile name as it is" "/usr/bin/$evil" "$(q '.programs[] | select(.name | startswith("/usr/bin/evil")) | .name')"

# A cap previewed: v3 -> v2 for fast, lame unchanged; v3 and x86-64-v3 alike.
out=$(list --max-level v2 2>&1); rc=$?
check "--max-level: exit 0" 0 "$rc"
contains "--max-level: its column" "PROGRAM RUNS WITH x86-64-v2 VARIANTS" "$(squeeze "$out")"
contains "--max-level: the change marked" "/usr/bin/fast x86-64-v3 x86-64-v3 → x86-64-v2 x86-64-v3 fast-v3" "$(squeeze "$out")"
contains "--max-level: no change said so" "/usr/bin/lame baseline unchanged x86-64-v2 lame-v2" "$(squeeze "$out")"
# Columns line up: VARIANTS starts at one column on every line.
col=$(printf '%s\n' "$out" | sed 1d | python3 -c 'import sys; print(len({l.index("x86-64-v2 lame") if "lame" in l else l.index("x86-64-v3 fast") if "/fast" in l else l.index("VARIANTS") if "VARIANTS" in l else l.index("x86-64-v2 -") for l in sys.stdin.read().splitlines()}))')
check "--max-level: columns line up" 1 "$col"
json=$(list --max-level x86-64-v2 --json 2>&1)
check "--max-level json: fast" "/usr/bin/glibc-hwcaps/x86-64-v2/fast x86-64-v2 true" \
        "$(q '.programs[] | select(.name == "/usr/bin/fast") | "\(.would_run) \(.would_run_level) \(.changes)"')"
check "--max-level json: lame" "/usr/bin/lame null false" \
        "$(q '.programs[] | select(.name == "/usr/bin/lame") | "\(.would_run) \(.would_run_level) \(.changes)"')"
# A cap in force (the kernel command line) is the lowest that wins.
echo "quiet hwcaps.max=v2" > "$root/proc/cmdline"
json=$(list --json --max-level v4 2>&1)
check "cap in force: fast runs v2, unchanged under v4" "x86-64-v2 x86-64-v2 false" \
        "$(q '.programs[] | select(.name == "/usr/bin/fast") | "\(.runs_level) \(.would_run_level) \(.changes)"')"
check "cap in force: max_level" "x86-64-v2 hwcaps.max=x86-64-v2 (kernel command line)" "$(q '"\(.max_level) \(.max_level_reason)"')"

# Errors.
"$HWCAPS" list --max-level x86-64-v5 >/dev/null 2>"$root.err"; rc=$?
check "bad --max-level: usage error" 2 "$rc"
contains "bad --max-level: said" 'hwcaps: list: --max-level: unknown level "x86-64-v5"' "$(cat "$root.err")"
"$HWCAPS" list foo >/dev/null 2>"$root.err"; rc=$?
check "an operand: usage error" 2 "$rc"
contains "an operand: list's help named" "hwcaps list --help" "$(cat "$root.err")"
"$HWCAPS" list --root /nonexistent >/dev/null 2>"$root.err"; rc=$?
check "missing --root: failure" 1 "$rc"
check "missing --root: said" "hwcaps: list: --root /nonexistent: No such file or directory" "$(cat "$root.err")"
printf 'Package: broken\nnot a field\n' > "$root/var/lib/dpkg/status"
"$HWCAPS" list --root "$root" >/dev/null 2>"$root.err"; rc=$?
check "unreadable dpkg database: failure" 1 "$rc"
contains "unreadable dpkg database: dpkg-query's words" "dpkg-query: error: parsing file" "$(cat "$root.err")"
rm -f "$root.err"
"$HWCAPS" list --help | grep -q -- "--max-level LEVEL" && ok "--help" || bad "--help lacks --max-level"
"$HWCAPS" --help | grep -q "^  list " && ok "hwcaps --help names list" || bad "hwcaps --help lacks list"
# The tree is the whole system, as for "which --root": a program that is
# an absolute link to the stub inside the tree is a stub there, followed
# inside the tree (the host has nothing at /opt/hwcaps-list-test).
rm -rf "$root/var/lib/dpkg"
echo quiet > "$root/proc/cmdline"
mkdir -p "$root/opt/hwcaps-list-test" "$hw/x86-64-v1"
cp "$STUB" "$root/opt/hwcaps-list-test/hwcaps-dispatch"
ln -s /opt/hwcaps-list-test/hwcaps-dispatch "$root/usr/bin/disp"
cp /bin/true "$hw/x86-64-v1/disp"
cp /bin/true "$hw/x86-64-v3/disp"
chmod 755 "$root/opt" "$root/opt/hwcaps-list-test" "$hw/x86-64-v1"
out=$(list 2>&1)
contains "list --root: a link to the stub inside the tree runs its variant" \
        "/usr/bin/disp x86-64-v3 x86-64-v3 -, x86-64-v1 -" "$(squeeze "$out")"
check "list --root --json: paths as inside the tree" "/usr/bin/glibc-hwcaps/x86-64-v3/disp" \
        "$(list --json 2>/dev/null | jq -r '.programs[] | select(.name == "/usr/bin/disp") | .runs')"
finish
