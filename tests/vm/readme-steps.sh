#!/bin/sh
# The README's walk-through, as a test runs it: the fenced blocks README.md
# marks with a line "<!-- walkthrough: KIND -->" right before the fence.
#   host        commands for the build machine (the test runs them there,
#               and dpkg-buildpackage by build-deb.sh, the same command)
#   guest       commands for the machine being set up (the VM)
#   file NAME   a file's contents
# usage: readme-steps.sh README OUTDIR
# Writes OUTDIR/host.sh (the host blocks in order), OUTDIR/guest.sh (the
# guest blocks in order, each command followed by a marker line
# "@@HWCAPS-WALK N RC" so one shell runs them all: "." persists) and
# OUTDIR/guest.cmds (command N on line N), and each file into OUTDIR.
# Fails when the README has no walk-through or a marker without a block.
set -eu
[ $# -eq 2 ] || { echo "usage: $0 README OUTDIR" >&2; exit 2; }
readme=$1 out=$2
mkdir -p "$out"
: >"$out/host.sh"
: >"$out/guest.sh"
: >"$out/guest.cmds"
awk -v out="$out" '
function fail(msg) { printf "readme-steps: %s:%d: %s\n", FILENAME, NR, msg > "/dev/stderr"; bad = 1; exit 1 }
/^<!-- walkthrough: .* -->$/ {
	if (kind != "") fail("a walkthrough marker with no block after it")
	kind = $0; sub(/^<!-- walkthrough: /, "", kind); sub(/ -->$/, "", kind)
	if (kind !~ /^(host|guest|file [A-Za-z0-9._-]+)$/) fail("unknown walkthrough kind \"" kind "\"")
	marked = NR; next
}
kind != "" && !inblock {
	if ($0 !~ /^```/) fail("a walkthrough marker must be right before a fenced block")
	inblock = 1; blocks++
	if (kind ~ /^file /) { f = out "/" substr(kind, 6); printf "" > f }
	next
}
inblock && /^```$/ { inblock = 0; if (f != "") close(f); kind = ""; f = ""; next }
inblock {
	if (f != "") { print > f; next }
	if (kind == "host") { print > (out "/host.sh"); next }
	line = $0
	if (line ~ /^[ \t]*(#.*)?$/) next
	n++
	print line > (out "/guest.cmds")
	printf "%s\nprintf \"@@HWCAPS-WALK %d %%s\\n\" \"$?\"\n", line, n > (out "/guest.sh")
}
END {
	if (bad) exit 1
	if (inblock) fail("a walkthrough block is not closed")
	if (kind != "") fail("a walkthrough marker with no block after it")
	if (!blocks) fail("no walkthrough blocks")
}' "$readme"
