# Shapes found by running `sladesk mail parse` over other help desks' test
# corpora (Zammad, Znuny/OTOBO, RT; tests/data/mail/tools/corpus_diff.py).
# Every message here is our own text in the shape of the real one.
import base64
from lib import *

# Encoded words written loosely: raw spaces inside one (Exchange and
# SharePoint notifications, "=?utf-7?Q?...?=" with the UTF-7 label of old
# Outlook), and specials inside one in a display name (a comma in "Last,
# First" that the sender's software did not quote). Quoted local parts that
# need no quotes and a root dot after the domain name the plain mailbox.
raw = ("From: =?iso-8859-1?Q?M=FCller,=20Petra?= <Petra.Mueller@kunde.example>\n"
       "To: \"Helpdesk\" <\"support\"@desk.example>, Kim <kim@partner.example.>\n"
       "Subject: Status: =?unicode-1-1-utf-7?Q?+ANw-bersicht der Meldungen?= =?UTF-8?Q? f=C3=BCr M=C3=A4rz?=\n"
       "Message-ID: <loose-words-1@kunde.example>\nMIME-Version: 1.0\n"
       "Content-Type: text/plain; charset=utf-8\n\nBitte die Übersicht prüfen.\n").encode("utf-8")
case("rfc2047_loose_words_in_addresses", raw, {"message_id": "<loose-words-1@kunde.example>",
    "from": addr("petra.mueller@kunde.example", "Müller, Petra"),
    "to": [addr("support@desk.example", "Helpdesk"), addr("kim@partner.example", "Kim")],
    "subject": "Status: Übersicht der Meldungen für März", "text": "Bitte die Übersicht prüfen."})

# A relay wrote a garbage From field before the real one: the first From
# with a mailbox wins. A bare MAILER-DAEMON is a daemon sender. A comment
# after an address is not its display name (Zammad, RT and Mail::Address take
# it as the name; §9 says display name, and Python's email package agrees).
raw = ("From: [unknown sender]\nFrom: plant.ops@factory.example (Plant Operations)\n"
       "Sender: MAILER-DAEMON (Mail Delivery System)\n"
       "To: support@desk.example\nSubject: Line 3 stopped\nMessage-ID: <comment-name-1@factory.example>\n\n"
       "Line 3 stopped at 06:10, please call.\n")
case("two_from_fields_daemon_sender", raw, {"message_id": "<comment-name-1@factory.example>",
    "from": addr("plant.ops@factory.example"), "to": [addr("support@desk.example")],
    "subject": "Line 3 stopped", "auto_generated": True, "text": "Line 3 stopped at 06:10, please call."})

# A mail saved by an archiver or forwarded as a file, with one line of the
# tool's own before the header block.
raw = ("==== saved message ====\nReturn-Path: <lena@shop.example>\nFrom: Lena <lena@shop.example>\n"
       "To: support@desk.example\nSubject: Saved order question\nMessage-ID: <saved-1@shop.example>\n\n"
       "Where is order 5521?\n")
case("archived_with_leading_line", raw, {"message_id": "<saved-1@shop.example>",
    "from": addr("lena@shop.example", "Lena"), "to": [addr("support@desk.example")],
    "subject": "Saved order question", "text": "Where is order 5521?"})

# Exchange writing a part's boundary parameter on a line without folding
# whitespace; mail clients read it as the parameter it is.
img = png(3, 3, 5)
raw = ("From: Ray Kim <ray.kim@corp.example>\nTo: support@desk.example\nSubject: screenshot\n"
       "Message-ID: <unfolded-param-1@corp.example>\nMIME-Version: 1.0\n"
       "Content-Type: multipart/related; boundary=\"_rel_\"; type=\"multipart/alternative\"\n\n"
       "--_rel_ \nContent-Type: multipart/alternative; \nboundary=\"_alt_\" \n\n"
       "--_alt_ \nContent-Type: text/plain; charset=\"us-ascii\" \n\nThe error is in the picture below.\n[cid:shot1]\n\n"
       "--_alt_ \nContent-Type: text/html; charset=\"us-ascii\" \n\n<p>The error is in the picture below.</p><img src=\"cid:shot1\">\n\n"
       "--_alt_-- \n\n--_rel_ \nContent-Type: image/png; name=\"shot1.png\" \nContent-ID: <shot1>\n"
       "Content-Transfer-Encoding: base64 \n\n" + b64(img) + "\n\n--_rel_-- \n").replace("\n", "\r\n")
