#!/usr/bin/env python3
"""Raw-socket checks of examples/http_server that curl cannot make:
malformed requests (400), strict framing (RFC 9112: 400, 411, 501, each
then close, a smuggled request after it never answered), an oversized
head (431), pipelining (several requests in one write, answered in order),
HTTP/1.0, Connection: close and half-closed connections; heads split
across reads at every byte and responses left partly written to a slow
reader with a small receive buffer. Usage: raw_checks.py PORT DOCROOT"""
import io
import socket
import sys
import time

import http_client
from http_client import check, read_response

PORT = int(sys.argv[1])
ROOT = sys.argv[2]
BIG = open(ROOT + "/big.bin", "rb").read()
HELLO = open(ROOT + "/hello.txt", "rb").read()
INDEX = open(ROOT + "/index.html", "rb").read()
SMALL = open(ROOT + "/small.bin", "rb").read()


def connect():
    return http_client.connect(PORT)


def at_eof(f):
    return f.read(1) == b""


def request(path, extra="", version="HTTP/1.1", method="GET"):
    return ("%s %s %s\r\nHost: t\r\n%s\r\n" % (method, path, version, extra)).encode()


def exchange(raw):
    """Sends raw bytes, returns (status, headers, closed after)."""
    s, f = connect()
    s.sendall(raw)
    status, headers, _ = read_response(f)
    closed = at_eof(f)
    s.close()
    return status, headers, closed


# Malformed requests: 400, and the connection is closed.
for raw in [b"GARBAGE\r\n\r\n",
            b"GET /hello.txt\r\nHost: t\r\n\r\n",                 # no version
            b"GET  /hello.txt HTTP/1.1\r\nHost: t\r\n\r\n",       # two spaces
            b"GET /hello.txt HTTP/1.1 x\r\nHost: t\r\n\r\n",      # four words
            b"GET /hello.txt HTTP/1.1\r\nHost t\r\n\r\n",         # no colon
            b"GET /hello.txt HTTP/1.1\r\nHost : t\r\n\r\n",       # space before colon
            b"GET /hello.txt HTTP/1.1\r\nHost: t\r\n folded\r\n\r\n",
            b"GET /hello.txt HTTP/1.1\r\n\r\n",                   # 1.1 without Host
            b"GET hello.txt HTTP/1.1\r\nHost: t\r\n\r\n",         # not origin-form
            b"GET /a\x01b HTTP/1.1\r\nHost: t\r\n\r\n",           # control byte
            b"GET /hello.txt FTP/1.1\r\nHost: t\r\n\r\n",
            b"\r\n\r\n"]:
    status, headers, closed = exchange(raw)
    check("400 for %r" % raw[:40], status == 400 and closed and headers["connection"] == "close")
# Request framing per RFC 9112: each malformed head is answered with the
# status given, then the connection closes, so that the request smuggled
# after it (its bytes sent in the same write) is never answered.
SMUGGLED = b"GET /hello.txt HTTP/1.1\r\nHost: t\r\n\r\n"
FRAMING = [
    # duplicate or conflicting Content-Length, or one that is not 1*DIGIT
    (400, b"Content-Length: 0\r\nContent-Length: 0\r\n"),
    (400, b"Content-Length: 0\r\nContent-Length: 35\r\n"),
    (400, b"Content-Length: 0, 0\r\n"),
    (400, b"Content-Length: +0\r\n"),
    (400, b"Content-Length: 0x0\r\n"),
    (400, b"Content-Length: \r\n"),
    (400, b"Content-Length: 35\r\n"),                      # a body on GET
    # bare LF and bare CR inside the head
    (400, b"X-A: a\nTransfer-Encoding: chunked\r\n"),
    (400, b"X-A: a\rb\r\n"),
    (400, b"X-A: a\r\r\n"),
    (400, b"X\nY: a\r\n"),
    # obsolete line folding, also before the first field
    (400, b"X-A: a\r\n b\r\n"),
    (400, b"X-A: a\r\n\tb\r\n"),
    # invalid bytes in field names and values
    (400, b"X(A): b\r\n"),
    (400, b"X\x00A: b\r\n"),
    (400, b"X\x7fA: b\r\n"),
    (400, b"\xc3\xa9: b\r\n"),
    (400, b": b\r\n"),
    (400, b"X-A: a\x00b\r\n"),
    (400, b"X-A: a\x01b\r\n"),
    (400, b"X-A: a\x7fb\r\n"),
    # more than one Host
    (400, b"Host: u\r\n"),
    # Transfer-Encoding on a server that takes no request bodies
    (411, b"Transfer-Encoding: chunked\r\n"),
    (411, b"Transfer-Encoding: Chunked\r\n"),
    (501, b"Transfer-Encoding: gzip, chunked\r\n"),
    (501, b"Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n"),
    (400, b"Transfer-Encoding: chunked, gzip\r\n"),         # chunked not final
    (400, b"Transfer-Encoding: gzip\r\n"),
    (400, b"Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n"),
    (400, b"Transfer-Encoding: chunked\r\nContent-Length: 0\r\n"),
    (400, b"Content-Length: 0\r\nTransfer-Encoding: chunked\r\n"),
]
for want, fields in FRAMING:
    raw = b"GET /hello.txt HTTP/1.1\r\nHost: t\r\n" + fields + b"\r\n" + SMUGGLED
    status, headers, closed = exchange(raw)
    check("%d then close for %r" % (want, fields),
          status == want and closed and headers["connection"] == "close")
