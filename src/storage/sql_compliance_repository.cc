#include "storage/sql_compliance_repository.h"

#include <limits>
#include <iterator>
#include <map>
#include <unordered_map>

#include "storage/sql_args.h"

namespace sladesk {
namespace {

using namespace sql_args;  // I, T, At, OptAt, OptInstant

constexpr const char* kIncidentColumns =
    "id, kind, organisation_id, service, cause, title, description, starts_at, ends_at, recorded_by, "
    "recorded_at, ended_by, version";

Result<ServiceIncidentRecord> IncidentFromRow(const SqlRow& r) {
  ServiceIncidentRecord i;
  i.id = r.Int(0);
  i.kind = r.Text(1) == "maintenance" ? IncidentKind::kMaintenance : IncidentKind::kIncident;
  i.organisation_id = r.OptInt(2);
  i.service = r.Text(3);
  auto cause = IncidentCauseFromName(r.Text(4));
  if (!cause) return MakeError(ErrorCode::kInternal, "database", "unknown incident cause '" + r.Text(4) + "'");
  i.cause = *cause;
  i.title = r.Text(5);
  i.description = r.Text(6);
  i.start = FromEpoch(r.Int(7));
  i.end = OptInstant(r, 8);
  i.recorded_by = r.Int(9);
  i.recorded_at = FromEpoch(r.Int(10));
  i.ended_by = r.OptInt(11);
  i.version = r.Int(12);
  return i;
}

constexpr const char* kNoticeColumns =
    "id, organisation_id, notified_by, notified_at, window_from, window_to, submitted, considered, over_count, "
    "downtime, result_json";

DowntimeNoticeRecord NoticeFromRow(const SqlRow& r) {
  DowntimeNoticeRecord n;
  n.id = r.Int(0);
  n.organisation_id = r.Int(1);
  n.notified_by = r.Int(2);
  n.notified_at = FromEpoch(r.Int(3));
  n.window_from = FromEpoch(r.Int(4));
  n.window_to = FromEpoch(r.Int(5));
  n.submitted = r.Int(6);
  n.considered = r.Int(7);
  n.over = r.Int(8);
  n.downtime = r.Int(9) != 0;
  n.result_json = r.Text(10);
  return n;
}

constexpr const char* kRcaColumns =
    "id, organisation_id, month, assignee_id, state, availability_micro_percent, target_percent, opened_at, "
    "updated_at";

RcaTaskRecord RcaFromRow(const SqlRow& r) {
  RcaTaskRecord t;
  t.id = r.Int(0);
  t.organisation_id = r.Int(1);
  t.month = r.Text(2);
  t.assignee_id = r.OptInt(3);
  t.state = RcaStateFromName(r.Text(4)).value_or(RcaState::kOpen);
  t.availability_micro_percent = r.Int(5);
  t.target_percent = r.Text(6);
  t.opened_at = FromEpoch(r.Int(7));
  t.updated_at = FromEpoch(r.Int(8));
  return t;
}

}  // namespace

const char* const kRemedyPeriodColumns =
    "id, organisation_id, notice_id, month, starts_at, ends_at, max_tickets, ended_at, created_at";

RemedyPeriodRecord RemedyPeriodFromRow(const SqlRow& r) {
  RemedyPeriodRecord p;
  p.id = r.Int(0);
  p.organisation_id = r.Int(1);
  p.notice_id = r.Int(2);
  p.month = r.Text(3);
  p.starts_at = FromEpoch(r.Int(4));
  p.ends_at = FromEpoch(r.Int(5));
  p.max_tickets = r.Int(6);
  p.ended_at = OptInstant(r, 7);
  p.created_at = FromEpoch(r.Int(8));
  return p;
}


Result<Id> SqlComplianceRepository::InsertReturningId(const std::string& sql, const std::vector<SqlValue>& params) {
  auto rows = conn_.Query(sql + " RETURNING id", params);
  if (!rows.ok()) return rows.error();
  if (rows->empty()) return MakeError(ErrorCode::kInternal, "database", "insert returned no id");
  return rows->front().Int(0);
}

Result<Id> SqlComplianceRepository::InsertIncident(const ServiceIncidentRecord& i) {
  return InsertReturningId(
      "INSERT INTO service_incidents (kind, organisation_id, service, cause, title, description, starts_at, "
      "ends_at, recorded_by, recorded_at, ended_by, version) VALUES (?,?,?,?,?,?,?,?,?,?,?,1)",
      {T(std::string(IncidentKindName(i.kind))), SqlOpt(i.organisation_id), T(i.service),
       T(std::string(IncidentCauseName(i.cause))), T(i.title), T(i.description), At(i.start), OptAt(i.end),
       I(i.recorded_by), At(i.recorded_at), SqlOpt(i.ended_by)});
}

Result<std::optional<ServiceIncidentRecord>> SqlComplianceRepository::GetIncident(Id id, bool lock) {
  auto rows = conn_.Query(std::string("SELECT ") + kIncidentColumns + " FROM service_incidents WHERE id = ?" +
                              (lock && conn_.dialect() == SqlDialect::kPostgres ? " FOR UPDATE" : ""),
                          {I(id)});
  if (!rows.ok()) return rows.error();
  if (rows->empty()) return std::optional<ServiceIncidentRecord>();
  auto i = IncidentFromRow(rows->front());
  if (!i.ok()) return i.error();
  return std::optional<ServiceIncidentRecord>(std::move(i).value());
}

Result<bool> SqlComplianceRepository::UpdateIncident(const ServiceIncidentRecord& i, std::int64_t expected_version) {
  auto rows = conn_.Query(
      "UPDATE service_incidents SET organisation_id = ?, service = ?, cause = ?, title = ?, description = ?, "
      "starts_at = ?, ends_at = ?, ended_by = ?, version = version + 1 WHERE id = ? AND version = ? RETURNING id",
      {SqlOpt(i.organisation_id), T(i.service), T(std::string(IncidentCauseName(i.cause))), T(i.title),
       T(i.description), At(i.start), OptAt(i.end), SqlOpt(i.ended_by), I(i.id), I(expected_version)});
  if (!rows.ok()) return rows.error();
  return !rows->empty();
}

Status SqlComplianceRepository::DeleteIncident(Id id) {
  auto rows = conn_.Query("DELETE FROM service_incidents WHERE id = ?", {I(id)});
  if (!rows.ok()) return rows.error();
  return Status::Ok();
}

Result<std::vector<ServiceIncidentRecord>> SqlComplianceRepository::ListIncidents(const IncidentQuery& q) {
  std::string sql = std::string("SELECT ") + kIncidentColumns + " FROM service_incidents WHERE id > ?";
  std::vector<SqlValue> params{I(q.after_id)};
  if (q.kind) {
    sql += " AND kind = ?";
    params.push_back(T(std::string(IncidentKindName(*q.kind))));
  }
  if (q.service_wide_only) {
    sql += " AND organisation_id IS NULL";
  } else if (q.organisation_id) {
    sql += q.include_service_wide ? " AND (organisation_id = ? OR organisation_id IS NULL)" : " AND organisation_id = ?";
    params.push_back(I(*q.organisation_id));
  }
  if (q.from) {
    sql += " AND (ends_at IS NULL OR ends_at > ?)";
    params.push_back(At(*q.from));
  }
  if (q.to) {
    sql += " AND starts_at < ?";
    params.push_back(At(*q.to));
  }
  if (q.open_only) sql += " AND ends_at IS NULL";
  sql += " ORDER BY id LIMIT ?";
  params.push_back(I(q.limit));
  auto rows = conn_.Query(sql, params);
  if (!rows.ok()) return rows.error();
  std::vector<ServiceIncidentRecord> out;
  for (const auto& r : *rows) {
    auto i = IncidentFromRow(r);
    if (!i.ok()) return i.error();
    out.push_back(std::move(i).value());
  }
  return out;
}

Result<Id> SqlComplianceRepository::InsertDowntimeNotice(const DowntimeNoticeRecord& n) {
  return InsertReturningId(
      "INSERT INTO downtime_notices (organisation_id, notified_by, notified_at, window_from, window_to, submitted, "
      "considered, over_count, downtime, result_json) VALUES (?,?,?,?,?,?,?,?,?,?)",
      {I(n.organisation_id), I(n.notified_by), At(n.notified_at), At(n.window_from), At(n.window_to),
       I(n.submitted), I(n.considered), I(n.over), I(n.downtime ? 1 : 0), T(n.result_json)});
}

Result<std::vector<DowntimeNoticeRecord>> SqlComplianceRepository::ListDowntimeNotices(Id organisation_id) {
  auto rows = conn_.Query(std::string("SELECT ") + kNoticeColumns +
                              " FROM downtime_notices WHERE organisation_id = ? ORDER BY notified_at DESC, id DESC",
                          {I(organisation_id)});
  if (!rows.ok()) return rows.error();
  std::vector<DowntimeNoticeRecord> out;
  for (const auto& r : *rows) out.push_back(NoticeFromRow(r));
  return out;
}

Result<Id> SqlComplianceRepository::InsertRemedyPeriod(const RemedyPeriodRecord& p) {
  return InsertReturningId(
      "INSERT INTO remedy_periods (organisation_id, notice_id, month, starts_at, ends_at, max_tickets, ended_at, "
      "created_at) VALUES (?,?,?,?,?,?,?,?)",
      {I(p.organisation_id), I(p.notice_id), T(p.month), At(p.starts_at), At(p.ends_at), I(p.max_tickets),
       OptAt(p.ended_at), At(p.created_at)});
}

Result<std::vector<RemedyPeriodRecord>> SqlComplianceRepository::ListRemedyPeriods(Id organisation_id) {
  auto rows = conn_.Query(std::string("SELECT ") + kRemedyPeriodColumns +
                              " FROM remedy_periods WHERE organisation_id = ? ORDER BY starts_at DESC, id DESC",
                          {I(organisation_id)});
  if (!rows.ok()) return rows.error();
  std::vector<RemedyPeriodRecord> out;
  for (const auto& r : *rows) out.push_back(RemedyPeriodFromRow(r));
  return out;
}

Result<std::vector<std::int64_t>> SqlComplianceRepository::FirstTicketsOpened(Id organisation_id, Instant from,
                                                                              Instant to, int limit) {
  auto rows = conn_.Query(
      "SELECT number FROM tickets WHERE organisation_id = ? AND opened_at >= ? AND opened_at < ? "
      "ORDER BY opened_at, number LIMIT ?",
      {I(organisation_id), At(from), At(to), I(limit)});
  if (!rows.ok()) return rows.error();
  std::vector<std::int64_t> out;
  for (const auto& r : *rows) out.push_back(r.Int(0));
  return out;
}

Result<Id> SqlComplianceRepository::InsertRcaTask(const RcaTaskRecord& t) {
  return InsertReturningId(
      "INSERT INTO rca_tasks (organisation_id, month, assignee_id, state, availability_micro_percent, "
      "target_percent, opened_at, updated_at) VALUES (?,?,?,?,?,?,?,?)",
      {I(t.organisation_id), T(t.month), SqlOpt(t.assignee_id), T(std::string(RcaStateName(t.state))),
       I(t.availability_micro_percent), T(t.target_percent), At(t.opened_at), At(t.updated_at)});
}

Result<std::optional<RcaTaskRecord>> SqlComplianceRepository::FindRcaTask(Id organisation_id,
                                                                        const std::string& month) {
  auto rows = conn_.Query(std::string("SELECT ") + kRcaColumns +
                              " FROM rca_tasks WHERE organisation_id = ? AND month = ?",
                          {I(organisation_id), T(month)});
  if (!rows.ok()) return rows.error();
  if (rows->empty()) return std::optional<RcaTaskRecord>();
  return std::optional<RcaTaskRecord>(RcaFromRow(rows->front()));
}

Result<std::vector<RcaTaskRecord>> SqlComplianceRepository::ListRcaTasks(std::optional<Id> organisation_id,
                                                                       bool open_only) {
  std::string sql = std::string("SELECT ") + kRcaColumns + " FROM rca_tasks WHERE 1 = 1";
  std::vector<SqlValue> params;
  if (organisation_id) {
    sql += " AND organisation_id = ?";
    params.push_back(I(*organisation_id));
  }
  if (open_only) sql += " AND state = 'open'";
  sql += " ORDER BY month, id";
  auto rows = conn_.Query(sql, params);
  if (!rows.ok()) return rows.error();
  std::vector<RcaTaskRecord> out;
  for (const auto& r : *rows) out.push_back(RcaFromRow(r));
  return out;
}

Result<Id> SqlComplianceRepository::MaxTicketId() {
  auto rows = conn_.Query("SELECT COALESCE(MAX(id), 0) FROM tickets", {});
  if (!rows.ok()) return rows.error();
  return rows->empty() ? Id{0} : rows->front().Int(0);
}

// ScanReportTickets: sql_report_scan.cc.

}  // namespace sladesk
