from lib import *

def uuencode_block(name, data):
    import binascii
    lines = ["begin 644 " + name]
    for i in range(0, len(data), 45):
        lines.append(binascii.b2a_uu(data[i:i+45]).decode().rstrip("\n"))
    lines.append("`")
    lines.append("end")
    return "\n".join(lines) + "\n"

# uuencoded file inside a text body.
data = pdf(2) + bytes(range(200))
raw = ("From: old@unix.example\nTo: support@desk.example\nSubject: report attached\nMessage-ID: <uu-1@unix.example>\n\n"
       "Here is the report.\n\n" + uuencode_block("report.pdf", data) + "\nRegards,\nOld Unix\n")
case("uuencode_in_body", raw, {"message_id": "<uu-1@unix.example>", "from": addr("old@unix.example"), "to": [addr("support@desk.example")],
    "subject": "report attached", "text": "Here is the report.\n\n\nRegards,\nOld Unix",
    "attachments": [att("report.pdf", "application/pdf", len(data))]})

# Content-Transfer-Encoding: x-uuencode on a MIME part.
data2 = b"col1,col2\n1,2\n3,4\n" * 10
raw = ("From: old@unix.example\nTo: support@desk.example\nSubject: csv\nMessage-ID: <uu-2@unix.example>\nMIME-Version: 1.0\n"
       "Content-Type: multipart/mixed; boundary=U\n\n--U\nContent-Type: text/plain\n\nSee attached.\n--U\n"
       "Content-Type: text/csv; name=data.csv\nContent-Disposition: attachment; filename=data.csv\nContent-Transfer-Encoding: x-uuencode\n\n"
       + uuencode_block("data.csv", data2) + "--U--\n")
case("uuencode_transfer_encoding", raw, {"message_id": "<uu-2@unix.example>", "from": addr("old@unix.example"), "to": [addr("support@desk.example")],
    "subject": "csv", "text": "See attached.", "attachments": [att("data.csv", "text/csv", len(data2))]})

# A forwarded message inside a forwarded message: one attachment, nothing inside it listed.
innermost = "From: c@example.com\nSubject: original\nContent-Type: multipart/mixed; boundary=in2\n\n--in2\nContent-Type: text/plain\n\nhello\n--in2\nContent-Type: image/png; name=x.png\n\nPNG\n--in2--\n"
middle = "From: b@example.com\nSubject: Fwd: original\nContent-Type: multipart/mixed; boundary=in1\n\n--in1\nContent-Type: text/plain\n\nsee below\n--in1\nContent-Type: message/rfc822\n\n" + innermost + "\n--in1--\n"
raw = ("From: a@example.com\nTo: support@desk.example\nSubject: Fwd: Fwd: original\nMessage-ID: <nest-1@example.com>\nMIME-Version: 1.0\n"
       "Content-Type: multipart/mixed; boundary=out\n\n--out\nContent-Type: text/plain\n\nForwarding twice.\n--out\n"
       "Content-Type: message/rfc822\nContent-Disposition: inline\n\n" + middle + "\n--out--\n")
case("nested_message_rfc822", raw, {"message_id": "<nest-1@example.com>", "from": addr("a@example.com"), "to": [addr("support@desk.example")],
    "subject": "Fwd: Fwd: original", "text": "Forwarding twice.", "attachments": [att(None, "message/rfc822", len(middle))]})

# Truncated multipart: no closing boundary, the last part cut mid-base64.
img = png(5, 5, 7)
enc = b64(img)
raw = ("From: cut@example.com\nTo: support@desk.example\nSubject: truncated\nMessage-ID: <cut-1@example.com>\nMIME-Version: 1.0\n"
       "Content-Type: multipart/mixed; boundary=\"==cut==\"\n\n--==cut==\nContent-Type: text/plain; charset=utf-8\n\nThe upload broke.\n"
       "--==cut==\nContent-Type: image/png; name=\"half.png\"\nContent-Transfer-Encoding: base64\n\n" + enc[:40] + "\n")
