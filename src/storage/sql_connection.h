// SqlConnection: one open database connection, SQLite or PostgreSQL.
//
// Purpose: the narrow waist between the repository (portable SQL written
// with `?` placeholders) and a backend. Backends translate placeholders,
// cache prepared statements and report failures as values; the last
// failure's class (unique violation, retryable conflict) lets the
// transaction runner decide whether to retry.
// Thread-safety: not thread-safe; one thread uses a connection at a time.
// Ownership: owns the native handle; closes it on destruction.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "storage/sql_value.h"

namespace sladesk {

enum class SqlDialect { kSqlite, kPostgres };

enum class SqlFailure {
  kNone,
  kUniqueViolation,  // a UNIQUE/PRIMARY KEY constraint refused the row
  kRetryable,        // busy, deadlock, serialization failure: run again
  kOther,            // broken connection, disk full, bad SQL
};

// A database failure as an Error with its code: kConflict for a unique
// violation, kUnavailable when the database cannot be reached or is busy
// (the caller may retry later), kInternal for anything else (a bug). The
// message is the driver's: it goes to the log, never to a client.
inline Error DatabaseError(std::string message, SqlFailure failure, bool unreachable) {
  ErrorCode code = ErrorCode::kInternal;
  if (failure == SqlFailure::kUniqueViolation) code = ErrorCode::kConflict;
  if (failure == SqlFailure::kRetryable || unreachable) code = ErrorCode::kUnavailable;
  return MakeError(code, "database", std::move(message), failure == SqlFailure::kUniqueViolation ? "unique" : "");
}

class SqlConnection {
 public:
  virtual ~SqlConnection() = default;
  virtual SqlDialect dialect() const = 0;
  // Runs one statement with `?` placeholders and returns its rows.
  virtual Result<SqlRows> Query(std::string_view sql, const std::vector<SqlValue>& params) = 0;
  // Runs one statement and hands its rows to `visit` one at a time, in
  // order; a failure from `visit` stops the statement and is returned as
  // is. The row is only valid during the call (a backend may reuse it).
  // `visit` must not run this same statement on this connection (SQLite
  // steps the cached statement under it); other statements are fine. The
  // default materialises the rows with Query (PostgreSQL: bounded by the
  // caller's LIMIT or id window); SQLite steps without materialising.
  virtual Status QueryEach(std::string_view sql, const std::vector<SqlValue>& params,
                           const std::function<Status(const SqlRow&)>& visit) {
    auto rows = Query(sql, params);
    if (!rows.ok()) return rows.error();
    for (const auto& r : *rows)
      if (Status st = visit(r); !st.ok()) return st;
    return Status::Ok();
  }
  // Runs a script of statements without parameters (DDL, BEGIN, COMMIT).
  virtual Status Execute(std::string_view script) = 0;
  // One parameterless statement whose answer nobody waits for (SAVEPOINT,
  // RELEASE): a backend may send it together with the next statement, in
  // the same network round trip; its failure is then reported by that next
  // call. The default runs it at once.
  virtual Status ExecuteDeferred(std::string_view statement) { return Execute(statement); }
  // A statement with parameters whose rows nobody reads (an INSERT or UPDATE
  // the caller already knows the outcome of): a backend may queue it like
  // ExecuteDeferred. The default runs it at once.
  virtual Status QueryDeferred(std::string_view sql, const std::vector<SqlValue>& params) {
    auto rows = Query(sql, params);
    if (!rows.ok()) return rows.error();
    return Status::Ok();
  }
  // Sends whatever is queued and reports its first failure, so a unit of
  // work learns about its own deferred statements before it is accepted.
  virtual Status Flush() { return Status::Ok(); }
  // Called between transactions only: reopens a connection the server has
  // dropped (a database restart, an idle timeout), so that one outage does
  // not leave the process failing every request until it is restarted.
  // Never inside a transaction: its earlier statements would be lost
  // without a word. The default has nothing to reopen.
  virtual Status EnsureOpen() { return Status::Ok(); }
  // The class of the last failure returned by Query/Execute.
  virtual SqlFailure last_failure() const = 0;
};

}  // namespace sladesk
