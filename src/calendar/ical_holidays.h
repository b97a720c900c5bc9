// Importing holiday dates from iCalendar (RFC 5545) files, e.g. the UK
// government's bank-holidays .ics, with libical.
//
// Purpose: turns the all-day VEVENTs of an .ics text into closed local dates
// (DateEntry) for a calendar's `holidays` list. Understood: DTSTART;VALUE=DATE
// with DTEND (exclusive) or DURATION (whole days/weeks), no end meaning one
// day; multi-day events giving each of their dates; RRULE (DAILY or coarser,
// expanded over the import's year range), RDATE and EXDATE of dates;
// RECURRENCE-ID overrides; STATUS:CANCELLED (closes nothing).
// Timed events (a DTSTART with a time of day) cannot be holidays: by default
// they are an error naming the event (UID and SUMMARY); with
// skip_timed_events they are skipped and listed in IcalImport::notes.
// Malformed input is an Error naming the line and property, never a crash:
// the text is first checked line by line here (folding, NAME:VALUE shape,
// BEGIN/END nesting), then parsed by libical, whose value errors are mapped
// back to the line of the property.
// Thread-safety: pure functions; calls are independent (libical keeps its
// error state per thread). Ownership: results are plain values.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "calendar/calendar_spec.h"
#include "common/result.h"

namespace sladesk {

struct IcalImportOptions {
  // Inclusive year range of the dates returned; recurrences are expanded
  // over it. Both must lie in 1970..2100 (the range calendar rules cover).
  int from_year = 1970;
  int to_year = 2100;
  // false: a timed event is an error; true: it is skipped with a note.
  bool skip_timed_events = false;
  // Put into Error::file so messages read "bank-holidays.ics:12: ...".
  std::string source_name = "<ics>";
};

struct IcalImport {
  // Closed all day (replaces_windows false), sorted by date, no duplicates.
  std::vector<DateEntry> dates;
  // One line per event that was read but closes nothing (skipped timed
  // events, cancelled events), naming it by UID and SUMMARY.
  std::vector<std::string> notes;
};

// The longest all-day event accepted, in days: a longer one is far more
// likely a mistake (a wrong DTEND year) than a closure.
inline constexpr int kMaxIcalEventDays = 366;

// With the default options (1970..2100, timed events are errors).
[[nodiscard]] Result<std::vector<DateEntry>> ImportIcalHolidays(std::string_view ics_text);
[[nodiscard]] Result<IcalImport> ImportIcalHolidays(std::string_view ics_text,
                                                    const IcalImportOptions& options);

// Adds `dates` to spec.holidays, keeping it sorted by date with one entry per
// date. An entry already in the spec wins over an imported one on the same
// date (a hand-written {"date", "open"} short day is kept as it is).
void AddImportedHolidays(CalendarSpec& spec, const std::vector<DateEntry>& dates);

}  // namespace sladesk
