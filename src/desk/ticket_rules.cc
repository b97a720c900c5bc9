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
  return MakeError("status", "a ticket cannot go from '" + std::string(StatusName(from)) + "' to '" +
                                 std::string(StatusName(to)) + "'; allowed: " + allowed);
}

Status TicketRules::CheckReopenWindow(std::optional<Instant> resolved_at,
                                      std::optional<Seconds> window, Instant now) {
  if (!window || !resolved_at) return Status::Ok();
  if (now <= *resolved_at + std::chrono::seconds(*window)) return Status::Ok();
  return MakeError("status", "the reopen window of " + std::to_string(*window / 86400) +
                                 " days after resolution (" + FormatInstant(*resolved_at) +
                                 ") has passed; open a new ticket");
}

Instant TicketRules::MonthStart(Instant now) {
  date::year_month_day ymd{date::floor<date::days>(now)};
  return date::sys_days{ymd.year() / ymd.month() / 1};
}

Status TicketRules::CheckIncidentQuota(std::int64_t opened_this_month,
                                       std::optional<std::int64_t> limit) {
  if (!limit || opened_this_month < *limit) return Status::Ok();
  return MakeError("organisation", "the organisation has used its " + std::to_string(*limit) +
                                       " incident(s) for this month");
}

}  // namespace sladesk
