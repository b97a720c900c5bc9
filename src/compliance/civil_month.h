// YearMonth and civil-month arithmetic in a time zone: the month a contract
// level is measured over (CONTRACT §7, §8).
//
// Purpose: "2027-03" parsed strictly, the instant of local midnight on a
// month's first day in a zone (its length follows DST), the month an instant
// falls in locally, and "the same local wall time N calendar months later"
// with the day clamped to the month's last day (Jan 31 -> Feb 28/29). Local
// times that do not exist or repeat resolve as TimeZone::ToSys does
// (CONTRACT §2: the instant the clock jumps to; the first occurrence).
// Thread-safety: pure functions. Ownership: none.
#pragma once

#include <date/date.h>

#include <optional>
#include <string>
#include <string_view>

#include "calendar/time_zone.h"
#include "common/instant.h"

namespace sladesk {

struct YearMonth {
  int year = 1970;
  int month = 1;  // 1..12
  friend bool operator==(const YearMonth&, const YearMonth&) = default;
  friend auto operator<=>(const YearMonth&, const YearMonth&) = default;
};

// Exactly "YYYY-MM" with month 01..12 and a year 1900..2199; nullopt
// otherwise.
std::optional<YearMonth> ParseYearMonth(std::string_view text);
std::string FormatYearMonth(YearMonth m);  // "2027-03"
YearMonth AddMonths(YearMonth m, int months);
// The local month `t` falls in.
YearMonth MonthOf(Instant t, const TimeZone& zone);
// Local midnight on the month's first day, as an instant.
Instant MonthStart(YearMonth m, const TimeZone& zone);
// The same wall time `months` calendar months later, the day clamped to the
// target month's last day.
date::local_seconds AddCalendarMonths(date::local_seconds t, int months);
// AddCalendarMonths on t's local wall time in `zone`, back to an instant.
Instant SameWallTimeMonthsLater(Instant t, int months, const TimeZone& zone);

}  // namespace sladesk
