#!/bin/sh
# hwcaps check on good and broken buildroots: exit status and the exact
# message for each failure case.
# Usage: test-check.sh HWCAPS SRC STUB
HWCAPS=$1 SRC=$2 STUB=$3
. "$SRC/tests/rpm/lib.sh"

printf 'int main(void) { return 0; }\n' > "$WORK/t.c"
for n in 2 3 4; do
        cc -O2 -o "$WORK/t-v$n" "$WORK/t.c" -Wl,-z,x86-64-v$n
done
cc -O2 -o "$WORK/t-base" "$WORK/t.c"

# check_root WHAT EXPECTED-STATUS EXPECTED-STDERR ROOT [args]
check_root() {
        what=$1 want_rc=$2 want=$3 root=$4
        shift 4
        rc=0
        "$HWCAPS" check --root "$root" "$@" > "$WORK/out" 2> "$WORK/err" || rc=$?
        assert_eq "$what: exit status" "$want_rc" "$rc"
        assert_eq "$what: message" "$want" "$(cat "$WORK/err")"
}

# A good buildroot: programs, a library, a dispatched program.
good=$WORK/good
mkdir -p "$good/usr/bin/glibc-hwcaps/x86-64-v1" "$good/usr/lib64/glibc-hwcaps/x86-64-v3"
cp "$WORK/t-base" "$good/usr/bin/prog"
cp "$WORK/t-base" "$good/usr/bin/glibc-hwcaps/x86-64-v1/disp"
ln -s /usr/libexec/hwcaps/hwcaps-dispatch "$good/usr/bin/disp"
for n in 2 3 4; do
        mkdir -p "$good/usr/bin/glibc-hwcaps/x86-64-v$n"
        cp "$WORK/t-v$n" "$good/usr/bin/glibc-hwcaps/x86-64-v$n/prog"
        cp "$WORK/t-v$n" "$good/usr/bin/glibc-hwcaps/x86-64-v$n/disp"
done
# A v2-marked program may sit in the v4 directory (it runs there).
cp "$WORK/t-v2" "$good/usr/bin/glibc-hwcaps/x86-64-v4/prog"
cp "$WORK/t-base" "$good/usr/lib64/libfoo.so.1"
install -m 0644 "$WORK/t-v3" "$good/usr/lib64/glibc-hwcaps/x86-64-v3/libfoo.so.1"
check_root "good buildroot" 0 "" "$good"
assert_eq "good buildroot: summary" "hwcaps: check: 8 variants, no problems" "$(cat "$WORK/out")"

# broken ROOT: a copy of the good one to break.
broken() {
        rm -rf "$WORK/bad"
        cp -a "$good" "$WORK/bad"
}

broken
rm "$WORK/bad/usr/bin/prog"
check_root "variant without baseline" 1 \
"hwcaps: /usr/bin/glibc-hwcaps/x86-64-v2/prog: variant without baseline: neither /usr/bin/prog nor /usr/bin/glibc-hwcaps/x86-64-v1/prog exists
hwcaps: /usr/bin/glibc-hwcaps/x86-64-v3/prog: variant without baseline: neither /usr/bin/prog nor /usr/bin/glibc-hwcaps/x86-64-v1/prog exists
hwcaps: /usr/bin/glibc-hwcaps/x86-64-v4/prog: variant without baseline: neither /usr/bin/prog nor /usr/bin/glibc-hwcaps/x86-64-v1/prog exists
hwcaps: check: 3 problems in glibc-hwcaps directories" "$WORK/bad"

broken
rm "$WORK/bad/usr/bin/disp"
check_root "baseline only in x86-64-v1/, no stub at DIR/NAME" 1 \
"hwcaps: /usr/bin/glibc-hwcaps/x86-64-v1/disp: baseline in glibc-hwcaps/x86-64-v1/ but nothing at /usr/bin/disp: nothing runs it (%hwcaps_dispatch puts the dispatch stub there)
hwcaps: check: 1 problem in glibc-hwcaps directories" "$WORK/bad"

