from lib import *

# 1. Outlook 2016 reply: alternative plain+html, QP windows-1252, German "AW:" with a ticket tag.
plain = ("Hallo Support,\r\n\r\nder Export schl\xe4gt weiterhin fehl \x96 auch nach dem Update.\r\n\r\n"
         "Gr\xfc\xdfe\r\nJ\xf6rg M\xfcller\r\n\r\n"
         "Von: Support <support@desk.example>\r\nGesendet: Montag, 7. Dezember 2026 10:12\r\n"
         "An: J\xf6rg M\xfcller <joerg.mueller@kunde.example>\r\nBetreff: [#1042] CSV export fails\r\n\r\n"
         "##- Please type your reply above this line -##\r\nWe are looking into it.\r\n")
html = ("<html xmlns:o=\"urn:schemas-microsoft-com:office:office\"><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\">"
        "<style><!--\r\np.MsoNormal {margin:0cm; font-size:11.0pt;}\r\n--></style></head><body lang=\"DE\">"
        "<div class=\"WordSection1\"><p class=\"MsoNormal\">Hallo Support,<o:p></o:p></p><p class=\"MsoNormal\"><o:p>&nbsp;</o:p></p>"
        "<p class=\"MsoNormal\">der Export schl\xe4gt weiterhin fehl \x96 auch nach dem Update.<o:p></o:p></p>"
        "<div style=\"border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm\"><div id=\"divRplyFwdMsg\">"
        "<p class=\"MsoNormal\"><b>Von:</b> Support &lt;support@desk.example&gt;<br><b>Gesendet:</b> Montag, 7. Dezember 2026 10:12</p></div></div>"
        "<p class=\"MsoNormal\">We are looking into it.</p></div></body></html>\r\n")
raw = ("Received: from EX01.kunde.example (10.0.0.5) by EX02.kunde.example\r\n (10.0.0.6) with Microsoft SMTP Server id 15.1.2507.6; Mon, 7 Dec 2026\r\n 10:30:12 +0100\r\n"
       "From: =?iso-8859-1?Q?J=F6rg_M=FCller?= <Joerg.Mueller@Kunde.Example>\r\n"
       "To: Support <support@desk.example>\r\n"
       "Subject: AW: [#1042] CSV export fails\r\n"
       "Thread-Topic: [#1042] CSV export fails\r\n"
       "Thread-Index: AQHW0Q7Z2Yk3oT8pHkmvWc0E8J1y0g==\r\n"
       "Date: Mon, 7 Dec 2026 09:30:11 +0000\r\n"
       "Message-ID: <AM0PR01MB5412C0FFEE@AM0PR01MB5412.eurprd01.prod.outlook.com>\r\n"
       "References: <sladesk.1042.k3j2h4.9f8e7d6c5b4a@desk.example>\r\n"
       "In-Reply-To: <sladesk.1042.k3j2h4.9f8e7d6c5b4a@desk.example>\r\n"
       "Accept-Language: de-DE, en-US\r\nContent-Language: de-DE\r\nX-MS-Has-Attach:\r\nX-MS-TNEF-Correlator:\r\n"
       "Content-Type: multipart/alternative;\r\n\tboundary=\"_000_AM0PR01MB5412C0FFEE_\"\r\nMIME-Version: 1.0\r\n\r\n"
       "--_000_AM0PR01MB5412C0FFEE_\r\nContent-Type: text/plain; charset=\"iso-8859-1\"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
       + quopri.encodestring(plain.replace("\r\n", "\n").encode("latin-1")).decode().replace("\n", "\r\n") +
       "\r\n--_000_AM0PR01MB5412C0FFEE_\r\nContent-Type: text/html; charset=\"iso-8859-1\"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
       + quopri.encodestring(html.replace("\r\n", "\n").encode("latin-1")).decode().replace("\n", "\r\n") +
       "\r\n--_000_AM0PR01MB5412C0FFEE_--\r\n")
