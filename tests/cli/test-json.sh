#!/bin/bash
# SPDX-License-Identifier: MIT
# Every --json output, also for hostile file names (not UTF-8, terminal
# escapes, quotes, backslashes, a newline): jq and Python's json both
# accept it, it opens with "hwcaps_json": 1 and the subcommand that wrote
# it (hwcaps(1), JSON OUTPUT), and each NAME_bytes is NAME's exact bytes
# (escaped-output.py). A subcommand whose --help offers --json and that is
# not run here fails the test.
# Usage: test-json.sh HWCAPS DATA-DIR
set -u
HWCAPS=$1
DATA=$2
check=$(dirname "$(realpath "$0")")/escaped-output.py
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root (root-owned fixture directories under /run)"; exit 77; }
command -v jq >/dev/null || { echo "SKIP: needs jq"; exit 77; }
command -v python3 >/dev/null || { echo "SKIP: needs python3"; exit 77; }
. "$(dirname "$0")/lib.sh"

T=$(mktemp -d /run/hwcaps-json.XXXXXX)
trap 'rm -rf "$T"' EXIT
chmod 755 "$T"
mkdir "$T/json"
R=$T/root
covered=" "

# validate SUBCOMMAND LABEL FILE [NEEDLE]: FILE is one JSON object of
# SUBCOMMAND (jq here; Python's json for every file at the end, in one
# process: a Python start takes seconds on a loaded machine); NEEDLE (a
# field name) must be in it.
outputs=0
validate() {
        local sub=$1 label=$2 file=$3 keep
        covered="$covered$sub "
        if [ ! -s "$file" ]; then
                bad "$label: no output"
                return
        fi
        jq -e --arg s "$sub" '.hwcaps_json == 1 and .subcommand == $s and keys_unsorted[0:2] == ["hwcaps_json", "subcommand"]' \
                "$file" >/dev/null && ok "$label: jq: hwcaps_json 1, subcommand $sub" || bad "$label: jq: $(head -c 600 "$file")"
        [ -z "${4:-}" ] || contains "$label: has $4" "\"$4\"" "$(cat "$file")"
        outputs=$((outputs + 1))
        keep=$T/json/$outputs.json
        cp "$file" "$keep"
        printf '%s\t%s\t%s\n' "$keep" "$sub" "$label" >>"$T/json/list"
}

# run SUBCOMMAND LABEL [ENV=...] -- ARGS...: exit 0 or 1, output validated.
run() {
        local sub=$1 label=$2 envs=() rc
        shift 2
        while [ "$1" != -- ]; do envs+=("$1"); shift; done
        shift
        env "${envs[@]}" "$HWCAPS" "$@" >"$T/out.json" 2>"$T/err"
        rc=$?
        [ $rc -le 1 ] || bad "$label: exit $rc: $(cat "$T/err")"
        validate "$sub" "$label" "$T/out.json" "${NEEDLE:-}"
}

# The CPU commands, on a dump and live.
dump=$DATA/cpuid/amd-epyc-zen4.raw
run level "level --json" -- level --json --cpuid "$dump"
run level "level --json --why --at-least v3" -- level --json --why --at-least v3
run levels "levels --json" -- levels --json --cpuid "$dump"
run explain "explain --json" -- explain --json --cpuid "$dump"
run "profile check" "profile check --json" -- profile check --json

# Hostile names: as printf formats, each a program name, a directory in
# PATH and a file.
names=('\033[2K\rOK' 'a\377b' '\300\257' 'q"uote' 'back\\slash' 'new\nline' 'caf\303\251')
mkdir -p "$R/usr/bin" "$R/proc" "$R/etc"
printf 'quiet\n' >"$R/proc/cmdline"
rpmdb=
if command -v rpm >/dev/null && rpm --root "$R" --initdb 2>/dev/null; then
        rpmdb=yes
