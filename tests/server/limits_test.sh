#!/usr/bin/env bash
# server_limits: examples/http_server at its limits on 127.0.0.1: out of
# file descriptors (ulimit -n 32, 40+ clients) without spinning and with 503s;
# files rewritten in place or replaced between requests and while in flight;
# header, idle and lingering-close time limits; the connection cap.
# Usage: limits_test.sh path/to/http_server
source "$(dirname "$0")/common.sh"
ROOT=$WORK/root
make_docroot "$ROOT"

echo "descriptor exhaustion (ulimit -n 32)"
SERVER_REAL=$SERVER
SERVER=$WORK/limited.sh
printf '#!/bin/sh\nulimit -n 32 && exec "%s" "$@"\n' "$SERVER_REAL" >"$SERVER"
chmod +x "$SERVER"
start_server
python3 "$HERE/limits_checks.py" emfile "$PORT" "$SERVER_PID" "$ROOT" || fail "descriptor exhaustion"
stop_server
SERVER=$SERVER_REAL

echo "files rewritten between requests"
start_server
python3 "$HERE/limits_checks.py" rewrite "$PORT" "$ROOT" || fail "rewritten files"
stop_server

echo "time limits (-t 500 -k 800 -l 600 ms)"
start_server -t 500 -k 800 -l 600
python3 "$HERE/limits_checks.py" timeouts "$PORT" "$SERVER_PID" || fail "time limits"
stop_server

echo "connection cap (-c 3)"
start_server -c 3
python3 "$HERE/limits_checks.py" cap "$PORT" || fail "connection cap"
stop_server

echo "server_limits: all checks passed"
