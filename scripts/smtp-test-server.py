#!/usr/bin/python3
"""A real SMTP server on loopback for the mail tests (Debian's aiosmtpd).

    /usr/bin/python3 scripts/smtp-test-server.py --maildir DIR [options]

Prints "READY <port>" on stdout once it listens on 127.0.0.1 (a free port
unless --port is given), then serves until it is killed. Every accepted
message is stored unchanged in the maildir DIR (new/), and one JSON line
{"file", "mail_from", "rcpt_tos"} per message is appended to
DIR/envelopes.jsonl.

Options:
  --temp-fail ADDR     answer RCPT TO:<ADDR> with 451 4.3.0 (repeatable)
  --perm-fail ADDR     answer RCPT TO:<ADDR> with 550 5.1.1 (repeatable)
  --data-fail CODE     answer DATA with CODE (e.g. 452 or 554) instead of storing
  --tls-dir DIR        offer STARTTLS with DIR/cert.pem + DIR/key.pem (made with
                       openssl for 127.0.0.1 when missing)
  --require-starttls   refuse MAIL before STARTTLS
  --smtps              implicit TLS on the whole connection (needs --tls-dir)
  --auth USER:PASS     require AUTH PLAIN/LOGIN with these credentials

Debian's python3-aiosmtpd is installed for /usr/bin/python3 (not a pyenv
python); run it with that interpreter.
"""
import argparse
import asyncio
import json
import os
import ssl
import subprocess
import sys
import time

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


def make_cert(tls_dir):
    cert, key = os.path.join(tls_dir, "cert.pem"), os.path.join(tls_dir, "key.pem")
    if not (os.path.exists(cert) and os.path.exists(key)):
        os.makedirs(tls_dir, exist_ok=True)
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                        "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                        "-keyout", key, "-out", cert], check=True, capture_output=True)
    return cert, key


class Handler:
    def __init__(self, args):
        self.maildir = args.maildir
        for sub in ("tmp", "new", "cur"):
            os.makedirs(os.path.join(self.maildir, sub), exist_ok=True)
        self.count = 0
        self.index = os.path.join(args.maildir, "envelopes.jsonl")
        self.temp = {a.lower() for a in args.temp_fail}
        self.perm = {a.lower() for a in args.perm_fail}
        self.data_fail = args.data_fail

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.temp:
            return "451 4.3.0 <%s>: mailbox temporarily unavailable" % address
        if address.lower() in self.perm:
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 Ok"

    async def handle_DATA(self, server, session, envelope):
        if self.data_fail:
            return "%d %s.0.0 DATA refused by the test server" % (self.data_fail, str(self.data_fail)[0])
        # The bytes exactly as received (line ends included), written the maildir way.
        self.count += 1
        key = "%d.P%dQ%d.smtp-test" % (int(time.time()), os.getpid(), self.count)
        tmp = os.path.join(self.maildir, "tmp", key)
        with open(tmp, "wb") as f:
            f.write(envelope.original_content or envelope.content)
        os.rename(tmp, os.path.join(self.maildir, "new", key))
        with open(self.index, "a") as f:
            f.write(json.dumps({"file": os.path.join("new", key), "mail_from": envelope.mail_from,
                                "rcpt_tos": envelope.rcpt_tos}) + "\n")
        return "250 2.0.0 Ok: queued as Q%d" % self.count


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--maildir", required=True)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--temp-fail", action="append", default=[])
    ap.add_argument("--perm-fail", action="append", default=[])
    ap.add_argument("--data-fail", type=int, default=0)
    ap.add_argument("--tls-dir")
    ap.add_argument("--require-starttls", action="store_true")
    ap.add_argument("--smtps", action="store_true")
    ap.add_argument("--auth")
    args = ap.parse_args()

    handler = Handler(args)
    kwargs = {"hostname": "smtp-test.localhost", "decode_data": False, "enable_SMTPUTF8": True}
    tls_context = None
    if args.tls_dir:
        cert, key = make_cert(args.tls_dir)
        tls_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls_context.load_cert_chain(cert, key)
    if tls_context and not args.smtps:
        kwargs["tls_context"] = tls_context
        kwargs["require_starttls"] = args.require_starttls
    if args.auth:
        user, password = args.auth.split(":", 1)

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user and \
                auth_data.password.decode() == password
            return AuthResult(success=ok, handled=False)  # handled=False: the server answers 535
        kwargs["authenticator"] = authenticator
        kwargs["auth_required"] = True
        kwargs["auth_require_tls"] = False

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    server = loop.run_until_complete(loop.create_server(
        lambda: SMTP(handler, loop=loop, **kwargs), "127.0.0.1", args.port,
        ssl=tls_context if args.smtps else None))
    port = server.sockets[0].getsockname()[1]
    print("READY %d" % port, flush=True)
    try:
        loop.run_forever()
    finally:
        server.close()


if __name__ == "__main__":
    sys.exit(main())
