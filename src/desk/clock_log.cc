#include "desk/clock_log.h"

#include <nlohmann/json.hpp>

namespace sladesk {
namespace {

std::optional<std::string> StringField(const std::string& data, const char* key) {
  auto j = nlohmann::json::parse(data, nullptr, false);
  if (j.is_object() && j.contains(key) && j[key].is_string()) return j[key].get<std::string>();
  return std::nullopt;
}

// The letter for one record and its severity, or 0 when the clocks never read it.
char Digest(const TicketEventRecord& e, std::string& severity) {
  switch (e.kind) {
    case EventKind::kOpened:
      if (auto s = StringField(e.data_json, "severity")) {
        severity = *s;
        return 'o';
      }
      return 'O';
    case EventKind::kAgentReply: return 'a';
    case EventKind::kCustomerReply: return 'c';
    case EventKind::kWaitingOnCustomer: return 'w';
    case EventKind::kSeverityChanged:
      if (auto s = StringField(e.data_json, "severity")) {
        severity = *s;
        return 's';
      }
      return 0;
    case EventKind::kResolved: return 'r';
    case EventKind::kReopened: return 'p';
    case EventKind::kClosed: return 'x';
    case EventKind::kStatusChanged: {
      auto j = nlohmann::json::parse(e.data_json, nullptr, false);
      return j.is_object() && j.value("from", "") == "waiting_on_customer" && j.value("to", "") == "open" ? 'q' : 0;
    }
    case EventKind::kEngineeringIssueLinked: return 'l';
    case EventKind::kEngineeringUpdate: {
      auto j = nlohmann::json::parse(e.data_json, nullptr, false);
      return j.is_object() && j.value("done", false) ? 'd' : 'u';
    }
    default: return 0;
  }
}

}  // namespace

std::string ClockLog::Encode(std::span<const TicketEventRecord> log) {
  std::string out(1, kVersion);
  std::int64_t prev = 0;
  std::string severity;
  for (const auto& e : log) {
    severity.clear();
    const char k = Digest(e, severity);
    if (!k) continue;
    const std::int64_t at = ToEpoch(e.at);
    out += k;
    out += std::to_string(at - prev);
    prev = at;
    if (k == 'o' || k == 's') {
      out += '.';
      out += std::to_string(severity.size());
      out += '.';
      out += severity;
    }
  }
  return out;
}

bool ClockLog::Decode(const Policy& policy, std::string_view text, std::vector<TicketEvent>& events,
                      std::optional<std::string>& opening) {
  events.clear();
  opening.reset();
  if (text.empty() || text[0] != kVersion) return false;
  const bool suspends = policy.lifecycle.bug_escalation_suspends_targets;
  bool suspended = false, seen_opened = false;
  std::int64_t prev = 0;
  size_t i = 1;
  auto number = [&](std::int64_t& v) -> bool {
    bool neg = false;
    if (i < text.size() && text[i] == '-') {
      neg = true;
      ++i;
    }
    const size_t start = i;
    std::uint64_t u = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9' && i - start < 19) u = u * 10 + (text[i++] - '0');
    if (i == start) return false;
    v = neg ? -static_cast<std::int64_t>(u) : static_cast<std::int64_t>(u);
    return true;
  };
  while (i < text.size()) {
    const char k = text[i++];
    std::int64_t delta = 0;
    if (!number(delta)) return false;
    prev += delta;
    std::string_view severity;
    if (k == 'o' || k == 's') {
      std::int64_t len = 0;
      if (i >= text.size() || text[i++] != '.' || !number(len) || i >= text.size() || text[i++] != '.' || len < 0 ||
          static_cast<std::uint64_t>(len) > text.size() - i)
        return false;
      severity = text.substr(i, static_cast<size_t>(len));
      i += static_cast<size_t>(len);
    }
    std::optional<EventType> type;
    switch (k) {
      case 'o':
      case 'O':
        if (!seen_opened) {
          seen_opened = true;
          if (k == 'o') opening = std::string(severity);
        }
        type = EventType::kOpened;
        break;
      case 'a': type = EventType::kAgentReply; break;
      case 'c':
        if (!suspended) type = EventType::kCustomerReply;
        break;
      case 'w': type = EventType::kWaitingOnCustomer; break;
      case 's': type = EventType::kSeverityChanged; break;
      case 'r': type = EventType::kResolved; break;
      case 'p':
        suspended = false;
        type = EventType::kReopened;
        break;
      case 'x': type = EventType::kClosed; break;
      case 'q':
        if (!suspended) type = EventType::kReopened;
        break;
      case 'l':
        if (suspends && !suspended) {
          suspended = true;
          type = EventType::kWaitingOnCustomer;
        }
        break;
      case 'u': type = EventType::kAgentReply; break;
      case 'd':
        if (suspended) {
          suspended = false;
          type = EventType::kReopened;
        } else {
          type = EventType::kAgentReply;
        }
        break;
      default: return false;
    }
    if (type) events.push_back(TicketEvent{FromEpoch(prev), *type, k == 's' ? std::string(severity) : std::string()});
  }
  return true;
}

}  // namespace sladesk
