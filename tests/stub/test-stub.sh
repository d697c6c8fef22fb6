#!/bin/bash
# SPDX-License-Identifier: MIT
# Integration tests of hwcaps-dispatch and hwcaps which/exec against fixture
# trees. Usage: test-stub.sh CASE STUB VARIANT HWCAPS LDSO
# Exit 0 pass, 1 fail, 77 skip (meson's convention).
set -u
CASE=$1
STUB=$(realpath "$2") VARIANT=$(realpath "$3") HWCAPS=$(realpath "$4") LDSO=$5

# Under /run (root's, mode 0755): the stub runs only what the trust rule
# allows, and every directory on the way to a variant must be root's and
# closed to others -- /tmp is sticky and writable by all.
if findmnt -T /run -no OPTIONS 2>/dev/null | grep -qw noexec; then
        echo "SKIP: /run is mounted noexec: no safe place for fixtures the stub may run"
        exit 77
fi
T=$(mktemp -d /run/hwcaps-stub-test.XXXXXX) || exit 1
trap 'rm -rf "$T"' EXIT
chmod 755 "$T"
# The stub itself in a safe place too, under its installed name: a
# candidate that leads back to it ("self") must be judged the stub, not
# refused because the build tree is under /tmp.
mkdir "$T/libexec"
cp "$STUB" "$T/libexec/hwcaps-dispatch"
STUB=$T/libexec/hwcaps-dispatch

fail() { echo "FAIL: $*" >&2; exit 1; }
expect() { # expect WHAT EXPECTED ACTUAL
        [ "$2" = "$3" ] || fail "$1: expected '$2', got '$3'"
}

# The dynamic linker is the oracle: highest "supported, searched" level.
ldso_level() {
        local l
        l=$("$LDSO" --help | awk '/^Subdirectories of glibc-hwcaps/ {f=1; next}
                f && /^$/ {exit} f && /supported/ {print $1; exit}')
        echo "${l:-x86-64-v1}"
}
TOP=$(ldso_level)
lv() { echo "${1#x86-64-v}"; }
min() { [ "$1" -lt "$2" ] && echo "$1" || echo "$2"; }

# fixture DIR: DIR/foo -> stub, DIR/glibc-hwcaps/x86-64-v{1..4}/foo variants
fixture() {
        local d=$1 l
        mkdir -p "$d"
        for l in 1 2 3 4; do
                mkdir -p "$d/glibc-hwcaps/x86-64-v$l"
                cp "$VARIANT" "$d/glibc-hwcaps/x86-64-v$l/foo"
        done
        ln -s "$STUB" "$d/foo"
}

case_symlink() {
        fixture "$T/bin"
        expect "via symlink" "$TOP" "$("$T/bin/foo")"
}

case_hardlink() {
        mkdir -p "$T/bin"
        cp "$STUB" "$T/stub"
        fixture "$T/bin"
        rm "$T/bin/foo"
        ln "$T/stub" "$T/bin/foo"
        expect "via hard link" "$TOP" "$("$T/bin/foo")"
        # and a plain copy
        rm "$T/bin/foo"
        cp "$STUB" "$T/bin/foo"
        expect "via copy" "$TOP" "$("$T/bin/foo")"
}

case_own_name() {
        local out
        out=$("$STUB" 2>&1); expect "run as hwcaps-dispatch: status" 127 "$?"
        case $out in *"see hwcaps-dispatch(8)"*) ;; *) fail "message: $out" ;; esac
}

case_bad_input() {
        local out deep
        fixture "$T/bin"
        # argc 0: AT_EXECFN still names the program
        expect "empty argv" "$TOP" "$("$ENVDUP" --no-argv "$T/bin/foo")"
        # a path so long that no candidate fits in PATH_MAX
        deep=$T/$(printf 'd%.0s' $(seq 200))
        for _ in $(seq 19); do deep=$deep/$(printf 'd%.0s' $(seq 200)); done
        # pad DIR/foo to 4080 bytes: it fits PATH_MAX, DIR/glibc-hwcaps/x86-64-vN/foo does not
        deep=$deep/$(printf 'e%.0s' $(seq $((4080 - ${#deep} - 5))))
        [ ${#deep} -eq 4076 ] || fail "fixture: ${#deep}"
        mkdir -p "$deep"
        ln -s "$STUB" "$deep/foo"
        out=$("$deep/foo" 2>&1); expect "path too long: status" 127 "$?"
        # (DIR/glibc-hwcaps does not exist, so "not found"; a longer one
        # would be "name too long": either way nothing runs)
        case $out in *"no variant could be run: x86-64-v4 ("*"x86-64-v1 ("*) ;; *) fail "path too long: $out" ;; esac
        # reached by a short relative path it is no shorter: the trust rule
        # walks the real path from /, so the stub says so
        (cd "$deep" && mkdir -p glibc-hwcaps/x86-64-v1 && cp "$VARIANT" glibc-hwcaps/x86-64-v1/foo) || fail "fixture"
        out=$(cd "$deep" && ./foo 2>&1); expect "deep, relative: status" 127 "$?"
        case $out in *"too long"*) ;; *) fail "deep, relative: $out" ;; esac
}

case_static() {
        # no dynamic loader, no libc: no PT_INTERP, no PT_DYNAMIC, one PT_LOAD
        local ph
        ph=$(readelf -lW "$STUB") || fail "readelf"
        case $ph in *INTERP*|*DYNAMIC*) fail "not a static non-PIE executable: $ph" ;; esac
        expect "ELF type" "EXEC (Executable file)" "$(readelf -hW "$STUB" | sed -n 's/^ *Type: *//p')"
        expect "PT_LOAD segments" 1 "$(printf '%s\n' "$ph" | grep -c ' LOAD ')"
}

case_no_proc() {
        # /proc is not needed for a direct start: hide it in a mount namespace
        [ "$(id -u)" = 0 ] && command -v unshare >/dev/null || exit 77
        unshare --mount sh -c 'mount -t tmpfs none /proc' 2>/dev/null || exit 77
        [ "$TOP" = x86-64-v1 ] && exit 77
        local want=$(( $(lv "$TOP") - 1 )); [ "$want" -lt 2 ] && want=1
        cp "$STUB" "$T/stub"
        fixture "$T/bin"
        rm "$T/bin/foo"; ln "$T/stub" "$T/bin/foo"
        # ProcSubset=pid, RootDirectory=, chroots: the policy file in /run
        # tells what the boot said; without it, and without /proc/cmdline,
        # the boot's options are unknown: the baseline (it ran the top
        # level under hwcaps=off before)
        mkdir -p "$T/root/run/hwcaps"
        printf 'hwcaps-policy=1\ncap=none\nkeep-path=no\nwhy=\n' > "$T/root/run/hwcaps/policy"
        unshare --mount sh -c 'mount -t tmpfs none /proc && HWCAPS_ROOT=$2 "$1"' sh "$T/bin/foo" "$T/root" \
                > "$T/out" 2>&1 || fail "without /proc: $(cat "$T/out")"
        expect "without /proc, with the policy file" "$TOP" "$(cat "$T/out")"
        printf 'hwcaps-policy=1\ncap=x86-64-v1\nkeep-path=no\nwhy=hwcaps=off (kernel command line)\n' \
                > "$T/root/run/hwcaps/policy"
        expect "without /proc, policy says hwcaps=off" x86-64-v1 \
                "$(unshare --mount sh -c 'mount -t tmpfs none /proc && HWCAPS_ROOT=$2 "$1"' sh "$T/bin/foo" "$T/root")"
        rm "$T/root/run/hwcaps/policy"
        expect "without /proc and without the policy file" x86-64-v1 \
                "$(unshare --mount sh -c 'mount -t tmpfs none /proc && HWCAPS_ROOT=$2 "$1"' sh "$T/bin/foo" "$T/root")"
        printf 'hwcaps-policy=1\ncap=none\nkeep-path=no\nwhy=\n' > "$T/root/run/hwcaps/policy"
        ln -f "$T/stub" "$T/bin/glibc-hwcaps/$TOP/foo"
        expect "without /proc, stub as candidate" "x86-64-v$want" \
                "$(unshare --mount sh -c 'mount -t tmpfs none /proc && HWCAPS_ROOT=$2 "$1"' sh "$T/bin/foo" "$T/root")"
}

case_relative() {
        fixture "$T/bin"
        expect "./foo" "$TOP" "$(cd "$T/bin" && ./foo)"
        expect "../bin/foo" "$TOP" "$(cd "$T/bin/glibc-hwcaps" && ../foo)"
        # exec -a must not matter: AT_EXECFN, not argv[0], names the program
        expect "exec -a" "$TOP" "$(cd "$T/bin" && exec -a /nonexistent/bar ./foo)"
        expect "exec -a -bash" "$TOP" "$(exec -a -bash "$T/bin/foo")"
}

case_missing_each_level() {
        local gone want l
        for gone in 4 3 2 1; do
                rm -rf "$T/bin"
                fixture "$T/bin"
                rm "$T/bin/glibc-hwcaps/x86-64-v$gone/foo"
                want=$(lv "$TOP")
                [ "$want" = "$gone" ] && want=$((want - 1))
                [ "$want" -lt 2 ] && want=1
                # v1 gone: the best supported level still runs
                [ "$gone" = 1 ] && want=$(lv "$TOP")
                [ "$gone" = 1 ] && [ "$want" = 1 ] && want=none
                if [ "$want" = none ]; then
                        "$T/bin/foo" 2>/dev/null && fail "v1 missing on a v1 CPU should fail"
                else
                        expect "x86-64-v$gone missing" "x86-64-v$want" "$("$T/bin/foo")"
                fi
        done
        # only the baseline left
        rm -rf "$T/bin"; fixture "$T/bin"
        rm "$T"/bin/glibc-hwcaps/x86-64-v[234]/foo
        expect "only baseline" x86-64-v1 "$("$T/bin/foo")"
}

case_all_missing() {
        local out rc
        fixture "$T/bin"
        rm "$T"/bin/glibc-hwcaps/x86-64-v*/foo
        out=$("$T/bin/foo" 2>&1 >/dev/null); rc=$?
        expect "exit status" 127 "$rc"
        expect "one line" 1 "$(printf '%s\n' "$out" | wc -l)"
        case $out in
        "hwcaps-dispatch: $T/bin/foo: no variant could be run:"*"$T/bin/glibc-hwcaps/x86-64-v1/foo (not found)"*) ;;
        *) fail "message: $out" ;;
        esac
        for l in $(seq "$(lv "$TOP")" -1 2); do
                case $out in *"x86-64-v$l/foo (not found)"*) ;; *) fail "x86-64-v$l not named: $out" ;; esac
        done
}

