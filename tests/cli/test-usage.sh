#!/bin/sh
# Bad command lines: usage on stderr, exit 2; --help and --version exit 0.
set -u
HWCAPS=$1
. "$(dirname "$0")/lib.sh"
err=$(mktemp)
trap 'rm -f "$err"' EXIT

expect_usage() { # NAME HELP-OF ARGS...: the hint names the help of HELP-OF
        name=$1 of=$2
        shift 2
        out=$("$HWCAPS" "$@" 2>"$err")
        rc=$?
        check "$name: exit 2" 2 "$rc"
        check "$name: nothing on stdout" "" "$out"
        check "$name: hint to the help" "Try 'hwcaps${of:+ $of} --help' for more information." "$(tail -n 1 "$err")"
}
expect_usage "no command" ""
expect_usage "unknown command" "" frobnicate
expect_usage "unknown global option" "" --frob
expect_usage "unknown option" level level --frob
expect_usage "unexpected argument" levels levels extra
expect_usage "json where there is none" exec exec --json
expect_usage "why is for level" levels levels --why
expect_usage "at-least is for level" explain explain --at-least v3
expect_usage "at-least: unknown level" level level --at-least x86-64-v5
expect_usage "bad source" levels levels --source magic
expect_usage "dump is not a source name" levels levels --source dump
expect_usage "missing option argument" levels levels --cpuid
expect_usage "path: unknown option" path path --frob
expect_usage "profile: unknown verb" profile profile frob
expect_usage "profile merge: no -o" "profile merge" profile merge a.afdo
expect_usage "bench: unknown option" bench bench --frob

# The message of each command's own usage errors, word for word.
expect_message() { # NAME MESSAGE ARGS...
        name=$1 msg=$2
        shift 2
        out=$("$HWCAPS" "$@" 2>"$err")
        check "$name: exit 2" 2 $?
        check "$name: nothing on stdout" "" "$out"
        check "$name: message" "$msg" "$(head -n 1 "$err")"
}
expect_message "level: unknown option" "hwcaps: level: unknown option '--frob'" level --frob
expect_message "levels: missing argument" "hwcaps: levels: option '--cpuid' needs an argument" levels --cpuid
expect_message "levels: unexpected argument" "hwcaps: levels: unexpected argument 'extra'" levels extra
expect_message "explain: bad source" \
        "hwcaps: unknown source 'magic' (expected glibc or cpuid; use --cpuid FILE for a dump)" explain --source magic
expect_message "path: unexpected argument" "hwcaps: path: unexpected argument 'extra'" path extra
expect_message "which: no NAME" "hwcaps: which: expected a program NAME" which
expect_message "which: two NAMEs" "hwcaps: which: expected one NAME, got 'b' too" which a b
expect_message "which: empty NAME" "hwcaps: which: NAME must not be empty" which ""
expect_message "which: unknown option" "hwcaps: which: unknown option '--frob'" which --frob true
expect_message "which: --root with --pid" "hwcaps: which: --root and --pid exclude each other: a process or unit is this system's" which --root / --pid 1
expect_message "which: --root with --unit" "hwcaps: which: --root and --unit exclude each other: a process or unit is this system's" which --root / --unit x.service
expect_message "exec: unknown option" \
        "hwcaps: exec: unknown option '-x' (use -- before a NAME starting with '-')" exec -x
expect_message "exec: no NAME" "hwcaps: exec: expected a program NAME" exec --
expect_message "status: unexpected argument" "hwcaps: status: unexpected argument 'extra'" status extra
expect_message "check: --json alone" "hwcaps: check: --json goes with --owners" check --json
expect_message "check: --owners and a PATH" \
        "hwcaps: check: --owners takes no PATH (it reads the package databases of --root)" check --owners /usr
expect_message "check: relative PATH in a root" \
        "hwcaps: check: with --root, PATH must be absolute (inside the root): 'usr'" check --root /nonexistent usr
expect_message "bench: bad rounds" "hwcaps: bench: invalid number of rounds '0' (expected 1 or more)" bench -n 0 -- true
expect_message "bench: no COMMAND" "hwcaps: bench: missing COMMAND (hwcaps bench -- COMMAND [ARGS...])" bench
expect_message "profile check: unexpected argument" \
        "hwcaps: profile check: unexpected argument 'extra'" profile check extra
expect_message "profile convert: bad tool" \
        "hwcaps: profile convert: unknown tool 'x' (expected llvm-profgen or create_llvm_prof)" profile convert --tool x
expect_message "profile merge: no -o" "hwcaps: profile merge: missing -o OUT" profile merge a.afdo
expect_message "profile show: bad count" "hwcaps: profile show: invalid count 'x'" profile show -n x a.afdo

# Every command says a missing option argument as such, and names itself.
expect_message "bench: unknown option" "hwcaps: bench: unknown option '--frob'" bench --frob
expect_message "bench: missing argument" "hwcaps: bench: option '-n' needs an argument" bench -n
expect_message "profile check: unknown option" "hwcaps: profile check: unknown option '--frob'" profile check --frob
expect_message "profile record: missing argument" "hwcaps: profile record: option '-c' needs an argument" profile record -c
expect_message "profile show: unknown option" "hwcaps: profile show: unknown option '--frob'" profile show --frob p
for cmd in path which check status; do
        expect_message "$cmd: missing argument" "hwcaps: $cmd: option '--root' needs an argument" $cmd --root
done

# A --root or --ldso that is not there is said as such, exit 1.
"$HWCAPS" check --root /nonexistent >/dev/null 2>"$err"
check "check --root missing: exit 1" 1 $?
check "check --root missing: blames the root" "hwcaps: check: --root /nonexistent: No such file or directory" "$(cat "$err")"
"$HWCAPS" check --root /etc/passwd >/dev/null 2>"$err"
check "check --root a file: exit 1" 1 $?
check "check --root a file: says so" "hwcaps: check: --root /etc/passwd: not a directory" "$(cat "$err")"
"$HWCAPS" explain --ldso /nonexistent >/dev/null 2>"$err"
check "explain --ldso missing: exit 1" 1 $?
contains "explain --ldso missing: says so" "hwcaps: explain: /nonexistent --help gave no glibc-hwcaps verdict" "$(cat "$err")"

for cmd in "" level levels explain path which exec status check bench profile "profile check" \
        "profile record" "profile convert" "profile merge" "profile show"; do
        out=$("$HWCAPS" $cmd --help)
        check "--help ${cmd:-(top)} exits 0" 0 $?
        contains "--help ${cmd:-(top)} prints usage" "Usage: hwcaps" "$out"
done
contains "--version" "hwcaps " "$("$HWCAPS" --version)"
finish