case("broken_truncated_multipart", raw, {"message_id": "<cut-1@example.com>", "from": addr("cut@example.com"), "to": [addr("support@desk.example")],
    "subject": "truncated", "text": "The upload broke.", "attachments": [att("half.png", "image/png", 30)]})

# multipart/mixed whose boundary never appears: the body text is still read.
raw = ("From: nob@example.com\nTo: support@desk.example\nSubject: no boundary used\nMessage-ID: <nob-1@example.com>\nMIME-Version: 1.0\n"
       "Content-Type: multipart/mixed; boundary=\"never-used\"\n\nThe mailer forgot the parts.\nStill readable.\n")
case("broken_boundary_never_used", raw, {"message_id": "<nob-1@example.com>", "from": addr("nob@example.com"),
    "to": [addr("support@desk.example")], "subject": "no boundary used", "text": "The mailer forgot the parts.\nStill readable."})

# Broken base64 (junk characters, missing padding) still decodes.
raw = ("From: b64@example.com\nTo: support@desk.example\nSubject: base64 junk\nMessage-ID: <b64-1@example.com>\nMIME-Version: 1.0\n"
       "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: BASE64\n\nSGVsbG8g*d29y\nbGQh\n")
case("broken_base64_junk", raw, {"message_id": "<b64-1@example.com>", "from": addr("b64@example.com"), "to": [addr("support@desk.example")],
    "subject": "base64 junk", "text": "Hello world!"})

# Plain RFC 822 message, no MIME, leading mbox From line, ">From " in the body stays.
raw = ("From jane@customer.example Mon Dec 14 09:00:00 2026\nReturn-Path: <jane@customer.example>\nFrom: Jane Doe <jane@customer.example>\n"
       "To: support@desk.example\nSubject: Re: [#1042] CSV export fails\nDate: Mon, 14 Dec 2026 09:00:00 +0000\n"
       "Message-ID: <abc@mail.example>\nIn-Reply-To: <def@desk.example>\nReferences: <x@desk.example>\n <def@desk.example>\n\n"
       "The export still fails after the update.\n>From the logs it looks like a timeout.\n")
case("mbox_from_line_plain", raw, {"message_id": "<abc@mail.example>", "in_reply_to": "<def@desk.example>",
    "references": ["<x@desk.example>", "<def@desk.example>"], "from": addr("jane@customer.example", "Jane Doe"),
    "to": [addr("support@desk.example")], "subject": "Re: [#1042] CSV export fails", "ticket_number": 1042,
    "text": "The export still fails after the update.\n>From the logs it looks like a timeout."})

# CRLF throughout with an attached message: sizes count CRLF as in the input.
inner = "From: x@example.com\r\nSubject: inner\r\n\r\nInner body.\r\n"
raw = ("From: crlf@example.com\r\nTo: support@desk.example\r\nSubject: crlf\r\nMessage-ID: <crlf-1@example.com>\r\nMIME-Version: 1.0\r\n"
       "Content-Type: multipart/mixed; boundary=C\r\n\r\n--C\r\nContent-Type: text/plain\r\n\r\nLine one.\r\nLine two.\r\n--C\r\n"
       "Content-Type: text/plain; name=notes.txt\r\nContent-Disposition: attachment; filename=notes.txt\r\n\r\na\r\nb\r\n"
       "--C\r\nContent-Type: message/rfc822\r\n\r\n" + inner + "\r\n--C--\r\n")
case("crlf_line_endings", raw, {"message_id": "<crlf-1@example.com>", "from": addr("crlf@example.com"), "to": [addr("support@desk.example")],
    "subject": "crlf", "text": "Line one.\nLine two.", "attachments": [att("notes.txt", "text/plain", 4), att(None, "message/rfc822", len(inner))]})

