from lib import *

# Gmail reply: alternative, UTF-8 QP, gmail_quote, "On ... wrote:" with quoted lines.
plain = ("Thanks, that fixed it! =F0=9F=8E=89\n\nOn Mon, Dec 7, 2026 at 10:12=E2=80=AFAM Support &lt;support@desk.example&gt; wrote:\n")
raw = """Delivered-To: support@desk.example
Received: by 2002:a05:6a10:1234:b0:4a1:1d2e:3f4 with SMTP id x20csp123456pxb;
        Mon, 7 Dec 2026 02:30:01 -0800 (PST)
DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=gmail.com; s=20230601; h=to:subject:message-id:date:from:in-reply-to:references:mime-version; bh=abc=; b=def=
MIME-Version: 1.0
References: <sladesk.77.aa11.bb22@desk.example> <sladesk.77.cc33.dd44@desk.example>
In-Reply-To: <sladesk.77.cc33.dd44@desk.example>
From: =?UTF-8?Q?Ren=C3=A9e_O=27Brien?= <renee.obrien@gmail.com>
Date: Mon, 7 Dec 2026 11:29:48 +0100
Message-ID: <CAK7Lp=Xz9+f_3Qm0YbP5e1A@mail.gmail.com>
Subject: Re: [#77] Login page is blank
To: Support <support@desk.example>
Content-Type: multipart/alternative; boundary="000000000000a1b2c3d4e5f60708"

--000000000000a1b2c3d4e5f60708
Content-Type: text/plain; charset="UTF-8"
Content-Transfer-Encoding: quoted-printable

Thanks, that fixed it! =F0=9F=8E=89

On Mon, Dec 7, 2026 at 10:12=E2=80=AFAM Support <support@desk.example> wrote:

> ##- Please type your reply above this line -##
>
> Please clear the browser cache and try again.
>

--000000000000a1b2c3d4e5f60708
Content-Type: text/html; charset="UTF-8"
Content-Transfer-Encoding: quoted-printable

<div dir=3D"ltr">Thanks, that fixed it! =F0=9F=8E=89</div><br><div class=3D"gmail=
_quote"><div dir=3D"ltr" class=3D"gmail_attr">On Mon, Dec 7, 2026 at 10:12=E2=80=
=AFAM Support &lt;<a href=3D"mailto:support@desk.example">support@desk.example</a>&gt; wrot=
e:<br></div><blockquote class=3D"gmail_quote" style=3D"margin:0px 0px 0px 0.8ex">=
##- Please type your reply above this line -##<br><br>Please clear the browser cache and try again.<br></blockquote></div>

--000000000000a1b2c3d4e5f60708--
"""
case("gmail_reply_alternative", raw, {
    "message_id": "<CAK7Lp=Xz9+f_3Qm0YbP5e1A@mail.gmail.com>",
    "in_reply_to": "<sladesk.77.cc33.dd44@desk.example>",
    "references": ["<sladesk.77.aa11.bb22@desk.example>", "<sladesk.77.cc33.dd44@desk.example>"],
    "from": addr("renee.obrien@gmail.com", "Renée O'Brien"), "to": [addr("support@desk.example", "Support")],
    "subject": "Re: [#77] Login page is blank", "ticket_number": 77,
    "text": "Thanks, that fixed it! \U0001F389\n\nOn Mon, Dec 7, 2026 at 10:12\u202fAM Support <support@desk.example> wrote:\n\n"
            "> ##- Please type your reply above this line -##\n>\n> Please clear the browser cache and try again.\n>",
    "cc": []})

