// SqlDeskRepository's part for the SLA scheduler: the ticket_due index of
// next fire instants, its claims, and the unique firing keys (migration 5).
#include <algorithm>

#include "storage/sql_args.h"
#include "storage/sql_compliance_repository.h"
#include "storage/sql_desk_repository.h"

namespace sladesk {
namespace {

using namespace sql_args;  // I, T, At, OptAt, OptInstant

}  // namespace

Status SqlDeskRepository::SetTicketDue(Id ticket_id, std::int64_t number, std::optional<Instant> due) {
  if (!due) return conn_.QueryDeferred("DELETE FROM ticket_due WHERE ticket_id = ?", {I(ticket_id)});
  return conn_.QueryDeferred(
      "INSERT INTO ticket_due (ticket_id, number, due_at, lease_until) VALUES (?, ?, ?, NULL) "
      "ON CONFLICT (ticket_id) DO UPDATE SET due_at = excluded.due_at, lease_until = NULL",
      {I(ticket_id), I(number), At(*due)});
}

Result<std::vector<DueTicket>> SqlDeskRepository::ClaimDueTickets(Instant now, Instant lease_until, int limit) {
  // PostgreSQL: rows another claim has locked are skipped, not waited for;
  // once it commits, its lease keeps them out. SQLite has one writer.
  const std::string skip = conn_.dialect() == SqlDialect::kPostgres ? " FOR UPDATE SKIP LOCKED" : "";
  auto rows = conn_.Query(
      "UPDATE ticket_due SET lease_until = ? WHERE ticket_id IN ("
      "SELECT ticket_id FROM ticket_due WHERE due_at <= ? AND (lease_until IS NULL OR lease_until <= ?) "
      "ORDER BY due_at LIMIT ?" + skip + ") RETURNING ticket_id, number, due_at",
      {At(lease_until), At(now), At(now), I(limit)});
  if (!rows.ok()) return rows.error();
  std::vector<DueTicket> out;
  out.reserve(rows->size());
  for (const auto& r : *rows) out.push_back({r.Int(0), r.Int(1), FromEpoch(r.Int(2))});
  std::sort(out.begin(), out.end(), [](const DueTicket& a, const DueTicket& b) { return a.due_at < b.due_at; });
  return out;
}

Result<std::optional<Instant>> SqlDeskRepository::EarliestDue(Instant now) {
  auto rows = conn_.Query(
      "SELECT MIN(due_at) FROM ticket_due WHERE lease_until IS NULL OR lease_until <= ?", {At(now)});
  if (!rows.ok()) return rows.error();
  if (rows->empty() || (*rows)[0].IsNull(0)) return std::optional<Instant>();
  return std::optional<Instant>(FromEpoch((*rows)[0].Int(0)));
}

Result<std::int64_t> SqlDeskRepository::CountDue(Instant up_to) {
  auto rows = conn_.Query("SELECT COUNT(*) FROM ticket_due WHERE due_at <= ?", {At(up_to)});
  if (!rows.ok()) return rows.error();
  return rows->empty() ? 0 : (*rows)[0].Int(0);
}

Status SqlDeskRepository::ReleaseLeases() {
  return conn_.Execute("UPDATE ticket_due SET lease_until = NULL WHERE lease_until IS NOT NULL");
}

Status SqlDeskRepository::RecordFiring(const FiringRecord& f) {
  // Queued: a unique violation is reported when the unit's statements are
  // flushed, before the unit is accepted, and undoes the unit.
  return conn_.QueryDeferred(
      "INSERT INTO ticket_firings (ticket_id, metric, cycle, kind, threshold, at, fired_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)",
      {I(f.ticket_id), T(f.metric), I(f.cycle), T(f.kind), I(f.threshold), At(f.at), At(f.fired_at)});
}

Result<std::vector<RemedyPeriodRecord>> SqlDeskRepository::EndRemedyPeriods(Instant now, int limit) {
  const std::string skip = conn_.dialect() == SqlDialect::kPostgres ? " FOR UPDATE SKIP LOCKED" : "";
  auto rows = conn_.Query(
      "UPDATE remedy_periods SET ended_at = ends_at WHERE id IN ("
      "SELECT id FROM remedy_periods WHERE ended_at IS NULL AND ends_at <= ? ORDER BY ends_at LIMIT ?" + skip +
      ") RETURNING " + std::string(kRemedyPeriodColumns),
      {At(now), I(limit)});
  if (!rows.ok()) return rows.error();
  std::vector<RemedyPeriodRecord> out;
  for (const auto& r : *rows) out.push_back(RemedyPeriodFromRow(r));
  return out;
}

Result<std::optional<Instant>> SqlDeskRepository::EarliestRemedyEnd() {
  auto rows = conn_.Query("SELECT MIN(ends_at) FROM remedy_periods WHERE ended_at IS NULL", {});
  if (!rows.ok()) return rows.error();
  if (rows->empty() || (*rows)[0].IsNull(0)) return std::optional<Instant>();
  return std::optional<Instant>(FromEpoch((*rows)[0].Int(0)));
}

}  // namespace sladesk
