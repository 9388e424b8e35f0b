#!/usr/bin/env bash
# Builds and tests libbytes for Linux targets other than the x86_64 host:
#   aarch64  under qemu-aarch64, and again with 64 KiB pages (-p 65536)
#   s390x    big-endian, under qemu-s390x
#   i686     32-bit, run natively (started by the cross libc's loader)
#   armv7    32-bit, under qemu-arm
# For each: the Rust unit tests (`cargo test --lib`, cargo's runner set to
# the emulator), then the whole C suite through CMake with the target's
# toolchain file (cmake/toolchains/) and ctest, which runs every test
# program through CMAKE_CROSSCOMPILING_EMULATOR. The header's staleness
# test, the examples, the packaging test and the checkers (sanitizers,
# valgrind, Miri, loom) run on the host only (scripts/test.sh).
#
# Installs what is missing: the Rust targets (rustup), Debian's cross
# compilers and qemu-user (apt). Build trees: build/cross/<target>.
#
# Usage: scripts/cross.sh [aarch64|s390x|i686|armv7 ...]   (default: all)
set -euo pipefail
cd "$(dirname "$0")/.."

targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(aarch64 s390x i686 armv7)

# <name>: <Rust triple> <GNU triple> <Debian architecture> <qemu or "">
declare -A rust_triple=(
  [aarch64]=aarch64-unknown-linux-gnu [s390x]=s390x-unknown-linux-gnu
  [i686]=i686-unknown-linux-gnu [armv7]=armv7-unknown-linux-gnueabihf)
declare -A gnu_triple=(
  [aarch64]=aarch64-linux-gnu [s390x]=s390x-linux-gnu
  [i686]=i686-linux-gnu [armv7]=arm-linux-gnueabihf)
declare -A deb_arch=([aarch64]=arm64 [s390x]=s390x [i686]=i386 [armv7]=armhf)
declare -A qemu=([aarch64]=qemu-aarch64 [s390x]=qemu-s390x [i686]="" [armv7]=qemu-arm)

for t in "${targets[@]}"; do
  [ -n "${rust_triple[$t]:-}" ] || { echo "cross.sh: unknown target '$t'" >&2; exit 2; }
done

# What is missing, installed in one go.
packages=()
rust_targets=()
installed_targets="$(rustup target list --installed)"
for t in "${targets[@]}"; do
  gnu="${gnu_triple[$t]}"
  command -v "$gnu-gcc" >/dev/null || packages+=("gcc-$gnu")
  command -v "$gnu-g++" >/dev/null || packages+=("g++-$gnu")
  [ -d "/usr/$gnu/include" ] || packages+=("libc6-dev-${deb_arch[$t]}-cross")
  if [ -n "${qemu[$t]}" ] && ! command -v "${qemu[$t]}" >/dev/null; then
    packages+=(qemu-user)
  fi
  grep -qx "${rust_triple[$t]}" <<<"$installed_targets" || rust_targets+=("${rust_triple[$t]}")
done
if [ ${#packages[@]} -gt 0 ]; then
  # Never gcc-multilib: it removes the other cross compilers.
  mapfile -t packages < <(printf '%s\n' "${packages[@]}" | sort -u)
  echo "cross.sh: installing ${packages[*]}"
  sudo=()
  [ "$(id -u)" = 0 ] || sudo=(sudo)
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
fi
if [ ${#rust_targets[@]} -gt 0 ]; then
  rustup target add "${rust_targets[@]}"
fi

# The command that runs a program of target $1, as words.
runner() {
  local gnu="${gnu_triple[$1]}"
  if [ -n "${qemu[$1]}" ]; then
    echo "${qemu[$1]} -L /usr/$gnu"
  else
    echo "/usr/$gnu/lib/ld-linux.so.2 --library-path /usr/$gnu/lib"
  fi
}

for t in "${targets[@]}"; do
  triple="${rust_triple[$t]}"
  gnu="${gnu_triple[$t]}"
  dir="build/cross/$t"
  var="CARGO_TARGET_$(tr 'a-z-' 'A-Z_' <<<"$triple")"
  read -r -a run <<<"$(runner "$t")"
  start=$SECONDS

  printf '\n-- %s: cargo test --lib (%s)\n' "$t" "${run[*]}"
  env "${var}_LINKER=$gnu-gcc" "${var}_RUNNER=${run[*]}" CARGO_TARGET_DIR="$dir/cargo" \
    cargo test --locked --lib --target "$triple" -q

  printf '\n-- %s: the C suite (ctest through %s)\n' "$t" "${run[*]}"
  emulator="$(tr ' ' ';' <<<"${run[*]}")"
  # Debug: the library keeps Rust's overflow checks, which matter most on
  # the 32-bit targets, and it costs less than Release here (aarch64:
  # 37 s CPU to build, 31 s to run the suite under qemu; Release with LTO
  # 92 s + 17 s).
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Debug --toolchain "cmake/toolchains/$gnu.cmake" \
    "-DCMAKE_CROSSCOMPILING_EMULATOR=$emulator" >/dev/null
  cmake --build "$dir" -j "$(nproc)" >/dev/null
  ctest --test-dir "$dir/c-tests" --output-on-failure -j "$(nproc)"

  if [ "$t" = aarch64 ]; then
    printf '\n-- %s: the C suite again with 64 KiB pages\n' "$t"
    cmake -S . -B "$dir" "-DCMAKE_CROSSCOMPILING_EMULATOR=qemu-aarch64;-p;65536;-L;/usr/$gnu" >/dev/null
    ctest --test-dir "$dir/c-tests" --output-on-failure -j "$(nproc)"
    # qemu-aarch64 7.2 with 64 KiB pages crashes (SIGSEGV) while unwinding
    # any Rust panic: the one test that panics on purpose steps aside here
    # (it runs in every other run, this target's 4 KiB run included).
    env "${var}_LINKER=$gnu-gcc" "${var}_RUNNER=qemu-aarch64 -p 65536 -L /usr/$gnu" \
      BYTES_SKIP_UNWIND_TESTS=1 CARGO_TARGET_DIR="$dir/cargo" cargo test --locked --lib --target "$triple" -q
  fi
  printf -- '-- %s: passed in %d s\n' "$t" $((SECONDS - start))
done
