#!/bin/sh
# SPDX-License-Identifier: MIT
# Generator start-up cost, measured side by side with hyperfine (no shell
# in between: -N): hwcaps-env-generator against /bin/true (the floor: one
# exec of a dynamically linked program) and systemd's own
# 30-systemd-environment-d-generator. Prints mean times and ratios; the
# target is at most 1.5x /bin/true. A benchmark, not a test: it asserts
# nothing. Usage: generator.sh GENERATOR [RUNS]
set -eu
gen=$1 runs=${2:-3000}
envd=/usr/lib/systemd/user-environment-generators/30-systemd-environment-d-generator
[ -x "$envd" ] || envd=/lib/systemd/user-environment-generators/30-systemd-environment-d-generator
command -v hyperfine >/dev/null || { echo "hyperfine not installed"; exit 77; }
csv=$(mktemp)
trap 'rm -f "$csv"' EXIT

set -- /bin/true "$gen"
[ -x "$envd" ] && set -- "$@" "$envd"
# What a system manager passes: its default PATH and nothing else of ours.
env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin HOME=/root \
        hyperfine -N --style basic --warmup 200 --runs "$runs" --export-csv "$csv" "$@" >/dev/null 2>&1 ||
        env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin HOME=/root \
        hyperfine -N --warmup 200 --runs "$runs" --export-csv "$csv" "$@"

echo "generator start-up, mean of $runs runs each (hyperfine -N):"
awk -F, 'NR == 1 { next }
         { name[NR] = $1; b[NR] = $1; sub(/.*\//, "", b[NR]); mean[NR] = $2 * 1000; sd[NR] = $3 * 1000; med[NR] = $4 * 1000; if (NR == 2) base = mean[NR] }
         END { for (i = 2; i <= NR; i++)
                   printf "  %-36s mean %7.3f ms ± %.3f  median %7.3f ms  %.2fx /bin/true\n", b[i], mean[i], sd[i], med[i], mean[i] / base }' "$csv"
# Ratios of medians: on a shared machine the mean carries other people's
# load spikes; the median is the typical start-up.
awk -F, 'NR == 2 { t = $4; tm = $2 } NR == 3 { g = $4; gm = $2 } NR == 4 { e = $4 }
         END { printf "ratio hwcaps-env-generator / /bin/true: %.2f (medians; means: %.2f; target <= 1.5)\n", g / t, gm / tm
               if (e) printf "ratio hwcaps-env-generator / 30-systemd-environment-d-generator: %.2f (medians)\n", g / e }' "$csv"
