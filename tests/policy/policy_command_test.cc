// `sladesk policy check|explain` through the real CLI wiring: exit statuses
// 0 / 1 / 2 and the "file:line:col: message" lines on stderr.
#include <CLI/CLI.hpp>
#include <gtest/gtest.h>

#include <sstream>

#include "cli/cli_context.h"

namespace sladesk {
namespace {

const std::string kRoot = std::string(SLADESK_SOURCE_DIR);

struct CliRun {
  int code;
  std::string out;
  std::string err;
};

CliRun Sladesk(const std::string& args, const std::string& stdin_text = "") {
  std::istringstream in(stdin_text);
  std::ostringstream out, err;
  CliContext ctx;
  ctx.in = &in;
  ctx.out = &out;
  ctx.err = &err;
  CLI::App app{"sladesk"};
  app.require_subcommand(1);
  RegisterPolicyCommands(app, ctx);
  try {
    app.parse(args, false);
  } catch (const CLI::ParseError& e) {
    return {kExitBadInput, out.str(), e.what()};
  }
  return {ctx.exit_code, out.str(), err.str()};
}

TEST(PolicyCheck, EverySeedPasses) {
  for (const char* f : {"gtmhub", "supermetrics", "gold-support", "openback", "agency-support"}) {
    const std::string path = kRoot + "/policies/" + f + ".toml";
    CliRun r = Sladesk("policy check " + path);
    EXPECT_EQ(r.code, kExitOk) << f << "\n" << r.err;
    EXPECT_EQ(r.out, path + ": ok\n");
    EXPECT_EQ(r.err, "");
  }
}

TEST(PolicyCheck, ARequiredFieldTheDeskCannotCollectIsAProblem) {
  const std::string path = kRoot + "/tests/policy/data/cli/uncollectable_field.toml";
  CliRun r = Sladesk("policy check " + path);
  EXPECT_EQ(r.code, kExitCheckFailed);
  EXPECT_EQ(r.err, path + ":9:10: tickets.required_fields[shoe_size]: the desk cannot collect 'shoe_size' (Shoe size): "
                          "declare its type (text, multiline, phone, email, datetime, number, url)\n");
}

TEST(PolicyCheck, ErrorsAsFileLineColAndExit1) {
  const std::string path = kRoot + "/tests/policy/data/bad/unknown_calendar.toml";
  CliRun r = Sladesk("policy check " + path);
  EXPECT_EQ(r.code, kExitCheckFailed);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err.rfind(path + ":23:12: plans[basic].calendar: unknown calendar 'ofice'", 0), 0u) << r.err;
  // One line per error, each with a position.
  std::istringstream lines(r.err);
  std::string line;
  while (std::getline(lines, line)) EXPECT_EQ(line.rfind(path + ":", 0), 0u) << line;
}

TEST(PolicyCheck, SyntaxErrorHasPosition) {
  const std::string path = kRoot + "/tests/policy/data/bad/syntax_error.toml";
  CliRun r = Sladesk("policy check " + path);
  EXPECT_EQ(r.code, kExitCheckFailed);
  EXPECT_EQ(r.err.rfind(path + ":4:16: TOML syntax", 0), 0u) << r.err;
}

TEST(PolicyCheck, StdinIsNamed) {
  CliRun r = Sladesk("policy check -", "[policy]\nid = \"x\"\nname = \"X\"\nbogus = 1\n");
  EXPECT_EQ(r.code, kExitCheckFailed);
  EXPECT_NE(r.err.find("<stdin>:4:1: policy.bogus: unknown key 'bogus'"), std::string::npos) << r.err;
}

TEST(PolicyCheck, MissingFileExits2) {
  CliRun r = Sladesk("policy check " + kRoot + "/no/such/policy.toml");
  EXPECT_EQ(r.code, kExitBadInput);
  EXPECT_NE(r.err.find("cannot read"), std::string::npos) << r.err;
  CliRun dir = Sladesk("policy check " + kRoot + "/policies");
  EXPECT_EQ(dir.code, kExitBadInput);
  EXPECT_NE(dir.err.find("directory"), std::string::npos) << dir.err;
  CliRun none = Sladesk("policy check");
  EXPECT_EQ(none.code, kExitBadInput);
}

TEST(PolicyExplain, PrintsTablesAndHonoursPlan) {
  CliRun r = Sladesk("policy explain " + kRoot + "/policies/gold-support.toml --plan gold");
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_NE(r.out.find("3 Business Days = 24 h on berlin-business"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("PLAN enterprise"), std::string::npos);
  CliRun bad = Sladesk("policy explain " + kRoot + "/policies/gold-support.toml --plan platinum");
  EXPECT_EQ(bad.code, kExitBadInput);
  EXPECT_NE(bad.err.find("--plan: unknown plan 'platinum'; plans: professional, enterprise, gold"),
            std::string::npos) << bad.err;
  CliRun invalid = Sladesk("policy explain " + kRoot + "/tests/policy/data/bad/goal_above_limit_table.toml");
  EXPECT_EQ(invalid.code, kExitBadInput);
  EXPECT_NE(invalid.err.find(":26:98:"), std::string::npos) << invalid.err;
}

}  // namespace
}  // namespace sladesk
