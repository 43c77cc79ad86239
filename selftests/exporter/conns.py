#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Many connections to the exporter at once, for selftests/exporter/bad_input.sh.

  conns.py flood PORT N      N connections at once, each a whole GET /metrics;
                             prints "answered=A closed=C hung=H": A got a
                             status line 200, C were closed without one, H
                             were still open after 60 s
  conns.py slowloris PORT N READY WAIT
                             N connections that send half a request and
                             stop; touches READY once all are connected,
                             then waits up to WAIT s for the server to close
                             them; prints "closed=C open=O"
"""
import os
import resource
import selectors
import socket
import sys
import time


def connect(port, n):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = min(hard, n + 64)
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    socks = []
    for _ in range(n):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setblocking(False)
        s.connect_ex(("127.0.0.1", port))
        socks.append(s)
    return socks


def until(sel, socks, event, deadline, on_ready):
    """Call on_ready(s) for each socket as @event fires on it, until it
    returns True (done with s) for all of them or @deadline; the sockets
    left undone."""
    pending = set(socks)
    for s in socks:
        sel.register(s, event)
    while pending and time.monotonic() < deadline:
        for key, _ in sel.select(timeout=1):
            if on_ready(key.fileobj):
                sel.unregister(key.fileobj)
                pending.discard(key.fileobj)
    for s in pending:
        sel.unregister(s)
    return pending


def send_all(sel, socks, data, deadline):
    """Send @data on every socket once it is writable (connected)."""
    def send(s):
        try:
            s.send(data)
        except OSError:
            pass  # refused or reset: counted when read
        return True
    until(sel, socks, selectors.EVENT_WRITE, deadline, send)


def read_all(sel, socks, deadline):
    """Read until each socket closes; the first bytes of each."""
    got = {s: b"" for s in socks}

    def read(s):
        try:
            chunk = s.recv(65536)
        except OSError:
            chunk = b""
        if len(got[s]) < 64:
            got[s] += chunk[:64]
        return not chunk
    return got, until(sel, socks, selectors.EVENT_READ, deadline, read)


def flood(port, n):
    sel = selectors.DefaultSelector()
    socks = connect(port, n)
    req = b"GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    send_all(sel, socks, req, time.monotonic() + 30)
    got, open_ = read_all(sel, socks, time.monotonic() + 60)
    answered = sum(1 for s in socks if got[s].startswith(b"HTTP/1.1 200"))
    closed = sum(1 for s in socks if s not in open_ and not got[s].startswith(b"HTTP/1.1 200"))
    print(f"answered={answered} closed={closed} hung={len(open_)}")


def slowloris(port, n, ready, wait):
    sel = selectors.DefaultSelector()
    socks = connect(port, n)
    send_all(sel, socks, b"GET /metrics HTTP/1.1\r\nHost: x\r\nX-Slow: ", time.monotonic() + 30)
    with open(ready, "w") as f:
        f.write("ready\n")
    _, open_ = read_all(sel, socks, time.monotonic() + wait)
    print(f"closed={n - len(open_)} open={len(open_)}")


if __name__ == "__main__":
    if sys.argv[1] == "flood":
        flood(int(sys.argv[2]), int(sys.argv[3]))
    else:
        slowloris(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], float(sys.argv[5]))
