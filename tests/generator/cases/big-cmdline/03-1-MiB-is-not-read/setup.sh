#!/bin/bash
# SPDX-License-Identifier: MIT
# $1: the fixture root. 1 MiB of command line: made, not kept in git.
{ head -c 1048576 /dev/zero | tr '\0' x; printf ' quiet\n'; } > "$1/proc/cmdline"