expected_text = plain.replace("\x96", "\u2013").replace("\r\n", "\n").strip()
case("outlook_reply_qp_latin1", raw.encode("latin-1"), {
    "message_id": "<AM0PR01MB5412C0FFEE@AM0PR01MB5412.eurprd01.prod.outlook.com>",
    "in_reply_to": "<sladesk.1042.k3j2h4.9f8e7d6c5b4a@desk.example>",
    "references": ["<sladesk.1042.k3j2h4.9f8e7d6c5b4a@desk.example>"],
    "from": addr("joerg.mueller@kunde.example", "Jörg Müller"),
    "to": [addr("support@desk.example", "Support")],
    "subject": "AW: [#1042] CSV export fails", "ticket_number": 1042,
    "text": expected_text, "cc": []})

# 2. Outlook with an inline image: related[alternative[plain, html], image001.png] plus a docx.
img = png(8, 8, 3)
docx = b"PK\x03\x04" + bytes(range(256)) * 3
raw = ("From: \"Smith, Anna\" <Anna.Smith@corp.example>\r\nTo: \"support@desk.example\" <support@desk.example>\r\n"
       "CC: \"Brown, Tom\" <tom.brown@corp.example>, <IT-Ops@corp.example>\r\n"
       "Subject: Screenshot of the error\r\nDate: Tue, 8 Dec 2026 14:02:33 +0000\r\n"
       "Message-ID: <DB7PR02MB3978A1B2C3@DB7PR02MB3978.eurprd02.prod.outlook.com>\r\n"
       "Content-Type: multipart/mixed;\r\n\tboundary=\"_005_DB7PR02MB3978A1B2C3_\"\r\nMIME-Version: 1.0\r\n\r\n"
       "--_005_DB7PR02MB3978A1B2C3_\r\nContent-Type: multipart/related;\r\n\tboundary=\"_004_DB7PR02MB3978A1B2C3_\";\r\n\ttype=\"multipart/alternative\"\r\n\r\n"
       "--_004_DB7PR02MB3978A1B2C3_\r\nContent-Type: multipart/alternative;\r\n\tboundary=\"_000_DB7PR02MB3978A1B2C3_\"\r\n\r\n"
       "--_000_DB7PR02MB3978A1B2C3_\r\nContent-Type: text/plain; charset=\"us-ascii\"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
       "Hi,\r\n\r\nsee the screenshot below.\r\n\r\n[cid:image001.png@01D9C0A1.12345670]\r\n\r\nAnna\r\n\r\n"
       "--_000_DB7PR02MB3978A1B2C3_\r\nContent-Type: text/html; charset=\"us-ascii\"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
       "<html><body><p class=3D\"MsoNormal\">Hi,</p><p class=3D\"MsoNormal\">see the screenshot below.</p>=\r\n"
       "<p class=3D\"MsoNormal\"><img width=3D\"8\" height=3D\"8\" src=3D\"cid:image001.png@01D9C0A1.12345670\"></p><p>Anna</p></body></html>\r\n\r\n"
       "--_000_DB7PR02MB3978A1B2C3_--\r\n\r\n"
       "--_004_DB7PR02MB3978A1B2C3_\r\nContent-Type: image/png; name=\"image001.png\"\r\nContent-Description: image001.png\r\n"
       "Content-Disposition: inline; filename=\"image001.png\"; size=%d;\r\n\tcreation-date=\"Tue, 08 Dec 2026 14:02:33 GMT\"\r\n"
       "Content-ID: <image001.png@01D9C0A1.12345670>\r\nContent-Transfer-Encoding: base64\r\n\r\n%s\r\n\r\n"
       "--_004_DB7PR02MB3978A1B2C3_--\r\n\r\n"
       "--_005_DB7PR02MB3978A1B2C3_\r\nContent-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document;\r\n\tname=\"Fehlerbericht Q4.docx\"\r\n"
       "Content-Description: Fehlerbericht Q4.docx\r\nContent-Disposition: attachment;\r\n\tfilename=\"Fehlerbericht Q4.docx\"; size=%d\r\n"
       "Content-Transfer-Encoding: base64\r\n\r\n%s\r\n\r\n--_005_DB7PR02MB3978A1B2C3_--\r\n") % (
    len(img), b64(img).replace("\n", "\r\n"), len(docx), b64(docx).replace("\n", "\r\n"))
