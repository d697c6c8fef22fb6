# Shared helpers for the CLI tests (POSIX sh). $HWCAPS is the binary.
fails=0
ok() { printf 'ok   %s\n' "$1"; }
bad() { printf 'FAIL %s\n' "$1"; fails=$((fails + 1)); }
check() { # check NAME EXPECTED ACTUAL
        if [ "$2" = "$3" ]; then ok "$1"; else bad "$1: expected [$2], got [$3]"; fi
}
contains() { # contains NAME NEEDLE HAYSTACK
        case "$3" in *"$2"*) ok "$1" ;; *) bad "$1: [$2] not in [$3]" ;; esac
}
finish() { [ "$fails" -eq 0 ]; exit $?; }
