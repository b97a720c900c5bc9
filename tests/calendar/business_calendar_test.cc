// Table-driven tests of BusinessCalendar against hand-worked answers:
// closing-time semantics, split days, short days, holidays and rules, DST in
// several zones, odd offsets, and the POSIX-footer years after 2037.
#include "calendar/business_calendar.h"

#include <gtest/gtest.h>

#include "calendar/calendar_json.h"
#include "calendar_test_util.h"

namespace sladesk {
namespace {

using testing::At;
using testing::CalendarFromJson;
using testing::EveryDay;
using testing::ReadDataFile;
using testing::Weekdays;

struct AddCase {
  const char* name;
  std::string calendar_json;
  const char* from;
  Seconds duration;
  const char* expected;
};

class AddTest : public ::testing::TestWithParam<AddCase> {};

TEST_P(AddTest, MatchesHandWorkedAnswer) {
  const AddCase& c = GetParam();
  auto cal = CalendarFromJson(c.calendar_json);
  auto due = cal->Add(At(c.from), c.duration);
  ASSERT_TRUE(due.ok()) << due.error().ToString();
  EXPECT_EQ(FormatInstant(*due), c.expected);
  // The inverse holds for every case: exactly `duration` business seconds.
  EXPECT_EQ(cal->Between(At(c.from), *due), c.duration);
}

const std::string kBerlin = ReadDataFile("calendar/data/berlin_office.json");
const std::string kLondon = ReadDataFile("calendar/data/england_wales.json");

INSTANTIATE_TEST_SUITE_P(
    Calendars, AddTest,
    ::testing::Values(
        // Mon 09:00 + 8 h ends at Mon 17:00, not Tue 09:00 (CONTRACT §3).
        AddCase{"ClosingTime", kBerlin, "2026-11-23T08:00:00Z", 8 * 3600, "2026-11-23T16:00:00Z"},
        AddCase{"ZeroDuration", kBerlin, "2026-11-21T03:00:00Z", 0, "2026-11-21T03:00:00Z"},
        AddCase{"ZeroDurationInsideWindow", kBerlin, "2026-11-23T10:00:00Z", 0, "2026-11-23T10:00:00Z"},
        AddCase{"StartBeforeOpening", kBerlin, "2026-11-23T05:00:00Z", 3600, "2026-11-23T09:00:00Z"},
        AddCase{"StartAfterClosingRollsToNextDay", kBerlin, "2026-11-23T17:30:00Z", 3600, "2026-11-24T09:00:00Z"},
        AddCase{"LunchBreakWednesday", kBerlin, "2026-11-25T08:00:00Z", 4 * 3600, "2026-11-25T13:00:00Z"},
        AddCase{"OneSecond", kBerlin, "2026-11-25T10:59:59Z", 1, "2026-11-25T11:00:00Z"},
        AddCase{"FridayToMonday", kBerlin, "2026-11-27T15:00:00Z", 2 * 3600, "2026-11-30T09:00:00Z"},
        // Wed 16:30 local: 0.5 h, Thu 24 Dec short day 3 h, Fri 25 holiday, Mon 28 09:00 + 4.5 h.
        AddCase{"ShortDayAndHoliday", kBerlin, "2026-12-23T15:30:00Z", 8 * 3600, "2026-12-28T12:30:00Z"},
        // Good Friday 2027 is Mar 26 (Easter Mar 28): Thu 16:00 + 2 h -> Mon Mar 29 10:00 CEST.
        AddCase{"GoodFridayRule", kBerlin, "2027-03-25T15:00:00Z", 2 * 3600, "2027-03-29T08:00:00Z"},
        // Early May (first Monday, May 4 2026) closed: Fri May 1 16:00 + 2 h -> Tue May 5 10:00.
        AddCase{"FirstMondayRule", kBerlin, "2026-05-01T14:00:00Z", 2 * 3600, "2026-05-05T08:00:00Z"},
        // Christmas 2027 is a Saturday: observed Mon Dec 27.
        AddCase{"SubstituteMonday", kBerlin, "2027-12-24T15:00:00Z", 2 * 3600, "2027-12-28T09:00:00Z"},
        // London 2027: Christmas Sat -> Mon 27, Boxing Day Sun -> Tue 28.
        AddCase{"ChainedSubstitutes", kLondon, "2027-12-24T16:00:00Z", 2 * 3600, "2027-12-29T10:00:00Z"},
        // London 2026: Boxing Day Sat -> Mon Dec 28 (Christmas Fri stays Fri).
        AddCase{"BoxingDaySubstitute2026", kLondon, "2026-12-24T16:00:00Z", 2 * 3600, "2026-12-29T10:00:00Z"},
        // New York: Fri Mar 6 2026 16:00 EST + 2 h -> Mon Mar 9 10:00 EDT (14:00Z).
        AddCase{"NewYorkSpringForwardWeekend", Weekdays("America/New_York", "09:00", "17:00"),
                "2026-03-06T21:00:00Z", 2 * 3600, "2026-03-09T14:00:00Z"},
        // London autumn: Fri Oct 23 2026 16:00 BST + 2 h -> Mon Oct 26 10:00 GMT.
        AddCase{"LondonFallBackWeekend", Weekdays("Europe/London", "09:00", "17:00"),
                "2026-10-23T15:00:00Z", 2 * 3600, "2026-10-26T10:00:00Z"},
        // 00:00-24:00 every day in Berlin: the spring day has 23 real hours.
        AddCase{"Berlin24hSpringDay", EveryDay("Europe/Berlin", "00:00", "24:00"),
                "2026-03-28T23:00:00Z", 23 * 3600, "2026-03-29T22:00:00Z"},
        AddCase{"Berlin24hAutumnDay", EveryDay("Europe/Berlin", "00:00", "24:00"),
                "2026-10-24T22:00:00Z", 25 * 3600, "2026-10-25T23:00:00Z"},
        // A window inside the spring gap (02:30-03:30 local) maps to 03:00-03:30 CEST.
        AddCase{"WindowStartingInGap", EveryDay("Europe/Berlin", "02:30", "03:30"),
                "2026-03-29T00:00:00Z", 60, "2026-03-29T01:01:00Z"},
        // Ambiguous 02:00 on the autumn day means its first occurrence (00:00Z).
        AddCase{"WindowStartingAmbiguous", EveryDay("Europe/Berlin", "02:00", "03:00"),
                "2026-10-24T23:00:00Z", 3600, "2026-10-25T01:00:00Z"},
        // Odd offsets: Kolkata +05:30, Lord Howe +11:00 in (southern) summer, Chatham +13:45.
        AddCase{"Kolkata", Weekdays("Asia/Kolkata", "09:00", "17:00"), "2026-11-23T00:00:00Z", 3600,
                "2026-11-23T04:30:00Z"},
        AddCase{"LordHoweSummer", Weekdays("Australia/Lord_Howe", "09:00", "17:00"), "2026-11-22T12:00:00Z",
                3600, "2026-11-22T23:00:00Z"},
        AddCase{"ChathamSummer", Weekdays("Pacific/Chatham", "09:00", "17:00"), "2026-11-22T12:00:00Z", 3600,
                "2026-11-22T20:15:00Z"},
        // After 2037 the OS database's explicit transitions end; the TZif footer
        // rule must still give CEST on Mon Jul 2 2040 (09:00 local = 07:00Z).
        AddCase{"Berlin2040Summer", Weekdays("Europe/Berlin", "09:00", "17:00"), "2040-07-02T00:00:00Z", 3600,
                "2040-07-02T08:00:00Z"},
        AddCase{"Berlin2040SpringDay", EveryDay("Europe/Berlin", "00:00", "24:00"), "2040-03-24T23:00:00Z",
                23 * 3600, "2040-03-25T22:00:00Z"},
        // Touching windows across midnight form one span.
        AddCase{"TouchingAcrossMidnight",
                R"({"time_zone": "UTC", "weekly": {"mon": [["20:00", "24:00"]], "tue": [["00:00", "04:00"]]}})",
                "2026-11-23T22:00:00Z", 4 * 3600, "2026-11-24T02:00:00Z"},
        // An extra opening on a closed Saturday.
        AddCase{"ExtraOpeningOnSaturday",
                R"({"time_zone": "UTC", "weekly": {"mon": [["09:00", "17:00"]]},
                    "holidays": [{"date": "2026-11-28", "open": [["10:00", "12:00"]]}]})",
                "2026-11-27T00:00:00Z", 3600, "2026-11-28T11:00:00Z"},
        // Long durations cross the 2^25 s block boundaries.
        AddCase{"LongDuration", Weekdays("UTC", "09:00", "17:00"), "2026-01-05T09:00:00Z",
                Seconds{8 * 3600} * 5 * 104, "2027-12-31T17:00:00Z"}),
    [](const ::testing::TestParamInfo<AddCase>& info) { return std::string(info.param.name); });

