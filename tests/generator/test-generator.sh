#!/bin/bash
# SPDX-License-Identifier: MIT
# Runs the real hwcaps-env-generator (and "hwcaps path") against fixture
# trees under HWCAPS_ROOT. Usage: test-generator.sh GENERATOR HWCAPS CASE
# Needs SYSCONFDIR, VENDORCONFDIR in the environment (meson sets them).
set -u
gen=$1 hwcaps=$2 case=$3
: "${SYSCONFDIR:?}" "${VENDORCONFDIR:?}"

if [ "$(id -u)" != 0 ]; then
        echo "SKIP: needs root: level directories must be root-owned to be used"
        exit 77
fi
host=$("$hwcaps" level)
host=${host#x86-64-v}
if [ "$host" -lt 2 ]; then
        echo "SKIP: this CPU has no level above x86-64-v1"
        exit 77
fi

root=$(mktemp -d /tmp/hwcaps-gen.XXXXXX)
# systemd runs it from a system-environment-generators directory: that is
# what makes it compile the boot's options into run/hwcaps/policy.
sysgen=$root.d/system-environment-generators/60-hwcaps
usergen=$root.d/user-environment-generators/60-hwcaps
mkdir -p "${sysgen%/*}" "${usergen%/*}"
ln -s "$(realpath "$gen")" "$sysgen"
ln -s "$(realpath "$gen")" "$usergen"
trap 'rm -rf "$root" "$root.d" "$root.out" "$root.err"' EXIT
chmod 755 "$root"
mkdir -p "$root/proc" "$root/run" "$root$SYSCONFDIR"
echo "quiet splash" > "$root/proc/cmdline"
fails=0

fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
levels() { # levels DIR N...: make DIR/glibc-hwcaps/x86-64-vN
        local d=$1; shift
        for n; do mkdir -p "$root$d/glibc-hwcaps/x86-64-v$n"; done
        chmod -R 755 "$root$d"
}
# gen PATH [VAR=value...]: run the system generator in a clean environment,
# like systemd does; sets $out (stdout), $err (stderr), $rc. $as picks the
# user generator instead.
as=$sysgen
gen() {
        local p=$1; shift
        timeout 20 env -i HWCAPS_ROOT="$root" PATH="$p" "$@" "$as" >"$root.out" 2>"$root.err"
        rc=$?
        out=$(cat "$root.out"); err=$(cat "$root.err")
        [ "$rc" = 0 ] || fail "generator exited $rc (stderr: $err)"
        # stdout: nothing, or exactly one PATH= line
        local lines; lines=$(wc -l <"$root.out")
        if [ -s "$root.out" ] && { [ "$lines" != 1 ] || [ "${out#PATH=\"}" = "$out" ]; }; then
                fail "stdout is not one PATH= line: $out"
        fi
}
gen_unset() { # like gen, without PATH
        timeout 20 env -i HWCAPS_ROOT="$root" "$@" "$as" >"$root.out" 2>"$root.err"
        rc=$?; out=$(cat "$root.out"); err=$(cat "$root.err")
        [ "$rc" = 0 ] || fail "generator exited $rc"
}
# The PATH value the generator printed, unquoted the way a shell (and
# systemd's env-file parser) reads it.
value() { [ -n "$out" ] && (eval "$out"; printf '%s' "$PATH"); }
expect() { # expect PATH_IN EXPECTED_OUT_PATH (or "" for no output) [VAR=...]
        local in=$1 want=$2; shift 2
        gen "$in" "$@"
        if [ -z "$want" ]; then
                [ -z "$out" ] || fail "expected no output for PATH=$in ${*}, got: $out"
        else
                [ "$(value)" = "$want" ] || fail "PATH=$in ${*}: expected $want, got: $out"
        fi
}
cmdline() { printf '%s\n' "$*" > "$root/proc/cmdline"; }
conf() { mkdir -p "$(dirname "$root$1")"; printf '%b' "$2" > "$root$1"; }
V=/usr/bin/glibc-hwcaps/x86-64-v
L=/usr/local/bin/glibc-hwcaps/x86-64-v

case $case in
basic)
        levels /usr/bin 2
        expect /usr/local/bin:/usr/bin:/bin "/usr/local/bin:${V}2:/usr/bin:/bin"
        [ -z "$err" ] || fail "unexpected stderr: $err"
        levels /usr/local/bin 2
        expect /usr/local/bin:/usr/bin "${L}2:/usr/local/bin:${V}2:/usr/bin"
        # trailing slash, empty and relative entries keep their place
        expect "/usr/bin/::bin:." "${V}2:/usr/bin/::bin:."
        if [ "$host" -ge 3 ]; then
                levels /usr/bin 3
                expect /usr/bin "${V}3:${V}2:/usr/bin"
        fi
        ;;
