from lib import *

# Postfix bounce (DSN): multipart/report, Return-Path <>, MAILER-DAEMON, text/rfc822-headers.
headers_part = ("Return-Path: <support@desk.example>\nReceived: by mail.desk.example (Postfix, from userid 0)\n\tid 4F1A2B3C4D; Mon, 14 Dec 2026 10:00:00 +0000 (UTC)\n"
                "From: Support <support@desk.example>\nTo: gone@nowhere.example\nSubject: [#12] Your request\n"
                "Message-ID: <sladesk.12.abc.def@desk.example>\n")
status = ("Reporting-MTA: dns; mail.desk.example\nX-Postfix-Queue-ID: 4F1A2B3C4D\nArrival-Date: Mon, 14 Dec 2026 10:00:00 +0000 (UTC)\n\n"
          "Final-Recipient: rfc822; gone@nowhere.example\nOriginal-Recipient: rfc822;gone@nowhere.example\nAction: failed\n"
          "Status: 5.1.1\nRemote-MTA: dns; mx.nowhere.example\nDiagnostic-Code: smtp; 550 5.1.1 <gone@nowhere.example>: Recipient address rejected: User unknown\n")
human = ("This is the mail system at host mail.desk.example.\n\nI'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients.\n\n"
         "                   The mail system\n\n<gone@nowhere.example>: host mx.nowhere.example said: 550 5.1.1 User unknown\n")
raw = ("Return-Path: <>\nDelivered-To: support@desk.example\nReceived: by mail.desk.example (Postfix)\n\tid 5A6B7C8D9E; Mon, 14 Dec 2026 10:00:01 +0000 (UTC)\n"
       "Date: Mon, 14 Dec 2026 10:00:01 +0000 (UTC)\nFrom: MAILER-DAEMON@mail.desk.example (Mail Delivery System)\n"
       "Subject: Undelivered Mail Returned to Sender\nTo: support@desk.example\nAuto-Submitted: auto-replied\nMIME-Version: 1.0\n"
       "Content-Type: multipart/report; report-type=delivery-status;\n\tboundary=\"4F1A2B3C4D.1702548001/mail.desk.example\"\n"
       "Content-Transfer-Encoding: 7bit\nMessage-Id: <20261214100001.5A6B7C8D9E@mail.desk.example>\n\n"
       "This is a MIME-encapsulated message.\n\n--4F1A2B3C4D.1702548001/mail.desk.example\nContent-Description: Notification\n"
       "Content-Type: text/plain; charset=us-ascii\n\n" + human + "\n--4F1A2B3C4D.1702548001/mail.desk.example\n"
       "Content-Description: Delivery report\nContent-Type: message/delivery-status\n\n" + status +
       "\n--4F1A2B3C4D.1702548001/mail.desk.example\nContent-Description: Undelivered Message Headers\nContent-Type: text/rfc822-headers\n\n" +
       headers_part + "\n--4F1A2B3C4D.1702548001/mail.desk.example--\n")
case("bounce_postfix_dsn", raw, {
    "message_id": "<20261214100001.5A6B7C8D9E@mail.desk.example>", "from": addr("mailer-daemon@mail.desk.example"),
    "to": [addr("support@desk.example")], "subject": "Undelivered Mail Returned to Sender", "auto_generated": True,
    "text": human.strip(), "attachments": [att(None, "message/delivery-status", len(status)),
                                           att(None, "text/rfc822-headers", len(headers_part))]})

# Exchange NDR: postmaster@, multipart/report with alternative and the returned message/rfc822.
inner = ("From: Support <support@desk.example>\nTo: <left@corp.example>\nSubject: [#13] Update\nMessage-ID: <sladesk.13.a.b@desk.example>\n"
         "Content-Type: text/plain; charset=utf-8\n\nYour ticket was updated.\n")
status = "Reporting-MTA: dns;EX01.corp.example\n\nFinal-recipient: RFC822; left@corp.example\nAction: failed\nStatus: 5.1.10\n"
raw = ("From: postmaster@corp.example\nTo: support@desk.example\nDate: Mon, 14 Dec 2026 11:00:00 +0000\n"
       "Subject: Undeliverable: [#13] Update\nMessage-ID: <ndr-13@EX01.corp.example>\nMIME-Version: 1.0\n"
       "Content-Type: multipart/report; report-type=delivery-status; boundary=\"_ndr_\"\n\n"
       "--_ndr_\nContent-Type: multipart/alternative; boundary=\"_ndr_alt_\"\n\n--_ndr_alt_\nContent-Type: text/plain; charset=us-ascii\n\n"
       "Delivery has failed to these recipients or groups:\n\nleft@corp.example\n\n--_ndr_alt_\nContent-Type: text/html; charset=us-ascii\n\n"
       "<html><body><p><b>Delivery has failed to these recipients or groups:</b></p><p>left@corp.example</p></body></html>\n--_ndr_alt_--\n\n"
       "--_ndr_\nContent-Type: message/delivery-status\n\n" + status + "\n--_ndr_\nContent-Type: message/rfc822\n\n" + inner + "\n--_ndr_--\n")
