// Tests for `sladesk calendar import-ics`, driven through CLI11 with string
// streams (the same callbacks main() runs), so no process is spawned.
#include "cli/calendar_ics_command.h"

#include <CLI/CLI.hpp>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "cli/cli_context.h"

namespace sladesk {
namespace {

constexpr const char* kLondon = R"({"id": "london", "time_zone": "Europe/London",
  "hours_per_business_day": 8,
  "weekly": {"mon": [["09:00", "17:00"]], "tue": [["09:00", "17:00"]],
             "wed": [["09:00", "17:00"]], "thu": [["09:00", "17:00"]],
             "fri": [["09:00", "17:00"]], "sat": [], "sun": []},
  "holidays": ["2026-12-31", {"date": "2026-12-24", "open": [["09:00", "12:00"]]}]})";

std::string Data(const std::string& name) {
  return std::string(SLADESK_SOURCE_DIR) + "/tests/calendar/data/" + name;
}

struct CliRun {
  int exit_code = -1;
  std::string out, err;
};

CliRun Invoke(std::vector<std::string> args, const std::string& stdin_text = kLondon) {
  std::istringstream in(stdin_text);
  std::ostringstream out, err;
  CliContext ctx;
  ctx.in = &in;
  ctx.out = &out;
  ctx.err = &err;
  CLI::App app{"test"};
  auto* calendar = app.add_subcommand("calendar");
  RegisterCalendarImportCommand(*calendar, ctx);
  args.insert(args.begin(), {"sladesk", "calendar", "import-ics"});
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  CliRun run;
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
    run.exit_code = ctx.exit_code;
  } catch (const CLI::ParseError& e) {
    run.exit_code = kExitBadInput;
    err << e.what();
  }
  run.out = out.str();
  run.err = err.str();
  return run;
}

std::vector<nlohmann::json> Holidays(const std::string& out) {
  auto json = nlohmann::json::parse(out);
  return json.at("holidays").get<std::vector<nlohmann::json>>();
}

TEST(CalendarImportCommand, MergesTheUkBankHolidaysIntoTheCalendar) {
  CliRun r = Invoke({"--calendar", "-", "--ics", Data("uk-england-and-wales-2026-2027.ics")});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  std::vector<nlohmann::json> h = Holidays(r.out);
  // 16 bank holidays + 2 hand-written dates, none shared.
  ASSERT_EQ(h.size(), 18u) << r.out;
  EXPECT_EQ(h.front(), "2026-01-01");
  EXPECT_EQ(h.back(), "2027-12-28");
  for (std::size_t i = 1; i < h.size(); ++i) {
    std::string a = h[i - 1].is_string() ? h[i - 1].get<std::string>() : h[i - 1].at("date").get<std::string>();
    std::string b = h[i].is_string() ? h[i].get<std::string>() : h[i].at("date").get<std::string>();
    EXPECT_LT(a, b) << "not sorted or duplicated";
  }
  EXPECT_NE(r.err.find("imported 16 dates"), std::string::npos) << r.err;
}

TEST(CalendarImportCommand, YearRangeLimitsTheImport) {
  CliRun r = Invoke({"--calendar", "-", "--ics", Data("uk-england-and-wales-2026-2027.ics"),
                  "--from-year", "2027", "--to-year", "2027"});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_EQ(Holidays(r.out).size(), 8u + 2u);
}

struct BadRun {
  std::string name;
  std::vector<std::string> args;
  std::string stdin_text;
  std::string expected_err;
};

class CalendarImportBadInput : public ::testing::TestWithParam<BadRun> {};

TEST_P(CalendarImportBadInput, ExitsTwoWithOneClearMessage) {
  const BadRun& c = GetParam();
  CliRun r = Invoke(c.args, c.stdin_text.empty() ? kLondon : c.stdin_text);
  EXPECT_EQ(r.exit_code, kExitBadInput) << r.out;
  EXPECT_TRUE(r.out.empty()) << r.out;
  EXPECT_NE(r.err.find(c.expected_err), std::string::npos) << r.err;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, CalendarImportBadInput,
    ::testing::Values(
        BadRun{"TimedEvent", {"--calendar", "-", "--ics", Data("ical_mixed_timed.ics")}, "",
               "ical_mixed_timed.ics:12: VEVENT (UID meeting-1@example.com, SUMMARY \"Team meeting\").DTSTART"},
        BadRun{"MissingIcs", {"--calendar", "-", "--ics", Data("no-such-file.ics")}, "", "--ics"},
        BadRun{"BadCalendar", {"--calendar", "-", "--ics", Data("ical_multi_day.ics")},
               R"({"time_zone": "Mars/Olympus", "weekly": {"mon": [["09:00", "25:00"]]}})", "weekly.mon"},
        BadRun{"BadYear", {"--calendar", "-", "--ics", Data("ical_multi_day.ics"), "--from-year", "1969"},
               "", "--from-year"},
        BadRun{"BothStdin", {"--calendar", "-", "--ics", "-"}, "", "both read stdin"},
        BadRun{"NoIcs", {"--calendar", "-"}, "", "--ics"}),
    [](const ::testing::TestParamInfo<BadRun>& info) { return info.param.name; });

TEST(CalendarImportCommand, SkipTimedNotesTheSkippedEvent) {
  CliRun r = Invoke({"--calendar", "-", "--ics", Data("ical_mixed_timed.ics"), "--skip-timed"});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_EQ(Holidays(r.out).size(), 4u);
  EXPECT_NE(r.err.find("note: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("meeting-1@example.com"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace sladesk
