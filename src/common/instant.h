// Instants and durations shared by every layer.
//
// Instant is an absolute time (UTC seconds since the Unix epoch, as
// std::chrono::sys_seconds); civil (wall-clock) times are date::local_seconds
// and never mix with it. Durations are whole seconds.
// ParseInstant reads RFC 3339 ("2026-12-23T15:30:00Z", "...+01:00"),
// dropping fractional seconds; FormatInstant writes "YYYY-MM-DDTHH:MM:SSZ".
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace sladesk {

using Instant = std::chrono::sys_seconds;
using Seconds = std::int64_t;

// The range the engine supports: 1900-01-01T00:00:00Z to 2200-01-01T00:00:00Z.
inline constexpr Seconds kMinEpoch = -2208988800;
inline constexpr Seconds kMaxEpoch = 7258118400;

inline Instant FromEpoch(Seconds s) { return Instant{std::chrono::seconds{s}}; }
inline Seconds ToEpoch(Instant t) { return t.time_since_epoch().count(); }
inline bool InSupportedRange(Instant t) {
  return ToEpoch(t) >= kMinEpoch && ToEpoch(t) < kMaxEpoch;
}

// `field` names the input in the error ("--from", "events[2].at").
Result<Instant> ParseInstant(std::string_view text, std::string_view field);
std::string FormatInstant(Instant t);

}  // namespace sladesk
