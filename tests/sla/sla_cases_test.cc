// Table-driven SLA clock cases from tests/sla/data/cases/*.json: each case
// is an `sla evaluate` request (CONTRACT §6) against a test policy, and the
// hand-worked fields expected in the output (only the fields listed are
// compared; null means "must be null"). tests/sla/data/errors.json lists bad
// requests with the start of the expected error.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sla/sla_clock.h"
#include "sla/sla_json.h"
#include "metric_expectations.h"
#include "sla_test_policies.h"

namespace sladesk {
namespace {

using nlohmann::json;

struct Case {
  std::string file;
  std::string name;
  json data;
};

// gtest prints parameters on failure; the name says enough.
void PrintTo(const Case& c, std::ostream* os) { *os << c.file << "/" << c.name; }

std::vector<Case> LoadCases() {
  std::vector<std::filesystem::path> files;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(SLADESK_SOURCE_DIR) + "/tests/sla/data/cases"))
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  std::vector<Case> out;
  for (const auto& f : files) {
    json doc = json::parse(testing::ReadTestFile("sla/data/cases/" + f.filename().string()));
    for (const auto& c : doc) out.push_back({f.stem().string(), c.at("name").get<std::string>(), c});
  }
  return out;
}

std::vector<Case> LoadErrors() {
  std::vector<Case> out;
  json doc = json::parse(testing::ReadTestFile("sla/data/errors.json"));
  for (const auto& c : doc) out.push_back({"errors", c.at("name").get<std::string>(), c});
  return out;
}

std::string CaseName(const ::testing::TestParamInfo<Case>& info) {
  return info.param.file + "_" + info.param.name;
}

class SlaCaseTest : public ::testing::TestWithParam<Case> {};

TEST_P(SlaCaseTest, MatchesHandWorkedAnswer) {
  const Case& c = GetParam();
  auto policy = testing::TestPolicy(c.data.at("policy").get<std::string>());
  ASSERT_NE(policy, nullptr);
  auto request = ParseSlaRequest(c.data.at("input").dump(), *policy);
  ASSERT_TRUE(request.ok()) << request.error().ToString();
  SlaExplanation explanation;
  EvaluateOptions options;
  options.explanation = &explanation;
  auto report = EvaluateSla(*policy, *request->plan, request->severity, request->events, request->now, options);
  ASSERT_TRUE(report.ok()) << report.error().ToString();
  const json out = json::parse(SlaReportToJson(*report));
  ASSERT_EQ(out.at("metrics").size(), 3u);
  testing::ExpectMetrics(out, c.data.at("expect"),
                         "full output:\n" + out.dump(1) + "\nexplanation:\n" + FormatSlaExplanation(explanation));
  // Without the explanation the answer is the same (the fast path).
  auto plain = EvaluateSla(*policy, *request->plan, request->severity, request->events, request->now);
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(SlaReportToJson(*plain), SlaReportToJson(*report));
}

INSTANTIATE_TEST_SUITE_P(Cases, SlaCaseTest, ::testing::ValuesIn(LoadCases()), CaseName);

class SlaErrorTest : public ::testing::TestWithParam<Case> {};

TEST_P(SlaErrorTest, NamesTheField) {
  const Case& c = GetParam();
  auto policy = testing::TestPolicy(c.data.at("policy").get<std::string>());
  ASSERT_NE(policy, nullptr);
  auto request = ParseSlaRequest(c.data.at("input_text").get<std::string>(), *policy);
  ASSERT_FALSE(request.ok());
  const std::string expected = c.data.at("error").get<std::string>();
  EXPECT_EQ(request.error().ToString().substr(0, expected.size()), expected) << request.error().ToString();
}

INSTANTIATE_TEST_SUITE_P(Errors, SlaErrorTest, ::testing::ValuesIn(LoadErrors()), CaseName);

}  // namespace
}  // namespace sladesk
