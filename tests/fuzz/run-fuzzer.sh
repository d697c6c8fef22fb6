#!/bin/sh
# Runs one libFuzzer target for a bounded time: run-fuzzer.sh FUZZER NAME SEEDS WORKDIR [DICT]
#   HWCAPS_FUZZ_SECONDS  how long (default: 60 when CI is set, else 10)
# New inputs go to WORKDIR/corpus-NAME and crashes to WORKDIR/artifacts/,
# never into the source tree; a crash fails the test and names its file.
set -eu
fuzzer=$1 name=$2 seeds=$3 work=$4 dict=${5:-}
if [ -n "${CI:-}" ]; then default=60; else default=10; fi
secs=${HWCAPS_FUZZ_SECONDS:-$default}
mkdir -p "$work/corpus-$name" "$work/artifacts"
# libFuzzer's default exit status for a crash is 77, which meson reads as
# "skipped": ask for 1.
set -- -max_total_time="$secs" -timeout=10 -error_exitcode=1 -timeout_exitcode=1 -rss_limit_mb=2048 -max_len=8192 \
        -print_final_stats=1 -artifact_prefix="$work/artifacts/$name-"
[ -n "$dict" ] && set -- "$@" -dict="$dict"
echo "fuzz-$name: ${secs}s (HWCAPS_FUZZ_SECONDS), corpus $work/corpus-$name + $seeds"
# One process, one worker: the machine is shared.
if "$fuzzer" "$@" "$work/corpus-$name" "$seeds"; then
        exit 0
else
        rc=$?
        [ "$rc" -eq 77 ] && rc=1
        echo "fuzz-$name: FAILED (exit $rc); reproducer: $work/artifacts/$name-*" >&2
        echo "  minimise: $fuzzer -minimize_crash=1 -runs=10000 FILE; then add it to $seeds" >&2
        exit "$rc"
fi
