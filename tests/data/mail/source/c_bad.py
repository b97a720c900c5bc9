from lib import *
import random
OUTB = OUT
def bad(name, data):
    with open(os.path.join(OUTB, name + ".eml"), "wb") as f:
        f.write(data)
bad("bad_empty", b"")
bad("bad_blank_lines", b"\n\r\n  \n")
rng = random.Random(42)
bad("bad_binary_garbage", b"\x89\x00\xff" + bytes(rng.randrange(256) for _ in range(2000)))
bad("bad_no_header_block", b"Hello support,\n\nmy printer is broken.\nThanks\n")
bad("bad_unknown_fields_only", b"Note: this is a text file\nAuthor: me\n\nnot mail\n")
bad("bad_gzip_file", b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + bytes(rng.randrange(256) for _ in range(300)))

# The contract's own example (CONTRACT §9), as a mail client would send it.
img = png(40, 30, 5)
raw = ("From: Jane Doe <jane@customer.example>\nTo: support@desk.example\nSubject: Re: [#1042] CSV export fails\n"
       "Message-ID: <abc@mail.example>\nIn-Reply-To: <def@desk.example>\nReferences: <x@desk.example> <def@desk.example>\n"
       "Date: Mon, 14 Dec 2026 09:00:00 +0000\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"ex\"\n\n"
       "--ex\nContent-Type: text/plain; charset=utf-8\n\nThe export still fails after the update.\n\n"
       "--ex\nContent-Type: image/png\nContent-Disposition: attachment; filename=\"error.png\"\nContent-Transfer-Encoding: base64\n\n"
       + b64(img) + "\n--ex--\n")
case("contract_example", raw, {"message_id": "<abc@mail.example>", "in_reply_to": "<def@desk.example>",
    "references": ["<x@desk.example>", "<def@desk.example>"], "from": addr("jane@customer.example", "Jane Doe"),
    "to": [addr("support@desk.example")], "subject": "Re: [#1042] CSV export fails", "ticket_number": 1042,
    "text": "The export still fails after the update.", "attachments": [att("error.png", "image/png", len(img))]})
