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
#include <vector>

#include "desk/desk_repository.h"
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

  Result<std::optional<IdempotencyRecord>> FindIdempotency(Id user_id, const std::string& key) override;
  Status InsertIdempotency(const IdempotencyRecord& record) override;

  Status Ping() override;

  // For one write transaction (DeskStore's batches; never for readers):
  // what the transaction has locked cannot change under it until it ends,
  // so an organisation read FOR UPDATE, the ticket-number counter and an
  // organisation's monthly incident count are kept after their first read,
  // and later increments wait for nothing (see FinishBatch). A ticket read
  // FOR UPDATE cannot change either, so its update at that version is
  // queued (it is known to match). Token look-ups and organisations read
  // without a lock are kept as well: a token revoked or a plan changed by
  // another process while a batch runs takes effect at the next batch, a
  // few milliseconds later.
  // Ticket and message ids are reserved up front (`units`, the batch's
  // size, at a time: from the PostgreSQL sequence, or SQLite's MAX(id)
  // under its write lock), so inserts are queued too: after the first
  // create of a batch, a create waits on nothing.
  void EnableBatchCaches(std::size_t units) {
    caching_ = true;
    batch_units_ = units == 0 ? 1 : units;
  }
  // Within a batch the ticket-number counter and the incident counts are
  // written once, by FinishBatch, not once per create: the value is known
  // (the row is locked) and only the last one matters.
  // Call BeginUnit before each unit, and after a unit failed, UndoUnit: the
  // counts go back to what they were before the unit (its increments never
  // reached the database), and everything else kept is dropped, since a
  // savepoint's rollback may have released the locks it was read under.
  // Reserved ids stay reserved: an id is never handed out twice, gaps are
  // harmless.
  void BeginUnit();
  void UndoUnit();
  // Queues the counters' final values; before COMMIT, as a unit of its own.
  [[nodiscard]] Status FinishBatch();

 private:
  const char* LockSuffix(bool lock) const;
  Result<Id> InsertReturningId(const std::string& sql, const std::vector<SqlValue>& params);
  // A new row id for `table` (tickets, messages) before its insert.
  Result<Id> ReserveId(const std::string& table);

  SqlConnection& conn_;
  bool caching_ = false;
  std::size_t batch_units_ = 1;
  std::map<std::string, std::vector<Id>> spare_ids_;  // PostgreSQL: reserved from each sequence, taken from the back
  std::map<std::string, Id> next_ids_;                 // SQLite: MAX(id) + 1 under the write lock
  std::map<Id, Organisation> read_organisations_;      // read without a lock in this transaction
  std::map<Id, std::int64_t> locked_ticket_versions_;  // ticket id -> version, read FOR UPDATE
  std::map<Id, Organisation> locked_organisations_;
  // A locked counter row: what the database holds, and the value with this
  // batch's later increments (written by FinishBatch).
  struct Counter {
    std::int64_t stored = 0;
    std::int64_t value = 0;
  };
  using IncidentKey = std::pair<Id, Seconds>;  // (organisation, quota month start)
  std::optional<Counter> ticket_number_;
  std::map<IncidentKey, Counter> incidents_;
  // Their state before the current unit, for UndoUnit.
  std::optional<Counter> unit_ticket_number_;
  std::map<IncidentKey, Counter> unit_incidents_;
  std::map<std::string, std::pair<ApiToken, User>> token_users_;
};

}  // namespace sladesk
