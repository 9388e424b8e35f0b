#!/usr/bin/env bash
# Checks the README's recipe "Cross-language LTO": libbytes.a built with
# -Clinker-plugin-lto by a rustc whose LLVM is clang's, and a C program
# compiled and linked with that clang and lld (ThinLTO), gets the
# per-handle calls inlined. Installs clang-19 and lld-19 (apt) and the
# rustc of LLVM 19 (rustup, $BYTES_LTO_TOOLCHAIN) when missing; skips, with
# a message and status 0, where they cannot be installed.
#
# Builds tests/lto/lto.c twice with clang: against the LTO library (ThinLTO)
# and against the same library built without LTO (the ordinary static
# link). Fails unless
#  - the loops of the LTO program (loop_clone, loop_slice, loop_split)
#    call none of bytes_clone, bytes_slice, bytes_split_to, bytes_drop, and
#    do the count's atomic updates themselves (a `lock` instruction), while
#    in the ordinary program each of them calls those functions (so the
#    check can see a call where there is one);
#  - both programs pass `lto check` (contents, pointers, counts, errors).
# Then prints callgrind's instructions per operation of both (with the
# loop), when valgrind is there: numbers to read, never asserted.
set -euo pipefail
cd "$(dirname "$0")/.."

# The pair: clang-$llvm and a Rust toolchain whose `rustc -vV` reports
# LLVM $llvm (1.86.0: LLVM 19.1.7, as Debian 12's clang-19 is 19.1.7).
llvm=19
toolchain=${BYTES_LTO_TOOLCHAIN:-1.86.0}
clang=clang-$llvm
lld=ld.lld-$llvm
out=build/lto
cargo_dir=target/lto

skip() {
  echo "lto: SKIPPED: $*"
  exit 0
}

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

if ! command -v "$clang" >/dev/null || ! command -v "$lld" >/dev/null; then
  command -v apt-get >/dev/null || skip "$clang and $lld are missing and there is no apt-get to install them"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  if ! apt-cache show "clang-$llvm" "lld-$llvm" >/dev/null 2>&1; then
    skip "apt offers no clang-$llvm/lld-$llvm here"
  fi
  echo "lto: installing clang-$llvm lld-$llvm"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "clang-$llvm" "lld-$llvm" >/dev/null ||
    skip "apt-get install clang-$llvm lld-$llvm failed"
fi
if ! rustc "+$toolchain" -vV >/dev/null 2>&1; then
  command -v rustup >/dev/null || skip "the Rust toolchain $toolchain is missing and there is no rustup"
  echo "lto: installing the Rust toolchain $toolchain (LLVM $llvm)"
  rustup toolchain install "$toolchain" --profile minimal --no-self-update >/dev/null ||
    skip "rustup toolchain install $toolchain failed"
fi

# The rule of the recipe: the same LLVM major version on both sides.
rust_llvm=$(rustc "+$toolchain" -vV | sed -n 's/^LLVM version: \([0-9]*\).*/\1/p')
clang_llvm=$("$clang" --version | sed -n 's/.*clang version \([0-9]*\).*/\1/p' | head -n 1)
if [ "$rust_llvm" != "$llvm" ] || [ "$clang_llvm" != "$llvm" ]; then
  echo "lto: rustc +$toolchain has LLVM $rust_llvm and $clang LLVM $clang_llvm; both must be $llvm" >&2
  exit 1
fi
host=$(rustc "+$toolchain" -vV | sed -n 's/^host: //p')

# The library twice: as the recipe says (RUSTFLAGS=-Clinker-plugin-lto; an
# explicit --target keeps the flag off build scripts, which cargo links
# with the system's cc), and without the flag. Only the static library:
# the cdylib would need a linker that reads bitcode. -Awarnings: this older
# rustc's lints are not the project's (clippy checks those).
for kind in plugin plain; do
  flags=-Awarnings
  [ "$kind" = plugin ] && flags="-Clinker-plugin-lto $flags"
  RUSTFLAGS="$flags" CARGO_TARGET_DIR="$cargo_dir/$kind" \
    cargo "+$toolchain" rustc --quiet --locked --release --lib --crate-type staticlib --target "$host"
done

