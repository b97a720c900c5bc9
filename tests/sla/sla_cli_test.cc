// End-to-end tests of `sladesk sla evaluate` (CONTRACT §6): the built binary
// on the project's policies/ and request files in tests/sla/data/cli/. The
// expected outputs were worked by hand (see docs/sla.md) and then frozen.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli/cli_runner.h"
#include "metric_expectations.h"
#include "sla_test_policies.h"

namespace sladesk {
namespace {

using nlohmann::json;
using testing::RunSladesk;

const std::string kSource = SLADESK_SOURCE_DIR;

std::string Evaluate(const std::string& policy, const std::string& input, const std::string& extra = "") {
  return "sla evaluate --policy " + kSource + "/policies/" + policy + " --input " + input + extra;
}

struct OkCase {
  const char* name;
  const char* policy;
};

class SlaCliOkTest : public ::testing::TestWithParam<OkCase> {};

TEST_P(SlaCliOkTest, PrintsTheExpectedReport) {
  const OkCase& c = GetParam();
  const std::string input = kSource + "/tests/sla/data/cli/" + c.name + ".json";
  auto r = RunSladesk(Evaluate(c.policy, input));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  const json expected = json::parse(testing::ReadTestFile(std::string("sla/data/cli/") + c.name + ".expected.json"));
  const json actual = json::parse(r.out);
  EXPECT_EQ(actual, expected) << r.out;
  // Contract shape: the three metrics in order, every key present.
  ASSERT_EQ(actual.at("metrics").size(), 3u);
  const char* order[] = {"first_response", "next_update", "resolution"};
  for (int i = 0; i < 3; ++i) {
    const json& m = actual["metrics"][i];
    EXPECT_EQ(m.at("metric"), order[i]);
    for (const char* key : {"state", "target_seconds", "elapsed_seconds", "due_at", "goal_due_at", "stopped_at", "breaches"})
      EXPECT_TRUE(m.contains(key)) << order[i] << "." << key;
  }
  // The same request on stdin, and with --explain: stdout is unchanged and
  // the account goes to stderr.
  auto from_stdin = RunSladesk(Evaluate(c.policy, "-"), testing::ReadTestFile(std::string("sla/data/cli/") + c.name + ".json"));
  EXPECT_EQ(from_stdin.exit_code, 0) << from_stdin.err;
  EXPECT_EQ(from_stdin.out, r.out);
  auto explained = RunSladesk(Evaluate(c.policy, input, " --explain"));
  EXPECT_EQ(explained.exit_code, 0);
  EXPECT_EQ(explained.out, r.out);
  EXPECT_NE(explained.err.find("open windows"), std::string::npos) << explained.err;
}

INSTANTIATE_TEST_SUITE_P(Policies, SlaCliOkTest,
                         ::testing::Values(OkCase{"gold_contract_example", "gold-support.toml"},
                                           OkCase{"supermetrics_next_update", "supermetrics.toml"},
                                           OkCase{"agency_resolution_from_first_response", "agency-support.toml"}),
                         [](const auto& info) { return std::string(info.param.name); });

struct BadCase {
  const char* name;
  std::string args;
  std::string stdin_text;
  const char* stderr_contains;
};

class SlaCliBadInputTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(SlaCliBadInputTest, ExitsTwoWithOneMessage) {
  const BadCase& c = GetParam();
  auto r = RunSladesk(c.args, c.stdin_text);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find(c.stderr_contains), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "one line expected: " << r.err;
}

const std::string kGold = "gold-support.toml";

INSTANTIATE_TEST_SUITE_P(
    Inputs, SlaCliBadInputTest,
    ::testing::Values(
        BadCase{"UnknownPlan", Evaluate(kGold, "-"),
                R"({"plan": "platinum", "now": "2026-03-02T09:00:00Z", "events": []})",
                "plan: unknown plan 'platinum' (known: professional, enterprise, gold)"},
        BadCase{"UnknownSeverity", Evaluate(kGold, "-"),
                R"({"plan": "gold", "severity": "p1", "now": "2026-03-02T09:00:00Z", "events": []})",
                "severity: unknown severity 'p1'"},
        BadCase{"MalformedTime", Evaluate(kGold, "-"),
                R"({"plan": "gold", "now": "2026-03-02T09:00:00Z", "events": [{"at": "2026-03-02T08:00:00Z", "type": "opened"}, {"at": "soon", "type": "agent_reply"}]})",
                "events[1].at"},
        BadCase{"EventOutOfShape", Evaluate(kGold, "-"),
                R"({"plan": "gold", "now": "2026-03-02T09:00:00Z", "events": [{"at": "2026-03-02T08:00:00Z"}]})",
                "events[0].type: missing"},
        BadCase{"NotJson", Evaluate(kGold, "-"), "{plan", "not valid JSON"},
        BadCase{"MissingInputFile", Evaluate(kGold, "/nonexistent/request.json"), "", "--input"},
        BadCase{"MissingPolicyFile", "sla evaluate --policy /nonexistent/p.toml --input -", "{}", "--policy"},
        BadCase{"BothOnStdin", "sla evaluate --policy - --input -", "", "stdin"},
        BadCase{"MissingFlag", "sla evaluate --input -", "", "--policy"}),
    [](const auto& info) { return std::string(info.param.name); });

// Hand-worked cases from each seed's own tables (tests/sla/data/seed_cases.json:
// every case says in "note" how its figures were worked out), through the
// binary on the project's policies/.
struct SeedCase {
  std::string name;
  json data;
  friend void PrintTo(const SeedCase& c, std::ostream* os) { *os << c.name; }
};

std::vector<SeedCase> LoadSeedCases() {
  std::vector<SeedCase> out;
  for (const auto& c : json::parse(testing::ReadTestFile("sla/data/seed_cases.json")))
    out.push_back({c.at("name").get<std::string>(), c});
  return out;
}

class SeedCaseTest : public ::testing::TestWithParam<SeedCase> {};

TEST_P(SeedCaseTest, MatchesHandWorkedAnswer) {
  const json& c = GetParam().data;
  auto r = RunSladesk(Evaluate(c.at("policy").get<std::string>(), "-"), c.at("input").dump());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json out = json::parse(r.out);
  testing::ExpectMetrics(out, c.at("expect"), "full output:\n" + out.dump(1));
}

INSTANTIATE_TEST_SUITE_P(Seeds, SeedCaseTest, ::testing::ValuesIn(LoadSeedCases()),
                         [](const ::testing::TestParamInfo<SeedCase>& info) { return info.param.name; });

}  // namespace
}  // namespace sladesk
