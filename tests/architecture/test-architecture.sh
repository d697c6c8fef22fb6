#!/bin/bash
# SPDX-License-Identifier: MIT
# The tree says what ARCHITECTURE.md says: every path it names exists, each
# folder of dispatch/ includes only the headers of the folders it may use,
# each has a meson.build that says what it owns, and every module
# (dispatch/*/MODULE.c) has its test file tests/unit/test-MODULE.c or is
# named below with the suite that tests it instead.
# Usage: test-architecture.sh SOURCE-ROOT
set -u
cd "${1:?usage: test-architecture.sh SOURCE-ROOT}" || exit 1
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# 1. Every path ARCHITECTURE.md names in backquotes: with a slash, from the
# top; a bare file name, somewhere in the source folders. Not the running
# system's absolute paths, nor patterns like cmd-NAME.c.
names=$(grep -o '`[^` ]*`' ARCHITECTURE.md | tr -d '`' | sort -u)
for n in $names; do
        case $n in
        /* | *NAME*) ;; # a path on the running system; a pattern
        */*) [ -e "$n" ] || fail "ARCHITECTURE.md names $n, which is not there" ;;
        *.c | *.h | *.in | *.md)
                [ -n "$(find dispatch generator systemd rpm-macros tests doc . -maxdepth 3 -name "$n" -print -quit)" ] ||
                        fail "ARCHITECTURE.md names $n, which is not there" ;;
        esac
done

# 2. One dependency direction: the folders a folder's sources may include
# headers from (system headers aside).
declare -A may=(
        [engine]="engine"
        [policy]="engine policy"
        [measure]="engine measure"
        [cli]="engine policy measure cli"
        [stub]="engine stub"
)
header_home() { # NAME.h -> the dispatch folder that has it
        local d
        for d in engine policy measure cli stub; do
                [ -e "dispatch/$d/$1" ] && { echo "$d"; return; }
        done
}
for d in "${!may[@]}"; do
        [ -d "dispatch/$d" ] || { fail "dispatch/$d is gone"; continue; }
        for f in dispatch/$d/*.[ch]; do
                for h in $(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f"); do
                        home=$(header_home "$h")
                        [ -n "$home" ] || continue # config.h, generated
                        case " ${may[$d]} " in
                        *" $home "*) ;;
                        *) fail "$f includes $h from dispatch/$home; $d may use only: ${may[$d]}" ;;
                        esac
                done
        done
        head -n 1 "dispatch/$d/meson.build" | grep -q '^# ' ||
                fail "dispatch/$d/meson.build does not start with what the folder owns"
done
for f in generator/*.c; do
        for h in $(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f"); do
                case $(header_home "$h") in
                engine | policy | "") ;;
                *) fail "$f includes $h: the generator may use engine and policy only" ;;
                esac
        done
done

# 3. A test file a module. Programs and subcommands are tested end to end;
# the rest are named with where their tests are.
declare -A elsewhere=(
        [hwcaps]="tests/cli (the command's main)"
        [stub]="tests/stub, tests/agree (the stub's main)"
        [sys-libc]="libc's system calls for the engine: every engine test"
        [dump-validate]="tests/unit/test-dump.c (part of the dump reader)"
        [source-options]="tests/cli (options of level and explain)"
)
for f in dispatch/*/*.c; do
        m=$(basename "$f" .c)
        case $m in cmd-*) continue ;; esac # subcommands: tests/cli and others
        [ -e "tests/unit/test-$m.c" ] && continue
        [ -n "${elsewhere[$m]:-}" ] && continue
        fail "$f has no tests/unit/test-$m.c"
done
for t in tests/unit/test-*.c; do
        m=$(basename "$t" .c)
        m=${m#test-}
        [ "$m" = macros ] && continue # rpm-macros/macros.hwcaps
        ls dispatch/*/"$m".c >/dev/null 2>&1 || fail "$t is named after no module"
done

[ "$fails" = 0 ] && echo "ok: ARCHITECTURE.md's paths, one dependency direction, a test a module"
exit $((fails > 0))
