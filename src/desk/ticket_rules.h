// TicketRules: the pure rules of a ticket's life: which status changes are
// allowed, what may still change once a ticket is resolved or closed, the
// reopen window, and the monthly incident quota.
//
// Purpose: one place for the lifecycle `new → open ↔ waiting_on_customer →
// resolved → closed` (plus reopen back to open) so every service and the
// tests agree. No I/O, no clock: callers pass `now` and the zone months are
// counted in.
// Thread-safety: stateless functions. Ownership: none.
#pragma once

#include <optional>

#include "calendar/time_zone.h"
#include "common/instant.h"
#include "common/result.h"
#include "desk/desk_types.h"
#include "policy/policy.h"

namespace sladesk {

// Kinds of change, for CheckChange.
enum class TicketChange {
  kEditFields,     // subject, description, the policy's fields, estimate
  kPublicReply,
  kInternalNote,
  kAttach,
  kAssign,
  kChangeSeverity,
  kEscalate,
  kLinkIssue,      // link an engineering issue, or post its status update
  kLogTime,
  kChangeStatus,   // wait, resume, resolve, close
  kReopen,
};

class TicketRules {
 public:
  // Whether `from → to` is a step of the lifecycle (reopen is resolved/closed → open).
  static bool IsAllowedTransition(TicketStatus from, TicketStatus to);
  static bool IsReopen(TicketStatus from, TicketStatus to) {
    return to == TicketStatus::kOpen &&
           (from == TicketStatus::kResolved || from == TicketStatus::kClosed);
  }
  // Error (field "status", kConflict) naming the allowed targets when the step is not allowed.
  static Status CheckTransition(TicketStatus from, TicketStatus to);

  // The one rule for changes after the work is done. A closed ticket is a
  // record: nothing changes but a reopen (where the policy allows one) and,
  // for staff, internal notes and logged time. A resolved ticket keeps its
  // conversation open (a customer's reply, an agent's status update,
  // attachments, notes, time), its status can move on (closed, reopened),
  // staff may correct its fields, assignee and engineering link, but the
  // customer no longer edits it, and nobody escalates it or changes its
  // severity. Open tickets take every change. kConflict (field "status")
  // otherwise, saying what to do instead.
  static Status CheckChange(TicketStatus status, TicketChange change, bool staff);

  // Reopen is allowed while now <= the deadline: resolved_at plus the
  // policy's window in calendar months and days, counted in `zone` (Jan 31
  // + 1 month = Feb 28; "12 months" is twelve calendar months, not 360
  // days). No window: no deadline.
  static std::optional<Instant> ReopenDeadline(Instant resolved_at, const std::optional<Period>& window,
                                               const TimeZone& zone);
  static Status CheckReopenWindow(std::optional<Instant> resolved_at, const std::optional<Period>& window,
                                  const TimeZone& zone, Instant now);
  // The instant of local midnight on the first day of the month that holds
  // `now` in `zone` (the quota period).
  static Instant MonthStart(Instant now, const TimeZone& zone);
  // `opened_this_month` tickets already counted against `limit`.
  static Status CheckIncidentQuota(std::int64_t opened_this_month, std::optional<std::int64_t> limit);
  // `local` plus whole calendar months, the day clamped to the month's last.
  static date::local_seconds AddCalendarMonths(date::local_seconds local, int months);
};

}  // namespace sladesk
