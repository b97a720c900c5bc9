// Reading and writing the calendar JSON form of CONTRACT §2.
//
// ParseCalendarJson checks every field and names the one at fault
// ("weekly.mon[0][1]: '25:00' is not a time of day HH:MM"); it does not
// resolve the time zone or expand anything (BusinessCalendar::Create does).
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string_view>

#include "calendar/calendar_spec.h"
#include "common/result.h"

namespace sladesk {

Result<CalendarSpec> ParseCalendarJson(std::string_view text);
Result<CalendarSpec> CalendarSpecFromJson(const nlohmann::json& json, std::string_view path = "");
nlohmann::json CalendarSpecToJson(const CalendarSpec& spec);

// "HH:MM" (hours 0..24, 24 only as "24:00") -> minutes after midnight.
Result<int> ParseClockTime(std::string_view text, std::string_view field);
std::string FormatClockTime(int minutes);
// "YYYY-MM-DD" -> CivilDate.
Result<CivilDate> ParseCivilDate(std::string_view text, std::string_view field);
std::string FormatCivilDate(const CivilDate& d);

}  // namespace sladesk