case_no_exec_bit() {
        [ "$TOP" = x86-64-v1 ] && exit 77
        fixture "$T/bin"
        chmod 644 "$T/bin/glibc-hwcaps/$TOP/foo"
        local want=$(( $(lv "$TOP") - 1 )); [ "$want" -lt 2 ] && want=1
        expect "no exec bit" "x86-64-v$want" "$("$T/bin/foo")"
        chmod 644 "$T"/bin/glibc-hwcaps/x86-64-v*/foo
        "$T/bin/foo" >/dev/null 2>&1
        expect "none executable" 127 "$?"
}

case_not_elf() {
        [ "$TOP" = x86-64-v1 ] && exit 77
        fixture "$T/bin"
        printf 'this is not a program\n' > "$T/bin/glibc-hwcaps/$TOP/foo"
        local want=$(( $(lv "$TOP") - 1 )); [ "$want" -lt 2 ] && want=1
        expect "not ELF" "x86-64-v$want" "$("$T/bin/foo")"
        # a truncated ELF header is no better
        head -c 30 "$VARIANT" > "$T/bin/glibc-hwcaps/$TOP/foo"
        expect "truncated ELF" "x86-64-v$want" "$("$T/bin/foo")"
        : > "$T/bin/glibc-hwcaps/$TOP/foo"
        expect "empty file" "x86-64-v$want" "$("$T/bin/foo")"
        # a directory where the variant should be
        rm "$T/bin/glibc-hwcaps/$TOP/foo"; mkdir "$T/bin/glibc-hwcaps/$TOP/foo"
        expect "a directory" "x86-64-v$want" "$("$T/bin/foo")"
        # a script whose interpreter is missing (ENOENT from execve)
        rmdir "$T/bin/glibc-hwcaps/$TOP/foo"
        printf '#!/nonexistent/interpreter\n' > "$T/bin/glibc-hwcaps/$TOP/foo"
        chmod 755 "$T/bin/glibc-hwcaps/$TOP/foo"
        expect "missing #! interpreter" "x86-64-v$want" "$("$T/bin/foo")"
}

case_self() {
        [ "$TOP" = x86-64-v1 ] && exit 77
        local want=$(( $(lv "$TOP") - 1 )); [ "$want" -lt 2 ] && want=1
        cp "$STUB" "$T/stub"
        fixture "$T/bin"
        rm "$T/bin/foo"; ln "$T/stub" "$T/bin/foo"
        # the best candidate is the stub itself (hard link): skipped
        ln -f "$T/stub" "$T/bin/glibc-hwcaps/$TOP/foo"
        expect "hard-linked stub as candidate" "x86-64-v$want" "$("$T/bin/foo")"
        # a level directory that is a symlink back to the stub's directory
        rm -rf "$T/bin/glibc-hwcaps/$TOP"
        ln -s .. "$T/bin/glibc-hwcaps/$TOP"
        [ "$(stat -L -c %i "$T/bin/glibc-hwcaps/$TOP/foo")" = "$(stat -c %i "$T/stub")" ] || fail "fixture"
        expect "level dir -> .." "x86-64-v$want" "$("$T/bin/foo")"
        # every candidate is the stub: fails, does not loop
        for l in 1 2 3 4; do rm -rf "$T/bin/glibc-hwcaps/x86-64-v$l"; ln -s .. "$T/bin/glibc-hwcaps/x86-64-v$l"; done
        local out; out=$(timeout 10 "$T/bin/foo" 2>&1); 
        expect "all candidates are the stub" 127 "$?"
        case $out in *"(is the dispatch stub itself)"*) ;; *) fail "message: $out" ;; esac
}

case_script() {
        fixture "$T/bin"
        printf '#!%s\n' "$T/bin/foo" > "$T/script"
        chmod +x "$T/script"
        expect "as #! interpreter" "$TOP" "$(cd "$T" && ./script)"
        VARIANT_ARGV=$T/argv "$T/script" a 'b c' >/dev/null
        printf '%s\0' "$T/bin/foo" "$T/script" a 'b c' > "$T/want"
        cmp -s "$T/want" "$T/argv" || fail "script argv: $(tr '\0' '|' < "$T/argv")"
        printf '#!%s -x\n' "$T/bin/foo" > "$T/script2"
        chmod +x "$T/script2"
        expect "as #! interpreter with an argument" "$TOP" "$("$T/script2")"
}

# variants DIR NAME: DIR/glibc-hwcaps/x86-64-v{1..4}/NAME, no link to the stub
variants() {
        local l
        for l in 1 2 3 4; do
                mkdir -p "$1/glibc-hwcaps/x86-64-v$l"
                cp "$VARIANT" "$1/glibc-hwcaps/x86-64-v$l/$2"
        done
}

