#!/usr/bin/env bash
# Installs what a fresh machine (Rust toolchain, gcc, python3, Debian's
# package manager) lacks for building and testing libbytes: cmake,
# pkg-config, valgrind, curl and wrk (the server tests), groff and man-db (the
# man pages' check), ninja and fmt (the packaging and C++ tests), cargo-c
# (built from crates.io: Debian's is too old for this cargo), the
# clippy/rustfmt components, and the pinned nightly toolchain
# (scripts/nightly.sh) with Miri and the standard library's sources (for Miri and the
# ThreadSanitizer build). Idempotent:
# a machine that has everything costs a few checks. Sourced or run.
set -euo pipefail

bytes_apt_install() {
  if [ "$(id -u)" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  else
    sudo DEBIAN_FRONTEND=noninteractive apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  fi
}

missing=()
command -v cmake >/dev/null || missing+=(cmake)
command -v g++ >/dev/null || missing+=(g++)
# BYTES_TOOLS=demo (scripts/demo.sh): only what building the library and
# running the demo needs; the nightly, Miri, valgrind, wrk and cargo-c are
# for the tests.
if [ "${BYTES_TOOLS:-all}" = demo ]; then
  if [ ${#missing[@]} -gt 0 ]; then
    echo "ensure-tools: installing ${missing[*]}"
    bytes_apt_install "${missing[@]}"
  fi
  return 0 2>/dev/null || exit 0
fi
command -v pkg-config >/dev/null || missing+=(pkg-config)
command -v valgrind >/dev/null || missing+=(valgrind)
command -v curl >/dev/null || missing+=(curl)
command -v wrk >/dev/null || missing+=(wrk)
command -v groff >/dev/null || missing+=(groff-base)
command -v man >/dev/null || missing+=(man-db)
# The packaging test: Ninja Multi-Config, fmt for bytes.hpp's formatter.
command -v ninja >/dev/null || missing+=(ninja-build)
[ -f /usr/include/fmt/format.h ] || missing+=(libfmt-dev)
# Building cargo-c (below) needs OpenSSL's headers.
if ! cargo cinstall --version >/dev/null 2>&1 && [ ! -f /usr/include/openssl/ssl.h ]; then
  missing+=(libssl-dev)
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "ensure-tools: installing ${missing[*]}"
  if command -v apt-get >/dev/null; then
    bytes_apt_install "${missing[@]}"
  elif [ "${missing[*]}" = cmake ]; then
    python3 -m pip install --user --quiet cmake
    export PATH="$HOME/.local/bin:$PATH"
  else
    echo "ensure-tools: cannot install ${missing[*]} here" >&2
    exit 1
  fi
fi

for component in rustfmt clippy; do
  rustup component list --installed 2>/dev/null | grep -q "^$component" || rustup component add "$component"
done

# The pinned nightly (scripts/nightly.sh) with Miri and the standard
# library's sources.
source "$(dirname "${BASH_SOURCE[0]}")/nightly.sh"
if ! cargo "+$BYTES_NIGHTLY" miri --version >/dev/null 2>&1; then
  echo "ensure-tools: installing $BYTES_NIGHTLY with Miri"
  rustup toolchain install "$BYTES_NIGHTLY" --profile minimal --component miri,rust-src
fi
# Builds Miri's standard library once per toolchain (minutes), then a check.
cargo "+$BYTES_NIGHTLY" miri setup >/dev/null

# cargo-c for the packaging test's `cargo cinstall`. Debian bookworm's
# cargo-c (0.9.14) embeds a cargo too old for the lock file's dependencies
# (edition 2024 crates), so it is built from crates.io: the newest release
# that supports this rustc, pinned with its lock file (about 10 minutes on
# 2 cores, once per machine).
if ! cargo cinstall --version >/dev/null 2>&1; then
  echo "ensure-tools: installing cargo-c (cargo install, several minutes)"
  cargo install cargo-c --version 0.10.24 --locked --quiet
fi
