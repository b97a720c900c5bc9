#include "storage/postgres_connection.h"

#include <libpq-fe.h>

#include <cstdlib>
#include <optional>

namespace sladesk {
namespace {

// Type OIDs from pg_type.h (stable across releases).
constexpr Oid kBoolOid = 16, kByteaOid = 17, kInt8Oid = 20, kInt2Oid = 21, kInt4Oid = 23,
              kFloat4Oid = 700, kFloat8Oid = 701, kNumericOid = 1700;

std::string ToDollarPlaceholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  bool in_string = false;
  for (char c : sql) {
    if (c == '\'') in_string = !in_string;
    if (c == '?' && !in_string) {
      out += '$' + std::to_string(++n);
    } else {
      out += c;
    }
  }
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return 0;
}

std::string DecodeBytea(const char* text, int len) {
  std::string out;
  if (len >= 2 && text[0] == '\\' && text[1] == 'x') {
    out.reserve((len - 2) / 2);
    for (int i = 2; i + 1 < len; i += 2)
      out += static_cast<char>(HexValue(text[i]) * 16 + HexValue(text[i + 1]));
    return out;
  }
  return std::string(text, len);
}

// The server ended the session (SQLSTATE class 08, or 57P01..57P03: an
// administrator, a shutdown, a crash): the connection must be reopened.
bool ConnectionLost(PGresult* res) {
  const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  if (!state) return true;
  std::string s(state);
  return s.rfind("08", 0) == 0 || s == "57P01" || s == "57P02" || s == "57P03";
}

SqlFailure Classify(PGresult* res) {
  const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  if (!state) return SqlFailure::kOther;
  std::string s(state);
  if (s == "23505") return SqlFailure::kUniqueViolation;
  if (s == "40001" || s == "40P01" || s == "55P03") return SqlFailure::kRetryable;
  return SqlFailure::kOther;
}

}  // namespace

Result<std::unique_ptr<PostgresConnection>> PostgresConnection::Open(const std::string& url) {
  PGconn* conn = PQconnectdb(url.c_str());
  if (!conn || PQstatus(conn) != CONNECTION_OK) {
    std::string msg = conn ? PQerrorMessage(conn) : "out of memory";
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    PQfinish(conn);
    return MakeError("--db", "cannot connect to PostgreSQL: " + msg);
  }
  std::unique_ptr<PostgresConnection> c(new PostgresConnection(conn));
  Status st = c->SetUpSession();
  if (!st.ok()) return st.error();
  return c;
}

Status PostgresConnection::SetUpSession() {
  // Quiet NOTICEs ("relation already exists, skipping") and keep UTC.
  return Execute("SET client_min_messages TO warning; SET TIME ZONE 'UTC';");
}

Status PostgresConnection::EnsureOpen() {
  if (!broken_ && PQstatus(conn_) == CONNECTION_OK) {
    // A transaction left open (its ROLLBACK never ran) would swallow the
    // next one: BEGIN inside it is only a warning.
    const PGTransactionStatusType tx = PQtransactionStatus(conn_);
    if (tx != PQTRANS_INTRANS && tx != PQTRANS_INERROR) return Status::Ok();
    if (in_pipeline_) (void)SyncAndCollect();
    PGresult* res = PQexec(conn_, "ROLLBACK");
    const bool rolled_back = PQresultStatus(res) == PGRES_COMMAND_OK;
    PQclear(res);
    if (rolled_back) return Status::Ok();
  }
  broken_ = false;
  expected_.clear();
  in_pipeline_ = false;
  prepared_.clear();
  PQreset(conn_);
  if (PQstatus(conn_) != CONNECTION_OK) return Broken("cannot reconnect to PostgreSQL");
  return SetUpSession();
}

PostgresConnection::~PostgresConnection() { PQfinish(conn_); }

