#!/usr/bin/env python3
"""Raw-socket checks of examples/http_server at its limits, on 127.0.0.1.
Usage: limits_checks.py emfile PORT PID DOCROOT
       limits_checks.py rewrite PORT DOCROOT
       limits_checks.py timeouts PORT PID   (server run with -t 500 -k 800 -l 600)
       limits_checks.py cap PORT            (server run with -c 3)
  The server runs with a descriptor limit under 40 (ulimit -n): 40 clients
  each get an answer (200, or 503 once descriptors run out); a file that
  cannot be opened for want of a descriptor is 503, not 404; and while more
  clients keep waiting in the backlog the server's CPU time (utime + stime
  from /proc/PID/stat) stays far below what spinning would use.
rewrite: a file rewritten in place (smaller, larger, same size) or replaced
  by rename between requests is served as it is now, never cut to its old
  length; a response in flight when its file is replaced keeps the old
  contents to the end.
timeouts: a client that sends nothing, half a head, or a head one byte at a
  time, a keep-alive connection left idle and a lingering close the client
  never finishes are each closed (408 for an unfinished head), and the
  server's descriptors return to their number before.
cap: the connections beyond -c are answered 503 and closed; once one
  closes, a new one is served."""
import os
import socket
import sys
import time

import http_client
from http_client import check, connect

TIMEOUT = 10  # seconds any single read may take


def read_response(f):
    """A response, or status 0 if the server closed or reset instead."""
    return http_client.read_response(f, closed_ok=True)


def get(path):
    return ("GET %s HTTP/1.1\r\nHost: t\r\n\r\n" % path).encode()


def cpu_ticks(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15)


def emfile(port, pid, root):
    hello = open(root + "/hello.txt", "rb").read()
    small = open(root + "/small.bin", "rb").read()
    kept, refused = [], 0
    for _ in range(40):
        s, f = connect(port)
        try:
            s.sendall(get("/hello.txt"))
        except (BrokenPipeError, ConnectionResetError):
            pass
        status, _, body = read_response(f)
        assert status in (0, 200, 503), "status %d" % status
        if status == 200:
            assert body == hello
            kept.append((s, f))
        else:
            refused += 1
            f.close()
            s.close()
    print("%d connections kept, %d refused" % (len(kept), refused))
    check("40 clients all answered, some 200, the excess 503",
          len(kept) > 0 and refused > 0 and len(kept) + refused == 40)

    # Clients that send nothing take the descriptors still free (those the
    # server was using to open files) until one is refused: every
    # descriptor is in use now, and a file not yet mapped cannot be opened.
    idle = [socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
            for _ in range(5)]
    last = idle[-1].makefile("rb")
    status, _, _ = read_response(last)
    check("an idle client beyond the limit refused (got %d)" % status, status in (0, 503))
    last.close()
    s, f = kept.pop()
    s.sendall(get("/small.bin"))
    status, headers, _ = read_response(f)
    check("a file open failing with EMFILE is 503 (got %d)" % status,
          status == 503 and headers.get("connection") == "close")
    f.close()
    s.close()

    # More clients wait in the backlog, not sending: the server must not spin.
    time.sleep(0.5)
    before = cpu_ticks(pid)
    waiting = [socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
               for _ in range(20)]
    time.sleep(3)
    used = cpu_ticks(pid) - before
    hz = os.sysconf("SC_CLK_TCK")
    print("server CPU time over 3 s with 20 clients waiting: %.2f s" % (used / hz))
    check("no spinning: under 0.3 s of CPU in 3 s", used < 0.3 * hz)
    for w in waiting:
        w.close()

    # Once descriptors free, the server serves again.
    for s, f in kept:
        f.close()
        s.close()
    for s in idle:
        s.close()
    time.sleep(0.5)
    s, f = connect(port)
    s.sendall(get("/small.bin"))
    status, _, body = read_response(f)
    check("served again once descriptors are free (got %d)" % status, status == 200 and body == small)
    s.close()


