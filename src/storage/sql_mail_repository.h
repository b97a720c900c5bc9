// SqlMailRepository: MailRepository in portable SQL over a SqlConnection
// (SQLite or PostgreSQL), tables of migration 6 (and the release columns of migration 10).
//
// Purpose: the mail routing's records on the connection of the unit of
// work: construct it from the DeskRepository the store hands the unit
// (ForUnit), so the dedupe row and the ticket change commit together.
// Thread-safety: not thread-safe; used by the thread that owns the connection.
// Ownership: borrows the connection, which must outlive it.
#pragma once

#include "desk/desk_repository.h"
#include "desk/mail_repository.h"
#include "storage/sql_connection.h"

namespace sladesk {

class SqlMailRepository final : public MailRepository {
 public:
  explicit SqlMailRepository(SqlConnection& conn) : conn_(conn) {}
  // The mail repository on the same connection as `desk` (a repository the
  // DeskStore created); kInternal for any other DeskRepository.
  static Result<SqlMailRepository> ForUnit(DeskRepository& desk);

  Result<std::optional<InboundMailRecord>> FindInbound(const std::string& message_id,
                                                       const std::string& digest) override;
  Result<Id> InsertInbound(const InboundMailRecord& record) override;
  Result<std::vector<InboundMailRecord>> ListInbound(std::optional<MailAction> action, int limit) override;
  Result<std::vector<InboundMailRecord>> QueryInbound(const InboundQuery& query) override;
  Result<std::optional<InboundMailRecord>> GetInbound(Id id) override;
  Result<bool> MarkReleased(Id id, const InboundMailRecord& release) override;
  Result<std::vector<SenderRule>> ListSenderRules() override;
  Result<bool> DeleteSenderRule(const std::string& domain) override;
  Result<std::optional<std::string>> OpeningMessageId(std::int64_t ticket_number) override;
  Status RecordOutbound(const OutboundMailRecord& record) override;
  Result<std::int64_t> CountOutbound(std::int64_t ticket_number, const std::string& recipient,
                                     Instant since) override;
  Status RecordBounce(const std::string& address, Instant at, const std::string& detail) override;
  Result<std::optional<AddressBounce>> FindBounce(const std::string& address) override;
  Status PutSenderRule(const SenderRule& rule) override;
  Result<std::optional<SenderRule>> FindSenderRule(const std::string& domain) override;
  Result<std::optional<ImapPosition>> GetImapPosition(const std::string& mailbox) override;
  Status PutImapPosition(const ImapPosition& position) override;
  Result<bool> TryLease(const std::string& name, const std::string& holder, Instant now, Instant until) override;
  Status ReleaseLease(const std::string& name, const std::string& holder) override;

 private:
  SqlConnection& conn_;
};

}  // namespace sladesk
