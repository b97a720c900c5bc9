from lib import *
import codecs

def simple(name, headers, body_bytes, expected, extra_ct="text/plain; charset=utf-8", cte="8bit"):
    raw = headers.encode("utf-8") if isinstance(headers, str) else headers
    if extra_ct:
        raw += ("Content-Type: %s\nContent-Transfer-Encoding: %s\n" % (extra_ct, cte)).encode()
    raw += b"\n" + body_bytes
    case(name, raw, expected)

# ISO-2022-JP (7bit), subject in B encoded words split across lines.
subj = "お問い合わせ：ログインできません"
enc = subj.encode("iso-2022-jp")
half = len(subj) // 2
w1 = base64.b64encode(subj[:half].encode("iso-2022-jp")).decode()
w2 = base64.b64encode(subj[half:].encode("iso-2022-jp")).decode()
body = "いつもお世話になっております。\nログインできません。\n"
simple("iso_2022_jp", "From: =?ISO-2022-JP?B?%s?= <tanaka@example.jp>\nTo: support@desk.example\n"
       "Subject: =?ISO-2022-JP?B?%s?=\n =?ISO-2022-JP?B?%s?=\nDate: Sat, 12 Dec 2026 09:00:00 +0900\n"
       "Message-ID: <jp-1@example.jp>\nMIME-Version: 1.0\n" % (base64.b64encode("田中".encode("iso-2022-jp")).decode(), w1, w2),
       body.encode("iso-2022-jp"), {
           "message_id": "<jp-1@example.jp>", "from": addr("tanaka@example.jp", "田中"), "to": [addr("support@desk.example")],
           "subject": subj, "text": body.strip()}, "text/plain; charset=ISO-2022-JP", "7bit")

# Shift_JIS with CP932-only characters (circled digits, NEC specials).
body = "①番の手順で再起動しました。～ ㈱テスト\n"
simple("shift_jis_cp932", "From: sato@example.jp\nTo: support@desk.example\nSubject: =?Shift_JIS?B?%s?=\n"
       "Message-ID: <jp-2@example.jp>\nMIME-Version: 1.0\n" % base64.b64encode("再起動①".encode("cp932")).decode(),
       body.encode("cp932"), {"message_id": "<jp-2@example.jp>", "from": addr("sato@example.jp"),
                              "to": [addr("support@desk.example")], "subject": "再起動①", "text": body.strip()},
       "text/plain; charset=\"Shift_JIS\"", "8bit")

# GB2312 label with GBK characters (read as GB18030), base64 body.
body = "您好，打印机坏了。镕\n"  # 镕 is outside GB2312
simple("gb2312_label_gbk_bytes", "From: =?gb2312?B?%s?= <wang@example.cn>\nTo: support@desk.example\nSubject: =?GB2312?B?%s?=\n"
       "Message-ID: <cn-1@example.cn>\nMIME-Version: 1.0\n" % (base64.b64encode("王镕".encode("gbk")).decode(),
                                                              base64.b64encode("打印机故障".encode("gbk")).decode()),
       b64(body.encode("gbk")).encode() + b"\n", {
           "message_id": "<cn-1@example.cn>", "from": addr("wang@example.cn", "王镕"), "to": [addr("support@desk.example")],
           "subject": "打印机故障", "text": body.strip()}, "text/plain; charset=gb2312", "base64")

# KOI8-R in QP, and a raw 8-bit KOI8-R Subject header (fallback: the body's charset).
body = "Здравствуйте!\nНе работает почта.\n"
raw = (b"From: \xe9\xd7\xc1\xce \xf0\xc5\xd4\xd2\xcf\xd7 <ivan@example.ru>\nTo: support@desk.example\n"
       b"Subject: \xf0\xcf\xde\xd4\xc1 \xce\xc5 \xd2\xc1\xc2\xcf\xd4\xc1\xc5\xd4\nMessage-ID: <ru-1@example.ru>\nMIME-Version: 1.0\n"
       b"Content-Type: text/plain; charset=koi8-r\nContent-Transfer-Encoding: quoted-printable\n\n" +
       quopri.encodestring(body.encode("koi8-r")))
assert "Почта не работает".encode("koi8-r") == b"\xf0\xcf\xde\xd4\xc1 \xce\xc5 \xd2\xc1\xc2\xcf\xd4\xc1\xc5\xd4"
case("koi8r_raw_8bit_headers", raw, {
    "message_id": "<ru-1@example.ru>", "from": addr("ivan@example.ru", "Иван Петров"), "to": [addr("support@desk.example")],
    "subject": "Почта не работает", "text": body.strip()})

# Big5 and windows-1251 in one multipart/mixed, two inline plain parts (the second appended).
b1 = "請幫忙檢查伺服器。\n"
b2 = "Спасибо.\n"
raw = (b"From: Chen <chen@example.tw>\nTo: support@desk.example\nSubject: =?big5?Q?" +
       "".join("=%02X" % c for c in "伺服器".encode("big5")).encode() + b"?=\nMessage-ID: <tw-1@example.tw>\nMIME-Version: 1.0\n"
       b"Content-Type: multipart/mixed; boundary=XYZ\n\n--XYZ\nContent-Type: text/plain; charset=big5\nContent-Transfer-Encoding: 8bit\n\n" +
       b1.encode("big5") + b"\n--XYZ\nContent-Type: text/plain; charset=windows-1251\nContent-Transfer-Encoding: 8bit\n\n" +
       b2.encode("cp1251") + b"\n--XYZ--\n")
