#!/bin/bash
# SPDX-License-Identifier: MIT
# $1: the fixture root. 60 kB of command line: made, not kept in git.
mkdir -p "$1/proc"
{ head -c 60000 /dev/zero | tr '\0' x; printf ' hwcaps=off\n'; } > "$1/proc/cmdline"