case_alias() {
        # python3 -> python3.11 -> stub: the program is the last link before
        # the stub (every alias exited 127: no python3 variants exist)
        mkdir -p "$T/bin" "$T/etc/alternatives"
        variants "$T/bin" python3.11
        ln -s "$STUB" "$T/bin/python3.11"
        ln -s python3.11 "$T/bin/python3"
        expect "alias" "$TOP" "$("$T/bin/python3")"
        expect "alias, relative" "$TOP" "$(cd "$T/bin" && ./python3)"
        printf '#!%s\n' "$T/bin/python3" > "$T/script"; chmod +x "$T/script"
        expect "alias as #! interpreter" "$TOP" "$("$T/script")"
        expect "which, alias" "$T/bin/glibc-hwcaps/$TOP/python3.11" "$("$HWCAPS" which -q "$T/bin/python3")"
        expect "which, alias by name" "$T/bin/glibc-hwcaps/$TOP/python3.11" "$(PATH=$T/bin "$HWCAPS" which -q python3)"
        expect "exec, alias" "$TOP" "$("$HWCAPS" exec "$T/bin/python3")"
        # update-alternatives: editor -> /etc/alternatives/editor -> vim.basic -> stub
        variants "$T/bin" vim.basic
        ln -s "$STUB" "$T/bin/vim.basic"
        ln -s "$T/bin/vim.basic" "$T/etc/alternatives/editor"
        ln -s ../etc/alternatives/editor "$T/bin/editor"
        expect "alternatives chain" "$TOP" "$("$T/bin/editor")"
        expect "which, alternatives chain" "$T/bin/glibc-hwcaps/$TOP/vim.basic" "$("$HWCAPS" which -q "$T/bin/editor")"
        # an alias through a link that is named hwcaps-dispatch itself
        ln -s ../libexec/hwcaps-dispatch "$T/bin/hwcaps-dispatch"
        variants "$T/bin" p4; ln -s hwcaps-dispatch "$T/bin/p4"
        expect "alias through a link named hwcaps-dispatch" "$TOP" "$("$T/bin/p4")"
        expect "which, the same" "$T/bin/glibc-hwcaps/$TOP/p4" "$("$HWCAPS" which -q "$T/bin/p4")"
        # a link to a hard-linked copy of the stub: the link names it
        cp "$STUB" "$T/bin/tool"; variants "$T/bin" tool
        ln -s tool "$T/bin/tool-alias"
        expect "link to a copy" "$TOP" "$("$T/bin/tool-alias")"
}

case_loop() {
        # a variant that runs its own dispatched path (a #! naming it, a
        # wrapper exec'ing it) looped forever in one process
        fixture "$T/bin"
        local l out
        for l in 1 2 3 4; do printf '#!%s\n' "$T/bin/foo" > "$T/bin/glibc-hwcaps/x86-64-v$l/foo"; done
        out=$(timeout 10 "$T/bin/foo" 2>&1); expect "#! loop: status" 126 "$?"
        case $out in *"dispatched again and again in one process"*) ;; *) fail "#! loop: $out" ;; esac
        for l in 1 2 3 4; do printf '#!/bin/sh\nexec %s "$@"\n' "$T/bin/foo" > "$T/bin/glibc-hwcaps/x86-64-v$l/foo"; done
        out=$(timeout 10 "$T/bin/foo" 2>&1); expect "wrapper loop: status" 126 "$?"
        case $out in *"dispatched again and again"*) ;; *) fail "wrapper loop: $out" ;; esac
        # a legitimate chain in one process is fine, and a child starts afresh
        rm -rf "$T/bin"; fixture "$T/bin"
        mkdir -p "$T/w"; variants "$T/w" wrap; ln -s "$STUB" "$T/w/wrap"
        for l in 1 2 3 4; do printf '#!/bin/sh\nexec %s\n' "$T/bin/foo" > "$T/w/glibc-hwcaps/x86-64-v$l/wrap"; done
        expect "a wrapper exec'ing another dispatched program" "$TOP" "$("$T/w/wrap")"
        expect "an inherited depth of another process" "$TOP" "$(HWCAPS_DISPATCH_DEPTH=1:99 "$T/bin/foo")"
        expect "this process's depth at the bound" "$TOP" \
                "$(sh -c 'HWCAPS_DISPATCH_DEPTH=$$:39 exec "$1"' sh "$T/bin/foo")"
        out=$(sh -c 'HWCAPS_DISPATCH_DEPTH=$$:40 exec "$1"' sh "$T/bin/foo" 2>&1); expect "past the bound" 126 "$?"
        # garbage is no depth; two entries are both replaced (a shell reads
        # the last, the stub the first)
        for v in "" ":" "x" "-1:5" "$(printf '9%.0s' $(seq 100))" "1:2:3"; do
                expect "HWCAPS_DISPATCH_DEPTH='$v'" "$TOP" "$(HWCAPS_DISPATCH_DEPTH=$v "$T/bin/foo")"
        done
        VARIANT_ENV=$T/env "$ENVDUP" HWCAPS_DISPATCH_DEPTH=1:1 HWCAPS_DISPATCH_DEPTH=2:2 -- "$T/bin/foo" >/dev/null
        expect "both depth entries replaced" 2 "$(tr '\0' '\n' < "$T/env" | grep -c "^HWCAPS_DISPATCH_DEPTH=[0-9]*:1$")"
        # a chain of different dispatched programs in one process (env,
        # nice, chrt ...) is no loop: nine of them ran into the bound of 8
        local i args=()
        for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
                mkdir -p "$T/c/glibc-hwcaps/x86-64-v1"; cp /usr/bin/env "$T/c/glibc-hwcaps/x86-64-v1/e$i"
                ln -s "$STUB" "$T/c/e$i"; args+=("$T/c/e$i")
        done
        expect "a chain of 12 programs" "$TOP" "$("${args[@]}" "$T/bin/foo")"
}

case_which_agrees() {
        # variants the stub tries and cannot run: which says what the stub
        # then does (it said the top one runs)
        [ "$TOP" = x86-64-v1 ] && exit 77
        local below=x86-64-v$(($(lv "$TOP") - 1)) out
        fixture "$T/bin"
        printf '#!/nonexistent/interp\n' > "$T/bin/glibc-hwcaps/$TOP/foo"
        expect "#! interpreter missing: the stub" "$below" "$("$T/bin/foo")"
        expect "#! interpreter missing: which" "$T/bin/glibc-hwcaps/$below/foo" "$("$HWCAPS" which -q "$T/bin/foo")"
        # an ELF file for another machine (e_machine patched to aarch64)
        cp "$VARIANT" "$T/bin/glibc-hwcaps/$TOP/foo"
        printf '\267\000' | dd of="$T/bin/glibc-hwcaps/$TOP/foo" bs=1 seek=18 conv=notrunc 2>/dev/null
        expect "foreign ELF: the stub" "$below" "$("$T/bin/foo")"
        expect "foreign ELF: which" "$T/bin/glibc-hwcaps/$below/foo" "$("$HWCAPS" which -q "$T/bin/foo")"
        # a copy of the stub as a variant: the stub runs it and it stops;
        # which says nothing runs
        cp "$STUB" "$T/bin/glibc-hwcaps/$TOP/foo"
        out=$("$T/bin/foo" 2>&1); expect "stub copy as a variant: status" 127 "$?"
        case $out in *"is the dispatch stub itself, not a variant"*) ;; *) fail "stub copy as a variant: $out" ;; esac
        out=$("$HWCAPS" which "$T/bin/foo"); expect "stub copy as a variant: which" 1 "$?"
        case $out in *"the stub runs it, and it stops"*"not reached"*) ;; *) fail "which, stub copy: $out" ;; esac
}

case_fexecve() {
        # fexecve()/execveat(AT_EMPTY_PATH): the kernel names only /dev/fd/N;
        # the stub says so (it exited 127 with "not found" before)
        fixture "$T/bin"
        local out
        out=$(python3 -c 'import os, sys; fd = os.open(sys.argv[1], os.O_RDONLY); os.execve(fd, ["foo"], dict(os.environ))' \
                "$T/bin/foo" 2>&1); expect "fexecve: status" 127 "$?"
        case $out in *"started through a file descriptor"*) ;; *) fail "fexecve: $out" ;; esac
}

