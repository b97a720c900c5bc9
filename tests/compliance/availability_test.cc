// The availability level (CONTRACT §7): hand-worked months in
// data/availability/cases.json (DST months in London and New York, leap
// years, incidents across month edges, overlaps, exact targets of 98, 97.5
// and 99.95), bad requests and policies in data/availability/errors.json,
// and the library's own corners (open incidents, as_of).
#include "compliance/availability.h"

#include <gtest/gtest.h>

#include "compliance/availability_json.h"
#include "compliance_test_util.h"

namespace sladesk {
namespace {

using testing::At;
using testing::JsonCase;
using testing::SourcePolicy;

class AvailabilityCaseTest : public ::testing::TestWithParam<JsonCase> {};

TEST_P(AvailabilityCaseTest, MatchesTheHandWorkedMonth) {
  const auto& c = GetParam().data;
  auto policy = SourcePolicy(c.at("policy"));
  auto request = ParseAvailabilityRequest(c.at("input").dump());
  ASSERT_TRUE(request.ok()) << request.error().ToString();
  auto result = ComputeAvailability(*request, *policy);
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  const nlohmann::json out = nlohmann::json::parse(AvailabilityResultToJson(*result));
  for (const auto& [key, value] : c.at("expect").items()) {
    ASSERT_TRUE(out.contains(key)) << key;
    if (key == "availability_percent") {
      EXPECT_NEAR(out[key].get<double>(), value.get<double>(), 1e-9) << out.dump();
    } else {
      EXPECT_EQ(out[key], value) << key << " in " << out.dump();
    }
  }
  // The invariants of §7 hold on every case.
  EXPECT_EQ(result->measured_seconds, result->month_seconds - result->excluded_seconds);
  EXPECT_LE(result->downtime_seconds, result->measured_seconds);
  EXPECT_EQ(result->month_seconds, ToEpoch(result->month_end) - ToEpoch(result->month_start));
}

INSTANTIATE_TEST_SUITE_P(Cases, AvailabilityCaseTest,
                         ::testing::ValuesIn(testing::LoadJsonCases("tests/compliance/data/availability/cases.json")),
                         testing::JsonCaseName);

class AvailabilityErrorTest : public ::testing::TestWithParam<JsonCase> {};

TEST_P(AvailabilityErrorTest, NamesTheField) {
  const auto& c = GetParam().data;
  auto policy = SourcePolicy(c.at("policy"));
  const std::string expected = c.at("error");
  std::string got;
  auto request = ParseAvailabilityRequest(c.at("input_text").get<std::string>());
  if (!request.ok()) {
    got = request.error().ToString();
  } else {
    auto result = ComputeAvailability(*request, *policy);
    ASSERT_FALSE(result.ok()) << "accepted";
    got = result.error().ToString();
  }
  EXPECT_EQ(got.substr(0, expected.size()), expected) << got;
}

INSTANTIATE_TEST_SUITE_P(Errors, AvailabilityErrorTest,
                         ::testing::ValuesIn(testing::LoadJsonCases("tests/compliance/data/availability/errors.json")),
                         testing::JsonCaseName);

TEST(AvailabilityTest, TheContractExampleIsExactlyTheContractOutput) {
  auto policy = SourcePolicy("policies/agency-support.toml");
  auto request = ParseAvailabilityRequest(R"({"month": "2027-03",
 "incidents": [{"start": "2027-03-03T10:00:00Z", "end": "2027-03-03T22:00:00Z", "cause": "outage"},
               {"start": "2027-03-10T01:00:00Z", "end": "2027-03-10T05:00:00Z", "cause": "allowed_maintenance"}]})");
  ASSERT_TRUE(request.ok());
  auto result = ComputeAvailability(*request, *policy);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(AvailabilityResultToJsonValue(*result).dump(),
            R"({"month":"2027-03","month_seconds":2674800,"excluded_seconds":14400,"measured_seconds":2660400,)"
            R"("downtime_seconds":43200,"availability_percent":98.376184,"target_percent":98,"met":true})");
  EXPECT_EQ(result->zone, "Europe/London");
  EXPECT_EQ(result->month_start, At("2027-03-01T00:00:00Z"));
  EXPECT_EQ(result->month_end, At("2027-03-31T23:00:00Z"));
  ASSERT_EQ(result->downtime_spans.size(), 1u);
  EXPECT_EQ(result->downtime_spans[0], (TimeSpan{At("2027-03-03T10:00:00Z"), At("2027-03-03T22:00:00Z")}));
}

TEST(AvailabilityTest, OpenIncidentsAreMeasuredUpToAsOf) {
  auto policy = SourcePolicy("policies/agency-support.toml");
  AvailabilityRequest req;
  req.month = YearMonth{2027, 4};
  req.incidents.push_back(ServiceIncident{At("2027-04-10T00:00:00Z"), std::nullopt, IncidentCause::kOutage, "", ""});
  auto refused = ComputeAvailability(req, *policy);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().field, "incidents[0].end");

