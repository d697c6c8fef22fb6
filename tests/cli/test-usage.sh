#!/bin/sh
# Bad command lines: usage on stderr, exit 2; --help and --version exit 0.
set -u
HWCAPS=$1
. "$(dirname "$0")/lib.sh"
err=$(mktemp)
trap 'rm -f "$err"' EXIT

expect_usage() { # NAME ARGS...
        name=$1
        shift
        out=$("$HWCAPS" "$@" 2>"$err")
        rc=$?
        check "$name: exit 2" 2 "$rc"
        check "$name: nothing on stdout" "" "$out"
        contains "$name: hint on stderr" "Try 'hwcaps --help'" "$(cat "$err")"
}
expect_usage "no command" 
expect_usage "unknown command" frobnicate
expect_usage "unknown global option" --frob
expect_usage "unknown option" level --frob
expect_usage "unexpected argument" levels extra
expect_usage "json where there is none" level --json
expect_usage "bad source" levels --source magic
expect_usage "dump is not a source name" levels --source dump
expect_usage "missing option argument" levels --cpuid
expect_usage "path: unknown option" path --frob

for cmd in "" level levels explain path; do
        out=$("$HWCAPS" $cmd --help)
        check "--help ${cmd:-(top)} exits 0" 0 $?
        contains "--help ${cmd:-(top)} prints usage" "Usage: hwcaps" "$out"
done
contains "--version" "hwcaps " "$("$HWCAPS" --version)"
finish
