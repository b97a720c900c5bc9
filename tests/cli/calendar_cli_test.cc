// End-to-end tests of `sladesk calendar add|between` (CONTRACT §6): answers,
// --batch streaming, and exit status 2 with a message naming the field for
// every kind of bad input.
#include <gtest/gtest.h>

#include "cli/cli_runner.h"

namespace sladesk {
namespace {

using testing::RunSladesk;

const std::string kBerlin = std::string(SLADESK_SOURCE_DIR) + "/tests/calendar/data/berlin_office.json";

TEST(CalendarCli, AddPrintsOneInstant) {
  auto r = RunSladesk("calendar add --calendar " + kBerlin + " --from 2026-11-23T09:00:00+01:00 --duration 28800");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "2026-11-23T16:00:00Z\n");
}

TEST(CalendarCli, BetweenPrintsSeconds) {
  auto r = RunSladesk("calendar between --calendar " + kBerlin +
                      " --from 2026-12-21T00:00:00Z --to 2027-01-01T00:00:00Z");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "205200\n");
}

TEST(CalendarCli, BuiltIn24x7) {
  auto r = RunSladesk("calendar add --calendar 24x7 --from 2026-11-21T10:00:00Z --duration 3600");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "2026-11-21T11:00:00Z\n");
}

TEST(CalendarCli, BatchStreamsOneEpochPerLine) {
  // Mon 2026-11-23 08:00Z + 8 h; Wed 16:30 local + 8 h over the short day and holiday; CRLF; no final newline.
  auto r = RunSladesk("calendar add --calendar " + kBerlin + " --batch",
                      "1795420800,28800\n1798039800,28800\r\n1795420800,0");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "1795449600\n1798461000\n1795420800\n");
}

TEST(CalendarCli, BatchStatsGoToStderrOnly) {
  auto r = RunSladesk("calendar add --calendar " + kBerlin + " --batch --stats", "1795420800,28800\n");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "1795449600\n");
  EXPECT_TRUE(r.err.starts_with("batch: ") && r.err.ends_with(" s\n")) << r.err;
  auto without_batch = RunSladesk("calendar add --calendar 24x7 --from 2026-01-01T00:00:00Z --duration 5 --stats");
  EXPECT_EQ(without_batch.exit_code, 2);
  EXPECT_NE(without_batch.err.find("--stats requires --batch"), std::string::npos) << without_batch.err;
}

TEST(CalendarCli, BatchBadLineNamesTheLine) {
  auto r = RunSladesk("calendar add --calendar " + kBerlin + " --batch", "1795420800,28800\n1795420800;5\n");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("stdin line 2"), std::string::npos) << r.err;
}

struct BadInvocation {
  const char* name;
  std::string args;
  std::string calendar_json;  // written to a temp file and passed as --calendar when not empty
  const char* fragment;       // expected in stderr
};

class CalendarCliBadInput : public ::testing::TestWithParam<BadInvocation> {};

TEST_P(CalendarCliBadInput, ExitsTwoNamingTheField) {
  const BadInvocation& c = GetParam();
  std::string args = c.args;
  if (!c.calendar_json.empty()) {
    std::string path = ::testing::TempDir() + std::string("cal_") + c.name + ".json";
    std::ofstream(path) << c.calendar_json;
    args += " --calendar " + path;
  }
  auto r = RunSladesk(args);
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find(c.fragment), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "");
}

const std::string kGood = R"({"time_zone": "UTC", "weekly": {"mon": [["09:00", "17:00"]]}})";

INSTANTIATE_TEST_SUITE_P(
    Cases, CalendarCliBadInput,
    ::testing::Values(
        BadInvocation{"UnknownZone", "calendar add --from 2026-01-01T00:00:00Z --duration 1",
                      R"({"time_zone": "Europe/Atlantis", "weekly": {}})", "time_zone"},
        BadInvocation{"Hour25", "calendar add --from 2026-01-01T00:00:00Z --duration 1",
                      R"({"time_zone": "UTC", "weekly": {"mon": [["09:00", "25:00"]]}})", "weekly.mon[0][1]"},
        BadInvocation{"EndBeforeStart", "calendar between --from 2026-01-01T00:00:00Z --to 2026-01-02T00:00:00Z",
                      R"({"time_zone": "UTC", "weekly": {"mon": [["17:00", "09:00"]]}})", "weekly.mon[0]"},
        BadInvocation{"MalformedJson", "calendar add --from 2026-01-01T00:00:00Z --duration 1",
                      R"({"time_zone": "UTC", )", "malformed JSON"},
        BadInvocation{"BadHolidayDate", "calendar add --from 2026-01-01T00:00:00Z --duration 1",
                      R"({"time_zone": "UTC", "weekly": {}, "holidays": ["2026-13-01"]})", "holidays[0]"},
        BadInvocation{"NeverOpen", "calendar add --from 2026-01-01T00:00:00Z --duration 1",
                      R"({"time_zone": "UTC", "weekly": {}})", "never open"},
        BadInvocation{"MalformedFrom", "calendar add --from yesterday --duration 1", kGood, "--from"},
        BadInvocation{"NoZoneOnFrom", "calendar add --from 2026-01-01T00:00:00 --duration 1", kGood, "--from"},
        BadInvocation{"NegativeDuration", "calendar add --from 2026-01-01T00:00:00Z --duration -5", kGood,
                      "--duration"},
        BadInvocation{"MissingDuration", "calendar add --from 2026-01-01T00:00:00Z", kGood, "--duration"},
        BadInvocation{"MalformedTo", "calendar between --from 2026-01-01T00:00:00Z --to 2026-02-30T00:00:00Z",
                      kGood, "--to"},
        BadInvocation{"MissingFile", "calendar add --calendar /nonexistent/cal.json --from 2026-01-01T00:00:00Z "
                                     "--duration 1", "", "--calendar"},
        BadInvocation{"UnknownSubcommand", "calendar subtract", "", "subcommand"}),
    [](const ::testing::TestParamInfo<BadInvocation>& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace sladesk
