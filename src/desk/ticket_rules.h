// TicketRules: the pure rules of a ticket's life: which status changes are
// allowed, the reopen window, the monthly incident quota.
//
// Purpose: one place for the lifecycle `new → open ↔ waiting_on_customer →
// resolved → closed` (plus reopen back to open) so the service and the tests
// agree. No I/O, no clock: callers pass `now`.
// Thread-safety: stateless functions. Ownership: none.
#pragma once

#include <optional>

#include "common/instant.h"
#include "common/result.h"
#include "desk/desk_types.h"

namespace sladesk {

class TicketRules {
 public:
  // Whether `from → to` is a step of the lifecycle (reopen is resolved/closed → open).
  static bool IsAllowedTransition(TicketStatus from, TicketStatus to);
  static bool IsReopen(TicketStatus from, TicketStatus to) {
    return to == TicketStatus::kOpen &&
           (from == TicketStatus::kResolved || from == TicketStatus::kClosed);
  }
  // Error (field "status") naming the allowed targets when the step is not allowed.
  static Status CheckTransition(TicketStatus from, TicketStatus to);
  // Reopen is allowed while now <= resolved_at + window; no window means always.
  static Status CheckReopenWindow(std::optional<Instant> resolved_at, std::optional<Seconds> window,
                                  Instant now);
  // The start of the UTC calendar month that contains `now` (quota period).
  static Instant MonthStart(Instant now);
  // `opened_this_month` tickets already counted against `limit`.
  static Status CheckIncidentQuota(std::int64_t opened_this_month, std::optional<std::int64_t> limit);
};

}  // namespace sladesk
