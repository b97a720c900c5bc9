// CalendarTomlReader: a calendar written in a policy file (the CONTRACT §2
// form as TOML) -> CalendarSpec -> BusinessCalendar.
//
// Purpose: converts field by field (times and dates via ParseClockTime /
// ParseCivilDate), remembers where each field was written, and lets
// BusinessCalendar::Create do the calendar validation; an error from Create
// is mapped back to the TOML position of the field it names.
// Thread-safety: single-threaded; one instance per document.
// Ownership: borrows the TomlFieldReader that collects errors.
#pragma once

#include <map>
#include <memory>
#include <string>

#include <toml++/toml.h>

#include "calendar/business_calendar.h"
#include "calendar/calendar_spec.h"
#include "policy/toml_field_reader.h"

namespace sladesk {

class CalendarTomlReader {
 public:
  explicit CalendarTomlReader(TomlFieldReader& fields) : fields_(fields) {}

  // nullptr after recording the errors when the table is not a valid
  // calendar. `path` prefixes error fields ("calendars[berlin]").
  std::shared_ptr<const BusinessCalendar> Read(const toml::table& table, const std::string& path);

 private:
  std::optional<LocalWindow> ReadWindow(const toml::node& node, const std::string& field);
  std::vector<LocalWindow> ReadWindows(const toml::node& node, const std::string& field);
  void ReadWeekly(const toml::table& weekly, const std::string& path, CalendarSpec& spec);
  void ReadHolidays(const toml::array& holidays, const std::string& path, CalendarSpec& spec);
  void ReadRules(const toml::array& rules, const std::string& path, CalendarSpec& spec);
  // `holidays_ics`: the all-day events of an iCalendar file (relative to
  // the policy file) close their dates; hand-written holidays win.
  void ReadIcs(const toml::node& at, const std::string& file, const std::string& path, CalendarSpec& spec);
  // The source of `field` (a CalendarSpec path such as "weekly.wed[1]"), or
  // of its nearest recorded parent.
  toml::source_region Where(std::string field, const toml::table& table) const;

  TomlFieldReader& fields_;
  std::map<std::string, toml::source_region> positions_;
  std::string path_;  // of the calendar being read, for error fields
};

}  // namespace sladesk
