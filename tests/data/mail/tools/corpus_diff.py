#!/usr/bin/env python3
"""Runs `sladesk mail parse` over a directory of real-world messages and
prints a table of disagreements with independent parses.

Not run in CI (the corpora are other projects' test data and stay out of
this repository). Usage:

  tests/data/mail/tools/corpus_diff.py [--sladesk BUILD/sladesk] [--json] DIR...

Every regular file under DIR is one message. Oracles:
  * Python's email package (policy=default): From, Subject, the attachment
    list (file name, media type, decoded size) and the body part chosen by
    the CONTRACT §9 rule, all computed here independently of sladesk;
  * the §9 auto_generated and ticket_number rules, coded here from the text;
  * NAME.yml next to NAME.box (Zammad's own parse): from, subject and
    attachment file names/sizes (Zammad's body is HTML, compared loosely).
Checks on `text` alone: U+FFFD, C0 control characters (ESC of an unread
ISO 2022 text), typical UTF-8-read-as-Latin-1 mojibake,
leftover tags or entities, empty text where the oracle found body text.
Exit codes and ASan reports are recorded too: every file must exit 0 with
JSON, except files that are not mail at all (exit 2).
"""
import argparse, email, email.policy, html, json, os, re, subprocess, sys, unicodedata

MOJIBAKE = re.compile("Ã[\u0080-\u00bf]|â€|Ð[\u0090-\u00bf]Ð|Â[\u00a0-\u00bf]")
# C0 controls other than tab, line feed, form feed: ESC left by an
# unrecognised ISO 2022 text, NULs of a misread UTF-16, ...
CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")
TAG = re.compile(r"<(?:/?(?:div|p|br|span|table|td|tr|html|body|head|style|font|b|i|a)\b[^>]*|!--)>?", re.I)
ENTITY = re.compile(r"&(?:[a-z]{2,8}|#\d{2,6}|#x[0-9a-f]{2,5});", re.I)
TAG_RE = re.compile(r"<\s*(?:p|br|div|tr|li|h\d)\b[^>]*>", re.I)


def norm_words(s):
    return set(w for w in re.findall(r"\w{4,}", (s or "").lower()))


def html_text(h):
    h = re.sub(r"(?is)<(style|script|head)\b.*?</\1\s*>", " ", h)
    h = TAG_RE.sub("\n", h)
    h = re.sub(r"(?s)<[^>]*>", " ", h)
    return html.unescape(h)


def part_text(p):
    try:
        return p.get_content()
    except Exception:
        payload = p.get_payload(decode=True) or b""
        return payload.decode("latin-1", "replace")


def is_inline(p):
    return (p.get_content_disposition() or "inline") != "attachment"


def leaves(msg):
    """Leaves in message order (message/rfc822 kept whole), with the chain of
    multipart ancestors' subtypes."""
    out = []

    def walk(p, chain):
        if p.is_multipart() and p.get_content_maintype() == "multipart":
            for c in p.get_payload():
                walk(c, chain + [(p.get_content_subtype(), id(p))])
        else:
            out.append((p, chain))
    walk(msg, [])
    return out


def oracle(raw):
    if raw.startswith(b"From "):
        raw = raw.split(b"\n", 1)[1] if b"\n" in raw else b""
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    o = {}
    try:
        f = msg["From"]
        a = f.addresses[0] if f is not None and f.addresses else None
        o["from_address"] = (a.addr_spec.lower() if a and a.addr_spec not in ("", "<>") else None)
        o["from_name"] = (a.display_name or None) if a else None
    except Exception:
        o["from_address"] = o["from_name"] = "?"
    try:
        s = msg["Subject"]
        o["subject"] = " ".join(str(s).split()) if s is not None else None
    except Exception:
        o["subject"] = "?"
    lv = leaves(msg)
    body = None
    for i, (p, chain) in enumerate(lv):
        if p.get_content_type() == "text/plain" and is_inline(p):
            body = i
            break
    if body is None:
        for i, (p, chain) in enumerate(lv):
            if p.get_content_type() == "text/html" and is_inline(p):
                body = i
                break
    # alternatives of the body: the text leaves under the same multipart/alternative
    alt = set()
    if body is not None:
        bchain = lv[body][1]
        for depth, (sub, pid) in enumerate(bchain):
            if sub != "alternative":
                continue
            for j, (p, chain) in enumerate(lv):
                if j != body and len(chain) > depth and chain[depth][1] == pid and \
                        p.get_content_maintype() == "text" and p.get_content_subtype() in ("plain", "html") and is_inline(p):
                    # a sibling subtree of the body's alternative
                    if len(chain) > depth + 1 and len(bchain) > depth + 1 and chain[depth + 1][1] == bchain[depth + 1][1]:
                        continue
                    alt.add(j)
    atts = []
    body_text = ""
    for i, (p, chain) in enumerate(lv):
        if i == body:
            t = part_text(p)
            body_text = html_text(t) if p.get_content_subtype() == "html" else t
            continue
        if i in alt:
            continue
        if body is not None and i > body and p.get_content_type() == lv[body][0].get_content_type() \
                and is_inline(p) and not p.get_filename() and chain and chain[-1][0] == "mixed":
            pass  # appended text, still listed as an attachment by sladesk
        if p.get_content_maintype() == "message":
            size = None  # Python re-serializes an attached message: its size is not the input's
        else:
            try:
                size = len(p.get_payload(decode=True) or b"")
            except Exception:
                size = None
        try:
            fn = p.get_filename()
        except Exception:
            fn = "?"
        atts.append({"filename": fn or None, "content_type": p.get_content_type(), "size": size})
    o["attachments"] = atts
    o["body_words"] = norm_words(body_text)
    # §9 auto_generated
    def h(name):
        v = msg.get(name)
        return None if v is None else str(v).strip()
    reasons = []
    v = h("Auto-Submitted")
    if v is not None and v.split(";")[0].strip().lower() not in ("no", ""):
        reasons.append("auto-submitted")
    v = h("Precedence")
    if v and v.lower() in ("bulk", "junk", "list"):
        reasons.append("precedence")
    v = h("X-Auto-Response-Suppress")
    if v and any(t.strip().lower() in ("all", "oof") for t in v.split(",")):
        reasons.append("x-auto-response-suppress")
    if msg.get("List-Id") is not None or msg.get("List-Unsubscribe") is not None:
        reasons.append("list")
    v = h("Return-Path")
    if v is not None and re.sub(r"\s|\(.*?\)", "", v) == "<>":
        reasons.append("return-path")
    fa = o["from_address"] or ""
    if fa.startswith("mailer-daemon@") or fa.startswith("postmaster@"):
        reasons.append("sender")
    if msg.get_content_type() == "multipart/report":
        reasons.append("report")
    o["auto_generated"] = bool(reasons)
    o["auto_reasons"] = reasons
    m = re.search(r"\[#(\d+)\]", o["subject"] or "") if o["subject"] != "?" else None
    o["ticket_number"] = int(m.group(1)) if m else None
    return o


