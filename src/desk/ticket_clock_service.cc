#include "desk/ticket_clock_service.h"

namespace sladesk {

std::string TicketClockService::AutoCloseNote(const Policy& policy) {
  const std::string after = policy.lifecycle.auto_close_after ? policy.lifecycle.auto_close_after->text : "a while";
  return "We have not heard back from you for " + after +
         ", so we have resolved this ticket. Reply to it if the problem is still there and we will reopen it.";
}

Result<std::vector<RemedyPeriodRecord>> TicketClockService::EndRemedyPeriods(Instant now, int limit) {
  return access_.repo().EndRemedyPeriods(now, limit);
}

Result<FireResult> TicketClockService::FireDue(Instant now, std::int64_t number) {
  const User system = SystemUser("scheduler");
  auto scope = access_.Load(system, number, /*lock=*/true, /*with_log=*/true);
  if (!scope.ok()) return scope.error();
  Ticket& t = scope->ticket;
  auto plan = FiringPlanner::Compute(*scope->policy, *scope->plan, t, scope->log, t.updated_at, now);
  if (!plan.ok()) return plan.error();
  FireResult out;
  if (plan->due.empty()) {
    t.next_fire = plan->next_fire;
    if (Status st = access_.repo().SetTicketDue(t.id, t.number, t.next_fire); !st.ok()) return st.error();
    out.ticket = std::move(t);
    return out;
  }
  std::vector<TicketEventRecord> events;
  for (const Firing& f : plan->due) {
    FiringRecord rec{t.id, f.metric, f.cycle, std::string(EventKindName(f.kind)), f.threshold, f.at, now};
    if (Status st = access_.repo().RecordFiring(rec); !st.ok()) return st.error();
    events.push_back(TicketAccess::Event(system, f.at, f.kind, f.Data()));
    if (f.kind == EventKind::kAutoClosed) {
      auto mid = access_.repo().InsertMessage(
          {0, t.id, system.id, Visibility::kPublic, AutoCloseNote(*scope->policy), f.at});
      if (!mid.ok()) return mid.error();
      nlohmann::json data{{"from", StatusName(t.status)},
                          {"to", StatusName(TicketStatus::kResolved)},
                          {"outcome", TicketOutcomeName(TicketOutcome::kNoResponse)},
                          {"reason", "auto_close: no reply from the customer"},
                          {"message_id", *mid}};
      events.push_back(TicketAccess::Event(system, f.at, EventKind::kResolved, std::move(data)));
      t.status = TicketStatus::kResolved;
      t.outcome = TicketOutcome::kNoResponse;
      t.resolved_at = f.at;
      t.reopen_requested_at.reset();
    }
  }
  auto saved = access_.Save(*scope, now, std::move(events));
  if (!saved.ok()) return saved.error();
  out.ticket = std::move(saved).value();
  out.fired = std::move(plan->due);
  return out;
}

}  // namespace sladesk
