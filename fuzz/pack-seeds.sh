#!/usr/bin/env bash
# Regenerates the committed seed corpus fuzz/corpus/c_api/ from what fuzzing
# runs on this machine found (fuzz/work/c_api/, see scripts/fuzz.sh) and the
# current seeds: examples/pack.rs splits packed files into their programs,
# libFuzzer's merge keeps the smallest set of programs that reaches the same
# code (edges only, -use_counters=0: hit counts would keep thousands), and
# pack.rs packs that set into a few dozen files of at most 2 KiB. Prints
# the coverage of the merged set and of the packed files, which should
# match.
#
#   FUZZ_SECONDS=600 bash scripts/fuzz.sh && bash fuzz/pack-seeds.sh
set -euo pipefail
cd "$(dirname "$0")/.."
target=c_api
cargo +nightly fuzz build --debug-assertions "$target"
bin=$(find fuzz/target -path "*/release/$target" -type f | head -n 1)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/min" "fuzz/corpus/$target"
pack() { (cd fuzz && cargo +nightly run -q --release --example pack -- "$@"); }
pack split "$tmp/all" "$PWD/fuzz/work/$target" "$PWD/fuzz/corpus/$target"
"$bin" -merge=1 -use_counters=0 -max_len=4096 "$tmp/min" "$tmp/all" >"$tmp/merge.log" 2>&1
pack join "$tmp/packed" "$tmp/min"
coverage() { "$bin" -runs=0 -max_len=4096 "$1" 2>&1 | grep -m1 -o 'INITED cov: [0-9]* ft: [0-9]*'; }
echo "merged: $(find "$tmp/min" -type f | wc -l) inputs, $(coverage "$tmp/min")"
echo "packed: $(find "$tmp/packed" -type f | wc -l) files, $(coverage "$tmp/packed")"
rm -rf "fuzz/corpus/$target"
mkdir -p "fuzz/corpus/$target"
cp "$tmp/packed"/* "fuzz/corpus/$target/"
