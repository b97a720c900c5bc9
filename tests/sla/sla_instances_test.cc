// EvaluateOptions::instances: every judged instance (first_response, each
// next_update cycle, resolution) with its own elapsed time, target, severity
// and the instant it became breached. The report itself must not change
// when it is requested, and the latest instances must agree with it.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sla/sla_clock.h"
#include "sla/sla_json.h"
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

TEST(SlaInstancesTest, EveryCycleWithItsElapsedTimeAndBreachInstant) {
  // desk/std urgent: first response 1 h, next update 2 h, resolution 8 h, all 24x7.
  auto policy = testing::DeskPolicy();
  const Plan& plan = *policy->FindPlan("std");
  std::vector<TicketEvent> events = {
      Ev("2026-03-02T08:00:00Z", EventType::kOpened),
      Ev("2026-03-02T08:30:00Z", EventType::kAgentReply),         // cycle 1 starts
      Ev("2026-03-02T11:00:00Z", EventType::kAgentReply),         // cycle 1: 2.5 h > 2 h; cycle 2 starts
      Ev("2026-03-02T11:30:00Z", EventType::kWaitingOnCustomer),  // cycle 2 paused after 30 min
      Ev("2026-03-02T14:00:00Z", EventType::kCustomerReply),      // cycle 2 left behind; cycle 3 starts
  };
  std::vector<InstanceReport> instances;
  EvaluateOptions options;
  options.instances = &instances;
  auto report = EvaluateSla(*policy, plan, "urgent", events, At("2026-03-02T17:00:00Z"), options);
  ASSERT_TRUE(report.ok()) << report.error().ToString();
  ASSERT_EQ(instances.size(), 5u);

  const InstanceReport& c1 = instances[0];
  EXPECT_EQ(c1.metric, Metric::kNextUpdate);
  EXPECT_EQ(c1.cycle, 1);
  EXPECT_FALSE(c1.latest);
  EXPECT_EQ(c1.state, MetricState::kBreached);
  EXPECT_EQ(c1.severity, "urgent");
  EXPECT_EQ(c1.target_seconds, 7200);
  EXPECT_EQ(c1.elapsed_seconds, 9000);
  EXPECT_EQ(c1.started_at, At("2026-03-02T08:30:00Z"));
  EXPECT_EQ(c1.judged_at, At("2026-03-02T11:00:00Z"));
  EXPECT_EQ(c1.stopped_at, At("2026-03-02T11:00:00Z"));
  EXPECT_EQ(c1.due_at, At("2026-03-02T10:30:00Z"));
  EXPECT_EQ(c1.breached_at, At("2026-03-02T10:30:00Z"));

  const InstanceReport& c2 = instances[1];
  EXPECT_EQ(c2.cycle, 2);
  EXPECT_EQ(c2.state, MetricState::kMet);
  EXPECT_EQ(c2.elapsed_seconds, 1800);
  EXPECT_EQ(c2.judged_at, At("2026-03-02T11:30:00Z"));  // judged at its pause
  EXPECT_EQ(c2.stopped_at, At("2026-03-02T14:00:00Z"));
  EXPECT_FALSE(c2.breached_at.has_value());

  const InstanceReport& fr = instances[2];
  EXPECT_EQ(fr.metric, Metric::kFirstResponse);
  EXPECT_EQ(fr.cycle, 0);
  EXPECT_EQ(fr.state, MetricState::kMet);
  EXPECT_EQ(fr.elapsed_seconds, 1800);

  const InstanceReport& c3 = instances[3];
  EXPECT_EQ(c3.metric, Metric::kNextUpdate);
  EXPECT_EQ(c3.cycle, 3);
  EXPECT_TRUE(c3.latest);
  EXPECT_EQ(c3.state, MetricState::kBreached);
  EXPECT_EQ(c3.elapsed_seconds, 10800);
  EXPECT_EQ(c3.judged_at, At("2026-03-02T17:00:00Z"));
  EXPECT_FALSE(c3.stopped_at.has_value());
  EXPECT_EQ(c3.breached_at, At("2026-03-02T16:00:00Z"));

  const InstanceReport& res = instances[4];
  EXPECT_EQ(res.metric, Metric::kResolution);
  EXPECT_EQ(res.state, MetricState::kRunning);
  EXPECT_EQ(res.elapsed_seconds, 3 * 3600 + 1800 + 3 * 3600);
  EXPECT_EQ(res.due_at, At("2026-03-02T18:30:00Z"));

  EXPECT_EQ((*report)[Metric::kNextUpdate].breaches, 2);
}

TEST(SlaInstancesTest, BreachedInAnEarlierSpanKeepsThatInstant) {
  // desk/std high resolution: 24 h on 24x7. Runs 25 h, pauses, resumes, resolves.
  auto policy = testing::DeskPolicy();
  const Plan& plan = *policy->FindPlan("std");
  std::vector<TicketEvent> events = {
      Ev("2026-03-02T00:00:00Z", EventType::kOpened),
      Ev("2026-03-02T01:00:00Z", EventType::kAgentReply),
      Ev("2026-03-03T01:00:00Z", EventType::kWaitingOnCustomer),
      Ev("2026-03-04T00:00:00Z", EventType::kCustomerReply),
      Ev("2026-03-04T02:00:00Z", EventType::kResolved),
  };
  std::vector<InstanceReport> instances;
  EvaluateOptions options;
  options.instances = &instances;
  auto report = EvaluateSla(*policy, plan, "high", events, At("2026-03-05T00:00:00Z"), options);
  ASSERT_TRUE(report.ok());
  auto res = std::find_if(instances.begin(), instances.end(),
                          [](const InstanceReport& r) { return r.metric == Metric::kResolution; });
  ASSERT_NE(res, instances.end());
  EXPECT_EQ(res->state, MetricState::kBreached);
  EXPECT_EQ(res->elapsed_seconds, 27 * 3600);
  EXPECT_EQ(res->breached_at, At("2026-03-03T00:00:00Z"));  // the first span ran past it
  EXPECT_EQ(res->due_at, At("2026-03-04T00:00:00Z"));       // add(resume, <= 0) = the resume
  EXPECT_EQ(res->judged_at, At("2026-03-04T02:00:00Z"));
}