broken
cp "$WORK/t-v4" "$WORK/bad/usr/bin/glibc-hwcaps/x86-64-v3/prog"
check_root "ISA marker above the directory's level" 1 \
"hwcaps: /usr/bin/glibc-hwcaps/x86-64-v3/prog: ELF ISA marker x86-64-v4 is above its directory's level x86-64-v3
hwcaps: check: 1 problem in glibc-hwcaps directories" "$WORK/bad"

broken
cp "$WORK/t-v3" "$WORK/bad/usr/bin/glibc-hwcaps/x86-64-v1/disp"
check_root "ISA marker above x86-64-v1 (a dispatched baseline)" 1 \
"hwcaps: /usr/bin/glibc-hwcaps/x86-64-v1/disp: ELF ISA marker x86-64-v3 is above its directory's level x86-64-v1
hwcaps: check: 1 problem in glibc-hwcaps directories" "$WORK/bad"

for d in x86-64-v5 x86_64-v3 x86-64-v0 X86-64-V3; do
        broken
        mv "$WORK/bad/usr/bin/glibc-hwcaps/x86-64-v3" "$WORK/bad/usr/bin/glibc-hwcaps/$d"
        check_root "level directory named $d" 1 \
"hwcaps: /usr/bin/glibc-hwcaps/$d: \"$d\" is not a level directory (expected x86-64-v1 ... x86-64-v4)
hwcaps: check: 1 problem in glibc-hwcaps directories" "$WORK/bad"
done

broken
touch "$WORK/bad/usr/bin/glibc-hwcaps/README"
check_root "a file directly in glibc-hwcaps/" 1 \
"hwcaps: /usr/bin/glibc-hwcaps/README: not a directory; glibc-hwcaps/ holds only level directories
hwcaps: check: 1 problem in glibc-hwcaps directories" "$WORK/bad"

broken
chmod 0644 "$WORK/bad/usr/bin/glibc-hwcaps/x86-64-v2/prog"
check_root "program that is not executable" 1 \
"hwcaps: /usr/bin/glibc-hwcaps/x86-64-v2/prog: not executable (mode 0644); a program in a level directory must be executable
hwcaps: check: 1 problem in glibc-hwcaps directories" "$WORK/bad"

broken
printf '#!/bin/sh\necho hi\n' > "$WORK/bad/usr/bin/glibc-hwcaps/x86-64-v2/prog"
check_root "script where an ELF is expected" 1 \
"hwcaps: /usr/bin/glibc-hwcaps/x86-64-v2/prog: not an ELF file (expected an x86-64 ELF program or library)
hwcaps: check: 1 problem in glibc-hwcaps directories" "$WORK/bad"

broken
head -c 40 "$WORK/t-v2" > "$WORK/bad/usr/bin/glibc-hwcaps/x86-64-v2/prog"
check_root "truncated ELF" 1 \
"hwcaps: /usr/bin/glibc-hwcaps/x86-64-v2/prog: malformed ELF file: truncated ELF header (expected an x86-64 ELF program or library)
hwcaps: check: 1 problem in glibc-hwcaps directories" "$WORK/bad"

broken
: > "$WORK/bad/usr/bin/glibc-hwcaps/x86-64-v2/prog"
check_root "empty file" 1 \
"hwcaps: /usr/bin/glibc-hwcaps/x86-64-v2/prog: empty file, not an ELF file (expected an x86-64 ELF program or library)
hwcaps: check: 1 problem in glibc-hwcaps directories" "$WORK/bad"

broken
ln -s nowhere "$WORK/bad/usr/bin/glibc-hwcaps/x86-64-v3/dangling"
cp "$WORK/t-base" "$WORK/bad/usr/bin/dangling"
check_root "dangling symlink" 1 \
"hwcaps: /usr/bin/glibc-hwcaps/x86-64-v3/dangling: dangling symlink to nowhere
hwcaps: check: 1 problem in glibc-hwcaps directories" "$WORK/bad"

