// End to end: `sladesk report availability|downtime` on the contract's
// examples (golden outputs in data/cli/*.out), stdin, and bad input: exit 2
// with one line on stderr naming the field, never a crash.
#include <gtest/gtest.h>

#include <string>

#include "cli/cli_runner.h"
#include "compliance_test_util.h"

namespace sladesk {
namespace {

using testing::RunSladesk;

const std::string kSrc = SLADESK_SOURCE_DIR;
const std::string kData = kSrc + "/tests/compliance/data/cli/";

int Lines(const std::string& s) {
  int n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

TEST(ReportCliTest, AvailabilityContractExampleIsTheGoldenOutput) {
  auto r = RunSladesk("report availability --policy " + kSrc + "/policies/agency-support.toml --input " + kData +
                      "availability_contract_example.json");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, testing::ReadSourceFile("tests/compliance/data/cli/availability_contract_example.out"));
  EXPECT_EQ(r.err, "");
}

TEST(ReportCliTest, DowntimeContractExampleFromStdin) {
  auto r = RunSladesk("report downtime --policy " + kSrc + "/policies/supermetrics.toml --input -",
                      testing::ReadSourceFile("tests/compliance/data/cli/downtime_contract_example.json"));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, testing::ReadSourceFile("tests/compliance/data/cli/downtime_contract_example.out"));
}

struct BadCall {
  const char* name;
  std::string args;
  std::string stdin_text;
  const char* fragment;
};

class ReportCliBadInput : public ::testing::TestWithParam<BadCall> {};

TEST_P(ReportCliBadInput, ExitsTwoWithOneLineNamingTheField) {
  const BadCall& c = GetParam();
  auto r = RunSladesk(c.args, c.stdin_text);
  EXPECT_EQ(r.exit_code, 2) << c.name << "\n" << r.out << r.err;
  EXPECT_EQ(r.out, "") << c.name;
  EXPECT_EQ(Lines(r.err), 1) << c.name << ": " << r.err;
  EXPECT_EQ(r.err.rfind("sladesk: ", 0), 0u) << r.err;
  EXPECT_NE(r.err.find(c.fragment), std::string::npos) << c.name << ": " << r.err;
}

const std::string kAgency = " --policy " + kSrc + "/policies/agency-support.toml";
const std::string kSuper = " --policy " + kSrc + "/policies/supermetrics.toml";

INSTANTIATE_TEST_SUITE_P(
    Calls, ReportCliBadInput,
    ::testing::Values(
        BadCall{"availability_policy_without_level", "report availability" + kSuper + " --input -",
                R"({"month": "2027-03", "incidents": []})", "contract.availability: the policy sets no availability level"},
        BadCall{"downtime_policy_without_rule", "report downtime" + kAgency + " --input -",
                R"({"notified_at": "2027-04-17T15:00:00Z", "tickets": []})", "contract.downtime"},
        BadCall{"unknown_cause", "report availability" + kAgency + " --input -",
                R"({"month": "2027-03", "incidents": [{"start": "2027-03-01T00:00:00Z", "end": "2027-03-02T00:00:00Z", "cause": "gremlins"}]})",
                "<stdin>: incidents[0].cause: unknown cause 'gremlins'"},
        BadCall{"end_before_start", "report availability" + kAgency + " --input -",
                R"({"month": "2027-03", "incidents": [{"start": "2027-03-02T00:00:00Z", "end": "2027-03-01T00:00:00Z"}]})",
                "incidents[0].end"},
        BadCall{"malformed_month", "report availability" + kAgency + " --input -",
                R"({"month": "2027-3", "incidents": []})", "month: '2027-3' is not a month"},
        BadCall{"missing_incidents", "report availability" + kAgency + " --input -", R"({"month": "2027-03"})",
                "incidents: missing"},
        BadCall{"empty_input", "report availability" + kAgency + " --input -", "", "input: not valid JSON"},
        BadCall{"binary_input", "report downtime" + kSuper + " --input -", std::string("\x00\xff\xfe{", 4),
                "input: not valid JSON"},
        BadCall{"duplicate_ids", "report downtime" + kSuper + " --input -",
                R"({"notified_at": "2027-04-17T15:00:00Z", "tickets": [{"id": "a", "plan": "premium", "events": []}, {"id": "a", "plan": "premium", "events": []}]})",
                "tickets[1].id: duplicate ticket id 'a'"},
        BadCall{"missing_notified_at", "report downtime" + kSuper + " --input -", R"({"tickets": []})",
                "notified_at: missing"},
        BadCall{"ticket_out_of_shape", "report downtime" + kSuper + " --input -",
                R"({"notified_at": "2027-04-17T15:00:00Z", "tickets": [{"id": "a", "plan": "premium", "events": [{"at": "2027-01-01T00:00:00Z"}]}]})",
                "tickets[0].events[0].type: missing"},
        BadCall{"missing_input_file", "report downtime" + kSuper + " --input /nonexistent/x.json", "",
                "--input: cannot read '/nonexistent/x.json'"},
        BadCall{"missing_policy_file", "report availability --policy /nonexistent.toml --input -", "{}",
                "--policy: cannot read"},
        BadCall{"both_stdin", "report availability --policy - --input -", "", "--input: stdin is already used"},
        BadCall{"no_input_flag", "report availability" + kAgency, "", "--input is required"}),
    [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace sladesk