TEST(SlaInstancesTest, NoTargetAndNotStartedInstances) {
  // desk/std low: first response only. A reply starts a next_update cycle without a target.
  auto policy = testing::DeskPolicy();
  const Plan& plan = *policy->FindPlan("std");
  std::vector<InstanceReport> instances = {InstanceReport{}};  // cleared by the call
  EvaluateOptions options;
  options.instances = &instances;
  auto none = EvaluateSla(*policy, plan, "low", {}, At("2026-03-05T00:00:00Z"), options);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(instances.empty());

  std::vector<TicketEvent> events = {Ev("2026-03-02T00:00:00Z", EventType::kOpened),
                                     Ev("2026-03-02T01:00:00Z", EventType::kAgentReply),
                                     Ev("2026-03-02T02:00:00Z", EventType::kAgentReply)};
  auto report = EvaluateSla(*policy, plan, "low", events, At("2026-03-05T00:00:00Z"), options);
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(instances.size(), 4u);  // cycle 1 (finished), first_response, cycle 2, resolution
  EXPECT_EQ(instances[0].state, MetricState::kNoTarget);
  EXPECT_FALSE(instances[0].elapsed_seconds.has_value());
  EXPECT_EQ(instances[1].metric, Metric::kFirstResponse);
  EXPECT_EQ(instances[1].state, MetricState::kMet);
  EXPECT_EQ(instances[2].state, MetricState::kNoTarget);
  EXPECT_EQ(instances[3].metric, Metric::kResolution);
  EXPECT_EQ(instances[3].state, MetricState::kNoTarget);
}

// Over every hand-worked case in tests/sla/data/cases: asking for instances
// leaves the report as it was, the latest instance of each metric says what
// the report says, and the breached cycles add up to `breaches`.
TEST(SlaInstancesTest, AgreesWithTheReportOnEveryCase) {
  using nlohmann::json;
  std::vector<std::filesystem::path> files;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(SLADESK_SOURCE_DIR) + "/tests/sla/data/cases"))
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  int checked = 0;
  for (const auto& f : files) {
    for (const auto& c : json::parse(testing::ReadTestFile("sla/data/cases/" + f.filename().string()))) {
      SCOPED_TRACE(f.filename().string() + "/" + c.at("name").get<std::string>());
      auto policy = testing::TestPolicy(c.at("policy").get<std::string>());
      ASSERT_NE(policy, nullptr);
      auto request = ParseSlaRequest(c.at("input").dump(), *policy);
      ASSERT_TRUE(request.ok());
      auto plain = EvaluateSla(*policy, *request->plan, request->severity, request->events, request->now);
      ASSERT_TRUE(plain.ok());
      std::vector<InstanceReport> instances;
      EvaluateOptions options;
      options.instances = &instances;
      auto report =
          EvaluateSla(*policy, *request->plan, request->severity, request->events, request->now, options);
      ASSERT_TRUE(report.ok());
      EXPECT_EQ(SlaReportToJson(*report), SlaReportToJson(*plain));
      int cycle_breaches = 0;
      for (Metric m : kAllMetrics) {
        const MetricReport& r = (*report)[m];
        const InstanceReport* latest = nullptr;
        for (const auto& i : instances) {
          if (i.metric != m) continue;
          if (i.latest) latest = &i;
          if (m == Metric::kNextUpdate && i.state == MetricState::kBreached) ++cycle_breaches;
          if (i.state == MetricState::kBreached) {
            ASSERT_TRUE(i.breached_at.has_value());
            EXPECT_GT(i.judged_at, *i.breached_at);
            EXPECT_GE(*i.elapsed_seconds, *i.target_seconds);  // equal: breached in closed time
          }
        }
        if (r.state == MetricState::kNotStarted || (r.state == MetricState::kNoTarget && latest == nullptr)) {
          EXPECT_EQ(latest, nullptr);
          continue;
        }
        ASSERT_NE(latest, nullptr) << MetricName(m);
        EXPECT_EQ(latest->state, r.state) << MetricName(m);
        EXPECT_EQ(latest->elapsed_seconds, r.elapsed_seconds) << MetricName(m);
        EXPECT_EQ(latest->due_at, r.due_at) << MetricName(m);
        EXPECT_EQ(latest->stopped_at, r.stopped_at) << MetricName(m);
        EXPECT_EQ(latest->target_seconds, r.target_seconds) << MetricName(m);
      }
      EXPECT_EQ(cycle_breaches, (*report)[Metric::kNextUpdate].breaches);
      ++checked;
    }
  }
  EXPECT_GT(checked, 20);
}

}  // namespace
}  // namespace sladesk
