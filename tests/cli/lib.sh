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
# dpkg_package ROOT NAME VERSION FILE...: a package in the dpkg database
# under ROOT (/var/lib/dpkg: status, info/format, info/NAME.list), as
# dpkg 1.21 keeps it; the real dpkg-query reads it.
dpkg_package() {
        _db=$1/var/lib/dpkg _name=$2 _version=$3
        shift 3
        mkdir -p "$_db/info" "$_db/updates"
        echo 1 > "$_db/info/format"
        printf 'Package: %s\nStatus: install ok installed\nPriority: optional\nSection: misc\nMaintainer: T <t@example.org>\nArchitecture: amd64\nVersion: %s\nDescription: test\n\n' \
                "$_name" "$_version" >> "$_db/status"
        : > "$_db/info/$_name.list"
        for _f; do printf '%s\n' "$_f" >> "$_db/info/$_name.list"; done
}