case("big5_and_cp1251_parts", raw, {
    "message_id": "<tw-1@example.tw>", "from": addr("chen@example.tw", "Chen"), "to": [addr("support@desk.example")],
    "subject": "伺服器", "text": "請幫忙檢查伺服器。\nСпасибо.",
    "attachments": [att(None, "text/plain", len(b2.encode("cp1251")))]})

# No MIME at all, raw 8-bit Latin-1 headers and body, no charset anywhere (windows-1252 guess).
raw = (b"From: Fran\xe7ois L\xe9ger <francois@vieux.example>\nTo: support@desk.example\nSubject: Probl\xe8me d'acc\xe8s \x96 urgent\n"
       b"Date: Sun, 13 Dec 2026 10:00:00 +0100\nMessage-Id: <old-1@vieux.example>\n\n"
       b"Je n'arrive plus \xe0 me connecter depuis le 12/12.\n\x93Erreur 500\x94 s'affiche.\n")
case("unlabelled_8bit_latin1", raw, {
    "message_id": "<old-1@vieux.example>", "from": addr("francois@vieux.example", "François Léger"),
    "to": [addr("support@desk.example")], "subject": "Problème d'accès – urgent",
    "text": "Je n'arrive plus à me connecter depuis le 12/12.\n“Erreur 500” s'affiche."})

# Raw UTF-8 in headers and body, no MIME headers (valid UTF-8 is read as UTF-8).
raw = ("From: Zoë Ångström <zoe@nordic.example>\nTo: \"Søren Ærø\" <SOREN@Nordic.Example>\nSubject: Fjärrskrivbord fungerar inte ✔\n"
       "Message-ID: <nordic-1@nordic.example>\n\nHej! Det går inte att logga in. 😞\n").encode()
case("unlabelled_utf8", raw, {
    "message_id": "<nordic-1@nordic.example>", "from": addr("zoe@nordic.example", "Zoë Ångström"),
    "to": [addr("soren@nordic.example", "Søren Ærø")], "subject": "Fjärrskrivbord fungerar inte ✔",
    "text": "Hej! Det går inte att logga in. 😞"})

# RFC 2047 corner cases: a UTF-8 character split across two words, whitespace between words dropped,
# an encoded word glued to text, Q underscores, lower-case q, an unknown charset, a malformed word kept.
e = "Größenänderung".encode("utf-8")
w1 = "".join("=%02X" % c for c in e[:3])  # splits 'ö' (0xC3 0xB6)
w2 = "".join("=%02X" % c for c in e[3:])
raw = ("From: =?utf-8?q?Bj=C3=B6rn?= =?utf-8?q?_Str=C3=B6m?= <bjorn@example.se>\nTo: support@desk.example\n"
       "Subject: =?UTF-8?Q?%s?= =?UTF-8?Q?%s?= und =?utf-8?b?w6Ry?=ger,\n\t=?x-unknown?q?plain_text?= =?utf-8?q?broken\n"
       "Message-ID: <se-1@example.se>\n\nText.\n" % (w1, w2))
case("rfc2047_corners", raw, {
    "message_id": "<se-1@example.se>", "from": addr("bjorn@example.se", "Björn Ström"), "to": [addr("support@desk.example")],
    "subject": "Größenänderung und ärger,\tplain text =?utf-8?q?broken", "text": "Text."})

# HTML-only, no charset parameter, <meta charset=windows-1251>.
html = "<html><head><meta charset=\"windows-1251\"><title>Письмо</title></head><body><p>Добрый день!</p><p>Сервер&nbsp;недоступен.</p></body></html>"
raw = (b"From: olga@example.ru\nTo: support@desk.example\nSubject: server\nMessage-ID: <ru-2@example.ru>\nMIME-Version: 1.0\n"
       b"Content-Type: text/html\nContent-Transfer-Encoding: 8bit\n\n" + html.encode("cp1251") + b"\n")
case("html_meta_charset_cp1251", raw, {
    "message_id": "<ru-2@example.ru>", "from": addr("olga@example.ru"), "to": [addr("support@desk.example")],
    "subject": "server", "text": "Добрый день!\n\nСервер недоступен."})

# US-ASCII label on UTF-8 bytes, and an unknown label on Latin-1 bytes.
raw = ("From: a@example.com\nTo: support@desk.example\nSubject: labels\nMessage-ID: <lbl-1@example.com>\nMIME-Version: 1.0\n"
       "Content-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: text/plain; charset=us-ascii\n\nCafé crème\n"
       "--b\nContent-Type: text/plain; charset=x-made-up\nContent-Disposition: inline\n\n").encode() + "Déjà vu\n".encode("latin-1") + b"--b--\n"
case("charset_labels_lie", raw, {
    "message_id": "<lbl-1@example.com>", "from": addr("a@example.com"), "to": [addr("support@desk.example")],
    "subject": "labels", "text": "Café crème\nDéjà vu", "attachments": [att(None, "text/plain", len("Déjà vu".encode("latin-1")))]})

# UTF-16 body (base64, with BOM).
body = "UTF-16 text with ümlauts\n"
raw = ("From: w@example.com\nTo: support@desk.example\nSubject: utf16\nMessage-ID: <u16@example.com>\nMIME-Version: 1.0\n"
       "Content-Type: text/plain; charset=utf-16\nContent-Transfer-Encoding: base64\n\n" + b64(body.encode("utf-16")) + "\n").encode()
case("utf16_body", raw, {"message_id": "<u16@example.com>", "from": addr("w@example.com"), "to": [addr("support@desk.example")],
                         "subject": "utf16", "text": body.strip()})
