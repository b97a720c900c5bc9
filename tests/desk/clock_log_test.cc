// ClockLog: Decode(policy, Encode(log)) equals SlaProjector::ToSlaEvents and
// the opening severity on random logs, with and without the bug-escalation
// suspension; malformed texts are refused.
#include "desk/clock_log.h"

#include <random>

#include <gtest/gtest.h>

#include "desk/sla_projector.h"

namespace sladesk {
namespace {

TicketEventRecord Ev(std::int64_t at, EventKind kind, std::string data) {
  TicketEventRecord e;
  e.at = FromEpoch(at);
  e.kind = kind;
  e.data_json = std::move(data);
  return e;
}

std::vector<TicketEventRecord> RandomLog(std::mt19937_64& rng) {
  const EventKind kinds[] = {EventKind::kOpened, EventKind::kAgentReply, EventKind::kCustomerReply,
                             EventKind::kInternalNote, EventKind::kStatusChanged, EventKind::kWaitingOnCustomer,
                             EventKind::kSeverityChanged, EventKind::kAssigned, EventKind::kResolved,
                             EventKind::kReopened, EventKind::kClosed, EventKind::kEngineeringIssueLinked,
                             EventKind::kEngineeringUpdate, EventKind::kTimeLogged};
  const char* datas[] = {"{}", R"({"severity":"high"})", R"({"severity":"urg\"ent.3.x"})", R"({"severity":7})",
                         R"({"from":"waiting_on_customer","to":"open"})", R"({"from":"new","to":"open"})",
                         R"({"done":true})", R"({"done":false})", "not json", R"({"severity":""})",
                         R"({"nested":{"severity":"low"},"severity":"low"})"};
  std::vector<TicketEventRecord> log;
  const int n = static_cast<int>(rng() % 12);
  std::int64_t t = 1767225600 + static_cast<std::int64_t>(rng() % 1000000);
  for (int i = 0; i < n; ++i) {
    t += static_cast<std::int64_t>(rng() % 200000) - 20000;  // sometimes out of order
    log.push_back(Ev(t, kinds[rng() % std::size(kinds)], datas[rng() % std::size(datas)]));
  }
  return log;
}

TEST(ClockLogTest, DecodeOfEncodeIsTheProjection) {
  std::mt19937_64 rng(11);
  for (bool suspends : {false, true}) {
    Policy policy;
    policy.lifecycle.bug_escalation_suspends_targets = suspends;
    for (int round = 0; round < 5000; ++round) {
      const auto log = RandomLog(rng);
      const std::string text = ClockLog::Encode(log);
      std::vector<TicketEvent> got;
      std::optional<std::string> opening;
      ASSERT_TRUE(ClockLog::Decode(policy, text, got, opening)) << text;
      const auto want = SlaProjector::ToSlaEvents(policy, log);
      ASSERT_EQ(got.size(), want.size()) << text;
      for (size_t i = 0; i < got.size(); ++i) {
        EXPECT_EQ(got[i].at, want[i].at) << text;
        EXPECT_EQ(got[i].type, want[i].type) << text;
        EXPECT_EQ(got[i].severity, want[i].severity) << text;
      }
      Ticket ticket;
      ticket.severity = "current";
      EXPECT_EQ(opening.value_or("current"), SlaProjector::InitialSeverity(log, ticket)) << text;
    }
  }
}

TEST(ClockLogTest, RefusesMalformedText) {
  Policy policy;
  std::vector<TicketEvent> events;
  std::optional<std::string> opening;
  for (const char* bad : {"", "2a5", "1a", "1z5", "1o5.9.abc", "1o5", "1s5.x.ab", "1a-"})
    EXPECT_FALSE(ClockLog::Decode(policy, bad, events, opening)) << bad;
  EXPECT_TRUE(ClockLog::Decode(policy, "1o100.4.high", events, opening));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(opening.value_or(""), "high");
}

}  // namespace
}  // namespace sladesk