fi
for fmt in "${names[@]}"; do
        n=$(printf "$fmt"; echo x); n=${n%x}
        # A name not UTF-8: its field has NAME_bytes beside it.
        bytes=
        printf '%s' "$n" | iconv -f UTF-8 -t UTF-8 >/dev/null 2>&1 || bytes=_bytes
        NEEDLE=${bytes:+path_bytes}
        for l in 2 3; do
                mkdir -p "$R/usr/bin/glibc-hwcaps/x86-64-v$l" "$R/opt/$n/bin/glibc-hwcaps/x86-64-v$l"
                cp /bin/true "$R/usr/bin/glibc-hwcaps/x86-64-v$l/$n"
                cp /bin/true "$R/opt/$n/bin/glibc-hwcaps/x86-64-v$l/prog"
        done
        cp /bin/true "$R/opt/$n/bin/prog"
        chmod -R go-w "$R"

        run path "path --json, $fmt" -- path --json --root "$R" --path "/opt/$n/bin:/usr/bin"
        run which "which --json, $fmt" -- which --json "$R/opt/$n/bin/prog"
        run status "status --json, $fmt" HWCAPS_ROOT="$R" PATH="/opt/$n/bin:/usr/bin" \
                DBUS_SYSTEM_BUS_ADDRESS=unix:path=/nonexistent/bus -- status --json
        NEEDLE=${bytes:+name_bytes} run list "list --json, $fmt" -- list --json --max-level v2 --root "$R"
        contains "list --json, $fmt: the program is listed" '"variants"' "$(cat "$T/out.json")"
        NEEDLE=${bytes:+command_bytes} run bench "bench --json, $fmt" -- bench -n 1 -w 0 --json -- "$R/opt/$n/bin/prog"
        if [ -n "$rpmdb" ]; then
                run check "check --owners --json, $fmt" -- check --owners --json --root "$R"
                run status "status --json --packages, $fmt" HWCAPS_ROOT="$R" PATH="/opt/$n/bin:/usr/bin" \
                        DBUS_SYSTEM_BUS_ADDRESS=unix:path=/nonexistent/bus -- status --json --packages
                contains "status --json --packages, $fmt: the report is there" '"variants"' "$(cat "$T/out.json")"
        fi
        if profdata=$(command -v llvm-profdata || command -v llvm-profdata-14); then
                printf 'main:100:1\n 1: 100\n' >"$T/p.txt"
                "$profdata" merge --sample --extbinary -o "$T/$n.afdo" "$T/p.txt" &&
                        run "profile show" "profile show --json, $fmt" -- profile show --json "$T/$n.afdo"
        fi
        printf '+ clang -fprofile-sample-use=%s.afdo -c a.c\nwarning: a.c:1: 5 of 10 available profile samples (50%%) were applied\n' \
                "$T/$n" >"$T/$n.log"
        run "profile coverage" "profile coverage --json, $fmt" -- profile coverage --json "$T/$n.log"
        NEEDLE=
        rm -rf "$R/opt/$n" "$R/usr/bin/glibc-hwcaps"
done
[ -n "$rpmdb" ] || echo "note: no rpm: check --owners --json and status --packages not run"

# No rpm database: status still prints one object, its packages null;
# check --owners prints nothing. Both exit 1.
mkdir -p "$T/nodb/proc"
printf 'quiet\n' >"$T/nodb/proc/cmdline"
HWCAPS_ROOT=$T/nodb DBUS_SYSTEM_BUS_ADDRESS=unix:path=/nonexistent/bus "$HWCAPS" status --json --packages \
        >"$T/out.json" 2>/dev/null
check "status --json --packages, no rpmdb: exit 1" 1 $?
validate status "status --json --packages, no rpmdb" "$T/out.json"
check "status --json --packages, no rpmdb: packages null" null "$(jq -c .packages "$T/out.json")"
out=$("$HWCAPS" check --owners --json --root "$T/nodb" 2>/dev/null)
check "check --owners --json, no rpmdb: exit 1" 1 $?
check "check --owners --json, no rpmdb: nothing on stdout" "" "$out"

# The exact bytes of a name that is not UTF-8 come back, and the escaped
# text shows them as \xHH.
mkdir -p "$T/b/a$(printf '\377')b"
cp /bin/true "$T/b/a$(printf '\377')b/prog"
"$HWCAPS" which --json "$T/b/a$(printf '\377')b/prog" >"$T/out.json"
check "which --json: path_bytes" "$(printf '%s' "$T/b/a$(printf '\377')b/prog" | od -An -tx1 | tr -d ' \n')" \
        "$(jq -r '.candidates[0].path_bytes' "$T/out.json")"
check "which --json: path" "$T/b/a\\xffb/prog" "$(jq -r '.candidates[0].path' "$T/out.json")"

# Python's json on every output: it parses, opens with hwcaps_json 1 and
# the subcommand; escaped-output.py: valid UTF-8, no raw control
# character, each NAME_bytes NAME's exact bytes.
python3 - "$T/json/list" <<'PY' && ok "python json: all $outputs outputs" || bad "python json"
import json, sys
bad = 0
for line in open(sys.argv[1], encoding="utf-8", errors="surrogateescape"):
    path, sub, label = line.rstrip("\n").split("\t", 2)
    try:
        d = json.load(open(path, "rb"))
        assert list(d)[:2] == ["hwcaps_json", "subcommand"], list(d)[:2]
        assert d["hwcaps_json"] == 1 and d["subcommand"] == sub, (d["hwcaps_json"], d["subcommand"])
    except Exception as e:
        print(f"FAIL {label}: {type(e).__name__}: {e}")
        bad += 1
sys.exit(1 if bad else 0)
PY
python3 "$check" json "$T"/json/*.json && ok "escaping: all $outputs outputs" || bad "escaping"

# Every subcommand that offers --json was run above.
cmds=$("$HWCAPS" --help | sed -n '/^Commands:/,/^$/p' | awk 'NR > 1 && NF { print $1 }')
verbs=$("$HWCAPS" profile --help | sed -n 's/^  \([a-z][a-z]*\) .*/\1/p')
for c in $cmds; do
        if [ "$c" = profile ]; then
                for v in $verbs; do
                        case $("$HWCAPS" profile "$v" --help 2>/dev/null) in
                        *--json*) contains "profile $v --json is tested" " profile $v " "$covered" ;;
                        esac
                done
        else
                case $("$HWCAPS" "$c" --help) in
                *--json*) contains "$c --json is tested" " $c " "$covered" ;;
                esac
        fi
done
finish
