// The stored SLA report's scan (issue 11) on both backends: the report is
// the same whether the tickets carry their clock_log (migration 9) or are
// read through their event log (NULL, as rows saved before the migration;
// a clock log of another version), mixed within an id window or not, for
// every split of the id range; clock_log round-trips through InsertTicket
// and UpdateTicket; an unreadable one is an internal error naming the
// ticket; SqlConnection::QueryEach streams rows in order and stops at the
// visitor's error.
#include <gtest/gtest.h>

#include <random>

#include "compliance/sla_report_writers.h"
#include "desk/clock_log.h"
#include "desk/policy_registry.h"
#include "desk/sla_projector.h"
#include "desk/stored_reports.h"
#include "storage/desk_store.h"
#include "storage/sql_desk_repository.h"
#include "storage/test_database.h"

namespace sladesk {
namespace {

constexpr std::int64_t kYear = 1767225600;  // 2026-01-01T00:00:00Z

class ReportScanTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    SLADESK_SKIP_UNLESS_CONFIGURED(GetParam());
    db_ = std::make_unique<testing::TestDatabase>(GetParam());
    ASSERT_TRUE(db_->error().empty()) << db_->error();
    auto s = DeskStore::Open(db_->url());
    ASSERT_TRUE(s.ok()) << s.error().ToString();
    store_ = std::move(s).value();
    auto p = PolicyRegistry::LoadDirectory(std::string(SLADESK_SOURCE_DIR) + "/policies");
    ASSERT_TRUE(p.ok()) << p.error().ToString();
    policies_ = *p;
  }
  void TearDown() override {
    store_.reset();
    db_.reset();
  }

  Status Sql(const std::string& statement) {
    return store_->RunWrite([&](DeskRepository& r) { return dynamic_cast<SqlDeskRepository&>(r).connection().Execute(statement); });
  }

  // `n` tickets of random logs on two organisations of each policy (one of
  // which suspends targets on bug escalations), with escalations.
  void Populate(int n) {
    std::mt19937_64 rng(7);
    auto pick = [&](int k) { return static_cast<int>(rng() % static_cast<std::uint64_t>(k)); };
    Status st = store_->RunWrite([&](DeskRepository& r) -> Status {
      User agent;
      agent.name = "Agent A";
      agent.email = "a@desk.test";
      agent.role = Role::kAgent;
      auto a = r.InsertUser(agent);
      if (!a.ok()) return a.error();
      struct OrgOf {
        const char* policy;
        const char* plan;
      };
      std::vector<Id> orgs;
      for (OrgOf o : {OrgOf{"gold-support", "gold"}, OrgOf{"gold-support", "professional"},
                      OrgOf{"supermetrics", "premium"}, OrgOf{"supermetrics", "premium"}}) {
        Organisation org;
        org.name = std::string(o.policy) + " " + std::to_string(orgs.size());
        org.policy_id = o.policy;
        org.plan_id = o.plan;
        org.created_at = FromEpoch(kYear - 86400);
        auto id = r.InsertOrganisation(org);
        if (!id.ok()) return id.error();
        orgs.push_back(*id);
      }
      User contact;
      contact.organisation_id = orgs[0];
      contact.name = "Customer";
      contact.email = "c@client.test";
      contact.role = Role::kContact;
      auto c = r.InsertUser(contact);
      if (!c.ok()) return c.error();
      const EventKind kinds[] = {EventKind::kAgentReply, EventKind::kCustomerReply, EventKind::kWaitingOnCustomer,
                                 EventKind::kStatusChanged, EventKind::kSeverityChanged, EventKind::kInternalNote,
                                 EventKind::kEngineeringIssueLinked, EventKind::kEngineeringUpdate,
                                 EventKind::kResolved, EventKind::kReopened, EventKind::kClosed, EventKind::kAssigned};
      for (int i = 0; i < n; ++i) {
        const size_t o = static_cast<size_t>(pick(4));
        const Policy* policy = policies_->Find(o < 2 ? "gold-support" : "supermetrics");
        const char* sevs[] = {"urgent", "high", o < 2 ? "normal" : "medium", "low"};
        Ticket t;
        auto number = r.NextTicketNumber();
        if (!number.ok()) return number.error();
        t.number = *number;
        t.organisation_id = orgs[o];
        t.requester_id = *c;
        t.subject = "Scan " + std::to_string(i);
        t.plan_id = o == 1 ? "professional" : o == 0 ? "gold" : "premium";
        t.severity = sevs[pick(4)];
        if (pick(3)) t.assignee_id = *a;
        std::int64_t at = kYear + pick(360) * 86400 + pick(86400);
        t.opened_at = FromEpoch(at);
        std::vector<TicketEventRecord> log;
        auto event = [&](EventKind kind, std::string data) {
          TicketEventRecord e;
          e.at = FromEpoch(at);
          e.kind = kind;
          e.data_json = std::move(data);
          log.push_back(std::move(e));
        };
        event(EventKind::kOpened, "{\"severity\":\"" + t.severity + "\"}");
        for (int k = pick(9); k > 0; --k) {
          at += pick(3 * 86400);
          const EventKind kind = kinds[pick(static_cast<int>(std::size(kinds)))];
          std::string data = "{}";
          if (kind == EventKind::kSeverityChanged) {
            t.severity = sevs[pick(4)];
            data = "{\"from\":\"x\",\"severity\":\"" + t.severity + "\"}";
          }
          if (kind == EventKind::kStatusChanged)
            data = pick(2) ? R"({"from":"waiting_on_customer","to":"open"})" : R"({"from":"new","to":"open"})";
          if (kind == EventKind::kEngineeringUpdate) data = pick(2) ? R"({"done":true})" : R"({"done":false})";
          event(kind, data);
        }
        t.status = log.back().kind == EventKind::kResolved ? TicketStatus::kResolved
                   : log.back().kind == EventKind::kClosed ? TicketStatus::kClosed
                                                          : TicketStatus::kOpen;
        t.updated_at = FromEpoch(at);
        t.time_spent_seconds = pick(4) * 600;
        // As the desk saves it: the projection sets the SLA columns and clock_log.
        const Plan* plan = policy->FindPlan(t.plan_id);
        if (Status p = SlaProjector::Project(*policy, *plan, log, FromEpoch(at), t); !p.ok()) return p;
        if (t.clock_log != ClockLog::Encode(log)) return MakeError("clock_log", "Project did not set it");
        auto id = r.InsertTicket(t);
        if (!id.ok()) return id.error();
        for (auto& e : log) {
          e.ticket_id = *id;
          if (Status ev = r.AppendEvent(e); !ev.ok()) return ev;
        }
        if (pick(5) == 0) {
          Escalation esc;
          esc.ticket_id = *id;
          esc.organisation_id = orgs[o];
          esc.level = 1 + pick(2);
          esc.business_impact = "Finance";
          esc.requested_by = *c;
          esc.at = FromEpoch(at - pick(3600));
          if (auto e = r.InsertEscalation(esc); !e.ok()) return e.error();
        }
      }
      return Status::Ok();
    });
    ASSERT_TRUE(st.ok()) << st.error().ToString();
  }

