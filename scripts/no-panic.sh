#!/usr/bin/env bash
# Proves that the C boundary's fast paths (src/bytes/fast_path.rs,
# src/bytes_mut/fast_path.rs, the queue's src/queue/fast_path.rs and the
# helpers it uses in src/bytes/runs.rs and src/bytes_mut/reclaim.rs), which
# run outside the panic guard, cannot panic: built with the feature
# check-no-panic, each carries the no-panic crate's attribute, which leaves
# an undefined symbol naming the function in the library when the
# optimiser cannot prove that it never unwinds.
# A release build (the check needs the optimiser); fails listing them.
set -euo pipefail
cd "$(dirname "$0")/.."
target=target/no-panic
CARGO_TARGET_DIR=$target cargo build --locked --release --lib --features check-no-panic --quiet
lib=$target/release/libbytes.so
files=(src/bytes/fast_path.rs src/bytes_mut/fast_path.rs src/queue/fast_path.rs src/bytes/runs.rs
  src/bytes_mut/reclaim.rs)
checked=$(grep -c 'no_panic::no_panic' "${files[@]}" | awk -F: '{n += $2} END {print n}')
if nm -u "$lib" | grep -i 'no-panic\|no_panic'; then
  echo "no-panic: the functions above may panic" >&2
  exit 1
fi
echo "no-panic: $checked fast-path functions proven panic-free in $lib"
