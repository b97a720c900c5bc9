// StoredHistory: a stored ticket (StoredReportTicket) as the compliance
// computations read a ticket history (HistoryTicket).
//
// Purpose: the one mapping from the store to the reports, so the API's
// figures are the CLI's on the same tickets: id = the ticket number,
// organisation = its name, plan = the plan it was opened under, severity =
// the one it was opened with, assignee = the assignee's name, events =
// SlaProjector::ToSlaEvents of its log, escalations = its escalation
// requests named by the policy's ladder (level n = the n-th level's name),
// support_seconds = the time logged on it.
// Thread-safety: stateless. Ownership: none.
#pragma once

#include <string>

#include "compliance/history_ticket.h"
#include "desk/compliance_records.h"
#include "policy/policy.h"

namespace sladesk {

class StoredHistory {
 public:
  // The severity of the ticket's `opened` event, else its current one.
  static std::string OpeningSeverity(const StoredReportTicket& ticket);
  // Fills `out` (cleared first, its capacity kept).
  static void ToHistoryTicket(const Policy& policy, const StoredReportTicket& ticket, HistoryTicket& out);
};

}  // namespace sladesk
