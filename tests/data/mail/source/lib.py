import base64, json, os, quopri, zlib, struct
OUT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
os.makedirs(OUT, exist_ok=True)
CASES = []

def b64(data, width=76):
    s = base64.b64encode(data).decode()
    return "\n".join(s[i:i+width] for i in range(0, len(s), width))

def qp(text, charset="utf-8"):
    return quopri.encodestring(text.encode(charset)).decode()

def png(w=4, h=4, seed=0):
    raw = b"".join(b"\x00" + bytes(((x * 7 + y * 13 + seed) % 256) for x in range(w * 3)) for y in range(h))
    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) + \
        chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")

def pdf(n=1):
    body = b"%PDF-1.4\n" + b"".join(b"%d 0 obj << /Type /Page >> endobj\n" % i for i in range(1, n + 1)) + b"%%EOF\n"
    return body

def addr(a, n=None):
    return {"address": a, "name": n}

def att(filename, ctype, size):
    return {"filename": filename, "content_type": ctype, "size": size}

def case(name, raw, expected, crlf=False):
    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    if crlf:
        raw = raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    base = dict(message_id=None, in_reply_to=None, references=[], **{"from": None}, to=[], subject=None,
                ticket_number=None, auto_generated=False, text="", attachments=[])
    for k in expected:
        if k not in base and k not in ("cc",):
            raise SystemExit("unknown key %s in %s" % (k, name))
    base.update(expected)
    CASES.append(name)
    with open(os.path.join(OUT, name + ".eml"), "wb") as f:
        f.write(raw)
    with open(os.path.join(OUT, name + ".expected.json"), "w", encoding="utf-8") as f:
        json.dump(base, f, ensure_ascii=False, indent=2)
        f.write("\n")
