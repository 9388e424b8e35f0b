# Sourced by the server tests: a generated document root, the server started
# on a free loopback port, and cleanup on exit whatever happens.
#   SERVER   the http_server binary (first argument of the test)
#   WORK     a temporary directory, removed on exit; the docroot is $WORK/root
#   PORT, BASE  set by start_server (BASE=http://127.0.0.1:PORT)
set -euo pipefail

SERVER=${1:?usage: $0 path/to/http_server}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/bytes-server-test.XXXXXX")
SERVER_PID=
BG_PIDS=()

cleanup() {
  local status=$?
  set +e
  for pid in "${BG_PIDS[@]}" $SERVER_PID; do
    kill -KILL "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  done
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*" >&2
  if [ -s "$WORK/server.err" ]; then
    echo "--- server stderr:" >&2
    tail -n 50 "$WORK/server.err" >&2
  fi
  exit 1
}

# The document root: small text, an index, an empty file, a 4 KiB and a
# 1 MiB file whose every 4-byte word is its own index (so any offset error
# shows), and a subdirectory with an index of its own.
make_docroot() {
  local root=$1
  mkdir -p "$root/sub"
  printf 'hello, libbytes\n' >"$root/hello.txt"
  printf '<!doctype html><title>libbytes</title><p>index</p>\n' >"$root/index.html"
  printf '<p>sub index</p>\n' >"$root/sub/index.html"
  : >"$root/empty.txt"
  python3 - "$root" <<'PY'
import sys
root = sys.argv[1]
def pattern(n):
    return b"".join(i.to_bytes(4, "big") for i in range(n // 4))
open(root + "/small.bin", "wb").write(pattern(4096))
open(root + "/big.bin", "wb").write(pattern(1 << 20))
PY
}

# start_server [ARGS...]: runs the server on a free port with $WORK/root,
# waits (10 s at most) for its "listening on" line.
start_server() {
  : >"$WORK/server.out"
  "$SERVER" -p 0 -r "$WORK/root" "$@" >"$WORK/server.out" 2>"$WORK/server.err" &
  SERVER_PID=$!
  PORT=
  for _ in $(seq 100); do
    PORT=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9][0-9]*\)$/\1/p' "$WORK/server.out")
    [ -n "$PORT" ] && break
    kill -0 "$SERVER_PID" 2>/dev/null || fail "server exited at start"
    sleep 0.1
  done
  [ -n "$PORT" ] || fail "server did not print its port within 10 s"
  BASE=http://127.0.0.1:$PORT
}

# wait_server SECONDS: waits for the server to exit by itself; sets
# SERVER_STATUS. Fails if it is still running after SECONDS.
wait_server() {
  local tenths=$(($1 * 10))
  while kill -0 "$SERVER_PID" 2>/dev/null && [ "$tenths" -gt 0 ]; do
    sleep 0.1
    tenths=$((tenths - 1))
  done
  kill -0 "$SERVER_PID" 2>/dev/null && fail "server still running after $1 s"
  SERVER_STATUS=0
  wait "$SERVER_PID" || SERVER_STATUS=$?
  SERVER_PID=
}

# stop_server: SIGTERM, then the server must exit with status 0 within 10 s
# and must have written nothing to stderr.
stop_server() {
  kill -TERM "$SERVER_PID"
  wait_server 10
  [ "$SERVER_STATUS" -eq 0 ] || fail "server exited with status $SERVER_STATUS"
  if [ -s "$WORK/server.err" ]; then
    fail "server wrote to stderr"
  fi
}

# curl with a bound on time, loopback only.
c() { curl --silent --show-error --max-time 20 --noproxy '*' "$@"; }
