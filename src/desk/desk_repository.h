// DeskRepository: the help desk's persistence, in the domain's terms.
//
// Purpose: everything the service reads and writes, as one interface with
// two real backends (SQLite, PostgreSQL) behind SqlDeskRepository. Every
// call runs inside the transaction the TransactionRunner opened; `lock`
// reads take a row lock where the backend has them (PostgreSQL FOR UPDATE;
// SQLite's write transaction already excludes other writers), which is what
// keeps several server processes from losing updates. Updates with an
// expected version return false when the row changed meanwhile.
// Absent rows are std::nullopt, not errors; errors are database failures.
// Thread-safety: not thread-safe; one transaction, one thread.
// Ownership: implementations borrow their connection.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"
#include "desk/compliance_repository.h"
#include "desk/desk_types.h"
#include "desk/outbox_repository.h"

namespace sladesk {

class DeskRepository {
 public:
  virtual ~DeskRepository() = default;

  // Organisations.
  virtual Result<Id> InsertOrganisation(const Organisation& org) = 0;
  virtual Result<std::optional<Organisation>> GetOrganisation(Id id, bool lock) = 0;
  virtual Result<std::vector<Organisation>> ListOrganisations(Id after_id, int limit) = 0;
  // Writes every field and bumps the version; false if the version moved.
  virtual Result<bool> UpdateOrganisation(const Organisation& org, std::int64_t expected_version) = 0;

  // People.
  virtual Result<Id> InsertUser(const User& user) = 0;
  virtual Result<std::optional<User>> GetUser(Id id) = 0;
  // Ignoring ASCII case (EmailKey).
  virtual Result<std::optional<User>> FindUserByEmail(const std::string& email) = 0;
  // Contacts of one organisation, or all staff when organisation_id is nullopt.
  virtual Result<std::vector<User>> ListUsers(std::optional<Id> organisation_id) = 0;
  virtual Status UpdateUser(const User& user) = 0;
  virtual Result<std::int64_t> CountNamedContacts(Id organisation_id) = 0;
  virtual Status AppendContactAudit(const ContactAuditEntry& entry) = 0;
  virtual Result<std::vector<ContactAuditEntry>> ListContactAudit(Id organisation_id) = 0;

  // API tokens.
  virtual Result<Id> InsertToken(const ApiToken& token) = 0;
  virtual Result<std::optional<ApiToken>> FindTokenByHash(const std::string& token_hash) = 0;
  // The token and its user in one query (every API request authenticates).
  virtual Result<std::optional<std::pair<ApiToken, User>>> FindTokenUser(const std::string& token_hash) = 0;

  // Passwords and browser sessions. A password hash is an Argon2id string
  // (empty: the user has no password). Sign-in failures are counted per
  // subject ("email:<key>", "address:<ip>") since an instant.
  virtual Status SetPasswordHash(Id user_id, const std::string& hash) = 0;
  virtual Result<std::optional<std::string>> GetPasswordHash(Id user_id) = 0;
  virtual Status InsertSession(const Session& session) = 0;
  // The session and its user in one query.
  virtual Result<std::optional<std::pair<Session, User>>> FindSessionUser(const std::string& token_hash) = 0;
  virtual Status RevokeSession(const std::string& token_hash) = 0;
  virtual Status RecordSignInFailure(const std::string& subject, Instant at) = 0;
  virtual Result<std::int64_t> CountSignInFailures(const std::string& subject, Instant since) = 0;
  virtual Status ClearSignInFailures(const std::string& subject) = 0;

  // Tickets.
  // Allocates the next ticket number; unique across every process sharing the database.
  virtual Result<std::int64_t> NextTicketNumber() = 0;
  virtual Result<Id> InsertTicket(const Ticket& ticket) = 0;
  virtual Result<std::optional<Ticket>> GetTicketByNumber(std::int64_t number, bool lock) = 0;
  virtual Result<bool> UpdateTicket(const Ticket& ticket, std::int64_t expected_version) = 0;
  virtual Result<std::vector<Ticket>> ListTickets(const TicketQuery& query) = 0;
  // The same filters and order, only the queue's columns (with names joined in).
  virtual Result<std::vector<QueueRow>> ListQueue(const TicketQuery& query) = 0;
  virtual Result<std::int64_t> CountTicketsOpenedSince(Id organisation_id, Instant since) = 0;
  // Incidents opened per organisation and quota month, kept as a counter so
  // the quota check costs one row whatever the ticket count. Increment
  // returns the count including this ticket.
  virtual Result<std::int64_t> IncrementIncidents(Id organisation_id, Instant month_start) = 0;
  virtual Result<std::int64_t> CountIncidents(Id organisation_id, Instant month_start) = 0;