struct BetweenCase {
  const char* name;
  std::string calendar_json;
  const char* from;
  const char* to;
  Seconds expected;
};

class BetweenTest : public ::testing::TestWithParam<BetweenCase> {};

TEST_P(BetweenTest, MatchesHandWorkedAnswer) {
  const BetweenCase& c = GetParam();
  auto cal = CalendarFromJson(c.calendar_json);
  EXPECT_EQ(cal->Between(At(c.from), At(c.to)), c.expected);
}

INSTANTIATE_TEST_SUITE_P(
    Calendars, BetweenTest,
    ::testing::Values(
        // 21-31 Dec 2026: 8+8+7+3 (short day) +0 (holiday) +8+8+7+8 hours.
        BetweenCase{"ChristmasFortnight", kBerlin, "2026-12-21T00:00:00Z", "2027-01-01T00:00:00Z", 57 * 3600},
        BetweenCase{"Reversed", kBerlin, "2026-12-22T00:00:00Z", "2026-12-21T00:00:00Z", 0},
        BetweenCase{"Empty", kBerlin, "2026-12-22T10:00:00Z", "2026-12-22T10:00:00Z", 0},
        BetweenCase{"InsideOneWindow", kBerlin, "2026-11-23T08:00:01Z", "2026-11-23T08:00:31Z", 30},
        BetweenCase{"FractionalSecondsDropped", kBerlin, "2026-11-23T08:00:01.9Z", "2026-11-23T08:00:31.2Z", 30},
        BetweenCase{"OffsetInput", kBerlin, "2026-11-23T09:00:00+01:00", "2026-11-23T12:00:00+01:00", 3 * 3600},
        BetweenCase{"SpringGapWindow", EveryDay("Europe/Berlin", "02:30", "03:30"), "2026-03-29T00:00:00Z",
                    "2026-03-30T00:00:00Z", 1800},
        BetweenCase{"WholeWindowInGap", EveryDay("Europe/Berlin", "02:00", "02:45"), "2026-03-29T00:00:00Z",
                    "2026-03-30T00:00:00Z", 0},
        BetweenCase{"AutumnAmbiguousWindow", EveryDay("Europe/Berlin", "02:00", "02:30"), "2026-10-25T00:00:00Z",
                    "2026-10-26T00:00:00Z", 1800},
        BetweenCase{"AutumnWindowAcrossRepeat", EveryDay("Europe/Berlin", "02:30", "03:00"),
                    "2026-10-25T00:00:00Z", "2026-10-26T00:00:00Z", 5400},
        BetweenCase{"NewYork24hAutumnDay", EveryDay("America/New_York", "00:00", "24:00"), "2026-11-01T04:00:00Z",
                    "2026-11-02T05:00:00Z", 25 * 3600},
        BetweenCase{"LondonSpringDay", EveryDay("Europe/London", "00:00", "24:00"), "2026-03-29T00:00:00Z",
                    "2026-03-29T23:00:00Z", 23 * 3600},
        // Lord Howe moves its clocks by 30 minutes: Apr 5 2026 02:00 -> 01:30.
        BetweenCase{"LordHoweHalfHourDst", EveryDay("Australia/Lord_Howe", "00:00", "24:00"),
                    "2026-04-04T13:00:00Z", "2026-04-05T13:30:00Z", 24 * 3600 + 1800},
        BetweenCase{"AlwaysOpen", R"("24x7")", "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z", 86400},
        BetweenCase{"LondonBankHolidays2026", kLondon, "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z",
                    (261 - 8) * 8 * 3600},
        BetweenCase{"LondonBankHolidays2027", kLondon, "2027-01-01T00:00:00Z", "2028-01-01T00:00:00Z",
                    (261 - 8) * 8 * 3600}),
    [](const ::testing::TestParamInfo<BetweenCase>& info) { return std::string(info.param.name); });

