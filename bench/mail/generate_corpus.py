#!/usr/bin/env python3
"""Writes N realistic messages into a maildir (new/) for the mail benchmarks.

    python3 bench/mail/generate_corpus.py --out DIR [--count 10000] [--seed 1]

Shapes, by share: Outlook (multipart/alternative QP windows-1252 + HTML with
divRplyFwdMsg, 25%), Gmail (alternative UTF-8 with gmail_quote, 25%), Apple
Mail (text around inline images, 10%), Thunderbird (format=flowed plain with
'>' quotes, 15%), HTML-only web forms (10%), plain RFC 822 (5%), bounces
(DSN, 4%), out-of-office replies (3%), mailing-list posts (3%). 20% of the
messages carry one to three attachments (PDF, PNG, DOCX, logs; lognormal
sizes, median 12 KiB, at most 1 MiB); a third of the files have CRLF line ends; text bodies run from one line to
about 20 KiB with quoted history. Deterministic for a seed.
"""
import argparse
import base64
import os
import quopri
import random

WORDS = ("the export still fails after the update please check the server logs again we restarted "
         "printer queue login page blank invoice amount wrong customer portal password reset link "
         "thanks for the quick answer regards support ticket attached screenshot error message "
         "Grüße schöne Woche déjà vu naïve café").split()


def sentence(rng, n=None):
    n = n or rng.randint(5, 18)
    s = " ".join(rng.choice(WORDS) for _ in range(n))
    return s[0].upper() + s[1:] + "."


def paragraphs(rng, lines):
    out = []
    for _ in range(lines):
        out.append(" ".join(sentence(rng) for _ in range(rng.randint(1, 4))))
        if rng.random() < 0.3:
            out.append("")
    return "\n".join(out)


def b64(data):
    s = base64.b64encode(data).decode()
    return "\n".join(s[i:i + 76] for i in range(0, len(s), 76))