# Gmail with a PDF attachment and a forwarded message in the text.
data = pdf(5)
raw = """MIME-Version: 1.0
From: Mark Chen <mark.chen@gmail.com>
Date: Tue, 8 Dec 2026 16:40:00 -0800
Message-ID: <CAF8y3gq1-Fwd@mail.gmail.com>
Subject: Fwd: Invoice 4711 wrong amount
To: support@desk.example
Content-Type: multipart/mixed; boundary="0000000000001f2e3d4c5b6a7980"

--0000000000001f2e3d4c5b6a7980
Content-Type: multipart/alternative; boundary="0000000000001f2e3d4c5b6a797e"

--0000000000001f2e3d4c5b6a797e
Content-Type: text/plain; charset="UTF-8"

Please have a look, the amount is wrong.

---------- Forwarded message ---------
From: Billing <billing@vendor.example>
Date: Tue, Dec 8, 2026 at 9:00 AM
Subject: Invoice 4711
To: <mark.chen@gmail.com>


Your invoice is attached.

--0000000000001f2e3d4c5b6a797e
Content-Type: text/html; charset="UTF-8"

<div dir="ltr">Please have a look, the amount is wrong.<br><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">---------- Forwarded message ---------<br>From: <strong class="gmail_sendername" dir="auto">Billing</strong></div><br><br>Your invoice is attached.</div></div>

--0000000000001f2e3d4c5b6a797e--
--0000000000001f2e3d4c5b6a7980
Content-Type: application/pdf; name="Invoice_4711.pdf"
Content-Disposition: attachment; filename="Invoice_4711.pdf"
Content-Transfer-Encoding: base64
Content-ID: <f_lkj3h2g10>
X-Attachment-Id: f_lkj3h2g10

%s
--0000000000001f2e3d4c5b6a7980--
""" % b64(data)
case("gmail_forward_with_pdf", raw, {
    "message_id": "<CAF8y3gq1-Fwd@mail.gmail.com>", "from": addr("mark.chen@gmail.com", "Mark Chen"),
    "to": [addr("support@desk.example")], "subject": "Fwd: Invoice 4711 wrong amount",
    "text": "Please have a look, the amount is wrong.\n\n---------- Forwarded message ---------\nFrom: Billing <billing@vendor.example>\n"
            "Date: Tue, Dec 8, 2026 at 9:00 AM\nSubject: Invoice 4711\nTo: <mark.chen@gmail.com>\n\n\nYour invoice is attached.",
    "attachments": [att("Invoice_4711.pdf", "application/pdf", len(data))], "cc": []})

# Apple Mail: text around an inline image in multipart/mixed (later text parts appended).
img = png(6, 3, 9)
raw = """From: Sophie Martin <sophie@icloud.com>
Content-Type: multipart/mixed;
	boundary="Apple-Mail=_8A1B2C3D-4E5F-6071-8293-A4B5C6D7E8F9"
Mime-Version: 1.0 (Mac OS X Mail 16.0 \\(3731.700.6\\))
Subject: Printer shows this
Message-Id: <8A1B2C3D-0001@icloud.com>
Date: Wed, 9 Dec 2026 18:01:02 +0100
To: support@desk.example
X-Mailer: Apple Mail (2.3731.700.6)


--Apple-Mail=_8A1B2C3D-4E5F-6071-8293-A4B5C6D7E8F9
Content-Transfer-Encoding: 7bit
Content-Type: text/plain;
	charset=us-ascii

The printer shows this message:

--Apple-Mail=_8A1B2C3D-4E5F-6071-8293-A4B5C6D7E8F9
Content-Disposition: inline;
	filename=IMG_0042.png
Content-Type: image/png;
	x-unix-mode=0644;
	name="IMG_0042.png"
Content-Transfer-Encoding: base64

%s
--Apple-Mail=_8A1B2C3D-4E5F-6071-8293-A4B5C6D7E8F9
Content-Transfer-Encoding: 7bit
Content-Type: text/plain;
	charset=us-ascii


What should I do?

Sophie
--Apple-Mail=_8A1B2C3D-4E5F-6071-8293-A4B5C6D7E8F9--
""" % b64(img)
case("apple_mail_text_around_image", raw, {
    "message_id": "<8A1B2C3D-0001@icloud.com>", "from": addr("sophie@icloud.com", "Sophie Martin"),
    "to": [addr("support@desk.example")], "subject": "Printer shows this",
    "text": "The printer shows this message:\nWhat should I do?\n\nSophie",
    "attachments": [att("IMG_0042.png", "image/png", len(img)), att(None, "text/plain", len("\nWhat should I do?\n\nSophie"))],
    "cc": []})

