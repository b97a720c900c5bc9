// MailGateway: inbound mail into the desk, and the answers it sends.
//
// Purpose: what `sladesk mail ingest`, `mail poll` and `serve --imap` share.
// Ingest() decodes one message (DecodeInbound), runs the routing rules
// (MailIntake) as one unit of work on the DeskStore, and when a service
// refused the message, records the refusal in a second unit. Then it sends
// the answer the rules asked for (the acknowledgement of a new ticket,
// rendered from templates/ticket_acknowledgement.{txt,html}.mustache with
// the ticket number and the assigned officer; or a polite refusal) through
// the EmailNotificationTransport.
// INTERIM PATH: answers go straight to SMTP after the commit. When the
// outbox (operations issue) merges, the gateway hands them to it instead
// (same transport, with retries and a sent mark); a crash between commit
// and send loses that one answer, never the ticket.
// Errors: kInvalid for input that is not mail; kUnavailable when the
// store cannot be reached (the MTA should retry: EX_TEMPFAIL).
// Thread-safety: Ingest is safe from several threads (the store
// serialises writes). Ownership: borrows the store, clock, transport and
// renderer (all must outlive it); owns its configuration.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "common/clock.h"
#include "desk/mail_intake.h"
#include "mail/email_notification_transport.h"
#include "notify/template_renderer.h"
#include "storage/desk_store.h"

namespace sladesk::mailgate {

struct MailGatewayConfig {
  std::string secret;                     // Message-ID HMAC key (the same for every process of a desk)
  std::string desk_name = "Support";
  std::string portal_url;                 // "https://desk.example": ticket links in answers
  MailIntakeOptions intake;
  // The outbox's email transport is wired (serve with SMTP): the
  // acknowledgement of a mail-opened ticket is the email row the
  // NotificationPlanner wrote with the ticket, sent by the dispatcher with
  // retries; the gateway does not send it a second time.
  bool acknowledgements_via_outbox = false;
};

struct IngestResult {
  MailOutcome outcome;
  std::string message_id;                      // of the inbound message
  std::optional<mail::DeliveryResult> answer;  // when an answer was sent (or tried)
};

class MailGateway {
 public:
  MailGateway(DeskStore& store, std::shared_ptr<const PolicyRegistry> policies, MailGatewayConfig config,
              const Clock& clock, const mail::EmailNotificationTransport* transport,
              const TemplateRenderer* templates)
      : store_(store), policies_(std::move(policies)), config_(std::move(config)), clock_(clock),
        transport_(transport), templates_(templates) {}

  Result<IngestResult> Ingest(std::string_view raw, std::string_view source);

  // Many messages (a maildir, an mbox, a replay): `next` fills `raw` and
  // returns false at the end. Messages are read in chunks of 64, decoded on
  // up to 4 threads (one per core) and their units of work queued, in the
  // messages' order, on the store up to `window` at a time, so the store's group
  // commit stores many per transaction; answers are sent from this thread
  // as results come back. Input that is not mail is counted and skipped;
  // the store failing stops the import (kUnavailable) after what was queued.
  struct ImportStats {
    std::size_t messages = 0, stored = 0, duplicates = 0, not_mail = 0, answers_sent = 0, answers_failed = 0;
    std::map<std::string, std::size_t> actions;  // MailActionName -> count
  };
  Result<ImportStats> IngestMany(const std::function<Result<bool>(std::string& raw)>& next, std::string_view source,
                                 std::size_t window = 512);

  // The acknowledgement of a ticket opened by mail (public for tests).
  Result<mail::RenderedNotification> RenderAcknowledgement(const InboundMail& in, const MailOutcome& out) const;

 private:
  std::optional<mail::DeliveryResult> SendAnswer(const InboundMail& in, const MailOutcome& out);
  // Queues the routing of `in` (and the refusal unit when a service
  // refuses it); `done` runs on a store thread.
  void Submit(std::shared_ptr<const InboundMail> in, Instant now, std::function<void(Result<MailOutcome>)> done);

  DeskStore& store_;
  std::shared_ptr<const PolicyRegistry> policies_;
  MailGatewayConfig config_;
  const Clock& clock_;
  const mail::EmailNotificationTransport* transport_;
  const TemplateRenderer* templates_;
};

}  // namespace sladesk::mailgate
