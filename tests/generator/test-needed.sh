#!/bin/sh
# SPDX-License-Identifier: MIT
# The generator runs at every boot: it may need libc and nothing else (no
# librpm, no libsystemd, no libinih.so: inih is linked statically).
set -u
needed=$(readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
if [ "$needed" != "libc.so.6 " ]; then
        echo "FAIL: $1 needs: $needed(expected only libc.so.6)"
        exit 1
fi
echo "ok: $1 needs only $needed"
