"""The raw HTTP/1.1 client of the server checks (raw_checks.py,
limits_checks.py): a connection to 127.0.0.1, one response read off it,
and the check that prints ok/FAIL."""
import socket
import sys


def connect(port, timeout=10):
    """A connection to the server and a buffered reader of it."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    return s, s.makefile("rb")


def read_response(f, head_request=False, closed_ok=False):
    """(status, headers dict with lower-case names, body) of one response;
    with closed_ok, (0, {}, b"") when the server closed or reset the
    connection instead of answering."""
    try:
        status_line = f.readline()
        if not status_line and closed_ok:
            return 0, {}, b""
        assert status_line.startswith(b"HTTP/1.1 "), "bad status line %r" % status_line
        status = int(status_line.split()[1])
        headers = {}
        while True:
            line = f.readline()
            assert line.endswith(b"\r\n"), "truncated head: %r" % line
            if line == b"\r\n":
                break
            name, _, value = line.decode().partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers["content-length"])
        body = b"" if head_request else f.read(length)
        assert len(body) == (0 if head_request else length), "short body"
        return status, headers, body
    except ConnectionResetError:
        if closed_ok:
            return 0, {}, b""
        raise


def check(name, cond):
    """Prints ok: NAME, or FAIL: NAME and exits 1."""
    if not cond:
        print("FAIL:", name)
        sys.exit(1)
    print("ok:", name)