# PGP/MIME signed.
sig = "-----BEGIN PGP SIGNATURE-----\n\niQEzBAEBCAAdFiEE\n=abcd\n-----END PGP SIGNATURE-----\n"
raw = ("From: Crypto Carl <carl@pgp.example>\nTo: support@desk.example\nSubject: signed request\nMessage-ID: <pgp-1@pgp.example>\nMIME-Version: 1.0\n"
       "Content-Type: multipart/signed; micalg=pgp-sha256;\n protocol=\"application/pgp-signature\"; boundary=\"sig\"\n\n"
       "This is an OpenPGP/MIME signed message (RFC 4880 and 3156)\n--sig\nContent-Type: multipart/mixed; boundary=\"inner\"\n\n"
       "--inner\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\nPlease reset my key.\n\n--inner--\n\n"
       "--sig\nContent-Type: application/pgp-signature; name=\"OpenPGP_signature.asc\"\nContent-Description: OpenPGP digital signature\n"
       "Content-Disposition: attachment; filename=\"OpenPGP_signature.asc\"\n\n" + sig + "\n--sig--\n")
case("pgp_mime_signed", raw, {"message_id": "<pgp-1@pgp.example>", "from": addr("carl@pgp.example", "Crypto Carl"),
    "to": [addr("support@desk.example")], "subject": "signed request", "text": "Please reset my key.",
    "attachments": [att("OpenPGP_signature.asc", "application/pgp-signature", len(sig))]})

# S/MIME signed (Outlook): smime.p7s.
p7s = bytes((i * 97) % 256 for i in range(512))
raw = ("From: Secure Sue <sue@bank.example>\nTo: support@desk.example\nSubject: contract\nMessage-ID: <smime-1@bank.example>\nMIME-Version: 1.0\n"
       "Content-Type: multipart/signed; protocol=\"application/x-pkcs7-signature\"; micalg=sha-256; boundary=\"----=_NextPart_S\"\n\n"
       "------=_NextPart_S\nContent-Type: text/plain; charset=\"utf-8\"\nContent-Transfer-Encoding: 7bit\n\nSigned text.\n\n"
       "------=_NextPart_S\nContent-Type: application/pkcs7-signature; name=\"smime.p7s\"\nContent-Transfer-Encoding: base64\n"
       "Content-Disposition: attachment; filename=\"smime.p7s\"\n\n" + b64(p7s) + "\n\n------=_NextPart_S--\n")
case("smime_signed", raw, {"message_id": "<smime-1@bank.example>", "from": addr("sue@bank.example", "Secure Sue"),
    "to": [addr("support@desk.example")], "subject": "contract", "text": "Signed text.",
    "attachments": [att("smime.p7s", "application/pkcs7-signature", len(p7s))]})

# Odd addresses: group, undisclosed, comments, route, upper case, a broken unquoted comma, a missing angle pair.
raw = """From: "Doe, Jane (IT)" <JANE.DOE@Customer.Example> (via portal)
To: undisclosed-recipients:;, Team: a@Example.com, "B. Person" <b@example.com>;, Doe, John <jdoe@example.com>,
 <@relay.example:route@example.com>, bare@example.com (Bare Comment), Mary Major mary@example.com
Cc: =?utf-8?q?=C3=89quipe?= "Support" <team@desk.example>, , "" <empty-name@example.com>
Subject: addresses
Message-ID: <addr-1@example.com>

x
"""
case("addresses_odd_forms", raw, {"message_id": "<addr-1@example.com>", "from": addr("jane.doe@customer.example", "Doe, Jane (IT)"),
    "to": [addr("a@example.com"), addr("b@example.com", "B. Person"), addr("jdoe@example.com", "Doe, John"),
           addr("route@example.com"), addr("bare@example.com"), addr("mary@example.com", "Mary Major")],
    "subject": "addresses", "text": "x", "cc": [addr("team@desk.example", "Équipe Support"), addr("empty-name@example.com")]})

