#!/bin/sh
# SPDX-License-Identifier: MIT
# Commands and file names in the man pages are literal blocks: a reader can
# copy them from a narrow terminal, unhyphenated and unwrapped. For every
# ``` block of each doc/*.scd, every line must come out of man(1), rendered
# 60 columns wide, whole; and no page keeps the old tab-and-"++" form that
# man fills and hyphenates. Usage: test-man.sh SOURCE-ROOT BUILD-DOC-DIR
set -u
src=$1 built=$2
command -v man >/dev/null || { echo "SKIP: no man(1)"; exit 77; }
fails=0
for scd in "$src"/doc/*.scd; do
        page=$(basename "$scd" .scd)
        [ -f "$built/$page" ] || { echo "SKIP: $page not built (no scdoc)"; exit 77; }
        if grep -n "$(printf '^\t.*++$')" "$scd"; then
                echo "FAIL: $page: an example as indented text with ++ (hyphenated by man): use a \`\`\` block"
                fails=$((fails + 1))
        fi
        text=$(MANWIDTH=60 man -l "$built/$page" 2>/dev/null | sed 's/^ *//')
        awk '/^```/ { inside = !inside; next } inside' "$scd" | while IFS= read -r line; do
                [ -n "$line" ] || continue
                printf '%s\n' "$text" | grep -qxF -- "$line" ||
                        { echo "FAIL: $page: literal line not whole in man's output: $line"; exit 1; }
        done || fails=$((fails + 1))
done
[ "$fails" = 0 ] && echo "ok: every literal block of every man page comes out whole"
exit $((fails > 0))
