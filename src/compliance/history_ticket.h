// HistoryTicket: one past ticket as the reports and backtests replay it:
// who it belongs to, its plan and opening severity, and its CONTRACT §4
// event list, with optional escalations and logged support time.
//
// Purpose: the record of a ticket history file (one JSON object a line, see
// history_jsonl.h and docs/COMPLIANCE.md) and what the storage adapter will
// hand the report builder row by row. Plain values; plan and severities are
// ids checked against a policy by whoever evaluates it.
// Thread-safety: a plain value type. Ownership: owns its strings. Clear()
// keeps the capacity so one instance can be reused line after line.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/instant.h"
#include "sla/ticket_event.h"

namespace sladesk {

struct HistoryEscalation {
  Instant at{};
  std::string level;  // the escalation level's name, or free text
};

struct HistoryTicket {
  std::string id;
  std::string organisation;
  std::string plan;
  std::string severity;  // the opening severity; empty = the policy's default
  std::string assignee;  // the agent; empty = unassigned
  std::vector<TicketEvent> events;
  std::vector<HistoryEscalation> escalations;
  std::optional<Seconds> support_seconds;  // support time logged on the ticket

  void Clear() {
    id.clear();
    organisation.clear();
    plan.clear();
    severity.clear();
    assignee.clear();
    events.clear();
    escalations.clear();
    support_seconds.reset();
  }
};

}  // namespace sladesk
