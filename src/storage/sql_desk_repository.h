// SqlDeskRepository: DeskRepository written once in portable SQL over a
// SqlConnection (SQLite or PostgreSQL). SQL only: what a write transaction
// may keep between statements is BatchDeskRepository's (a subclass).
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
#include <vector>

#include "desk/desk_repository.h"
#include "storage/sql_compliance_repository.h"
#include "storage/sql_connection.h"
#include "storage/sql_outbox_repository.h"

namespace sladesk {

class SqlDeskRepository : public DeskRepository {
 public:
  explicit SqlDeskRepository(SqlConnection& conn) : conn_(conn), compliance_(conn), outbox_(conn) {}

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

  Status SetPasswordHash(Id user_id, const std::string& hash) override;
  Result<std::optional<std::string>> GetPasswordHash(Id user_id) override;
  Status InsertSession(const Session& session) override;
  Result<std::optional<std::pair<Session, User>>> FindSessionUser(const std::string& token_hash) override;
  Status RevokeSession(const std::string& token_hash) override;
  Status RecordSignInFailure(const std::string& subject, Instant at) override;
  Result<std::int64_t> CountSignInFailures(const std::string& subject, Instant since) override;
  Status ClearSignInFailures(const std::string& subject) override;

  Result<std::int64_t> NextTicketNumber() override;
  Result<Id> InsertTicket(const Ticket& ticket) override;
  Result<std::optional<Ticket>> GetTicketByNumber(std::int64_t number, bool lock) override;
  Result<bool> UpdateTicket(const Ticket& ticket, std::int64_t expected_version) override;
  Result<std::vector<Ticket>> ListTickets(const TicketQuery& query) override;
  Result<std::vector<QueueRow>> ListQueue(const TicketQuery& query) override;
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

  Result<Id> InsertTimeEntry(const TimeEntry& entry) override;
  Result<std::vector<TimeEntry>> ListTimeEntries(Id ticket_id) override;
  Result<Seconds> SumTimeSeconds(Id organisation_id, Instant from, Instant to) override;

  Result<Id> InsertEscalation(const Escalation& escalation) override;
  Result<std::int64_t> CountEscalations(Id organisation_id) override;
  // In sql_desk_repository_counts.cc (this file's .cc is at the size cap).
  Result<std::int64_t> CountEscalationsSince(Id organisation_id, Instant since) override;

  Result<std::optional<IdempotencyRecord>> FindIdempotency(Id user_id, const std::string& key) override;
  Status InsertIdempotency(const IdempotencyRecord& record) override;

  // The scheduler's part (sql_schedule_repository.cc).
  Status SetTicketDue(Id ticket_id, std::int64_t number, std::optional<Instant> due) override;
  Result<std::vector<DueTicket>> ClaimDueTickets(Instant now, Instant lease_until, int limit) override;
  Result<std::optional<Instant>> EarliestDue(Instant now) override;
  Result<std::int64_t> CountDue(Instant up_to) override;
  Status ReleaseLeases() override;
  Status RecordFiring(const FiringRecord& firing) override;
  Result<std::vector<RemedyPeriodRecord>> EndRemedyPeriods(Instant now, int limit) override;
  Result<std::optional<Instant>> EarliestRemedyEnd() override;

  Status Ping() override;
  ComplianceRepository& compliance() override { return compliance_; }
  OutboxRepository* outbox() override { return &outbox_; }
  std::size_t outbox_rows_enqueued() const { return outbox_.enqueued(); }

  SqlDialect dialect() const { return conn_.dialect(); }
  // The connection (and transaction) this repository runs on, for the
  // repositories of other areas in the same unit of work (SqlMailRepository).
  SqlConnection& connection() const { return conn_; }

 protected:
  // Primitives for BatchDeskRepository, which queues writes whose outcome
  // it already knows. With an id (reserved by ReserveIds) the insert is
  // queued and answers nothing; without, it waits for RETURNING id.
  Result<Id> InsertTicketWithId(const Ticket& ticket, std::optional<Id> id);
  Result<Id> InsertMessageWithId(const Message& message, std::optional<Id> id);
  // `queue`: the row is locked at this version, so the update is known to
  // match; send it without waiting for its answer.
  Result<bool> UpdateTicketAt(const Ticket& ticket, std::int64_t expected_version, bool queue);
  Status QueueTicketCounter(std::int64_t value);
  Status QueueIncidentCount(Id organisation_id, Instant month_start, std::int64_t value);
  // `count` new ids of `table` (PostgreSQL: from its sequence, never handed
  // out twice; SQLite: MAX(id) + 1 onwards, valid under the write lock).
  Result<std::vector<Id>> ReserveIds(const std::string& table, std::size_t count);

 private:
  const char* LockSuffix(bool lock) const;
  Result<Id> InsertReturningId(const std::string& sql, const std::vector<SqlValue>& params);

  SqlConnection& conn_;
  SqlComplianceRepository compliance_;  // the same connection (sql_compliance_repository.cc)
  SqlOutboxRepository outbox_;
};

}  // namespace sladesk
