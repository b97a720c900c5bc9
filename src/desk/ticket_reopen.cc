#include "desk/ticket_reopen.h"

#include "desk/plan_rules.h"
#include "desk/ticket_rules.h"

namespace sladesk {

Result<ReopenOutcome> TicketReopen::Decide(const TicketScope& scope, const User& actor, Instant now, bool by_reply) {
  const Ticket& t = scope.ticket;
  const Lifecycle& lc = scope.policy->lifecycle;
  if (by_reply && t.status == TicketStatus::kResolved &&
      (t.outcome == TicketOutcome::kBugEscalated || t.outcome == TicketOutcome::kFeatureRequest))
    return ReopenOutcome::kConversationOnly;
  if (!lc.reopen_allowed)
    return ConflictError("status", "the " + scope.policy->name + " policy does not allow reopening a " +
                                       std::string(StatusName(t.status)) + " ticket; open a new ticket",
                         "reopen-not-allowed");
  Status window = TicketRules::CheckReopenWindow(t.resolved_at, lc.reopen_window,
                                                 *PlanRules::MonthZone(*scope.plan, scope.organisation), now);
  if (!window.ok()) return window.error();
  if (lc.reopen_by == ReopenBy::kAgentReview && !IsStaff(actor.role)) return ReopenOutcome::kRequestReview;
  return ReopenOutcome::kReopen;
}

void TicketReopen::Apply(TicketScope& scope, const User& actor, Instant now, std::vector<TicketEventRecord>& events,
                         const std::string& reason) {
  Ticket& t = scope.ticket;
  nlohmann::json data{{"from", StatusName(t.status)}, {"to", "open"}};
  if (!reason.empty()) data["reason"] = reason;
  t.status = TicketStatus::kOpen;
  t.resolved_at.reset();
  t.closed_at.reset();
  t.outcome.reset();
  t.reopen_requested_at.reset();
  events.push_back(TicketAccess::Event(actor, now, EventKind::kReopened, std::move(data)));
}

void TicketReopen::Request(TicketScope& scope, const User& actor, Instant now, std::vector<TicketEventRecord>& events,
                           const std::string& reason) {
  scope.ticket.reopen_requested_at = now;
  nlohmann::json data = nlohmann::json::object();
  if (!reason.empty()) data["reason"] = reason;
  events.push_back(TicketAccess::Event(actor, now, EventKind::kReopenRequested, std::move(data)));
}

}  // namespace sladesk
