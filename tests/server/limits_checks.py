#!/usr/bin/env python3
"""Raw-socket checks of examples/http_server at its limits, on 127.0.0.1.
Usage: limits_checks.py emfile PORT PID DOCROOT
  The server runs with a descriptor limit under 40 (ulimit -n): 40 clients
  each get an answer (200, or 503 once descriptors run out); a file that
  cannot be opened for want of a descriptor is 503, not 404; and while more
  clients keep waiting in the backlog the server's CPU time (utime + stime
  from /proc/PID/stat) stays far below what spinning would use."""
import os
import socket
import sys
import time

TIMEOUT = 10  # seconds any single read may take


def connect(port):
    s = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
    return s, s.makefile("rb")


def read_response(f):
    """(status, headers, body); status 0 if the server closed or reset."""
    try:
        status_line = f.readline()
        if not status_line:
            return 0, {}, b""
        assert status_line.startswith(b"HTTP/1.1 "), "bad status line %r" % status_line
        headers = {}
        while True:
            line = f.readline()
            assert line.endswith(b"\r\n"), "truncated head: %r" % line
            if line == b"\r\n":
                break
            name, _, value = line.decode().partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers["content-length"])
        body = f.read(length)
        assert len(body) == length, "short body"
        return int(status_line.split()[1]), headers, body
    except ConnectionResetError:
        return 0, {}, b""


def get(path):
    return ("GET %s HTTP/1.1\r\nHost: t\r\n\r\n" % path).encode()


def check(name, cond):
    if not cond:
        print("FAIL:", name)
        sys.exit(1)
    print("ok:", name)


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

    # Every descriptor is in use: a file not yet mapped cannot be opened.
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
    time.sleep(0.5)
    s, f = connect(port)
    s.sendall(get("/small.bin"))
    status, _, body = read_response(f)
    check("served again once descriptors are free (got %d)" % status, status == 200 and body == small)
    s.close()


if __name__ == "__main__":
    if sys.argv[1] == "emfile":
        emfile(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
    else:
        sys.exit("unknown check " + sys.argv[1])
