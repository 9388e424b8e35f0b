#!/usr/bin/env bash
# server_wrk / server_wrk_asan: wrk against examples/http_server for a
# bounded time (2 threads, 64 connections, loopback), on a 1 MiB and on a
# 4 KiB file. Every response wrk gets is compared with the file
# (check.lua); meanwhile and afterwards curl fetches whole files and ranges
# and compares them; then SIGTERM, while connections hold queued responses,
# must give exit status 0 with nothing on stderr. In the AddressSanitizer build that means no ASan, UBSan or
# LeakSanitizer report.
# Usage: wrk_test.sh path/to/http_server SECONDS_PER_FILE
source "$(dirname "$0")/common.sh"
SECONDS_PER_FILE=${2:-3}
ROOT=$WORK/root
# Ours last: they win over any given in the environment.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=1:halt_on_error=1"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}halt_on_error=1:print_stacktrace=1"
command -v wrk >/dev/null || fail "wrk is not installed (scripts/ensure-tools.sh installs it)"
make_docroot "$ROOT"
start_server
echo "server on $BASE"

# Byte checks by curl, in a loop while wrk runs: whole files and ranges.
curl_checks() {
  local out=$WORK/curl.$BASHPID
  c -o "$out" "$BASE/big.bin" && cmp -s "$out" "$ROOT/big.bin" || return 1
  c -o "$out" "$BASE/small.bin" && cmp -s "$out" "$ROOT/small.bin" || return 1
  c -o "$out" -r 4096-8191 "$BASE/big.bin" &&
    cmp -s "$out" <(tail -c +4097 "$ROOT/big.bin" | head -c 4096) || return 1
  c -o "$out" -r -100 "$BASE/small.bin" && cmp -s "$out" <(tail -c 100 "$ROOT/small.bin") || return 1
}

for f in big.bin small.bin; do
  echo "wrk: ${SECONDS_PER_FILE} s on /$f"
  (
    end=$((SECONDS + SECONDS_PER_FILE))
    n=0
    while [ $SECONDS -lt $end ]; do
      curl_checks || { echo "curl check failed under load" >"$WORK/curl.failed"; exit 1; }
      n=$((n + 1))
    done
    echo "$n" >"$WORK/curl.rounds"
  ) &
  BG_PIDS+=($!)
  timeout $((SECONDS_PER_FILE + 30)) wrk -t2 -c64 -d"${SECONDS_PER_FILE}s" --timeout 10s \
    -s "$HERE/check.lua" "$BASE/$f" -- "$ROOT/$f" >"$WORK/wrk.out" 2>&1 ||
    { cat "$WORK/wrk.out"; fail "wrk failed"; }
  wait "${BG_PIDS[-1]}" || true
  cat "$WORK/wrk.out"
  [ ! -e "$WORK/curl.failed" ] || fail "a curl check failed under load"
  echo "curl checks under load: $(cat "$WORK/curl.rounds") rounds of 4, all byte-equal"
  grep -q "Socket errors" "$WORK/wrk.out" && fail "wrk reports socket errors"
  grep -q "Non-2xx" "$WORK/wrk.out" && fail "wrk reports non-2xx responses"
  grep -q "^checked [1-9][0-9]* responses, 0 bad$" "$WORK/wrk.out" ||
    fail "wrk: responses missing or not byte-equal to the file"
  kill -0 "$SERVER_PID" 2>/dev/null || fail "server died under load"
done

echo "after the load"
curl_checks || fail "curl check after the load"

echo "SIGTERM while connections hold queued responses and a partial request"
python3 - "$PORT" >"$WORK/hold.out" <<'PY' &
import socket, sys, time
socks = []
for i in range(8):
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
    s.sendall(b"GET /big.bin HTTP/1.1\r\nHost: t\r\n\r\n" * 10 + b"GET /sm")
    s.recv(1000)  # the server has started answering; most stays queued
    socks.append(s)
print("ready", flush=True)
time.sleep(60)  # killed by the test's cleanup
PY
BG_PIDS+=($!)
for _ in $(seq 100); do
  grep -q ready "$WORK/hold.out" && break
  sleep 0.1
done
grep -q ready "$WORK/hold.out" || fail "could not set up the busy connections"
stop_server
if grep -Eq "AddressSanitizer|LeakSanitizer|runtime error" "$WORK/server.err"; then
  fail "sanitizer report"
fi
echo "wrk test passed: exit status 0, stderr empty"
