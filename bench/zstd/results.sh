#!/bin/sh
# zstd built {baseline, v2, v3, v4} x {no profile, PGO} with
# the rpm macros, measured with hwcaps bench compressing and decompressing a
# corpus of >= 50 MB made from files on this machine.
# Usage: bench/zstd/results.sh HWCAPS SRC OUTDIR [ROUNDS]
# HWCAPS is build/dispatch/cli/hwcaps; the macros' Lua is the one generated
# beside it, build/rpm-macros/hwcaps.lua (or HWCAPS_LUADIR).
# Needs the zstd .orig tarball in /var/cache/hwcaps/src (tests/rpm/test-zstd.sh
# fetches it). Prints the numbers; OUTDIR keeps the JSON and logs.
set -eu
HWCAPS=$1 SRC=$2 OUT=$3 ROUNDS=${4:-20}
LUADIR=${HWCAPS_LUADIR:-$(cd "$(dirname "$HWCAPS")/../../rpm-macros" && pwd)}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
tarball=$(ls /var/cache/hwcaps/src/libzstd_*.orig.tar.* | grep -v '\.asc$' | head -n 1)
version=$(basename "$tarball" | sed 's/^libzstd_\([0-9.]*\).*/\1/')

# Corpus: source headers, documentation and shared libraries of this machine,
# cut at 64 MiB; the training corpus is a different 16 MiB slice.
if [ ! -s "$OUT/corpus.tar" ]; then
        tar -cf - /usr/include /usr/share/doc /usr/lib/x86_64-linux-gnu 2>/dev/null | head -c 67108864 >"$OUT/corpus.tar" || true
        tar -cf - /usr/share/perl /usr/share/man /usr/lib/python3 2>/dev/null | head -c 16777216 >"$OUT/train.tar" || true
fi

build() { # NAME SPEC [defines]
        local name=$1 spec=$2 top=$OUT/$1
        echo "building $name (log: $OUT/$name.log)" >&2
        shift 2
        rm -rf "$top" && mkdir -p "$top/SOURCES" && cp "$tarball" "$top/SOURCES/"
        rpmbuild -bb --nodeps --define "_topdir $top" --define "_build_id_links none" \
                --load "$SRC/rpm-macros/macros.hwcaps" --load "$SRC/rpm-macros/macros.hwcaps-profile" \
                --define "_hwcaps_luadir $LUADIR" \
                --define "__hwcaps $HWCAPS" \
                --define "__brp_hwcaps_check sh $SRC/rpm-macros/brp-hwcaps-check $HWCAPS %{buildroot}" \
                --define "zstd_version $version" --define "zstd_tarball $(basename "$tarball")" \
                "$@" "$spec" >"$OUT/$name.log" 2>&1
}
unpack() { # NAME: install its RPMs into a throw-away root
        rm -rf "$OUT/$1/root" && mkdir -p "$OUT/$1/root"
        rpm --root "$OUT/$1/root" --initdb
        rpm --root "$OUT/$1/root" --nodeps -i "$OUT/$1"/RPMS/*/*.rpm
}
ls "$OUT"/plain/RPMS/*/zstd-x86-64-v4-*.rpm >/dev/null 2>&1 || build plain "$SRC/tests/rpm/zstd.spec"
ls "$OUT"/pgo/RPMS/*/zstd-x86-64-v4-*.rpm >/dev/null 2>&1 ||
        build pgo "$SRC/bench/zstd/zstd-pgo.spec" --define "train_corpus $OUT/train.tar"
unpack plain
unpack pgo

# gcc applies a .gcda only to the object at the same path: count the
# x86-64-v3 objects that have a profile from the training tree.
hw=$(ls -d "$OUT"/pgo/BUILD/zstd-*.hwcaps)
n=0 m=0
for o in "$hw"/x86-64-v3/programs/obj/pgo/*.o; do
        m=$((m + 1))
        [ -e "$hw/pgo/gcda/programs#obj#pgo#$(basename "$o" .o).gcda" ] && n=$((n + 1))
done
echo "PGO: $n of $m x86-64-v3 objects have a training profile"

"$OUT/plain/root/usr/bin/zstd" -q -f -3 "$OUT/corpus.tar" -o "$OUT/corpus.tar.zst"
# plain and pgo alternate per workload, so slow drifts in the machine's load
# hit both alike (the levels inside each run are interleaved by bench).
for kind in plain pgo; do
        z=$OUT/$kind/root/usr/bin/zstd
        "$HWCAPS" bench -n "$ROUNDS" --json -- "$z" -q -c -3 "$OUT/corpus.tar" >"$OUT/$kind-compress.json"
done
for kind in pgo plain; do
        z=$OUT/$kind/root/usr/bin/zstd
        "$HWCAPS" bench -n "$ROUNDS" --json -- "$z" -q -d -c "$OUT/corpus.tar.zst" >"$OUT/$kind-decompress.json"
done
uptime
for w in compress decompress; do
        echo "== $w"
        for kind in plain pgo; do
                jq -r --arg k "$kind" '.levels[] | [$k, .level, (.median*1000|tostring|.[0:7]), (.min*1000|tostring|.[0:7]),
                        (.max*1000|tostring|.[0:7]), (.speedup|tostring|.[0:5]), (.speedup_q1|tostring|.[0:5]),
                        (.speedup_q3|tostring|.[0:5])] | @tsv' "$OUT/$kind-$w.json"
        done
done