  // A month in progress: measured up to as_of, and the open incident ends there.
  req.as_of = At("2027-04-10T12:00:00Z");
  auto partial = ComputeAvailability(req, *policy);
  ASSERT_TRUE(partial.ok());
  EXPECT_FALSE(partial->complete);
  EXPECT_EQ(partial->month_start, At("2027-03-31T23:00:00Z"));
  EXPECT_EQ(partial->month_end, At("2027-04-10T12:00:00Z"));
  EXPECT_EQ(partial->month_seconds, 9 * 86400 + 13 * 3600);
  EXPECT_EQ(partial->downtime_seconds, 12 * 3600);

  // as_of after the month: the whole month, the open incident to the month end.
  req.as_of = At("2027-06-01T00:00:00Z");
  auto whole = ComputeAvailability(req, *policy);
  ASSERT_TRUE(whole.ok());
  EXPECT_TRUE(whole->complete);
  EXPECT_EQ(whole->month_seconds, 2592000);
  EXPECT_EQ(whole->downtime_seconds, ToEpoch(At("2027-04-30T23:00:00Z")) - ToEpoch(At("2027-04-10T00:00:00Z")));

  // as_of before the month: nothing measured yet, 100 %.
  req.as_of = At("2027-03-01T00:00:00Z");
  auto before = ComputeAvailability(req, *policy);
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(before->month_seconds, 0);
  EXPECT_EQ(before->availability_percent, 100);
  EXPECT_TRUE(before->met);
}

TEST(AvailabilityTest, CausesByName) {
  for (IncidentCause c : kAllIncidentCauses) EXPECT_EQ(IncidentCauseFromName(IncidentCauseName(c)), c);
  EXPECT_TRUE(CountsAgainstAvailability(IncidentCause::kOutage));
  EXPECT_TRUE(CountsAgainstAvailability(IncidentCause::kSubcontractor));
  for (IncidentCause c : {IncidentCause::kAllowedMaintenance, IncidentCause::kExcludedCause, IncidentCause::kCustomer,
                          IncidentCause::kThirdParty, IncidentCause::kForceMajeure})
    EXPECT_FALSE(CountsAgainstAvailability(c)) << IncidentCauseName(c);
  EXPECT_FALSE(IncidentCauseFromName("").has_value());
}

TEST(AvailabilityTest, ZoneChoice) {
  auto zone = [](const char* path) {
    auto z = AvailabilityZone(*SourcePolicy(path));
    return z.ok() ? (*z)->name() : "error: " + z.error().ToString();
  };
  EXPECT_EQ(zone("policies/agency-support.toml"), "Europe/London");
  EXPECT_EQ(zone("tests/compliance/data/policies/availability-ny.toml"), "America/New_York");
  EXPECT_EQ(zone("policies/gtmhub.toml").rfind("Europe/Berlin", 0), 0u) << zone("policies/gtmhub.toml");
  // A policy with only 24x7 calendars measures in UTC.
  Policy p;
  Plan plan;
  plan.id = "x";
  plan.calendar = BusinessCalendar::AlwaysOpen();
  p.plans.push_back(plan);
  auto z = AvailabilityZone(p);
  ASSERT_TRUE(z.ok());
  EXPECT_EQ((*z)->name(), "UTC");
}

}  // namespace
}  // namespace sladesk
