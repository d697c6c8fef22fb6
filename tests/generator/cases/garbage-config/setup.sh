#!/bin/bash
# SPDX-License-Identifier: MIT
# $1: the fixture root. Random bytes, new on each run; the fixed part has NULs
# and every byte value, unreadable in a file.
{ printf '\xef\xbb\xbf'; for i in $(seq 0 255); do printf "\\$(printf %03o "$i")"; done
  printf '\n\0enable=no\n%0300d\n[hwcaps\r\n=\n:\n;x\n[hwcaps]\r\nmax-level=x86-64-v2\r\n'
  head -c 20000 /dev/urandom; } > "$1$SYSCONFDIR/hwcaps.conf"
