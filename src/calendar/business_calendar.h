// BusinessCalendar: business-time arithmetic on a validated calendar
// (CONTRACT §2–§3), exact to the second and O(log n) per query.
//
// Purpose: answers Between(a, b), Add(s, d), IsOpen(t), NextOpen(t) and
// explains a result as the open intervals it used. The calendar's civil
// windows are compiled into UTC open intervals with cumulative business
// seconds, one block of 2^25 s (~388 days) at a time, built lazily on first
// use and then binary-searched.
// Thread-safety: all const methods are safe to call concurrently; lazily
// built blocks are published once under a mutex and read lock-free after.
// Ownership: created by Create() and shared as shared_ptr<const ...>; it owns
// its spec, zone rules and expanded blocks. It does no I/O beyond the time
// zone database lookup in Create() and never reads the clock.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "calendar/calendar_spec.h"
#include "calendar/holiday_set.h"
#include "calendar/time_zone.h"
#include "common/instant.h"
#include "common/result.h"

namespace sladesk {

// An absolute open interval [start, end) in UTC.
struct OpenInterval {
  Instant start;
  Instant end;
  friend bool operator==(const OpenInterval&, const OpenInterval&) = default;
};

class BusinessCalendar {
 public:
  // Validates the spec (windows, zone, dates, rules) and compiles it. Errors
  // name the field at fault, e.g. "weekly.wed[1]".
  static Result<std::shared_ptr<const BusinessCalendar>> Create(CalendarSpec spec);
  // The built-in "24x7" calendar (shared, immutable).
  static std::shared_ptr<const BusinessCalendar> AlwaysOpen();

  ~BusinessCalendar();
  BusinessCalendar(const BusinessCalendar&) = delete;
  BusinessCalendar& operator=(const BusinessCalendar&) = delete;

  // Business seconds of [a, b) inside open windows; 0 when b <= a. Time
  // outside the supported range (kMinEpoch..kMaxEpoch) counts as closed.
  Seconds Between(Instant a, Instant b) const;

  // The earliest t >= s with Between(s, t) >= d (d >= 0). Fails when the
  // calendar has no d business seconds after s before the supported range
  // ends (e.g. a calendar that is never open).
  Result<Instant> Add(Instant s, Seconds d) const;

  // Whether t lies inside an open window (windows are [start, end)).
  bool IsOpen(Instant t) const;

  // The first instant >= t that is open; nullopt when there is none before
  // the end of the supported range.
  std::optional<Instant> NextOpen(Instant t) const;

  // The open intervals intersected with [a, b), touching intervals merged:
  // the explanation of a Between/Add result.
  std::vector<OpenInterval> OpenIntervals(Instant a, Instant b) const;

  const CalendarSpec& spec() const { return spec_; }
  const std::string& id() const { return spec_.id; }
  const TimeZone& zone() const { return *zone_; }
  std::optional<Seconds> business_day_seconds() const { return spec_.business_day_seconds; }
  bool always_open() const { return spec_.always_open; }
  // Whether the calendar has any open window at all (weekly or by date).
  bool ever_open() const { return ever_open_; }

 private:
  struct Block;  // expanded intervals of one 2^25-second UTC block

  BusinessCalendar(CalendarSpec spec, std::shared_ptr<const TimeZone> zone, HolidaySet holidays);
  const Block& BlockAt(std::int64_t index) const;
  std::unique_ptr<Block> BuildBlock(std::int64_t index) const;
  const std::vector<LocalWindow>& WindowsOn(std::int64_t local_day) const;

  CalendarSpec spec_;
  std::shared_ptr<const TimeZone> zone_;
  HolidaySet holidays_;
  bool ever_open_ = false;
  mutable std::vector<std::atomic<const Block*>> blocks_;
  mutable std::mutex build_mutex_;
  mutable std::vector<std::unique_ptr<Block>> owned_blocks_;
};

}  // namespace sladesk
