// Tests for the iCalendar holiday import: realistic files under data/, and a
// table of malformed inputs that must each give an Error naming the line and
// property (never a crash or hang; the suite runs under ASan/UBSan).
#include "calendar/ical_holidays.h"

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "calendar/business_calendar.h"
#include "calendar/calendar_json.h"
#include "calendar/holiday_set.h"

namespace sladesk {
namespace {

std::string ReadData(const std::string& name) {
  std::ifstream in(std::string(SLADESK_SOURCE_DIR) + "/tests/calendar/data/" + name,
                   std::ios::binary);
  EXPECT_TRUE(in) << "cannot open " << name;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> Dates(const std::vector<DateEntry>& entries) {
  std::vector<std::string> out;
  for (const DateEntry& e : entries) {
    EXPECT_FALSE(e.replaces_windows);
    out.push_back(FormatCivilDate(e.date));
  }
  return out;
}

struct FileCase {
  std::string file;
  int from_year;
  int to_year;
  std::vector<std::string> dates;
};

class IcalFileTest : public ::testing::TestWithParam<FileCase> {};

TEST_P(IcalFileTest, ImportsTheExpectedDates) {
  const FileCase& c = GetParam();
  IcalImportOptions options;
  options.from_year = c.from_year;
  options.to_year = c.to_year;
  options.source_name = c.file;
  auto imported = ImportIcalHolidays(ReadData(c.file), options);
  ASSERT_TRUE(imported.ok()) << imported.error().ToString();
  EXPECT_EQ(Dates(imported->dates), c.dates);
}

INSTANTIATE_TEST_SUITE_P(
    Files, IcalFileTest,
    ::testing::Values(
        FileCase{"uk-england-and-wales-2026-2027.ics", 1970, 2100,
                 {"2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25",
                  "2026-08-31", "2026-12-25", "2026-12-28", "2027-01-01", "2027-03-26",
                  "2027-03-29", "2027-05-03", "2027-05-31", "2027-08-30", "2027-12-27",
                  "2027-12-28"}},
        FileCase{"uk-england-and-wales-2026-2027.ics", 2027, 2027,
                 {"2027-01-01", "2027-03-26", "2027-03-29", "2027-05-03", "2027-05-31",
                  "2027-08-30", "2027-12-27", "2027-12-28"}},
        FileCase{"uk-england-and-wales-2026-2027.ics", 2030, 2100, {}},
        FileCase{"ical_recurring.ics", 2026, 2027,
                 {"2026-01-05", "2026-03-02", "2026-03-03", "2026-04-06", "2026-06-06",
                  "2026-07-06", "2026-08-12", "2026-08-13", "2026-08-14", "2026-10-05",
                  "2026-11-26", "2027-01-04", "2027-03-04", "2027-03-05", "2027-07-05",
                  "2027-08-16", "2027-08-17", "2027-10-04", "2027-11-25", "2027-12-25"}},
        FileCase{"ical_multi_day.ics", 2026, 2027,
                 {"2026-01-01", "2026-01-02", "2026-04-01", "2026-04-02", "2026-06-15",
                  "2026-12-24", "2026-12-25", "2026-12-26", "2027-07-05", "2027-07-06",
                  "2027-07-07", "2027-07-08", "2027-07-09", "2027-07-10", "2027-07-11",
                  "2027-11-11"}},
        FileCase{"ical_multi_day.ics", 2025, 2025, {"2025-12-31"}}));

TEST(IcalHolidays, RecurrenceIsExpandedOverTheWholeDefaultRange) {
  auto imported = ImportIcalHolidays(ReadData("ical_recurring.ics"));
  ASSERT_TRUE(imported.ok()) << imported.error().ToString();
  std::vector<std::string> dates = Dates(*imported);
  auto count_year = [&](const std::string& prefix, const std::string& suffix) {
    int n = 0;
    for (const std::string& d : dates) {
      if (d.rfind(prefix, 0) == 0 && d.size() >= suffix.size() &&
          d.compare(d.size() - suffix.size(), suffix.size(), suffix) == 0) {
        ++n;
      }
    }
    return n;
  };
  // Christmas from 1999 to 2100 less the 2026 exception; first-Monday
  // inventory days until 2100 (the EXDATE in 2099 removes one).
  EXPECT_EQ(count_year("", "-12-25"), 2100 - 1999 + 1 - 1);
  EXPECT_EQ(dates.front(), "1999-12-25");
  EXPECT_EQ(dates.back(), "2100-12-25");
  EXPECT_EQ(count_year("2099-01", ""), 0);
  EXPECT_EQ(count_year("2100-10", ""), 1);
}

// The gov.uk file must agree with the contract's England and Wales rules
// (agency-support) as HolidaySet evaluates them: an independent check of
// both the data file and the import.
TEST(IcalHolidays, UkFileMatchesTheEnglandAndWalesRules) {
  CalendarSpec spec;
  auto rule = [](std::string name, unsigned month, unsigned day, bool substitute) {
    HolidayRule r;
    r.name = std::move(name);
    r.month = month;
    r.day = day;
    r.substitute_next_weekday = substitute;
    return r;
  };
  auto nth = [](std::string name, unsigned month, int n) {
    HolidayRule r;
    r.name = std::move(name);
    r.month = month;
    r.weekday = Weekday::kMon;
    r.nth = n;
    return r;
  };
  auto easter = [](std::string name, int offset) {
    HolidayRule r;
    r.name = std::move(name);
    r.easter_offset = offset;
    return r;
  };
  spec.holiday_rules = {rule("New Year's Day", 1, 1, true), easter("Good Friday", -2),
                        easter("Easter Monday", 1),          nth("Early May", 5, 1),
                        nth("Spring", 5, -1),                nth("Summer", 8, -1),
                        rule("Christmas Day", 12, 25, true), rule("Boxing Day", 12, 26, true)};
  auto set = HolidaySet::Build(spec);
  ASSERT_TRUE(set.ok()) << set.error().ToString();
  std::vector<std::string> expected;
  for (int year : {2026, 2027}) {
    for (const CivilDate& d : set->RuleDatesIn(year)) {
      // The rule dates keep Sat/Sun originals closed too; the published
      // file lists only the (substitute) weekdays.
      std::chrono::weekday wd{std::chrono::sys_days{std::chrono::year{d.year} /
                                                    std::chrono::month{d.month} /
                                                    std::chrono::day{d.day}}};
      if (wd == std::chrono::Saturday || wd == std::chrono::Sunday) continue;
      expected.push_back(FormatCivilDate(d));
    }
  }
  auto imported = ImportIcalHolidays(ReadData("uk-england-and-wales-2026-2027.ics"));
  ASSERT_TRUE(imported.ok()) << imported.error().ToString();
  EXPECT_EQ(Dates(*imported), expected);
}

TEST(IcalHolidays, TimedEventIsAnErrorNamingItByDefault) {
  auto imported = ImportIcalHolidays(ReadData("ical_mixed_timed.ics"));
  ASSERT_FALSE(imported.ok());
  const Error& e = imported.error();
  EXPECT_EQ(e.line, 12);
  EXPECT_NE(e.field.find("meeting-1@example.com"), std::string::npos) << e.field;
  EXPECT_NE(e.field.find("Team meeting"), std::string::npos) << e.field;
  EXPECT_NE(e.field.find("DTSTART"), std::string::npos) << e.field;
  EXPECT_NE(e.message.find("all-day"), std::string::npos) << e.message;
}

TEST(IcalHolidays, TimedEventIsSkippedWithANoteWhenAsked) {
  IcalImportOptions options;
  options.skip_timed_events = true;
  options.source_name = "mixed.ics";
  auto imported = ImportIcalHolidays(ReadData("ical_mixed_timed.ics"), options);
  ASSERT_TRUE(imported.ok()) << imported.error().ToString();
  EXPECT_EQ(Dates(imported->dates), (std::vector<std::string>{"2026-10-31", "2026-11-01"}));
  ASSERT_EQ(imported->notes.size(), 1u);
  EXPECT_NE(imported->notes[0].find("mixed.ics:12"), std::string::npos) << imported->notes[0];
  EXPECT_NE(imported->notes[0].find("meeting-1@example.com"), std::string::npos);
  EXPECT_NE(imported->notes[0].find("Team meeting"), std::string::npos);
}

TEST(IcalHolidays, CancelledEventClosesNothingAndIsNoted) {
  auto imported = ImportIcalHolidays(ReadData("ical_recurring.ics"), IcalImportOptions{});
  ASSERT_TRUE(imported.ok()) << imported.error().ToString();
  ASSERT_EQ(imported->notes.size(), 1u);
  EXPECT_NE(imported->notes[0].find("offsite@example.com"), std::string::npos);
  for (const DateEntry& d : imported->dates) EXPECT_NE(FormatCivilDate(d.date), "2026-09-09");
}

struct BadCase {
  std::string name;
  std::string ics;
  int line;            // expected Error::line
  std::string field;   // expected to occur in Error::field
  std::string message; // expected to occur in Error::message
};

std::string Cal(const std::string& body) {
  return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + body + "END:VCALENDAR\r\n";
}
std::string Event(const std::string& props) {
  return "BEGIN:VEVENT\r\nUID:bad@example.com\r\nSUMMARY:Bad day\r\n" + props + "END:VEVENT\r\n";
}

class IcalBadInputTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(IcalBadInputTest, IsAnErrorNamingLineAndProperty) {
  const BadCase& c = GetParam();
  IcalImportOptions options;
  options.source_name = "bad.ics";
  auto imported = ImportIcalHolidays(c.ics, options);
  ASSERT_FALSE(imported.ok()) << "accepted: " << c.ics;
  const Error& e = imported.error();
  EXPECT_EQ(e.file, "bad.ics");
  EXPECT_EQ(e.line, c.line) << e.ToString();
  EXPECT_NE(e.field.find(c.field), std::string::npos) << e.ToString();
  EXPECT_NE(e.message.find(c.message), std::string::npos) << e.ToString();
}

INSTANTIATE_TEST_SUITE_P(
    Malformed, IcalBadInputTest,
    ::testing::Values(
        BadCase{"Empty", "", 1, "BEGIN", "not an iCalendar file"},
        BadCase{"NotIcs", "hello world\n", 1, "line", "expected a content line"},
        BadCase{"JsonInstead", "{\"holidays\": []}\n", 1, "line", "expected a content line"},
        BadCase{"PropertyBeforeCalendar", "SUMMARY:x\r\nBEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", 1,
                "SUMMARY", "before any property"},
        BadCase{"WrongTopComponent", "BEGIN:VEVENT\r\nEND:VEVENT\r\n", 1, "BEGIN",
                "expected BEGIN:VCALENDAR"},
        BadCase{"PropertyAfterEnd", Cal("") + "SUMMARY:late\r\n", 4, "SUMMARY",
                "after END:VCALENDAR"},
        BadCase{"FoldAtStart", " folded\r\nBEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", 1, "line",
                "continuation"},
        BadCase{"NulByte", std::string("BEGIN:VCALENDAR\r\nX-A:a") + '\0' + "b\r\nEND:VCALENDAR\r\n",
                2, "line", "NUL"},
        BadCase{"EndMismatch",
                "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20260101\r\nEND:VCALENDAR\r\n",
                4, "END", "does not close BEGIN:VEVENT from line 2"},
        BadCase{"EndOfNothing", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\nEND:VEVENT\r\n", 3, "END",
                "closes nothing"},
        BadCase{"NeverClosed", "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\n", 2, "BEGIN",
                "never closed"},
        BadCase{"NoColon", Cal(Event("DTSTART;VALUE=DATE 20260101\r\n")), 6, "DTSTART",
                "no ':'"},
        BadCase{"NoSeparator", Cal(Event("DTSTART 20260101\r\n")), 6, "line",
                "expected a content line"},
        BadCase{"UnbalancedQuote", Cal(Event("DTSTART;X-A=\"oops:20260101\r\n")), 6, "DTSTART",
                "no ':'"},
        BadCase{"GarbageDate", Cal(Event("DTSTART;VALUE=DATE:2026xx01\r\n")), 6,
                "bad@example.com", "2026xx01"},
        BadCase{"ImpossibleDate", Cal(Event("DTSTART;VALUE=DATE:20260230\r\n")), 6, "DTSTART",
                "not a valid date"},
        BadCase{"MissingDtstart", Cal(Event("DTEND;VALUE=DATE:20260102\r\n")), 3, "DTSTART",
                "missing"},
        BadCase{"EndBeforeStart",
                Cal(Event("DTSTART;VALUE=DATE:20260105\r\nDTEND;VALUE=DATE:20260105\r\n")), 7,
                "DTEND", "must be after DTSTART"},
        BadCase{"TimedEnd",
                Cal(Event("DTSTART;VALUE=DATE:20260105\r\nDTEND:20260105T170000Z\r\n")), 7,
                "DTEND", "date-time"},
        BadCase{"EndAndDuration",
                Cal(Event("DTSTART;VALUE=DATE:20260105\r\nDTEND;VALUE=DATE:20260106\r\n"
                          "DURATION:P1D\r\n")),
                8, "DURATION", "not both"},
        BadCase{"HoursDuration", Cal(Event("DTSTART;VALUE=DATE:20260105\r\nDURATION:PT8H\r\n")),
                7, "DURATION", "whole days"},
        BadCase{"NegativeDuration",
                Cal(Event("DTSTART;VALUE=DATE:20260105\r\nDURATION:-P1D\r\n")), 7, "DURATION",
                "positive"},
        BadCase{"BadDuration", Cal(Event("DTSTART;VALUE=DATE:20260105\r\nDURATION:P1X\r\n")), 7,
                "DURATION", "P1X"},
        BadCase{"TooLong",
                Cal(Event("DTSTART;VALUE=DATE:20260105\r\nDTEND;VALUE=DATE:20300105\r\n")), 7,
                "DTEND", "at most 366"},
        BadCase{"HourlyRule",
                Cal(Event("DTSTART;VALUE=DATE:20260105\r\nRRULE:FREQ=HOURLY\r\n")), 7, "RRULE",
                "DAILY, WEEKLY, MONTHLY or YEARLY"},
        BadCase{"GarbageRule",
                Cal(Event("DTSTART;VALUE=DATE:20260105\r\nRRULE:FREQ=YEARLY;BYFOO=3\r\n")), 7,
                "RRULE", "BYFOO"},
        BadCase{"RuleThatNeverEnds",
                Cal(Event("DTSTART;VALUE=DATE:10000101\r\nRRULE:FREQ=DAILY;COUNT=2000000\r\n")),
                7, "RRULE", "more than"},
        BadCase{"TimedExdate",
                Cal(Event("DTSTART;VALUE=DATE:20260105\r\nRRULE:FREQ=YEARLY\r\n"
                          "EXDATE:20270105T090000Z\r\n")),
                8, "EXDATE", "must be a date"},
        BadCase{"SecondExdateBad",
                Cal(Event("DTSTART;VALUE=DATE:20260105\r\nRRULE:FREQ=YEARLY\r\n"
                          "EXDATE;VALUE=DATE:20270105\r\nEXDATE;VALUE=DATE:2028x105\r\n")),
                9, "EXDATE", "2028x105"},
        BadCase{"PeriodRdate",
                Cal(Event("DTSTART;VALUE=DATE:20260105\r\n"
                          "RDATE;VALUE=PERIOD:20270105T090000Z/PT1H\r\n")),
                7, "RDATE", "must be a date"},
        BadCase{"TimedEventNamesItself", Cal(Event("DTSTART:20260105T090000Z\r\n")), 6,
                "SUMMARY \"Bad day\"", "only all-day events"}),
    [](const ::testing::TestParamInfo<BadCase>& info) { return info.param.name; });

TEST(IcalHolidays, RejectsBadYearRanges) {
  IcalImportOptions options;
  options.from_year = 1969;
  auto a = ImportIcalHolidays(Cal(""), options);
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().field, "from_year");
  options.from_year = 2027;
  options.to_year = 2026;
  auto b = ImportIcalHolidays(Cal(""), options);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.error().field, "to_year");
  options.to_year = 2101;
  auto c = ImportIcalHolidays(Cal(""), options);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().field, "to_year");
}