case_setuid() {
        # A setuid copy of the stub believes only the kernel: a user's link
        # to it next to their own glibc-hwcaps/ ran their program as root
        [ "$(id -u)" = 0 ] || exit 77
        findmnt -T "$T" -no OPTIONS | grep -q nosuid && { echo "SKIP: $T is on a nosuid mount"; exit 77; }
        local u out
        mkdir -p "$T/bin"
        variants "$T/bin" prog
        cp "$STUB" "$T/bin/prog"; chmod 4755 "$T/bin/prog"
        u=$(mktemp -d /tmp/hwcaps-user.XXXXXX); chown 65534:65534 "$u"
        setpriv --reuid=65534 --regid=65534 --clear-groups sh -c '
                mkdir -p "$1/glibc-hwcaps/x86-64-v1" "$1/glibc-hwcaps/x86-64-v2" "$1/glibc-hwcaps/x86-64-v3" "$1/glibc-hwcaps/x86-64-v4"
                for l in 1 2 3 4; do printf "#!/bin/sh
echo PWNED
" > "$1/glibc-hwcaps/x86-64-v$l/prog"; chmod 755 "$1/glibc-hwcaps/x86-64-v$l/prog"; done
                ln -s "$2" "$1/prog"' sh "$u" "$T/bin/prog"
        out=$(VARIANT_SECURE=1 setpriv --reuid=65534 --regid=65534 --clear-groups "$u/prog" 2>&1)
        rm -rf "$u"
        case $out in *PWNED*) fail "the setuid stub ran the user's variant: $out" ;; esac
        case $out in "$TOP"*"secure=1"*) ;; *) fail "setuid stub: $out" ;; esac
        # the caller's environment is not believed either, and hwcaps which,
        # asked by that user, says what the setuid stub does
        out=$(HWCAPS_ROOT=/nonexistent HWCAPS_MAX_LEVEL=v1 setpriv --reuid=65534 --regid=65534 --clear-groups "$T/bin/prog")
        expect "setuid: environment ignored" "$TOP" "$out"
        chmod -R a+rX "$T"
        out=$(HWCAPS=off setpriv --reuid=65534 --regid=65534 --clear-groups "$HWCAPS" which -q "$T/bin/prog")
        expect "setuid: which, as that user, ignores HWCAPS=off too" "$T/bin/glibc-hwcaps/$TOP/prog" "$out"
        # a setuid stub whose variant names it stops too (it looped forever:
        # the depth was read only without AT_SECURE)
        for l in 1 2 3 4; do printf '#!%s\n' "$T/bin/prog" > "$T/bin/glibc-hwcaps/x86-64-v$l/prog"; done
        out=$(timeout 20 setpriv --reuid=65534 --regid=65534 --clear-groups "$T/bin/prog" 2>&1)
        expect "setuid loop: status" 126 "$?"
        case $out in *"dispatched again and again"*) ;; *) fail "setuid loop: $out" ;; esac
        # AT_SECURE from a caller whose real and effective IDs differ, with
        # a stub that grants nothing: the caller's path is its own choice
        # (every such program exited 127 "install me as a program's name")
        mkdir -p "$T/b2"; variants "$T/b2" tool; ln -s "$STUB" "$T/b2/tool"
        out=$(python3 -c 'import os, sys; os.setresuid(65534, 0, 0); os.environ["VARIANT_SECURE"] = "1"; os.execv(sys.argv[1], [sys.argv[1]])' \
                "$T/b2/tool" 2>&1)
        case $out in "$TOP"*"secure=1"*) ;; *) fail "AT_SECURE caller, plain stub: $out" ;; esac
}

case_trust() {
        # The stub executed variants from level directories the generator
        # refused: root ran a file another user wrote. Each unsafe thing is
        # skipped like a missing one, by the stub and by "hwcaps which".
        [ "$(id -u)" = 0 ] || exit 77
        [ "$TOP" = x86-64-v1 ] && exit 77
        local top=$(lv "$TOP") below out
        below=x86-64-v$((top - 1))
        try() { # try WHAT: the stub and which both skip $TOP for the level below
                expect "$1: the stub" "$below" "$("$T/bin/foo" 2>&1)"
                expect "$1: which" "$T/bin/glibc-hwcaps/$below/foo" "$("$HWCAPS" which -q "$T/bin/foo")"
        }
        fixture "$T/bin"
        chmod 777 "$T/bin/glibc-hwcaps/$TOP"; try "world-writable level dir"
        chmod 775 "$T/bin/glibc-hwcaps/$TOP"; try "group-writable level dir"
        chmod 1755 "$T/bin/glibc-hwcaps/$TOP"; try "sticky level dir"
        chmod 755 "$T/bin/glibc-hwcaps/$TOP"
        chown 65534 "$T/bin/glibc-hwcaps/$TOP"; try "level dir not root's"
        chown 0 "$T/bin/glibc-hwcaps/$TOP"
        chown 65534 "$T/bin/glibc-hwcaps/$TOP/foo"; try "variant not root's"
        chown 0 "$T/bin/glibc-hwcaps/$TOP/foo"
        chmod 777 "$T/bin/glibc-hwcaps/$TOP/foo"; try "variant writable by others"
        chmod 755 "$T/bin/glibc-hwcaps/$TOP/foo"
        # a root-owned level directory through a symlink whose target has a
        # user-owned ancestor (the user swaps "pub")
        mkdir -p "$T/home/u/pub"; mv "$T/bin/glibc-hwcaps/$TOP" "$T/home/u/pub/$TOP"
        chown 65534 "$T/home/u"
        ln -s "../../home/u/pub/$TOP" "$T/bin/glibc-hwcaps/$TOP"; try "symlink into a user's tree"
        out=$("$HWCAPS" which "$T/bin/foo")
        case $out in *"$TOP/foo: unsafe: $T/home/u is not owned by root"*) ;; *) fail "which names the user's directory: $out" ;; esac
        chown 0 "$T/home/u"
        # (the variant names the directory it really is in: pub, not a level)
        expect "the same link, all root's: the stub" plain "$("$T/bin/foo")"
        expect "the same link, all root's: which" "$T/bin/glibc-hwcaps/$TOP/foo" "$("$HWCAPS" which -q "$T/bin/foo")"
        # every candidate unsafe: the stub says which and why
        chmod 777 "$T/bin/glibc-hwcaps"
        out=$("$T/bin/foo" 2>&1); expect "all unsafe: status" 127 "$?"
        case $out in *"x86-64-v1/foo (unsafe: $T/bin/glibc-hwcaps is writable by group or others)"*) ;;
        *) fail "all unsafe: $out" ;; esac
        chmod 755 "$T/bin/glibc-hwcaps"
        # the directory of the program itself
        chmod 777 "$T/bin"
        out=$("$T/bin/foo" 2>&1); expect "program dir writable: status" 127 "$?"
        chmod 755 "$T/bin"
}

case_max_level() {
        fixture "$T/bin"
        for l in 1 2 3 4; do
                expect "HWCAPS_MAX_LEVEL=x86-64-v$l" "x86-64-v$(min "$l" "$(lv "$TOP")")" \
                        "$(HWCAPS_MAX_LEVEL=x86-64-v$l "$T/bin/foo")"
        done
        # short names and any case are levels too
        for v in x86-64-V2 v2 V2; do
                expect "HWCAPS_MAX_LEVEL='$v'" "x86-64-v$(min 2 "$(lv "$TOP")")" "$(HWCAPS_MAX_LEVEL=$v "$T/bin/foo")"
        done
        # a value that cannot be parsed counts as off; an empty one is unset
        for v in x86-64-v5 x86-64-v0 x86-64-v 2 " x86-64-v2" "x86-64-v2 "; do
                expect "HWCAPS_MAX_LEVEL='$v'" x86-64-v1 "$(HWCAPS_MAX_LEVEL=$v "$T/bin/foo")"
        done
        expect "HWCAPS_MAX_LEVEL=''" "$TOP" "$(HWCAPS_MAX_LEVEL= "$T/bin/foo")"
        expect "HWCAPS=off" x86-64-v1 "$(HWCAPS=off "$T/bin/foo")"
        expect "HWCAPS=Off" x86-64-v1 "$(HWCAPS=Off "$T/bin/foo")"
        expect "HWCAPS=0" x86-64-v1 "$(HWCAPS=0 "$T/bin/foo")"
        expect "HWCAPS=on" "$TOP" "$(HWCAPS=on "$T/bin/foo")"
        expect "HWCAPS=bogus" x86-64-v1 "$(HWCAPS=bogus "$T/bin/foo")"
}