# Empty plain alternative: the HTML alternative is the text.
raw = """From: shop@marketing.example
To: support@desk.example
Subject: empty plain part
Message-ID: <empty-alt@marketing.example>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="alt"

--alt
Content-Type: text/plain; charset=utf-8


--alt
Content-Type: text/html; charset=utf-8

<p>Only the HTML part has words &amp; entities &euro; &#8364; &#x20AC; &notin; &copy</p>
--alt--
"""
case("empty_plain_alternative", raw, {"message_id": "<empty-alt@marketing.example>", "from": addr("shop@marketing.example"),
    "to": [addr("support@desk.example")], "subject": "empty plain part", "text": "Only the HTML part has words & entities € € € ∉ ©"})

# HTML only: script/style dropped, table cells, lists, pre, br, comments, entities.
raw = """From: Web Form <noreply@forms.example>
To: support@desk.example
Subject: =?utf-8?Q?Kontaktformular:_Anfrage_#55?=
Message-ID: <form-55@forms.example>
MIME-Version: 1.0
Content-Type: text/html; charset=UTF-8
Content-Transfer-Encoding: 8bit

<!DOCTYPE html>
<html><head><title>Form</title><style>td { color: red; }</style><script>alert("x")</script></head>
<body>
<!-- generated -->
<h1>New   request</h1>
<table><tr><td>Name:</td><td>Max&nbsp;Mustermann</td></tr><tr><td>E-Mail:</td><td>max@example.de</td></tr></table>
<ul><li>first</li><li>second &lt;item&gt;</li></ul>
<pre>  code   stays
    as is</pre>
<p>Line<br>break &quot;quoted&quot; &#39;single&#39; caf&eacute;</p>
</body></html>
"""
case("html_only_form", raw, {"message_id": "<form-55@forms.example>", "from": addr("noreply@forms.example", "Web Form"),
    "to": [addr("support@desk.example")], "subject": "Kontaktformular: Anfrage #55",
    "text": "New request\n\nName: Max Mustermann\nE-Mail: max@example.de\nfirst\nsecond <item>\n\n  code   stays\n    as is\n\nLine\nbreak \"quoted\" 'single' café"})

# Top-level single part marked as an attachment: no text, one attachment.
data = b"%PDF-1.7 scanned\n" * 20
raw = ("From: scanner@office.example\nTo: support@desk.example\nSubject: scan\nMessage-ID: <scan-2@office.example>\nMIME-Version: 1.0\n"
       "Content-Type: application/pdf; name=\"scan_0001.pdf\"\nContent-Disposition: attachment; filename=\"scan_0001.pdf\"\n"
       "Content-Transfer-Encoding: base64\n\n" + b64(data) + "\n")
case("top_level_attachment_only", raw, {"message_id": "<scan-2@office.example>", "from": addr("scanner@office.example"),
    "to": [addr("support@desk.example")], "subject": "scan", "attachments": [att("scan_0001.pdf", "application/pdf", len(data))]})

# An HTML part first and a plain footer later: the contract's rule takes the first text/plain.
raw = """From: h@example.com
To: support@desk.example
Subject: html then plain
Message-ID: <hp-1@example.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="m"

--m
Content-Type: text/html; charset=utf-8

<p>The HTML body.</p>
--m
Content-Type: text/plain; charset=utf-8

Plain footer.
--m--
"""
case("html_first_plain_later", raw, {"message_id": "<hp-1@example.com>", "from": addr("h@example.com"), "to": [addr("support@desk.example")],
    "subject": "html then plain", "text": "Plain footer.", "attachments": [att(None, "text/html", len("<p>The HTML body.</p>"))]})

# Ticket tags: leading zeros, first of several, not a tag.
for name, subject, number in [("ticket_tag_leading_zeros", "Re: [#0042] thing", 42),
                              ("ticket_tag_first_of_two", "Fwd: [#7] and [#8]", 7),
                              ("ticket_tag_not_a_tag", "Order #1042 [# 12] [#x] [#12a]", None)]:
    raw = "From: t@example.com\nTo: support@desk.example\nSubject: %s\nMessage-ID: <%s@example.com>\n\nbody\n" % (subject, name)
    case(name, raw, {"message_id": "<%s@example.com>" % name, "from": addr("t@example.com"), "to": [addr("support@desk.example")],
                     "subject": subject, "ticket_number": number, "text": "body"})

