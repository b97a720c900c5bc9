#include "desk/compliance_records.h"

namespace sladesk {

std::string_view IncidentKindName(IncidentKind k) {
  return k == IncidentKind::kMaintenance ? "maintenance" : "incident";
}

std::string_view RcaStateName(RcaState s) { return s == RcaState::kDone ? "done" : "open"; }

std::optional<RcaState> RcaStateFromName(std::string_view s) {
  if (s == "open") return RcaState::kOpen;
  if (s == "done") return RcaState::kDone;
  return std::nullopt;
}

}  // namespace sladesk