case_cmdline() {
        fixture "$T/bin"
        mkdir -p "$T/root/proc"
        check() { # check CMDLINE WANT
                printf '%s\n' "$1" > "$T/root/proc/cmdline"
                expect "cmdline '$1'" "$2" "$(HWCAPS_ROOT=$T/root "$T/bin/foo")"
        }
        check "quiet hwcaps=off splash" x86-64-v1
        check "hwcaps=0" x86-64-v1
        check "hwcaps=no" x86-64-v1
        check "hwcaps=false" x86-64-v1
        check "hwcaps=off hwcaps=on" "$TOP"
        check "systemd.setenv=HWCAPS=off" x86-64-v1
        check "hwcaps.max=x86-64-v2" "x86-64-v$(min 2 "$(lv "$TOP")")"
        check "hwcaps.max=x86-64-v3" "x86-64-v$(min 3 "$(lv "$TOP")")"
        check "hwcaps.max=x86-64-v1" x86-64-v1
        check "hwcaps_max=x86-64-v1" "$TOP"
        check "'hwcaps=off'" x86-64-v1
        check "hwcaps=OFF" x86-64-v1
        check "hwcaps.max=v2" "x86-64-v$(min 2 "$(lv "$TOP")")"
        check "systemd.setenv=HWCAPS_MAX_LEVEL=x86-64-v2" "x86-64-v$(min 2 "$(lv "$TOP")")"
        check "hwcaps=maybe" x86-64-v1
        check "hwcaps.max=x86-64-v9" x86-64-v1
        check "quiet$(printf '\v')hwcaps=off" "$TOP" # one word for systemd, so for hwcaps
        check "" "$TOP"
        # the lower of the kernel command line and the environment wins
        printf 'hwcaps.max=x86-64-v3\n' > "$T/root/proc/cmdline"
        expect "cmdline v3 + env v4" "x86-64-v$(min 3 "$(lv "$TOP")")" \
                "$(HWCAPS_ROOT=$T/root HWCAPS_MAX_LEVEL=x86-64-v4 "$T/bin/foo")"
        expect "cmdline v3 + env v2" "x86-64-v$(min 2 "$(lv "$TOP")")" \
                "$(HWCAPS_ROOT=$T/root HWCAPS_MAX_LEVEL=x86-64-v2 "$T/bin/foo")"
        # binary junk and a huge command line are harmless
        head -c 10000 /dev/urandom > "$T/root/proc/cmdline"
        "$T/bin/foo" >/dev/null || fail "junk cmdline"
        # an opt-out at the end of a long command line is seen (the stub
        # read only 4 KiB before), and one longer than 64 KiB, whose end the
        # stub does not read, runs the baseline as an unreadable one does
        { head -c 5000 /dev/zero | tr '\0' x; printf ' hwcaps=off\n'; } > "$T/root/proc/cmdline"
        expect "hwcaps=off after 5000 bytes" x86-64-v1 "$(HWCAPS_ROOT=$T/root "$T/bin/foo")"
        { head -c 65000 /dev/zero | tr '\0' x; printf ' hwcaps.max=x86-64-v2\n'; } > "$T/root/proc/cmdline"
        expect "hwcaps.max after 65000 bytes" "x86-64-v$(min 2 "$(lv "$TOP")")" "$(HWCAPS_ROOT=$T/root "$T/bin/foo")"
        { head -c 65536 /dev/zero | tr '\0' x; } > "$T/root/proc/cmdline"
        expect "a cmdline of exactly 64 KiB is read" "$TOP" "$(HWCAPS_ROOT=$T/root "$T/bin/foo")"
        { head -c 65537 /dev/zero | tr '\0' x; } > "$T/root/proc/cmdline"
        expect "a cmdline over 64 KiB: baseline" x86-64-v1 "$(HWCAPS_ROOT=$T/root "$T/bin/foo")"
        w=$(HWCAPS_ROOT=$T/root "$HWCAPS" which "$T/bin/foo" 2>&1 || true)
        case $w in *"longer than 64 KiB"*"the stub runs the baseline"*) ;;
        *) fail "hwcaps which does not say the stub runs the baseline for a cmdline over 64 KiB: $w" ;; esac
        # no proc/cmdline at all (a chroot without /proc) and no policy
        # file: the boot's options are unknown, so the baseline
        rm "$T/root/proc/cmdline"
        expect "no cmdline, no policy" x86-64-v1 "$(HWCAPS_ROOT=$T/root "$T/bin/foo")"
        # the policy file the system generator writes stands for both
        mkdir -p "$T/root/run/hwcaps"
        printf 'hwcaps-policy=1\ncap=none\nkeep-path=no\nwhy=\n' > "$T/root/run/hwcaps/policy"
        expect "policy: no cap" "$TOP" "$(HWCAPS_ROOT=$T/root "$T/bin/foo")"
        printf 'hwcaps-policy=1\ncap=x86-64-v2\nkeep-path=no\nwhy=max-level=v2 (/etc/hwcaps.conf:1)\n' \
                > "$T/root/run/hwcaps/policy"
        expect "policy: v2" "x86-64-v$(min 2 "$(lv "$TOP")")" "$(HWCAPS_ROOT=$T/root "$T/bin/foo")"
        expect "policy: v2, env lower" x86-64-v1 "$(HWCAPS_ROOT=$T/root HWCAPS=off "$T/bin/foo")"
        expect "policy: v2, env higher" "x86-64-v$(min 2 "$(lv "$TOP")")" \
                "$(HWCAPS_ROOT=$T/root HWCAPS_MAX_LEVEL=v4 "$T/bin/foo")"
        # the policy file wins over the command line it was compiled from
        printf 'quiet\n' > "$T/root/proc/cmdline"
        expect "policy over cmdline" "x86-64-v$(min 2 "$(lv "$TOP")")" "$(HWCAPS_ROOT=$T/root "$T/bin/foo")"
        # one nobody can trust, or garbage: the baseline
        chmod 666 "$T/root/run/hwcaps/policy"
        expect "policy writable by others" x86-64-v1 "$(HWCAPS_ROOT=$T/root "$T/bin/foo")"
        chmod 644 "$T/root/run/hwcaps/policy"
        chown nobody "$T/root/run/hwcaps/policy"
        expect "policy not root's" x86-64-v1 "$(HWCAPS_ROOT=$T/root "$T/bin/foo")"
        chown root "$T/root/run/hwcaps/policy"
        chmod 1777 "$T/root/run/hwcaps"
        expect "policy in a sticky dir" x86-64-v1 "$(HWCAPS_ROOT=$T/root "$T/bin/foo")"
        chmod 755 "$T/root/run/hwcaps"
        printf 'hwcaps-policy=1\ncap=fast\n' > "$T/root/run/hwcaps/policy"
        expect "policy garbage" x86-64-v1 "$(HWCAPS_ROOT=$T/root "$T/bin/foo")"
        head -c 5000 /dev/zero > "$T/root/run/hwcaps/policy"
        expect "policy too long" x86-64-v1 "$(HWCAPS_ROOT=$T/root "$T/bin/foo")"
}

case_argv() {
        fixture "$T/bin"
        local args=("" "a b" "  " $'new\nline' "*" '$HOME' "-" "--" "ü" "")
        VARIANT_ARGV=$T/argv "$T/bin/foo" "${args[@]}" >/dev/null || fail "run"
        printf '%s\0' "$T/bin/foo" "${args[@]}" > "$T/want"
        cmp -s "$T/want" "$T/argv" || fail "argv with spaces and empty strings: $(tr '\0' '|' < "$T/argv")"
        # argv[0] passes through unchanged, whatever it is
        (exec -a "my name" env VARIANT_ARGV="$T/argv0" "$T/bin/foo" x) >/dev/null
        (cd "$T" && VARIANT_ARGV=$T/argv0 bash -c 'exec -a "my name" ./bin/foo x') >/dev/null
        printf '%s\0' "my name" x > "$T/want"
        cmp -s "$T/want" "$T/argv0" || fail "argv[0]: $(tr '\0' '|' < "$T/argv0")"
        # 10,000 arguments
        mapfile -t many < <(seq -f 'arg %g' 1 10000)
        VARIANT_ARGV=$T/argv "$T/bin/foo" "${many[@]}" >/dev/null || fail "10000 args"
        printf '%s\0' "$T/bin/foo" "${many[@]}" > "$T/want"
        cmp -s "$T/want" "$T/argv" || fail "10000 args differ"
        # the environment and file descriptors too
        # (plus the stub's own HWCAPS_DISPATCH_DEPTH=PID:1, appended: it
        # bounds a variant that runs its own dispatched path)
        env -i VARIANT_ENV="$T/env" "A=b c" "EMPTY=" "X=$(printf 'multi\nline')" "$T/bin/foo" >/dev/null
        printf '%s\0' "VARIANT_ENV=$T/env" "A=b c" "EMPTY=" "X=$(printf 'multi\nline')" > "$T/want"
        head -c "$(stat -c %s "$T/want")" "$T/env" | cmp -s "$T/want" - || fail "environment: $(tr '\0' '|' < "$T/env")"
        tail -c +"$(($(stat -c %s "$T/want") + 1))" "$T/env" | tr '\0' '\n' | grep -qx 'HWCAPS_DISPATCH_DEPTH=[0-9]*:1' \
                || fail "environment, depth: $(tr '\0' '|' < "$T/env")"
        expect "fd 7" "$TOP
fd 7 open" "$(VARIANT_FD=7 "$T/bin/foo" 7</dev/null)"
}