# RFC 2231 with a Latin-1 charset and language, and a plain name= fallback.
raw = ("From: f@example.de\nTo: support@desk.example\nSubject: 2231\nMessage-ID: <2231@example.de>\nMIME-Version: 1.0\n"
       "Content-Type: multipart/mixed; boundary=P\n\n--P\nContent-Type: text/plain\n\nsee files\n--P\n"
       "Content-Type: application/octet-stream\nContent-Disposition: attachment; filename*=iso-8859-1'de'%DCbersicht%20M%E4rz.xls\n\nxx\n--P\n"
       "Content-Type: application/octet-stream; name=\"fallback name.bin\"\n\nyyy\n--P\n"
       "Content-Type: application/octet-stream; name=\"plain.bin\"; name*=UTF-8''%E2%9C%93.bin\n\nz\n--P--\n")
case("rfc2231_charsets", raw, {"message_id": "<2231@example.de>", "from": addr("f@example.de"), "to": [addr("support@desk.example")],
    "subject": "2231", "text": "see files", "attachments": [att("Übersicht März.xls", "application/octet-stream", 2),
                                                          att("fallback name.bin", "application/octet-stream", 3),
                                                          att("✓.bin", "application/octet-stream", 1)]})

# Two Content-Type fields (clients take the first); addresses written
# loosely: a bare second address after an angle-addr, an obsolete route, an
# empty list member, spaces around a domain's dot, space-separated addresses.
raw = """From: "Ops Desk" <ops@customer.example> helpdesk@customer.example
To: Mary Smith <@route.example:mary@customer.example>, , jdoe@customer   . example
Cc: tim@customer.example concierge@customer.example
Subject: Two Content-Type fields
Message-ID: <repeat-ct-1@customer.example>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="b-1"
Content-type: text/plain

This is a multi-part message in MIME format.

--b-1
Content-Type: text/plain; charset="utf-8"

The first Content-Type field wins, as mail clients read it.

--b-1
Content-Type: text/html; charset="utf-8"

<p>The first Content-Type field wins, as mail clients read it.</p>

--b-1--
"""
case("repeated_content_type_loose_addresses", raw, {"message_id": "<repeat-ct-1@customer.example>",
    "from": addr("ops@customer.example", "Ops Desk"),
    "to": [addr("mary@customer.example", "Mary Smith"), addr("jdoe@customer.example")],
    "cc": [addr("tim@customer.example"), addr("concierge@customer.example")],
    "subject": "Two Content-Type fields", "text": "The first Content-Type field wins, as mail clients read it."})

# Netscape wrote Windows paths inside quoted strings; a backslash there is a
# quoted-pair (RFC 5322 3.2.1) and stands for the next character, as Python's
# email package and Stalwart's mail-parser read it (RFC 2231 and RFC 2047
# names are unaffected).
raw = ("From: nsmail@example.com\nTo: support@desk.example\nSubject: paths\nMessage-ID: <qpair@example.com>\n"
       "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=Q\n\n--Q\nContent-Type: text/plain\n\nsee image\n--Q\n"
       "Content-Type: image/png\nContent-Disposition: inline; filename=\"C:\\TEMP\\nsmailEG.png\"\n\nPNG\n--Q\n"
       "Content-Type: text/plain; name=\"say \\\"hi\\\" \\\\ bye.txt\"\nContent-Disposition: attachment\n\nhi\n--Q--\n")
case("quoted_pair_file_names", raw, {"message_id": "<qpair@example.com>", "from": addr("nsmail@example.com"),
    "to": [addr("support@desk.example")], "subject": "paths", "text": "see image",
    "attachments": [att("C:TEMPnsmailEG.png", "image/png", 3), att("say \"hi\" \\ bye.txt", "text/plain", 2)]})