def pattern(n, seed):
    """n bytes that differ from those of another seed at every offset."""
    cycle = bytes(range(seed % 256, 256)) + bytes(range(seed % 256)) + bytes([seed % 251])
    return (cycle * (n // len(cycle) + 1))[:n]


def fetch(port, path):
    s, f = connect(port)
    s.sendall(get(path))
    r = read_response(f)
    f.close()
    s.close()
    return r


def rewrite(port, root):
    path = root + "/rw.bin"
    s, f = connect(port)  # one keep-alive connection for all the requests
    for n, seed in [(100000, 1), (1000, 2), (300000, 3), (300000, 4), (0, 5), (5000, 6)]:
        with open(path, "r+b" if os.path.exists(path) else "wb") as out:
            out.truncate(0)  # in place: same inode
            out.write(pattern(n, seed))
        s.sendall(get("/rw.bin"))
        status, headers, body = read_response(f)
        check("rewritten in place to %d bytes: served whole" % n,
              status == 200 and headers["content-length"] == str(n)
              and body == pattern(n, seed))
        s.sendall(get("/rw.bin") + b"HEAD /rw.bin HTTP/1.1\r\nHost: t\r\n\r\n")
        status, _, body = read_response(f)
        check("  and again from the cache", status == 200 and body == pattern(n, seed))
        line = f.readline()
        head = b""
        while line != b"\r\n":
            head += line
            line = f.readline()
        check("  HEAD announces %d" % n, b"Content-Length: %d\r\n" % n in head)
    f.close()
    s.close()

    # A response in flight keeps its mapping when the file is replaced.
    old, new = pattern(16 << 20, 7), pattern(3 << 20, 8)
    with open(path, "wb") as out:
        out.truncate(0)
        out.write(old)
    slow = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
    slow.sendall(get("/rw.bin"))
    slow_f = slow.makefile("rb")
    first = slow_f.read(1000)  # the server is blocked mid-response (16 MiB)
    with open(path + ".new", "wb") as out:
        out.write(new)
    os.rename(path + ".new", path)
    status, _, body = fetch(port, "/rw.bin")
    check("replaced by rename: the new file", status == 200 and body == new)
    data = first
    while b"\r\n\r\n" not in data:
        data += slow_f.read(1)
    head_end = data.index(b"\r\n\r\n") + 4
    data += slow_f.read(head_end + len(old) - len(data))
    check("the response in flight: the old file, whole",
          b"Content-Length: %d\r\n" % len(old) in data[:head_end]
          and data[head_end:] == old)
    slow_f.close()
    slow.close()


def open_fds(pid):
    return len(os.listdir("/proc/%d/fd" % pid))


def closed_by_server(s, limit=10):
    """Reads until the server closes (True) or `limit` seconds pass."""
    s.settimeout(limit)
    try:
        while s.recv(4096):
            pass
        return True
    except ConnectionResetError:
        return True
    except socket.timeout:
        return False


def timeouts(port, pid):
    base = open_fds(pid)
    # Nothing sent: closed without an answer.
    s = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
    f = s.makefile("rb")
    check("a silent client is closed", f.read() == b"")
    f.close()
    s.close()
    # Half a head: 408, then closed.
    s, f = connect(port)
    s.sendall(b"GET /hello.txt HTTP/1.1\r\nHo")
    status, headers, _ = read_response(f)
    check("an unfinished head: 408 and close (got %d)" % status,
          status == 408 and headers["connection"] == "close" and f.read() == b"")
    f.close()
    s.close()
    # A head trickling in one byte every 100 ms: the header limit is not
    # extended by each byte (40 bytes at most, 4 s).
    s, f = connect(port)
    head = b"GET /hello.txt HTTP/1.1\r\nHost: t\r\nX-Slow: " + b"a" * 100 + b"\r\n\r\n"
    sent = 0
    try:
        for sent in range(40):
            s.send(head[sent:sent + 1])
            time.sleep(0.1)
    except (BrokenPipeError, ConnectionResetError):
        pass
    status, _, _ = read_response(f)
    check("a head sent byte by byte: 408 before it ends (got %d after %d bytes)"
          % (status, sent + 1), status == 408)
    f.close()
    s.close()
    # Keep-alive, then idle: closed.
    s, f = connect(port)
    s.sendall(get("/hello.txt"))
    status, _, _ = read_response(f)
    check("an idle keep-alive connection is closed",
          status == 200 and f.read() == b"")
    f.close()
    s.close()
    # A lingering close (the server sent FIN, and discards input) that the
    # client never finishes: the server closes it all the same, so that
    # sending fails at last (at most 50 sends, 10 s).
    s, f = connect(port)
    s.sendall(get("/hello.txt"))
    s.sendall(b"GET /hello.txt HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
    read_response(f)
    read_response(f)
    check("FIN after Connection: close", f.read() == b"")
    reset = False
    for _ in range(50):
        try:
            s.send(b"x" * 100)
        except (BrokenPipeError, ConnectionResetError):
            reset = True
            break
        time.sleep(0.2)
    check("the lingering close has a limit", reset)
    f.close()
    s.close()
    for _ in range(50):
        if open_fds(pid) == base:
            break
        time.sleep(0.2)
    check("descriptors back to %d (now %d)" % (base, open_fds(pid)), open_fds(pid) == base)


def cap(port):
    kept = []
    for i in range(3):
        s, f = connect(port)
        s.sendall(get("/hello.txt"))
        kept.append((s, f, read_response(f)[0]))
    check("3 connections served", [k[2] for k in kept] == [200] * 3)
    s, f = connect(port)
    try:
        s.sendall(get("/hello.txt"))
    except (BrokenPipeError, ConnectionResetError):
        pass
    status, headers, _ = read_response(f)
    check("the 4th: 503 and close (got %d)" % status,
          status == 503 and headers.get("connection") == "close" and f.read() == b"")
    f.close()
    s.close()
    kept[0][1].close()
    kept[0][0].close()
    served = False
    for _ in range(20):  # the server sees the close soon; 4 s at most
        time.sleep(0.2)
        s, f = connect(port)
        s.sendall(get("/hello.txt"))
        served = read_response(f)[0] == 200
        f.close()
        s.close()
        if served:
            break
    check("served again once one closed", served)
    for s, f, _ in kept[1:]:
        f.close()
        s.close()


if __name__ == "__main__":
    if sys.argv[1] == "emfile":
        emfile(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
    elif sys.argv[1] == "timeouts":
        timeouts(int(sys.argv[2]), int(sys.argv[3]))
    elif sys.argv[1] == "cap":
        cap(int(sys.argv[2]))
    elif sys.argv[1] == "rewrite":
        rewrite(int(sys.argv[2]), sys.argv[3])
    else:
        sys.exit("unknown check " + sys.argv[1])
