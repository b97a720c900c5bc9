#!/usr/bin/env python3
"""A webhook receiver for tests/ops/outbox_dispatcher_test.cc (loopback only).

Prints its port on the first line, then serves until stdin closes. It
verifies each Standard Webhooks signature itself (hmac + base64 from the
Python standard library, independent of sladesk's WebhookSigner) with the
secret in argv[2] and appends one JSON line per request to the log file in
argv[1]. The path picks the answer:
  /ok -> 200, /gone -> 410, /fail -> 500 always,
  /flaky -> 500 to the first two requests, then 200.
"""
import base64
import hashlib
import hmac
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOG = sys.argv[1]
SECRET = sys.argv[2]
lock = threading.Lock()
seen = {}


def verify(headers, body):
    key = base64.b64decode(SECRET[len("whsec_"):])
    msg_id, ts = headers.get("webhook-id", ""), headers.get("webhook-timestamp", "")
    signed = f"{msg_id}.{ts}.".encode() + body
    expected = "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return any(hmac.compare_digest(expected, s) for s in headers.get("webhook-signature", "").split(" "))


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with lock:
            seen[self.path] = seen.get(self.path, 0) + 1
            n = seen[self.path]
            with open(LOG, "a") as f:
                f.write(json.dumps({"path": self.path, "body": body.decode(), "valid": verify(self.headers, body),
                                    "id": self.headers.get("webhook-id"),
                                    "timestamp": self.headers.get("webhook-timestamp")}) + "\n")
        status = 200
        if self.path == "/gone":
            status = 410
        elif self.path == "/fail" or (self.path == "/flaky" and n <= 2):
            status = 500
        payload = b"ok"
        self.send_response(status)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print(server.server_address[1], flush=True)
threading.Thread(target=server.serve_forever, daemon=True).start()
sys.stdin.read()