nochange)
        expect /usr/local/bin:/usr/bin:/bin ""
        [ -z "$err" ] || fail "unexpected stderr: $err"
        ;;
idempotent)
        levels /usr/bin 2
        gen /usr/bin:/bin
        p=$(value)
        expect "$p" ""
        ;;
cmdline_off)
        levels /usr/bin 2
        for v in off 0 no false; do
                cmdline "quiet hwcaps=$v"
                expect /usr/bin:/bin "" 
                # level directories inherited from elsewhere are taken out
                expect "${V}2:/usr/bin:/bin" "/usr/bin:/bin"
        done
        cmdline 'quiet "hwcaps=off" ro'
        expect /usr/bin:/bin ""
        cmdline 'hwcaps=off hwcaps=on'
        expect /usr/bin "${V}2:/usr/bin"
        # spelled as systemd's parse_boolean() takes it: any case
        for v in OFF Off No FALSE; do
                cmdline "hwcaps=$v"
                expect /usr/bin ""
        done
        # what cannot be parsed counts as off, with a warning naming it
        cmdline 'hwcaps=bogus'
        expect /usr/bin ""
        case $err in *'kernel command line: hwcaps=bogus: not understood'*'counts as off'*) ;;
        *) fail "no warning for hwcaps=bogus: $err" ;; esac
        # a control byte other than space, tab, CR, LF does not split words
        cmdline "quiet$(printf '\v')hwcaps=off"
        expect /usr/bin "${V}2:/usr/bin"
        ;;
cmdline_max)
        [ "$host" -ge 3 ] || { echo "SKIP: needs an x86-64-v3 CPU"; exit 77; }
        levels /usr/bin 2 3
        cmdline "hwcaps.max=x86-64-v2"
        expect /usr/bin "${V}2:/usr/bin"
        cmdline "hwcaps.max=x86-64-v1"
        expect /usr/bin ""
        cmdline "hwcaps.max=v2"
        expect /usr/bin "${V}2:/usr/bin"
        cmdline "hwcaps.max=X86-64-V2"
        expect /usr/bin "${V}2:/usr/bin"
        cmdline "systemd.setenv=HWCAPS_MAX_LEVEL=x86-64-v2"
        expect /usr/bin "${V}2:/usr/bin"
        cmdline "hwcaps.max=x86-64-v9"
        expect /usr/bin ""
        [ -n "$err" ] || fail "no warning for hwcaps.max=x86-64-v9"
        ;;
setenv_path)
        levels /usr/bin 2
        cmdline "quiet systemd.setenv=PATH=/usr/bin:/bin"
        expect /usr/bin:/bin ""
        cmdline 'systemd.setenv="PATH=/usr/bin:/opt/my bin"'
        expect /usr/bin:/bin ""
        # another variable does not count
        cmdline "systemd.setenv=FOO=1"
        expect /usr/bin:/bin "${V}2:/usr/bin:/bin"
        ;;
