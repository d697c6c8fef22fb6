#!/bin/bash
# SPDX-License-Identifier: MIT
# $1: the fixture root. 60 kB of command line: made, not kept in git.
{ head -c 60000 /dev/zero | tr '\0' x; printf ' quiet\n'; } > "$1/proc/cmdline"
