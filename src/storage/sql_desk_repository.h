// SqlDeskRepository: DeskRepository written once in portable SQL over a
// SqlConnection (SQLite or PostgreSQL).
//
// Purpose: the one implementation both backends share, so one test suite
// covers both. Dialect differences are limited to row locks (FOR UPDATE on
// PostgreSQL) and the DDL in SchemaMigrations.
// Thread-safety: not thread-safe; used by the thread that owns the connection.
// Ownership: borrows the connection, which must outlive it.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>

#include "storage/desk_repository.h"
#include "storage/sql_connection.h"

namespace sladesk {

class SqlDeskRepository final : public DeskRepository {
 public:
  explicit SqlDeskRepository(SqlConnection& conn) : conn_(conn) {}

  Result<Id> InsertOrganisation(const Organisation& org) override;
  Result<std::optional<Organisation>> GetOrganisation(Id id, bool lock) override;
  Result<std::vector<Organisation>> ListOrganisations(Id after_id, int limit) override;
  Result<bool> UpdateOrganisation(const Organisation& org, std::int64_t expected_version) override;

  Result<Id> InsertUser(const User& user) override;
  Result<std::optional<User>> GetUser(Id id) override;
  Result<std::optional<User>> FindUserByEmail(const std::string& email) override;
  Result<std::vector<User>> ListUsers(std::optional<Id> organisation_id) override;
  Status UpdateUser(const User& user) override;
  Result<std::int64_t> CountNamedContacts(Id organisation_id) override;
  Status AppendContactAudit(const ContactAuditEntry& entry) override;
  Result<std::vector<ContactAuditEntry>> ListContactAudit(Id organisation_id) override;

  Result<Id> InsertToken(const ApiToken& token) override;
  Result<std::optional<ApiToken>> FindTokenByHash(const std::string& token_hash) override;
  Result<std::optional<std::pair<ApiToken, User>>> FindTokenUser(const std::string& token_hash) override;

  Result<std::int64_t> NextTicketNumber() override;
  Result<Id> InsertTicket(const Ticket& ticket) override;
  Result<std::optional<Ticket>> GetTicketByNumber(std::int64_t number, bool lock) override;
  Result<bool> UpdateTicket(const Ticket& ticket, std::int64_t expected_version) override;
  Result<std::vector<Ticket>> ListTickets(const TicketQuery& query) override;
  Result<std::int64_t> CountTicketsOpenedSince(Id organisation_id, Instant since) override;
  Result<std::int64_t> IncrementIncidents(Id organisation_id, Instant month_start) override;
  Result<std::int64_t> CountIncidents(Id organisation_id, Instant month_start) override;

  Status AppendEvent(const TicketEventRecord& event) override;
  Result<std::vector<TicketEventRecord>> ListEvents(Id ticket_id) override;

  Result<Id> InsertMessage(const Message& message) override;
  Result<std::vector<Message>> ListMessages(Id ticket_id, bool include_internal) override;
  Result<Id> InsertAttachment(const Attachment& attachment) override;
  Result<std::optional<Attachment>> GetAttachment(Id ticket_id, Id attachment_id) override;
  Result<std::vector<Attachment>> ListAttachments(Id ticket_id) override;

  Result<Id> InsertEscalation(const Escalation& escalation) override;
  Result<std::int64_t> CountEscalations(Id organisation_id) override;

  Result<std::optional<IdempotencyRecord>> FindIdempotency(Id user_id, const std::string& key) override;
  Status InsertIdempotency(const IdempotencyRecord& record) override;

  Status Ping() override;

  // For one write transaction (DeskStore's batches; never for readers):
  // what the transaction has locked cannot change under it until it ends,
  // so an organisation read FOR UPDATE, the ticket-number counter and an
  // organisation's monthly incident count are kept after their first read,
  // and later increments are queued with QueryDeferred instead of waiting
  // for an answer. Token look-ups are kept as well (a token revoked while a
  // batch runs still works for the rest of that batch, a few milliseconds).
  // Event appends are queued too. On PostgreSQL a create then waits on the
  // ticket insert and the end-of-unit flush only, instead of six round trips.
  void EnableBatchCaches() { caching_ = true; }
  // After a unit failed: its savepoint's rollback released its locks and
  // undid its increments, so nothing kept may be trusted.
  void DropBatchCaches();

 private:
  const char* LockSuffix(bool lock) const;
  Result<Id> InsertReturningId(const std::string& sql, const std::vector<SqlValue>& params);

  SqlConnection& conn_;
  bool caching_ = false;
  std::map<Id, Organisation> locked_organisations_;
  std::optional<std::int64_t> ticket_number_;
  std::map<std::pair<Id, Seconds>, std::int64_t> incidents_;  // (organisation, month start) -> opened
  std::map<std::string, std::pair<ApiToken, User>> token_users_;
};

}  // namespace sladesk