TEST(IcalHolidays, CalendarWithoutEventsGivesNoDates) {
  auto imported = ImportIcalHolidays(Cal(""));
  ASSERT_TRUE(imported.ok()) << imported.error().ToString();
  EXPECT_TRUE(imported->empty());
}

TEST(IcalHolidays, AcceptsLfLineEndingsAndFoldedLines) {
  auto imported = ImportIcalHolidays(
      "BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nUID:a\nSUMMARY:A very long\n  summary\n"
      "DTSTART;VALUE=DATE:2026\n 0102\nEND:VEVENT\nEND:VCALENDAR\n");
  ASSERT_TRUE(imported.ok()) << imported.error().ToString();
  EXPECT_EQ(Dates(*imported), (std::vector<std::string>{"2026-01-02"}));
}

TEST(AddImportedHolidays, MergesSortedWithoutDuplicatesKeepingHandWrittenEntries) {
  CalendarSpec spec;
  DateEntry short_day;
  short_day.date = {2026, 12, 24};
  short_day.replaces_windows = true;
  short_day.open = {LocalWindow{9 * 60, 12 * 60}};
  DateEntry closed;
  closed.date = {2026, 1, 1};
  spec.holidays = {short_day, closed};

  auto make = [](CivilDate d) {
    DateEntry e;
    e.date = d;
    return e;
  };
  AddImportedHolidays(spec, {make({2026, 12, 25}), make({2026, 12, 24}), make({2026, 1, 1}),
                             make({2025, 12, 31})});
  ASSERT_EQ(spec.holidays.size(), 4u);
  EXPECT_EQ(FormatCivilDate(spec.holidays[0].date), "2025-12-31");
  EXPECT_EQ(FormatCivilDate(spec.holidays[1].date), "2026-01-01");
  EXPECT_EQ(FormatCivilDate(spec.holidays[2].date), "2026-12-24");
  EXPECT_TRUE(spec.holidays[2].replaces_windows);  // the hand-written short day wins
  EXPECT_EQ(spec.holidays[2].open.size(), 1u);
  EXPECT_EQ(FormatCivilDate(spec.holidays[3].date), "2026-12-25");
  EXPECT_FALSE(spec.holidays[3].replaces_windows);
}