namespace {

struct BoundParams {
  std::vector<std::string> text;
  std::vector<const char*> values;
  std::vector<int> lengths;
  std::vector<int> formats;
};

BoundParams Bind(const std::vector<SqlValue>& params) {
  BoundParams b;
  b.text.resize(params.size());
  b.values.assign(params.size(), nullptr);
  b.lengths.assign(params.size(), 0);
  b.formats.assign(params.size(), 0);
  for (size_t i = 0; i < params.size(); ++i) {
    const SqlValue& v = params[i];
    if (std::holds_alternative<std::monostate>(v)) continue;
    if (auto p = std::get_if<std::int64_t>(&v)) b.text[i] = std::to_string(*p);
    else if (auto d = std::get_if<double>(&v)) b.text[i] = std::to_string(*d);
    else if (auto s = std::get_if<std::string>(&v)) b.text[i] = *s;
    else if (auto bl = std::get_if<SqlBlob>(&v)) {
      b.text[i] = bl->bytes;
      b.formats[i] = 1;
    }
    b.values[i] = b.text[i].data();
    b.lengths[i] = static_cast<int>(b.text[i].size());
  }
  return b;
}

SqlRows Decode(PGresult* res) {
  SqlRows rows;
  int nrows = PQntuples(res), ncols = PQnfields(res);
  rows.reserve(nrows);
  for (int r = 0; r < nrows; ++r) {
    std::vector<SqlValue> vals;
    vals.reserve(ncols);
    for (int c = 0; c < ncols; ++c) {
      if (PQgetisnull(res, r, c)) {
        vals.emplace_back(std::monostate{});
        continue;
      }
      const char* t = PQgetvalue(res, r, c);
      int len = PQgetlength(res, r, c);
      switch (PQftype(res, c)) {
        case kInt8Oid: case kInt2Oid: case kInt4Oid:
          vals.emplace_back(static_cast<std::int64_t>(std::strtoll(t, nullptr, 10)));
          break;
        case kBoolOid: vals.emplace_back(static_cast<std::int64_t>(t[0] == 't')); break;
        case kFloat4Oid: case kFloat8Oid: case kNumericOid: vals.emplace_back(std::strtod(t, nullptr)); break;
        case kByteaOid: vals.emplace_back(SqlBlob{DecodeBytea(t, len)}); break;
        default: vals.emplace_back(std::string(t, len));
      }
    }
    rows.emplace_back(std::move(vals));
  }
  return rows;
}

std::string Trimmed(std::string msg) {
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  return msg;
}

}  // namespace

// At most this many answers wait in the pipeline; then a sync collects them,
// so neither side's socket buffer can fill while the other waits on it.
constexpr size_t kMaxOutstanding = 1024;

Error PostgresConnection::Broken(const char* what) {
  last_failure_ = SqlFailure::kOther;
  broken_ = true;
  return DatabaseError(std::string(what) + ": " + Trimmed(PQerrorMessage(conn_)), last_failure_, true);
}

Status PostgresConnection::EnterPipeline() {
  if (in_pipeline_) return Status::Ok();
  if (PQenterPipelineMode(conn_) != 1) return Broken("cannot enter pipeline mode");
  in_pipeline_ = true;
  return Status::Ok();
}

Result<std::string> PostgresConnection::Prepared(std::string_view sql) {
  std::string key(sql);
  auto it = prepared_.find(key);
  if (it != prepared_.end()) return it->second;
  std::string name = "s" + std::to_string(next_statement_++);
  const std::string text = ToDollarPlaceholders(key);
  if (in_pipeline_) {
    if (PQsendPrepare(conn_, name.c_str(), text.c_str(), 0, nullptr) != 1) return Broken("cannot send");
    expected_.push_back({Awaiting::kPrepare, key});
  } else {
    PGresult* res = PQprepare(conn_, name.c_str(), text.c_str(), 0, nullptr);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
      last_failure_ = Classify(res);
      Error e = DatabaseError("prepare failed: " + Trimmed(PQerrorMessage(conn_)), last_failure_, ConnectionLost(res));
      PQclear(res);
      return e;
    }
    PQclear(res);
  }
  prepared_.emplace(key, name);
  return name;
}

