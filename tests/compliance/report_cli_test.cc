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
void PrintTo(const BadCall& c, std::ostream* os) { *os << c.name; }

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

namespace sladesk {
namespace {

const std::string kGoldMarch = " --policy " + kSrc + "/policies/gold-support.toml --history " + kSrc +
                               "/tests/compliance/data/history/gold_march_2026.jsonl --from 2026-03-01 --to 2026-04-01";

TEST(ReportSlaCliTest, GoldenOutputsInEveryFormatAndWorkerCount) {
  for (const char* format : {"json", "csv", "table"}) {
    const std::string golden =
        testing::ReadSourceFile(std::string("tests/compliance/data/cli/report_sla_gold_march.") + format);
    for (const char* jobs : {"1", "2", "5"}) {
      auto r = RunSladesk("report sla" + kGoldMarch + " --worst 3 --format " + format + " --jobs " + jobs);
      EXPECT_EQ(r.exit_code, 0) << r.err;
      EXPECT_EQ(r.out, golden) << format << " --jobs " << jobs;
      EXPECT_EQ(r.err, "");  // no progress bar when stderr is not a terminal
    }
  }
}

TEST(ReportSlaCliTest, EveryBreachToCsvInInputOrder) {
  const std::string path = ::testing::TempDir() + "breaches.csv";
  auto r = RunSladesk("report sla" + kGoldMarch + " --format csv --jobs 2 --breaches " + path);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(testing::Slurp(path),
            "ticket_id,organisation,metric,cycle,severity,breached_at,target_seconds,late_business_seconds,"
            "late_wall_seconds,running\r\n"
            "G2,acme,first_response,,urgent,2026-03-03T09:00:00Z,28800,3600,3600,false\r\n"
            "G2,acme,resolution,,urgent,2026-03-04T09:00:00Z,57600,572400,2386800,true\r\n"
            "G3,acme,resolution,,normal,2026-03-03T09:00:00Z,201600,28800,86400,false\r\n"
            "G4,bolt,first_response,,normal,2026-03-10T09:00:00Z,86400,457200,1868400,true\r\n"
            "G4,bolt,resolution,,normal,2026-03-25T09:00:00Z,403200,140400,572400,true\r\n");
}

TEST(ReportSlaCliTest, ABadLineIsNamedByNumber) {
  const std::string history =
      testing::ReadSourceFile("tests/compliance/data/history/gold_march_2026.jsonl") +
      R"({"id": "X", "plan": "gold", "events": [{"at": "2026-03-02T09:00:00Z", "type": "opend"}]})" "\n";
  auto r = RunSladesk("report sla --policy " + kSrc + "/policies/gold-support.toml --history - --from 2026-03-01 --to 2026-04-01",
                      history);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err.rfind("sladesk: <stdin>:10: events[0].type: unknown event type 'opend'", 0), 0u) << r.err;
  auto plan = RunSladesk("report sla --policy " + kSrc + "/policies/supermetrics.toml --history " + kSrc +
                         "/tests/compliance/data/history/gold_march_2026.jsonl --from 2026-03-01 --to 2026-04-01");
  EXPECT_EQ(plan.exit_code, 2);
  EXPECT_NE(plan.err.find("gold_march_2026.jsonl:1: plan: unknown plan 'gold' (known: premium)"), std::string::npos)
      << plan.err;
}

INSTANTIATE_TEST_SUITE_P(
    Flags, ReportCliBadInput,
    ::testing::Values(
        BadCall{"to_before_from", "report sla --policy " + kSrc + "/policies/gold-support.toml --history - --from 2026-03-01 --to 2026-02-01", "", "--to: 2026-02-01T00:00:00Z is not after --from"},
        BadCall{"bad_group", "report sla" + kGoldMarch + " --group-by team", "", "--group-by: 'team' is not one of"},
        BadCall{"bad_format", "report sla" + kGoldMarch + " --format xml", "", "--format: 'xml' is not one of table, json, csv"},
        BadCall{"bad_from", "report sla --policy x --history y --from yesterday --to 2026-04-01", "", "--from: 'yesterday'"},
        BadCall{"bad_jobs", "report sla" + kGoldMarch + " --jobs 0", "", "--jobs: must be 1 to 64"},
        BadCall{"history_missing", "report sla --policy " + kSrc + "/policies/gold-support.toml --history /nonexistent.jsonl --from 2026-03-01 --to 2026-04-01", "", "--history: cannot read '/nonexistent.jsonl'"},
        BadCall{"history_directory", "report sla --policy " + kSrc + "/policies/gold-support.toml --history /tmp --from 2026-03-01 --to 2026-04-01", "", "is a directory"}),
    [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace sladesk

namespace sladesk {
namespace {

TEST(BacktestCliTest, TableJsonAndWorkerCounts) {
  const std::string args = "backtest --policy " + kSrc + "/tests/compliance/data/policies/gold-candidate.toml --baseline " +
                           kSrc + "/policies/gold-support.toml --history " + kSrc +
                           "/tests/compliance/data/history/backtest_march_2026.jsonl --now 2026-03-06T00:00:00Z";
  auto one = RunSladesk(args + " --format json --jobs 1");
  ASSERT_EQ(one.exit_code, 0) << one.err;
  const auto j = nlohmann::json::parse(one.out);
  EXPECT_EQ(j.at("total").at("gained"), 1);
  EXPECT_EQ(j.at("total").at("lost"), 1);
  EXPECT_EQ(j.at("tickets_changed"), 2);
  EXPECT_EQ(RunSladesk(args + " --format json --jobs 3").out, one.out);
  auto table = RunSladesk(args);
  EXPECT_EQ(table.exit_code, 0);
  EXPECT_NE(table.out.find("2 of 3 tickets change outcome."), std::string::npos) << table.out;
  EXPECT_EQ(table.err, "");
  auto bad = RunSladesk("backtest --policy " + kSrc + "/policies/supermetrics.toml --baseline " + kSrc +
                        "/policies/gold-support.toml --history " + kSrc +
                        "/tests/compliance/data/history/backtest_march_2026.jsonl");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("backtest_march_2026.jsonl:1: plan: unknown plan 'gold' in the candidate policy"),
            std::string::npos)
      << bad.err;
}

TEST(HistoryCliTest, ImportZendeskSample) {
  auto r = RunSladesk("history import-zendesk --plan gold --csv " + kSrc +
                      "/tests/compliance/data/zendesk/ticket_metric_events.csv");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, testing::ReadSourceFile("tests/compliance/data/zendesk/ticket_metric_events.jsonl"));
  auto bad = RunSladesk("history import-zendesk --csv -", "ticket_id,metric\n1,x\n");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(bad.err.rfind("sladesk: <stdin>: --csv: the header has no 'instance_id' column", 0), 0u) << bad.err;
}

}  // namespace
}  // namespace sladesk

namespace sladesk {
namespace {

TEST(StatementCliTest, WritesHtmlThatPrintsToPdf) {
  const std::string html = ::testing::TempDir() + "statement.html";
  auto r = RunSladesk("report statement --policy " + kSrc +
                      "/tests/compliance/data/policies/availability-975.toml --history /dev/null --organisation acme "
                      "--plan hosted --month 2026-03 --incidents " + kSrc +
                      "/tests/compliance/data/cli/statement_incidents.json --output " + html);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string page = testing::Slurp(html);
  EXPECT_NE(page.find("98.376% against a target of 97.5%"), std::string::npos);
  EXPECT_EQ(page.find("{{"), std::string::npos);
  // The page prints to PDF in a headless browser (chromium is in scripts/install-deps.sh).
  if (std::system("command -v chromium > /dev/null 2>&1") != 0) GTEST_SKIP() << "no chromium";
  const std::string pdf = ::testing::TempDir() + "statement.pdf";
  std::remove(pdf.c_str());
  const std::string cmd = "timeout 120 chromium --headless --no-sandbox --disable-gpu --print-to-pdf=" + pdf + " " +
                          html + " > /dev/null 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  const std::string bytes = testing::Slurp(pdf);
  EXPECT_EQ(bytes.rfind("%PDF-", 0), 0u);
  EXPECT_GT(bytes.size(), 2000u);
}

TEST(StatementCliTest, Errors) {
  const std::string base = "report statement --policy " + kSrc + "/policies/gold-support.toml --history " + kSrc +
                           "/tests/compliance/data/history/gold_march_2026.jsonl";
  auto month = RunSladesk(base + " --organisation acme --month 2026-13");
  EXPECT_EQ(month.exit_code, 2);
  EXPECT_NE(month.err.find("--month: '2026-13' is not a month"), std::string::npos);
  auto nobody = RunSladesk(base + " --organisation nobody --month 2026-03");
  EXPECT_EQ(nobody.exit_code, 2);
  EXPECT_NE(nobody.err.find("--organisation: no tickets of 'nobody'"), std::string::npos) << nobody.err;
  auto stdout_page = RunSladesk(base + " --organisation acme --month 2026-03");
  EXPECT_EQ(stdout_page.exit_code, 0);
  EXPECT_EQ(stdout_page.out.rfind("<!DOCTYPE html>", 0), 0u);
  auto no_level = RunSladesk(base + " --organisation acme --month 2026-03 --incidents " + kSrc +
                             "/tests/compliance/data/cli/statement_incidents.json");
  EXPECT_EQ(no_level.exit_code, 2);
  EXPECT_NE(no_level.err.find("contract.availability"), std::string::npos) << no_level.err;
}

}  // namespace
}  // namespace sladesk
