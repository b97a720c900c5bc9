#!/usr/bin/env python3
"""Differential test: `sladesk mail parse` against mail_reference.py.

    diff_mail.py [--bin PATH] [--cases N] [--seed S] [--jobs J] [--out DIR]

Random messages: structures (single parts, alternative, related, mixed,
nested message/rfc822, inline images, later inline text parts, empty plain
alternatives, top-level attachments), charsets (UTF-8, ISO-8859-1/2/15,
windows-1251/1252, KOI8-R, GB2312, Shift_JIS, EUC-KR, Big5, unlabelled),
transfer encodings (7bit, 8bit, quoted-printable, base64), header forms
(RFC 2047 B/Q words in several charsets, split multi-byte characters, words
glued to text, folding, raw 8-bit, RFC 2231 and RFC 2047 file names, groups,
comments), the auto-generated headers, uuencoded blocks, HTML with entities,
and LF or CRLF line ends. Each message is written to --out; every
disagreement is printed with the command that reproduces it. Exit 1 on any.
"""
import argparse
import base64
import binascii
import json
import os
import quopri
import random
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import mail_reference as R  # noqa: E402
from common import find_binary, run, shquote  # noqa: E402

# Words each charset can carry, and the Python codec that writes it.
CHARSETS = {
    "utf-8": ("utf-8", ["café", "Grüße", "привет", "你好", "こんにちは", "서버", "😀", "naïve", "Ελλάδα", "—"]),
    "iso-8859-1": ("latin-1", ["café", "Grüße", "niño", "façade", "Øre", "señor"]),
    "windows-1252": ("cp1252", ["“quoted”", "naïve", "€uro", "–dash", "…"]),
    "iso-8859-2": ("iso8859_2", ["Zażółć", "gęślą", "jaźń", "Příliš"]),
    "iso-8859-15": ("iso8859_15", ["€", "œuvre", "Šárka"]),
    "windows-1251": ("cp1251", ["привет", "сервер", "почта"]),
    "koi8-r": ("koi8_r", ["привет", "сервер", "почта"]),
    "gb2312": ("gb2312", ["你好", "打印机", "服务器", "故障"]),
    "shift_jis": ("cp932", ["こんにちは", "東京", "サーバー"]),
    "euc-kr": ("cp949", ["안녕하세요", "서버", "견적"]),
    "ks_c_5601-1987": ("cp949", ["안녕하세요", "서버"]),
    "big5": ("big5", ["伺服器", "請", "檢查"]),
}
ASCII_WORDS = ["printer", "login", "export", "CSV", "fails", "again", "please", "help", "invoice", "VPN", "down",
               "today", "error", "500", "the", "is", "not", "working", "update", "ticket"]
LABEL_CASE = [str.lower, str.upper, lambda s: s]


def raw8(s):
    """UTF-8 text as the one-code-point-per-byte form the generator writes."""
    return s.encode("utf-8").decode("latin-1")