case_status() {
        fixture "$T/bin"
        VARIANT_EXIT=42 "$T/bin/foo" >/dev/null
        expect "exit status" 42 "$?"
        VARIANT_SIGNAL=15 "$T/bin/foo" >/dev/null
        expect "SIGTERM" 143 "$?"
        VARIANT_SIGNAL=6 "$T/bin/foo" >/dev/null 2>&1
        expect "SIGABRT" 134 "$?"
}

case_tunables() {
        fixture "$T/bin"
        local t want got
        local -a cases=()
        for f in CMOV CX8 FPU FXSR MMX SSE SSE2 CMPXCHG16B LAHF64_SAHF64 POPCNT SSE3 SSSE3 \
                 SSE4_1 SSE4_2 AVX AVX2 BMI1 BMI2 F16C FMA LZCNT MOVBE AVX512F AVX512BW \
                 AVX512CD AVX512DQ AVX512VL OSXSAVE XSAVE XSAVEC ERMS avx2; do
                cases+=("glibc.cpu.hwcaps=-$f")
        done
        cases+=("glibc.cpu.hwcaps=-AVX2:glibc.cpu.hwcaps=-AVX512F"
                "glibc.cpu.hwcaps=-AVX512F:glibc.cpu.hwcaps=-AVX2"
                "glibc.cpu.hwcaps=-AVX2:glibc.cpu.hwcaps="
                "" "glibc.cpu.hwcaps" "foo:glibc.cpu.hwcaps=-AVX2" "foo=bar:glibc.cpu.hwcaps=-SSE4_2"
                "glibc.cpu.hwcaps=-AVX512F,,-AVX2" "glibc.cpu.hwcaps=-AVX2 " "glibc.cpu.hwcaps= -AVX2"
                "glibc.cpu.hwcaps=AVX2,-AVX512F" "glibc.cpu.hwcaps=+AVX2" "glibc.cpu.hwcaps=--AVX2"
                "glibc.cpu.hwcaps=-AVX2=1" "glibc.cpu.hwcapsx=-AVX2" "xglibc.cpu.hwcaps=-AVX2"
                "glibc.cpu.hwcaps==-AVX2" "glibc.cpu.hwcaps=-AVX2:" ":glibc.cpu.hwcaps=-AVX2"
                "glibc.cpu.hwcaps=-AVX512F:junk" "glibc.cpu.hwcaps=-AVX512F:glibc.cpu.hwcaps"
                "glibc.malloc.check=1:glibc.cpu.hwcaps=-POPCNT,-AVX512VL"
                "glibc.cpu.hwcaps=-AVX512F-AVX2" "glibc.cpu.hwcaps=-AVX512F," "glibc.cpu.hwcaps=,,,")
        for t in "${cases[@]}"; do
                want=$(GLIBC_TUNABLES=$t ldso_level)
                got=$(GLIBC_TUNABLES=$t "$T/bin/foo")
                expect "GLIBC_TUNABLES='$t' (ld.so says $want)" "$want" "$got"
        done
        # two GLIBC_TUNABLES entries: glibc reads both, in order
        for pair in "-AVX2 -AVX512F" "-AVX512F -AVX2"; do
                set -- $pair
                want=$(env GLIBC_TUNABLES=glibc.cpu.hwcaps=$1 "$ENVDUP" GLIBC_TUNABLES=glibc.cpu.hwcaps=$2 -- "$LDSO" --help \
                        | awk '/^Subdirectories of glibc-hwcaps/ {f=1; next} f && /^$/ {exit} f && /supported/ {print $1; exit}')
                got=$("$ENVDUP" GLIBC_TUNABLES=glibc.cpu.hwcaps=$1 GLIBC_TUNABLES=glibc.cpu.hwcaps=$2 -- "$T/bin/foo")
                expect "two GLIBC_TUNABLES $pair" "${want:-x86-64-v1}" "$got"
        done
}

case_secure() {
        [ "$(id -u)" = 0 ] || exit 77
        local nobody=65534 out top
        # under AT_SECURE GLIBC_TUNABLES does not count, also not for the oracle
        top=$(GLIBC_TUNABLES= ldso_level)
        fixture "$T/bin"
        rm "$T/bin/foo"
        cp "$STUB" "$T/bin/foo"
        chown 0:0 "$T/bin/foo"
        chmod 4755 "$T/bin/foo"
        chmod -R a+rX "$T"
        mkdir -p "$T/root/proc"; echo hwcaps=off > "$T/root/proc/cmdline"
        run() { setpriv --reuid=$nobody --regid=$nobody --clear-groups env "$@" VARIANT_SECURE=1 "$T/bin/foo"; }
        out=$(run)
        # If this is not secure=1 the file system is mounted nosuid: skip.
        case $out in *secure=1) ;; *) echo "setuid does not work under $T: $out" >&2; exit 77 ;; esac
        expect "AT_SECURE" "$top
secure=1" "$out"
        expect "AT_SECURE ignores HWCAPS_MAX_LEVEL" "$top
secure=1" "$(run HWCAPS_MAX_LEVEL=x86-64-v1)"
        expect "AT_SECURE ignores HWCAPS" "$top
secure=1" "$(run HWCAPS=off)"
        expect "AT_SECURE ignores HWCAPS_ROOT" "$top
secure=1" "$(run HWCAPS_ROOT=$T/root)"
        expect "AT_SECURE ignores GLIBC_TUNABLES (SXID_ERASE)" "$top
secure=1" "$(run GLIBC_TUNABLES=glibc.cpu.hwcaps=-AVX2,-SSE4_2,-AVX512F)"
        # the premise, asked of glibc itself: a setuid program's glibc ignores
        # glibc.cpu.hwcaps (SXID_ERASE), a normal one's does not
        cp "$VARIANT" "$T/v"; chown 0:0 "$T/v"; chmod 4755 "$T/v"
        if [ "$(VARIANT_AVX2=1 "$VARIANT")" = "plain
avx2=1" ]; then
                expect "glibc under AT_SECURE ignores -AVX2" "plain
avx2=1" "$(setpriv --reuid=$nobody --regid=$nobody --clear-groups env GLIBC_TUNABLES=glibc.cpu.hwcaps=-AVX2 VARIANT_AVX2=1 "$T/v")"
                expect "glibc honours -AVX2 otherwise" "plain
avx2=0" "$(GLIBC_TUNABLES=glibc.cpu.hwcaps=-AVX2 VARIANT_AVX2=1 "$VARIANT")"
        fi
        # the same process without setuid does honour them
        chmod 0755 "$T/bin/foo"
        expect "not secure" "x86-64-v1
secure=0" "$(run HWCAPS_MAX_LEVEL=x86-64-v1)"
}