  // The report on `policy_id` over 2026, read in `parts` id ranges and merged.
  Result<std::string> Report(const std::string& policy_id, ReportGrouping group, Id parts) {
    const Policy* policy = policies_->Find(policy_id);
    SlaReportOptions o;
    o.from = FromEpoch(kYear + 30 * 86400);
    o.to = FromEpoch(kYear + 300 * 86400);
    o.now = FromEpoch(kYear + 320 * 86400);
    o.group_by = group;
    PreparedSlaReport prepared;
    prepared.policy = policy;
    prepared.options = o;
    prepared.filter = StoredReports::FilterFor(o, policy->id);
    std::vector<SlaReportBuilder> builders;
    for (Id k = 0; k < parts; ++k) builders.push_back(*SlaReportBuilder::Create(*policy, o));
    Status st = store_->RunRead([&](DeskRepository& repo) -> Status {
      auto max_id = repo.compliance().MaxTicketId();
      if (!max_id.ok()) return max_id.error();
      for (Id k = 0; k < parts; ++k) {
        const Id lo = *max_id * k / parts, hi = k + 1 == parts ? 0 : *max_id * (k + 1) / parts;
        if (Status s = StoredReports::Scan(repo, prepared, lo, hi, builders[static_cast<size_t>(k)]); !s.ok()) return s;
      }
      return Status::Ok();
    });
    if (!st.ok()) return st.error();
    for (size_t k = 1; k < builders.size(); ++k) builders[0].Merge(builders[k]);
    return SlaPeriodReportJson(builders[0].Finish()).dump();
  }

  std::unique_ptr<testing::TestDatabase> db_;
  std::unique_ptr<DeskStore> store_;
  std::shared_ptr<const PolicyRegistry> policies_;
};

TEST_P(ReportScanTest, TheReportIsTheSameWithOrWithoutTheClockLog) {
  // More tickets than a scan window, so windows are mixed and split.
  const int n = static_cast<int>(SqlComplianceRepository::kScanWindow) + 700;
  Populate(n);
  struct Case {
    const char* policy;
    ReportGrouping group;
  };
  const Case cases[] = {{"gold-support", ReportGrouping::kOrganisation},
                        {"gold-support", ReportGrouping::kAgent},
                        {"supermetrics", ReportGrouping::kSeverity}};
  std::vector<std::string> want;
  for (const Case& c : cases) {
    auto r = Report(c.policy, c.group, 1);
    ASSERT_TRUE(r.ok()) << r.error().ToString();
    EXPECT_NE(r->find("\"breached\""), std::string::npos);
    want.push_back(*r);
  }
  // Every ticket carries a clock log; then a third are NULL, a third of a
  // version this build does not read; then all NULL (the event log only).
  for (const char* change : {"", "UPDATE tickets SET clock_log = NULL WHERE id % 3 = 0",
                             "UPDATE tickets SET clock_log = '9future' WHERE id % 3 = 1",
                             "UPDATE tickets SET clock_log = NULL"}) {
    SCOPED_TRACE(change);
    if (*change) {
      Status st = Sql(change);
      ASSERT_TRUE(st.ok()) << st.error().ToString();
    }
    for (size_t k = 0; k < std::size(cases); ++k)
      for (Id parts : {1, 3}) {
        auto r = Report(cases[k].policy, cases[k].group, parts);
        ASSERT_TRUE(r.ok()) << r.error().ToString();
        EXPECT_EQ(*r, want[k]) << cases[k].policy << ", " << parts << " parts";
      }
  }
}

