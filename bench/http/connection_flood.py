#!/usr/bin/env python3
"""Connection flood against a running `sladesk serve` (loopback only).

Opens N idle sockets from 127.0.0.1 (bounded: default 2,000), counts how
many the server keeps and how many it answers 503, then checks that a
client from another loopback address (127.0.0.2) is still served, and
how long the server takes to drop the idle ones.

  python3 bench/http/connection_flood.py --port 8080 --sockets 2000
"""
import argparse
import selectors
import select
import socket
import time


def get(port, source):
    s = socket.create_connection(("127.0.0.1", port), timeout=5, source_address=(source, 0))
    s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    data = b""
    while True:
        chunk = s.recv(4096)
        if not chunk:
            break
        data += chunk
    s.close()
    return data.split(b"\r\n", 1)[0].decode()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=8080)
    ap.add_argument("--sockets", type=int, default=2000)
    args = ap.parse_args()
    n = min(args.sockets, 20000)
    held = []
    for _ in range(n):
        try:
            held.append(socket.create_connection(("127.0.0.1", args.port), timeout=5))
        except OSError as e:
            print("connect failed after", len(held), e)
            break
    time.sleep(0.5)
    refused = kept = 0
    for s in held:
        p = select.poll()
        p.register(s, select.POLLIN)
        if p.poll(0):
            data = s.recv(4096)
            if data.startswith(b"HTTP/1.1 503"):
                refused += 1
                continue
        kept += 1
    print(f"opened {len(held)} sockets from 127.0.0.1: {kept} kept open, {refused} answered 503")
    t0 = time.time()
    print("a client from 127.0.0.2:", get(args.port, "127.0.0.2"), f"({(time.time() - t0) * 1000:.1f} ms)")
    print("a new client from 127.0.0.1:", get(args.port, "127.0.0.1"))
    t0 = time.time()
    sel = selectors.DefaultSelector()
    for s in held:
        if s.fileno() >= 0:
            sel.register(s, selectors.EVENT_READ)
    left = len(sel.get_map())
    while left and time.time() - t0 < 60:
        for key, _ in sel.select(1):
            try:
                data = key.fileobj.recv(4096)
            except OSError:
                data = b""
            if not data:
                sel.unregister(key.fileobj)
                left -= 1
    print(f"idle sockets closed by the server after {time.time() - t0:.1f} s ({left} still open)")
    for s in held:
        s.close()


if __name__ == "__main__":
    main()
