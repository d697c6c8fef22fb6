#!/bin/bash
# SPDX-License-Identifier: MIT
# $1: the fixture root, $2: this step folder (a scratch copy). A PATH of
# 10,000 entries: made, not kept in git.
p=$(for i in $(seq 1 10000); do printf '/usr/bin:'; done)/bin
printf 'PATH=%s\n' "$p" > "$2/env"
