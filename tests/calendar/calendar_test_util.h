// Helpers for calendar tests: build a calendar from JSON text or a data file.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "calendar/business_calendar.h"
#include "calendar/calendar_json.h"

namespace sladesk::testing {

inline std::string ReadDataFile(const std::string& relative) {
  std::ifstream in(std::string(SLADESK_SOURCE_DIR) + "/tests/" + relative);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::shared_ptr<const BusinessCalendar> CalendarFromJson(const std::string& json) {
  auto spec = ParseCalendarJson(json);
  if (!spec.ok()) ADD_FAILURE() << spec.error().ToString();
  auto cal = BusinessCalendar::Create(spec.value());
  if (!cal.ok()) ADD_FAILURE() << cal.error().ToString();
  return cal.value();
}

inline Instant At(const std::string& rfc3339) {
  auto t = ParseInstant(rfc3339, "test");
  if (!t.ok()) ADD_FAILURE() << t.error().ToString();
  return t.value();
}

// A calendar open `window` every day of the week in `zone`.
inline std::string EveryDay(const std::string& zone, const std::string& start, const std::string& end) {
  std::string w = "[[\"" + start + "\", \"" + end + "\"]]";
  return "{\"time_zone\": \"" + zone + "\", \"weekly\": {\"mon\": " + w + ", \"tue\": " + w +
         ", \"wed\": " + w + ", \"thu\": " + w + ", \"fri\": " + w + ", \"sat\": " + w +
         ", \"sun\": " + w + "}}";
}

inline std::string Weekdays(const std::string& zone, const std::string& start, const std::string& end) {
  std::string w = "[[\"" + start + "\", \"" + end + "\"]]";
  return "{\"time_zone\": \"" + zone + "\", \"hours_per_business_day\": 8, \"weekly\": {\"mon\": " + w +
         ", \"tue\": " + w + ", \"wed\": " + w + ", \"thu\": " + w + ", \"fri\": " + w + "}}";
}

}  // namespace sladesk::testing
