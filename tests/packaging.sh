#!/usr/bin/env bash
# The packaging test: from a copy of the tracked files, configure, build and
# install libbytes into a temporary prefix, check what was installed (the
# soname, the exported symbols, the package files), then build and run a
# separate consumer (tests/consumer) three ways, each shared and static:
# find_package(bytes), add_subdirectory(libbytes) beside another Rust
# project, and pkg-config. Run by ctest as `packaging`.
set -euo pipefail

src=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
jobs=$(nproc)
fail() { echo "packaging: $*" >&2; exit 1; }
step() { printf '\n-- %s\n' "$*"; }

step "copy the tracked files"
mkdir "$work/libbytes"
if git -C "$src" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  (cd "$src" && git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$work/libbytes")
else
  # A source tree without git (an unpacked archive): all but build output.
  tar -C "$src" --exclude=./target --exclude=./build -cf - . | tar -C "$work/libbytes" -xf -
fi
copy="$work/libbytes"
prefix="$work/prefix"

step "configure, build, install into $prefix"
cmake -S "$copy" -B "$work/build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$prefix" >/dev/null
cmake --build "$work/build" -j "$jobs" >/dev/null
cmake --install "$work/build" >/dev/null
[ -d "$copy/target" ] && fail "the build wrote a cargo target directory into the source tree"

libdir="$prefix/lib"
version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$copy/Cargo.toml" | head -1)
major=${version%%.*}
for f in "libbytes.so.$version" "libbytes.so.$major" libbytes.so libbytes.a pkgconfig/bytes.pc \
         cmake/bytes/bytesConfig.cmake cmake/bytes/bytesConfigVersion.cmake; do
  [ -e "$libdir/$f" ] || fail "not installed: lib/$f"
done
[ -e "$prefix/include/bytes.h" ] || fail "not installed: include/bytes.h"
[ "$(readlink "$libdir/libbytes.so.$major")" = "libbytes.so.$version" ] || fail "libbytes.so.$major does not link to libbytes.so.$version"
[ "$(readlink "$libdir/libbytes.so")" = "libbytes.so.$major" ] || fail "libbytes.so does not link to libbytes.so.$major"

step "soname and exported symbols"
soname=$(readelf -d "$libdir/libbytes.so.$version" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
[ "$soname" = "libbytes.so.$major" ] || fail "soname is '$soname', not libbytes.so.$major"
exported=$(nm -D --defined-only "$libdir/libbytes.so.$version" | awk '{print $3}')
leaked=$(grep -v '^bytes_' <<<"$exported" || true)
[ -z "$leaked" ] || fail "symbols other than bytes_* are exported: $(head -5 <<<"$leaked")"
echo "soname $soname; $(wc -l <<<"$exported") symbols, all bytes_*"

# run_consumer NAME EXE SHARED|STATIC: runs it and checks how it links libbytes.
run_consumer() {
  local name=$1 exe=$2 kind=$3 needed
  "$exe" >/dev/null || fail "$name: the consumer failed"
  needed=$(readelf -d "$exe" | grep NEEDED || true)
  if [ "$kind" = shared ]; then
    grep -q "\[libbytes.so.$major\]" <<<"$needed" || fail "$name: does not need libbytes.so.$major"
  else
    grep -q libbytes <<<"$needed" && fail "$name: linked statically but needs a libbytes.so"
  fi
  echo "$name: ok"
}

step "find_package(bytes)"
cmake -S "$copy/tests/consumer" -B "$work/find" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$work/find" -j "$jobs" >/dev/null
run_consumer "find_package, shared" "$work/find/consumer_shared" shared
run_consumer "find_package, static" "$work/find/consumer_static" static

step "pkg-config --cflags --libs bytes"
export PKG_CONFIG_PATH="$libdir/pkgconfig"
cflags="$(pkg-config --cflags bytes) -std=c11 -Wall -Wextra -Wpedantic -Werror"
# shellcheck disable=SC2046,SC2086
cc $cflags "$copy/tests/consumer/main.c" -o "$work/pc_shared" $(pkg-config --libs bytes) -Wl,-rpath,"$libdir"
run_consumer "pkg-config, shared" "$work/pc_shared" shared
static_libs=$(pkg-config --static --libs bytes)
# shellcheck disable=SC2086
cc $cflags "$copy/tests/consumer/main.c" -o "$work/pc_static" ${static_libs/-lbytes /-l:libbytes.a }
run_consumer "pkg-config, static" "$work/pc_static" static

step "add_subdirectory(libbytes) beside another Rust project"
cmake -S "$copy/tests/consumer" -B "$work/sub" -DCONSUMER_VIA=add_subdirectory -DLIBBYTES_DIR="$copy" \
      -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build "$work/sub" -j "$jobs" >/dev/null
run_consumer "add_subdirectory, shared" "$work/sub/consumer_shared" shared
run_consumer "add_subdirectory, static" "$work/sub/consumer_static" static
tests=$(cd "$work/sub" && ctest -N | sed -n 's/^Total Tests: //p')
[ "$tests" = 1 ] || fail "add_subdirectory added libbytes' tests to the parent ($tests tests)"
cmake --build "$work/sub" --target help | grep -q test_construct && fail "add_subdirectory built libbytes' tests"
[ -d "$copy/target" ] && fail "a build wrote a cargo target directory into the source tree"

echo
echo "packaging: every check passed"