env_off)
        levels /usr/bin 2
        expect /usr/bin "" HWCAPS=off
        expect /usr/bin "${V}2:/usr/bin" HWCAPS=on
        cmdline "systemd.setenv=HWCAPS=off"
        expect /usr/bin ""
        # any off wins: hwcaps=on on the command line lifts no one's off
        cmdline "hwcaps=on"
        expect /usr/bin "" HWCAPS=off
        expect /usr/bin "" HWCAPS=Off
        expect /usr/bin "" HWCAPS=bogus
        if [ "$host" -ge 3 ]; then
                levels /usr/bin 3
                cmdline quiet
                expect /usr/bin "${V}2:/usr/bin" HWCAPS_MAX_LEVEL=x86-64-v2
        fi
        ;;
config)
        levels /usr/bin 2
        levels /usr/local/bin 2
        conf "$SYSCONFDIR/hwcaps.conf" "[hwcaps]\nenable=no\n"
        expect /usr/local/bin:/usr/bin ""
        conf "$SYSCONFDIR/hwcaps.conf" "# only these\n[hwcaps]\ndirectories=/usr/local/bin\n"
        expect /usr/local/bin:/usr/bin "${L}2:/usr/local/bin:/usr/bin"
        conf "$SYSCONFDIR/hwcaps.conf" "directories = /usr/local/bin\ndirectories = /usr/bin\n"
        expect /usr/local/bin:/usr/bin "${L}2:/usr/local/bin:${V}2:/usr/bin"
        conf "$SYSCONFDIR/hwcaps.conf" "directories = /usr/local/bin\ndirectories =\n"
        expect /usr/local/bin:/usr/bin "${L}2:/usr/local/bin:${V}2:/usr/bin"
        conf "$SYSCONFDIR/hwcaps.conf" "max-level=x86-64-v1\n"
        expect /usr/bin ""
        # any off wins: hwcaps=yes on the command line does not lift the file's
        conf "$SYSCONFDIR/hwcaps.conf" "enable=no\n"
        cmdline "hwcaps=yes"
        expect /usr/bin ""
        conf "$SYSCONFDIR/hwcaps.conf" "enable=No\n"
        expect /usr/bin ""
        # the file's cap and the command line's: the lower wins
        if [ "$host" -ge 3 ]; then
                levels /usr/bin 3
                conf "$SYSCONFDIR/hwcaps.conf" "max-level=v2\n"
                cmdline "hwcaps.max=x86-64-v3"
                expect /usr/bin "${V}2:/usr/bin"
                cmdline "hwcaps.max=x86-64-v2"
                conf "$SYSCONFDIR/hwcaps.conf" "max-level=x86-64-v3\n"
                expect /usr/bin "${V}2:/usr/bin"
        fi
        ;;
config_bad)
        levels /usr/bin 2 3
        conf "$SYSCONFDIR/hwcaps.conf" "[hwcaps]\ncolour=blue\nmax-level=x86-64-v5\nenable=perhaps\ndirectories=usr/bin\nno equals sign here\n[other]\nenable=no\n[hwcaps]\nmax-level=x86-64-v2\n"
        # enable=perhaps cannot be parsed: it counts as off (a later
        # max-level cannot lift it)
        expect /usr/bin ""
        for w in ':2: unknown key "colour"' ':3: max-level: unknown level "x86-64-v5"' \
                 ':4: enable: "perhaps" is not a boolean (expected yes or no), counts as no' \
                 ':5: directories: "usr/bin"' ':6: not a key=value' ':8: unknown section [other] (expected [hwcaps]), "enable" ignored'; do
                case $err in *"hwcaps.conf$w"*) ;; *) fail "missing warning $w in: $err" ;; esac
        done
        [ "$(printf '%s\n' "$err" | wc -l)" = 6 ] || fail "expected 6 warning lines, got: $err"
        ;;
