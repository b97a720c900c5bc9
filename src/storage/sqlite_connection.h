// SqliteConnection: a SqlConnection on an SQLite database file.
//
// Purpose: the embedded default backend. Opens the file in WAL mode with
// synchronous=FULL, so a COMMIT returns only after the WAL is fsync'd: a
// ticket acknowledged after its commit survives kill -9 and power loss.
// Prepared statements are cached per SQL text.
// Thread-safety: not thread-safe (SQLITE_OPEN_NOMUTEX); one thread per connection.
// Ownership: owns the sqlite3 handle and its cached statements.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>

#include "storage/sql_connection.h"

struct sqlite3;
struct sqlite3_stmt;

namespace sladesk {

class SqliteConnection final : public SqlConnection {
 public:
  // Creates the parent directory when missing; `path` may be ":memory:".
  static Result<std::unique_ptr<SqliteConnection>> Open(const std::string& path);
  ~SqliteConnection() override;
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  SqlDialect dialect() const override { return SqlDialect::kSqlite; }
  Result<SqlRows> Query(std::string_view sql, const std::vector<SqlValue>& params) override;
  // Steps the statement, one reused row for every step (nothing materialised).
  Status QueryEach(std::string_view sql, const std::vector<SqlValue>& params,
                   const std::function<Status(const SqlRow&)>& visit) override;
  Status Execute(std::string_view script) override;
  // Rolls back a transaction left open (its ROLLBACK failed), which would
  // otherwise make every later BEGIN fail.
  Status EnsureOpen() override;
  SqlFailure last_failure() const override { return last_failure_; }

 private:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  Error Fail(int rc, std::string_view what);
  // The cached statement for `sql`, reset and bound to `params`.
  Result<sqlite3_stmt*> Bind(std::string_view sql, const std::vector<SqlValue>& params);

  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;
  SqlFailure last_failure_ = SqlFailure::kNone;
};

}  // namespace sladesk
