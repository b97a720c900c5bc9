// MailRepository: what the mail routing keeps besides tickets: the dedupe
// record of every inbound message, the log of automatic mail sent (the loop
// limit), bounced addresses, unknown-sender settings per domain, IMAP poll
// positions and the lease that lets one process poll a mailbox at a time.
//
// Purpose: the persistence MailIntake and the gateway need, in the desk's
// terms; storage implements it (SqlMailRepository) on the same connection
// and transaction as the DeskRepository of the unit of work.
// Absent rows are std::nullopt; errors are database failures. Inserting an
// inbound record whose (message_id, digest) exists is a kConflict (the
// store then runs the unit again, which finds the record).
// Thread-safety: not thread-safe; one transaction, one thread.
// Ownership: implementations borrow their connection.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "desk/mail_types.h"

namespace sladesk {

struct ImapPosition {
  std::string mailbox;  // the poller's name for it (URL and folder)
  std::int64_t uidvalidity = 0;
  std::int64_t last_uid = 0;
};

class MailRepository {
 public:
  virtual ~MailRepository() = default;

  virtual Result<std::optional<InboundMailRecord>> FindInbound(const std::string& message_id,
                                                               const std::string& digest) = 0;
  virtual Result<Id> InsertInbound(const InboundMailRecord& record) = 0;
  virtual Result<std::vector<InboundMailRecord>> ListInbound(std::optional<MailAction> action, int limit) = 0;
  // The held-mail console: a page of records in id order (raw included).
  virtual Result<std::vector<InboundMailRecord>> QueryInbound(const InboundQuery& query) = 0;
  virtual Result<std::optional<InboundMailRecord>> GetInbound(Id id) = 0;
  // Marks record `id` released (released_at, released_by, release_action,
  // released_ticket of `release`) unless it was released before: false
  // then, and nothing changes (the guard against releasing twice).
  virtual Result<bool> MarkReleased(Id id, const InboundMailRecord& release) = 0;

  // The Message-ID of the inbound mail that opened ticket `ticket_number`
  // (the thread the ticket's outgoing mail answers); nullopt when it was
  // not opened by mail.
  virtual Result<std::optional<std::string>> OpeningMessageId(std::int64_t ticket_number) = 0;

  virtual Status RecordOutbound(const OutboundMailRecord& record) = 0;
  // Automatic mails to `recipient` about `ticket_number` since `since`.
  virtual Result<std::int64_t> CountOutbound(std::int64_t ticket_number, const std::string& recipient,
                                             Instant since) = 0;

  virtual Status RecordBounce(const std::string& address, Instant at, const std::string& detail) = 0;
  virtual Result<std::optional<AddressBounce>> FindBounce(const std::string& address) = 0;

  virtual Status PutSenderRule(const SenderRule& rule) = 0;
  virtual Result<std::optional<SenderRule>> FindSenderRule(const std::string& domain) = 0;
  virtual Result<std::vector<SenderRule>> ListSenderRules() = 0;
  // True when there was a rule for `domain`.
  virtual Result<bool> DeleteSenderRule(const std::string& domain) = 0;

  virtual Result<std::optional<ImapPosition>> GetImapPosition(const std::string& mailbox) = 0;
  virtual Status PutImapPosition(const ImapPosition& position) = 0;

  // Takes or renews the lease `name` for `holder` until `until` when it is
  // free, expired (at `now`) or already the holder's; true when it is now
  // the holder's.
  virtual Result<bool> TryLease(const std::string& name, const std::string& holder, Instant now, Instant until) = 0;
  virtual Status ReleaseLease(const std::string& name, const std::string& holder) = 0;
};

}  // namespace sladesk