dropins)
        [ "$host" -ge 3 ] || { echo "SKIP: needs an x86-64-v3 CPU"; exit 77; }
        levels /usr/bin 2 3
        # vendor default off; the admin's file of the same name masks it
        conf "$VENDORCONFDIR/50-off.conf" "enable=no\n"
        expect /usr/bin ""
        conf "/run/hwcaps.conf.d/50-off.conf" "enable=yes\n"
        expect /usr/bin "${V}3:${V}2:/usr/bin"
        conf "$SYSCONFDIR/hwcaps.conf.d/50-off.conf" "enable=no\n"
        expect /usr/bin ""
        ln -sf /dev/null "$root$SYSCONFDIR/hwcaps.conf.d/50-off.conf"
        expect /usr/bin "${V}3:${V}2:/usr/bin"
        [ -z "$err" ] || fail "masking with /dev/null warned: $err"
        # lexical order across directories; the main file comes first
        conf "$SYSCONFDIR/hwcaps.conf" "max-level=x86-64-v3\n"
        conf "$VENDORCONFDIR/10-a.conf" "max-level=x86-64-v2\n"
        expect /usr/bin "${V}2:/usr/bin"
        conf "/run/hwcaps.conf.d/20-b.conf" "max-level=x86-64-v3\n"
        expect /usr/bin "${V}3:${V}2:/usr/bin"
        conf "$SYSCONFDIR/hwcaps.conf.d/30-c.conf" "max-level=x86-64-v2\n"
        expect /usr/bin "${V}2:/usr/bin"
        conf "$SYSCONFDIR/hwcaps.conf.d/README" "max-level=x86-64-v3\n"
        expect /usr/bin "${V}2:/usr/bin"
        ;;
garbage_config)
        levels /usr/bin 2
        # every byte value, NULs, a BOM, overlong lines, CRs
        { printf '\xef\xbb\xbf'; for i in $(seq 0 255); do printf "\\$(printf %03o "$i")"; done
          printf '\n\0enable=no\n%0300d\n[hwcaps\r\n=\n:\n;x\n[hwcaps]\r\nmax-level=x86-64-v2\r\n'
          head -c 20000 /dev/urandom; } > "$root$SYSCONFDIR/hwcaps.conf"
        gen /usr/bin
        [ "$(printf '%s\n' "$err" | wc -l)" -le 17 ] || fail "too many warning lines: $(printf '%s\n' "$err" | wc -l)"
        case $out in ""|"PATH=\"${V}2:/usr/bin\"") ;; *) fail "unexpected output: $out" ;; esac
        ;;
long_line)
        levels /usr/bin 2
        # inih splits lines longer than its buffer: the tail of a comment
        # must not turn into a setting
        conf "$SYSCONFDIR/hwcaps.conf" "# $(printf '%0250d' 0) enable=no\n"
        expect /usr/bin "${V}2:/usr/bin"
        case $err in *"hwcaps.conf:1: line longer"*) ;; *) fail "no warning for the long line: $err" ;; esac
        ;;
garbage_cmdline)
        levels /usr/bin 2
        { head -c 5000 /dev/urandom; printf '\0\0 "unterminated hwcaps=off'; } > "$root/proc/cmdline"
        gen /usr/bin
        [ "$(printf '%s\n' "$err" | wc -l)" -le 10 ] || fail "too many warning lines"
        case $out in ""|"PATH=\"${V}2:/usr/bin\"") ;; *) fail "unexpected output: $out" ;; esac
        ;;
big_cmdline)
        levels /usr/bin 2
        # up to 64 KiB (more than a kernel writes) is read to the end
        { head -c 60000 /dev/zero | tr '\0' 'x'; printf ' hwcaps=off\n'; } > "$root/proc/cmdline"
        expect /usr/bin ""
        { head -c 60000 /dev/zero | tr '\0' 'x'; printf ' quiet\n'; } > "$root/proc/cmdline"
        expect /usr/bin "${V}2:/usr/bin"
        # longer: its end is not read and may hold hwcaps=off, so no change,
        # like an unreadable one, with one warning
        { head -c 1048576 /dev/zero | tr '\0' 'x'; printf ' quiet\n'; } > "$root/proc/cmdline"
        expect /usr/bin ""
        case $err in *"longer than 64 KiB"*"hwcaps is off"*) ;; *) fail "no warning for a 1 MiB cmdline: $err" ;; esac
        { for i in $(seq 1 1000); do printf 'hwcaps=%01000d ' 0; done; } > "$root/proc/cmdline"
        gen /usr/bin
        [ "$(printf '%s\n' "$err" | wc -l)" -le 10 ] || fail "too many warning lines"
        ;;
