// StoredHistory: a stored ticket (StoredReportTicket) as the compliance
// computations read a ticket history (HistoryTicket).
//
// Purpose: the one mapping from the store to the reports, so the API's
// figures are the CLI's on the same tickets: id = the ticket number,
// organisation = its name, plan = the plan it was opened under, severity =
// the one it was opened with, assignee = the assignee's name, events =
// SlaProjector::ToSlaEvents of its log (ClockLog::Decode of its stored
// clock log when it has one: the same events), escalations = its escalation
// requests named by the policy's ladder (level n = the n-th level's name),
// support_seconds = the time logged on it.
// Thread-safety: stateless. Ownership: none.
#pragma once

#include <string>
#include <vector>

#include "common/result.h"

#include "compliance/history_ticket.h"
#include "desk/compliance_records.h"
#include "policy/policy.h"

namespace sladesk {

class StoredHistory {
 public:
  // The severity of the ticket's `opened` event, else its current one
  // (from its records: for a ticket without a clock log).
  static std::string OpeningSeverity(const StoredReportTicket& ticket);
  // The engine's events (`events` cleared first) and the opening severity,
  // from the clock log or the records. An internal error when the stored
  // clock log cannot be read.
  static Status ClockEvents(const Policy& policy, const StoredReportTicket& ticket, std::vector<TicketEvent>& events,
                            std::string& opening_severity);
  // Fills `out` (cleared first, its capacity kept); fails as ClockEvents.
  static Status ToHistoryTicket(const Policy& policy, const StoredReportTicket& ticket, HistoryTicket& out);
};

}  // namespace sladesk
