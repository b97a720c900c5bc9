// BatchDeskRepository: SqlDeskRepository for one write transaction of the
// DeskStore's group commit, keeping what the transaction has locked.
//
// Purpose: what the transaction has locked cannot change under it until it
// ends, so an organisation read FOR UPDATE, the ticket-number counter and
// an organisation's monthly incident count are kept after their first
// read, and later increments wait for nothing (FinishBatch writes the
// counters once). A ticket read FOR UPDATE cannot change either, so its
// update at that version is queued (it is known to match). Token look-ups
// and organisations read without a lock are kept as well: a token revoked
// or a plan changed by another process while a batch runs takes effect at
// the next batch, a few milliseconds later. Ticket and message ids are
// reserved up front (`units`, the batch's size, at a time: from the
// PostgreSQL sequence, or SQLite's MAX(id) under its write lock), so
// inserts are queued too: after the first create of a batch, a create
// waits on nothing.
// Call BeginUnit before each unit and, after a unit failed, UndoUnit: the
// counts go back to what they were before the unit (its increments never
// reached the database) and everything else kept is dropped, since a
// savepoint's rollback may have released the locks it was read under.
// Reserved ids stay reserved: an id is never handed out twice, gaps are
// harmless. FinishBatch queues the counters' final values; call it before
// COMMIT, as a unit of its own.
// Thread-safety: one transaction, one thread. Ownership: borrows the
// connection.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "storage/sql_desk_repository.h"

namespace sladesk {

class BatchDeskRepository final : public SqlDeskRepository {
 public:
  BatchDeskRepository(SqlConnection& conn, std::size_t units) : SqlDeskRepository(conn), units_(units ? units : 1) {}

  void BeginUnit();
  void UndoUnit();
  [[nodiscard]] Status FinishBatch();

  Result<std::optional<Organisation>> GetOrganisation(Id id, bool lock) override;
  Result<bool> UpdateOrganisation(const Organisation& org, std::int64_t expected_version) override;
  Status UpdateUser(const User& user) override;
  Result<Id> InsertUser(const User& user) override;
  // Kept for the transaction like organisations read without a lock: the
  // notifications of every firing read the requester and the staff list.
  Result<std::optional<User>> GetUser(Id id) override;
  Result<std::vector<User>> ListUsers(std::optional<Id> organisation_id) override;
  Result<std::optional<std::pair<ApiToken, User>>> FindTokenUser(const std::string& token_hash) override;
  Result<std::int64_t> NextTicketNumber() override;
  Result<Id> InsertTicket(const Ticket& ticket) override;
  Result<std::optional<Ticket>> GetTicketByNumber(std::int64_t number, bool lock) override;
  Result<bool> UpdateTicket(const Ticket& ticket, std::int64_t expected_version) override;
  Result<std::int64_t> IncrementIncidents(Id organisation_id, Instant month_start) override;
  Result<std::int64_t> CountIncidents(Id organisation_id, Instant month_start) override;
  Result<Id> InsertMessage(const Message& message) override;

 private:
  // A new row id for `table` (tickets, messages) before its insert.
  Result<Id> ReserveId(const std::string& table);

  const std::size_t units_;
  std::map<std::string, std::vector<Id>> spare_ids_;  // PostgreSQL: reserved from each sequence, taken from the back
  std::map<std::string, Id> next_ids_;                 // SQLite: MAX(id) + 1 under the write lock, counted up
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
  std::map<Id, std::optional<User>> users_;
  std::map<std::optional<Id>, std::vector<User>> user_lists_;
};

}  // namespace sladesk
