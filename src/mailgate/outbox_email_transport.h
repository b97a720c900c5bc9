// OutboxEmailTransport: the email channel of the outbox dispatcher, an
// adapter from OutboxTransport to mail::EmailNotificationTransport.
//
// Purpose: the dispatcher renders an email row (subject, text and HTML
// from the templates) and hands it here; this writes it as mail (a
// Message-ID sladesk signs for the ticket, whose random part is derived
// from the row's message id seed so every retry of the row carries the
// same Message-ID; In-Reply-To/References to the customer's message that
// opened the ticket, or to the message a refusal answers; the "[#N]" tag;
// Auto-Submitted on automatic mail, i.e. everything but an agent's reply)
// and maps SMTP's answer to the row's next state:
//   250                      delivered (the dispatcher writes the sent mark)
//   4xx, no connection, TLS  retry, with the dispatcher's backoff
//   5xx, unwritable message  failed
// Before sending it checks, on the store: a recorded bounce of the address
// (failed, reason "bounced", nothing sent) and the loop limit (at most
// `loop_limit` automatic mails per recipient and ticket in `loop_window`:
// failed, reason "loop limit"); a sent automatic mail is logged in
// mail_outbound, which the limit counts.
// Lives in src/mailgate (which may use ops, mail and storage); ops does not
// depend on mail.
// Thread-safety: Send runs on the dispatcher's thread only.
// Ownership: owns the EmailNotificationTransport; borrows the store, which
// outlives it.
#pragma once

#include <memory>

#include "mail/email_notification_transport.h"
#include "ops/outbox_transport.h"
#include "storage/desk_store.h"

namespace sladesk::mailgate {

struct OutboxEmailOptions {
  std::int64_t loop_limit = 10;
  std::chrono::seconds loop_window{600};
};

class OutboxEmailTransport final : public OutboxTransport {
 public:
  OutboxEmailTransport(DeskStore& store, mail::EmailTransportConfig config, OutboxEmailOptions options = {})
      : store_(store), email_(std::move(config)), options_(options) {}
  OutboxChannel channel() const override { return OutboxChannel::kEmail; }
  TransportResult Send(const OutboxMessage& message) override;

  // The Message-ID's random part for a row's seed: 16 hex characters, the
  // same for the same seed (FNV-1a, 64 bits).
  static std::string MessageIdRandom(const std::string& seed);

 private:
  DeskStore& store_;
  mail::EmailNotificationTransport email_;
  OutboxEmailOptions options_;
};

}  // namespace sladesk::mailgate
