#include "mailgate/outbox_email_transport.h"

#include <nlohmann/json.hpp>

#include <cstdio>

#include "storage/sql_mail_repository.h"

namespace sladesk::mailgate {
namespace {

// Mail a person wrote (an agent's reply) is not automatic; the rest is.
bool Automatic(const std::string& template_name) { return template_name != "agent_reply"; }

TransportResult Failed(std::string detail) {
  TransportResult r;
  r.outcome = TransportResult::Outcome::kFailed;
  r.detail = std::move(detail);
  return r;
}

}  // namespace

std::string OutboxEmailTransport::MessageIdRandom(const std::string& seed) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : seed) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

TransportResult OutboxEmailTransport::Send(const OutboxMessage& m) {
  const OutboxEntry& row = *m.entry;
  if (m.to_address.empty()) return Failed("the row names no e-mail address");
  const std::string to = EmailKey(m.to_address);
  const bool automatic = Automatic(row.template_name);
  // What the loop limit counts: automatic mail but refusals, whose answer
  // was counted when the intake decided it.
  const bool counted = automatic && row.template_name != "mail_refusal";
  const std::int64_t ticket = row.ticket_number;
  nlohmann::json payload = nlohmann::json::parse(row.payload_json, nullptr, false);
  if (!payload.is_object()) payload = nlohmann::json::object();

  // Bounced address, loop limit, the thread: one read unit on the store
  // (a reader connection; the writer stays free for the desk's changes).
  bool bounced = false;
  std::int64_t recent = 0;
  std::optional<std::string> opening;
  Status read = store_.RunRead([&](DeskRepository& repo) -> Status {
    auto mail = SqlMailRepository::ForUnit(repo);
    if (!mail.ok()) return mail.error();
    auto b = mail->FindBounce(to);
    if (!b.ok()) return b.error();
    bounced = b->has_value();
    if (counted) {
      auto n = mail->CountOutbound(ticket, to, m.now - options_.loop_window);
      if (!n.ok()) return n.error();
      recent = *n;
    }
    if (ticket > 0) {
      auto o = mail->OpeningMessageId(ticket);
      if (!o.ok()) return o.error();
      opening = *o;
    }
    return Status::Ok();
  });
  if (!read.ok()) {
    TransportResult r;
    r.outcome = TransportResult::Outcome::kRetry;
    r.detail = "the store: " + read.error().ToString();
    return r;
  }
  if (bounced) return Failed("bounced");
  if (counted && recent >= options_.loop_limit)
    return Failed("loop limit: " + std::to_string(recent) + " automatic mails to " + to + " about this ticket in " +
                  std::to_string(options_.loop_window.count()) + " s");

  mail::RenderedNotification n;
  n.recipient = {m.to_address, m.to_name};
  n.subject = m.subject;
  n.text = m.body;
  n.html = m.html;
  if (ticket > 0) n.ticket_number = ticket;
  if (opening && !opening->empty()) {
    n.in_reply_to = *opening;
    n.references.push_back(*opening);
  } else if (payload.contains("in_reply_to") && payload["in_reply_to"].is_string()) {
    n.in_reply_to = payload["in_reply_to"].get<std::string>();
    n.references.push_back(*n.in_reply_to);
  }
  n.automatic = automatic;
  n.message_id_random = MessageIdRandom(m.message_id);
  const mail::DeliveryResult d = email_.Deliver(n, m.now);

  TransportResult r;
  r.http_status = d.smtp_code;
  r.detail = d.detail;
  switch (d.outcome) {
    case mail::DeliveryOutcome::kSent: r.outcome = TransportResult::Outcome::kDelivered; break;
    case mail::DeliveryOutcome::kRetryLater: r.outcome = TransportResult::Outcome::kRetry; break;
    case mail::DeliveryOutcome::kFailed: r.outcome = TransportResult::Outcome::kFailed; break;
  }
  if (r.outcome == TransportResult::Outcome::kDelivered && counted) {
    // What the loop limit counts; a failure here does not unsend the mail.
    (void)store_.RunWrite([&](DeskRepository& repo) -> Status {
      auto mail = SqlMailRepository::ForUnit(repo);
      if (!mail.ok()) return mail.error();
      OutboundMailRecord rec;
      rec.ticket_number = ticket;
      rec.recipient = to;
      rec.kind = row.template_name;
      rec.at = m.now;
      return mail->RecordOutbound(rec);
    });
  }
  return r;
}

}  // namespace sladesk::mailgate
