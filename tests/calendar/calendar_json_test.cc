// Every kind of bad calendar input gets an error naming the field at fault.
#include "calendar/calendar_json.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "calendar/business_calendar.h"

namespace sladesk {
namespace {

struct BadCase {
  const char* name;
  const char* json;
  const char* field;       // expected Error::field
  const char* fragment;    // expected in Error::message
};

class BadCalendarTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadCalendarTest, NamesTheField) {
  const BadCase& c = GetParam();
  auto spec = ParseCalendarJson(c.json);
  Error error;
  if (spec.ok()) {
    auto cal = BusinessCalendar::Create(*spec);
    ASSERT_FALSE(cal.ok()) << "accepted: " << c.json;
    error = cal.error();
  } else {
    error = spec.error();
  }
  EXPECT_EQ(error.field, c.field) << error.ToString();
  EXPECT_NE(error.message.find(c.fragment), std::string::npos) << error.ToString();
}

INSTANTIATE_TEST_SUITE_P(
    Errors, BadCalendarTest,
    ::testing::Values(
        BadCase{"MalformedJson", R"({"time_zone": )", "calendar", "malformed JSON"},
        BadCase{"NotAnObject", R"([1, 2])", "", "must be a JSON object"},
        BadCase{"UnknownZone", R"({"time_zone": "Mars/Olympus", "weekly": {}})", "time_zone", "unknown time zone"},
        BadCase{"MissingZone", R"({"weekly": {}})", "time_zone", "missing"},
        BadCase{"HourPast24", R"({"time_zone": "UTC", "weekly": {"mon": [["09:00", "25:00"]]}})",
                "weekly.mon[0][1]", "00:00..24:00"},
        BadCase{"MinutesPast59", R"({"time_zone": "UTC", "weekly": {"mon": [["09:60", "10:00"]]}})",
                "weekly.mon[0][0]", "minutes"},
        BadCase{"PastMidnight", R"({"time_zone": "UTC", "weekly": {"mon": [["09:00", "24:30"]]}})",
                "weekly.mon[0][1]", "00:00..24:00"},
        BadCase{"EndBeforeStart", R"({"time_zone": "UTC", "weekly": {"tue": [["17:00", "09:00"]]}})",
                "weekly.tue[0]", "not after start"},
        BadCase{"EmptyWindow", R"({"time_zone": "UTC", "weekly": {"tue": [["09:00", "09:00"]]}})",
                "weekly.tue[0]", "not after start"},
        BadCase{"StartAt24", R"({"time_zone": "UTC", "weekly": {"tue": [["24:00", "24:00"]]}})",
                "weekly.tue[0][0]", "cannot start at 24:00"},
        BadCase{"Overlap", R"({"time_zone": "UTC", "weekly": {"wed": [["09:00", "12:00"], ["11:00", "17:00"]]}})",
                "weekly.wed", "overlap"},
        BadCase{"UnknownDay", R"({"time_zone": "UTC", "weekly": {"monday": []}})", "weekly.monday",
                "unknown field"},
        BadCase{"BadTimeText", R"({"time_zone": "UTC", "weekly": {"mon": [["nine", "17:00"]]}})",
                "weekly.mon[0][0]", "HH:MM"},
        BadCase{"WindowNotPair", R"({"time_zone": "UTC", "weekly": {"mon": [["09:00"]]}})", "weekly.mon[0]",
                "pair"},
        BadCase{"BadDate", R"({"time_zone": "UTC", "weekly": {}, "holidays": ["2026-02-30"]})", "holidays[0]",
                "no such date"},
        BadCase{"MalformedDate", R"({"time_zone": "UTC", "weekly": {}, "holidays": ["26-12-25"]})", "holidays[0]",
                "YYYY-MM-DD"},
        BadCase{"OpenWithoutWindows", R"({"time_zone": "UTC", "weekly": {}, "holidays": [{"date": "2026-12-24"}]})",
                "holidays[0].open", "missing"},
        BadCase{"HoursPerDayZero", R"({"time_zone": "UTC", "hours_per_business_day": 0, "weekly": {}})",
                "hours_per_business_day", "more than 0"},
        BadCase{"HoursPerDayText", R"({"time_zone": "UTC", "hours_per_business_day": "8", "weekly": {}})",
                "hours_per_business_day", "number"},
        BadCase{"RuleBadMonth", R"({"time_zone": "UTC", "weekly": {}, "holiday_rules": [{"month": 13, "day": 1}]})",
                "holiday_rules[0].month", "1..12"},
        BadCase{"RuleNoSuchDay", R"({"time_zone": "UTC", "weekly": {}, "holiday_rules": [{"month": 4, "day": 31}]})",
                "holiday_rules[0].day", "no day 31"},
        BadCase{"RuleBadNth", R"({"time_zone": "UTC", "weekly": {}, "holiday_rules": [{"month": 5, "weekday": "mon", "nth": 0}]})",
                "holiday_rules[0].nth", "1..5"},
        BadCase{"RuleBadWeekday", R"({"time_zone": "UTC", "weekly": {}, "holiday_rules": [{"month": 5, "weekday": "monday", "nth": 1}]})",
                "holiday_rules[0].weekday", "one of"},
        BadCase{"RuleBadSubstitute", R"({"time_zone": "UTC", "weekly": {}, "holiday_rules": [{"month": 5, "day": 1, "substitute": "previous"}]})",
                "holiday_rules[0].substitute", "next_weekday"},
        BadCase{"RuleTwoForms", R"({"time_zone": "UTC", "weekly": {}, "holiday_rules": [{"month": 5, "day": 1, "easter_offset": 1}]})",
                "holiday_rules[0]", "exactly one of"},
        BadCase{"UnknownTopLevel", R"({"time_zone": "UTC", "weekly": {}, "holiday": []})", "holiday",
                "unknown field"}),
    [](const ::testing::TestParamInfo<BadCase>& info) { return std::string(info.param.name); });

TEST(CalendarJson, RoundTrip) {
  const char* text = R"({"id": "x", "time_zone": "Europe/Berlin", "hours_per_business_day": 7.5,
     "weekly": {"mon": [["09:00", "12:00"], ["13:00", "17:30"]], "sun": [["00:00", "24:00"]]},
     "holidays": ["2026-12-25", {"date": "2026-12-24", "open": [["09:00", "12:00"]]}],
     "holiday_rules": [{"name": "Spring", "month": 5, "weekday": "mon", "nth": -1},
                       {"name": "GF", "easter_offset": -2},
                       {"name": "Xmas", "month": 12, "day": 25, "substitute": "next_weekday"}]})";
  auto spec = ParseCalendarJson(text);
  ASSERT_TRUE(spec.ok()) << spec.error().ToString();
  EXPECT_EQ(*spec->business_day_seconds, 27000);
  auto again = CalendarSpecFromJson(CalendarSpecToJson(*spec));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(CalendarSpecToJson(*again), CalendarSpecToJson(*spec));
}

}  // namespace
}  // namespace sladesk