TEST(BusinessCalendar, IsOpenAndNextOpen) {
  auto cal = CalendarFromJson(kBerlin);
  EXPECT_TRUE(cal->IsOpen(At("2026-11-23T08:00:00Z")));   // 09:00 opens
  EXPECT_FALSE(cal->IsOpen(At("2026-11-23T16:00:00Z")));  // 17:00 is closed: [start, end)
  EXPECT_FALSE(cal->IsOpen(At("2026-11-25T11:30:00Z")));  // Wednesday lunch
  EXPECT_FALSE(cal->IsOpen(At("2026-12-25T10:00:00Z")));  // holiday
  EXPECT_EQ(FormatInstant(*cal->NextOpen(At("2026-11-23T16:00:00Z"))), "2026-11-24T08:00:00Z");
  EXPECT_EQ(FormatInstant(*cal->NextOpen(At("2026-11-23T10:00:00Z"))), "2026-11-23T10:00:00Z");
  EXPECT_EQ(FormatInstant(*cal->NextOpen(At("2026-12-24T11:00:00Z"))), "2026-12-28T08:00:00Z");
}

TEST(BusinessCalendar, OpenIntervalsExplainAResult) {
  auto cal = CalendarFromJson(kBerlin);
  auto intervals = cal->OpenIntervals(At("2026-12-23T15:30:00Z"), At("2026-12-28T12:30:00Z"));
  ASSERT_EQ(intervals.size(), 3u);
  EXPECT_EQ(FormatInstant(intervals[0].start), "2026-12-23T15:30:00Z");
  EXPECT_EQ(FormatInstant(intervals[0].end), "2026-12-23T16:00:00Z");
  EXPECT_EQ(FormatInstant(intervals[1].start), "2026-12-24T08:00:00Z");
  EXPECT_EQ(FormatInstant(intervals[1].end), "2026-12-24T11:00:00Z");
  EXPECT_EQ(FormatInstant(intervals[2].end), "2026-12-28T12:30:00Z");
  // Touching windows across midnight are merged into one interval.
  auto touching = CalendarFromJson(
      R"({"time_zone": "UTC", "weekly": {"mon": [["20:00", "24:00"]], "tue": [["00:00", "04:00"]]}})");
  auto merged = touching->OpenIntervals(At("2026-11-23T00:00:00Z"), At("2026-11-25T00:00:00Z"));
  ASSERT_EQ(merged.size(), 1u);
  EXPECT_EQ(ToEpoch(merged[0].end) - ToEpoch(merged[0].start), 8 * 3600);
}

