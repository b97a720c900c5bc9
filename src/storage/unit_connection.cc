#include "storage/unit_connection.h"

#include <cctype>

namespace sladesk {
namespace {

// A SELECT (with or without FOR UPDATE) changes nothing a refused unit would
// have to undo: a row lock it took is simply held until the batch ends.
bool IsRead(std::string_view sql) {
  size_t i = 0;
  while (i < sql.size() && std::isspace(static_cast<unsigned char>(sql[i]))) ++i;
  constexpr std::string_view kSelect = "SELECT";
  if (sql.size() - i < kSelect.size()) return false;
  for (size_t k = 0; k < kSelect.size(); ++k)
    if (std::toupper(static_cast<unsigned char>(sql[i + k])) != kSelect[k]) return false;
  return true;
}

}  // namespace

void UnitConnection::BeginUnit() {
  held_.clear();
  ++unit_;
  savepoint_ = false;
  first_failure_ = SqlFailure::kNone;
}

void UnitConnection::Note(const Status& st) {
  if (st.ok() || first_failure_ != SqlFailure::kNone) return;
  first_failure_ = inner_.last_failure() == SqlFailure::kNone ? SqlFailure::kOther : inner_.last_failure();
}

Status UnitConnection::ForwardHeld() {
  std::vector<Held> held;
  held.swap(held_);
  for (const auto& h : held) {
    Status st = h.plain ? inner_.ExecuteDeferred(h.sql) : inner_.QueryDeferred(h.sql, h.params);
    Note(st);
    if (!st.ok()) return st;
  }
  return Status::Ok();
}

Status UnitConnection::Prepare(bool writes) {
  if (savepoints_ && !savepoint_ && (writes || !held_.empty())) {
    Status st = inner_.ExecuteDeferred("SAVEPOINT " + SavepointName());
    Note(st);
    if (!st.ok()) return st;
    savepoint_ = true;
  }
  return ForwardHeld();
}

Status UnitConnection::AcceptUnit() {
  if (Status st = ForwardHeld(); !st.ok()) return st;
  if (savepoint_) {
    Status st = inner_.ExecuteDeferred("RELEASE SAVEPOINT " + SavepointName());
    Note(st);
    if (!st.ok()) return st;
    savepoint_ = false;
  }
  return Status::Ok();
}

Status UnitConnection::UndoUnit() {
  held_.clear();
  if (savepoint_) {
    savepoint_ = false;
    const std::string name = SavepointName();
    Status st = inner_.Execute("ROLLBACK TO SAVEPOINT " + name);
    if (st.ok()) st = inner_.ExecuteDeferred("RELEASE SAVEPOINT " + name);
    if (!st.ok()) return MakeError(ErrorCode::kUnavailable, "database", "the unit's savepoint is gone: " + st.error().message);
    return Status::Ok();
  }
  // Nothing of the unit reached the database, or what did failed outside
  // any savepoint of its own.
  if (first_failure_ != SqlFailure::kNone || !savepoints_)
    return MakeError(ErrorCode::kUnavailable, "database", "a failed statement is not the unit's alone to undo");
  return Status::Ok();
}

Result<SqlRows> UnitConnection::Query(std::string_view sql, const std::vector<SqlValue>& params) {
  if (Status st = Prepare(!IsRead(sql)); !st.ok()) return st.error();
  auto rows = inner_.Query(sql, params);
  if (!rows.ok()) Note(rows.error());
  return rows;
}

Status UnitConnection::QueryEach(std::string_view sql, const std::vector<SqlValue>& params,
                                 const std::function<Status(const SqlRow&)>& visit) {
  if (Status st = Prepare(!IsRead(sql)); !st.ok()) return st;
  bool visitor_failed = false;  // the visitor's refusal is not a database failure
  Status st = inner_.QueryEach(sql, params, [&](const SqlRow& row) {
    Status v = visit(row);
    visitor_failed = !v.ok();
    return v;
  });
  if (!visitor_failed) Note(st);
  return st;
}

Status UnitConnection::Execute(std::string_view script) {
  if (Status st = Prepare(true); !st.ok()) return st;
  Status st = inner_.Execute(script);
  Note(st);
  return st;
}

Status UnitConnection::ExecuteDeferred(std::string_view statement) {
  held_.push_back({std::string(statement), {}, true});
  return Status::Ok();
}

Status UnitConnection::QueryDeferred(std::string_view sql, const std::vector<SqlValue>& params) {
  held_.push_back({std::string(sql), params, false});
  return Status::Ok();
}

Status UnitConnection::Flush() {
  // Sending what the unit holds needs its savepoint; sending nothing does not.
  if (Status st = Prepare(false); !st.ok()) return st;
  Status st = inner_.Flush();
  Note(st);
  return st;
}

}  // namespace sladesk
