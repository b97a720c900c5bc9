// NotificationPlanner without a store: each case of
// data/notification_cases.json is a unit's events and the rows it must
// plan (channel, recipient, template), in order.
#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include <nlohmann/json.hpp>

#include "desk/notification_planner.h"
#include "desk/policy_registry.h"

namespace sladesk {
namespace {

using json = nlohmann::json;

json Cases() {
  std::ifstream in(std::string(SLADESK_SOURCE_DIR) + "/tests/desk/data/notification_cases.json");
  return json::parse(in);
}

User Person(Id id, const std::string& name, Role role) {
  User u;
  u.id = id;
  u.name = name;
  u.email = name + "@example.test";
  u.role = role;
  return u;
}

class NotificationPlannerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto p = PolicyRegistry::LoadDirectory(std::string(SLADESK_SOURCE_DIR) + "/policies");
    ASSERT_TRUE(p.ok()) << p.error().ToString();
    policies_ = *p;
    people_.requester = Person(10, "casey", Role::kContact);
    people_.leads = {Person(40, "lena", Role::kLead)};
    for (const User& u : {Person(10, "casey", Role::kContact), Person(20, "sam", Role::kAgent),
                          Person(40, "lena", Role::kLead)})
      people_.actors.emplace(u.id, u);
  }

  std::shared_ptr<const PolicyRegistry> policies_;
  NotificationPeople people_;
};

TEST_F(NotificationPlannerTest, EachChangeTellsThePeopleTheTableNames) {
  const json cases = Cases();
  ASSERT_GE(cases.size(), 10u);
  for (const auto& c : cases) {
    SCOPED_TRACE(c["name"].get<std::string>());
    const Policy* policy = policies_->Find(c["policy"].get<std::string>());
    ASSERT_NE(policy, nullptr);
    const Plan* plan = policy->FindPlan(c["plan"].get<std::string>());
    ASSERT_NE(plan, nullptr);
    Ticket t;
    t.id = 7;
    t.number = 1042;
    t.subject = "Export fails";
    t.severity = policy->default_severity;
    t.requester_id = 10;
    t.first_response_due = *ParseInstant("2026-03-02T13:00:00Z", "t");
    NotificationPeople people = people_;
    if (c.value("assigned", false)) {
      t.assignee_id = 20;
      people.assignee = Person(20, "sam", Role::kAgent);
    }
    if (c.value("csm", false)) people.csm = Person(30, "cora", Role::kAgent);
    Organisation org;
    org.id = 3;
    org.name = "Example GmbH";
    std::vector<TicketEventRecord> events;
    for (const auto& e : c["events"]) {
      TicketEventRecord r;
      r.ticket_id = t.id;
      r.at = *ParseInstant("2026-03-02T12:00:00Z", "t");
      r.actor_id = e["actor"].get<Id>();
      auto kind = EventKindFromName(e["kind"].get<std::string>());
      ASSERT_TRUE(kind) << e["kind"];
      r.kind = *kind;
      r.data_json = e["data"].dump();
      events.push_back(r);
    }
    NotificationInput in;
    in.ticket = &t;
    in.organisation = &org;
    in.policy = policy;
    in.plan = plan;
    in.events = events;
    in.first_index = 3;
    in.people = &people;
    in.now = *ParseInstant("2026-03-02T12:00:00Z", "t");
    const auto rows = NotificationPlanner::Rows(in);
    std::vector<std::string> got;
    std::set<std::string> keys;
    for (const auto& r : rows) {
      got.push_back(std::string(OutboxChannelName(r.channel)) + " " + r.recipient + " " + r.template_name);
      EXPECT_TRUE(keys.insert(r.dedupe_key).second) << "two rows share " << r.dedupe_key;
      EXPECT_EQ(r.state, OutboxState::kPending);
      EXPECT_EQ(r.next_attempt_at, in.now);
      EXPECT_EQ(r.ticket_number, 1042);
      if (c.contains("key")) EXPECT_NE(r.dedupe_key.find(c["key"].get<std::string>()), std::string::npos) << r.dedupe_key;
      const json payload = json::parse(r.payload_json);
      if (r.channel != OutboxChannel::kWebhook) {
        EXPECT_FALSE(payload["summary"].get<std::string>().empty());
        EXPECT_EQ(payload["ticket"]["number"], 1042);
      } else {
        EXPECT_EQ(payload["type"], r.event_type);
      }
    }
    EXPECT_EQ(got, c["expect"].get<std::vector<std::string>>());
  }
}

