#include "desk/ticket_rules.h"

#include <gtest/gtest.h>

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

TEST(TicketRulesTest, ReopenWindow) {
  Instant resolved = FromEpoch(1'800'000'000);
  const Seconds week = 7 * 86400;
  EXPECT_TRUE(TicketRules::CheckReopenWindow(resolved, week, resolved + std::chrono::seconds(week)).ok());
  EXPECT_FALSE(TicketRules::CheckReopenWindow(resolved, week, resolved + std::chrono::seconds(week + 1)).ok());
  EXPECT_TRUE(TicketRules::CheckReopenWindow(resolved, std::nullopt, resolved + std::chrono::hours(24 * 3650)).ok());
  EXPECT_TRUE(TicketRules::CheckReopenWindow(std::nullopt, week, resolved).ok());
}

TEST(TicketRulesTest, MonthStartIsUtcFirstOfMonth) {
  auto t = ParseInstant("2026-03-31T23:59:59Z", "t");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(FormatInstant(TicketRules::MonthStart(*t)), "2026-03-01T00:00:00Z");
  auto u = ParseInstant("2026-04-01T00:00:00Z", "t");
  EXPECT_EQ(FormatInstant(TicketRules::MonthStart(*u)), "2026-04-01T00:00:00Z");
}

TEST(TicketRulesTest, IncidentQuota) {
  EXPECT_TRUE(TicketRules::CheckIncidentQuota(0, 1).ok());
  EXPECT_FALSE(TicketRules::CheckIncidentQuota(1, 1).ok());
  EXPECT_FALSE(TicketRules::CheckIncidentQuota(0, 0).ok());
  EXPECT_TRUE(TicketRules::CheckIncidentQuota(1000, std::nullopt).ok());
  EXPECT_EQ(TicketRules::CheckIncidentQuota(4, 4).error().field, "organisation");
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
