#include "desk/ticket_rules.h"

#include <gtest/gtest.h>

#include <fstream>

#include <nlohmann/json.hpp>

namespace sladesk {
namespace {

using S = TicketStatus;

struct TransitionCase {
  S from;
  S to;
  bool allowed;
};

class TransitionTest : public ::testing::TestWithParam<TransitionCase> {};

TEST_P(TransitionTest, FollowsTheLifecycle) {
  const auto& c = GetParam();
  EXPECT_EQ(TicketRules::IsAllowedTransition(c.from, c.to), c.allowed)
      << StatusName(c.from) << " -> " << StatusName(c.to);
  Status st = TicketRules::CheckTransition(c.from, c.to);
  EXPECT_EQ(st.ok(), c.allowed);
  if (!st.ok()) {
    EXPECT_EQ(st.error().field, "status");
  }
}

INSTANTIATE_TEST_SUITE_P(
    Lifecycle, TransitionTest,
    ::testing::Values(TransitionCase{S::kNew, S::kOpen, true}, TransitionCase{S::kNew, S::kWaitingOnCustomer, true},
                      TransitionCase{S::kNew, S::kResolved, true}, TransitionCase{S::kNew, S::kClosed, false},
                      TransitionCase{S::kNew, S::kNew, false}, TransitionCase{S::kOpen, S::kWaitingOnCustomer, true},
                      TransitionCase{S::kOpen, S::kResolved, true}, TransitionCase{S::kOpen, S::kNew, false},
                      TransitionCase{S::kOpen, S::kClosed, false},
                      TransitionCase{S::kWaitingOnCustomer, S::kOpen, true},
                      TransitionCase{S::kWaitingOnCustomer, S::kResolved, true},
                      TransitionCase{S::kWaitingOnCustomer, S::kClosed, false},
                      TransitionCase{S::kResolved, S::kClosed, true}, TransitionCase{S::kResolved, S::kOpen, true},
                      TransitionCase{S::kResolved, S::kWaitingOnCustomer, false},
                      TransitionCase{S::kClosed, S::kOpen, true}, TransitionCase{S::kClosed, S::kResolved, false},
                      TransitionCase{S::kClosed, S::kNew, false}));

TEST(TicketRulesTest, ErrorNamesAllowedTargets) {
  Status st = TicketRules::CheckTransition(S::kOpen, S::kClosed);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("waiting_on_customer, resolved"), std::string::npos) << st.error().message;
}

nlohmann::json Data() {
  std::ifstream in(std::string(SLADESK_SOURCE_DIR) + "/tests/desk/data/calendar_months.json");
  return nlohmann::json::parse(in);
}

Instant At(const nlohmann::json& v) { return *ParseInstant(v.get<std::string>(), "t"); }

std::shared_ptr<const TimeZone> Zone(const nlohmann::json& v) { return *TimeZone::Locate(v.get<std::string>()); }

TEST(TicketRulesTest, ReopenDeadlinesCountCalendarMonthsInTheZone) {
  const nlohmann::json data = Data();
  for (const auto& c : data["reopen_deadlines"]) {
    SCOPED_TRACE(c["name"].get<std::string>());
    Period window{c["months"].get<int>(), c["days"].get<int>(), "window"};
    auto deadline = TicketRules::ReopenDeadline(At(c["resolved"]), window, *Zone(c["zone"]));
    ASSERT_TRUE(deadline);
    EXPECT_EQ(FormatInstant(*deadline), c["deadline"].get<std::string>());
    // The deadline itself is inside the window, a second later is not.
    EXPECT_TRUE(TicketRules::CheckReopenWindow(At(c["resolved"]), window, *Zone(c["zone"]), *deadline).ok());
    Status late = TicketRules::CheckReopenWindow(At(c["resolved"]), window, *Zone(c["zone"]),
                                                 *deadline + std::chrono::seconds(1));
    ASSERT_FALSE(late.ok());
    EXPECT_EQ(late.error().code, ErrorCode::kConflict);
    EXPECT_EQ(late.error().reason, "reopen-window-passed");
  }
}

TEST(TicketRulesTest, NoWindowOrNoResolutionMeansNoDeadline) {
  auto utc = *TimeZone::Locate("UTC");
  Instant resolved = FromEpoch(1'800'000'000);
  EXPECT_TRUE(TicketRules::CheckReopenWindow(resolved, std::nullopt, *utc, resolved + std::chrono::hours(24 * 3650)).ok());
  EXPECT_TRUE(TicketRules::CheckReopenWindow(std::nullopt, Period{0, 7, "7 days"}, *utc, resolved).ok());
}

TEST(TicketRulesTest, MonthStartIsLocalMidnightOfTheFirst) {
  const nlohmann::json data = Data();
  for (const auto& c : data["month_starts"]) {
    SCOPED_TRACE(c["name"].get<std::string>());
    EXPECT_EQ(FormatInstant(TicketRules::MonthStart(At(c["now"]), *Zone(c["zone"]))), c["start"].get<std::string>());
  }
}

// The one rule for changes after the work is done: every (status, change,
// staff?) combination, so a new kind of change cannot slip through.
TEST(TicketRulesTest, ChangesAfterResolutionFollowOneRule) {
  using C = TicketChange;
  struct Row {
    C change;
    const char* name;
    bool resolved_contact, resolved_staff, closed_contact, closed_staff;
  };
  const Row rows[] = {
      {C::kEditFields, "edit fields", false, true, false, false},
      {C::kPublicReply, "public reply", true, true, false, false},
      {C::kInternalNote, "internal note", false, true, false, true},
      {C::kAttach, "attach", true, true, false, false},
      {C::kAssign, "assign", false, true, false, false},
      {C::kChangeSeverity, "change severity", false, false, false, false},
      {C::kEscalate, "escalate", false, false, false, false},
      {C::kLinkIssue, "link issue", false, true, false, false},
      {C::kLogTime, "log time", false, true, false, true},
      {C::kChangeStatus, "change status", true, true, false, false},
      {C::kReopen, "reopen", true, true, true, true},
  };
  for (const auto& r : rows) {
    SCOPED_TRACE(r.name);
    for (S open : {S::kNew, S::kOpen, S::kWaitingOnCustomer}) {
      EXPECT_TRUE(TicketRules::CheckChange(open, r.change, false).ok());
      EXPECT_TRUE(TicketRules::CheckChange(open, r.change, true).ok());
    }
    EXPECT_EQ(TicketRules::CheckChange(S::kResolved, r.change, false).ok(), r.resolved_contact);
    EXPECT_EQ(TicketRules::CheckChange(S::kResolved, r.change, true).ok(), r.resolved_staff);
    EXPECT_EQ(TicketRules::CheckChange(S::kClosed, r.change, false).ok(), r.closed_contact);
    Status st = TicketRules::CheckChange(S::kClosed, r.change, true);
    EXPECT_EQ(st.ok(), r.closed_staff);
    if (!st.ok()) {
      EXPECT_EQ(st.error().code, ErrorCode::kConflict);
      EXPECT_EQ(st.error().field, "status");
    }
  }
}

TEST(TicketRulesTest, IncidentQuota) {
  EXPECT_TRUE(TicketRules::CheckIncidentQuota(0, 1).ok());
  EXPECT_FALSE(TicketRules::CheckIncidentQuota(1, 1).ok());
  EXPECT_FALSE(TicketRules::CheckIncidentQuota(0, 0).ok());
  EXPECT_TRUE(TicketRules::CheckIncidentQuota(1000, std::nullopt).ok());
  EXPECT_EQ(TicketRules::CheckIncidentQuota(4, 4).error().field, "organisation");
  EXPECT_EQ(TicketRules::CheckIncidentQuota(4, 4).error().reason, "quota-exceeded");
}

TEST(DeskTypesTest, NamesRoundTrip) {
  for (auto s : {S::kNew, S::kOpen, S::kWaitingOnCustomer, S::kResolved, S::kClosed})
    EXPECT_EQ(StatusFromName(StatusName(s)), s);
  for (auto o : {TicketOutcome::kSolved, TicketOutcome::kWorkaround, TicketOutcome::kFeatureRequest, TicketOutcome::kBugEscalated,
                 TicketOutcome::kPaidWork, TicketOutcome::kTraining, TicketOutcome::kNoResponse})
    EXPECT_EQ(TicketOutcomeFromName(TicketOutcomeName(o)), o);
  EXPECT_FALSE(StatusFromName("reopened").has_value());
  EXPECT_FALSE(RoleFromName("Admin").has_value());
}

}  // namespace
}  // namespace sladesk