# Hostile program names (escape.h): which shows them escaped, with no raw
# control byte; --json is valid UTF-8 with each name's exact bytes in
# NAME_bytes when it was not UTF-8; which -q into a pipe is the exact path.
case_hostile_names() {
        local check=$(dirname "$(realpath "$0")")/../cli/escaped-output.py n name shown hex
        command -v jq >/dev/null || { echo "SKIP: needs jq"; exit 77; }
        mkdir -p "$T/bin"
        for n in 1 2 3 4; do mkdir -p "$T/bin/glibc-hwcaps/x86-64-v$n"; done
        while IFS=' ' read -r name shown; do
                name=$(printf "$name")
                [ "$shown" = - ] && shown=$name
                for n in 1 2 3 4; do cp "$VARIANT" "$T/bin/glibc-hwcaps/x86-64-v$n/$name"; done
                ln -s "$STUB" "$T/bin/$name"
                "$HWCAPS" which "$T/bin/$name" > "$T/out" || fail "which $shown"
                python3 "$check" text < "$T/out" || fail "which $shown: raw bytes"
                grep -qF "$T/bin/glibc-hwcaps/$TOP/$shown: runs" "$T/out" || fail "which $shown: $(cat "$T/out")"
                expect "which -q $shown, into a pipe" "$T/bin/glibc-hwcaps/$TOP/$name" "$("$HWCAPS" which -q "$T/bin/$name")"
                "$HWCAPS" which --json "$T/bin/$name" > "$T/json" || fail "which --json $shown"
                jq . "$T/json" > /dev/null || fail "which --json $shown: jq: $(cat "$T/json")"
                python3 -c 'import json,sys; json.load(sys.stdin)' < "$T/json" || fail "which --json $shown: not JSON"
                python3 "$check" json < "$T/json" || fail "which --json $shown: $(cat "$T/json")"
                hex=$(printf '%s' "$T/bin/$name" | od -An -tx1 | tr -d ' \n')
                if printf '%s' "$name" | iconv -f UTF-8 -t UTF-8 >/dev/null 2>&1; then
                        expect "which --json $shown: no name_bytes" null "$(jq -r .name_bytes "$T/json")"
                        expect "which --json $shown: name" "$(printf '%s' "$T/bin/$name" | sed 's/\\/\\x5c/g')" \
                                "$(jq -r .name "$T/json")"
                else
                        expect "which --json $shown: name_bytes" "$hex" "$(jq -r .name_bytes "$T/json")"
                        expect "which --json $shown: name" "$T/bin/$shown" "$(jq -r .name "$T/json")"
                fi
        done <<'EOF2'
\033[2K\rOK \x1b[2K\x0dOK
a\377b a\xffb
\300\257 \xc0\xaf
back\\slash back\x5cslash
caf\303\251 -
EOF2
        return 0
}

# which --root DIR: DIR is the whole system. A tree laid out as a package
# installs it (an absolute link to the stub), looked up inside, answered as
# inside, the tree's policy and the trust rule from the tree's root.
case_which_root() {
        local R=$T/root out want l
        mkdir -p "$R/usr/libexec/hwcaps" "$R/usr/bin" "$R/run/hwcaps"
        cp "$STUB" "$R/usr/libexec/hwcaps/hwcaps-dispatch"
        for l in 1 2 3 4; do
                mkdir -p "$R/usr/bin/glibc-hwcaps/x86-64-v$l"
                cp "$VARIANT" "$R/usr/bin/glibc-hwcaps/x86-64-v$l/foo"
        done
        ln -s /usr/libexec/hwcaps/hwcaps-dispatch "$R/usr/bin/foo"
        ln -s /usr/bin/foo "$R/usr/bin/foo-alias"
        printf 'hwcaps-policy=1\ncap=none\nkeep-path=no\nwhy=\n' > "$R/run/hwcaps/policy"
        expect "which --root, PATH inside" "/usr/bin/glibc-hwcaps/$TOP/foo" \
                "$(PATH=/nonexistent:/usr/bin "$HWCAPS" which -q --root "$R" foo)"
        expect "which --root, a path inside" "/usr/bin/glibc-hwcaps/$TOP/foo" \
                "$("$HWCAPS" which -q --root "$R" /usr/bin/foo)"
        expect "which --root, an absolute alias followed inside" "/usr/bin/glibc-hwcaps/$TOP/foo" \
                "$("$HWCAPS" which -q --root "$R" /usr/bin/foo-alias)"
        out=$(PATH=/usr/bin "$HWCAPS" which --root "$R" foo)
        case $out in *"$R"*) fail "which --root names paths outside the tree: $out" ;; esac
        case $out in *"  /usr/bin/foo: the dispatch stub"*"x86-64-v1 /usr/bin/glibc-hwcaps/x86-64-v1/foo: "*) ;;
        *) fail "which --root: $out" ;; esac
        PATH=/usr/bin "$HWCAPS" which --json --root "$R" foo > "$T/json" || fail "which --json --root"
        python3 - "$T/json" "/usr/bin/glibc-hwcaps/$TOP/foo" <<'PY' || fail "which --json --root: $(cat "$T/json")"
import json, sys
d = json.load(open(sys.argv[1]))
assert [c["path"] for c in d["candidates"] if c["runs"]] == [sys.argv[2]], d
assert all(c["path"].startswith("/usr/bin/") for c in d["candidates"]), d
PY
        # the tree's policy, not this system's
        printf 'hwcaps-policy=1\ncap=x86-64-v2\nkeep-path=no\nwhy=max-level=v2 (/etc/hwcaps.conf:1)\n' \
                > "$R/run/hwcaps/policy"
        want="x86-64-v$(min 2 "$(lv "$TOP")")"
        expect "which --root, the tree's policy" "/usr/bin/glibc-hwcaps/$want/foo" \
                "$("$HWCAPS" which -q --root "$R" /usr/bin/foo)"
        printf 'hwcaps-policy=1\ncap=none\nkeep-path=no\nwhy=\n' > "$R/run/hwcaps/policy"
        # an unsafe directory inside the tree: named as inside, skipped
        [ "$TOP" = x86-64-v1 ] || {
                chmod g+w "$R/usr/bin/glibc-hwcaps/$TOP"
                out=$("$HWCAPS" which --root "$R" /usr/bin/foo)
                case $out in
                *"$TOP/foo: unsafe: /usr/bin/glibc-hwcaps/$TOP is writable by group or others"*) ;;
                *) fail "which --root, unsafe: $out" ;;
                esac
                expect "which --root, unsafe dir skipped" \
                        "/usr/bin/glibc-hwcaps/x86-64-v$(($(lv "$TOP") - 1))/foo" \
                        "$("$HWCAPS" which -q --root "$R" /usr/bin/foo)"
                chmod g-w "$R/usr/bin/glibc-hwcaps/$TOP"
        }
        # the tree's root itself writable by others: nothing in it is trusted
        chmod o+w "$R"
        expect "which --root, unsafe root" "" "$("$HWCAPS" which -q --root "$R" /usr/bin/foo)"
        chmod o-w "$R"
        # a variant outside the tree is not found through an absolute link
        rm "$R/usr/bin/glibc-hwcaps/x86-64-v1/foo"
        ln -s "$VARIANT" "$R/usr/bin/glibc-hwcaps/x86-64-v1/foo"
        out=$(HWCAPS_MAX_LEVEL=v1 "$HWCAPS" which --root "$R" /usr/bin/foo)
        case $out in *"x86-64-v1/foo: missing"*) ;; *) fail "which --root, link out of the tree: $out" ;; esac
        # errors: said as such
        out=$("$HWCAPS" which --root "$T/nonexistent" foo 2>&1); expect "which --root missing: status" 1 "$?"
        expect "which --root missing" "hwcaps: which: --root $T/nonexistent: No such file or directory" "$out"
        "$HWCAPS" which --root "$R" usr/bin/foo >/dev/null 2>&1; expect "which --root, relative NAME: status" 2 "$?"
}