# The request line: a bare LF, a bad method, a bad version, leading space.
for raw in [b"GET /hello.txt HTTP/1.1\nHost: t\r\n\r\n",
            b"GET /hello.txt\nX HTTP/1.1\r\nHost: t\r\n\r\n",
            b"G(T /hello.txt HTTP/1.1\r\nHost: t\r\n\r\n",
            b"GET /hello.txt HTTP/1.10\r\nHost: t\r\n\r\n",
            b"GET /hello.txt HTTP/1.1\r\n Host: t\r\n\r\n",
            b"GET /hello.txt HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n"]:
    status, headers, closed = exchange(raw + SMUGGLED)
    check("400 then close for %r" % raw[:48], status == 400 and closed)
# What the RFC allows still works: a zero length, obs-text and tabs in a
# value, every tchar in a name.
s, f = connect()
for fields in [b"Content-Length: 0\r\n", b"Content-Length: 000\r\n",
               b"X-A: caf\xc3\xa9\tau lait\r\n", b"!#$%&'*+-.^_`|~09Az: v\r\n"]:
    s.sendall(b"GET /hello.txt HTTP/1.1\r\nHost: t\r\n" + fields + b"\r\n")
    status, _, body = read_response(f)
    check("200 for %r" % fields, status == 200 and body == HELLO)
s.close()

status, _, closed = exchange(b"GET /hello.txt HTTP/2.0\r\nHost: t\r\n\r\n")
check("505 for HTTP/2.0", status == 505 and closed)

# A head over 16 KiB: 431, connection closed. Both with and without an end.
for tail in [b"\r\n\r\n", b""]:
    s, f = connect()
    s.sendall(b"GET /hello.txt HTTP/1.1\r\nHost: t\r\nX-Big: " + b"a" * 20000 + tail)
    status, _, _ = read_response(f)
    check("431 for a 20 KB head%s" % ("" if tail else " without its end"),
          status == 431 and at_eof(f))
    s.close()

# Too many header lines: 431.
status, _, closed = exchange(request("/hello.txt", "".join("X-%d: v\r\n" % i for i in range(100))))
check("431 for 100 header lines", status == 431 and closed)

# Pipelining: requests sent in one write are answered in order.
s, f = connect()
s.sendall(request("/hello.txt") + request("/big.bin", "Range: bytes=10-19\r\n")
          + request("/big.bin", method="HEAD") + request("/nope") + request("/"))
r = [read_response(f), read_response(f), read_response(f, head_request=True),
     read_response(f), read_response(f)]
check("pipelined: 5 responses in order",
      [x[0] for x in r] == [200, 206, 200, 404, 200]
      and r[0][2] == HELLO and r[1][2] == BIG[10:20]
      and r[2][1]["content-length"] == str(len(BIG)) and r[4][2] == INDEX)
# The connection is still usable afterwards, byte by byte even.
for byte in request("/hello.txt"):
    s.send(bytes([byte]))
check("a request sent one byte at a time", read_response(f) == (200, r[0][1], HELLO))
s.close()

# Many pipelined requests (more than the per-connection queue holds) with
# large bodies, read slowly at first: partial writes and backpressure.
s, f = connect()
n = 100
s.sendall(b"".join(request("/big.bin" if i % 10 == 0 else "/hello.txt") for i in range(n)))
good = 0
for i in range(n):
    status, _, body = read_response(f)
    good += status == 200 and body == (BIG if i % 10 == 0 else HELLO)
check("%d pipelined requests, 10 of 1 MiB" % n, good == n)
s.close()

# Heads split across reads: pipelined requests sent in pieces of 1 to 7
# bytes (the first one byte a piece), without Nagle and with a pause after
# each piece, so that the server reads them one by one and finds each end
# of head, "\r\n\r\n" included, cut at every position.
stream = [request("/hello.txt"), request("/small.bin", "Range: bytes=4-11\r\n"),
          request("/index.html", method="HEAD"), request("/sub/"), request("/hello.txt")]
s, f = connect()
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
pieces = [stream[0][i:i + 1] for i in range(len(stream[0]))]
raw, k = b"".join(stream[1:]), 0
while raw:
    n = 1 + k % 7
    pieces.append(raw[:n])
    raw, k = raw[n:], k + 1
