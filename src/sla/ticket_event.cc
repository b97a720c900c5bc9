#include "sla/ticket_event.h"

namespace sladesk {

std::string_view EventTypeName(EventType type) {
  switch (type) {
    case EventType::kOpened: return "opened";
    case EventType::kAgentReply: return "agent_reply";
    case EventType::kCustomerReply: return "customer_reply";
    case EventType::kWaitingOnCustomer: return "waiting_on_customer";
    case EventType::kSeverityChanged: return "severity_changed";
    case EventType::kResolved: return "resolved";
    case EventType::kReopened: return "reopened";
    case EventType::kClosed: return "closed";
  }
  return "unknown";
}

std::optional<EventType> EventTypeFromName(std::string_view name) {
  for (EventType t : kAllEventTypes)
    if (EventTypeName(t) == name) return t;
  return std::nullopt;
}

std::string KnownEventTypeNames() {
  std::string out;
  for (EventType t : kAllEventTypes) {
    if (!out.empty()) out += ", ";
    out += EventTypeName(t);
  }
  return out;
}

}  // namespace sladesk
