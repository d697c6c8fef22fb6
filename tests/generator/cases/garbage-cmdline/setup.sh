#!/bin/bash
# SPDX-License-Identifier: MIT
# $1: the fixture root. Random bytes, new on each run.
mkdir -p "$1/proc"
{ head -c 5000 /dev/urandom; printf '\0\0 "unterminated hwcaps=off'; } > "$1/proc/cmdline"
