// HolidaySet: which local dates a calendar closes or reshapes, with the
// contract's holiday rules (fixed, nth weekday, Easter offset, next-weekday
// substitutes) evaluated for every year 1970–2100.
//
// Purpose: WindowsOn(day) in BusinessCalendar asks it, per local date, for
// "closed all day", "replaced windows", or "the weekly windows".
// Thread-safety: immutable after Build(). Ownership: owns its tables.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "calendar/calendar_spec.h"
#include "common/result.h"

namespace sladesk {

class HolidaySet {
 public:
  // Evaluates rules and explicit dates. Errors name the field at fault
  // ("holiday_rules[2].day", "holidays[0]").
  static Result<HolidaySet> Build(const CalendarSpec& spec);

  // Days since 1970-01-01 of a local date.
  bool IsClosed(std::int64_t local_day) const;
  // The replacing windows for a {"date", "open"} entry, or nullptr.
  const std::vector<LocalWindow>* Override(std::int64_t local_day) const;
  bool HasOverrides() const { return !overrides_.empty(); }
  bool AnyOverrideOpens() const;

  // Rule dates (after substitution) of one year, sorted: for explain output
  // and tests.
  std::vector<CivilDate> RuleDatesIn(int year) const;

  HolidaySet() = default;

 private:
  std::vector<std::uint64_t> closed_bits_;  // bit per day from kFirstDay
  std::unordered_map<std::int64_t, std::vector<LocalWindow>> overrides_;
  std::vector<std::int64_t> rule_days_;  // sorted, for RuleDatesIn
};

// Western (Gregorian) Easter Sunday of a year.
CivilDate EasterSunday(int year);

}  // namespace sladesk
