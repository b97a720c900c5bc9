// gen_store: fills an SQLite database with synthetic stored tickets for the
// `report sla --db` / GET /api/v1/reports/sla benchmark (docs/PERFORMANCE.md).
//
//   gen_store PATH TICKETS [SEED] [CLOCK_LOG]
//
// The schema comes from DeskStore::Open (every migration); 40 agents, 200
// organisations of seed 002 (policies/gold-support.toml: plans professional,
// enterprise, gold, in turn) and one contact each are made through the desk
// services. The tickets are then written straight as rows (the services
// would take minutes for a million), shaped as the desk writes them: a
// ticket row (plan, severity, status, assignee, opened/updated/resolved/
// closed times) and its event log with the data the desk records:
// opened {"severity"}, assigned, agent_reply, half of them
// waiting_on_customer + customer_reply + agent_reply, a fifth a
// severity_changed, 30 % an internal_note, resolved, half of them closed
// (6.5 events a ticket on average, 5.2 of them on the clock); one in ten
// has an escalation request. Opened over 2026. Deterministic for a seed.
// Each ticket row gets its clock_log (ClockLog::Encode of its log, as
// SlaProjector::Project writes it on every save) unless CLOCK_LOG is 0:
// then the column is NULL, as for rows saved before migration 9.
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "desk/clock_log.h"
#include "desk/organisation_service.h"
#include "desk/user_service.h"
#include "storage/desk_store.h"
#include "storage/sqlite_connection.h"

using namespace sladesk;

namespace {

int Die(const Error& e) {
  std::fprintf(stderr, "gen_store: %s\n", e.ToString().c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: gen_store PATH TICKETS [SEED] [CLOCK_LOG: 1 (default) or 0]\n");
    return 2;
  }
  const std::string path = argv[1];
  const long long n = std::atoll(argv[2]);
  std::mt19937_64 rng(argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 1);
  const bool write_clock_log = argc > 4 ? std::atoi(argv[4]) != 0 : true;
  auto gap = [&](std::int64_t lo, std::int64_t hi) { return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng); };
  const Instant setup_time = FromEpoch(1767225600 - 86400);  // 2025-12-31

  auto policies = PolicyRegistry::LoadDirectory("policies");
  if (!policies.ok()) return Die(policies.error());
  std::vector<Id> agents, orgs, contacts;
  {
    auto store = DeskStore::Open("sqlite:" + path);
    if (!store.ok()) return Die(store.error());
    for (int i = 0; i < 40; ++i) {
      auto u = (*store)->Write<User>([&](DeskRepository& r) {
        return UserService(r).CreateStaff(SystemUser(), setup_time,
                                          {"agent-" + std::to_string(i), "agent" + std::to_string(i) + "@bench.test", Role::kAgent});
      });
      if (!u.ok()) return Die(u.error());
      agents.push_back(u->id);
    }
    const char* plans[] = {"professional", "enterprise", "gold"};
    for (int i = 0; i < 200; ++i) {
      OrganisationInput in;
      in.name = "org-" + std::to_string(i);
      in.policy_id = "gold-support";
      in.plan_id = plans[i % 3];
      in.onboarding_complete = true;
      auto o = (*store)->Write<Organisation>(
          [&](DeskRepository& r) { return OrganisationService(r, **policies).Create(SystemUser(), setup_time, in); });
      if (!o.ok()) return Die(o.error());
      orgs.push_back(o->id);
      ContactInput c;
      c.name = "contact " + std::to_string(i);
      c.email = "contact@org" + std::to_string(i) + ".test";
      c.named_contact = true;
      auto u = (*store)->Write<User>(
          [&](DeskRepository& r) { return OrganisationService(r, **policies).AddContact(SystemUser(), setup_time, o->id, c); });
      if (!u.ok()) return Die(u.error());
      contacts.push_back(u->id);
    }
  }