no_proc)
        levels /usr/bin 2
        rm -rf "$root/proc"
        # the boot's options cannot be known: off, with one warning, and
        # the policy file says so to everyone else
        expect /usr/bin ""
        [ "$(printf '%s\n' "$err" | wc -l)" = 1 ] || fail "expected one warning, got: $err"
        grep -qx 'cap=x86-64-v1' "$root/run/hwcaps/policy" || fail "policy: $(cat "$root/run/hwcaps/policy")"
        ;;
path_unset_empty)
        levels /usr/bin 2
        gen_unset
        [ -z "$out" ] || fail "PATH unset: printed $out"
        expect "" ""
        ;;
path_10000)
        levels /usr/bin 2
        p=$(seq -f '/n/%g' 1 10000 | tr '\n' ':')/usr/bin
        gen "$p"
        [ "$(value)" = "${p%/usr/bin}${V}2:/usr/bin" ] || fail "10,000 entries: wrong PATH"
        p=$(for i in $(seq 1 10000); do printf '/usr/bin:'; done)/bin
        gen "$p"
        v=$(value)
        [ "${v#${V}2:/usr/bin:/usr/bin:}" != "$v" ] || fail "repeated entry: level dir not before the first"
        [ "$(printf '%s' "$v" | grep -o glibc-hwcaps | wc -l)" = 1 ] || fail "level directory inserted more than once"
        ;;
unsafe)
        levels /usr/bin 2
        mkdir -p "$root/a/glibc-hwcaps" "$root/b/glibc-hwcaps/x86-64-v2" "$root/c/glibc-hwcaps/x86-64-v2" \
                 "$root/d/glibc-hwcaps" "$root/e/glibc-hwcaps"
        ln -s /nonexistent "$root/a/glibc-hwcaps/x86-64-v2"           # dangling
        chmod 777 "$root/b/glibc-hwcaps/x86-64-v2"                    # world-writable
        chown 65534 "$root/c/glibc-hwcaps/x86-64-v2"                  # not root's
        ln -s x86-64-v2 "$root/d/glibc-hwcaps/x86-64-v2"              # loop
        chmod 775 "$root/e/glibc-hwcaps"; mkdir -p "$root/e/glibc-hwcaps/x86-64-v2"  # group-writable parent
        # a user-owned ancestor of a symlink's target (the user swaps
        # "pub" after boot); a sticky directory on the way
        mkdir -p "$root/home/u/pub/v2" "$root/f/glibc-hwcaps" "$root/g/glibc-hwcaps/x86-64-v2"
        chown 65534 "$root/home/u"
        ln -s ../../home/u/pub/v2 "$root/f/glibc-hwcaps/x86-64-v2"
        chmod 1755 "$root/g/glibc-hwcaps"
        expect /a:/b:/c:/d:/e:/f:/g:/usr/bin "/a:/b:/c:/d:/e:/f:/g:${V}2:/usr/bin"
        for w in "/b/glibc-hwcaps/x86-64-v2: is writable" \
                 "/c/glibc-hwcaps/x86-64-v2: is not owned by root" "/d/glibc-hwcaps/x86-64-v2: has too many symbolic links" \
                 "/e/glibc-hwcaps: is writable" "/f/glibc-hwcaps/x86-64-v2: /home/u is not owned by root" \
                 "/g/glibc-hwcaps: is a sticky directory"; do
                case $err in *"$w"*) ;; *) fail "missing warning '$w' in: $err" ;; esac
        done
        # a dangling symlink is a missing directory: no warning
        [ "$(printf '%s\n' "$err" | wc -l)" = 6 ] || fail "expected one warning per unsafe directory: $err"
        ;;