case("bounce_exchange_ndr", raw, {
    "message_id": "<ndr-13@EX01.corp.example>", "from": addr("postmaster@corp.example"), "to": [addr("support@desk.example")],
    "subject": "Undeliverable: [#13] Update", "ticket_number": 13, "auto_generated": True,
    "text": "Delivery has failed to these recipients or groups:\n\nleft@corp.example",
    "attachments": [att(None, "message/delivery-status", len(status)), att(None, "message/rfc822", len(inner))]})

# Exchange out-of-office: Auto-Submitted: auto-generated, X-Auto-Response-Suppress: All, HTML only.
raw = """From: Tom Brown <tom.brown@corp.example>
To: Support <support@desk.example>
Subject: Automatic reply: [#14] Printer queue
Thread-Topic: [#14] Printer queue
Date: Tue, 15 Dec 2026 08:00:00 +0000
Message-ID: <oof-14@corp.example>
In-Reply-To: <sladesk.14.k.m@desk.example>
References: <sladesk.14.k.m@desk.example>
Auto-Submitted: auto-generated
X-Auto-Response-Suppress: All
X-MS-Exchange-Inbox-Rules-Loop: tom.brown@corp.example
Content-Type: text/html; charset="us-ascii"
Content-Transfer-Encoding: quoted-printable
MIME-Version: 1.0

<html><head><style>p{margin:0}</style></head><body><div>I am out of the office until 4 January.</div><div>For urgent issues call the helpdesk.</div></body></html>
"""
case("out_of_office_exchange", raw, {
    "message_id": "<oof-14@corp.example>", "in_reply_to": "<sladesk.14.k.m@desk.example>", "references": ["<sladesk.14.k.m@desk.example>"],
    "from": addr("tom.brown@corp.example", "Tom Brown"), "to": [addr("support@desk.example", "Support")],
    "subject": "Automatic reply: [#14] Printer queue", "ticket_number": 14, "auto_generated": True,
    "text": "I am out of the office until 4 January.\nFor urgent issues call the helpdesk."})

# Unix vacation: Precedence: junk only.
raw = """From: Eva <eva@uni.example>
To: support@desk.example
Subject: away from my mail
Precedence: junk
Message-ID: <vac-1@uni.example>

I will not be reading my mail until Monday.
"""
case("vacation_precedence_junk", raw, {"message_id": "<vac-1@uni.example>", "from": addr("eva@uni.example", "Eva"),
    "to": [addr("support@desk.example")], "subject": "away from my mail", "auto_generated": True,
    "text": "I will not be reading my mail until Monday."})

# A human reply that carries Auto-Submitted: no and Precedence: first-class: not auto-generated.
raw = """From: Ben <ben@example.org>
To: support@desk.example
Subject: Re: [#15] ok
Auto-Submitted: no
Precedence: first-class
X-Auto-Response-Suppress: DR, RN, NRN
Message-ID: <human-15@example.org>

Thanks!
"""
case("human_with_auto_headers_no", raw, {"message_id": "<human-15@example.org>", "from": addr("ben@example.org", "Ben"),
    "to": [addr("support@desk.example")], "subject": "Re: [#15] ok", "ticket_number": 15, "text": "Thanks!"})

# Outlook with X-Auto-Response-Suppress containing OOF among other tokens.
raw = """From: Newsletter Robot <robot@shop.example>
To: support@desk.example
Subject: Your weekly summary
X-Auto-Response-Suppress: DR, OOF, AutoReply
Message-ID: <robot-1@shop.example>

3 orders shipped.
"""
case("auto_response_suppress_oof", raw, {"message_id": "<robot-1@shop.example>", "from": addr("robot@shop.example", "Newsletter Robot"),
    "to": [addr("support@desk.example")], "subject": "Your weekly summary", "auto_generated": True, "text": "3 orders shipped."})

