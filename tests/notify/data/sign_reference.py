#!/usr/bin/env python3
"""Independent Standard Webhooks signer (Python hmac/base64) for
tests/notify/webhook_signer_test.cc: reads lines of
"<secret> <id> <timestamp> <body as hex>" and prints "v1,<base64>" for each."""
import base64
import hashlib
import hmac
import sys

for line in sys.stdin:
    secret, msg_id, ts, body_hex = line.split()
    key = base64.b64decode(secret[len("whsec_"):])
    body = bytes.fromhex(body_hex) if body_hex != "-" else b""
    mac = hmac.new(key, f"{msg_id}.{ts}.".encode() + body, hashlib.sha256).digest()
    print("v1," + base64.b64encode(mac).decode(), flush=True)