broken
mkfifo "$WORK/bad/usr/bin/glibc-hwcaps/x86-64-v3/fifo"
cp "$WORK/t-base" "$WORK/bad/usr/bin/fifo"
check_root "a FIFO is reported, never opened" 1 \
"hwcaps: /usr/bin/glibc-hwcaps/x86-64-v3/fifo: not a regular file (expected an x86-64 ELF program or library)
hwcaps: check: 1 problem in glibc-hwcaps directories" "$WORK/bad"

broken
mkdir -p "$WORK/bad/opt/foo"
cp "$WORK/t-v4" "$WORK/bad/opt/foo/tool"
cp "$WORK/t-base" "$WORK/bad/usr/bin/tool"
ln -s /opt/foo/tool "$WORK/bad/usr/bin/glibc-hwcaps/x86-64-v3/tool"
check_root "an absolute symlink is followed inside the root" 1 \
"hwcaps: /usr/bin/glibc-hwcaps/x86-64-v3/tool: ELF ISA marker x86-64-v4 is above its directory's level x86-64-v3
hwcaps: check: 1 problem in glibc-hwcaps directories" "$WORK/bad"

broken
mkdir "$WORK/bad/usr/bin/glibc-hwcaps/x86-64-v3/sub"
check_root "directory inside a level directory" 1 \
"hwcaps: /usr/bin/glibc-hwcaps/x86-64-v3/sub: is a directory; a level directory holds only programs and libraries
hwcaps: check: 1 problem in glibc-hwcaps directories" "$WORK/bad"

# Single files and subtrees, with and without --root.
check_root "one variant named inside the root" 0 "" "$good" /usr/bin/glibc-hwcaps/x86-64-v3/prog
rc=0; "$HWCAPS" check "$good/usr/lib64" > "$WORK/out" 2>&1 || rc=$?
assert_eq "a subtree without --root" "0 hwcaps: check: 1 variant, no problems" "$rc $(cat "$WORK/out")"
check_root "a file outside level directories" 1 \
"hwcaps: /usr/bin/prog: not in a level directory (expected .../glibc-hwcaps/x86-64-vN/NAME)
hwcaps: check: 1 problem in glibc-hwcaps directories" "$good" /usr/bin/prog
broken
mv "$WORK/bad/usr/bin/glibc-hwcaps/x86-64-v3" "$WORK/bad/usr/bin/glibc-hwcaps/x86_64-v3"
check_root "a file in a directory that is not a level" 1 \
"hwcaps: /usr/bin/glibc-hwcaps/x86_64-v3: \"x86_64-v3\" is not a level directory (expected x86-64-v1 ... x86-64-v4)
hwcaps: check: 1 problem in glibc-hwcaps directories" "$WORK/bad" /usr/bin/glibc-hwcaps/x86_64-v3/prog
check_root "a missing path" 1 \
"hwcaps: /usr/nope: cannot stat: No such file or directory
hwcaps: check: 1 problem in glibc-hwcaps directories" "$good" /usr/nope

broken
mkdir "$WORK/bad/usr/bin/glibc-hwcaps/x86-64-v3/sub"
rc=0; out=$(cd "$WORK/bad/usr/bin/glibc-hwcaps" && "$HWCAPS" check . 2>&1) || rc=$?
assert_eq "\".\" inside glibc-hwcaps/ is checked as such" "1 hwcaps: ./x86-64-v3/sub: is a directory; a level directory holds only programs and libraries
hwcaps: check: 1 problem in glibc-hwcaps directories" "$rc $out"
rc=0; out=$(cd "$good/usr/bin/glibc-hwcaps/x86-64-v3" && "$HWCAPS" check . ../x86-64-v4/prog 2>&1) || rc=$?
assert_eq "relative level directory and variant" "0 hwcaps: check: 3 variants, no problems" "$rc $out"

