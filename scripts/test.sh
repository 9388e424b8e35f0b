#!/usr/bin/env bash
# Runs every test of libbytes: formatting, lints, the Rust tests (which
# include the generated header's staleness check), the Rust core's tests
# under Miri, loom's model checks of the reference count, then the C suite
# and the examples under ctest (with the packaging test), and again under
# ASan+UBSan, TSan and valgrind; last the Rust unit tests and the C suite
# for aarch64, s390x, i686 and armv7 (scripts/cross.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-tools.sh

step() { printf '\n== %s\n' "$*"; }

step "cargo fmt --check"
cargo fmt --check
step "cargo clippy --all-targets -- -D warnings"
cargo clippy --locked --all-targets -- -D warnings
step "cargo test (unit tests, header staleness)"
cargo test --locked
step "the C boundary's fast paths cannot panic (scripts/no-panic.sh)"
bash scripts/no-panic.sh
step "cross-language LTO: clang-19 inlines the per-handle calls (scripts/lto.sh)"
bash scripts/lto.sh
step "cargo +$BYTES_NIGHTLY miri test (the Rust core under Miri)"
cargo "+$BYTES_NIGHTLY" miri test --locked --lib
step "loom (every interleaving of threads sharing one storage)"
bash scripts/loom.sh

step "ctest (the C suite and examples, Debug build)"
cmake -S . -B build/test -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build build/test -j "$(nproc)"
ctest --test-dir build/test --output-on-failure -j "$(nproc)"
step "documentation: man pages, doc comments, the guide's examples (scripts/docs.sh)"
bash scripts/docs.sh build/test/lib/debug/libbytes.so build/test

step "the C suite under ASan+UBSan, TSan and valgrind"
bash scripts/checkers.sh

step "cross targets: aarch64 (also 64 KiB pages), s390x, i686, armv7 (scripts/cross.sh)"
bash scripts/cross.sh
