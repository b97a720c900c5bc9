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
  // Quiet NOTICEs ("relation already exists, skipping") and keep UTC.
  Status st = c->Execute("SET client_min_messages TO warning; SET TIME ZONE 'UTC';");
  if (!st.ok()) return st.error();
  return c;
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

Status PostgresConnection::ExecuteDeferred(std::string_view statement) {
  deferred_.push_back({std::string(statement), "", {}});
  return Status::Ok();
}

Status PostgresConnection::QueryDeferred(std::string_view sql, const std::vector<SqlValue>& params) {
  last_failure_ = SqlFailure::kNone;
  auto name = Prepared(sql);
  if (!name.ok()) return name.error();
  deferred_.push_back({"", std::move(name).value(), params});
  return Status::Ok();
}

Status PostgresConnection::Flush() {
  if (deferred_.empty()) return Status::Ok();
  auto r = RunPipeline(nullptr, nullptr, nullptr);
  if (!r.ok()) return r.error();
  return Status::Ok();
}

Result<SqlRows> PostgresConnection::RunPipeline(const std::string* prepared_name, const std::string* plain_sql,
                                                const std::vector<SqlValue>* params) {
  last_failure_ = SqlFailure::kNone;
  std::vector<Deferred> pending;
  pending.swap(deferred_);
  auto broken = [&](const char* what) -> Error {
    last_failure_ = SqlFailure::kOther;
    return MakeError("database", std::string(what) + ": " + Trimmed(PQerrorMessage(conn_)));
  };
  if (PQenterPipelineMode(conn_) != 1) return broken("cannot enter pipeline mode");
  BoundParams bound;
  bool sent = true;
  for (const auto& p : pending) {
    if (p.prepared_name.empty()) {
      sent = sent && PQsendQueryParams(conn_, p.plain_sql.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0) == 1;
    } else {
      BoundParams b = Bind(p.params);  // libpq copies the values into its output buffer
      sent = sent && PQsendQueryPrepared(conn_, p.prepared_name.c_str(), static_cast<int>(p.params.size()),
                                         b.values.data(), b.lengths.data(), b.formats.data(), 0) == 1;
    }
  }
  const bool has_final = prepared_name != nullptr || plain_sql != nullptr;
  if (prepared_name) {
    bound = Bind(*params);
    sent = sent && PQsendQueryPrepared(conn_, prepared_name->c_str(), static_cast<int>(params->size()),
                                       bound.values.data(), bound.lengths.data(), bound.formats.data(), 0) == 1;
  } else if (plain_sql) {
    sent = sent && PQsendQueryParams(conn_, plain_sql->c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0) == 1;
  }
  sent = sent && PQpipelineSync(conn_) == 1;
  if (!sent) {
    Error e = broken("cannot send");
    PQexitPipelineMode(conn_);
    return e;
  }
  std::optional<Error> first_error;
  SqlRows rows;
  const size_t expected = pending.size() + (has_final ? 1 : 0);
  for (size_t i = 0; i < expected; ++i) {
    const bool last = has_final && i + 1 == expected;
    while (PGresult* res = PQgetResult(conn_)) {
      ExecStatusType st = PQresultStatus(res);
      if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) {
        if (last) rows = Decode(res);
      } else if (!first_error) {
        if (st == PGRES_PIPELINE_ABORTED) {
          first_error = MakeError("database", "statement skipped after an earlier failure");
        } else {
          last_failure_ = Classify(res);
          first_error = MakeError("database", Trimmed(PQresultErrorMessage(res)));
        }
      }
      PQclear(res);
    }
  }
  // The sync point's own result.
  if (PGresult* sync = PQgetResult(conn_)) PQclear(sync);
  if (PQexitPipelineMode(conn_) != 1) {
    Error e = broken("cannot leave pipeline mode");
    return first_error ? *first_error : e;
  }
  if (first_error) return *first_error;
  return rows;
}

Result<std::string> PostgresConnection::Prepared(std::string_view sql) {
  std::string key(sql);
  auto it = prepared_.find(key);
  if (it != prepared_.end()) return it->second;
  // PQprepare is not pipelined: what is queued goes first.
  Status flushed = Flush();
  if (!flushed.ok()) return flushed.error();
  std::string name = "s" + std::to_string(prepared_.size());
  PGresult* res = PQprepare(conn_, name.c_str(), ToDollarPlaceholders(key).c_str(), 0, nullptr);
  if (PQresultStatus(res) != PGRES_COMMAND_OK) {
    last_failure_ = Classify(res);
    Error e = MakeError("database", "prepare failed: " + Trimmed(PQerrorMessage(conn_)));
    PQclear(res);
    return e;
  }
  PQclear(res);
  prepared_.emplace(key, name);
  return name;
}

Result<SqlRows> PostgresConnection::Query(std::string_view sql, const std::vector<SqlValue>& params) {
  last_failure_ = SqlFailure::kNone;
  auto prepared = Prepared(sql);
  if (!prepared.ok()) return prepared.error();
  const std::string& name = *prepared;
  if (!deferred_.empty()) return RunPipeline(&name, nullptr, &params);
  BoundParams b = Bind(params);
  PGresult* res = PQexecPrepared(conn_, name.c_str(), static_cast<int>(params.size()), b.values.data(),
                                 b.lengths.data(), b.formats.data(), 0);
  ExecStatusType status = PQresultStatus(res);
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
    last_failure_ = Classify(res);
    std::string msg = Trimmed(PQresultErrorMessage(res));
    PQclear(res);
    return MakeError("database", msg);
  }
  SqlRows rows = Decode(res);
  PQclear(res);
  return rows;
}

Status PostgresConnection::Execute(std::string_view script) {
  last_failure_ = SqlFailure::kNone;
  std::string s(script);
  if (!deferred_.empty()) {
    // A single statement rides in the same pipeline as the queued ones.
    std::string body = s;
    while (!body.empty() && (body.back() == ';' || body.back() == ' ')) body.pop_back();
    if (body.find(';') == std::string::npos) {
      auto r = RunPipeline(nullptr, &body, nullptr);
      if (!r.ok()) return r.error();
      return Status::Ok();
    }
    Status flushed = Flush();
    if (!flushed.ok()) return flushed;
  }
  PGresult* res = PQexec(conn_, s.c_str());
  ExecStatusType status = PQresultStatus(res);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    last_failure_ = Classify(res);
    std::string msg = PQresultErrorMessage(res);
    if (msg.empty()) msg = PQerrorMessage(conn_);
    PQclear(res);
    return MakeError("database", Trimmed(msg));
  }
  PQclear(res);
  return Status::Ok();
}

}  // namespace sladesk