def zammad(path):
    y = os.path.splitext(path)[0] + ".yml"
    if not os.path.exists(y):
        return None
    try:
        import yaml
    except ImportError:
        return None

    class L(yaml.SafeLoader):
        pass
    L.add_multi_constructor("!ruby/", lambda loader, suffix, node:
                            loader.construct_mapping(node, deep=True) if isinstance(node, yaml.MappingNode) else
                            loader.construct_scalar(node) if isinstance(node, yaml.ScalarNode) else
                            loader.construct_sequence(node))
    try:
        with open(y, encoding="utf-8") as f:
            return yaml.load(f, Loader=L)
    except Exception:
        return None


def run(sladesk, path, timeout):
    try:
        p = subprocess.run([sladesk, "mail", "parse", path], capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "hang", None, ""
    err = p.stderr.decode("utf-8", "replace")
    if "AddressSanitizer" in err or "runtime error:" in err or p.returncode < 0:
        return "crash", None, err[:400]
    if p.returncode != 0:
        return "exit%d" % p.returncode, None, err[:200]
    try:
        return 0, json.loads(p.stdout), ""
    except Exception as e:
        return "badjson", None, str(e)


def nfc(v):
    """Strings in NFC, inside lists and tuples too (Python keeps what the
    sender wrote, sladesk may compose)."""
    if isinstance(v, str):
        return unicodedata.normalize("NFC", v)
    if isinstance(v, (list, tuple)):
        return type(v)(nfc(x) for x in v)
    if isinstance(v, dict):
        return {k: nfc(x) for k, x in v.items()}
    return v


def unescape(v):
    """Python keeps raw 8-bit header bytes as lone surrogates: UTF-8 ones
    become their characters, others U+FFFD."""
    if isinstance(v, str):
        return v.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    if isinstance(v, (list, tuple)):
        return type(v)(unescape(x) for x in v)
    if isinstance(v, dict):
        return {k: unescape(x) for k, x in v.items()}
    return v


def compare(path, raw, out, o, z):
    out, o, z = nfc(out), nfc(unescape(o)), nfc(z)
    uu = set(n.decode("utf-8", "replace").strip()
             for n in re.findall(rb"(?m)^begin [0-7]{3,4} (.+?)\r?$", raw))
    d = []
    fr = out.get("from") or {}
    if o["from_address"] != "?" and (fr.get("address") or None) != o["from_address"]:
        d.append(("from.address", fr.get("address"), o["from_address"]))
    if o["from_name"] != "?" and (fr.get("name") or None) != o["from_name"]:
        d.append(("from.name", fr.get("name"), o["from_name"]))
    subj = " ".join((out.get("subject") or "").split()) or None
    if o["subject"] != "?" and subj != o["subject"]:
        d.append(("subject", out.get("subject"), o["subject"]))
    ours = [(a.get("filename"), a.get("content_type"), a.get("size")) for a in out.get("attachments", [])]
    theirs = [(a["filename"], a["content_type"], a["size"]) for a in o["attachments"]]
    # uuencoded files in the body are ours alone; a size of None matches any
    ours_cmp = [a for a in ours if a[0] not in uu]
    if len(ours_cmp) != len(theirs) or any(
            a[0] != b[0] or a[1] != b[1] or (b[2] is not None and a[2] != b[2]) for a, b in zip(ours_cmp, theirs)):
        d.append(("attachments", ours, theirs))
    if out.get("auto_generated") != o["auto_generated"]:
        d.append(("auto_generated", out.get("auto_generated"), o["auto_reasons"]))
    if out.get("ticket_number") != o["ticket_number"]:
        d.append(("ticket_number", out.get("ticket_number"), o["ticket_number"]))
    text = out.get("text") or ""
    if "\ufffd" in text:
        d.append(("text", "U+FFFD", text[max(0, text.find("\ufffd") - 30):text.find("\ufffd") + 30]))
    m = CONTROL.search(text)
    if m:
        d.append(("text", "control char U+%04X" % ord(m.group()), text[max(0, m.start() - 30):m.end() + 30]))
    m = MOJIBAKE.search(text)
    if m:
        d.append(("text", "mojibake", text[max(0, m.start() - 30):m.end() + 30]))
    m = TAG.search(text)
    if m and out.get("attachments") is not None:
        d.append(("text", "tag left", text[max(0, m.start() - 30):m.end() + 30]))
    m = ENTITY.search(text)
    if m:
        d.append(("text", "entity left", text[max(0, m.start() - 30):m.end() + 30]))
    words = o["body_words"]
    if words and not uu:
        have = norm_words(text)
        missing = words - have
        if len(missing) > max(3, len(words) // 5):
            d.append(("text", "lost words %d/%d" % (len(missing), len(words)), sorted(missing)[:12]))
    if z:
        zf = (z.get("from_email") or "").lower() or None
        if zf and zf != (fr.get("address") or None):
            d.append(("zammad.from", fr.get("address"), zf))
        zn = z.get("from_display_name")
        if zn is not None and (zn or None) != (fr.get("name") or None):
            d.append(("zammad.from_name", fr.get("name"), zn or None))
        zs = z.get("subject")
        if zs is not None and " ".join(zs.split()) != (subj or ""):
            d.append(("zammad.subject", out.get("subject"), zs))
        # Zammad lists attachments only in some of its yml files, and names
        # nameless parts itself ("Subject.eml", "file-1"): §9 says null. So
        # our named attachments must be among Zammad's names.
        if "attachments" in z:
            z_names = [a.get("filename") for a in (z.get("attachments") or [])
                       if not (a.get("preferences") or {}).get("content-alternative")]
            our_names = [a.get("filename") for a in out.get("attachments", []) if a.get("filename")]
            missing = [n for n in our_names if n not in z_names]
            if missing:
                d.append(("zammad.attachments", our_names, z_names))
    return d


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sladesk", default=os.environ.get("SLADESK", "build-test/sladesk"))
    ap.add_argument("--timeout", type=float, default=10)
    ap.add_argument("--json", action="store_true", help="print our JSON for every file too")
    ap.add_argument("dirs", nargs="+")
    args = ap.parse_args()
    files = []
    for d in args.dirs:
        for root, _, names in os.walk(d):
            files += [os.path.join(root, n) for n in sorted(names) if not n.endswith((".yml", ".json"))]
    counts = {"files": 0, "ok": 0, "failed": 0, "disagree": 0, "rows": 0, "lossy": 0}
    for path in sorted(files):
        counts["files"] += 1
        rc, out, err = run(args.sladesk, path, args.timeout)
        if rc != 0:
            counts["failed"] += 1
            print("%-60s %-18s %s" % (path, "RUN " + str(rc), err.strip().replace("\n", " ")[:160]))
            continue
        counts["ok"] += 1
        if args.json:
            print(json.dumps(out, ensure_ascii=False))
        with open(path, "rb") as f:
            raw = f.read()
        try:
            o = oracle(raw)
        except Exception as e:
            print("%-60s %-18s %s" % (path, "oracle failed", e))
            continue
        rows = compare(path, raw, out, o, zammad(path))
        # Where the other parse lost characters (U+FFFD) and ours did not, the
        # other side is the one that is wrong: listed, not counted.
        lossy = [r for r in rows if "\ufffd" in json.dumps(r[2], ensure_ascii=False, default=list)
                 and "\ufffd" not in json.dumps(r[1], ensure_ascii=False) and r[0] != "text"]
        counted = [r for r in rows if r not in lossy]
        if counted:
            counts["disagree"] += 1
        counts["rows"] += len(counted)
        counts["lossy"] += len(lossy)
        for key, ours, theirs in rows:
            tag = key + (" (other lossy)" if (key, ours, theirs) in lossy else "")
            print("%-60s %-18s ours=%s | other=%s" % (path, tag, json.dumps(ours, ensure_ascii=False)[:200],
                                                     json.dumps(theirs, ensure_ascii=False, default=list)[:200]))
    print("# %(files)d files, %(ok)d parsed, %(failed)d failed to run, %(disagree)d with disagreements, "
          "%(rows)d rows (+%(lossy)d where only the other parse lost characters)" % counts)


if __name__ == "__main__":
    main()
