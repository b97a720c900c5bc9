// The JSON form of `sladesk report downtime` (CONTRACT §8): the request
// ({"notified_at", "tickets": [{"id", "plan", "severity", "events"}]}) read
// against a policy, and the result in the contract's key order.
//
// Purpose: the CLI edge of downtime.h. Request rules: `notified_at` an RFC
// 3339 instant; `tickets` an array (may be empty) of objects with a string
// `id` (unique), a known `plan`, an optional `severity` (absent or null: the
// policy's default) and `events` in the §4 vocabulary, checked as
// `sla evaluate` checks them. Errors name the field ("tickets[2].events[0].at").
// Thread-safety: pure functions. Ownership: DowntimeTicket::plan points
// into the policy. Never throws.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/result.h"
#include "compliance/downtime.h"

namespace sladesk {

[[nodiscard]] Result<DowntimeRequest> ParseDowntimeRequest(std::string_view json_text, const Policy& policy);

// {"window": {"from", "to"}, "submitted", "considered", "over", "over_ids",
//  "downtime", "remedy": null | {"from", "to"}}.
nlohmann::ordered_json DowntimeResultToJsonValue(const DowntimeResult& result);
std::string DowntimeResultToJson(const DowntimeResult& result);

}  // namespace sladesk
