#!/bin/bash
# SPDX-License-Identifier: MIT
# $1: the fixture root. 1 MB of command line: made, not kept in git.
{ for i in $(seq 1 1000); do printf 'hwcaps=%01000d ' 0; done; } > "$1/proc/cmdline"
