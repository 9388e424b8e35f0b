#!/usr/bin/env bash
# Runs the C suite and the examples under each checker, in build trees of
# their own: AddressSanitizer+UndefinedBehaviorSanitizer (leak detection
# on), ThreadSanitizer (the Rust library instrumented too), and valgrind
# memcheck. Any report fails the run. Part of scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-tools.sh

# allocator_may_return_null: the tests ask for absurd sizes on purpose and
# expect BYTES_ERR_NOMEM, not a sanitizer report.
export ASAN_OPTIONS=allocator_may_return_null=1:detect_leaks=1:detect_stack_use_after_return=1:strict_string_checks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export TSAN_OPTIONS=allocator_may_return_null=1:halt_on_error=1:second_deadlock_stack=1

checked() {
  local name=$1
  shift
  printf '\n== ctest under %s\n' "$name"
  cmake -S . -B "build/$name" -DCMAKE_BUILD_TYPE=Debug "$@" >/dev/null
  cmake --build "build/$name" -j "$(nproc)"
  ctest --test-dir "build/$name" --output-on-failure -j "$(nproc)"
}

checked asan -DBYTES_SANITIZE=address
checked tsan -DBYTES_SANITIZE=thread
checked valgrind -DBYTES_VALGRIND=ON
