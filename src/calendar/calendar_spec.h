// CalendarSpec: a business calendar as a person writes it (CONTRACT §2),
// before validation and expansion.
//
// Purpose: the plain-data form that the JSON reader, the TOML policy reader
// and the iCalendar importer all produce, and that BusinessCalendar::Create
// validates and compiles. All times here are civil (local wall-clock) times
// in `time_zone`; nothing here is an absolute instant.
// Thread-safety: plain value type. Ownership: owns everything it holds.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sladesk {

// A local wall-clock window [start, end) in minutes after local midnight.
// 0 <= start < end <= 1440 ("24:00" is 1440).
struct LocalWindow {
  int start_minute = 0;
  int end_minute = 0;
  friend bool operator==(const LocalWindow&, const LocalWindow&) = default;
};

// A civil date (proleptic Gregorian).
struct CivilDate {
  int year = 0;
  unsigned month = 0;  // 1..12
  unsigned day = 0;    // 1..31
  friend auto operator<=>(const CivilDate&, const CivilDate&) = default;
};

// Weekdays in the contract's order of keys; index with Weekday values.
enum class Weekday { kMon = 0, kTue, kWed, kThu, kFri, kSat, kSun };

// One entry of `holidays`: closed all day (open empty), or `{"date", "open"}`
// which replaces that date's windows (a short day or an extra opening).
struct DateEntry {
  CivilDate date;
  bool replaces_windows = false;  // true for the {"date", "open"} form
  std::vector<LocalWindow> open;  // used only when replaces_windows
};

// One entry of `holiday_rules`. Exactly one of the three forms is set:
// fixed (month + day), nth weekday (month + weekday + nth), or easter_offset.
struct HolidayRule {
  std::string name;
  unsigned month = 0;                 // 1..12 for the fixed and nth forms
  unsigned day = 0;                   // fixed form
  std::optional<Weekday> weekday;     // nth form
  int nth = 0;                        // nth form: 1..5, or -1 for the last
  std::optional<int> easter_offset;   // days from Western Easter Sunday
  bool substitute_next_weekday = false;
};

struct CalendarSpec {
  std::string id;
  std::string time_zone = "UTC";
  // Length of one business day in seconds, for targets in business days.
  std::optional<std::int64_t> business_day_seconds;
  std::array<std::vector<LocalWindow>, 7> weekly;  // indexed by Weekday
  std::vector<DateEntry> holidays;
  std::vector<HolidayRule> holiday_rules;
  // The built-in "24x7" calendar: open always, no holidays, UTC.
  bool always_open = false;
};

// The spec of the built-in calendar "24x7".
CalendarSpec AlwaysOpenSpec();

}  // namespace sladesk
