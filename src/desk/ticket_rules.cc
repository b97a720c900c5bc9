#include "desk/ticket_rules.h"

#include <date/date.h>

namespace sladesk {

bool TicketRules::IsAllowedTransition(TicketStatus from, TicketStatus to) {
  using S = TicketStatus;
  switch (from) {
    case S::kNew: return to == S::kOpen || to == S::kWaitingOnCustomer || to == S::kResolved;
    case S::kOpen: return to == S::kWaitingOnCustomer || to == S::kResolved;
    case S::kWaitingOnCustomer: return to == S::kOpen || to == S::kResolved;
    case S::kResolved: return to == S::kClosed || to == S::kOpen;
    case S::kClosed: return to == S::kOpen;
  }
  return false;
}

Status TicketRules::CheckTransition(TicketStatus from, TicketStatus to) {
  if (IsAllowedTransition(from, to)) return Status::Ok();
  std::string allowed;
  for (auto s : {TicketStatus::kNew, TicketStatus::kOpen, TicketStatus::kWaitingOnCustomer,
                 TicketStatus::kResolved, TicketStatus::kClosed}) {
    if (!IsAllowedTransition(from, s)) continue;
    if (!allowed.empty()) allowed += ", ";
    allowed += StatusName(s);
  }
  return ConflictError("status", "a ticket cannot go from '" + std::string(StatusName(from)) + "' to '" +
                                     std::string(StatusName(to)) + "'; allowed: " + allowed);
}

Status TicketRules::CheckChange(TicketStatus status, TicketChange change, bool staff) {
  using C = TicketChange;
  if (status == TicketStatus::kClosed) {
    if (change == C::kReopen || (staff && (change == C::kInternalNote || change == C::kLogTime)))
      return Status::Ok();
    return ConflictError("status", staff ? "the ticket is closed: reopen it first (only internal notes and logged "
                                           "time are added to a closed ticket)"
                                         : "the ticket is closed: reopen it, or open a new ticket",
                         "ticket-closed");
  }
  if (status == TicketStatus::kResolved) {
    switch (change) {
      case C::kPublicReply: case C::kAttach: case C::kChangeStatus: case C::kReopen:
        return Status::Ok();
      case C::kInternalNote: case C::kLogTime: case C::kEditFields: case C::kAssign: case C::kLinkIssue:
        if (staff) return Status::Ok();
        break;
      case C::kChangeSeverity: case C::kEscalate:
        break;
    }
    return ConflictError("status", "the ticket is resolved: reopen it first", "ticket-resolved");
  }
  return Status::Ok();
}

date::local_seconds TicketRules::AddCalendarMonths(date::local_seconds local, int months) {
  const auto day = date::floor<date::days>(local);
  const auto time_of_day = local - day;
  date::year_month_day ymd{day};
  date::year_month ym = date::year_month{ymd.year(), ymd.month()} + date::months{months};
  const date::day last = (ym.year() / ym.month() / date::last).day();
  const date::day d = ymd.day() > last ? last : ymd.day();
  return date::local_days{ym.year() / ym.month() / d} + time_of_day;
}

std::optional<Instant> TicketRules::ReopenDeadline(Instant resolved_at, const std::optional<Period>& window,
                                                   const TimeZone& zone) {
  if (!window) return std::nullopt;
  date::local_seconds local = AddCalendarMonths(zone.ToLocal(resolved_at), window->months);
  local += date::days{window->days};
  return zone.ToSys(local);
}

Status TicketRules::CheckReopenWindow(std::optional<Instant> resolved_at, const std::optional<Period>& window,
                                      const TimeZone& zone, Instant now) {
  if (!window || !resolved_at) return Status::Ok();
  auto deadline = ReopenDeadline(*resolved_at, window, zone);
  if (!deadline || now <= *deadline) return Status::Ok();
  return ConflictError("status", "the reopen window of " + window->text + " after resolution (" +
                                     FormatInstant(*resolved_at) + ") ended at " + FormatInstant(*deadline) +
                                     "; open a new ticket",
                       "reopen-window-passed");
}

Instant TicketRules::MonthStart(Instant now, const TimeZone& zone) {
  date::year_month_day ymd{date::floor<date::days>(zone.ToLocal(now))};
  return zone.ToSys(date::local_days{ymd.year() / ymd.month() / 1});
}

Status TicketRules::CheckIncidentQuota(std::int64_t opened_this_month, std::optional<std::int64_t> limit) {
  if (!limit || opened_this_month < *limit) return Status::Ok();
  return ConflictError("organisation", "the organisation has used its " + std::to_string(*limit) +
                                           " incident(s) for this month",
                       "quota-exceeded");
}

}  // namespace sladesk