# Mailman list post: List-Id, the footer part appended to text (and still listed), Precedence: list.
footer = "_______________________________________________\nusers mailing list\nusers@lists.example\nhttps://lists.example/mailman/listinfo/users"
raw = """From: Alice <alice@example.net>
To: users@lists.example
Cc: support@desk.example
Subject: [users] Password reset loops
Message-ID: <list-post-1@example.net>
List-Id: Users of the product <users.lists.example>
List-Unsubscribe: <https://lists.example/mailman/options/users>, <mailto:users-request@lists.example?subject=unsubscribe>
Precedence: list
Sender: "users" <users-bounces@lists.example>
Errors-To: users-bounces@lists.example
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="===============1234567890=="

--===============1234567890==
Content-Type: text/plain; charset="us-ascii"
Content-Transfer-Encoding: 7bit
Content-Disposition: inline

The reset link sends me back to the login page.

--===============1234567890==
Content-Type: text/plain; charset="us-ascii"
MIME-Version: 1.0
Content-Transfer-Encoding: 7bit
Content-Disposition: inline

%s
--===============1234567890==--
""" % footer
case("mailman_list_footer", raw, {"message_id": "<list-post-1@example.net>", "from": addr("alice@example.net", "Alice"),
    "to": [addr("users@lists.example")], "subject": "[users] Password reset loops", "auto_generated": True,
    "text": "The reset link sends me back to the login page.\n" + footer,
    "attachments": [att(None, "text/plain", len(footer))], "cc": [addr("support@desk.example")]})

# Mailman digest: multipart/digest, parts are message/rfc822 by default.
m1 = "From: a@example.net\nSubject: first\n\nOne.\n"
m2 = "From: b@example.net\nSubject: second\n\nTwo.\n"
raw = """From: users-request@lists.example
To: users@lists.example
Subject: users Digest, Vol 12, Issue 3
Message-ID: <digest-12-3@lists.example>
Precedence: list
List-Id: Users of the product <users.lists.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="===============D1=="

--===============D1==
Content-Type: text/plain; charset="us-ascii"
Content-Description: users Digest, Vol 12, Issue 3

Today's Topics:

   1. first
   2. second

--===============D1==
Content-Type: multipart/digest; boundary="===============D2=="

--===============D2==

%s
--===============D2==

%s
--===============D2==--

--===============D1==--
""" % (m1, m2)
case("mailman_digest", raw, {"message_id": "<digest-12-3@lists.example>", "from": addr("users-request@lists.example"),
    "to": [addr("users@lists.example")], "subject": "users Digest, Vol 12, Issue 3", "auto_generated": True,
    "text": "Today's Topics:\n\n   1. first\n   2. second",
    "attachments": [att(None, "message/rfc822", len(m1)), att(None, "message/rfc822", len(m2))]})

# Read receipt (MDN): multipart/report disposition-notification.
mdn = "Reporting-UA: corp.example; Microsoft Outlook\nFinal-Recipient: rfc822;tom.brown@corp.example\nOriginal-Message-ID: <sladesk.16.a.b@desk.example>\nDisposition: manual-action/MDN-sent-manually; displayed\n"
raw = """From: Tom Brown <tom.brown@corp.example>
To: support@desk.example
Subject: Read: [#16] Your request
Message-ID: <mdn-16@corp.example>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=disposition-notification; boundary="mdn"

--mdn
Content-Type: text/plain; charset="utf-8"

Your message was read on Tuesday.

--mdn
Content-Type: message/disposition-notification

%s
--mdn--
""" % mdn
case("read_receipt_mdn", raw, {"message_id": "<mdn-16@corp.example>", "from": addr("tom.brown@corp.example", "Tom Brown"),
    "to": [addr("support@desk.example")], "subject": "Read: [#16] Your request", "ticket_number": 16, "auto_generated": True,
    "text": "Your message was read on Tuesday.", "attachments": [att(None, "message/disposition-notification", len(mdn))]})

# Null Return-Path alone, and a Return-Path with spaces inside the brackets.
raw = """Return-Path: < >
From: Scanner <scanner@office.example>
To: support@desk.example
Subject: Scan from MFP
Message-ID: <scan-1@office.example>

Scanned document.
"""
case("null_return_path", raw, {"message_id": "<scan-1@office.example>", "from": addr("scanner@office.example", "Scanner"),
    "to": [addr("support@desk.example")], "subject": "Scan from MFP", "auto_generated": True, "text": "Scanned document."})