# Apple Mail HTML: alternative[plain, mixed[html, image, html]]: the image counts, the HTML pieces are alternatives.
img2 = png(3, 3, 1)
raw = """From: Sophie Martin <sophie@icloud.com>
Content-Type: multipart/alternative;
	boundary="Apple-Mail=_ALT-0002"
Mime-Version: 1.0 (Mac OS X Mail 16.0 \\(3731.700.6\\))
Subject: Re: Printer shows this
Message-Id: <8A1B2C3D-0002@icloud.com>
In-Reply-To: <sladesk.9.x.y@desk.example>
References: <sladesk.9.x.y@desk.example>
Date: Wed, 9 Dec 2026 19:01:02 +0100
To: Support <support@desk.example>

--Apple-Mail=_ALT-0002
Content-Transfer-Encoding: quoted-printable
Content-Type: text/plain;
	charset=utf-8

Here it is again:

=EF=BF=BC

Sophie

> On 9. Dec 2026, at 18:30, Support <support@desk.example> wrote:
>=20
> Can you send the picture again?

--Apple-Mail=_ALT-0002
Content-Type: multipart/mixed;
	boundary="Apple-Mail=_MIX-0002"

--Apple-Mail=_MIX-0002
Content-Transfer-Encoding: 7bit
Content-Type: text/html;
	charset=us-ascii

<html><head><meta http-equiv="content-type" content="text/html; charset=us-ascii"></head><body style="overflow-wrap: break-word;">Here it is again:<div><br></div><div></div></body></html>
--Apple-Mail=_MIX-0002
Content-Disposition: inline;
	filename=photo.png
Content-Type: image/png;
	name="photo.png"
Content-Transfer-Encoding: base64

%s
--Apple-Mail=_MIX-0002
Content-Transfer-Encoding: 7bit
Content-Type: text/html;
	charset=us-ascii

<html><body><div><br></div><div>Sophie</div><div><br><blockquote type="cite"><div>On 9. Dec 2026, at 18:30, Support &lt;support@desk.example&gt; wrote:</div><br><div>Can you send the picture again?</div></blockquote></div></body></html>
--Apple-Mail=_MIX-0002--

--Apple-Mail=_ALT-0002--
""" % b64(img2)
case("apple_mail_html_split_by_image", raw, {
    "message_id": "<8A1B2C3D-0002@icloud.com>", "in_reply_to": "<sladesk.9.x.y@desk.example>",
    "references": ["<sladesk.9.x.y@desk.example>"], "from": addr("sophie@icloud.com", "Sophie Martin"),
    "to": [addr("support@desk.example", "Support")], "subject": "Re: Printer shows this",
    "text": "Here it is again:\n\n\ufffc\n\nSophie\n\n> On 9. Dec 2026, at 18:30, Support <support@desk.example> wrote:\n> \n> Can you send the picture again?",
    "attachments": [att("photo.png", "image/png", len(img2))], "cc": []})

# Thunderbird: format=flowed, moz-cite-prefix in HTML is absent (plain only), quoted lines.
raw = """Message-ID: <5f0e1d2c-3b4a-5968-7a8b-9c0d1e2f3a4b@posteo.example>
Date: Thu, 10 Dec 2026 09:15:00 +0100
MIME-Version: 1.0
User-Agent: Mozilla Thunderbird
Subject: Re: [#300] VPN drops every hour
Content-Language: de-DE
To: support@desk.example
References: <sladesk.300.q.r@desk.example>
From: Karl Huber <karl@posteo.example>
In-Reply-To: <sladesk.300.q.r@desk.example>
Content-Type: text/plain; charset=UTF-8; format=flowed
Content-Transfer-Encoding: 8bit

Hallo,

die Verbindung bricht weiterhin jede Stunde ab, genau zur vollen 
Stunde. Ich habe das Log angehängt.

Am 09.12.26 um 17:00 schrieb Support:
> ##- Please type your reply above this line -##
>
> Bitte senden Sie uns das Log.

-- 
Karl Huber
"""
case("thunderbird_flowed_de", raw, {
    "message_id": "<5f0e1d2c-3b4a-5968-7a8b-9c0d1e2f3a4b@posteo.example>", "in_reply_to": "<sladesk.300.q.r@desk.example>",
    "references": ["<sladesk.300.q.r@desk.example>"], "from": addr("karl@posteo.example", "Karl Huber"),
    "to": [addr("support@desk.example")], "subject": "Re: [#300] VPN drops every hour", "ticket_number": 300,
    "text": "Hallo,\n\ndie Verbindung bricht weiterhin jede Stunde ab, genau zur vollen \nStunde. Ich habe das Log angehängt.\n\n"
            "Am 09.12.26 um 17:00 schrieb Support:\n> ##- Please type your reply above this line -##\n>\n> Bitte senden Sie uns das Log.\n\n-- \nKarl Huber",
    "cc": []})

# Thunderbird: RFC 2231 file names (UTF-8, continuations), and a message/rfc822 forwarded as attachment.
log = ("2026-12-10 08:00:00 connect\n" * 40).encode()
inner = ("From: Monitoring <noreply@monitor.example>\nTo: karl@posteo.example\nSubject: Alert: VPN down\n"
         "Date: Thu, 10 Dec 2026 08:00:00 +0100\nMessage-ID: <alert-1@monitor.example>\nContent-Type: text/plain; charset=utf-8\n\n"
         "VPN gateway unreachable.\n")