Status PostgresConnection::SendPrepared(const std::string& name, const std::vector<SqlValue>& params,
                                        Awaiting kind) {
  BoundParams b = Bind(params);  // libpq copies the values into its output buffer
  if (PQsendQueryPrepared(conn_, name.c_str(), static_cast<int>(params.size()), b.values.data(),
                          b.lengths.data(), b.formats.data(), 0) != 1)
    return Broken("cannot send");
  expected_.push_back({kind, ""});
  return Status::Ok();
}

Status PostgresConnection::SendPlain(const std::string& sql, Awaiting kind) {
  // The extended protocol (the only one pipeline mode allows) takes one
  // statement per message.
  if (PQsendQueryParams(conn_, sql.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0) != 1)
    return Broken("cannot send");
  expected_.push_back({kind, ""});
  return Status::Ok();
}

Result<SqlRows> PostgresConnection::SyncAndCollect() {
  if (PQpipelineSync(conn_) != 1) return Broken("cannot send");
  expected_.push_back({Awaiting::kSync, ""});
  std::optional<Error> first_error;
  SqlFailure first_class = SqlFailure::kNone;
  SqlRows rows;
  while (!expected_.empty()) {
    Expected e = std::move(expected_.front());
    expected_.pop_front();
    if (e.kind == Awaiting::kSync) {
      PGresult* res = PQgetResult(conn_);
      const bool synced = res && PQresultStatus(res) == PGRES_PIPELINE_SYNC;
      PQclear(res);
      if (!synced) {
        // The stream is out of step (a broken connection): nothing after
        // this point can be trusted, and EnsureOpen starts afresh.
        expected_.clear();
        in_pipeline_ = false;
        broken_ = true;
        if (!first_error) return Broken("lost the pipeline's sync point");
        last_failure_ = first_class == SqlFailure::kNone ? SqlFailure::kOther : first_class;
        return *first_error;
      }
      continue;
    }
    bool failed = false;
    while (PGresult* res = PQgetResult(conn_)) {
      ExecStatusType st = PQresultStatus(res);
      if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) {
        if (e.kind == Awaiting::kRows) rows = Decode(res);
      } else {
        failed = true;
        if (!first_error) {
          if (st == PGRES_PIPELINE_ABORTED) {
            first_error = DatabaseError("statement skipped after an earlier failure", SqlFailure::kOther, false);
            first_class = SqlFailure::kOther;
          } else {
            first_class = Classify(res);
            if (ConnectionLost(res)) broken_ = true;
            first_error = DatabaseError(Trimmed(PQresultErrorMessage(res)), first_class, ConnectionLost(res));
          }
        }
      }
      PQclear(res);
    }
    if (failed && e.kind == Awaiting::kPrepare) prepared_.erase(e.sql);
  }
  if (PQexitPipelineMode(conn_) != 1) {
    in_pipeline_ = false;
    Error e = Broken("cannot leave pipeline mode");
    if (!first_error) return e;
    last_failure_ = first_class;
    return *first_error;
  }
  in_pipeline_ = false;
  if (first_error) {
    last_failure_ = first_class;
    return *first_error;
  }
  return rows;
}

Status PostgresConnection::ExecuteDeferred(std::string_view statement) {
  last_failure_ = SqlFailure::kNone;
  if (Status st = EnterPipeline(); !st.ok()) return st;
  if (Status st = SendPlain(std::string(statement), Awaiting::kIgnored); !st.ok()) return st;
  if (expected_.size() >= kMaxOutstanding) return Flush();
  return Status::Ok();
}

