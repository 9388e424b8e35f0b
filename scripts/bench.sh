#!/usr/bin/env bash
# Benchmarks libbytes side by side with the Rust crate `bytes`: builds in
# release mode, runs every workload each way (libbytes from C linked
# statically and dynamically, the crate from Rust, plain C and
# Arc<Vec<u8>> baselines), then once more under callgrind for instruction
# counts, prints one table and writes it to benches/results.md.
#
#   bash scripts/bench.sh            everything (a few minutes on 2 cores)
#   bash scripts/bench.sh w2 w4      only workloads whose name starts so;
#                                    the table is printed, not written
#   BENCH_NO_CALLGRIND=1 bash scripts/bench.sh ...   timings only
#
# Everything is built in target/ (cargo) and build/bench/ (the C programs).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${BENCH_NO_CALLGRIND:-}" != 1 ] && ! command -v valgrind >/dev/null; then
  source scripts/ensure-tools.sh # installs valgrind
fi

out=build/bench
mkdir -p "$out/lib"

# The Rust side; the library it depends on is built with all its crate
# types, so this also makes target/release/libbytes.{a,so} (the second
# command is then a no-op, there to say what the C side links).
rust_bench=$(cargo bench --locked --no-run --bench crate_bytes --message-format=json \
  | grep -o '"executable":"[^"]*crate_bytes[^"]*"' | cut -d'"' -f4)
cargo build --locked --release --lib --quiet

# The C side, once per linkage. The static one needs the system libraries
# of Rust's std, which rustc reports for any staticlib. -fno-builtin-memcpy:
# C copies with glibc's memcpy, as Rust does, instead of gcc's inline
# `rep movs` (which callgrind counts once per 8 bytes).
echo '' >"$out/empty.rs"
native_libs=$(rustc --crate-type staticlib --print native-static-libs \
  "$out/empty.rs" -o "$out/libempty.a" 2>&1 | sed -n 's/.*native-static-libs: //p')
cflags=(-O2 -fno-builtin-memcpy -g -std=c11 -Wall -Wextra -Wpedantic -Werror -pthread -Iinclude)
cc "${cflags[@]}" -DBENCH_LINKAGE='"static"' benches/bench.c benches/alloc_count.c \
  target/release/libbytes.a $native_libs -o "$out/bench_c_static"
# The static library again, with the per-handle calls inline (bytes_inline.h).
cc "${cflags[@]}" -DBENCH_LINKAGE='"static, inline"' -DBYTES_INLINE benches/bench.c benches/alloc_count.c \
  target/release/libbytes.a $native_libs -o "$out/bench_c_inline"
# libbytes.so records the soname libbytes.so.0: give the loader that name.
cp target/release/libbytes.so "$out/lib/libbytes.so.0"
ln -sf libbytes.so.0 "$out/lib/libbytes.so"
cc "${cflags[@]}" -DBENCH_LINKAGE='"shared"' benches/bench.c benches/alloc_count.c \
  -L"$out/lib" -lbytes -Wl,-rpath,'$ORIGIN/lib' -o "$out/bench_c_shared"

python3 benches/run.py --c-static "$out/bench_c_static" --c-shared "$out/bench_c_shared" \
  --c-inline "$out/bench_c_inline" \
  --rust "$rust_bench" --callgrind-dir "$out/callgrind" "$@"
