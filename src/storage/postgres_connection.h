// PostgresConnection: a SqlConnection on a PostgreSQL server through libpq.
//
// Purpose: the shared backend for several `sladesk serve` processes. `?`
// placeholders become $1..$n; each distinct SQL text is prepared once per
// connection. Values travel as text except bytea (binary); results are
// decoded by column type. SQLSTATE classes map to SqlFailure (23505 unique,
// 40001/40P01 retryable).
// Thread-safety: not thread-safe; one thread per connection.
// Ownership: owns the PGconn.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "storage/sql_connection.h"

struct pg_conn;

namespace sladesk {

class PostgresConnection final : public SqlConnection {
 public:
  // `url` is a libpq connection URI: postgresql://user@host:port/dbname
  static Result<std::unique_ptr<PostgresConnection>> Open(const std::string& url);
  ~PostgresConnection() override;
  PostgresConnection(const PostgresConnection&) = delete;
  PostgresConnection& operator=(const PostgresConnection&) = delete;

  SqlDialect dialect() const override { return SqlDialect::kPostgres; }
  Result<SqlRows> Query(std::string_view sql, const std::vector<SqlValue>& params) override;
  Status Execute(std::string_view script) override;
  // Queued and sent in one pipeline (libpq pipeline mode) with the next
  // statement: SAVEPOINT/RELEASE around each unit of work cost no round trip.
  Status ExecuteDeferred(std::string_view statement) override;
  // Prepared (once, at the first use) and queued with its parameters.
  Status QueryDeferred(std::string_view sql, const std::vector<SqlValue>& params) override;
  Status Flush() override;
  SqlFailure last_failure() const override { return last_failure_; }

 private:
  explicit PostgresConnection(pg_conn* conn) : conn_(conn) {}
  // Sends the queued statements, then (if given) one more: a prepared
  // statement with params, or a parameterless statement; returns the last
  // statement's rows, or the first failure.
  Result<SqlRows> RunPipeline(const std::string* prepared_name, const std::string* plain_sql,
                              const std::vector<SqlValue>* params);
  // The prepared statement's name for `sql`, preparing it when new.
  Result<std::string> Prepared(std::string_view sql);

  // A queued statement: plain SQL, or a prepared statement with parameters.
  struct Deferred {
    std::string plain_sql;
    std::string prepared_name;
    std::vector<SqlValue> params;
  };

  pg_conn* conn_;
  std::unordered_map<std::string, std::string> prepared_;  // SQL text -> statement name
  std::vector<Deferred> deferred_;
  SqlFailure last_failure_ = SqlFailure::kNone;
};

}  // namespace sladesk
