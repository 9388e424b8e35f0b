#!/usr/bin/env bash
# server_curl: examples/http_server checked with curl and raw sockets on
# 127.0.0.1: contents, HEAD, Range (every form, and 416), 404/403/405/400/
# 431, percent-decoded paths, dotfiles and links out of the root refused,
# keep-alive, HTTP/1.0, Connection: close, pipelining, MAX_REQUESTS,
# and a clean exit (status 0, nothing on stderr) on SIGTERM.
# Usage: curl_test.sh path/to/http_server
source "$(dirname "$0")/common.sh"
ROOT=$WORK/root
make_docroot "$ROOT"
start_server
echo "server on $BASE"

# status URL [CURL ARGS...]: the response's status code (body to $WORK/body,
# headers to $WORK/headers).
status() {
  local url=$1
  shift
  c -o "$WORK/body" -D "$WORK/headers" -w '%{http_code}' "$@" "$url"
}
expect_status() {
  local want=$1 got
  shift
  got=$(status "$@") || fail "curl $* failed"
  [ "$got" = "$want" ] || fail "$*: status $got, expected $want"
}
header_is() { # NAME VALUE: the last response has header NAME: VALUE
  grep -qixF "$1: $2"$'\r' "$WORK/headers" || fail "expected header '$1: $2', got: $(cat "$WORK/headers")"
}
# slice FILE BEGIN LEN: those bytes of FILE, to $WORK/want
slice() { python3 -c 'import sys; d=open(sys.argv[1],"rb").read(); b=int(sys.argv[2]); sys.stdout.buffer.write(d[b:b+int(sys.argv[3])])' "$@" >"$WORK/want"; }

echo "full GETs"
for f in hello.txt small.bin big.bin empty.txt index.html sub/index.html; do
  expect_status 200 "$BASE/$f"
  cmp "$WORK/body" "$ROOT/$f" || fail "GET /$f: body differs"
  header_is Content-Length "$(stat -c %s "$ROOT/$f")"
done
expect_status 200 "$BASE/"
cmp "$WORK/body" "$ROOT/index.html" || fail "GET /: not index.html"
header_is Content-Type text/html
expect_status 200 "$BASE/sub/?query=1#frag"
cmp "$WORK/body" "$ROOT/sub/index.html" || fail "GET /sub/?query: not sub/index.html"
expect_status 200 "$BASE/big.bin?x=y"
cmp "$WORK/body" "$ROOT/big.bin" || fail "GET with a query: body differs"

echo "HEAD"
# (curl --head writes the headers as the output; that no body follows is
# checked by raw_checks.py, which sends another request after a HEAD.)
expect_status 200 "$BASE/big.bin" --head
header_is Content-Length 1048576
header_is Accept-Ranges bytes

echo "Range"
check_range() { # RANGE BEGIN LEN
  expect_status 206 "$BASE/big.bin" -H "Range: bytes=$1"
  slice "$ROOT/big.bin" "$2" "$3"
  cmp "$WORK/body" "$WORK/want" || fail "Range $1: body differs"
  header_is Content-Range "bytes $2-$(($2 + $3 - 1))/1048576"
  header_is Content-Length "$3"
}
check_range 0-0 0 1
check_range 0-99 0 100
check_range 1000-1999 1000 1000
check_range 1048000- 1048000 576        # open-ended
check_range -500 1048076 500            # suffix
check_range -2000000 0 1048576          # suffix longer than the file
check_range 1048570-99999999 1048570 6  # end past the file: clamped
check_range 5-5 5 1
expect_status 206 "$BASE/hello.txt" -r 7-14
[ "$(cat "$WORK/body")" = libbytes ] || fail "Range of hello.txt"
expect_status 206 "$BASE/big.bin" -r 100-199 --head
header_is Content-Length 100
for r in 1048576- 2000000-3000000 -0 99999999999999999999999-; do
  expect_status 416 "$BASE/big.bin" -H "Range: bytes=$r"
  header_is Content-Range "bytes */1048576"
done
expect_status 416 "$BASE/empty.txt" -H "Range: bytes=0-"
# Ranges this server does not take are ignored: the whole file, 200.
for r in "bytes=0-1,5-6" "bytes=9-3" "items=0-5" "bytes=x-"; do
  expect_status 200 "$BASE/small.bin" -H "Range: $r"
  cmp "$WORK/body" "$ROOT/small.bin" || fail "ignored Range $r: body differs"
done

