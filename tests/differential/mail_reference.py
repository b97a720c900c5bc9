#!/usr/bin/env python3
"""An independent implementation of CONTRACT §9 (`sladesk mail parse`).

Written from ../../../shared/spec/CONTRACT.md §9 and the readings in
docs/EMAIL.md (marked READING: below), without reading src/mail. Python's
standard library only: `email.parser.BytesParser(policy=policy.default)` for
the MIME structure, transfer decoding and address lists, `html.parser` for
HTML, `binascii` for uuencode, Python's codecs for charsets.

    python3 mail_reference.py MESSAGE.eml     # prints the JSON, or exits 2
"""
import binascii
import codecs
import html
import html.parser
import json
import re
import sys
from email import policy
from email.generator import BytesGenerator
from email.parser import BytesParser
from email.utils import getaddresses
import io


class NotMail(Exception):
    pass


# ------------------------------------------------------------------ charsets
# READING: labels as mail clients (WHATWG) read them.
ALIASES = {
    "utf-8": "utf-8", "utf8": "utf-8",
    "us-ascii": "ascii", "ascii": "ascii", "ansi_x3.4-1968": "ascii",
    "iso-8859-1": "whatwg-1252", "iso8859-1": "whatwg-1252", "latin1": "whatwg-1252", "latin-1": "whatwg-1252",
    "windows-1252": "whatwg-1252", "cp1252": "whatwg-1252",
    "iso-8859-9": "cp1254", "windows-1254": "cp1254",
    "tis-620": "cp874", "iso-8859-11": "cp874", "windows-874": "cp874",
    "gb2312": "gb18030", "gbk": "gb18030", "gb18030": "gb18030", "cp936": "gb18030", "x-gbk": "gb18030",
    "euc-cn": "gb18030",
    "ks_c_5601-1987": "cp949", "euc-kr": "cp949", "cp949": "cp949", "ks_c_5601-1989": "cp949",
    "shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932", "windows-31j": "cp932", "cp932": "cp932",
    "big5": "big5hkscs", "big5-hkscs": "big5hkscs",
    "koi8-r": "koi8_r", "koi8-u": "koi8_u",
    "iso-2022-jp": "iso2022_jp_2", "euc-jp": "euc_jp",
    "utf-16": "utf-16", "utf-16le": "utf-16-le", "utf-16be": "utf-16-be", "utf-7": "utf-7",
    "unknown-8bit": None, "x-unknown": None, "unknown": None, "default": None,
}

C1_1252 = "\u20ac\x81\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\x8d\u017d\x8f" \
          "\x90\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\x9d\u017e\u0178"


def decode_1252(b):
    return "".join(C1_1252[c - 0x80] if 0x80 <= c < 0xa0 else chr(c) for c in b)


