#include "storage/sql_desk_repository.h"

#include <limits>

#include <nlohmann/json.hpp>

#include "storage/sql_args.h"
#include "storage/sql_ticket_row.h"

namespace sladesk {
namespace {

using namespace sql_args;  // I, T, At, OptAt, OptInstant

constexpr const char* kOrgColumns =
    "id, name, policy_id, plan_id, support_hours_budget, incidents_per_month, renewal_date, "
    "csm_user_id, named_contact_limit, created_at, version, time_zone, onboarding_pending";

Organisation OrgFromRow(const SqlRow& r) {
  Organisation o;
  o.id = r.Int(0);
  o.name = r.Text(1);
  o.policy_id = r.Text(2);
  o.plan_id = r.Text(3);
  if (!r.IsNull(4)) o.support_hours_budget = r.Real(4);
  o.incidents_per_month = r.OptInt(5);
  o.renewal_date = r.OptText(6);
  o.csm_user_id = r.OptInt(7);
  o.named_contact_limit = r.OptInt(8);
  o.created_at = FromEpoch(r.Int(9));
  o.version = r.Int(10);
  o.time_zone = r.OptText(11);
  o.onboarding_pending = r.Int(12) != 0;
  return o;
}

constexpr const char* kUserColumns =
    "id, organisation_id, name, email, role, named_contact, active, created_at, phone";

User UserFromRow(const SqlRow& r) {
  User u;
  u.id = r.Int(0);
  u.organisation_id = r.OptInt(1);
  u.name = r.Text(2);
  u.email = r.Text(3);
  u.role = RoleFromName(r.Text(4)).value_or(Role::kContact);
  u.named_contact = r.Int(5) != 0;
  u.active = r.Int(6) != 0;
  u.created_at = FromEpoch(r.Int(7));
  u.phone = r.Text(8);
  return u;
}

}  // namespace

const char* SqlDeskRepository::LockSuffix(bool lock) const {
  return lock && conn_.dialect() == SqlDialect::kPostgres ? " FOR UPDATE" : "";
}

Result<Id> SqlDeskRepository::InsertReturningId(const std::string& sql,
                                                const std::vector<SqlValue>& params) {
  auto rows = conn_.Query(sql + " RETURNING id", params);
  if (!rows.ok()) return rows.error();
  if (rows->empty()) return MakeError(ErrorCode::kInternal, "database", "insert returned no id");
  return rows->front().Int(0);
}

Result<Id> SqlDeskRepository::InsertOrganisation(const Organisation& o) {
  return InsertReturningId(
      "INSERT INTO organisations (name, policy_id, plan_id, support_hours_budget, incidents_per_month, "
      "renewal_date, csm_user_id, named_contact_limit, created_at, version, time_zone, onboarding_pending) "
      "VALUES (?,?,?,?,?,?,?,?,?,1,?,?)",
      {T(o.name), T(o.policy_id), T(o.plan_id),
       o.support_hours_budget ? SqlValue{*o.support_hours_budget} : SqlNull(),
       SqlOpt(o.incidents_per_month), SqlOptText(o.renewal_date), SqlOpt(o.csm_user_id),
       SqlOpt(o.named_contact_limit), At(o.created_at), SqlOptText(o.time_zone), I(o.onboarding_pending)});
}

Result<std::optional<Organisation>> SqlDeskRepository::GetOrganisation(Id id, bool lock) {
  auto rows = conn_.Query(std::string("SELECT ") + kOrgColumns + " FROM organisations WHERE id = ?" +
                              LockSuffix(lock),
                          {I(id)});
  if (!rows.ok()) return rows.error();
  if (rows->empty()) return std::optional<Organisation>();
  return std::optional<Organisation>(OrgFromRow(rows->front()));
}

Result<std::vector<Organisation>> SqlDeskRepository::ListOrganisations(Id after_id, int limit) {
  auto rows = conn_.Query(std::string("SELECT ") + kOrgColumns +
                              " FROM organisations WHERE id > ? ORDER BY id LIMIT ?",
                          {I(after_id), I(limit)});
  if (!rows.ok()) return rows.error();
  std::vector<Organisation> out;
  for (const auto& r : *rows) out.push_back(OrgFromRow(r));
  return out;
}

Result<bool> SqlDeskRepository::UpdateOrganisation(const Organisation& o, std::int64_t expected_version) {
  auto rows = conn_.Query(
      "UPDATE organisations SET name = ?, policy_id = ?, plan_id = ?, support_hours_budget = ?, "
      "incidents_per_month = ?, renewal_date = ?, csm_user_id = ?, named_contact_limit = ?, "
      "time_zone = ?, onboarding_pending = ?, "
      "version = version + 1 WHERE id = ? AND version = ? RETURNING id",
      {T(o.name), T(o.policy_id), T(o.plan_id),
       o.support_hours_budget ? SqlValue{*o.support_hours_budget} : SqlNull(),
       SqlOpt(o.incidents_per_month), SqlOptText(o.renewal_date), SqlOpt(o.csm_user_id),
       SqlOpt(o.named_contact_limit), SqlOptText(o.time_zone), I(o.onboarding_pending), I(o.id),
       I(expected_version)});
  if (!rows.ok()) return rows.error();
  return !rows->empty();
}

Result<Id> SqlDeskRepository::InsertUser(const User& u) {
  return InsertReturningId(
      "INSERT INTO users (organisation_id, name, email, email_key, role, named_contact, active, created_at, phone) "
      "VALUES (?,?,?,?,?,?,?,?,?)",
      {SqlOpt(u.organisation_id), T(u.name), T(u.email), T(EmailKey(u.email)), T(std::string(RoleName(u.role))),
       I(u.named_contact), I(u.active), At(u.created_at), T(u.phone)});
}

Result<std::optional<User>> SqlDeskRepository::GetUser(Id id) {
  auto rows = conn_.Query(std::string("SELECT ") + kUserColumns + " FROM users WHERE id = ?", {I(id)});
  if (!rows.ok()) return rows.error();
  if (rows->empty()) return std::optional<User>();
  return std::optional<User>(UserFromRow(rows->front()));
}

Result<std::optional<User>> SqlDeskRepository::FindUserByEmail(const std::string& email) {
  auto rows = conn_.Query(std::string("SELECT ") + kUserColumns + " FROM users WHERE email_key = ?",
                          {T(EmailKey(email))});
  if (!rows.ok()) return rows.error();
  if (rows->empty()) return std::optional<User>();
  return std::optional<User>(UserFromRow(rows->front()));
}

Result<std::vector<User>> SqlDeskRepository::ListUsers(std::optional<Id> organisation_id) {
  auto rows = organisation_id
                  ? conn_.Query(std::string("SELECT ") + kUserColumns +
                                    " FROM users WHERE organisation_id = ? ORDER BY id",
                                {I(*organisation_id)})
                  : conn_.Query(std::string("SELECT ") + kUserColumns +
                                    " FROM users WHERE organisation_id IS NULL ORDER BY id",
                                {});
  if (!rows.ok()) return rows.error();
  std::vector<User> out;
  for (const auto& r : *rows) out.push_back(UserFromRow(r));
  return out;
}

Status SqlDeskRepository::UpdateUser(const User& u) {
  auto rows = conn_.Query(
      "UPDATE users SET organisation_id = ?, name = ?, email = ?, email_key = ?, role = ?, named_contact = ?, "
      "active = ?, phone = ? WHERE id = ?",
      {SqlOpt(u.organisation_id), T(u.name), T(u.email), T(EmailKey(u.email)), T(std::string(RoleName(u.role))),
       I(u.named_contact), I(u.active), T(u.phone), I(u.id)});
  if (!rows.ok()) return rows.error();
  return Status::Ok();
}

Result<std::int64_t> SqlDeskRepository::CountNamedContacts(Id organisation_id) {
  auto rows = conn_.Query(
      "SELECT COUNT(*) FROM users WHERE organisation_id = ? AND named_contact = 1 AND active = 1",
      {I(organisation_id)});
  if (!rows.ok()) return rows.error();
  return rows->front().Int(0);
}

Status SqlDeskRepository::AppendContactAudit(const ContactAuditEntry& e) {
  auto rows = conn_.Query(
      "INSERT INTO contact_audit (organisation_id, actor_id, contact_id, action, at) VALUES (?,?,?,?,?)",
      {I(e.organisation_id), I(e.actor_id), I(e.contact_id), T(e.action), At(e.at)});
  if (!rows.ok()) return rows.error();
  return Status::Ok();
}

Result<std::vector<ContactAuditEntry>> SqlDeskRepository::ListContactAudit(Id organisation_id) {
  auto rows = conn_.Query(
      "SELECT id, organisation_id, actor_id, contact_id, action, at FROM contact_audit "
      "WHERE organisation_id = ? ORDER BY id",
      {I(organisation_id)});
  if (!rows.ok()) return rows.error();
  std::vector<ContactAuditEntry> out;
  for (const auto& r : *rows)
    out.push_back({r.Int(0), r.Int(1), r.Int(2), r.Int(3), r.Text(4), FromEpoch(r.Int(5))});
  return out;
}

Result<Id> SqlDeskRepository::InsertToken(const ApiToken& t) {
  return InsertReturningId(
      "INSERT INTO api_tokens (user_id, name, token_hash, created_at, expires_at, revoked) VALUES (?,?,?,?,?,?)",
      {I(t.user_id), T(t.name), T(t.token_hash), At(t.created_at), OptAt(t.expires_at), I(t.revoked)});
}

Result<std::optional<ApiToken>> SqlDeskRepository::FindTokenByHash(const std::string& token_hash) {
  auto rows = conn_.Query(
      "SELECT id, user_id, name, token_hash, created_at, expires_at, revoked FROM api_tokens "
      "WHERE token_hash = ?",
      {T(token_hash)});
  if (!rows.ok()) return rows.error();
  if (rows->empty()) return std::optional<ApiToken>();
  const auto& r = rows->front();
  ApiToken t{r.Int(0), r.Int(1), r.Text(2), r.Text(3), FromEpoch(r.Int(4)), OptInstant(r, 5), r.Int(6) != 0};
  return std::optional<ApiToken>(t);
}

Result<std::optional<std::pair<ApiToken, User>>> SqlDeskRepository::FindTokenUser(const std::string& token_hash) {
  using Found = std::optional<std::pair<ApiToken, User>>;
  auto rows = conn_.Query(
      "SELECT t.id, t.user_id, t.name, t.token_hash, t.created_at, t.expires_at, t.revoked, "
      "u.id, u.organisation_id, u.name, u.email, u.role, u.named_contact, u.active, u.created_at, u.phone "
      "FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?",
      {T(token_hash)});
  if (!rows.ok()) return rows.error();
  if (rows->empty()) return Found();
  const auto& r = rows->front();
  ApiToken t{r.Int(0), r.Int(1), r.Text(2), r.Text(3), FromEpoch(r.Int(4)), OptInstant(r, 5), r.Int(6) != 0};
  User u;
  u.id = r.Int(7);
  u.organisation_id = r.OptInt(8);
  u.name = r.Text(9);
  u.email = r.Text(10);
  u.role = RoleFromName(r.Text(11)).value_or(Role::kContact);
  u.named_contact = r.Int(12) != 0;
  u.active = r.Int(13) != 0;
  u.created_at = FromEpoch(r.Int(14));
  u.phone = r.Text(15);
  return Found(std::make_pair(t, u));
}

Status SqlDeskRepository::SetPasswordHash(Id user_id, const std::string& hash) {
  auto rows = conn_.Query("UPDATE users SET password_hash = ? WHERE id = ?",
                          {hash.empty() ? SqlNull() : T(hash), I(user_id)});
  if (!rows.ok()) return rows.error();
  return Status::Ok();
}

Result<std::optional<std::string>> SqlDeskRepository::GetPasswordHash(Id user_id) {
  auto rows = conn_.Query("SELECT password_hash FROM users WHERE id = ?", {I(user_id)});
  if (!rows.ok()) return rows.error();
  if (rows->empty() || rows->front().IsNull(0)) return std::optional<std::string>();
  return std::optional<std::string>(rows->front().Text(0));
}

Status SqlDeskRepository::InsertSession(const Session& s) {
  auto rows = conn_.Query(
      "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at, revoked) VALUES (?,?,?,?,?,?)",
      {T(s.token_hash), I(s.user_id), T(s.csrf_token), At(s.created_at), At(s.expires_at), I(s.revoked)});
  if (!rows.ok()) return rows.error();
  return Status::Ok();
}

Result<std::optional<std::pair<Session, User>>> SqlDeskRepository::FindSessionUser(const std::string& token_hash) {
  using Found = std::optional<std::pair<Session, User>>;
  auto rows = conn_.Query(
      std::string("SELECT s.token_hash, s.user_id, s.csrf_token, s.created_at, s.expires_at, s.revoked, ") +
          "u.id, u.organisation_id, u.name, u.email, u.role, u.named_contact, u.active, u.created_at, u.phone "
          "FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?",
      {T(token_hash)});
  if (!rows.ok()) return rows.error();
  if (rows->empty()) return Found();
  const auto& r = rows->front();
  Session s{r.Text(0), r.Int(1), r.Text(2), FromEpoch(r.Int(3)), FromEpoch(r.Int(4)), r.Int(5) != 0};
  User u;
  u.id = r.Int(6);
  u.organisation_id = r.OptInt(7);
  u.name = r.Text(8);
  u.email = r.Text(9);
  u.role = RoleFromName(r.Text(10)).value_or(Role::kContact);
  u.named_contact = r.Int(11) != 0;
  u.active = r.Int(12) != 0;
  u.created_at = FromEpoch(r.Int(13));
  u.phone = r.Text(14);
  return Found(std::make_pair(std::move(s), std::move(u)));
}

Status SqlDeskRepository::RevokeSession(const std::string& token_hash) {
  auto rows = conn_.Query("UPDATE sessions SET revoked = 1 WHERE token_hash = ?", {T(token_hash)});
  if (!rows.ok()) return rows.error();
  return Status::Ok();
}

Status SqlDeskRepository::RecordSignInFailure(const std::string& subject, Instant at) {
  auto rows = conn_.Query("INSERT INTO sign_in_failures (subject, at) VALUES (?, ?)", {T(subject), At(at)});
  if (!rows.ok()) return rows.error();
  return Status::Ok();
}

Result<std::int64_t> SqlDeskRepository::CountSignInFailures(const std::string& subject, Instant since) {
  auto rows = conn_.Query("SELECT COUNT(*) FROM sign_in_failures WHERE subject = ? AND at >= ?", {T(subject), At(since)});
  if (!rows.ok()) return rows.error();
  return rows->front().Int(0);
}

Status SqlDeskRepository::ClearSignInFailures(const std::string& subject) {
  auto rows = conn_.Query("DELETE FROM sign_in_failures WHERE subject = ?", {T(subject)});
  if (!rows.ok()) return rows.error();
  return Status::Ok();
}

Result<std::int64_t> SqlDeskRepository::NextTicketNumber() {
  // The UPDATE takes a row lock until commit, so two processes can never
  // read the same value (PostgreSQL) and SQLite has a single writer anyway;
  // while it is held, later numbers of the same transaction are known.
  auto rows = conn_.Query("UPDATE counters SET value = value + 1 WHERE name = 'ticket_number' RETURNING value", {});
  if (!rows.ok()) return rows.error();
  if (rows->empty()) return MakeError(ErrorCode::kInternal, "database", "the ticket_number counter is missing");
  return rows->front().Int(0);
}

Result<Id> SqlDeskRepository::InsertTicket(const Ticket& t) { return InsertTicketWithId(t, std::nullopt); }

Result<Id> SqlDeskRepository::InsertTicketWithId(const Ticket& t, std::optional<Id> id) {
  std::vector<SqlValue> params{I(t.number)};
  auto rest = SqlTicketRow::Values(t);
  params.insert(params.end(), rest.begin(), rest.end());
  params.push_back(I(t.version));
  if (!id) return InsertReturningId(std::string("INSERT INTO tickets (") + SqlTicketRow::kInsertColumns + ") VALUES (" +
                                                     SqlTicketRow::kInsertPlaceholders + ")", params);
  params.insert(params.begin(), I(*id));
  Status st = conn_.QueryDeferred(std::string("INSERT INTO tickets (id, ") + SqlTicketRow::kInsertColumns + ") VALUES (?," +
                                      SqlTicketRow::kInsertPlaceholders + ")",
                                  params);
  if (!st.ok()) return st.error();
  return *id;
}

Result<std::optional<Ticket>> SqlDeskRepository::GetTicketByNumber(std::int64_t number, bool lock) {
  auto rows = conn_.Query(std::string("SELECT ") + SqlTicketRow::kSelectColumns + " FROM tickets WHERE number = ?" +
                              LockSuffix(lock),
                          {I(number)});
  if (!rows.ok()) return rows.error();
  if (rows->empty()) return std::optional<Ticket>();
  return std::optional<Ticket>(SqlTicketRow::FromRow(rows->front()));
}

Result<bool> SqlDeskRepository::UpdateTicket(const Ticket& t, std::int64_t expected_version) {
  return UpdateTicketAt(t, expected_version, false);
}

Result<bool> SqlDeskRepository::UpdateTicketAt(const Ticket& t, std::int64_t expected_version, bool queue) {
  auto params = SqlTicketRow::Values(t);
  params.push_back(I(t.id));
  params.push_back(I(expected_version));
  // `version = ?` in the WHERE clause is the optimistic lock: a concurrent
  // writer that got there first makes this match no row (no lost update).
  static const std::string update =
      std::string("UPDATE tickets SET ") + SqlTicketRow::kUpdateSet + " WHERE id = ? AND version = ?";
  if (queue) {
    Status st = conn_.QueryDeferred(update, params);
    if (!st.ok()) return st.error();
    return true;
  }
  auto rows = conn_.Query(update + " RETURNING id", params);
  if (!rows.ok()) return rows.error();
  return !rows->empty();
}

namespace {

// The WHERE (after "WHERE 1 = 1"), ORDER BY and LIMIT of a ticket list;
// `t` is the tickets table's alias ("" or "t.").
void AppendTicketQuery(const TicketQuery& q, const std::string& t, std::string& sql, std::vector<SqlValue>& params) {
  auto col = [&](const char* c) { return t + c; };
  if (q.organisation_id) {
    sql += " AND " + col("organisation_id") + " = ?";
    params.push_back(I(*q.organisation_id));
  }
  auto in_list = [&](const char* c, const std::vector<std::string>& values) {
    sql += " AND " + col(c) + " IN (";
    for (size_t i = 0; i < values.size(); ++i) {
      sql += i ? ",?" : "?";
      params.push_back(T(values[i]));
    }
    sql += ")";
  };
  if (!q.statuses.empty()) {
    std::vector<std::string> names;
    for (auto st : q.statuses) names.emplace_back(StatusName(st));
    in_list("status", names);
  }
  if (q.severity) {
    sql += " AND " + col("severity") + " = ?";
    params.push_back(T(*q.severity));
  }
  if (!q.severities.empty()) in_list("severity", q.severities);
  if (q.plan_id) {
    sql += " AND " + col("plan_id") + " = ?";
    params.push_back(T(*q.plan_id));
  }
  if (q.policy_id) {
    sql += " AND " + col("organisation_id") + " IN (SELECT id FROM organisations WHERE policy_id = ?)";
    params.push_back(T(*q.policy_id));
  }
  if (q.unassigned) {
    sql += " AND " + col("assignee_id") + " IS NULL";
  } else if (q.assignee_id) {
    sql += " AND " + col("assignee_id") + " = ?";
    params.push_back(I(*q.assignee_id));
  } else if (q.assigned) {
    sql += " AND " + col("assignee_id") + " IS NOT NULL";
  }
  if (q.breached) {
    // A running clock past its due time has breached even if no event has
    // re-evaluated the ticket since.
    sql += *q.breached ? " AND (" + col("breached") + " = 1 OR (" + col("next_due") + " IS NOT NULL AND " +
                             col("next_due") + " < ?))"
                       : " AND " + col("breached") + " = 0 AND (" + col("next_due") + " IS NULL OR " + col("next_due") +
                             " >= ?)";
    params.push_back(At(q.now));
  }
  if (q.due_before) {
    sql += " AND " + col("next_due") + " IS NOT NULL AND " + col("next_due") + " < ?";
    params.push_back(At(*q.due_before));
  }
  if (q.order_by_urgency) {
    if (q.after_key && q.after_number) {
      sql += " AND (" + col("urgency_key") + " > ? OR (" + col("urgency_key") + " = ? AND " + col("number") + " > ?))";
      params.push_back(I(*q.after_key));
      params.push_back(I(*q.after_key));
      params.push_back(I(*q.after_number));
    }
    sql += " ORDER BY " + col("urgency_key") + ", " + col("number");
  } else {
    if (q.after_number) {
      sql += " AND " + col("number") + " < ?";
      params.push_back(I(*q.after_number));
    }
    sql += " ORDER BY " + col("number") + " DESC";
  }
  sql += " LIMIT ?";
  params.push_back(I(q.limit));
}

}  // namespace

Result<std::vector<Ticket>> SqlDeskRepository::ListTickets(const TicketQuery& q) {
  std::string sql = std::string("SELECT ") + SqlTicketRow::kSelectColumns + " FROM tickets WHERE 1 = 1";
  std::vector<SqlValue> params;
  AppendTicketQuery(q, "", sql, params);
  auto rows = conn_.Query(sql, params);
  if (!rows.ok()) return rows.error();
  std::vector<Ticket> out;
  out.reserve(rows->size());
  for (const auto& r : *rows) out.push_back(SqlTicketRow::FromRow(r));
  return out;
}

Result<std::vector<QueueRow>> SqlDeskRepository::ListQueue(const TicketQuery& q) {
  std::string sql =
      "SELECT t.number, t.organisation_id, t.requester_id, t.subject, t.severity, t.status, t.assignee_id, t.plan_id, "
      "t.escalation_level, t.updated_at, t.version, t.first_response_due, t.next_update_due, t.resolution_due, "
      "t.next_due, t.breached, o.name, o.policy_id, r.name, a.name, t.id "
      "FROM tickets t JOIN organisations o ON o.id = t.organisation_id JOIN users r ON r.id = t.requester_id "
      "LEFT JOIN users a ON a.id = t.assignee_id WHERE 1 = 1";
  std::vector<SqlValue> params;
  AppendTicketQuery(q, "t.", sql, params);
  auto rows = conn_.Query(sql, params);
  if (!rows.ok()) return rows.error();
  std::vector<QueueRow> out;
  out.reserve(rows->size());
  for (const auto& r : *rows) {
    QueueRow row;
    Ticket& t = row.ticket;
    t.number = r.Int(0);
    t.organisation_id = r.Int(1);
    t.requester_id = r.Int(2);
    t.subject = r.Text(3);
    t.severity = r.Text(4);
    t.status = StatusFromName(r.Text(5)).value_or(TicketStatus::kNew);
    t.assignee_id = r.OptInt(6);
    t.plan_id = r.Text(7);
    t.escalation_level = r.Int(8);
    t.updated_at = FromEpoch(r.Int(9));
    t.version = r.Int(10);
    t.first_response_due = OptInstant(r, 11);
    t.next_update_due = OptInstant(r, 12);
    t.resolution_due = OptInstant(r, 13);
    t.next_due = OptInstant(r, 14);
    t.breached = r.Int(15) != 0;
    row.organisation_name = r.Text(16);
    row.policy_id = r.Text(17);
    row.requester_name = r.Text(18);
    row.assignee_name = r.OptText(19);
    t.id = r.Int(20);
    out.push_back(std::move(row));
  }
  return out;
}

Result<std::int64_t> SqlDeskRepository::CountTicketsOpenedSince(Id organisation_id, Instant since) {
  auto rows = conn_.Query("SELECT COUNT(*) FROM tickets WHERE organisation_id = ? AND opened_at >= ?",
                          {I(organisation_id), At(since)});
  if (!rows.ok()) return rows.error();
  return rows->front().Int(0);
}

Result<std::int64_t> SqlDeskRepository::IncrementIncidents(Id organisation_id, Instant month_start) {
  // The upsert locks the counter row until commit; while it is held, the
  // count is known and later increments are FinishBatch's to write.
  auto rows = conn_.Query(
      "INSERT INTO incident_counts (organisation_id, month_start, opened) VALUES (?, ?, 1) "
      "ON CONFLICT (organisation_id, month_start) DO UPDATE SET opened = incident_counts.opened + 1 "
      "RETURNING opened",
      {I(organisation_id), At(month_start)});
  if (!rows.ok()) return rows.error();
  if (rows->empty()) return MakeError(ErrorCode::kInternal, "database", "incident counter upsert returned nothing");
  return rows->front().Int(0);
}

Result<std::int64_t> SqlDeskRepository::CountIncidents(Id organisation_id, Instant month_start) {
  auto rows = conn_.Query("SELECT opened FROM incident_counts WHERE organisation_id = ? AND month_start = ?",
                          {I(organisation_id), At(month_start)});
  if (!rows.ok()) return rows.error();
  return rows->empty() ? 0 : rows->front().Int(0);
}

Status SqlDeskRepository::QueueTicketCounter(std::int64_t value) {
  return conn_.QueryDeferred("UPDATE counters SET value = ? WHERE name = 'ticket_number'", {I(value)});
}

Status SqlDeskRepository::QueueIncidentCount(Id organisation_id, Instant month_start, std::int64_t value) {
  return conn_.QueryDeferred("UPDATE incident_counts SET opened = ? WHERE organisation_id = ? AND month_start = ?",
                             {I(value), I(organisation_id), At(month_start)});
}

Result<std::vector<Id>> SqlDeskRepository::ReserveIds(const std::string& table, std::size_t count) {
  std::vector<Id> out;
  if (conn_.dialect() == SqlDialect::kPostgres) {
    // BIGSERIAL's sequence: values handed out are never handed out again,
    // whether the transaction commits or not.
    auto rows = conn_.Query("SELECT nextval('" + table + "_id_seq') FROM generate_series(1, ?)",
                            {I(static_cast<std::int64_t>(count))});
    if (!rows.ok()) return rows.error();
    for (const auto& r : *rows) out.push_back(r.Int(0));
    return out;
  }
  // SQLite: the write lock is held until COMMIT, so MAX(id) + 1 onwards is ours.
  auto rows = conn_.Query("SELECT COALESCE(MAX(id), 0) + 1 FROM " + table, {});
  if (!rows.ok()) return rows.error();
  for (std::size_t i = 0; i < count; ++i) out.push_back(rows->front().Int(0) + static_cast<Id>(i));
  return out;
}

Status SqlDeskRepository::AppendEvent(const TicketEventRecord& e) {
  // Queued: the next statement (a read of the log, or the unit's flush)
  // travels with it, and a failure fails the unit all the same.
  return conn_.QueryDeferred(
      "INSERT INTO ticket_events (ticket_id, at, actor_id, kind, data) VALUES (?,?,?,?,?)",
      {I(e.ticket_id), At(e.at), I(e.actor_id), T(std::string(EventKindName(e.kind))), T(e.data_json)});
}

Result<std::vector<TicketEventRecord>> SqlDeskRepository::ListEvents(Id ticket_id) {
  auto rows = conn_.Query(
      "SELECT id, ticket_id, at, actor_id, kind, data FROM ticket_events WHERE ticket_id = ? ORDER BY id",
      {I(ticket_id)});
  if (!rows.ok()) return rows.error();
  std::vector<TicketEventRecord> out;
  for (const auto& r : *rows) {
    auto kind = EventKindFromName(r.Text(4));
    if (!kind) return MakeError(ErrorCode::kInternal, "database", "unknown event kind '" + r.Text(4) + "'");
    out.push_back({r.Int(0), r.Int(1), FromEpoch(r.Int(2)), r.Int(3), *kind, r.Text(5)});
  }
  return out;
}

Result<Id> SqlDeskRepository::InsertMessage(const Message& m) { return InsertMessageWithId(m, std::nullopt); }

Result<Id> SqlDeskRepository::InsertMessageWithId(const Message& m, std::optional<Id> id) {
  constexpr const char* kInsert =
      "INSERT INTO messages (ticket_id, author_id, visibility, body, created_at) VALUES (?,?,?,?,?)";
  std::vector<SqlValue> params{I(m.ticket_id), I(m.author_id), T(std::string(VisibilityName(m.visibility))),
                               T(m.body), At(m.created_at)};
  if (!id) return InsertReturningId(kInsert, params);
  params.insert(params.begin(), I(*id));
  Status st = conn_.QueryDeferred(
      "INSERT INTO messages (id, ticket_id, author_id, visibility, body, created_at) VALUES (?,?,?,?,?,?)", params);
  if (!st.ok()) return st.error();
  return *id;
}

Result<std::vector<Message>> SqlDeskRepository::ListMessages(Id ticket_id, bool include_internal) {
  auto rows = conn_.Query(
      include_internal
          ? "SELECT id, ticket_id, author_id, visibility, body, created_at FROM messages "
            "WHERE ticket_id = ? ORDER BY id"
          : "SELECT id, ticket_id, author_id, visibility, body, created_at FROM messages "
            "WHERE ticket_id = ? AND visibility = 'public' ORDER BY id",
      {I(ticket_id)});
  if (!rows.ok()) return rows.error();
  std::vector<Message> out;
  for (const auto& r : *rows)
    out.push_back({r.Int(0), r.Int(1), r.Int(2),
                   VisibilityFromName(r.Text(3)).value_or(Visibility::kInternal), r.Text(4),
                   FromEpoch(r.Int(5))});
  return out;
}

Result<Id> SqlDeskRepository::InsertAttachment(const Attachment& a) {
  return InsertReturningId(
      "INSERT INTO attachments (ticket_id, uploader_id, filename, content_type, size, data, created_at) "
      "VALUES (?,?,?,?,?,?,?)",
      {I(a.ticket_id), I(a.uploader_id), T(a.filename), T(a.content_type),
       I(static_cast<std::int64_t>(a.data.size())), SqlValue{SqlBlob{a.data}}, At(a.created_at)});
}

Result<std::optional<Attachment>> SqlDeskRepository::GetAttachment(Id ticket_id, Id attachment_id) {
  auto rows = conn_.Query(
      "SELECT id, ticket_id, uploader_id, filename, content_type, size, data, created_at FROM attachments "
      "WHERE ticket_id = ? AND id = ?",
      {I(ticket_id), I(attachment_id)});
  if (!rows.ok()) return rows.error();
  if (rows->empty()) return std::optional<Attachment>();
  const auto& r = rows->front();
  return std::optional<Attachment>(Attachment{r.Int(0), r.Int(1), r.Int(2), r.Text(3), r.Text(4),
                                              r.Int(5), r.Text(6), FromEpoch(r.Int(7))});
}

Result<std::vector<Attachment>> SqlDeskRepository::ListAttachments(Id ticket_id) {
  auto rows = conn_.Query(
      "SELECT id, ticket_id, uploader_id, filename, content_type, size, created_at FROM attachments "
      "WHERE ticket_id = ? ORDER BY id",
      {I(ticket_id)});
  if (!rows.ok()) return rows.error();
  std::vector<Attachment> out;
  for (const auto& r : *rows)
    out.push_back({r.Int(0), r.Int(1), r.Int(2), r.Text(3), r.Text(4), r.Int(5), "", FromEpoch(r.Int(6))});
  return out;
}

Result<Id> SqlDeskRepository::InsertTimeEntry(const TimeEntry& e) {
  return InsertReturningId(
      "INSERT INTO time_entries (ticket_id, organisation_id, agent_id, seconds, note, at) VALUES (?,?,?,?,?,?)",
      {I(e.ticket_id), I(e.organisation_id), I(e.agent_id), I(e.seconds), T(e.note), At(e.at)});
}

Result<std::vector<TimeEntry>> SqlDeskRepository::ListTimeEntries(Id ticket_id) {
  auto rows = conn_.Query(
      "SELECT id, ticket_id, organisation_id, agent_id, seconds, note, at FROM time_entries WHERE ticket_id = ? "
      "ORDER BY id",
      {I(ticket_id)});
  if (!rows.ok()) return rows.error();
  std::vector<TimeEntry> out;
  for (const auto& r : *rows)
    out.push_back({r.Int(0), r.Int(1), r.Int(2), r.Int(3), r.Int(4), r.Text(5), FromEpoch(r.Int(6))});
  return out;
}

Result<Seconds> SqlDeskRepository::SumTimeSeconds(Id organisation_id, Instant from, Instant to) {
  auto rows = conn_.Query(
      "SELECT COALESCE(SUM(seconds), 0) FROM time_entries WHERE organisation_id = ? AND at >= ? AND at < ?",
      {I(organisation_id), At(from), At(to)});
  if (!rows.ok()) return rows.error();
  return rows->front().Int(0);
}

Result<Id> SqlDeskRepository::InsertEscalation(const Escalation& e) {
  return InsertReturningId(
      "INSERT INTO escalations (ticket_id, organisation_id, level, business_impact, requested_by, at) "
      "VALUES (?,?,?,?,?,?)",
      {I(e.ticket_id), I(e.organisation_id), I(e.level), T(e.business_impact), I(e.requested_by), At(e.at)});
}

Result<std::int64_t> SqlDeskRepository::CountEscalations(Id organisation_id) {
  auto rows = conn_.Query("SELECT COUNT(*) FROM escalations WHERE organisation_id = ?", {I(organisation_id)});
  if (!rows.ok()) return rows.error();
  return rows->front().Int(0);
}

Result<std::optional<IdempotencyRecord>> SqlDeskRepository::FindIdempotency(Id user_id,
                                                                            const std::string& key) {
  auto rows = conn_.Query(
      "SELECT user_id, idem_key, request_hash, status_code, response_body, location, created_at "
      "FROM idempotency_keys WHERE user_id = ? AND idem_key = ?",
      {I(user_id), T(key)});
  if (!rows.ok()) return rows.error();
  if (rows->empty()) return std::optional<IdempotencyRecord>();
  const auto& r = rows->front();
  return std::optional<IdempotencyRecord>(IdempotencyRecord{
      r.Int(0), r.Text(1), r.Text(2), static_cast<int>(r.Int(3)), r.Text(4), r.Text(5), FromEpoch(r.Int(6))});
}

Status SqlDeskRepository::InsertIdempotency(const IdempotencyRecord& rec) {
  // Queued: a concurrent create with the same key makes the batch's flush
  // fail with a unique violation, and the unit, run again alone, replays.
  return conn_.QueryDeferred(
      "INSERT INTO idempotency_keys (user_id, idem_key, request_hash, status_code, response_body, "
      "location, created_at) VALUES (?,?,?,?,?,?,?)",
      {I(rec.user_id), T(rec.key), T(rec.request_hash), I(rec.status_code), T(rec.response_body),
       T(rec.location), At(rec.created_at)});
}

Status SqlDeskRepository::Ping() {
  auto rows = conn_.Query("SELECT 1", {});
  if (!rows.ok()) return rows.error();
  return Status::Ok();
}

}  // namespace sladesk
