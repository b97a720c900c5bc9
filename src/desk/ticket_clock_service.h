// TicketClockService: the SLA scheduler's one operation on a ticket: fire
// what has fallen due by `now`.
//
// Purpose: the desk rule the scheduler (src/ops) runs, as a unit of work,
// for each ticket it claims. FireDue re-evaluates the ticket's clocks from
// its last save to `now` (FiringPlanner), appends one event per firing
// (sla_warning, sla_breached, auto_closed; see docs/OPERATIONS.md) with
// its `at`, records each under its unique key, and saves through
// TicketAccess::Save (events + projection + versioned update + the next
// due instant), so whatever hooks that save path (the outbox's
// notifications) sees the firings in the same transaction. Auto-close
// resolves the ticket with outcome no_response and a public note to the
// customer at the end of the wait; it stays reopenable under the policy's
// reopen rule. Firing again fires nothing (the log holds what fired; the
// unique key is the last guard). A ticket with nothing due only has its
// due instant re-written (which also ends the claim's lease).
// Thread-safety: one unit of work, one thread. Ownership: borrows.
#pragma once

#include <cstdint>
#include <vector>

#include "common/result.h"
#include "desk/firing_planner.h"
#include "desk/ticket_access.h"

namespace sladesk {

struct FireResult {
  Ticket ticket;              // as saved (or as found, when nothing fired)
  std::vector<Firing> fired;  // in `at` order
};

class TicketClockService {
 public:
  TicketClockService(DeskRepository& repo, const PolicyRegistry& policies) : access_(repo, policies) {}

  Result<FireResult> FireDue(Instant now, std::int64_t number);
  // Ends the remedy periods (seed 001's downtime remedy) whose end has come
  // by `now`, each at its ends_at, once: `remedy_period_ended`. It is an
  // organisation's, so it is recorded on the period (ended_at), not in a
  // ticket's log. At most `limit` a call.
  Result<std::vector<RemedyPeriodRecord>> EndRemedyPeriods(Instant now, int limit);

  // The public note the customer gets when a ticket is auto-closed.
  static std::string AutoCloseNote(const Policy& policy);

 private:
  TicketAccess access_;
};

}  // namespace sladesk
