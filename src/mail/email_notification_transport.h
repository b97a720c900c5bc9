// EmailNotificationTransport: one rendered notification sent as mail.
//
// Purpose: the email channel of the outbox's transport seam (the outbox and
// its dispatcher come with the operations issue; until they merge, the mail
// gateway calls this directly for acknowledgements). It takes what the
// templates rendered (recipient, subject, text and HTML bodies, the ticket
// number, the thread's message ids) and sends it through SmtpSender with:
// a Message-ID sladesk signs (so replies thread and our own mail coming
// back is recognised), In-Reply-To/References, the "[#N]" subject tag,
// Auto-Submitted: auto-replied on automatic mail (RFC 3834),
// multipart/alternative when there is HTML, and the reply marker.
// The outcome is what the outbox does next: kSent (the server said 250:
// mark it sent), kRetryLater (4xx, no connection: back off and retry),
// kFailed (5xx, or a message that cannot be written: record the failure).
// Thread-safety: Deliver is const and safe to call concurrently.
// Ownership: owns its configuration and sender.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/instant.h"
#include "mail/outgoing_message.h"
#include "mail/smtp_sender.h"

namespace sladesk::mail {

struct RenderedNotification {
  OutgoingAddress recipient;
  std::string subject;  // without the tag
  std::string text;
  std::string html;     // empty: text only
  std::optional<std::int64_t> ticket_number;
  std::optional<std::string> in_reply_to;  // the message answered
  std::vector<std::string> references;     // oldest first
  bool automatic = true;                   // no person wrote it
  // 16 lower-case hex characters for the Message-ID's random part; empty:
  // fresh. The outbox passes one derived from the row, so a retry after a
  // crash re-sends the same Message-ID.
  std::string message_id_random;
};

enum class DeliveryOutcome { kSent, kRetryLater, kFailed };
const char* DeliveryOutcomeName(DeliveryOutcome o);  // "sent", "retry_later", "failed"

struct DeliveryResult {
  DeliveryOutcome outcome = DeliveryOutcome::kRetryLater;
  std::string message_id;  // the Message-ID sent (set when the message was written)
  int smtp_code = 0;
  std::string detail;
};

struct EmailTransportConfig {
  SmtpConfig smtp;
  OutgoingAddress from;      // "support@desk.example"
  std::string domain;        // Message-ID right-hand side
  std::string secret;        // Message-ID HMAC key
  std::string envelope_from; // empty: from.address
};

class EmailNotificationTransport {
 public:
  explicit EmailNotificationTransport(EmailTransportConfig config);
  DeliveryResult Deliver(const RenderedNotification& n, Instant now) const;

 private:
  EmailTransportConfig config_;
  SmtpSender sender_;
};

}  // namespace sladesk::mail
