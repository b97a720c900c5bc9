// The scheduler's month review on a real store with a ManualClock: an
// outage recorded mid-month leaves the month below its target, and only
// the month's end (in the availability policy's zone: agency-support is
// Europe/London, so April begins 2026-03-31T23:00:00Z) opens its RCA task,
// once, assigned as IncidentService assigns (the organisation's CSM when a
// team lead, else the first active lead); two schedulers on one database
// (two stores: as two processes) still open one; a month that met its
// target opens none; start-up reviews a boundary passed while none ran.
#include <thread>

#include "desk/desk_fixture.h"
#include "desk/incident_service.h"
#include "ops/scheduler.h"

namespace sladesk::testing {
namespace {

struct OrgCase {
  const char* name;
  int outage_hours;  // March 2026 has 744 h: 98 % allows 14.88 h
  bool lead_is_csm;  // the organisation's CSM is the second lead
  bool expect_task;
};

const std::vector<OrgCase> kCases = {
    {"below, CSM a lead", 36, true, true},
    {"below, no CSM", 15, false, true},
    {"met its target", 14, false, false},
    {"no outage", 0, false, false},
};

class MonthReviewTest : public DeskFixture {
 protected:
  void SetUp() override {
    DeskFixture::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    csm_lead_ = Staff("csm-lead@desk.test", Role::kLead);
    for (const auto& c : kCases) {
      OrganisationInput in;
      in.name = c.name;
      if (c.lead_is_csm) in.csm_user_id = csm_lead_.id;
      orgs_by_case_.push_back(Org("agency-support", "standard", in));
    }
  }
  // Records each case's outage on 10 March (the clock then at 12 March).
  void RecordOutages() {
    now_ = At("2026-03-12T09:00:00Z");
    for (std::size_t i = 0; i < kCases.size(); ++i) {
      if (kCases[i].outage_hours == 0) continue;
      IncidentInput in;
      in.organisation_id = orgs_by_case_[i].id;
      in.service = "hosting";
      in.cause = "outage";
      in.title = "down";
      in.start = At("2026-03-10T00:00:00Z");
      in.end = *in.start + std::chrono::hours(kCases[i].outage_hours);
      auto r = Run<ServiceIncidentRecord>([&](DeskRepository& repo) {
        return IncidentService(repo, *policies_).Record(admin_, now_, IncidentKind::kIncident, in);
      });
      ASSERT_TRUE(r.ok()) << kCases[i].name << ": " << r.error().ToString();
    }
  }
  std::vector<RcaTaskRecord> Tasks() {
    auto t = Run<std::vector<RcaTaskRecord>>([&](DeskRepository& repo) {
      return IncidentService(repo, *policies_).RcaTasks(admin_, std::nullopt, false);
    });
    EXPECT_TRUE(t.ok()) << t.error().ToString();
    return t.ok() ? *t : std::vector<RcaTaskRecord>{};
  }
  // The tasks are exactly the expected ones: March, once, the right lead.
  void ExpectOneTaskPerMissedMonth() {
    const auto tasks = Tasks();
    for (std::size_t i = 0; i < kCases.size(); ++i) {
      int n = 0;
      for (const auto& t : tasks) {
        if (t.organisation_id != orgs_by_case_[i].id) continue;
        ++n;
        EXPECT_EQ(t.month, "2026-03") << kCases[i].name;
        EXPECT_EQ(t.assignee_id, kCases[i].lead_is_csm ? csm_lead_.id : lead_.id) << kCases[i].name;
        EXPECT_EQ(FormatInstant(t.opened_at), "2026-03-31T23:00:00Z") << kCases[i].name;
      }
      EXPECT_EQ(n, kCases[i].expect_task ? 1 : 0) << kCases[i].name;
    }
  }
  static bool WaitReviews(const Scheduler& s, std::uint64_t n) {
    for (int i = 0; i < 2000 && s.month_reviews() < n; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    return s.month_reviews() == n;
  }
  User csm_lead_;
  std::vector<Organisation> orgs_by_case_;
};

TEST_P(MonthReviewTest, TheMonthsEndInThePolicyZoneOpensOneTaskPerMissedMonth) {
  RecordOutages();
  ASSERT_TRUE(Tasks().empty()) << "March is not complete when the outage is recorded";
  ManualClock clock(now_);
  Scheduler scheduler(*store_, policies_, clock, {}, nullptr);
  ASSERT_TRUE(scheduler.Start().ok());
  ASSERT_TRUE(WaitReviews(scheduler, 1)) << "start-up reviews February";
  clock.Set(At("2026-03-31T22:59:59Z"));  // 23:59:59 in London: still March
  auto early = scheduler.ReviewEndedMonths();
  ASSERT_TRUE(early.ok()) << early.error().ToString();
  EXPECT_TRUE(early->empty());
  EXPECT_TRUE(Tasks().empty());
  clock.Set(At("2026-03-31T23:00:00Z"));  // April in London
  ASSERT_TRUE(WaitReviews(scheduler, 2));
  ExpectOneTaskPerMissedMonth();
  // A jump within April reviews nothing more.
  clock.Set(At("2026-04-15T12:00:00Z"));
  auto again = scheduler.ReviewEndedMonths();
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->empty());
  scheduler.Stop();
  ExpectOneTaskPerMissedMonth();
}

TEST_P(MonthReviewTest, TwoSchedulersOnOneDatabaseStillOpenOneTask) {
  RecordOutages();
  auto other = DeskStore::Open(db_->url());
  ASSERT_TRUE(other.ok()) << other.error().ToString();
  ManualClock clock(now_);
  Scheduler a(*store_, policies_, clock, {}, nullptr);
  Scheduler b(**other, policies_, clock, {}, nullptr);
  ASSERT_TRUE(a.Start().ok());
  ASSERT_TRUE(b.Start().ok());
  ASSERT_TRUE(WaitReviews(a, 1));
  ASSERT_TRUE(WaitReviews(b, 1));
  clock.Set(At("2026-03-31T23:00:00Z"));
  // Both review (one of them may lose the UNIQUE race and retry).
  ASSERT_TRUE(WaitReviews(a, 2));
  ASSERT_TRUE(WaitReviews(b, 2));
  a.Stop();
  b.Stop();
  ExpectOneTaskPerMissedMonth();
}

TEST_P(MonthReviewTest, StartUpCatchesUpOnABoundaryPassedWhileDown) {
  RecordOutages();
  // No scheduler ran at the month's end; one starts on 2 April.
  ManualClock clock(At("2026-04-02T08:00:00Z"));
  Scheduler scheduler(*store_, policies_, clock, {}, nullptr);
  ASSERT_TRUE(scheduler.Start().ok());
  ASSERT_TRUE(WaitReviews(scheduler, 1));
  scheduler.Stop();
  const auto tasks = Tasks();
  std::size_t expected = 0;
  for (const auto& c : kCases) expected += c.expect_task ? 1 : 0;
  EXPECT_EQ(tasks.size(), expected);
  for (const auto& t : tasks) EXPECT_EQ(FormatInstant(t.opened_at), "2026-04-02T08:00:00Z");
}

INSTANTIATE_TEST_SUITE_P(Backends, MonthReviewTest, ::testing::Values("sqlite", "postgresql"));

}  // namespace
}  // namespace sladesk::testing
