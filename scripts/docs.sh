#!/usr/bin/env bash
# Checks libbytes' documentation against the built library:
#  - every exported `bytes_` symbol of libbytes.so (`nm -D --defined-only`)
#    is declared in include/bytes.h with a doc comment, which lists its
#    errors when it returns bytes_status_t (scripts/gen-man.py --check);
#  - every exported symbol has a man page, and every page renders without
#    a warning (`groff -ww -man -Tutf8`);
#  - the checks fail when they should: on a header with one doc comment
#    removed, on one Errors paragraph removed, on an export the header does
#    not declare, and on a page with a bad macro;
#  - every C block of docs/guide.md compiles with -Wall -Wextra -Wpedantic
#    -Werror, and each marked as a program runs and exits 0
#    (scripts/guide-examples.py);
#  - given a CMake build directory, `cmake --install` of it puts a page for
#    every exported symbol where `man 3 NAME` finds it.
# Usage: scripts/docs.sh [path/to/libbytes.so [cmake build dir]]
#        (default: cargo build --lib, and no install check)
set -euo pipefail
cd "$(dirname "$0")/.."

lib=${1:-}
build=${2:-}
if [ -z "$lib" ]; then
  cargo build --lib --locked --quiet
  lib=target/debug/libbytes.so
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# bytes__* (two underscores) are internal: bytes__own_vtables serves the
# opt-in inline header, bytes_inline.h, which documents it.
# (Names lose their symbol version: bytes_slice@@BYTES_0.1 is bytes_slice.)
nm -D --defined-only "$lib" | awk '$3 ~ /^bytes_/ && $3 !~ /^bytes__/ { sub(/@.*/, "", $3); print $3 }' | sort -u >"$work/symbols"
echo "docs: $(wc -l <"$work/symbols") exported symbols in $lib"
[ -s "$work/symbols" ] || { echo "docs: no bytes_ symbols in $lib" >&2; exit 1; }

# Every export has a doc comment that lists its errors.
python3 scripts/gen-man.py --check include/bytes.h "$work/symbols"

# Every export has a page; every page renders without a warning.
python3 scripts/gen-man.py include/bytes.h "$work/man3" docs/guide.md
while read -r sym; do
  [ -s "$work/man3/$sym.3" ] || { echo "docs: no man page for $sym" >&2; exit 1; }
done <"$work/symbols"
render() { # page -> fails on any groff warning
  local out
  out=$(groff -ww -man -Tutf8 -z "$1" 2>&1)
  [ -z "$out" ] || { echo "docs: $1: $out" >&2; return 1; }
}
pages=0
for page in "$work/man3"/*.3; do
  render "$page"
  pages=$((pages + 1))
done
echo "docs: $pages man pages render without warnings"

# The checks fail when they should.
expect_failure() { # what, command...
  local what=$1
  shift
  if "$@" >"$work/neg.out" 2>&1; then
    echo "docs: the check passed $what" >&2
    exit 1
  fi
}
python3 - include/bytes.h "$work/no_doc.h" "$work/no_errors.h" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
# bytes_slice without its doc comment.
no_doc, n = re.subn(r"/\*\*(?:(?!\*/).)*\*/\n((?:BYTES_MUST_USE )?bytes_status_t bytes_slice\()", r"\1", text, count=1, flags=re.S)
assert n == 1, "bytes_slice's doc comment not found"
# ... and bytes_truncate (which returns nothing) without its doc comment.
no_doc, n = re.subn(r"/\*\*(?:(?!\*/).)*\*/\n(void bytes_truncate\()", r"\1", no_doc, count=1, flags=re.S)
assert n == 1, "bytes_truncate's doc comment not found"
open(sys.argv[2], "w").write(no_doc)
# bytes_advance without its Errors paragraph.
no_err, n = re.subn(r" \*\n \* Errors:(?:(?!\*/).)*(\*/\n(?:BYTES_MUST_USE )?bytes_status_t bytes_advance\()", r" \1", text, count=1, flags=re.S)
assert n == 1, "bytes_advance's Errors paragraph not found"
open(sys.argv[3], "w").write(no_err)
PY
expect_failure "a header with the doc comments of bytes_slice and bytes_truncate removed" \
  python3 scripts/gen-man.py --check "$work/no_doc.h" "$work/symbols"
grep -q "bytes_slice: no doc comment" "$work/neg.out"
grep -q "bytes_truncate: no doc comment" "$work/neg.out"
expect_failure "a header with bytes_advance's Errors paragraph removed" \
  python3 scripts/gen-man.py --check "$work/no_errors.h" "$work/symbols"
grep -q "bytes_advance" "$work/neg.out"
{ cat "$work/symbols"; echo bytes_undocumented_export; } >"$work/extra_symbols"
expect_failure "an export the header does not declare" \
  python3 scripts/gen-man.py --check include/bytes.h "$work/extra_symbols"
grep -q "bytes_undocumented_export" "$work/neg.out"
printf '.TH BAD 3\n.SH NAME\nbad \\- page\n.NOSUCHMACRO\n' >"$work/bad.3"
expect_failure "a page with an undefined macro" render "$work/bad.3"
echo "docs: the checks fail on an undocumented export, a missing Errors paragraph and a bad page"

# The guide's examples compile and run.
python3 scripts/guide-examples.py docs/guide.md "$lib"

# ... and the guide's check fails on a block that warns or a program that fails.
printf '# t\n\n```c program\nint main(void) { int unused; return 0; }\n```\n' >"$work/warns.md"
expect_failure "a guide block that warns" python3 scripts/guide-examples.py "$work/warns.md" "$lib"
printf '# t\n\n```c program\n#include <bytes.h>\nint main(void) { bytes_t b = bytes_new(); return bytes_len(&b) == 0; }\n```\n' >"$work/fails.md"
expect_failure "a guide program that exits 1" python3 scripts/guide-examples.py "$work/fails.md" "$lib"
echo "docs: the guide's check fails on a warning and on a failing program"

# `man 3 NAME` finds every exported function after `cmake --install`.
if [ -n "$build" ]; then
  cmake --install "$build" --prefix "$work/prefix" >/dev/null
  while read -r sym; do
    MANPATH="$work/prefix/share/man" man -w 3 "$sym" >/dev/null
  done <"$work/symbols"
  MANPATH="$work/prefix/share/man" man -w 3 libbytes >/dev/null
  echo "docs: after cmake --install, man 3 finds libbytes and all $(wc -l <"$work/symbols") exported functions"
fi
