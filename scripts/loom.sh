#!/usr/bin/env bash
# Model-checks the reference count with loom: every interleaving of the
# threads in src/storage/refcount.rs' loom tests. Part of scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
RUSTFLAGS="--cfg loom" LOOM_MAX_PREEMPTIONS="${LOOM_MAX_PREEMPTIONS:-3}" \
  cargo test --release --lib --target-dir target/loom loom_tests