// End to end: imported dates close the calendar on those days.
TEST(AddImportedHolidays, ImportedDatesCloseTheBusinessCalendar) {
  auto spec = ParseCalendarJson(R"({"id": "london", "time_zone": "Europe/London",
      "weekly": {"mon": [["09:00", "17:00"]], "tue": [["09:00", "17:00"]],
                 "wed": [["09:00", "17:00"]], "thu": [["09:00", "17:00"]],
                 "fri": [["09:00", "17:00"]]}})");
  ASSERT_TRUE(spec.ok()) << spec.error().ToString();
  auto imported = ImportIcalHolidays(ReadData("uk-england-and-wales-2026-2027.ics"));
  ASSERT_TRUE(imported.ok()) << imported.error().ToString();
  AddImportedHolidays(*spec, *imported);
  auto cal = BusinessCalendar::Create(*spec);
  ASSERT_TRUE(cal.ok()) << cal.error().ToString();
  // Thu 2026-12-24 09:00 London (UTC in winter) + 16 h: Thu 8 h, then Fri 25
  // and Mon 28 are bank holidays, so Tue 29 17:00.
  auto due = (*cal)->Add(FromEpoch(1798102800), 16 * 3600);
  ASSERT_TRUE(due.ok());
  EXPECT_EQ(FormatInstant(*due), "2026-12-29T17:00:00Z");
}

}  // namespace
}  // namespace sladesk
