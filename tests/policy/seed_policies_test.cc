// The five seed policies in policies/: they load, carry exactly the ids of
// CONTRACT §5, and every target matches the seed's own table (seconds, goal,
// calendar); their calendars open and close where the seeds say.
#include <gtest/gtest.h>

#include "common/instant.h"
#include "policy/policy_loader.h"

namespace sladesk {
namespace {

const std::string kPolicies = std::string(SLADESK_SOURCE_DIR) + "/policies/";

std::shared_ptr<const Policy> Load(const std::string& file) {
  auto p = LoadPolicyFile(kPolicies + file);
  if (!p.ok()) {
    ADD_FAILURE() << p.error().ToString();
    return nullptr;
  }
  return *p;
}

struct Ids {
  const char* file;
  std::vector<std::string> plans;
  std::vector<std::string> severities;
  const char* default_severity;
};

class SeedIds : public ::testing::TestWithParam<Ids> {};

TEST_P(SeedIds, LoadCleanlyWithTheContractsIds) {
  const Ids& ids = GetParam();
  auto policy = Load(ids.file);
  ASSERT_NE(policy, nullptr);
  std::vector<std::string> plans, severities;
  for (const auto& p : policy->plans) plans.push_back(p.id);
  for (const auto& s : policy->severities) severities.push_back(s.id);
  EXPECT_EQ(plans, ids.plans);
  EXPECT_EQ(severities, ids.severities);  // most severe first
  EXPECT_EQ(policy->default_severity, ids.default_severity);
  for (const auto& s : policy->severities) {
    EXPECT_FALSE(s.definition.empty()) << s.id;
    EXPECT_FALSE(s.name.empty()) << s.id;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Contract, SeedIds,
    ::testing::Values(
        Ids{"gtmhub.toml", {"standard", "enhanced", "legacy"}, {"critical", "high", "medium", "low"}, "medium"},
        Ids{"supermetrics.toml", {"premium"}, {"urgent", "high", "medium", "low"}, "medium"},
        Ids{"gold-support.toml", {"professional", "enterprise", "gold"}, {"urgent", "high", "normal", "low"}, "normal"},
        Ids{"openback.toml", {"growth", "pro", "enterprise"}, {"critical", "major", "minor", "enhancement"}, "minor"},
        Ids{"agency-support.toml", {"standard"}, {"p1", "p2", "p3", "p4"}, "p3"}));

constexpr Seconds H = 3600;

// One cell of a seed's table. limit 0 = no target.
struct Cell {
  const char* file;
  const char* plan;
  const char* severity;
  Metric metric;
  Seconds limit;
  std::optional<Seconds> goal;
  const char* calendar;
};

std::string CellName(const Cell& c) {
  std::string n = std::string(c.file) + "_" + c.plan + "_" + c.severity + "_" + std::string(MetricName(c.metric));
  for (char& ch : n)
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  return n;
}

class SeedTargets : public ::testing::TestWithParam<Cell> {};

TEST_P(SeedTargets, MatchTheSeedsTable) {
  const Cell& c = GetParam();
  auto policy = Load(c.file);
  ASSERT_NE(policy, nullptr);
  const Plan* plan = policy->FindPlan(c.plan);
  ASSERT_NE(plan, nullptr) << c.plan;
  ASSERT_NE(policy->FindSeverity(c.severity), nullptr) << c.severity;
  const Target* t = plan->FindTarget(c.severity, c.metric);
  if (c.limit == 0) {
    EXPECT_EQ(t, nullptr) << "expected no target, got " << (t ? t->text : "");
    return;
  }
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->seconds, c.limit) << t->text;
  EXPECT_EQ(t->goal_seconds, c.goal) << t->text;
  ASSERT_NE(t->calendar, nullptr);
  EXPECT_EQ(t->calendar->id(), c.calendar) << t->text;
  EXPECT_EQ(t->warn_at_percent, (std::vector<int>{75, 90}));
}

constexpr Metric FR = Metric::kFirstResponse;
constexpr Metric NU = Metric::kNextUpdate;
constexpr Metric RES = Metric::kResolution;

std::vector<Cell> AllCells() {
  std::vector<Cell> cells;
  auto none_for = [&](const char* file, const char* plan, std::vector<const char*> sevs, std::vector<Metric> ms) {
    for (auto s : sevs)
      for (auto m : ms) cells.push_back({file, plan, s, m, 0, std::nullopt, ""});
  };
  // gtmhub: only enhanced critical 1 h on 24x7 and legacy 48 h Mon-Fri.
  none_for("gtmhub.toml", "standard", {"critical", "high", "medium", "low"}, {FR, NU, RES});
  cells.push_back({"gtmhub.toml", "enhanced", "critical", FR, 1 * H, std::nullopt, "24x7"});
  none_for("gtmhub.toml", "enhanced", {"high", "medium", "low"}, {FR});
  none_for("gtmhub.toml", "enhanced", {"critical", "high", "medium", "low"}, {NU, RES});
  for (auto s : {"critical", "high", "medium", "low"})
    cells.push_back({"gtmhub.toml", "legacy", s, FR, 48 * H, std::nullopt, "berlin-weekdays"});
  none_for("gtmhub.toml", "legacy", {"critical", "high", "medium", "low"}, {NU, RES});

  // supermetrics: initial response 1/4/8/24 h, further updates 3/8/24/48 h.
  const char* sm = "supermetrics.toml";
  cells.push_back({sm, "premium", "urgent", FR, 1 * H, std::nullopt, "24x7"});
  cells.push_back({sm, "premium", "urgent", NU, 3 * H, std::nullopt, "24x7"});
  cells.push_back({sm, "premium", "high", FR, 4 * H, std::nullopt, "ny-support-week"});
  cells.push_back({sm, "premium", "high", NU, 8 * H, std::nullopt, "ny-support-week"});
  cells.push_back({sm, "premium", "medium", FR, 8 * H, std::nullopt, "ny-support-week"});
  cells.push_back({sm, "premium", "medium", NU, 24 * H, std::nullopt, "ny-support-week"});
  cells.push_back({sm, "premium", "low", FR, 24 * H, std::nullopt, "ny-support-week"});
  cells.push_back({sm, "premium", "low", NU, 48 * H, std::nullopt, "ny-support-week"});
  none_for(sm, "premium", {"urgent", "high", "medium", "low"}, {RES});

  // gold-support: business days are 8 h on Mon-Fri 09-17 Berlin.
  const char* gs = "gold-support.toml";
  const char* ber = "berlin-business";
  none_for(gs, "professional", {"urgent", "high", "normal"}, {FR, RES});
  cells.push_back({gs, "professional", "low", FR, 24 * H, std::nullopt, ber});
  cells.push_back({gs, "enterprise", "urgent", FR, 8 * H, std::nullopt, ber});
  cells.push_back({gs, "enterprise", "urgent", RES, 32 * H, std::nullopt, ber});
  cells.push_back({gs, "enterprise", "high", FR, 16 * H, std::nullopt, ber});
  cells.push_back({gs, "enterprise", "high", RES, 7 * 8 * H, std::nullopt, ber});
  cells.push_back({gs, "enterprise", "normal", FR, 24 * H, std::nullopt, ber});
  cells.push_back({gs, "enterprise", "normal", RES, 14 * 8 * H, std::nullopt, ber});
  cells.push_back({gs, "enterprise", "low", FR, 24 * H, std::nullopt, ber});
  cells.push_back({gs, "gold", "urgent", FR, 8 * H, std::nullopt, ber});
  cells.push_back({gs, "gold", "urgent", RES, 16 * H, std::nullopt, ber});
  cells.push_back({gs, "gold", "high", FR, 8 * H, std::nullopt, ber});
  cells.push_back({gs, "gold", "high", RES, 3 * 8 * H, std::nullopt, ber});
  cells.push_back({gs, "gold", "normal", FR, 8 * H, std::nullopt, ber});
  cells.push_back({gs, "gold", "normal", RES, 7 * 8 * H, std::nullopt, ber});
  cells.push_back({gs, "gold", "low", FR, 24 * H, std::nullopt, ber});
  for (auto plan : {"professional", "enterprise", "gold"}) {
    none_for(gs, plan, {"low"}, {RES});
    none_for(gs, plan, {"urgent", "high", "normal", "low"}, {NU});
  }

  // openback: 9 h business days; enterprise also Saturdays; critical 24x7.
  const char* ob = "openback.toml";
  const char* lon = "london-weekdays";
  const char* sat = "london-weekdays-saturday";
  cells.push_back({ob, "growth", "critical", FR, 6 * H, std::nullopt, "24x7"});
  cells.push_back({ob, "growth", "major", FR, 18 * H, 9 * H, lon});
  cells.push_back({ob, "growth", "minor", FR, 36 * H, 18 * H, lon});
  cells.push_back({ob, "growth", "enhancement", FR, 27 * H, std::nullopt, lon});
  cells.push_back({ob, "pro", "critical", FR, 3 * H, std::nullopt, "24x7"});
  cells.push_back({ob, "pro", "major", FR, 9 * H, std::nullopt, lon});
  cells.push_back({ob, "pro", "minor", FR, 18 * H, 9 * H, lon});
  cells.push_back({ob, "pro", "enhancement", FR, 18 * H, std::nullopt, lon});
  cells.push_back({ob, "enterprise", "critical", FR, 1 * H, std::nullopt, "24x7"});
  cells.push_back({ob, "enterprise", "major", FR, 12 * H, std::nullopt, sat});
  cells.push_back({ob, "enterprise", "minor", FR, 12 * H, 6 * H, sat});
  cells.push_back({ob, "enterprise", "enhancement", FR, 9 * H, std::nullopt, sat});
  for (auto plan : {"growth", "pro", "enterprise"})
    none_for(ob, plan, {"critical", "major", "minor", "enhancement"}, {NU, RES});

  // agency-support: support hours 09-17 London, 8 h days.
  const char* ag = "agency-support.toml";
  const char* ldn = "london-support-hours";
  cells.push_back({ag, "standard", "p1", FR, 2 * H, std::nullopt, ldn});
  cells.push_back({ag, "standard", "p1", RES, 8 * H, std::nullopt, ldn});
  cells.push_back({ag, "standard", "p2", FR, 4 * H, std::nullopt, ldn});
  cells.push_back({ag, "standard", "p2", RES, 16 * H, std::nullopt, ldn});
  cells.push_back({ag, "standard", "p3", FR, 8 * H, std::nullopt, ldn});
  cells.push_back({ag, "standard", "p3", RES, 40 * H, std::nullopt, ldn});
  cells.push_back({ag, "standard", "p4", FR, 16 * H, std::nullopt, ldn});
  none_for(ag, "standard", {"p4"}, {RES});
  none_for(ag, "standard", {"p1", "p2", "p3", "p4"}, {NU});
  return cells;
}

INSTANTIATE_TEST_SUITE_P(Tables, SeedTargets, ::testing::ValuesIn(AllCells()),
                         [](const auto& info) { return CellName(info.param); });

TEST(SeedRules, ResolutionClockAndStatedNoTargets) {
  auto agency = Load("agency-support.toml");
  ASSERT_NE(agency, nullptr);
  EXPECT_TRUE(agency->FindPlan("standard")->resolution_starts_at_first_response);
  ASSERT_NE(agency->FindPlan("standard")->FindNoTarget("p4", RES), nullptr);
  EXPECT_EQ(*agency->FindPlan("standard")->FindNoTarget("p4", RES), "By Mutual Agreement");
  auto gold = Load("gold-support.toml");
  ASSERT_NE(gold, nullptr);
  for (const auto& p : gold->plans) EXPECT_FALSE(p.resolution_starts_at_first_response);
  EXPECT_EQ(*gold->FindPlan("gold")->FindNoTarget("low", RES), "Best Effort");
  EXPECT_EQ(gold->FindPlan("gold")->quota.incidents_per_month, 4);
  EXPECT_EQ(gold->FindPlan("enterprise")->quota.incidents_per_month, 2);
  EXPECT_EQ(gold->FindPlan("professional")->quota.incidents_per_month, 1);
}

TEST(SeedRules, EverythingElseTheSeedsSay) {
  auto sm = Load("supermetrics.toml");
  ASSERT_NE(sm, nullptr);
  ASSERT_TRUE(sm->contract.downtime.has_value());
  const DowntimeRule& d = *sm->contract.downtime;
  EXPECT_EQ(d.share_percent, 50);
  EXPECT_EQ(d.over_target_by_percent, 20);
  EXPECT_EQ(d.severities, (std::vector<std::string>{"urgent", "high", "medium"}));
  EXPECT_EQ(d.lookback_months, 3);
  EXPECT_EQ(d.minimum_tickets, 10);
  EXPECT_EQ(d.remedy_max_tickets, 10);
  EXPECT_EQ(d.remedy_within_calendar_months, 1);
  EXPECT_TRUE(sm->lifecycle.bug_escalation_suspends_targets);
  EXPECT_TRUE(sm->lifecycle.feature_request_closes_ticket);
  ASSERT_EQ(sm->lifecycle.escalation.size(), 3u);
  EXPECT_EQ(sm->lifecycle.escalation[0].raises_severity_to, "urgent");
  EXPECT_EQ(sm->lifecycle.escalation[2].notify,
            (std::vector<std::string>{"Global Head of Support", "Chief Customer Officer"}));
  std::vector<std::string> required;
  for (const auto& f : sm->required_fields) required.push_back(f.id);
  EXPECT_EQ(required, (std::vector<std::string>{"description", "steps_to_reproduce", "business_impact"}));

  auto ag = Load("agency-support.toml");
  ASSERT_NE(ag, nullptr);
  ASSERT_TRUE(ag->contract.availability.has_value());
  EXPECT_EQ(ag->contract.availability->monthly_target_percent, 98);
  EXPECT_EQ(ag->contract.availability->exclusions.size(), 3u);
  ASSERT_TRUE(ag->lifecycle.reopen_window.has_value());
  EXPECT_EQ(ag->lifecycle.reopen_window->months, 12);
  ASSERT_TRUE(ag->lifecycle.retention.has_value());
  EXPECT_EQ(ag->lifecycle.retention->months, 12);
  ASSERT_EQ(ag->lifecycle.escalation.size(), 2u);

  auto gt = Load("gtmhub.toml");
  ASSERT_NE(gt, nullptr);
  ASSERT_TRUE(gt->lifecycle.auto_close_after.has_value());
  EXPECT_EQ(gt->lifecycle.auto_close_after->seconds, 10 * 10 * H);  // 10 business days of 10 h
  EXPECT_EQ(gt->lifecycle.auto_close_after->calendar->id(), "cet-business");
  EXPECT_TRUE(gt->lifecycle.reopen_allowed);
  EXPECT_TRUE(gt->lifecycle.bug_escalation_closes_ticket);
  EXPECT_EQ(gt->FindPlan("enhanced")->severity_calendars.at("critical")->id(), "24x7");
  int phones = 0;
  for (const auto& c : gt->FindPlan("enhanced")->channels) phones += c.kind == ChannelKind::kPhone;
  EXPECT_EQ(phones, 2);  // critical 24x7, others Mon-Fri 8-18 CET
  for (const auto& c : gt->FindPlan("standard")->channels) EXPECT_NE(c.kind, ChannelKind::kPhone);

  auto ob = Load("openback.toml");
  ASSERT_NE(ob, nullptr);
  EXPECT_EQ(ob->FindPlan("growth")->named_contacts, std::nullopt);
  EXPECT_EQ(ob->FindPlan("pro")->named_contacts, 1);
  EXPECT_EQ(ob->FindPlan("enterprise")->named_contacts, 2);
  EXPECT_EQ(ob->FindPlan("enterprise")->csm, Provision::kYes);
  EXPECT_EQ(ob->FindPlan("pro")->csm, Provision::kNo);
  EXPECT_EQ(ob->FindPlan("pro")->tam, Provision::kOptional);
  EXPECT_EQ(ob->FindPlan("growth")->tam, Provision::kNo);
  bool growth_phone = false;
  for (const auto& c : ob->FindPlan("growth")->channels) growth_phone |= c.kind == ChannelKind::kPhone;
  EXPECT_FALSE(growth_phone);
}

// The seeds' calendars, probed through the calendar engine at UTC instants.
struct Probe {
  const char* file;
  const char* calendar;
  const char* at;  // UTC
  bool open;
  const char* why;
};

class SeedCalendars : public ::testing::TestWithParam<Probe> {};

TEST_P(SeedCalendars, OpenWhereTheSeedSays) {
  const Probe& p = GetParam();
  auto policy = Load(p.file);
  ASSERT_NE(policy, nullptr);
  auto it = policy->calendars.find(p.calendar);
  ASSERT_NE(it, policy->calendars.end()) << p.calendar;
  auto t = ParseInstant(p.at, "at");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(it->second->IsOpen(*t), p.open) << p.calendar << " at " << p.at << ": " << p.why;
}

INSTANTIATE_TEST_SUITE_P(
    Hours, SeedCalendars,
    ::testing::Values(
        // supermetrics: Mon 04:00 - Fri 23:00 America/New_York, Dec 25/26 and Jan 1.
        Probe{"supermetrics.toml", "ny-support-week", "2026-01-05T08:59:00Z", false, "Mon 03:59 EST"},
        Probe{"supermetrics.toml", "ny-support-week", "2026-01-05T09:00:00Z", true, "Mon 04:00 EST"},
        Probe{"supermetrics.toml", "ny-support-week", "2026-01-08T05:00:00Z", true, "Thu 00:00 EST"},
        Probe{"supermetrics.toml", "ny-support-week", "2026-01-10T03:59:00Z", true, "Fri 22:59 EST"},
        Probe{"supermetrics.toml", "ny-support-week", "2026-01-10T04:00:00Z", false, "Fri 23:00 EST"},
        Probe{"supermetrics.toml", "ny-support-week", "2026-07-06T08:00:00Z", true, "Mon 04:00 EDT"},
        Probe{"supermetrics.toml", "ny-support-week", "2026-07-06T07:59:00Z", false, "Mon 03:59 EDT"},
        Probe{"supermetrics.toml", "ny-support-week", "2026-12-24T15:00:00Z", true, "Thu Dec 24"},
        Probe{"supermetrics.toml", "ny-support-week", "2026-12-25T15:00:00Z", false, "Fri Dec 25"},
        Probe{"supermetrics.toml", "ny-support-week", "2025-12-26T15:00:00Z", false, "Fri Dec 26 2025"},
        Probe{"supermetrics.toml", "ny-support-week", "2027-01-01T15:00:00Z", false, "Fri Jan 1 2027"},
        Probe{"supermetrics.toml", "ny-support-week", "2022-12-26T15:00:00Z", false, "Mon Dec 26 2022"},
        Probe{"supermetrics.toml", "ny-support-week", "2022-12-27T15:00:00Z", true, "no substitute for Sun Dec 25 2022"},
        // gtmhub: standard 08:00-18:00 Berlin; legacy all of Mon-Fri Berlin.
        Probe{"gtmhub.toml", "cet-business", "2026-01-05T06:59:00Z", false, "Mon 07:59 CET"},
        Probe{"gtmhub.toml", "cet-business", "2026-01-05T07:00:00Z", true, "Mon 08:00 CET"},
        Probe{"gtmhub.toml", "cet-business", "2026-01-05T17:00:00Z", false, "Mon 18:00 CET"},
        Probe{"gtmhub.toml", "cet-business", "2026-07-06T06:00:00Z", true, "Mon 08:00 CEST"},
        Probe{"gtmhub.toml", "cet-business", "2026-01-10T10:00:00Z", false, "Saturday"},
        Probe{"gtmhub.toml", "berlin-weekdays", "2026-01-09T22:59:00Z", true, "Fri 23:59 CET"},
        Probe{"gtmhub.toml", "berlin-weekdays", "2026-01-09T23:00:00Z", false, "Sat 00:00 CET"},
        Probe{"gtmhub.toml", "berlin-weekdays", "2026-01-11T23:00:00Z", true, "Mon 00:00 CET"},
        // gold-support: 09:00-17:00 Berlin.
        Probe{"gold-support.toml", "berlin-business", "2026-01-05T08:00:00Z", true, "Mon 09:00 CET"},
        Probe{"gold-support.toml", "berlin-business", "2026-01-05T16:00:00Z", false, "Mon 17:00 CET"},
        Probe{"gold-support.toml", "berlin-business", "2026-01-10T10:00:00Z", false, "Saturday"},
        // openback: 09:00-18:00 London; enterprise also Sat 09:00-16:00.
        Probe{"openback.toml", "london-weekdays", "2026-01-05T17:59:00Z", true, "Mon 17:59 GMT"},
        Probe{"openback.toml", "london-weekdays", "2026-01-05T18:00:00Z", false, "Mon 18:00 GMT"},
        Probe{"openback.toml", "london-weekdays", "2026-01-10T10:00:00Z", false, "Saturday"},
        Probe{"openback.toml", "london-weekdays-saturday", "2026-01-10T10:00:00Z", true, "Sat 10:00 GMT"},
        Probe{"openback.toml", "london-weekdays-saturday", "2026-01-10T16:00:00Z", false, "Sat 16:00 GMT"},
        Probe{"openback.toml", "london-weekdays-saturday", "2026-07-11T08:00:00Z", true, "Sat 09:00 BST"},
        Probe{"openback.toml", "london-weekdays-saturday", "2026-01-11T10:00:00Z", false, "Sunday"},
        // agency-support: England and Wales bank holidays.
        Probe{"agency-support.toml", "london-support-hours", "2026-04-02T10:00:00Z", true, "Thu before Easter"},
        Probe{"agency-support.toml", "london-support-hours", "2026-04-03T10:00:00Z", false, "Good Friday 2026"},
        Probe{"agency-support.toml", "london-support-hours", "2026-04-06T10:00:00Z", false, "Easter Monday 2026"},
        Probe{"agency-support.toml", "london-support-hours", "2026-05-04T10:00:00Z", false, "Early May 2026"},
        Probe{"agency-support.toml", "london-support-hours", "2026-05-25T10:00:00Z", false, "Spring 2026"},
        Probe{"agency-support.toml", "london-support-hours", "2026-05-18T10:00:00Z", true, "an ordinary May Monday"},
        Probe{"agency-support.toml", "london-support-hours", "2026-08-31T10:00:00Z", false, "Summer 2026"},
        Probe{"agency-support.toml", "london-support-hours", "2026-12-25T10:00:00Z", false, "Christmas 2026 (Fri)"},
        Probe{"agency-support.toml", "london-support-hours", "2026-12-28T10:00:00Z", false, "Boxing Day 2026 on Sat -> Mon 28"},
        Probe{"agency-support.toml", "london-support-hours", "2026-12-29T10:00:00Z", true, "Tue 29 Dec 2026"},
        Probe{"agency-support.toml", "london-support-hours", "2027-12-27T10:00:00Z", false, "Christmas 2027 (Sat) -> Mon 27"},
        Probe{"agency-support.toml", "london-support-hours", "2027-12-28T10:00:00Z", false, "Boxing Day 2027 (Sun) -> Tue 28"},
        Probe{"agency-support.toml", "london-support-hours", "2027-12-29T10:00:00Z", true, "Wed 29 Dec 2027"},
        Probe{"agency-support.toml", "london-support-hours", "2028-01-03T10:00:00Z", false, "New Year 2028 (Sat) -> Mon 3"},
        Probe{"agency-support.toml", "london-support-hours", "2026-01-05T16:59:00Z", true, "Mon 16:59 GMT"},
        Probe{"agency-support.toml", "london-support-hours", "2026-01-05T17:00:00Z", false, "Mon 17:00 GMT"}),
    [](const auto& info) { return "probe" + std::to_string(info.index); });

// Deadlines the SLA clock will compute from these targets.
struct Deadline {
  const char* file;
  const char* plan;
  const char* severity;
  Metric metric;
  const char* start;    // UTC
  const char* due;      // UTC, the limit
  const char* goal_due; // UTC or nullptr
};

class SeedDeadlines : public ::testing::TestWithParam<Deadline> {};

TEST_P(SeedDeadlines, AddTargetOnItsCalendar) {
  const Deadline& d = GetParam();
  auto policy = Load(d.file);
  ASSERT_NE(policy, nullptr);
  const Target* t = policy->FindPlan(d.plan)->FindTarget(d.severity, d.metric);
  ASSERT_NE(t, nullptr);
  Instant start = *ParseInstant(d.start, "start");
  auto due = t->calendar->Add(start, t->seconds);
  ASSERT_TRUE(due.ok());
  EXPECT_EQ(FormatInstant(*due), d.due);
  if (d.goal_due) {
    ASSERT_TRUE(t->goal_seconds.has_value());
    EXPECT_EQ(FormatInstant(*t->calendar->Add(start, *t->goal_seconds)), d.goal_due);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Clock, SeedDeadlines,
    ::testing::Values(
        // gold high resolution: 3 x 8 h from Mon 09:00 CET -> Wed 17:00 CET.
        Deadline{"gold-support.toml", "gold", "high", RES, "2026-01-05T08:00:00Z", "2026-01-07T16:00:00Z", nullptr},
        // openback growth major: goal 1 day, limit 2 days of 9 h from Mon 09:00 GMT.
        Deadline{"openback.toml", "growth", "major", FR, "2026-01-05T09:00:00Z", "2026-01-06T18:00:00Z", "2026-01-05T18:00:00Z"},
        // openback enterprise major 12 h from Fri 12:00 GMT: 6 h Fri, 6 h Sat (09-15).
        Deadline{"openback.toml", "enterprise", "major", FR, "2026-01-09T12:00:00Z", "2026-01-10T15:00:00Z", nullptr},
        // supermetrics medium first response 8 h from Fri 20:00 EST: 3 h Fri, 5 h Mon from 04:00.
        Deadline{"supermetrics.toml", "premium", "medium", FR, "2026-01-10T01:00:00Z", "2026-01-12T14:00:00Z", nullptr},
        // supermetrics urgent 1 h on 24x7, even on Christmas Day.
        Deadline{"supermetrics.toml", "premium", "urgent", FR, "2026-12-25T10:00:00Z", "2026-12-25T11:00:00Z", nullptr},
        // gtmhub legacy 48 h from Fri 12:00 CET: 12 h Fri, 24 h Mon, 12 h Tue.
        Deadline{"gtmhub.toml", "legacy", "low", FR, "2026-01-09T11:00:00Z", "2026-01-13T11:00:00Z", nullptr},
        // agency p1 resolution 8 h from Thu 2 Apr 2026 13:00 BST, over Easter: 4 h Thu, 4 h Tue 7 Apr.
        Deadline{"agency-support.toml", "standard", "p1", RES, "2026-04-02T12:00:00Z", "2026-04-07T12:00:00Z", nullptr}),
    [](const auto& info) { return "deadline" + std::to_string(info.index); });

}  // namespace
}  // namespace sladesk
