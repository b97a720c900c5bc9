#include "desk/stored_history.h"

#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

#include "desk/clock_log.h"
#include "desk/sla_projector.h"

namespace sladesk {

namespace {

// The value of the top-level "severity" of a flat JSON object as the desk
// writes it (nlohmann's compact dump), without a parse: reports read it for
// every ticket. nullopt when the text is not that simple (nested objects,
// escapes), so the caller parses it.
std::optional<std::string> FlatSeverity(std::string_view data) {
  if (data.size() < 2 || data.front() != '{' || data.find('{', 1) != std::string_view::npos) return std::nullopt;
  constexpr std::string_view kKey = "\"severity\":\"";
  const size_t at = data.find(kKey);
  if (at == std::string_view::npos) return std::nullopt;
  const size_t from = at + kKey.size();
  const size_t end = data.find('"', from);
  if (end == std::string_view::npos) return std::nullopt;
  const std::string_view value = data.substr(from, end - from);
  if (value.find('\\') != std::string_view::npos) return std::nullopt;
  return std::string(value);
}

}  // namespace

std::string StoredHistory::OpeningSeverity(const StoredReportTicket& t) {
  for (const auto& e : t.events) {
    if (e.kind != EventKind::kOpened) continue;
    if (auto fast = FlatSeverity(e.data_json)) return *fast;
    auto data = nlohmann::json::parse(e.data_json, nullptr, false);
    if (data.is_object() && data.contains("severity") && data["severity"].is_string())
      return data["severity"].get<std::string>();
    break;
  }
  return t.severity;
}

Status StoredHistory::ClockEvents(const Policy& policy, const StoredReportTicket& t, std::vector<TicketEvent>& events,
                                  std::string& opening_severity) {
  if (!t.has_clock_log) {
    events = SlaProjector::ToSlaEvents(policy, t.events);
    opening_severity = OpeningSeverity(t);
    return Status::Ok();
  }
  std::optional<std::string> opening;
  if (!ClockLog::Decode(policy, t.clock_log, events, opening))
    return MakeError(ErrorCode::kInternal, "database",
                     "ticket " + std::to_string(t.number) + " has an unreadable clock_log '" + t.clock_log + "'");
  if (opening) opening_severity = std::move(*opening);
  else opening_severity = t.severity;
  return Status::Ok();
}

Status StoredHistory::ToHistoryTicket(const Policy& policy, const StoredReportTicket& t, HistoryTicket& out) {
  out.Clear();
  out.id = std::to_string(t.number);
  out.organisation = t.organisation;
  out.plan = t.plan_id;
  out.assignee = t.assignee;
  if (Status st = ClockEvents(policy, t, out.events, out.severity); !st.ok()) return st;
  const auto& ladder = policy.lifecycle.escalation;
  for (const auto& [at, level] : t.escalations) {
    HistoryEscalation e;
    e.at = at;
    if (level >= 1 && level <= static_cast<std::int64_t>(ladder.size())) e.level = ladder[static_cast<size_t>(level - 1)].name;
    else e.level = "level " + std::to_string(level);
    out.escalations.push_back(std::move(e));
  }
  out.support_seconds = t.time_spent_seconds;
  return Status::Ok();
}

}  // namespace sladesk