TEST(BusinessCalendar, NeverOpenCalendarFailsAddInsteadOfHanging) {
  auto cal = CalendarFromJson(R"({"time_zone": "UTC", "weekly": {}})");
  auto due = cal->Add(At("2026-01-01T00:00:00Z"), 1);
  ASSERT_FALSE(due.ok());
  EXPECT_NE(due.error().message.find("never open"), std::string::npos);
  EXPECT_TRUE(cal->Add(At("2026-01-01T00:00:00Z"), 0).ok());
  EXPECT_FALSE(cal->NextOpen(At("2026-01-01T00:00:00Z")).has_value());
}

TEST(BusinessCalendar, RunsOutBeforeRangeEnd) {
  auto cal = CalendarFromJson(R"({"time_zone": "UTC", "weekly": {},
      "holidays": [{"date": "2030-01-01", "open": [["09:00", "10:00"]]}]})");
  EXPECT_EQ(FormatInstant(*cal->Add(At("2026-01-01T00:00:00Z"), 3600)), "2030-01-01T10:00:00Z");
  EXPECT_FALSE(cal->Add(At("2026-01-01T00:00:00Z"), 3601).ok());
}

// The last expansion block reaches past 2200-01-01; nothing past the range
// may be counted or answered, as for the built-in 24x7.
TEST(BusinessCalendar, NeverAnswersPastTheSupportedRange) {
  auto weekdays = CalendarFromJson(R"({"time_zone": "UTC", "weekly": {
      "mon": [["00:00", "24:00"]], "tue": [["00:00", "24:00"]], "wed": [["00:00", "24:00"]],
      "thu": [["00:00", "24:00"]], "fri": [["00:00", "24:00"]]}})");
  const Instant start = At("2199-12-31T00:00:00Z");  // a Tuesday
  EXPECT_EQ(FormatInstant(*weekdays->Add(start, 86400)), "2200-01-01T00:00:00Z");
  EXPECT_FALSE(weekdays->Add(start, 86401).ok());
  EXPECT_FALSE(BusinessCalendar::AlwaysOpen()->Add(start, 86401).ok());
  EXPECT_EQ(weekdays->Between(start, FromEpoch(kMaxEpoch + 2 * 86400)), 86400);
  EXPECT_FALSE(weekdays->NextOpen(FromEpoch(kMaxEpoch)).has_value());
}