case("outlook_inline_image_and_docx", raw, {
    "message_id": "<DB7PR02MB3978A1B2C3@DB7PR02MB3978.eurprd02.prod.outlook.com>",
    "from": addr("anna.smith@corp.example", "Smith, Anna"),
    "to": [addr("support@desk.example", "support@desk.example")],
    "subject": "Screenshot of the error",
    "text": "Hi,\n\nsee the screenshot below.\n\n[cid:image001.png@01D9C0A1.12345670]\n\nAnna",
    "attachments": [att("image001.png", "image/png", len(img)),
                    att("Fehlerbericht Q4.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", len(docx))],
    "cc": [addr("tom.brown@corp.example", "Brown, Tom"), addr("it-ops@corp.example")]})

# 3. Outlook rich text: TNEF winmail.dat (listed as it is, not unpacked).
tnef = b"\x78\x9f\x3e\x22" + bytes((i * 31) % 256 for i in range(700))
raw = ("From: Peter Klein <p.klein@alt-firma.example>\r\nTo: support@desk.example\r\nSubject: Rechnung\r\n"
       "Date: Wed, 9 Dec 2026 08:00:00 +0100\r\nMessage-ID: <000001d9a1b2$c3d4e5f0$@alt-firma.example>\r\n"
       "MIME-Version: 1.0\r\nX-Mailer: Microsoft Outlook 14.0\r\nContent-Type: multipart/mixed;\r\n\tboundary=\"----=_NextPart_000_0001_01D9A1BB.2D1A4E60\"\r\n\r\n"
       "This is a multi-part message in MIME format.\r\n\r\n"
       "------=_NextPart_000_0001_01D9A1BB.2D1A4E60\r\nContent-Type: text/plain;\r\n\tcharset=\"us-ascii\"\r\nContent-Transfer-Encoding: 7bit\r\n\r\n"
       "Anbei die Rechnung.\r\n\r\n"
       "------=_NextPart_000_0001_01D9A1BB.2D1A4E60\r\nContent-Type: application/ms-tnef;\r\n\tname=\"winmail.dat\"\r\n"
       "Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment;\r\n\tfilename=\"winmail.dat\"\r\n\r\n%s\r\n\r\n"
       "------=_NextPart_000_0001_01D9A1BB.2D1A4E60--\r\n") % b64(tnef).replace("\n", "\r\n")
case("outlook_tnef_winmail_dat", raw, {
    "message_id": "<000001d9a1b2$c3d4e5f0$@alt-firma.example>",
    "from": addr("p.klein@alt-firma.example", "Peter Klein"), "to": [addr("support@desk.example")],
    "subject": "Rechnung", "text": "Anbei die Rechnung.",
    "attachments": [att("winmail.dat", "application/ms-tnef", len(tnef))], "cc": []})

# 4. Korean Outlook: ks_c_5601-1987 (read as CP949, with a character EUC-KR lacks).
subject = "견적 요청 - 똠방각하"  # 똠 is CP949-only
body = "안녕하세요,\r\n견적서를 보내주세요. 똠방각하\r\n"
raw = ("From: =?ks_c_5601-1987?B?%s?= <kim@hanguk.example>\r\nTo: <support@desk.example>\r\n"
       "Subject: =?ks_c_5601-1987?B?%s?=\r\nDate: Thu, 10 Dec 2026 11:00:00 +0900\r\nMessage-ID: <kr-0001@hanguk.example>\r\n"
       "MIME-Version: 1.0\r\nContent-Type: text/plain;\r\n\tcharset=\"ks_c_5601-1987\"\r\nContent-Transfer-Encoding: base64\r\n\r\n%s\r\n") % (
    base64.b64encode("김철수".encode("cp949")).decode(), base64.b64encode(subject.encode("cp949")).decode(),
    b64(body.encode("cp949")))
case("outlook_korean_ks_c_5601", raw, {
    "message_id": "<kr-0001@hanguk.example>", "from": addr("kim@hanguk.example", "김철수"),
    "to": [addr("support@desk.example")], "subject": subject, "text": body.replace("\r\n", "\n").strip(), "cc": []})