# The system libraries Rust's std needs, as rustc reports them.
mkdir -p "$out"
: >"$out/probe.rs"
native=$(rustc "+$toolchain" --crate-type staticlib --crate-name probe --print native-static-libs \
  -o "$out/libprobe.a" "$out/probe.rs" 2>&1 | sed -n 's/.*native-static-libs: //p')
[ -n "$native" ] || { echo "lto: rustc did not report its native-static-libs" >&2; exit 1; }

# The C program: ThinLTO (-flto=thin, as rustc's bitcode is), linked by
# lld with the link-time optimisation at -O3. --target: rustc's triple,
# so that lld does not warn that the modules' triples differ.
cflags=(--target="$host" -O2 -Wall -Wextra -Wpedantic -Werror -Iinclude)
# shellcheck disable=SC2086 # $native is a list of -l flags
{
  "$clang" "${cflags[@]}" -flto=thin -c tests/lto/lto.c -o "$out/lto.o"
  "$clang" --target="$host" -O3 -flto=thin -fuse-ld="lld-$llvm" "$out/lto.o" \
    "$cargo_dir/plugin/$host/release/libbytes.a" $native -o "$out/lto"
  "$clang" "${cflags[@]}" -c tests/lto/lto.c -o "$out/plain.o"
  "$clang" --target="$host" "$out/plain.o" "$cargo_dir/plain/$host/release/libbytes.a" $native -o "$out/plain"
}

# The machine code of function $2 (also under a name LTO gave it, $2.*) in $1.
disassemble() {
  objdump -d --no-show-raw-insn "$1" |
    awk -v f="$2" '/^[0-9a-f]+ </ { p = ($2 == "<" f ">:" || index($2, "<" f ".") == 1) } p'
}
calls='call.*<bytes_(clone|slice|split_to|drop|clear)>'
failed=0
for loop in loop_clone loop_slice loop_split; do
  lto_code=$(disassemble "$out/lto" "$loop")
  plain_code=$(disassemble "$out/plain" "$loop")
  if [ -z "$lto_code" ] || [ -z "$plain_code" ]; then
    echo "lto: FAIL: no function $loop in $out/lto or $out/plain" >&2
    failed=1
    continue
  fi
  if grep -Eq "$calls" <<<"$lto_code"; then
    echo "lto: FAIL: $loop still calls the library in the LTO build:" >&2
    grep -E "$calls" <<<"$lto_code" >&2
    failed=1
  elif ! grep -q 'lock ' <<<"$lto_code"; then
    echo "lto: FAIL: $loop of the LTO build has no atomic update of the count" >&2
    failed=1
  elif ! grep -Eq "$calls" <<<"$plain_code"; then
    echo "lto: FAIL: $loop of the ordinary build calls no bytes_ function: the check cannot see calls" >&2
    failed=1
  else
    echo "lto: $loop: inlined ($(grep -Ec "$calls" <<<"$plain_code") calls in the ordinary build, none with LTO)"
  fi
done
"$out/lto" check
"$out/plain" check
[ "$failed" = 0 ] || exit 1

# Instructions per operation (the loop included), as benches/ counts them:
# callgrind counts only inside the loop's function.
if ! command -v valgrind >/dev/null; then
  echo "lto: valgrind is missing: no instruction counts"
  exit 0
fi
n=100000
instr() {
  local file="$out/callgrind.$1.$2.$3"
  valgrind --tool=callgrind --toggle-collect='loop_*' --callgrind-out-file="$file" \
    "$out/$1" run "$2" "$3" "$n" 2>/dev/null || return 1
  awk -v n="$n" '/^(summary|totals):/ { printf "%.1f", $2 / n; exit }' "$file"
}
printf '\nlto: instructions per operation (callgrind, %d iterations, clang-%s)\n' "$n" "$llvm"
printf '%-34s %10s %10s\n' operation ordinary LTO
for storage in heap static; do
  for loop in clone slice split; do
    case $loop in
      clone) what="clone + drop" ;;
      slice) what="slice + drop" ;;
      split) what="clone + split_to + 2 drops" ;;
    esac
    plain=$(instr plain "$loop" "$storage")
    lto=$(instr lto "$loop" "$storage")
    printf '%-34s %10s %10s\n' "$what, $storage" "$plain" "$lto"
  done
done
