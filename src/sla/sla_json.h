// The JSON form of `sladesk sla evaluate` (CONTRACT §6): request parsing and
// report writing.
//
// Purpose: turns the request text into checked values (plan, severity, now,
// events) against a Policy, with an Error naming the field at fault
// ("events[3].at: ...", "plan: unknown plan 'x' (known: ...)"), and writes a
// report in exactly the contract's shape: {"metrics": [...]} with each
// metric once, in the order first_response, next_update, resolution, every
// field present (null when it does not apply) and `breaches` always a number.
// Thread-safety: pure functions. Ownership: SlaRequest::plan points into the
// Policy passed to ParseSlaRequest. Never throws.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/instant.h"
#include "common/result.h"
#include "policy/policy.h"
#include "sla/sla_report.h"
#include "sla/ticket_event.h"

namespace sladesk {

struct SlaRequest {
  const Plan* plan = nullptr;
  std::string severity;  // the input's `severity`, else the policy's default
  Instant now;
  std::vector<TicketEvent> events;  // in input order
};

// Unknown keys are ignored; `severity` on events other than
// severity_changed is ignored. `severity: null` means "absent".
[[nodiscard]] Result<SlaRequest> ParseSlaRequest(std::string_view json_text, const Policy& policy);

// The report as the contract's JSON object (keys in contract order).
nlohmann::ordered_json SlaReportToJsonValue(const SlaReport& report);
// SlaReportToJsonValue(report).dump(2) plus a newline.
std::string SlaReportToJson(const SlaReport& report);

}  // namespace sladesk