for piece in pieces:
    s.send(piece)
    time.sleep(0.002)
r = [read_response(f), read_response(f), read_response(f, head_request=True),
     read_response(f), read_response(f)]
check("heads in %d pieces of 1 to 7 bytes: 5 responses in order" % len(pieces),
      [x[0] for x in r] == [200, 206, 200, 200, 200] and r[0][2] == HELLO
      and r[1][2] == SMALL[4:12] and r[2][1]["content-length"] == str(len(INDEX))
      and r[3][2] == open(ROOT + "/sub/index.html", "rb").read() and r[4][2] == HELLO)
s.close()

# Large heads arriving in two parts behind a pipelined request, the first
# part left in the receive buffer after the request before it is answered
# (the server moves it to the front of its buffer to read the rest).
s, f = connect()
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
for size in [9000, 12000, 15000]:
    big_head = request("/hello.txt", "X-Pad: %s\r\n" % ("p" * size))
    s.send(request("/small.bin") + big_head[:size // 2])
    time.sleep(0.05)
    s.send(big_head[size // 2:])
    a, b = read_response(f), read_response(f)
    check("a %d-byte head in two parts behind a request" % len(big_head),
          a[0] == b[0] == 200 and a[2] == SMALL and b[2] == HELLO)
s.close()

# Responses left partly written: a client with a 4 KiB receive buffer
# pipelines 48 requests (8 MiB of bodies, more than the socket buffers
# hold; more responses than the server queues at once), then reads nothing
# for a while, so the server's sends stop short and its queue waits for the
# socket to drain; then it reads in odd 997-byte pieces. Every response
# arrives whole, in order and byte-exact, and the last (Connection: close)
# ends the stream.
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
s.settimeout(30)
s.connect(("127.0.0.1", PORT))
want, reqs = [], []
for i in range(48):
    kind = i % 6
    if kind == 0:
        reqs.append(request("/big.bin")), want.append((200, BIG))
    elif kind == 1:
        a = 4093 * i + 3
        reqs.append(request("/big.bin", "Range: bytes=%d-%d\r\n" % (a, a + 70000)))
        want.append((206, BIG[a:a + 70001]))
    elif kind == 2:
        reqs.append(request("/big.bin", method="HEAD")), want.append((200, b""))
    elif kind == 3:
        reqs.append(request("/small.bin")), want.append((200, SMALL))
    elif kind == 4:
        reqs.append(request("/nope")), want.append((404, b"error\n"))
    else:
        reqs.append(request("/hello.txt")), want.append((200, HELLO))
reqs.append(request("/hello.txt", "Connection: close\r\n")), want.append((200, HELLO))
s.sendall(b"".join(reqs))
time.sleep(0.5)
received = []
while True:
    chunk = s.recv(997)
    if not chunk:
        break
    received.append(chunk)
s.close()
blob = io.BytesIO(b"".join(received))
got = [read_response(blob, head_request=(i % 6 == 2 and i < 48)) for i in range(len(want))]
check("49 pipelined responses written in part to a slow reader, byte-exact",
      [(x[0], x[2]) for x in got] == want and blob.read() == b"")

# HTTP/1.0: closed after the response unless keep-alive is asked for.
status, headers, closed = exchange(request("/hello.txt", version="HTTP/1.0"))
check("HTTP/1.0 closes", status == 200 and closed and headers["connection"] == "close")
s, f = connect()
s.sendall(request("/hello.txt", "Connection: keep-alive\r\n", version="HTTP/1.0") * 2)
a, b = read_response(f), read_response(f)
check("HTTP/1.0 keep-alive", a[0] == b[0] == 200 and a[1]["connection"] == "keep-alive")
s.close()

# Connection: close is honoured (also in a list), and requests pipelined
# after it are not answered.
status, headers, closed = exchange(request("/hello.txt", "Connection: foo, Close\r\n")
                                   + request("/hello.txt"))
check("Connection: close", status == 200 and closed and headers["connection"] == "close")

# A client that half-closes after its requests still gets every answer.
s, f = connect()
s.sendall(request("/hello.txt") + request("/big.bin"))
s.shutdown(socket.SHUT_WR)
a, b = read_response(f), read_response(f)
check("half-closed client answered", a[2] == HELLO and b[2] == BIG and at_eof(f))
s.close()

# A client that goes away in the middle of a large response.
for _ in range(5):
    s, f = connect()
    s.sendall(request("/big.bin") * 4)
    s.recv(1000)
    s.close()

# And a partial request left behind by a client that vanished.
s, f = connect()
s.sendall(b"GET /hello.txt HTTP/1.1\r\nHo")
s.close()

status, _, _ = exchange(request("/hello.txt", "Connection: close\r\n"))
check("server still answers", status == 200)
