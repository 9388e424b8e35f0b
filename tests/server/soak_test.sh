#!/usr/bin/env bash
# server_soak: wrk against examples/http_server on 127.0.0.1 for a bounded
# time (SECONDS, at most 60), 64 keep-alive connections with requests
# pipelined 4 deep, while the served file is replaced (by rename) every
# 50 ms with one of two versions of different lengths: every response must
# be byte-equal to one of them, and the server's open descriptors and
# anonymous resident memory must end where they started (after a warm-up).
# Usage: soak_test.sh path/to/http_server [SECONDS]
source "$(dirname "$0")/common.sh"
DURATION=${2:-20}
[ "$DURATION" -ge 1 ] && [ "$DURATION" -le 60 ] || fail "SECONDS must be 1..60"
ROOT=$WORK/root
command -v wrk >/dev/null || fail "wrk is not installed (scripts/ensure-tools.sh installs it)"
make_docroot "$ROOT"
head -c 300000 /dev/urandom >"$WORK/a.bin"
head -c 70000 /dev/urandom >"$WORK/b.bin"
cp "$WORK/a.bin" "$ROOT/soak.bin"
start_server
echo "server on $BASE"

fds() { ls "/proc/$SERVER_PID/fd" | wc -l; }
rss_anon_kb() { awk '/^RssAnon:/ { print $2 }' "/proc/$SERVER_PID/status"; }
run_wrk() { # SECONDS
  timeout $(($1 + 30)) wrk -t2 -c64 -d"${1}s" --timeout 10s -s "$HERE/soak.lua" \
    "$BASE/soak.bin" -- "$WORK/a.bin" "$WORK/b.bin" >"$WORK/wrk.out" 2>&1 ||
    { cat "$WORK/wrk.out"; fail "wrk failed"; }
  cat "$WORK/wrk.out"
  grep -q "Socket errors" "$WORK/wrk.out" && fail "wrk reports socket errors"
  grep -q "Non-2xx" "$WORK/wrk.out" && fail "wrk reports non-2xx responses"
  grep -q "^checked [1-9][0-9]* responses, 0 bad$" "$WORK/wrk.out" ||
    fail "wrk: responses missing or not byte-equal to either version of the file"
}
# settle: waits (10 s at most) until the server holds no connection.
settle() {
  for _ in $(seq 100); do
    [ "$(fds)" -le "$1" ] && return 0
    sleep 0.1
  done
}

fds_start=$(fds)
echo "warm-up: 2 s"
run_wrk 2
settle "$fds_start"
fds_before=$(fds) rss_before=$(rss_anon_kb)
echo "after warm-up: $fds_before descriptors, RssAnon $rss_before kB"

echo "soak: $DURATION s, the file replaced every 50 ms"
(
  end=$((SECONDS + DURATION))
  i=0
  while [ $SECONDS -lt $end ]; do
    if [ $((i % 2)) -eq 0 ]; then src=$WORK/b.bin; else src=$WORK/a.bin; fi
    cp "$src" "$ROOT/.soak.tmp" && mv "$ROOT/.soak.tmp" "$ROOT/soak.bin"
    i=$((i + 1))
    sleep 0.05
  done
  echo "$i" >"$WORK/replaced"
) &
BG_PIDS+=($!)
run_wrk "$DURATION"
grep -q "^versions seen: [1-9][0-9]* a, [1-9][0-9]* b$" "$WORK/wrk.out" ||
  fail "the replaced file was not served in both versions (a stale cache?)"
wait "${BG_PIDS[-1]}" || true
echo "the file was replaced $(cat "$WORK/replaced") times"
[ "$(cat "$WORK/replaced")" -ge 2 ] || fail "the file was not replaced during the run"
settle "$fds_before"
fds_after=$(fds) rss_after=$(rss_anon_kb)
echo "after the soak: $fds_after descriptors, RssAnon $rss_after kB"
[ "$fds_after" -eq "$fds_before" ] || fail "descriptors: $fds_before before, $fds_after after"
# Anonymous memory: connection state and headers only (file pages are
# mapped, not anonymous); the allocator may keep a little more.
[ "$rss_after" -le $((rss_before + 1024)) ] ||
  fail "RssAnon grew from $rss_before kB to $rss_after kB"
c -o "$WORK/body" "$BASE/soak.bin"
cmp -s "$WORK/body" "$ROOT/soak.bin" || fail "after the soak: body differs from the file"
stop_server
echo "soak test passed"