echo "errors"
expect_status 404 "$BASE/nope.txt"
expect_status 404 "$BASE/sub"          # a directory without the slash
expect_status 404 "$BASE/hello.txt/x"
expect_status 403 "$BASE/../etc/passwd" --path-as-is
expect_status 403 "$BASE/sub/../hello.txt" --path-as-is
expect_status 405 "$BASE/hello.txt" -X POST -d data
header_is Allow "GET, HEAD"
header_is Connection close
expect_status 405 "$BASE/hello.txt" -X DELETE
expect_status 400 "$BASE/hello.txt" -X GET -d body   # a body on GET

echo "paths: percent-decoding, dot segments and dotfiles, beneath the root"
mkdir -p "$ROOT/.git"
printf 'secret\n' >"$ROOT/.env"
printf '[core]\n' >"$ROOT/.git/config"
printf 'outside\n' >"$WORK/outside.txt"
printf 'spaced\n' >"$ROOT/a b.txt"
ln -s ../outside.txt "$ROOT/out.txt"       # a link leading out of the root
ln -s /etc "$ROOT/etc"                     # an absolute link
ln -s "$ROOT/hello.txt" "$ROOT/abs.txt"    # absolute, even if it points inside
ln -s hello.txt "$ROOT/link.txt"           # relative, inside: allowed
ln -s sub "$ROOT/subdir"
for p in /hello%2etxt /hello%2Etxt /a%20b.txt /sub%2Findex.html /link.txt /subdir/ /%68ello.txt; do
  expect_status 200 "$BASE$p" --path-as-is
done
cmp "$WORK/body" "$ROOT/hello.txt" || fail "percent-decoded path: body differs"
for p in /.env /.git/config /sub/../.env /%2eenv /%2Egit/config /%2e%2e/etc/passwd \
  /sub/%2e%2e/hello.txt /sub/%2E%2E/%2E%2E/etc/passwd /..%2fetc/passwd /sub/. /./hello.txt \
  /out.txt /etc/passwd /abs.txt; do
  expect_status 403 "$BASE$p" --path-as-is
done
# A cached file whose directory is swapped for a link leading out of the
# root is not served from the cache: 403.
mkdir -p "$ROOT/swap" "$WORK/out"
printf 'inside\n' >"$ROOT/swap/f.txt"
printf 'outside\n' >"$WORK/out/f.txt"
expect_status 200 "$BASE/swap/f.txt"
expect_status 200 "$BASE/swap/f.txt"
[ "$(cat "$WORK/body")" = inside ] || fail "swap/f.txt: wrong body"
mv "$ROOT/swap" "$ROOT/swap.old"
ln -s ../out "$ROOT/swap"
expect_status 403 "$BASE/swap/f.txt"
for p in /hello.txt%00 /hello%zztxt /hello.txt% /hello.txt%2 /%; do
  expect_status 400 "$BASE$p" --path-as-is
done

echo "keep-alive"
n=$(c -o /dev/null -o /dev/null -o /dev/null -w '%{num_connects}\n' \
  "$BASE/hello.txt" "$BASE/big.bin" "$BASE/nope.txt" | awk '{ s += $1 } END { print s }')
[ "$n" = 1 ] || fail "three URLs took $n connections, expected 1"
n=$(c -o /dev/null -o /dev/null -w '%{num_connects}\n' -H 'Connection: close' \
  "$BASE/hello.txt" "$BASE/hello.txt" | awk '{ s += $1 } END { print s }')
[ "$n" = 2 ] || fail "Connection: close: $n connections, expected 2"
n=$(c -0 -o /dev/null -o /dev/null -w '%{num_connects}\n' \
  "$BASE/hello.txt" "$BASE/hello.txt" | awk '{ s += $1 } END { print s }')
[ "$n" = 2 ] || fail "HTTP/1.0: $n connections, expected 2"

echo "raw sockets: 400s, 431, pipelining, HTTP/1.0, half-close"
python3 "$HERE/raw_checks.py" "$PORT" "$ROOT" || fail "raw socket checks"

echo "SIGTERM"
stop_server

echo "MAX_REQUESTS: exits by itself after -n 3"
start_server -n 3
for i in 1 2 3; do expect_status 200 "$BASE/hello.txt"; done
wait_server 10
[ "$SERVER_STATUS" -eq 0 ] || fail "server exited with $SERVER_STATUS after -n 3"
[ ! -s "$WORK/server.err" ] || fail "server wrote to stderr"

echo "server_curl: all checks passed"