TEST(HolidaySet, EnglandAndWalesRuleDates) {
  auto spec = ParseCalendarJson(kLondon);
  ASSERT_TRUE(spec.ok());
  auto set = HolidaySet::Build(*spec);
  ASSERT_TRUE(set.ok());
  auto to_strings = [](const std::vector<CivilDate>& ds) {
    std::vector<std::string> out;
    for (const auto& d : ds) out.push_back(FormatCivilDate(d));
    return out;
  };
  // Weekend rule dates stay closed too; the substitutes are added.
  EXPECT_EQ(to_strings(set->RuleDatesIn(2026)),
            (std::vector<std::string>{"2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25",
                                      "2026-08-31", "2026-12-25", "2026-12-26", "2026-12-28"}));
  EXPECT_EQ(to_strings(set->RuleDatesIn(2027)),
            (std::vector<std::string>{"2027-01-01", "2027-03-26", "2027-03-29", "2027-05-03", "2027-05-31",
                                      "2027-08-30", "2027-12-25", "2027-12-26", "2027-12-27", "2027-12-28"}));
  // 2022: New Year's Day on a Saturday is observed Monday Jan 3.
  auto y2022 = to_strings(set->RuleDatesIn(2022));
  EXPECT_EQ(y2022[0], "2022-01-01");
  EXPECT_EQ(y2022[1], "2022-01-03");
}

TEST(HolidaySet, EasterSundays) {
  EXPECT_EQ(FormatCivilDate(EasterSunday(2026)), "2026-04-05");
  EXPECT_EQ(FormatCivilDate(EasterSunday(2027)), "2027-03-28");
  EXPECT_EQ(FormatCivilDate(EasterSunday(2038)), "2038-04-25");
  EXPECT_EQ(FormatCivilDate(EasterSunday(2000)), "2000-04-23");
}

TEST(HolidaySet, LeapDayRuleAndMissingFifthWeekday) {
  auto cal = CalendarFromJson(R"({"time_zone": "UTC", "weekly": {
      "mon": [["00:00", "24:00"]], "tue": [["00:00", "24:00"]], "wed": [["00:00", "24:00"]],
      "thu": [["00:00", "24:00"]], "fri": [["00:00", "24:00"]], "sat": [["00:00", "24:00"]],
      "sun": [["00:00", "24:00"]]},
      "holiday_rules": [{"month": 2, "day": 29}, {"month": 2, "weekday": "mon", "nth": 5}]})");
  // 2028 is a leap year (Feb 29 closed); 2027 has no Feb 29 and no 5th Monday in Feb.
  EXPECT_FALSE(cal->IsOpen(At("2028-02-29T12:00:00Z")));
  EXPECT_EQ(cal->Between(At("2027-02-01T00:00:00Z"), At("2027-03-01T00:00:00Z")), 28 * 86400);
  // Feb 2032 (leap, starts on a Sunday): Feb 29 closed by the first rule; it has no 5th Monday.
  EXPECT_EQ(cal->Between(At("2032-02-01T00:00:00Z"), At("2032-03-01T00:00:00Z")), 28 * 86400);
  // Feb 2044 starts on a Monday and is a leap year: Feb 29 is its 5th Monday.
  EXPECT_FALSE(cal->IsOpen(At("2044-02-29T12:00:00Z")));
}

TEST(HolidaySet, DateOpenEntryBeatsRuleAndPlainDateDoesNotBlockSubstitute) {
  auto cal = CalendarFromJson(R"({"time_zone": "UTC",
      "weekly": {"mon": [["09:00", "17:00"]], "tue": [["09:00", "17:00"]], "wed": [["09:00", "17:00"]],
                 "thu": [["09:00", "17:00"]], "fri": [["09:00", "17:00"]]},
      "holidays": ["2027-12-27", {"date": "2026-12-25", "open": [["09:00", "10:00"]]}],
      "holiday_rules": [{"month": 12, "day": 25, "substitute": "next_weekday"}]})");
  EXPECT_EQ(cal->Between(At("2026-12-25T00:00:00Z"), At("2026-12-26T00:00:00Z")), 3600);
  // 2027: Christmas Sat -> substitute Mon 27 even though 27 is also a plain holiday; Tue 28 open.
  EXPECT_TRUE(cal->IsOpen(At("2027-12-28T10:00:00Z")));
  EXPECT_FALSE(cal->IsOpen(At("2027-12-27T10:00:00Z")));
}

}  // namespace
}  // namespace sladesk
