#!/usr/bin/env bash
# Fuzzes libbytes' C API for a bounded time with cargo-fuzz (libFuzzer,
# AddressSanitizer and LeakSanitizer, debug assertions on). The target
# (fuzz/fuzz_targets/c_api.rs) reads each input as a program of C API calls
# on a pool of handles and checks every call against a model (fuzz/src/).
# Clone, slice, split_to/split_off, drop and clear are made, call by call as
# the program says, either through the exported functions or through the
# inline header's static inline code (include/bytes_inline.h with
# BYTES_INLINE, compiled by fuzz/build.rs with the C compiler, `cc`: gcc or
# clang, with AddressSanitizer) on the same handles.
#
#   bash scripts/fuzz.sh                     # 90 seconds, as CI runs it
#   FUZZ_SECONDS=600 bash scripts/fuzz.sh    # a longer run
#
# Then the queue target (fuzz/fuzz_targets/queue.rs: programs of
# bytes_queue_t calls against a byte-string model, fuzz/src/queue.rs) runs
# the same way for FUZZ_QUEUE_SECONDS (default 60).
#
# First the inputs in fuzz/regressions/c_api/ are replayed (each must pass),
# then the fuzzer runs from the committed seeds (fuzz/corpus/c_api/) plus
# whatever earlier runs on this machine found (fuzz/work/c_api/, not
# committed). Fails on any crash, leak, sanitizer report or model mismatch,
# leaving the input in fuzz/artifacts/c_api/; prints the number of
# executions. Uses one core.
set -euo pipefail
cd "$(dirname "$0")/.."

queue_seconds=${FUZZ_QUEUE_SECONDS:-60}

source scripts/nightly.sh
if ! cargo "+$BYTES_NIGHTLY" --version >/dev/null 2>&1; then
  echo "fuzz: installing $BYTES_NIGHTLY"
  rustup toolchain install "$BYTES_NIGHTLY" --profile minimal
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "fuzz: installing cargo-fuzz"
  cargo install cargo-fuzz --locked
fi

# Replays the regression inputs of target $1, then fuzzes it for $2 s.
fuzz_target() {
  local target=$1 seconds=$2
  work=fuzz/work/$target
  mkdir -p "$work" "fuzz/artifacts/$target"
  log=fuzz/work/$target.log

  fuzz() {
    # --debug-assertions: the library's debug_assert!s and overflow checks
    # are on; any panic, even one the C boundary would turn into
    # BYTES_ERR_INTERNAL, aborts the run.
    cargo "+$BYTES_NIGHTLY" fuzz run --debug-assertions "$target" "$@"
  }

  # libFuzzer's flags: bounded memory (a malloc over 1 GiB is a failure: the
  # harness never asks for more than 256 KiB for real), leak detection after
  # each input (LeakSanitizer; the default, stated here), 4 KiB inputs.
  flags=(-max_len=4096 -timeout=30 -rss_limit_mb=2048 -malloc_limit_mb=1024 -detect_leaks=1)

  # Prints the interesting part of a failed run's log.
  report() {
    echo "fuzz: FAILED (full log: $log); the end of the report:" >&2
    grep -n -m1 -E 'mismatch at|panicked at|ERROR: (Address|Leak|UndefinedBehavior)Sanitizer|deadly signal|out-of-memory|timeout after' "$log" >&2 || true
    tail -n 60 "$log" >&2
  }

  regressions=(fuzz/regressions/$target/*)
  if [ -e "${regressions[0]}" ]; then
    echo "fuzz: replaying ${#regressions[@]} regression inputs"
    if ! fuzz "${regressions[@]}" -- "${flags[@]}" >"$log" 2>&1; then
      report
      exit 1
    fi
  fi

  echo "fuzz: fuzzing $target for $seconds s"
  if ! fuzz "$work" "fuzz/corpus/$target" -- "${flags[@]}" \
    -max_total_time="$seconds" -print_final_stats=1 >"$log" 2>&1; then
    report
    exit 1
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
  corpus=$(find "$work" -type f | wc -l)
  echo "fuzz: OK: ${runs:-?} executions in $seconds s (${rate:-?}/s), no crash, leak or mismatch; $corpus inputs in $work"
}

fuzz_target c_api "${FUZZ_SECONDS:-90}"
fuzz_target queue "$queue_seconds"