# What the trust rule refuses at run time fails the build: writable level
# directories or variants, a sticky glibc-hwcaps, a setuid or setgid stub.
broken
chmod 775 "$WORK/bad/usr/bin/glibc-hwcaps/x86-64-v3"
chmod 666 "$WORK/bad/usr/bin/glibc-hwcaps/x86-64-v4/prog"
check_root "writable level directory and variant" 1 \
"hwcaps: /usr/bin/glibc-hwcaps/x86-64-v3: writable by group or others (mode 0775): the stub and the generator refuse it and all below it (the trust rule); install it mode 0755
hwcaps: /usr/bin/glibc-hwcaps/x86-64-v4/prog: not executable (mode 0666); a program in a level directory must be executable
hwcaps: /usr/bin/glibc-hwcaps/x86-64-v4/prog: writable by group or others (mode 0666): the stub and the generator refuse it (the trust rule); install it mode 0755
hwcaps: check: 3 problems in glibc-hwcaps directories" "$WORK/bad"
broken
chmod 1755 "$WORK/bad/usr/bin/glibc-hwcaps"
check_root "sticky glibc-hwcaps" 1 \
"hwcaps: /usr/bin/glibc-hwcaps: a sticky directory (mode 1755): the stub and the generator refuse it and all below it (the trust rule); install it mode 0755
hwcaps: check: 1 problem in glibc-hwcaps directories" "$WORK/bad"
broken
rm "$WORK/bad/usr/bin/disp"
cp "$STUB" "$WORK/bad/usr/bin/disp"
chmod 4755 "$WORK/bad/usr/bin/disp"
check_root "setuid stub" 1 \
"hwcaps: /usr/bin/disp: a setuid copy of the dispatch stub (mode 4755): dispatching needs no privilege, and a privileged stub is an attack surface; install it mode 0755
hwcaps: check: 1 problem in glibc-hwcaps directories" "$WORK/bad"
chmod 2755 "$WORK/bad/usr/bin/disp"
check_root "setgid stub" 1 \
"hwcaps: /usr/bin/disp: a setgid copy of the dispatch stub (mode 2755): dispatching needs no privilege, and a privileged stub is an attack surface; install it mode 0755
hwcaps: check: 1 problem in glibc-hwcaps directories" "$WORK/bad"

# Hostile file names: each problem line shows them escaped (escape.h), so
# none can rewrite the packager's terminal. Variants without baselines,
# so that check names each one.
broken
v2=$WORK/bad/usr/bin/glibc-hwcaps/x86-64-v2
for name in "$(printf '\033[2K\rOK')" "$(printf 'a\377b')" "$(printf '\300\257')" 'back\slash' "$(printf 'caf\303\251')"; do
        cp "$WORK/t-v2" "$v2/$name"
done
rc=0
"$HWCAPS" check --root "$WORK/bad" > "$WORK/out" 2> "$WORK/err" || rc=$?
assert_eq "hostile names: exit status" 1 "$rc"
python3 "$SRC/tests/cli/escaped-output.py" text < "$WORK/err" || fail "hostile names: raw bytes in the problem lines"
for want in '/x86-64-v2/\x1b[2K\x0dOK: variant without baseline' '/x86-64-v2/a\xffb: ' \
            '/x86-64-v2/\xc0\xaf: ' '/x86-64-v2/back\x5cslash: ' "/x86-64-v2/$(printf 'caf\303\251'): " \
            'nor /usr/bin/glibc-hwcaps/x86-64-v1/\x1b[2K\x0dOK exists' 'check: 5 problems'; do
        grep -qF -- "$want" "$WORK/err" && echo "ok: hostile names: shown as $want" ||
                fail "hostile names: no '$want' in: $(cat "$WORK/err")"
done

rc=0; "$HWCAPS" check 2>/dev/null || rc=$?
assert_eq "no PATH and no --root is a usage error" 2 "$rc"
rc=0; "$HWCAPS" check --json "$good" 2>/dev/null || rc=$?
assert_eq "--json without --owners is a usage error" 2 "$rc"
rc=0; "$HWCAPS" check --root "$good" usr/bin 2>/dev/null || rc=$?
assert_eq "a relative PATH with --root is a usage error" 2 "$rc"
finish
