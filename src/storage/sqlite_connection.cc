#include "storage/sqlite_connection.h"

#include <sqlite3.h>

#include <filesystem>

namespace sladesk {

Result<std::unique_ptr<SqliteConnection>> SqliteConnection::Open(const std::string& path) {
  if (path.empty()) return MakeError("--db", "the SQLite path is empty");
  if (path != ":memory:") {
    std::error_code ec;
    auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    if (ec) return MakeError("--db", "cannot create directory '" + parent.string() + "': " + ec.message());
  }
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    return MakeError("--db", "cannot open SQLite database '" + path + "': " + msg);
  }
  std::unique_ptr<SqliteConnection> conn(new SqliteConnection(db));
  sqlite3_busy_timeout(db, 10000);
  // WAL: readers never block the writer. synchronous=FULL: every COMMIT
  // fsyncs the WAL, which is what makes an acknowledged create durable.
  Status st = conn->Execute(
      "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
      " PRAGMA temp_store=MEMORY;");
  if (!st.ok()) return st.error();
  return conn;
}

Status SqliteConnection::EnsureOpen() {
  if (sqlite3_get_autocommit(db_)) return Status::Ok();
  return Execute("ROLLBACK");
}

SqliteConnection::~SqliteConnection() {
  for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
  sqlite3_close(db_);
}

Error SqliteConnection::Fail(int rc, std::string_view what) {
  int base = rc & 0xff;
  if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
    last_failure_ = SqlFailure::kUniqueViolation;
  else if (base == SQLITE_BUSY || base == SQLITE_LOCKED)
    last_failure_ = SqlFailure::kRetryable;
  else
    last_failure_ = SqlFailure::kOther;
  // The file cannot be read or written (disk full, I/O error, removed,
  // read-only): the store is unavailable rather than the request wrong.
  const bool unreachable = base == SQLITE_IOERR || base == SQLITE_FULL || base == SQLITE_CANTOPEN ||
                           base == SQLITE_READONLY || base == SQLITE_NOMEM || base == SQLITE_PROTOCOL;
  return DatabaseError(std::string(what) + ": " + sqlite3_errmsg(db_), last_failure_, unreachable);
}

Result<sqlite3_stmt*> SqliteConnection::Bind(std::string_view sql, const std::vector<SqlValue>& params) {
  last_failure_ = SqlFailure::kNone;
  std::string key(sql);
  sqlite3_stmt* stmt = nullptr;
  auto it = statements_.find(key);
  if (it != statements_.end()) {
    stmt = it->second;
  } else {
    int rc = sqlite3_prepare_v3(db_, key.c_str(), static_cast<int>(key.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return Fail(rc, "prepare failed");
    statements_.emplace(std::move(key), stmt);
  }
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
  for (size_t i = 0; i < params.size(); ++i) {
    int idx = static_cast<int>(i + 1);
    const SqlValue& v = params[i];
    int rc = SQLITE_OK;
    if (std::holds_alternative<std::monostate>(v)) {
      rc = sqlite3_bind_null(stmt, idx);
    } else if (auto p = std::get_if<std::int64_t>(&v)) {
      rc = sqlite3_bind_int64(stmt, idx, *p);
    } else if (auto d = std::get_if<double>(&v)) {
      rc = sqlite3_bind_double(stmt, idx, *d);
    } else if (auto s = std::get_if<std::string>(&v)) {
      rc = sqlite3_bind_text64(stmt, idx, s->data(), s->size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    } else if (auto b = std::get_if<SqlBlob>(&v)) {
      rc = sqlite3_bind_blob64(stmt, idx, b->bytes.data(), b->bytes.size(), SQLITE_TRANSIENT);
    }
    if (rc != SQLITE_OK) return Fail(rc, "bind failed");
  }
  return stmt;
}

namespace {

// Column c of the current row into `v`, reusing the string it holds.
void ReadColumn(sqlite3_stmt* stmt, int c, SqlValue& v) {
  switch (sqlite3_column_type(stmt, c)) {
    case SQLITE_NULL: v = std::monostate{}; break;
    case SQLITE_INTEGER: v = static_cast<std::int64_t>(sqlite3_column_int64(stmt, c)); break;
    case SQLITE_FLOAT: v = sqlite3_column_double(stmt, c); break;
    case SQLITE_BLOB: {
      const char* p = static_cast<const char*>(sqlite3_column_blob(stmt, c));
      v = SqlBlob{std::string(p ? p : "", sqlite3_column_bytes(stmt, c))};
      break;
    }
    default: {
      const char* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
      const size_t n = static_cast<size_t>(sqlite3_column_bytes(stmt, c));
      if (auto s = std::get_if<std::string>(&v)) s->assign(p ? p : "", n);
      else v = std::string(p ? p : "", n);
    }
  }
}

// Steps a bound statement to its end: each row is read into `values` (one
// SqlValue a column, reused) and handed to `on_row`; a failed step is
// `fail()`, a failed `on_row` stops the loop. The statement is reset.
template <typename OnRow, typename Fail>
Status StepAll(sqlite3_stmt* stmt, std::vector<SqlValue>& values, OnRow on_row, Fail fail) {
  Status out = Status::Ok();
  for (;;) {
    const int rc = sqlite3_step(stmt);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) {
      out = fail();
      break;
    }
    for (size_t c = 0; c < values.size(); ++c) ReadColumn(stmt, static_cast<int>(c), values[c]);
    if (Status st = on_row(); !st.ok()) {
      out = st;
      break;
    }
  }
  sqlite3_reset(stmt);
  return out;
}

}  // namespace

Result<SqlRows> SqliteConnection::Query(std::string_view sql, const std::vector<SqlValue>& params) {
  auto bound = Bind(sql, params);
  if (!bound.ok()) return bound.error();
  sqlite3_stmt* stmt = *bound;
  const size_t n = static_cast<size_t>(sqlite3_column_count(stmt));
  SqlRows rows;
  std::vector<SqlValue> values(n);
  Status st = StepAll(
      stmt, values,
      [&] {
        rows.emplace_back(std::move(values));
        values = std::vector<SqlValue>(n);
        return Status::Ok();
      },
      [&] { return Status(Fail(sqlite3_extended_errcode(db_), "statement failed")); });
  if (!st.ok()) return st.error();
  return rows;
}

Status SqliteConnection::QueryEach(std::string_view sql, const std::vector<SqlValue>& params,
                                   const std::function<Status(const SqlRow&)>& visit) {
  auto bound = Bind(sql, params);
  if (!bound.ok()) return bound.error();
  sqlite3_stmt* stmt = *bound;
  SqlRow row(std::vector<SqlValue>(static_cast<size_t>(sqlite3_column_count(stmt))));
  return StepAll(
      stmt, row.mutable_values(), [&] { return visit(row); },
      [&] { return Status(Fail(sqlite3_extended_errcode(db_), "statement failed")); });
}

Status SqliteConnection::Execute(std::string_view script) {
  last_failure_ = SqlFailure::kNone;
  std::string s(script);
  char* err = nullptr;
  int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    Error e = Fail(sqlite3_extended_errcode(db_), "");
    e.message = msg;
    return e;
  }
  return Status::Ok();
}

}  // namespace sladesk
