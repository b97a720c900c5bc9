// MailGateway: inbound mail into the desk, and the answers it asks for.
//
// Purpose: what `sladesk mail ingest`, `mail poll` and `serve --imap` share.
// Ingest() decodes one message (DecodeInbound), runs the routing rules
// (MailIntake) as one unit of work on the DeskStore, and when a service
// refused the message, records the refusal in a second unit. Answers are
// outbox rows written in those units (the acknowledgement of a new ticket
// by the NotificationPlanner, a refusal by MailIntake), so an answer is
// never lost with a crash after the commit and never sent twice:
// * in `serve`, the server's OutboxDispatcher sends them (woken by the
//   commit), with retries;
// * in the one-shot commands, `answers` (a dispatcher with the email
//   transport, not running its thread) drains right after the commit the
//   email rows of the tickets this message touched and the refusals,
//   claimed like any dispatcher's, so a `serve --smtp` next to it never
//   sends them a second time; a row the SMTP server defers waits for the
//   server's dispatcher (or the next message on that ticket).
// Errors: kInvalid for input that is not mail; kUnavailable when the
// store cannot be reached (the MTA should retry: EX_TEMPFAIL).
// Thread-safety: Ingest is safe from several threads (the store
// serialises writes) when `answers` is null; with `answers`, from one
// thread. Ownership: borrows the store, clock and dispatcher (all must
// outlive it); owns its configuration.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "common/clock.h"
#include "desk/mail_intake.h"
#include "ops/outbox_dispatcher.h"
#include "storage/desk_store.h"

namespace sladesk::mailgate {

struct MailGatewayConfig {
  std::string secret;                     // Message-ID HMAC key (the same for every process of a desk)
  std::string desk_name = "Support";
  std::string portal_url;                 // "https://desk.example": ticket links in answers
  MailIntakeOptions intake;
};

// What the answers drained after a message came to (one-shot commands).
struct AnswerCounts {
  std::size_t sent = 0, retry = 0, failed = 0;
};

struct IngestResult {
  MailOutcome outcome;
  std::string message_id;              // of the inbound message
  std::optional<AnswerCounts> answers;  // with a dispatcher: the email rows it drained
};

class MailGateway {
 public:
  MailGateway(DeskStore& store, std::shared_ptr<const PolicyRegistry> policies, MailGatewayConfig config,
              const Clock& clock, OutboxDispatcher* answers = nullptr)
      : store_(store), policies_(std::move(policies)), config_(std::move(config)), clock_(clock),
        answers_(answers) {}

  Result<IngestResult> Ingest(std::string_view raw, std::string_view source);

  // Many messages (a maildir, an mbox, a replay): `next` fills `raw` and
  // returns false at the end. Messages are read in chunks of 64, decoded on
  // up to 4 threads (one per core) and their units of work queued, in the
  // messages' order, on the store up to `window` at a time, so the store's group
  // commit stores many per transaction; with `answers`, the email rows of
  // the tickets the messages touched are drained at the end. Input that is
  // not mail is counted and skipped;
  // the store failing stops the import (kUnavailable) after what was queued.
  struct ImportStats {
    std::size_t messages = 0, stored = 0, duplicates = 0, not_mail = 0;
    AnswerCounts answers;
    std::map<std::string, std::size_t> actions;  // MailActionName -> count
  };
  Result<ImportStats> IngestMany(const std::function<Result<bool>(std::string& raw)>& next, std::string_view source,
                                 std::size_t window = 512);

 private:
  // Sends the due email rows of `tickets` (0: refusals) through answers_.
  AnswerCounts SendAnswers(std::vector<std::int64_t> tickets);
  // Queues the routing of `in` (and the refusal unit when a service
  // refuses it); `done` runs on a store thread.
  void Submit(std::shared_ptr<const InboundMail> in, Instant now, std::function<void(Result<MailOutcome>)> done);

  DeskStore& store_;
  std::shared_ptr<const PolicyRegistry> policies_;
  MailGatewayConfig config_;
  const Clock& clock_;
  OutboxDispatcher* answers_;
};

}  // namespace sladesk::mailgate