TEST_P(ReportScanTest, AnUnreadableClockLogIsAnInternalErrorNamingTheTicket) {
  Populate(20);
  ASSERT_TRUE(Sql("UPDATE tickets SET clock_log = '1z9' WHERE number = 5").ok());
  bool failed = false;
  for (const char* policy : {"gold-support", "supermetrics"}) {
    auto r = Report(policy, ReportGrouping::kOrganisation, 1);
    if (r.ok()) continue;  // ticket 5 is on the other policy
    failed = true;
    EXPECT_EQ(r.error().code, ErrorCode::kInternal);
    EXPECT_NE(r.error().message.find("ticket 5"), std::string::npos) << r.error().ToString();
  }
  EXPECT_TRUE(failed);
}

TEST_P(ReportScanTest, ClockLogRoundTripsThroughInsertAndUpdate) {
  Populate(1);
  auto column = [&](std::int64_t number) {
    std::optional<std::string> out;
    Status st = store_->RunRead([&](DeskRepository& r) -> Status {
      auto rows = dynamic_cast<SqlDeskRepository&>(r).connection().Query(
          "SELECT clock_log FROM tickets WHERE number = ?", {SqlValue{number}});
      if (!rows.ok()) return rows.error();
      if (!rows->empty()) out = rows->front().OptText(0);
      return Status::Ok();
    });
    EXPECT_TRUE(st.ok()) << st.error().ToString();
    return out;
  };
  ASSERT_TRUE(column(1).has_value());
  EXPECT_TRUE(ClockLog::IsCurrent(*column(1)));
  for (const std::string text : {"1o100.4.higha60r-3", "", "1O5"}) {
    Status st = store_->RunWrite([&](DeskRepository& r) -> Status {
      auto t = r.GetTicketByNumber(1, true);
      if (!t.ok()) return t.error();
      if (!(*t)->clock_log.empty()) return MakeError("clock_log", "reads leave it empty");
      (*t)->clock_log = text;
      auto saved = r.UpdateTicket(**t, (*t)->version);
      if (!saved.ok()) return saved.error();
      return *saved ? Status::Ok() : MakeError("version", "not saved");
    });
    ASSERT_TRUE(st.ok()) << st.error().ToString();
    if (text.empty()) EXPECT_FALSE(column(1).has_value());  // not derived: NULL
    else EXPECT_EQ(column(1).value_or("(null)"), text);
  }
}

TEST_P(ReportScanTest, QueryEachStreamsInOrderAndStopsAtTheVisitorsError) {
  Populate(30);
  Status st = store_->RunRead([&](DeskRepository& r) -> Status {
    SqlConnection& conn = dynamic_cast<SqlDeskRepository&>(r).connection();
    const std::string sql = "SELECT id, number, clock_log FROM tickets WHERE id > ? ORDER BY id";
    std::vector<std::int64_t> seen;
    Status all = conn.QueryEach(sql, {SqlValue{std::int64_t{10}}}, [&](const SqlRow& row) -> Status {
      seen.push_back(row.Int(0));
      if (!ClockLog::IsCurrent(row.TextView(2))) return MakeError("clock_log", "missing");
      return Status::Ok();
    });
    if (!all.ok()) return all;
    if (seen.size() != 20 || seen.front() != 11 || seen.back() != 30) return MakeError("rows", "not in order");
    int visited = 0;
    Status stopped = conn.QueryEach(sql, {SqlValue{std::int64_t{0}}}, [&](const SqlRow&) -> Status {
      return ++visited == 3 ? MakeError("stop", "enough") : Status::Ok();
    });
    if (stopped.ok() || stopped.error().field != "stop" || visited != 3) return MakeError("stop", "did not stop");
    // The statement is usable again, and the same rows come materialised.
    auto rows = conn.Query(sql, {SqlValue{std::int64_t{10}}});
    if (!rows.ok()) return rows.error();
    return rows->size() == 20 ? Status::Ok() : MakeError("rows", "Query after QueryEach");
  });
  EXPECT_TRUE(st.ok()) << st.error().ToString();
}

INSTANTIATE_TEST_SUITE_P(Backends, ReportScanTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& i) { return i.param; });

}  // namespace
}  // namespace sladesk
