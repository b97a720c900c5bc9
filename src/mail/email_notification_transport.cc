#include "mail/email_notification_transport.h"

#include "mail/mail_composer.h"

namespace sladesk::mail {

const char* DeliveryOutcomeName(DeliveryOutcome o) {
  switch (o) {
    case DeliveryOutcome::kSent: return "sent";
    case DeliveryOutcome::kRetryLater: return "retry_later";
    case DeliveryOutcome::kFailed: return "failed";
  }
  return "failed";
}

EmailNotificationTransport::EmailNotificationTransport(EmailTransportConfig config)
    : config_(std::move(config)), sender_(config_.smtp) {}

DeliveryResult EmailNotificationTransport::Deliver(const RenderedNotification& n, Instant now) const {
  OutgoingMessage m;
  m.from = config_.from;
  m.to.push_back(n.recipient);
  m.subject = n.subject;
  m.ticket_number = n.ticket_number;
  m.text = n.text;
  m.html = n.html;
  m.in_reply_to = n.in_reply_to;
  m.references = n.references;
  m.automatic = n.automatic;
  m.reply_marker = n.ticket_number.has_value();
  DeliveryResult out;
  auto composed = ComposeMessage(m, ComposeOptions{config_.domain, config_.secret, now, n.message_id_random});
  if (!composed.ok()) {
    out.outcome = DeliveryOutcome::kFailed;
    out.detail = composed.error().ToString();
    return out;
  }
  out.message_id = composed->message_id;
  const std::string& envelope = config_.envelope_from.empty() ? composed->envelope_from : config_.envelope_from;
  const SmtpResult r = sender_.Send(envelope, composed->recipients, composed->bytes);
  out.smtp_code = r.code;
  out.detail = r.detail;
  out.outcome = r.outcome == SmtpOutcome::kSent               ? DeliveryOutcome::kSent
                : r.outcome == SmtpOutcome::kPermanentFailure ? DeliveryOutcome::kFailed
                                                              : DeliveryOutcome::kRetryLater;
  return out;
}

}  // namespace sladesk::mail
