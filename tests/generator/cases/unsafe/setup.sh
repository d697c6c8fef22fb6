#!/bin/bash
# SPDX-License-Identifier: MIT
# $1: the fixture root. Git keeps no owners, and no modes but 644 and 755.
chmod 777 "$1/b/glibc-hwcaps/x86-64-v2"
chown 65534 "$1/c/glibc-hwcaps/x86-64-v2"
chmod 775 "$1/e/glibc-hwcaps"
chown 65534 "$1/home/u"
chmod 1755 "$1/g/glibc-hwcaps"