  // The append-only event log. Appending may be deferred to the end of the
  // unit of work (its failure then fails the unit), so it returns no id.
  virtual Status AppendEvent(const TicketEventRecord& event) = 0;
  virtual Result<std::vector<TicketEventRecord>> ListEvents(Id ticket_id) = 0;

  // Conversation.
  virtual Result<Id> InsertMessage(const Message& message) = 0;
  virtual Result<std::vector<Message>> ListMessages(Id ticket_id, bool include_internal) = 0;
  virtual Result<Id> InsertAttachment(const Attachment& attachment) = 0;
  virtual Result<std::optional<Attachment>> GetAttachment(Id ticket_id, Id attachment_id) = 0;
  virtual Result<std::vector<Attachment>> ListAttachments(Id ticket_id) = 0;  // metadata only

  // Support time logged on tickets; the sum per organisation over [from, to).
  virtual Result<Id> InsertTimeEntry(const TimeEntry& entry) = 0;
  virtual Result<std::vector<TimeEntry>> ListTimeEntries(Id ticket_id) = 0;
  virtual Result<Seconds> SumTimeSeconds(Id organisation_id, Instant from, Instant to) = 0;

  // Escalation requests, counted per organisation.
  virtual Result<Id> InsertEscalation(const Escalation& escalation) = 0;
  virtual Result<std::int64_t> CountEscalations(Id organisation_id) = 0;
  // Those requested at or after `since` (the policy's excessive-escalations window).
  virtual Result<std::int64_t> CountEscalationsSince(Id organisation_id, Instant since) = 0;

  // Idempotency keys for creates.
  virtual Result<std::optional<IdempotencyRecord>> FindIdempotency(Id user_id, const std::string& key) = 0;
  virtual Status InsertIdempotency(const IdempotencyRecord& record) = 0;

  // The SLA scheduler (desk/ticket_clock_service.h). Each ticket's next
  // fire instant, written by every save (nullopt deletes it; writing clears
  // a lease). Claiming leases up to `limit` rows due by `now` that no live
  // lease holds until `lease_until` (PostgreSQL: FOR UPDATE SKIP LOCKED, so
  // concurrent claims never take the same row), earliest first. A firing
  // is recorded under its unique key: kConflict when it was recorded before.
  virtual Status SetTicketDue(Id ticket_id, std::int64_t number, std::optional<Instant> due) = 0;
  virtual Result<std::vector<DueTicket>> ClaimDueTickets(Instant now, Instant lease_until, int limit) = 0;
  // The earliest due instant not under a live lease at `now`.
  virtual Result<std::optional<Instant>> EarliestDue(Instant now) = 0;
  virtual Result<std::int64_t> CountDue(Instant up_to) = 0;
  virtual Status ReleaseLeases() = 0;  // start-up of the only process (SQLite)
  virtual Status RecordFiring(const FiringRecord& firing) = 0;
  // Remedy periods (seed 001 downtime) whose end has come by `now`: marks up
  // to `limit` of them ended at their ends_at and returns them; a period is
  // returned to one caller only (PostgreSQL: SKIP LOCKED; the mark).
  virtual Result<std::vector<RemedyPeriodRecord>> EndRemedyPeriods(Instant now, int limit) = 0;
  virtual Result<std::optional<Instant>> EarliestRemedyEnd() = 0;

  // A trivial query: proves the database answers (for /healthz).
  virtual Status Ping() = 0;

  // Incidents, maintenance, downtime notices, remedy periods, RCA tasks and
  // the report scan, in this same transaction (compliance_repository.h).
  virtual ComplianceRepository& compliance() = 0;
  // The outbox in the same transaction (notifications are written with the
  // change that causes them); nullptr where the backend keeps none.
  virtual OutboxRepository* outbox() { return nullptr; }
};

}  // namespace sladesk
