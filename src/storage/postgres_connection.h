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

#include <deque>
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
  // With nothing queued: one PQexecPrepared. Otherwise it joins the open
  // pipeline, a sync follows it, and every queued answer is read first.
  Result<SqlRows> Query(std::string_view sql, const std::vector<SqlValue>& params) override;
  // A COMMIT that PostgreSQL turned into a ROLLBACK (the transaction had
  // failed) is reported as a failure, never as success.
  Status Execute(std::string_view script) override;
  // Sent at once in libpq pipeline mode, without waiting: the backend
  // executes them while the caller goes on. Their answers are read at the
  // next Query, Execute or Flush, which reports the first failure among them.
  Status ExecuteDeferred(std::string_view statement) override;
  Status QueryDeferred(std::string_view sql, const std::vector<SqlValue>& params) override;
  Status Flush() override;
  // PQreset when the connection is gone; prepared statements go with it.
  Status EnsureOpen() override;
  SqlFailure last_failure() const override { return last_failure_; }

 private:
  // What the next answer in the pipeline belongs to.
  enum class Awaiting { kPrepare, kIgnored, kRows, kSync };
  struct Expected {
    Awaiting kind;
    std::string sql;  // kPrepare: the statement text, forgotten if preparing failed
  };

  explicit PostgresConnection(pg_conn* conn) : conn_(conn) {}
  // Session settings, after connecting and after every reset.
  Status SetUpSession();
  Status EnterPipeline();
  // The prepared statement's name for `sql`. Inside a pipeline the PREPARE
  // is queued like any statement; outside it runs at once.
  Result<std::string> Prepared(std::string_view sql);
  Status SendPrepared(const std::string& name, const std::vector<SqlValue>& params, Awaiting kind);
  Status SendPlain(const std::string& sql, Awaiting kind);
  // Sends a sync and reads every outstanding answer in order; returns the
  // kRows answer's rows, or the first failure. Leaves pipeline mode.
  Result<SqlRows> SyncAndCollect();
  Error Broken(const char* what);

  pg_conn* conn_;
  std::unordered_map<std::string, std::string> prepared_;  // SQL text -> statement name
  std::deque<Expected> expected_;
  bool in_pipeline_ = false;
  bool broken_ = false;  // the session is gone or out of step: EnsureOpen resets it
  int next_statement_ = 0;
  SqlFailure last_failure_ = SqlFailure::kNone;
};

}  // namespace sladesk