  auto conn = SqliteConnection::Open(path);
  if (!conn.ok()) return Die(conn.error());
  SqlConnection& db = **conn;
  const char* plans[] = {"professional", "enterprise", "gold"};
  const char* sevs[] = {"urgent", "high", "normal", "low"};
  const std::int64_t year_start = 1767225600;  // 2026-01-01T00:00:00Z
  const std::string ticket_sql =
      "INSERT INTO tickets (id, number, organisation_id, requester_id, subject, description, steps_to_reproduce, "
      "business_impact, product_area, error_details, channel, severity, status, assignee_id, outcome, external_issue, "
      "escalation_level, opened_at, updated_at, resolved_at, closed_at, version, urgency_key, breached, sla_json, "
      "over_quota, plan_id, clock_log) VALUES (?,?,?,?,'Export fails','The CSV export answers 500','Open Reports','Finance','',"
      "'','portal',?,?,?,'solved','',?,?,?,?,?,?,4000000000000000,0,'[]',0,?,?)";
  const std::string event_sql = "INSERT INTO ticket_events (ticket_id, at, actor_id, kind, data) VALUES (?,?,?,?,?)";
  const std::string esc_sql =
      "INSERT INTO escalations (ticket_id, organisation_id, level, business_impact, requested_by, at) VALUES (?,?,1,'Finance',?,?)";
  auto fail = [&](const Status& st) { return st.ok() ? 0 : Die(st.error()); };
  if (int rc = fail(db.Execute("BEGIN")); rc) return rc;
  long long events = 0;
  for (long long i = 0; i < n; ++i) {
    const Id id = i + 1;
    const size_t o = static_cast<size_t>(gap(0, 199));
    const Id agent = agents[static_cast<size_t>(gap(0, 39))];
    const std::string opened_severity = sevs[gap(0, 3)];
    std::string severity = opened_severity;
    std::int64_t t = year_start + gap(0, 364 * 86400);
    const std::int64_t opened = t;
    // The log is written after the ticket row (its foreign key).
    std::vector<std::vector<SqlValue>> log;
    std::vector<TicketEventRecord> records;  // the same log, for its clock_log
    std::optional<std::int64_t> escalated_at;
    auto event = [&](std::int64_t at, Id actor, const char* kind, const std::string& data) -> Status {
      log.push_back({SqlValue{id}, SqlValue{at}, SqlValue{actor}, SqlValue{std::string(kind)}, SqlValue{data}});
      if (write_clock_log) {
        auto k = EventKindFromName(kind);
        if (!k) return MakeError(ErrorCode::kInternal, "kind", std::string("unknown event kind ") + kind);
        TicketEventRecord e;
        e.at = FromEpoch(at);
        e.kind = *k;
        e.data_json = data;
        records.push_back(std::move(e));
      }
      return Status::Ok();
    };
    Status st = event(t, contacts[o], "opened", "{\"severity\":\"" + opened_severity + "\"}");
    if (st.ok()) st = event(t += gap(60, 3600), agent, "assigned", "{\"assignee_id\":" + std::to_string(agent) + "}");
    if (st.ok()) st = event(t += gap(60, 30 * 3600), agent, "agent_reply", "{\"message_id\":" + std::to_string(id * 4) + "}");
    if (st.ok() && gap(0, 1) == 0) {
      st = event(t += gap(60, 3600), agent, "waiting_on_customer", "{}");
      if (st.ok()) st = event(t += gap(3600, 3 * 86400), contacts[o], "customer_reply", "{\"message_id\":" + std::to_string(id * 4 + 1) + "}");
      if (st.ok()) st = event(t += gap(60, 30 * 3600), agent, "agent_reply", "{\"message_id\":" + std::to_string(id * 4 + 2) + "}");
    }
    if (st.ok() && gap(0, 4) == 0) {
      const std::string to = sevs[gap(0, 3)];
      st = event(t += gap(60, 3600), agent, "severity_changed", "{\"from\":\"" + severity + "\",\"reason\":\"impact\",\"severity\":\"" + to + "\"}");
      severity = to;
    }
    if (st.ok() && gap(0, 9) < 3) st = event(t += gap(60, 3600), agent, "internal_note", "{\"message_id\":" + std::to_string(id * 4 + 3) + "}");
    if (st.ok() && gap(0, 9) == 0) {
      escalated_at = t;
      st = event(t, contacts[o], "escalation_requested", "{\"level\":1,\"level_name\":\"Duty manager\"}");
    }
    const std::int64_t resolved = t += gap(600, 2 * 86400);
    if (st.ok()) st = event(resolved, agent, "resolved", "{\"outcome\":\"solved\"}");
    std::optional<std::int64_t> closed;
    if (st.ok() && gap(0, 1) == 0) {
      closed = t += gap(86400, 7 * 86400);
      st = event(*closed, 0, "closed", "{\"reason\":\"auto-close\"}");
    }
    if (st.ok()) {
      auto r = db.Query(ticket_sql, {SqlValue{id}, SqlValue{id}, SqlValue{orgs[o]}, SqlValue{contacts[o]}, SqlValue{severity},
                                     SqlValue{std::string(closed ? "closed" : "resolved")}, SqlValue{agent}, SqlValue{std::int64_t{0}},
                                     SqlValue{opened}, SqlValue{t}, SqlValue{resolved}, closed ? SqlValue{*closed} : SqlNull(),
                                     SqlValue{std::int64_t{1}}, SqlValue{std::string(plans[o % 3])},
                                     write_clock_log ? SqlValue{ClockLog::Encode(records)} : SqlNull()});
      if (!r.ok()) st = r.error();
    }
    for (const auto& row : log) {
      if (!st.ok()) break;
      ++events;
      auto r = db.Query(event_sql, row);
      if (!r.ok()) st = r.error();
    }
    if (st.ok() && escalated_at) {
      auto r = db.Query(esc_sql, {SqlValue{id}, SqlValue{orgs[o]}, SqlValue{contacts[o]}, SqlValue{*escalated_at}});
      if (!r.ok()) st = r.error();
    }
    if (int rc = fail(st); rc) return rc;
    if ((i + 1) % 200000 == 0) {
      if (int rc = fail(db.Execute("COMMIT; BEGIN")); rc) return rc;
      std::fprintf(stderr, "gen_store: %lld tickets\n", i + 1);
    }
  }
  if (int rc = fail(db.Execute("UPDATE counters SET value = " + std::to_string(n) + " WHERE name = 'ticket_number'; COMMIT")); rc)
    return rc;
  std::fprintf(stderr, "gen_store: %lld tickets, %lld events in %s\n", n, events, path.c_str());
  return 0;
}
