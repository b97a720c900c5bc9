// The event log -> SLA engine events (SlaProjector::ToSlaEvents).
#include "desk/sla_projector.h"

#include <gtest/gtest.h>

namespace sladesk {
namespace {

TicketEventRecord Ev(Seconds at, EventKind kind, const std::string& data = "{}") {
  TicketEventRecord e;
  e.at = FromEpoch(at);
  e.kind = kind;
  e.data_json = data;
  return e;
}

struct MappingCase {
  const char* name;
  TicketEventRecord event;
  std::optional<EventType> expected;
  const char* severity;
};

TEST(SlaProjectorTest, MapsTheLogToEngineEvents) {
  const MappingCase cases[] = {
      {"opened", Ev(1, EventKind::kOpened, R"({"severity":"high"})"), EventType::kOpened, ""},
      {"agent reply", Ev(2, EventKind::kAgentReply), EventType::kAgentReply, ""},
      {"customer reply", Ev(3, EventKind::kCustomerReply), EventType::kCustomerReply, ""},
      {"waiting", Ev(4, EventKind::kWaitingOnCustomer), EventType::kWaitingOnCustomer, ""},
      {"severity", Ev(5, EventKind::kSeverityChanged, R"({"severity":"urgent","reason":"x"})"),
       EventType::kSeverityChanged, "urgent"},
      {"resolved", Ev(6, EventKind::kResolved), EventType::kResolved, ""},
      {"reopened", Ev(7, EventKind::kReopened), EventType::kReopened, ""},
      {"closed", Ev(8, EventKind::kClosed), EventType::kClosed, ""},
      {"agent ends a wait", Ev(9, EventKind::kStatusChanged, R"({"from":"waiting_on_customer","to":"open"})"),
       EventType::kReopened, ""},
      {"acknowledged", Ev(10, EventKind::kStatusChanged, R"({"from":"new","to":"open"})"), std::nullopt, ""},
      {"internal note", Ev(11, EventKind::kInternalNote), std::nullopt, ""},
      {"assigned", Ev(12, EventKind::kAssigned), std::nullopt, ""},
      {"escalation", Ev(13, EventKind::kEscalationRequested), std::nullopt, ""},
      {"attachment", Ev(14, EventKind::kAttachmentAdded), std::nullopt, ""},
      {"severity without data", Ev(15, EventKind::kSeverityChanged, "{}"), std::nullopt, ""},
      {"engineering update counts as an update", Ev(16, EventKind::kEngineeringUpdate, R"({"status":"in progress"})"),
       EventType::kAgentReply, ""},
      {"a link that suspends nothing", Ev(17, EventKind::kEngineeringIssueLinked), std::nullopt, ""},
      {"time logged", Ev(18, EventKind::kTimeLogged), std::nullopt, ""},
      {"reopen requested", Ev(19, EventKind::kReopenRequested), std::nullopt, ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    std::vector<TicketEventRecord> log{c.event};
    Policy policy;
    auto out = SlaProjector::ToSlaEvents(policy, log);
    if (!c.expected) {
      EXPECT_TRUE(out.empty());
      continue;
    }
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].type, *c.expected);
    EXPECT_EQ(out[0].at, c.event.at);
    EXPECT_EQ(out[0].severity, c.severity);
  }
}

TEST(SlaProjectorTest, InitialSeverityComesFromTheOpenedEvent) {
  Ticket t;
  t.severity = "urgent";  // changed later
  std::vector<TicketEventRecord> log{Ev(1, EventKind::kOpened, R"({"severity":"low"})"),
                                     Ev(2, EventKind::kSeverityChanged, R"({"severity":"urgent"})")};
  EXPECT_EQ(SlaProjector::InitialSeverity(log, t), "low");
  EXPECT_EQ(SlaProjector::InitialSeverity({}, t), "urgent");
}

// Seed 001: "Handling Time Targets are not applicable for bug
// escalations": the clocks pause from the link until the tracker reports
// the issue done; a customer's reply meanwhile resumes nothing.
TEST(SlaProjectorTest, ABugEscalationSuspendsTheTargetsWhereThePolicySaysSo) {
  Policy policy;
  policy.lifecycle.bug_escalation_suspends_targets = true;
  std::vector<TicketEventRecord> log{
      Ev(1, EventKind::kOpened, R"({"severity":"high"})"), Ev(2, EventKind::kAgentReply),
      Ev(3, EventKind::kEngineeringIssueLinked), Ev(4, EventKind::kCustomerReply),
      Ev(5, EventKind::kStatusChanged, R"({"from":"waiting_on_customer","to":"open"})"),
      Ev(6, EventKind::kEngineeringUpdate, R"({"status":"in progress"})"),
      Ev(7, EventKind::kEngineeringUpdate, R"({"status":"released","done":true})"), Ev(8, EventKind::kCustomerReply)};
  auto out = SlaProjector::ToSlaEvents(policy, log);
  std::vector<EventType> types;
  for (const auto& e : out) types.push_back(e.type);
  EXPECT_EQ(types, (std::vector<EventType>{EventType::kOpened, EventType::kAgentReply, EventType::kWaitingOnCustomer,
                                           EventType::kAgentReply, EventType::kReopened, EventType::kCustomerReply}));
  // Without the policy's word, the link changes no clock.
  Policy plain;
  auto unsuspended = SlaProjector::ToSlaEvents(plain, log);
  EXPECT_EQ(unsuspended.size(), 7u);  // every event but the link; the done update is an update
}

}  // namespace
}  // namespace sladesk