case("exchange_unfolded_boundary_param", raw, {"message_id": "<unfolded-param-1@corp.example>",
    "from": addr("ray.kim@corp.example", "Ray Kim"), "to": [addr("support@desk.example")], "subject": "screenshot",
    "text": "The error is in the picture below.\n[cid:shot1]", "attachments": [att("shot1.png", "image/png", len(img))]})

# Japanese mail: ISO-2022-JP with the Windows extensions (① is NEC row 13),
# an encoded word labelled ISO-2022-JP that holds Shift_JIS bytes, and a raw
# Shift_JIS subject; Japanese mail clients read all three.
body = b"\x1b$B-!\x1b(B" + "番の件、了解です。".encode("iso2022_jp") + b"\n"
raw = (b"From: =?ISO-2022-JP?B?" + base64.b64encode("サポート".encode("cp932")) + b"?= <help@shop.example.jp>\n"
       b"To: support@desk.example\nSubject: " + "ご確認ください".encode("cp932") + b"\n"
       b"Message-ID: <jp-ext-1@shop.example.jp>\nMIME-Version: 1.0\n"
       b"Content-Type: text/plain; charset=ISO-2022-JP\nContent-Transfer-Encoding: 7bit\n\n" + body)
case("iso_2022_jp_windows_extensions", raw, {"message_id": "<jp-ext-1@shop.example.jp>",
    "from": addr("help@shop.example.jp", "サポート"), "to": [addr("support@desk.example")],
    "subject": "ご確認ください", "text": "①番の件、了解です。"})

# Content-Transfer-Encoding x-uuencode with the data lines only (no
# "begin" line; Eudora and old Mac mailers), and base64 cut short without
# padding: other decoders keep the bytes of the last incomplete group.
data = b"Meeting notes"
uu_line = chr(32 + len(data)) + "".join(
    chr(32 + ((v >> s) & 63) or 96) for i in range(0, len(data) + 2, 3)
    for v in [int.from_bytes((data + b"\0\0")[i:i + 3], "big")] for s in (18, 12, 6, 0))
