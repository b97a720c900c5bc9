// SqlComplianceRepository::ScanReportTickets (sql_compliance_repository.h):
// the stored tickets an SLA report reads, window by window of ticket ids.
//
// Per window of kScanWindow ids: its escalations (a few, by the
// escalations_by_ticket index), then its tickets streamed in id order with
// their clock_log (migration 9); a ticket with a current clock log is
// handed over straight from the row. Tickets without one (rows saved
// before migration 9 and not changed since) are collected with every
// later ticket of the window, so that the order stays the ids', and read
// with their clock-relevant event rows in one query after the window's
// stream. Memory: one window.
#include <iterator>
#include <limits>
#include <unordered_map>

#include "desk/clock_log.h"
#include "storage/sql_args.h"
#include "storage/sql_compliance_repository.h"

namespace sladesk {
namespace {

using namespace sql_args;  // I, T, At, OptAt, OptInstant

// The event kinds SlaProjector::ToSlaEvents reads; the others (notes,
// assignments, fields, ...) are not read at all. The scan reads each as its
// index here (the database compares the names, no kind string is copied).
constexpr EventKind kClockKindList[] = {
    EventKind::kOpened,          EventKind::kAgentReply,    EventKind::kCustomerReply,
    EventKind::kWaitingOnCustomer, EventKind::kSeverityChanged, EventKind::kResolved,
    EventKind::kReopened,        EventKind::kClosed,        EventKind::kStatusChanged,
    EventKind::kEngineeringIssueLinked, EventKind::kEngineeringUpdate};

const std::string& ClockKindsIn() {  // ('opened', 'agent_reply', ...)
  static const std::string text = [] {
    std::string out = "(";
    for (EventKind k : kClockKindList) out += (out.size() > 1 ? ",'" : "'") + std::string(EventKindName(k)) + "'";
    return out + ")";
  }();
  return text;
}

const std::string& ClockKindIndex() {  // CASE kind WHEN 'opened' THEN 0 ... END
  static const std::string text = [] {
    std::string out = "CASE kind";
    for (size_t i = 0; i < std::size(kClockKindList); ++i)
      out += " WHEN '" + std::string(EventKindName(kClockKindList[i])) + "' THEN " + std::to_string(i);
    return out + " END";
  }();
  return text;
}

struct WindowEscalation {
  Id ticket_id = 0;
  Instant at{};
  std::int64_t level = 0;
};

// Reads the clock-relevant events of `pending`'s tickets without a clock log.
Status ReadEvents(SqlConnection& conn, std::vector<StoredReportTicket>& pending) {
  std::unordered_map<Id, size_t> index;
  std::string where = "ticket_id IN (";
  std::vector<SqlValue> ids;
  Id lo = 0, hi = 0;
  for (size_t k = 0; k < pending.size(); ++k) {
    if (pending[k].has_clock_log) continue;
    if (ids.empty()) lo = pending[k].id;
    hi = pending[k].id;
    index.emplace(pending[k].id, k);
    where += ids.empty() ? "?" : ",?";
    ids.push_back(I(pending[k].id));
  }
  if (ids.empty()) return Status::Ok();
  where += ")";
  // Dense (a window of old rows, no filter): read the id range instead.
  if (static_cast<std::size_t>(hi - lo + 1) <= 2 * ids.size()) {
    where = "ticket_id >= ? AND ticket_id <= ?";
    ids = {I(lo), I(hi)};
  }
  // Only the kinds whose data the projection reads bring their data.
  return conn.QueryEach(
      "SELECT ticket_id, at, " + ClockKindIndex() +
          ", CASE WHEN kind IN ('opened', 'severity_changed', 'status_changed', 'engineering_update') THEN data "
          "ELSE '' END FROM ticket_events WHERE " +
          where + " AND kind IN " + ClockKindsIn() + " ORDER BY ticket_id, id",
      ids, [&](const SqlRow& r) -> Status {
        const Id ticket_id = r.Int(0);
        auto it = index.find(ticket_id);
        if (it == index.end()) return Status::Ok();
        const std::int64_t k = r.Int(2);
        if (k < 0 || k >= static_cast<std::int64_t>(std::size(kClockKindList)))
          return MakeError(ErrorCode::kInternal, "database", "unexpected event kind in ticket " + std::to_string(ticket_id));
        TicketEventRecord e;
        e.ticket_id = ticket_id;
        e.at = FromEpoch(r.Int(1));
        e.kind = kClockKindList[k];
        e.data_json = r.Text(3);
        pending[it->second].events.push_back(std::move(e));
        return Status::Ok();
      });
}

}  // namespace

Status SqlComplianceRepository::ScanReportTickets(const ReportTicketFilter& f,
                                                  const std::function<Status(const StoredReportTicket&)>& visit) {
  // Names once: the policy's organisations, and staff (assignees).
  std::unordered_map<Id, std::string> orgs, staff;
  {
    std::string sql = "SELECT id, name FROM organisations WHERE policy_id = ?";
    std::vector<SqlValue> params{T(f.policy_id)};
    if (f.organisation_id) {
      sql += " AND id = ?";
      params.push_back(I(*f.organisation_id));
    }
    auto rows = conn_.Query(sql, params);
    if (!rows.ok()) return rows.error();
    for (const auto& r : *rows) orgs.emplace(r.Int(0), r.Text(1));
    auto users = conn_.Query("SELECT id, name FROM users WHERE role <> 'contact'", {});
    if (!users.ok()) return users.error();
    for (const auto& r : *users) staff.emplace(r.Int(0), r.Text(1));
  }
  if (orgs.empty()) return Status::Ok();

  std::string tickets_sql =
      "SELECT id, number, organisation_id, plan_id, severity, assignee_id, time_spent_seconds, clock_log "
      "FROM tickets WHERE id > ? AND id <= ? AND opened_at < ?";
  std::vector<SqlValue> fixed;
  if (f.opened_from) {
    tickets_sql += " AND opened_at >= ?";
    fixed.push_back(At(*f.opened_from));
  }
  if (f.organisation_id) {
    tickets_sql += " AND organisation_id = ?";
    fixed.push_back(I(*f.organisation_id));
  }
  if (f.plan_id) {
    tickets_sql += " AND plan_id = ?";
    fixed.push_back(T(*f.plan_id));
  }
  if (f.assignee_id) {
    tickets_sql += " AND assignee_id = ?";
    fixed.push_back(I(*f.assignee_id));
  }
  if (f.untouched_resolved_before) {
    tickets_sql += " AND NOT (status IN ('resolved', 'closed') AND updated_at < ?)";
    fixed.push_back(At(*f.untouched_resolved_before));
  }
  tickets_sql += " ORDER BY id";
  const std::string escalations_sql =
      "SELECT ticket_id, at, level FROM escalations WHERE ticket_id > ? AND ticket_id <= ? ORDER BY ticket_id, id";

  Id up_to = f.up_to_id;
  if (up_to <= 0) {
    auto max = MaxTicketId();
    if (!max.ok()) return max.error();
    up_to = *max;
  }
  std::vector<WindowEscalation> escalations;
  std::vector<StoredReportTicket> pending;  // from the window's first ticket without a clock log on
  size_t pending_used = 0;
  StoredReportTicket ticket;  // reused: its strings keep their capacity
  size_t next_escalation = 0;
  auto add_escalations = [&](StoredReportTicket& t) {
    t.escalations.clear();
    while (next_escalation < escalations.size() && escalations[next_escalation].ticket_id < t.id) ++next_escalation;
    for (; next_escalation < escalations.size() && escalations[next_escalation].ticket_id == t.id; ++next_escalation)
      t.escalations.emplace_back(escalations[next_escalation].at, escalations[next_escalation].level);
  };
  for (Id lo = f.after_id; lo < up_to;) {
    const Id hi = up_to - lo <= kScanWindow ? up_to : lo + kScanWindow;
    escalations.clear();
    next_escalation = 0;
    Status st = conn_.QueryEach(escalations_sql, {I(lo), I(hi)}, [&](const SqlRow& r) -> Status {
      escalations.push_back({r.Int(0), FromEpoch(r.Int(1)), r.Int(2)});
      return Status::Ok();
    });
    if (!st.ok()) return st;
    pending_used = 0;
    std::vector<SqlValue> params{I(lo), I(hi), At(f.opened_before)};
    params.insert(params.end(), fixed.begin(), fixed.end());
    st = conn_.QueryEach(tickets_sql, params, [&](const SqlRow& r) -> Status {
      auto org = orgs.find(r.Int(2));
      if (org == orgs.end()) return Status::Ok();  // another policy's organisation
      const bool has_log = !r.IsNull(7) && ClockLog::IsCurrent(r.TextView(7));
      const bool direct = has_log && pending_used == 0;
      if (!direct && pending_used == pending.size()) pending.emplace_back();
      StoredReportTicket& t = direct ? ticket : pending[pending_used++];
      t.id = r.Int(0);
      t.number = r.Int(1);
      t.organisation = org->second;
      t.plan_id.assign(r.TextView(3));
      t.severity.assign(r.TextView(4));
      t.assignee.clear();
      if (!r.IsNull(5))
        if (auto a = staff.find(r.Int(5)); a != staff.end()) t.assignee = a->second;
      t.time_spent_seconds = r.Int(6);
      t.has_clock_log = has_log;
      if (has_log) t.clock_log.assign(r.TextView(7));
      else t.clock_log.clear();
      t.events.clear();
      if (!direct) return Status::Ok();
      add_escalations(t);
      return visit(t);
    });
    if (!st.ok()) return st;
    if (pending_used > 0) {
      pending.resize(pending_used);
      if (Status read = ReadEvents(conn_, pending); !read.ok()) return read;
      for (auto& t : pending) {
        add_escalations(t);
        if (Status v = visit(t); !v.ok()) return v;
      }
    }
    lo = hi;
  }
  return Status::Ok();
}

}  // namespace sladesk