def blob(rng, size):
    return bytes(rng.getrandbits(8) for _ in range(min(size, 4096))) * (size // 4096 + 1)


def attachment_size(rng):
    return int(min(1024 * 1024, max(800, rng.lognormvariate(9.4, 1.0))))  # median ~12 KiB


def attachments(rng, boundary):
    parts = []
    for _ in range(rng.choice([1, 1, 1, 2, 2, 3])):
        kind = rng.choice([("report.pdf", "application/pdf"), ("screenshot.png", "image/png"),
                           ("Übersicht Q4.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
                           ("server.log", "text/plain")])
        data = blob(rng, attachment_size(rng))
        name = kind[0]
        disp = 'filename="%s"' % name if name.isascii() else "filename*=utf-8''" + "".join(
            c if c.isascii() and c.isalnum() or c == "." else "%%%02X" % b for c in name for b in c.encode())
        parts.append("--%s\nContent-Type: %s; name=\"%s\"\nContent-Disposition: attachment; %s\n"
                     "Content-Transfer-Encoding: base64\n\n%s\n" % (boundary, kind[1], name if name.isascii() else
                                                                   "=?utf-8?B?%s?=" % base64.b64encode(name.encode()).decode(),
                                                                   disp, b64(data)))
    return parts


def headers(rng, i, subject, extra=""):
    return ("Received: from mx.customer.example (mx.customer.example [192.0.2.%d])\n\tby mail.desk.example with ESMTPS id %x;"
            " Mon, 14 Dec 2026 09:%02d:00 +0000\nFrom: Customer %d <customer%d@customer.example>\nTo: Support <support@desk.example>\n"
            "Subject: %s\nDate: Mon, 14 Dec 2026 09:%02d:00 +0000\nMessage-ID: <bench-%d.%x@customer.example>\n"
            "In-Reply-To: <sladesk.%d.0123456789abcdef.000000000000000000000000@desk.example>\nMIME-Version: 1.0\n%s") % (
        i % 250, rng.getrandbits(40), i % 60, i, i % 997, subject, i % 60, i, rng.getrandbits(32), i % 5000, extra)


def quoted(rng, n):
    return "\n".join("> " + sentence(rng) for _ in range(n))


def message(rng, i):
    k = rng.random()
    with_att = rng.random() < 0.2
    body_lines = int(rng.choice([1, 2, 4, 8, 16, 40, 120]))
    text = paragraphs(rng, body_lines)
    subject = "Re: [#%d] %s" % (i % 5000, sentence(rng, 5)[:-1])
    b = "=_b%d_%x" % (i, rng.getrandbits(32))
    if k < 0.25:  # Outlook
        alt = "=_a%d" % i
        plain = text + "\n\nFrom: Support <support@desk.example>\nSent: Monday\nTo: Customer\nSubject: x\n\n" + paragraphs(rng, 6)
        html = "<html><head><style>p.MsoNormal{margin:0}</style></head><body><div class=WordSection1>" + "".join(
            "<p class=MsoNormal>%s<o:p></o:p></p>" % line for line in text.split("\n")) + \
            "<div id=\"divRplyFwdMsg\"><b>From:</b> Support</div><p>%s</p></div></body></html>" % paragraphs(rng, 6)
        body = ("--%s\nContent-Type: text/plain; charset=\"windows-1252\"\nContent-Transfer-Encoding: quoted-printable\n\n%s\n"
                "--%s\nContent-Type: text/html; charset=\"windows-1252\"\nContent-Transfer-Encoding: quoted-printable\n\n%s\n--%s--\n") % (
            alt, quopri.encodestring(plain.encode("cp1252", "replace")).decode(), alt,
            quopri.encodestring(html.encode("cp1252", "replace")).decode(), alt)
        ct = "Content-Type: multipart/alternative; boundary=\"%s\"\n" % alt
    elif k < 0.5:  # Gmail
        alt = "0000000000%x" % i
        plain = text + "\n\nOn Mon, Dec 14, 2026 at 9:00 AM Support <support@desk.example> wrote:\n\n" + quoted(rng, 8)
        html = "<div dir=\"ltr\">%s</div><br><div class=\"gmail_quote\"><blockquote class=\"gmail_quote\">%s</blockquote></div>" % (
            text.replace("\n", "<br>"), paragraphs(rng, 8))
        body = ("--%s\nContent-Type: text/plain; charset=\"UTF-8\"\nContent-Transfer-Encoding: quoted-printable\n\n%s\n"
                "--%s\nContent-Type: text/html; charset=\"UTF-8\"\nContent-Transfer-Encoding: quoted-printable\n\n%s\n--%s--\n") % (
            alt, quopri.encodestring(plain.encode()).decode(), alt, quopri.encodestring(html.encode()).decode(), alt)
        ct = "Content-Type: multipart/alternative; boundary=\"%s\"\n" % alt
    elif k < 0.6:  # Apple Mail, text around an inline image
        img = blob(rng, rng.randint(3000, 60000))
        body = ("--%s\nContent-Type: text/plain; charset=utf-8\n\n%s\n--%s\nContent-Disposition: inline; filename=IMG_%d.png\n"
                "Content-Type: image/png; name=\"IMG_%d.png\"\nContent-Transfer-Encoding: base64\n\n%s\n"
                "--%s\nContent-Type: text/plain; charset=utf-8\n\n%s\n--%s--\n") % (b, text, b, i, i, b64(img), b,
                                                                               sentence(rng), b)
        ct = "Content-Type: multipart/mixed; boundary=\"%s\"\n" % b
        with_att = False
    elif k < 0.75:  # Thunderbird
        body = text + "\n\nAm 14.12.26 um 09:00 schrieb Support:\n" + quoted(rng, 12) + "\n"
        ct = "Content-Type: text/plain; charset=UTF-8; format=flowed\nContent-Transfer-Encoding: 8bit\n"
    elif k < 0.85:  # HTML-only web form
        body = "<html><body><table>" + "".join("<tr><td>%s</td><td>%s</td></tr>" % (rng.choice(WORDS), sentence(rng))
                                               for _ in range(body_lines)) + "</table></body></html>\n"
        ct = "Content-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: 8bit\n"
    elif k < 0.9:  # plain RFC 822
        body = text + "\n"
        ct = ""
    elif k < 0.94:  # bounce
        inner = headers(rng, i, "[#%d] Update" % (i % 5000))
        body = ("--%s\nContent-Type: text/plain\n\nThe mail system could not deliver your message.\n--%s\n"
                "Content-Type: message/delivery-status\n\nReporting-MTA: dns; mx.customer.example\n\nFinal-Recipient: rfc822; x@customer.example\n"
                "Action: failed\nStatus: 5.1.1\n\n--%s\nContent-Type: text/rfc822-headers\n\n%s\n--%s--\n") % (b, b, b, inner, b)
        ct = "Content-Type: multipart/report; report-type=delivery-status; boundary=\"%s\"\nAuto-Submitted: auto-replied\n" % b
        with_att = False
    elif k < 0.97:  # out of office
        body = "I am out of the office until 4 January.\n"
        ct = "Content-Type: text/plain; charset=us-ascii\nAuto-Submitted: auto-replied\nX-Auto-Response-Suppress: All\n"
    else:  # mailing list
        body = text + "\n"
        ct = "Content-Type: text/plain; charset=us-ascii\nList-Id: <users.lists.example>\nPrecedence: list\n"
    if with_att:
        inner_ct = ct.split("\n")[0] + "\n" if ct else "Content-Type: text/plain\n"
        rest = "\n".join(ct.split("\n")[1:])
        body = "--%s\n%s%s\n%s\n%s--%s--\n" % (b + "m", inner_ct, rest, body, "".join(attachments(rng, b + "m")), b + "m")
        ct = "Content-Type: multipart/mixed; boundary=\"%s\"\n" % (b + "m")
    return (headers(rng, i, subject, ct) + "\n" + body).encode("utf-8")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--count", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    for sub in ("new", "cur", "tmp"):
        os.makedirs(os.path.join(a.out, sub), exist_ok=True)
    total = 0
    for i in range(a.count):
        data = message(rng, i)
        if i % 3 == 0:
            data = data.replace(b"\n", b"\r\n")  # a third as received over SMTP, CRLF
        with open(os.path.join(a.out, "new", "%010d.bench.M%d" % (i, i)), "wb") as f:
            f.write(data)
        total += len(data)
    print("%d messages, %.1f MB in %s/new" % (a.count, total / 1e6, a.out))


if __name__ == "__main__":
    main()
