#!/bin/bash
# SPDX-License-Identifier: MIT
# $1: the fixture root, $2: this step folder (a scratch copy). A PATH of
# 10,000 entries and its expected value: made, not kept in git.
p=$(seq -f '/n/%g' 1 10000 | tr '\n' ':')
printf 'PATH=%s/usr/bin\n' "$p" > "$2/env"
printf '%s/usr/bin/glibc-hwcaps/x86-64-v2:/usr/bin\n' "$p" > "$2/expected"
