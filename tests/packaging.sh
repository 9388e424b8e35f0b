#!/usr/bin/env bash
# The packaging test: libbytes as packagers and users get it. From a copy of
# the tracked files:
#   - configure with one prefix and install into another, with DESTDIR, and
#     move the installed tree: bytes.pc and the CMake package follow
#   - what was installed: soname and links, symbol versions, a static
#     archive whose only global symbols are bytes_*
#   - a consumer (tests/consumer) built through find_package and
#     pkg-config (shared, static), linked statically beside a second Rust
#     static library (tests/consumer/other_rust)
#   - add_subdirectory (Makefiles, Debug) and FetchContent (Ninja
#     Multi-Config, Debug and Release, --offline) embedding: no install
#     rules, no tests and no crate build at configure time in the parent
#   - a Debian package from CPack installed with dpkg and used by the
#     consumer through pkg-config and find_package
#   - `cargo build` alone, and `cargo cinstall` (cargo-c)
#   - a threaded consumer built with -fsanitize=thread against an install
#     made with BYTES_TSAN=ON
# Run by ctest as `packaging`.
set -euo pipefail
# Pipelines into grep read to the end (grep >/dev/null, never grep -q): an
# early exit of grep -q would kill the writer with SIGPIPE, which pipefail
# reports as a failure now and then.

src=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
jobs=$(nproc)
fail() { echo "packaging: $*" >&2; exit 1; }
started=$SECONDS
step() { printf '\n-- [%3ds] %s\n' $((SECONDS - started)) "$*"; }
quiet() { local log="$work/last.log"; "$@" >"$log" 2>&1 || { cat "$log" >&2; fail "failed: $*"; }; }

