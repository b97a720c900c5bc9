// TimeZone: civil <-> absolute time for one IANA zone, with the contract's
// DST choices made explicit.
//
// Purpose: wraps Howard Hinnant's date::time_zone (OS tz database). The OS
// database stores explicit transitions only up to 2037 and describes later
// years with a POSIX TZ rule in the TZif footer, which date 3.0 ignores; this
// class reads that footer (PosixTzRule) so 2038–2199 get their DST right.
// ToSys: a local time that does not exist (spring forward) maps to the
// instant the clock jumps to; an ambiguous one (fall back) to its first
// occurrence (CONTRACT §2).
// Thread-safety: immutable after Locate(); safe to share.
// Ownership: Locate() returns shared instances cached per name.
#pragma once

#include <date/tz.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "calendar/posix_tz_rule.h"
#include "common/instant.h"
#include "common/result.h"

namespace sladesk {

class TimeZone {
 public:
  // "UTC", "Europe/Berlin", ...; an unknown name is an error naming it.
  static Result<std::shared_ptr<const TimeZone>> Locate(std::string_view name);

  const std::string& name() const { return name_; }

  // Local wall-clock seconds -> the instant, per the contract's DST rules.
  Instant ToSys(date::local_seconds local) const;
  // UTC offset in seconds in force at t.
  Seconds OffsetAt(Instant t) const;
  date::local_seconds ToLocal(Instant t) const { return date::local_seconds{t.time_since_epoch() + std::chrono::seconds{OffsetAt(t)}}; }

  TimeZone(std::string name, const date::time_zone* zone, std::optional<PosixTzRule> footer,
           Instant footer_from);

 private:
  std::string name_;
  const date::time_zone* zone_;      // nullptr for UTC
  std::optional<PosixTzRule> footer_;  // rule for instants >= footer_from_
  Instant footer_from_;
};

}  // namespace sladesk