fifo_config)
        levels /usr/bin 2
        mkfifo "$root$SYSCONFDIR/hwcaps.conf"
        expect /usr/bin "${V}2:/usr/bin"
        [ -n "$err" ] || fail "no warning for a FIFO as hwcaps.conf"
        ;;
quoting)
        levels /usr/bin 2
        for d in '/opt/a b' '/opt/q"uote' "/opt/s'q" '/opt/$HOME' '/opt/`x`' '/opt/back\slash' '/opt/tail\' '/opt/sp ' '/opt/#hash'; do
                p="$d:/usr/bin:$d"
                expect "$p" "$d:${V}2:/usr/bin:$d"
        done
        levels '/opt/my $dir' 2
        expect '/opt/my $dir' '/opt/my $dir/glibc-hwcaps/x86-64-v2:/opt/my $dir'
        ;;
path_matches)
        # hwcaps path prints what the generator produces, under every policy
        levels /usr/bin 2
        levels /usr/local/bin 2
        check() {
                gen "$@"
                local want=${out:+$(value)}
                [ -n "$want" ] || want=$1
                local p=$1; shift
                got=$(env -i HWCAPS_ROOT="$root" PATH="$p" "$@" "$hwcaps" path 2>/dev/null)
                [ "$got" = "$want" ] || fail "hwcaps path: $got, generator: $want (${*})"
        }
        check /usr/local/bin:/usr/bin:/bin
        check /usr/local/bin:/usr/bin HWCAPS=off
        cmdline "hwcaps=off"; check /usr/bin
        cmdline "systemd.setenv=PATH=/x"; check /usr/bin
        cmdline quiet
        conf "$SYSCONFDIR/hwcaps.conf" "directories=/usr/local/bin\n"; check /usr/local/bin:/usr/bin
        ;;
user_reads_policy)
        # What the system generator compiled is what every user manager and
        # login shell gets: hwcaps.conf is in force from boot (or the next
        # daemon-reload) for PATH and the stub alike.
        levels /usr/bin 2
        conf "$SYSCONFDIR/hwcaps.conf" "enable=no\n"
        as=$usergen; expect /usr/bin "${V}2:/usr/bin"   # not compiled yet: only the command line
        as=$sysgen; expect /usr/bin ""
        grep -qx 'cap=x86-64-v1' "$root/run/hwcaps/policy" || fail "policy: $(cat "$root/run/hwcaps/policy")"
        as=$usergen; expect /usr/bin ""
        conf "$SYSCONFDIR/hwcaps.conf" "enable=yes\n"
        expect /usr/bin ""                               # edited, not reloaded: still the policy
        as=$sysgen; expect /usr/bin "${V}2:/usr/bin"    # daemon-reload
        as=$usergen; expect /usr/bin "${V}2:/usr/bin"
        # the policy says keep-path: the user generator leaves PATH alone
        cmdline "systemd.setenv=PATH=/usr/bin"
        as=$sysgen; expect /usr/bin ""
        as=$usergen; expect /usr/bin ""
        ;;
