// PosixTzRule: the POSIX TZ string of a TZif footer ("CET-1CEST,M3.5.0,M10.5.0/3"),
// used for instants after a zone's last explicit transition.
//
// Thread-safety: immutable value type.
#pragma once

#include <optional>
#include <string_view>

#include "common/instant.h"

namespace sladesk {

class PosixTzRule {
 public:
  // nullopt when the text is not a TZ string this parser understands.
  static std::optional<PosixTzRule> Parse(std::string_view text);

  // UTC offset (seconds east of Greenwich) in force at t.
  Seconds OffsetAt(Instant t) const;
  // Offsets of the local time `local_epoch` (local seconds since 1970-01-01
  // 00:00 local): the earliest-occurrence instant, or the transition instant
  // when the local time does not exist.
  Instant ToSys(Seconds local_epoch) const;

  struct Transition {
    enum Kind { kMonthWeekDay, kJulianNoLeap, kJulianZeroBased } kind = kMonthWeekDay;
    int month = 0, week = 0, weekday = 0;  // Mm.w.d
    int day = 0;                           // Jn or n
    Seconds time = 7200;                   // local time of day, may be <0 or >24h
  };

 private:
  // Start/end of DST in year y as UTC instants.
  Seconds TransitionUtc(const Transition& tr, int year, Seconds offset_before) const;

  Seconds std_offset_ = 0;
  Seconds dst_offset_ = 0;
  bool has_dst_ = false;
  Transition start_, end_;
};

}  // namespace sladesk
