// TicketEvent: one thing that happened to a ticket, as the SLA clock sees it
// (CONTRACT §4 event types).
//
// Purpose: the input of EvaluateSla (sla_clock.h). The clock only reads the
// time, the type and, for severity_changed, the new severity id.
// Thread-safety: plain value type. Ownership: owns its severity string.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/instant.h"

namespace sladesk {

enum class EventType : std::uint8_t {
  kOpened = 0,
  kAgentReply,
  kCustomerReply,
  kWaitingOnCustomer,
  kSeverityChanged,
  kResolved,
  kReopened,
  kClosed,
};

inline constexpr EventType kAllEventTypes[] = {
    EventType::kOpened,           EventType::kAgentReply,      EventType::kCustomerReply,
    EventType::kWaitingOnCustomer, EventType::kSeverityChanged, EventType::kResolved,
    EventType::kReopened,         EventType::kClosed};

// "opened", "agent_reply", "customer_reply", "waiting_on_customer",
// "severity_changed", "resolved", "reopened", "closed".
std::string_view EventTypeName(EventType type);
std::optional<EventType> EventTypeFromName(std::string_view name);
// "opened, agent_reply, ..." for error messages.
std::string KnownEventTypeNames();

struct TicketEvent {
  Instant at;
  EventType type = EventType::kOpened;
  std::string severity;  // the new severity id; used only by kSeverityChanged
};

}  // namespace sladesk