Status PostgresConnection::QueryDeferred(std::string_view sql, const std::vector<SqlValue>& params) {
  last_failure_ = SqlFailure::kNone;
  if (Status st = EnterPipeline(); !st.ok()) return st;
  auto name = Prepared(sql);
  if (!name.ok()) return name.error();
  if (Status st = SendPrepared(*name, params, Awaiting::kIgnored); !st.ok()) return st;
  if (expected_.size() >= kMaxOutstanding) return Flush();
  return Status::Ok();
}

Status PostgresConnection::Flush() {
  if (!in_pipeline_) return Status::Ok();
  auto r = SyncAndCollect();
  if (!r.ok()) return r.error();
  return Status::Ok();
}

Result<SqlRows> PostgresConnection::Query(std::string_view sql, const std::vector<SqlValue>& params) {
  last_failure_ = SqlFailure::kNone;
  auto prepared = Prepared(sql);
  if (!prepared.ok()) return prepared.error();
  const std::string& name = *prepared;
  if (in_pipeline_) {
    if (Status st = SendPrepared(name, params, Awaiting::kRows); !st.ok()) return st.error();
    return SyncAndCollect();
  }
  BoundParams b = Bind(params);
  PGresult* res = PQexecPrepared(conn_, name.c_str(), static_cast<int>(params.size()), b.values.data(),
                                 b.lengths.data(), b.formats.data(), 0);
  ExecStatusType status = PQresultStatus(res);
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
    last_failure_ = Classify(res);
    if (ConnectionLost(res)) broken_ = true;
    std::string msg = Trimmed(PQresultErrorMessage(res));
    if (msg.empty()) msg = Trimmed(PQerrorMessage(conn_));
    const bool lost = ConnectionLost(res);
    PQclear(res);
    return DatabaseError(msg, last_failure_, lost);
  }
  SqlRows rows = Decode(res);
  PQclear(res);
  return rows;
}

Status PostgresConnection::Execute(std::string_view script) {
  last_failure_ = SqlFailure::kNone;
  std::string s(script);
  std::string body = s;
  while (!body.empty() && (body.back() == ';' || body.back() == ' ')) body.pop_back();
  const bool commit = body == "COMMIT";
  // A transaction's end must run even after a failure in the pipeline, which
  // would skip it: what is queued is collected first, and it runs on its
  // own. A COMMIT after such a failure then rolls back and reports it.
  if (in_pipeline_ && (commit || body.rfind("ROLLBACK", 0) == 0)) {
    Status flushed = Flush();
    if (commit && !flushed.ok()) {
      PQclear(PQexec(conn_, "ROLLBACK"));  // keeps the queued failure's class
      return flushed;
    }
    last_failure_ = SqlFailure::kNone;
  }
  if (in_pipeline_) {
    if (body.find(';') == std::string::npos) {
      // A single statement rides in the open pipeline, after what is queued.
      if (Status st = SendPlain(body, Awaiting::kIgnored); !st.ok()) return st;
      return Flush();
    }
    if (Status flushed = Flush(); !flushed.ok()) return flushed;
  }
  PGresult* res = PQexec(conn_, s.c_str());
  ExecStatusType status = PQresultStatus(res);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    last_failure_ = Classify(res);
    if (ConnectionLost(res)) broken_ = true;
    std::string msg = PQresultErrorMessage(res);
    if (msg.empty()) msg = PQerrorMessage(conn_);
    const bool lost = ConnectionLost(res);
    PQclear(res);
    return DatabaseError(Trimmed(msg), last_failure_, lost);
  }
  // COMMIT of a transaction that had failed answers "ROLLBACK", not an error.
  const bool rolled_back = commit && std::string_view(PQcmdStatus(res)) == "ROLLBACK";
  PQclear(res);
  if (rolled_back) {
    last_failure_ = SqlFailure::kOther;
    return DatabaseError("COMMIT rolled back: the transaction had failed", SqlFailure::kRetryable, false);
  }
  return Status::Ok();
}

}  // namespace sladesk
