// UnitConnection: the connection one unit of work writes through when it
// shares a transaction with others (DeskStore's group commit).
//
// Purpose: lets many units share one transaction and still fail alone,
// without a round trip per unit. What a unit queues (QueryDeferred,
// ExecuteDeferred) is held here until the unit ends: AcceptUnit hands it to
// the real connection (on PostgreSQL that sends it without waiting, so the
// backend works while the next unit runs), UndoUnit drops it. A unit that
// only reads and queues therefore needs no savepoint. A savepoint is taken
// lazily, just before the unit's first statement that reaches the database
// and may write (anything but SELECT), or that must be preceded by the
// unit's held statements (a read may depend on them); UndoUnit rolls back to
// it. Each unit's savepoint has its own name, so a rollback can never land
// on an older unit's.
//
// What a unit cannot undo alone makes UndoUnit fail, and the caller must
// then roll the whole transaction back and run every unit again, alone: a
// statement failed with no savepoint of the unit covering it (PostgreSQL has
// then aborted the transaction), or the savepoint itself is gone (an earlier
// unit's queued statement failed before it). An accepted unit's queued
// statements report their failure later, at the next statement that waits
// for an answer, or at the Flush before COMMIT; that failure, too, is not the
// current unit's to undo, and it surfaces in the same way.
//
// Without savepoints (a batch of one unit), nothing is undone here: a failed
// unit means the caller rolls the transaction back.
// Thread-safety: not thread-safe; the writer thread's, for one transaction.
// Ownership: borrows the connection, which must outlive it.
#pragma once

#include <string>
#include <vector>

#include "storage/sql_connection.h"

namespace sladesk {

class UnitConnection final : public SqlConnection {
 public:
  UnitConnection(SqlConnection& inner, bool savepoints) : inner_(inner), savepoints_(savepoints) {}

  // Starts the next unit: nothing held, no savepoint, no failure seen.
  void BeginUnit();
  // The unit succeeded: its held statements go to the connection, its
  // savepoint (if any) is released. A failure here is the unit's failure.
  [[nodiscard]] Status AcceptUnit();
  // The unit was refused or failed: drops what it held and rolls back to its
  // savepoint. Ok when the transaction can go on without it.
  [[nodiscard]] Status UndoUnit();
  // The first database failure since BeginUnit (kNone if none).
  SqlFailure first_failure() const { return first_failure_; }

  SqlDialect dialect() const override { return inner_.dialect(); }
  Result<SqlRows> Query(std::string_view sql, const std::vector<SqlValue>& params) override;
  // As Query: held statements first, then the inner connection's QueryEach.
  Status QueryEach(std::string_view sql, const std::vector<SqlValue>& params,
                   const std::function<Status(const SqlRow&)>& visit) override;
  Status Execute(std::string_view script) override;
  Status ExecuteDeferred(std::string_view statement) override;
  Status QueryDeferred(std::string_view sql, const std::vector<SqlValue>& params) override;
  Status Flush() override;
  SqlFailure last_failure() const override { return inner_.last_failure(); }

 private:
  struct Held {
    std::string sql;
    std::vector<SqlValue> params;
    bool plain;  // ExecuteDeferred (no parameters) rather than QueryDeferred
  };
  // Before a statement reaches the database: the savepoint if one is due,
  // then the held statements, in order.
  Status Prepare(bool writes);
  Status ForwardHeld();
  void Note(const Status& st);
  std::string SavepointName() const { return "unit_" + std::to_string(unit_); }

  SqlConnection& inner_;
  const bool savepoints_;
  std::vector<Held> held_;
  std::uint64_t unit_ = 0;
  bool savepoint_ = false;
  SqlFailure first_failure_ = SqlFailure::kNone;
};

}  // namespace sladesk