def canonical(label):
    """Codec name, 'ascii', 'whatwg-1252', or None (unknown / unlabelled)."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower().split("*")[0]
    if label in ALIASES:
        return ALIASES[label]
    if re.fullmatch(r"(windows|cp)-?125[0-8]", label):
        return "cp125" + label[-1]
    if re.fullmatch(r"iso[-_]?8859[-_]?(\d+)", label):
        n = re.fullmatch(r"iso[-_]?8859[-_]?(\d+)", label).group(1)
        return "iso8859_" + n
    try:
        codecs.lookup(label)
        return label
    except LookupError:
        return None


def iso2022(b):
    """7-bit text with ISO 2022 designations is that encoding."""
    if b"\x1b" not in b or any(c >= 0x80 for c in b):
        return None
    if any(e in b for e in (b"\x1b$B", b"\x1b$@", b"\x1b$(D", b"\x1b(I")):
        codec = "iso2022_jp_2"
    elif b"\x1b$)C" in b and b"\x0e" in b:
        codec = "iso2022_kr"
    else:
        return None
    try:
        s = b.decode(codec)
    except UnicodeDecodeError:
        return None
    return None if "\x1b" in s else s


def unlabelled(b, fallback=None):
    s = iso2022(b)
    if s is not None:
        return s
    try:
        s = b.decode("utf-8")
        return s[1:] if s.startswith("\ufeff") else s
    except UnicodeDecodeError:
        pass
    fb = canonical(fallback)
    if fb and fb not in ("utf-8", "ascii"):
        return decode_with(b, fb, None)
    return decode_1252(b)


def decode_with(b, name, fallback):
    if name is None:
        return unlabelled(b, fallback)
    if name == "ascii":
        return unlabelled(b, fallback)
    if name == "whatwg-1252":
        return decode_1252(b)
    if name == "utf-8":
        s = b.decode("utf-8", "replace")
        return s[1:] if s.startswith("\ufeff") else s
    try:
        return b.decode(name, "replace")
    except LookupError:
        return unlabelled(b, fallback)


def decode_bytes(b, label, fallback=None):
    return decode_with(b, canonical(label), fallback)


# ------------------------------------------------------------------ headers
ENCODED_WORD = re.compile(r"=\?([^?\s]{1,64})\?([bBqQ])\?([^\s]*?)\?=")


def q_decode(text):
    out = bytearray()
    i = 0
    t = text.encode("ascii", "surrogateescape")
    while i < len(t):
        c = t[i]
        if c == 0x3d and i + 2 < len(t) and all(chr(x) in "0123456789abcdefABCDEF" for x in t[i + 1:i + 3]):
            out.append(int(t[i + 1:i + 3], 16))
            i += 3
            continue
        out.append(0x20 if c == 0x5f else c)
        i += 1
    return bytes(out)


def b_decode(text):
    clean = re.sub(r"[^A-Za-z0-9+/]", "", text.split("=")[0])
    clean = clean[:len(clean) - len(clean) % 4] + ("" if len(clean) % 4 < 2 else clean[len(clean) - len(clean) % 4:] + "=" * (4 - len(clean) % 4))
    try:
        return binascii.a2b_base64(clean)
    except binascii.Error:
        return b""


def raw_bytes(s):
    return s.encode("utf-8", "surrogateescape") if isinstance(s, str) else s


def decode_header_text(raw, fallback=None):
    """RFC 2047 read loosely (READING: glued words decoded, same-charset words joined)."""
    s = raw_bytes(raw).replace(b"\r", b"").replace(b"\n", b"").decode("ascii", "surrogateescape")
    pieces = []  # (encoded?, charset, bytes)
    pos = 0
    for m in ENCODED_WORD.finditer(s):
        plain = s[pos:m.start()]
        if plain and not (pieces and pieces[-1][0] and plain.strip(" \t") == ""):
            pieces.append((False, None, raw_bytes(plain)))
        data = b_decode(m.group(3)) if m.group(2) in "bB" else q_decode(m.group(3))
        pieces.append((True, m.group(1).lower(), data))
        pos = m.end()
    if pos < len(s):
        pieces.append((False, None, raw_bytes(s[pos:])))
    out = []
    i = 0
    while i < len(pieces):
        enc, cs, data = pieces[i]
        if not enc:
            out.append(unlabelled(data, fallback))
            i += 1
            continue
        j = i + 1
        while j < len(pieces) and pieces[j][0] and pieces[j][1] == cs:
            data += pieces[j][2]
            j += 1
        out.append(decode_bytes(data, cs, fallback).replace("\r", " ").replace("\n", " "))
        i = j
    return "".join(out).strip()


def strip_comments(value):
    out, depth, quoted = [], 0, False
    for c in value:
        if c == '"' and depth == 0:
            quoted = not quoted
        if not quoted and c == "(":
            depth += 1
            continue
        if not quoted and c == ")" and depth:
            depth -= 1
            continue
        if depth == 0:
            out.append(c)
    return "".join(out).replace("\r", "").replace("\n", "").strip(" \t")


def message_ids(raw, first_only):
    v = raw_bytes(raw).decode("utf-8", "replace").replace("\r", "").replace("\n", "")
    ids = []
    for m in re.finditer(r"<([^<>]*)>", v):
        inner = re.sub(r"[ \t]", "", m.group(1))
        if inner:
            ids.append("<" + inner + ">")
    if ids:
        return ids[:1] if first_only else ids
    plain = strip_comments(v)
    if first_only:
        return [plain] if plain and not re.search(r"[ \t<>]", plain) else []
    return [w for w in re.split(r"[ \t,]+", plain) if w]


def addresses(first, name, fallback):
    """READING: groups flattened, comments are not names, empty names null."""
    if name not in first:
        return []
    raw = raw_bytes(first[name]).decode("ascii", "surrogateescape").replace("\r", "").replace("\n", "")
    out = []
    for display, address in getaddresses([strip_comments(raw)]):
        address = unlabelled(raw_bytes(address.strip()), fallback).lower()
        if address.startswith("mailto:"):
            address = address[7:]
        if address in ("", "<>"):
            continue
        display = decode_header_text(display, fallback)
        out.append({"address": address, "name": display or None})
    return out


AUTO_HEADERS = ("auto-submitted", "precedence", "x-auto-response-suppress")


def is_auto_generated(first, content_type, from_addr):
    v = first.get("auto-submitted")
    if v is not None:
        value = strip_comments(v).split(";")[0].strip()
        if value.lower() != "no":
            return True
    v = first.get("precedence")
    if v is not None and strip_comments(v).lower() in ("bulk", "junk", "list"):
        return True
    v = first.get("x-auto-response-suppress")
    if v is not None:
        tokens = [t for t in re.split(r"[ \t,;]+", v.lower()) if t]
        if "all" in tokens or "oof" in tokens:
            return True
    if "list-id" in first or "list-unsubscribe" in first:
        return True
    rp = first.get("return-path")
    if rp is not None and re.sub(r"[ \t]", "", strip_comments(rp)) in ("<>", ""):
        return True
    senders = [from_addr] if from_addr else []
    for h in ("sender", "return-path"):
        if first.get(h):
            m = re.search(r"<([^<>]*)>", first[h]) or re.search(r"(\S+@\S+|\S+)", strip_comments(first[h]))
            if m:
                senders.append(m.group(1).strip().lower())
    for s in senders:
        local = s.split("@")[0]
        if local in ("mailer-daemon", "postmaster"):
            return True
    return content_type == "multipart/report"


# ------------------------------------------------------------------ HTML
BLOCK = {"div", "li", "tr", "blockquote", "table", "ul", "ol", "dl", "dt", "dd", "address", "article", "aside",
         "center", "details", "fieldset", "figcaption", "figure", "footer", "form", "header", "main", "nav",
         "section", "summary", "caption", "tbody", "thead", "tfoot", "body", "html", "hr"}
PARA = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "pre"}
SKIP = {"script", "style", "title", "template"}


class _Text(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines = [""]  # the text as lines being built
        self.pending = 0
        self.space = False
        self.skip = 0
        self.pre = 0
        self.pre_start = False  # a newline right after <pre> is not content

    def _flush(self):
        if self.pending and "\n".join(self.lines) != "":
            have, k = 0, len(self.lines) - 1
            while k >= 1 and self.lines[k] == "" and have < 2:
                have += 1
                k -= 1
            for _ in range(have, self.pending):
                self.lines.append("")
        self.pending = 0

    def handle_starttag(self, tag, attrs):
        self._tag(tag, False)
        if tag != "pre":
            self.pre_start = False

    def handle_startendtag(self, tag, attrs):
        self._tag(tag, False)

    def handle_endtag(self, tag):
        self._tag(tag, True)

    def _tag(self, tag, closing):
        if tag in SKIP:
            self.skip += -1 if closing else 1
            self.skip = max(self.skip, 0)
            return
        if tag == "br":
            self._flush()
            self.lines.append("")
            self.space = False
        elif tag in PARA:
            self.pending = max(self.pending, 2)
            self.space = False
            if tag == "pre":
                self.pre += -1 if closing else 1
                self.pre = max(self.pre, 0)
                self.pre_start = not closing
        elif tag in BLOCK:
            self.pending = max(self.pending, 1)
            self.space = False
        elif tag in ("td", "th") and not closing:
            if self.lines[-1] and not self.pending:
                self.space = True

    def handle_data(self, data):
        if self.skip:
            return
        if self.pre_start:
            self.pre_start = False
            if data.startswith("\r\n"):
                data = data[2:]
            elif data.startswith("\n"):
                data = data[1:]
        for ch in data:
            if not self.pre and ch in " \t\n\r\f":
                self.space = True
                continue
            if self.pre and ch == "\r":
                continue
            if self.pre and ch == "\n":
                self._flush()
                self.lines.append("")
                self.space = False
                continue
            self._flush()
            if self.space and self.lines[-1] and not self.lines[-1].endswith(" "):
                self.lines[-1] += " "
            self.space = False
            self.lines[-1] += ch


def html_to_text(s):
    p = _Text()
    p.feed(s)
    p.close()
    lines = [ln.replace("\xa0", " ").rstrip() for ln in "\n".join(p.lines).split("\n")]
    out, blank = [], 0
    for ln in lines:
        if ln.strip() == "":
            blank += 1
            continue
        if out:
            out.append("" if blank else None)
        out.append(ln)
        blank = 0
    return "\n".join(x for x in out if x is not None).strip()


# ------------------------------------------------------------------ body
UU_BEGIN = re.compile(r"^begin [0-7]{3,4} (.+)$")
TYPES = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif",
         "txt": "text/plain", "csv": "text/csv", "zip": "application/zip"}


def cut_uuencode(text):
    lines = text.split("\n")
    out, files, i = [], [], 0
    while i < len(lines):
        m = UU_BEGIN.match(lines[i].rstrip(" \t\r"))
        if m:
            data, j, ok = b"", i + 1, False
            while j < len(lines):
                ln = lines[j].rstrip("\r")
                if ln.rstrip(" \t") == "end":
                    ok = True
                    break
                if ln == "":
                    if j + 1 < len(lines) and lines[j + 1].rstrip(" \t\r") == "end":
                        j += 1
                        continue
                    break
                try:
                    data += binascii.a2b_uu(ln)
                except binascii.Error:
                    break
                j += 1
            if ok:
                name = m.group(1)
                ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
                files.append({"filename": name, "content_type": TYPES.get(ext, "application/octet-stream"),
                              "size": len(data)})
                i = j + 1
                continue
        out.append(lines[i])
        i += 1
    return "\n".join(out), files


def leaves(part, parent=None, out=None):
    """Depth-first (node, parent, children); message/* parts are leaves."""
    if out is None:
        out = []
    node = {"part": part, "parent": parent, "children": []}
    if parent is not None:
        parent["children"].append(node)
    out.append(node)
    if part.get_content_maintype() == "multipart" and isinstance(part.get_payload(), list):
        for sub in part.get_payload():
            leaves(sub, node, out)
    return out


def is_inline_text(node, subtype):
    p = node["part"]
    return (not node["children"] and p.get_content_maintype() == "text" and p.get_content_subtype() == subtype
            and p.get_content_disposition() != "attachment" and not is_container(node))


def is_container(node):
    return node["part"].get_content_maintype() == "multipart"


def subtree(node):
    yield node
    for c in node["children"]:
        yield from subtree(c)


def payload_bytes(part):
    data = part.get_payload(decode=True)
    return data if data is not None else b""


def part_text(node, fallback, as_html):
    part = node["part"]
    data = payload_bytes(part)
    label = part.get_param("charset")
    if as_html and canonical(label) is None:
        m = re.search(rb"<meta[^>]*charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", data[:2048], re.I)
        if m and canonical(m.group(1).decode()):
            label = m.group(1).decode()
    text = decode_bytes(data, label, fallback).replace("\r\n", "\n").replace("\r", "\n")
    return html_to_text(text) if as_html else text


def filename(part):
    # READING: Content-Disposition filename, else Content-Type name; an RFC 2231
    # value wins over a plain one; RFC 2047 inside quotes is decoded.
    for header, param in (("content-disposition", "filename"), ("content-type", "name")):
        values = [v for k, v in (part.get_params(header=header, unquote=True) or [])[1:] if k.lower() == param]
        if not values:
            continue
        extended = [v for v in values if isinstance(v, tuple)]
        v = extended[0] if extended else values[0]
        if isinstance(v, tuple):
            cs, _, value = v
            v = decode_bytes(value.encode("latin-1", "surrogateescape"), cs) if cs else unlabelled(
                value.encode("latin-1", "surrogateescape"))
        v = decode_header_text(v)
        if v.strip():
            return v.strip()
    return None


def size_of(node, linesep):
    part = node["part"]
    if part.get_content_maintype() == "message" and part.get_content_subtype() in ("rfc822", "global", "news"):
        inner = part.get_payload(0)
        buf = io.BytesIO()
        BytesGenerator(buf, mangle_from_=False, policy=policy.compat32.clone(linesep=linesep, max_line_length=0)).flatten(inner)
        return len(buf.getvalue())
    if part.get_content_maintype() == "message":
        # Python parses delivery reports into header blocks: their body is what the part holds.
        buf = io.BytesIO()
        BytesGenerator(buf, mangle_from_=False, policy=policy.compat32.clone(linesep=linesep, max_line_length=0)).flatten(part)
        data = buf.getvalue()
        sep = (linesep * 2).encode()
        return len(data.split(sep, 1)[1]) if sep in data else 0
    return len(payload_bytes(part))


def body(msg, fallback, linesep):
    nodes = leaves(msg)
    index = {id(n): i for i, n in enumerate(nodes)}
    plain = next((n for n in nodes if is_inline_text(n, "plain")), None)
    html_part = next((n for n in nodes if is_inline_text(n, "html")), None)
    chosen, from_html, text = None, False, ""
    if plain is not None:
        chosen = plain
        text = part_text(plain, fallback, False)
        if text.strip() == "":
            # READING: a blank plain alternative gives way to its HTML alternative.
            a = plain["parent"]
            while a is not None and a["part"].get_content_subtype() != "alternative":
                a = a["parent"]
            if a is not None:
                alt_html = next((n for n in subtree(a) if is_inline_text(n, "html")), None)
                if alt_html is not None:
                    chosen = alt_html
    elif html_part is not None:
        chosen = html_part
    if chosen is not None and chosen is not plain:
        from_html = True
        text = part_text(chosen, fallback, True)
    alternatives = set()
    if chosen is not None:
        a = chosen["parent"]
        path = set()
        n = chosen
        while n is not None:
            path.add(id(n))
            n = n["parent"]
        while a is not None:
            if a["part"].get_content_subtype() == "alternative":
                for c in a["children"]:
                    if id(c) in path:
                        continue
                    if not is_container(c):
                        alternatives.add(id(c))
                    else:
                        for d in subtree(c):
                            if is_inline_text(d, "plain") or is_inline_text(d, "html"):
                                alternatives.add(id(d))
            a = a["parent"]
    attachments = []
    kind = "html" if from_html else "plain"
    for n in nodes:
        if n is chosen:
            if not from_html:
                text, files = cut_uuencode(text)
                attachments += files
            continue
        if is_container(n) or id(n) in alternatives:
            continue
        if (chosen is not None and index[id(n)] > index[id(chosen)] and is_inline_text(n, kind)
                and filename(n["part"]) is None and n["parent"] is not None
                and n["parent"]["part"].get_content_subtype() == "mixed"):
            more = part_text(n, fallback, from_html)
            files = []
            if not from_html:
                more, files = cut_uuencode(more)
            attachments += files
            more = more.strip()
            if more:
                text = text.rstrip() + "\n" + more
        attachments.append({"filename": filename(n["part"]), "content_type": n["part"].get_content_type(),
                            "size": size_of(n, linesep)})
    if chosen is None and len(nodes) == 1 and is_container(nodes[0]):
        # READING: a multipart whose boundary never appears: its body is the text.
        payload = msg.get_payload()
        if isinstance(payload, str):
            text = unlabelled(raw_bytes(payload), fallback).replace("\r\n", "\n").replace("\r", "\n")
        elif msg.preamble:
            text = unlabelled(raw_bytes(msg.preamble), fallback).replace("\r\n", "\n").replace("\r", "\n")
    return text.strip(), attachments


# ------------------------------------------------------------------ message
KNOWN = {"from", "to", "cc", "bcc", "subject", "date", "message-id", "received", "return-path", "sender", "reply-to",
         "mime-version", "content-type", "content-transfer-encoding", "in-reply-to", "references", "delivered-to"}


def check_mail(raw):
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    lines = raw.split(b"\n")
    i = 0
    while i < len(lines) and lines[i].strip(b" \t\r") == b"":
        i += 1
    if i >= len(lines) or not b"\n".join(lines[i:]).strip():
        raise NotMail("the input is empty or blank")
    if lines[i].startswith(b"From "):
        i += 1
    rest = b"\n".join(lines[i:])
    first = rest.split(b"\n", 1)[0].rstrip(b"\r")
    if not re.match(rb"[\x21-\x39\x3b-\x7e]+[ \t]*:", first):
        raise NotMail("no header field at the start")
    for ln in rest.split(b"\n"):
        ln = ln.rstrip(b"\r")
        if ln == b"":
            break
        m = re.match(rb"([\x21-\x39\x3b-\x7e]+)[ \t]*:", ln)
        if m:
            name = m.group(1).decode().lower()
            if name in KNOWN or name.startswith(("x-", "resent-", "list-", "arc-")):
                return rest
    raise NotMail("no mail header fields")


def parse(raw):
    raw = check_mail(raw)
    nl = raw.find(b"\n")
    linesep = "\r\n" if nl > 0 and raw[nl - 1:nl] == b"\r" else "\n"
    msg = BytesParser(policy=policy.default).parsebytes(raw)
    first = {}
    for name, value in msg.raw_items():
        first.setdefault(name.lower(), value)
    fallback = None
    for n in leaves(msg):
        p = n["part"]
        cs = p.get_param("charset") if p.get_content_maintype() == "text" else None
        if cs and canonical(cs) not in (None, "utf-8", "ascii"):
            fallback = cs
            break
    out = {}
    mid = message_ids(first["message-id"], True) if "message-id" in first else []
    out["message_id"] = mid[0] if mid else None
    irt = message_ids(first["in-reply-to"], True) if "in-reply-to" in first else []
    out["in_reply_to"] = irt[0] if irt else None
    out["references"] = message_ids(first["references"], False) if "references" in first else []
    froms = addresses(first, "from", fallback)
    out["from"] = froms[0] if froms else None
    out["to"] = addresses(first, "to", fallback)
    out["subject"] = decode_header_text(first["subject"], fallback) if "subject" in first else None
    m = re.search(r"\[#(\d{1,18})\]", out["subject"] or "")
    out["ticket_number"] = int(m.group(1)) if m else None
    out["auto_generated"] = is_auto_generated(first, msg.get_content_type(),
                                              out["from"]["address"] if out["from"] else None)
    out["text"], out["attachments"] = body(msg, fallback, linesep)
    out["cc"] = addresses(first, "cc", fallback)
    return out


def main():
    data = open(sys.argv[1], "rb").read() if sys.argv[1] != "-" else sys.stdin.buffer.read()
    try:
        print(json.dumps(parse(data), ensure_ascii=False, indent=2))
    except NotMail as e:
        print("not mail: %s" % e, file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
