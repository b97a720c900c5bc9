#!/usr/bin/env python3
"""The webhook receiver of the tests (loopback only): tests/notify/webhook_client_test.cc,
tests/ops/outbox_dispatcher_test.cc and tests/ops/outbox_api_test.cc.

Prints its port on the first line, then serves until stdin closes. It
verifies each Standard Webhooks signature itself (hmac + base64 from the
Python standard library: an implementation independent of sladesk's) and
appends one JSON line per request to the log file given as argv[1]. The
path picks the answer:
  /ok -> 200, /gone -> 410, /fail -> 500, /busy -> 429 Retry-After: 7,
  /unavailable -> 503 Retry-After: <HTTP date 120 s ahead>, /redirect -> 302 to /ok,
  /notfound -> 404, /slow -> 200 after 3 s, /huge -> 200 with a 4 MiB body,
  /flaky -> 500 to the first two requests, then 200.
"""
import base64
import email.utils
import hashlib
import hmac
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SECRET = sys.argv[2] if len(sys.argv) > 2 else ""
LOG = sys.argv[1]
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
        with lock, open(LOG, "a") as f:
            seen[self.path] = seen.get(self.path, 0) + 1
            n = seen[self.path]
            f.write(json.dumps({"path": self.path, "body": body.decode(), "valid": verify(self.headers, body),
                                "id": self.headers.get("webhook-id"), "timestamp": self.headers.get("webhook-timestamp"),
                                "content_type": self.headers.get("Content-Type")}) + "\n")
        status, extra, payload = 200, {}, b"thanks"
        if self.path == "/gone":
            status = 410
        elif self.path == "/fail" or (self.path == "/flaky" and n <= 2):
            status = 500
        elif self.path == "/notfound":
            status = 404
        elif self.path == "/busy":
            status, extra = 429, {"Retry-After": "7"}
        elif self.path == "/unavailable":
            status, extra = 503, {"Retry-After": email.utils.formatdate(time.time() + 120, usegmt=True)}
        elif self.path == "/redirect":
            status, extra = 302, {"Location": "/ok"}
        elif self.path == "/slow":
            time.sleep(3)
        elif self.path == "/huge":
            payload = b"x" * (4 * 1024 * 1024)
        self.send_response(status)
        for k, v in extra.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        try:
            self.wfile.write(payload)
        except OSError:
            pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print(server.server_address[1], flush=True)
threading.Thread(target=server.serve_forever, daemon=True).start()
sys.stdin.read()