dropin_0600)
        # root's umask 077 makes a drop-in mode 0600: the system generator
        # (root) reads it, and users get its verdict from the policy file
        # instead of counting an unreadable file as off ("ignored").
        levels /usr/bin 2
        mkdir -p "$root$SYSCONFDIR/hwcaps.conf.d"
        (umask 077; printf 'directories=/usr/bin\n' > "$root$SYSCONFDIR/hwcaps.conf.d/50-admin.conf")
        chmod 755 "$root$SYSCONFDIR/hwcaps.conf.d" "$root$SYSCONFDIR" "$root/etc" 2>/dev/null
        as=$sysgen; expect /usr/bin "${V}2:/usr/bin"
        [ -z "$err" ] || fail "system generator warned: $err"
        # a user: a copy of the generator the user can run
        cp "$(realpath "$gen")" "$root.d/user-environment-generators/gen"
        chmod 755 "$root.d" "$root.d/user-environment-generators"
        out=$(timeout 20 setpriv --reuid=65534 --regid=65534 --clear-groups \
                env -i HWCAPS_ROOT="$root" PATH=/usr/bin "$root.d/user-environment-generators/gen" 2>"$root.err")
        err=$(cat "$root.err")
        [ "$out" = "PATH=\"${V}2:/usr/bin\"" ] || fail "user generator with a 0600 drop-in: '$out' ($err)"
        [ -z "$err" ] || fail "user generator warned: $err"
        # the system generator compiled directories=: a user's PATH
        # composition follows it though the user cannot read the drop-in
        levels /opt/bin 2
        out=$(timeout 20 setpriv --reuid=65534 --regid=65534 --clear-groups \
                env -i HWCAPS_ROOT="$root" PATH=/opt/bin:/usr/bin "$root.d/user-environment-generators/gen" 2>&1)
        [ "$out" = "PATH=\"/opt/bin:${V}2:/usr/bin\"" ] || fail "user generator, directories= from the policy: '$out'"
        ;;
big_directories)
        # directories= long enough to make one policy file over its limit:
        # the generator could not write it, and the stub ran the top level
        # under enable=no. They go into a file of their own now.
        levels /usr/bin 2
        { printf '[hwcaps]\nenable=no\n'
          for i in $(seq 1 60); do printf 'directories=/opt/%0100d\n' "$i"; done; } > "$root$SYSCONFDIR/hwcaps.conf"
        expect /usr/bin ""
        [ -z "$err" ] || fail "warned: $err"
        grep -qx 'cap=x86-64-v1' "$root/run/hwcaps/policy" || fail "policy: $(cat "$root/run/hwcaps/policy")"
        [ "$(wc -l < "$root/run/hwcaps/directories")" = 60 ] || fail "directories: $(wc -l < "$root/run/hwcaps/directories")"
        # the user generator composes with them though it cannot read hwcaps.conf
        levels /opt/0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001 2
        as=$usergen; expect "/opt/$(printf '%0100d' 1):/usr/bin" ""   # enable=no: nothing anywhere
        as=$sysgen
        ;;
container)
        # In a container systemd's kernel command line is PID 1's argv
        # (proc_cmdline()), not the host's /proc/cmdline
        levels /usr/bin 2
        echo quiet > "$root/proc/cmdline"
        mkdir -p "$root/proc/1" "$root/run/systemd"
        printf '/sbin/init\0hwcaps=off\0' > "$root/proc/1/cmdline"
        expect /usr/bin "${V}2:/usr/bin"
        echo systemd-nspawn > "$root/run/systemd/container"
        expect /usr/bin ""
        printf '/sbin/init\0quiet\0' > "$root/proc/1/cmdline"
        echo "hwcaps=off" > "$root/proc/cmdline"
        expect /usr/bin "${V}2:/usr/bin"
        rm "$root/run/systemd/container"
        # the SystemdOptions EFI variable, as PID 1 cached it: parsed first,
        # so the kernel's words win over it
        echo quiet > "$root/proc/cmdline"
        mkdir -p "$root/run/systemd/efivars"
        echo hwcaps=off > "$root/run/systemd/efivars/SystemdOptions-8cf2644b-4b0b-428f-9387-6d876050dc67"
        expect /usr/bin ""
        echo hwcaps=on > "$root/proc/cmdline"
        expect /usr/bin "${V}2:/usr/bin"
        ;;
*)
        echo "unknown case $case"; exit 2 ;;
esac

[ "$fails" = 0 ] || exit 1
echo "ok: $case"