// Seed 000: "Our response will include a ticket number and the name of the
// assigned support officer"; the targets of the severity come with it.
TEST_F(NotificationPlannerTest, TheAcknowledgementCarriesNumberOfficerAndTargets) {
  const Policy* policy = policies_->Find("gtmhub");
  ASSERT_NE(policy, nullptr);
  const Plan* plan = policy->FindPlan("enhanced");
  ASSERT_NE(plan, nullptr);
  Ticket t;
  t.id = 1;
  t.number = 77;
  t.severity = "critical";
  t.requester_id = 10;
  t.assignee_id = 20;
  t.first_response_due = *ParseInstant("2026-03-02T13:00:00Z", "t");
  NotificationPeople people = people_;
  people.assignee = Person(20, "Sam Officer", Role::kAgent);
  Organisation org;
  TicketEventRecord opened;
  opened.kind = EventKind::kOpened;
  opened.actor_id = 10;
  std::vector<TicketEventRecord> events{opened};
  NotificationInput in{&t, &org, policy, plan, events, 0, &people, *ParseInstant("2026-03-02T12:00:00Z", "t")};
  const auto rows = NotificationPlanner::Rows(in);
  ASSERT_EQ(rows.size(), 3u);
  const json p = json::parse(rows[2].payload_json);
  EXPECT_EQ(rows[2].channel, OutboxChannel::kEmail);
  EXPECT_EQ(p["ticket"]["number"], 77);
  EXPECT_EQ(p["assignee"]["name"], "Sam Officer");
  EXPECT_EQ(p["recipient"]["email"], "casey@example.test");
  ASSERT_FALSE(p["targets"].empty());
  EXPECT_EQ(p["targets"][0]["metric"], "First response");
  EXPECT_EQ(p["targets"][0]["target"], "up to 1 hour");
  EXPECT_EQ(p["targets"][0]["due"], "2026-03-02T13:00:00Z");
  EXPECT_NE(p["summary"].get<std::string>().find("Sam Officer"), std::string::npos);
}

// Scheduler firings are keyed on (ticket, kind, metric, cycle): the same
// firing planned at two log positions (two processes racing) has the same keys.
TEST_F(NotificationPlannerTest, ASchedulerFiringHasTheSameKeysWhereverItLands) {
  const Policy* policy = policies_->Find("gtmhub");
  const Plan* plan = policy->FindPlan("standard");
  Ticket t;
  t.id = 9;
  t.number = 5;
  t.severity = "high";
  t.requester_id = 10;
  Organisation org;
  TicketEventRecord w;
  w.kind = EventKind::kSlaWarning;
  w.data_json = R"({"metric":"first_response","cycle":1,"due":"2026-03-02T13:00:00Z","at":"2026-03-02T12:00:00Z"})";
  std::vector<TicketEventRecord> events{w};
  auto keys = [&](std::int64_t index) {
    NotificationInput in{&t, &org, policy, plan, events, index, &people_, Instant{}};
    std::vector<std::string> out;
    for (const auto& r : NotificationPlanner::Rows(in)) out.push_back(r.dedupe_key);
    return out;
  };
  EXPECT_EQ(keys(4), keys(5));
  EXPECT_FALSE(keys(4).empty());
}

}  // namespace
}  // namespace sladesk
