// The JSON form of `sladesk report availability` (CONTRACT §7): the request
// ({"month": "YYYY-MM", "incidents": [{"start", "end", "cause"}]}) read into
// an AvailabilityRequest, and the result written in the contract's key order.
//
// Purpose: the CLI edge of availability.h; the API can reuse both halves.
// Request rules: `month` exactly YYYY-MM (01..12); `incidents` present (may
// be empty), each an object with RFC 3339 `start` and `end` (end > start)
// and `cause` one of §7's causes, absent or null meaning outage; other keys
// (`service`, `description`) are read when they are strings and otherwise
// ignored. Every error names its field ("incidents[1].cause: ...").
// Thread-safety: pure functions. Ownership: none. Never throws.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/result.h"
#include "compliance/availability.h"

namespace sladesk {

[[nodiscard]] Result<AvailabilityRequest> ParseAvailabilityRequest(std::string_view json_text);

// {"month", "month_seconds", "excluded_seconds", "measured_seconds",
//  "downtime_seconds", "availability_percent", "target_percent", "met"}.
nlohmann::ordered_json AvailabilityResultToJsonValue(const AvailabilityResult& result);
// ...dump(2) plus a newline.
std::string AvailabilityResultToJson(const AvailabilityResult& result);

// A percentage as a JSON number: an integer when whole (98), else the
// shortest decimal (99.95).
nlohmann::ordered_json PercentJson(const ExactDecimal& value);

}  // namespace sladesk
