// ComposeMessage: an OutgoingMessage as RFC 5322 bytes ready for SMTP.
//
// Purpose: the outbox's email writer. What every message gets:
// * Date from the injected `now` (RFC 5322, UTC), From/To/Cc/Reply-To with
//   RFC 2047 display names, Subject with the "[#N]" tag (RFC 2047 when not
//   ASCII), a signed Message-ID <sladesk.{ticket}.{random}.{hmac}@{domain}>
//   (message_id_signer.h), In-Reply-To and References for threading.
// * X-Auto-Response-Suppress: All (Exchange and Outlook send no
//   out-of-office or delivery receipts to it) on every message; on automatic
//   mail also Auto-Submitted: auto-replied (RFC 3834), so well-behaved
//   responders stay silent and sladesk's own mail coming back parses as
//   auto_generated.
// * Bodies in UTF-8 quoted-printable: text/plain alone, or
//   multipart/alternative with the HTML; attachments in multipart/mixed
//   (base64, RFC 2231 file names; a content_id makes a part inline).
// * CRLF line ends, no line over 78 characters in the headers, at most 76
//   in the bodies.
// Header injection is impossible: addresses, message ids and extra header
// names/values with CR, LF or NUL (or otherwise malformed) are refused with
// an Error naming the field; subjects and display names have line breaks
// turned into spaces before they are encoded.
// Thread-safety: pure function (the random part comes from OpenSSL's
// thread-safe CSPRNG unless given). Ownership: returns values.
#pragma once

#include <string>
#include <vector>

#include "common/instant.h"
#include "common/result.h"
#include "mail/outgoing_message.h"

namespace sladesk::mail {

struct ComposeOptions {
  std::string domain;  // the Message-ID's right-hand side, e.g. "desk.example"
  std::string secret;  // the server's HMAC key for Message-IDs
  Instant now;
  std::string random;  // 16 lower-case hex characters; empty: a fresh RandomToken() (tests pass one)
};

struct ComposedMessage {
  std::string message_id;               // "<sladesk.1042....@desk.example>"
  std::string envelope_from;            // from.address
  std::vector<std::string> recipients;  // to, cc and bcc addresses (the SMTP envelope)
  std::string bytes;                    // the message, CRLF line ends
};

Result<ComposedMessage> ComposeMessage(const OutgoingMessage& message, const ComposeOptions& options);

// RFC 5322 date-time in UTC: "Mon, 14 Dec 2026 09:00:00 +0000".
std::string FormatMailDate(Instant t);

// Quoted-printable (RFC 2045 §6.7) with CRLF hard line breaks, lines of at
// most 76 characters, "From " and "." at a line start encoded. A final line
// break in the text gives a final CRLF; none is added.
std::string EncodeQuotedPrintable(std::string_view text);

}  // namespace sladesk::mail
