// The downtime rule (CONTRACT §8): hand-worked cases in
// data/downtime/cases.json (9 tickets that must not trigger it and 10 that
// must, a ticket exactly 20 % over, next_update cycles, running clocks at the
// notice, window edges in New York and London across DST, severity at the
// notice, remedies Jan 31 -> Feb 28/29 and into skipped / repeated wall
// times), bad requests in data/downtime/errors.json, and the library API.
#include "compliance/downtime.h"

#include <gtest/gtest.h>

#include "compliance/downtime_json.h"
#include "compliance_test_util.h"
#include "downtime_case_expander.h"

namespace sladesk {
namespace {

using testing::At;
using testing::JsonCase;
using testing::SourcePolicy;

class DowntimeCaseTest : public ::testing::TestWithParam<JsonCase> {};

TEST_P(DowntimeCaseTest, MatchesTheHandWorkedAnswer) {
  const auto& c = GetParam().data;
  auto policy = SourcePolicy(c.at("policy"));
  auto request = ParseDowntimeRequest(testing::ExpandDowntimeInput(c).dump(), *policy);
  ASSERT_TRUE(request.ok()) << request.error().ToString();
  auto result = EvaluateDowntime(*policy, *request);
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  const nlohmann::json out = nlohmann::json::parse(DowntimeResultToJson(*result));
  for (const auto& [key, value] : c.at("expect").items()) {
    ASSERT_TRUE(out.contains(key)) << key;
    EXPECT_EQ(out[key], value) << key << " in " << out.dump();
  }
  EXPECT_EQ(static_cast<size_t>(result->over), result->over_ids.size());
  EXPECT_LE(result->over, result->considered);
  EXPECT_LE(result->considered, result->submitted);
}

INSTANTIATE_TEST_SUITE_P(Cases, DowntimeCaseTest,
                         ::testing::ValuesIn(testing::LoadJsonCases("tests/compliance/data/downtime/cases.json")),
                         testing::JsonCaseName);

class DowntimeErrorTest : public ::testing::TestWithParam<JsonCase> {};

TEST_P(DowntimeErrorTest, NamesTheField) {
  const auto& c = GetParam().data;
  auto policy = SourcePolicy(c.at("policy"));
  const std::string expected = c.at("error");
  std::string got;
  // As the CLI does: the policy's rule first, then the request.
  if (auto zone = DowntimeZone(*policy); !zone.ok()) {
    got = zone.error().ToString();
  } else if (auto request = ParseDowntimeRequest(c.at("input_text").get<std::string>(), *policy); !request.ok()) {
    got = request.error().ToString();
  } else {
    auto result = EvaluateDowntime(*policy, *request);
    ASSERT_FALSE(result.ok()) << "accepted";
    got = result.error().ToString();
  }
  EXPECT_EQ(got.substr(0, expected.size()), expected) << got;
}

INSTANTIATE_TEST_SUITE_P(Errors, DowntimeErrorTest,
                         ::testing::ValuesIn(testing::LoadJsonCases("tests/compliance/data/downtime/errors.json")),
                         testing::JsonCaseName);

TEST(DowntimeTest, OverMarginIsExact) {
  const ExactDecimal twenty = ExactDecimal::FromInteger(20);
  EXPECT_FALSE(OverMargin(4320, 3600, twenty));
  EXPECT_TRUE(OverMargin(4321, 3600, twenty));
  const ExactDecimal twelve_and_a_half = *ExactDecimal::Parse("12.5");
  EXPECT_FALSE(OverMargin(9000, 8000, twelve_and_a_half));
  EXPECT_TRUE(OverMargin(9001, 8000, twelve_and_a_half));
  EXPECT_FALSE(OverMargin(3600, 3600, ExactDecimal::FromInteger(0)));
  EXPECT_TRUE(OverMargin(3601, 3600, ExactDecimal::FromInteger(0)));
}

TEST(DowntimeTest, TheZoneIsTheLeastSevereListedSeveritysCalendar) {
  auto zone = DowntimeZone(*SourcePolicy("policies/supermetrics.toml"));
  ASSERT_TRUE(zone.ok());
  EXPECT_EQ((*zone)->name(), "America/New_York");  // medium runs on ny-support-week; urgent on 24x7
  auto london = DowntimeZone(*SourcePolicy("tests/compliance/data/policies/downtime-london.toml"));
  ASSERT_TRUE(london.ok());
  EXPECT_EQ((*london)->name(), "Europe/London");
  auto none = DowntimeZone(*SourcePolicy("policies/gold-support.toml"));
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().field, "contract.downtime");
}

TEST(DowntimeTest, TheEvaluatorStreamsAndExplainsEachTicket) {
  auto policy = SourcePolicy("policies/supermetrics.toml");
  auto ev = DowntimeEvaluator::Create(*policy, At("2027-04-17T15:00:00Z"));
  ASSERT_TRUE(ev.ok());
  EXPECT_EQ(ev->window_from(), At("2027-01-01T05:00:00Z"));
  DowntimeTicket t;
  t.id = "A";
  t.plan = policy->FindPlan("premium");
  t.severity = "high";
  t.events = {{At("2027-02-10T15:00:00Z"), EventType::kOpened, ""},
              {At("2027-02-10T20:00:00Z"), EventType::kAgentReply, ""},
              {At("2027-02-10T20:30:00Z"), EventType::kResolved, ""}};
  auto v = ev->Add(t, "tickets[0]");
  ASSERT_TRUE(v.ok()) << v.error().ToString();
  EXPECT_TRUE(v->submitted);
  EXPECT_TRUE(v->considered);
  EXPECT_TRUE(v->over);
  EXPECT_EQ(v->severity_at_notice, "high");
  ASSERT_EQ(v->over_instances.size(), 1u);
  EXPECT_EQ(v->over_instances[0].metric, Metric::kFirstResponse);
  EXPECT_EQ(v->over_instances[0].elapsed_seconds, 18000);
  auto dup = ev->Add(t, "tickets[1]");
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().field, "tickets[1].id");
  DowntimeTicket no_plan;
  no_plan.id = "B";
  auto missing = ev->Add(no_plan, "tickets[2]");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().field, "tickets[2].plan");
  const DowntimeResult r = ev->Finish();
  EXPECT_EQ(r.submitted, 1);
  EXPECT_EQ(r.over_ids, std::vector<std::string>{"A"});
  EXPECT_FALSE(r.downtime);
}

}  // namespace
}  // namespace sladesk