class Gen:
    def __init__(self, rng, nl):
        self.rng = rng
        self.nl = nl
        self.n = 0

    def pick(self, seq):
        return self.rng.choice(seq)

    def chance(self, p):
        return self.rng.random() < p

    def words(self, charset=None, n=None):
        n = n or self.rng.randint(1, 8)
        pool = ASCII_WORDS + (CHARSETS[charset][1] * 2 if charset else [])
        return " ".join(self.pick(pool) for _ in range(n))

    def boundary(self):
        self.n += 1
        return self.pick(["b", "=_Part_", "----=_NextPart_", "Apple-Mail=_", "000000000000"]) + "%d_%x" % (
            self.n, self.rng.getrandbits(32))

    # ---------------------------------------------------------- headers
    def encoded_words(self, text, charset):
        codec = CHARSETS.get(charset, ("utf-8",))[0]
        enc = self.pick("BQ")
        label = self.pick(LABEL_CASE)(charset)
        # Several words, split at character boundaries, or (UTF-8, B) anywhere in the bytes.
        if charset == "utf-8" and self.chance(0.3):
            data = text.encode("utf-8")
            cut = self.rng.randint(1, max(1, len(data) - 1))
            chunks = [data[:cut], data[cut:]] if len(data) > 1 else [data]
        else:
            chars = list(text)
            k = self.rng.randint(1, min(3, max(1, len(chars))))
            size = max(1, len(chars) // k)
            chunks = [("".join(chars[i:i + size])).encode(codec) for i in range(0, len(chars), size)]
        out = []
        for c in chunks:
            if enc == "B":
                out.append("=?%s?B?%s?=" % (label, base64.b64encode(c).decode()))
            else:
                q = "".join(chr(b) if (chr(b).isalnum() and b < 128) else ("_" if b == 32 else "=%02X" % b) for b in c)
                out.append("=?%s?%s?%s?=" % (label, self.pick("Qq"), q))
        return self.pick([" ", self.nl + " ", self.nl + "\t"]).join(out)

    def fold(self, value):
        parts = value.split(" ")
        out = parts[0]
        for p in parts[1:]:
            if out.endswith("\n") or out.endswith("\t"):
                out += " " + p  # already folded here
            else:
                out += (self.nl + " " if self.chance(0.15) else " ") + p
        return out

    def phrase(self):
        k = self.rng.random()
        if k < 0.3:
            return self.words(n=2).title()
        if k < 0.5:
            return '"%s, %s"' % (self.pick(ASCII_WORDS).title(), self.pick(ASCII_WORDS).title())
        cs = self.pick(list(CHARSETS))
        return self.encoded_words(self.words(cs, 2), cs) if self.chance(0.7) else '"%s"' % self.encoded_words(
            self.words(cs, 1), cs)

    def address(self):
        local = self.pick(["jane", "Tom.Brown", "IT-Ops", "x_y", "support"]) + str(self.rng.randint(1, 99))
        domain = self.pick(["example.com", "Example.ORG", "mail.example.net"])
        a = "%s@%s" % (local, domain)
        k = self.rng.random()
        if k < 0.2:
            return a
        if k < 0.3:
            return "<%s>" % a
        if k < 0.4:
            return "%s (%s)" % (a, self.pick(ASCII_WORDS))
        return "%s <%s>" % (self.phrase(), a)

    def address_list(self, n=None):
        n = n or self.rng.randint(1, 3)
        items = [self.address() for _ in range(n)]
        if self.chance(0.1):
            items = ["Team: %s;" % ", ".join(items)]
        if self.chance(0.05):
            items.append("undisclosed-recipients:;")
        return self.fold(", ".join(items))

    def subject(self):
        pieces = []
        for _ in range(self.rng.randint(1, 4)):
            k = self.rng.random()
            if k < 0.4:
                pieces.append(self.words(n=self.rng.randint(1, 3)))
            elif k < 0.8:
                cs = self.pick(list(CHARSETS))
                pieces.append(self.encoded_words(self.words(cs, 2), cs))
            elif k < 0.85:
                pieces.append("[#%d]" % self.rng.randint(0, 99999))
            elif k < 0.9:
                # An encoded word glued to text, as some mailers write it.
                pieces.append("pre" + self.encoded_words(self.pick(CHARSETS["utf-8"][1]), "utf-8").split()[0] + "post")
            else:
                pieces.append("Re:")
        s = " ".join(pieces)
        if self.chance(0.1):
            s = "caf\xe9 " + s  # raw 8-bit (Latin-1): the fallback charset decides
        if self.chance(0.1):
            s = raw8("Grüße ") + s  # raw UTF-8
        return self.fold(s)

    def msgid(self):
        return "<%x.%d@%s>" % (self.rng.getrandbits(48), self.rng.randint(1, 999), self.pick(["mail.example", "desk.example"]))

    def auto_headers(self):
        h = []
        if self.chance(0.1):
            h.append("Auto-Submitted: " + self.pick(["auto-replied", "auto-generated", "no", "No (human)", "auto-notified"]))
        if self.chance(0.1):
            h.append("Precedence: " + self.pick(["bulk", "junk", "list", "first-class", "Bulk"]))
        if self.chance(0.08):
            h.append("X-Auto-Response-Suppress: " + self.pick(["All", "OOF", "DR, RN", "DR, OOF, AutoReply", "NRN"]))
        if self.chance(0.05):
            h.append("List-Id: <users.lists.example>")
        if self.chance(0.05):
            h.append("List-Unsubscribe: <mailto:leave@lists.example>")
        if self.chance(0.08):
            h.append("Return-Path: " + self.pick(["<>", "< >", "<bounce@example.com>", "<MAILER-DAEMON@example.com>"]))
        return h

    # ---------------------------------------------------------- parts
    def text_content(self, html):
        cs = self.pick(list(CHARSETS) + ["us-ascii", None, None])
        if cs == "us-ascii":
            text = self.words(n=12)
        elif cs is None:
            text = self.words("utf-8" if self.chance(0.5) else "iso-8859-1", 12)
        else:
            text = self.words(cs, 12)
        lines = [text]
        for _ in range(self.rng.randint(0, 4)):
            lines.append(self.words(cs if cs in CHARSETS else None, self.rng.randint(0, 6)))
        if html:
            body = self.html_body(lines)
        else:
            body = "\n".join(lines) + "\n"
            if self.chance(0.08):
                body += "\n" + self.uublock() + "\n" + self.words(n=3) + "\n"
        if cs is None:
            data = body.encode("utf-8" if all(ord(c) < 0x80 or c in "".join(CHARSETS["utf-8"][1]) for c in body)
                               and self.chance(0.6) else "latin-1", "replace")
            try:
                data.decode("utf-8")
            except UnicodeDecodeError:
                data = body.encode("latin-1", "replace")
        else:
            codec = CHARSETS[cs][0] if cs in CHARSETS else "ascii"
            data = body.encode(codec)
        return cs, data

    def uublock(self):
        data = bytes(self.rng.getrandbits(8) for _ in range(self.rng.randint(1, 120)))
        lines = ["begin 644 %s" % self.pick(["file.bin", "report.pdf", "photo.png", "notes.txt"])]
        for i in range(0, len(data), 45):
            lines.append(binascii.b2a_uu(data[i:i + 45]).decode().rstrip("\n"))
        lines += ["`", "end"]
        return "\n".join(lines)

    def html_body(self, lines):
        out = []
        for ln in lines:
            words = ln.split(" ")
            frag = []
            for w in words:
                k = self.rng.random()
                if k < 0.1:
                    frag.append("<b>%s</b>" % w)
                elif k < 0.15:
                    frag.append('<a href="https://x.example/?a=1&amp;b=2">%s</a>' % w)
                elif k < 0.2:
                    frag.append(w + self.pick(["&amp;", "&lt;x&gt;", "&quot;", "&nbsp;", "&euro;", "&#233;", "&#x41;"]))
                else:
                    frag.append(w)
            tag = self.pick(["p", "div", "li", "h2", "br", "td", "blockquote"])
            inner = " ".join(frag)
            if tag == "br":
                out.append(inner + "<br>")
            elif tag == "li":
                out.append("<ul><li>%s</li></ul>" % inner)
            elif tag == "td":
                out.append("<table><tr><td>%s</td><td>%s</td></tr></table>" % (inner, self.pick(ASCII_WORDS)))
            else:
                out.append("<%s>%s</%s>" % (tag, inner, tag))
        head = "<head><style>p { margin: 0 }</style><title>t</title></head>" if self.chance(0.5) else ""
        script = "<script>var x = '<p>';</script>" if self.chance(0.2) else ""
        return "<html>%s<body>%s%s</body></html>\n" % (head, script, "\n".join(out))

    def encode(self, data, cte=None):
        ascii_only = all(b < 0x80 for b in data)
        cte = cte or self.pick(["7bit", "8bit", "quoted-printable", "base64", "base64", "quoted-printable"])
        if cte == "7bit" and not ascii_only:
            cte = "8bit"
        if cte == "quoted-printable":
            body = quopri.encodestring(data).decode("ascii")
        elif cte == "base64":
            s = base64.b64encode(data).decode()
            body = "\n".join(s[i:i + 76] for i in range(0, len(s), 76)) + "\n"
        else:
            body = data.decode("latin-1")
        return cte, body

    def leaf(self, ctype, data, params="", disposition=None, cte=None):
        cte, body = self.encode(data, cte)
        h = ["Content-Type: %s%s" % (ctype, params), "Content-Transfer-Encoding: %s" % cte]
        if disposition:
            h.append("Content-Disposition: %s" % disposition)
        return "\n".join(h) + "\n\n" + body

    def text_part(self, html):
        cs, data = self.text_content(html)
        params = "" if cs is None else "; charset=%s" % self.pick(['"%s"', "%s"]) % self.pick(LABEL_CASE)(cs)
        disp = self.pick([None, None, "inline"])
        return self.leaf("text/html" if html else "text/plain", data, params, disp)

    def filename_params(self, name):
        k = self.rng.random()
        if k < 0.25:
            return '; filename="%s"' % raw8(name), '; name="%s"' % raw8(name)
        if k < 0.4:
            enc = "".join(chr(b) if chr(b).isascii() and (chr(b).isalnum() or chr(b) == ".") else "%%%02X" % b
                          for b in name.encode("utf-8"))
            if self.chance(0.5) and len(enc) > 6:
                cut = len(enc) // 2
                while enc[cut - 1] == "%" or enc[cut - 2] == "%":
                    cut += 1
                return "; filename*0*=UTF-8''%s; filename*1*=%s" % (enc[:cut], enc[cut:]), ""
            return "; filename*=utf-8''%s" % enc, ""
        if k < 0.55:
            w = "=?utf-8?B?%s?=" % base64.b64encode(name.encode()).decode()
            return '; filename="%s"' % w, '; name="%s"' % w
        if k < 0.7:
            return "", '; name="%s"' % name.encode("utf-8").decode("ascii", "ignore")
        return None, None  # no file name at all

    def attachment(self, depth):
        kind = self.pick(["png", "pdf", "txt", "msg", "bin", "inline-png"])
        name = self.pick(["report", "Fehlerbericht Q4", "été", "скриншот", "data"]) + {
            "png": ".png", "inline-png": ".png", "pdf": ".pdf", "txt": ".txt", "msg": ".eml", "bin": ".bin"}[kind]
        fn, ct_name = self.filename_params(name)
        disp = "attachment" if kind != "inline-png" else "inline"
        if fn is not None:
            disp += fn
        ct_name = ct_name or ""
        if kind == "msg" and depth < 3:
            inner = self.message(depth + 1, top=False)
            return "Content-Type: message/rfc822%s\nContent-Disposition: %s\n\n%s" % (ct_name, disp, inner)
        data = bytes(self.rng.getrandbits(8) for _ in range(self.rng.randint(0, 300)))
        ctype = {"png": "image/png", "inline-png": "image/png", "pdf": "application/pdf", "txt": "text/plain",
                 "msg": "application/octet-stream", "bin": "application/octet-stream"}[kind]
        if kind == "txt":
            data = self.words(n=20).encode() + b"\n"
        part = self.leaf(ctype, data, ct_name, disp, "base64" if kind != "txt" else None)
        if kind == "inline-png":
            part = "Content-ID: <img%d@x>\n" % self.n + part
        return part

    def multipart(self, subtype, parts, extra=""):
        b = self.boundary()
        out = "Content-Type: multipart/%s; boundary=\"%s\"%s\n\n" % (subtype, b, extra)
        if self.chance(0.3):
            out += "This is a multi-part message in MIME format.\n"
        for p in parts:
            out += "--%s\n%s\n" % (b, p)
        out += "--%s--\n" % b
        return out

    def body(self, depth):
        k = self.rng.random()
        if k < 0.2:
            return self.text_part(False)
        if k < 0.3:
            return self.text_part(True)
        if k < 0.5:
            plain = self.text_part(False) if not self.chance(0.1) else "Content-Type: text/plain; charset=utf-8\n\n\n"
            return self.multipart("alternative", [plain, self.text_part(True)])
        if k < 0.6:
            return self.multipart("alternative", [self.text_part(False),
                                                  self.multipart("related", [self.text_part(True), self.attachment(9)])])
        if k < 0.7:
            return self.multipart("related", [self.multipart("alternative", [self.text_part(False), self.text_part(True)]),
                                              self.attachment(9)])
        if k < 0.75:
            return self.attachment(depth)
        parts = [self.body(depth + 1) if depth < 2 and self.chance(0.5) else self.text_part(self.chance(0.3))]
        for _ in range(self.rng.randint(0, 3)):
            parts.append(self.attachment(depth) if self.chance(0.7) else self.text_part(self.chance(0.2)))
        return self.multipart("mixed", parts)

    def message(self, depth=0, top=True):
        h = []
        h.append("From: " + self.address_list(1))
        if self.chance(0.9):
            h.append("To: " + self.address_list())
        if self.chance(0.3):
            h.append("Cc: " + self.address_list())
        if self.chance(0.9):
            h.append("Subject: " + self.subject())
        if self.chance(0.9):
            h.append("Message-ID: " + self.msgid())
        if self.chance(0.4):
            h.append("In-Reply-To: " + self.msgid() + self.pick(["", " (message of Monday)"]))
        if self.chance(0.4):
            h.append("References: " + self.fold(" ".join(self.msgid() for _ in range(self.rng.randint(1, 4)))))
        h.append("Date: Mon, 14 Dec 2026 09:00:00 +0000")
        if top:
            h += self.auto_headers()
        self.rng.shuffle(h)
        h.append("MIME-Version: 1.0")
        body = self.body(depth)
        return "\n".join(h) + "\n" + body


def make_message(seed, i):
    """The message as bytes. The generator writes str in which each code point
    below 256 stands for one byte (raw8() maps UTF-8 text into that form)."""
    rng = random.Random("%s-%d" % (seed, i))
    crlf = rng.random() < 0.3
    text = Gen(rng, "\n").message()
    if rng.random() < 0.05:
        text = "From sender@example.com Mon Dec 14 09:00:00 2026\n" + text
    data = text.encode("latin-1")
    if crlf:
        data = data.replace(b"\n", b"\r\n")
    return data


def compare(ours, ref):
    diffs = []
    for key in ["message_id", "in_reply_to", "references", "from", "to", "subject", "ticket_number",
                "auto_generated", "text", "attachments", "cc"]:
        a, b = ours.get(key), ref.get(key)
        if key == "text" and a != b:
            na = [" ".join(x.split()) for x in a.split("\n") if x.strip()]
            nb = [" ".join(x.split()) for x in b.split("\n") if x.strip()]
            if na == nb:
                continue
        if a != b:
            diffs.append("%s: sladesk %s, reference %s" % (key, json.dumps(a, ensure_ascii=False)[:400],
                                                          json.dumps(b, ensure_ascii=False)[:400]))
    return diffs


def run_case(binary, outdir, seed, i):
    data = make_message(seed, i)
    path = os.path.join(outdir, "msg-%d.eml" % i)
    with open(path, "wb") as f:
        f.write(data)
    try:
        ref = R.parse(data)
        ref_rc = 0
    except R.NotMail:
        ref, ref_rc = None, 2
    rc, out, err = run(binary, ["mail", "parse", path], timeout=60)
    if rc != ref_rc:
        return path, ["exit status: sladesk %s (%s), reference %s" % (rc, err.strip()[:200], ref_rc)]
    if rc != 0:
        return path, []
    try:
        ours = json.loads(out)
    except ValueError:
        return path, ["sladesk printed no JSON: %r" % out[:200]]
    return path, compare(ours, ref)


BAD = [b"", b"\n\n", b"\x00\x01\x02 garbage \xff\xfe", b"just some text\nwithout headers\n",
       b"Note: not a mail header\n\nbody\n", b"\x1f\x8b\x08\x00" + bytes(range(256))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin")
    ap.add_argument("--cases", type=int, default=300)
    ap.add_argument("--seed", default=str(int(time.time())))
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--out")
    ap.add_argument("--max-report", type=int, default=10)
    a = ap.parse_args()
    binary = find_binary(a.bin)
    outdir = a.out or tempfile.mkdtemp(prefix="diff_mail-")
    os.makedirs(outdir, exist_ok=True)
    print("seed %s, messages in %s" % (a.seed, outdir))
    failed, passed = [], 0
    for k, data in enumerate(BAD):
        path = os.path.join(outdir, "bad-%d.eml" % k)
        with open(path, "wb") as f:
            f.write(data)
        rc, out, err = run(binary, ["mail", "parse", path])
        lines = [ln for ln in err.splitlines() if ln.strip()]
        if rc != 2 or len(lines) != 1:
            failed.append((path, ["bad input: exit %s, stderr %r (want exit 2 and one line)" % (rc, err)]))
        else:
            passed += 1
    with ThreadPoolExecutor(max_workers=a.jobs) as ex:
        for path, d in ex.map(lambda i: run_case(binary, outdir, a.seed, i), range(a.cases)):
            if d:
                failed.append((path, d))
            else:
                passed += 1
    for path, d in failed[:a.max_report]:
        print("DISAGREEMENT (%s)" % os.path.basename(path))
        print("  command: sladesk mail parse %s" % shquote(path))
        print("  reference: python3 %s %s" % (shquote(os.path.join(HERE, "mail_reference.py")), shquote(path)))
        for line in d:
            print("    " + line)
    if len(failed) > a.max_report:
        print("(%d more disagreements not shown; rerun with --seed %s --max-report N)" % (
            len(failed) - a.max_report, a.seed))
    print("%d passed, %d failed" % (passed, len(failed)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
