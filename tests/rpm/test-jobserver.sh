#!/bin/sh
# %hwcaps_build runs the level builds side by side under one make jobserver:
# together they never run more than %{_smp_build_ncpus} jobs, yet jobs of
# different levels do overlap. Every job of jobs.spec logs its start and end;
# the log is replayed to find the highest number of jobs running at once.
# Usage: test-jobserver.sh HWCAPS SRC
HWCAPS=$1 SRC=$2
. "$SRC/tests/rpm/lib.sh"

# replay LOG: "max=M cross=C jobs=J" -- M: most jobs at once; C: starts while
# a job of another level was running; J: jobs run.
replay() {
        awk '$1 == "start" { run++; lv[$2]++; for (l in lv) if (l != $2 && lv[l] > 0) { cross++; break }; if (run > max) max = run; n++ }
             $1 == "end" { run--; lv[$2]-- }
             END { printf "max=%d cross=%d jobs=%d\n", max, cross, n }' "$1"
}

# jobs NCPUS [rpmbuild args]: build jobs.spec, print the replay.
jobs() {
        n=$1
        shift
        st=$WORK/state-$n-$#
        mkdir -p "$st"
        : > "$st/log"
        rpmb "$WORK/top" "$SRC/tests/rpm/jobs.spec" --define "jobs_state $st" \
                --define "_smp_build_ncpus $n" --define "_smp_mflags -j$n" "$@" > "$WORK/build.log" 2>&1 \
                || { cat "$WORK/build.log" >&2; fail "rpmbuild jobs.spec"; }
        if grep -q 'resetting jobserver mode' "$WORK/build.log"; then
                fail "a level's make left the shared jobserver"
        fi
        replay "$st/log"
}

for n in 2 3; do
        r=$(jobs $n)
        echo "parallel, $n cpus: $r"
        max=$(echo "$r" | sed 's/max=\([0-9]*\).*/\1/')
        cross=$(echo "$r" | sed 's/.*cross=\([0-9]*\).*/\1/')
        assert_eq "all 18 jobs ran ($n cpus)" "jobs=18" "$(echo "$r" | grep -o 'jobs=[0-9]*')"
        [ "$max" -le "$n" ] && echo "ok: at most $n jobs at once (saw $max)" || fail "$max jobs at once with $n cpus"
        [ "$cross" -gt 0 ] && echo "ok: levels built side by side" || fail "levels did not overlap ($r)"
done

r=$(jobs 2 --define 'hwcaps_parallel 0')
echo "sequential, 2 cpus: $r"
assert_eq "sequential: no overlap between levels" "cross=0" "$(echo "$r" | grep -o 'cross=[0-9]*')"
max=$(echo "$r" | sed 's/max=\([0-9]*\).*/\1/')
[ "$max" -le 2 ] && echo "ok: sequential keeps -j2 (saw $max)" || fail "sequential: $max jobs at once"
finish
