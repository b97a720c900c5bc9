#include "desk/stored_history.h"

#include <nlohmann/json.hpp>

#include "desk/sla_projector.h"

namespace sladesk {

std::string StoredHistory::OpeningSeverity(const StoredReportTicket& t) {
  for (const auto& e : t.events) {
    if (e.kind != EventKind::kOpened) continue;
    auto data = nlohmann::json::parse(e.data_json, nullptr, false);
    if (data.is_object() && data.contains("severity") && data["severity"].is_string())
      return data["severity"].get<std::string>();
    break;
  }
  return t.severity;
}

void StoredHistory::ToHistoryTicket(const Policy& policy, const StoredReportTicket& t, HistoryTicket& out) {
  out.Clear();
  out.id = std::to_string(t.number);
  out.organisation = t.organisation;
  out.plan = t.plan_id;
  out.severity = OpeningSeverity(t);
  out.assignee = t.assignee;
  out.events = SlaProjector::ToSlaEvents(policy, t.events);
  const auto& ladder = policy.lifecycle.escalation;
  for (const auto& [at, level] : t.escalations) {
    HistoryEscalation e;
    e.at = at;
    if (level >= 1 && level <= static_cast<std::int64_t>(ladder.size())) e.level = ladder[static_cast<size_t>(level - 1)].name;
    else e.level = "level " + std::to_string(level);
    out.escalations.push_back(std::move(e));
  }
  out.support_seconds = t.time_spent_seconds;
}

}  // namespace sladesk
