// Direct tests of the EvaluateSla / NextChange API: errors, warnings, the
// next change instant, and the --explain account.
#include "sla/sla_clock.h"

#include <gtest/gtest.h>

#include "sla_test_policies.h"

namespace sladesk {
namespace {

Instant At(const char* text) {
  auto t = ParseInstant(text, "test");
  EXPECT_TRUE(t.ok());
  return *t;
}

TicketEvent Ev(const char* at, EventType type, std::string severity = "") {
  return TicketEvent{At(at), type, std::move(severity)};
}

const Plan& PlanOf(const Policy& policy, const char* id) { return *policy.FindPlan(id); }

TEST(SlaClockTest, UnknownInitialSeverityIsAnError) {
  auto policy = testing::DeskPolicy();
  auto r = EvaluateSla(*policy, PlanOf(*policy, "std"), "p9", {}, At("2026-03-02T09:00:00Z"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().ToString(), "severity: unknown severity 'p9' (known: urgent, high, low)");
}

TEST(SlaClockTest, UnknownEventSeverityNamesTheEvent) {
  auto policy = testing::DeskPolicy();
  std::vector<TicketEvent> events = {Ev("2026-03-02T08:00:00Z", EventType::kOpened),
                                     Ev("2026-03-02T08:30:00Z", EventType::kSeverityChanged, "p9")};
  auto r = EvaluateSla(*policy, PlanOf(*policy, "std"), "high", events, At("2026-03-02T09:00:00Z"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "events[1].severity");
  events[1].severity.clear();
  r = EvaluateSla(*policy, PlanOf(*policy, "std"), "high", events, At("2026-03-02T09:00:00Z"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "events[1].severity");
}

TEST(SlaClockTest, NeverOpenCalendarIsAnErrorNotAHang) {
  CalendarSpec spec;
  spec.id = "never";
  auto cal = BusinessCalendar::Create(spec);
  if (!cal.ok()) GTEST_SKIP() << "calendar rejects never-open specs: " << cal.error().ToString();
  Policy policy;
  policy.severities = {Severity{"high", "High", "", {}}};
  Plan plan;
  plan.id = "p";
  Target t;
  t.seconds = 3600;
  t.calendar = *cal;
  plan.targets["high"][Metric::kFirstResponse] = t;
  policy.plans = {plan};
  std::vector<TicketEvent> events = {Ev("2026-03-02T08:00:00Z", EventType::kOpened)};
  auto r = EvaluateSla(policy, policy.plans[0], "high", events, At("2026-03-02T09:00:00Z"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "first_response");
}

struct WarnCase {
  const char* name;
  const char* now;
  int warned_percent;      // first_response, high on std: 4 h target, warn at 75 % (3 h) and 90 % (3 h 36 m)
  const char* next_change;  // "" = none
};

class WarningTest : public ::testing::TestWithParam<WarnCase> {};

TEST_P(WarningTest, ThresholdsAndNextChange) {
  const WarnCase& c = GetParam();
  auto policy = testing::DeskPolicy();
  // Opened and answered... not: only opened, so first_response and resolution run.
  std::vector<TicketEvent> events = {Ev("2026-03-02T08:00:00Z", EventType::kOpened)};
  EvaluateOptions options;
  options.compute_next_change = true;
  auto r = EvaluateSla(*policy, PlanOf(*policy, "std"), "high", events, At(c.now), options);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[Metric::kFirstResponse].warned_percent, c.warned_percent);
  auto next = NextChange(*policy, PlanOf(*policy, "std"), "high", events, At(c.now));
  ASSERT_TRUE(next.ok());
  if (*c.next_change == '\0') {
    EXPECT_FALSE(next->has_value());
  } else {
    ASSERT_TRUE(next->has_value());
    EXPECT_EQ(FormatInstant(**next), c.next_change);
  }
  EXPECT_EQ(r->next_change, *next);
}

INSTANTIATE_TEST_SUITE_P(
    Std, WarningTest,
    ::testing::Values(
        WarnCase{"Fresh", "2026-03-02T08:00:00Z", 0, "2026-03-02T11:00:00Z"},
        WarnCase{"JustBefore75", "2026-03-02T10:59:59Z", 0, "2026-03-02T11:00:00Z"},
        WarnCase{"At75", "2026-03-02T11:00:00Z", 75, "2026-03-02T11:36:00Z"},
        WarnCase{"At90", "2026-03-02T11:36:00Z", 90, "2026-03-02T12:00:01Z"},
        // first_response due at 12:00 breaches at 12:00:01; then resolution
        // (24 h, warn 75 % at 18 h) is next.
        WarnCase{"AtDue", "2026-03-02T12:00:00Z", 90, "2026-03-02T12:00:01Z"},
        WarnCase{"Breached", "2026-03-02T12:00:01Z", 90, "2026-03-03T02:00:00Z"},
        WarnCase{"ResolutionBreached", "2026-03-03T08:00:01Z", 90, ""}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(SlaClockTest, NothingRunningHasNoNextChange) {
  auto policy = testing::DeskPolicy();
  std::vector<TicketEvent> events = {Ev("2026-03-02T08:00:00Z", EventType::kOpened),
                                     Ev("2026-03-02T08:10:00Z", EventType::kAgentReply),
                                     Ev("2026-03-02T08:20:00Z", EventType::kWaitingOnCustomer)};
  auto next = NextChange(*policy, PlanOf(*policy, "std"), "high", events, At("2026-03-02T09:00:00Z"));
  ASSERT_TRUE(next.ok());
  EXPECT_FALSE(next->has_value());
}

TEST(SlaClockTest, BusinessCalendarNextChangeSkipsClosedTime) {
  auto policy = testing::DeskPolicy();
  // biz high first response: 2 business hours on Mon–Fri 09–17 UTC; opened Fri 16:00.
  std::vector<TicketEvent> events = {Ev("2026-03-06T16:00:00Z", EventType::kOpened)};
  auto next = NextChange(*policy, PlanOf(*policy, "biz"), "high", events, At("2026-03-06T16:59:00Z"));
  ASSERT_TRUE(next.ok());
  ASSERT_TRUE(next->has_value());
  // 75 % of 2 h = 1 h 30 m: Fri 1 h, then Mon 09:30.
  EXPECT_EQ(FormatInstant(**next), "2026-03-09T09:30:00Z");
}

TEST(SlaClockTest, ExplanationListsPausesWindowsAndDueTime) {
  auto policy = testing::GoldSupportPolicy();
  std::vector<TicketEvent> events = {Ev("2026-03-06T15:30:00Z", EventType::kOpened),
                                     Ev("2026-03-09T09:00:00Z", EventType::kAgentReply),
                                     Ev("2026-03-09T10:00:00Z", EventType::kWaitingOnCustomer),
                                     Ev("2026-03-10T10:00:00Z", EventType::kCustomerReply),
                                     Ev("2026-03-05T10:00:00Z", EventType::kAgentReply)};
  SlaExplanation x;
  EvaluateOptions options;
  options.explanation = &x;
  auto r = EvaluateSla(*policy, PlanOf(*policy, "gold"), "high", events, At("2026-03-10T12:00:00Z"), options);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(x.notes.size(), 1u);
  EXPECT_NE(x.notes[0].find("before the ticket was opened"), std::string::npos);
  const InstanceExplanation* res = nullptr;
  for (const auto& i : x.instances)
    if (i.metric == Metric::kResolution) res = &i;
  ASSERT_NE(res, nullptr);
  ASSERT_EQ(res->pauses.size(), 1u);
  EXPECT_EQ(FormatInstant(res->pauses[0].first), "2026-03-09T10:00:00Z");
  EXPECT_EQ(FormatInstant(*res->pauses[0].second), "2026-03-10T10:00:00Z");
  ASSERT_EQ(res->spans.size(), 2u);
  // Fri 16:30–17:00 and Mon 09:00–11:00 Berlin (08:00–10:00Z).
  ASSERT_EQ(res->spans[0].open_windows.size(), 2u);
  EXPECT_EQ(FormatInstant(res->spans[0].open_windows[1].start), "2026-03-09T08:00:00Z");
  EXPECT_EQ(res->spans[0].business_seconds, 1800 + 2 * 3600);
  EXPECT_EQ(res->calendar, "gold-hours");
  const std::string text = FormatSlaExplanation(x);
  EXPECT_NE(text.find("paused 2026-03-09T10:00:00Z, resumed 2026-03-10T10:00:00Z"), std::string::npos) << text;
  EXPECT_NE(text.find("local Mon 2026-03-09 09:00"), std::string::npos) << text;
  EXPECT_NE(text.find("add(resume 2026-03-10T10:00:00Z"), std::string::npos) << text;
}

}  // namespace
}  // namespace sladesk