step "copy the tracked files"
mkdir "$work/libbytes"
if git -C "$src" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  (cd "$src" && git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$work/libbytes")
else
  # A source tree without git (an unpacked archive): all but build output.
  tar -C "$src" --exclude=./target --exclude=./build -cf - . | tar -C "$work/libbytes" -xf -
fi
copy="$work/libbytes"
consumer="$copy/tests/consumer"
[ -f "$copy/LICENSE-MIT" ] && [ -f "$copy/LICENSE-APACHE" ] || fail "LICENSE-MIT and LICENSE-APACHE are missing"

version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$copy/Cargo.toml" | head -1)
major=${version%%.*}
minor=${version#*.}; minor=${minor%%.*}
# The ABI policy: libbytes.so.0.MINOR while 0.x, libbytes.so.MAJOR after.
if [ "$major" = 0 ]; then soversion="0.$minor"; else soversion=$major; fi
soname="libbytes.so.$soversion"

step "configure for /nonexistent/configured, build (Release)"
cmake -S "$copy" -B "$work/build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/nonexistent/configured >/dev/null
if find "$work/build" -name '*.rlib' -o -name 'libbytes*.a' | grep . >/dev/null; then
  fail "configuring built the crate"
fi
quiet cmake --build "$work/build" -j "$jobs"
[ -d "$copy/target" ] && fail "the build wrote a cargo target directory into the source tree"

step "install into another prefix, with DESTDIR, and move the tree"
prefix="$work/prefix"
quiet cmake --install "$work/build" --prefix "$prefix"
libdir="$prefix/lib"
for f in "libbytes.so.$version" "$soname" libbytes.so libbytes.a pkgconfig/bytes.pc \
         cmake/bytes/bytesConfig.cmake cmake/bytes/bytesConfigVersion.cmake; do
  [ -e "$libdir/$f" ] || fail "not installed: lib/$f"
done
for f in include/bytes.h include/bytes.hpp share/doc/libbytes/LICENSE-MIT share/doc/libbytes/LICENSE-APACHE; do
  [ -e "$prefix/$f" ] || fail "not installed: $f"
done
[ "$(readlink "$libdir/$soname")" = "libbytes.so.$version" ] || fail "$soname does not link to libbytes.so.$version"
[ "$(readlink "$libdir/libbytes.so")" = "$soname" ] || fail "libbytes.so does not link to $soname"
grep -rq /nonexistent/configured "$prefix" && fail "an installed file names the configure-time prefix"
# pc_check PKG_CONFIG_DIR WANT_INCLUDE_DIR: bytes.pc there points at WANT.
pc_check() {
  local inc
  inc=$(PKG_CONFIG_PATH="$1" pkg-config --variable=includedir bytes)
  [ "$(cd "$inc" 2>/dev/null && pwd)" = "$2" ] || fail "bytes.pc in $1 gives includedir $inc, not $2"
}
pc_check "$libdir/pkgconfig" "$prefix/include"
stage="$work/stage"
DESTDIR="$stage" quiet cmake --install "$work/build" --prefix /opt/libbytes
pc_check "$stage/opt/libbytes/lib/pkgconfig" "$stage/opt/libbytes/include"
mv "$stage/opt/libbytes" "$work/moved"
pc_check "$work/moved/lib/pkgconfig" "$work/moved/include"

step "soname, symbol versions, the static archive's symbols"
so="$libdir/libbytes.so.$version"
got=$(readelf -d "$so" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
[ "$got" = "$soname" ] || fail "soname is '$got', not $soname"
# Every defined dynamic symbol is bytes_*@@BYTES_<soversion> (and the
# version node itself); nothing else is exported.
exported=$(readelf -W --dyn-syms "$so" | awk '$7 != "UND" && $8 ~ /./ && $1 ~ /^[0-9]+:$/ {print $8}')
count=$(grep -c '^bytes_' <<<"$exported" || true)
[ "$count" -gt 50 ] || fail "only $count bytes_* symbols exported"
bad=$(grep -v -e "^bytes_[a-z0-9_]*@@BYTES_$soversion\$" -e "^BYTES_$soversion\$" <<<"$exported" || true)
[ -z "$bad" ] || fail "exported without version BYTES_$soversion, or not bytes_*: $(head -5 <<<"$bad")"
globals=$(readelf -sW "$libdir/libbytes.a" | awk '($5 == "GLOBAL" || $5 == "WEAK") && $7 != "UND" {print $8}')
[ "$(grep -c '^bytes_' <<<"$globals")" = "$count" ] || fail "libbytes.a and libbytes.so define different bytes_* sets"
leaked=$(grep -v '^bytes_' <<<"$globals" || true)
[ -z "$leaked" ] || fail "libbytes.a has global symbols other than bytes_*: $(head -5 <<<"$leaked")"
echo "soname $soname; $count symbols, all bytes_*@@BYTES_$soversion; libbytes.a: $count globals"

# run_consumer NAME EXE SHARED|STATIC: runs it and checks how it links libbytes.
run_consumer() {
  local name=$1 exe=$2 kind=$3 needed
  "$exe" >/dev/null || fail "$name: the consumer failed"
  needed=$(readelf -d "$exe" | grep NEEDED || true)
  if [ "$kind" = shared ]; then
    grep -q "\[$soname\]" <<<"$needed" || fail "$name: does not need $soname"
    readelf -V "$exe" | grep "Name: BYTES_$soversion" >/dev/null || fail "$name: records no BYTES_$soversion symbol version"
  else
    grep -q libbytes <<<"$needed" && fail "$name: linked statically but needs a libbytes.so"
  fi
  echo "$name: ok"
}

step "find_package(bytes), from the installed and from the moved tree"
cmake -S "$consumer" -B "$work/find" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
quiet cmake --build "$work/find" -j "$jobs"
run_consumer "find_package, shared" "$work/find/consumer_shared" shared
run_consumer "find_package, static" "$work/find/consumer_static" static
cmake -S "$consumer" -B "$work/find_moved" -DCMAKE_PREFIX_PATH="$work/moved" >/dev/null
quiet cmake --build "$work/find_moved" -j "$jobs"
grep -q "$work/moved/lib/libbytes.so" "$work/find_moved/CMakeFiles/consumer_shared.dir/link.txt" \
  || fail "find_package in the moved tree did not link the moved library"
LD_LIBRARY_PATH="$work/moved/lib" run_consumer "find_package (moved), shared" "$work/find_moved/consumer_shared" shared
# The 0.x rule: a request for another minor version finds nothing.
mkdir "$work/findver"
cat >"$work/findver/CMakeLists.txt" <<EOF
cmake_minimum_required(VERSION 3.22)
project(v NONE)
find_package(bytes $major.$((minor + 1)) CONFIG QUIET)
if(bytes_FOUND)
  message(FATAL_ERROR "bytes $version accepted for a request of $major.$((minor + 1))")
endif()
find_package(bytes $major.$minor CONFIG REQUIRED)
EOF
cmake -S "$work/findver" -B "$work/findver/b" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null \
  || fail "the CMake package's version compatibility does not follow the ABI policy"

step "pkg-config --cflags --libs bytes (shared, static beside a second Rust archive)"
quiet cargo build --release --quiet --manifest-path "$consumer/other_rust/Cargo.toml" --target-dir "$work/other_rust"
other="$work/other_rust/release/libother_rust.a"
export PKG_CONFIG_PATH="$libdir/pkgconfig"
cflags="$(pkg-config --cflags bytes) -std=c11 -Wall -Wextra -Wpedantic -Werror"
# shellcheck disable=SC2046,SC2086
cc $cflags "$consumer/main.c" -o "$work/pc_shared" $(pkg-config --libs bytes) -Wl,-rpath,"$libdir"
run_consumer "pkg-config, shared" "$work/pc_shared" shared
# The static recipe of the README (POSIX sh): -lbytes becomes the archive.
static_libs=$(pkg-config --static --libs bytes | sed 's/-lbytes /-l:libbytes.a /')
# shellcheck disable=SC2086
cc $cflags -DWITH_OTHER_RUST "$consumer/main.c" -o "$work/pc_static" $static_libs "$other"
run_consumer "pkg-config, static + other Rust archive" "$work/pc_static" static
# The other order, and the other archive first in the program.
# shellcheck disable=SC2086
cc $cflags -DWITH_OTHER_RUST "$consumer/main.c" -o "$work/pc_static2" "$other" $static_libs
run_consumer "pkg-config, other Rust archive + static" "$work/pc_static2" static

step "add_subdirectory(libbytes) beside another Rust project (Makefiles, Debug)"
cmake -S "$consumer" -B "$work/sub" -G "Unix Makefiles" -DCONSUMER_VIA=add_subdirectory -DLIBBYTES_DIR="$copy" \
      -DCMAKE_BUILD_TYPE=Debug -DCMAKE_INSTALL_PREFIX="$work/sub_prefix" >/dev/null
[ -e "$work/sub/libbytes/cargo" ] && fail "configuring the parent built the crate"
quiet cmake --build "$work/sub" -j "$jobs"
run_consumer "add_subdirectory, shared" "$work/sub/consumer_shared" shared
run_consumer "add_subdirectory, static" "$work/sub/consumer_static" static
tests=$(cd "$work/sub" && ctest -N | sed -n 's/^Total Tests: //p')
[ "$tests" = 1 ] || fail "add_subdirectory added libbytes' tests to the parent ($tests tests)"
cmake --build "$work/sub" --target help | grep test_construct >/dev/null && fail "add_subdirectory built libbytes' tests"
quiet cmake --install "$work/sub"
installed=$(cd "$work/sub_prefix" && find . -type f -o -type l | sort)
[ "$installed" = "./bin/consumer_static" ] || fail "the parent's install installed libbytes too: $installed"
targets=$(cmake --build "$work/sub" --target help | sed -n 's/^\.\.\. \([^ ]*\).*/\1/p')
for t in bytes_shared bytes_static bytes_cargo_build; do
  grep -qx "$t" <<<"$targets" && fail "libbytes adds the unnamespaced target $t to the parent"
done
[ -d "$copy/target" ] && fail "a build wrote a cargo target directory into the source tree"

step "FetchContent, Ninja Multi-Config (Debug and Release), cargo --offline"
tar -C "$work" -czf "$work/libbytes.tar.gz" libbytes
cmake -S "$consumer" -B "$work/fc" -G "Ninja Multi-Config" -DCONSUMER_VIA=fetchcontent \
      -DLIBBYTES_URL="file://$work/libbytes.tar.gz" -DBYTES_CARGO_OFFLINE=ON >/dev/null
grep -q -- "--offline" "$work/fc/CMakeFiles/impl-Debug.ninja" || fail "BYTES_CARGO_OFFLINE did not reach cargo"
# (Without LTO here: the release build above is the LTO one; this saves a minute.)
for config in Debug Release; do
  CARGO_PROFILE_RELEASE_LTO=false quiet cmake --build "$work/fc" --config "$config" -j "$jobs"
  run_consumer "FetchContent $config, shared" "$work/fc/$config/consumer_shared" shared
  run_consumer "FetchContent $config, static" "$work/fc/$config/consumer_static" static
done
# Each configuration linked the library of its own cargo profile.
grep -q "lib/debug/libbytes.so" "$work/fc/CMakeFiles/impl-Debug.ninja" || fail "Debug did not link cargo's dev profile"
grep -q "lib/release/libbytes.so" "$work/fc/CMakeFiles/impl-Release.ninja" || fail "Release did not link cargo's release profile"

step "the Debian package (cpack -G DEB), installed with dpkg"
(cd "$work/build" && quiet cpack -G DEB)
deb=$(ls "$work"/build/libbytes_"$version"_*.deb)
root="$work/debroot"
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates"
touch "$root/var/lib/dpkg/status"
# The root holds no libc6 to satisfy the dependency: the host's serves.
quiet dpkg --root="$root" --force-depends --force-not-root -i "$deb"
dpkg --root="$root" -s libbytes | grep '^Status: install ok installed' >/dev/null || fail "dpkg did not install the package"
for f in /usr/lib/$soname /usr/lib/libbytes.a /usr/include/bytes.h /usr/lib/pkgconfig/bytes.pc \
         /usr/lib/cmake/bytes/bytesConfig.cmake; do
  dpkg --root="$root" -L libbytes | grep -x "$f" >/dev/null || fail "the package lacks $f"
done
dpkg-deb -f "$deb" Depends | grep libc6 >/dev/null || fail "the package does not depend on libc6"
dpkg-deb --ctrl-tarfile "$deb" | tar -tf - | grep shlibs >/dev/null || fail "the package has no shlibs file"
PKG_CONFIG_PATH="$root/usr/lib/pkgconfig" pc_check "$root/usr/lib/pkgconfig" "$root/usr/include"
# shellcheck disable=SC2046,SC2086
cc $cflags "$consumer/main.c" -o "$work/deb_pc" $(PKG_CONFIG_PATH="$root/usr/lib/pkgconfig" pkg-config --cflags --libs bytes)
LD_LIBRARY_PATH="$root/usr/lib" run_consumer "deb, pkg-config, shared" "$work/deb_pc" shared
cmake -S "$consumer" -B "$work/deb_find" -DCMAKE_PREFIX_PATH="$root/usr" >/dev/null
quiet cmake --build "$work/deb_find" -j "$jobs"
run_consumer "deb, find_package, static" "$work/deb_find/consumer_static" static
quiet dpkg --root="$root" --force-not-root -r libbytes
[ -e "$root/usr/lib/$soname" ] && fail "dpkg -r left the library behind"

step "ThreadSanitizer: a threaded consumer with the shipped suppressions"
supp="$prefix/share/libbytes/tsan-libbytes.supp"
[ -f "$supp" ] || fail "not installed: share/libbytes/tsan-libbytes.supp"
tsan_flags="-std=c11 -Wall -Wextra -Wpedantic -Werror -fsanitize=thread -g -I$prefix/include"
# shellcheck disable=SC2086
cc $tsan_flags "$consumer/tsan_threads.c" -o "$work/tsan_shared" -L"$libdir" -lbytes -Wl,-rpath,"$libdir" -lpthread
# shellcheck disable=SC2086
cc $tsan_flags "$consumer/tsan_threads.c" -o "$work/tsan_static" $static_libs
for kind in shared static; do
  exe="$work/tsan_$kind"
  # Without the suppressions TSan reports the free it cannot see ordered
  # (exit code 66): what the suppressions are for.
  status=0
  TSAN_OPTIONS="halt_on_error=1 exitcode=66" "$exe" >"$work/tsan.log" 2>&1 || status=$?
  [ "$status" = 66 ] || { cat "$work/tsan.log" >&2; fail "tsan $kind: expected TSan's report without suppressions (exit $status)"; }
  TSAN_OPTIONS="halt_on_error=1 exitcode=66 suppressions=$supp" "$exe" >"$work/tsan.log" 2>&1 \
    || { cat "$work/tsan.log" >&2; fail "tsan $kind: TSan reported with the suppressions"; }
  echo "tsan, $kind: reported without the suppressions, clean with them"
done

step "cargo build alone: the libraries load"
quiet cargo build --lib --locked --quiet --manifest-path "$copy/Cargo.toml" --target-dir "$work/cargo_only"
out="$work/cargo_only/debug"
got=$(readelf -d "$out/libbytes.so" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
[ -z "$got" ] || [ -e "$out/$got" ] || fail "cargo's libbytes.so has soname $got, a file cargo did not make"
# shellcheck disable=SC2086
cc $cflags -I"$copy/include" "$consumer/main.c" -o "$work/cargo_shared" -L"$out" -lbytes -Wl,-rpath,"$out"
"$work/cargo_shared" >/dev/null || fail "a program linked with cargo's libbytes.so does not run"
echo "cargo build: libbytes.so loads (soname '${got:-none}')"

step "cargo cinstall (cargo-c) into a prefix"
cprefix="$work/cprefix"
CARGO_PROFILE_RELEASE_LTO=false quiet cargo cinstall --release --locked --manifest-path "$copy/Cargo.toml" \
  --target-dir "$work/cargo_c" --prefix "$cprefix" --libdir "$cprefix/lib"
for f in "lib/$soname" lib/libbytes.so lib/libbytes.a lib/pkgconfig/bytes.pc include/bytes.h include/bytes.hpp; do
  [ -e "$cprefix/$f" ] || fail "cargo cinstall did not install $f"
done
got=$(readelf -d "$cprefix/lib/libbytes.so" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
[ "$got" = "$soname" ] || fail "cargo cinstall's soname is '$got', not $soname"
# shellcheck disable=SC2046,SC2086
cc $cflags "$consumer/main.c" -o "$work/cargo_c_pc" $(PKG_CONFIG_PATH="$cprefix/lib/pkgconfig" pkg-config --cflags --libs bytes) \
  -Wl,-rpath,"$cprefix/lib"
"$work/cargo_c_pc" >/dev/null || fail "a program built against cargo cinstall's library does not run"
readelf -d "$work/cargo_c_pc" | grep "\[$soname\]" >/dev/null || fail "the cargo-c consumer does not need $soname"
echo "cargo cinstall: soname $got, headers and bytes.pc; the consumer runs"

echo
echo "packaging: every check passed in $((SECONDS - started)) s"