uu_line = uu_line[:1 + (len(data) + 2) // 3 * 4].replace(" ", "`")
short = base64.b64encode(b"\x89PNG\r\n\x1a\n\x00\x00\x00").decode().rstrip("=")  # 11 bytes, 15 characters
raw = ("From: eudora@old.example\nTo: support@desk.example\nSubject: notes\nMessage-ID: <xuu-1@old.example>\n"
       "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"==_E_==\"\n\n--==_E_==\n"
       "Content-Type: text/plain; charset=\"us-ascii\"\n\nNotes attached.\n--==_E_==\n"
       "Content-Type: application/msword; name=\"notes.txt\"\nContent-Disposition: attachment; filename=\"notes.txt\"\n"
       "Content-Transfer-Encoding: x-uuencode\n\n" + uu_line + "\n`\n--==_E_==\n"
       "Content-Type: image/png; name=\"cut.png\"\nContent-Transfer-Encoding: base64\n\n" + short + "\n--==_E_==--\n")
case("x_uuencode_without_begin_and_short_base64", raw, {"message_id": "<xuu-1@old.example>",
    "from": addr("eudora@old.example"), "to": [addr("support@desk.example")], "subject": "notes",
    "text": "Notes attached.", "attachments": [att("notes.txt", "application/msword", len(data)),
                                              att("cut.png", "image/png", 11)]})

# A multipart whose boundary never appears, with the message's own
# quoted-printable transfer encoding over its text.
raw = ("From: Max <max@example.de>\nTo: support@desk.example\nSubject: kaputt\nMessage-ID: <nob-qp@example.de>\n"
       "MIME-Version: 1.0\nContent-Transfer-Encoding: quoted-printable\n"
       "Content-Type: multipart/mixed; boundary=\"----never\"\n\n"
       "Gr=FC=DFe, der Drucker ist kaputt und das ist eine sehr lange Zeile, die umbr=\nochen wurde.\n")
case("boundary_never_used_qp", raw, {"message_id": "<nob-qp@example.de>", "from": addr("max@example.de", "Max"),
    "to": [addr("support@desk.example")], "subject": "kaputt",
    "text": "Grüße, der Drucker ist kaputt und das ist eine sehr lange Zeile, die umbrochen wurde."})

# Old Russian mailers: raw 8-bit KOI8-R or windows-1251 headers and no
# Content-Type at all. Read as windows-1252 these are words made only of
# letters from 0xC0-0xFF ("ÔÅÓÔ"); §9 welcomes the better guess.
raw = (b"From: " + "Дмитрий".encode("koi8-r") + b" <dima@mail.example.ru>\nTo: support@desk.example\n"
       b"Subject: " + "проверка связи".encode("koi8-r") + b"\nMessage-ID: <koi8-nolabel@mail.example.ru>\n\nping\n")
case("cyrillic_unlabelled_koi8r", raw, {"message_id": "<koi8-nolabel@mail.example.ru>",
    "from": addr("dima@mail.example.ru", "Дмитрий"), "to": [addr("support@desk.example")],
    "subject": "проверка связи", "text": "ping"})
raw = (b"From: olga@mail.example.ru\nTo: support@desk.example\n"
       b"Subject: " + "Счет на оплату".encode("cp1251") + b"\nMessage-ID: <cp1251-nolabel@mail.example.ru>\n\nsee subject\n")
case("cyrillic_unlabelled_cp1251", raw, {"message_id": "<cp1251-nolabel@mail.example.ru>",
    "from": addr("olga@mail.example.ru"), "to": [addr("support@desk.example")],
    "subject": "Счет на оплату", "text": "see subject"})

# Chinese mailers: the charset on the multipart itself and a raw GBK file
# name; the multipart's charset is the sender's.
xls = b"\xd0\xcf\x11\xe0" + b"\0" * 60
raw = (b"From: hr@corp.example.cn\nTo: support@desk.example\nSubject: report\nMessage-ID: <gbk-mp-1@corp.example.cn>\n"
       b"MIME-Version: 1.0\nContent-Type: multipart/mixed;\n boundary=\"=_Part_gbk\";charset=\"GB2312\"\n\n"
       b"--=_Part_gbk\nContent-Type: text/plain\nContent-Transfer-Encoding: 7bit\n\nplease see the file\n"
       b"--=_Part_gbk\nContent-Type: application/octet-stream;\n name=\"" + "绩效报告.xls".encode("gbk") + b"\"\n"
       b"Content-Disposition: attachment;\n filename=\"" + "绩效报告.xls".encode("gbk") + b"\"\n"
       b"Content-Transfer-Encoding: base64\n\n" + base64.b64encode(xls) + b"\n--=_Part_gbk--\n")
case("gbk_charset_on_multipart", raw, {"message_id": "<gbk-mp-1@corp.example.cn>", "from": addr("hr@corp.example.cn"),
    "to": [addr("support@desk.example")], "subject": "report", "text": "please see the file",
    "attachments": [att("绩效报告.xls", "application/octet-stream", len(xls))]})

# Japanese Outlook: an ISO-2022-JP body under a bare "text/plain;" (no
# charset), and a raw ISO-2022-JP subject (no encoded word). ESC never
# occurs in plain text, so 7-bit ISO 2022 escapes name the encoding.
body = "お世話になっております。\n請求書の件で連絡しました。\n\n鈴木"
raw = (b"From: <suzuki@corp.example.jp>\nTo: <support@desk.example>\n"
       b"Subject: " + "請求書について".encode("iso-2022-jp") + b"\n"
       b"Message-ID: <jp-nolabel-1@corp.example.jp>\nMIME-Version: 1.0\nContent-Type: text/plain;\n"
       b"Content-Transfer-Encoding: 7bit\nX-Mailer: Microsoft Outlook 16.0\n\n" + body.encode("iso-2022-jp") + b"\n")
case("iso_2022_jp_unlabelled", raw, {"message_id": "<jp-nolabel-1@corp.example.jp>",
    "from": addr("suzuki@corp.example.jp"), "to": [addr("support@desk.example")],
    "subject": "請求書について", "text": body})
