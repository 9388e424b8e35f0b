#!/usr/bin/env bash
# Builds libbytes in release mode and runs the demo: a zero-copy parse of an
# HTTP request into slices of one adopted buffer.
set -euo pipefail
cd "$(dirname "$0")/.."
# Installs only what the demo needs (cmake, g++), not the test tools.
BYTES_TOOLS=demo source scripts/ensure-tools.sh
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/release -j "$(nproc)"
./build/release/examples/http_request