raw = """Message-ID: <b7c6d5e4-tb-2231@posteo.example>
Date: Thu, 10 Dec 2026 09:20:00 +0100
MIME-Version: 1.0
User-Agent: Mozilla Thunderbird
Subject: Logs
To: support@desk.example
From: Karl Huber <karl@posteo.example>
Content-Type: multipart/mixed; boundary="------------Bnd0TB2231"

This is a multi-part message in MIME format.
--------------Bnd0TB2231
Content-Type: text/plain; charset=UTF-8; format=flowed
Content-Transfer-Encoding: 7bit

Logs attached, and the alert we got.

--------------Bnd0TB2231
Content-Type: text/plain; charset=UTF-8; name*0*=UTF-8''Verbindungsprotokoll%20f%C3%BCr%20den%20ganzen%20Tag%20;
 name*1*=%E2%80%93%20VPN.log
Content-Disposition: attachment;
 filename*0*=UTF-8''Verbindungsprotokoll%20f%C3%BCr%20den%20ganzen%20Tag%20;
 filename*1*=%E2%80%93%20VPN.log
Content-Transfer-Encoding: base64

@@LOG@@
--------------Bnd0TB2231
Content-Type: message/rfc822; charset=UTF-8; name="Alert VPN down.eml"
Content-Disposition: attachment; filename="Alert VPN down.eml"

@@INNER@@
--------------Bnd0TB2231--
""".replace("@@LOG@@", b64(log)).replace("@@INNER@@", inner)
case("thunderbird_rfc2231_and_attached_message", raw, {
    "message_id": "<b7c6d5e4-tb-2231@posteo.example>", "from": addr("karl@posteo.example", "Karl Huber"),
    "to": [addr("support@desk.example")], "subject": "Logs", "text": "Logs attached, and the alert we got.",
    "attachments": [att("Verbindungsprotokoll für den ganzen Tag – VPN.log", "text/plain", len(log)),
                    att("Alert VPN down.eml", "message/rfc822", len(inner))], "cc": []})

# Lotus Notes: upper-case headers, HTML only with ISO-8859-1 and an inline GIF in related.
gif = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
html = ("<html><body><font size=2 face=\"sans-serif\">Sehr geehrte Damen und Herren,</font><br><br>"
        "<font size=2 face=\"sans-serif\">bitte pr\xfcfen Sie den Vorgang &quot;Lieferung&nbsp;42&quot;.</font><br>"
        "<img src=\"cid:_1_0A1B2C3D\"><br><font size=2 face=\"sans-serif\">Mit freundlichen Gr\xfc\xdfen<br>Hans Meier</font></body></html>")
raw = ("MIME-VERSION: 1.0\nFROM: Hans Meier <Hans.Meier@notes.example>\nTO: support@desk.example\nSUBJECT: Lieferung 42\n"
       "MESSAGE-ID: <OF1A2B3C4D.5E6F7081-ONC1258A9B.00123456-C1258A9B.00123457@notes.example>\n"
       "DATE: Fri, 11 Dec 2026 10:00:00 +0100\nX-MIMETrack: Serialize by Router on Notes01/Firma at 11.12.2026 10:00:00\n"
       "CONTENT-TYPE: multipart/related; boundary=\"=_related 00123456C1258A9B_=\"\n\n"
       "This is a multipart message in MIME format.\n--=_related 00123456C1258A9B_=\nContent-Type: text/html; charset=\"ISO-8859-1\"\n"
       "Content-Transfer-Encoding: quoted-printable\n\n" + quopri.encodestring(html.encode("latin-1")).decode() +
       "\n--=_related 00123456C1258A9B_=\nContent-Type: image/gif\nContent-ID: <_1_0A1B2C3D>\nContent-Transfer-Encoding: base64\n\n"
       + b64(gif) + "\n--=_related 00123456C1258A9B_=--\n")
case("lotus_notes_html_related", raw.encode("latin-1"), {
    "message_id": "<OF1A2B3C4D.5E6F7081-ONC1258A9B.00123456-C1258A9B.00123457@notes.example>",
    "from": addr("hans.meier@notes.example", "Hans Meier"), "to": [addr("support@desk.example")], "subject": "Lieferung 42",
    "text": "Sehr geehrte Damen und Herren,\n\nbitte prüfen Sie den Vorgang \"Lieferung 42\".\n\nMit freundlichen Grüßen\nHans Meier",
    "attachments": [att(None, "image/gif", len(gif))], "cc": []})