case_which_exec() {
        fixture "$T/bin"
        local out
        expect "which -q" "$T/bin/glibc-hwcaps/$TOP/foo" "$("$HWCAPS" which -q "$T/bin/foo")"
        expect "exec" "$TOP" "$("$HWCAPS" exec "$T/bin/foo")"
        for l in 1 2 3 4; do
                local want="x86-64-v$(min "$l" "$(lv "$TOP")")"
                expect "which, HWCAPS_MAX_LEVEL=x86-64-v$l" "$T/bin/glibc-hwcaps/$want/foo" \
                        "$(HWCAPS_MAX_LEVEL=x86-64-v$l "$HWCAPS" which -q "$T/bin/foo")"
                expect "exec, HWCAPS_MAX_LEVEL=x86-64-v$l" "$want" \
                        "$(HWCAPS_MAX_LEVEL=x86-64-v$l "$HWCAPS" exec "$T/bin/foo")"
        done
        # --json: the same verdict, machine-readable
        HWCAPS_MAX_LEVEL=x86-64-v2 "$HWCAPS" which --json "$T/bin/foo" > "$T/json" || fail "which --json"
        python3 - "$T/json" "$T/bin/glibc-hwcaps/x86-64-v$(min 2 "$(lv "$TOP")")/foo" "$TOP" <<'PY' || fail "which --json: $(cat "$T/json")"
import json, sys
d = json.load(open(sys.argv[1]))
runs = [c["path"] for c in d["candidates"] if c["runs"]]
assert runs == [sys.argv[2]], runs
assert d["mode"] == "stub" and d["cpu_level"] == sys.argv[3], d
assert d["max_level"] == "x86-64-v2" and "HWCAPS_MAX_LEVEL" in d["max_level_reason"], d
assert d["hwcaps_json"] == 1 and d["subcommand"] == "which", d
assert [c["level"] for c in d["candidates"]] == ["x86-64-v4", "x86-64-v3", "x86-64-v2", "x86-64-v1"], d
PY
        # exec passes argv (argv[0] = NAME) and the exit status
        VARIANT_ARGV=$T/argv "$HWCAPS" exec "$T/bin/foo" "" "a b" >/dev/null
        printf '%s\0' "$T/bin/foo" "" "a b" > "$T/want"
        cmp -s "$T/want" "$T/argv" || fail "exec argv: $(tr '\0' '|' < "$T/argv")"
        VARIANT_EXIT=3 "$HWCAPS" exec "$T/bin/foo" >/dev/null
        expect "exec status" 3 "$?"
        # reasons
        [ "$TOP" != x86-64-v1 ] && {
                chmod 644 "$T/bin/glibc-hwcaps/$TOP/foo"
                out=$("$HWCAPS" which "$T/bin/foo")
                case $out in *"$TOP/foo: not executable"*) ;; *) fail "which, no exec bit: $out" ;; esac
                printf 'junk\n' > "$T/bin/glibc-hwcaps/$TOP/foo"; chmod 755 "$T/bin/glibc-hwcaps/$TOP/foo"
                out=$("$HWCAPS" which "$T/bin/foo")
                case $out in *"$TOP/foo: not an executable format"*) ;; *) fail "which, not ELF: $out" ;; esac
                head -c 30 "$VARIANT" > "$T/bin/glibc-hwcaps/$TOP/foo"
                out=$("$HWCAPS" which "$T/bin/foo")
                case $out in *"$TOP/foo: not an executable format"*) ;; *) fail "which, truncated ELF: $out" ;; esac
                : > "$T/bin/glibc-hwcaps/$TOP/foo"
                out=$("$HWCAPS" which "$T/bin/foo")
                case $out in *"$TOP/foo: not an executable format"*) ;; *) fail "which, empty file: $out" ;; esac
                rm "$T/bin/glibc-hwcaps/$TOP/foo"
                out=$("$HWCAPS" which "$T/bin/foo")
                case $out in *"$TOP/foo: missing"*) ;; *) fail "which, missing: $out" ;; esac
                ln -s ../../foo "$T/bin/glibc-hwcaps/$TOP/foo"
                out=$("$HWCAPS" which "$T/bin/foo")
                case $out in *"$TOP/foo: is the dispatch stub itself"*) ;; *) fail "which, self: $out" ;; esac
        }
        out=$(HWCAPS_MAX_LEVEL=x86-64-v1 "$HWCAPS" which "$T/bin/foo")
        if [ "$TOP" = x86-64-v1 ]; then
                case $out in *"x86-64-v2/foo: level not supported by this CPU"*) ;; *) fail "which, unsupported: $out" ;; esac
        else
                case $out in *"x86-64-v2/foo: capped at x86-64-v1 by HWCAPS_MAX_LEVEL"*) ;; *) fail "which, capped: $out" ;; esac
        fi
        out=$("$HWCAPS" which /bin/sh)
        case $out in *"not the hwcaps dispatch stub"*) ;; *) fail "which, not a stub: $out" ;; esac
        # PATH mode: the PATH given, searched as the shell searches it
        # (it used to re-insert every level directory: with a PATH holding
        # only the v2 directory it said v3 runs while the shell ran v2)
        rm -rf "$T/bin"; fixture "$T/bin"; rm "$T/bin/foo"; cp "$VARIANT" "$T/bin/foo"
        expect "which PATH as given" "$T/bin/foo" "$(PATH=$T/bin:/usr/bin:/bin "$HWCAPS" which -q foo)"
        expect "exec PATH as given" plain "$(PATH=$T/bin:/usr/bin:/bin "$HWCAPS" exec foo)"
        expect "which, only the v2 dir in PATH" "$T/bin/glibc-hwcaps/x86-64-v2/foo" \
                "$(PATH=$T/bin/glibc-hwcaps/x86-64-v2:$T/bin:/bin "$HWCAPS" which -q foo)"
        expect "the shell agrees" "$T/bin/glibc-hwcaps/x86-64-v2/foo" \
                "$(PATH=$T/bin/glibc-hwcaps/x86-64-v2:$T/bin:/bin sh -c 'command -v foo')"
        # a stub found in PATH is followed as the stub follows itself
        rm "$T/bin/foo"; ln -s "$STUB" "$T/bin/foo"
        expect "which PATH, stub" "$T/bin/glibc-hwcaps/$TOP/foo" "$(PATH=$T/bin:/bin "$HWCAPS" which -q foo)"
        expect "exec PATH, stub" "$TOP" "$(PATH=$T/bin:/bin "$HWCAPS" exec foo)"
        # an unsafe level directory is skipped by which as by the stub
        [ "$TOP" = x86-64-v1 ] || {
                chmod g+w "$T/bin/glibc-hwcaps/$TOP"
                out=$(PATH=$T/bin:/bin "$HWCAPS" which foo)
                case $out in
                        *"$TOP/foo: unsafe: $T/bin/glibc-hwcaps/$TOP is writable by group or others"*) ;;
                        *) fail "which, unsafe: $out" ;;
                esac
                expect "unsafe dir: which" "$T/bin/glibc-hwcaps/x86-64-v$(($(lv "$TOP") - 1))/foo" \
                        "$(PATH=$T/bin:/bin "$HWCAPS" which -q foo)"
                expect "unsafe dir: the stub" "x86-64-v$(($(lv "$TOP") - 1))" "$("$T/bin/foo")"
                chmod g-w "$T/bin/glibc-hwcaps/$TOP"
        }
        # errors
        "$HWCAPS" which >/dev/null 2>&1; expect "which without NAME" 2 "$?"
        "$HWCAPS" which a b >/dev/null 2>&1; expect "which with two NAMEs" 2 "$?"
        "$HWCAPS" which "" >/dev/null 2>&1; expect "which ''" 2 "$?"
        "$HWCAPS" which --bogus x >/dev/null 2>&1; expect "which --bogus" 2 "$?"
        "$HWCAPS" exec >/dev/null 2>&1; expect "exec without NAME" 2 "$?"
        "$HWCAPS" exec --bogus >/dev/null 2>&1; expect "exec --bogus" 2 "$?"
        PATH=$T "$HWCAPS" which no-such-program >/dev/null 2>&1; expect "which, not found" 1 "$?"
        "$HWCAPS" exec "$T/no-such-program" 2>/dev/null; expect "exec, not found" 127 "$?"
        out=$(HWCAPS_MAX_LEVEL=bogus "$HWCAPS" which -q /bin/sh 2>&1 >/dev/null)
        case $out in *"HWCAPS_MAX_LEVEL=bogus: unknown level"*"counts as x86-64-v1"*) ;; *) fail "which, bad HWCAPS_MAX_LEVEL: $out" ;; esac
}

# the best level a PATH lookup can use: level dirs start at v2
min2() { [ "$1" = x86-64-v1 ] && echo plain || echo "$1"; }

ENVDUP=${ENVDUP:-}
"case_$CASE" || exit 1
exit 0
