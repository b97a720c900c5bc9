// Reading checked values out of nlohmann::json for the compliance inputs
// (availability incidents, downtime tickets): every failure an Error naming
// the field ("incidents[2].start", "tickets[0].events[3].type").
//
// Purpose: the shared field readers of availability_json and downtime_json;
// the event list reader accepts exactly the CONTRACT §4/§6 vocabulary as
// `sla evaluate` does (same messages).
// Thread-safety: pure functions. Ownership: none. Never throws.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/instant.h"
#include "common/result.h"
#include "policy/policy.h"
#include "sla/ticket_event.h"

namespace sladesk::json_input {

// The document, or "input: not valid JSON: ..." / "input: expected a JSON object".
Result<nlohmann::json> ParseObject(std::string_view text);
std::string TypeName(const nlohmann::json& v);
// 'text' shortened to 80 characters for messages.
std::string Quote(std::string_view s);

Result<std::string> ReadString(const nlohmann::json& obj, const char* key, const std::string& field);
Result<Instant> ReadInstant(const nlohmann::json& obj, const char* key, const std::string& field);
// A severity id known to the policy.
Result<std::string> ReadSeverity(const nlohmann::json& obj, const char* key, const std::string& field,
                                 const Policy& policy);
// A plan id known to the policy.
Result<const Plan*> ReadPlan(const nlohmann::json& obj, const char* key, const std::string& field,
                             const Policy& policy);
// obj[key] as the §4 event array ("events"), in input order.
Result<std::vector<TicketEvent>> ReadEvents(const nlohmann::json& obj, const std::string& field,
                                            const Policy& policy);

}  // namespace sladesk::json_input