# 5. Outlook meeting request: alternative[plain, html, text/calendar] + invite.ics
ics = ("BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nPRODID:Microsoft Exchange Server 2010\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\n"
       "SUMMARY:Review\r\nDTSTART:20261215T090000Z\r\nDTEND:20261215T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
raw = ("From: Lena Vogel <lena.vogel@partner.example>\r\nTo: Support Team <support@desk.example>\r\nSubject: Review of ticket backlog\r\n"
       "Date: Fri, 11 Dec 2026 09:00:00 +0000\r\nMessage-ID: <meeting-77@partner.example>\r\nMIME-Version: 1.0\r\n"
       "Content-Type: multipart/mixed; boundary=\"_002_meeting77_\"\r\n\r\n"
       "--_002_meeting77_\r\nContent-Type: multipart/alternative; boundary=\"_000_meeting77_\"\r\n\r\n"
       "--_000_meeting77_\r\nContent-Type: text/plain; charset=\"utf-8\"\r\nContent-Transfer-Encoding: base64\r\n\r\n%s\r\n\r\n"
       "--_000_meeting77_\r\nContent-Type: text/html; charset=\"utf-8\"\r\nContent-Transfer-Encoding: base64\r\n\r\n%s\r\n\r\n"
       "--_000_meeting77_\r\nContent-Type: text/calendar; charset=\"utf-8\"; method=REQUEST\r\nContent-Transfer-Encoding: base64\r\n\r\n%s\r\n\r\n"
       "--_000_meeting77_--\r\n\r\n"
       "--_002_meeting77_\r\nContent-Type: application/ics; name=\"invite.ics\"\r\nContent-Disposition: attachment; filename=\"invite.ics\"\r\n"
       "Content-Transfer-Encoding: base64\r\n\r\n%s\r\n\r\n--_002_meeting77_--\r\n") % (
    b64("Let us go through the backlog.\r\n".encode()).replace("\n", "\r\n"),
    b64("<html><body><p>Let us go through the backlog.</p></body></html>".encode()).replace("\n", "\r\n"),
    b64(ics.encode()).replace("\n", "\r\n"), b64(ics.encode()).replace("\n", "\r\n"))
case("outlook_meeting_request", raw, {
    "message_id": "<meeting-77@partner.example>", "from": addr("lena.vogel@partner.example", "Lena Vogel"),
    "to": [addr("support@desk.example", "Support Team")], "subject": "Review of ticket backlog",
    "text": "Let us go through the backlog.",
    "attachments": [att("invite.ics", "application/ics", len(ics))], "cc": []})

# 6. Outlook filename as RFC 2047 inside quotes (what Outlook and many webmailers send).
data = pdf(3)
raw = ("From: =?utf-8?B?w4lsb2RpZSBEdXBvbnQ=?= <elodie@exemple.example>\r\nTo: support@desk.example\r\n"
       "Subject: =?utf-8?Q?Facture_n=C2=B0_2026-118?=\r\nDate: Sat, 12 Dec 2026 10:00:00 +0100\r\nMessage-ID: <fr-118@exemple.example>\r\n"
       "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain; charset=utf-8\r\n"
       "Content-Transfer-Encoding: 8bit\r\n\r\nBonjour,\r\nvoici la facture.\r\n\r\n--b1\r\n"
       "Content-Type: application/pdf; name=\"=?utf-8?B?RmFjdHVyZSDDqXTDqSAyMDI2LnBkZg==?=\"\r\n"
       "Content-Disposition: attachment; filename=\"=?utf-8?B?RmFjdHVyZSDDqXTDqSAyMDI2LnBkZg==?=\"\r\n"
       "Content-Transfer-Encoding: base64\r\n\r\n%s\r\n--b1--\r\n") % b64(data).replace("\n", "\r\n")
case("outlook_filename_rfc2047_in_quotes", raw, {
    "message_id": "<fr-118@exemple.example>", "from": addr("elodie@exemple.example", "Élodie Dupont"),
    "to": [addr("support@desk.example")], "subject": "Facture n° 2026-118", "text": "Bonjour,\nvoici la facture.",
    "attachments": [att("Facture été 2026.pdf", "application/pdf", len(data))], "cc": []})
